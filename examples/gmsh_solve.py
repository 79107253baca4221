"""Solve a mesh made elsewhere: a Gmsh .msh with physical groups plus a region map (TOML).

Loads ``examples/gmsh/spm_servo_12s10p.msh`` with ``examples/gmsh/regions.toml`` (what each
physical group is: steel grade, magnet grade and magnetisation, coil phase/sign/turns/current),
solves the nonlinear magnetostatic problem with repm.fem and prints the stored energy, the flux
linkage per phase and the Arkkio torque, per metre of stack and for the 50 mm stack. The same
through the CLI: ``repm solve examples/gmsh/spm_servo_12s10p.msh --regions
examples/gmsh/regions.toml --json``.
"""

from __future__ import annotations

from pathlib import Path

from repm import gmsh_import
from repm.fem import Solver

HERE = Path(__file__).resolve().parent / "gmsh"


def main() -> None:
    model = gmsh_import.load(HERE / "spm_servo_12s10p.msh", HERE / "regions.toml")
    sol = Solver(model.problem()).solve(group_current_density=model.current_density())
    length = model.stack_length_m or 1.0
    torque = model.torque_arkkio_nm_per_m(sol.b)
    print(f"{len(model.nodes)} nodes, {len(model.triangles)} triangles, "
          f"{sol.newton_iterations} Newton iterations, {1e3 * sol.seconds:.1f} ms")  # fmt: skip
    print(f"stored energy {sol.energy_j_per_m:.4g} J/m")
    for phase, psi in model.flux_linkage_by_phase_wb_per_m(sol.a).items():
        print(f"flux linkage {phase}: {psi * length * 1e3:8.3f} mWb")
    print(f"Arkkio torque {torque * length:.3f} N·m ({torque:.2f} N·m/m)")


if __name__ == "__main__":
    main()
