//! Nonlinear steel wrapper: ν(B²), dν/dB² and the stored energy density W(B) = ∫₀^B H dB.

use repm_materials::steel::{BhCurve, MU0};

/// Gauss–Legendre 5-point nodes and weights on [-1, 1] (exact for polynomials of degree 9),
/// for the exponential tail.
const GL_X: [f64; 5] = [
    -0.906_179_845_938_664,
    -0.538_469_310_105_683,
    0.0,
    0.538_469_310_105_683,
    0.906_179_845_938_664,
];
const GL_W: [f64; 5] = [
    0.236_926_885_056_189,
    0.478_628_670_499_366,
    0.568_888_888_888_889,
    0.478_628_670_499_366,
    0.236_926_885_056_189,
];
/// Gauss–Legendre 2-point nodes ±1/√3 (weights 1), exact for the cubic H(B) pieces between
/// knots.
const GL2_X: f64 = 0.577_350_269_189_625_8;

#[derive(Debug, Clone)]
pub(crate) struct SteelModel {
    pub curve: BhCurve,
    /// Knot flux densities and ∫₀^{b_k} H dB at each knot.
    knots_b: Vec<f64>,
    cum_w: Vec<f64>,
}

impl SteelModel {
    pub fn new(curve: BhCurve) -> Self {
        let knots_b = curve.knots().1.to_vec();
        let mut cum_w = vec![0.0; knots_b.len()];
        for k in 1..knots_b.len() {
            cum_w[k] = cum_w[k - 1] + gauss(&curve, knots_b[k - 1], knots_b[k]);
        }
        SteelModel {
            curve,
            knots_b,
            cum_w,
        }
    }

    #[inline]
    pub fn nu_dnu(&self, b2: f64) -> (f64, f64) {
        self.curve.nu_dnu_scalar(b2)
    }

    /// Energy density W(|B|) = ∫₀^|B| H dB in J/m³. The H(B) pieces between knots are cubics
    /// (exact under 2-point Gauss; the cumulative knot values use 5 points); beyond the last knot the exponential tail is integrated on
    /// sub-intervals of 0.05 T.
    pub fn energy_density(&self, b: f64) -> f64 {
        let b = b.abs();
        let n = self.knots_b.len();
        let last = self.knots_b[n - 1];
        if b >= last {
            let pieces = ((b - last) / 0.05).ceil().max(1.0) as usize;
            let h = (b - last) / pieces as f64;
            let mut w = self.cum_w[n - 1];
            for p in 0..pieces {
                let lo = last + p as f64 * h;
                w += gauss(&self.curve, lo, lo + h);
            }
            return w;
        }
        let k = self.knots_b.partition_point(|&x| x <= b) - 1;
        self.cum_w[k] + gauss2(&self.curve, self.knots_b[k], b)
    }
}

/// Two-point rule on [lo, hi] inside one knot interval (H is a cubic there).
fn gauss2(curve: &BhCurve, lo: f64, hi: f64) -> f64 {
    let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    (curve.h_scalar(mid - half * GL2_X) + curve.h_scalar(mid + half * GL2_X)) * half
}

fn gauss(curve: &BhCurve, lo: f64, hi: f64) -> f64 {
    let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let mut s = 0.0;
    for (x, w) in GL_X.iter().zip(GL_W) {
        s += w * curve.h_scalar(mid + half * x);
    }
    s * half
}

/// Energy density of a linear element with remanence: ½ν|B − Br|² (J/m³).
#[inline]
pub(crate) fn linear_energy(nu: f64, b: [f64; 2], br: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - br[0], b[1] - br[1]);
    0.5 * nu * (dx * dx + dy * dy)
}

/// Co-energy density of a linear element with remanence: ½μH² + Br·H with H = ν(B − Br).
#[inline]
pub(crate) fn linear_coenergy(nu: f64, b: [f64; 2], br: [f64; 2]) -> f64 {
    let h = [nu * (b[0] - br[0]), nu * (b[1] - br[1])];
    0.5 * (h[0] * h[0] + h[1] * h[1]) / nu + br[0] * h[0] + br[1] * h[1]
}

#[allow(dead_code)]
pub(crate) const NU0: f64 = 1.0 / MU0;
