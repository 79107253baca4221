//! repm-mesh: quality triangle meshes of region-labelled planar straight-line graphs (PSLGs),
//! and the air-gap band pattern for rotor motion. No Python here; `repm-python` binds it.
//!
//! The PSLG layout is the one of `repm.pslg.Pslg` (see its module docstring): points, loops in
//! CSR form (`loop_ptr`, `loop_points`), the region of each loop, a protected flag per loop and
//! a target edge length per region (non-positive: not meshed here, e.g. the air-gap band).
//!
//! The mesh keeps the input points as its first nodes, in order; then come the points that
//! split boundary edges, then interior Steiner points. Triangles are counter-clockwise.

mod band;
mod error;
mod refine;
mod validate;

pub use band::{band_triangles, Band};
pub use error::MeshError;
pub use refine::{min_angle_deg, MAX_MIN_ANGLE_DEG};

/// Borrowed PSLG arrays (see the crate docs for the layout).
#[derive(Debug, Clone, Copy)]
pub struct Pslg<'a> {
    /// Point coordinates, flat `[x0, y0, x1, y1, ...]`, metres.
    pub points: &'a [f64],
    /// Loop `k` is `loop_points[loop_ptr[k]..loop_ptr[k + 1]]`, closed implicitly.
    pub loop_ptr: &'a [i64],
    pub loop_points: &'a [i64],
    /// Region index of each loop (region on the left of the loop's edges).
    pub loop_region: &'a [i64],
    /// Edges of protected loops are never split, except sector sides (split in rotated pairs,
    /// see `periodic_pairs`) and, when band nodes are given, edges that are not on a band
    /// circle: the flag exists to keep side nodes paired and band nodes evenly spaced, and a
    /// sector's loops are protected as a whole because they contain side pieces.
    pub loop_protected: &'a [bool],
    /// Air-gap band nodes of the rotor and the stator circle, each in order (may be empty);
    /// consecutive ones bound the band-circle edges, which are never split.
    pub band_rotor_points: &'a [i64],
    pub band_stator_points: &'a [i64],
    /// Target edge length per region, metres; `<= 0`: the region is not meshed.
    pub region_size_m: &'a [f64],
    /// Periodic point pairs, flat `[a0, b0, a1, b1, ...]`. A loop edge joining two of these
    /// points whose image edge (joining their partners) exists is a sector side: it is split
    /// only together with its image, each new point paired with its rotated copy.
    pub periodic_pairs: &'a [i64],
    /// Rotation (rad, counter-clockwise about the origin) taking the first point of each
    /// periodic pair onto the second; new points on a sector side are rotated by it onto the
    /// partner side.
    pub sector_angle_rad: f64,
}

/// Meshing options.
#[derive(Debug, Clone, Copy)]
pub struct MeshOptions {
    /// Minimum angle the refinement aims for, degrees, in (0, 34].
    pub min_angle_deg: f64,
    /// Upper bound on the total number of nodes; exceeding it is an error, never a hang.
    pub max_nodes: usize,
}

impl Default for MeshOptions {
    fn default() -> Self {
        MeshOptions {
            min_angle_deg: 25.0,
            max_nodes: 2_000_000,
        }
    }
}

/// Mesh quality figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Smallest angle over all triangles, degrees.
    pub min_angle_deg: f64,
    /// Triangles whose smallest angle is below the limit.
    pub n_below: usize,
    /// Of those, the ones the input forces: `n_below_sharp_corner + n_below_protected`.
    pub n_below_forced: usize,
    /// Below the limit with the small angle at an input corner sharper than the limit.
    pub n_below_sharp_corner: usize,
    /// Below the limit because their circumcentre lies in the diametral circle of a protected
    /// (never split) edge of their region and of no splittable one, so refinement may not
    /// insert it.
    pub n_below_protected: usize,
    /// Sum of triangle areas per region, m².
    pub region_area_m2: Vec<f64>,
}

/// A triangle mesh.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    /// Node coordinates, metres; the first N are the input points in order.
    pub nodes: Vec<[f64; 2]>,
    /// Counter-clockwise node triples.
    pub triangles: Vec<[u32; 3]>,
    /// Region index of each triangle.
    pub region: Vec<u32>,
    /// Periodic node pairs (a, b), b the image of a under the sector rotation: the input pairs
    /// first, then the pairs of new points on the sector sides.
    pub periodic_pairs: Vec<[u32; 2]>,
    pub quality: Quality,
}

/// Meshes every region with a positive size; see the crate docs.
pub fn triangulate(pslg: &Pslg<'_>, opts: &MeshOptions) -> Result<Mesh, MeshError> {
    refine::triangulate(pslg, opts)
}

#[cfg(test)]
mod tests;
