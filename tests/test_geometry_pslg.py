"""PSLG builder: the contract of repm.pslg over the example machines and random valid machines
of every topology; determinism; sector choice."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from _geometry_checks import check_pslg, loops, signed_area
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from repm import GeometryError
from repm import geometry as G
from repm import winding as W

EXAMPLES = [G.prius2004, G.industrial_11kw_ipm, G.spm_servo_12s10p, G.outer_rotor_spm_24s20p]


@pytest.mark.parametrize("make", EXAMPLES)
@pytest.mark.parametrize("sector", [True, False])
def test_examples_satisfy_the_contract(make, sector):
    m = make()
    p = G.build_pslg(m, sector=sector)
    areas = check_pslg(p)
    r_o = m.rotor_outer_radius_m if m.is_outer_rotor else m.stator.outer_diameter_m / 2
    # the outer boundary is the discretised stator (outer rotor: rotor) circle: close to the
    # exact disk sector
    assert areas["outer"] == pytest.approx(0.5 * r_o**2 * p.sector_angle_rad, rel=2e-3)
    kinds = {r.kind for r in p.regions}
    assert kinds == {
        "stator_steel", "rotor_steel", "magnet", "coil", "air", "airgap", "airgap_band", "shaft"
    } - ({"air"} if False else set())  # fmt: skip


def test_prius_sector_is_one_antiperiodic_pole():
    p = G.build_pslg(G.prius2004())
    assert p.sector_angle_rad == pytest.approx(math.pi / 4)
    assert p.antiperiodic
    coils = [r for r in p.regions if r.kind == "coil"]
    assert len(coils) == 6
    a = W.analyse(48, 8, layers=1, pitch=6)
    for r in coils:
        assert r.phase == a.layout.phase[r.slot, r.layer]
        assert r.sign == a.layout.sign[r.slot, r.layer]
        assert r.material == "copper"
    mags = [r for r in p.regions if r.kind == "magnet"]
    assert len(mags) == 2
    for r in mags:
        assert r.magnetisation == "parallel" and r.sign == 1 and r.material == "N38SH"
    # the two magnets of the north pole point outward, symmetric about the d-axis (22.5 deg)
    d = sorted(r.direction_rad for r in mags)
    assert d[0] + d[1] == pytest.approx(2 * math.pi / 8)


def test_servo_sector_and_layers():
    m = G.spm_servo_12s10p()
    p = G.build_pslg(m)
    a = W.analyse(12, 10, layers=2, pitch=1)
    assert p.sector_angle_rad == pytest.approx(a.sector_slots * 2 * math.pi / 12)
    assert p.antiperiodic == a.antiperiodic
    coils = [r for r in p.regions if r.kind == "coil"]
    assert len(coils) == 2 * a.sector_slots
    assert {r.layer for r in coils} == {0, 1}
    mags = [r for r in p.regions if r.kind == "magnet"]
    assert [r.sign for r in mags] == [1, -1, 1, -1, 1][: len(mags)]
    assert all(r.magnetisation == "radial" for r in mags)


def test_full_machine_has_all_parts():
    m = G.prius2004()
    p = G.build_pslg(m, sector=False)
    assert p.is_full_machine and not p.antiperiodic
    assert sum(r.kind == "coil" for r in p.regions) == 48
    assert sum(r.kind == "magnet" for r in p.regions) == 16
    assert p.loop_protected[p.loop_region == p.band_region].all()


@pytest.mark.parametrize("sector", [True, False])
def test_same_input_same_pslg_bitwise(sector):
    a = G.build_pslg(G.prius2004(), sector=sector)
    b = G.build_pslg(G.prius2004(), sector=sector)
    for f in (
        "points", "loop_ptr", "loop_points", "loop_region", "loop_protected", "region_size_m",
        "band_rotor_points", "band_stator_points", "periodic_pairs",
    ):  # fmt: skip
        x, y = getattr(a, f), getattr(b, f)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), f
    assert a.regions == b.regions or [r.__dict__ for r in a.regions] == [
        r.__dict__ for r in b.regions
    ]


def test_mesh_size_controls_airgap_layers_and_density():
    m = G.prius2004()
    coarse = G.build_pslg(m, mesh_size=G.MeshSize(airgap_layers=2, scale=2.0))
    fine = G.build_pslg(m, mesh_size=G.MeshSize(airgap_layers=6, scale=0.5))
    check_pslg(coarse)
    check_pslg(fine)
    assert len(fine.band_rotor_points) > 2.5 * len(coarse.band_rotor_points)
    assert len(fine.points) > len(coarse.points)
    gap = [r for r, reg in enumerate(fine.regions) if reg.kind == "airgap"]
    assert fine.region_size_m[gap] == pytest.approx(m.rotor.air_gap_m / 6)
    with pytest.raises(GeometryError, match="airgap_layers"):
        G.MeshSize(airgap_layers=0)
    with pytest.raises(GeometryError, match=r"mesh_size\.scale"):
        G.MeshSize(scale=float("nan"))
    with pytest.raises(GeometryError, match="mesh_size"):
        G.build_pslg(m, mesh_size="fine")  # type: ignore[arg-type]


def test_coil_loops_are_in_their_slot():
    p = G.build_pslg(G.industrial_11kw_ipm())
    for k, lp in enumerate(loops(p)):
        reg = p.regions[p.loop_region[k]]
        if reg.kind == "coil":
            c = p.points[lp].mean(axis=0)
            ang = math.atan2(c[1], c[0])
            assert abs(ang - (reg.slot + 0.5) * 2 * math.pi / 36) < math.pi / 36
            assert signed_area(p.points[lp]) > 0


# --- random valid machines ------------------------------------------------------------------

COMBOS = [(12, 10, 2, 1), (12, 8, 2, 1), (9, 8, 2, 1), (24, 4, 2, 5), (36, 4, 2, 7),
          (48, 8, 1, 6), (18, 6, 2, 3), (6, 4, 2, 1), (27, 6, 2, 4), (24, 20, 2, 1)]  # fmt: skip


@st.composite
def outer_machines(draw):
    """Random outer-rotor SPM machines (stator inside, slots opening outwards)."""
    q, p2, layers, pitch = draw(st.sampled_from(COMBOS))
    ro = draw(st.floats(0.04, 0.3))  # stator radius at the gap
    r_in = ro * draw(st.floats(0.3, 0.6))
    pitch_chord = 2 * ro * math.sin(math.pi / q)
    shape = draw(st.sampled_from(["semi_closed", "round_bottom", "open_rectangular"]))
    b0 = pitch_chord * draw(st.floats(0.05, 0.5 if shape != "open_rectangular" else 0.6))
    g = ro * draw(st.floats(0.003, 0.02))
    mag = draw(st.sampled_from(["radial", "parallel", "halbach"]))
    try:
        slot = G.Slot(
            shape=shape,
            depth_m=(ro - r_in) * draw(st.floats(0.3, 0.75)),
            opening_width_m=b0,
            opening_height_m=ro * draw(st.floats(0.003, 0.02)),
            wedge_height_m=ro * draw(st.floats(0.0, 0.02)),
            tooth_width_m=pitch_chord * draw(st.floats(0.3, 0.6)),
        )
        stator = G.Stator(ro * 2, r_in * 2, ro * draw(st.floats(0.2, 2.0)), q, slot, "M400-50A")
        winding = G.Winding(poles=p2, turns_per_coil=10, layers=layers, pitch_slots=pitch)
        rotor = G.Rotor(
            topology="spm_outer",
            air_gap_m=g,
            shaft_diameter_m=0.0,
            back_iron_m=ro * draw(st.floats(0.02, 0.2)),
            steel="M400-50A",
            magnet_grade="N42SH",
            spm=G.SpmMagnets(
                thickness_m=ro * draw(st.floats(0.02, 0.15)),
                pole_arc_ratio=draw(st.floats(0.5, 0.95)),
                magnetisation=mag,
                halbach_segments=draw(st.integers(2, 5)) if mag == "halbach" else 0,
            ),
        )
        return G.Machine("random outer", stator, winding, rotor)
    except GeometryError:
        assume(False)


@st.composite
def machines(draw, topology: str):
    if topology == "spm_outer":
        return draw(outer_machines())
    q, p2, layers, pitch = draw(st.sampled_from(COMBOS))
    ro = draw(st.floats(0.04, 0.3))
    rb = ro * draw(st.floats(0.45, 0.7))
    pitch_chord = 2 * rb * math.sin(math.pi / q)
    shape = draw(st.sampled_from(["semi_closed", "round_bottom", "open_rectangular"]))
    b0 = pitch_chord * draw(st.floats(0.05, 0.5 if shape != "open_rectangular" else 0.6))
    slot = G.Slot(
        shape=shape,
        depth_m=(ro - rb) * draw(st.floats(0.3, 0.75)),
        opening_width_m=b0,
        opening_height_m=rb * draw(st.floats(0.003, 0.02)),
        wedge_height_m=rb * draw(st.floats(0.0, 0.02)),
        tooth_width_m=pitch_chord * draw(st.floats(0.3, 0.6)),
    )
    stator = G.Stator(ro * 2, rb * 2, ro * draw(st.floats(0.2, 2.0)), q, slot, "M400-50A")
    winding = G.Winding(poles=p2, turns_per_coil=10, layers=layers, pitch_slots=pitch)
    g = rb * draw(st.floats(0.003, 0.02))
    rr = rb - g
    shaft = 2 * rr * draw(st.floats(0.15, 0.5))
    half = math.pi / p2
    kw = {}
    if topology == "spm":
        loaf = draw(st.booleans())
        mag = "radial" if loaf else draw(st.sampled_from(["radial", "parallel", "halbach"]))
        kw["spm"] = G.SpmMagnets(
            thickness_m=rr * draw(st.floats(0.02, 0.15)),
            pole_arc_ratio=draw(st.floats(0.5, 0.95)),
            shape="bread_loaf" if loaf else "arc",
            magnetisation=mag,
            loaf_radius_m=rr * draw(st.floats(0.3, 1.0)) if loaf else 0.0,
            halbach_segments=draw(st.integers(2, 5)) if mag == "halbach" else 0,
        )
    elif topology in ("ipm_v", "ipm_v2"):
        layers_v = []
        for i in range(1 if topology == "ipm_v" else 2):
            layers_v.append(
                G.VLayer(
                    magnet_width_m=rr * half * draw(st.floats(0.1, 0.6)),
                    magnet_thickness_m=rr * draw(st.floats(0.01, 0.06)),
                    v_angle_deg=draw(st.floats(60.0, 180.0)),
                    apex_radius_m=rr * draw(st.floats(0.5, 0.9)) * (0.85 if i else 1.0),
                    centre_post_m=rr * draw(st.floats(0.005, 0.05)),
                    pocket_end_m=rr * draw(st.floats(0.0, 0.03)),
                )
            )
        kw["v_layers"] = tuple(layers_v)
        topology = "ipm_v"
    elif topology == "ipm_flat":
        kw["flat"] = G.FlatMagnet(
            magnet_width_m=2 * rr * math.sin(half) * draw(st.floats(0.2, 0.8)),
            magnet_thickness_m=rr * draw(st.floats(0.01, 0.06)),
            depth_m=rr * draw(st.floats(0.02, 0.2)),
            pocket_end_m=rr * draw(st.floats(0.0, 0.05)),
        )
    else:
        kw["spoke"] = G.SpokeMagnet(
            magnet_length_m=rr * draw(st.floats(0.1, 0.5)),
            magnet_thickness_m=rr * half * draw(st.floats(0.1, 0.5)),
            inner_radius_m=rr * draw(st.floats(0.3, 0.7)),
            pocket_inner_m=rr * draw(st.floats(0.0, 0.05)),
        )
    try:
        rotor = G.Rotor(
            topology=topology,
            air_gap_m=g,
            shaft_diameter_m=shaft,
            steel="M400-50A",
            magnet_grade="N42SH",
            min_bridge_m=rr * draw(st.floats(0.0, 0.01)),
            **kw,
        )
        return G.Machine("random", stator, winding, rotor)
    except GeometryError:
        assume(False)


TOPOLOGIES = ["spm", "ipm_v", "ipm_v2", "ipm_flat", "spoke", "spm_outer"]


def _check_random(topology: str, examples: int) -> None:
    @settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
    )
    @given(machines(topology), st.booleans())
    def run(m, sector):
        p = G.build_pslg(m, sector=sector, mesh_size=G.MeshSize(scale=2.0))
        check_pslg(p)
        n_mag = sum(r.kind == "magnet" for r in p.regions)
        spm = m.rotor.spm
        n_seg = spm.halbach_segments if spm and spm.magnetisation == "halbach" else 1
        per_pole = {
            "spm": n_seg,
            "spm_outer": n_seg,
            "ipm_v": 2 * len(m.rotor.v_layers),
            "ipm_flat": 1,
            "spoke": 1,
        }
        poles = round(p.sector_angle_rad / (2 * math.pi / m.winding.poles))
        assert n_mag == per_pole[m.rotor.topology] * poles
        d = G.derived(m)
        assert d.magnet_area_m2 > 0 and d.rotor_steel_area_m2 > 0 and d.stator_steel_area_m2 > 0

    run()


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_random_machines_satisfy_the_contract(topology):
    _check_random(topology, 8)


@pytest.mark.slow
@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_many_random_machines_satisfy_the_contract(topology):
    """150 random machines per topology (about 90 s in all)."""
    _check_random(topology, 150)


def test_region_areas_match_exact_derived_areas():
    """Fine discretisation: the PSLG's magnet, slot and steel areas converge on the exact ones."""
    for m in (G.prius2004(), G.spm_servo_12s10p(), G.outer_rotor_spm_24s20p()):
        p = G.build_pslg(m, sector=False, mesh_size=G.MeshSize(scale=0.1, airgap_layers=3))
        area = np.zeros(len(p.regions))
        for k, lp in enumerate(loops(p)):
            area[p.loop_region[k]] += signed_area(p.points[lp])
        kind = np.array([r.kind for r in p.regions])
        d = G.derived(m)
        assert area[kind == "magnet"].sum() == pytest.approx(d.magnet_area_m2, rel=2e-4)
        assert area[kind == "stator_steel"].sum() == pytest.approx(d.stator_steel_area_m2, rel=2e-4)
        assert area[kind == "rotor_steel"].sum() == pytest.approx(d.rotor_steel_area_m2, rel=2e-4)
        slots = area[kind == "coil"].sum() + sum(
            a for a, r in zip(area, p.regions, strict=True) if r.name.startswith("slot opening")
        )
        assert slots == pytest.approx(m.stator.slots * d.slot_area_m2, rel=2e-4)


def test_halbach_segments_turn_with_the_array():
    m = G.spm_servo_12s10p()
    spm = replace(m.rotor.spm, magnetisation="halbach", halbach_segments=5)
    m = replace(m, rotor=replace(m.rotor, spm=spm))
    p = G.build_pslg(m, sector=False)
    check_pslg(p)
    mags = {r.name: r for r in p.regions if r.kind == "magnet"}
    assert len(mags) == 50
    tau_p = 2 * math.pi / 10
    # middle segment of pole 0 (north) points radially outward, of pole 1 (south) inward
    assert mags["magnet 0.2"].direction_rad == pytest.approx(0.5 * tau_p)
    assert math.cos(mags["magnet 1.2"].direction_rad - 1.5 * tau_p) == pytest.approx(-1.0)
    # the segment after pole 0's centre leans back towards the north pole (-theta direction)
    t = 0.5 * tau_p + 2 * 0.83 * 0.5 * tau_p / 5
    lean = mags["magnet 0.3"].direction_rad - t
    assert math.sin(lean) < 0 and lean == pytest.approx(-5 * (t - 0.5 * tau_p))
