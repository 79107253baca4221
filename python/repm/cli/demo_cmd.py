"""`repm demo`: runs the most complete workflow repm has on the bundled example machine."""

from __future__ import annotations

import argparse
from typing import Any

from repm.cli._output import format_table, print_json


def _text_report(d: dict[str, Any]) -> str:
    m, w, mag, st, cu = d["machine"], d["winding"], d["magnet"], d["steel"], d["conductor"]
    assumed = " (ASSUMED grade: not published)" if mag["grade_is_assumption"] else ""
    lines = [
        f"repm demo: {m['name']}",
        "",
        "== winding (star of slots)",
        f"{w['slots']} slots, {w['poles']} poles, {w['layers']}-layer, pitch {w['pitch_slots']} "
        f"slots, q = {w['slots_per_pole_per_phase']:g}",
        f"kw1 = {w['kw1']:.4f}, kw5 = {w['kw5']:.4f}, kw7 = {w['kw7']:.4f}; "
        f"differential leakage = {w['differential_leakage']:.4f}",
        f"periodicity t = {w['periodicity']}; smallest sector {w['sector_slots']} slots, "
        f"{'anti-periodic' if w['antiperiodic'] else 'periodic'}; "
        f"LCM(Q, 2p) = {w['lcm_slots_poles']}",
        f"{w['series_turns_per_phase']} series turns per phase, "
        f"{w['effective_turns_per_phase']:.1f} effective",
        "",
        f"== magnet {mag['grade']}{assumed} at {mag['temperature_c']:g} °C",
        f"Br = {mag['br_t']:.3f} T, HcJ = {mag['hcj_a_per_m'] / 1e3:.0f} kA/m, "
        f"knee at {mag['knee_field_a_per_m'] / 1e3:.0f} kA/m",
        f"open circuit ({mag['permeance_basis']}): permeance coefficient "
        f"{mag['permeance_coefficient']:.1f}, H = {mag['open_circuit_h_a_per_m'] / 1e3:.0f} kA/m, "
        f"B = {mag['open_circuit_b_t']:.3f} T, "
        f"margin to the knee = {mag['open_circuit_demag_margin_a_per_m'] / 1e3:.0f} kA/m",
        "",
        "== grade swap (same magnet mass; Br ratio ~ torque ratio at equal current, first order)",
    ]
    rows = [
        [
            r["grade"],
            f"{r['temperature_c']:.0f}" + ("" if r["rated_for_temperature"] else " (its max)"),
            r["br_t"],
            r["br_ratio_to_base"],
            r["hcj_a_per_m"] / 1e3,
            r["open_circuit_demag_margin_a_per_m"] / 1e3,
            r["nd_pr_kg"],
            r["heavy_rare_earth_kg"],
            r["ce_kg"],
            r["magnet_cost_usd"],
        ]
        for r in d["grade_swap"]
    ]
    lines.append(
        format_table(
            [
                "grade",
                "T (°C)",
                "Br (T)",
                "Br ratio",
                "HcJ (kA/m)",
                "margin (kA/m)",
                "Nd+Pr (kg)",
                "Dy+Tb (kg)",
                "Ce (kg)",
                "cost (USD)",
            ],
            rows,
        )
    )
    bill = d["element_bill"]
    lines += [
        "",
        f"== element bill of {bill['mass_kg']:g} kg of {mag['grade']}",
        format_table(
            ["element", "kg", "cost (USD)"],
            [
                [el, kg, bill["cost_usd"].get(el)]
                for el, kg in bill["element_kg"].items()
                if kg > 0.0
            ],
        ),
        "oxide equivalents: "
        + ", ".join(f"{ox} {kg:.3f} kg" for ox, kg in bill["oxide_kg"].items() if kg > 0.0),
        f"priced total: {bill['total_cost_usd']:.2f} USD "
        f"(unpriced: {', '.join(bill['unpriced']) or 'none'}; prices dated, see --json)",
        "",
        f"== lamination steel {st['grade']}",
        f"at 1.5 T: H = {st['h_at_1_5_t_a_per_m']:.0f} A/m, "
        f"mu_r = {st['relative_permeability_at_1_5_t']:.0f}",
        f"iron loss at 1.5 T: {st['iron_loss_w_per_kg_at_1_5_t_50_hz']:.2f} W/kg at 50 Hz, "
        f"{st['iron_loss_w_per_kg_at_1_5_t_max_speed']:.1f} W/kg at "
        f"{st['frequency_at_max_speed_hz']:g} Hz (maximum speed)",
        "",
        f"== winding conductor ({cu['conductor']}) at {cu['operating_temperature_c']:g} °C",
    ]
    if "phase_resistance_ohm_at_operating_temperature" in cu:
        lines.append(
            f"phase resistance {cu['phase_resistance_ohm_measured']:.4f} Ω measured -> "
            f"{cu['phase_resistance_ohm_at_operating_temperature']:.4f} Ω hot"
        )
    std = d["standards"]
    lines += [
        "",
        f"== efficiency standards: {std['rated_power_kw']:g} kW, {std['poles']} poles, 50 Hz",
        "IEC 60034-30-1 minimum efficiency: "
        + ", ".join(f"{c} {v:.1f} %" for c, v in std["class_limits_pct"].items() if v),
        "IE3 induction motor at part load ("
        + std["induction_basis"]
        + "): "
        + ", ".join(
            f"{100 * f:.0f} % load {100 * e:.1f} % at {n:.0f} rpm"
            for f, e, n in zip(
                std["load_fraction"],
                std["induction_ie3_efficiency"],
                std["induction_ie3_speed_rpm"],
                strict=True,
            )
        ),
    ]
    xs = d["cross_section"]
    lines += [
        "",
        f"== parametric cross-section ({xs['machine']})",
        f"masses: stator steel {xs['stator_steel_mass_kg']:.2f} kg, rotor steel "
        f"{xs['rotor_steel_mass_kg']:.2f} kg, copper {xs['copper_mass_kg']:.2f} kg, magnets "
        f"{xs['magnet_mass_kg']:.3f} kg; slot fill {xs['slot_fill']:.2f}",
    ]
    for label, key in (("sector", "sector_mesh"), ("full machine", "full_mesh")):
        m = xs[key]
        lines.append(
            f"{label} mesh ({m['sector_angle_deg']:g}°): {m['nodes']} nodes, {m['elements']} "
            f"elements, min angle {m['min_angle_deg']:.1f}° ({m['below_25_deg']} below 25°, "
            f"{m['below_25_deg_forced']} forced), {1e3 * m['seconds']:.0f} ms"
        )
    fa = d["field_analysis"]
    sv = fa["solver"]
    lines += [
        "",
        f"== nonlinear field analysis (FEM, sector model, magnets at "
        f"{fa['magnet_temperature_c']:g} °C)",
        f"back-EMF at {fa['speed_rpm']:g} rpm: {fa['emf_rms_line_v']:.1f} V line rms, "
        f"{fa['emf_rms_phase_v']:.1f} V phase rms, THD {fa['emf_thd_pct']:.1f} %",
        f"cogging torque {fa['cogging_pp_nm']:.2f} N·m peak-to-peak",
        f"at id = {fa['id_a']:g} A, iq = {fa['iq_a']:g} A (peak): torque {fa['torque_avg_nm']:.1f} "
        f"N·m (Arkkio), {fa['torque_maxwell_avg_nm']:.1f} N·m (Maxwell stress), ripple "
        f"{fa['torque_ripple_pct']:.1f} %; psi_d {fa['psi_d_wb']:.4f} Wb, "
        f"psi_q {fa['psi_q_wb']:.4f} Wb",
        f"smallest demagnetisation margin {fa['min_demag_margin_a_per_m'] / 1e3:.0f} kA/m",
        f"solver: {sv['nodes']} nodes, {sv['solves']} nonlinear solves, "
        f"{sv['newton_iterations']} Newton iterations, {fa['seconds']:.2f} s",
    ]
    em = d["efficiency_map"]
    lines += [
        "",
        f"== efficiency map (coarse FEM flux map {em['grid'][0]} x {em['grid'][1]} currents, "
        f"{em['positions']} positions; {em['dc_bus_v']:g} V DC link, "
        f"{em['current_limit_a']:g} A peak current limit (ASSUMED))",
        f"peak efficiency {em['peak_efficiency'] * 100:.2f} % at "
        f"{em['peak_efficiency_speed_rpm']:.0f} rpm, {em['peak_efficiency_torque_nm']:.0f} N·m "
        f"(minimum-loss control, {em['map_points']} map points)",
        f"max torque {em['max_torque_nm']:.0f} N·m (ORNL: 400 N·m), corner speed "
        f"{em['corner_speed_rpm']:.0f} rpm, max speed {em['max_speed_rpm']:.0f} rpm "
        f"({em['max_speed_limited_by']}), max power {em['max_power_w'] / 1e3:.1f} kW; "
        f"{em['seconds']:.1f} s",
    ]
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from repm.demo import run_demo

    result = run_demo(args.machine).to_dict()
    if args.json:
        print_json(result)
    else:
        print(_text_report(result))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the main workflow on the bundled Prius 2004 example (or your machine file)",
    )
    parser.add_argument(
        "--machine",
        metavar="MACHINE.toml",
        default=None,
        help="machine description (default: the bundled Toyota Prius 2004 traction motor)",
    )
    parser.add_argument("--json", action="store_true", help="JSON output")
    parser.set_defaults(handler=_run)
