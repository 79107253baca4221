//! Bindings of the FEM core: a `FemSolver` class holding the validated problem and its caches.
//! The Python layer (`repm/fem.py`) validates and converts the arrays and builds `Solution`s.

use std::sync::Arc;

use numpy::{IntoPyArray, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_fem as core;
use repm_materials::steel::BhCurve;

use crate::errors::{fem_err, raise};

fn slice<'a, T: numpy::Element>(
    a: &'a numpy::PyReadonlyArray<'_, T, impl numpy::ndarray::Dimension>,
    name: &str,
) -> PyResult<&'a [T]> {
    a.as_slice().map_err(|_| {
        Python::attach(|py| {
            raise(
                py,
                "InputError",
                format!("{name} must be a C-contiguous array"),
            )
        })
    })
}

/// The solver of one problem (see `repm.fem.Solver`).
#[pyclass(frozen, module = "repm._core", name = "FemSolver")]
pub struct FemSolver {
    inner: Arc<core::Solver>,
}

fn solution_dict<'py>(py: Python<'py>, s: core::Solution) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let nb = s.b.len();
    let ntb = s.band_triangles.len();
    d.set_item("a", s.a.into_pyarray(py))?;
    let b: Vec<f64> = s.b.into_iter().flatten().collect();
    d.set_item("b", b.into_pyarray(py).reshape([nb, 2])?)?;
    let bt: Vec<i64> = s
        .band_triangles
        .iter()
        .flatten()
        .map(|&i| i64::from(i))
        .collect();
    d.set_item("band_triangles", bt.into_pyarray(py).reshape([ntb, 3])?)?;
    d.set_item("rotor_angle_rad", s.rotor_angle_rad)?;
    d.set_item("energy_j_per_m", s.energy_j_per_m)?;
    d.set_item("coenergy_j_per_m", s.coenergy_j_per_m)?;
    d.set_item("torque_arkkio_nm_per_m", s.torque_arkkio_nm_per_m)?;
    d.set_item("group_a_integral", s.group_a_integral.into_pyarray(py))?;
    d.set_item("newton_iterations", s.newton_iterations)?;
    d.set_item("residuals", s.residuals)?;
    d.set_item("seconds", s.seconds)?;
    d.set_item("factorizations", s.factorizations)?;
    d.set_item("linear_iterations", s.linear_iterations)?;
    Ok(d)
}

#[pymethods]
impl FemSolver {
    #[new]
    #[pyo3(signature = (nodes, triangles, nu_r, steel, steels, br_t, source_group, n_groups, rotor, dirichlet_nodes, periodic_pairs, antiperiodic, sector_angle_rad, band_rotor_nodes, band_stator_nodes, tol, max_iterations, newton_krylov = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        nodes: PyReadonlyArray2<'_, f64>,
        triangles: PyReadonlyArray2<'_, i64>,
        nu_r: PyReadonlyArray1<'_, f64>,
        steel: PyReadonlyArray1<'_, i64>,
        steels: Vec<(Vec<f64>, Vec<f64>, f64)>,
        br_t: PyReadonlyArray2<'_, f64>,
        source_group: PyReadonlyArray1<'_, i64>,
        n_groups: usize,
        rotor: PyReadonlyArray1<'_, bool>,
        dirichlet_nodes: PyReadonlyArray1<'_, i64>,
        periodic_pairs: PyReadonlyArray2<'_, i64>,
        antiperiodic: bool,
        sector_angle_rad: f64,
        band_rotor_nodes: PyReadonlyArray1<'_, i64>,
        band_stator_nodes: PyReadonlyArray1<'_, i64>,
        tol: f64,
        max_iterations: usize,
        newton_krylov: bool,
    ) -> PyResult<Self> {
        let mut curves = Vec::with_capacity(steels.len());
        for (k, (h, b, sf)) in steels.iter().enumerate() {
            curves.push(BhCurve::new(h, b, *sf).map_err(|e| {
                fem_err(core::FemError::Material {
                    index: k,
                    message: e.to_string(),
                })
            })?);
        }
        let input = core::ProblemInput {
            nodes: slice(&nodes, "nodes")?,
            triangles: slice(&triangles, "triangles")?,
            nu_r: slice(&nu_r, "nu_r")?,
            steel: slice(&steel, "steel")?,
            steels: &curves,
            br_t: slice(&br_t, "br_t")?,
            source_group: slice(&source_group, "source_group")?,
            n_groups,
            rotor: slice(&rotor, "rotor")?,
            dirichlet_nodes: slice(&dirichlet_nodes, "dirichlet_nodes")?,
            periodic_pairs: slice(&periodic_pairs, "periodic_pairs")?,
            antiperiodic,
            sector_angle_rad,
            band_rotor_nodes: slice(&band_rotor_nodes, "band_rotor_nodes")?,
            band_stator_nodes: slice(&band_stator_nodes, "band_stator_nodes")?,
        };
        let opts = core::SolverOptions {
            tol,
            max_iterations,
            chord_steps: newton_krylov,
        };
        let solver = py
            .detach(|| core::Problem::new(&input).and_then(|p| core::Solver::new(p, opts)))
            .map_err(fem_err)?;
        Ok(Self {
            inner: Arc::new(solver),
        })
    }

    /// One solve; returns a dict of the `Solution` fields.
    #[pyo3(signature = (rotor_angle_rad, group_current_density, a0 = None))]
    fn solve<'py>(
        &self,
        py: Python<'py>,
        rotor_angle_rad: f64,
        group_current_density: PyReadonlyArray1<'py, f64>,
        a0: Option<PyReadonlyArray1<'py, f64>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let j = slice(&group_current_density, "group_current_density")?;
        let a0s = match &a0 {
            Some(a) => Some(slice(a, "a0")?),
            None => None,
        };
        let solver = Arc::clone(&self.inner);
        let s = py
            .detach(|| solver.solve(rotor_angle_rad, j, a0s))
            .map_err(fem_err)?;
        solution_dict(py, s)
    }

    /// K solves (parallel over chunks of consecutive points, or over points with `a0`);
    /// a list of dicts.
    #[pyo3(signature = (rotor_angles_rad, group_current_density, a0 = None, factors = None))]
    fn solve_batch<'py>(
        &self,
        py: Python<'py>,
        rotor_angles_rad: PyReadonlyArray1<'py, f64>,
        group_current_density: PyReadonlyArray2<'py, f64>,
        a0: Option<PyReadonlyArray2<'py, f64>>,
        factors: Option<PyRef<'py, FemFactorCache>>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let th = slice(&rotor_angles_rad, "rotor_angles_rad")?;
        let j = slice(&group_current_density, "group_current_density")?;
        let a0s = match &a0 {
            Some(a) => Some(slice(a, "a0")?),
            None => None,
        };
        let cache = factors.as_ref().map(|f| Arc::clone(&f.inner));
        let solver = Arc::clone(&self.inner);
        let sols = py
            .detach(|| solver.solve_batch_with(th, j, a0s, cache.as_deref()))
            .map_err(fem_err)?;
        sols.into_iter().map(|s| solution_dict(py, s)).collect()
    }

    /// (n_nodes, n_triangles, n_dof, band step in rad or None).
    fn info(&self) -> (usize, usize, usize, Option<f64>) {
        let p = self.inner.problem();
        (p.n_nodes(), p.n_triangles(), p.n_dof(), p.band_step_rad())
    }
}

/// Numeric factors carried between batch calls (see `repm.fem.FactorCache`).
#[pyclass(frozen, module = "repm._core", name = "FemFactorCache")]
pub struct FemFactorCache {
    inner: Arc<core::FactorCache>,
}

#[pymethods]
impl FemFactorCache {
    #[new]
    fn new() -> Self {
        Self {
            inner: Arc::new(core::FactorCache::new()),
        }
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn clear(&self) {
        self.inner.clear();
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<FemSolver>()?;
    m.add_class::<FemFactorCache>()?;
    Ok(())
}
