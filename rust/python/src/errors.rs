//! Maps the core crates' error enums onto the Python exception hierarchy defined in
//! `repm/errors.py`. Exceptions live in Python so that `InputError` can also be a `ValueError`;
//! this module only looks the classes up (once) and raises them.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use repm_materials::MaterialsError;

/// The Python exception classes of `repm.errors`, by name.
pub fn raise(py: Python<'_>, class_name: &str, message: String) -> PyErr {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let class = MODULE
        .get_or_try_init(py, || py.import("repm.errors").map(Bound::unbind))
        .and_then(|m| m.bind(py).getattr(class_name))
        .and_then(|c| c.cast_into::<PyType>().map_err(PyErr::from));
    match class {
        Ok(cls) => PyErr::from_type(cls, message),
        // Only reachable if the Python package is broken; still never a panic.
        Err(e) => e,
    }
}

pub fn materials_err(err: MaterialsError) -> PyErr {
    let class = match &err {
        MaterialsError::UnknownName { .. } => "UnknownMaterialError",
        MaterialsError::TemperatureOutOfRange { .. } => "TemperatureRangeError",
        MaterialsError::InvalidInput { .. } => "InputError",
    };
    Python::attach(|py| raise(py, class, err.to_string()))
}

pub fn winding_err(err: repm_winding::WindingError) -> PyErr {
    use repm_winding::WindingError;
    let class = match &err {
        WindingError::InvalidInput { .. } => "InputError",
        WindingError::BadLayers { .. }
        | WindingError::BadPitch { .. }
        | WindingError::Infeasible { .. } => "WindingError",
    };
    Python::attach(|py| raise(py, class, err.to_string()))
}

/// Iron-loss fit errors: bad input → `InputError` family, no convergence → `ConvergenceError`.
pub fn fit_err(err: repm_materials::steel::FitError) -> PyErr {
    match err {
        repm_materials::steel::FitError::Input(e) => materials_err(e),
        e @ repm_materials::steel::FitError::NoConvergence { .. } => {
            Python::attach(|py| raise(py, "ConvergenceError", e.to_string()))
        }
    }
}

/// Mesher errors: invalid PSLG → `GeometryError`, bad options → `InputError`, meshing
/// failures (node limit, kernel trouble) → `MeshError`.
pub fn mesh_err(err: repm_mesh::MeshError) -> PyErr {
    use repm_mesh::MeshError;
    let class = match &err {
        MeshError::Geometry(_) => "GeometryError",
        MeshError::Input(_) => "InputError",
        MeshError::TooManyNodes { .. } | MeshError::Failed(_) => "MeshError",
    };
    Python::attach(|py| raise(py, class, err.to_string()))
}

/// Fleet-kernel errors: every variant is bad input → `InputError`.
pub fn fleet_err(err: repm_fleet::FleetError) -> PyErr {
    Python::attach(|py| raise(py, "InputError", err.to_string()))
}

/// FEM errors: bad values and singular constraints → `InputError`, bad geometry →
/// `GeometryError`, no convergence → `ConvergenceError` with a `residuals` attribute (tuple of
/// relative residuals).
pub fn fem_err(err: repm_fem::FemError) -> PyErr {
    use repm_fem::FemError;
    let class = match &err {
        FemError::Input { .. } | FemError::Constraint(_) | FemError::Material { .. } => {
            "InputError"
        }
        FemError::Geometry(_) => "GeometryError",
        FemError::Convergence { .. } => "ConvergenceError",
    };
    Python::attach(|py| {
        let e = raise(py, class, err.to_string());
        if let FemError::Convergence { residuals, .. } = &err {
            let value = e.value(py);
            let tuple = pyo3::types::PyTuple::new(py, residuals.iter().copied());
            if let Ok(t) = tuple {
                // Best effort: the message carries the residuals too.
                let _ = value.setattr("residuals", t);
            }
        }
        e
    })
}

/// Drive-model errors: every variant is bad input → `InputError`.
pub fn machine_err(err: repm_machine::MachineError) -> PyErr {
    Python::attach(|py| raise(py, "InputError", err.to_string()))
}
