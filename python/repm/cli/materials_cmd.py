"""`repm materials list|show`: the material catalogues.

Material kinds plug in through :data:`KINDS`: each kind gives a ``list`` function (family filter),
a ``show`` function (name, temperature → JSON-ready dict) and a text renderer of that dict.
Kinds: magnets, electrical steels, conductors.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repm.cli._output import format_table, print_json
from repm.errors import InputError, UnknownMaterialError


@dataclass(frozen=True)
class MaterialKind:
    """One kind of material in the CLI: how to list names and show one material."""

    list_names: Callable[[str | None], list[str]]
    show: Callable[[str, float | None], dict[str, Any]]
    families: Callable[[], list[str]]
    show_text: Callable[[dict[str, Any]], str]


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


def _no_families() -> list[str]:
    return []


def _steel_list(family: str | None) -> list[str]:
    from repm import steels

    return steels.list_steels()


# Flux densities (T) and frequencies (Hz) at which `show` evaluates a steel for people.
_STEEL_B_POINTS_T = (0.5, 1.0, 1.5, 1.8, 2.0, 2.5)
_STEEL_LOSS_POINTS = ((50.0, 1.0), (50.0, 1.5), (400.0, 1.0), (400.0, 1.5), (1000.0, 1.0))


def _steel_show(name: str, temperature_c: float | None) -> dict[str, Any]:
    import numpy as np

    from repm import steels

    st = steels.steel(name)
    props = st.to_dict()
    b = np.array(_STEEL_B_POINTS_T)
    curve = [
        {"b_t": float(bi), "h_a_per_m": float(h), "mu_r": float(mu)}
        for bi, h, mu in zip(b, st.h_from_b(b), st.mu_r(b), strict=True)
    ]
    losses = []
    if st.loss_model is not None:
        f = np.array([p[0] for p in _STEEL_LOSS_POINTS])
        bp = np.array([p[1] for p in _STEEL_LOSS_POINTS])
        losses = [
            {"f_hz": float(fi), "b_peak_t": float(bi), "loss_w_per_kg": float(pi)}
            for fi, bi, pi in zip(f, bp, st.iron_loss_w_per_kg(f, bp), strict=True)
        ]
    out = {"kind": "steel", "steel": props, "bh_evaluated": curve, "iron_loss_evaluated": losses}
    if temperature_c is not None:
        # Say so rather than silently ignore it: the data are single-temperature tables.
        out["temperature_note"] = (
            f"temperature {temperature_c:g} °C not applied: the B-H and loss data of electrical "
            "steels are room-temperature tables and repm has no temperature model for them"
        )
    return out


def _steel_text(d: dict[str, Any]) -> str:
    st = d["steel"]
    rows = [[k, v] for k, v in st.items() if not isinstance(v, (list, dict)) and k != "name"]
    lines = [f"{st['name']} (electrical steel)", format_table(["property", "value"], rows), ""]
    if "temperature_note" in d:
        lines[1:1] = [f"note: {d['temperature_note']}"]
    curve = [[p["b_t"], p["h_a_per_m"], p["mu_r"]] for p in d["bh_evaluated"]]
    lines.append(format_table(["B (T)", "H (A/m)", "mu_r"], curve))
    model = st["loss_model"]
    if model is not None:
        lines.append("")
        lines.append(f"iron-loss model ({model['model']}): {model['coefficients']}")
        loss = [[p["f_hz"], p["b_peak_t"], p["loss_w_per_kg"]] for p in d["iron_loss_evaluated"]]
        lines.append(format_table(["f (Hz)", "B peak (T)", "loss (W/kg)"], loss))
    return "\n".join(lines)


def _conductor_list(family: str | None) -> list[str]:
    from repm import conductors

    return conductors.list_conductors()


def _conductor_show(name: str, temperature_c: float | None) -> dict[str, Any]:
    from repm import conductors

    c = conductors.conductor(name)
    t = 20.0 if temperature_c is None else temperature_c
    return {
        "kind": "conductor",
        "conductor": c.to_dict(),
        "at_temperature": {
            "temperature_c": t,
            "resistivity_ohm_m": float(c.resistivity_ohm_m(t)),
            "conductivity_s_per_m": float(c.conductivity_s_per_m(t)),
        },
    }


def _conductor_text(d: dict[str, Any]) -> str:
    c = d["conductor"]
    rows = [[k, v] for k, v in c.items() if k != "name"]
    t = d["at_temperature"]
    return "\n".join(
        [
            f"{c['name']} (conductor)",
            format_table(["property", "value"], rows),
            "",
            f"at {t['temperature_c']:g} °C",
            format_table(["quantity", "value"], [[k, v] for k, v in t.items()]),
        ]
    )


#: Material kinds known to the CLI, in lookup order.
KINDS: dict[str, MaterialKind] = {
    "magnet": MaterialKind(
        list_names=_magnet_list,
        show=_magnet_show,
        families=_magnet_families,
        show_text=lambda d: _show_text(d),
    ),
    "steel": MaterialKind(
        list_names=_steel_list, show=_steel_show, families=_no_families, show_text=_steel_text
    ),
    "conductor": MaterialKind(
        list_names=_conductor_list,
        show=_conductor_show,
        families=_no_families,
        show_text=_conductor_text,
    ),
}


def _cmd_list(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    if args.family is not None and not args.kind:
        known = sorted({f for spec in KINDS.values() for f in spec.families()})
        if args.family not in known:
            raise InputError(f"--family = {args.family!r} is invalid: allowed {', '.join(known)}")
    rows: list[dict[str, str]] = []
    for kind in kinds:
        spec = KINDS[kind]
        if args.family is not None and args.family not in spec.families():
            if args.kind:
                spec.list_names(args.family)  # raises InputError naming the allowed families
                raise InputError(f"--family = {args.family!r} is invalid: {kind} has no families")
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
    if args.temperature is not None and not math.isfinite(args.temperature):
        raise InputError(f"--temperature = {args.temperature} is invalid: a finite °C is required")
    errors: list[UnknownMaterialError] = []
    for kind in kinds:
        try:
            d = KINDS[kind].show(args.name, args.temperature)
        except UnknownMaterialError as err:
            errors.append(err)
            continue
        if args.json:
            print_json(d)
        else:
            print(KINDS[kind].show_text(d))
        return 0
    if len(errors) == 1:
        raise errors[0]
    raise UnknownMaterialError(
        f"name = {args.name!r} is not a known material; " + "; ".join(str(e) for e in errors)
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "materials", help="list and show materials: magnet grades, electrical steels, conductors"
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
