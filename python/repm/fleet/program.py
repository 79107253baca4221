"""Program level: ranking, budget-constrained selection, totals by site and sector, rare-earth
demand of the selected program (and of a high-cerium alternative)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from repm import _core
from repm.errors import InputError
from repm.fleet.economics import FleetResult, grade_mass_factor, rare_earth_demand
from repm.fleet.scenario import default

OBJECTIVES = ("npv", "co2")


@dataclass(frozen=True)
class Program:
    """A selected replacement program.

    ``selected``: bool per motor (inventory order); ``rank``: 1-based rank in benefit/cost order
    among motors with a positive objective (0: not worth replacing); ``objective``: ``npv``
    (maximise NPV) or ``co2`` (maximise CO2 abatement, t/year); ``budget`` in USD (inf: none);
    ``objective_total`` and its LP upper bound ``upper_bound`` (the selection is within
    ``objective_total/upper_bound`` of the optimum); ``totals`` of the selected motors;
    ``by_site`` / ``by_sector`` totals; ``rare_earth`` and ``rare_earth_high_ce`` demand;
    ``selected_ids``: motor ids of the selection, best benefit/cost ratio first.
    """

    objective: str
    budget: float
    selected: npt.NDArray[np.bool_]
    rank: npt.NDArray[np.int64]
    objective_total: float
    upper_bound: float
    totals: dict[str, float]
    by_site: dict[str, dict[str, float]]
    by_sector: dict[str, dict[str, float]]
    rare_earth: dict[str, Any]
    rare_earth_high_ce: dict[str, Any]
    selected_ids: tuple[str, ...]


def _sum(values: npt.NDArray[np.float64]) -> float:
    """Correctly rounded sum (math.fsum): independent of the row order."""
    return math.fsum(values.tolist())


def _totals(r: FleetResult, mask: npt.NDArray[np.bool_]) -> dict[str, float]:
    m = r.motors
    value = _sum(m["annual_value"][mask])
    capex = _sum(m["capex"][mask])
    return {
        "motors": int(mask.sum()),
        "rated_kw": _sum(m["rated_kw"][mask]),
        "capex": capex,
        "energy_savings_kwh_per_year": _sum(m["savings_kwh"][mask]),
        "energy_savings_untrimmed_kwh_per_year": _sum(m["savings_untrimmed_kwh"][mask]),
        "energy_savings_trimmed_kwh_per_year": _sum(m["savings_trimmed_kwh"][mask]),
        "annual_value": value,
        "npv": _sum(m["npv"][mask]),
        "co2_savings_t_per_year": _sum(m["co2_t_per_year"][mask]),
        "simple_payback_years": capex / value if value > 0 else math.inf,
        "magnet_kg": _sum(m["magnet_kg"][mask]),
    }


def _group(r: FleetResult, col: str, mask: npt.NDArray[np.bool_]) -> dict[str, dict[str, float]]:
    labels = r.motors[col]
    out = {}
    for lab in sorted(set(labels[mask].tolist())):
        out[lab or "(blank)"] = _totals(r, mask & (labels == lab))
    return out


def select(
    result: FleetResult,
    budget: float | None = None,
    objective: str = "npv",
    high_ce_grade: str | None = None,
) -> Program:
    """Selects the motors to replace under a capex ``budget`` (USD; None: no limit, every
    motor with a positive objective) maximising ``objective`` (``"npv"`` or ``"co2"``).

    Greedy by objective/capex ratio with a best-single-item check (deterministic, ties broken by
    motor-id hash); the LP bound certifies the gap to the optimum (see ``repm-fleet``'s
    ``select`` module). Rare-earth demand is for the scenario's grade and for ``high_ce_grade``
    (default from ``defaults.csv``) at equal flux.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"objective = {objective!r} is invalid: one of {OBJECTIVES}")
    b = math.inf if budget is None else budget
    if isinstance(b, bool) or not isinstance(b, (int, float)) or math.isnan(b) or b < 0:
        raise InputError(f"budget = {budget!r} is invalid: a capex budget ≥ 0 USD, or None")
    m = result.motors
    obj = m["npv"] if objective == "npv" else m["co2_t_per_year"]
    sel, rank, total, _capex, bound = _core.fleet_select(
        np.ascontiguousarray(obj, dtype=np.float64),
        np.ascontiguousarray(m["capex"], dtype=np.float64),
        result.prepared.columns["key"],
        float(b),
    )
    sel = np.asarray(sel, dtype=bool)
    scen = result.scenario
    mass = _sum(m["magnet_kg"][sel])
    ce = high_ce_grade or default("high_ce_grade")
    ce_mass = mass * grade_mass_factor(ce, scen.magnet_grade)
    idx = np.flatnonzero(sel)
    rank = np.asarray(rank, dtype=np.int64)
    ids = tuple(str(s) for s in m["motor_id"][idx[np.argsort(rank[idx], kind="stable")]])
    return Program(
        objective=objective,
        budget=float(b),
        selected=sel,
        rank=rank,
        objective_total=float(total),
        upper_bound=float(bound),
        totals=_totals(result, sel),
        by_site=_group(result, "site", sel),
        by_sector=_group(result, "sector", sel),
        rare_earth=rare_earth_demand(mass, scen.magnet_grade),
        rare_earth_high_ce=rare_earth_demand(ce_mass, ce),
        selected_ids=ids,
    )
