//! Bindings of the steels and conductors API: argument conversion, GIL release, error mapping.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_materials::conductors::{self, Conductor};
use repm_materials::steel::{self, BhCurve, FitOptions, IronLossFit, IronLossModel, LossFormula};
use repm_materials::{MaterialsError, Result as MResult};

use crate::errors::{fit_err, materials_err};

fn slice<'a>(a: &'a PyReadonlyArray1<'_, f64>, name: &str) -> PyResult<&'a [f64]> {
    a.as_slice().map_err(|_| {
        materials_err(MaterialsError::invalid(
            name,
            "a non-contiguous array",
            "a contiguous 1-D float64 array is required",
        ))
    })
}

/// Runs a vectorised kernel with the GIL released and returns a new numpy array.
fn kernel<'py, F>(
    py: Python<'py>,
    x: &PyReadonlyArray1<'_, f64>,
    name: &str,
    f: F,
) -> PyResult<Bound<'py, PyArray1<f64>>>
where
    F: Fn(&[f64]) -> MResult<Vec<f64>> + Send + Sync,
{
    let xs = slice(x, name)?;
    let out = py.detach(|| f(xs)).map_err(materials_err)?;
    Ok(out.into_pyarray(py))
}

/// An interpolated B-H curve (see `repm_materials::steel::bh` for the construction).
#[pyclass(frozen, module = "repm._core", name = "BhCurve")]
pub struct PyBhCurve {
    inner: BhCurve,
}

#[pymethods]
impl PyBhCurve {
    #[new]
    #[pyo3(signature = (h_a_per_m, b_t, stacking_factor = 1.0))]
    fn new(
        h_a_per_m: PyReadonlyArray1<'_, f64>,
        b_t: PyReadonlyArray1<'_, f64>,
        stacking_factor: f64,
    ) -> PyResult<Self> {
        let h = slice(&h_a_per_m, "bh_h_a_per_m")?;
        let b = slice(&b_t, "bh_b_t")?;
        let inner = BhCurve::new(h, b, stacking_factor).map_err(materials_err)?;
        Ok(Self { inner })
    }

    fn nu<'py>(
        &self,
        py: Python<'py>,
        b_squared: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        kernel(py, &b_squared, "b_squared", |x| self.inner.nu(x))
    }

    fn dnu_db2<'py>(
        &self,
        py: Python<'py>,
        b_squared: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        kernel(py, &b_squared, "b_squared", |x| self.inner.dnu_db2(x))
    }

    fn h_from_b<'py>(
        &self,
        py: Python<'py>,
        b_t: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        kernel(py, &b_t, "b_t", |x| self.inner.h_from_b(x))
    }

    fn b_from_h<'py>(
        &self,
        py: Python<'py>,
        h_a_per_m: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        kernel(py, &h_a_per_m, "h_a_per_m", |x| self.inner.b_from_h(x))
    }

    fn mu_r<'py>(
        &self,
        py: Python<'py>,
        b_t: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        kernel(py, &b_t, "b_t", |x| self.inner.mu_r(x))
    }

    /// The interpolated knots (H in A/m, B in T) after adding the origin and stacking.
    fn knots<'py>(
        &self,
        py: Python<'py>,
    ) -> (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>) {
        let (h, b) = self.inner.knots();
        (h.to_vec().into_pyarray(py), b.to_vec().into_pyarray(py))
    }

    #[getter]
    fn stacking_factor(&self) -> f64 {
        self.inner.stacking_factor()
    }

    #[getter]
    fn nu_at_zero(&self) -> f64 {
        self.inner.nu_at_zero()
    }
}

fn fit_dict<'py>(py: Python<'py>, fit: &IronLossFit) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("model", fit.model.formula.name())?;
    d.set_item("param_names", fit.model.formula.param_names().to_vec())?;
    d.set_item("params", fit.model.params.clone())?;
    d.set_item("rms_rel_error", fit.rms_rel_error)?;
    d.set_item("max_rel_error", fit.max_rel_error)?;
    d.set_item("n_points", fit.n_points)?;
    d.set_item("iterations", fit.iterations)?;
    d.set_item("fixed", fit.fixed.clone())?;
    Ok(d)
}

#[pyfunction]
fn steel_names() -> PyResult<Vec<String>> {
    steel::steel_names().map_err(materials_err)
}

/// All catalogue data of one grade, with its fitted loss model (or None).
#[pyfunction]
fn steel_grade_data<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let g = steel::steel_grade(name).map_err(materials_err)?;
    let d = PyDict::new(py);
    d.set_item("name", &g.name)?;
    d.set_item("lamination_thickness_m", g.lamination_thickness_m)?;
    d.set_item("density_kg_per_m3", g.density_kg_per_m3)?;
    d.set_item("resistivity_ohm_m", g.resistivity_ohm_m)?;
    d.set_item("source", &g.source)?;
    d.set_item("provenance", &g.provenance)?;
    d.set_item("note", &g.note)?;
    d.set_item("bh_h_a_per_m", g.bh_h_a_per_m.clone())?;
    d.set_item("bh_b_t", g.bh_b_t.clone())?;
    d.set_item("loss_f_hz", g.loss_f_hz.clone())?;
    d.set_item("loss_b_t", g.loss_b_t.clone())?;
    d.set_item("loss_w_per_kg", g.loss_w_per_kg.clone())?;
    match &g.loss_fit {
        Some(fit) => d.set_item("loss_fit", fit_dict(py, fit)?)?,
        None => d.set_item("loss_fit", py.None())?,
    }
    Ok(d)
}

#[pyfunction]
#[pyo3(signature = (f_hz, b_peak_t, p_w_per_kg, model = "bertotti", kc = None, max_iter = 200))]
fn fit_iron_loss<'py>(
    py: Python<'py>,
    f_hz: PyReadonlyArray1<'_, f64>,
    b_peak_t: PyReadonlyArray1<'_, f64>,
    p_w_per_kg: PyReadonlyArray1<'_, f64>,
    model: &str,
    kc: Option<f64>,
    max_iter: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let formula = LossFormula::parse(model).map_err(materials_err)?;
    let (f, b, p) = (
        slice(&f_hz, "f_hz")?,
        slice(&b_peak_t, "b_peak_t")?,
        slice(&p_w_per_kg, "p_w_per_kg")?,
    );
    let options = FitOptions {
        formula,
        kc_fixed: kc,
        max_iter,
    };
    let fit = py
        .detach(|| steel::fit_iron_loss(f, b, p, &options))
        .map_err(fit_err)?;
    fit_dict(py, &fit)
}

#[pyfunction]
fn iron_loss_w_per_kg<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    f_hz: PyReadonlyArray1<'_, f64>,
    b_peak_t: PyReadonlyArray1<'_, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let formula = LossFormula::parse(model).map_err(materials_err)?;
    let m = IronLossModel::new(formula, &params).map_err(materials_err)?;
    let b = slice(&b_peak_t, "b_peak_t")?;
    kernel(py, &f_hz, "f_hz", |f| m.loss_w_per_kg(f, b))
}

#[pyfunction]
fn classical_kc(
    lamination_thickness_m: f64,
    resistivity_ohm_m: f64,
    density_kg_per_m3: f64,
) -> PyResult<f64> {
    steel::classical_kc(lamination_thickness_m, resistivity_ohm_m, density_kg_per_m3)
        .map_err(materials_err)
}

#[pyfunction]
fn conductor_names() -> Vec<String> {
    conductors::conductors()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[pyfunction]
fn conductor_data<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let c = conductors::conductor(name).map_err(materials_err)?;
    let d = PyDict::new(py);
    d.set_item("name", &c.name)?;
    d.set_item("resistivity_20c_ohm_m", c.resistivity_20c_ohm_m)?;
    d.set_item("alpha_20_per_k", c.alpha_20_per_k)?;
    d.set_item("density_kg_per_m3", c.density_kg_per_m3)?;
    d.set_item("temperature_min_c", c.temperature_min_c)?;
    d.set_item("temperature_max_c", c.temperature_max_c)?;
    d.set_item("source", &c.source)?;
    Ok(d)
}

/// Validates a conductor definition (raises on invalid values).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn conductor_check(
    name: &str,
    resistivity_20c_ohm_m: f64,
    alpha_20_per_k: f64,
    density_kg_per_m3: f64,
    temperature_min_c: f64,
    temperature_max_c: f64,
    source: &str,
) -> PyResult<()> {
    Conductor::new(
        name,
        resistivity_20c_ohm_m,
        alpha_20_per_k,
        density_kg_per_m3,
        temperature_min_c,
        temperature_max_c,
        source,
    )
    .map(|_| ())
    .map_err(materials_err)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn conductor_resistivity_ohm_m<'py>(
    py: Python<'py>,
    name: &str,
    resistivity_20c_ohm_m: f64,
    alpha_20_per_k: f64,
    density_kg_per_m3: f64,
    temperature_min_c: f64,
    temperature_max_c: f64,
    temperature_c: PyReadonlyArray1<'_, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let c = Conductor::new(
        name,
        resistivity_20c_ohm_m,
        alpha_20_per_k,
        density_kg_per_m3,
        temperature_min_c,
        temperature_max_c,
        "",
    )
    .map_err(materials_err)?;
    kernel(py, &temperature_c, "temperature_c", |t| {
        c.resistivity_ohm_m(t)
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBhCurve>()?;
    m.add_function(wrap_pyfunction!(steel_names, m)?)?;
    m.add_function(wrap_pyfunction!(steel_grade_data, m)?)?;
    m.add_function(wrap_pyfunction!(fit_iron_loss, m)?)?;
    m.add_function(wrap_pyfunction!(iron_loss_w_per_kg, m)?)?;
    m.add_function(wrap_pyfunction!(classical_kc, m)?)?;
    m.add_function(wrap_pyfunction!(conductor_names, m)?)?;
    m.add_function(wrap_pyfunction!(conductor_data, m)?)?;
    m.add_function(wrap_pyfunction!(conductor_check, m)?)?;
    m.add_function(wrap_pyfunction!(conductor_resistivity_ohm_m, m)?)?;
    Ok(())
}
