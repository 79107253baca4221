"""Monte Carlo over uncertain inputs, serial or on any :class:`concurrent.futures.Executor`.

Distributions (see ``repm-fleet``'s ``mc`` module): per motor and sample the load factor and
hours (bounded triangular, relative sd from :class:`MonteCarlo`) and the rated losses of both
motors (uniform within the IEC 60034-1 tolerance); per sample, for the whole fleet, the
electricity price, the emission factor and the magnet-mass model.

**Determinism.** A motor's random numbers are a hash of (seed, hash of its motor id, sample,
stream), so they do not depend on its row, on the chunk it lands in or on the thread that runs
it; fleet totals are summed as exact integers (fixed point, 1/1024 of the unit) and so do not
depend on the summation order. Hence the serial run, any ``chunk_size`` and any executor give
bit-identical results, and shuffling the rows permutes the per-motor results only.

**Scale.** The Rust kernel streams over samples (memory O(motors + samples)); each chunk is one
Rust call with the GIL released. For a cluster pass e.g. Dask's
``distributed.Client(...).get_executor()``; the chunk function and its arguments (numpy arrays
and frozen dataclasses) are picklable.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from repm import _core
from repm.errors import InputError
from repm.fleet.economics import FleetResult, Prepared
from repm.fleet.scenario import MonteCarlo, Scenario

TOTALS = (
    "energy_savings_kwh_per_year",
    "annual_value",
    "npv",
    "co2_savings_t_per_year",
    "magnet_kg",
    "simple_payback_years",
)


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo results.

    ``totals``: per-sample program totals over the included motors (name → array of length
    ``samples``; names in :data:`TOTALS`; energy kWh/year, money USD, CO2 t/year, magnet kg,
    payback years); ``percentiles``: name → {"p10", "p50", "p90"} of those totals (linear
    interpolation); ``motors``: per-motor statistics (npv_mean, npv_sd, prob_npv_positive,
    savings_mean_kwh and, with ``motor_quantiles``, npv_p10, npv_p50, npv_p90), inventory order.
    """

    settings: MonteCarlo
    included: int
    totals: dict[str, npt.NDArray[np.float64]]
    percentiles: dict[str, dict[str, float]]
    motors: dict[str, npt.NDArray[np.float64]]


def run_chunk(
    columns: dict[str, npt.NDArray[Any]],
    include: npt.NDArray[np.bool_],
    scenario: Scenario,
    settings: MonteCarlo,
) -> dict[str, Any]:
    """One Rust Monte Carlo call on a chunk (module-level and picklable: the unit of work sent
    to executors)."""
    return dict(
        _core.fleet_monte_carlo(
            columns,
            np.ascontiguousarray(include, dtype=bool),
            scenario.discount_rate,
            scenario.escalation,
            scenario.horizon_years,
            settings.seed,
            settings.samples,
            settings.load_rel_sd,
            settings.hours_rel_sd,
            settings.price_rel_sd,
            settings.emission_rel_sd,
            scenario.magnet.rel_sd,
            settings.efficiency_tolerance,
            settings.motor_quantiles,
        )
    )


def _progress_printer(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        width = 30
        k = int(width * done / max(total, 1))
        sys.stderr.write(f"\rMonte Carlo [{'#' * k}{'.' * (width - k)}] {done}/{total} chunks")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def monte_carlo(
    result: FleetResult,
    settings: MonteCarlo | None = None,
    *,
    include: npt.ArrayLike | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: bool | Callable[[int], None] = False,
) -> MonteCarloResult:
    """Monte Carlo of the fleet in ``result`` (see the module docstring).

    ``include``: bool per motor, the motors whose totals are summed (e.g.
    ``program.selected``; default all). ``executor``: any ``concurrent.futures.Executor``
    (default: run in this process, Rust threads). ``chunk_size``: motors per chunk (default: one
    chunk serially, 50,000 with an executor). ``progress``: True for a bar on stderr, or a
    callable receiving the number of finished chunks. Results do not depend on ``executor`` or
    ``chunk_size``.
    """
    settings = settings or MonteCarlo()
    prep: Prepared = result.prepared
    n = len(result)
    inc = np.ones(n, dtype=bool) if include is None else np.asarray(include, dtype=bool)
    if inc.shape != (n,):
        raise InputError(f"include has shape {inc.shape}: one bool per motor ({n}) is required")
    if chunk_size is None:
        chunk_size = 50_000 if executor is not None else n
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError(f"chunk_size = {chunk_size!r} is invalid: a positive integer")
    starts = list(range(0, n, chunk_size))
    chunks = [np.arange(s, min(s + chunk_size, n)) for s in starts]
    report: Callable[[int], None] | None
    if progress is True:
        report = _progress_printer(len(chunks))
    elif callable(progress):
        report = progress
    else:
        report = None

    def args(ix: npt.NDArray[np.int64]) -> tuple[Any, ...]:
        cols = prep.columns if len(chunks) == 1 else prep.take(ix).columns
        return (cols, inc[ix], result.scenario, settings)

    parts: list[dict[str, Any]] = []
    if executor is None:
        for k, ix in enumerate(chunks):
            parts.append(run_chunk(*args(ix)))
            if report:
                report(k + 1)
    else:
        futures = [executor.submit(run_chunk, *args(ix)) for ix in chunks]
        done = 0
        for fut in futures:
            parts.append(fut.result())
            done += 1
            if report:
                report(done)
    return _combine(parts, result, inc, settings)


def _percentiles(v: npt.NDArray[np.float64]) -> dict[str, float]:
    """P10/P50/P90 with linear interpolation (numpy's default), +inf-safe (payback)."""
    x = np.sort(v)
    out = {}
    for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        pos = q * (len(x) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(x) - 1)
        w = pos - lo
        out[name] = float(x[lo]) if w == 0 or x[lo] == x[hi] else float(x[lo] + w * (x[hi] - x[lo]))
    return out


def _combine(
    parts: list[dict[str, Any]],
    result: FleetResult,
    inc: npt.NDArray[np.bool_],
    settings: MonteCarlo,
) -> MonteCarloResult:
    s = settings.samples
    scale = float(parts[0]["fixed_scale"])
    sums = {}
    for name in ("total_savings_kwh", "total_value", "total_npv", "total_co2_kg"):
        acc = [0] * s
        for p in parts:
            acc = [a + b for a, b in zip(acc, p[name], strict=True)]
        sums[name] = np.array([float(v) for v in acc]) / scale
    # math.fsum is correctly rounded, hence independent of the row order.
    capex = math.fsum(result.motors["capex"][inc].tolist())
    mass = math.fsum(result.motors["magnet_kg"][inc].tolist())
    value = sums["total_value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = np.where(value > 0, capex / np.where(value > 0, value, 1.0), math.inf)
    totals = {
        "energy_savings_kwh_per_year": sums["total_savings_kwh"],
        "annual_value": value,
        "npv": sums["total_npv"],
        "co2_savings_t_per_year": sums["total_co2_kg"] / 1000.0,
        "magnet_kg": mass * np.asarray(parts[0]["magnet_factor"]),
        "simple_payback_years": payback,
    }
    pct = {k: _percentiles(v) for k, v in totals.items()}
    names = ["npv_mean", "npv_sd", "prob_npv_positive", "savings_mean_kwh"]
    if settings.motor_quantiles:
        names += ["npv_p10", "npv_p50", "npv_p90"]
    motors = {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in names}
    return MonteCarloResult(settings, int(inc.sum()), totals, pct, motors)
