//! repm-materials: permanent-magnet grades with temperature models, element accounting,
//! electrical-steel reluctivity and iron losses, and conductor resistivity. No Python here;
//! the binding crate `repm-python` wraps this API.

pub mod error;

pub use error::{MaterialsError, Result};
pub mod conductors;
pub mod steel;
