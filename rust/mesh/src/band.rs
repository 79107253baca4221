//! The air-gap band: a fixed triangle pattern between two circles with the same number of
//! evenly spaced nodes, re-connected for every whole-step rotor shift.

use crate::error::{geometry, MeshError};
use crate::validate::{orient, point};

/// Band triangles for one rotor shift.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Node triples; counter-clockwise for the unshifted (shift 0) geometry.
    pub triangles: Vec<[u32; 3]>,
    /// Per triangle: how many sector widths the stator nodes of this triangle were wrapped
    /// (stator index `i + shift` taken modulo the sector). Always 0 for a full machine. For an
    /// anti-periodic sector, the stator unknowns of a triangle enter with sign `(-1)^wraps`.
    pub wraps: Vec<i64>,
}

/// Band triangles for a rotor shift of `shift` node steps (counter-clockwise positive).
///
/// `rotor` and `stator` are the band's point indices, ordered counter-clockwise, with the same
/// count. For a full machine (`full`), the circles are closed (`n` nodes, `n` quads); for a
/// sector, the first and last node of each list sit on the two sector sides (`n + 1` nodes,
/// `n` quads) and the pattern wraps across the sides.
///
/// Quad `i` is (rotor `i`, rotor `i + 1`, stator `j + 1`, stator `j`) with `j = i + shift`
/// (wrapped); it is always split along the (rotor `i`, stator `j + 1`) diagonal.
pub fn band_triangles(
    points: &[f64],
    rotor: &[i64],
    stator: &[i64],
    full: bool,
    shift: i64,
) -> Result<Band, MeshError> {
    let n_points = points.len() / 2;
    if rotor.len() != stator.len() {
        return Err(geometry(format!(
            "band_rotor_points ({}) and band_stator_points ({}) must have the same length",
            rotor.len(),
            stator.len()
        )));
    }
    let min_len = if full { 3 } else { 2 };
    if rotor.len() < min_len {
        return Err(geometry(format!(
            "the air-gap band needs at least {min_len} nodes per circle; got {}",
            rotor.len()
        )));
    }
    let idx = |name: &str, list: &[i64]| -> Result<Vec<u32>, MeshError> {
        list.iter()
            .enumerate()
            .map(|(j, &i)| {
                if i < 0 || i as usize >= n_points {
                    Err(geometry(format!(
                        "{name}[{j}] = {i} is out of range 0..{n_points}"
                    )))
                } else {
                    Ok(i as u32)
                }
            })
            .collect()
    };
    let r = idx("band_rotor_points", rotor)?;
    let s = idx("band_stator_points", stator)?;
    let n = if full { r.len() } else { r.len() - 1 };
    let n_i = n as i64;
    // Orientation fixed once from the unshifted first quad, reused for every shift.
    let (a, b, c) = (
        point(points, r[0]),
        point(points, r[1]),
        point(points, s[1]),
    );
    let area = orient(a, b, c);
    if !area.is_finite() || area == 0.0 {
        return Err(geometry(
            "the first air-gap band quad is degenerate: rotor and stator band nodes must lie on \
             two distinct circles, ordered counter-clockwise",
        ));
    }
    let ccw = area > 0.0;
    let at = |list: &[u32], k: usize| list[if full { k % n } else { k }];
    let mut band = Band {
        triangles: Vec::with_capacity(2 * n),
        wraps: Vec::with_capacity(2 * n),
    };
    for i in 0..n {
        let shifted = i as i64 + shift;
        let wraps = if full { 0 } else { shifted.div_euclid(n_i) };
        let j = shifted.rem_euclid(n_i) as usize;
        let (ra, rb, sc, sd) = (at(&r, i), at(&r, i + 1), at(&s, j + 1), at(&s, j));
        if ccw {
            band.triangles.push([ra, rb, sc]);
            band.triangles.push([ra, sc, sd]);
        } else {
            band.triangles.push([ra, sc, rb]);
            band.triangles.push([ra, sd, sc]);
        }
        band.wraps.push(wraps);
        band.wraps.push(wraps);
    }
    Ok(band)
}
