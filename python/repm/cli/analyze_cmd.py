"""`repm analyze MACHINE.toml`: no-load and loaded field analysis of a machine description."""

from __future__ import annotations

import argparse
from pathlib import Path

from repm.cli._output import format_table, print_json


def _run(args: argparse.Namespace) -> int:
    from repm import geometry
    from repm.analysis import analyze, field_model, write_report
    from repm.materials import load_toml

    machine = geometry.load_machine(args.machine)
    materials = load_toml(args.materials) if args.materials else None
    model = field_model(
        machine,
        sector=not args.full,
        mesh_scale=args.scale,
        magnet_temperature_c=args.temperature,
        materials=materials,
    )
    result = analyze(
        model, speed_rpm=args.speed, id_a=args.id, iq_a=args.iq, positions=args.positions
    )
    summary = result.summary()
    if args.report:
        summary["report"] = [str(p) for p in write_report(result, model, args.report)]
    if args.json:
        print_json(summary)
        return 0
    s = summary
    print(f"{s['machine']}: magnets at {s['magnet_temperature_c']:g} °C")
    rows = [
        ("back-EMF, phase (rms) at {:g} rpm".format(s["speed_rpm"]), s["emf_rms_phase_v"], "V"),
        ("back-EMF, line (rms)", s["emf_rms_line_v"], "V"),
        ("back-EMF THD", s["emf_thd_pct"], "%"),
        ("cogging torque, peak-to-peak", s["cogging_pp_nm"], "N·m"),
        (f"torque at id={s['id_a']:g} A, iq={s['iq_a']:g} A (Arkkio)", s["torque_avg_nm"], "N·m"),
        ("torque (Maxwell stress)", s["torque_maxwell_avg_nm"], "N·m"),
        ("torque ripple", s["torque_ripple_pct"], "%"),
        ("psi_d / psi_q", f"{s['psi_d_wb']:.4g} / {s['psi_q_wb']:.4g}", "Wb"),
        ("min demagnetisation margin", s["min_demag_margin_a_per_m"], "A/m"),
    ]
    print(format_table(["quantity", "value", "unit"], rows))
    sv = s["solver"]
    print(
        f"solver: {sv['nodes']} nodes, {sv['solves']} solves, {sv['newton_iterations']} Newton "
        f"iterations, {sv['seconds_solve']:.2f} s (geometry + mesh {sv['seconds_model']:.2f} s)"
    )
    for p in s.get("report", []):
        print(f"wrote {p}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="nonlinear FEM analysis of a machine: back-EMF, cogging, torque, demagnetisation",
    )
    parser.add_argument("machine", metavar="MACHINE.toml", help="machine description")
    parser.add_argument("--speed", type=float, default=1000.0, help="speed for the back-EMF, rpm")
    parser.add_argument("--id", type=float, default=0.0, help="d-axis current, A peak")
    parser.add_argument("--iq", type=float, default=0.0, help="q-axis current, A peak")
    parser.add_argument(
        "--temperature", type=float, default=None, help="magnet temperature, °C (default: file)"
    )
    parser.add_argument("--positions", type=int, default=30, help="rotor positions per sweep")
    parser.add_argument("--full", action="store_true", help="model the whole cross-section")
    parser.add_argument("--scale", type=float, default=1.0, help="mesh size factor (<1 finer)")
    parser.add_argument("--materials", type=Path, help="TOML file of user-defined materials")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write plots into DIR")
    parser.add_argument("--json", action="store_true", help="JSON output")
    parser.set_defaults(handler=_run)
