"""`repm materials list|show`: the material catalogues.

Material kinds plug in through :data:`KINDS`: each kind gives a ``list`` function (family filter)
and a ``show`` function (name, temperature → JSON-ready dict). Magnets are the first kind;
electrical steels and conductors add an entry here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repm.cli._output import format_table, print_json
from repm.errors import UnknownMaterialError


@dataclass(frozen=True)
class MaterialKind:
    """One kind of material in the CLI: how to list names and show one material."""

    list_names: Callable[[str | None], list[str]]
    show: Callable[[str, float | None], dict[str, Any]]
    families: Callable[[], list[str]]


def _magnet_list(family: str | None) -> list[str]:
    from repm import magnets

    return magnets.list_grades(family)


def _magnet_families() -> list[str]:
    from repm import magnets

    return magnets.families()


def _magnet_show(name: str, temperature_c: float | None) -> dict[str, Any]:
    from repm import magnets

    g = magnets.grade(name)
    props = g.to_dict()
    composition = props.pop("composition_wt_pct")
    bill = g.element_bill(1.0)
    t = g.reference_temperature_c if temperature_c is None else temperature_c
    return {
        "kind": "magnet",
        "grade": props,
        "at_temperature": g.at_temperature(t),
        "composition_wt_pct": composition,
        "element_kg_per_kg": bill.element_kg,
        "oxide_kg_per_kg": bill.oxide_kg,
        "cost_usd_per_kg": bill.total_cost_usd,
        "cost_usd_per_kg_by_element": bill.cost_usd,
        "unpriced_elements": list(bill.unpriced),
        "prices": bill.to_dict()["prices"],
    }


#: Material kinds known to the CLI, in lookup order.
KINDS: dict[str, MaterialKind] = {
    "magnet": MaterialKind(list_names=_magnet_list, show=_magnet_show, families=_magnet_families),
}


def _cmd_list(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    rows: list[dict[str, str]] = []
    for kind in kinds:
        spec = KINDS[kind]
        if args.family is not None and args.family not in spec.families():
            if args.kind:
                spec.list_names(args.family)  # raises InputError naming the allowed families
            continue
        rows += [{"kind": kind, "name": n} for n in spec.list_names(args.family)]
    if args.json:
        print_json(rows)
    else:
        print(format_table(["kind", "name"], [[r["kind"], r["name"]] for r in rows]))
    return 0


def _show_text(d: dict[str, Any]) -> str:
    lines = [f"{d['grade']['name']} ({d['kind']}, {d['grade']['family']})"]
    rows = [[k, v] for k, v in d["grade"].items() if k != "name"]
    lines.append(format_table(["property", "value"], rows))
    t = d["at_temperature"]
    lines.append("")
    lines.append(f"at {t['temperature_c']:g} °C")
    lines.append(format_table(["quantity", "value"], [[k, v] for k, v in t.items()]))
    lines.append("")
    comp = [
        [el, wt, d["element_kg_per_kg"].get(el, 0.0)] for el, wt in d["composition_wt_pct"].items()
    ]
    lines.append(format_table(["element", "wt %", "kg/kg"], comp))
    lines.append("")
    unpriced = ", ".join(d["unpriced_elements"]) or "none"
    lines.append(f"cost: {d['cost_usd_per_kg']:.2f} USD/kg (unpriced: {unpriced})")
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    first_error: UnknownMaterialError | None = None
    for kind in kinds:
        try:
            d = KINDS[kind].show(args.name, args.temperature)
        except UnknownMaterialError as err:
            first_error = first_error or err
            continue
        if args.json:
            print_json(d)
        else:
            print(_show_text(d))
        return 0
    assert first_error is not None
    raise first_error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "materials", help="list and show material grades (magnets; steels and conductors plug in)"
    )
    sub = parser.add_subparsers(dest="materials_command", required=True, metavar="ACTION")

    p_list = sub.add_parser("list", help="list material names")
    p_list.add_argument("--kind", choices=sorted(KINDS), help="only this kind of material")
    p_list.add_argument("--family", help="only this family (e.g. sintered_ndfeb, ferrite)")
    p_list.add_argument("--json", action="store_true", help="JSON output")
    p_list.set_defaults(handler=_cmd_list)

    p_show = sub.add_parser("show", help="show one material with its values at a temperature")
    p_show.add_argument("name", help="grade name, case-insensitive (e.g. N42SH)")
    p_show.add_argument("--kind", choices=sorted(KINDS), help="only look in this kind")
    p_show.add_argument(
        "--temperature",
        type=float,
        default=None,
        metavar="C",
        help="temperature in °C (default: the grade's reference temperature)",
    )
    p_show.add_argument("--json", action="store_true", help="JSON output")
    p_show.set_defaults(handler=_cmd_show)
