//! Bindings of the fleet kernels: argument conversion, GIL release, error mapping. The Python
//! layer (`repm/fleet/`) validates the inventory row by row and builds the columns dict with the
//! right dtypes (float64, uint64, bool), C-contiguous.

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_fleet as core;
use repm_fleet::economics::Finance;
use repm_fleet::model::FleetColumns;

use crate::errors::{fleet_err, raise};

fn input_error(msg: String) -> PyErr {
    Python::attach(|py| raise(py, "InputError", msg))
}

fn get<'py, T: numpy::Element>(
    d: &Bound<'py, PyDict>,
    name: &str,
) -> PyResult<PyReadonlyArray1<'py, T>> {
    let item = d
        .get_item(name)?
        .ok_or_else(|| input_error(format!("fleet columns: {name} is missing")))?;
    item.extract::<PyReadonlyArray1<'py, T>>().map_err(|_| {
        input_error(format!(
            "fleet columns: {name} must be a 1-D numpy array of {}",
            std::any::type_name::<T>()
        ))
    })
}

fn slice<'a, T: numpy::Element>(a: &'a PyReadonlyArray1<'_, T>, name: &str) -> PyResult<&'a [T]> {
    a.as_slice()
        .map_err(|_| input_error(format!("{name} must be a C-contiguous array")))
}

/// The arrays behind a `FleetColumns`, kept borrowed while the kernel runs.
struct Arrays<'py> {
    key: PyReadonlyArray1<'py, u64>,
    f64s: Vec<PyReadonlyArray1<'py, f64>>,
    on_vsd: PyReadonlyArray1<'py, bool>,
    trimmed: PyReadonlyArray1<'py, bool>,
    offsets: PyReadonlyArray1<'py, u64>,
}

const F64_NAMES: [&str; 14] = [
    "rated_kw",
    "sync_rpm",
    "im_slip_rated",
    "im_loss_ratio",
    "im_c0",
    "pm_loss_ratio",
    "pm_c0",
    "speed_exponent",
    "trim_efficiency",
    "profile_load",
    "profile_hours",
    "price_per_kwh",
    "emission_kg_per_kwh",
    "capex",
];

impl<'py> Arrays<'py> {
    fn from_dict(d: &Bound<'py, PyDict>) -> PyResult<Self> {
        Ok(Self {
            key: get(d, "key")?,
            f64s: F64_NAMES
                .iter()
                .map(|n| get::<f64>(d, n))
                .collect::<PyResult<_>>()?,
            on_vsd: get(d, "on_vsd")?,
            trimmed: get(d, "trimmed")?,
            offsets: get(d, "profile_offsets")?,
        })
    }

    fn columns(&self) -> PyResult<FleetColumns<'_>> {
        let f = |i: usize| slice(&self.f64s[i], F64_NAMES[i]);
        Ok(FleetColumns {
            key: slice(&self.key, "key")?,
            rated_kw: f(0)?,
            sync_rpm: f(1)?,
            im_slip_rated: f(2)?,
            im_loss_ratio: f(3)?,
            im_c0: f(4)?,
            pm_loss_ratio: f(5)?,
            pm_c0: f(6)?,
            speed_exponent: f(7)?,
            trim_efficiency: f(8)?,
            profile_load: f(9)?,
            profile_hours: f(10)?,
            price_per_kwh: f(11)?,
            emission_kg_per_kwh: f(12)?,
            capex: f(13)?,
            on_vsd: slice(&self.on_vsd, "on_vsd")?,
            trimmed: slice(&self.trimmed, "trimmed")?,
            profile_offsets: slice(&self.offsets, "profile_offsets")?,
        })
    }
}

/// Stable 64-bit keys of motor ids (FNV-1a 64 + SplitMix64 finaliser).
#[pyfunction]
fn fleet_motor_keys<'py>(
    py: Python<'py>,
    ids: Vec<String>,
) -> PyResult<Bound<'py, numpy::PyArray1<u64>>> {
    let keys: Vec<u64> = py.detach(|| ids.iter().map(|s| core::rng::motor_key(s)).collect());
    Ok(keys.into_pyarray(py))
}

/// Per-motor deterministic evaluation: dict of float64 arrays.
#[pyfunction]
fn fleet_evaluate<'py>(
    py: Python<'py>,
    cols: &Bound<'py, PyDict>,
    discount_rate: f64,
    escalation: f64,
    horizon_years: u32,
) -> PyResult<Bound<'py, PyDict>> {
    let arrays = Arrays::from_dict(cols)?;
    let c = arrays.columns()?;
    let fin = Finance {
        discount_rate,
        escalation,
        horizon_years,
    };
    let ev = py
        .detach(|| core::eval::evaluate(&c, &fin))
        .map_err(fleet_err)?;
    let d = PyDict::new(py);
    for (name, v) in [
        ("mean_load", ev.mean_load),
        ("hours", ev.hours),
        ("im_speed_rpm", ev.im_speed_rpm),
        ("shaft_power_increase_pct", ev.shaft_power_increase_pct),
        ("baseline_kwh", ev.baseline_kwh),
        ("pm_untrimmed_kwh", ev.pm_untrimmed_kwh),
        ("pm_trimmed_kwh", ev.pm_trimmed_kwh),
        ("savings_untrimmed_kwh", ev.savings_untrimmed_kwh),
        ("savings_trimmed_kwh", ev.savings_trimmed_kwh),
        ("savings_kwh", ev.savings_kwh),
        ("annual_value", ev.annual_value),
        ("payback_years", ev.payback_years),
        ("npv", ev.npv),
        ("irr", ev.irr),
        ("co2_t_per_year", ev.co2_t_per_year),
    ] {
        d.set_item(name, v.into_pyarray(py))?;
    }
    Ok(d)
}

/// Capital cost components (motor, installation, trim) as three float64 arrays.
#[pyfunction]
#[pyo3(signature = (rated_kw, trimmed, price_coef, price_exp, class_multiplier, install_fraction, install_fixed, trim_fixed, trim_per_kw, vsd_coef, vsd_exp, trim_by_vsd))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn fleet_capex<'py>(
    py: Python<'py>,
    rated_kw: PyReadonlyArray1<'py, f64>,
    trimmed: PyReadonlyArray1<'py, bool>,
    price_coef: f64,
    price_exp: f64,
    class_multiplier: f64,
    install_fraction: f64,
    install_fixed: f64,
    trim_fixed: f64,
    trim_per_kw: f64,
    vsd_coef: f64,
    vsd_exp: f64,
    trim_by_vsd: bool,
) -> PyResult<(
    Bound<'py, numpy::PyArray1<f64>>,
    Bound<'py, numpy::PyArray1<f64>>,
    Bound<'py, numpy::PyArray1<f64>>,
)> {
    let model = core::eval::CostModel {
        price_coef,
        price_exp,
        class_multiplier,
        install_fraction,
        install_fixed,
        trim_fixed,
        trim_per_kw,
        vsd_coef,
        vsd_exp,
        trim_by_vsd,
    };
    let p = slice(&rated_kw, "rated_kw")?;
    let t = slice(&trimmed, "trimmed")?;
    let c = py.detach(|| model.capex(p, t)).map_err(fleet_err)?;
    Ok((
        c.motor.into_pyarray(py),
        c.installation.into_pyarray(py),
        c.trim.into_pyarray(py),
    ))
}

/// Magnet mass per motor (kg) from rated torque.
#[pyfunction]
fn fleet_magnet_mass<'py>(
    py: Python<'py>,
    rated_kw: PyReadonlyArray1<'py, f64>,
    sync_rpm: PyReadonlyArray1<'py, f64>,
    g_per_nm: f64,
    grade_factor: f64,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let p = slice(&rated_kw, "rated_kw")?;
    let n = slice(&sync_rpm, "sync_rpm")?;
    let m = py
        .detach(|| core::eval::magnet_mass_kg(p, n, g_per_nm, grade_factor))
        .map_err(fleet_err)?;
    Ok(m.into_pyarray(py))
}

/// Monte Carlo: dict with per-sample fixed-point totals (lists of Python ints, exact) and
/// per-motor statistics (float64 arrays), plus the common per-sample factors.
#[pyfunction]
#[pyo3(signature = (cols, include, discount_rate, escalation, horizon_years, seed, samples, load_rel_sd, hours_rel_sd, price_rel_sd, emission_rel_sd, magnet_rel_sd, efficiency_tolerance, motor_quantiles))]
#[allow(clippy::too_many_arguments)]
fn fleet_monte_carlo<'py>(
    py: Python<'py>,
    cols: &Bound<'py, PyDict>,
    include: PyReadonlyArray1<'py, bool>,
    discount_rate: f64,
    escalation: f64,
    horizon_years: u32,
    seed: u64,
    samples: u32,
    load_rel_sd: f64,
    hours_rel_sd: f64,
    price_rel_sd: f64,
    emission_rel_sd: f64,
    magnet_rel_sd: f64,
    efficiency_tolerance: bool,
    motor_quantiles: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let arrays = Arrays::from_dict(cols)?;
    let c = arrays.columns()?;
    let inc = slice(&include, "include")?;
    let fin = Finance {
        discount_rate,
        escalation,
        horizon_years,
    };
    let spec = core::mc::McSpec {
        seed,
        samples,
        load_rel_sd,
        hours_rel_sd,
        price_rel_sd,
        emission_rel_sd,
        magnet_rel_sd,
        efficiency_tolerance,
        motor_quantiles,
    };
    let r = py
        .detach(|| core::mc::monte_carlo(&c, inc, &fin, &spec))
        .map_err(fleet_err)?;
    let common = core::mc::common_factors(&spec);
    let d = PyDict::new(py);
    d.set_item("total_savings_kwh", r.total_savings_kwh)?;
    d.set_item("total_value", r.total_value)?;
    d.set_item("total_npv", r.total_npv)?;
    d.set_item("total_co2_kg", r.total_co2_kg)?;
    d.set_item("fixed_scale", core::mc::FIXED_SCALE)?;
    d.set_item("price_factor", common.price.into_pyarray(py))?;
    d.set_item("emission_factor", common.emission.into_pyarray(py))?;
    d.set_item("magnet_factor", common.magnet.into_pyarray(py))?;
    for (name, v) in [
        ("npv_mean", r.npv_mean),
        ("npv_sd", r.npv_sd),
        ("prob_npv_positive", r.prob_npv_positive),
        ("savings_mean_kwh", r.savings_mean_kwh),
        ("npv_p10", r.npv_p10),
        ("npv_p50", r.npv_p50),
        ("npv_p90", r.npv_p90),
    ] {
        d.set_item(name, v.into_pyarray(py))?;
    }
    Ok(d)
}

/// Budget-constrained selection: (selected bool array, rank uint32 array, objective total,
/// capex total, LP upper bound).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn fleet_select<'py>(
    py: Python<'py>,
    objective: PyReadonlyArray1<'py, f64>,
    capex: PyReadonlyArray1<'py, f64>,
    key: PyReadonlyArray1<'py, u64>,
    budget: f64,
) -> PyResult<(
    Bound<'py, numpy::PyArray1<bool>>,
    Bound<'py, numpy::PyArray1<u32>>,
    f64,
    f64,
    f64,
)> {
    let o = slice(&objective, "objective")?;
    let c = slice(&capex, "capex")?;
    let k = slice(&key, "key")?;
    let s = py
        .detach(|| core::select::select(o, c, k, budget))
        .map_err(fleet_err)?;
    Ok((
        s.selected.into_pyarray(py),
        s.rank.into_pyarray(py),
        s.objective_total,
        s.capex_total,
        s.upper_bound,
    ))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fleet_motor_keys, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_capex, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_magnet_mass, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_monte_carlo, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_select, m)?)?;
    Ok(())
}
