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
    match first_index(values.len(), |r| {
        values[r.clone()].iter().position(bad).map(|i| r.start + i)
    }) {
        Some(index) => Err(FleetError::InvalidValue {
            field,
            index,
            value: values[index],
            allowed,
        }),
        None => Ok(()),
    }
}

/// Values checked per parallel task (rayon's `find_first` would pay an atomic load per value).
const SCAN_BLOCK: usize = 1 << 14;

/// The first index in `0..n` that `scan` reports for a block of indices, scanning the blocks in
/// parallel (`scan` returns the first hit inside its block).
pub(crate) fn first_index(
    n: usize,
    scan: impl Fn(std::ops::Range<usize>) -> Option<usize> + Sync,
) -> Option<usize> {
    (0..n.div_ceil(SCAN_BLOCK))
        .into_par_iter()
        .find_map_first(|b| scan(b * SCAN_BLOCK..((b + 1) * SCAN_BLOCK).min(n)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn range_check_names_the_first_bad_index(
            n in 1usize..100_000,
            picks in proptest::collection::vec(0.0f64..1.0, 0..4),
        ) {
            let mut v = vec![0.5; n];
            let bad: Vec<usize> = picks.iter().map(|p| (p * n as f64) as usize).collect();
            for (k, &i) in bad.iter().enumerate() {
                v[i] = if k % 2 == 0 { f64::NAN } else { 2.0 };
            }
            let got = check_range("x", &v, 0.0, 1.0, "in [0, 1]");
            match bad.iter().min() {
                None => prop_assert!(got.is_ok()),
                Some(&first) => match got {
                    Err(FleetError::InvalidValue { index, field, .. }) => {
                        prop_assert_eq!(index, first);
                        prop_assert_eq!(field, "x");
                    }
                    other => prop_assert!(false, "{:?}", other),
                },
            }
        }
    }
}
