"""`repm iec`: IEC 60034-30-1 classes and tables, IEC 60034-2-1 test reports, part-load curves."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from repm.cli._output import format_table, print_json
from repm.errors import StandardsError
from repm.standards import iec60034_2_1, iec60034_30_1, part_load, records

_EPILOG = """examples:
  repm iec classify --power-kw 11 --poles 4 --efficiency 91.6 --json
  repm iec table --class IE3 --poles 4
  repm iec test-report examples/test_records/im_11kw_synthetic.toml --report out/
  repm iec part-load --power-kw 11 --poles 4 --class IE3 --motor induction
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "iec",
        help="efficiency classes (IEC 60034-30-1), test evaluation (IEC 60034-2-1), part load",
        description=(
            "IEC 60034-30-1 efficiency classes and tables (with the provenance of every value), "
            "IEC 60034-2-1 evaluation of a test record, and part-load models."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="iec_command", required=True, metavar="ACTION")

    c = sub.add_parser("classify", help="efficiency class of a motor")
    c.add_argument("--power-kw", type=float, required=True, help="rated output (kW)")
    c.add_argument("--poles", type=int, required=True, help="number of poles (2, 4, 6, 8)")
    c.add_argument("--frequency", type=float, default=50.0, help="supply frequency, Hz (50/60)")
    c.add_argument("--efficiency", type=float, required=True, help="nominal efficiency (%%)")
    c.add_argument("--json", action="store_true", help="machine-readable JSON")
    c.set_defaults(handler=_classify)

    t = sub.add_parser("table", help="minimum efficiencies of a class at the standard ratings")
    t.add_argument("--class", dest="ie_class", required=True, help="IE1 ... IE5")
    t.add_argument("--poles", type=int, required=True, help="number of poles (2, 4, 6, 8)")
    t.add_argument("--frequency", type=float, default=50.0, help="supply frequency, Hz (50/60)")
    t.add_argument("--json", action="store_true", help="machine-readable JSON")
    t.set_defaults(handler=_table)

    r = sub.add_parser("test-report", help="evaluate an IEC 60034-2-1 test record (TOML)")
    r.add_argument("record", help="test record file (TOML, see repm.standards.records)")
    r.add_argument("--json", action="store_true", help="machine-readable JSON")
    r.add_argument("--report", metavar="DIR", help="write plots (PNG) and report.json to DIR")
    r.set_defaults(handler=_test_report)

    p = sub.add_parser("part-load", help="efficiency, speed and power factor versus load")
    p.add_argument("--power-kw", type=float, required=True, help="rated output (kW)")
    p.add_argument("--poles", type=int, required=True, help="number of poles")
    p.add_argument("--class", dest="ie_class", default="IE3", help="IE class (default IE3)")
    p.add_argument("--frequency", type=float, default=50.0, help="supply frequency, Hz")
    p.add_argument("--motor", choices=("induction", "pm"), default="induction")
    p.add_argument("--efficiency", type=float, default=None, help="rated efficiency (%%)")
    p.add_argument("--power-factor", type=float, default=None, help="rated power factor")
    p.add_argument("--no-load-current", type=float, default=None, help="I0/I_N (fraction)")
    p.add_argument(
        "--constant-loss-share", type=float, default=None, help="PM only: c0 in [0, 1] (data sheet)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable JSON")
    p.set_defaults(handler=_part_load)


def _classify(args: argparse.Namespace) -> int:
    res = iec60034_30_1.classify(args.power_kw, args.poles, args.efficiency, args.frequency)
    if args.json:
        print_json(res.to_dict())
        return 0
    print(
        f"{res.power_kw:g} kW, {res.poles} poles, {res.frequency_hz} Hz, "
        f"η = {res.efficiency_pct:g} % -> {res.ie_class}"
    )
    rows = [[c, v, res.provenance[c]] for c, v in res.limits.items()]
    print(format_table(["class", "minimum η (%)", "provenance"], rows))
    for c, why in res.unavailable.items():
        print(f"{c}: not available ({why})")
    for n in res.notes:
        print(f"note: {n}")
    return 0


def _table(args: argparse.Namespace) -> int:
    limits = iec60034_30_1.table(args.ie_class, args.poles, args.frequency)
    recs = [
        {
            "power_kw": lim.power_kw,
            "efficiency_pct": lim.efficiency_pct,
            "provenance": lim.provenance,
            "note": lim.note,
        }
        for lim in limits
    ]
    if args.json:
        print_json(recs)
        return 0
    print(f"{args.ie_class}, {args.poles} poles, {args.frequency:g} Hz: source {limits[0].source}")
    print(
        format_table(
            ["P (kW)", "min η (%)", "provenance"],
            [[f"{r['power_kw']:g}", f"{r['efficiency_pct']:.1f}", r["provenance"]] for r in recs],
        )
    )
    return 0


def _test_report(args: argparse.Namespace) -> int:
    rec = records.load_record(args.record)
    rep = iec60034_2_1.evaluate(rec)
    data = rep.to_dict()
    eta100 = rep.rated_efficiency_pct
    if eta100 is not None:
        try:
            cls = iec60034_30_1.classify(rec.rated_power_kw, rec.poles, eta100, rec.frequency_hz)
            data["classification"] = cls.to_dict()
        except StandardsError as err:
            data["classification"] = {"class": None, "reason": str(err)}
    if args.report:
        from repm.standards.report import write_plots

        paths = write_plots(rep, args.report)
        out = Path(args.report) / "report.json"
        out.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        data["report_files"] = [str(p) for p in [*paths, out]]
    if args.json:
        print_json(data)
        return 0
    print(f"{args.record}: {rec.motor_type}, {rec.rated_power_kw:g} kW, {rec.poles} poles")
    print(f"method {rep.method}")
    if rep.regression is not None:
        g = rep.regression
        print(
            f"residual-loss regression P_Lr = A·T² + B: A = {g.slope_a:.5g} W/(N·m)², "
            f"B = {g.intercept_b:.4g} W, γ = {g.gamma:.5f} (≥ {g.gamma_min} required)"
        )
        cl = rep.constant_losses
        print(
            f"friction and windage P_fw0 = {cl['p_fw0_w']:.1f} W; iron loss at rated voltage "
            f"{cl['p_fe_at_rated_voltage_w']:.1f} W"
        )
    p = rep.points
    if rep.method == "2-1-1B":
        heads = ["row", "T (N·m)", "P1 (W)", "P_s", "P_r", "P_fe", "P_fw", "P_LL", "η (%)"]
        keys = ["p_s_corr_w", "p_r_corr_w", "p_fe_w", "p_fw_corr_w", "p_ll_w"]
    else:
        heads = ["row", "T (N·m)", "P1 (W)", "P_s", "other", "η (%)"]
        keys = ["p_s_corr_w", "other_loss_w"]
    rows = [
        [int(p["row"][j]), float(p["torque_nm"][j]), float(p["p1_w"][j])]
        + [float(p[k][j]) for k in keys]
        + [100.0 * float(p["efficiency"][j])]
        for j in range(len(p["row"]))
    ]
    print(format_table(heads, rows))
    print()
    print(
        format_table(
            ["load (%)", "η (%)"],
            [[k, "-" if v is None else f"{v:.2f}"] for k, v in rep.efficiency_vs_load_pct.items()],
        )
    )
    if "classification" in data and data["classification"].get("class"):
        print(f"class at rated load: {data['classification']['class']}")
    for chk in rep.instrument_checks:
        ok = {True: "ok", False: "FAILS", None: "?"}[chk["ok"]]
        print(f"instrument {chk['quantity']}: {chk['accuracy']:g} {chk['unit']} ({ok})")
    for n in rep.notes:
        print(f"note: {n}")
    for f in data.get("report_files", []):
        print(f"wrote {f}")
    return 0


def _part_load(args: argparse.Namespace) -> int:
    if args.motor == "pm":
        if args.power_factor is not None or args.no_load_current is not None:
            raise StandardsError("--power-factor/--no-load-current apply to --motor induction only")
        curve = part_load.pm_part_load(
            args.power_kw,
            args.poles,
            args.ie_class,
            args.frequency,
            rated_efficiency_pct=args.efficiency,
            constant_loss_share=args.constant_loss_share,
        )
    else:
        if args.constant_loss_share is not None:
            raise StandardsError("--constant-loss-share applies to --motor pm only")
        curve = part_load.induction_part_load(
            args.power_kw,
            args.poles,
            args.ie_class,
            args.frequency,
            rated_efficiency_pct=args.efficiency,
            power_factor_rated=args.power_factor,
            no_load_current_ratio=args.no_load_current,
        )
    if args.json:
        print_json(curve.to_dict())
        return 0
    pf = curve.power_factor
    rows = [
        [
            f"{100 * x:.0f}",
            f"{100 * e:.2f}",
            f"{n:.1f}",
            f"{s:.4f}",
            "-" if pf is None else f"{pf[k]:.3f}",
        ]
        for k, (x, e, n, s) in enumerate(
            zip(curve.load_fraction, curve.efficiency, curve.speed_rpm, curve.slip, strict=True)
        )
    ]
    print(f"{curve.motor}, {curve.rated_power_kw:g} kW, {curve.poles} poles, {curve.ie_class}")
    print(format_table(["load (%)", "η (%)", "speed (rpm)", "slip", "PF"], rows))
    for n in curve.notes:
        print(f"note: {n}")
    return 0
