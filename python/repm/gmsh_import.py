"""Meshes from elsewhere: Gmsh ``.msh`` files (2.2 or 4.1, read with meshio) with physical groups,
turned into a :class:`repm.fem.Problem` through a region map given in Python or TOML.

A region map says what each **physical group** of the mesh is. Groups are named by their Gmsh
physical name or, for unnamed groups, by their integer tag written as a string (``"7"``).
Every triangle must belong to a mapped surface group; every mapped group must exist.

TOML schema (``[materials]`` is optional and takes the tables of :mod:`repm.materials`)::

    dirichlet = "outer"        # line group: A = 0 on its nodes (required)
    airgap = "airgap"          # surface group, an annulus, for Arkkio torque (optional)
    stack_length_m = 0.0835    # optional: also report per-machine values (x stack length)

    [groups.stator]            # one table per physical group (name or tag)
    kind = "steel"
    grade = "M400-50A"         # catalogue grade (repm.steels) or a [materials.steel.X] name

    [groups.air]
    kind = "air"

    [groups."magnet 1"]
    kind = "magnet"
    grade = "N38SH"            # catalogue grade (repm.magnets) or a [materials.magnet.X] name
    temperature_c = 20.0       # default 20 °C: Br(T) from the grade's temperature model
    magnetisation = "parallel" # "parallel" (direction_deg, CCW from +x) or "radial" (sign)
    direction_deg = 40.0       # parallel only
    # sign = 1                 # radial only: +1 outward, -1 inward

    [groups.A_plus]
    kind = "coil"
    phase = "A"                # any name; currents can be given per phase or per group
    sign = 1                   # +1: current along +z, -1: along -z
    turns = 9                  # turns of the phase in this group (> 0)
    current_a = 0.0            # optional phase current, A (default 0)

    [materials.steel.MySteel]  # optional user materials, as in repm.materials
    density_kg_per_m3 = 7650.0
    bh_h_a_per_m = [0.0, 100.0, 1000.0, 10000.0]
    bh_b_t = [0.0, 1.0, 1.5, 1.9]

Physics and units (SI, per metre of stack unless said otherwise):

* air: ν_r = 1; steel: nonlinear ν(B²) of the grade; magnet: linear, ν_r = 1/μ_rec and
  remanence Br(T) along ``direction_deg`` (parallel) or ``sign`` times the outward radial unit
  vector at the triangle centroid (radial); coil: ν_r = 1 and current density
  J = sign·turns·I / area_g (A/m²), uniform over the group's area area_g.
* Flux linkage of a coil group g: ψ_g = sign·turns·∫_g A dS / area_g, in Wb per metre of stack
  (multiply by the stack length for Wb); a phase's flux linkage is the sum over its groups.
* Arkkio torque on the air-gap group (an annulus r_i ≤ r ≤ r_o, radii taken from its nodes):
  T = 1/(μ0 (r_o − r_i)) ∫ r B_r B_θ dS, N·m per metre of stack, counter-clockwise positive,
  with B constant per triangle and r, θ at the triangle centroid (one-point rule).

Entry points: :func:`load` (``.msh`` + map → :class:`ImportedModel`, whose
:meth:`ImportedModel.problem` is the :class:`repm.fem.Problem`), :func:`read_msh`,
:func:`write_msh` (a repm mesh → named-group ``.msh`` + map dict) and :func:`from_mesh` (a repm
mesh, full or sector, → :class:`ImportedModel` directly). ``repm solve`` is the CLI.

Errors: :class:`repm.GeometryError` for what is wrong in the mesh (unreadable file, element
types other than triangles/lines/points, NaN or 3D coordinates, degenerate triangles, unmapped
groups, missing groups, a Dirichlet group that is not a line group); :class:`repm.InputError`
for a malformed region map (unknown kinds or keys, bad values, non-finite numbers), naming the
group and the field.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from repm._checks import finite_number
from repm._toml import read_toml
from repm.errors import GeometryError, InputError
from repm.fem import arkkio_torque, signed_triangle_areas

__all__ = [
    "AirRegion",
    "CoilGroup",
    "CoilRegion",
    "ImportedModel",
    "MagnetRegion",
    "RegionMap",
    "SteelRegion",
    "arkkio_torque",
    "element_b",
    "from_mesh",
    "load",
    "read_msh",
    "write_msh",
]

MU0 = 4e-7 * math.pi
KINDS = ("air", "steel", "magnet", "coil")


# --------------------------------------------------------------------------------------------
# Region map
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AirRegion:
    """Non-magnetic, current-free region (ν_r = 1)."""


@dataclass(frozen=True)
class SteelRegion:
    """Nonlinear steel: ``grade`` names a catalogue grade or a user steel of the map's
    materials."""

    grade: str


@dataclass(frozen=True)
class MagnetRegion:
    """Linear magnet: Br(temperature_c) and μ_rec of ``grade``; ``magnetisation`` "parallel"
    (``direction_deg``, counter-clockwise from +x) or "radial" (``sign`` +1 outward, -1 inward)."""

    grade: str
    temperature_c: float = 20.0
    magnetisation: str = "parallel"
    direction_deg: float = 0.0
    sign: int = 1


@dataclass(frozen=True)
class CoilRegion:
    """Coil side(s) of phase ``phase``: ``turns`` turns carrying ``current_a`` (A) along
    ``sign``·z."""

    phase: str
    sign: int = 1
    turns: float = 1.0
    current_a: float = 0.0


RegionKind = AirRegion | SteelRegion | MagnetRegion | CoilRegion

_KEYS: dict[str, tuple[str, ...]] = {
    "air": ("kind",),
    "steel": ("kind", "grade"),
    "magnet": ("kind", "grade", "temperature_c", "magnetisation", "direction_deg", "sign"),
    "coil": ("kind", "phase", "sign", "turns", "current_a"),
}
_TOP_KEYS = ("dirichlet", "airgap", "stack_length_m", "groups", "materials")


def _sign(value: Any, where: str) -> int:
    if isinstance(value, bool) or value not in (1, -1):
        raise InputError(f"{where} = {value!r} is invalid: +1 or -1 is allowed")
    return int(value)


def _name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where} = {value!r} is invalid: a non-empty string is required")
    return value


def _region_from_dict(name: str, spec: Any) -> RegionKind:
    where = f"groups.{name}"
    if not isinstance(spec, Mapping):
        raise InputError(f"{where} = {spec!r} is invalid: a table with a 'kind' is required")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise InputError(f"{where}.kind = {kind!r} is invalid: one of {', '.join(KINDS)}")
    unknown = sorted(set(spec) - set(_KEYS[kind]))
    if unknown:
        raise InputError(
            f"{where}: key(s) {unknown} are invalid for kind {kind!r}: allowed keys are "
            f"{', '.join(_KEYS[kind])}"
        )
    if kind == "air":
        return AirRegion()
    if kind == "steel":
        return SteelRegion(grade=_name(spec.get("grade"), f"{where}.grade"))
    if kind == "magnet":
        mag = spec.get("magnetisation", "parallel")
        if mag not in ("parallel", "radial"):
            raise InputError(
                f"{where}.magnetisation = {mag!r} is invalid: 'parallel' or 'radial' is allowed"
            )
        if mag == "parallel" and "sign" in spec:
            raise InputError(f"{where}.sign is invalid for a parallel magnet: use direction_deg")
        if mag == "radial" and "direction_deg" in spec:
            raise InputError(f"{where}.direction_deg is invalid for a radial magnet: use sign")
        return MagnetRegion(
            grade=_name(spec.get("grade"), f"{where}.grade"),
            temperature_c=finite_number(f"{where}.temperature_c", spec.get("temperature_c", 20.0)),
            magnetisation=mag,
            direction_deg=finite_number(f"{where}.direction_deg", spec.get("direction_deg", 0.0)),
            sign=_sign(spec.get("sign", 1), f"{where}.sign"),
        )
    return CoilRegion(
        phase=_name(spec.get("phase"), f"{where}.phase"),
        sign=_sign(spec.get("sign", 1), f"{where}.sign"),
        turns=finite_number(f"{where}.turns", spec.get("turns", 1.0), positive=True),
        current_a=finite_number(f"{where}.current_a", spec.get("current_a", 0.0)),
    )


@dataclass(frozen=True, eq=False)
class RegionMap:
    """What each physical group of a mesh is (see the module docstring).

    Attributes:
        groups: (group name or tag string, region) pairs, in file order.
        dirichlet: the line group with A = 0.
        airgap: the annular surface group for Arkkio torque, or None.
        stack_length_m: stack length, m, or None.
        materials: user-defined materials (:class:`repm.materials.MaterialLibrary`) or None.
    """

    groups: tuple[tuple[str, RegionKind], ...]
    dirichlet: str
    airgap: str | None = None
    stack_length_m: float | None = None
    materials: Any = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RegionMap:
        """Builds and validates a map from the TOML structure (a plain dict)."""
        if not isinstance(data, Mapping):
            raise InputError(f"region map = {data!r} is invalid: a mapping is required")
        unknown = sorted(set(data) - set(_TOP_KEYS))
        if unknown:
            raise InputError(
                f"region map key(s) {unknown} are invalid: allowed keys are {', '.join(_TOP_KEYS)}"
            )
        groups = data.get("groups")
        if not isinstance(groups, Mapping) or not groups:
            raise InputError(
                f"groups = {groups!r} is invalid: a non-empty table of physical groups is required"
            )
        regions = tuple(
            (_name(str(k), "groups key"), _region_from_dict(str(k), v)) for k, v in groups.items()
        )
        if "dirichlet" not in data:
            raise InputError("dirichlet is missing: the name of a line group (A = 0) is required")
        dirichlet = _name(
            str(data["dirichlet"]) if isinstance(data["dirichlet"], int) else data["dirichlet"],
            "dirichlet",
        )
        airgap = data.get("airgap")
        if airgap is not None:
            airgap = _name(str(airgap) if isinstance(airgap, int) else airgap, "airgap")
        stack = data.get("stack_length_m")
        if stack is not None:
            stack = finite_number("stack_length_m", stack, positive=True)
        materials = None
        if data.get("materials") is not None:
            from repm import materials as _materials

            materials = _materials.from_mapping(data["materials"])
        return cls(regions, dirichlet, airgap, stack, materials)

    @classmethod
    def from_toml(cls, path: str | Path) -> RegionMap:
        """Reads a region-map TOML file (schema in the module docstring)."""
        return cls.from_dict(read_toml(path, "region map file"))

    def region(self, group: str) -> RegionKind:
        """The region of ``group`` (InputError if not mapped)."""
        for name, reg in self.groups:
            if name == group:
                return reg
        raise InputError(f"group {group!r} is not in the region map")


# --------------------------------------------------------------------------------------------
# Reading .msh
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class GmshMesh:
    """The raw content of a ``.msh`` file that repm uses.

    Attributes:
        points: (N, 2) float64, m.
        triangles: (T, 3) int64 into ``points``; ``triangle_tag``: (T,) physical tags.
        lines: (L, 2) int64; ``line_tag``: (L,) physical tags.
        names: {(dim, tag): name} of the named physical groups.
    """

    points: NDArray[np.float64]
    triangles: NDArray[np.int64]
    triangle_tag: NDArray[np.int64]
    lines: NDArray[np.int64]
    line_tag: NDArray[np.int64]
    names: dict[tuple[int, int], str]

    def group_label(self, dim: int, tag: int) -> str:
        """The map key of a group: its name, or its tag as a string."""
        return self.names.get((dim, tag), str(tag))


_ALLOWED_CELLS = {"triangle": 2, "line": 1, "vertex": 0}


def read_msh(path: str | Path) -> GmshMesh:
    """Reads a Gmsh ``.msh`` (2.2 or 4.1, ASCII or binary) with meshio.

    Raises:
        GeometryError: unreadable file, element types other than triangle/line/vertex, cells
            without a physical tag, non-finite or non-planar (z ≠ 0) coordinates.
    """
    import meshio

    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"mesh path = {path!r} is invalid: a file path is required")
    path = Path(path)
    if not path.is_file():
        raise GeometryError(f"mesh file {str(path)!r} does not exist")
    try:
        # meshio prints and calls sys.exit on some unreadable files: keep both inside.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            m = meshio.read(path, file_format="gmsh")
    except (Exception, SystemExit) as err:  # meshio raises many types on malformed files
        raise GeometryError(f"mesh file {str(path)!r} cannot be read as Gmsh .msh: {err}") from err
    pts = np.asarray(m.points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] not in (2, 3) or len(pts) == 0:
        raise GeometryError(f"mesh file {str(path)!r}: points have shape {pts.shape}")
    if not np.all(np.isfinite(pts)):
        bad = int(np.argwhere(~np.all(np.isfinite(pts), axis=1))[0, 0])
        raise GeometryError(f"mesh file {str(path)!r}: node {bad} has non-finite coordinates")
    if pts.shape[1] == 3 and np.any(pts[:, 2] != 0.0):
        raise GeometryError(
            f"mesh file {str(path)!r}: nodes have z != 0 (max |z| = {np.abs(pts[:, 2]).max():g}); "
            "a planar mesh in the xy-plane is required"
        )
    phys = m.cell_data.get("gmsh:physical")
    if phys is None:
        raise GeometryError(
            f"mesh file {str(path)!r} has no physical groups: tag regions in Gmsh "
            "(Physical Surface / Physical Curve)"
        )
    tris, ttag, lines, ltag = [], [], [], []
    for block, tags in zip(m.cells, phys, strict=True):
        if block.type not in _ALLOWED_CELLS:
            raise GeometryError(
                f"mesh file {str(path)!r} has {len(block.data)} elements of type "
                f"{block.type!r}: only first-order triangles (with line and point groups) "
                "are allowed"
            )
        if block.type == "triangle":
            tris.append(np.asarray(block.data, np.int64))
            ttag.append(np.asarray(tags, np.int64))
        elif block.type == "line":
            lines.append(np.asarray(block.data, np.int64))
            ltag.append(np.asarray(tags, np.int64))
    if not tris:
        raise GeometryError(f"mesh file {str(path)!r} has no triangles")
    untagged = int(sum(np.sum(t <= 0) for t in ttag))
    if untagged:
        raise GeometryError(
            f"mesh file {str(path)!r}: {untagged} triangles have no physical group (tag 0): "
            "put every surface in a Physical Surface"
        )
    names: dict[tuple[int, int], str] = {}
    for name, val in (m.field_data or {}).items():
        arr = np.asarray(val).reshape(-1)
        if len(arr) >= 2:
            names[(int(arr[1]), int(arr[0]))] = str(name)
    return GmshMesh(
        points=np.ascontiguousarray(pts[:, :2]),
        triangles=np.concatenate(tris),
        triangle_tag=np.concatenate(ttag),
        lines=np.concatenate(lines) if lines else np.zeros((0, 2), np.int64),
        line_tag=np.concatenate(ltag) if ltag else np.zeros(0, np.int64),
        names=names,
    )


# --------------------------------------------------------------------------------------------
# The imported model
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoilGroup:
    """A mapped coil group: ``area_m2`` is its meshed area (m²)."""

    name: str
    phase: str
    sign: int
    turns: float
    current_a: float
    area_m2: float


@dataclass(frozen=True, eq=False)
class ImportedModel:
    """A mesh with its region map applied: the fields of a :class:`repm.fem.Problem` (full
    model, no band) plus what is needed to report per coil group and Arkkio torque.

    Attributes:
        nodes: (M, 2) m (unused nodes of the file dropped); triangles: (T, 3), counter-clockwise.
        nu_r, steel, steels, br_t, source_group, n_groups, dirichlet_nodes: as in
            :class:`repm.fem.Problem` (source group g = ``coil_groups[g]``).
        group: (T,) index into ``group_names`` of each triangle's physical group.
        group_names: the mapped surface groups, in map order.
        coil_groups: the coil groups, in source-group order.
        airgap_triangles: (K,) triangle indices of the air-gap group (empty without one).
        airgap_r_inner_m, airgap_r_outer_m: annulus radii from the group's nodes, m (nan if none).
        stack_length_m: from the map, or None.
        periodic_pairs, antiperiodic, sector_angle_rad, band_rotor_nodes, band_stator_nodes:
            empty / full machine for a ``.msh`` import; a sector's from :func:`from_mesh`.
        rotor: (T,) bool, elements that turn with the rotor (all False for a ``.msh`` import;
            :func:`from_mesh` of a sector: the triangles on the rotor side of the band).
    """

    nodes: NDArray[np.float64]
    triangles: NDArray[np.int64]
    nu_r: NDArray[np.float64]
    steel: NDArray[np.int64]
    steels: tuple[Any, ...]
    br_t: NDArray[np.float64]
    source_group: NDArray[np.int64]
    n_groups: int
    dirichlet_nodes: NDArray[np.int64]
    group: NDArray[np.int64]
    group_names: tuple[str, ...]
    coil_groups: tuple[CoilGroup, ...]
    airgap_triangles: NDArray[np.int64]
    airgap_r_inner_m: float
    airgap_r_outer_m: float
    stack_length_m: float | None = None
    periodic_pairs: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    band_rotor_nodes: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    band_stator_nodes: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    antiperiodic: bool = False
    sector_angle_rad: float = 2 * math.pi
    rotor: NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        if self.rotor is None:  # an imported mesh does not move
            object.__setattr__(self, "rotor", np.zeros(len(self.triangles), np.bool_))

    @property
    def phases(self) -> tuple[str, ...]:
        """Phase names of the coil groups, in first-seen order."""
        return tuple(dict.fromkeys(c.phase for c in self.coil_groups))

    def problem(self) -> Any:
        """The :class:`repm.fem.Problem` (no band, no periodicity, nothing rotates)."""
        from repm.fem import Problem

        return Problem(
            nodes=self.nodes,
            triangles=self.triangles,
            nu_r=self.nu_r,
            steel=self.steel,
            steels=self.steels,
            br_t=self.br_t,
            source_group=self.source_group,
            n_groups=self.n_groups,
            rotor=self.rotor,
            dirichlet_nodes=self.dirichlet_nodes,
            periodic_pairs=self.periodic_pairs,
            antiperiodic=self.antiperiodic,
            sector_angle_rad=self.sector_angle_rad,
            band_rotor_nodes=self.band_rotor_nodes,
            band_stator_nodes=self.band_stator_nodes,
        )

    def currents_a(self, currents: Mapping[str, float] | None = None) -> NDArray[np.float64]:
        """(G,) current per coil group, A: each group's ``current_a`` unless ``currents``
        ({phase or group name: A}) overrides it (a group name wins over its phase).

        Raises:
            InputError: a name that is neither a phase nor a coil group, or a non-finite value.
        """
        out = np.array([c.current_a for c in self.coil_groups], dtype=np.float64)
        if not currents:
            return out
        if not isinstance(currents, Mapping):
            raise InputError(f"currents = {currents!r} is invalid: a mapping name -> A")
        names = [c.name for c in self.coil_groups]
        for key, val in currents.items():
            if key not in self.phases and key not in names:
                raise InputError(
                    f"current name {key!r} is invalid: phases are {list(self.phases)}, "
                    f"coil groups are {names}"
                )
            finite_number(f"current {key}", val)
        for pass_groups in (False, True):
            for key, val in currents.items():
                for g, c in enumerate(self.coil_groups):
                    if (c.name == key) if pass_groups else (c.phase == key and key not in names):
                        out[g] = float(val)
        return out

    def current_density(self, currents: Mapping[str, float] | None = None) -> NDArray[np.float64]:
        """(G,) J_z per coil group, A/m²: sign·turns·I / area (see :meth:`currents_a`)."""
        i = self.currents_a(currents)
        return np.array(
            [c.sign * c.turns * i[g] / c.area_m2 for g, c in enumerate(self.coil_groups)],
            dtype=np.float64,
        )

    def flux_linkage_wb_per_m(self, a: Any) -> dict[str, float]:
        """ψ_g = sign·turns·∫_g A dS / area_g per coil group, Wb per metre of stack, from the
        nodal A_z (Wb/m)."""
        a = _nodal(a, len(self.nodes))
        area = _areas(self.nodes, self.triangles)
        mean_a = a[self.triangles].mean(axis=1)
        out: dict[str, float] = {}
        for g, c in enumerate(self.coil_groups):
            sel = self.source_group == g
            out[c.name] = c.sign * c.turns * float(np.dot(area[sel], mean_a[sel])) / c.area_m2
        return out

    def flux_linkage_by_phase_wb_per_m(self, a: Any) -> dict[str, float]:
        """Sum of :meth:`flux_linkage_wb_per_m` over each phase's groups, Wb/m."""
        psi = self.flux_linkage_wb_per_m(a)
        out = dict.fromkeys(self.phases, 0.0)
        for c in self.coil_groups:
            out[c.phase] += psi[c.name]
        return out

    def torque_arkkio_nm_per_m(self, b: Any) -> float:
        """Arkkio torque on the air-gap group from per-triangle B (first T rows of ``b``, T),
        N·m per metre, counter-clockwise positive.

        Raises:
            InputError: the map has no air-gap group, or ``b`` has the wrong shape.
        """
        if len(self.airgap_triangles) == 0:
            raise InputError("the region map has no airgap group: Arkkio torque needs one")
        b = np.asarray(b, dtype=np.float64)
        if b.ndim != 2 or b.shape[1] != 2 or len(b) < len(self.triangles):
            raise InputError(f"b must have shape (>= {len(self.triangles)}, 2); got {b.shape}")
        return arkkio_torque(
            self.nodes,
            self.triangles[self.airgap_triangles],
            b[self.airgap_triangles],
            self.airgap_r_inner_m,
            self.airgap_r_outer_m,
        )


def _nodal(a: Any, m: int) -> NDArray[np.float64]:
    arr = np.asarray(a, dtype=np.float64).reshape(-1)
    if arr.shape != (m,):
        raise InputError(f"a must have {m} nodal values; got shape {np.shape(a)}")
    if not np.all(np.isfinite(arr)):
        raise InputError("a holds NaN or inf")
    return arr


def _areas(nodes: NDArray[np.float64], tris: NDArray[np.int64]) -> NDArray[np.float64]:
    return np.abs(signed_triangle_areas(nodes, tris))


def element_b(nodes: Any, triangles: Any, a: Any) -> NDArray[np.float64]:
    """(T, 2) flux density per first-order triangle, T: B = (∂A/∂y, −∂A/∂x) from nodal A_z
    (Wb/m) on nodes (m)."""
    nodes = np.asarray(nodes, np.float64)
    tris = np.asarray(triangles, np.int64)
    a = np.asarray(a, np.float64)
    p = nodes[tris]
    x, y = p[:, :, 0], p[:, :, 1]
    av = a[tris]
    two_area = (x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0]) - (x[:, 2] - x[:, 0]) * (y[:, 1] - y[:, 0])
    # Gradient of the linear interpolant: dN_i/dx = (y_j - y_k)/2A, dN_i/dy = (x_k - x_j)/2A.
    bx_ = y[:, [1, 2, 0]] - y[:, [2, 0, 1]]
    cy_ = x[:, [2, 0, 1]] - x[:, [1, 2, 0]]
    dadx = np.sum(av * bx_, axis=1) / two_area
    dady = np.sum(av * cy_, axis=1) / two_area
    return np.column_stack([dady, -dadx])


def _resolve_steel(grade: str, materials: Any, where: str) -> Any:
    from repm import steels as _steels

    if materials is not None and grade in materials.steels:
        return materials.steels[grade]
    try:
        return _steels.steel(grade)
    except InputError as err:
        raise type(err)(f"{where}.grade: {err}") from err


def _resolve_magnet(grade: str, materials: Any, where: str) -> Any:
    from repm import magnets as _magnets

    if materials is not None and grade in materials.magnets:
        return materials.magnets[grade]
    try:
        return _magnets.grade(grade)
    except InputError as err:
        raise type(err)(f"{where}.grade: {err}") from err


def load(
    mesh: str | Path | GmshMesh, regions: RegionMap | Mapping[str, Any] | str | Path
) -> ImportedModel:
    """Applies a region map to a ``.msh`` file (or a :class:`GmshMesh`).

    Args:
        mesh: path of a Gmsh 2.2/4.1 ``.msh`` file, or the result of :func:`read_msh`.
        regions: a :class:`RegionMap`, its dict form, or the path of a TOML file.

    Raises:
        GeometryError: mesh problems (see the module docstring), unmapped or missing groups, a
            Dirichlet group without line elements, an air-gap group that is not an annulus
            around the origin.
        InputError: malformed region map; UnknownMaterialError / TemperatureRangeError from
            the material models.
    """
    g = mesh if isinstance(mesh, GmshMesh) else read_msh(mesh)
    if isinstance(regions, RegionMap):
        rmap = regions
    elif isinstance(regions, Mapping):
        rmap = RegionMap.from_dict(regions)
    else:
        rmap = RegionMap.from_toml(regions)

    # Surface groups present, and their labels.
    label_of_tag = {int(t): g.group_label(2, int(t)) for t in np.unique(g.triangle_tag)}
    tag_of_label = {lab: t for t, lab in label_of_tag.items()}
    mapped = [name for name, _ in rmap.groups]
    unmapped = [lab for lab in tag_of_label if lab not in mapped]
    if unmapped:
        counts = {lab: int(np.sum(g.triangle_tag == tag_of_label[lab])) for lab in unmapped}
        raise GeometryError(
            f"physical group(s) {counts} (name: triangles) are not in the region map: every "
            "triangle must belong to a mapped group (kind air, steel, magnet or coil)"
        )
    missing = [name for name in mapped if name not in tag_of_label]
    if missing:
        raise GeometryError(
            f"region map group(s) {missing} have no triangles in the mesh; surface groups in "
            f"the mesh are {sorted(tag_of_label)}"
        )

    # Drop nodes no triangle uses (Gmsh keeps geometry points); renumber.
    used = np.unique(g.triangles)
    new_index = np.full(len(g.points), -1, np.int64)
    new_index[used] = np.arange(len(used))
    nodes = np.ascontiguousarray(g.points[used])
    tris = new_index[g.triangles]
    area = signed_triangle_areas(nodes, tris)
    scale = float(np.max(np.ptp(nodes, axis=0))) ** 2 if len(nodes) else 1.0
    degenerate = np.abs(area) <= 1e-14 * scale
    if np.any(degenerate):
        k = int(np.argmax(degenerate))
        raise GeometryError(
            f"triangle {k} (physical group {label_of_tag[int(g.triangle_tag[k])]!r}) has zero "
            "area: degenerate triangles are not allowed"
        )
    flip = area < 0
    tris[flip] = tris[flip][:, [0, 2, 1]]
    area = np.abs(area)

    # Dirichlet: nodes of the line group.
    line_labels = {int(t): g.group_label(1, int(t)) for t in np.unique(g.line_tag)}
    dir_tags = [t for t, lab in line_labels.items() if lab == rmap.dirichlet]
    if not dir_tags:
        raise GeometryError(
            f"dirichlet = {rmap.dirichlet!r} is not a line group of the mesh; line groups are "
            f"{sorted(line_labels.values())}"
        )
    dir_old = np.unique(g.lines[np.isin(g.line_tag, dir_tags)])
    dir_new = new_index[dir_old]
    if np.any(dir_new < 0):
        raise GeometryError(
            f"dirichlet group {rmap.dirichlet!r} has nodes that belong to no triangle"
        )

    t = len(tris)
    nu_r = np.ones(t)
    steel = np.full(t, -1, np.int64)
    br = np.zeros((t, 2))
    source = np.full(t, -1, np.int64)
    group = np.zeros(t, np.int64)
    steels: list[Any] = []
    steel_index: dict[int, int] = {}
    coils: list[CoilGroup] = []
    centroid = nodes[tris].mean(axis=1)
    for gi, (name, reg) in enumerate(rmap.groups):
        sel = g.triangle_tag == tag_of_label[name]
        group[sel] = gi
        where = f"groups.{name}"
        if isinstance(reg, SteelRegion):
            s = _resolve_steel(reg.grade, rmap.materials, where)
            key = id(s)
            if key not in steel_index:
                steel_index[key] = len(steels)
                steels.append(s)
            steel[sel] = steel_index[key]
        elif isinstance(reg, MagnetRegion):
            gr = _resolve_magnet(reg.grade, rmap.materials, where)
            try:
                b_r = float(gr.br_t_at(reg.temperature_c))
            except InputError as err:
                raise type(err)(f"{where}.temperature_c: {err}") from err
            nu_r[sel] = 1.0 / float(gr.mu_rec)
            if reg.magnetisation == "parallel":
                th = math.radians(reg.direction_deg)
                br[sel] = (b_r * math.cos(th), b_r * math.sin(th))
            else:
                c = centroid[sel]
                r = np.hypot(c[:, 0], c[:, 1])
                if np.any(r == 0):
                    raise GeometryError(
                        f"{where}: a radial magnet has a triangle centred on the origin"
                    )
                br[sel] = reg.sign * b_r * c / r[:, None]
        elif isinstance(reg, CoilRegion):
            source[sel] = len(coils)
            coils.append(
                CoilGroup(
                    name=name,
                    phase=reg.phase,
                    sign=reg.sign,
                    turns=reg.turns,
                    current_a=reg.current_a,
                    area_m2=float(area[sel].sum()),
                )
            )

    airgap = np.zeros(0, np.int64)
    r_i = r_o = math.nan
    if rmap.airgap is not None:
        if rmap.airgap not in tag_of_label:
            raise GeometryError(
                f"airgap = {rmap.airgap!r} is not a surface group of the mesh; surface groups "
                f"are {sorted(tag_of_label)}"
            )
        if rmap.airgap not in mapped:  # pragma: no cover - unmapped groups raised above
            raise GeometryError(f"airgap group {rmap.airgap!r} must also be mapped (kind air)")
        airgap = np.flatnonzero(g.triangle_tag == tag_of_label[rmap.airgap])
        r = np.hypot(*nodes[np.unique(tris[airgap])].T)
        r_i, r_o = float(r.min()), float(r.max())
        if not (r_i > 0 and r_o > r_i):
            raise GeometryError(
                f"airgap group {rmap.airgap!r} spans radii {r_i:g}..{r_o:g} m: an annulus "
                "around the origin (r_inner > 0) is required"
            )
        ring_area = math.pi * (r_o**2 - r_i**2)
        if abs(float(area[airgap].sum()) - ring_area) > 0.02 * ring_area:
            raise GeometryError(
                f"airgap group {rmap.airgap!r} covers {float(area[airgap].sum()):.4g} m² but the "
                f"annulus {r_i:g}..{r_o:g} m has {ring_area:.4g} m²: a full annulus is required"
            )

    return ImportedModel(
        nodes=nodes,
        triangles=np.ascontiguousarray(tris),
        nu_r=nu_r,
        steel=steel,
        steels=tuple(steels),
        br_t=br,
        source_group=source,
        n_groups=len(coils),
        dirichlet_nodes=np.ascontiguousarray(dir_new),
        group=group,
        group_names=tuple(mapped),
        coil_groups=tuple(coils),
        airgap_triangles=airgap,
        airgap_r_inner_m=r_i,
        airgap_r_outer_m=r_o,
        stack_length_m=rmap.stack_length_m,
    )


# --------------------------------------------------------------------------------------------
# Writing .msh from a repm mesh (examples, tests, comparisons with other solvers)
# --------------------------------------------------------------------------------------------
def _default_group(region: Any) -> str:
    kind = region.kind
    if kind == "coil":
        return f"coil_{'ABCDEFGHIJ'[region.phase]}{'+' if region.sign > 0 else '-'}"
    if kind == "magnet":
        return region.name.replace(" ", "_")
    if kind == "airgap_band":
        return "airgap"
    if kind in ("air", "airgap"):
        return "air"
    return kind


def write_msh(
    path: str | Path,
    mesh: Any,
    *,
    version: str = "2.2",
    group_of_region: Callable[[Any], str] = _default_group,
    turns: float = 1.0,
    magnet_temperature_c: float = 20.0,
    float_fmt: str = ".17g",
) -> dict[str, Any]:
    """Writes a :class:`repm.mesh.Mesh` (full machine, band at shift 0 included) as a Gmsh
    ``.msh`` with named physical groups, plus the line group ``outer`` (boundary edges on the
    largest radius), and returns a matching region-map dict (TOML-ready).

    Regions are grouped by ``group_of_region`` (default: one group per steel kind, ``air``,
    ``shaft``, ``airgap`` for the band, one per magnet, ``coil_<phase><sign>``); regions in one
    group must be of the same kind and material. Each coil side (region) has ``turns`` turns
    and a group's turns are the sum over its coil sides (so J and ψ of the group equal those of
    its sides in series when the sides have equal areas); magnets get
    ``magnet_temperature_c``. ``float_fmt`` formats the coordinates (e.g. ``".9g"`` for a
    smaller file; the default keeps every bit).

    Raises:
        InputError: ``version`` is not "2.2" or "4.1", or a group mixes kinds/materials.
    """
    import meshio

    if version not in ("2.2", "4.1"):
        raise InputError(f"version = {version!r} is invalid: '2.2' or '4.1' is allowed")
    if not mesh.is_full_machine:
        raise InputError("write_msh takes a full-machine mesh (sector=False); see from_mesh")
    g, spec = _tagged(mesh, True, group_of_region, turns, magnet_temperature_c)
    tris, tri_tag, outer = g.triangles, g.triangle_tag, g.lines
    outer_tag = next(tag for (dim, tag) in g.names if dim == 1)
    field_data = {name: np.array([tag, dim]) for (dim, tag), name in g.names.items()}
    if version == "2.2":
        pts = np.column_stack([mesh.nodes, np.zeros(len(mesh.nodes))])
        phys = [tri_tag, np.full(len(outer), outer_tag)]
        meshio.Mesh(
            pts,
            [("triangle", tris), ("line", outer)],
            cell_data={"gmsh:physical": phys, "gmsh:geometrical": phys},
            field_data=field_data,
        ).write(Path(path), file_format="gmsh22", binary=False, float_fmt=float_fmt)
    else:
        _write_msh41(Path(path), mesh.nodes, tris, tri_tag, outer, outer_tag, field_data, float_fmt)
    rmap: dict[str, Any] = {"dirichlet": "outer", "groups": spec}
    if "airgap" in spec:
        rmap["airgap"] = "airgap"
    return rmap


def _tagged(
    mesh: Any,
    include_band: bool,
    group_of_region: Callable[[Any], str],
    turns: float,
    magnet_temperature_c: float,
) -> tuple[GmshMesh, dict[str, dict[str, Any]]]:
    """The repm mesh as an in-memory :class:`GmshMesh` (named groups, ``outer`` line group on the
    largest radius) and the region-map ``groups`` dict."""
    tris, reg = mesh._all_cells(include_band)
    names: list[str] = []
    spec: dict[str, dict[str, Any]] = {}
    tag_of_region = np.zeros(len(mesh.regions), np.int64)
    for ri, region in enumerate(mesh.regions):
        name = group_of_region(region)
        entry = _map_entry(region, turns, magnet_temperature_c)
        if name in spec:
            same = {k: v for k, v in spec[name].items() if k != "turns"}
            if same != {k: v for k, v in entry.items() if k != "turns"}:
                raise InputError(
                    f"group {name!r} mixes regions of different kind or material: {spec[name]} "
                    f"and {entry}"
                )
            if "turns" in entry:  # coil sides of one group: their turns add up
                spec[name]["turns"] += entry["turns"]
        else:
            spec[name] = entry
            names.append(name)
        tag_of_region[ri] = names.index(name) + 1
    tri_tag = tag_of_region[reg]
    # Boundary edges (one triangle) on the outer radius.
    edges = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    uniq, count = np.unique(edges, axis=0, return_counts=True)
    boundary = uniq[count == 1]
    r = np.hypot(*mesh.nodes.T)
    outer = boundary[np.all(r[boundary] > r.max() * (1 - 1e-6), axis=1)]
    outer_tag = len(names) + 1
    present = set(np.unique(tri_tag).tolist())
    spec = {n: spec[n] for i, n in enumerate(names) if (i + 1) in present}
    group_names = {(2, i + 1): n for i, n in enumerate(names) if (i + 1) in present}
    group_names[(1, outer_tag)] = "outer"
    g = GmshMesh(
        points=np.ascontiguousarray(mesh.nodes, dtype=np.float64),
        triangles=np.ascontiguousarray(tris, dtype=np.int64),
        triangle_tag=tri_tag,
        lines=outer,
        line_tag=np.full(len(outer), outer_tag, np.int64),
        names=group_names,
    )
    return g, spec


def from_mesh(
    mesh: Any,
    *,
    group_of_region: Callable[[Any], str] = _default_group,
    turns: float = 1.0,
    magnet_temperature_c: float = 20.0,
) -> ImportedModel:
    """An :class:`ImportedModel` straight from a :class:`repm.mesh.Mesh` (full machine or sector),
    grouped and mapped as :func:`write_msh` does, A = 0 on the outer circle.

    A full machine gets its band triangles (shift 0) as the ``airgap`` group. A sector keeps its
    band as band nodes (not triangles) and its periodic pairs, so :meth:`ImportedModel.problem`
    gives repm.fem the sector with its (anti-)periodic sides; Arkkio torque then comes from the
    solver's band, not from :meth:`ImportedModel.torque_arkkio_nm_per_m`.
    """
    full = bool(mesh.is_full_machine)
    g, spec = _tagged(mesh, full, group_of_region, turns, magnet_temperature_c)
    rmap: dict[str, Any] = {"dirichlet": "outer", "groups": spec}
    if full and "airgap" in spec:
        rmap["airgap"] = "airgap"
    model = load(g, rmap)
    if full:
        return model
    if len(model.nodes) != len(mesh.nodes):
        raise GeometryError("the sector mesh has nodes used by no triangle; cannot keep its pairs")
    band_r = np.asarray(mesh.band_rotor_nodes, np.int64)
    band_s = np.asarray(mesh.band_stator_nodes, np.int64)
    rotor = np.zeros(len(model.triangles), np.bool_)
    if len(band_r):
        r_rot = float(np.hypot(*model.nodes[band_r].T).mean())
        r_sta = float(np.hypot(*model.nodes[band_s].T).mean())
        r_c = np.hypot(*model.nodes[model.triangles].mean(axis=1).T)
        rotor = r_c < r_rot if r_rot < r_sta else r_c > r_rot
    return dataclasses.replace(
        model,
        rotor=rotor,
        periodic_pairs=np.asarray(mesh.periodic_pairs, np.int64).reshape(-1, 2),
        antiperiodic=bool(mesh.antiperiodic),
        sector_angle_rad=float(mesh.sector_angle_rad),
        band_rotor_nodes=band_r,
        band_stator_nodes=band_s,
    )


def _write_msh41(
    path: Path,
    nodes: NDArray[np.float64],
    tris: NDArray[np.int64],
    tri_tag: NDArray[np.int64],
    lines: NDArray[np.int64],
    line_tag: int,
    field_data: dict[str, NDArray[np.int64]],
    float_fmt: str,
) -> None:
    """Gmsh 4.1 ASCII: one geometric entity per physical group (entity tag = physical tag);
    all nodes listed in one block of the first surface entity (meshio reads this layout)."""
    lo, hi = nodes.min(axis=0), nodes.max(axis=0)
    box = f"{lo[0]:{float_fmt}} {lo[1]:{float_fmt}} 0 {hi[0]:{float_fmt}} {hi[1]:{float_fmt}} 0"
    surf = [int(t) for t in np.unique(tri_tag)]
    out = ["$MeshFormat", "4.1 0 8", "$EndMeshFormat", "$PhysicalNames", str(len(field_data))]
    out += [f'{int(v[1])} {int(v[0])} "{k}"' for k, v in field_data.items()]
    out += ["$EndPhysicalNames", "$Entities", f"0 1 {len(surf)} 0"]
    out.append(f"{line_tag} {box} 1 {line_tag} 0")
    out += [f"{t} {box} 1 {t} 0" for t in surf]
    out += [
        "$EndEntities",
        "$Nodes",
        f"1 {len(nodes)} 1 {len(nodes)}",
        f"2 {surf[0]} 0 {len(nodes)}",
    ]
    out += [str(i) for i in range(1, len(nodes) + 1)]
    out += [f"{x:{float_fmt}} {y:{float_fmt}} 0" for x, y in nodes]
    blocks = [(1, line_tag, 1, lines)] + [(2, t, 2, tris[tri_tag == t]) for t in surf]
    n_el = len(lines) + len(tris)
    out += ["$EndNodes", "$Elements", f"{len(blocks)} {n_el} 1 {n_el}"]
    k = 1
    for dim, tag, etype, conn in blocks:
        out.append(f"{dim} {tag} {etype} {len(conn)}")
        for row in conn + 1:
            out.append(f"{k} " + " ".join(str(int(v)) for v in row))
            k += 1
    out.append("$EndElements")
    path.write_text("\n".join(out) + "\n", encoding="ascii")


def _map_entry(region: Any, turns: float, temperature_c: float) -> dict[str, Any]:
    kind = region.kind
    if kind in ("stator_steel", "rotor_steel"):
        return {"kind": "steel", "grade": region.material}
    if kind == "magnet":
        e: dict[str, Any] = {
            "kind": "magnet",
            "grade": region.material,
            "temperature_c": temperature_c,
            "magnetisation": region.magnetisation,
        }
        if region.magnetisation == "radial":
            e["sign"] = int(region.sign)
        else:
            e["direction_deg"] = math.degrees(region.direction_rad)
        return e
    if kind == "coil":
        return {
            "kind": "coil",
            "phase": "ABCDEFGHIJ"[region.phase],
            "sign": int(region.sign),
            "turns": turns,
        }
    return {"kind": "air"}
