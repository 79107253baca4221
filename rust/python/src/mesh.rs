//! Bindings of the mesher: argument conversion, GIL release, error mapping. The Python layer
//! (`repm/mesh.py`) makes the arrays contiguous with the right dtypes and builds `Mesh`.

use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_mesh as core;

use crate::errors::{mesh_err, raise};

fn slice<'a, T: numpy::Element>(
    a: &'a numpy::PyReadonlyArray<'_, T, impl numpy::ndarray::Dimension>,
    name: &str,
) -> PyResult<&'a [T]> {
    a.as_slice().map_err(|_| {
        Python::attach(|py| {
            raise(
                py,
                "InputError",
                format!("{name} must be a C-contiguous array"),
            )
        })
    })
}

fn triangles_array<'py>(py: Python<'py>, tris: &[[u32; 3]]) -> PyResult<Bound<'py, PyArray2<i64>>> {
    let flat: Vec<i64> = tris.iter().flatten().map(|&i| i64::from(i)).collect();
    flat.into_pyarray(py).reshape([tris.len(), 3])
}

/// (nodes (M, 2), triangles (T, 3) int64, region (T,) int64, quality dict; the dict also
/// holds the output `periodic_pairs` (P, 2) int64).
#[pyfunction]
#[pyo3(signature = (points, loop_ptr, loop_points, loop_region, loop_protected, region_size_m, periodic_pairs, sector_angle_rad, band_rotor_points, band_stator_points, min_angle_deg, max_nodes))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn mesh_triangulate<'py>(
    py: Python<'py>,
    points: PyReadonlyArray2<'py, f64>,
    loop_ptr: PyReadonlyArray1<'py, i64>,
    loop_points: PyReadonlyArray1<'py, i64>,
    loop_region: PyReadonlyArray1<'py, i64>,
    loop_protected: PyReadonlyArray1<'py, bool>,
    region_size_m: PyReadonlyArray1<'py, f64>,
    periodic_pairs: PyReadonlyArray2<'py, i64>,
    sector_angle_rad: f64,
    band_rotor_points: PyReadonlyArray1<'py, i64>,
    band_stator_points: PyReadonlyArray1<'py, i64>,
    min_angle_deg: f64,
    max_nodes: usize,
) -> PyResult<(
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray2<i64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyDict>,
)> {
    let pslg = core::Pslg {
        points: slice(&points, "points")?,
        loop_ptr: slice(&loop_ptr, "loop_ptr")?,
        loop_points: slice(&loop_points, "loop_points")?,
        loop_region: slice(&loop_region, "loop_region")?,
        loop_protected: slice(&loop_protected, "loop_protected")?,
        region_size_m: slice(&region_size_m, "region_size_m")?,
        periodic_pairs: slice(&periodic_pairs, "periodic_pairs")?,
        sector_angle_rad,
        band_rotor_points: slice(&band_rotor_points, "band_rotor_points")?,
        band_stator_points: slice(&band_stator_points, "band_stator_points")?,
    };
    let opts = core::MeshOptions {
        min_angle_deg,
        max_nodes,
    };
    let m = py
        .detach(|| core::triangulate(&pslg, &opts))
        .map_err(mesh_err)?;
    let n = m.nodes.len();
    let nodes = m
        .nodes
        .into_iter()
        .flatten()
        .collect::<Vec<f64>>()
        .into_pyarray(py)
        .reshape([n, 2])?;
    let tris = triangles_array(py, &m.triangles)?;
    let region: Vec<i64> = m.region.iter().map(|&r| i64::from(r)).collect();
    let q = PyDict::new(py);
    q.set_item("min_angle_deg", m.quality.min_angle_deg)?;
    q.set_item("n_below", m.quality.n_below)?;
    q.set_item("n_below_forced", m.quality.n_below_forced)?;
    q.set_item("n_below_sharp_corner", m.quality.n_below_sharp_corner)?;
    q.set_item("n_below_protected", m.quality.n_below_protected)?;
    let n_pairs = m.periodic_pairs.len();
    let pairs: Vec<i64> = m
        .periodic_pairs
        .iter()
        .flatten()
        .map(|&i| i64::from(i))
        .collect();
    q.set_item(
        "periodic_pairs",
        pairs.into_pyarray(py).reshape([n_pairs, 2])?,
    )?;
    q.set_item("region_area_m2", m.quality.region_area_m2.into_pyarray(py))?;
    Ok((nodes, tris, region.into_pyarray(py), q))
}

type BandArrays<'py> = (Bound<'py, PyArray2<i64>>, Bound<'py, PyArray1<i64>>);

/// Air-gap band triangles for a rotor shift: (triangles (T, 3) int64, wraps (T,) int64).
#[pyfunction]
fn mesh_band_triangles<'py>(
    py: Python<'py>,
    points: PyReadonlyArray2<'py, f64>,
    rotor: PyReadonlyArray1<'py, i64>,
    stator: PyReadonlyArray1<'py, i64>,
    full: bool,
    shift: i64,
) -> PyResult<BandArrays<'py>> {
    let (p, r, s) = (
        slice(&points, "points")?,
        slice(&rotor, "band_rotor_points")?,
        slice(&stator, "band_stator_points")?,
    );
    let band = py
        .detach(|| core::band_triangles(p, r, s, full, shift))
        .map_err(mesh_err)?;
    Ok((
        triangles_array(py, &band.triangles)?,
        band.wraps.into_pyarray(py),
    ))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mesh_triangulate, m)?)?;
    m.add_function(wrap_pyfunction!(mesh_band_triangles, m)?)?;
    Ok(())
}
