"""The main job of repm, run by ``repm demo``: the most complete workflow repm has, on a bundled
example machine (the Toyota Prius 2004 traction motor).

Today it runs the materials and winding layers:

1. the winding: feasibility, layout, winding factors, MMF harmonics, periodicity, cogging indicator;
2. the magnets at their operating temperature: Br, HcJ, knee, an open-circuit working point from a
   load-line estimate and its demagnetisation margin;
3. a grade swap: the assumed grade against a high-cerium grade and a grain-boundary-diffused grade,
   with the change of remanence (a first-order torque proxy), demagnetisation margin and
   element bill;
4. the rare-earth element bill of the machine's magnets, oxide equivalents and cost;
5. the lamination steel (reluctivity, iron loss at the maximum-speed frequency) and the winding
   resistance at operating temperature;
6. the efficiency standards: IEC 60034-30-1 limits of an industrial 11 kW 4-pole motor and the
   part-load efficiency of an IE3 induction motor against an IE5 PM motor of that rating (the
   retrofit question the fleet layer asks at scale);
7. the parametric cross-section (:func:`repm.geometry.prius2004`): masses from the geometry and
   the quality mesh of its smallest (anti-)periodic sector and of the full machine;
8. the nonlinear field analysis of that cross-section (:func:`repm.analysis.analyze`, sector
   model, magnets at their operating temperature): back-EMF and its THD, cogging torque, torque
   and ripple at a q-axis current (Arkkio and Maxwell stress), dq flux linkages, the smallest
   demagnetisation margin of the magnets, and the solver's report;
9. the efficiency map of that cross-section with its drive (:mod:`repm.maps`): a coarse FEM flux
   map (7 × 5 dq currents, 10 rotor positions, coarse mesh; a few seconds), the torque-speed
   envelope (max torque, corner speed, max speed) and the minimum-loss efficiency map
   (100 × 100 points, peak efficiency). Drive: 500 V DC link (ORNL), 354 A peak current limit
   (ASSUMPTION: 250 A rms), measured 0.069 Ω at 21 °C taken to 100 °C, mechanical losses
   assumed (see :data:`PRIUS_2004_DRIVE`).

Every figure that rests on an assumption says so in its label. Later layers (mesh, FEM, maps)
extend this module so that ``repm demo`` always runs the whole chain.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repm import conductors, geometry, magnets, mesh, standards, steels, winding
from repm.machine_spec import MachineSpec, example_path, load_machine
from repm.standards import iec60034_30_1, part_load

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m (the SI value to 1e-9 relative)


@dataclass(frozen=True)
class DemoResult:
    """Everything ``repm demo`` computed, as JSON-ready nested dicts (SI units, °C)."""

    machine: dict[str, Any]
    winding: dict[str, Any]
    magnet: dict[str, Any]
    grade_swap: list[dict[str, Any]]
    element_bill: dict[str, Any]
    steel: dict[str, Any]
    conductor: dict[str, Any]
    standards: dict[str, Any]
    cross_section: dict[str, Any]
    field_analysis: dict[str, Any]
    efficiency_map: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Returns the result as one JSON-ready dict."""
        return dict(self.__dict__)


def open_circuit_load_line(spec: MachineSpec) -> tuple[float, str]:
    """Permeance coefficient Pc = (lm/g)·(A_gap/A_magnet) of the open-circuit magnet working point.

    A first-order magnetic-circuit estimate: no leakage, no steel saturation, Carter factor 1.
    The magnet sees H = -Br/(μ0·(μrec + Pc)) at open circuit. Returns (Pc, description).
    """
    poles = spec.winding.poles
    gap_area_per_pole = math.pi * spec.bore_diameter_m / poles  # per metre of stack, m
    magnet_area_per_pole = spec.magnet_width_m * spec.magnet_count / poles
    pc = (spec.magnet_thickness_m / spec.air_gap_m) * (gap_area_per_pole / magnet_area_per_pole)
    return pc, "open-circuit load-line estimate: no leakage, no saturation, Carter factor 1"


def _magnet_summary(grade: magnets.MagnetGrade, temperature_c: float, pc: float) -> dict[str, Any]:
    br = grade.br_t_at(temperature_c)
    h_open = -br / (MU0 * (grade.mu_rec + pc))
    return {
        "grade": grade.name,
        "family": grade.family,
        "temperature_c": temperature_c,
        "br_t": br,
        "hcj_a_per_m": grade.hcj_a_per_m_at(temperature_c),
        "knee_field_a_per_m": grade.knee_field_a_per_m(temperature_c),
        "open_circuit_h_a_per_m": h_open,
        "open_circuit_b_t": float(grade.demag_curve(h_open, temperature_c)),
        "open_circuit_demag_margin_a_per_m": float(grade.demag_margin(h_open, temperature_c)),
    }


def run_demo(path: str | Path | None = None) -> DemoResult:
    """Runs the demo workflow on a machine description (default: the bundled Prius 2004)."""
    spec = load_machine(path if path is not None else example_path("prius2004"))
    wdg = spec.winding

    analysis = winding.analyse(
        spec.slots, wdg.poles, phases=wdg.phases, layers=wdg.layers, pitch=wdg.pitch_slots
    )
    series_turns = wdg.turns_per_coil * wdg.coils_in_series_per_phase // wdg.parallel_paths
    winding_summary = {
        "slots": spec.slots,
        "poles": wdg.poles,
        "layers": wdg.layers,
        "pitch_slots": analysis.pitch_slots,
        "slots_per_pole_per_phase": analysis.slots_per_pole_per_phase,
        "kw1": analysis.kw1,
        "kw5": float(analysis.winding_factors[4]),
        "kw7": float(analysis.winding_factors[6]),
        "periodicity": analysis.periodicity,
        "sector_slots": analysis.sector_slots,
        "antiperiodic": analysis.antiperiodic,
        "lcm_slots_poles": analysis.lcm_slots_poles,
        "differential_leakage": analysis.differential_leakage,
        "series_turns_per_phase": series_turns,
        "effective_turns_per_phase": series_turns * analysis.kw1,
        "layout": analysis.to_dict()["layout"],
    }

    grade = magnets.grade(spec.magnet_grade)
    pc, pc_basis = open_circuit_load_line(spec)
    temperature = spec.magnet_temperature_c
    magnet_summary = _magnet_summary(grade, temperature, pc)
    magnet_summary["grade_is_assumption"] = spec.magnet_grade_is_assumption
    magnet_summary["permeance_coefficient"] = pc
    magnet_summary["permeance_basis"] = pc_basis

    # Grade swap at the machine's magnet temperature: the assumed grade, a high-cerium grade and a
    # grain-boundary-diffused grade. A grade not rated for that temperature is evaluated at its
    # maximum working temperature and flagged, never extrapolated beyond its model range.
    alternatives = [grade, magnets.ce_substituted(20.0), magnets.grade("N42SH-GBD-Tb")]
    swap = []
    bill_base = grade.element_bill(spec.magnet_mass_kg)
    for alt in alternatives:
        rated = temperature <= alt.max_working_temperature_c
        row = _magnet_summary(alt, temperature if rated else alt.max_working_temperature_c, pc)
        bill = alt.element_bill(spec.magnet_mass_kg)
        row["rated_for_temperature"] = rated
        row["br_ratio_to_base"] = row["br_t"] / magnet_summary["br_t"]
        row["heavy_rare_earth_kg"] = bill.element_kg.get("Dy", 0.0) + bill.element_kg.get("Tb", 0.0)
        row["nd_pr_kg"] = bill.element_kg.get("Nd", 0.0) + bill.element_kg.get("Pr", 0.0)
        row["ce_kg"] = bill.element_kg.get("Ce", 0.0)
        row["magnet_cost_usd"] = bill.total_cost_usd
        swap.append(row)

    lamination = steels.steel(spec.steel)
    max_frequency_hz = spec.ratings.get("max_speed_rpm", 3000.0) / 60.0 * wdg.poles / 2
    steel_summary = {
        "grade": lamination.name,
        "relative_permeability_at_1_5_t": float(lamination.mu_r(1.5)),
        "h_at_1_5_t_a_per_m": float(lamination.h_from_b(1.5)),
        "frequency_at_max_speed_hz": max_frequency_hz,
        "iron_loss_w_per_kg_at_1_5_t_50_hz": float(lamination.iron_loss_w_per_kg(50.0, 1.5)),
        "iron_loss_w_per_kg_at_1_5_t_max_speed": float(
            lamination.iron_loss_w_per_kg(max_frequency_hz, 1.5)
        ),
    }

    copper = conductors.conductor(wdg.conductor)
    conductor_summary: dict[str, Any] = {
        "conductor": copper.name,
        "operating_temperature_c": wdg.operating_temperature_c,
        "resistivity_ohm_m_at_operating_temperature": copper.resistivity_ohm_m(
            wdg.operating_temperature_c
        ),
    }
    if wdg.phase_resistance_ohm is not None and wdg.phase_resistance_temperature_c is not None:
        ratio = copper.resistivity_ohm_m(wdg.operating_temperature_c) / copper.resistivity_ohm_m(
            wdg.phase_resistance_temperature_c
        )
        conductor_summary["phase_resistance_ohm_measured"] = wdg.phase_resistance_ohm
        conductor_summary["phase_resistance_ohm_at_operating_temperature"] = (
            wdg.phase_resistance_ohm * ratio
        )

    return DemoResult(
        machine={"name": spec.name, **spec.ratings, "magnet_mass_kg": spec.magnet_mass_kg},
        winding=winding_summary,
        magnet=magnet_summary,
        grade_swap=swap,
        element_bill=bill_base.to_dict(),
        steel=steel_summary,
        conductor=conductor_summary,
        standards=standards_summary(),
        cross_section=cross_section_summary(),
        field_analysis=field_analysis_summary(),
        efficiency_map=efficiency_map_summary(),
    )


def standards_summary(power_kw: float = 11.0, poles: int = 4) -> dict[str, Any]:
    """IEC 60034-30-1 limits at one rating and the part-load efficiency of an IE3 induction motor.

    The PM motor replacing it is shown at its rated IE5 limit only: the bundled PM part-load model
    rests on automotive map slices and is flagged optimistic at light load (see
    :mod:`repm.standards.part_load`), so the demo does not present its part-load values.
    """
    limits = {
        ie: standards.minimum_efficiency(ie, power_kw, poles).efficiency_pct
        for ie, missing in iec60034_30_1.available_classes(power_kw, poles).items()
        if not missing
    }
    loads = (0.25, 0.5, 0.75, 1.0)
    induction = part_load.induction_part_load(power_kw, poles, "IE3", load_fraction=loads)
    return {
        "rated_power_kw": power_kw,
        "poles": poles,
        "class_limits_pct": limits,
        "load_fraction": list(loads),
        "induction_ie3_efficiency": induction.efficiency.tolist(),
        "induction_ie3_speed_rpm": induction.speed_rpm.tolist(),
        "induction_basis": induction.basis,
        "induction_notes": list(induction.notes),
    }


def cross_section_summary() -> dict[str, Any]:
    """Masses of the parametric Prius 2004 cross-section and its sector and full-machine meshes."""
    machine = geometry.prius2004()
    d = geometry.derived(machine)
    out: dict[str, Any] = {
        "machine": machine.name,
        "stator_steel_mass_kg": d.stator_steel_mass_kg,
        "rotor_steel_mass_kg": d.rotor_steel_mass_kg,
        "copper_mass_kg": d.copper_mass_kg,
        "magnet_mass_kg": d.magnet_mass_kg,
        "slot_fill": d.slot_fill,
    }
    for name, sector in (("sector_mesh", True), ("full_mesh", False)):
        t0 = time.perf_counter()
        m = mesh.triangulate(geometry.build_pslg(machine, sector=sector))
        q = m.quality
        out[name] = {
            "sector_angle_deg": math.degrees(m.sector_angle_rad),
            "antiperiodic": m.antiperiodic,
            "nodes": len(m.nodes),
            "elements": len(m.triangles) + len(m.band_triangles(0).triangles),
            "min_angle_deg": q.min_angle_deg,
            "below_25_deg": q.n_below_limit,
            "below_25_deg_forced": q.n_below_limit_forced,
            "seconds": time.perf_counter() - t0,
        }
    return out


def field_analysis_summary(
    speed_rpm: float = 1000.0, iq_a: float = 100.0, positions: int = 30
) -> dict[str, Any]:
    """Nonlinear FEM analysis of the parametric Prius 2004 sector model (magnets at the
    machine's temperature): back-EMF at ``speed_rpm``, cogging, torque at ``iq_a`` (A peak,
    id = 0), demagnetisation margin, solver figures."""
    from repm.analysis import analyze

    t0 = time.perf_counter()
    result = analyze(geometry.prius2004(), speed_rpm=speed_rpm, iq_a=iq_a, positions=positions)
    out = result.summary()
    out["positions"] = positions
    out["seconds"] = time.perf_counter() - t0
    return out


def _prius_drive() -> Any:
    from repm.maps import Drive

    return Drive(
        dc_bus_v=500.0,  # ORNL/TM-2010/253 Table 2.1: 500 V max DC link
        current_limit_a=354.0,  # ASSUMPTION: 250 A rms (not in the ORNL data we hold)
        phase_resistance_ohm=0.069,  # ORNL Table 2.7, measured at 21 °C
        phase_resistance_temperature_c=21.0,
        winding_temperature_c=100.0,  # assumption: hot winding
        max_speed_rpm=6000.0,  # ORNL Table 2.1
        friction_w_per_rpm=0.02,  # assumption
        windage_w_per_rpm3=1e-9,  # assumption
    )


#: The Prius 2004 drive of the demo (the same values as ``examples/machines/prius2004.toml``).
PRIUS_2004_DRIVE = _prius_drive()


def efficiency_map_summary(
    grid: tuple[int, int] = (7, 5), positions: int = 10, mesh_scale: float = 2.0
) -> dict[str, Any]:
    """Coarse FEM flux map of the parametric Prius 2004, its envelope and minimum-loss
    efficiency map with :data:`PRIUS_2004_DRIVE` (coarse settings: a few seconds)."""
    from repm.maps import efficiency_map, envelope
    from repm.maps.compute import flux_map

    t0 = time.perf_counter()
    drive = PRIUS_2004_DRIVE
    fm = flux_map(
        geometry.prius2004(),
        grid=grid,
        positions=positions,
        current_limit_a=drive.current_limit_a,
        mesh_scale=mesh_scale,
    )
    t_map = time.perf_counter() - t0
    env = envelope(fm, drive)
    em = efficiency_map(fm, drive)
    return {
        "grid": list(grid),
        "positions": positions,
        "mesh_scale": mesh_scale,
        "dc_bus_v": drive.dc_bus_v,
        "current_limit_a": drive.current_limit_a,
        "current_limit_is_assumption": True,
        "peak_efficiency": em.peak_efficiency,
        "peak_efficiency_speed_rpm": em.peak_speed_rpm,
        "peak_efficiency_torque_nm": em.peak_torque_nm,
        "max_torque_nm": env.max_torque_nm,
        "corner_speed_rpm": env.corner_speed_rpm,
        "max_speed_rpm": env.max_speed_rpm,
        "max_speed_limited_by": env.max_speed_limit,
        "max_power_w": float(max(env.motoring.p_shaft_w[env.motoring.valid])),
        "map_points": int(em.points.valid.size),
        "seconds_fluxmap": t_map,
        "seconds": time.perf_counter() - t0,
    }
