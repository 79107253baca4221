"""From a machine description to a field problem: mesh, materials per element, coil groups.

:func:`field_model` meshes a :class:`repm.geometry.Machine` (smallest periodic sector by default)
and fills a :class:`repm.fem.Problem`:

* steel regions get the grade's B-H curve with the lamination's stacking factor;
* magnets get Br at the magnet temperature and ν = 1/(μ0·μrec); the remanence direction is the
  region's ``direction_rad`` (parallel) or ± the radial unit vector at the element centroid
  (radial); directions are in the rotor frame at rotor angle 0;
* every coil side (one region of ``turns_per_coil`` conductors) is its own source group, so that
  its current density and its mean vector potential (flux linkage) are handled separately;
* A = 0 on the outermost circle (stator yoke of an inner-rotor machine, rotor back iron of an
  outer-rotor one).

An element rotates with the rotor when its centroid lies on the rotor side of the air-gap band.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from repm import magnets as _magnets
from repm import steels as _steels
from repm.errors import GeometryError, InputError
from repm.fem import Problem
from repm.geometry import Machine, MeshSize, build_pslg
from repm.materials import MaterialLibrary
from repm.mesh import Mesh, triangulate
from repm.winding import analyse as winding_analysis

MU0 = 4e-7 * math.pi
__all__ = ["FieldModel", "field_model"]


@dataclass(frozen=True, eq=False)
class FieldModel:
    """A meshed machine ready to solve (picklable).

    Attributes:
        machine: the description.
        mesh: the mesh (sector or full machine).
        problem: the :class:`repm.fem.Problem` built from it.
        symmetry_factor: full machine / modelled part (2π / sector angle).
        magnet_temperature_c: temperature the magnets were evaluated at, °C.
        coil_phase: (G,) int64 phase index of each source group (coil side).
        coil_sign: (G,) float64 +1/-1 current sense of each coil side.
        coil_area_m2: (G,) float64 meshed area of each coil side, m².
        magnet_elements: (E,) int64 elements (rows of ``problem.triangles``) that are magnets.
        magnet_grade: the grade of the magnets.
        magnet_direction: (E, 2) unit magnetisation direction per magnet element (rotor frame).
        stator_gap_elements: (S,) int64 elements of the stator-side air-gap region (stator
            frame), used for the Maxwell-stress torque.
        r_band_rotor_m, r_band_stator_m: radii of the band's rotor and stator circles, m.
        seconds_build: wall time of geometry, mesh and problem assembly, s.
    """

    machine: Machine
    mesh: Mesh
    problem: Problem
    symmetry_factor: float
    magnet_temperature_c: float
    coil_phase: NDArray[np.int64]
    coil_sign: NDArray[np.float64]
    coil_area_m2: NDArray[np.float64]
    magnet_elements: NDArray[np.int64]
    magnet_grade: _magnets.MagnetGrade
    magnet_direction: NDArray[np.float64]
    stator_gap_elements: NDArray[np.int64]
    r_band_rotor_m: float
    r_band_stator_m: float
    seconds_build: float = 0.0

    @property
    def phases(self) -> int:
        """Number of phases."""
        return self.machine.winding.phases

    @property
    def pole_pairs(self) -> int:
        """Number of pole pairs."""
        return self.machine.winding.poles // 2

    @property
    def stack_length_m(self) -> float:
        """Active (stator stack) length, m."""
        return self.machine.stator.stack_length_m

    def group_current_density(self, phase_currents_a: NDArray[np.float64]) -> NDArray[np.float64]:
        """Current density per coil side (A/m²) for phase currents (A, instantaneous winding
        currents): ``sign · turns_per_coil · i / (parallel_paths · area)``. Accepts (m,) or
        (K, m) and returns (G,) or (K, G)."""
        i = np.asarray(phase_currents_a, dtype=np.float64)
        if i.shape[-1:] != (self.phases,) or not np.all(np.isfinite(i)):
            raise InputError(
                f"phase_currents_a must be finite with {self.phases} values per point; got "
                f"shape {i.shape}"
            )
        w = self.machine.winding
        scale = self.coil_sign * w.turns_per_coil / (w.parallel_paths * self.coil_area_m2)
        return i[..., self.coil_phase] * scale

    def flux_linkage_wb(self, group_a_integral: NDArray[np.float64]) -> NDArray[np.float64]:
        """Phase flux linkages of the whole machine (Wb) from the ∫A dS of each coil side
        (Wb·m): ``k · L / a · Σ sign · N · ∫A dS / S`` per phase. Accepts (G,) or (K, G)."""
        w = self.machine.winding
        per_side = group_a_integral * (self.coil_sign * w.turns_per_coil / self.coil_area_m2)
        scale = self.symmetry_factor * self.stack_length_m / w.parallel_paths
        out = np.zeros((*per_side.shape[:-1], self.phases))
        for k in range(self.phases):
            out[..., k] = per_side[..., self.coil_phase == k].sum(axis=-1) * scale
        return out


def _centroids(mesh: Mesh) -> NDArray[np.float64]:
    return mesh.nodes[mesh.triangles].mean(axis=1)


def _outer_boundary_nodes(mesh: Mesh) -> NDArray[np.int64]:
    """Nodes of the outermost circle: boundary-edge nodes (edges of one triangle, band
    included) near the largest radius. Selecting by radius alone would miss the nodes the mesher
    splits onto chords just inside the circle; sector-side nodes are kept only at the corner."""
    tris = np.concatenate([mesh.triangles, mesh.band_triangles(0).triangles])
    edges = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    uniq, counts = np.unique(edges, axis=0, return_counts=True)
    boundary = np.unique(uniq[counts == 1])
    r = np.hypot(mesh.nodes[boundary, 0], mesh.nodes[boundary, 1])
    r_out = float(r.max())
    on_side = np.isin(boundary, mesh.periodic_pairs)
    keep = (r > 0.98 * r_out) & (~on_side | (r > r_out * (1 - 1e-9)))
    return boundary[keep].astype(np.int64)


def _steel(name: str, stacking_factor: float, lib: MaterialLibrary | None) -> _steels.Steel:
    base = lib.steels[name] if lib is not None and name in lib.steels else _steels.steel(name)
    if math.isclose(base.stacking_factor, stacking_factor):
        return base
    return dataclasses.replace(base, stacking_factor=stacking_factor)


def _grade(name: str, lib: MaterialLibrary | None) -> _magnets.MagnetGrade:
    if lib is not None and name in lib.magnets:
        return lib.magnets[name]
    return _magnets.grade(name)


def field_model(
    machine: Machine,
    *,
    sector: bool = True,
    mesh_scale: float = 1.0,
    magnet_temperature_c: float | None = None,
    materials: MaterialLibrary | None = None,
) -> FieldModel:
    """Meshes ``machine`` and builds its field problem (see the module docstring).

    Args:
        machine: the machine description.
        sector: model the smallest (anti-)periodic sector (default) or the full machine.
        mesh_scale: mesh size factor (< 1 finer, > 1 coarser), see
            :class:`repm.geometry.MeshSize`.
        magnet_temperature_c: magnet temperature, °C (default:
            ``machine.rotor.magnet_temperature_c``).
        materials: user-defined steels and magnet grades, looked up before the catalogues.

    Raises:
        GeometryError: the machine cannot be meshed.
        UnknownMaterialError: a steel or magnet grade is unknown.
        TemperatureRangeError: the temperature is outside the magnet grade's range.
        InputError: other invalid arguments.
    """
    if not isinstance(machine, Machine):
        raise InputError(f"machine = {machine!r} is invalid: a repm.geometry.Machine is required")
    if materials is not None and not isinstance(materials, MaterialLibrary):
        raise InputError("materials must be a repm.materials.MaterialLibrary or None")
    t_mag = (
        machine.rotor.magnet_temperature_c if magnet_temperature_c is None else magnet_temperature_c
    )
    if isinstance(t_mag, bool) or not isinstance(t_mag, (int, float)) or not math.isfinite(t_mag):
        raise InputError(
            f"magnet_temperature_c = {t_mag!r} is invalid: a finite temperature in °C is required"
        )
    grade = _grade(machine.rotor.magnet_grade, materials)
    br = float(grade.br_t_at(float(t_mag)))  # raises TemperatureRangeError out of range
    t0 = time.perf_counter()
    pslg = build_pslg(machine, sector=sector, mesh_size=MeshSize(scale=mesh_scale))
    mesh = triangulate(pslg)
    if not mesh.has_band:
        raise GeometryError("the mesh has no air-gap band: the rotor cannot move")
    T = len(mesh.triangles)
    regions = mesh.regions
    kinds = np.array([regions[r].kind for r in mesh.region])
    cent = _centroids(mesh)
    r_cent = np.hypot(cent[:, 0], cent[:, 1])
    r_bs = float(np.hypot(*mesh.nodes[mesh.band_stator_nodes[0]]))
    r_br = float(np.hypot(*mesh.nodes[mesh.band_rotor_nodes[0]]))
    rotor = r_cent > 0.5 * (r_bs + r_br) if machine.is_outer_rotor else r_cent < 0.5 * (r_bs + r_br)

    steels: list[_steels.Steel] = []
    steel = np.full(T, -1, np.int64)
    for kind, part in (("stator_steel", machine.stator), ("rotor_steel", machine.rotor)):
        sel = kinds == kind
        if np.any(sel):
            steels.append(_steel(part.steel, part.stacking_factor, materials))
            steel[sel] = len(steels) - 1

    nu_r = np.ones(T)
    br_t = np.zeros((T, 2))
    magnet_elements = np.flatnonzero(kinds == "magnet")
    direction = np.zeros((len(magnet_elements), 2))
    for j, e in enumerate(magnet_elements):
        reg = regions[mesh.region[e]]
        if reg.magnetisation == "radial":
            direction[j] = reg.sign * cent[e] / r_cent[e]
        else:
            direction[j] = (math.cos(reg.direction_rad), math.sin(reg.direction_rad))
    nu_r[magnet_elements] = 1.0 / grade.mu_rec
    br_t[magnet_elements] = br * direction

    coil_regions = [i for i, r in enumerate(regions) if r.kind == "coil"]
    group_of_region = {r: g for g, r in enumerate(coil_regions)}
    source_group = np.array([group_of_region.get(int(r), -1) for r in mesh.region], np.int64)
    areas = mesh.quality.region_area_m2
    coil_area = np.array([areas[r] for r in coil_regions], np.float64)
    coil_phase = np.array([regions[r].phase for r in coil_regions], np.int64)
    coil_sign = np.array([regions[r].sign for r in coil_regions], np.float64)

    dirichlet = _outer_boundary_nodes(mesh)
    stator_gap = np.flatnonzero(
        np.array([regions[r].name == "stator air gap" for r in mesh.region], bool)
    )
    problem = Problem.from_mesh(
        mesh,
        nu_r=nu_r,
        steel=steel,
        steels=tuple(steels),
        br_t=br_t,
        source_group=source_group,
        n_groups=len(coil_regions),
        rotor=rotor,
        dirichlet_nodes=dirichlet,
    )
    return FieldModel(
        machine=machine,
        mesh=mesh,
        problem=problem,
        symmetry_factor=2 * math.pi / mesh.sector_angle_rad,
        magnet_temperature_c=float(t_mag),
        coil_phase=coil_phase,
        coil_sign=coil_sign,
        coil_area_m2=coil_area,
        magnet_elements=magnet_elements,
        magnet_grade=grade,
        magnet_direction=direction,
        stator_gap_elements=stator_gap,
        r_band_rotor_m=r_br,
        r_band_stator_m=r_bs,
        seconds_build=time.perf_counter() - t0,
    )


def winding_lcm(machine: Machine) -> int:
    """LCM(Q, 2p): cogging torque periods per revolution."""
    w = machine.winding
    return int(
        winding_analysis(
            machine.stator.slots, w.poles, phases=w.phases, layers=w.layers, pitch=w.pitch_slots
        ).lcm_slots_poles
    )
