"""Benchmark: one nonlinear magnetostatic solve, repm.fem against GetDP on the same mesh.

The full Toyota Prius 2004 cross-section (``repm.geometry.examples.prius2004``, about 30k nodes,
M400-50A steel B-H, N38SH magnets at 20 °C, phase currents i_A = 200 A, i_B = i_C = −100 A with
72 turns per coil group) is written as Gmsh 2.2 with :func:`repm.gmsh_import.write_msh`, loaded
back and solved by

* repm, cold: a new ``repm.fem.Solver`` (pattern, symbolic factorisation) and a solve from A = 0;
* repm, warm: the same solver, currents changed by 5 %, started from the previous A;
* GetDP 3.2 (the peer, :mod:`repm._peers.getdp`): the whole ``getdp`` run on the same mesh
  (its wall time includes reading the mesh and .pro, PETSc/MUMPS LU, Newton with ``JacNL``).

The same for the Prius 45° anti-periodic sector (about 3.8k nodes; :func:`repm.gmsh_import.
from_mesh`; GetDP with ``Link`` constraints, rotor at angle 0). Both converge to the same fields
(energies are printed). Times are wall-clock medians; the machine is shared, so ratios are what
to read. ``--smoke`` runs the small SPM example mesh once.

Run: python benches/bench_fem_getdp.py [--smoke] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from repm import geometry
from repm import gmsh_import as gi
from repm._peers import getdp as peer
from repm.mesh import triangulate

ROOT = Path(__file__).resolve().parents[1]


PRIUS_CURRENTS = {"A": 200.0, "B": -100.0, "C": -100.0}


def prius_model(tmp: Path) -> tuple[gi.ImportedModel, dict[str, float]]:
    mesh = triangulate(geometry.build_pslg(geometry.examples.prius2004(), sector=False))
    rmap = gi.write_msh(tmp / "prius.msh", mesh, turns=9)
    return gi.load(tmp / "prius.msh", rmap), PRIUS_CURRENTS


def prius_sector_model() -> tuple[gi.ImportedModel, dict[str, float]]:
    mesh = triangulate(geometry.build_pslg(geometry.examples.prius2004(), sector=True))
    return gi.from_mesh(mesh, turns=9), PRIUS_CURRENTS


def spm_model() -> tuple[gi.ImportedModel, dict[str, float]]:
    gdir = ROOT / "examples" / "gmsh"
    return gi.load(gdir / "spm_servo_12s10p.msh", gdir / "regions.toml"), {}


def time_repm(model: gi.ImportedModel, j: np.ndarray, repeat: int) -> dict[str, float]:
    from repm.fem import Solver

    cold, warm = [], []
    solver = None
    for _ in range(repeat):
        # Free the previous repeat's solver (patterns, cached factors) outside the timing.
        del solver
        t0 = time.perf_counter()
        solver = Solver(model.problem())
        sol = solver.solve(group_current_density=j)
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sol_w = solver.solve(group_current_density=1.05 * j, a0=sol.a)
        warm.append(time.perf_counter() - t0)
    return {
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "cold_iterations": sol.newton_iterations,
        "warm_iterations": sol_w.newton_iterations,
        "energy_j_per_m": sol.energy_j_per_m,
    }


def compare(name: str, model: gi.ImportedModel, currents: dict[str, float], repeat: int) -> None:
    j = model.current_density(currents)
    print(f"{name}: {len(model.nodes)} nodes, {len(model.triangles)} triangles, nonlinear")
    r = time_repm(model, j, repeat)
    print(f"  repm cold: {r['cold_s'] * 1e3:8.1f} ms, {r['cold_iterations']} Newton iterations")
    print(f"  repm warm: {r['warm_s'] * 1e3:8.1f} ms, {r['warm_iterations']} Newton iterations")
    if not peer.getdp_available():
        print("  getdp not on PATH: peer missing, repm times only")
        return
    g = peer.solve_getdp(model, j)
    print(
        f"  GetDP:     {g.seconds * 1e3:8.1f} ms wall ({g.cpu_seconds * 1e3:.0f} ms CPU), "
        f"{g.newton_iterations} Newton iterations ({peer.getdp_version()})"
    )
    de = r["energy_j_per_m"] / g.energy_j_per_m - 1
    print(
        f"  energy repm {r['energy_j_per_m']:.6g} J/m, GetDP {g.energy_j_per_m:.6g} J/m "
        f"({100 * de:+.3f} %)"
    )
    print(
        f"  ratio GetDP / repm: cold {g.seconds / r['cold_s']:.1f}x, "
        f"warm {g.seconds / r['warm_s']:.1f}x (GetDP CPU / repm cold: "
        f"{g.cpu_seconds / r['cold_s']:.1f}x)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small SPM example mesh, once (CI)")
    ap.add_argument("--repeat", type=int, default=3, help="repm repetitions (median)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.smoke:
            cases = [("SPM 12s10p example (examples/gmsh)", spm_model(), 1)]
        else:
            rep = max(1, args.repeat)
            cases = [
                ("Prius 2004 full cross-section", prius_model(Path(tmp)), rep),
                ("Prius 2004 45° anti-periodic sector", prius_sector_model(), rep),
            ]
        for name, (model, currents), repeat in cases:
            compare(name, model, currents, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
