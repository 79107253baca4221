"""The hand-over between the geometry layer and the mesher: a region-labelled planar straight-line
graph (PSLG).

The geometry layer (:mod:`repm.geometry`) discretises every curve of a machine cross-section into
points and closed loops; the mesher (:mod:`repm.mesh`) triangulates the regions those loops bound.
Everything is plain arrays so that the Rust mesher can take them without conversion.

Conventions:

* ``points`` (N, 2) in metres. Points are unique (no two identical coordinates). The mesher keeps
  them as its first N nodes, in the same order, so indices into ``points`` stay valid in the mesh.
* Region ``r`` is bounded by the loops ``k`` with ``loop_region[k] == r``; loop ``k`` is the point
  sequence ``loop_points[loop_ptr[k]:loop_ptr[k + 1]]`` (closed implicitly, last → first). A
  region's outer loop runs counter-clockwise, its holes clockwise, so the region is always on the
  left of its loop edges. A boundary shared by two regions appears in both, traversed in opposite
  directions, through the same points.
* ``region_size_m[r]`` is the target edge length inside region ``r`` (m); a region with a
  non-positive size is not triangulated by the general mesher (the air-gap band, which is built as
  a fixed pattern from :attr:`band_rotor_points` and :attr:`band_stator_points`).
* Edges between consecutive points of a loop that has ``loop_protected[k]`` set must not be split
  by the mesher: the sector's side boundaries (so that their nodes pair exactly) and the circles of
  the air-gap band (so that their nodes stay evenly spaced).
* ``periodic_pairs`` (P, 2): point indices (a, b) with b the image of a under the sector rotation
  by ``sector_angle_rad``; ``antiperiodic`` says whether the field changes sign across it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, eq=False)
class Region:
    """Metadata of one region of a cross-section.

    Attributes:
        name: unique, human-readable (``"magnet 3"``, ``"coil A+ layer 1 slot 4"``).
        kind: one of ``stator_steel``, ``rotor_steel``, ``magnet``, ``coil``, ``air``,
            ``airgap``, ``airgap_band``, ``shaft``.
        material: grade name (steel, magnet, conductor) or ``""`` for air.
        magnetisation: for magnets: ``"parallel"`` (direction ``direction_rad``) or ``"radial"``
            (``sign`` +1 outward, -1 inward), else ``""``.
        direction_rad: magnetisation direction of a parallel-magnetised magnet, rad.
        sign: +1/-1 for magnets (radial sense) and coil sides (current sense); 0 otherwise.
        phase: coil phase index (0 = A), -1 for non-coils.
        layer: coil layer (0 = first/upper), -1 for non-coils.
        slot: slot index for coils, -1 otherwise.
    """

    name: str
    kind: str
    material: str = ""
    magnetisation: str = ""
    direction_rad: float = 0.0
    sign: int = 0
    phase: int = -1
    layer: int = -1
    slot: int = -1


@dataclass(frozen=True, eq=False)
class Pslg:
    """A region-labelled planar straight-line graph (see the module docstring)."""

    points: NDArray[np.float64]
    loop_ptr: NDArray[np.int64]
    loop_points: NDArray[np.int64]
    loop_region: NDArray[np.int64]
    loop_protected: NDArray[np.bool_]
    regions: tuple[Region, ...]
    region_size_m: NDArray[np.float64]
    band_rotor_points: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    band_stator_points: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    band_region: int = -1
    sector_angle_rad: float = 2 * np.pi
    antiperiodic: bool = False
    periodic_pairs: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    @property
    def is_full_machine(self) -> bool:
        """True when the PSLG covers the whole cross-section (no sector boundaries)."""
        return len(self.periodic_pairs) == 0 and bool(np.isclose(self.sector_angle_rad, 2 * np.pi))
