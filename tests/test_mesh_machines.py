"""Mesh quality on the example machines (issue 3): every triangle below the 25° limit is forced
by the input, sector sides are split in exactly rotated pairs, areas are kept, no inversions,
and meshing is deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from repm import geometry as G
from repm import mesh as M

MACHINES = ["prius2004", "industrial_11kw_ipm", "spm_servo_12s10p", "outer_rotor_spm_24s20p"]


@pytest.fixture(scope="module", params=[(n, s) for n in MACHINES for s in (True, False)])
def case(request):  # type: ignore[no-untyped-def]
    name, sector = request.param
    m = G.load_machine(f"examples/machines/{name}.toml")
    pslg = G.build_pslg(m, sector=sector)
    return pslg, M.triangulate(pslg)


def _polygon_area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def test_every_triangle_below_the_limit_is_forced(case) -> None:  # type: ignore[no-untyped-def]
    _, mesh = case
    q = mesh.quality
    assert q.n_below_limit == q.n_below_limit_forced
    assert q.n_below_limit_forced == q.n_below_sharp_corner + q.n_below_band
    if q.n_below_limit == 0:
        assert q.min_angle_deg >= q.min_angle_limit_deg - 1e-9


def test_no_inverted_triangles(case) -> None:  # type: ignore[no-untyped-def]
    _, mesh = case
    p = mesh.nodes[mesh.triangles]
    cross = (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1]) - (p[:, 1, 1] - p[:, 0, 1]) * (
        p[:, 2, 0] - p[:, 0, 0]
    )
    assert np.all(cross > 0)


def test_periodic_pairs_coincide_after_rotation(case) -> None:  # type: ignore[no-untyped-def]
    pslg, mesh = case
    pairs = mesh.periodic_pairs
    if pslg.is_full_machine:
        assert len(pairs) == 0
        return
    n_in = len(pslg.periodic_pairs)
    assert np.array_equal(pairs[:n_in], pslg.periodic_pairs)
    assert len(np.unique(pairs)) == 2 * len(pairs)
    c, s = np.cos(pslg.sector_angle_rad), np.sin(pslg.sector_angle_rad)
    a, b = mesh.nodes[pairs[:, 0]], mesh.nodes[pairs[:, 1]]
    rot = np.stack([c * a[:, 0] - s * a[:, 1], s * a[:, 0] + c * a[:, 1]], axis=1)
    assert np.max(np.abs(rot - b)) < 1e-12
    # Every mesh node on a side (other than input points) is paired.
    ang = np.arctan2(mesh.nodes[:, 1], mesh.nodes[:, 0])
    used = np.unique(mesh.triangles)
    used = used[np.hypot(mesh.nodes[used, 0], mesh.nodes[used, 1]) > 1e-9]  # not the centre
    on_side = used[
        (np.abs(ang[used]) < 1e-12) | (np.abs(ang[used] - pslg.sector_angle_rad) < 1e-12)
    ]
    assert set(on_side.tolist()) <= set(pairs.ravel().tolist())


def test_region_areas_match_the_pslg(case) -> None:  # type: ignore[no-untyped-def]
    pslg, mesh = case
    want = np.zeros(len(pslg.regions))
    for k in range(len(pslg.loop_region)):
        lp = pslg.loop_points[pslg.loop_ptr[k] : pslg.loop_ptr[k + 1]]
        want[pslg.loop_region[k]] += _polygon_area(pslg.points[lp])
    p = mesh.nodes[mesh.triangles]
    area = 0.5 * (
        (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1])
        - (p[:, 1, 1] - p[:, 0, 1]) * (p[:, 2, 0] - p[:, 0, 0])
    )
    got = np.bincount(mesh.region, weights=area, minlength=len(pslg.regions))
    meshed = pslg.region_size_m > 0
    assert np.allclose(got[meshed], want[meshed], rtol=1e-9, atol=0)


def test_deterministic(case) -> None:  # type: ignore[no-untyped-def]
    pslg, mesh = case
    again = M.triangulate(pslg)
    assert np.array_equal(again.nodes, mesh.nodes)
    assert np.array_equal(again.triangles, mesh.triangles)
    assert np.array_equal(again.periodic_pairs, mesh.periodic_pairs)
