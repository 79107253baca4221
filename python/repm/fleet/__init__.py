"""Fleet retrofit economics and rare-earth demand: which induction motors to replace by REPM
motors first, what it saves and costs, and how much Nd, Pr, Dy, Tb and Ce the program needs.

Workflow::

    from repm import fleet
    inv = fleet.load_inventory("plant.csv")            # or Parquet, a DataFrame, an Arrow table
    res = fleet.evaluate(inv, fleet.Scenario(target_class="IE4", trim="mechanical"))
    prog = fleet.select(res, budget=2e6, objective="npv")
    mc = fleet.monte_carlo(res, fleet.MonteCarlo(samples=100, seed=1), include=prog.selected)

**Model** (per motor; formulas run in the Rust crate ``repm-fleet``). Load fraction x, rated
output P_N (kW), rated loss ratio λ = 1/η_N − 1, constant-loss share c0:

* input power ``P_in(x) = P_N·(x + λ·(c0 + (1 − c0)·x²))`` (the loss-split model of
  :mod:`repm.standards.part_load`): the induction motor with its nameplate or class-minimum η_N
  and MEASUR-fitted c0; the PM replacement with the IE4/IE5 class minimum and the PM c0;
* speed effect: the induction motor runs at n_s·(1 − s_N·x), the PM motor at n_s. On a DOL drive
  the load's shaft power grows by (n_s/n_IM)^k (k = 3 cubic, 2 quadratic, 1 constant torque):
  reported untrimmed (``savings_untrimmed_kwh``, ``shaft_power_increase_pct``) and trimmed back
  to the original duty (``savings_trimmed_kwh``; mechanical trim, or a new VSD whose efficiency
  is charged); motors already on a VSD keep their speed;
* annual energy = Σ_bins hours·P_in; savings value V = ΔE·price; CO2 = ΔE·emission factor;
* capex from :class:`CostModel` (or the inventory's ``replacement_cost``); NPV = −C +
  V·Σ_{t=1..N}(1 + g)^(t−1)/(1 + r)^t; IRR solves NPV = 0 (NaN where undefined); payback = C/V;
* magnet mass = g/N·m × rated torque × grade factor (:class:`MagnetModel`), element masses from
  the grade's composition in :mod:`repm.magnets`.

Every default is documented with its provenance in ``repm/data/fleet/defaults.csv``
(:func:`defaults_table`); most are MODEL ASSUMPTIONS to be replaced by local data.
"""

from __future__ import annotations

from repm.fleet.economics import (
    FleetResult,
    Prepared,
    evaluate,
    grade_mass_factor,
    motor_keys,
    prepare,
    rare_earth_demand,
)
from repm.fleet.io import load_inventory, read_inventory
from repm.fleet.montecarlo import MonteCarloResult, monte_carlo, run_chunk
from repm.fleet.program import Program, select
from repm.fleet.scenario import CostModel, MagnetModel, MonteCarlo, Scenario, defaults_table
from repm.fleet.schema import Inventory, Issue, validate

__all__ = [
    "CostModel",
    "FleetResult",
    "Inventory",
    "Issue",
    "MagnetModel",
    "MonteCarlo",
    "MonteCarloResult",
    "Prepared",
    "Program",
    "Scenario",
    "defaults_table",
    "evaluate",
    "grade_mass_factor",
    "load_inventory",
    "monte_carlo",
    "motor_keys",
    "prepare",
    "rare_earth_demand",
    "read_inventory",
    "run_chunk",
    "select",
    "validate",
]
