//! Iron-loss models of laminated steel and their least-squares fit.
//!
//! * **Bertotti** (loss separation): p = kh·f·B^α + kc·(f·B)² + ke·(f·B)^1.5, p in W/kg, f in Hz,
//!   B the peak flux density in T of a sinusoidal induction. Parameters `[kh, alpha, kc, ke]`.
//!   The classical eddy-current coefficient of a lamination of thickness d, electrical resistivity
//!   ρ_e and density ρ_m is kc = π²·d²/(6·ρ_e·ρ_m) ([`classical_kc`]).
//! * **Steinmetz**: p = k·f^a·B^b. Parameters `[k, a, b]`.
//!
//! The fit minimises the sum of squared **relative** errors (loss tables span four decades) with a
//! projected Levenberg–Marquardt iteration on the free parameters, bounded so that every
//! coefficient is ≥ 0 and exponents stay physical (α, b in [1, 4]; a in [1, 3]). The start point is
//! global for the linear coefficients (variable projection): for fixed α the Bertotti model is
//! linear in (kh, kc, ke) and is solved exactly by non-negative least squares (enumerating active
//! sets); α is scanned on a grid and refined by golden-section search. The Steinmetz start is the
//! log-linear least-squares solution.
//!
//! With a **single frequency** the terms cannot be separated: kc must be given (or derived from the
//! lamination) and ke is held at 0, so kh·B^α absorbs the excess loss; for Steinmetz, a = 1.
//! Predictions at other frequencies are then extrapolations.

use thiserror::Error;

use crate::error::{MaterialsError, Result};

/// Which loss formula a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossFormula {
    Bertotti,
    Steinmetz,
}

impl LossFormula {
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "bertotti" => Ok(Self::Bertotti),
            "steinmetz" => Ok(Self::Steinmetz),
            _ => Err(MaterialsError::invalid(
                "model",
                format!("'{name}'"),
                "must be 'bertotti' or 'steinmetz'",
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Bertotti => "bertotti",
            Self::Steinmetz => "steinmetz",
        }
    }

    /// Parameter names, in the order of [`IronLossModel::params`].
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            Self::Bertotti => &["kh", "alpha", "kc", "ke"],
            Self::Steinmetz => &["k", "a", "b"],
        }
    }
}

/// A loss model with its coefficients (SI: W/kg with f in Hz and B in T).
#[derive(Debug, Clone, PartialEq)]
pub struct IronLossModel {
    pub formula: LossFormula,
    pub params: Vec<f64>,
}

impl IronLossModel {
    pub fn new(formula: LossFormula, params: &[f64]) -> Result<Self> {
        let names = formula.param_names();
        if params.len() != names.len() {
            return Err(MaterialsError::invalid(
                "params",
                format!("{} values", params.len()),
                format!("the {} model needs {}", formula.name(), names.join(", ")),
            ));
        }
        for (name, &v) in names.iter().zip(params) {
            if !(v.is_finite() && v >= 0.0) {
                return Err(MaterialsError::invalid(*name, v, "must be finite and >= 0"));
            }
        }
        Ok(Self {
            formula,
            params: params.to_vec(),
        })
    }

    fn eval(&self, f: f64, b: f64) -> f64 {
        eval_params(self.formula, &self.params, f, b)
    }

    /// Specific loss in W/kg for each (f in Hz, B peak in T) pair; f and B finite and ≥ 0.
    pub fn loss_w_per_kg(&self, f_hz: &[f64], b_peak_t: &[f64]) -> Result<Vec<f64>> {
        check_same_len("b_peak_t", b_peak_t.len(), f_hz.len())?;
        f_hz.iter()
            .zip(b_peak_t)
            .enumerate()
            .map(|(i, (&f, &b))| {
                let f = nonneg(&format!("f_hz[{i}]"), f)?;
                let b = nonneg(&format!("b_peak_t[{i}]"), b)?;
                let p = self.eval(f, b);
                if p.is_finite() {
                    Ok(p)
                } else {
                    Err(MaterialsError::invalid(
                        format!("(f_hz[{i}], b_peak_t[{i}])"),
                        format!("({f}, {b})"),
                        "the loss overflows f64: use physically meaningful f and B",
                    ))
                }
            })
            .collect()
    }
}

fn eval_params(formula: LossFormula, p: &[f64], f: f64, b: f64) -> f64 {
    match formula {
        LossFormula::Bertotti => {
            let fb = f * b;
            p[0] * f * b.powf(p[1]) + p[2] * fb * fb + p[3] * fb.powf(1.5)
        }
        LossFormula::Steinmetz => p[0] * f.powf(p[1]) * b.powf(p[2]),
    }
}

/// Classical eddy-current coefficient kc = π²·d²/(6·ρ_e·ρ_m) in W/kg/(Hz·T)², for a lamination of
/// thickness d (m), electrical resistivity ρ_e (Ω·m) and density ρ_m (kg/m³), sinusoidal B.
pub fn classical_kc(
    thickness_m: f64,
    resistivity_ohm_m: f64,
    density_kg_per_m3: f64,
) -> Result<f64> {
    let d = crate::error::require_positive("lamination_thickness_m", thickness_m)?;
    let r = crate::error::require_positive("resistivity_ohm_m", resistivity_ohm_m)?;
    let m = crate::error::require_positive("density_kg_per_m3", density_kg_per_m3)?;
    let kc = std::f64::consts::PI.powi(2) * d * d / (6.0 * r * m);
    if kc.is_finite() {
        Ok(kc)
    } else {
        Err(MaterialsError::invalid(
            "lamination_thickness_m",
            thickness_m,
            "kc = π²·d²/(6·ρ_e·ρ_m) overflows f64 with this thickness, resistivity and density",
        ))
    }
}

/// Errors of the loss fit: bad input, or an iteration that did not converge.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error(transparent)]
    Input(#[from] MaterialsError),
    #[error("iron-loss fit ({model}) did not converge: {detail}")]
    NoConvergence { model: String, detail: String },
}

/// Options of [`fit_iron_loss`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    pub formula: LossFormula,
    /// Bertotti only: hold kc at this value (W/kg/(Hz·T)²); `None` fits it.
    pub kc_fixed: Option<f64>,
    /// Maximum Levenberg–Marquardt iterations.
    pub max_iter: usize,
}

/// A fitted model with its quality against the data it was fitted to.
#[derive(Debug, Clone, PartialEq)]
pub struct IronLossFit {
    pub model: IronLossModel,
    /// Root-mean-square of the relative errors (model − data)/data.
    pub rms_rel_error: f64,
    /// Largest absolute relative error.
    pub max_rel_error: f64,
    pub n_points: usize,
    pub iterations: usize,
    /// Names of the parameters held fixed.
    pub fixed: Vec<&'static str>,
}

fn nonneg(field: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(MaterialsError::invalid(field, v, "must be finite and >= 0"))
    }
}

fn check_same_len(field: &str, n: usize, expected: usize) -> Result<()> {
    if n == expected {
        Ok(())
    } else {
        Err(MaterialsError::invalid(
            field,
            format!("{n} values"),
            format!("must have as many values as f_hz ({expected})"),
        ))
    }
}

/// Fits a loss model to measured points (f in Hz, B peak in T, p in W/kg; all > 0).
pub fn fit_iron_loss(
    f_hz: &[f64],
    b_peak_t: &[f64],
    p_w_per_kg: &[f64],
    options: &FitOptions,
) -> std::result::Result<IronLossFit, FitError> {
    let n = f_hz.len();
    check_same_len("b_peak_t", b_peak_t.len(), n)?;
    check_same_len("p_w_per_kg", p_w_per_kg.len(), n)?;
    if n < 4 {
        return Err(MaterialsError::invalid(
            "f_hz",
            format!("{n} points"),
            "at least 4 loss points are required",
        )
        .into());
    }
    for (field, data) in [
        ("f_hz", f_hz),
        ("b_peak_t", b_peak_t),
        ("p_w_per_kg", p_w_per_kg),
    ] {
        for (i, &v) in data.iter().enumerate() {
            crate::error::require_positive(&format!("{field}[{i}]"), v)?;
        }
    }
    if options.max_iter == 0 {
        return Err(MaterialsError::invalid("max_iter", 0, "must be >= 1").into());
    }
    let multi_f = f_hz.iter().any(|&f| (f - f_hz[0]).abs() > 1e-9 * f_hz[0]);
    let formula = options.formula;
    // (start values, lower, upper, free mask)
    let (x0, lower, upper, free): (Vec<f64>, Vec<f64>, Vec<f64>, Vec<bool>) = match formula {
        LossFormula::Bertotti => {
            let kc_fixed = match options.kc_fixed {
                Some(kc) => Some(nonneg("kc", kc)?),
                None => None,
            };
            let x0 = bertotti_start(f_hz, b_peak_t, p_w_per_kg, kc_fixed, multi_f);
            (
                x0,
                vec![0.0, 1.0, 0.0, 0.0],
                vec![f64::INFINITY, 4.0, f64::INFINITY, f64::INFINITY],
                vec![true, true, kc_fixed.is_none(), multi_f],
            )
        }
        LossFormula::Steinmetz => {
            let x0 = steinmetz_start(f_hz, b_peak_t, p_w_per_kg, multi_f);
            (
                x0,
                vec![0.0, 1.0, 1.0],
                vec![f64::INFINITY, 3.0, 4.0],
                vec![true, multi_f, true],
            )
        }
    };
    let resid_jac = |x: &[f64], r: &mut [f64], jac: &mut [Vec<f64>]| {
        for i in 0..n {
            let (f, b, p) = (f_hz[i], b_peak_t[i], p_w_per_kg[i]);
            r[i] = eval_params(formula, x, f, b) / p - 1.0;
            let row = &mut jac[i];
            let lb = b.ln();
            match formula {
                LossFormula::Bertotti => {
                    let fb = f * b;
                    let hyst = f * b.powf(x[1]);
                    row[0] = hyst / p;
                    row[1] = x[0] * hyst * lb / p;
                    row[2] = fb * fb / p;
                    row[3] = fb.powf(1.5) / p;
                }
                LossFormula::Steinmetz => {
                    let v = f.powf(x[1]) * b.powf(x[2]);
                    row[0] = v / p;
                    row[1] = x[0] * v * f.ln() / p;
                    row[2] = x[0] * v * lb / p;
                }
            }
        }
    };
    let (x, iterations) =
        levenberg_marquardt(x0, &lower, &upper, &free, n, options.max_iter, resid_jac).map_err(
            |detail| FitError::NoConvergence {
                model: formula.name().to_string(),
                detail,
            },
        )?;
    let model = IronLossModel { formula, params: x };
    let rel: Vec<f64> = (0..n)
        .map(|i| model.eval(f_hz[i], b_peak_t[i]) / p_w_per_kg[i] - 1.0)
        .collect();
    let rms_rel_error = (rel.iter().map(|e| e * e).sum::<f64>() / n as f64).sqrt();
    let max_rel_error = rel.iter().fold(0.0f64, |a, e| a.max(e.abs()));
    let fixed = formula
        .param_names()
        .iter()
        .zip(&free)
        .filter(|(_, &fr)| !fr)
        .map(|(nm, _)| *nm)
        .collect();
    Ok(IronLossFit {
        model,
        rms_rel_error,
        max_rel_error,
        n_points: n,
        iterations,
        fixed,
    })
}

/// Global start for Bertotti (variable projection): for fixed α the model is linear in
/// (kh, kc, ke) and solved exactly by non-negative least squares; α is scanned on a grid over
/// [1, 4] and refined by golden-section search around the best grid point. Levenberg–Marquardt
/// then only polishes, which keeps it fast on the curved kh–α valley.
fn bertotti_start(
    f: &[f64],
    b: &[f64],
    p: &[f64],
    kc_fixed: Option<f64>,
    multi_f: bool,
) -> Vec<f64> {
    let profile = |alpha: f64| -> Option<(f64, Vec<f64>)> {
        // Columns: kh, kc (if free), ke (if free). Target: 1 − fixed-kc part, all divided by p.
        let mut cols: Vec<Vec<f64>> = vec![(0..f.len())
            .map(|i| f[i] * b[i].powf(alpha) / p[i])
            .collect()];
        let mut which = vec![0usize];
        if kc_fixed.is_none() {
            cols.push((0..f.len()).map(|i| (f[i] * b[i]).powi(2) / p[i]).collect());
            which.push(2);
        }
        if multi_f {
            cols.push(
                (0..f.len())
                    .map(|i| (f[i] * b[i]).powf(1.5) / p[i])
                    .collect(),
            );
            which.push(3);
        }
        let rhs: Vec<f64> = (0..f.len())
            .map(|i| 1.0 - kc_fixed.map_or(0.0, |kc| kc * (f[i] * b[i]).powi(2) / p[i]))
            .collect();
        let (cost, coef) = nnls_enumerate(&cols, &rhs)?;
        let mut x = vec![0.0, alpha, kc_fixed.unwrap_or(0.0), 0.0];
        for (k, &j) in which.iter().enumerate() {
            x[j] = coef[k];
        }
        Some((cost, x))
    };
    let mut best = (f64::INFINITY, vec![0.0, 2.0, kc_fixed.unwrap_or(0.0), 0.0]);
    for step in 0..=60 {
        if let Some((cost, x)) = profile(1.0 + 0.05 * f64::from(step)) {
            if cost < best.0 {
                best = (cost, x);
            }
        }
    }
    // Golden-section refinement of α on [α* − 0.05, α* + 0.05] ∩ [1, 4].
    let inv_phi = (5f64.sqrt() - 1.0) / 2.0;
    let (mut lo, mut hi) = ((best.1[1] - 0.05).max(1.0), (best.1[1] + 0.05).min(4.0));
    let cost_at = |a: f64| profile(a).map_or(f64::INFINITY, |(c, _)| c);
    let (mut x1, mut x2) = (hi - inv_phi * (hi - lo), lo + inv_phi * (hi - lo));
    let (mut c1, mut c2) = (cost_at(x1), cost_at(x2));
    for _ in 0..60 {
        if c1 <= c2 {
            hi = x2;
            (x2, c2) = (x1, c1);
            x1 = hi - inv_phi * (hi - lo);
            c1 = cost_at(x1);
        } else {
            lo = x1;
            (x1, c1) = (x2, c2);
            x2 = lo + inv_phi * (hi - lo);
            c2 = cost_at(x2);
        }
    }
    if let Some((cost, x)) = profile(0.5 * (lo + hi)) {
        if cost < best.0 {
            best = (cost, x);
        }
    }
    best.1
}

/// Log-linear least-squares start for Steinmetz: ln p = ln k + a ln f + b ln B.
fn steinmetz_start(f: &[f64], b: &[f64], p: &[f64], multi_f: bool) -> Vec<f64> {
    let mut cols = vec![
        vec![1.0; f.len()],
        b.iter().map(|v| v.ln()).collect::<Vec<_>>(),
    ];
    if multi_f {
        cols.push(f.iter().map(|v| v.ln()).collect());
    }
    let rhs: Vec<f64> = (0..f.len())
        .map(|i| p[i].ln() - if multi_f { 0.0 } else { f[i].ln() })
        .collect();
    match least_squares(&cols, &rhs) {
        Some(c) => {
            let a = if multi_f { c[2].clamp(1.0, 3.0) } else { 1.0 };
            vec![c[0].exp(), a, c[1].clamp(1.0, 4.0)]
        }
        None => vec![1e-3, 1.0, 2.0],
    }
}

/// Unconstrained linear least squares via normal equations (small, well-scaled problems).
fn least_squares(cols: &[Vec<f64>], rhs: &[f64]) -> Option<Vec<f64>> {
    let k = cols.len();
    let mut a = vec![vec![0.0; k]; k];
    let mut g = vec![0.0; k];
    for i in 0..k {
        for j in 0..k {
            a[i][j] = cols[i].iter().zip(&cols[j]).map(|(x, y)| x * y).sum();
        }
        g[i] = cols[i].iter().zip(rhs).map(|(x, y)| x * y).sum();
    }
    solve_spd(a, g)
}

/// Non-negative least squares by enumerating the active sets (at most 3 columns here).
fn nnls_enumerate(cols: &[Vec<f64>], rhs: &[f64]) -> Option<(f64, Vec<f64>)> {
    let k = cols.len();
    let mut best: Option<(f64, Vec<f64>)> = None;
    for mask in 1u32..(1 << k) {
        let idx: Vec<usize> = (0..k).filter(|j| mask & (1 << j) != 0).collect();
        let sub: Vec<Vec<f64>> = idx.iter().map(|&j| cols[j].clone()).collect();
        let Some(c) = least_squares(&sub, rhs) else {
            continue;
        };
        if c.iter().any(|&v| v.is_nan() || v < 0.0) {
            continue;
        }
        let mut full = vec![0.0; k];
        for (t, &j) in idx.iter().enumerate() {
            full[j] = c[t];
        }
        let cost: f64 = (0..rhs.len())
            .map(|i| {
                let m: f64 = (0..k).map(|j| full[j] * cols[j][i]).sum();
                (m - rhs[i]).powi(2)
            })
            .sum();
        if best.as_ref().is_none_or(|(bc, _)| cost < *bc) {
            best = Some((cost, full));
        }
    }
    best
}

/// Solves a small symmetric positive (semi)definite system by Gaussian elimination with partial
/// pivoting; `None` if singular.
fn solve_spd(mut a: Vec<Vec<f64>>, mut g: Vec<f64>) -> Option<Vec<f64>> {
    let k = g.len();
    let scale = (0..k).map(|i| a[i][i].abs()).fold(0.0f64, f64::max);
    for c in 0..k {
        let piv = (c..k).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[piv][c].is_nan() || a[piv][c].abs() <= 1e-13 * scale {
            return None;
        }
        a.swap(c, piv);
        g.swap(c, piv);
        for r in c + 1..k {
            let fct = a[r][c] / a[c][c];
            let pivot_row = a[c].clone();
            for (dst, src) in a[r].iter_mut().zip(&pivot_row).skip(c) {
                *dst -= fct * src;
            }
            g[r] -= fct * g[c];
        }
    }
    let mut x = vec![0.0; k];
    for c in (0..k).rev() {
        let s: f64 = (c + 1..k).map(|j| a[c][j] * x[j]).sum();
        x[c] = (g[c] - s) / a[c][c];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Projected Levenberg–Marquardt on the free parameters. Returns the parameters and the number of
/// iterations, or a message if it did not converge within `max_iter`.
fn levenberg_marquardt<F>(
    mut x: Vec<f64>,
    lower: &[f64],
    upper: &[f64],
    free: &[bool],
    m: usize,
    max_iter: usize,
    resid_jac: F,
) -> std::result::Result<(Vec<f64>, usize), String>
where
    F: Fn(&[f64], &mut [f64], &mut [Vec<f64>]),
{
    let np = x.len();
    let idx: Vec<usize> = (0..np).filter(|&j| free[j]).collect();
    let mut r = vec![0.0; m];
    let mut jac = vec![vec![0.0; np]; m];
    let cost_of = |r: &[f64]| r.iter().map(|v| v * v).sum::<f64>();
    resid_jac(&x, &mut r, &mut jac);
    let mut cost = cost_of(&r);
    if !cost.is_finite() {
        return Err(format!("non-finite residual at the start point {x:?}"));
    }
    let mut lambda = 1e-3;
    let mut r_new = vec![0.0; m];
    let mut jac_new = vec![vec![0.0; np]; m];
    for iter in 1..=max_iter {
        // Gradient step direction g = −Jᵀr on the free parameters; parameters sitting on a bound
        // with the descent direction pointing outwards are held for this iteration (projection).
        let g_all: Vec<f64> = (0..np)
            .map(|j| -(0..m).map(|i| jac[i][j] * r[i]).sum::<f64>())
            .collect();
        let act: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&j| {
                !((x[j] <= lower[j] && g_all[j] <= 0.0) || (x[j] >= upper[j] && g_all[j] >= 0.0))
            })
            .collect();
        if act.is_empty() {
            return Ok((x, iter));
        }
        let k = act.len();
        let mut a = vec![vec![0.0; k]; k];
        let mut g = vec![0.0; k];
        for (p, &jp) in act.iter().enumerate() {
            for (q, &jq) in act.iter().enumerate() {
                a[p][q] = (0..m).map(|i| jac[i][jp] * jac[i][jq]).sum();
            }
            g[p] = g_all[jp];
        }
        // Converged when the projected gradient is negligible against the curvature scale.
        let gnorm = (0..k)
            .map(|p| g[p].abs() * x[act[p]].abs().max(1e-300) / cost.max(1e-300))
            .fold(0.0f64, f64::max);
        if gnorm < 1e-10 || cost < 1e-28 {
            return Ok((x, iter));
        }
        let diag: Vec<f64> = (0..k).map(|p| a[p][p].max(1e-30)).collect();
        loop {
            let mut damped = a.clone();
            for p in 0..k {
                damped[p][p] += lambda * diag[p];
            }
            let step = solve_spd(damped, g.clone());
            let mut trial = x.clone();
            if let Some(step) = &step {
                for (p, &j) in act.iter().enumerate() {
                    trial[j] = (x[j] + step[p]).clamp(lower[j], upper[j]);
                }
            }
            resid_jac(&trial, &mut r_new, &mut jac_new);
            let new_cost = cost_of(&r_new);
            if step.is_some() && new_cost.is_finite() && new_cost < cost {
                let moved = act
                    .iter()
                    .map(|&j| (trial[j] - x[j]).abs() / x[j].abs().max(1e-300))
                    .fold(0.0f64, f64::max);
                let decrease = (cost - new_cost) / cost.max(1e-300);
                x = trial;
                std::mem::swap(&mut r, &mut r_new);
                std::mem::swap(&mut jac, &mut jac_new);
                cost = new_cost;
                lambda = (lambda / 3.0).max(1e-12);
                if decrease < 1e-12 || moved < 1e-12 {
                    return Ok((x, iter));
                }
                break;
            }
            lambda *= 4.0;
            if lambda > 1e12 {
                // No downhill step exists even with tiny steps: a (bound-constrained) minimum.
                return Ok((x, iter));
            }
        }
    }
    Err(format!(
        "no convergence within max_iter = {max_iter} iterations (sum of squared relative errors {cost:.3e})"
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn overflowing_outputs_are_input_errors() {
        assert!(matches!(
            classical_kc(1e160, 4.6e-7, 7650.0),
            Err(MaterialsError::InvalidInput { .. })
        ));
        let m = IronLossModel::new(LossFormula::Steinmetz, &[1.0, 2.0, 2.0]).unwrap();
        assert!(m.loss_w_per_kg(&[1e200], &[1.0]).is_err());
        assert!(m.loss_w_per_kg(&[50.0], &[1.0]).unwrap()[0].is_finite());
    }

    fn grid(model: &IronLossModel, freqs: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let (mut f, mut b) = (vec![], vec![]);
        for &fr in freqs {
            for k in 1..=15 {
                f.push(fr);
                b.push(0.1 * f64::from(k));
            }
        }
        let p = model.loss_w_per_kg(&f, &b).unwrap();
        (f, b, p)
    }

    #[test]
    fn classical_kc_of_m400() {
        // π²·(0.5 mm)²/(6 · 4.6e-7 Ω·m · 7650 kg/m³)
        let kc = classical_kc(0.0005, 4.6e-7, 7650.0).unwrap();
        assert!((kc - 1.16866e-4).abs() < 1e-8, "{kc}");
        assert!(classical_kc(0.0, 4.6e-7, 7650.0).is_err());
    }

    #[test]
    fn rejects_bad_input() {
        let o = FitOptions {
            formula: LossFormula::Bertotti,
            kc_fixed: None,
            max_iter: 100,
        };
        assert!(matches!(
            fit_iron_loss(&[50.0; 3], &[1.0; 3], &[1.0; 3], &o),
            Err(FitError::Input(_))
        ));
        let e = fit_iron_loss(&[50.0; 4], &[0.5, 1.0, f64::NAN, 1.5], &[1.0; 4], &o).unwrap_err();
        assert!(e.to_string().contains("b_peak_t[2]"), "{e}");
        assert!(fit_iron_loss(&[50.0; 4], &[1.0; 4], &[1.0, 1.0, -1.0, 1.0], &o).is_err());
        assert!(LossFormula::parse("nope").is_err());
    }

    #[test]
    fn overflowing_model_is_a_convergence_error() {
        // Finite data whose model terms overflow f64: no step can be evaluated.
        let f = [1e160, 2e160, 3e160, 4e160];
        let b = [1e150, 1e150, 1e150, 1e150];
        let o = FitOptions {
            formula: LossFormula::Bertotti,
            kc_fixed: None,
            max_iter: 200,
        };
        let e = fit_iron_loss(&f, &b, &[1.0; 4], &o).unwrap_err();
        assert!(matches!(e, FitError::NoConvergence { .. }), "{e}");
    }

    #[test]
    fn noisy_fits_converge_quickly() {
        // Deterministic 10 % multiplicative "noise": the variable-projection start leaves LM
        // only a polish.
        let truth = IronLossModel::new(LossFormula::Bertotti, &[0.02, 1.8, 1.2e-4, 8e-4]).unwrap();
        let (f, b, p) = grid(&truth, &[50.0, 400.0, 1000.0]);
        let p: Vec<f64> = p
            .iter()
            .enumerate()
            .map(|(i, v)| v * (1.0 + 0.1 * ((i as f64) * 1.7).sin()))
            .collect();
        let o = FitOptions {
            formula: LossFormula::Bertotti,
            kc_fixed: None,
            max_iter: 20,
        };
        let fit = fit_iron_loss(&f, &b, &p, &o).unwrap();
        assert!(fit.rms_rel_error < 0.1, "{fit:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn bertotti_recovers_coefficients(kh in 0.005f64..0.05, alpha in 1.5f64..2.5,
                                          kc in 2e-5f64..3e-4, ke in 1e-4f64..3e-3, fix_kc in any::<bool>()) {
            let truth = IronLossModel::new(LossFormula::Bertotti, &[kh, alpha, kc, ke]).unwrap();
            let (f, b, p) = grid(&truth, &[50.0, 200.0, 1000.0]);
            let o = FitOptions { formula: LossFormula::Bertotti, kc_fixed: fix_kc.then_some(kc), max_iter: 500 };
            let fit = fit_iron_loss(&f, &b, &p, &o).unwrap();
            let x = &fit.model.params;
            prop_assert!(fit.max_rel_error < 1e-6, "{:?} {}", x, fit.max_rel_error);
            prop_assert!((x[0] - kh).abs() < 1e-4 * kh, "{:?}", x);
            prop_assert!((x[1] - alpha).abs() < 1e-4, "{:?}", x);
            prop_assert!((x[2] - kc).abs() < 1e-3 * kc, "{:?}", x);
            prop_assert!((x[3] - ke).abs() < 1e-3 * ke, "{:?}", x);
        }

        #[test]
        fn steinmetz_recovers_coefficients(k in 1e-3f64..1e-1, a in 1.1f64..1.9, bexp in 1.5f64..2.8) {
            let truth = IronLossModel::new(LossFormula::Steinmetz, &[k, a, bexp]).unwrap();
            let (f, b, p) = grid(&truth, &[50.0, 400.0]);
            let o = FitOptions { formula: LossFormula::Steinmetz, kc_fixed: None, max_iter: 200 };
            let fit = fit_iron_loss(&f, &b, &p, &o).unwrap();
            let x = &fit.model.params;
            prop_assert!((x[0] - k).abs() < 1e-6 * k && (x[1] - a).abs() < 1e-8 && (x[2] - bexp).abs() < 1e-8, "{:?}", x);
        }
    }
}
