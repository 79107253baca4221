"""Outer-rotor SPM (topology ``spm_outer``): layout, magnetisation, derived quantities and every
documented GeometryError."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from _geometry_checks import check_pslg, loops, signed_area
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import GeometryError, magnets, steels
from repm import geometry as G


def _with(m: G.Machine, slot=None, stator=None, rotor=None, spm=None) -> G.Machine:
    st_ = replace(m.stator, **(stator or {}))
    if slot:
        st_ = replace(st_, slot=replace(m.stator.slot, **slot))
    ro = replace(m.rotor, **(rotor or {}))
    if spm:
        ro = replace(ro, spm=replace(m.rotor.spm, **spm))
    return replace(m, stator=st_, rotor=ro)


def _centroid_radius(p, k: int) -> float:
    c = p.points[loops(p)[k]].mean(axis=0)
    return float(np.hypot(*c))


def test_example_layout_stator_inside_rotor_outside():
    m = G.outer_rotor_spm_24s20p()
    assert m.is_outer_rotor
    assert m.rotor_outer_radius_m == pytest.approx(0.09 + 0.001 + 0.0035 + 0.007)
    p = G.build_pslg(m, sector=False)
    check_pslg(p)
    r_gap = m.stator.outer_diameter_m / 2
    radii: dict[str, list[float]] = {}
    for k in range(len(p.loop_ptr) - 1):
        radii.setdefault(p.regions[p.loop_region[k]].kind, []).append(_centroid_radius(p, k))
    assert max(radii["coil"]) < r_gap < min(radii["magnet"])
    # the band: rotor points outside the stator points
    pts = p.points
    rr = np.hypot(*pts[p.band_rotor_points].T)
    rs = np.hypot(*pts[p.band_stator_points].T)
    assert rr.min() > rs.max() > r_gap
    assert rr.max() < m.rotor_gap_radius_m
    # the outer boundary is the rotor's outer circle, the hub sits at the centre
    assert np.hypot(*pts.T).max() == pytest.approx(m.rotor_outer_radius_m, rel=1e-12)
    hub = [r for r in p.regions if r.kind == "shaft"]
    assert [r.name for r in hub] == ["stator hub"]
    # slots open outwards: every slot-opening loop touches the stator's outer circle
    for k, lp in enumerate(loops(p)):
        if p.regions[p.loop_region[k]].name.startswith("slot opening"):
            r = np.hypot(*p.points[lp].T)
            assert r.max() == pytest.approx(r_gap, rel=1e-12)
            assert signed_area(p.points[lp]) > 0


def test_north_poles_point_inwards():
    m = G.outer_rotor_spm_24s20p()
    p = G.build_pslg(m, sector=False)
    mags = {r.name: r for r in p.regions if r.kind == "magnet"}
    assert len(mags) == 20
    assert mags["magnet 0.0"].sign == -1 and mags["magnet 1.0"].sign == 1
    tau_p = 2 * math.pi / 20
    par = _with(m, spm={"magnetisation": "parallel"})
    mp = {r.name: r for r in G.build_pslg(par, sector=False).regions if r.kind == "magnet"}
    # pole 0 (north, d-axis at tau_p/2) points to the centre, pole 1 outwards
    assert math.cos(mp["magnet 0.0"].direction_rad - 0.5 * tau_p) == pytest.approx(-1.0)
    assert math.cos(mp["magnet 1.0"].direction_rad - 1.5 * tau_p) == pytest.approx(1.0)
    hal = _with(m, spm={"magnetisation": "halbach", "halbach_segments": 3})
    p = G.build_pslg(hal, sector=False)
    check_pslg(p)
    mh = {r.name: r for r in p.regions if r.kind == "magnet"}
    assert math.cos(mh["magnet 0.1"].direction_rad - 0.5 * tau_p) == pytest.approx(-1.0)
    # inward-focusing array: the direction turns by (1 + p) times the angle
    t = 0.5 * tau_p + 2 * 0.8 * 0.5 * tau_p / 3
    lean = math.remainder(mh["magnet 0.2"].direction_rad - (math.pi + t), 2 * math.pi)
    assert lean == pytest.approx(10 * (t - 0.5 * tau_p))


def test_sector_is_periodic_and_deterministic():
    m = G.outer_rotor_spm_24s20p()
    a = G.build_pslg(m)
    b = G.build_pslg(m)
    check_pslg(a)
    # 24 slots, 20 poles: GCD 4, odd poles per quarter: antiperiodic half of it
    assert a.sector_angle_rad == pytest.approx(math.pi / 2)
    assert a.antiperiodic
    for f in ("points", "loop_points", "loop_ptr", "periodic_pairs", "band_rotor_points"):
        assert getattr(a, f).tobytes() == getattr(b, f).tobytes()


def test_derived_closed_forms():
    m = G.outer_rotor_spm_24s20p()
    d = G.derived(m)
    rf = m.stator.outer_diameter_m / 2 + m.rotor.air_gap_m
    rc = rf + m.rotor.spm.thickness_m
    ro = rc + m.rotor.back_iron_m
    L = m.stator.stack_length_m
    v = 0.8 * math.pi * (rc**2 - rf**2) * L
    assert d.magnet_volume_m3 == pytest.approx(v, rel=1e-12)
    assert d.magnet_mass_kg == pytest.approx(v * magnets.grade("N42SH").density_kg_per_m3)
    rho = steels.steel("M270-35A").density_kg_per_m3 * m.rotor.stacking_factor
    assert d.rotor_steel_mass_kg == pytest.approx(math.pi * (ro**2 - rc**2) * L * rho, rel=1e-12)
    # stator lamination: annulus minus 24 slots; a semi-closed slot is close to the trapezoid
    # between the tip line and the bottom (parallel teeth 11 mm wide)
    ann = math.pi * (0.09**2 - 0.04**2)
    assert d.stator_steel_area_m2 == pytest.approx(ann - 24 * d.slot_area_m2, rel=1e-12)
    a = math.pi / 24

    def width(x: float) -> float:  # slot width at x in the slot frame
        return 2 * (x * math.sin(a) - 0.0055) / math.cos(a)

    x_top, x_bot = 0.09 - 0.0012 - 0.0015, 0.09 - 0.032
    trapezoid = 0.5 * (width(x_top) + width(x_bot)) * (x_top - x_bot)
    assert d.coil_area_m2 == pytest.approx(trapezoid, rel=0.03)
    assert d.element_bill.element_kg["Nd"] > 0
    assert d.copper_mass_kg > 0 and d.active_mass_kg > d.magnet_mass_kg


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"rotor": {"back_iron_m": 0.0}}, r"rotor\.back_iron_m = 0\.0.*> 0"),
        ({"rotor": {"back_iron_m": -0.001}}, r"rotor\.back_iron_m"),
        ({"rotor": {"shaft_diameter_m": 0.02}}, r"rotor\.shaft_diameter_m.*must be 0"),
        ({"spm": {"shape": "bread_loaf", "loaf_radius_m": 0.05}}, r"rotor\.spm\.shape.*arc"),
        ({"slot": {"depth_m": 0.05, "tooth_width_m": 0.006}}, r"stator\.slot\.depth_m.*inner bore"),
        ({"slot": {"depth_m": 0.049}, "stator": {"bore_diameter_m": 0.05}},
         r"stator\.slot\.depth_m.*slot sides"),
        ({"slot": {"tooth_width_m": 0.002, "opening_height_m": 0.0002, "wedge_height_m": 0.0}},
         r"stator\.slot\.opening_height_m.*tooth tips"),
        ({"slot": {"shape": "open_rectangular", "opening_width_m": 0.02, "depth_m": 0.045}},
         r"stator\.slot\.depth_m.*no tooth"),
        ({"slot": {"opening_width_m": 0.03}}, r"stator\.slot\.opening_width_m.*slot pitch"),
        ({"stator": {"bore_diameter_m": 0.2}}, r"stator\.bore_diameter_m"),
        ({"spm": {"thickness_m": 1e-6}}, r"rotor\.spm\.thickness_m.*1e-4"),
    ],
)  # fmt: skip
def test_invalid_outer_rotor_raises_geometry_error(change, match):
    with pytest.raises(GeometryError, match=match):
        _with(G.outer_rotor_spm_24s20p(), **change)


def test_back_iron_belongs_to_the_outer_rotor():
    m = G.spm_servo_12s10p()
    with pytest.raises(GeometryError, match=r"rotor\.back_iron_m.*only used with 'spm_outer'"):
        replace(m, rotor=replace(m.rotor, back_iron_m=0.005))
    with pytest.raises(GeometryError, match=r"rotor\.spm.*SpmMagnets"):
        G.Rotor("spm_outer", 0.001, 0.0, "M270-35A", "N42SH", back_iron_m=0.005)


def test_toml_outer_rotor_keys(tmp_path):
    path = Path(__file__).resolve().parents[1] / "examples/machines/outer_rotor_spm_24s20p.toml"
    text = path.read_text(encoding="utf-8")
    f = tmp_path / "m.toml"
    f.write_text(text.replace("back_iron_m = 0.007", "back_iron_m = 0.0"), encoding="utf-8")
    with pytest.raises(GeometryError, match=r"rotor\.back_iron_m = 0\.0"):
        G.load_machine(f)
    inner = text.replace('topology = "spm_outer"', 'topology = "spm"')
    f.write_text(inner.replace("shaft_diameter_m = 0.0 ", "shaft_diameter_m = 0.02 "), "utf-8")
    with pytest.raises(GeometryError, match=r"rotor\.back_iron_m.*only used with 'spm_outer'"):
        G.load_machine(f)
    f.write_text(text.replace("[rotor.spm]", "[rotor.flat]"), encoding="utf-8")
    with pytest.raises(GeometryError, match=r"rotor\.(flat|spm)"):
        G.load_machine(f)


OUTER_NUMERIC = [
    ("stator", "outer_diameter_m"), ("stator", "bore_diameter_m"), ("slot", "depth_m"),
    ("slot", "opening_width_m"), ("slot", "opening_height_m"), ("slot", "tooth_width_m"),
    ("slot", "wedge_height_m"), ("rotor", "air_gap_m"), ("rotor", "back_iron_m"),
    ("rotor", "shaft_diameter_m"), ("spm", "thickness_m"), ("spm", "pole_arc_ratio"),
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(OUTER_NUMERIC),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(-0.2, 0.2),
        st.integers(-1, 0),
        st.just(True),
    ),
)
def test_any_outer_value_gives_a_machine_or_a_geometry_error(target, value):
    part, key = target
    try:
        m = _with(G.outer_rotor_spm_24s20p(), **{part: {key: value}})
    except GeometryError:
        return
    try:  # a valid but absurdly proportioned machine is refused when discretised
        p = G.build_pslg(m, mesh_size=G.MeshSize(scale=3.0, airgap_layers=1))
    except GeometryError as err:
        assert "out of proportion" in str(err)
        return
    assert len(p.points) > 0


def test_dimensions_out_of_proportion_raise_instead_of_allocating() -> None:
    """Found by hypothesis: a back iron of 1.46e9 m asked for a 616 GiB point array."""
    from repm import geometry

    m = geometry.outer_rotor_spm_24s20p()
    with pytest.raises(GeometryError, match="out of proportion"):
        bad = replace(m, rotor=replace(m.rotor, back_iron_m=1460319306.0))
        geometry.build_pslg(bad)
