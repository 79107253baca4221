"""Report plots and files of a retrofit program (matplotlib, headless)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from repm.fleet.economics import REPORTED_ELEMENTS, FleetResult
from repm.fleet.montecarlo import MonteCarloResult
from repm.fleet.program import Program


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_cumulative(result: FleetResult, program: Program, path: Path) -> None:
    """Cumulative annual energy savings (GWh/year) and NPV versus cumulative capex, motors in
    rank order (best benefit/cost first); the budget line and the selected set marked."""
    plt = _plt()
    m = result.motors
    ranked = np.flatnonzero(program.rank > 0)
    order = ranked[np.argsort(program.rank[ranked], kind="stable")]
    capex = np.concatenate([[0.0], np.cumsum(m["capex"][order])]) / 1e6
    sav = np.concatenate([[0.0], np.cumsum(m["savings_kwh"][order])]) / 1e6
    npv = np.concatenate([[0.0], np.cumsum(m["npv"][order])]) / 1e6
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(capex, sav, color="tab:blue", label="energy savings (GWh/year)")
    ax.set_xlabel("cumulative capex (million USD), motors in rank order")
    ax.set_ylabel("cumulative energy savings (GWh/year)", color="tab:blue")
    ax2 = ax.twinx()
    ax2.plot(capex, npv, color="tab:green", label="NPV (million USD)")
    ax2.set_ylabel("cumulative NPV (million USD)", color="tab:green")
    if math.isfinite(program.budget):
        ax.axvline(program.budget / 1e6, color="k", ls="--", lw=1, label="budget")
    ax.set_title(
        f"{int(program.selected.sum())} of {len(result)} motors selected ({program.objective})"
    )
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_payback(
    result: FleetResult, program: Program, mc: MonteCarloResult | None, path: Path
) -> None:
    """Histogram of simple payback (years) of the selected motors, and the program's payback
    P10/P50/P90 from the Monte Carlo when given."""
    plt = _plt()
    pb = result.motors["payback_years"][program.selected]
    pb = pb[np.isfinite(pb)]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if len(pb):
        ax.hist(pb, bins=40, color="tab:orange", alpha=0.8, label="selected motors")
    if mc is not None:
        for k, ls in (("p10", ":"), ("p50", "-"), ("p90", ":")):
            v = mc.percentiles["simple_payback_years"][k]
            if math.isfinite(v):
                ax.axvline(v, color="k", ls=ls, lw=1.2, label=f"program payback {k.upper()}")
    ax.set_xlabel("simple payback (years)")
    ax.set_ylabel("motors")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_rare_earth(program: Program, path: Path) -> None:
    """Rare-earth demand by element (kg) of the program, default grade versus high-Ce grade."""
    plt = _plt()
    a, b = program.rare_earth, program.rare_earth_high_ce
    x = np.arange(len(REPORTED_ELEMENTS))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.bar(x - 0.2, [a["element_kg"][e] for e in REPORTED_ELEMENTS], 0.4, label=a["grade"])
    ax.bar(x + 0.2, [b["element_kg"][e] for e in REPORTED_ELEMENTS], 0.4, label=b["grade"])
    ax.set_xticks(x, REPORTED_ELEMENTS)
    ax.set_ylabel("kg")
    ax.set_title("rare-earth demand of the selected program")
    ax.legend()
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    directory: Path,
    result: FleetResult,
    program: Program,
    mc: MonteCarloResult | None,
    summary: dict[str, Any],
) -> list[Path]:
    """Writes motors.csv, summary.json and three PNG plots into ``directory``; returns paths."""
    from repm.cli._output import _jsonable

    directory.mkdir(parents=True, exist_ok=True)
    out = [
        directory / "cumulative_savings_vs_capex.png",
        directory / "payback_distribution.png",
        directory / "rare_earth_by_element.png",
        directory / "motors.csv",
        directory / "summary.json",
    ]
    plot_cumulative(result, program, out[0])
    plot_payback(result, program, mc, out[1])
    plot_rare_earth(program, out[2])
    cols = {**result.motors, "selected": program.selected, "rank": program.rank}
    if mc is not None:
        cols.update({f"mc_{k}": v for k, v in mc.motors.items()})
    keys = list(cols)
    with out[3].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(keys)
        for row in zip(*(cols[k].tolist() for k in keys), strict=True):
            w.writerow(row)
    out[4].write_text(json.dumps(_jsonable(summary), indent=2, allow_nan=False) + "\n", "utf-8")
    return out
