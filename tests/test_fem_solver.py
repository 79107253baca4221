"""repm.fem against analytic solutions on meshes from repm.mesh.triangulate, plus the Newton
report, errors, pickling and determinism."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repm import fem, steels
from repm.errors import ConvergenceError, GeometryError, InputError, RepmError
from repm.mesh import Mesh, triangulate
from repm.pslg import Pslg, Region

MU0 = 4e-7 * math.pi


def _circle(n: int, r: float) -> np.ndarray:
    a = 2 * np.pi * np.arange(n) / n
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def _disc_pslg(
    a: float, radii: list[float], kinds: list[str], sizes: list[float], band: int = -1
) -> Pslg:
    """Concentric circles: region 0 is the disc r < a, region k the annulus between radius
    k-1 and k. ``band`` (an annulus index) marks a band region with evenly spaced nodes."""
    rs = [a, *radii]
    h = min(x for x in sizes if x > 0)
    counts = [max(24, round(2 * np.pi * r / h)) for r in rs]
    if band >= 1:
        counts[band - 1] = counts[band] = max(counts[band - 1], counts[band])
    pts, ids, start = [], [], 0
    for n, r in zip(counts, rs, strict=True):
        pts.append(_circle(n, r))
        ids.append(np.arange(start, start + n))
        start += n
    loops, loop_region = [ids[0]], [0]
    for k in range(1, len(rs)):
        loops += [ids[k - 1][::-1], ids[k]]
        loop_region += [k, k]
    regions = tuple(Region(f"r{k}", kind) for k, kind in enumerate(kinds))
    size = np.array(sizes, float)
    extra = {}
    if band >= 1:
        size[band] = 0.0
        extra = dict(
            band_region=band, band_rotor_points=ids[band - 1], band_stator_points=ids[band]
        )
    return Pslg(
        points=np.vstack(pts),
        loop_ptr=np.cumsum([0] + [len(x) for x in loops]),
        loop_points=np.concatenate(loops),
        loop_region=np.array(loop_region),
        loop_protected=np.array([band >= 1] * len(loops)),
        regions=regions,
        region_size_m=size,
        **extra,
    )


def _outer_nodes(mesh: Mesh) -> np.ndarray:
    """Nodes on boundary edges (edges of one triangle) near the outer radius: the mesher also
    puts nodes on chords of the outer circle, slightly inside it."""
    tri = mesh.triangles
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
    uniq, count = np.unique(edges, axis=0, return_counts=True)
    nodes = np.unique(uniq[count == 1])
    r = np.hypot(mesh.nodes[nodes, 0], mesh.nodes[nodes, 1])
    return nodes[r > 0.99 * r.max()]


def _areas(mesh: Mesh) -> np.ndarray:
    p = mesh.nodes[mesh.triangles]
    d1, d2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]
    return 0.5 * (d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0])


def _problem(mesh: Mesh, **kw) -> fem.Problem:
    t = len(mesh.triangles)
    args = dict(
        nu_r=np.ones(t),
        steel=np.full(t, -1),
        steels=(),
        br_t=np.zeros((t, 2)),
        source_group=np.full(t, -1),
        n_groups=0,
        rotor=np.zeros(t, bool),
        dirichlet_nodes=_outer_nodes(mesh),
    )
    args.update(kw)
    return fem.Problem.from_mesh(mesh, **args)


@pytest.fixture(scope="module")
def wire_mesh() -> Mesh:
    return triangulate(_disc_pslg(0.005, [0.05], ["coil", "air"], [0.0008, 0.003]))


def _wire(mesh: Mesh) -> tuple[fem.Problem, float]:
    grp = np.where(mesh.region == 0, 0, -1)
    area = _areas(mesh)[mesh.region == 0].sum()
    return _problem(mesh, source_group=grp, n_groups=1), area


def test_manufactured_uniform_current_disc() -> None:
    # Uniform J over a disc of radius R, A = 0 on the rim: A = μ0 J (R² − r²) / 4. The error
    # falls with the mesh size (second order up to the polygonal boundary).
    errs = []
    for h in (0.01, 0.005, 0.0025):
        mesh = triangulate(_disc_pslg(0.05, [0.1], ["coil", "coil"], [h, h]))
        p = _problem(mesh, source_group=np.zeros(len(mesh.triangles), int), n_groups=1)
        s = fem.Solver(p).solve(0.0, [1e6])
        r2 = (mesh.nodes**2).sum(axis=1)
        exact = MU0 * 1e6 * (0.1**2 - r2) / 4
        errs.append(np.abs(s.a - exact).max() / exact.max())
        assert s.newton_iterations == 1
    assert errs[2] < 0.01
    assert errs[0] / errs[2] > 3.0, errs


def test_infinite_wire_matches_analytic_a_and_b(wire_mesh: Mesh) -> None:
    p, area = _wire(wire_mesh)
    current = 100.0
    s = fem.Solver(p).solve(0.0, [current / area])
    r = np.hypot(wire_mesh.nodes[:, 0], wire_mesh.nodes[:, 1])
    out = r > 0.0052
    exact = MU0 * current / (2 * np.pi) * np.log(0.05 / r[out])
    assert np.abs(s.a[out] - exact).max() < 0.01 * exact.max()
    cen = wire_mesh.nodes[wire_mesh.triangles].mean(axis=1)
    rc = np.hypot(cen[:, 0], cen[:, 1])
    sel = (rc > 0.01) & (rc < 0.04)
    b_exact = MU0 * current / (2 * np.pi * rc[sel])
    b = np.hypot(*s.b[: len(cen)][sel].T)
    # Element B is constant per triangle (first order): 3 % at element centroids.
    assert np.median(np.abs(b / b_exact - 1)) < 0.03
    # ∫A dS over the conductor: flux linkage per metre, ≈ μ0 I/(2π) (ln(R/a) + 1/4) · area.
    expect = MU0 * current / (2 * np.pi) * (np.log(0.05 / 0.005) + 0.25) * area
    assert s.group_a_integral[0] == pytest.approx(expect, rel=0.01)
    # Energy: ½ ∫ A J dS for a linear problem.
    assert s.energy_j_per_m == pytest.approx(0.5 * s.group_a_integral[0] * current / area, rel=1e-6)


@pytest.fixture(scope="module")
def magnet_band_mesh() -> Mesh:
    return triangulate(
        _disc_pslg(
            0.02,
            [0.0205, 0.021, 0.06],
            ["magnet", "airgap", "airgap_band", "air"],
            [0.0015, 0.0005, 0.0, 0.004],
            band=2,
        )
    )


def _magnet(mesh: Mesh, br: float = 1.0) -> fem.Problem:
    t = len(mesh.triangles)
    inside = mesh.region == 0
    rotor = mesh.region <= 1
    br_t = np.zeros((t, 2))
    br_t[inside, 0] = br
    return _problem(mesh, br_t=br_t, rotor=rotor)


def test_magnetised_cylinder_in_air(magnet_band_mesh: Mesh) -> None:
    # μ_rec = 1, A = 0 at R: B_in = Br/2 · (1 − a²/R²) (the image of the dipole in the rim).
    s = fem.Solver(_magnet(magnet_band_mesh)).solve()
    inside = magnet_band_mesh.region == 0
    b_in = s.b[: len(inside)][inside]
    expect = 0.5 * (1 - (0.02 / 0.06) ** 2)
    assert np.average(b_in[:, 0], weights=_areas(magnet_band_mesh)[inside]) == pytest.approx(
        expect, rel=0.01
    )
    assert np.abs(b_in[:, 1]).max() < 0.02
    assert s.torque_arkkio_nm_per_m == pytest.approx(0.0, abs=1e-3 * s.energy_j_per_m)


def test_rotation_turns_the_magnet_field(magnet_band_mesh: Mesh) -> None:
    solver = fem.Solver(_magnet(magnet_band_mesh))
    inside = magnet_band_mesh.region == 0
    s0 = solver.solve(0.0)
    for theta in (0.3, 1.1 * solver.band_step_rad, -2.0):  # type: ignore[operator]
        s = solver.solve(theta)
        b = s.b[: len(inside)][inside].mean(axis=0)
        assert math.atan2(b[1], b[0]) == pytest.approx(theta, abs=0.01)
        assert s.energy_j_per_m == pytest.approx(s0.energy_j_per_m, rel=2e-3)
        assert len(s.band_triangles) == len(s.b) - len(inside)


def _steel_ring() -> tuple[fem.Problem, Mesh]:
    mesh = triangulate(
        _disc_pslg(0.01, [0.02, 0.03, 0.05], ["coil", "air", "stator_steel", "air"], [0.002] * 4)
    )
    t = len(mesh.triangles)
    st_idx = np.where(mesh.region == 2, 0, -1)
    p = _problem(
        mesh,
        steel=st_idx,
        steels=(steels.steel("M400-50A"),),
        source_group=np.where(mesh.region == 0, 0, -1),
        n_groups=1,
        nu_r=np.ones(t),
    )
    return p, mesh


def test_newton_report_on_saturating_steel() -> None:
    p, _ = _steel_ring()
    s = fem.Solver(p).solve(0.0, [2e8])
    assert s.newton_iterations >= 3
    assert s.residuals[-1] < 1e-8
    assert len(s.residuals) == s.newton_iterations + 1
    assert s.seconds > 0
    assert s.coenergy_j_per_m > 0 and s.energy_j_per_m > 0
    warm = fem.Solver(p).solve(0.0, [2.02e8], a0=s.a)
    assert warm.newton_iterations < s.newton_iterations
    with pytest.raises(ConvergenceError) as err:
        fem.Solver(p, max_iterations=1).solve(0.0, [2e8])
    assert len(err.value.residuals) == 2  # type: ignore[attr-defined]


def test_torque_needs_a_band(wire_mesh: Mesh) -> None:
    p, _ = _wire(wire_mesh)
    s = fem.Solver(p).solve(0.0, [1.0])
    with pytest.raises(InputError, match="band"):
        _ = s.torque_arkkio_nm_per_m


def test_pickle_and_determinism(magnet_band_mesh: Mesh) -> None:
    solver = fem.Solver(_magnet(magnet_band_mesh), tol=1e-9)
    s1 = solver.solve(0.2)
    clone = pickle.loads(pickle.dumps(solver))
    s2 = clone.solve(0.2)
    assert clone.tol == 1e-9
    np.testing.assert_array_equal(s1.a, s2.a)
    s3 = pickle.loads(pickle.dumps(s1))
    np.testing.assert_array_equal(s1.b, s3.b)
    assert s3.torque_arkkio_nm_per_m == s1.torque_arkkio_nm_per_m
    batch1 = solver.solve_batch([0.0, 0.1, 0.2, 0.3, 0.4])
    batch2 = solver.solve_batch([0.0, 0.1, 0.2, 0.3, 0.4])
    for a, b in zip(batch1, batch2, strict=True):
        np.testing.assert_array_equal(a.a, b.a)
    assert batch1[2].energy_j_per_m == pytest.approx(s1.energy_j_per_m, rel=1e-7)


def test_documented_errors(wire_mesh: Mesh) -> None:
    p, _ = _wire(wire_mesh)
    t = len(wire_mesh.triangles)
    with pytest.raises(InputError, match="tol"):
        fem.Solver(p, tol=0.0)
    with pytest.raises(InputError, match="max_iterations"):
        fem.Solver(p, max_iterations=0)
    solver = fem.Solver(p)
    with pytest.raises(InputError, match="rotor_angle_rad"):
        solver.solve(float("nan"))
    with pytest.raises(InputError, match="group_current_density"):
        solver.solve(0.0, [1.0, 2.0])
    with pytest.raises(InputError, match="a0"):
        solver.solve(0.0, [1.0], a0=np.zeros(3))
    with pytest.raises(InputError, match="group_current_density"):
        solver.solve_batch([0.0, 1.0], np.zeros((3, 1)))
    with pytest.raises(InputError, match="nu_r"):
        _problem(wire_mesh, nu_r=np.zeros(t))
    with pytest.raises(InputError, match="steel"):
        _problem(wire_mesh, steel=np.full(t, 2))
    with pytest.raises(InputError, match="dirichlet"):
        _problem(wire_mesh, dirichlet_nodes=np.zeros(0, int))
    with pytest.raises(InputError, match="source_group"):
        _problem(wire_mesh, source_group=np.full(t, 3), n_groups=1)
    bad = wire_mesh.triangles.copy()
    bad[0] = bad[0, ::-1]
    with pytest.raises(GeometryError, match="inverted"):
        fem.Problem(**{**_problem(wire_mesh).__dict__, "triangles": bad})
    # Conflicting periodic pairs are refused by the Rust core.
    conflict = np.array([[1, 2], [3, 2]])
    with pytest.raises(InputError, match="master"):
        fem.Solver(fem.Problem(**{**p.__dict__, "periodic_pairs": conflict}))
    with pytest.raises(InputError, match="finite"):
        fem.Problem(**{**p.__dict__, "br_t": np.full((t, 2), np.nan)})


_FIELDS = [
    "nodes",
    "triangles",
    "nu_r",
    "steel",
    "br_t",
    "source_group",
    "rotor",
    "dirichlet_nodes",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(_FIELDS),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.integers(-5, 10**6), max_size=6),
        st.lists(st.floats(allow_nan=True), max_size=6),
        st.text(max_size=3),
        st.none(),
    ),
)
def test_bad_input_raises_repm_errors(wire_mesh: Mesh, field: str, value: object) -> None:
    p, _ = _wire(wire_mesh)
    try:
        bad = fem.Problem(**{**p.__dict__, field: value})
        fem.Solver(bad).solve(0.0, [1.0])
    except RepmError:
        pass
