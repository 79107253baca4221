//! Steady-state operating point of a PM machine on a flux map.
//!
//! At mechanical speed ω_m (rad/s) the electrical angular frequency is ω_e = p ω_m and the
//! electrical frequency f = ω_e / 2π. With R_ac = R_dc (1 + c_ac f²) (AC factor, see the Python
//! `Drive`):
//!
//! * voltages: u_d = R_ac i_d − ω_e ψ_q, u_q = R_ac i_q + ω_e ψ_d, |u| = hypot(u_d, u_q) (peak);
//! * copper: P_cu = (m/2) R_ac |i|² split into DC (R_dc) and AC (R_ac − R_dc) parts;
//! * iron: hyst f + eddy f² + excess f^1.5; magnet: magnet_eddy f² (coefficients from the map);
//! * mechanical: k1 n + k2 n³ with n in rpm; inverter: m (c1 |i| + c2 |i|²);
//! * shaft torque T = T_map − (P_iron + P_magnet + P_mech) / ω_m (the limit at ω_m = 0);
//! * electrical power at the terminals P_el = (m/2)(u_d i_d + u_q i_q).
//!
//! Iron and magnet losses are not in the dq circuit (no iron-loss resistance); they brake the
//! rotor. For a map whose torque equals the flux-linkage torque (m/2) p (ψ_d i_q − ψ_q i_d)
//! this makes P_el = P_shaft + losses exactly.

use std::f64::consts::PI;

use crate::interp::{FluxGrid, EDDY, EXCESS, HYST, MAGNET, PSI_D, PSI_Q, TORQUE};
use crate::{input_err, MachineError};

const RPM_PER_RAD_S: f64 = 60.0 / (2.0 * PI);
/// rad/s per rpm, evaluated as `2π / 60` (the same double as `repm.maps.drive.RAD_S_PER_RPM`).
pub const RAD_S_PER_RPM: f64 = 2.0 * PI / 60.0;
const RPM3_PER_RAD3_S3: f64 = RPM_PER_RAD_S * RPM_PER_RAD_S * RPM_PER_RAD_S;
/// Relative slack when testing the current and voltage limits.
pub const LIMIT_TOL: f64 = 1e-9;

/// Drive limits and loss parameters (SI; currents and voltages PEAK phase values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drive {
    /// Maximum phase voltage amplitude, V (SVPWM linear range: m · V_dc / √3).
    pub u_max_v: f64,
    /// Maximum phase current amplitude, A.
    pub i_max_a: f64,
    /// Phase resistance at the winding temperature (DC), Ω.
    pub r_dc_ohm: f64,
    /// AC factor R_ac / R_dc = 1 + c f², c in 1/Hz².
    pub ac_coeff_per_hz2: f64,
    /// Friction loss coefficient, W per rpm.
    pub friction_w_per_rpm: f64,
    /// Windage loss coefficient, W per rpm³.
    pub windage_w_per_rpm3: f64,
    /// Inverter loss per phase linear in the current amplitude, W/A.
    pub inverter_w_per_a: f64,
    /// Inverter loss per phase quadratic in the current amplitude, W/A².
    pub inverter_w_per_a2: f64,
}

impl Drive {
    /// Check every field: limits finite and > 0 (the current limit may be +inf internally),
    /// resistances and coefficients finite and >= 0.
    pub fn validate(&self) -> Result<(), MachineError> {
        let pos = [("u_max_v", self.u_max_v)];
        for (name, v) in pos {
            if !(v.is_finite() && v > 0.0) {
                return Err(input_err(name, format!("must be finite and > 0, got {v}")));
            }
        }
        if self.i_max_a.is_nan() || self.i_max_a <= 0.0 {
            return Err(input_err(
                "i_max_a",
                format!("must be > 0, got {}", self.i_max_a),
            ));
        }
        let nonneg = [
            ("r_dc_ohm", self.r_dc_ohm),
            ("ac_coeff_per_hz2", self.ac_coeff_per_hz2),
            ("friction_w_per_rpm", self.friction_w_per_rpm),
            ("windage_w_per_rpm3", self.windage_w_per_rpm3),
            ("inverter_w_per_a", self.inverter_w_per_a),
            ("inverter_w_per_a2", self.inverter_w_per_a2),
        ];
        for (name, v) in nonneg {
            if !(v.is_finite() && v >= 0.0) {
                return Err(input_err(name, format!("must be finite and >= 0, got {v}")));
            }
        }
        Ok(())
    }
}

/// Everything about one operating point (SI; powers in W, positive = into the machine for
/// `p_electrical_w`, out of the shaft for `p_shaft_w`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Point {
    pub id_a: f64,
    pub iq_a: f64,
    pub torque_em_nm: f64,
    pub torque_nm: f64,
    pub voltage_v: f64,
    pub p_shaft_w: f64,
    pub p_electrical_w: f64,
    pub p_copper_dc_w: f64,
    pub p_copper_ac_w: f64,
    pub p_iron_w: f64,
    pub p_magnet_w: f64,
    pub p_mechanical_w: f64,
    pub p_inverter_w: f64,
    pub efficiency: f64,
    pub system_efficiency: f64,
    /// Within the current and voltage limits.
    pub feasible: bool,
}

impl Point {
    /// Total machine losses (copper, iron, magnet, mechanical), W.
    pub fn machine_losses_w(&self) -> f64 {
        self.p_copper_dc_w
            + self.p_copper_ac_w
            + self.p_iron_w
            + self.p_magnet_w
            + self.p_mechanical_w
    }
}

/// Number of columns of [`Point::columns`].
pub const NCOLS: usize = 16;

impl Point {
    /// The values in column order: id, iq, torque_em, torque, voltage, p_shaft, p_electrical,
    /// p_copper_dc, p_copper_ac, p_iron, p_magnet, p_mechanical, p_inverter, efficiency,
    /// system_efficiency, feasible (1 or 0).
    pub fn columns(&self) -> [f64; NCOLS] {
        [
            self.id_a,
            self.iq_a,
            self.torque_em_nm,
            self.torque_nm,
            self.voltage_v,
            self.p_shaft_w,
            self.p_electrical_w,
            self.p_copper_dc_w,
            self.p_copper_ac_w,
            self.p_iron_w,
            self.p_magnet_w,
            self.p_mechanical_w,
            self.p_inverter_w,
            self.efficiency,
            self.system_efficiency,
            if self.feasible { 1.0 } else { 0.0 },
        ]
    }
}

/// Column-major copy of points (`NCOLS` columns; NaN for `None`).
pub fn to_columns(pts: &[Option<Point>]) -> Vec<Vec<f64>> {
    let mut cols: Vec<Vec<f64>> = (0..NCOLS).map(|_| Vec::with_capacity(pts.len())).collect();
    for p in pts {
        let v = p.map_or([f64::NAN; NCOLS], |p| p.columns());
        for (c, x) in cols.iter_mut().zip(v) {
            c.push(x);
        }
    }
    cols
}

/// Number of float columns of a batch evaluation: [`Point::columns`] without `feasible`.
pub const NVALUES: usize = NCOLS - 1;

/// Output of a batch evaluation, written in place: a copy of the input speeds, the `NVALUES`
/// float columns in [`Point::columns`] order (NaN where the point is off the map), `feasible`
/// and `valid` (on the map). All slices have the same length.
#[derive(Debug)]
pub struct PointColumns<'a> {
    /// The input speeds, rpm (copied, so the caller owns a record of them).
    pub speed_rpm: &'a mut [f64],
    /// id, iq, torque_em, torque, voltage, p_shaft, p_electrical, p_copper_dc, p_copper_ac,
    /// p_iron, p_magnet, p_mechanical, p_inverter, efficiency, system_efficiency.
    pub values: [&'a mut [f64]; NVALUES],
    /// Within the current and voltage limits (false off the map).
    pub feasible: &'a mut [bool],
    /// On the map.
    pub valid: &'a mut [bool],
}

impl<'a> PointColumns<'a> {
    /// The common length of the columns, or `None` if they differ.
    pub fn common_len(&self) -> Option<usize> {
        let n = self.valid.len();
        (self.feasible.len() == n
            && self.speed_rpm.len() == n
            && self.values.iter().all(|c| c.len() == n))
        .then_some(n)
    }

    /// Split every column at `k` (`k` <= the shortest column).
    pub fn split_at(self, k: usize) -> (Self, Self) {
        let mut lo: [&'a mut [f64]; NVALUES] = Default::default();
        let mut hi: [&'a mut [f64]; NVALUES] = Default::default();
        for ((c, l), h) in self.values.into_iter().zip(&mut lo).zip(&mut hi) {
            (*l, *h) = c.split_at_mut(k);
        }
        let (sl, sh) = self.speed_rpm.split_at_mut(k);
        let (fl, fh) = self.feasible.split_at_mut(k);
        let (vl, vh) = self.valid.split_at_mut(k);
        (
            Self {
                speed_rpm: sl,
                values: lo,
                feasible: fl,
                valid: vl,
            },
            Self {
                speed_rpm: sh,
                values: hi,
                feasible: fh,
                valid: vh,
            },
        )
    }

    /// Write point `p` (or NaN / false for `None`) at row `j`.
    #[inline]
    pub fn set(&mut self, j: usize, p: Option<&Point>) {
        match p {
            Some(p) => {
                for (c, v) in self.values.iter_mut().zip(p.columns()) {
                    c[j] = v;
                }
                self.feasible[j] = p.feasible;
                self.valid[j] = true;
            }
            None => {
                for c in self.values.iter_mut() {
                    c[j] = f64::NAN;
                }
                self.feasible[j] = false;
                self.valid[j] = false;
            }
        }
    }
}

fn eff(p_shaft: f64, losses: f64) -> f64 {
    if p_shaft > 0.0 {
        p_shaft / (p_shaft + losses)
    } else if p_shaft < 0.0 {
        ((-p_shaft - losses) / -p_shaft).max(0.0)
    } else {
        0.0
    }
}

/// Loss torque (iron + magnet + mechanical) / ω_m at zero current-dependent coefficients given,
/// continuous at ω_m = 0.
#[inline]
pub fn loss_torque(grid: &FluxGrid, d: &Drive, c: &[f64], omega_m: f64) -> f64 {
    let fp = grid.pole_pairs / (2.0 * PI); // f / ω_m
    let w = omega_m.max(0.0);
    let f = fp * w;
    loss_torque_at(d, c, fp, w, f, f.sqrt())
}

/// [`loss_torque`] with f / ω_m = `fp`, f = `f` = fp·ω_m and √f = `sf` precomputed
/// (P / ω_m written without the division: f^k / ω_m = fp · f^(k−1)).
#[inline]
fn loss_torque_at(d: &Drive, c: &[f64], fp: f64, w: f64, f: f64, sf: f64) -> f64 {
    c[HYST] * fp
        + (c[EDDY] + c[MAGNET]) * fp * f
        + c[EXCESS] * fp * sf
        + d.friction_w_per_rpm * RPM_PER_RAD_S
        + d.windage_w_per_rpm3 * RPM3_PER_RAD3_S3 * w * w
}

/// Voltage amplitude at (id, iq), or `None` outside the map.
#[inline]
pub fn voltage(grid: &FluxGrid, d: &Drive, omega_m: f64, id: f64, iq: f64) -> Option<f64> {
    let v = grid.eval(id, iq)?;
    let f = grid.pole_pairs * omega_m / (2.0 * PI);
    let r = d.r_dc_ohm * (1.0 + d.ac_coeff_per_hz2 * f * f);
    let we = grid.pole_pairs * omega_m;
    let (ud, uq) = (r * id - we * v[PSI_Q], r * iq + we * v[PSI_D]);
    Some((ud * ud + uq * uq).sqrt())
}

/// Shaft torque at (id, iq) (`None` outside the map).
#[inline]
pub fn shaft_torque(grid: &FluxGrid, d: &Drive, omega_m: f64, id: f64, iq: f64) -> Option<f64> {
    let v = grid.eval(id, iq)?;
    Some(v[TORQUE] - loss_torque(grid, d, &v, omega_m))
}

/// The full operating point at currents (id, iq) [A peak] and speed ω_m [rad/s, >= 0];
/// `None` outside the map grid.
pub fn evaluate(grid: &FluxGrid, d: &Drive, omega_m: f64, id: f64, iq: f64) -> Option<Point> {
    if !(omega_m.is_finite() && omega_m >= 0.0) {
        return None;
    }
    let v = grid.eval(id, iq)?;
    let m = grid.phases;
    let fp = grid.pole_pairs / (2.0 * PI);
    let f = fp * omega_m;
    let sf = f.sqrt();
    let we = grid.pole_pairs * omega_m;
    let kac = 1.0 + d.ac_coeff_per_hz2 * f * f;
    let r = d.r_dc_ohm * kac;
    let ud = r * id - we * v[PSI_Q];
    let uq = r * iq + we * v[PSI_D];
    let i2 = id * id + iq * iq;
    let i_amp = i2.sqrt();
    let n = omega_m * RPM_PER_RAD_S;
    let p_cu_dc = 0.5 * m * d.r_dc_ohm * i2;
    let p_cu_ac = 0.5 * m * (r - d.r_dc_ohm) * i2;
    let p_iron = (v[HYST] + v[EDDY] * f + v[EXCESS] * sf) * f;
    let p_mag = v[MAGNET] * f * f;
    let p_mech = (d.friction_w_per_rpm + d.windage_w_per_rpm3 * n * n) * n;
    let p_inv = m * (d.inverter_w_per_a * i_amp + d.inverter_w_per_a2 * i2);
    let torque = v[TORQUE] - loss_torque_at(d, &v, fp, omega_m, f, sf);
    let p_shaft = torque * omega_m;
    let u = (ud * ud + uq * uq).sqrt();
    let losses = p_cu_dc + p_cu_ac + p_iron + p_mag + p_mech;
    Some(Point {
        id_a: id,
        iq_a: iq,
        torque_em_nm: v[TORQUE],
        torque_nm: torque,
        voltage_v: u,
        p_shaft_w: p_shaft,
        p_electrical_w: 0.5 * m * (ud * id + uq * iq),
        p_copper_dc_w: p_cu_dc,
        p_copper_ac_w: p_cu_ac,
        p_iron_w: p_iron,
        p_magnet_w: p_mag,
        p_mechanical_w: p_mech,
        p_inverter_w: p_inv,
        efficiency: eff(p_shaft, losses),
        system_efficiency: eff(p_shaft, losses + p_inv),
        feasible: i_amp <= d.i_max_a * (1.0 + LIMIT_TOL) && u <= d.u_max_v * (1.0 + LIMIT_TOL),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::interp::tests::linear;
    use proptest::prelude::*;

    pub fn drive() -> Drive {
        Drive {
            u_max_v: 200.0,
            i_max_a: 100.0,
            r_dc_ohm: 0.05,
            ac_coeff_per_hz2: 1e-7,
            friction_w_per_rpm: 0.01,
            windage_w_per_rpm3: 1e-10,
            inverter_w_per_a: 1.0,
            inverter_w_per_a2: 1e-3,
        }
    }

    #[test]
    fn validate_rejects_bad_limits() {
        let ok = drive();
        assert!(ok.validate().is_ok());
        for bad in [
            Drive { u_max_v: 0.0, ..ok },
            Drive {
                u_max_v: f64::NAN,
                ..ok
            },
            Drive {
                i_max_a: -1.0,
                ..ok
            },
            Drive {
                i_max_a: f64::NAN,
                ..ok
            },
            Drive {
                r_dc_ohm: -0.1,
                ..ok
            },
            Drive {
                windage_w_per_rpm3: f64::INFINITY,
                ..ok
            },
        ] {
            assert!(bad.validate().is_err());
        }
    }

    proptest! {
        #[test]
        fn power_balance(x in -100.0f64..20.0, y in -100.0f64..100.0, w in 0.0f64..2000.0) {
            let g = linear(0.1, 1e-3, 2e-3, 4, 100.0);
            let p = evaluate(&g, &drive(), w, x, y).unwrap();
            let rhs = p.p_shaft_w + p.machine_losses_w();
            let scale = p.p_electrical_w.abs().max(p.machine_losses_w()).max(1e-9);
            prop_assert!((p.p_electrical_w - rhs).abs() <= 1e-9 * scale);
            prop_assert!(p.efficiency >= 0.0 && p.efficiency <= 1.0);
        }
    }
}
