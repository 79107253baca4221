//! The Python extension module `repm._core`. Thin by design: argument conversion, GIL release
//! and error mapping only; all physics lives in the Python-free crates.

use pyo3::prelude::*;

mod errors;
mod fem;
mod fleet;
mod machine;
mod magnets;
mod mesh;
mod steels;
mod winding;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    magnets::register(m)?;
    steels::register(m)?;
    winding::register(m)?;
    mesh::register(m)?;
    fleet::register(m)?;
    fem::register(m)?;
    machine::register(m)?;
    Ok(())
}
