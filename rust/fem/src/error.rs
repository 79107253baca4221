//! The error type of the FEM core. Every message names the field, the value and what is allowed.

use thiserror::Error;

/// Errors of [`crate::Problem::new`] and [`crate::Solver`].
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FemError {
    /// A bad value: wrong length, out of range, NaN/inf.
    #[error("{field} = {value} is invalid: {allowed}")]
    Input {
        field: String,
        value: String,
        allowed: String,
    },
    /// Bad geometry: inverted or degenerate triangles, band nodes off their circles.
    #[error("{0}")]
    Geometry(String),
    /// Inconsistent constraints or a singular system (no Dirichlet node, floating parts).
    #[error("{0}")]
    Constraint(String),
    /// A B-H curve could not be built.
    #[error("steels[{index}]: {message}")]
    Material { index: usize, message: String },
    /// Newton–Raphson did not reach the tolerance.
    #[error(
        "Newton-Raphson did not converge in {iterations} iterations: relative residuals {residuals:?} \
         (raise max_iterations, or check for unphysical inputs such as huge currents)"
    )]
    Convergence {
        iterations: usize,
        residuals: Vec<f64>,
    },
}

pub(crate) fn input(
    field: impl Into<String>,
    value: impl std::fmt::Display,
    allowed: impl Into<String>,
) -> FemError {
    FemError::Input {
        field: field.into(),
        value: value.to_string(),
        allowed: allowed.into(),
    }
}
