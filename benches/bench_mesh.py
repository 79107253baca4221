"""Benchmark: repm.mesh.triangulate against the PyPI ``triangle`` package (J. R. Shewchuk's
Triangle) on the Toyota Prius 2004 cross-section (examples/machines/prius2004.toml): the full
machine (about 30k nodes) and its smallest sector (one pole, anti-periodic).

Run: ``python benches/bench_mesh.py [--smoke]``. Both meshers get the same boundary (the PSLG's
loop edges), the same minimum angle (Triangle ``q25``) and per-region area limits (Triangle
``a`` with regional attributes) equal to the ones repm uses (area of an equilateral triangle of
the region's target edge length), so node counts come out similar; both run on one thread.
Times are medians of several runs (milliseconds).

The PSLGs come from :func:`repm.geometry.build_pslg`; everything below only uses the
:class:`repm.pslg.Pslg` contract, so any machine can be put into :data:`CASES`.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from repm import geometry
from repm.mesh import Mesh, triangulate
from repm.pslg import Pslg

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


def prius_pslg(scale: float, sector: bool) -> Pslg:
    """The Prius 2004 PSLG with the default mesh sizes times ``scale`` (1.0: about 30k nodes
    for the full machine)."""
    size = geometry.MeshSize(scale=scale)
    return geometry.build_pslg(geometry.prius2004(), sector=sector, mesh_size=size)


CASES: dict[str, Callable[[float], Pslg]] = {
    "Prius full": lambda scale: prius_pslg(scale, sector=False),
    "Prius sector": lambda scale: prius_pslg(scale, sector=True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="coarse meshes, one run each")
    args = parser.parse_args()
    scale = 2.5 if args.smoke else 1.0
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
        r_out = float(np.max(np.hypot(pslg.points[:, 0], pslg.points[:, 1])))
        expect = pslg.sector_angle_rad / 2 * r_out**2
        assert abs(area - expect) < 2e-3 * expect, (area, expect)
    print("goal: full machine <= 150 ms, sector <= 30 ms (one core); ratio = repm / triangle")


if __name__ == "__main__":
    main()
