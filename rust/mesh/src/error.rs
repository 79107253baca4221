use thiserror::Error;

/// Everything that can go wrong while meshing.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MeshError {
    /// The PSLG is geometrically invalid (the caller's fault): bad indices, NaN coordinates,
    /// degenerate or crossing loops, regions of non-positive area.
    #[error("invalid PSLG: {0}")]
    Geometry(String),
    /// A meshing option is out of range (minimum angle, node limit, band shift).
    #[error("invalid input: {0}")]
    Input(String),
    /// The refinement would need more nodes than allowed.
    #[error(
        "meshing needs more than max_nodes={limit} nodes; raise max_nodes or increase the \
         region sizes (region_size_m)"
    )]
    TooManyNodes { limit: usize },
    /// The triangulation kernel failed on a valid-looking input (numerical trouble).
    #[error("meshing failed: {0}")]
    Failed(String),
}

pub(crate) fn geometry(msg: impl Into<String>) -> MeshError {
    MeshError::Geometry(msg.into())
}
