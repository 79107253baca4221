//! repm-materials: permanent-magnet grades with temperature models, element accounting,
//! electrical-steel reluctivity and iron losses, and conductor resistivity. No Python here;
//! the binding crate `repm-python` wraps this API.

pub mod error;

pub mod elements;
pub mod magnets;
pub mod magnets_csv;
pub mod magnets_curve;

pub use error::{MaterialsError, Result};
pub mod conductors;
pub mod steel;
