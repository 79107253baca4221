"""Quality triangle meshes of a machine cross-section, from a :class:`repm.pslg.Pslg`.

:func:`triangulate` meshes every region with a positive target size (``region_size_m``, metres)
in Rust, on the ``spade`` crate's constrained Delaunay triangulation and Ruppert/Chew-style
refinement:

1. loop edges are split (graded from short neighbouring edges, growth 0.5 m/m) to the smallest
   size of the regions they bound. Band-circle edges (consecutive ``band_rotor_points`` /
   ``band_stator_points``) are never split; without a band, no edge of a protected loop is.
   Sector sides (an edge between ``periodic_pairs`` points whose image edge exists) are split
   in pairs: each new point is rotated by ``sector_angle_rad`` onto the partner side and the
   pair is added to :attr:`Mesh.periodic_pairs`. (A sector's loops are protected as a whole
   because they contain side pieces; the flag's purpose, paired side nodes and evenly spaced
   band nodes, is kept this way.)
2. a pre-pass refines each region to the angle limit without area limit, letting boundary edges
   split: the points it needs on a boundary (thin bridges, close features) are merged from both
   sides and become fixed boundary points, so neighbouring regions share all their boundary
   nodes and the mesh conforms;
3. each region is refined to the angle limit (plus 0.5°) and to the area of an equilateral
   triangle of its edge length (a model choice: triangles may be smaller, next to a boundary
   occasionally up to ~1.5× larger), boundary edges kept. Then, as in Ruppert's algorithm,
   every splittable boundary edge whose diametral circle holds the circumcentre of a triangle
   still below the limit is split at its midpoint (in pairs on the sides) and the regions on
   both sides are re-meshed, for a few rounds; the Steiner nodes of triangles still below the
   limit are finally smoothed locally (boundary ones slide along their input edge, side ones
   stay, so geometry, region areas and pairs are unchanged).

Triangles still below the limit are classified (:class:`MeshQuality`): *forced* are those whose
small angle sits at an input corner sharper than the limit, and those whose circumcentre lies
in the diametral circle of an unsplittable band edge and of no splittable one (refinement may
not insert it). Any other triangle below the limit is reported as unforced.

The air-gap band (the region of size ≤ 0 named by ``Pslg.band_region``) is not refined: it is a
fixed pattern between the rotor and stator band circles, re-connected for every whole-step rotor
shift by :meth:`Mesh.band_triangles`. ``Mesh.triangles`` holds the other regions only.

Units: metres and m². Node order: the PSLG's points first (same indices), then boundary split
points, then interior Steiner points. Triangles are counter-clockwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from repm import _core
from repm.errors import GeometryError, InputError
from repm.pslg import Pslg, Region

__all__ = ["BandTriangles", "Mesh", "MeshQuality", "triangulate"]

_KIND_COLOURS = {
    "stator_steel": "#8c9db5",
    "rotor_steel": "#6f7f99",
    "magnet": "#d9534f",
    "coil": "#e8a33d",
    "air": "#e9f2fb",
    "airgap": "#cfe3f7",
    "airgap_band": "#b5d3f2",
    "shaft": "#555555",
}


@dataclass(frozen=True)
class MeshQuality:
    """Quality figures of a mesh (band triangles excluded).

    Attributes:
        min_angle_deg: smallest triangle angle, degrees.
        min_angle_limit_deg: the limit the refinement aimed for, degrees.
        n_below_limit: triangles whose smallest angle is below the limit.
        n_below_limit_forced: of those, the ones the input forces:
            ``n_below_sharp_corner + n_below_band``.
        n_below_sharp_corner: below the limit with the small angle at an input corner sharper
            than the limit.
        n_below_band: below the limit with the circumcentre in the diametral circle of an
            unsplittable band-circle edge (and of no splittable edge).
        n_nodes: number of nodes (including band nodes).
        n_triangles: number of triangles (without the band).
        region_area_m2: summed triangle area per region index, m² (the band region at shift 0).
    """

    min_angle_deg: float
    min_angle_limit_deg: float
    n_below_limit: int
    n_below_limit_forced: int
    n_nodes: int
    n_triangles: int
    region_area_m2: tuple[float, ...]
    n_below_sharp_corner: int = 0
    n_below_band: int = 0


@dataclass(frozen=True, eq=False)
class BandTriangles:
    """The air-gap band triangles for one rotor shift.

    Attributes:
        triangles: (T, 3) int64 node indices (counter-clockwise in the unshifted geometry).
        wraps: (T,) int64: how many sector widths the stator nodes of each triangle were
            wrapped across the sector sides (0 for a full machine).
        sign: (T,) float64, +1 or -1: the factor of the triangle's stator unknowns; -1 where an
            anti-periodic sector wrapped an odd number of times.
    """

    triangles: NDArray[np.int64]
    wraps: NDArray[np.int64]
    sign: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Mesh:
    """A region-labelled triangle mesh (see the module docstring).

    Attributes:
        nodes: (M, 2) float64 coordinates, m; the first N are the PSLG's points.
        triangles: (T, 3) int64, counter-clockwise; the air-gap band is not included.
        region: (T,) int64 region index of each triangle (into ``regions``).
        regions: the PSLG's region metadata.
        periodic_pairs: (P, 2) int64 node pairs (a, b), b the image of a under the sector
            rotation (the PSLG's pairs, then those of nodes added on the sector sides).
        antiperiodic: whether the field changes sign across the sector sides.
        sector_angle_rad: angle of the modelled sector, rad (2π for a full machine).
        band_rotor_nodes: (n,) int64 rotor-side band nodes, counter-clockwise.
        band_stator_nodes: (n,) int64 stator-side band nodes, counter-clockwise.
        band_region: index of the band region, -1 if there is no band.
        quality: :class:`MeshQuality`.
    """

    nodes: NDArray[np.float64]
    triangles: NDArray[np.int64]
    region: NDArray[np.int64]
    regions: tuple[Region, ...]
    periodic_pairs: NDArray[np.int64]
    antiperiodic: bool
    sector_angle_rad: float
    band_rotor_nodes: NDArray[np.int64]
    band_stator_nodes: NDArray[np.int64]
    band_region: int
    quality: MeshQuality

    @property
    def is_full_machine(self) -> bool:
        """True when the mesh covers the whole cross-section (no sector sides)."""
        return len(self.periodic_pairs) == 0 and math.isclose(self.sector_angle_rad, 2 * math.pi)

    @property
    def has_band(self) -> bool:
        """True when the mesh has an air-gap band."""
        return len(self.band_rotor_nodes) > 0

    def band_triangles(self, shift_steps: int = 0) -> BandTriangles:
        """The band triangles with the rotor turned by ``shift_steps`` band node steps
        (counter-clockwise positive; any integer, wrapped around the machine or sector).

        Quad ``i`` joins rotor nodes ``i, i+1`` to stator nodes ``j, j+1`` with
        ``j = i + shift_steps``; its diagonal is always (rotor ``i``, stator ``j+1``), so the
        pattern is the same for every step. In a sector, stator indices past the sector side
        wrap around (reported in ``wraps``; ``sign`` is -1 where that flips the field of an
        anti-periodic sector).

        Raises:
            InputError: ``shift_steps`` is not an integer, or the mesh has no band.
        """
        if isinstance(shift_steps, bool) or not isinstance(shift_steps, (int, np.integer)):
            raise InputError(f"shift_steps must be an integer; got {shift_steps!r}")
        if not self.has_band:
            raise InputError("this mesh has no air-gap band (band_rotor_points is empty)")
        tris, wraps = _core.mesh_band_triangles(
            self.nodes,
            self.band_rotor_nodes,
            self.band_stator_nodes,
            self.is_full_machine,
            int(shift_steps),
        )
        odd = (wraps % 2) != 0
        sign = np.where(odd & self.antiperiodic, -1.0, 1.0)
        return BandTriangles(triangles=tris, wraps=wraps, sign=sign)

    def region_areas(self) -> dict[str, float]:
        """Meshed area per region name, m² (the band at shift 0)."""
        return {
            r.name: float(a) for r, a in zip(self.regions, self.quality.region_area_m2, strict=True)
        }

    def _all_cells(self, include_band: bool) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        if include_band and self.has_band:
            band = self.band_triangles(0).triangles
            tris = np.concatenate([self.triangles, band])
            reg = np.concatenate([self.region, np.full(len(band), self.band_region, np.int64)])
            return tris, reg
        return self.triangles, self.region

    def to_meshio(self, include_band: bool = True) -> Any:
        """A ``meshio.Mesh`` (points with z = 0, one ``triangle`` block) with cell data
        ``region`` (int64 region index); the band at shift 0 is included unless told not to."""
        import meshio

        tris, reg = self._all_cells(include_band)
        pts = np.column_stack([self.nodes, np.zeros(len(self.nodes))])
        return meshio.Mesh(pts, [("triangle", tris)], cell_data={"region": [reg]})

    def write(self, path: str | Path, include_band: bool = True) -> None:
        """Writes the mesh with meshio; the format follows the suffix (``.vtu``, ``.msh``, …).
        ``.msh`` is Gmsh 2.2 ASCII with the region index + 1 as physical tag; other formats carry
        the cell data ``region``.

        Raises:
            InputError: the suffix is not a format meshio knows.
        """
        import meshio

        path = Path(path)
        mesh = self.to_meshio(include_band)
        if path.suffix == ".msh":
            # Gmsh 2.2 ASCII: the region index + 1 as physical and elementary tag.
            tag = mesh.cell_data["region"][0] + 1
            gmsh = meshio.Mesh(
                mesh.points,
                mesh.cells,
                cell_data={"gmsh:physical": [tag], "gmsh:geometrical": [tag]},
            )
            gmsh.write(path, file_format="gmsh22", binary=False)
            return
        try:
            mesh.write(path)
        except (KeyError, ValueError, meshio.ReadError, meshio.WriteError) as e:
            raise InputError(f"cannot write a mesh to {str(path)!r}: {e}") from e

    def plot(self, ax: Any = None, path: str | Path | None = None) -> Any:
        """Draws the mesh with matplotlib: triangles filled by region kind, thin element
        edges, region boundaries in black. Saves to ``path`` (Agg backend) if given; returns
        the axes."""
        import matplotlib

        if ax is None and path is not None:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import LineCollection, PolyCollection

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 8))
        tris, reg = self._all_cells(True)
        colours = [_KIND_COLOURS.get(self.regions[r].kind, "#cccccc") for r in reg]
        polys = self.nodes[tris]
        ax.add_collection(
            PolyCollection(polys, facecolors=colours, edgecolors="#00000070", linewidths=0.25)
        )
        # Region boundaries: edges whose two triangles differ in region (or with one triangle).
        edges = np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]])
        edge_reg = np.tile(reg, 3)
        key = np.sort(edges, axis=1)
        order = np.lexsort((key[:, 1], key[:, 0]))
        key, edge_reg = key[order], edge_reg[order]
        same = np.all(key[1:] == key[:-1], axis=1)
        boundary = np.ones(len(key), bool)
        inner_pair = same & (edge_reg[1:] == edge_reg[:-1])
        boundary[:-1] &= ~inner_pair
        boundary[1:] &= ~inner_pair
        ax.add_collection(LineCollection(self.nodes[key[boundary]], colors="k", linewidths=0.6))
        ax.set_aspect("equal")
        ax.autoscale_view()
        ax.set_xlabel("x (m)")
        ax.set_ylabel("y (m)")
        if path is not None:
            ax.figure.savefig(path, dpi=150)
        return ax


def _as(name: str, a: Any, dtype: Any, ndim: int) -> NDArray[Any]:
    try:
        arr = np.ascontiguousarray(a, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise GeometryError(f"{name} must be convertible to {np.dtype(dtype)}: {e}") from e
    if arr.ndim != ndim:
        raise GeometryError(f"{name} must be {ndim}-D; got shape {arr.shape}")
    return arr


def triangulate(pslg: Pslg, *, min_angle_deg: float = 25.0, max_nodes: int = 2_000_000) -> Mesh:
    """Meshes a PSLG (see the module docstring).

    Args:
        pslg: the region-labelled PSLG (:class:`repm.pslg.Pslg`), coordinates in m.
        min_angle_deg: minimum triangle angle the refinement aims for, degrees, in (0, 34].
            Angles below it remain only where the input forces them (sharp input corners,
            next to protected edges); :attr:`Mesh.quality` counts them.
        max_nodes: upper bound on the number of nodes; exceeding it raises
            :class:`repm.errors.MeshError` instead of running on.

    Returns:
        The :class:`Mesh`.

    Raises:
        GeometryError: the PSLG is invalid: NaN/inf coordinates, duplicate points, loops with
            fewer than 3 points or repeated points, indices out of range, crossing loops,
            regions of non-positive area (wrong loop orientation), points on no loop, a band
            with unequal or too few nodes.
        InputError: ``min_angle_deg`` outside (0, 34] or ``max_nodes`` < 1.
        MeshError: more than ``max_nodes`` nodes would be needed, or the kernel failed.
    """
    if not isinstance(pslg, Pslg):
        raise InputError(f"pslg must be a repm.pslg.Pslg; got {type(pslg).__name__}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, (int, np.integer)):
        raise InputError(f"max_nodes must be an integer; got {max_nodes!r}")
    if max_nodes < 1:
        raise InputError(f"max_nodes = {max_nodes} must be at least 1")
    try:
        angle = float(min_angle_deg)
    except (TypeError, ValueError) as e:
        raise InputError(f"min_angle_deg must be a number; got {min_angle_deg!r}") from e
    points = _as("points", pslg.points, np.float64, 2)
    if points.shape[1:] != (2,):
        raise GeometryError(f"points must have shape (N, 2); got {points.shape}")
    sizes = _as("region_size_m", pslg.region_size_m, np.float64, 1)
    if len(sizes) != len(pslg.regions):
        raise GeometryError(
            f"region_size_m has {len(sizes)} entries but there are {len(pslg.regions)} regions"
        )
    rotor = _as("band_rotor_points", pslg.band_rotor_points, np.int64, 1)
    stator = _as("band_stator_points", pslg.band_stator_points, np.int64, 1)
    pairs = _as("periodic_pairs", pslg.periodic_pairs, np.int64, 2)
    if pairs.shape[1:] != (2,):
        raise GeometryError(f"periodic_pairs must have shape (P, 2); got {pairs.shape}")
    sector = float(pslg.sector_angle_rad)
    if not (0.0 < sector <= 2 * math.pi + 1e-12):
        raise GeometryError(f"sector_angle_rad = {sector} must be in (0, 2π]")
    band_region = int(pslg.band_region)
    if len(rotor) or len(stator):
        if not (0 <= band_region < len(pslg.regions)):
            raise GeometryError(
                f"band_region = {band_region} must index a region when band points are given"
            )
        if sizes[band_region] > 0:
            raise GeometryError(
                f"region_size_m[{band_region}] = {sizes[band_region]} must be <= 0 for the "
                "air-gap band region"
            )
    nodes, tris, region, q = _core.mesh_triangulate(
        points,
        _as("loop_ptr", pslg.loop_ptr, np.int64, 1),
        _as("loop_points", pslg.loop_points, np.int64, 1),
        _as("loop_region", pslg.loop_region, np.int64, 1),
        _as("loop_protected", pslg.loop_protected, np.bool_, 1),
        sizes,
        pairs,
        sector,
        rotor,
        stator,
        angle,
        int(max_nodes),
    )
    areas = np.asarray(q["region_area_m2"], np.float64).copy()
    mesh = Mesh(
        nodes=nodes,
        triangles=tris,
        region=region,
        regions=tuple(pslg.regions),
        periodic_pairs=np.asarray(q["periodic_pairs"], np.int64).reshape(-1, 2),
        antiperiodic=bool(pslg.antiperiodic),
        sector_angle_rad=sector,
        band_rotor_nodes=rotor,
        band_stator_nodes=stator,
        band_region=band_region if len(rotor) else -1,
        quality=MeshQuality(
            min_angle_deg=float(q["min_angle_deg"]),
            min_angle_limit_deg=angle,
            n_below_limit=int(q["n_below"]),
            n_below_limit_forced=int(q["n_below_forced"]),
            n_below_sharp_corner=int(q["n_below_sharp_corner"]),
            n_below_band=int(q["n_below_protected"]),
            n_nodes=len(nodes),
            n_triangles=len(tris),
            region_area_m2=(),
        ),
    )
    if mesh.has_band:
        band = mesh.band_triangles(0).triangles  # validates the band (GeometryError)
        p = nodes[band]
        cross = (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1]) - (
            p[:, 1, 1] - p[:, 0, 1]
        ) * (p[:, 2, 0] - p[:, 0, 0])
        if np.any(cross <= 0):
            raise GeometryError(
                "the air-gap band has inverted triangles at shift 0: band_rotor_points and "
                "band_stator_points must run counter-clockwise, aligned node for node"
            )
        areas[band_region] += 0.5 * float(cross.sum())
    areas_t = tuple(float(a) for a in areas)
    return replace(mesh, quality=replace(mesh.quality, region_area_m2=areas_t))
