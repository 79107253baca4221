"""`repm winding`: analyse one winding, or `repm winding table` over ranges of slots and poles."""

from __future__ import annotations

import argparse
import csv
import sys

from repm import winding
from repm.cli._output import format_table, print_json
from repm.errors import InputError, WindingError

_EPILOG = """examples:
  repm winding --slots 12 --poles 10 --json
  repm winding --slots 48 --poles 8 --layers 1
  repm winding table --slots 6:72 --poles 2:40 --csv
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "winding",
        help="star-of-slots winding analysis (winding factors, layout, MMF, periodicity)",
        description=(
            "Analyse the star-of-slots winding of Q slots and 2p poles, or with 'table' every "
            "combination of ranges of Q and 2p. Winding factors are for electrical orders."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "mode", nargs="?", choices=("table",), help="'table': ranges of slots and poles"
    )
    parser.add_argument(
        "--slots", required=True, help="number of slots Q (table: range a:b, inclusive)"
    )
    parser.add_argument(
        "--poles", required=True, help="number of poles 2p (table: range a:b, step 2, inclusive)"
    )
    parser.add_argument("--layers", type=int, default=2, choices=(1, 2), help="1 or 2 (default 2)")
    parser.add_argument("--phases", type=int, default=3, help="number of phases m (default 3)")
    parser.add_argument("--pitch", type=int, default=None, help="coil span in slots")
    parser.add_argument("--skew", type=float, default=0.0, help="skew in slot pitches")
    parser.add_argument(
        "--max-order", type=int, default=49, help="highest electrical order (default 49)"
    )
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable JSON")
    fmt.add_argument("--csv", action="store_true", help="CSV (table mode only)")
    parser.set_defaults(handler=_handle)


def _int_arg(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(f"--{name} = {text!r} is invalid: must be an integer") from None


def _range_arg(name: str, text: str, step: int) -> range:
    """'a:b' (inclusive, given step), 'a:b:s' or a single 'n'."""
    parts = text.split(":")
    if not 1 <= len(parts) <= 3:
        raise InputError(f"--{name} = {text!r} is invalid: use a:b (inclusive) or a single n")
    nums = [_int_arg(name, p) for p in parts]
    if len(nums) == 1:
        return range(nums[0], nums[0] + 1)
    if len(nums) == 3:
        step = nums[2]
    if step < 1 or nums[1] < nums[0]:
        raise InputError(f"--{name} = {text!r} is invalid: need a ≤ b and a positive step")
    return range(nums[0], nums[1] + 1, step)


def _handle(args: argparse.Namespace) -> int:
    if args.mode == "table":
        return _handle_table(args)
    if args.csv:
        raise InputError("--csv is only available with 'repm winding table'")
    slots = _int_arg("slots", args.slots)
    poles = _int_arg("poles", args.poles)
    try:
        result = winding.analyse(
            slots,
            poles,
            phases=args.phases,
            layers=args.layers,
            pitch=args.pitch,
            skew_slots=args.skew,
            max_order=args.max_order,
        )
    except WindingError as err:
        if args.json:
            print_json({"feasible": False, "reason": str(err)})
        print(f"repm: error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print_json(result.to_dict())
        return 0
    _print_text(result)
    return 0


def _print_text(r: winding.WindingAnalysis) -> None:
    kind = "double" if r.layers == 2 else "single"
    print(
        f"{r.slots} slots, {r.poles} poles, {r.phases} phases, {kind} layer, pitch {r.pitch_slots}"
    )
    print(f"q = {r.q_fraction} = {r.slots_per_pole_per_phase:.4f} slots per pole and phase")
    print(f"kw1 = {r.kw1:.4f}" + (f" (skew {r.skew_slots:g} slot pitches)" if r.skew_slots else ""))
    sector = "anti-periodic" if r.antiperiodic else "periodic"
    print(
        f"periodicity t = {r.periodicity}; smallest sector: {r.sector_slots} slots, "
        f"{r.sector_poles} poles, {sector} boundaries"
    )
    print(f"LCM(Q, 2p) = {r.lcm_slots_poles} (cogging periods per revolution)")
    print(f"differential leakage σδ = {r.differential_leakage:.4f}")
    print(f"layout: {r.layout.text}")
    print()
    orders = [n for n in range(1, len(r.winding_factors) + 1) if r.kw(n) > 1e-9][:12]
    print(
        format_table(
            ["order ν (el.)", "kw (abs)", "kw (signed)"],
            [[n, r.kw(n), float(r.winding_factors_signed[n - 1])] for n in orders],
        )
    )
    print()
    amps = r.mmf_amplitudes
    top = sorted(range(len(amps)), key=lambda i: -amps[i])[:8]
    fund = amps[r.poles // 2 - 1]
    print(
        format_table(
            ["MMF order (mech.)", "amplitude (At/At)", "relative to p"],
            [[int(r.mmf_orders[i]), float(amps[i]), float(amps[i] / fund)] for i in sorted(top)],
        )
    )


def _handle_table(args: argparse.Namespace) -> int:
    if args.pitch is not None or args.skew:
        raise InputError("--pitch and --skew are not available in table mode (default pitch)")
    t = winding.table(
        _range_arg("slots", args.slots, 1),
        _range_arg("poles", args.poles, 2),
        phases=args.phases,
        layers=args.layers,
        max_order=args.max_order,
    )
    if args.json:
        print_json({"phases": t.phases, "layers": t.layers, "rows": t.to_records()})
        return 0
    n = t.kw.shape[1]
    if args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(
            ["slots", "poles", "feasible", "reason_code", "pitch", "q", "periodicity", "lcm"]
            + [f"kw{i}" for i in range(1, n + 1)]
        )
        for rec in t.to_records():
            kws = rec["kw"] if rec["kw"] is not None else [""] * n
            w.writerow(
                [
                    rec["slots"],
                    rec["poles"],
                    int(rec["feasible"]),
                    rec["reason_code"],
                    rec["pitch"],
                    rec["q"],
                    rec["periodicity"],
                    rec["lcm_slots_poles"],
                ]
                + [f"{v:.9f}" if v != "" else "" for v in kws]
            )
        return 0
    shown = [k for k in (1, 5, 7, 11, 13) if k <= n]
    rows = []
    for rec in t.to_records():
        kws = [rec["kw"][k - 1] if rec["kw"] else None for k in shown]
        reason = "" if rec["feasible"] else rec["reason"]
        rows.append(
            [
                rec["slots"],
                rec["poles"],
                rec["q"],
                rec["pitch"],
                *kws,
                rec["periodicity"],
                rec["lcm_slots_poles"],
                reason,
            ]
        )
    headers = [
        "Q",
        "2p",
        "q",
        "pitch",
        *[f"kw{k}" for k in shown],
        "t",
        "lcm",
        "infeasible because",
    ]
    print(format_table(headers, rows))
    print(f"\n{int(t.feasible.sum())} of {len(t)} combinations feasible")
    return 0
