//! DC magnetisation curve of a soft-magnetic steel and its reluctivity ν(B²).
//!
//! # Interpolant and why
//!
//! Newton–Raphson magnetostatic FEM needs ν(B²) and dν/d(B²) that are continuous, exactly
//! consistent with each other, and a curve H(B) = ν·B that is strictly increasing (otherwise the
//! Jacobian loses definiteness). Splines of ν against B² are not monotone in H in general, and an
//! unconstrained cubic spline of H(B) overshoots near the knee of the curve. We therefore build
//! H(B) from the data with a **monotone piecewise cubic Hermite interpolant (Steffen 1990,
//! A&A 239, 443)**: it passes through every data point, is C¹ in B, and its knot slopes lie in
//! (0, 2·min(adjacent secants)], which keeps every cubic piece strictly increasing
//! (inside the Fritsch–Carlson square [0, 3]²).
//!
//! Two pieces are not plain Hermite cubics:
//!
//! * **First interval [0, B₁]**: H(B) = B·(ν₀ + ν₁·B²), i.e. ν is *linear in B²* there. Its two
//!   coefficients match H and dH/dB at B₁, so the curve stays C¹; ν(0) = ν₀ is finite and
//!   dν/d(B²) = ν₁ is finite at B = 0 (a Hermite cubic in B would make dν/d(B²) ∝ 1/B blow up).
//!   Because the knot slope m₁ ≤ 2·H₁/B₁, ν₀ = (3H₁/B₁ − m₁)/2 ≥ H₁/(2B₁) > 0.
//! * **Beyond the last point (B > B_N)**: the differential permeability relaxes to μ0,
//!   dH/dB = 1/μ0 + (m_N − 1/μ0)·exp(−(B − B_N)/w), so H(B) → H_N + (B − B_N)/μ0 + const and the
//!   polarisation J = B − μ0·H saturates at J_N + w·(1 − μ0·m_N). The decay width
//!   w = [`TAIL_WIDTH_T`] = 0.1 T is a **model assumption** (no data exist there). The join at
//!   B_N is C¹ by construction.
//!
//! For B > B₁, ν(s) = H(√s)/√s and dν/ds = (H'(B)·B − H)/(2B³), evaluated from the same
//! closed-form pieces, so the derivative is the exact derivative of the function.
//! The curve is odd: H(−B) = −H(B).
//!
//! # Stacking factor
//!
//! A lamination stack with stacking (space) factor k_f ∈ (0, 1] is homogenised before
//! interpolation: each data point (H, B) becomes (H, k_f·B + (1 − k_f)·μ0·H) (iron and the
//! insulating gaps see the same H parallel to the sheets). k_f = 1 leaves the data unchanged.

use crate::error::{require_finite, MaterialsError, Result};

/// Vacuum permeability μ0 in H/m (CODATA 2018).
pub const MU0: f64 = 1.256_637_062_12e-6;

/// Decay width in tesla of the differential permeability beyond the last data point
/// (model assumption, see the module documentation).
pub const TAIL_WIDTH_T: f64 = 0.1;

/// A validated, interpolated B-H curve. Immutable and cheap to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct BhCurve {
    /// Knot flux densities (T), starting at 0, strictly increasing.
    b: Vec<f64>,
    /// Knot field strengths (A/m), starting at 0, strictly increasing.
    h: Vec<f64>,
    /// dH/dB at the knots (A/m/T); `m[0]` is unused (the first piece is ν-linear in B²).
    m: Vec<f64>,
    nu0: f64,
    nu1: f64,
    stacking_factor: f64,
    /// Piece lookup (derived from `b`): `guide[c]` is the piece at the start of cell
    /// c = ⌊B·`guide_inv_step`⌋, a cell being at most one knot spacing wide, so a lookup is
    /// one table read and a step or two instead of a binary search over the knots (the
    /// nonlinear FEM evaluates the curve once per steel element and residual).
    guide: Vec<u32>,
    guide_inv_step: f64,
}

/// Most cells of the piece lookup table (curves with denser knots take a few more steps).
const GUIDE_MAX_CELLS: usize = 4096;

impl BhCurve {
    /// Builds the curve from DC B-H data (H in A/m, B in T). The point (0, 0) is added when it is
    /// not given. Errors name the offending index and value.
    pub fn new(h_a_per_m: &[f64], b_t: &[f64], stacking_factor: f64) -> Result<Self> {
        if h_a_per_m.len() != b_t.len() {
            return Err(MaterialsError::invalid(
                "bh_b_t",
                format!("{} values", b_t.len()),
                format!(
                    "must have as many values as bh_h_a_per_m ({})",
                    h_a_per_m.len()
                ),
            ));
        }
        let with_origin = matches!((h_a_per_m.first(), b_t.first()), (Some(&h0), Some(&b0)) if h0 == 0.0 && b0 == 0.0);
        let n_points = h_a_per_m.len() - usize::from(with_origin);
        if n_points < 2 || h_a_per_m.len() < 3 {
            return Err(MaterialsError::invalid(
                "bh_h_a_per_m",
                format!("{} points", h_a_per_m.len()),
                "at least 3 points are required (the origin (0, 0) is added if missing)",
            ));
        }
        if !(stacking_factor.is_finite() && stacking_factor > 0.0 && stacking_factor <= 1.0) {
            return Err(MaterialsError::invalid(
                "stacking_factor",
                stacking_factor,
                "must be in (0, 1]",
            ));
        }
        let mut h = vec![0.0];
        let mut b = vec![0.0];
        let start = usize::from(with_origin);
        let (mut prev_h, mut prev_b) = (0.0, 0.0);
        for i in start..h_a_per_m.len() {
            let hi = require_finite(&format!("bh_h_a_per_m[{i}]"), h_a_per_m[i])?;
            let bi = require_finite(&format!("bh_b_t[{i}]"), b_t[i])?;
            for (field, v, prev) in [("bh_h_a_per_m", hi, prev_h), ("bh_b_t", bi, prev_b)] {
                if v < 0.0 {
                    return Err(MaterialsError::invalid(
                        format!("{field}[{i}]"),
                        v,
                        "must be >= 0",
                    ));
                }
                if v <= prev {
                    return Err(MaterialsError::invalid(
                        format!("{field}[{i}]"),
                        v,
                        format!(
                            "values must be strictly increasing from the origin (0, 0): must be > {prev}"
                        ),
                    ));
                }
            }
            (prev_h, prev_b) = (hi, bi);
            h.push(hi);
            b.push(stacking_factor * bi + (1.0 - stacking_factor) * MU0 * hi);
        }
        let curve = Self::from_knots(h, b, stacking_factor);
        let (nu0, dnu0) = curve.nu_dnu_scalar(0.0);
        if !(nu0.is_finite() && dnu0.is_finite()) {
            return Err(MaterialsError::invalid(
                "bh_h_a_per_m/bh_b_t",
                format!("first points ({}, {})", h_a_per_m[1], b_t[1]),
                "give a finite reluctivity at B = 0: the B-H data are too small (subnormal) \
                 to interpolate; use values in A/m and T",
            ));
        }
        Ok(curve)
    }

    fn from_knots(h: Vec<f64>, b: Vec<f64>, stacking_factor: f64) -> Self {
        let n = b.len();
        let dx: Vec<f64> = (0..n - 1).map(|k| b[k + 1] - b[k]).collect();
        let sec: Vec<f64> = (0..n - 1).map(|k| (h[k + 1] - h[k]) / dx[k]).collect();
        let mut m = vec![0.0; n];
        // Steffen interior slopes: all secants are > 0 here.
        for i in 1..n - 1 {
            let p = (sec[i - 1] * dx[i] + sec[i] * dx[i - 1]) / (dx[i - 1] + dx[i]);
            m[i] = 2.0 * sec[i - 1].min(sec[i]).min(0.5 * p);
        }
        // Steffen end slope, kept in [secant/2, 2·secant] so that it stays strictly positive.
        let (s1, s2) = (sec[n - 2], sec[n - 3]);
        let (d1, d2) = (dx[n - 2], dx[n - 3]);
        let p_end = s1 * (1.0 + d1 / (d2 + d1)) - s2 * d1 / (d2 + d1);
        m[n - 1] = p_end.clamp(0.5 * s1, 2.0 * s1);
        let s0 = h[1] / b[1];
        let nu0 = 0.5 * (3.0 * s0 - m[1]);
        let nu1 = (m[1] - s0) / (2.0 * b[1] * b[1]);
        let (guide, guide_inv_step) = piece_guide(&b);
        Self {
            b,
            h,
            m,
            nu0,
            nu1,
            stacking_factor,
            guide,
            guide_inv_step,
        }
    }

    /// The knots actually interpolated (after adding the origin and applying the stacking factor):
    /// (H in A/m, B in T).
    pub fn knots(&self) -> (&[f64], &[f64]) {
        (&self.h, &self.b)
    }

    pub fn stacking_factor(&self) -> f64 {
        self.stacking_factor
    }

    /// Reluctivity at B = 0 (m/H).
    pub fn nu_at_zero(&self) -> f64 {
        self.nu0
    }

    /// H and dH/dB for B ≥ 0.
    fn h_dh(&self, b: f64) -> (f64, f64) {
        self.h_dh_piece(b, self.piece(b))
    }

    /// The piece that holds B ≥ 0 (see [`BhCurve::h_dh_piece`]): 0 up to b₁, n−1 beyond the
    /// last knot, else the k with b_k < B ≤ b_{k+1} (what a binary search over the knots
    /// gives; the guide table only picks the starting point).
    fn piece(&self, b: f64) -> usize {
        let n = self.b.len();
        if b <= self.b[1] {
            return 0;
        }
        if b > self.b[n - 1] || b.is_nan() {
            return n - 1;
        }
        // b₁ < B ≤ b_{n−1}: the answer is in 1..=n−2. The cell index is rounded, so step
        // back as well as forward (each loop runs at most once or twice).
        let cell = ((b * self.guide_inv_step) as usize).min(self.guide.len() - 1);
        let mut k = self.guide[cell] as usize;
        while k > 1 && self.b[k] >= b {
            k -= 1;
        }
        while self.b[k + 1] < b {
            k += 1;
        }
        k
    }

    /// H and dH/dB from piece `k` (0: ν linear in B²; 1..n−2: Hermite cubic on [b_k, b_k+1];
    /// n−1: the tail beyond the data), evaluated at any B ≥ 0.
    fn h_dh_piece(&self, b: f64, k: usize) -> (f64, f64) {
        let n = self.b.len();
        if k == 0 {
            let b2 = b * b;
            return (
                b * (self.nu0 + self.nu1 * b2),
                self.nu0 + 3.0 * self.nu1 * b2,
            );
        }
        if k >= n - 1 {
            let x = b - self.b[n - 1];
            let e = (-x / TAIL_WIDTH_T).exp();
            let excess = self.m[n - 1] - 1.0 / MU0;
            return (
                self.h[n - 1] + x / MU0 + excess * TAIL_WIDTH_T * (1.0 - e),
                1.0 / MU0 + excess * e,
            );
        }
        let dx = self.b[k + 1] - self.b[k];
        let t = (b - self.b[k]) / dx;
        let (t2, t3) = (t * t, t * t * t);
        let (h0, h1, m0, m1) = (self.h[k], self.h[k + 1], self.m[k], self.m[k + 1]);
        let val = (2.0 * t3 - 3.0 * t2 + 1.0) * h0
            + (t3 - 2.0 * t2 + t) * dx * m0
            + (-2.0 * t3 + 3.0 * t2) * h1
            + (t3 - t2) * dx * m1;
        let der = ((6.0 * t2 - 6.0 * t) * h0 + (-6.0 * t2 + 6.0 * t) * h1) / dx
            + (3.0 * t2 - 4.0 * t + 1.0) * m0
            + (3.0 * t2 - 2.0 * t) * m1;
        (val, der)
    }

    /// ν and dν/d(B²) at s = B² ≥ 0 (no validation).
    pub fn nu_dnu_scalar(&self, s: f64) -> (f64, f64) {
        let b = s.sqrt();
        if b <= self.b[1] {
            return (self.nu0 + self.nu1 * s, self.nu1);
        }
        let (h, dh) = self.h_dh(b);
        (h / b, (dh * b - h) / (2.0 * b * b * b))
    }

    /// H(B) for any real B (odd symmetry), no validation.
    pub fn h_scalar(&self, b: f64) -> f64 {
        b.signum() * self.h_dh(b.abs()).0
    }

    /// dH/dB at any real B.
    pub fn dh_db_scalar(&self, b: f64) -> f64 {
        self.h_dh(b.abs()).1
    }

    /// Inverse B(H) by safeguarded Newton (bisection fallback, bounded iterations: never hangs).
    pub fn b_scalar(&self, h: f64) -> f64 {
        if h == 0.0 {
            return 0.0;
        }
        let target = h.abs();
        let n = self.b.len();
        let (mut lo, mut hi) = if target >= self.h[n - 1] {
            let slope_min = self.m[n - 1].min(1.0 / MU0);
            (
                self.b[n - 1],
                self.b[n - 1] + (target - self.h[n - 1]) / slope_min,
            )
        } else {
            let k = self.h.partition_point(|&x| x <= target);
            (self.b[k - 1], self.b[k])
        };
        let mut x = 0.5 * (lo + hi);
        for _ in 0..200 {
            let (hv, dh) = self.h_dh(x);
            let f = hv - target;
            if f == 0.0 {
                break;
            }
            if f > 0.0 {
                hi = x;
            } else {
                lo = x;
            }
            let newton = x - f / dh;
            let next = if newton > lo && newton < hi {
                newton
            } else {
                0.5 * (lo + hi)
            };
            if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= f64::EPSILON * hi {
                x = next;
                break;
            }
            x = next;
        }
        h.signum() * x
    }

    /// ν(B²) in m/H for every B² (T²) given; B² must be finite and ≥ 0.
    pub fn nu(&self, b_squared: &[f64]) -> Result<Vec<f64>> {
        b_squared
            .iter()
            .enumerate()
            .map(|(i, &s)| check_b2(i, s).map(|s| self.nu_dnu_scalar(s).0))
            .collect()
    }

    /// dν/d(B²) in m/(H·T²), the exact derivative of [`BhCurve::nu`].
    pub fn dnu_db2(&self, b_squared: &[f64]) -> Result<Vec<f64>> {
        b_squared
            .iter()
            .enumerate()
            .map(|(i, &s)| check_b2(i, s).map(|s| self.nu_dnu_scalar(s).1))
            .collect()
    }

    /// H (A/m) from B (T); odd in B.
    pub fn h_from_b(&self, b_t: &[f64]) -> Result<Vec<f64>> {
        b_t.iter()
            .enumerate()
            .map(|(i, &b)| {
                let b = require_finite(&format!("b_t[{i}]"), b)?;
                let h = self.h_scalar(b);
                if h.is_finite() {
                    Ok(h)
                } else {
                    Err(MaterialsError::invalid(
                        format!("b_t[{i}]"),
                        b,
                        "gives a field H that overflows f64: use a physical flux density",
                    ))
                }
            })
            .collect()
    }

    /// B (T) from H (A/m); odd in H.
    pub fn b_from_h(&self, h_a_per_m: &[f64]) -> Result<Vec<f64>> {
        h_a_per_m
            .iter()
            .enumerate()
            .map(|(i, &h)| require_finite(&format!("h_a_per_m[{i}]"), h).map(|h| self.b_scalar(h)))
            .collect()
    }

    /// Relative (secant) permeability μr = B/(μ0·H) = 1/(μ0·ν) at flux density B (T).
    pub fn mu_r(&self, b_t: &[f64]) -> Result<Vec<f64>> {
        b_t.iter()
            .enumerate()
            .map(|(i, &b)| {
                let b = require_finite(&format!("b_t[{i}]"), b)?;
                if !(b * b).is_finite() {
                    return Err(MaterialsError::invalid(
                        format!("b_t[{i}]"),
                        b,
                        "must be finite with a finite B² (|B| < 1e154 T)",
                    ));
                }
                Ok(1.0 / (MU0 * self.nu_dnu_scalar(b * b).0))
            })
            .collect()
    }
}

/// Lookup table of [`BhCurve::piece`] for knots `b` (0 = b₀ < b₁ < … , at least 3): cells
/// of equal width, at most the smallest knot spacing beyond b₁, each holding the piece of its
/// start (clamped to 1..=n−2, the cubic pieces).
fn piece_guide(b: &[f64]) -> (Vec<u32>, f64) {
    let n = b.len();
    let last = b[n - 1];
    let spacing = b[1..].windows(2).map(|w| w[1] - w[0]).fold(last, f64::min);
    let cells = ((last / spacing).ceil() as usize).clamp(1, GUIDE_MAX_CELLS);
    let step = last / cells as f64;
    let guide = (0..=cells)
        .map(|c| {
            let start = c as f64 * step;
            let k = b.partition_point(|&x| x < start).saturating_sub(1);
            k.clamp(1, n - 2) as u32
        })
        .collect();
    (guide, 1.0 / step)
}

fn check_b2(i: usize, s: f64) -> Result<f64> {
    if s.is_finite() && s >= 0.0 {
        Ok(s)
    } else {
        Err(MaterialsError::invalid(
            format!("b_squared[{i}]"),
            s,
            "must be finite and >= 0 (it is B² in T²)",
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m400() -> BhCurve {
        // First points of the M400-50A table (pyleecan), enough for a knee and saturation.
        let h = [
            0.0, 100.0, 150.0, 180.0, 200.0, 250.0, 500.0, 1000.0, 2500.0, 8000.0, 20000.0,
        ];
        let b = [0.0, 0.5, 0.7, 0.8, 0.9, 1.0, 1.3, 1.45, 1.6, 1.8, 1.95];
        BhCurve::new(&h, &b, 1.0).unwrap()
    }

    /// Random valid curves: increments in H and B strictly positive.
    fn curve_strategy() -> impl Strategy<Value = BhCurve> {
        (
            prop::collection::vec((1e-3f64..1e4, 1e-3f64..0.5), 3..12),
            prop::bool::ANY,
            0.5f64..=1.0,
        )
            .prop_map(|(steps, origin, kf)| {
                let mut h = vec![];
                let mut b = vec![];
                if origin {
                    h.push(0.0);
                    b.push(0.0);
                }
                let (mut hh, mut bb) = (0.0, 0.0);
                for (dh, db) in steps {
                    hh += dh;
                    bb += db;
                    h.push(hh);
                    b.push(bb);
                }
                BhCurve::new(&h, &b, kf).unwrap()
            })
    }

    #[test]
    fn passes_through_data_and_adds_origin() {
        let c = BhCurve::new(&[84.0, 107.0, 121.0, 133.0], &[0.1, 0.2, 0.3, 0.4], 1.0).unwrap();
        let (h, b) = c.knots();
        assert_eq!(h[0], 0.0);
        assert_eq!(b[0], 0.0);
        for (hk, bk) in h.iter().zip(b) {
            assert!((c.h_scalar(*bk) - hk).abs() <= 1e-9 * hk.max(1.0));
        }
    }

    #[test]
    fn rejects_bad_data_naming_index() {
        let e = BhCurve::new(&[0.0, 10.0, 5.0, 20.0], &[0.0, 0.1, 0.2, 0.3], 1.0).unwrap_err();
        assert!(e.to_string().contains("bh_h_a_per_m[2]"), "{e}");
        let e = BhCurve::new(&[10.0, 20.0, 30.0], &[0.1, f64::NAN, 0.3], 1.0).unwrap_err();
        assert!(e.to_string().contains("bh_b_t[1]"), "{e}");
        let e = BhCurve::new(&[-1.0, 20.0, 30.0], &[0.1, 0.2, 0.3], 1.0).unwrap_err();
        assert!(e.to_string().contains("bh_h_a_per_m[0]"), "{e}");
        assert!(BhCurve::new(&[0.0, 1.0, 2.0], &[0.0, 0.1, 0.2], 1.0).is_ok());
        assert!(BhCurve::new(&[0.0, 1.0], &[0.0, 0.1], 1.0).is_err());
        assert!(BhCurve::new(&[1.0, 2.0], &[0.1, 0.2], 1.0).is_err());
        assert!(BhCurve::new(&[1.0, 2.0, 3.0], &[0.1, 0.2], 1.0).is_err());
        assert!(BhCurve::new(&[1.0, 2.0, 3.0], &[0.1, 0.2, 0.3], 1.5).is_err());
        // (0, B>0) is not a valid first point: H must rise strictly from the origin.
        assert!(BhCurve::new(&[0.0, 2.0, 3.0], &[0.1, 0.2, 0.3], 1.0).is_err());
        assert!(c_err_b2().is_err());
    }

    fn c_err_b2() -> Result<Vec<f64>> {
        m400().nu(&[1.0, -0.1])
    }

    #[test]
    fn tail_slope_tends_to_mu0() {
        let c = m400();
        let slope = c.dh_db_scalar(10.0);
        assert!((slope * MU0 - 1.0).abs() < 1e-12);
        // Asymptotic form H_N + (B − B_N)/μ0 + constant.
        let d = (c.h_scalar(12.0) - c.h_scalar(11.0)) * MU0;
        assert!((d - 1.0).abs() < 1e-9);
    }

    #[test]
    fn stacking_factor_dilutes_flux() {
        let full = m400();
        let h = [0.0, 100.0, 150.0, 180.0, 200.0, 250.0, 500.0];
        let b = [0.0, 0.5, 0.7, 0.8, 0.9, 1.0, 1.3];
        let c = BhCurve::new(&h, &b, 0.95).unwrap();
        let bb = c.b_scalar(500.0);
        assert!((bb - (0.95 * 1.3 + 0.05 * MU0 * 500.0)).abs() < 1e-12);
        assert!(bb < full.b_scalar(500.0));
    }

    /// The piece by binary search over the knots (what the guide table must reproduce).
    fn piece_by_search(c: &BhCurve, b: f64) -> usize {
        let n = c.b.len();
        if b <= c.b[1] {
            0
        } else if b > c.b[n - 1] {
            n - 1
        } else {
            c.b.partition_point(|&x| x < b) - 1
        }
    }

    #[test]
    fn piece_lookup_on_the_m400_knots_and_between_them() {
        let c = m400();
        for k in 0..c.b.len() {
            for b in [
                c.b[k],
                c.b[k].next_up(),
                c.b[k].next_down().max(0.0),
                c.b[k] + 1e-3,
            ] {
                assert_eq!(c.piece(b), piece_by_search(&c, b), "B = {b}");
            }
        }
        assert_eq!(c.piece(f64::NAN), c.b.len() - 1);
    }

    proptest! {
        #[test]
        fn piece_lookup_equals_binary_search(
            c in curve_strategy(), u in 0.0f64..1.2, k in 0usize..12, side in -1i8..=1,
        ) {
            // Random points and the knots themselves (and their neighbours in f64).
            let (_, b) = c.knots();
            let last = b[b.len() - 1];
            let mut x = u * last;
            if k < b.len() {
                x = match side { -1 => b[k].next_down().max(0.0), 0 => b[k], _ => b[k].next_up() };
            }
            prop_assert_eq!(c.piece(x), piece_by_search(&c, x));
        }

        #[test]
        fn nu_positive_and_h_increasing(c in curve_strategy(), u in 0.0f64..1.0, v in 0.0f64..1.0) {
            let (_, b) = c.knots();
            let bmax = 1.5 * b[b.len() - 1] + 0.3;
            let (x, y) = (u * bmax, v * bmax);
            let (nu, _) = c.nu_dnu_scalar(x * x);
            prop_assert!(nu > 0.0);
            prop_assert!(c.dh_db_scalar(x) > 0.0);
            if x < y {
                prop_assert!(c.h_scalar(x) < c.h_scalar(y));
            }
        }

        #[test]
        fn c1_at_knots(c in curve_strategy()) {
            // Left and right pieces agree in H, dH/dB and hence in ν and dν/d(B²) at every knot.
            let (_, b) = c.knots();
            for (k, &bk) in b.iter().enumerate().skip(1) {
                let (hl, dl) = c.h_dh_piece(bk, k - 1);
                let (hr, dr) = c.h_dh_piece(bk, k);
                prop_assert!((hl - hr).abs() <= 1e-9 * hl.abs().max(1e-9), "H {} vs {} at knot {}", hl, hr, k);
                prop_assert!((dl - dr).abs() <= 1e-9 * dl.abs().max(dr.abs()), "dH/dB {} vs {} at knot {}", dl, dr, k);
                let dnu = |h: f64, d: f64| (d * bk - h) / (2.0 * bk.powi(3));
                let (ql, qr) = (dnu(hl, dl), dnu(hr, dr));
                if k == 1 {
                    prop_assert!((c.nu1 - qr).abs() <= 1e-6 * (c.nu0 / (bk * bk)), "{} vs {}", c.nu1, qr);
                } else {
                    prop_assert!((ql - qr).abs() <= 1e-6 * (hl / bk.powi(3)));
                }
            }
        }

        #[test]
        fn derivative_matches_finite_difference(c in curve_strategy(), u in 0.0f64..1.0) {
            let (_, b) = c.knots();
            let s = (u * 1.3 * b[b.len() - 1]).powi(2) + 1e-6;
            let d = 1e-6 * s.max(1e-3);
            let (np, _) = c.nu_dnu_scalar(s + d);
            let (nm, _) = c.nu_dnu_scalar((s - d).max(0.0));
            let fd = (np - nm) / (s + d - (s - d).max(0.0));
            let (_, an) = c.nu_dnu_scalar(s);
            let scale = an.abs().max(c.nu_at_zero() / s.max(1e-3)).max(1.0);
            prop_assert!((fd - an).abs() <= 1e-4 * scale, "fd={} an={} s={}", fd, an, s);
        }

        #[test]
        fn inverse_round_trip(c in curve_strategy(), u in -1.0f64..1.0) {
            let (_, b) = c.knots();
            let x = u * 1.6 * b[b.len() - 1];
            let h = c.h_scalar(x);
            let back = c.b_scalar(h);
            prop_assert!((back - x).abs() <= 1e-10 * x.abs().max(1e-3), "{} vs {}", back, x);
        }

        #[test]
        fn slope_tends_to_mu0_beyond_data(c in curve_strategy(), extra in 2.0f64..10.0) {
            let (_, b) = c.knots();
            let x = b[b.len() - 1] + extra;
            // dB/dH → μ0: at ≥ 20 decay widths the excess is below e^-20 of its initial value.
            let m_end = c.dh_db_scalar(b[b.len() - 1]);
            let excess = (c.dh_db_scalar(x) * MU0 - 1.0).abs();
            prop_assert!(excess <= 1e-8 * (m_end * MU0 - 1.0).abs().max(1.0));
        }

        #[test]
        fn interpolates_data(c in curve_strategy()) {
            let (h, b) = c.knots();
            for (hk, bk) in h.iter().zip(b) {
                prop_assert!((c.h_scalar(*bk) - hk).abs() <= 1e-9 * hk.max(1.0));
            }
        }
    }
}
