"""Derived quantities of a machine: areas, masses, slot fill and the rare-earth element bill.

Areas are exact (polygons plus circular segments, no discretisation). Densities: laminations
from :func:`repm.steels.steel` times the stacking factor, copper (or the chosen conductor) from
:func:`repm.conductors.conductor`, magnets from :func:`repm.magnets.grade`.

End-winding estimate (a model assumption, stated here once): each end turn of a coil is a
semicircle whose diameter is the coil span chord at the mean radius r_m of the coil area,
s = 2·r_m·sin(π·y/Q) (y = coil pitch in slots), so each coil side carries a conductor length
L_stack + π·s/2 and the conductor volume is Q·A_coil·k_fill·(L_stack + π·s/2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repm import conductors, magnets, steels
from repm.geometry.curves import segment_area
from repm.geometry.description import Machine
from repm.geometry.rotor import rotor_pockets, spm_geometry
from repm.geometry.stator import slot_outline
from repm.geometry.validate import winding_analysis


@dataclass(frozen=True)
class Derived:
    """Derived quantities of a :class:`~repm.geometry.Machine` (m², m³, m, kg).

    ``slot_area_m2``: one slot including opening and wedge; ``coil_area_m2``: the part that holds
    the coil sides; ``slot_fill``: copper area / slot area (the ``fill_factor`` refers to the
    coil area). ``end_turn_length_m``: one end turn (semicircle over the coil span).
    ``element_bill``: :meth:`repm.magnets.MagnetGrade.element_bill` of the magnet mass.
    """

    slot_area_m2: float
    coil_area_m2: float
    slot_fill: float
    end_turn_length_m: float
    stator_steel_area_m2: float
    rotor_steel_area_m2: float
    magnet_area_m2: float
    magnet_volume_per_pole_m3: float
    magnet_volume_m3: float
    stator_steel_mass_kg: float
    rotor_steel_mass_kg: float
    copper_mass_kg: float
    magnet_mass_kg: float
    element_bill: magnets.ElementBill

    @property
    def active_mass_kg(self) -> float:
        """Steel + conductor + magnet mass, kg (no shaft, frame or insulation)."""
        return (
            self.stator_steel_mass_kg
            + self.rotor_steel_mass_kg
            + self.copper_mass_kg
            + self.magnet_mass_kg
        )


def magnet_area_per_pole_m2(m: Machine) -> float:
    """Magnet cross-section area of one pole (spoke: one magnet), m²."""
    if m.rotor.topology in ("spm", "spm_outer"):
        return spm_geometry(m).area_m2
    return sum(pk.part_area(p) for pk in rotor_pockets(m) for p in pk.parts if p.kind == "magnet")


def derived(m: Machine) -> Derived:
    """Areas, masses, slot fill and element bill of machine ``m`` (see the module docstring)."""
    st, ro, w = m.stator, m.rotor, m.winding
    q, p2 = st.slots, w.poles
    o = slot_outline(st, m.is_outer_rotor)
    r_o, r_b = st.outer_diameter_m / 2, st.bore_diameter_m / 2
    r_sh = ro.shaft_diameter_m / 2
    stator_area = math.pi * (r_o**2 - r_b**2) - q * o.slot_area_m2
    if m.is_outer_rotor:  # ring from the steel's inner radius (behind the magnets) outwards
        rotor_area = math.pi * (m.rotor_outer_radius_m**2 - spm_geometry(m).r_core ** 2)
    elif ro.topology == "spm":
        sp = spm_geometry(m)
        rotor_area = math.pi * (sp.r_core**2 - r_sh**2)
        if sp.shape == "bread_loaf":
            rotor_area -= p2 * segment_area(sp.r_core, 2 * sp.half_angle)
    else:
        holes = sum(pk.part_area(p) for pk in rotor_pockets(m) for p in pk.parts)
        rotor_area = math.pi * (m.rotor_outer_radius_m**2 - r_sh**2) - p2 * holes
    a_pole = magnet_area_per_pole_m2(m)
    lm = m.magnet_axial_length_m
    grade = magnets.grade(ro.magnet_grade)
    v_mag = p2 * a_pole * lm
    mag_mass = v_mag * grade.density_kg_per_m3
    pitch = winding_analysis(q, p2, w.phases, w.layers, w.pitch_slots).pitch_slots
    r_mid = 0.5 * (float(np.hypot(*o.C)) + float(o.Mb[0]))
    span = 2 * r_mid * math.sin(math.pi * pitch / q)
    end_turn = math.pi * span / 2
    cu_volume = q * o.coil_area_m2 * w.fill_factor * (st.stack_length_m + end_turn)
    cond = conductors.conductor(w.conductor)
    rho_st = steels.steel(st.steel).density_kg_per_m3 * st.stacking_factor
    rho_ro = steels.steel(ro.steel).density_kg_per_m3 * ro.stacking_factor
    return Derived(
        slot_area_m2=o.slot_area_m2,
        coil_area_m2=o.coil_area_m2,
        slot_fill=w.fill_factor * o.coil_area_m2 / o.slot_area_m2,
        end_turn_length_m=end_turn,
        stator_steel_area_m2=stator_area,
        rotor_steel_area_m2=rotor_area,
        magnet_area_m2=p2 * a_pole,
        magnet_volume_per_pole_m3=a_pole * lm,
        magnet_volume_m3=v_mag,
        stator_steel_mass_kg=stator_area * st.stack_length_m * rho_st,
        rotor_steel_mass_kg=rotor_area * st.stack_length_m * rho_ro,
        copper_mass_kg=cu_volume * cond.density_kg_per_m3,
        magnet_mass_kg=mag_mass,
        element_bill=grade.element_bill(mag_mass),
    )
