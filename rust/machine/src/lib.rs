//! Drive model of permanent-magnet machines on flux maps (no Python).
//!
//! * [`interp::FluxGrid`]: dq flux linkages, torque and loss coefficients on a current grid,
//!   C1 bicubic Hermite interpolation (three-point slopes, exact for quadratics), generating
//!   currents by the symmetry `iq -> -iq`; never extrapolated.
//! * [`drive::Drive`], [`drive::evaluate`]: steady-state operating point at given currents and
//!   speed: voltages, losses (copper DC + AC, iron, magnet, mechanical, inverter), efficiency.
//! * [`control`]: MTPA, maximum shaft torque within the current and voltage limits (MTPA, field
//!   weakening, MTPV), minimum-loss (or minimum-current) current for a torque, corner speed.
//!
//! Conventions of repm: SI units, PEAK phase currents, amplitude-invariant Park transform, d-axis
//! on the magnet flux, positive iq motoring, speeds >= 0 (generating = negative torque).

pub mod control;
pub mod drive;
pub mod interp;

/// Errors of the drive model: every variant is bad input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MachineError {
    /// An input value is invalid; the message names the field, the value and what is allowed.
    #[error("{field}: {message}")]
    Input {
        /// The offending field.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
}

pub(crate) fn input_err(field: &str, message: impl Into<String>) -> MachineError {
    MachineError::Input {
        field: field.to_string(),
        message: message.into(),
    }
}
