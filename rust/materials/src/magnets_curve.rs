//! Temperature model and second-quadrant demagnetisation curve of a magnet grade.
//!
//! * Reversible temperature model (datasheet convention, linear about the reference temperature):
//!   `Br(T) = Br_ref·(1 + α/100·(T − T_ref))`, `HcJ(T) = HcJ_ref·(1 + β/100·(T − T_ref))`
//!   (α, β in %/°C; β > 0 for ferrite). Valid for `t_min ≤ T ≤ t_max`, otherwise
//!   `TemperatureOutOfRange`.
//! * Intrinsic curve with a knee: with `h = −H/HcJ(T)` (0 at remanence, 1 at the coercivity),
//!   `J(H) = J_rec(H)·(1 − g(h))`, where `J_rec(H) = Br(T) + (μrec − 1)·μ0·H` is the linear recoil
//!   line and `g(h) = (e^{k·h} − 1)/(e^{k} − 1)` a smooth knee: `g(0) = 0` (so `J(0) = Br`),
//!   `g(1) = 1` (so `J(−HcJ) = 0`), `g` increasing, hence `J` and `B = μ0·H + J` increase with `H`.
//!   The sharpness `k` is set so that `g(s) = 0.1` with the squareness `s = Hk/HcJ`.
//! * Knee field: `H_knee(T) = −s·HcJ(T)`, the field at which `J` has dropped 10 % below the
//!   recoil line (for μrec = 1 this is the classical `Hk`, J = 0.9·Br). The demagnetisation
//!   margin is `h_along_magnetisation − H_knee(T)` in A/m; negative means operation beyond the
//!   knee, i.e. irreversible demagnetisation.
//! * `H > 0` (first quadrant) continues the same curve (recoil line); `H < −HcJ(T)` is outside the
//!   second quadrant and is rejected.

use crate::error::{require_finite, MaterialsError, Result};

/// Upper bound accepted for a remanence, T (generous: above any known hard-magnetic phase).
pub const MAX_BR_T: f64 = 2.0;
/// Upper bound accepted for an intrinsic coercivity, A/m (about 12.6 T as μ0·H).
pub const MAX_HCJ_A_PER_M: f64 = 1.0e7;

/// Vacuum permeability μ0 in H/m (CODATA 2018).
pub const MU0: f64 = 1.256_637_062_12e-6;

/// Knee drop that defines `Hk`: J is 10 % below the recoil line there.
const KNEE_DROP: f64 = 0.1;

/// Parameters of the temperature-dependent demagnetisation model of one grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemagModel {
    pub br_t: f64,
    pub hcj_a_per_m: f64,
    pub alpha_br_pct_per_c: f64,
    pub beta_hcj_pct_per_c: f64,
    pub reference_temperature_c: f64,
    pub min_temperature_c: f64,
    pub max_temperature_c: f64,
    pub mu_rec: f64,
    pub squareness: f64,
    /// Knee sharpness `k`, solved from `squareness` in [`DemagModel::new`].
    k: f64,
}

/// Knee function `g(h)` written so that it never overflows for large `k`.
fn knee_g(h: f64, k: f64) -> f64 {
    // g = e^{k(h−1)}·(1 − e^{−kh})/(1 − e^{−k})
    (k * (h - 1.0)).exp() * (-(-k * h).exp_m1()) / (-(-k).exp_m1())
}

/// Solves `g(s; k) = KNEE_DROP` for `k` by bisection (`g(s; k)` falls from `s` to 0 as k grows).
fn solve_k(s: f64) -> f64 {
    let (mut lo, mut hi) = (1e-9_f64, 5000.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if knee_g(s, mid) > KNEE_DROP {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Which quantity a vectorised evaluation returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Br(T) in T (H ignored).
    Br,
    /// HcJ(T) in A/m (H ignored).
    Hcj,
    /// Knee field H_knee(T) in A/m (negative; H ignored).
    Knee,
    /// Flux density B(H, T) in T.
    B,
    /// Intrinsic polarisation J(H, T) in T.
    J,
    /// Demagnetisation margin H − H_knee(T) in A/m.
    Margin,
    /// Normal coercivity HcB(T) of the model curve in A/m (H ignored).
    Hcb,
    /// (BH)max(T) of the model curve in J/m³ (H ignored).
    BhMax,
}

impl Quantity {
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "br" => Self::Br,
            "hcj" => Self::Hcj,
            "knee" => Self::Knee,
            "b" => Self::B,
            "j" => Self::J,
            "margin" => Self::Margin,
            "hcb" => Self::Hcb,
            "bhmax" => Self::BhMax,
            _ => {
                return Err(MaterialsError::invalid(
                    "quantity",
                    name,
                    "one of br, hcj, knee, b, j, margin, hcb, bhmax",
                ))
            }
        })
    }

    /// Whether the quantity depends on the field H.
    pub fn needs_field(self) -> bool {
        matches!(self, Self::B | Self::J | Self::Margin)
    }
}

impl DemagModel {
    /// Builds and validates a model; every field must be finite, the range non-empty, and the
    /// curve physical over the whole range (Br, HcJ and the recoil line at −HcJ positive).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        br_t: f64,
        hcj_a_per_m: f64,
        alpha_br_pct_per_c: f64,
        beta_hcj_pct_per_c: f64,
        reference_temperature_c: f64,
        min_temperature_c: f64,
        max_temperature_c: f64,
        mu_rec: f64,
        squareness: f64,
    ) -> Result<Self> {
        crate::error::require_positive("br_t", br_t)?;
        crate::error::require_positive("hcj_a_per_m", hcj_a_per_m)?;
        // Physical caps, so that absurd inputs are named here rather than surfacing later as an
        // overflow in a derived quantity such as (BH)max: no hard-magnetic phase has a saturation
        // polarisation above ~1.6 T (Nd2Fe14B: 1.61 T) and the highest coercivities are ~4 MA/m.
        if br_t > MAX_BR_T {
            return Err(MaterialsError::invalid(
                "br_t",
                br_t,
                format!("0 < br_t <= {MAX_BR_T} T (physical limit of permanent magnets)"),
            ));
        }
        if hcj_a_per_m > MAX_HCJ_A_PER_M {
            return Err(MaterialsError::invalid(
                "hcj_a_per_m",
                hcj_a_per_m,
                format!("0 < hcj_a_per_m <= {MAX_HCJ_A_PER_M:e} A/m (physical limit)"),
            ));
        }
        require_finite("alpha_br_pct_per_c", alpha_br_pct_per_c)?;
        require_finite("beta_hcj_pct_per_c", beta_hcj_pct_per_c)?;
        require_finite("reference_temperature_c", reference_temperature_c)?;
        require_finite("min_temperature_c", min_temperature_c)?;
        require_finite("max_working_temperature_c", max_temperature_c)?;
        if min_temperature_c >= max_temperature_c {
            return Err(MaterialsError::invalid(
                "max_working_temperature_c",
                max_temperature_c,
                format!("must exceed min_temperature_c = {min_temperature_c}"),
            ));
        }
        if !(mu_rec.is_finite() && (1.0..=2.0).contains(&mu_rec)) {
            return Err(MaterialsError::invalid("mu_rec", mu_rec, "1.0 ..= 2.0"));
        }
        if !(squareness.is_finite() && (0.2..=0.99).contains(&squareness)) {
            return Err(MaterialsError::invalid(
                "squareness",
                squareness,
                "0.2 ..= 0.99 (Hk/HcJ)",
            ));
        }
        let mut model = Self {
            br_t,
            hcj_a_per_m,
            alpha_br_pct_per_c,
            beta_hcj_pct_per_c,
            reference_temperature_c,
            min_temperature_c,
            max_temperature_c,
            mu_rec,
            squareness,
            k: 0.0,
        };
        model.k = solve_k(squareness);
        // Linear in T, so checking both ends covers the range.
        for t in [min_temperature_c, max_temperature_c] {
            let (br, hcj) = (model.br_unchecked(t), model.hcj_unchecked(t));
            if br <= 0.0 || hcj <= 0.0 {
                return Err(MaterialsError::invalid(
                    "alpha_br_pct_per_c/beta_hcj_pct_per_c",
                    format!("{alpha_br_pct_per_c}/{beta_hcj_pct_per_c}"),
                    format!("Br and HcJ must stay > 0 over {min_temperature_c} .. {max_temperature_c} °C (at {t} °C: Br = {br} T, HcJ = {hcj} A/m)"),
                ));
            }
            if br - (mu_rec - 1.0) * MU0 * hcj <= 0.0 {
                return Err(MaterialsError::invalid(
                    "mu_rec",
                    mu_rec,
                    format!("the recoil line must stay above J = 0 down to −HcJ (fails at {t} °C)"),
                ));
            }
        }
        Ok(model)
    }

    fn br_unchecked(&self, t: f64) -> f64 {
        self.br_t * (1.0 + self.alpha_br_pct_per_c / 100.0 * (t - self.reference_temperature_c))
    }

    fn hcj_unchecked(&self, t: f64) -> f64 {
        self.hcj_a_per_m
            * (1.0 + self.beta_hcj_pct_per_c / 100.0 * (t - self.reference_temperature_c))
    }

    /// Rejects NaN/inf and temperatures outside the model range.
    pub fn check_temperature(&self, t: f64) -> Result<f64> {
        require_finite("temperature_c", t)?;
        if t < self.min_temperature_c || t > self.max_temperature_c {
            return Err(MaterialsError::TemperatureOutOfRange {
                what: "this magnet grade".into(),
                value: t,
                min: self.min_temperature_c,
                max: self.max_temperature_c,
            });
        }
        Ok(t)
    }

    /// Remanence Br(T) in T.
    pub fn br_at(&self, t: f64) -> Result<f64> {
        self.check_temperature(t).map(|t| self.br_unchecked(t))
    }

    /// Intrinsic coercivity HcJ(T) in A/m.
    pub fn hcj_at(&self, t: f64) -> Result<f64> {
        self.check_temperature(t).map(|t| self.hcj_unchecked(t))
    }

    /// Knee field H_knee(T) = −s·HcJ(T) in A/m.
    pub fn knee_at(&self, t: f64) -> Result<f64> {
        Ok(-self.squareness * self.hcj_at(t)?)
    }

    /// Intrinsic polarisation J(H, T) in T.
    pub fn j_at(&self, h: f64, t: f64) -> Result<f64> {
        require_finite("h_a_per_m", h)?;
        let br = self.br_at(t)?;
        let hcj = self.hcj_unchecked(t);
        if h < -hcj {
            return Err(MaterialsError::invalid(
                "h_a_per_m",
                h,
                format!(
                    "must be >= -HcJ(T) = {} A/m at {t} °C (end of the second quadrant)",
                    -hcj
                ),
            ));
        }
        let x = -h / hcj;
        let j_rec = br + (self.mu_rec - 1.0) * MU0 * h;
        // At x = 1 exactly the product is 0 up to rounding; clamp tiny negatives.
        Ok((j_rec * (1.0 - knee_g(x, self.k))).max(0.0))
    }

    /// Flux density B(H, T) = μ0·H + J in T.
    pub fn b_at(&self, h: f64, t: f64) -> Result<f64> {
        Ok(MU0 * h + self.j_at(h, t)?)
    }

    /// Demagnetisation margin H − H_knee(T) in A/m (negative: beyond the knee).
    pub fn margin_at(&self, h: f64, t: f64) -> Result<f64> {
        require_finite("h_along_magnetisation", h)?;
        Ok(h - self.knee_at(t)?)
    }

    /// One quantity at one point.
    pub fn eval(&self, q: Quantity, h: f64, t: f64) -> Result<f64> {
        match q {
            Quantity::Br => self.br_at(t),
            Quantity::Hcj => self.hcj_at(t),
            Quantity::Knee => self.knee_at(t),
            Quantity::B => self.b_at(h, t),
            Quantity::J => self.j_at(h, t),
            Quantity::Margin => self.margin_at(h, t),
            Quantity::Hcb => self.hcb_at(t),
            Quantity::BhMax => self.bhmax_at(t),
        }
    }

    /// Vectorised evaluation. `t` has the length of the output; `h` has the same length when the
    /// quantity needs a field, and is ignored otherwise. The first invalid point is reported.
    pub fn eval_many(&self, q: Quantity, h: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        if q.needs_field() && h.len() != t.len() {
            return Err(MaterialsError::invalid(
                "h_a_per_m",
                format!("{} values", h.len()),
                format!("as many values as temperature_c ({})", t.len()),
            ));
        }
        t.iter()
            .enumerate()
            .map(|(i, &ti)| self.eval(q, h.get(i).copied().unwrap_or(0.0), ti))
            .collect()
    }

    /// Normal coercivity HcB(T) in A/m (positive number), where B(H) = 0, by bisection.
    pub fn hcb_at(&self, t: f64) -> Result<f64> {
        let hcj = self.hcj_at(t)?;
        let (mut lo, mut hi) = (-hcj, 0.0_f64);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if self.b_at(mid, t)? > 0.0 {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(-0.5 * (lo + hi))
    }

    /// Maximum energy product (BH)max(T) in J/m³ on the model curve (grid + golden section).
    pub fn bhmax_at(&self, t: f64) -> Result<f64> {
        let hcb = self.hcb_at(t)?;
        let energy = |h: f64| -> Result<f64> { Ok(-h * self.b_at(h, t)?) };
        let n = 400;
        let mut best = (0.0, 0.0);
        for i in 0..=n {
            let h = -hcb * f64::from(i) / f64::from(n);
            let e = energy(h)?;
            if e > best.1 {
                best = (h, e);
            }
        }
        let step = hcb / f64::from(n);
        let (mut a, mut b) = ((best.0 - step).max(-hcb), (best.0 + step).min(0.0));
        let r = 0.5 * (5.0_f64.sqrt() - 1.0);
        for _ in 0..60 {
            let c = b - r * (b - a);
            let d = a + r * (b - a);
            if energy(c)? > energy(d)? {
                b = d;
            } else {
                a = c;
            }
        }
        Ok(energy(0.5 * (a + b))?.max(best.1))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n42sh() -> DemagModel {
        DemagModel::new(1.30, 1592e3, -0.11, -0.55, 20.0, -60.0, 150.0, 1.05, 0.9).unwrap()
    }

    #[test]
    fn knee_shape_hits_its_definition() {
        let m = n42sh();
        let t = 20.0;
        let hk = m.knee_at(t).unwrap();
        let j_rec = m.br_at(t).unwrap() + (m.mu_rec - 1.0) * MU0 * hk;
        assert!((m.j_at(hk, t).unwrap() / j_rec - 0.9).abs() < 1e-9);
        assert!((m.j_at(0.0, t).unwrap() - 1.30).abs() < 1e-12);
        assert!(m.j_at(-m.hcj_at(t).unwrap(), t).unwrap().abs() < 1e-9);
    }

    #[test]
    fn temperature_model_is_the_datasheet_formula() {
        let m = n42sh();
        assert!((m.br_at(120.0).unwrap() - 1.30 * (1.0 - 0.11)).abs() < 1e-12);
        assert!((m.hcj_at(120.0).unwrap() - 1592e3 * (1.0 - 0.55)).abs() < 1e-6);
    }

    #[test]
    fn out_of_range_and_nan_are_errors() {
        let m = n42sh();
        assert!(matches!(
            m.br_at(151.0),
            Err(MaterialsError::TemperatureOutOfRange { .. })
        ));
        assert!(matches!(
            m.br_at(-61.0),
            Err(MaterialsError::TemperatureOutOfRange { .. })
        ));
        assert!(matches!(
            m.br_at(f64::NAN),
            Err(MaterialsError::InvalidInput { .. })
        ));
        assert!(matches!(
            m.b_at(f64::INFINITY, 20.0),
            Err(MaterialsError::InvalidInput { .. })
        ));
        assert!(m.b_at(-2000e3, 20.0).is_err());
    }

    #[test]
    fn invalid_models_are_rejected() {
        assert!(DemagModel::new(-1.0, 1e6, -0.1, -0.5, 20.0, -60.0, 150.0, 1.05, 0.9).is_err());
        assert!(DemagModel::new(1.0, 1e6, -0.1, -0.5, 20.0, 150.0, 100.0, 1.05, 0.9).is_err());
        assert!(DemagModel::new(1.0, 1e6, -0.1, -0.9, 20.0, -60.0, 150.0, 1.05, 0.9).is_err());
        assert!(DemagModel::new(1.0, 1e6, -0.1, -0.5, 20.0, -60.0, 100.0, 0.5, 0.9).is_err());
        assert!(DemagModel::new(1.0, 1e6, -0.1, -0.5, 20.0, -60.0, 100.0, 1.05, 1.5).is_err());
        assert!(DemagModel::new(0.2, 2e6, -0.1, -0.5, 20.0, -60.0, 100.0, 1.5, 0.9).is_err());
    }

    #[test]
    fn hcb_and_bhmax_of_a_linear_magnet() {
        // μrec = 1.05, square knee far below HcB: HcB ≈ Br/(μ0 μrec), BHmax ≈ Br²/(4 μ0 μrec).
        let m = DemagModel::new(1.2, 2500e3, -0.1, -0.5, 20.0, -60.0, 150.0, 1.05, 0.95).unwrap();
        let hcb = m.hcb_at(20.0).unwrap();
        assert!((hcb / (1.2 / (MU0 * 1.05)) - 1.0).abs() < 1e-3);
        let bh = m.bhmax_at(20.0).unwrap();
        assert!((bh / (1.44 / (4.0 * MU0 * 1.05)) - 1.0).abs() < 1e-3);
    }

    proptest! {
        #[test]
        fn b_is_monotone_in_h(t in -60.0..150.0_f64, a in 0.0..1.0_f64, b in 0.0..1.0_f64) {
            let m = n42sh();
            let hcj = m.hcj_at(t).unwrap();
            let (h1, h2) = (-a * hcj, -b * hcj);
            let (lo, hi) = if h1 < h2 { (h1, h2) } else { (h2, h1) };
            prop_assert!(m.b_at(lo, t).unwrap() <= m.b_at(hi, t).unwrap() + 1e-12);
            prop_assert!(m.j_at(lo, t).unwrap() <= m.j_at(hi, t).unwrap() + 1e-12);
        }

        #[test]
        fn knee_lies_in_the_second_quadrant(t in -60.0..150.0_f64, s in 0.2..0.99_f64) {
            let m = DemagModel::new(1.3, 1.6e6, -0.11, -0.55, 20.0, -60.0, 150.0, 1.05, s).unwrap();
            let k = m.knee_at(t).unwrap();
            let hcj = m.hcj_at(t).unwrap();
            prop_assert!(k < 0.0 && k > -hcj);
            prop_assert!(m.j_at(-hcj, t).unwrap().abs() < 1e-9);
        }

        #[test]
        fn ndfeb_margin_falls_with_temperature(h in -1.0e6..0.0_f64, t1 in -60.0..150.0_f64, dt in 0.0..50.0_f64) {
            let m = n42sh();
            let t2 = (t1 + dt).min(150.0);
            prop_assert!(m.margin_at(h, t2).unwrap() <= m.margin_at(h, t1).unwrap());
        }
    }
}
