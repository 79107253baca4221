"""`repm map MACHINE.toml`: operating envelope and efficiency map of a machine and its drive.

The flux map comes from the FEM (:func:`repm.maps.compute.flux_map`, coarse by default, cached)
or from a saved map (``--fluxmap FILE.npz``); the drive from the file's ``[drive]`` table.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

import numpy as np

from repm.cli._output import format_table, print_json
from repm.errors import InputError

_LOSS_KEYS = (
    "p_copper_dc_w",
    "p_copper_ac_w",
    "p_iron_w",
    "p_magnet_w",
    "p_mechanical_w",
    "p_inverter_w",
)


def _pair(text: str) -> tuple[float, float]:
    try:
        a, b = (float(x) for x in text.split(","))
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected RPM,NM (two numbers), got {text!r}") from e
    return a, b


def _read_points(path: Path) -> list[tuple[float, float]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.reader(fh) if r and not r[0].lstrip().startswith("#")]
    except OSError as e:
        raise InputError(f"--points: cannot read {str(path)!r} ({e})") from e
    out = []
    for k, r in enumerate(rows):
        try:
            out.append((float(r[0]), float(r[1])))
        except (ValueError, IndexError) as e:
            if k == 0:  # header row
                continue
            raise InputError(
                f"--points: row {k + 1} of {str(path)!r} is not 'speed_rpm,torque_nm': {r}"
            ) from e
    return out


def _point_record(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "speed_rpm": p["speed_rpm"],
        "torque_nm": p["_requested_torque"],
        "efficiency": p["efficiency"],
        "system_efficiency": p["system_efficiency"],
        "id_a": p["id_a"],
        "iq_a": p["iq_a"],
        "voltage_v": p["voltage_v"],
        "p_shaft_w": p["p_shaft_w"],
        "p_electrical_w": p["p_electrical_w"],
        "losses_w": {k[2:-2]: p[k] for k in _LOSS_KEYS},
    }


def _run(args: argparse.Namespace) -> int:
    from repm import geometry, maps

    machine = geometry.load_machine(args.machine)
    drive = maps.load_drive(args.machine)
    if args.fluxmap:
        fm = maps.FluxMap.load(args.fluxmap)
    else:
        from repm.maps.compute import flux_map

        ni, nq = args.grid
        fm = flux_map(
            machine,
            grid=(ni, nq),
            positions=args.positions,
            current_limit_a=drive.current_limit_a,
            mesh_scale=args.scale,
            cache_dir=False if args.no_cache else None,
        )
    env = maps.envelope(fm, drive, machine=machine)
    emap = maps.efficiency_map(
        fm, drive, strategy=args.strategy, machine=machine, generating=args.generating
    )
    summary: dict[str, Any] = {
        "machine": machine.name,
        "peak_efficiency": emap.peak_efficiency,
        "peak_efficiency_at": {"speed_rpm": emap.peak_speed_rpm, "torque_nm": emap.peak_torque_nm},
        "max_torque_nm": env.max_torque_nm,
        "corner_speed_rpm": env.corner_speed_rpm,
        "max_speed_rpm": env.max_speed_rpm,
        "max_speed_limited_by": env.max_speed_limit,
        "max_power_w": float(np.nanmax(env.motoring.p_shaft_w)),
        "strategy": args.strategy,
        "drive": {
            "dc_bus_v": drive.dc_bus_v,
            "u_max_v": drive.u_max_v,
            "current_limit_a": drive.current_limit_a,
            "phase_resistance_ohm": drive.resistance_ohm(machine),
            "winding_temperature_c": drive.winding_temperature_c,
        },
        "fluxmap": {
            "id_range_a": [float(fm.id_a[0]), float(fm.id_a[-1])],
            "iq_range_a": [float(fm.iq_a[0]), float(fm.iq_a[-1])],
            "grid": [int(fm.id_a.size), int(fm.iq_a.size)],
        },
        # What the flux map could not model (e.g. a steel without loss data: zero iron loss).
        "notes": [str(n) for n in fm.meta.get("notes", [])],
    }
    requested = list(args.at or [])
    if args.points:
        requested += _read_points(args.points)
    pts = None
    if requested:
        s = np.array([r[0] for r in requested], dtype=np.float64)
        t = np.array([r[1] for r in requested], dtype=np.float64)
        pts = maps.operating_points(fm, drive, s, t, strategy=args.strategy, machine=machine)
        recs = pts.records()
        for r, tq in zip(recs, t, strict=True):
            r["_requested_torque"] = float(tq)
        summary["points"] = [_point_record(r) for r in recs]
    if args.report:
        from repm.maps.report import write_report

        summary["report"] = [
            str(p) for p in write_report(args.report, env, emap, points=pts, title=machine.name)
        ]
    if args.json:
        print_json(summary)
        return 0
    s = summary
    print(f"{s['machine']}: {s['strategy']} control, u_max {drive.u_max_v:.4g} V peak")
    rows = [
        ("peak efficiency", s["peak_efficiency"], ""),
        ("max torque (low speed)", s["max_torque_nm"], "N·m"),
        ("corner speed", s["corner_speed_rpm"], "rpm"),
        (f"max speed ({s['max_speed_limited_by']})", s["max_speed_rpm"], "rpm"),
        ("max power", s["max_power_w"], "W"),
    ]
    print(format_table(["quantity", "value", "unit"], rows))
    if "points" in s:
        prow = [
            (p["speed_rpm"], p["torque_nm"], p["efficiency"], sum(p["losses_w"].values()))
            if p["efficiency"] is not None
            else (p["speed_rpm"], p["torque_nm"], "outside envelope", None)
            for p in s["points"]
        ]
        print(format_table(["speed_rpm", "torque_nm", "efficiency", "losses_w"], prow))
    for note in s["notes"]:
        print(f"note: {note}")
    for p in s.get("report", []):
        print(f"wrote {p}")
    return 0


def _grid(text: str) -> tuple[int, int]:
    try:
        a, b = (int(x) for x in text.split(","))
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected NI,NQ (two integers), got {text!r}") from e
    return a, b


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "map",
        help="operating envelope and efficiency map of a machine with its [drive] table",
    )
    parser.add_argument("machine", metavar="MACHINE.toml", help="machine file with [drive]")
    parser.add_argument(
        "--at",
        type=_pair,
        action="append",
        metavar="RPM,NM",
        help="operating point to evaluate (repeatable)",
    )
    parser.add_argument(
        "--points", type=Path, metavar="FILE.csv", help="CSV of speed_rpm,torque_nm rows"
    )
    parser.add_argument(
        "--fluxmap", type=Path, metavar="FILE.npz", help="use a saved FluxMap instead of FEM"
    )
    parser.add_argument(
        "--grid", type=_grid, default=(9, 7), metavar="NI,NQ", help="FEM current grid (9,7)"
    )
    parser.add_argument(
        "--positions",
        type=int,
        default=16,
        help="rotor positions per electrical period (avoid divisors of LCM(Q,2p)/p)",
    )
    parser.add_argument("--scale", type=float, default=2.0, help="mesh size factor (<1 finer)")
    parser.add_argument("--no-cache", action="store_true", help="do not use the flux-map cache")
    parser.add_argument(
        "--strategy", choices=("min_loss", "mtpa"), default="min_loss", help="current control"
    )
    parser.add_argument("--generating", action="store_true", help="map the generating quadrant too")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write plots into DIR")
    parser.add_argument("--json", action="store_true", help="JSON output")
    parser.set_defaults(handler=_run)
