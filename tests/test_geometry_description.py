"""Machine description: TOML round trip of the examples, and every documented GeometryError."""

from __future__ import annotations

import math
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm import GeometryError, InputError
from repm import geometry as G

MACHINES = Path(__file__).resolve().parents[1] / "examples" / "machines"
EXAMPLES = {
    "prius2004": G.prius2004,
    "industrial_11kw_ipm": G.industrial_11kw_ipm,
    "spm_servo_12s10p": G.spm_servo_12s10p,
    "outer_rotor_spm_24s20p": G.outer_rotor_spm_24s20p,
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_toml_examples_equal_the_python_constructors(name):
    m = G.load_machine(MACHINES / f"{name}.toml")
    assert m == EXAMPLES[name]()
    assert pickle.loads(pickle.dumps(m)) == m
    G.build_pslg(m)


def test_geometry_error_is_an_input_error():
    assert issubclass(repm.GeometryError, InputError)
    assert issubclass(repm.GeometryError, repm.RepmError)


def _prius_with(stator=None, slot=None, rotor=None, vlayer=None, winding=None) -> G.Machine:
    m = G.prius2004()
    s = m.stator
    if slot:
        s = replace(s, slot=replace(s.slot, **slot))
    if stator:
        s = replace(s, **stator)
    r = m.rotor
    if vlayer:
        r = replace(r, v_layers=(replace(r.v_layers[0], **vlayer),))
    if rotor:
        r = replace(r, **rotor)
    w = replace(m.winding, **winding) if winding else m.winding
    return G.Machine(m.name, s, w, r)


CASES = [
    ({"slot": {"opening_width_m": 0.011}}, r"opening_width_m.*slot pitch"),
    ({"slot": {"opening_width_m": -0.001}}, r"opening_width_m.*> 0"),
    ({"slot": {"depth_m": 0.06}}, r"depth_m.*yoke outside it"),
    ({"slot": {"depth_m": float("nan")}}, r"depth_m.*finite"),
    ({"slot": {"tooth_width_m": 0.0105}}, r"tooth_width_m.*not wider than the opening"),
    ({"slot": {"opening_height_m": 1e-6}}, r"opening_height_m.*cut the bore"),
    ({"slot": {"shape": "trapezoid"}}, r"shape.*allowed"),
    ({"slot": {"wedge_height_m": 1e-6}}, r"wedge_height_m.*at least"),
    ({"stator": {"bore_diameter_m": 0.3}}, r"bore_diameter_m.*smaller"),
    ({"stator": {"outer_diameter_m": math.inf}}, r"outer_diameter_m.*finite"),
    ({"stator": {"slots": 48.0}}, r"slots.*whole number"),
    ({"stator": {"steel": "M999"}}, r"stator\.steel.*M999"),
    ({"stator": {"stacking_factor": 1.2}}, r"stacking_factor"),
    ({"rotor": {"air_gap_m": 0.0}}, r"air_gap_m.*> 0"),
    ({"rotor": {"air_gap_m": -0.001}}, r"air_gap_m.*> 0"),
    ({"rotor": {"air_gap_m": 0.09}}, r"air_gap_m.*bore radius"),
    ({"rotor": {"shaft_diameter_m": 0.17}}, r"shaft_diameter_m"),
    ({"rotor": {"shaft_diameter_m": 0.13}}, r"shaft"),
    ({"rotor": {"magnet_grade": "N99"}}, r"magnet_grade.*N99"),
    ({"rotor": {"topology": "axial"}}, r"topology.*allowed"),
    ({"rotor": {"topology": "spm"}}, r"rotor\.spm.*SpmMagnets"),
    ({"rotor": {"v_layers": ()}}, r"v_layers"),
    ({"rotor": {"flat": G.FlatMagnet(0.01, 0.005, 0.005)}}, r"rotor\.flat.*another topology"),
    ({"rotor": {"min_bridge_m": 0.004}}, r"bridge"),
    ({"vlayer": {"v_angle_deg": 190.0}}, r"v_angle_deg.*\(0, 180\]"),
    ({"vlayer": {"v_angle_deg": 0.0}}, r"v_angle_deg"),
    ({"vlayer": {"apex_radius_m": 0.079}}, r"v_layers.*rotor surface"),
    ({"vlayer": {"magnet_width_m": 0.05}}, r"v_layers"),
    (
        {"vlayer": {"v_angle_deg": 180.0, "apex_radius_m": 0.065, "magnet_width_m": 0.03}},
        r"pole boundary",
    ),
    ({"vlayer": {"apex_radius_m": 0.06}}, r"shaft"),
    ({"vlayer": {"pocket_end_m": -0.001}}, r"pocket_end_m.*>= 0"),
    ({"winding": {"poles": 7}}, r"winding"),
    ({"winding": {"fill_factor": 1.0}}, r"fill_factor"),
    ({"winding": {"conductor": "gold"}}, r"conductor.*gold"),
    ({"winding": {"connection": "zigzag"}}, r"connection"),
    ({"winding": {"pitch_slots": 48}}, r"winding"),
]


@pytest.mark.parametrize(("change", "match"), CASES)
def test_invalid_prius_variants_raise_geometry_error(change, match):
    with pytest.raises(GeometryError, match=match):
        _prius_with(**change)


def test_double_v_layers_must_not_overlap():
    m = G.prius2004()
    v = m.rotor.v_layers[0]
    with pytest.raises(GeometryError, match=r"v_layers\[1\].*overlaps"):
        replace(m, rotor=replace(m.rotor, v_layers=(v, v)))


def test_spm_checks():
    m = G.spm_servo_12s10p()
    spm = m.rotor.spm
    with pytest.raises(GeometryError, match=r"pole_arc_ratio.*< 1"):
        replace(spm, pole_arc_ratio=1.0)
    with pytest.raises(GeometryError, match=r"thickness_m.*shaft"):
        replace(m, rotor=replace(m.rotor, spm=replace(spm, thickness_m=0.02)))
    loaf = replace(spm, shape="bread_loaf", loaf_radius_m=0.05)
    with pytest.raises(GeometryError, match="loaf_radius_m"):
        replace(m, rotor=replace(m.rotor, spm=loaf))
    ok = replace(m, rotor=replace(m.rotor, spm=replace(loaf, loaf_radius_m=0.015)))
    assert G.derived(ok).magnet_area_m2 > 0
    with pytest.raises(GeometryError, match="magnetisation"):
        replace(spm, magnetisation="sideways")
    with pytest.raises(GeometryError, match="halbach_segments"):
        replace(spm, magnetisation="halbach")
    with pytest.raises(GeometryError, match=r"halbach_segments.*only used"):
        replace(spm, halbach_segments=3)
    with pytest.raises(GeometryError, match="Halbach segments are arc magnets"):
        replace(loaf, magnetisation="halbach", halbach_segments=3)


def _toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "machine.toml"
    p.write_text(text, encoding="utf-8")
    return p


PRIUS_TOML = (MACHINES / "prius2004.toml").read_text(encoding="utf-8")


def test_toml_unknown_keys_are_named(tmp_path):
    bad = PRIUS_TOML.replace("[rotor]\n", "[rotor]\nmagnet_colour = 'red'\n")
    with pytest.raises(GeometryError, match=r"\[rotor\] has unknown key\(s\) magnet_colour"):
        G.load_machine(_toml(tmp_path, bad))
    bad = PRIUS_TOML.replace("[stator.slot]\n", "[stator.slot]\nradius_m = 1.0\n")
    with pytest.raises(GeometryError, match=r"\[stator\.slot\].*radius_m"):
        G.load_machine(_toml(tmp_path, bad))
    with pytest.raises(GeometryError, match=r"unknown table.*housing"):
        G.load_machine(_toml(tmp_path, PRIUS_TOML + "\n[housing]\nx = 1\n"))
    bad = PRIUS_TOML.replace("v_angle_deg = 145.0", "v_angle_deg = 145.0\nangle = 3")
    with pytest.raises(GeometryError, match=r"v_layers\[0\].*angle"):
        G.load_machine(_toml(tmp_path, bad))


def test_toml_missing_and_malformed(tmp_path):
    with pytest.raises(GeometryError, match="missing"):
        G.load_machine(tmp_path / "nope.toml")
    bad = PRIUS_TOML.replace("slots = 48", "slots = = 48")
    with pytest.raises(GeometryError, match="line"):
        G.load_machine(_toml(tmp_path, bad))
    bad = PRIUS_TOML.replace("slots = 48", "slots = '48'")
    with pytest.raises(GeometryError, match=r"stator\.slots"):
        G.load_machine(_toml(tmp_path, bad))
    bad = PRIUS_TOML.replace("turns_per_coil = 9", "")
    with pytest.raises(GeometryError, match=r"\[winding\] is missing key\(s\) turns_per_coil"):
        G.load_machine(_toml(tmp_path, bad))
    with pytest.raises(GeometryError, match=r"missing the table \[rotor\]"):
        G.machine_from_dict({"machine": {}, "stator": {}, "winding": {}})
    with pytest.raises(GeometryError, match="ratings must be numbers"):
        G.load_machine(_toml(tmp_path, PRIUS_TOML.replace("[machine]", "[machine]\nx = 'a'")))
    bad = PRIUS_TOML.replace("[[rotor.v_layers]]", "[rotor.v_layers]")
    with pytest.raises(GeometryError, match="array of tables"):
        G.load_machine(_toml(tmp_path, bad))


NUMERIC = [
    ("stator", "outer_diameter_m"), ("stator", "bore_diameter_m"), ("stator", "stack_length_m"),
    ("slot", "depth_m"), ("slot", "opening_width_m"), ("slot", "opening_height_m"),
    ("slot", "tooth_width_m"), ("slot", "wedge_height_m"), ("rotor", "air_gap_m"),
    ("rotor", "shaft_diameter_m"), ("rotor", "min_bridge_m"), ("vlayer", "magnet_width_m"),
    ("vlayer", "magnet_thickness_m"), ("vlayer", "v_angle_deg"), ("vlayer", "apex_radius_m"),
    ("vlayer", "centre_post_m"), ("vlayer", "pocket_end_m"),
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(NUMERIC),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(-1.0, 1.0),
        st.integers(-5, 5),
        st.just(True),
        st.text(max_size=3),
    ),
)
def test_any_value_gives_a_machine_or_a_geometry_error(target, value):
    part, key = target
    try:
        m = _prius_with(**{part: {key: value}})
    except GeometryError:
        return
    p = G.build_pslg(m, mesh_size=G.MeshSize(scale=3.0))
    assert len(p.points) > 0
