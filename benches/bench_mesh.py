"""Benchmark: repm.mesh.triangulate against the PyPI ``triangle`` package (J. R. Shewchuk's
Triangle) on a machine-like cross-section, full machine and 1/8 sector.

Run: ``python benches/bench_mesh.py [--smoke]``. Both meshers get the same boundary (the PSLG's
loop edges), the same minimum angle (Triangle ``q25``) and per-region area limits (Triangle
``a`` with regional attributes) equal to the ones repm uses (area of an equilateral triangle of
the region's target edge length), so node counts come out similar; both run on one thread.
Times are medians of several runs (milliseconds).

The PSLG comes from :func:`machine_pslg`, a stand-in 48-slot / 16-magnet machine built here.
To benchmark a real machine, replace it by e.g. ``repm.geometry.build_pslg(spec)`` in
:data:`CASES` — everything below only uses the :class:`repm.pslg.Pslg` contract.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from repm.mesh import Mesh, triangulate
from repm.pslg import Pslg, Region

# --- a machine-like PSLG -----------------------------------------------------------------------

R_SHAFT, R_ROTOR, R_BAND_ROTOR, R_BAND_STATOR, R_BORE, R_OUT = (
    0.025,
    0.080,
    0.0803,
    0.0805,
    0.0808,
    0.130,
)
SLOTS, POLES = 48, 16
SLOT_W, SLOT_R0, SLOT_R1 = 0.0045, 0.0818, 0.105  # rectangular slot: width, radial extent
MAG_W, MAG_T, MAG_R = 0.020, 0.005, 0.070  # magnet: width, thickness, centre radius


class _Builder:
    def __init__(self) -> None:
        self.pts: list[tuple[float, float]] = []
        self.index: dict[tuple[float, float], int] = {}
        self.loops: list[list[int]] = []
        self.loop_region: list[int] = []
        self.loop_protected: list[bool] = []

    def point(self, x: float, y: float) -> int:
        key = (round(x, 12), round(y, 12))
        if key not in self.index:
            self.index[key] = len(self.pts)
            self.pts.append((x, y))
        return self.index[key]

    def loop(self, idx: list[int], region: int, protected: bool = False) -> None:
        self.loops.append(idx)
        self.loop_region.append(region)
        self.loop_protected.append(protected)


def _arc(b: _Builder, r: float, a0: float, a1: float, n: int) -> list[int]:
    """n + 1 points from a0 to a1 inclusive (closed circles drop the last one)."""
    return [b.point(r * math.cos(a), r * math.sin(a)) for a in np.linspace(a0, a1, n + 1)]


def _side(b: _Builder, angle: float, r0: float, r1: float, h: float) -> list[int]:
    """Points on a radial sector side from r0 to r1 inclusive, spacing below h."""
    n = max(1, math.ceil((r1 - r0) / h * 1.25))
    c, s = math.cos(angle), math.sin(angle)
    return [b.point(r * c, r * s) for r in np.linspace(r0, r1, n + 1)]


def _rect(b: _Builder, angle: float, r_mid: float, w: float, t: float) -> list[int]:
    """Counter-clockwise rectangle, radial extent t centred at r_mid, tangential width w."""
    c, s = math.cos(angle), math.sin(angle)
    corners = [(-t / 2, -w / 2), (t / 2, -w / 2), (t / 2, w / 2), (-t / 2, w / 2)]
    return [b.point((r_mid + u) * c - v * s, (r_mid + u) * s + v * c) for u, v in corners]


def machine_pslg(scale: float = 1.0, sector: bool = False) -> Pslg:
    """A 48-slot, 16-pole interior-PM-like cross-section (rectangular slots and magnet
    pockets, air gap with a sliding band); ``scale`` multiplies every target size."""
    h = {
        "shaft": 6e-3,
        "rotor": 2.2e-3,
        "magnet": 1.2e-3,
        "gap": 0.35e-3,
        "stator": 2.2e-3,
        "coil": 1.5e-3,
    }
    h = {k: v * scale for k, v in h.items()}
    regions = [
        Region("shaft", "shaft", "S235"),
        Region("rotor core", "rotor_steel", "M270-35A"),
        Region("air gap rotor side", "airgap"),
        Region("air-gap band", "airgap_band"),
        Region("air gap stator side", "airgap"),
        Region("stator core", "stator_steel", "M270-35A"),
    ]
    sizes = [h["shaft"], h["rotor"], h["gap"], 0.0, h["gap"], h["stator"]]
    b = _Builder()
    span = math.pi / 4 if sector else 2 * math.pi
    slots = SLOTS // 8 if sector else SLOTS
    poles = POLES // 8 if sector else POLES
    # Band and gap circles: node spacing about the gap size, a multiple of 48 nodes.
    n_gap = max(1, round(2 * math.pi * R_ROTOR / h["gap"] / 48)) * 48
    n_gap = n_gap // 8 if sector else n_gap
    radii = [R_SHAFT, R_ROTOR, R_BAND_ROTOR, R_BAND_STATOR, R_BORE, R_OUT]
    n_arc = [
        max(8, round(span * R_SHAFT / h["shaft"])),
        n_gap,
        n_gap,
        n_gap,
        n_gap,
        max(8, round(span * R_OUT / h["stator"])),
    ]
    arcs = [_arc(b, r, 0.0, span, n) for r, n in zip(radii, n_arc, strict=True)]
    magnets = [_rect(b, (k + 0.5) * 2 * math.pi / POLES, MAG_R, MAG_W, MAG_T) for k in range(poles)]
    slot_rects = [
        _rect(
            b, (k + 0.5) * 2 * math.pi / SLOTS, (SLOT_R0 + SLOT_R1) / 2, SLOT_W, SLOT_R1 - SLOT_R0
        )
        for k in range(slots)
    ]
    layer_size = [h["shaft"], h["rotor"], h["gap"], h["gap"], h["gap"], h["stator"]]
    if sector:
        # Sides: radial point rows (spacing below the local size, so they are never split and
        # pair exactly); the shaft slice starts at the centre.
        centre = b.point(0.0, 0.0)
        sides = []
        for angle in (0.0, span):
            rows = [[centre, *_side(b, angle, 0.0, R_SHAFT, h["shaft"])[1:]]]
            for k in range(5):
                # Sides are kept whole by the mesher: space them near the air-gap size.
                spacing = min(layer_size[k + 1], 3 * h["gap"])
                rows.append(_side(b, angle, radii[k], radii[k + 1], spacing))
            sides.append(rows)
        for k in range(6):
            s0, s1 = sides[0][k], sides[1][k]
            if k == 0:
                b.loop([*s0[:-1], *arcs[0][:-1], *s1[::-1][:-1]], 0)
            else:
                inner, outer = arcs[k - 1], arcs[k]
                b.loop([*s0[:-1], *outer[:-1], *s1[::-1][:-1], *inner[::-1][:-1]], k, k == 3)
        pairs = np.array(
            [
                (a, c)
                for k in range(6)
                for a, c in zip(sides[0][k], sides[1][k], strict=True)
                if a != c
            ],
            np.int64,
        )
        pairs = np.unique(pairs, axis=0)
    else:
        closed = [a[:-1] for a in arcs]
        b.loop(closed[0], 0)
        for k in range(1, 6):
            b.loop(closed[k], k, k == 3)
            b.loop(closed[k - 1][::-1], k, k == 3)
        pairs = np.zeros((0, 2), np.int64)
    for k, m in enumerate(magnets):
        regions.append(Region(f"magnet {k}", "magnet", "N42SH", "parallel", sign=1 - 2 * (k % 2)))
        sizes.append(h["magnet"])
        b.loop(m, len(regions) - 1)
        b.loop(m[::-1], 1)
    for k, s in enumerate(slot_rects):
        regions.append(Region(f"coil slot {k}", "coil", "copper", phase=k % 3, layer=0, slot=k))
        sizes.append(h["coil"])
        b.loop(s, len(regions) - 1)
        b.loop(s[::-1], 5)
    band_r = arcs[2] if sector else arcs[2][:-1]
    band_s = arcs[3] if sector else arcs[3][:-1]
    ptr = np.cumsum([0] + [len(lp) for lp in b.loops]).astype(np.int64)
    return Pslg(
        points=np.array(b.pts, np.float64),
        loop_ptr=ptr,
        loop_points=np.array([i for lp in b.loops for i in lp], np.int64),
        loop_region=np.array(b.loop_region, np.int64),
        loop_protected=np.array(b.loop_protected, bool),
        regions=tuple(regions),
        region_size_m=np.array(sizes, np.float64),
        band_rotor_points=np.array(band_r, np.int64),
        band_stator_points=np.array(band_s, np.int64),
        band_region=3,
        sector_angle_rad=span,
        antiperiodic=False,
        periodic_pairs=pairs,
    )


# --- the peer --------------------------------------------------------------------------------


def triangle_input(pslg: Pslg, mesh: Mesh, area_factor: float = 1.0) -> dict[str, np.ndarray]:
    """Triangle's input for the same PSLG: the loop edges as segments, and one seed point per
    region (the centroid of one of repm's triangles of that region) with the region's area
    limit (times ``area_factor``). The band region (no triangles in repm's static mesh) takes
    its seed from a band triangle and no area limit."""
    segs = []
    for k in range(len(pslg.loop_region)):
        lp = pslg.loop_points[pslg.loop_ptr[k] : pslg.loop_ptr[k + 1]]
        segs.append(np.column_stack([lp, np.roll(lp, -1)]))
    seg = np.unique(np.sort(np.concatenate(segs), axis=1), axis=0)
    rows = []
    band = mesh.band_triangles(0).triangles if mesh.has_band else np.zeros((0, 3), np.int64)
    for r, h in enumerate(pslg.region_size_m):
        tris = mesh.triangles[mesh.region == r] if h > 0 else band
        if len(tris) == 0:
            continue
        c = mesh.nodes[tris[0]].mean(axis=0)
        area = area_factor * math.sqrt(3) / 4 * h * h if h > 0 else -1.0
        rows.append([c[0], c[1], r, area])
    return {"vertices": pslg.points, "segments": seg, "regions": np.array(rows)}


def min_angle_deg(nodes: np.ndarray, tris: np.ndarray) -> float:
    p = nodes[tris]
    angles = []
    for i in range(3):
        u = p[:, (i + 1) % 3] - p[:, i]
        v = p[:, (i + 2) % 3] - p[:, i]
        cross = np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])
        angles.append(np.degrees(np.arctan2(cross, np.einsum("ij,ij->i", u, v))))
    return float(np.min(angles))


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


CASES: dict[str, Callable[[float], Pslg]] = {
    "full machine": lambda scale: machine_pslg(scale, sector=False),
    "1/8 sector": lambda scale: machine_pslg(scale, sector=True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="coarse meshes, one run each")
    args = parser.parse_args()
    scale = 2.5 if args.smoke else 1.1
    repeat = 1 if args.smoke else 7
    try:
        import triangle
    except ImportError:  # pragma: no cover - reported, not fatal
        triangle = None
        print("triangle is not installed: repm times only")
    header = (
        f"{'case':<14}{'repm nodes':>11}{'tri nodes':>10}{'repm ms':>9}{'tri ms':>8}"
        f"{'ratio':>7}{'repm min°':>10}{'tri min°':>9}{'below/forced':>14}"
    )
    print(header)
    for name, make in CASES.items():
        pslg = make(scale)
        mesh = triangulate(pslg, min_angle_deg=25.0)
        t_repm = median_ms(lambda p=pslg: triangulate(p, min_angle_deg=25.0), repeat)
        q = mesh.quality
        row = f"{name:<14}{len(mesh.nodes):>11}"
        if triangle is not None:
            # Scale Triangle's area limits until its node count matches repm's (within ~5%).
            factor = 1.0
            for _ in range(4):
                tin = triangle_input(pslg, mesh, factor)
                out = triangle.triangulate(tin, "pq25aAQ")
                ratio = len(out["vertices"]) / len(mesh.nodes)
                if abs(ratio - 1) < 0.05:
                    break
                factor *= ratio
            t_tri = median_ms(lambda t=tin: triangle.triangulate(t, "pq25aAQ"), repeat)
            tri_min = min_angle_deg(out["vertices"], out["triangles"])
            row += (
                f"{len(out['vertices']):>10}{t_repm:>9.1f}{t_tri:>8.1f}{t_repm / t_tri:>7.2f}"
                f"{q.min_angle_deg:>10.1f}{tri_min:>9.1f}"
            )
        else:
            row += f"{'-':>10}{t_repm:>9.1f}{'-':>8}{'-':>7}{q.min_angle_deg:>10.1f}{'-':>9}"
        row += f"{q.n_below_limit:>8}/{q.n_below_limit_forced}"
        print(row)
        area = sum(q.region_area_m2)
        expect = pslg.sector_angle_rad / 2 * R_OUT**2
        assert abs(area - expect) < 2e-3 * expect, (area, expect)
    print("goal: full machine <= 150 ms, sector <= 30 ms (one core); ratio = repm / triangle")


if __name__ == "__main__":
    main()
