"""Scenario settings and their documented defaults (``repm/data/fleet/defaults.csv``: value,
unit, provenance, source and reasoning of every default; most are MODEL ASSUMPTIONS, say so in
reports, and are meant to be overridden with local quotes and data).

All settings are frozen dataclasses (picklable, so they can be sent to workers).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from repm.errors import InputError

TRIM_MODES = ("none", "mechanical", "vsd")
TARGET_CLASSES = ("IE4", "IE5")


@cache
def defaults_table() -> tuple[dict[str, str], ...]:
    """Rows of ``defaults.csv`` (parameter, value, unit, provenance, source, reasoning)."""
    text = resources.files("repm").joinpath("data/fleet/defaults.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return tuple(dict(r) for r in csv.DictReader(lines))


def default(name: str) -> str:
    for r in defaults_table():
        if r["parameter"] == name:
            return r["value"]
    raise KeyError(name)  # pragma: no cover - a bug in the data file


def _f(name: str) -> float:
    return float(default(name))


def _check(name: str, value: Any, lo: float, hi: float, allowed: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name} = {value!r} is invalid: {allowed}")
    if not (math.isfinite(value) and lo <= value <= hi):
        raise InputError(f"{name} = {value!r} is invalid: {allowed}")


@dataclass(frozen=True)
class CostModel:
    """Replacement cost model (USD): ``motor = price_coef·P^price_exp·class_multiplier[target]``
    (P in kW), ``installation = install_fraction·motor + install_fixed``, trim: mechanical
    ``trim_fixed + trim_per_kw·P`` or a new VSD ``vsd_coef·P^vsd_exp`` (efficiency
    ``vsd_efficiency``). Defaults: MODEL ASSUMPTIONS, see ``defaults.csv``."""

    price_coef: float = _f("motor_price_coef")
    price_exp: float = _f("motor_price_exp")
    class_multiplier_ie4: float = _f("class_multiplier_IE4")
    class_multiplier_ie5: float = _f("class_multiplier_IE5")
    install_fraction: float = _f("install_fraction")
    install_fixed: float = _f("install_fixed")
    trim_fixed: float = _f("trim_fixed")
    trim_per_kw: float = _f("trim_per_kw")
    vsd_coef: float = _f("vsd_coef")
    vsd_exp: float = _f("vsd_exp")
    vsd_efficiency: float = _f("vsd_efficiency")

    def __post_init__(self) -> None:
        for k in self.__dataclass_fields__:
            hi = 2.0 if k.endswith("_exp") else 1e9
            _check(k, getattr(self, k), 0.0, hi, f"a finite value in [0, {hi:g}]")
        _check("vsd_efficiency", self.vsd_efficiency, 0.5, 1.0, "an efficiency in [0.5, 1]")


@dataclass(frozen=True)
class MagnetModel:
    """Magnet mass of the new motor: ``g_per_nm`` grams of magnet per N·m of rated torque for
    the ``reference_grade`` (DERIVED from ORNL traction-motor data × an ASSUMED
    peak-to-continuous factor of 2, see ``defaults.csv``), relative standard deviation
    ``rel_sd`` (used by the Monte Carlo). Another grade scales the mass by
    (Br_ref/Br)·(ρ/ρ_ref) (ASSUMPTION: equal flux per pole, first order)."""

    g_per_nm: float = _f("magnet_g_per_nm")
    rel_sd: float = _f("magnet_rel_sd")
    reference_grade: str = default("magnet_reference_grade")

    def __post_init__(self) -> None:
        _check("g_per_nm", self.g_per_nm, 0.0, 1000.0, "grams per N·m in [0, 1000]")
        _check("rel_sd", self.rel_sd, 0.0, 0.4, "a relative standard deviation in [0, 0.4]")


@dataclass(frozen=True)
class Scenario:
    """One retrofit scenario.

    ``target_class``: IE4 or IE5 PM synchronous replacement (rated efficiency = the class
    minimum of IEC 60034-30-1 at the motor's rating; at 60 Hz the 50 Hz value, ASSUMPTION).
    ``trim``: how variable-torque loads (cubic, quadratic) on DOL drives are brought back to their
    original duty: ``"mechanical"`` (impeller trim or pulley change), ``"vsd"`` (a new drive) or
    ``"none"`` (the pump/fan runs faster: the untrimmed case). Both trimmed and untrimmed
    figures are always reported; this picks which one the economics use.
    ``discount_rate``, ``escalation`` (energy price, per year) and ``horizon_years`` for NPV/IRR.
    ``magnet_grade``: catalogue name (see :func:`repm.magnets.list_grades`).
    ``pm_constant_loss_share``: c0 of the PM part-load model (None: the
    :func:`repm.standards.part_load.pm_constant_loss_share` default).
    """

    target_class: str = default("target_class")
    trim: str = default("trim")
    discount_rate: float = _f("discount_rate")
    escalation: float = _f("escalation")
    horizon_years: int = int(_f("horizon_years"))
    magnet_grade: str = default("magnet_grade")
    pm_constant_loss_share: float | None = None
    costs: CostModel = field(default_factory=CostModel)
    magnet: MagnetModel = field(default_factory=MagnetModel)

    def __post_init__(self) -> None:
        if self.target_class not in TARGET_CLASSES:
            raise InputError(f"target_class = {self.target_class!r} is invalid: IE4 or IE5")
        if self.trim not in TRIM_MODES:
            raise InputError(f"trim = {self.trim!r} is invalid: one of {TRIM_MODES}")
        _check("discount_rate", self.discount_rate, -0.5, 1.0, "a rate in [-0.5, 1] per year")
        _check("escalation", self.escalation, -0.5, 1.0, "a rate in [-0.5, 1] per year")
        if (
            isinstance(self.horizon_years, bool)
            or not isinstance(self.horizon_years, int)
            or not 1 <= self.horizon_years <= 100
        ):
            raise InputError(
                f"horizon_years = {self.horizon_years!r} is invalid: an integer in [1, 100]"
            )
        if not isinstance(self.magnet_grade, str):
            raise InputError(f"magnet_grade = {self.magnet_grade!r} is invalid: a grade name")
        if self.pm_constant_loss_share is not None:
            _check(
                "pm_constant_loss_share", self.pm_constant_loss_share, 0.0, 1.0, "a share in [0, 1]"
            )

    @property
    def class_multiplier(self) -> float:
        return (
            self.costs.class_multiplier_ie4
            if self.target_class == "IE4"
            else self.costs.class_multiplier_ie5
        )


@dataclass(frozen=True)
class MonteCarlo:
    """Monte Carlo settings: ``samples`` and ``seed``; relative standard deviations (bounded
    symmetric triangular distributions, at most 0.4) of the load factor and hours (per motor),
    electricity price and emission factor (common to the fleet per sample); the magnet-mass
    spread is :attr:`MagnetModel.rel_sd`. ``efficiency_tolerance``: vary rated losses within the
    IEC 60034-1 tolerance (±15 % of 1 − η up to 150 kW, ±10 % above). ``motor_quantiles``:
    per-motor NPV P10/P50/P90 (a sort per motor; off for the largest runs)."""

    samples: int = 100
    seed: int = 0
    load_rel_sd: float = _f("load_rel_sd")
    hours_rel_sd: float = _f("hours_rel_sd")
    price_rel_sd: float = _f("price_rel_sd")
    emission_rel_sd: float = _f("emission_rel_sd")
    efficiency_tolerance: bool = True
    motor_quantiles: bool = True

    def __post_init__(self) -> None:
        for k in ("samples", "seed"):
            v = getattr(self, k)
            if isinstance(v, bool) or not isinstance(v, int):
                raise InputError(f"{k} = {v!r} is invalid: an integer is required")
        if not 1 <= self.samples <= 1_000_000:
            raise InputError(f"samples = {self.samples!r} is invalid: an integer in [1, 1e6]")
        if not 0 <= self.seed < 2**64:
            raise InputError(f"seed = {self.seed!r} is invalid: an integer in [0, 2**64)")
        for k in ("load_rel_sd", "hours_rel_sd", "price_rel_sd", "emission_rel_sd"):
            _check(k, getattr(self, k), 0.0, 0.4, "a relative standard deviation in [0, 0.4]")
