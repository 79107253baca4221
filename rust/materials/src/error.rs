//! The one error type of the materials crate. Every variant names the offending field, the value
//! that was given and what would have been accepted, so that the Python layer can pass the message
//! on unchanged.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum MaterialsError {
    /// A numeric or structural input is outside its allowed domain.
    #[error("{field} = {value} is invalid: {allowed}")]
    InvalidInput {
        field: String,
        value: String,
        allowed: String,
    },
    /// A material name that is not in the catalogue.
    #[error("unknown {kind} '{name}'; closest names: {}", suggestions.join(", "))]
    UnknownName {
        kind: String,
        name: String,
        suggestions: Vec<String>,
    },
    /// A temperature outside the range the model is valid for.
    #[error("temperature_c = {value} is outside the range of {what}: allowed {min} .. {max} °C")]
    TemperatureOutOfRange {
        what: String,
        value: f64,
        min: f64,
        max: f64,
    },
}

impl MaterialsError {
    pub fn invalid(
        field: impl Into<String>,
        value: impl ToString,
        allowed: impl Into<String>,
    ) -> Self {
        Self::InvalidInput {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, MaterialsError>;

/// Rejects NaN and infinities with a message naming the field.
pub fn require_finite(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MaterialsError::invalid(
            field,
            value,
            "a finite number is required",
        ))
    }
}

/// Rejects values that are not finite and strictly positive.
pub fn require_positive(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(MaterialsError::invalid(
            field,
            value,
            "must be finite and > 0",
        ))
    }
}
