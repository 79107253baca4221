"""`repm mesh MACHINE.toml`: builds the cross-section of a machine description and meshes it."""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from repm.cli._output import format_table, print_json


def mesh_summary(machine_path: str, sector: bool, scale: float) -> tuple[dict[str, Any], Any]:
    """Meshes a machine file; returns (JSON-ready summary, Mesh)."""
    from repm import geometry
    from repm.mesh import triangulate

    machine = geometry.load_machine(machine_path)
    t0 = time.perf_counter()
    pslg = geometry.build_pslg(machine, sector=sector, mesh_size=geometry.MeshSize(scale=scale))
    t1 = time.perf_counter()
    mesh = triangulate(pslg)
    t2 = time.perf_counter()
    q = mesh.quality
    by_kind: dict[str, float] = defaultdict(float)
    for region, area in zip(mesh.regions, mesh.region_areas().values(), strict=True):
        by_kind[region.kind] += area
    summary = {
        "machine": machine.name,
        "sector": not mesh.is_full_machine,
        "sector_angle_deg": math.degrees(float(mesh.sector_angle_rad)),
        "antiperiodic": bool(mesh.antiperiodic),
        "nodes": len(mesh.nodes),
        "elements": int(len(mesh.triangles) + len(mesh.band_triangles(0).triangles)),
        "min_angle_deg": q.min_angle_deg,
        "elements_below_min_angle": q.n_below_limit,
        "elements_below_min_angle_forced_by_geometry": q.n_below_limit_forced,
        "periodic_pairs": len(mesh.periodic_pairs),
        "band_nodes_per_circle": len(mesh.band_rotor_nodes),
        "regions": mesh.region_areas(),
        "area_by_kind_m2": dict(by_kind),
        "seconds_geometry": t1 - t0,
        "seconds_mesh": t2 - t1,
    }
    return summary, mesh


def _run(args: argparse.Namespace) -> int:
    summary, mesh = mesh_summary(args.machine, sector=not args.full, scale=args.scale)
    if args.out:
        mesh.write(args.out)
        summary["written"] = str(args.out)
    if args.plot:
        mesh.plot(path=args.plot)
        summary["plot"] = str(args.plot)
    if args.json:
        print_json(summary)
        return 0
    kind = (
        "full machine"
        if not summary["sector"]
        else (
            f"{summary['sector_angle_deg']:g}° sector, "
            f"{'anti-periodic' if summary['antiperiodic'] else 'periodic'}"
        )
    )
    print(f"{summary['machine']}: {kind}")
    print(
        f"{summary['nodes']} nodes, {summary['elements']} elements, min angle "
        f"{summary['min_angle_deg']:.1f}° ({summary['elements_below_min_angle']} below 25°, "
        f"{summary['elements_below_min_angle_forced_by_geometry']} of them forced by the geometry)"
    )
    print(
        f"geometry {1e3 * summary['seconds_geometry']:.1f} ms, "
        f"mesh {1e3 * summary['seconds_mesh']:.1f} ms"
    )
    print(format_table(["region kind", "area (m²)"], sorted(summary["area_by_kind_m2"].items())))
    for key in ("written", "plot"):
        if key in summary:
            print(f"wrote {summary[key]}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mesh", help="mesh a machine description (TOML): smallest sector or full machine"
    )
    parser.add_argument("machine", metavar="MACHINE.toml", help="machine description")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--sector", action="store_true", help="smallest (anti-)periodic sector (default)"
    )
    which.add_argument("--full", action="store_true", help="the whole cross-section")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="mesh size factor (<1 finer, >1 coarser)"
    )
    parser.add_argument("--out", type=Path, help="write the mesh (.vtu, .msh, ... via meshio)")
    parser.add_argument("--plot", type=Path, help="write a PNG plot of the mesh by region")
    parser.add_argument("--json", action="store_true", help="JSON output")
    parser.set_defaults(handler=_run)
