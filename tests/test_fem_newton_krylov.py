"""The inexact Newton (Newton–Krylov) path of repm.fem: stale-factor preconditioned CG against
pure Newton, factor reuse by warm solves and by batches with a FactorCache, determinism across
thread counts, and the new arguments' errors."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from test_fem_solver import _magnet, _steel_ring, magnet_band_mesh  # noqa: F401

from repm import fem
from repm.errors import InputError

J = 2e8  # A/m², saturates the steel ring (B well above the knee)


def _close(a: np.ndarray, b: np.ndarray, rel: float) -> None:
    assert np.max(np.abs(a - b)) <= rel * np.max(np.abs(b))


def test_warm_solve_reuses_the_factor_and_matches_pure_newton() -> None:
    p, _ = _steel_ring()
    nk = fem.Solver(p)
    assert nk.newton_krylov
    cold = nk.solve(0.0, [J])
    assert cold.factorizations >= 1
    warm = nk.solve(0.0, [1.05 * J], a0=cold.a)
    assert warm.factorizations == 0
    assert warm.linear_iterations >= 1
    assert warm.residuals[-1] < 1e-8
    assert len(warm.residuals) == warm.newton_iterations + 1
    exact = fem.Solver(p, newton_krylov=False).solve(0.0, [1.05 * J])
    assert exact.linear_iterations == 0
    assert exact.factorizations == exact.newton_iterations
    _close(warm.a, exact.a, 1e-7)
    assert warm.coenergy_j_per_m == pytest.approx(exact.coenergy_j_per_m, rel=1e-8)
    # cold solves never read the cache: bit-for-bit repeatable
    np.testing.assert_array_equal(nk.solve(0.0, [J]).a, cold.a)


def test_linear_problem_warm_solve(magnet_band_mesh) -> None:  # noqa: F811
    solver = fem.Solver(_magnet(magnet_band_mesh))
    s1 = solver.solve(0.1)
    s2 = solver.solve(0.1, a0=0.5 * s1.a)
    assert s2.factorizations == 0
    assert s2.residuals[-1] < 1e-8
    _close(s2.a, s1.a, 1e-7)


def test_batch_with_a0_and_factor_cache(magnet_band_mesh) -> None:  # noqa: F811
    p = _magnet(magnet_band_mesh)
    solver = fem.Solver(p)
    theta = np.linspace(0.0, 0.4, 5)
    cache = fem.FactorCache()
    first = solver.solve_batch(theta, factors=cache)
    assert len(cache) == len(theta)
    a0 = np.stack([s.a for s in first])
    again = solver.solve_batch(theta, a0=0.9 * a0, factors=cache)
    for s, f in zip(again, first, strict=True):
        assert s.factorizations == 0
        _close(s.a, f.a, 1e-7)
    # same inputs and cache content: same bits
    cache2 = fem.FactorCache()
    solver.solve_batch(theta, factors=cache2)
    again2 = solver.solve_batch(theta, a0=0.9 * a0, factors=cache2)
    for x, y in zip(again, again2, strict=True):
        np.testing.assert_array_equal(x.a, y.a)
    cache.clear()
    assert len(cache) == 0
    assert len(pickle.loads(pickle.dumps(cache2))) == 0
    clone = pickle.loads(pickle.dumps(fem.Solver(p, newton_krylov=False)))
    assert not clone.newton_krylov


_SCRIPT = """
import numpy as np
from repm import fem
import test_fem_solver as t
p, _ = t._steel_ring()
solver = fem.Solver(p)
cache = fem.FactorCache()
th = np.zeros(5)
j = np.linspace(1e8, 2e8, 5)[:, None]
first = solver.solve_batch(th, j, factors=cache)
a0 = np.stack([s.a for s in first])
again = solver.solve_batch(th, 1.03 * j, a0=a0, factors=cache)
np.save({out!r}, np.stack([s.a for s in first + again]))
"""


def test_batch_is_bit_identical_for_any_thread_count(tmp_path) -> None:
    here = os.path.dirname(__file__)
    outs = []
    for threads in ("1", "2"):
        out = str(tmp_path / f"a{threads}.npy")
        env = {**os.environ, "RAYON_NUM_THREADS": threads, "PYTHONPATH": here}
        subprocess.run([sys.executable, "-c", _SCRIPT.format(out=out)], check=True, env=env)
        outs.append(np.load(out))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_new_argument_errors(magnet_band_mesh) -> None:  # noqa: F811
    solver = fem.Solver(_magnet(magnet_band_mesh))
    with pytest.raises(InputError, match="newton_krylov"):
        fem.Solver(solver.problem, newton_krylov="yes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="a0"):
        solver.solve_batch([0.0, 0.1], a0=np.zeros((2, 3)))
    with pytest.raises(InputError, match="a0"):
        solver.solve_batch([0.0], a0=np.full((1, len(solver.problem.nodes)), np.nan))
    with pytest.raises(InputError, match="factors"):
        solver.solve_batch([0.0], factors={})  # type: ignore[arg-type]
