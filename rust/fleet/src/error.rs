//! Errors of the fleet kernels. Inputs are validated row by row in Python first (with every bad
//! row reported); these checks are the kernel's own guard so that it never computes NaN silently.

use rayon::prelude::*;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum FleetError {
    /// A column value is invalid (NaN/inf, out of range); `index` is the 0-based position.
    #[error("{field}[{index}] = {value} is invalid: {allowed}")]
    InvalidValue {
        field: &'static str,
        index: usize,
        value: f64,
        allowed: &'static str,
    },
    /// A scalar parameter is invalid.
    #[error("{field} = {value} is invalid: {allowed}")]
    InvalidParameter {
        field: &'static str,
        value: f64,
        allowed: &'static str,
    },
    /// Columns of different lengths, or a malformed load-profile offset array.
    #[error("{field} has length {got}, expected {expected}")]
    Length {
        field: &'static str,
        got: usize,
        expected: usize,
    },
}

pub type Result<T> = std::result::Result<T, FleetError>;

pub(crate) fn check_len(field: &'static str, got: usize, expected: usize) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(FleetError::Length {
            field,
            got,
            expected,
        })
    }
}

/// Every value finite and inside [lo, hi]; the error names the first bad index (scanned in
/// parallel: a million-motor column is a memory-bound pass).
pub(crate) fn check_range(
    field: &'static str,
    values: &[f64],
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<()> {
    let bad = |v: &f64| !(v.is_finite() && *v >= lo && *v <= hi);
    match values.par_iter().position_first(bad) {
        Some(index) => Err(FleetError::InvalidValue {
            field,
            index,
            value: values[index],
            allowed,
        }),
        None => Ok(()),
    }
}

pub(crate) fn check_param(
    field: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<()> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(FleetError::InvalidParameter {
            field,
            value,
            allowed,
        })
    }
}
