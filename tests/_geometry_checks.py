"""Checks of the PSLG contract (repm.pslg) shared by the geometry tests."""

from __future__ import annotations

import math

import numpy as np

from repm.pslg import Pslg


def loops(p: Pslg) -> list[np.ndarray]:
    return [p.loop_points[p.loop_ptr[k] : p.loop_ptr[k + 1]] for k in range(len(p.loop_ptr) - 1)]


def signed_area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _segments_cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise proper intersection or touching of segments a[i] and b[j] (N, 2, 2) arrays."""
    p, r = a[:, None, 0], a[:, None, 1] - a[:, None, 0]
    q, s = b[None, :, 0], b[None, :, 1] - b[None, :, 0]

    def cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]

    rs = cross(r, s)
    qp = q - p
    with np.errstate(divide="ignore", invalid="ignore"):
        t = cross(qp, s) / rs
        u = cross(qp, r) / rs
    return (np.abs(rs) > 0) & (t > 1e-9) & (t < 1 - 1e-9) & (u > 1e-9) & (u < 1 - 1e-9)


def check_pslg(p: Pslg) -> dict[str, float]:
    """Asserts the PSLG contract; returns the total area and the outer-boundary area."""
    pts = p.points
    n = len(pts)
    assert pts.shape == (n, 2) and np.isfinite(pts).all()
    assert len(np.unique(pts, axis=0)) == n, "points are not unique"
    assert len(p.region_size_m) == len(p.regions)
    names = [r.name for r in p.regions]
    assert len(set(names)) == len(names), "region names are not unique"
    ls = loops(p)
    edges: dict[tuple[int, int], int] = {}
    region_area = np.zeros(len(p.regions))
    outer_seen = np.zeros(len(p.regions), bool)
    for k, lp in enumerate(ls):
        assert len(lp) >= 3
        assert len(np.unique(lp)) == len(lp), f"loop {k} repeats a point"
        a = signed_area(pts[lp])
        r = p.loop_region[k]
        if a > 0:
            assert not outer_seen[r], f"region {p.regions[r].name} has two outer loops"
            outer_seen[r] = True
        region_area[r] += a
        seg = np.stack([pts[lp], pts[np.roll(lp, -1)]], axis=1)
        if len(lp) <= 1200:
            assert not _segments_cross(seg, seg).any(), f"loop {k} self-intersects"
        for i, j in zip(lp, np.roll(lp, -1), strict=True):
            key = (int(i), int(j))
            assert key not in edges, f"edge {key} used twice in the same direction"
            edges[key] = k
    assert outer_seen.all(), "a region has no outer (counter-clockwise) loop"
    assert (region_area > 0).all()
    # Unpaired edges form the outer boundary; all other edges separate two regions.
    boundary = [(i, j) for (i, j) in edges if (j, i) not in edges]
    bi = np.array(boundary)
    outer = 0.5 * float(
        np.sum(pts[bi[:, 0], 0] * pts[bi[:, 1], 1] - pts[bi[:, 1], 0] * pts[bi[:, 0], 1])
    )
    total = float(region_area.sum())
    assert math.isclose(total, outer, rel_tol=1e-9)
    # Every boundary edge lies on the stator outer circle or on a sector side.
    r_out = float(np.hypot(pts[:, 0], pts[:, 1]).max())
    ends = np.concatenate([bi[:, 0], bi[:, 1]])
    on_circle = np.isclose(np.hypot(pts[ends, 0], pts[ends, 1]), r_out, rtol=1e-12)
    ang = np.arctan2(pts[ends, 1], pts[ends, 0])
    on_side = (np.abs(pts[ends, 1]) <= 1e-15 * r_out) | np.isclose(
        np.abs(np.remainder(ang, 2 * np.pi) - p.sector_angle_rad), 0, atol=1e-9
    )
    at_origin = np.hypot(pts[ends, 0], pts[ends, 1]) < 1e-15
    if p.is_full_machine:
        assert on_circle.all()
    else:
        assert (on_circle | on_side | at_origin).all()
    # Band.
    br, bs = p.band_rotor_points, p.band_stator_points
    assert len(br) == len(bs) >= 3
    assert p.region_size_m[p.band_region] <= 0
    assert (np.delete(p.region_size_m, p.band_region) > 0).all()
    for idx in (br, bs):
        rad = np.hypot(pts[idx, 0], pts[idx, 1])
        assert np.allclose(rad, rad[0], rtol=1e-12, atol=0)
        ang = np.unwrap(np.arctan2(pts[idx, 1], pts[idx, 0]))
        step = np.diff(ang)
        assert (step > 0).all() and np.allclose(step, step[0], rtol=1e-9)
    band_loops = np.flatnonzero(p.loop_region == p.band_region)
    assert p.loop_protected[band_loops].all()
    band_set = set(br.tolist()) | set(bs.tolist())
    for k, lp in enumerate(ls):  # loops along a band circle are protected
        if set(lp.tolist()) <= band_set:
            assert p.loop_protected[k]
    if p.is_full_machine:  # ... and, in the full machine, only those
        assert p.loop_protected.sum() == 4
    # Periodic pairs.
    if not p.is_full_machine:
        pr = p.periodic_pairs
        assert len(pr) > 0
        c, s = math.cos(p.sector_angle_rad), math.sin(p.sector_angle_rad)
        a, b = pts[pr[:, 0]], pts[pr[:, 1]]
        rot = np.column_stack((c * a[:, 0] - s * a[:, 1], s * a[:, 0] + c * a[:, 1]))
        assert np.abs(rot - b).max() <= 1e-12 * r_out
        assert (np.abs(a[:, 1]) <= 1e-15 * r_out).all()
        # every side point is paired and every loop touching a side is protected
        side0 = np.flatnonzero((np.abs(pts[:, 1]) <= 1e-15 * r_out) & (pts[:, 0] > 0))
        assert set(side0.tolist()) == set(pr[:, 0].tolist())
        for k, lp in enumerate(ls):
            if np.isin(lp, pr).any() and p.loop_region[k] != p.band_region:
                assert p.loop_protected[k]
    else:
        assert len(p.periodic_pairs) == 0
    return {"total": total, "outer": outer}
