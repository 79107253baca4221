"""Derived quantities against hand calculations and published figures."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from repm import conductors, magnets, steels
from repm import geometry as G


def test_prius_magnet_mass_against_ornl():
    m = G.prius2004()
    d = G.derived(m)
    # 16 magnets of 83.1 x 18.9 x 6.5 mm (ORNL/TM-2010/253 Table 2.7)
    volume = 16 * 83.1e-3 * 18.9e-3 * 6.5e-3
    assert d.magnet_volume_m3 == pytest.approx(volume, rel=1e-12)
    rho = magnets.grade("N38SH").density_kg_per_m3
    assert d.magnet_mass_kg == pytest.approx(volume * rho, rel=1e-12)
    # ORNL weighed 1.232 kg: the catalogue density brings us within 1 %
    assert d.magnet_mass_kg == pytest.approx(1.232, rel=0.01)
    assert d.magnet_volume_per_pole_m3 == pytest.approx(volume / 8, rel=1e-12)
    # pyleecan's Toyota_Prius magnet area (test_comp_mass): Smag = 0.0189 * 0.0065 * 2 * 8
    assert d.magnet_area_m2 == pytest.approx(0.0019656, rel=1e-12)
    bill = d.element_bill
    assert bill.mass_kg == pytest.approx(d.magnet_mass_kg)
    assert sum(bill.element_kg.values()) == pytest.approx(d.magnet_mass_kg, rel=1e-9)
    assert bill.element_kg["Nd"] > 0


def test_prius_stator_lamination_area_against_pyleecan():
    # pyleecan test_comp_mass: stator Slam = 0.0259068 m2 (its slot has tapered teeth; ours
    # parallel, with the mean tooth width), rotor Slam = 0.0082186 m2 (HoleM50 pockets).
    d = G.derived(G.prius2004())
    assert d.stator_steel_area_m2 == pytest.approx(0.0259068, rel=0.01)
    assert d.rotor_steel_area_m2 == pytest.approx(0.0082186, rel=0.05)


def test_spm_arc_magnet_volume_closed_form():
    m = G.spm_servo_12s10p()
    d = G.derived(m)
    rr = m.stator.bore_diameter_m / 2 - m.rotor.air_gap_m
    rc = rr - m.rotor.spm.thickness_m
    alpha = m.rotor.spm.pole_arc_ratio
    # all 10 magnets together span alpha of the circumference
    v = alpha * math.pi * (rr**2 - rc**2) * m.stator.stack_length_m
    assert d.magnet_volume_m3 == pytest.approx(v, rel=1e-12)
    rho = magnets.grade("N42SH").density_kg_per_m3
    assert d.magnet_mass_kg == pytest.approx(v * rho, rel=1e-12)
    shaft = m.rotor.shaft_diameter_m / 2
    rho_st = steels.steel("M270-35A").density_kg_per_m3 * m.rotor.stacking_factor
    assert d.rotor_steel_mass_kg == pytest.approx(
        math.pi * (rc**2 - shaft**2) * m.stator.stack_length_m * rho_st, rel=1e-12
    )


def test_open_rectangular_slot_and_copper_by_hand():
    m = G.spm_servo_12s10p()
    slot = G.Slot("open_rectangular", depth_m=0.012, opening_width_m=0.004, opening_height_m=0.002)
    m = replace(m, stator=replace(m.stator, slot=slot))
    d = G.derived(m)
    rb = m.stator.bore_diameter_m / 2
    b = 0.004
    ta = math.asin(b / 2 / rb)
    xa = rb * math.cos(ta)
    bore_cap = 0.5 * rb**2 * (2 * ta - math.sin(2 * ta))
    slot_area = b * (rb + 0.012 - xa) - bore_cap
    coil_area = b * (rb + 0.012 - xa - 0.002)
    assert d.slot_area_m2 == pytest.approx(slot_area, rel=1e-12)
    assert d.coil_area_m2 == pytest.approx(coil_area, rel=1e-12)
    # end turn: semicircle over the coil span chord at the coil's mean radius (pitch 1 of 12)
    r_mid = 0.5 * (math.hypot(xa + 0.002, b / 2) + rb + 0.012)
    end_turn = math.pi * r_mid * math.sin(math.pi / 12)
    assert d.end_turn_length_m == pytest.approx(end_turn, rel=1e-12)
    rho_cu = conductors.conductor("copper").density_kg_per_m3
    cu = 12 * coil_area * 0.45 * (m.stator.stack_length_m + end_turn) * rho_cu
    assert d.copper_mass_kg == pytest.approx(cu, rel=1e-12)
    assert d.slot_fill == pytest.approx(0.45 * coil_area / slot_area)
    ro = m.stator.outer_diameter_m / 2
    assert d.stator_steel_area_m2 == pytest.approx(math.pi * (ro**2 - rb**2) - 12 * slot_area)
    assert d.active_mass_kg == pytest.approx(
        d.stator_steel_mass_kg + d.rotor_steel_mass_kg + d.copper_mass_kg + d.magnet_mass_kg
    )


def test_flat_and_spoke_magnet_areas():
    m = G.industrial_11kw_ipm()
    flat = G.FlatMagnet(magnet_width_m=0.06, magnet_thickness_m=0.006, depth_m=0.008)
    mf = replace(m, rotor=replace(m.rotor, topology="ipm_flat", flat=flat, v_layers=()))
    assert G.derived(mf).magnet_area_m2 == pytest.approx(4 * 0.06 * 0.006, rel=1e-12)
    spoke = G.SpokeMagnet(magnet_length_m=0.02, magnet_thickness_m=0.008, inner_radius_m=0.04)
    ms = replace(m, rotor=replace(m.rotor, topology="spoke", spoke=spoke, v_layers=()))
    d = G.derived(ms)
    assert d.magnet_area_m2 == pytest.approx(4 * 0.02 * 0.008, rel=1e-12)
    rr = ms.rotor_outer_radius_m
    assert d.rotor_steel_area_m2 == pytest.approx(
        math.pi * (rr**2 - 0.025**2) - 4 * 0.02 * 0.008, rel=1e-12
    )
    p = G.build_pslg(ms)
    mags = [r for r in p.regions if r.kind == "magnet"]
    # spoke magnets alternate: tangential directions differ by pi between neighbours
    assert len(mags) == 1
    assert mags[0].direction_rad == pytest.approx(math.pi / 4 + math.pi / 2)
