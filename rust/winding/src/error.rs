//! The error enum of the winding crate. The binding maps `InvalidInput` to `repm.InputError`
//! and every other variant to `repm.WindingError`.

use thiserror::Error;

/// Everything that can go wrong when building or analysing a winding.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WindingError {
    /// A size or number is malformed (zero, negative, NaN, too large).
    #[error("{field} = {value} is invalid: {allowed}")]
    InvalidInput {
        field: &'static str,
        value: String,
        allowed: String,
    },
    /// The number of layers is not 1 or 2.
    #[error("layers = {layers} is not supported: use 1 (single layer) or 2 (double layer)")]
    BadLayers { layers: u32 },
    /// The coil pitch is outside 1..slots-1 or cannot be used with this winding.
    #[error("pitch = {pitch} slots is not usable: {allowed}")]
    BadPitch { pitch: u32, allowed: String },
    /// The combination cannot carry a balanced symmetric m-phase winding.
    #[error("no balanced winding for {slots} slots, {poles} poles, {phases} phases, {layers} layer(s): {reason}")]
    Infeasible {
        slots: u32,
        poles: u32,
        phases: u32,
        layers: u32,
        code: Reason,
        reason: String,
    },
}

/// Why a slot/pole/phase combination is (in)feasible; stable integer codes for the table mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Reason {
    /// A balanced symmetric winding exists.
    Feasible = 0,
    /// The pole count 2p is odd.
    OddPoles = 1,
    /// The phase count m is even (phases k and k + m/2 would be in antiphase).
    EvenPhases = 2,
    /// Q/m is not an integer.
    SlotsNotMultipleOfPhases = 3,
    /// Q/(m·t), t = gcd(Q, p), is not an integer: the phases' stars are not rotations.
    Unbalanced = 4,
    /// Single layer: Q/(2m) is not an integer (each phase needs an even number of coil sides).
    SingleLayerOddSides = 5,
    /// Single layer: the star of slots does not give coil sides that pair into coils.
    SingleLayerNoCoils = 6,
}

impl Reason {
    /// The integer code used in the table mode.
    pub fn code(self) -> u8 {
        self as u8
    }
}
