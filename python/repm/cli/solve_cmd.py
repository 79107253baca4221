"""`repm solve MESH.msh --regions REGIONS.toml`: one magnetostatic solve of a Gmsh mesh."""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from typing import Any

from repm.cli._output import format_table, print_json
from repm.errors import InputError


def parse_currents(items: list[str] | None) -> dict[str, float]:
    """``["A=10", "B=-5"]`` → ``{"A": 10.0, "B": -5.0}`` (InputError on bad items)."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"--current {item!r} is invalid: NAME=AMPERES is required")
        try:
            amps = float(value)
        except ValueError as err:
            raise InputError(
                f"--current {item!r} is invalid: {value!r} is not a number of amperes"
            ) from err
        if not math.isfinite(amps):
            raise InputError(f"--current {item!r} is invalid: a finite current is required")
        out[name] = amps
    return out


def solve_summary(
    mesh_path: str | Path,
    regions_path: str | Path,
    currents: dict[str, float] | None = None,
    peer: str | None = None,
) -> dict[str, Any]:
    """Loads, solves and reports (JSON-ready); with ``peer="getdp"`` also GetDP's figures."""
    from repm import gmsh_import

    model = gmsh_import.load(mesh_path, regions_path)
    j = model.current_density(currents)
    from repm.fem import Solver

    t0 = time.perf_counter()
    solver = Solver(model.problem())
    sol = solver.solve(group_current_density=j)
    seconds = time.perf_counter() - t0
    b = sol.b[: len(model.triangles)]
    torque = model.torque_arkkio_nm_per_m(b) if len(model.airgap_triangles) else None
    out: dict[str, Any] = {
        "mesh": str(mesh_path),
        "nodes": len(model.nodes),
        "triangles": len(model.triangles),
        "currents_a": dict(
            zip(
                [c.name for c in model.coil_groups],
                model.currents_a(currents).tolist(),
                strict=True,
            )
        ),
        "energy_j_per_m": float(sol.energy_j_per_m),
        "coenergy_j_per_m": float(sol.coenergy_j_per_m),
        "flux_linkage_wb_per_m": model.flux_linkage_wb_per_m(sol.a),
        "flux_linkage_by_phase_wb_per_m": model.flux_linkage_by_phase_wb_per_m(sol.a),
        "torque_arkkio_nm_per_m": torque,
        "newton_iterations": int(sol.newton_iterations),
        "seconds": seconds,
    }
    if model.stack_length_m is not None:
        length = model.stack_length_m
        out["stack_length_m"] = length
        out["torque_arkkio_nm"] = None if torque is None else torque * length
        out["flux_linkage_by_phase_wb"] = {
            k: v * length for k, v in out["flux_linkage_by_phase_wb_per_m"].items()
        }
    if peer == "getdp":
        from repm._peers.getdp import solve_getdp

        g = solve_getdp(model, j)
        bg = gmsh_import.element_b(model.nodes, model.triangles, g.a)
        out["getdp"] = {
            "energy_j_per_m": g.energy_j_per_m,
            "flux_linkage_wb_per_m": model.flux_linkage_wb_per_m(g.a),
            "torque_arkkio_nm_per_m": (
                model.torque_arkkio_nm_per_m(bg) if len(model.airgap_triangles) else None
            ),
            "newton_iterations": g.newton_iterations,
            "seconds": g.seconds,
        }
    return out


def _run(args: argparse.Namespace) -> int:
    summary = solve_summary(
        args.mesh, args.regions, parse_currents(args.current), "getdp" if args.getdp else None
    )
    if args.json:
        print_json(summary)
        return 0
    print(
        f"{summary['mesh']}: {summary['nodes']} nodes, {summary['triangles']} triangles, "
        f"{summary['newton_iterations']} Newton iterations, {1e3 * summary['seconds']:.1f} ms"
    )
    print(f"energy {summary['energy_j_per_m']:.6g} J/m")
    torque = summary["torque_arkkio_nm_per_m"]
    if torque is not None:
        print(f"Arkkio torque {torque:.6g} N·m/m")
    rows = [(k, v) for k, v in summary["flux_linkage_wb_per_m"].items()]
    print(format_table(["coil group", "flux linkage (Wb/m)"], rows))
    if "getdp" in summary:
        g = summary["getdp"]
        gt = g["torque_arkkio_nm_per_m"]
        print(
            f"GetDP: energy {g['energy_j_per_m']:.6g} J/m"
            + ("" if gt is None else f", Arkkio torque {gt:.6g} N·m/m")
            + f", {g['newton_iterations']} Newton iterations, {g['seconds']:.2f} s"
        )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "solve",
        help="solve a Gmsh .msh mesh with a region map (TOML): energy, flux linkage, torque",
    )
    parser.add_argument("mesh", metavar="MESH.msh", help="Gmsh 2.2 or 4.1 mesh")
    parser.add_argument(
        "--regions", required=True, metavar="REGIONS.toml", help="region map (see repm.gmsh_import)"
    )
    parser.add_argument(
        "--current",
        action="append",
        metavar="NAME=A",
        help="current in A of a phase or coil group (repeatable; overrides current_a)",
    )
    parser.add_argument(
        "--getdp", action="store_true", help="also solve with GetDP (needs getdp on PATH)"
    )
    parser.add_argument("--json", action="store_true", help="JSON output")
    parser.set_defaults(handler=_run)
