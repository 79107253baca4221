//! repm-fleet: columnar kernels for replacing induction motors (IM) by rare-earth permanent-magnet
//! (REPM) synchronous motors across a fleet. No Python here; `repm-python` wraps this API and the
//! Python package `repm.fleet` does validation, I/O and orchestration.
//!
//! Every kernel works on columns (one slice per quantity, one entry per motor) and is
//! deterministic for any thread count and any chunking:
//!
//! * per-motor results are elementwise functions of that motor's inputs;
//! * random numbers are counter based ([`rng`]): the variate for (seed, motor key, sample,
//!   stream) is a hash of those four numbers, so it does not depend on which thread, chunk or row
//!   position a motor has. The motor key is a hash of the motor id ([`rng::motor_key`]), which
//!   makes results independent of row order;
//! * fleet totals are accumulated in fixed point (`i128` counts of 1/[`mc::FIXED_SCALE`] of the
//!   unit), so the sum is exact and associative: any split into chunks gives the same bits.
//!
//! Modules: [`model`] (loss-split part-load model, speed effect, energy), [`economics`]
//! (annuity, NPV, IRR, payback), [`eval`] (deterministic per-motor evaluation), [`mc`] (Monte
//! Carlo), [`select`] (budget-constrained selection), [`rng`].

pub mod economics;
pub mod error;
pub mod eval;
pub mod mc;
pub mod model;
pub mod rng;
pub mod select;

pub use error::{FleetError, Result};
