//! repm-winding: star-of-slots winding analysis (layout, winding factors, MMF harmonics,
//! periodicity). No Python here; the binding crate `repm-python` wraps this API.
