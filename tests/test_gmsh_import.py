"""repm.gmsh_import: reading .msh 2.2/4.1 with physical groups, the region map (dict/TOML),
the Problem fields it builds, flux linkage / Arkkio formulas, and every documented error."""

from __future__ import annotations

import math
from pathlib import Path

import meshio
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repm import geometry, magnets, steels
from repm import gmsh_import as gi
from repm.errors import GeometryError, InputError, TemperatureRangeError, UnknownMaterialError
from repm.fem import signed_triangle_areas
from repm.mesh import triangulate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_MSH = ROOT / "examples" / "gmsh" / "spm_servo_12s10p.msh"
EXAMPLE_TOML = ROOT / "examples" / "gmsh" / "regions.toml"


@pytest.fixture(scope="module")
def spm_mesh():
    machine = geometry.examples.spm_servo_12s10p()
    pslg = geometry.build_pslg(
        machine, sector=False, mesh_size=geometry.MeshSize(scale=3.0, airgap_layers=1)
    )
    return triangulate(pslg, min_angle_deg=20.0)


@pytest.fixture(scope="module")
def written(spm_mesh, tmp_path_factory):
    """The SPM mesh written as 2.2 and 4.1, with its region map dict."""
    d = tmp_path_factory.mktemp("msh")
    rmap = gi.write_msh(d / "m22.msh", spm_mesh, turns=30, version="2.2")
    rmap41 = gi.write_msh(d / "m41.msh", spm_mesh, turns=30, version="4.1")
    assert rmap == rmap41
    return d / "m22.msh", d / "m41.msh", rmap


def _per_group(model: gi.ImportedModel) -> dict[str, tuple[float, float, float]]:
    area = gi._areas(model.nodes, model.triangles)
    out = {}
    for gi_, name in enumerate(model.group_names):
        sel = model.group == gi_
        out[name] = (
            float(area[sel].sum()),
            float(np.sum(area[sel] * model.br_t[sel, 0])),
            float(np.sum(area[sel] * model.br_t[sel, 1])),
        )
    return out


def test_msh_22_and_41_give_the_same_model(written, spm_mesh) -> None:
    m22, m41, rmap = written
    a = gi.load(m22, rmap)
    b = gi.load(m41, rmap)
    assert len(a.nodes) == len(b.nodes) == len(spm_mesh.nodes)
    assert len(a.triangles) == len(b.triangles)
    ga, gb = _per_group(a), _per_group(b)
    assert ga.keys() == gb.keys()
    for k in ga:
        assert ga[k] == pytest.approx(gb[k], rel=1e-12, abs=1e-15)
    da = {tuple(p) for p in a.nodes[a.dirichlet_nodes]}
    db = {tuple(p) for p in b.nodes[b.dirichlet_nodes]}
    assert da == db and len(da) > 10
    assert a.airgap_r_inner_m == pytest.approx(b.airgap_r_inner_m)
    assert [c.name for c in a.coil_groups] == [c.name for c in b.coil_groups]


def test_model_fields_follow_the_map(written, spm_mesh) -> None:
    m22, _, rmap = written
    model = gi.load(m22, rmap)
    t = len(model.triangles)
    assert model.nu_r.shape == (t,) and model.br_t.shape == (t, 2)
    # Dirichlet nodes lie on the outer circle.
    r = np.hypot(*model.nodes.T)
    assert np.allclose(r[model.dirichlet_nodes], r.max(), rtol=1e-6)
    # Triangles counter-clockwise; total area = that of the repm mesh (band included).
    assert np.all(signed_triangle_areas(model.nodes, model.triangles) > 0)
    assert gi._areas(model.nodes, model.triangles).sum() == pytest.approx(
        sum(spm_mesh.quality.region_area_m2), rel=1e-12
    )
    # Steel groups share one Steel object per grade, the grade of the machine.
    assert {s.name for s in model.steels} == {"M270-35A"}
    assert np.all(model.steel[model.nu_r != 1.0] == -1)
    # Radial magnets: Br(20 °C) of N42SH along ± the radius at the centroid, ν_r = 1/μrec.
    grade = magnets.grade("N42SH")
    mag = np.linalg.norm(model.br_t, axis=1) > 0
    assert np.allclose(np.linalg.norm(model.br_t[mag], axis=1), grade.br_t_at(20.0))
    assert np.allclose(model.nu_r[mag], 1 / grade.mu_rec)
    c = model.nodes[model.triangles[mag]].mean(axis=1)
    cosang = np.sum(c * model.br_t[mag], axis=1) / np.hypot(*c.T) / grade.br_t_at(20.0)
    assert np.allclose(np.abs(cosang), 1.0)
    # Coils: J·area = sign·turns·I per group.
    j = model.current_density({"A": 7.0})
    for g, coil in enumerate(model.coil_groups):
        expected = coil.sign * coil.turns * (7.0 if coil.phase == "A" else 0.0)
        assert j[g] * coil.area_m2 == pytest.approx(expected)
        assert coil.turns == 4 * 30  # four coil sides of 30 turns per group
    assert model.phases == ("A", "C", "B")


def test_parallel_magnets_and_temperature(written) -> None:
    m22, _, rmap = written
    groups = dict(rmap["groups"])
    name = next(k for k, v in groups.items() if v["kind"] == "magnet")
    groups[name] = {
        "kind": "magnet",
        "grade": "N42SH",
        "temperature_c": 120.0,
        "magnetisation": "parallel",
        "direction_deg": 30.0,
    }
    model = gi.load(m22, {**rmap, "groups": groups})
    sel = model.group == model.group_names.index(name)
    br = magnets.grade("N42SH").br_t_at(120.0)
    assert br < magnets.grade("N42SH").br_t_at(20.0)
    assert np.allclose(model.br_t[sel], [br * math.cos(math.pi / 6), br * math.sin(math.pi / 6)])


def test_toml_equals_dict_and_user_materials(tmp_path: Path) -> None:
    text = EXAMPLE_TOML.read_text(encoding="utf-8")
    text = text.replace('grade = "M270-35A"', 'grade = "MySteel"')
    text += (
        "\n[materials.steel.MySteel]\ndensity_kg_per_m3 = 7650.0\n"
        "bh_h_a_per_m = [0.0, 100.0, 1000.0, 10000.0]\nbh_b_t = [0.0, 1.0, 1.5, 1.9]\n"
    )
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    model = gi.load(EXAMPLE_MSH, path)
    assert [s.name for s in model.steels] == ["MySteel"]
    assert model.stack_length_m == 0.05
    ref = gi.load(EXAMPLE_MSH, EXAMPLE_TOML)
    assert np.array_equal(ref.nu_r, model.nu_r) and np.array_equal(ref.br_t, model.br_t)
    assert ref.steels[0] == steels.steel("M270-35A")


def test_currents_per_phase_and_group() -> None:
    model = gi.load(EXAMPLE_MSH, EXAMPLE_TOML)
    names = [c.name for c in model.coil_groups]
    base = model.currents_a()
    assert base[names.index("coil_A+")] == 10.0  # current_a from the TOML
    i = model.currents_a({"A": 3.0, "coil_A-": -1.0})
    assert i[names.index("coil_A+")] == 3.0 and i[names.index("coil_A-")] == -1.0
    assert i[names.index("coil_B+")] == base[names.index("coil_B+")]
    with pytest.raises(InputError, match="current name 'D'"):
        model.currents_a({"D": 1.0})
    with pytest.raises(InputError, match="current A"):
        model.currents_a({"A": math.nan})


def test_flux_linkage_and_element_b_on_known_fields() -> None:
    model = gi.load(EXAMPLE_MSH, EXAMPLE_TOML)
    # Constant A = c: ψ_g = sign·turns·c.
    psi = model.flux_linkage_wb_per_m(np.full(len(model.nodes), 0.01))
    for c in model.coil_groups:
        assert psi[c.name] == pytest.approx(c.sign * c.turns * 0.01)
    by_phase = model.flux_linkage_by_phase_wb_per_m(np.full(len(model.nodes), 0.01))
    assert by_phase["A"] == pytest.approx(0.0, abs=1e-12)  # A+ and A- cancel
    # A = 2x - 3y: B = (∂A/∂y, -∂A/∂x) = (-3, -2) in every triangle.
    a = 2 * model.nodes[:, 0] - 3 * model.nodes[:, 1]
    b = gi.element_b(model.nodes, model.triangles, a)
    assert np.allclose(b, [-3.0, -2.0])
    with pytest.raises(InputError, match="nodal values"):
        model.flux_linkage_wb_per_m(np.zeros(3))
    with pytest.raises(InputError, match="NaN"):
        model.flux_linkage_wb_per_m(np.full(len(model.nodes), np.nan))


def test_arkkio_torque_of_a_uniform_polar_field() -> None:
    """B_r, B_θ constant over the annulus: T = B_r B_θ 2π (r_o³ − r_i³) / (3 μ0 (r_o − r_i))."""
    model = gi.load(EXAMPLE_MSH, EXAMPLE_TOML)
    c = model.nodes[model.triangles].mean(axis=1)
    r = np.hypot(*c.T)
    er, et = c / r[:, None], np.column_stack([-c[:, 1], c[:, 0]]) / r[:, None]
    b = 0.8 * er + 0.1 * et
    ri, ro = model.airgap_r_inner_m, model.airgap_r_outer_m
    exact = 0.8 * 0.1 * 2 * math.pi * (ro**3 - ri**3) / (3 * gi.MU0 * (ro - ri))
    assert model.torque_arkkio_nm_per_m(b) == pytest.approx(exact, rel=2e-3)
    assert model.torque_arkkio_nm_per_m(0.8 * er) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(InputError, match="shape"):
        model.torque_arkkio_nm_per_m(b[:5])


def test_problem_needs_repm_fem_fields() -> None:
    pytest.importorskip("repm.fem")
    model = gi.load(EXAMPLE_MSH, EXAMPLE_TOML)
    p = model.problem()
    assert p.n_groups == 6 and len(p.band_rotor_nodes) == 0
    assert np.array_equal(p.triangles, model.triangles)


# ------------------------------------------------------------------------------- errors
def _map(**over):
    base = {
        "dirichlet": "outer",
        "groups": {"a": {"kind": "air"}, "s": {"kind": "steel", "grade": "M400-50A"}},
    }
    base.update(over)
    return base


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Two unit squares (groups 'a' and 's') with the outer boundary as line group 'outer'."""
    d = tmp_path_factory.mktemp("tiny")
    pts = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [1, 1, 0], [2, 1, 0], [5, 5, 0]])
    tris = np.array([[0, 1, 4], [0, 4, 3], [1, 2, 5], [1, 5, 4]])
    lines = np.array([[0, 1], [1, 2], [2, 5], [5, 4], [4, 3], [3, 0]])

    def write(name, points=pts, cells=None, phys=None, fmt="gmsh22", field=None):
        cells = cells or [("triangle", tris), ("line", lines)]
        phys = phys or [np.array([1, 1, 2, 2]), np.full(6, 3)]
        field = (
            field
            if field is not None
            else {"a": np.array([1, 2]), "s": np.array([2, 2]), "outer": np.array([3, 1])}
        )
        mesh = meshio.Mesh(
            points,
            cells,
            cell_data={"gmsh:physical": phys, "gmsh:geometrical": phys},
            field_data=field,
        )
        path = d / name
        mesh.write(path, file_format=fmt, binary=False)
        return path

    return write


def test_tiny_mesh_loads_and_drops_unused_nodes(tiny) -> None:
    model = gi.load(tiny("ok.msh"), _map())
    assert len(model.nodes) == 6  # node (5, 5) belongs to no triangle
    assert len(model.dirichlet_nodes) == 6
    assert model.steel.tolist() == [-1, -1, 0, 0]
    # Groups by tag when the file has no names.
    m2 = gi.load(
        tiny("tags.msh", field={}),
        _map(dirichlet=3, groups={"1": {"kind": "air"}, "2": {"kind": "air"}}),
    )
    assert m2.group_names == ("1", "2")


@pytest.mark.parametrize(
    ("kwargs", "mapping", "error", "message"),
    [
        ({}, _map(groups={"a": {"kind": "air"}}), GeometryError, "not in the region map"),
        (
            {},
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "air"}, "x": {"kind": "air"}}),
            GeometryError,
            "have no triangles",
        ),
        ({}, _map(dirichlet="a"), GeometryError, "not a line group"),
        ({}, _map(airgap="s"), GeometryError, "annulus"),
        ({}, _map(airgap="nope"), GeometryError, "not a surface group"),
        (
            {"phys": [np.array([1, 1, 2, 2]), np.full(6, 3)], "field": {}},
            _map(),
            GeometryError,
            "not in the region map",
        ),
    ],
)
def test_mesh_map_mismatch_errors(tiny, kwargs, mapping, error, message) -> None:
    with pytest.raises(error, match=message):
        gi.load(tiny("e.msh", **kwargs), mapping)


def test_mesh_content_errors(tiny, tmp_path: Path) -> None:
    pts = np.array(
        [[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [1, 1, 0], [2, 1, 0], [5, 5, 0]], dtype=float
    )
    quads = [("quad", np.array([[0, 1, 4, 3]])), ("line", np.array([[0, 1]]))]
    with pytest.raises(GeometryError, match="'quad'"):
        gi.load(tiny("q.msh", cells=quads, phys=[np.array([1]), np.array([3])]), _map())
    with pytest.raises(GeometryError, match="z != 0"):
        gi.load(tiny("z.msh", points=pts + np.array([0, 0, 1.0])), _map())
    bad = pts.copy()
    bad[4, 0] = np.nan
    with pytest.raises(GeometryError, match="node 4 has non-finite"):
        gi.load(tiny("n.msh", points=bad), _map())
    flat = pts.copy()
    flat[4] = [0.5, 0.0, 0.0]  # triangle (0, 1, 4) collapses onto a line
    with pytest.raises(GeometryError, match="zero area"):
        gi.load(tiny("d.msh", points=flat), _map())
    with pytest.raises(GeometryError, match="does not exist"):
        gi.load(tmp_path / "missing.msh", _map())
    junk = tmp_path / "junk.msh"
    junk.write_text("this is not a mesh\n", encoding="utf-8")
    with pytest.raises(GeometryError, match="cannot be read"):
        gi.load(junk, _map())
    nophys = tmp_path / "nophys.msh"
    meshio.Mesh(pts, [("triangle", np.array([[0, 1, 4]]))]).write(
        nophys, file_format="gmsh22", binary=False
    )
    with pytest.raises(GeometryError, match="have no physical group"):
        gi.load(nophys, _map())
    with pytest.raises(InputError, match="file path"):
        gi.load(42, _map())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mapping", "error", "message"),
    [
        ({"groups": {"a": {"kind": "air"}}}, InputError, "dirichlet is missing"),
        (_map(groups={}), InputError, "non-empty table"),
        (_map(extra=1), InputError, r"key\(s\) \['extra'\]"),
        (_map(stack_length_m=-1.0), InputError, "stack_length_m = -1.0"),
        (_map(stack_length_m=math.nan), InputError, "stack_length_m = nan"),
        (
            _map(groups={"a": {"kind": "wood"}, "s": {"kind": "air"}}),
            InputError,
            "groups.a.kind = 'wood'",
        ),
        (
            _map(groups={"a": {"kind": "air", "grade": "x"}, "s": {"kind": "air"}}),
            InputError,
            r"groups.a: key\(s\) \['grade'\]",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "steel"}}),
            InputError,
            "groups.s.grade = None",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "steel", "grade": "M9000"}}),
            UnknownMaterialError,
            "groups.s.grade",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "magnet", "grade": "N99"}}),
            UnknownMaterialError,
            "groups.s.grade",
        ),
        (
            _map(
                groups={
                    "a": {"kind": "air"},
                    "s": {"kind": "magnet", "grade": "N42SH", "temperature_c": 400.0},
                }
            ),
            TemperatureRangeError,
            "groups.s.temperature_c",
        ),
        (
            _map(
                groups={
                    "a": {"kind": "air"},
                    "s": {"kind": "magnet", "grade": "N42SH", "magnetisation": "axial"},
                }
            ),
            InputError,
            "magnetisation = 'axial'",
        ),
        (
            _map(
                groups={"a": {"kind": "air"}, "s": {"kind": "magnet", "grade": "N42SH", "sign": 1}}
            ),
            InputError,
            "sign is invalid for a parallel magnet",
        ),
        (
            _map(
                groups={
                    "a": {"kind": "air"},
                    "s": {
                        "kind": "magnet",
                        "grade": "N42SH",
                        "magnetisation": "radial",
                        "direction_deg": 3.0,
                    },
                }
            ),
            InputError,
            "direction_deg is invalid for a radial magnet",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "coil", "phase": "A", "sign": 2}}),
            InputError,
            "groups.s.sign = 2",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "coil", "phase": "A", "turns": 0}}),
            InputError,
            "groups.s.turns = 0",
        ),
        (
            _map(groups={"a": {"kind": "air"}, "s": {"kind": "coil", "phase": ""}}),
            InputError,
            "groups.s.phase = ''",
        ),
        (
            _map(
                groups={"a": {"kind": "air"}, "s": {"kind": "coil", "phase": "A", "current_a": "x"}}
            ),
            InputError,
            "groups.s.current_a = 'x'",
        ),
        (_map(materials={"wood": {}}), InputError, "material kind"),
        ("not a map", InputError, "does not exist"),
    ],
)
def test_region_map_errors(tiny, mapping, error, message) -> None:
    with pytest.raises(error, match=message):
        gi.load(tiny("ok.msh"), mapping)


def test_region_map_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("groups = [", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        gi.RegionMap.from_toml(bad)
    with pytest.raises(InputError, match="a mapping is required"):
        gi.RegionMap.from_dict([1, 2])  # type: ignore[arg-type]
    rm = gi.RegionMap.from_dict(_map())
    assert rm.region("s") == gi.SteelRegion("M400-50A")
    with pytest.raises(InputError, match="not in the region map"):
        rm.region("zz")


def test_write_msh_errors(spm_mesh, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"version = '3\.0'"):
        gi.write_msh(tmp_path / "x.msh", spm_mesh, version="3.0")
    with pytest.raises(InputError, match="mixes regions"):
        gi.write_msh(tmp_path / "x.msh", spm_mesh, group_of_region=lambda r: "all")
    sector = triangulate(geometry.build_pslg(geometry.examples.spm_servo_12s10p(), sector=True))
    with pytest.raises(InputError, match="full-machine"):
        gi.write_msh(tmp_path / "x.msh", sector)


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["air", "steel", "magnet", "coil", "x"]),
    key=st.sampled_from(
        [
            "grade",
            "temperature_c",
            "magnetisation",
            "direction_deg",
            "sign",
            "phase",
            "turns",
            "current_a",
            "kind",
            "colour",
        ]
    ),
    value=_values,
)
def test_any_bad_group_value_is_an_input_error(tiny, kind, key, value) -> None:
    """A map with one arbitrary field either loads or raises InputError, nothing else."""
    spec = {"kind": kind, "grade": "N42SH" if kind == "magnet" else "M400-50A", "phase": "A"}
    spec = {k: v for k, v in spec.items() if k in gi._KEYS.get(kind, ("kind", "grade", "phase"))}
    spec[key] = value
    try:
        model = gi.load(tiny("ok.msh"), _map(groups={"a": {"kind": "air"}, "s": spec}))
    except InputError:
        return
    assert np.all(np.isfinite(model.nu_r)) and np.all(np.isfinite(model.br_t))


def test_from_mesh_full_equals_the_msh_round_trip(written, spm_mesh) -> None:
    m22, _, rmap = written
    direct = gi.from_mesh(spm_mesh, turns=30)
    via_file = gi.load(m22, rmap)
    assert np.array_equal(direct.triangles, via_file.triangles)
    assert np.allclose(direct.nodes, via_file.nodes, rtol=0, atol=1e-15)
    assert np.array_equal(direct.br_t, via_file.br_t)
    assert direct.group_names == via_file.group_names
    assert direct.airgap_r_outer_m == via_file.airgap_r_outer_m


def test_from_mesh_sector_keeps_pairs_and_band() -> None:
    machine = geometry.examples.spm_servo_12s10p()
    mesh = triangulate(
        geometry.build_pslg(
            machine, sector=True, mesh_size=geometry.MeshSize(scale=2.0, airgap_layers=1)
        )
    )
    model = gi.from_mesh(mesh, turns=30)
    assert np.array_equal(model.periodic_pairs, mesh.periodic_pairs)
    assert model.antiperiodic and model.sector_angle_rad == pytest.approx(math.pi)
    assert np.array_equal(model.band_rotor_nodes, mesh.band_rotor_nodes)
    assert len(model.triangles) == len(mesh.triangles)  # the band stays out of the triangles
    assert len(model.airgap_triangles) == 0
    # Rotor: magnets and rotor steel turn, stator steel and coils do not.
    steel_grp = [model.group_names.index(n) for n in ("rotor_steel", "stator_steel")]
    assert model.rotor[model.group == steel_grp[0]].all()
    assert not model.rotor[model.group == steel_grp[1]].any()
    assert model.rotor[np.linalg.norm(model.br_t, axis=1) > 0].all()
    assert not model.rotor[model.source_group >= 0].any()
    with pytest.raises(InputError, match="no airgap group"):
        model.torque_arkkio_nm_per_m(np.zeros((len(model.triangles), 2)))
