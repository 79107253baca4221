//! Investment figures of one replacement: annuity factor, NPV, IRR, simple payback.
//!
//! Cash flows: −C at t = 0, then the annual savings value V·(1 + g)^(t−1) at the end of years
//! t = 1…N (energy-price escalation g, first year unescalated). Discounting at rate r:
//! `NPV = −C + V·A(r)`, `A(r) = Σ_{t=1..N} (1 + g)^(t−1) / (1 + r)^t`.
//! IRR is the r with NPV = 0; it exists and is unique when V > 0 and C > 0 (NPV falls
//! monotonically from +∞ at r → −1 to −C at r → ∞); otherwise it is undefined (NaN).
//! Simple payback = C / V (+∞ when V ≤ 0).

use crate::error::{check_param, Result};

/// Discounting parameters of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finance {
    /// Discount rate r per year (fraction).
    pub discount_rate: f64,
    /// Energy-price escalation g per year (fraction).
    pub escalation: f64,
    /// Horizon N, years.
    pub horizon_years: u32,
}

impl Finance {
    pub fn validate(&self) -> Result<()> {
        check_param(
            "discount_rate",
            self.discount_rate,
            -0.5,
            1.0,
            "a rate in [-0.5, 1] per year",
        )?;
        check_param(
            "escalation",
            self.escalation,
            -0.5,
            1.0,
            "a rate in [-0.5, 1] per year",
        )?;
        check_param(
            "horizon_years",
            f64::from(self.horizon_years),
            1.0,
            100.0,
            "an integer number of years in [1, 100]",
        )
    }

    /// A(r) = Σ_{t=1..N} (1 + g)^(t−1) / (1 + r)^t.
    pub fn annuity_factor(&self) -> f64 {
        annuity(self.discount_rate, self.escalation, self.horizon_years)
    }
}

/// Σ_{t=1..n} (1 + g)^(t−1) / (1 + r)^t, summed term by term.
pub fn annuity(r: f64, g: f64, n: u32) -> f64 {
    let mut grow = 1.0;
    let mut disc = 1.0;
    let mut sum = 0.0;
    for _ in 0..n {
        disc /= 1.0 + r;
        sum += grow * disc;
        grow *= 1.0 + g;
    }
    sum
}

/// d A / d r = −Σ t·(1 + g)^(t−1) / (1 + r)^(t+1).
fn annuity_derivative(r: f64, g: f64, n: u32) -> f64 {
    let mut grow = 1.0;
    let mut disc = 1.0 / (1.0 + r);
    let mut sum = 0.0;
    for t in 1..=n {
        disc /= 1.0 + r;
        sum -= f64::from(t) * grow * disc;
        grow *= 1.0 + g;
    }
    sum
}

/// Simple payback in years (+∞ when the savings value is not positive).
pub fn payback_years(capex: f64, annual_value: f64) -> f64 {
    if annual_value > 0.0 {
        capex / annual_value
    } else {
        f64::INFINITY
    }
}

/// Internal rate of return (fraction per year), NaN when undefined (V ≤ 0 or C ≤ 0).
/// Safeguarded Newton iteration inside a bracket that always holds the root; converges to
/// |Δr| ≤ 1e-15·(1 + |r|).
pub fn irr(capex: f64, annual_value: f64, escalation: f64, horizon_years: u32) -> f64 {
    if !(annual_value > 0.0 && capex > 0.0) || horizon_years == 0 {
        return f64::NAN;
    }
    let f = |r: f64| annual_value * annuity(r, escalation, horizon_years) - capex;
    // Bracket: f(lo) > 0 > f(hi).
    let mut lo = -0.999_999;
    if f(lo) <= 0.0 {
        return f64::NAN; // would need r below −99.9999 %: report as undefined
    }
    let mut hi = 1.0;
    let mut guard = 0;
    while f(hi) > 0.0 {
        lo = hi;
        hi = 2.0 * hi + 1.0;
        guard += 1;
        if guard > 60 {
            return f64::NAN;
        }
    }
    let mut r = 0.5 * (lo + hi);
    for _ in 0..200 {
        let fr = f(r);
        if fr > 0.0 {
            lo = r;
        } else {
            hi = r;
        }
        let d = annual_value * annuity_derivative(r, escalation, horizon_years);
        let mut next = if d < 0.0 { r - fr / d } else { f64::NAN };
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - r).abs() <= 1e-15 * (1.0 + r.abs()) || hi - lo <= 1e-15 * (1.0 + r.abs()) {
            return next;
        }
        r = next;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annuity_closed_form() {
        // g = 0: A = (1 − (1 + r)^−N)/r.
        let a = annuity(0.08, 0.0, 10);
        assert!((a - (1.0 - 1.08f64.powi(-10)) / 0.08).abs() < 1e-13);
        // g = r: A = N/(1 + r).
        assert!((annuity(0.05, 0.05, 12) - 12.0 / 1.05).abs() < 1e-13);
    }

    #[test]
    fn irr_solves_npv_zero() {
        for &(c, v, g, n) in &[
            (1000.0, 300.0, 0.0, 5u32),
            (5000.0, 400.0, 0.03, 20),
            (100.0, 1000.0, 0.0, 3),
            (1000.0, 60.0, 0.02, 10),
        ] {
            let r = irr(c, v, g, n);
            assert!(r.is_finite());
            let npv = v * annuity(r, g, n) - c;
            assert!(npv.abs() < 1e-9 * c, "npv {npv} at r {r}");
        }
        // Payback exactly at the horizon without escalation: IRR = 0.
        assert!(irr(1000.0, 100.0, 0.0, 10).abs() < 1e-12);
        assert!(irr(1000.0, -1.0, 0.0, 10).is_nan());
        assert!(irr(0.0, 10.0, 0.0, 10).is_nan());
    }

    #[test]
    fn payback() {
        assert_eq!(payback_years(1000.0, 250.0), 4.0);
        assert_eq!(payback_years(1000.0, 0.0), f64::INFINITY);
    }
}
