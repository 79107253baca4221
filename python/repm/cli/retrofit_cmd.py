"""`repm retrofit FLEET.csv`: induction → REPM retrofit program of a motor fleet."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from repm.cli._output import format_table, print_json
from repm.errors import InputError, InventoryError

_EPILOG = """examples:
  repm retrofit examples/fleet/steel_plant.csv --budget 2e6 --report out/
  repm retrofit plant.parquet --samples 200 --seed 7 --json
  repm retrofit plant.csv --skip-invalid --target IE5 --trim vsd --objective co2
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "retrofit",
        help="fleet retrofit economics: which induction motors to replace by REPM motors",
        description=(
            "Evaluate replacing each induction motor of an inventory (CSV or Parquet, one row "
            "per motor; schema: python -c 'import repm.fleet.schema as s; help(s)') by an IE4/IE5 "
            "PM motor: energy (with the speed effect, untrimmed and trimmed), capex, payback, "
            "NPV, IRR, CO2, rare-earth demand; select a program under a budget; Monte Carlo "
            "P10/P50/P90. Money in USD."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("fleet", metavar="FLEET", help="inventory: .csv or .parquet")
    p.add_argument("--budget", type=float, default=None, help="capex budget in USD (default none)")
    p.add_argument(
        "--objective", choices=("npv", "co2"), default="npv", help="what the selection maximises"
    )
    p.add_argument("--samples", type=int, default=100, help="Monte Carlo samples (0: none)")
    p.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    p.add_argument("--target", choices=("IE4", "IE5"), default=None, help="replacement class")
    p.add_argument(
        "--trim", choices=("none", "mechanical", "vsd"), default=None,
        help="how variable-torque DOL loads are brought back to their duty (default mechanical)",
    )  # fmt: skip
    p.add_argument("--grade", default=None, help="magnet grade of the new motors (default N42SH)")
    p.add_argument("--high-ce-grade", default=None, help="high-cerium comparison grade")
    p.add_argument("--discount-rate", type=float, default=None, help="per year, e.g. 0.08")
    p.add_argument("--escalation", type=float, default=None, help="energy price growth per year")
    p.add_argument("--horizon", type=int, default=None, help="years")
    p.add_argument("--skip-invalid", action="store_true", help="skip bad rows and report them")
    p.add_argument("--chunk-size", type=int, default=None, help="motors per Monte Carlo chunk")
    p.add_argument("--progress", action="store_true", help="progress bar on stderr")
    p.add_argument("--top", type=int, default=15, help="motors shown in the ranking table")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.add_argument("--report", type=Path, default=None, metavar="DIR", help="write plots + CSV")
    p.set_defaults(handler=_run)


def _scenario(args: argparse.Namespace) -> Any:
    from repm.fleet import Scenario

    kw: dict[str, Any] = {}
    for arg, name in (
        ("target", "target_class"),
        ("trim", "trim"),
        ("grade", "magnet_grade"),
        ("discount_rate", "discount_rate"),
        ("escalation", "escalation"),
        ("horizon", "horizon_years"),
    ):
        v = getattr(args, arg)
        if v is not None:
            kw[name] = v
    return Scenario(**kw)


def _run(args: argparse.Namespace) -> int:
    from repm import fleet

    if args.budget is not None and not (math.isfinite(args.budget) and args.budget >= 0):
        raise InputError(f"--budget = {args.budget} is invalid: a capex budget ≥ 0 USD")
    if args.samples < 0:
        raise InputError(f"--samples = {args.samples} is invalid: 0 (none) or more")
    scenario = _scenario(args)
    try:
        inv = fleet.load_inventory(args.fleet, skip_invalid=args.skip_invalid)
    except InventoryError as err:
        print(f"repm: error: {len(err.issues)} problem(s) in {args.fleet}:", file=sys.stderr)
        for issue in err.issues:
            print(f"  {issue}", file=sys.stderr)
        print("(fix them, or use --skip-invalid to continue without the bad rows)", file=sys.stderr)
        return 2
    result = fleet.evaluate(inv, scenario)
    program = fleet.select(result, args.budget, args.objective, args.high_ce_grade)
    mc = None
    if args.samples > 0:
        show = args.progress or sys.stderr.isatty()
        chunk = args.chunk_size or (max(2000, len(inv) // 20) if show else None)
        mc = fleet.monte_carlo(
            result,
            fleet.MonteCarlo(samples=args.samples, seed=args.seed),
            include=program.selected,
            chunk_size=chunk,
            progress=show,
        )
    summary = _summary(inv, result, program, mc)
    if args.report is not None:
        from repm.fleet.report import write_report

        paths = write_report(args.report, result, program, mc, summary)
        summary["report_files"] = [str(p) for p in paths]
    if args.json:
        print_json(summary)
    else:
        _print_text(summary, result, program, args.top)
    return 0


def _summary(inv: Any, result: Any, program: Any, mc: Any) -> dict[str, Any]:
    t = program.totals
    s = result.scenario
    return {
        "motors": len(result),
        "selected_motors": t["motors"],
        "energy_savings_kwh_per_year": t["energy_savings_kwh_per_year"],
        "energy_savings_untrimmed_kwh_per_year": t["energy_savings_untrimmed_kwh_per_year"],
        "energy_savings_trimmed_kwh_per_year": t["energy_savings_trimmed_kwh_per_year"],
        "capex": t["capex"],
        "npv": t["npv"],
        "annual_value": t["annual_value"],
        "simple_payback_years": t["simple_payback_years"],
        "co2_savings_t_per_year": t["co2_savings_t_per_year"],
        "selected": list(program.selected_ids),
        "rare_earth_kg": program.rare_earth["element_kg"],
        "rare_earth": program.rare_earth,
        "rare_earth_high_ce": program.rare_earth_high_ce,
        "objective": program.objective,
        "budget": program.budget if math.isfinite(program.budget) else None,
        "objective_total": program.objective_total,
        "objective_upper_bound": program.upper_bound,
        "all_motors": _all_totals(result),
        "by_site": program.by_site,
        "by_sector": program.by_sector,
        "monte_carlo": None
        if mc is None
        else {
            "samples": mc.settings.samples,
            "seed": mc.settings.seed,
            "percentiles": mc.percentiles,
        },
        "scenario": {
            "target_class": s.target_class,
            "trim": s.trim,
            "discount_rate": s.discount_rate,
            "escalation": s.escalation,
            "horizon_years": s.horizon_years,
            "magnet_grade": s.magnet_grade,
        },
        "skipped": [
            {
                "row": i.row,
                "motor_id": i.motor_id,
                "column": i.column,
                "value": i.value,
                "reason": i.reason,
            }
            for i in inv.skipped
        ],
        "notes": list(result.notes),
    }


def _all_totals(result: Any) -> dict[str, float]:
    m = result.motors
    return {
        "energy_savings_untrimmed_kwh_per_year": float(m["savings_untrimmed_kwh"].sum()),
        "energy_savings_trimmed_kwh_per_year": float(m["savings_trimmed_kwh"].sum()),
        "motors_with_negative_untrimmed_savings": int((m["savings_untrimmed_kwh"] < 0).sum()),
        "motors_with_positive_npv": int((m["npv"] > 0).sum()),
    }


def _print_text(d: dict[str, Any], result: Any, program: Any, top: int) -> None:
    s = d["scenario"]
    budget = "no budget" if d["budget"] is None else f"budget {d['budget']:,.0f} USD"
    print(
        f"repm retrofit: {d['motors']} motors -> {s['target_class']} PM, trim {s['trim']}, "
        f"{budget}, maximise {d['objective']}"
    )
    print(
        f"selected {d['selected_motors']} motors (within "
        f"{100 * d['objective_total'] / d['objective_upper_bound']:.2f} % of the LP bound)"
        if d["objective_upper_bound"] > 0
        else f"selected {d['selected_motors']} motors"
    )
    print()
    rows = [
        ["capex (USD)", d["capex"]],
        ["energy savings (kWh/year)", d["energy_savings_kwh_per_year"]],
        ["  untrimmed (pumps/fans run faster)", d["energy_savings_untrimmed_kwh_per_year"]],
        ["  trimmed back to the original duty", d["energy_savings_trimmed_kwh_per_year"]],
        ["savings value, year 1 (USD)", d["annual_value"]],
        ["simple payback (years)", d["simple_payback_years"]],
        ["NPV (USD)", d["npv"]],
        ["CO2 savings (t/year)", d["co2_savings_t_per_year"]],
        ["magnet mass (kg)", d["rare_earth"]["magnet_kg"]],
    ]
    print(format_table(["program", "value"], rows))
    a = d["all_motors"]
    print(
        f"\nspeed effect: {a['motors_with_negative_untrimmed_savings']} of {d['motors']} motors "
        "would use MORE energy untrimmed (the driven pump/fan runs at synchronous speed)"
    )
    mc = d["monte_carlo"]
    if mc:
        print(f"\nMonte Carlo ({mc['samples']} samples, seed {mc['seed']}):")
        print(
            format_table(
                ["quantity", "P10", "P50", "P90"],
                [[k, v["p10"], v["p50"], v["p90"]] for k, v in mc["percentiles"].items()],
            )
        )
    re_a, re_b = d["rare_earth"], d["rare_earth_high_ce"]
    print("\nrare-earth demand of the program (kg):")
    print(
        format_table(
            ["element", re_a["grade"], re_b["grade"]],
            [[e, re_a["element_kg"][e], re_b["element_kg"][e]] for e in re_a["element_kg"]]
            + [
                ["price exposure (USD)", re_a["total_cost_usd"], re_b["total_cost_usd"]],
                [
                    "max working temp (°C)",
                    re_a["max_working_temperature_c"],
                    re_b["max_working_temperature_c"],
                ],
            ],
        )
    )
    if top > 0 and d["selected"]:
        m = result.motors
        idx = {mid: i for i, mid in enumerate(m["motor_id"].tolist())}
        shown = [idx[x] for x in d["selected"][:top]]
        print(f"\nfirst {len(shown)} motors to replace:")
        print(
            format_table(
                [
                    "motor",
                    "site",
                    "kW",
                    "load",
                    "savings kWh/y",
                    "untrimmed Δ%",
                    "capex",
                    "payback y",
                    "NPV",
                    "IRR",
                ],
                [
                    [
                        m["motor_id"][i],
                        m["site"][i],
                        float(m["rated_kw"][i]),
                        m["load_type"][i],
                        float(m["savings_kwh"][i]),
                        float(m["shaft_power_increase_pct"][i]),
                        float(m["capex"][i]),
                        float(m["payback_years"][i]),
                        float(m["npv"][i]),
                        float(m["irr"][i]),
                    ]
                    for i in shown
                ],
            )
        )
    for title, key in (("site", "by_site"), ("sector", "by_sector")):
        g = d[key]
        if len(g) > 1 or (g and "(blank)" not in g):
            print(f"\nby {title}:")
            print(
                format_table(
                    [title, "motors", "capex", "kWh/year", "NPV", "t CO2/year"],
                    [
                        [
                            k,
                            v["motors"],
                            v["capex"],
                            v["energy_savings_kwh_per_year"],
                            v["npv"],
                            v["co2_savings_t_per_year"],
                        ]
                        for k, v in g.items()
                    ],
                )
            )
    if d["skipped"]:
        print(f"\nskipped {len(d['skipped'])} problem(s) (--skip-invalid):")
        for s_ in d["skipped"]:
            print(f"  row {s_['row']} {s_['column']}: {s_['reason']}")
    if d.get("report_files"):
        print("\nwrote " + ", ".join(d["report_files"]))
    if d["notes"]:
        print("\nassumptions applied: " + "; ".join(d["notes"]))
