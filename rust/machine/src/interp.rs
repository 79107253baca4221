//! Flux map on a dq current grid with C1 bicubic Hermite interpolation.
//!
//! Corner data per node: value, d/did, d/diq and d²/did diq from three-point finite differences
//! on the non-uniform grid (exact for quadratics; one-sided three-point at the ends, two-point
//! for a 2-node axis). The same scheme as `repm.maps.FluxMap` in Python.

use crate::{input_err, MachineError};

/// Number of interpolated fields.
pub const NFIELDS: usize = 7;
/// Field index: d-axis flux linkage, Wb.
pub const PSI_D: usize = 0;
/// Field index: q-axis flux linkage, Wb.
pub const PSI_Q: usize = 1;
/// Field index: mean torque, N·m.
pub const TORQUE: usize = 2;
/// Field index: iron hysteresis coefficient, W/Hz.
pub const HYST: usize = 3;
/// Field index: iron eddy coefficient, W/Hz².
pub const EDDY: usize = 4;
/// Field index: iron excess coefficient, W/Hz^1.5.
pub const EXCESS: usize = 5;
/// Field index: magnet eddy coefficient, W/Hz².
pub const MAGNET: usize = 6;

/// Fields padded to a multiple of the SIMD width: the node data of one derivative is one
/// contiguous `[f64; LANES]` row, so the 16 Hermite weights of a point are shared by all fields
/// and the accumulation vectorises.
const LANES: usize = 8;
/// Parity of each field under `iq -> -iq` (padding lane last).
const PARITY: [f64; LANES] = [1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
/// Relative slack at the grid edges (round-off).
const EDGE_TOL: f64 = 1e-9;

/// A flux map ready for interpolation (whole machine, SI, peak currents).
#[derive(Debug, Clone)]
pub struct FluxGrid {
    id: Vec<f64>,
    iq: Vec<f64>,
    /// `[i * nq + j][d][k]`: derivative d (f, fx, fy, fxy) of field k at node (i, j); lane
    /// `NFIELDS..LANES` is zero padding.
    nodes: Vec<[[f64; LANES]; 4]>,
    symmetric: bool,
    id_inv_step: Option<f64>,
    iq_inv_step: Option<f64>,
    /// 1 / cell width along id and iq (a multiplication per point instead of a division).
    id_inv_h: Vec<f64>,
    iq_inv_h: Vec<f64>,
    /// Pole pairs.
    pub pole_pairs: f64,
    /// Number of phases.
    pub phases: f64,
}

fn check_axis(name: &str, a: &[f64]) -> Result<(), MachineError> {
    if a.len() < 2 {
        return Err(input_err(
            name,
            format!("need at least 2 grid values, got {}", a.len()),
        ));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(input_err(name, "grid values must be finite"));
    }
    if a.windows(2).any(|w| w[1] <= w[0]) {
        return Err(input_err(name, "grid must be strictly ascending"));
    }
    Ok(())
}

/// Three-point derivative along a line of values `f` sampled at `x`.
fn slopes_1d(f: &[f64], x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut d = vec![0.0; n];
    if n == 2 {
        let s = (f[1] - f[0]) / (x[1] - x[0]);
        d[0] = s;
        d[1] = s;
        return d;
    }
    for k in 1..n - 1 {
        let hm = x[k] - x[k - 1];
        let hp = x[k + 1] - x[k];
        d[k] = -hp / (hm * (hm + hp)) * f[k - 1]
            + (hp - hm) / (hm * hp) * f[k]
            + hm / (hp * (hm + hp)) * f[k + 1];
    }
    let (h0, h1) = (x[1] - x[0], x[2] - x[1]);
    d[0] = -(2.0 * h0 + h1) / (h0 * (h0 + h1)) * f[0] + (h0 + h1) / (h0 * h1) * f[1]
        - h0 / (h1 * (h0 + h1)) * f[2];
    let (g0, g1) = (x[n - 1] - x[n - 2], x[n - 2] - x[n - 3]);
    d[n - 1] = (2.0 * g0 + g1) / (g0 * (g0 + g1)) * f[n - 1] - (g0 + g1) / (g0 * g1) * f[n - 2]
        + g0 / (g1 * (g0 + g1)) * f[n - 3];
    d
}

#[inline]
fn hermite(t: f64) -> [f64; 4] {
    let t2 = t * t;
    let t3 = t2 * t;
    [
        2.0 * t3 - 3.0 * t2 + 1.0,
        -2.0 * t3 + 3.0 * t2,
        t3 - 2.0 * t2 + t,
        t3 - t2,
    ]
}

/// 1 / spacing of a uniform grid (spacings equal within 1e-9 relative), else `None`.
fn uniform_inverse_step(grid: &[f64]) -> Option<f64> {
    let n = grid.len();
    let h = (grid[n - 1] - grid[0]) / (n - 1) as f64;
    let uniform = grid
        .windows(2)
        .all(|w| ((w[1] - w[0]) - h).abs() <= 1e-9 * h);
    uniform.then_some(1.0 / h)
}

/// Cell index k with grid[k] <= v < grid[k + 1] (clamped to the last cell); `v` is on the grid.
#[inline]
fn cell(grid: &[f64], inv_step: Option<f64>, v: f64) -> usize {
    let last = grid.len() - 2;
    match inv_step {
        Some(r) => {
            // direct index, then one correction step either way for round-off
            let mut k = (((v - grid[0]) * r) as usize).min(last);
            if k > 0 && v < grid[k] {
                k -= 1;
            } else if k < last && v >= grid[k + 1] {
                k += 1;
            }
            k
        }
        None => grid
            .partition_point(|&g| g <= v)
            .saturating_sub(1)
            .min(last),
    }
}

impl FluxGrid {
    /// Build from the grids and the `NFIELDS` fields, each `(id.len(), iq.len())` row-major, in
    /// the order psi_d, psi_q, torque, hyst, eddy, excess, magnet eddy.
    pub fn new(
        id: &[f64],
        iq: &[f64],
        fields: [&[f64]; NFIELDS],
        pole_pairs: usize,
        phases: usize,
    ) -> Result<Self, MachineError> {
        check_axis("id_a", id)?;
        check_axis("iq_a", iq)?;
        if iq[0] < 0.0 {
            return Err(input_err(
                "iq_a",
                format!("must start at >= 0, got {}", iq[0]),
            ));
        }
        if pole_pairs < 1 || phases < 2 {
            return Err(input_err(
                "pole_pairs/phases",
                format!("need pole_pairs >= 1 and phases >= 2, got {pole_pairs} and {phases}"),
            ));
        }
        let (ni, nq) = (id.len(), iq.len());
        const NAMES: [&str; NFIELDS] = [
            "psi_d_wb",
            "psi_q_wb",
            "torque_nm",
            "iron_hyst_w_per_hz",
            "iron_eddy_w_per_hz2",
            "iron_excess_w_per_hz1_5",
            "magnet_eddy_w_per_hz2",
        ];
        let mut nodes = vec![[[0.0; LANES]; 4]; ni * nq];
        for (k, f) in fields.iter().enumerate() {
            if f.len() != ni * nq {
                return Err(input_err(
                    NAMES[k],
                    format!("need {} values ({ni} x {nq}), got {}", ni * nq, f.len()),
                ));
            }
            if f.iter().any(|v| !v.is_finite()) {
                return Err(input_err(NAMES[k], "values must be finite"));
            }
            // fx along id (columns), fy along iq (rows), fxy = d/diq of fx
            let mut fx = vec![0.0; ni * nq];
            let mut col = vec![0.0; ni];
            for j in 0..nq {
                for i in 0..ni {
                    col[i] = f[i * nq + j];
                }
                let d = slopes_1d(&col, id);
                for i in 0..ni {
                    fx[i * nq + j] = d[i];
                }
            }
            for i in 0..ni {
                let fy = slopes_1d(&f[i * nq..(i + 1) * nq], iq);
                let fxy = slopes_1d(&fx[i * nq..(i + 1) * nq], iq);
                for j in 0..nq {
                    let n = i * nq + j;
                    for (d, v) in [f[n], fx[n], fy[j], fxy[j]].into_iter().enumerate() {
                        nodes[n][d][k] = v;
                    }
                }
            }
        }
        Ok(Self {
            id: id.to_vec(),
            iq: iq.to_vec(),
            nodes,
            symmetric: iq[0] == 0.0,
            id_inv_step: uniform_inverse_step(id),
            iq_inv_step: uniform_inverse_step(iq),
            id_inv_h: id.windows(2).map(|w| 1.0 / (w[1] - w[0])).collect(),
            iq_inv_h: iq.windows(2).map(|w| 1.0 / (w[1] - w[0])).collect(),
            pole_pairs: pole_pairs as f64,
            phases: phases as f64,
        })
    }

    /// d-current grid range (min, max), A.
    pub fn id_range(&self) -> (f64, f64) {
        (self.id[0], self.id[self.id.len() - 1])
    }

    /// q-current grid range (min, max), A (motoring side).
    pub fn iq_range(&self) -> (f64, f64) {
        (self.iq[0], self.iq[self.iq.len() - 1])
    }

    /// Whether negative iq is available by symmetry (the grid starts at iq = 0).
    pub fn symmetric(&self) -> bool {
        self.symmetric
    }

    /// All fields at (id, iq); `None` outside the grid (never extrapolated).
    #[inline(always)]
    pub fn eval(&self, id: f64, iq: f64) -> Option<[f64; NFIELDS]> {
        let v = self.eval_lanes(id, iq)?;
        let mut out = [0.0; NFIELDS];
        out.copy_from_slice(&v[..NFIELDS]);
        Some(out)
    }

    /// [`FluxGrid::eval`] with the fields in the first `NFIELDS` lanes of a padded array.
    #[inline(always)]
    fn eval_lanes(&self, id: f64, iq: f64) -> Option<[f64; LANES]> {
        let (sign, y) = if self.symmetric && iq < 0.0 {
            (-1.0, -iq)
        } else {
            (1.0, iq)
        };
        let (x0, x1) = self.id_range();
        let (y0, y1) = self.iq_range();
        let tx = EDGE_TOL * (x1 - x0).max(1.0);
        let ty = EDGE_TOL * (y1 - y0).max(1.0);
        // also rejects NaN
        if !(id >= x0 - tx && id <= x1 + tx && y >= y0 - ty && y <= y1 + ty) {
            return None;
        }
        let x = id.clamp(x0, x1);
        let y = y.clamp(y0, y1);
        let i = cell(&self.id, self.id_inv_step, x);
        let j = cell(&self.iq, self.iq_inv_step, y);
        let hx = self.id[i + 1] - self.id[i];
        let hy = self.iq[j + 1] - self.iq[j];
        let a = hermite((x - self.id[i]) * self.id_inv_h[i]);
        let b = hermite((y - self.iq[j]) * self.iq_inv_h[j]);
        let nq = self.iq.len();
        // the 16 weights, shared by all fields: corner (di, dj), derivative f, fx, fy, fxy
        let n0 = i * nq + j;
        let corners = [&self.nodes[n0..n0 + 2], &self.nodes[n0 + nq..n0 + nq + 2]];
        let mut out = [0.0; LANES];
        for (di, row) in corners.into_iter().enumerate() {
            let (av, ax) = (a[di], a[2 + di] * hx);
            for (dj, node) in row.iter().enumerate() {
                let (bv, by) = (b[dj], b[2 + dj] * hy);
                let w = [av * bv, ax * bv, av * by, ax * by];
                for (wd, c) in w.into_iter().zip(node) {
                    for (o, v) in out.iter_mut().zip(c) {
                        *o += wd * v;
                    }
                }
            }
        }
        if sign < 0.0 {
            for (o, p) in out.iter_mut().zip(PARITY) {
                *o *= p;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Linear machine map: psi_d = psi_m + ld id, psi_q = lq iq, T = 1.5 p (psi_d iq - psi_q id).
    pub fn linear(psi_m: f64, ld: f64, lq: f64, p: usize, i_max: f64) -> FluxGrid {
        let n = 21;
        let id: Vec<f64> = (0..n)
            .map(|k| -i_max + 1.2 * i_max * k as f64 / (n - 1) as f64)
            .collect();
        let iq: Vec<f64> = (0..n).map(|k| i_max * k as f64 / (n - 1) as f64).collect();
        let mut f: Vec<Vec<f64>> = vec![Vec::new(); NFIELDS];
        for &x in &id {
            for &y in &iq {
                let pd = psi_m + ld * x;
                let pq = lq * y;
                f[PSI_D].push(pd);
                f[PSI_Q].push(pq);
                f[TORQUE].push(1.5 * p as f64 * (pd * y - pq * x));
                f[HYST].push(0.5);
                f[EDDY].push(1e-3);
                f[EXCESS].push(0.0);
                f[MAGNET].push(1e-4);
            }
        }
        FluxGrid::new(
            &id,
            &iq,
            [&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]],
            p,
            3,
        )
        .unwrap()
    }

    #[test]
    fn rejects_bad_grids() {
        let z = vec![0.0; 4];
        let f = [&z[..], &z, &z, &z, &z, &z, &z];
        assert!(FluxGrid::new(&[0.0, 0.0], &[0.0, 1.0], f, 2, 3).is_err());
        assert!(FluxGrid::new(&[0.0, 1.0], &[-1.0, 1.0], f, 2, 3).is_err());
        assert!(FluxGrid::new(&[0.0, 1.0], &[0.0, 1.0], f, 0, 3).is_err());
        let bad = [0.0, f64::NAN, 0.0, 0.0];
        let g = [&z[..], &bad, &z, &z, &z, &z, &z];
        assert!(FluxGrid::new(&[0.0, 1.0], &[0.0, 1.0], g, 2, 3).is_err());
        assert!(FluxGrid::new(&[0.0, 1.0], &[0.0, 1.0], f, 2, 3).is_ok());
    }

    #[test]
    fn uniform_and_general_cell_search_agree() {
        let g: Vec<f64> = (0..11).map(|k| -1.0 + 0.2 * k as f64).collect();
        let r = uniform_inverse_step(&g);
        assert!(r.is_some());
        assert!(uniform_inverse_step(&[0.0, 1.0, 3.0]).is_none());
        for k in 0..=1000 {
            let v = -1.0 + 2.0 * k as f64 / 1000.0;
            assert_eq!(cell(&g, r, v), cell(&g, None, v), "{v}");
        }
        for &v in &g {
            assert_eq!(cell(&g, r, v), cell(&g, None, v), "{v}");
        }
    }

    #[test]
    fn outside_is_none() {
        let g = linear(0.1, 1e-3, 2e-3, 4, 100.0);
        assert!(g.eval(-101.0, 0.0).is_none());
        assert!(g.eval(0.0, 101.0).is_none());
        assert!(g.eval(f64::NAN, 0.0).is_none());
        assert!(g.eval(0.0, -50.0).is_some());
    }

    /// A map with smooth non-polynomial fields on a non-uniform id grid.
    fn wavy() -> FluxGrid {
        let id: Vec<f64> = (0..13)
            .map(|k| -100.0 + 10.0 * k as f64 + 0.3 * (k * k) as f64)
            .collect();
        let iq: Vec<f64> = (0..9).map(|k| 12.5 * k as f64).collect();
        let mut f: Vec<Vec<f64>> = vec![Vec::new(); NFIELDS];
        for &x in &id {
            for &y in &iq {
                for (k, v) in f.iter_mut().enumerate() {
                    let kf = k as f64 + 1.0;
                    v.push((0.03 * kf * x).sin() * (0.02 * y + kf).cos() + 0.001 * kf * x * y);
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

    /// Field-by-field Hermite evaluation straight from the definition (sum over corners of
    /// basis × node data), for comparison with the shared-weight lane kernel.
    fn reference(g: &FluxGrid, x: f64, y: f64) -> [f64; NFIELDS] {
        let (s, y) = if y < 0.0 { (-1.0, -y) } else { (1.0, y) };
        let i =
            g.id.partition_point(|&v| v <= x)
                .saturating_sub(1)
                .min(g.id.len() - 2);
        let j =
            g.iq.partition_point(|&v| v <= y)
                .saturating_sub(1)
                .min(g.iq.len() - 2);
        let (hx, hy) = (g.id[i + 1] - g.id[i], g.iq[j + 1] - g.iq[j]);
        let a = hermite((x - g.id[i]) / hx);
        let b = hermite((y - g.iq[j]) / hy);
        let mut out = [0.0; NFIELDS];
        for (k, o) in out.iter_mut().enumerate() {
            for di in 0..2 {
                for dj in 0..2 {
                    let c = &g.nodes[(i + di) * g.iq.len() + j + dj];
                    *o += a[di] * b[dj] * c[0][k]
                        + a[2 + di] * hx * b[dj] * c[1][k]
                        + a[di] * b[2 + dj] * hy * c[2][k]
                        + a[2 + di] * hx * b[2 + dj] * hy * c[3][k];
                }
            }
            if s < 0.0 {
                *o *= PARITY[k];
            }
        }
        out
    }

    proptest! {
        #[test]
        fn shared_weights_match_fieldwise_hermite(x in -100.0f64..56.0, y in -100.0f64..100.0) {
            let g = wavy();
            let v = g.eval(x, y).unwrap();
            let r = reference(&g, x, y);
            for k in 0..NFIELDS {
                prop_assert!((v[k] - r[k]).abs() <= 1e-12 * (1.0 + r[k].abs()), "{k}: {} vs {}", v[k], r[k]);
            }
        }
    }

    proptest! {
        #[test]
        fn linear_machine_is_reproduced(x in -100.0f64..20.0, y in -100.0f64..100.0) {
            let (psi_m, ld, lq) = (0.1, 1e-3, 2e-3);
            let g = linear(psi_m, ld, lq, 4, 100.0);
            let v = g.eval(x, y).unwrap();
            let pd = psi_m + ld * x;
            let pq = lq * y;
            prop_assert!((v[PSI_D] - pd).abs() < 1e-14);
            prop_assert!((v[PSI_Q] - pq).abs() < 1e-14);
            prop_assert!((v[TORQUE] - 6.0 * (pd * y - pq * x)).abs() < 1e-10);
            prop_assert!((v[HYST] - 0.5).abs() < 1e-14);
        }
    }
}
