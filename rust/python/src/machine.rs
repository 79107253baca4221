//! Bindings of the drive model (`repm-machine`): a `DriveModel` holding the interpolated flux
//! map and the drive parameters. The Python layer (`repm/maps/drive.py`) validates the inputs,
//! builds the parameters and wraps the returned arrays (NaN + `valid == False` outside the
//! envelope or the map).

use std::sync::Arc;

use numpy::{IntoPyArray, PyReadonlyArray1, PyReadwriteArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_machine::control::{self, Objective};
use repm_machine::drive::{to_columns, Drive, Point, PointColumns, NCOLS, NVALUES};
use repm_machine::interp::FluxGrid;

use crate::errors::{machine_err, raise};

fn input_error(msg: String) -> PyErr {
    Python::attach(|py| raise(py, "InputError", msg))
}

fn slice<'a>(a: &'a PyReadonlyArray1<'_, f64>, name: &str) -> PyResult<&'a [f64]> {
    a.as_slice()
        .map_err(|_| input_error(format!("{name} must be a C-contiguous float64 array")))
}

fn slice_mut<'a, T: numpy::Element>(
    a: &'a mut PyReadwriteArray1<'_, T>,
    name: &str,
) -> PyResult<&'a mut [T]> {
    a.as_slice_mut()
        .map_err(|_| input_error(format!("{name} must be C-contiguous arrays")))
}

const POINT_FIELDS: [&str; NCOLS] = [
    "id_a",
    "iq_a",
    "torque_em_nm",
    "torque_nm",
    "voltage_v",
    "p_shaft_w",
    "p_electrical_w",
    "p_copper_dc_w",
    "p_copper_ac_w",
    "p_iron_w",
    "p_magnet_w",
    "p_mechanical_w",
    "p_inverter_w",
    "efficiency",
    "system_efficiency",
    "feasible",
];

/// Columns (NaN where no point) into a dict of arrays plus `valid` (bool) and `feasible`
/// (bool).
fn columns_dict(py: Python<'_>, cols: Vec<Vec<f64>>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let valid: Vec<bool> = cols[0].iter().map(|v| !v.is_nan()).collect();
    for (name, col) in POINT_FIELDS.iter().zip(cols) {
        if *name == "feasible" {
            let f: Vec<bool> = col.iter().map(|&v| v == 1.0).collect();
            d.set_item(*name, f.into_pyarray(py))?;
        } else {
            d.set_item(*name, col.into_pyarray(py))?;
        }
    }
    d.set_item("valid", valid.into_pyarray(py))?;
    Ok(d)
}

fn points_dict<'py>(py: Python<'py>, pts: &[Option<Point>]) -> PyResult<Bound<'py, PyDict>> {
    columns_dict(py, to_columns(pts))
}

fn objective(name: &str) -> PyResult<Objective> {
    match name {
        "min_loss" => Ok(Objective::MinLoss),
        "mtpa" | "min_current" => Ok(Objective::MinCurrent),
        other => Err(input_error(format!(
            "strategy: {other:?} is not known; allowed: 'min_loss', 'mtpa'"
        ))),
    }
}

/// A flux map plus drive parameters, ready for operating-point searches.
#[pyclass(frozen, module = "repm._core", name = "DriveModel")]
pub struct DriveModel {
    grid: Arc<FluxGrid>,
    drive: Drive,
}

#[pymethods]
impl DriveModel {
    /// `fields`: the 7 (Ni*Nq) row-major arrays psi_d, psi_q, torque, hyst, eddy, excess,
    /// magnet eddy; `drive`: (u_max_v, i_max_a, r_dc_ohm, ac_coeff_per_hz2,
    /// friction_w_per_rpm, windage_w_per_rpm3, inverter_w_per_a, inverter_w_per_a2).
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        id_a: PyReadonlyArray1<'_, f64>,
        iq_a: PyReadonlyArray1<'_, f64>,
        fields: Vec<PyReadonlyArray1<'_, f64>>,
        pole_pairs: usize,
        phases: usize,
        drive: (f64, f64, f64, f64, f64, f64, f64, f64),
    ) -> PyResult<Self> {
        if fields.len() != 7 {
            return Err(input_error(format!(
                "fields: need 7 arrays, got {}",
                fields.len()
            )));
        }
        let f: Vec<&[f64]> = fields
            .iter()
            .map(|a| slice(a, "fields"))
            .collect::<PyResult<_>>()?;
        let grid = FluxGrid::new(
            slice(&id_a, "id_a")?,
            slice(&iq_a, "iq_a")?,
            [f[0], f[1], f[2], f[3], f[4], f[5], f[6]],
            pole_pairs,
            phases,
        )
        .map_err(machine_err)?;
        control::check_grid(&grid).map_err(machine_err)?;
        let drive = Drive {
            u_max_v: drive.0,
            i_max_a: drive.1,
            r_dc_ohm: drive.2,
            ac_coeff_per_hz2: drive.3,
            friction_w_per_rpm: drive.4,
            windage_w_per_rpm3: drive.5,
            inverter_w_per_a: drive.6,
            inverter_w_per_a2: drive.7,
        };
        drive.validate().map_err(machine_err)?;
        Ok(Self {
            grid: Arc::new(grid),
            drive,
        })
    }

    /// Operating points at given speeds (rpm) and currents (A peak), no search, written into
    /// preallocated arrays: `speed_out` a copy of the speeds, `values` the 15 float columns of
    /// `POINT_FIELDS` (all but `feasible`), `feasible` and `valid` bool arrays, all of the
    /// inputs' length. Non-finite inputs or negative speeds raise InputError naming the input.
    #[allow(clippy::too_many_arguments)]
    fn evaluate_into(
        &self,
        py: Python<'_>,
        speed_rpm: PyReadonlyArray1<'_, f64>,
        id_a: PyReadonlyArray1<'_, f64>,
        iq_a: PyReadonlyArray1<'_, f64>,
        mut speed_out: PyReadwriteArray1<'_, f64>,
        mut values: Vec<PyReadwriteArray1<'_, f64>>,
        mut feasible: PyReadwriteArray1<'_, bool>,
        mut valid: PyReadwriteArray1<'_, bool>,
    ) -> PyResult<()> {
        let (w, x, y) = (
            slice(&speed_rpm, "speed_rpm")?,
            slice(&id_a, "id_a")?,
            slice(&iq_a, "iq_a")?,
        );
        let cols: Vec<&mut [f64]> = values
            .iter_mut()
            .map(|a| slice_mut(a, "values"))
            .collect::<PyResult<_>>()?;
        let n_cols = cols.len();
        let values: [&mut [f64]; NVALUES] = cols
            .try_into()
            .map_err(|_| input_error(format!("values: need {NVALUES} arrays, got {n_cols}")))?;
        let out = PointColumns {
            speed_rpm: slice_mut(&mut speed_out, "speed_out")?,
            values,
            feasible: slice_mut(&mut feasible, "feasible")?,
            valid: slice_mut(&mut valid, "valid")?,
        };
        let (g, d) = (&*self.grid, &self.drive);
        py.detach(|| control::evaluate_points_into(g, d, w, x, y, out))
            .map_err(machine_err)
    }

    /// Envelope at speeds (rad/s): (motoring points, generating points).
    fn envelope<'py>(
        &self,
        py: Python<'py>,
        omega_m: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
        let w = slice(&omega_m, "omega_m")?;
        let (g, d) = (&*self.grid, &self.drive);
        let env = py.detach(|| control::envelope(g, d, w));
        let mot: Vec<Option<Point>> = env.iter().map(|e| e[0]).collect();
        let gen: Vec<Option<Point>> = env.iter().map(|e| e[1]).collect();
        Ok((points_dict(py, &mot)?, points_dict(py, &gen)?))
    }

    /// Efficiency map on speeds (rad/s) × shaft torques (N·m), speed-major.
    fn efficiency_map<'py>(
        &self,
        py: Python<'py>,
        omega_m: PyReadonlyArray1<'_, f64>,
        torque_nm: PyReadonlyArray1<'_, f64>,
        strategy: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (w, t) = (slice(&omega_m, "omega_m")?, slice(&torque_nm, "torque_nm")?);
        let obj = objective(strategy)?;
        let (g, d) = (&*self.grid, &self.drive);
        let pts = py.detach(|| control::efficiency_map(g, d, w, t, obj));
        points_dict(py, &pts)
    }

    /// Operating points at scattered (speed rad/s, shaft torque N·m) pairs.
    fn solve_points<'py>(
        &self,
        py: Python<'py>,
        omega_m: PyReadonlyArray1<'_, f64>,
        torque_nm: PyReadonlyArray1<'_, f64>,
        strategy: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (w, t) = (slice(&omega_m, "omega_m")?, slice(&torque_nm, "torque_nm")?);
        if w.len() != t.len() {
            return Err(input_error(format!(
                "speed and torque: lengths differ ({} and {})",
                w.len(),
                t.len()
            )));
        }
        let obj = objective(strategy)?;
        let (g, d) = (&*self.grid, &self.drive);
        let pts = py.detach(|| control::solve_points(g, d, w, t, obj));
        points_dict(py, &pts)
    }

    /// MTPA points at current amplitudes (A peak): (id, iq, torque) arrays, NaN off the grid.
    #[allow(clippy::type_complexity)]
    fn mtpa<'py>(
        &self,
        py: Python<'py>,
        current_a: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<(
        Bound<'py, numpy::PyArray1<f64>>,
        Bound<'py, numpy::PyArray1<f64>>,
        Bound<'py, numpy::PyArray1<f64>>,
    )> {
        let c = slice(&current_a, "current_a")?;
        let g = &*self.grid;
        let r = py.detach(|| control::mtpa_points(g, c));
        let nan = (f64::NAN, f64::NAN, f64::NAN);
        let x: Vec<f64> = r.iter().map(|p| p.unwrap_or(nan).0).collect();
        let y: Vec<f64> = r.iter().map(|p| p.unwrap_or(nan).1).collect();
        let t: Vec<f64> = r.iter().map(|p| p.unwrap_or(nan).2).collect();
        Ok((x.into_pyarray(py), y.into_pyarray(py), t.into_pyarray(py)))
    }

    /// Corner speed (rad/s), or None if the MTPA point at the current limit is off the grid.
    fn corner_speed(&self, py: Python<'_>) -> Option<f64> {
        let (g, d) = (&*self.grid, &self.drive);
        py.detach(|| control::corner_speed(g, d))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<DriveModel>()
}
