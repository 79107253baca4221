"""repm.mesh on hand-made PSLGs: a square with a hole, two adjacent regions of different size,
an annulus sector with periodic sides and an air-gap band; random star polygons (hypothesis)."""

from __future__ import annotations

import itertools
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm.mesh import Mesh, triangulate
from repm.pslg import Pslg, Region


class Builder:
    """Accumulates points and loops into a Pslg."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []
        self.loops: list[list[int]] = []
        self.loop_region: list[int] = []
        self.loop_protected: list[bool] = []

    def pts(self, xy) -> list[int]:
        start = len(self.points)
        self.points.extend((float(x), float(y)) for x, y in xy)
        return list(range(start, len(self.points)))

    def loop(self, idx, region: int, protected: bool = False) -> None:
        self.loops.append(list(idx))
        self.loop_region.append(region)
        self.loop_protected.append(protected)

    def build(self, regions, sizes, **kw) -> Pslg:
        ptr = np.cumsum([0] + [len(lp) for lp in self.loops]).astype(np.int64)
        return Pslg(
            points=np.array(self.points, np.float64),
            loop_ptr=ptr,
            loop_points=np.array([i for lp in self.loops for i in lp], np.int64),
            loop_region=np.array(self.loop_region, np.int64),
            loop_protected=np.array(self.loop_protected, bool),
            regions=tuple(regions),
            region_size_m=np.array(sizes, np.float64),
            **kw,
        )


def shoelace(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def tri_areas(mesh: Mesh, tris: np.ndarray | None = None) -> np.ndarray:
    p = mesh.nodes[mesh.triangles if tris is None else tris]
    return 0.5 * (
        (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1])
        - (p[:, 1, 1] - p[:, 0, 1]) * (p[:, 2, 0] - p[:, 0, 0])
    )


def assert_conforming(mesh: Mesh) -> None:
    """Each directed edge appears once; each undirected edge at most twice."""
    t = mesh.triangles
    e = np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]])
    assert len(np.unique(e, axis=0)) == len(e)
    _, counts = np.unique(np.sort(e, axis=1), axis=0, return_counts=True)
    assert counts.max() <= 2


def square_with_hole(h_outer: float = 0.05, h_hole: float = 0.01) -> Pslg:
    b = Builder()
    outer = b.pts([(0, 0), (1, 0), (1, 1), (0, 1)])
    hole = b.pts([(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)])
    b.loop(outer, 0)
    b.loop(hole[::-1], 0)
    b.loop(hole, 1)
    return b.build(
        [Region("frame", "stator_steel", "M270-35A"), Region("window", "air")], [h_outer, h_hole]
    )


def test_square_with_hole_areas_quality_and_node_order() -> None:
    pslg = square_with_hole()
    mesh = triangulate(pslg)
    assert np.array_equal(mesh.nodes[: len(pslg.points)], pslg.points)
    assert np.all(tri_areas(mesh) > 0)
    assert_conforming(mesh)
    areas = mesh.region_areas()
    assert areas["frame"] == pytest.approx(1 - 0.16, rel=1e-12)
    assert areas["window"] == pytest.approx(0.16, rel=1e-12)
    q = mesh.quality
    assert q.min_angle_deg >= 25.0 and q.n_below_limit == 0
    assert q.n_nodes == len(mesh.nodes) and q.n_triangles == len(mesh.triangles)
    assert mesh.triangles.dtype == np.int64 and mesh.region.dtype == np.int64
    # The fine window has a much higher element density than the coarse frame.
    dens = [np.sum(mesh.region == r) / a for r, a in enumerate([0.84, 0.16])]
    assert dens[1] > 10 * dens[0]


def test_two_adjacent_regions_of_different_size_conform() -> None:
    b = Builder()
    p = b.pts([(0, 0), (1, 0), (2, 0), (2, 1), (1, 1), (0, 1)])
    b.loop([p[0], p[1], p[4], p[5]], 0)
    b.loop([p[1], p[2], p[3], p[4]], 1)
    pslg = b.build([Region("coarse", "air"), Region("fine", "coil")], [0.2, 0.03])
    mesh = triangulate(pslg)
    assert_conforming(mesh)
    assert mesh.quality.min_angle_deg >= 25.0
    assert mesh.region_areas() == pytest.approx({"coarse": 1.0, "fine": 1.0}, rel=1e-12)
    # Nodes on the shared line x = 1 are used by both regions (no hanging nodes).
    on_line = set(np.flatnonzero(np.isclose(mesh.nodes[:, 0], 1.0)))
    used = [set(mesh.triangles[mesh.region == r].ravel()) & on_line for r in (0, 1)]
    assert used[0] == used[1] and len(used[0]) >= 1 / 0.03
    # Boundary edges of the union lie on the rectangle's sides only.
    t = mesh.triangles
    e = np.sort(np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]]), axis=1)
    u, counts = np.unique(e, axis=0, return_counts=True)
    mid = mesh.nodes[u[counts == 1]].mean(axis=1)
    on_side = (np.isclose(mid[:, 0], 0) | np.isclose(mid[:, 0], 2)) | (
        np.isclose(mid[:, 1], 0) | np.isclose(mid[:, 1], 1)
    )
    assert on_side.all()


def arc(r: float, a0: float, a1: float, n: int) -> list[tuple[float, float]]:
    """n + 1 points from angle a0 to a1 inclusive."""
    return [(r * math.cos(a), r * math.sin(a)) for a in np.linspace(a0, a1, n + 1)]


def annulus_sector(n_band: int = 12, antiperiodic: bool = True) -> tuple[Pslg, dict]:
    """Rotor yoke (r 20..40 mm), band (40..40.5 mm), stator yoke (40.5..60 mm), 45° sector."""
    th = math.pi / 4
    r0, r1, r2, r3 = 0.020, 0.040, 0.0405, 0.060
    b = Builder()
    rot_in = b.pts(arc(r0, 0, th, 8))
    band_r = b.pts(arc(r1, 0, th, n_band))
    band_s = b.pts(arc(r2, 0, th, n_band))
    st_out = b.pts(arc(r3, 0, th, 12))
    rot_side0 = b.pts([(r, 0.0) for r in np.linspace(r0, r1, 7)[1:-1]])
    rot_side1 = b.pts([(r * math.cos(th), r * math.sin(th)) for r in np.linspace(r0, r1, 7)[1:-1]])
    st_side0 = b.pts([(r, 0.0) for r in np.linspace(r2, r3, 6)[1:-1]])
    st_side1 = b.pts([(r * math.cos(th), r * math.sin(th)) for r in np.linspace(r2, r3, 6)[1:-1]])
    # Rotor: side 0 outward, band arc ccw, side 1 inward, inner arc cw.
    b.loop(
        [rot_in[0], *rot_side0, *band_r, *rot_side1[::-1], *rot_in[::-1][:-1]], 0, protected=False
    )
    # Band: protected so that both circles keep their evenly spaced nodes.
    b.loop([*band_r[::-1], *band_s], 1, protected=True)
    b.loop([band_s[0], *st_side0, *st_out, *st_side1[::-1], *band_s[::-1][:-1]], 2)
    pairs = np.array(
        [
            (rot_in[0], rot_in[-1]),
            *zip(rot_side0, rot_side1, strict=True),
            (band_r[0], band_r[-1]),
            (band_s[0], band_s[-1]),
            *zip(st_side0, st_side1, strict=True),
            (st_out[0], st_out[-1]),
        ],
        np.int64,
    )
    pslg = b.build(
        [
            Region("rotor", "rotor_steel"),
            Region("band", "airgap_band"),
            Region("stator", "stator_steel"),
        ],
        [0.004, 0.0, 0.005],
        band_rotor_points=np.array(band_r, np.int64),
        band_stator_points=np.array(band_s, np.int64),
        band_region=1,
        sector_angle_rad=th,
        antiperiodic=antiperiodic,
        periodic_pairs=pairs,
    )
    return pslg, {"r": (r0, r1, r2, r3), "th": th, "band_r": band_r, "band_s": band_s}


def test_annulus_sector_band_and_periodic_sides() -> None:
    pslg, g = annulus_sector()
    mesh = triangulate(pslg)
    r0, r1, _, _ = g["r"]
    th = g["th"]
    assert not mesh.is_full_machine and mesh.has_band
    # Areas: polygons of the discretised arcs (exact shoelace of the loops).
    loops = np.split(pslg.loop_points, pslg.loop_ptr[1:-1])
    expect = [shoelace(pslg.points[lp]) for lp in loops]
    got = mesh.quality.region_area_m2
    assert got == pytest.approx(expect, rel=1e-9)
    assert got[0] == pytest.approx(th / 2 * (r1**2 - r0**2), rel=5e-3)
    # The periodic side nodes were not split: every side edge of the input is a mesh edge.
    t = mesh.triangles
    edges = {tuple(sorted(e)) for e in np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]])}
    side_nodes = np.flatnonzero(np.isclose(mesh.nodes[:, 1], 0.0))
    assert set(side_nodes) <= set(pslg.periodic_pairs[:, 0])
    # Band: 2 triangles per interval, counter-clockwise at shift 0, covering the band.
    b0 = mesh.band_triangles(0)
    assert b0.triangles.shape == (24, 3) and np.all(b0.wraps == 0)
    assert np.all(tri_areas(mesh, b0.triangles) > 0)
    assert tri_areas(mesh, b0.triangles).sum() == pytest.approx(expect[1], rel=1e-12)
    assert mesh.region_areas()["band"] == pytest.approx(expect[1], rel=1e-12)
    # The band's rotor and stator arc edges are kept whole (protected) by the neighbours.
    br, bs = g["band_r"], g["band_s"]
    for a, c in [*itertools.pairwise(br), *itertools.pairwise(bs)]:
        assert (min(a, c), max(a, c)) in edges
    # Shift 3: the last three quads wrap across the sector side; antiperiodic → sign -1.
    b3 = mesh.band_triangles(3)
    assert list(b3.wraps[-6:]) == [1] * 6 and np.all(b3.wraps[:-6] == 0)
    assert np.all(b3.sign[-6:] == -1) and np.all(b3.sign[:-6] == 1)
    # Same connectivity pattern every step: shifting by the whole sector returns to shift 0
    # (with one wrap everywhere).
    b12 = mesh.band_triangles(12)
    assert np.array_equal(b12.triangles, b0.triangles) and np.all(b12.wraps == 1)
    with pytest.raises(repm.InputError):
        mesh.band_triangles(1.5)  # type: ignore[arg-type]


def test_periodic_sector_sign_is_plus_when_not_antiperiodic() -> None:
    pslg, _ = annulus_sector(n_band=6, antiperiodic=False)
    b = triangulate(pslg).band_triangles(-2)
    assert list(b.wraps[:4]) == [-1] * 4 and np.all(b.sign == 1)


def test_full_machine_band_wraps_around() -> None:
    b = Builder()
    n = 16
    rot = b.pts(arc(0.04, 0, 2 * math.pi, n)[:-1])
    sta = b.pts(arc(0.041, 0, 2 * math.pi, n)[:-1])
    inner = b.pts(arc(0.02, 0, 2 * math.pi, 8)[:-1])
    outer = b.pts(arc(0.06, 0, 2 * math.pi, 12)[:-1])
    b.loop(rot, 0)
    b.loop(inner[::-1], 0)
    b.loop(sta, 1, protected=True)
    b.loop(rot[::-1], 1, protected=True)
    b.loop(outer, 2)
    b.loop(sta[::-1], 2)
    b.loop(inner, 3)
    pslg = b.build(
        [
            Region("rotor", "rotor_steel"),
            Region("band", "airgap_band"),
            Region("stator", "stator_steel"),
            Region("shaft", "shaft"),
        ],
        [0.005, -1.0, 0.006, 0.01],
        band_rotor_points=np.array(rot, np.int64),
        band_stator_points=np.array(sta, np.int64),
        band_region=1,
    )
    mesh = triangulate(pslg)
    assert mesh.is_full_machine
    b5 = mesh.band_triangles(5)
    assert np.all(b5.wraps == 0) and np.all(b5.sign == 1)
    assert np.array_equal(mesh.band_triangles(5 + n).triangles, b5.triangles)
    assert tri_areas(mesh, b5.triangles).sum() == pytest.approx(
        tri_areas(mesh, mesh.band_triangles(0).triangles).sum(), rel=1e-12
    )
    assert sum(mesh.region_areas().values()) == pytest.approx(shoelace(pslg.points[outer]))


def test_pickle_meshio_write_and_plot(tmp_path) -> None:
    pslg, _ = annulus_sector()
    mesh = triangulate(pslg)
    back = pickle.loads(pickle.dumps(mesh))
    assert np.array_equal(back.nodes, mesh.nodes) and back.quality == mesh.quality
    m = mesh.to_meshio()
    assert m.cells[0].data.shape == (len(mesh.triangles) + 24, 3)
    assert set(np.unique(m.cell_data["region"][0])) == {0, 1, 2}
    import meshio

    for suffix in (".vtu", ".msh"):
        path = tmp_path / f"sector{suffix}"
        mesh.write(path)
        again = meshio.read(path)
        assert len(again.points) == len(mesh.nodes)
    with pytest.raises(repm.InputError):
        mesh.write(tmp_path / "sector.unknown-format")
    png = tmp_path / "sector.png"
    mesh.plot(path=png)
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda d: d["points"].__setitem__((2, 0), np.nan), "not finite"),
        (lambda d: d["points"].__setitem__((5, 0), 1.5), "cross"),
        (lambda d: d["loop_points"].__setitem__(0, 42), "out of range"),
        (lambda d: d["loop_points"].__setitem__(slice(0, 4), [3, 2, 1, 0]), "non-positive area"),
        (lambda d: d["points"].__setitem__(1, d["points"][0]), "identical"),
        (lambda d: d.__setitem__("loop_ptr", np.array([0, 2, 8, 12])), "at least 3"),
        (lambda d: d.__setitem__("loop_region", np.array([0, 0, 5])), "loop_region"),
        (lambda d: d.__setitem__("region_size_m", np.array([0.1])), "region_size_m"),
        (lambda d: d.__setitem__("points", np.zeros((8, 3))), "shape"),
    ],
)
def test_invalid_pslg_raises_geometry_error(mutate, match) -> None:
    pslg = square_with_hole(0.1, 0.1)
    d = {
        k: np.array(getattr(pslg, k))
        for k in (
            "points",
            "loop_ptr",
            "loop_points",
            "loop_region",
            "loop_protected",
            "region_size_m",
        )
    }
    mutate(d)
    bad = Pslg(regions=pslg.regions, **d)
    with pytest.raises(repm.GeometryError, match=match):
        triangulate(bad)


def test_invalid_options_and_band() -> None:
    pslg = square_with_hole(0.1, 0.1)
    for angle in (0.0, 35.0, float("nan")):
        with pytest.raises(repm.InputError, match="min_angle_deg"):
            triangulate(pslg, min_angle_deg=angle)
    with pytest.raises(repm.InputError, match="max_nodes"):
        triangulate(pslg, max_nodes=0)
    with pytest.raises(repm.InputError, match="Pslg"):
        triangulate("not a pslg")  # type: ignore[arg-type]
    with pytest.raises(repm.MeshError, match="max_nodes"):
        triangulate(square_with_hole(1e-3, 1e-3), max_nodes=1000)
    sector, _ = annulus_sector()
    with pytest.raises(repm.GeometryError, match="same length"):
        triangulate(
            Pslg(**{**sector.__dict__, "band_stator_points": sector.band_stator_points[:-1]})
        )
    with pytest.raises(repm.GeometryError, match="must be <= 0"):
        triangulate(Pslg(**{**sector.__dict__, "band_region": 0}))
    with pytest.raises(repm.GeometryError, match="counter-clockwise"):
        triangulate(
            Pslg(**{**sector.__dict__, "band_stator_points": sector.band_stator_points[::-1]})
        )
    with pytest.raises(repm.InputError, match="no air-gap band"):
        triangulate(pslg).band_triangles(0)


def star_pslg(radii: list[float], h: float, h_island: float) -> Pslg:
    b = Builder()
    n = len(radii)
    outer = b.pts(
        [
            (r * math.cos(2 * math.pi * k / n), r * math.sin(2 * math.pi * k / n))
            for k, r in enumerate(radii)
        ]
    )
    s = 0.15
    island = b.pts([(-s, -s), (s, -s), (s, s), (-s, s)])
    b.loop(outer, 0)
    b.loop(island[::-1], 0)
    b.loop(island, 1)
    return b.build([Region("star", "air"), Region("island", "magnet")], [h, h_island])


@settings(max_examples=30, deadline=None)
@given(
    radii=st.lists(st.floats(0.6, 1.4), min_size=5, max_size=30),
    h=st.floats(0.04, 0.4),
    h_island=st.floats(0.02, 0.2),
)
def test_random_star_polygons(radii: list[float], h: float, h_island: float) -> None:
    pslg = star_pslg(radii, h, h_island)
    mesh = triangulate(pslg)
    assert np.all(tri_areas(mesh) > 0)
    assert_conforming(mesh)
    n = len(radii)
    a_island = shoelace(pslg.points[n:])
    a_star = shoelace(pslg.points[:n]) - a_island
    assert mesh.quality.region_area_m2 == pytest.approx((a_star, a_island), rel=1e-9)
    assert np.array_equal(mesh.nodes[: len(pslg.points)], pslg.points)
    # Known limit: boundary edges are never re-split, so next to a short boundary edge or a
    # sharp (< 60°) input corner the odd triangle may stay just under the limit.
    q = mesh.quality
    assert q.n_below_limit - q.n_below_limit_forced <= max(2, len(mesh.triangles) // 100)
    again = triangulate(pslg)
    assert np.array_equal(again.nodes, mesh.nodes)
    assert np.array_equal(again.triangles, mesh.triangles)
    assert np.array_equal(again.region, mesh.region)
