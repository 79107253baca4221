//! Current control on a flux map: MTPA, maximum torque within the limits (MTPA, field
//! weakening, MTPV), minimum-loss / minimum-current operation, corner speed.
//!
//! Currents are searched along rays from the origin of the dq plane: `id = −I sin β`,
//! `iq = s I cos β` (s = +1 motoring, −1 generating by the map symmetry), β ∈ [β_lo, π/2] with
//! β_lo = −π/2 when the map has positive id, else 0. The model assumptions that make this exact
//! for ordinary PM machines (and the linear machine): along a ray the shaft torque grows with I
//! and the voltage amplitude is unimodal (one minimum); along the torque contour the loss has one
//! minimum after the coarse sampling (48 rays + the envelope's ray). The map grid must contain
//! the origin (id range spans 0, iq grid starts at 0).

use std::f64::consts::FRAC_PI_2;

use rayon::prelude::*;

use crate::drive::{
    evaluate, loss_torque, shaft_torque, voltage, Drive, Point, PointColumns, LIMIT_TOL,
    RAD_S_PER_RPM,
};
use crate::interp::{FluxGrid, TORQUE};
use crate::{input_err, MachineError};

const SAMPLES: usize = 48;
const GOLDEN_ITERS: usize = 64;
const BISECT_ITERS: usize = 64;

/// What the operating-point search minimises at a given torque and speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Machine + inverter losses (maximum efficiency).
    MinLoss,
    /// Current amplitude (MTPA below the corner speed, then field weakening).
    MinCurrent,
}

/// The map must contain the origin of the dq plane for the ray search.
pub fn check_grid(grid: &FluxGrid) -> Result<(), MachineError> {
    let (x0, x1) = grid.id_range();
    if !(x0 < 0.0 && x1 >= 0.0) {
        return Err(input_err(
            "id_a",
            format!("the drive model needs id_a[0] < 0 <= id_a[-1], got [{x0}, {x1}]"),
        ));
    }
    if grid.iq_range().0 != 0.0 {
        return Err(input_err(
            "iq_a",
            format!(
                "the drive model needs iq_a[0] == 0, got {}",
                grid.iq_range().0
            ),
        ));
    }
    Ok(())
}

#[inline]
fn ray(beta: f64, s: f64, i: f64) -> (f64, f64) {
    (-i * beta.sin(), s * i * beta.cos())
}

fn beta_range(grid: &FluxGrid) -> (f64, f64) {
    let lo = if grid.id_range().1 > 0.0 {
        -FRAC_PI_2
    } else {
        0.0
    };
    (lo, FRAC_PI_2)
}

/// Largest current amplitude on the ray that stays on the grid (and <= cap).
fn ray_limit(grid: &FluxGrid, beta: f64, cap: f64) -> f64 {
    let (x0, x1) = grid.id_range();
    let y1 = grid.iq_range().1;
    let (sb, cb) = (beta.sin(), beta.cos());
    let mut lim = cap;
    if sb > 0.0 {
        lim = lim.min(-x0 / sb);
    } else if sb < 0.0 {
        lim = lim.min(x1 / -sb);
    }
    if cb > 0.0 {
        lim = lim.min(y1 / cb);
    }
    // stay a hair inside the grid against round-off in sin/cos
    (lim * (1.0 - 1e-12)).max(0.0)
}

/// Golden-section minimum of `f` on [a, b]: (x, f(x)).
fn golden_min<F: FnMut(f64) -> f64>(mut a: f64, mut b: f64, mut f: F) -> (f64, f64) {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..GOLDEN_ITERS {
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    if fc <= fd {
        (c, fc)
    } else {
        (d, fd)
    }
}

/// Bisection between a point where `ok` holds and one where it does not: the last good point.
fn bisect<F: FnMut(f64) -> bool>(mut good: f64, mut bad: f64, mut ok: F) -> f64 {
    for _ in 0..BISECT_ITERS {
        let mid = 0.5 * (good + bad);
        if mid == good || mid == bad {
            break;
        }
        if ok(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    good
}

/// Largest current amplitude on ray (β, s) within the current limit, the grid and the voltage
/// limit at speed ω_m; `None` if no point of the ray meets the voltage limit.
fn feasible_current(grid: &FluxGrid, d: &Drive, omega_m: f64, beta: f64, s: f64) -> Option<f64> {
    let lim = ray_limit(grid, beta, d.i_max_a);
    let u_at = |i: f64| {
        let (x, y) = ray(beta, s, i);
        voltage(grid, d, omega_m, x, y).unwrap_or(f64::INFINITY)
    };
    let u_ok = |i: f64| u_at(i) <= d.u_max_v;
    if u_ok(lim) {
        return Some(lim);
    }
    let (i_min, u_min) = golden_min(0.0, lim, u_at);
    if u_min > d.u_max_v {
        return None;
    }
    Some(bisect(i_min, lim, u_ok))
}

/// Sample `g` on [lo, hi] (plus optional extra abscissae), then golden-refine its minimum
/// between the neighbours of the best sample. `g` returns +inf where undefined.
fn minimise_1d<F: Fn(f64) -> f64>(lo: f64, hi: f64, extra: &[f64], g: F) -> Option<(f64, f64)> {
    let mut xs: Vec<f64> = (0..=SAMPLES)
        .map(|k| lo + (hi - lo) * k as f64 / SAMPLES as f64)
        .chain(
            extra
                .iter()
                .copied()
                .filter(|x| x.is_finite() && *x >= lo && *x <= hi),
        )
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let vals: Vec<f64> = xs.iter().map(|&x| g(x)).collect();
    let (k, &best) = vals.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    if !best.is_finite() {
        return None;
    }
    // Endpoints of the refinement bracket: the neighbours, or the feasibility boundary
    // between the best sample and an infeasible neighbour.
    let side = |j: Option<usize>| -> f64 {
        match j {
            None => xs[k],
            Some(j) if vals[j].is_finite() => xs[j],
            Some(j) => bisect(xs[k], xs[j], |x| g(x).is_finite()),
        }
    };
    let a = side(k.checked_sub(1));
    let b = side(if k + 1 < xs.len() { Some(k + 1) } else { None });
    let (x, fx) = golden_min(a, b, &g);
    let mut cands = [(xs[k], best), (x, fx), (a, g(a)), (b, g(b))];
    cands.sort_by(|p, q| p.1.total_cmp(&q.1));
    Some(cands[0])
}

/// Maximum-torque-per-ampere point at current amplitude `i_a` (motoring): the ray angle β
/// maximising the map torque on the circle; `None` if the circle leaves the grid everywhere.
pub fn mtpa(grid: &FluxGrid, i_a: f64) -> Option<(f64, f64, f64)> {
    let (lo, hi) = beta_range(grid);
    let g = |beta: f64| {
        let (x, y) = ray(beta, 1.0, i_a);
        grid.eval(x, y).map_or(f64::INFINITY, |v| -v[TORQUE])
    };
    let (beta, _) = minimise_1d(lo, hi, &[], g)?;
    let (x, y) = ray(beta, 1.0, i_a);
    let t = grid.eval(x, y)?[TORQUE];
    Some((x, y, t))
}

/// MTPA points at each current amplitude (see [`mtpa`]).
pub fn mtpa_points(grid: &FluxGrid, i_a: &[f64]) -> Vec<Option<(f64, f64, f64)>> {
    i_a.par_iter().map(|&i| mtpa(grid, i)).collect()
}

/// The point of maximum shaft torque (s = +1) or most negative shaft torque (s = −1) within
/// the current and voltage limits at speed ω_m, with its ray angle.
pub fn max_torque(grid: &FluxGrid, d: &Drive, omega_m: f64, s: f64) -> Option<(Point, f64)> {
    let (lo, hi) = beta_range(grid);
    let g = |beta: f64| match feasible_current(grid, d, omega_m, beta, s) {
        Some(i) => {
            let (x, y) = ray(beta, s, i);
            shaft_torque(grid, d, omega_m, x, y).map_or(f64::INFINITY, |t| -s * t)
        }
        None => f64::INFINITY,
    };
    let (beta, _) = minimise_1d(lo, hi, &[], g)?;
    let i = feasible_current(grid, d, omega_m, beta, s)?;
    let (x, y) = ray(beta, s, i);
    Some((evaluate(grid, d, omega_m, x, y)?, beta))
}

/// Current amplitude on ray (β, s) giving shaft torque `t` at ω_m (Illinois regula falsi).
fn current_for_torque(
    grid: &FluxGrid,
    d: &Drive,
    omega_m: f64,
    beta: f64,
    s: f64,
    t: f64,
) -> Option<f64> {
    let lim = ray_limit(grid, beta, f64::INFINITY);
    let h = |i: f64| {
        let (x, y) = ray(beta, s, i);
        shaft_torque(grid, d, omega_m, x, y).map(|tq| s * (tq - t))
    };
    let (mut a, mut fa) = (0.0, h(0.0)?);
    if fa >= 0.0 {
        return (fa == 0.0).then_some(0.0);
    }
    let (mut b, mut fb) = (lim, h(lim)?);
    if fb < 0.0 {
        return None;
    }
    let tol = 1e-14 * lim.max(1.0);
    let mut side = 0i8;
    for _ in 0..200 {
        let c = (a * fb - b * fa) / (fb - fa);
        let c = if c.is_finite() && c > a && c < b {
            c
        } else {
            0.5 * (a + b)
        };
        let fc = h(c)?;
        if fc == 0.0 || (b - a) < tol {
            return Some(c);
        }
        if fc < 0.0 {
            a = c;
            fa = fc;
            if side == -1 {
                fb *= 0.5;
            }
            side = -1;
        } else {
            b = c;
            fb = fc;
            if side == 1 {
                fa *= 0.5;
            }
            side = 1;
        }
    }
    Some(if fa.abs() < fb.abs() { a } else { b })
}

/// The operating point giving shaft torque `t` [N·m] at ω_m [rad/s] that minimises the
/// objective within the limits; `None` outside the envelope. `hint` is an extra ray angle to
/// try (e.g. the envelope's).
pub fn solve(
    grid: &FluxGrid,
    d: &Drive,
    omega_m: f64,
    t: f64,
    objective: Objective,
    hint: Option<f64>,
) -> Option<Point> {
    if !(omega_m.is_finite() && omega_m >= 0.0 && t.is_finite()) {
        return None;
    }
    let c0 = grid.eval(0.0, 0.0)?;
    let s = if t + loss_torque(grid, d, &c0, omega_m) >= 0.0 {
        1.0
    } else {
        -1.0
    };
    let (lo, hi) = beta_range(grid);
    let point = |beta: f64| -> Option<Point> {
        let i = current_for_torque(grid, d, omega_m, beta, s, t)?;
        let (x, y) = ray(beta, s, i);
        evaluate(grid, d, omega_m, x, y).filter(|p| p.feasible)
    };
    let cost = |p: &Point| match objective {
        Objective::MinLoss => p.machine_losses_w() + p.p_inverter_w,
        Objective::MinCurrent => p.id_a.hypot(p.iq_a),
    };
    let g = |beta: f64| point(beta).map_or(f64::INFINITY, |p| cost(&p));
    let extra: Vec<f64> = hint.into_iter().collect();
    let (beta, _) = minimise_1d(lo, hi, &extra, g)?;
    point(beta)
}

/// Corner (base) speed, rad/s: the highest speed at which the MTPA point at the current limit
/// meets the voltage limit. `None` if that point is off the grid.
pub fn corner_speed(grid: &FluxGrid, d: &Drive) -> Option<f64> {
    let (x, y, _) = mtpa(grid, d.i_max_a)?;
    let ok = |w: f64| voltage(grid, d, w, x, y).is_some_and(|u| u <= d.u_max_v);
    if !ok(0.0) {
        return Some(0.0);
    }
    let mut hi = 1.0;
    for _ in 0..1100 {
        if !ok(hi) {
            return Some(bisect(0.0, hi, ok));
        }
        hi *= 2.0;
        if !hi.is_finite() {
            break;
        }
    }
    Some(f64::INFINITY)
}

/// Envelope at each speed: (motoring max-torque point, generating min-torque point).
pub fn envelope(grid: &FluxGrid, d: &Drive, omega_m: &[f64]) -> Vec<[Option<Point>; 2]> {
    omega_m
        .par_iter()
        .map(|&w| {
            if !(w.is_finite() && w >= 0.0) {
                return [None, None];
            }
            [
                max_torque(grid, d, w, 1.0).map(|p| p.0),
                max_torque(grid, d, w, -1.0).map(|p| p.0),
            ]
        })
        .collect()
}

/// Operating points at scattered (ω_m, torque) pairs; `None` outside the envelope.
pub fn solve_points(
    grid: &FluxGrid,
    d: &Drive,
    omega_m: &[f64],
    torque: &[f64],
    objective: Objective,
) -> Vec<Option<Point>> {
    omega_m
        .par_iter()
        .zip(torque.par_iter())
        .map(|(&w, &t)| solve_with_envelope(grid, d, w, t, objective, None))
        .collect()
}

fn solve_with_envelope(
    grid: &FluxGrid,
    d: &Drive,
    w: f64,
    t: f64,
    objective: Objective,
    env: Option<&[Option<(Point, f64)>; 2]>,
) -> Option<Point> {
    if !(w.is_finite() && w >= 0.0 && t.is_finite()) {
        return None;
    }
    let computed;
    let env = match env {
        Some(e) => e,
        None => {
            computed = [max_torque(grid, d, w, 1.0), max_torque(grid, d, w, -1.0)];
            &computed
        }
    };
    let (edge, beta) = if t >= 0.0 { env[0]? } else { env[1]? };
    let beyond = if t >= 0.0 {
        t > edge.torque_nm + LIMIT_TOL * edge.torque_nm.abs()
    } else {
        t < edge.torque_nm - LIMIT_TOL * edge.torque_nm.abs()
    };
    if beyond {
        return None;
    }
    solve(grid, d, w, t, objective, Some(beta)).or_else(|| {
        // on the envelope itself within round-off: the envelope point
        ((t - edge.torque_nm).abs() <= 1e-9 * edge.torque_nm.abs().max(1e-12)).then_some(edge)
    })
}

/// Efficiency map on the grid speeds × torques (row-major, speed major); `None` outside the
/// envelope. The envelope is computed once per speed.
pub fn efficiency_map(
    grid: &FluxGrid,
    d: &Drive,
    omega_m: &[f64],
    torque: &[f64],
    objective: Objective,
) -> Vec<Option<Point>> {
    let envs: Vec<[Option<(Point, f64)>; 2]> = omega_m
        .par_iter()
        .map(|&w| {
            if !(w.is_finite() && w >= 0.0) {
                return [None, None];
            }
            [max_torque(grid, d, w, 1.0), max_torque(grid, d, w, -1.0)]
        })
        .collect();
    let nt = torque.len();
    (0..omega_m.len() * nt)
        .into_par_iter()
        .map(|k| {
            let (a, b) = (k / nt, k % nt);
            solve_with_envelope(grid, d, omega_m[a], torque[b], objective, Some(&envs[a]))
        })
        .collect()
}

/// Operating points at given speeds [rpm] and currents [A peak] (no search), written straight
/// into `out` (see [`PointColumns`]; NaN / not valid off the map), in parallel over fixed
/// chunks. The inputs are validated in the same pass: errors name the first offending input
/// (`speed_rpm` non-finite or negative, `id_a` or `iq_a` non-finite), or the lengths if they
/// differ.
pub fn evaluate_points_into(
    grid: &FluxGrid,
    d: &Drive,
    speed_rpm: &[f64],
    id: &[f64],
    iq: &[f64],
    out: PointColumns<'_>,
) -> Result<(), MachineError> {
    const CHUNK: usize = 2048;
    let n = speed_rpm.len();
    if id.len() != n || iq.len() != n || out.common_len() != Some(n) {
        return Err(input_err(
            "speed_rpm/id_a/iq_a",
            format!(
                "inputs and outputs need equal lengths, got {n}, {}, {} and outputs {:?}",
                id.len(),
                iq.len(),
                out.common_len()
            ),
        ));
    }
    let mut tasks = Vec::with_capacity(n.div_ceil(CHUNK));
    let (mut rest, mut start) = (out, 0);
    while start < n {
        let k = CHUNK.min(n - start);
        let (head, tail) = rest.split_at(k);
        tasks.push((start, head));
        rest = tail;
        start += k;
    }
    let bad = tasks
        .into_par_iter()
        .map(|(start, mut cols)| {
            let end = start + cols.valid.len();
            let rows = speed_rpm[start..end]
                .iter()
                .zip(&id[start..end])
                .zip(&iq[start..end]);
            let mut bad = false;
            for (j, ((&s, &x), &y)) in rows.enumerate() {
                cols.speed_rpm[j] = s;
                let p = evaluate(grid, d, s * RAD_S_PER_RPM, x, y);
                // bad inputs always give None: the check costs nothing on the map
                if p.is_none() {
                    bad |= !(s.is_finite() && s >= 0.0 && x.is_finite() && y.is_finite());
                }
                cols.set(j, p.as_ref());
            }
            bad
        })
        .reduce(|| false, |a, b| a || b);
    if bad {
        return Err(first_bad_input(speed_rpm, id, iq));
    }
    Ok(())
}

/// The error for the first invalid input array, in the order speed, id, iq.
fn first_bad_input(speed_rpm: &[f64], id: &[f64], iq: &[f64]) -> MachineError {
    let finite = "values must be finite (found NaN or inf)";
    if speed_rpm.iter().any(|v| !v.is_finite()) {
        input_err("speed_rpm", finite)
    } else if let Some(v) = speed_rpm.iter().find(|&&v| v < 0.0) {
        input_err(
            "speed_rpm",
            format!("speeds must be >= 0 rpm (generating = negative torque), got {v}"),
        )
    } else if id.iter().any(|v| !v.is_finite()) {
        input_err("id_a", finite)
    } else if iq.iter().any(|v| !v.is_finite()) {
        input_err("iq_a", finite)
    } else {
        input_err("speed_rpm/id_a/iq_a", "invalid input")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::interp::tests::linear;

    fn lossless(u: f64, i: f64) -> Drive {
        Drive {
            u_max_v: u,
            i_max_a: i,
            r_dc_ohm: 0.0,
            ac_coeff_per_hz2: 0.0,
            friction_w_per_rpm: 0.0,
            windage_w_per_rpm3: 0.0,
            inverter_w_per_a: 0.0,
            inverter_w_per_a2: 0.0,
        }
    }

    fn lin_lossless(psi_m: f64, ld: f64, lq: f64, i_max: f64) -> FluxGrid {
        // loss coefficients zero
        let n = 21;
        let id: Vec<f64> = (0..n)
            .map(|k| -i_max + 1.2 * i_max * k as f64 / 20.0)
            .collect();
        let iq: Vec<f64> = (0..n).map(|k| i_max * k as f64 / 20.0).collect();
        let mut f = vec![Vec::new(); 7];
        for &x in &id {
            for &y in &iq {
                f[0].push(psi_m + ld * x);
                f[1].push(lq * y);
                f[2].push(6.0 * ((psi_m + ld * x) * y - lq * y * x));
                for v in f.iter_mut().skip(3) {
                    v.push(0.0);
                }
            }
        }
        FluxGrid::new(
            &id,
            &iq,
            [&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]],
            4,
            3,
        )
        .unwrap()
    }

    /// Owned output columns for [`evaluate_points_into`].
    struct Cols {
        speed: Vec<f64>,
        values: Vec<Vec<f64>>,
        feasible: Vec<bool>,
        valid: Vec<bool>,
    }

    impl Cols {
        fn new(n: usize) -> Self {
            Self {
                speed: vec![0.0; n],
                values: vec![vec![0.0; n]; crate::drive::NVALUES],
                feasible: vec![false; n],
                valid: vec![false; n],
            }
        }

        fn view(&mut self) -> PointColumns<'_> {
            let v: Vec<&mut [f64]> = self.values.iter_mut().map(|c| &mut c[..]).collect();
            PointColumns {
                speed_rpm: &mut self.speed,
                values: v.try_into().unwrap(),
                feasible: &mut self.feasible,
                valid: &mut self.valid,
            }
        }
    }

    fn field_of(e: MachineError) -> String {
        let MachineError::Input { field, .. } = e;
        field
    }

    #[test]
    fn batch_matches_pointwise_evaluate() {
        let g = linear(0.1, 1e-3, 2e-3, 4, 100.0);
        let d = Drive {
            r_dc_ohm: 0.05,
            ac_coeff_per_hz2: 1e-7,
            friction_w_per_rpm: 0.01,
            inverter_w_per_a: 1.0,
            ..lossless(200.0, 90.0)
        };
        // several chunks plus a partial one; some points off the map (|iq| > 100, id > 20)
        let n = 5003;
        let s: Vec<f64> = (0..n).map(|k| (k % 97) as f64 * 60.0).collect();
        let x: Vec<f64> = (0..n).map(|k| -110.0 + (k * 37 % 140) as f64).collect();
        let y: Vec<f64> = (0..n).map(|k| -110.0 + (k * 53 % 220) as f64).collect();
        let mut c = Cols::new(n);
        evaluate_points_into(&g, &d, &s, &x, &y, c.view()).unwrap();
        let mut off = 0;
        for k in 0..n {
            assert_eq!(c.speed[k], s[k]);
            match evaluate(&g, &d, s[k] * RAD_S_PER_RPM, x[k], y[k]) {
                Some(p) => {
                    assert!(c.valid[k]);
                    assert_eq!(c.feasible[k], p.feasible);
                    for (col, v) in c.values.iter().zip(p.columns()) {
                        assert_eq!(col[k].to_bits(), v.to_bits(), "point {k}");
                    }
                }
                None => {
                    off += 1;
                    assert!(!c.valid[k] && !c.feasible[k]);
                    assert!(c.values.iter().all(|col| col[k].is_nan()));
                }
            }
        }
        assert!(off > 0 && off < n);
    }

    #[test]
    fn batch_errors_name_the_input() {
        let g = linear(0.1, 1e-3, 2e-3, 4, 100.0);
        let d = lossless(200.0, 90.0);
        let n = 3000;
        let ok = |v: f64| vec![v; n];
        let mut c = Cols::new(n);
        let cases: [(usize, usize, f64, &str); 5] = [
            (0, 2999, f64::NAN, "speed_rpm"),
            (0, 10, -1.0, "speed_rpm"),
            (1, 2500, f64::INFINITY, "id_a"),
            (2, 0, f64::NAN, "iq_a"),
            (2, 7, f64::NEG_INFINITY, "iq_a"),
        ];
        for (which, at, bad, field) in cases {
            let mut a = [ok(100.0), ok(-10.0), ok(20.0)];
            a[which][at] = bad;
            let e = evaluate_points_into(&g, &d, &a[0], &a[1], &a[2], c.view()).unwrap_err();
            assert_eq!(field_of(e), field);
        }
        // off the map is not an error
        let (s, x, y) = (ok(100.0), ok(-500.0), ok(20.0));
        evaluate_points_into(&g, &d, &s, &x, &y, c.view()).unwrap();
        assert!(c.valid.iter().all(|v| !v));
        // lengths
        let e = evaluate_points_into(&g, &d, &s[1..], &x[1..], &y[1..], c.view()).unwrap_err();
        assert_eq!(field_of(e), "speed_rpm/id_a/iq_a");
    }

    #[test]
    fn mtpa_matches_closed_form() {
        let (psi_m, ld, lq, i) = (0.1, 1e-3, 2e-3, 100.0);
        let g = linear(psi_m, ld, lq, 4, 120.0);
        let (x, _, _) = mtpa(&g, i).unwrap();
        let dl = lq - ld;
        let exact = (psi_m - (psi_m * psi_m + 8.0 * dl * dl * i * i).sqrt()) / (4.0 * dl);
        assert!((x - exact).abs() < 1e-6 * i, "{x} vs {exact}");
    }

    #[test]
    fn corner_speed_matches_closed_form() {
        let (psi_m, ld, lq, i) = (0.1, 1e-3, 2e-3, 100.0);
        let g = lin_lossless(psi_m, ld, lq, 120.0);
        let d = lossless(100.0, i);
        let dl = lq - ld;
        let x = (psi_m - (psi_m * psi_m + 8.0 * dl * dl * i * i).sqrt()) / (4.0 * dl);
        let y = (i * i - x * x).sqrt();
        let flux = (psi_m + ld * x).hypot(lq * y);
        let w = corner_speed(&g, &d).unwrap();
        let exact = 100.0 / flux / 4.0;
        assert!((w - exact).abs() < 1e-6 * exact, "{w} vs {exact}");
    }

    #[test]
    fn min_loss_point_meets_torque_and_limits() {
        let g = linear(0.1, 1e-3, 2e-3, 4, 120.0);
        let d = Drive {
            r_dc_ohm: 0.05,
            ..lossless(100.0, 100.0)
        };
        let p = solve(&g, &d, 100.0, 20.0, Objective::MinLoss, None).unwrap();
        assert!((p.torque_nm - 20.0).abs() < 1e-9);
        assert!(p.feasible);
        let q = solve(&g, &d, 100.0, 20.0, Objective::MinCurrent, None).unwrap();
        assert!(q.machine_losses_w() >= p.machine_losses_w() - 1e-9);
        // far beyond the envelope
        let out = solve_points(&g, &d, &[100.0], &[1e4], Objective::MinLoss);
        assert!(out[0].is_none());
    }

    #[test]
    fn envelope_non_increasing() {
        let g = lin_lossless(0.1, 1e-3, 2e-3, 120.0);
        let d = lossless(100.0, 100.0);
        let w: Vec<f64> = (0..30).map(|k| 20.0 * k as f64).collect();
        let env = envelope(&g, &d, &w);
        let t: Vec<f64> = env
            .iter()
            .map(|e| e[0].map_or(0.0, |p| p.torque_nm))
            .collect();
        for k in 1..t.len() {
            assert!(t[k] <= t[k - 1] * (1.0 + 1e-9) + 1e-9, "{t:?}");
        }
        // generating mirror without resistance
        for e in &env {
            if let (Some(a), Some(b)) = (e[0], e[1]) {
                assert!((a.torque_nm + b.torque_nm).abs() < 1e-6 * a.torque_nm.abs().max(1.0));
            }
        }
    }
}
