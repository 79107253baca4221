"""Hand-made field problems with exact solutions, shared by the FEM validation tests.

A slotless surface-PM machine: concentric rings (rotor iron disc, magnet ring, air gap with the
band, stator iron ring), sinusoidally magnetised magnet ring Br(θ) = Br0·cos(pθ)·r̂ (rotor frame),
very permeable linear iron. The exact air-gap field for infinitely permeable iron follows from
∇²A = −(∇×Br)_z = −(p·Br0/r)·sin(pθ) in the magnet, ∇²A = 0 in the gap, H_θ = 0 on both iron
surfaces and continuity of A and H_θ at the magnet surface (A = f(r)·sin(pθ), p ≥ 2).
"""

from __future__ import annotations

import math

import numpy as np

from repm.fem import Problem
from repm.mesh import Mesh, triangulate
from repm.pslg import Pslg, Region


def circle(r: float, n: int) -> np.ndarray:
    t = 2 * math.pi * np.arange(n) / n
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def rings_pslg(
    radii: list[float],
    regions: list[Region],
    sizes: list[float],
    n_circle: list[int],
    band: int,
) -> Pslg:
    """Concentric full rings: region 0 is the disc r < radii[0], region k the ring
    radii[k-1] < r < radii[k]; ``band`` is the index of the ring that is the air-gap band."""
    pts: list[np.ndarray] = []
    ids: list[np.ndarray] = []
    start = 0
    for r, n in zip(radii, n_circle, strict=True):
        pts.append(circle(r, n))
        ids.append(np.arange(start, start + n))
        start += n
    loops, loop_region, protected = [], [], []
    for k in range(len(radii)):
        loops.append(ids[k])
        loop_region.append(k)
        protected.append(k in (band - 1, band))
        if k > 0:
            loops.append(ids[k - 1][::-1])
            loop_region.append(k)
            protected.append(k - 1 in (band - 1, band))
    ptr = np.cumsum([0] + [len(lp) for lp in loops]).astype(np.int64)
    return Pslg(
        points=np.concatenate(pts),
        loop_ptr=ptr,
        loop_points=np.concatenate(loops).astype(np.int64),
        loop_region=np.array(loop_region, np.int64),
        loop_protected=np.array(protected, bool),
        regions=tuple(regions),
        region_size_m=np.array(sizes, np.float64),
        band_rotor_points=ids[band - 1].astype(np.int64),
        band_stator_points=ids[band].astype(np.int64),
        band_region=band,
    )


class SlotlessSpm:
    """The slotless machine (SI units). ``scale`` < 1 refines the mesh."""

    rr, rm, rs, ro = 0.040, 0.046, 0.048, 0.065
    br0, mu_rec, mu_iron, p = 1.2, 1.05, 1.0e5, 2

    def __init__(self, scale: float = 1.0) -> None:
        g = self.rs - self.rm
        r1, r2 = self.rm + g / 3, self.rm + 2 * g / 3
        h_gap = 0.5e-3 * scale
        n_gap = 8 * math.ceil(2 * math.pi * r2 / h_gap / 8)
        radii = [self.rr, self.rm, r1, r2, self.rs, self.ro]
        self.r_band = (r1, r2)
        names = ["rotor iron", "magnet", "rotor gap", "band", "stator gap", "stator iron"]
        kinds = ["rotor_steel", "magnet", "airgap", "airgap_band", "airgap", "stator_steel"]
        regions = [Region(n, k) for n, k in zip(names, kinds, strict=True)]
        h_iron = 3e-3 * scale
        sizes = [h_iron, 1e-3 * scale, h_gap, -1.0, h_gap, h_iron]
        n_circle = [
            math.ceil(2 * math.pi * self.rr / (1e-3 * scale)),
            n_gap,
            n_gap,
            n_gap,
            n_gap,
            math.ceil(2 * math.pi * self.ro / h_iron),
        ]
        self.mesh: Mesh = triangulate(rings_pslg(radii, regions, sizes, n_circle, band=3))
        self.problem = self.build_problem(self.mesh)

    def build_problem(self, mesh: Mesh) -> Problem:
        T = len(mesh.triangles)
        reg = mesh.region
        cent = mesh.nodes[mesh.triangles].mean(axis=1)
        theta = np.arctan2(cent[:, 1], cent[:, 0])
        rhat = np.column_stack([np.cos(theta), np.sin(theta)])
        nu_r = np.ones(T)
        nu_r[(reg == 0) | (reg == 5)] = 1.0 / self.mu_iron
        nu_r[reg == 1] = 1.0 / self.mu_rec
        br = np.zeros((T, 2))
        mag = reg == 1
        br[mag] = self.br0 * np.cos(self.p * theta[mag])[:, None] * rhat[mag]
        r_nodes = np.hypot(mesh.nodes[:, 0], mesh.nodes[:, 1])
        return Problem.from_mesh(
            mesh,
            nu_r=nu_r,
            steel=np.full(T, -1, np.int64),
            steels=(),
            br_t=br,
            source_group=np.full(T, -1, np.int64),
            n_groups=0,
            rotor=reg <= 2,
            dirichlet_nodes=np.flatnonzero(r_nodes > self.ro * (1 - 1e-9)),
        )

    def exact_br_amplitude(self, r: float) -> float:
        """Amplitude of B_r(r, θ) = amplitude·cos(pθ) in the air gap (iron μ → ∞), T."""
        p, br0, mu = self.p, self.br0, self.mu_rec
        c = p * br0 / (p * p - 1)

        def row(rad: float, deriv: bool) -> list[float]:
            if deriv:
                return [p * rad ** (p - 1), -p * rad ** (-p - 1)]
            return [rad**p, rad**-p]

        # unknowns: a1, a2 (magnet), b1, b2 (gap); f_m = a1 r^p + a2 r^-p + c r
        m = np.array(
            [
                [*row(self.rr, True), 0.0, 0.0],
                [0.0, 0.0, *row(self.rs, True)],
                row(self.rm, False) + [-x for x in row(self.rm, False)],
                [x / mu for x in row(self.rm, True)] + [-x for x in row(self.rm, True)],
            ]
        )
        rhs = np.array([-c, 0.0, -c * self.rm, -c / mu])
        _, _, b1, b2 = np.linalg.solve(m, rhs)
        return float(p / r * (b1 * r**p + b2 * r**-p))
