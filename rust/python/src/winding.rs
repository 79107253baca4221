//! Bindings of the winding API: argument conversion, GIL release, error mapping. The Python
//! layer (`repm/winding.py`) validates types and builds the dataclasses.

use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_winding as core;

use crate::errors::winding_err;

/// (feasible, reason code, reason text).
#[pyfunction]
fn winding_feasibility(
    py: Python<'_>,
    slots: u32,
    poles: u32,
    phases: u32,
    layers: u32,
) -> PyResult<(bool, u8, String)> {
    let f = py
        .detach(|| core::feasibility(slots, poles, phases, layers))
        .map_err(winding_err)?;
    Ok((f.feasible, f.reason_code.code(), f.reason))
}

/// Full analysis as a dict of scalars and numpy arrays.
#[pyfunction]
#[pyo3(signature = (slots, poles, phases, layers, pitch, skew_slots, max_order))]
#[allow(clippy::too_many_arguments)]
fn winding_analyse<'py>(
    py: Python<'py>,
    slots: u32,
    poles: u32,
    phases: u32,
    layers: u32,
    pitch: Option<u32>,
    skew_slots: f64,
    max_order: u32,
) -> PyResult<Bound<'py, PyDict>> {
    let spec = core::WindingSpec {
        slots,
        poles,
        phases,
        layers,
        pitch,
        skew_slots,
        max_order,
    };
    let a = py.detach(|| core::analyse(&spec)).map_err(winding_err)?;
    let d = PyDict::new(py);
    d.set_item("pitch", a.pitch)?;
    let rows = a.layout.slots as usize;
    let cols = a.layout.layers as usize;
    let phase: Vec<Vec<i64>> = (0..rows)
        .map(|s| {
            (0..cols)
                .map(|l| i64::from(a.layout.sides[s * cols + l].phase))
                .collect()
        })
        .collect();
    let sign: Vec<Vec<i64>> = (0..rows)
        .map(|s| {
            (0..cols)
                .map(|l| i64::from(a.layout.sides[s * cols + l].sign))
                .collect()
        })
        .collect();
    d.set_item("layout_phase", PyArray2::from_vec2(py, &phase)?)?;
    d.set_item("layout_sign", PyArray2::from_vec2(py, &sign)?)?;
    d.set_item("layout_text", a.layout.to_text())?;
    d.set_item("winding_factors", PyArray1::from_vec(py, a.winding_factors))?;
    d.set_item("periodicity", a.periodicity)?;
    d.set_item("sector_slots", a.sector_slots)?;
    d.set_item("sector_poles", a.sector_poles)?;
    d.set_item("antiperiodic", a.antiperiodic)?;
    d.set_item("lcm_slots_poles", a.lcm_slots_poles)?;
    d.set_item("q_num", a.q_num)?;
    d.set_item("q_den", a.q_den)?;
    d.set_item("mmf_orders", PyArray1::from_vec(py, a.mmf_orders))?;
    d.set_item("mmf_amplitudes", PyArray1::from_vec(py, a.mmf_amplitudes))?;
    d.set_item("differential_leakage", a.differential_leakage)?;
    Ok(d)
}

/// Table mode over slots × poles as a dict of numpy columns (`kw` is rows × max_order).
#[pyfunction]
fn winding_table<'py>(
    py: Python<'py>,
    slots: PyReadonlyArray1<'py, u32>,
    poles: PyReadonlyArray1<'py, u32>,
    phases: u32,
    layers: u32,
    max_order: u32,
) -> PyResult<Bound<'py, PyDict>> {
    let s = slots.as_slice()?;
    let p = poles.as_slice()?;
    let t = py
        .detach(|| core::table(s, p, phases, layers, max_order))
        .map_err(winding_err)?;
    let d = PyDict::new(py);
    let rows = t.slots.len();
    let kw = PyArray1::from_vec(py, t.kw).reshape([rows, max_order as usize])?;
    d.set_item("slots", PyArray1::from_vec(py, t.slots))?;
    d.set_item("poles", PyArray1::from_vec(py, t.poles))?;
    d.set_item("feasible", PyArray1::from_vec(py, t.feasible))?;
    d.set_item("reason", PyArray1::from_vec(py, t.reason))?;
    d.set_item("pitch", PyArray1::from_vec(py, t.pitch))?;
    d.set_item("kw", kw)?;
    d.set_item("periodicity", PyArray1::from_vec(py, t.periodicity))?;
    d.set_item("lcm", PyArray1::from_vec(py, t.lcm))?;
    d.set_item("q_num", PyArray1::from_vec(py, t.q_num))?;
    d.set_item("q_den", PyArray1::from_vec(py, t.q_den))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(winding_feasibility, m)?)?;
    m.add_function(wrap_pyfunction!(winding_analyse, m)?)?;
    m.add_function(wrap_pyfunction!(winding_table, m)?)?;
    Ok(())
}
