"""Machine-level field analysis timings: the 60-position cogging curve of the Prius 2004 sector
model (goal ≤ 1 s) and a full `repm.analysis.analyze` run (no load, cogging, loaded sweeps).

Run: ``python benches/bench_analysis.py`` (``--smoke``: the small servo example, few positions,
for CI). Prints milliseconds, node counts, Newton iterations and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import numpy as np

from repm.analysis import analyze, field_model
from repm.analysis.model import winding_lcm
from repm.fem import Solver
from repm.geometry import examples


def cogging_curve(model, n: int) -> tuple[float, np.ndarray, int]:
    """Solves ``n`` no-load positions over one cogging period; returns (seconds, torque N·m,
    Newton iterations)."""
    solver = Solver(model.problem)
    theta = 2 * math.pi / winding_lcm(model.machine) * np.arange(n) / n
    t0 = time.perf_counter()
    sols = solver.solve_batch(theta, np.zeros((n, model.problem.n_groups)))
    seconds = time.perf_counter() - t0
    k = model.symmetry_factor * model.stack_length_m
    torque = np.array([s.torque_arkkio_nm_per_m for s in sols]) * k
    return seconds, torque, sum(s.newton_iterations for s in sols)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny case for CI")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.smoke:
        machine, positions, repeat = examples.spm_servo_12s10p(), 8, 1
    else:
        machine, positions, repeat = examples.prius2004(), 60, args.repeat
    t0 = time.perf_counter()
    model = field_model(machine)
    t_model = time.perf_counter() - t0
    print(f"{machine.name}: sector model {len(model.mesh.nodes)} nodes, built in {t_model:.2f} s")
    best = math.inf
    for _ in range(repeat):
        sec, torque, iters = cogging_curve(model, positions)
        best = min(best, sec)
    print(
        f"cogging curve, {positions} positions: {1e3 * best:.0f} ms (goal <= 1000 ms), "
        f"{iters} Newton iterations, peak-to-peak {torque.max() - torque.min():.3f} N·m"
    )
    t0 = time.perf_counter()
    a = analyze(model, positions=positions // 2 if not args.smoke else 8, iq_a=100.0)
    print(
        f"analyze (3 sweeps of {a.solver['solves'] // 3} positions): "
        f"{time.perf_counter() - t0:.2f} s, torque {a.torque_avg_nm:.1f} N·m at iq = 100 A"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {rss:.0f} MB")


if __name__ == "__main__":
    main()
