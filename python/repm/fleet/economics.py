"""Per-motor retrofit economics (the Rust kernels do the arithmetic; this module prepares the
columns and wraps the results).

Per motor: the baseline losses from the induction part-load model of
:mod:`repm.standards.part_load` (rated efficiency from the nameplate or the IEC 60034-30-1 class
minimum, constant-loss share fitted to the MEASUR curves, slip from the full-load speed or the
rotor-copper assumption); the replacement IE4/IE5 PM motor (class-minimum efficiency, PM part-load
shape, synchronous speed); the speed effect by the affinity laws, untrimmed and trimmed back to
the original duty; energy, cost, payback, NPV, IRR, CO2 and the magnet and rare-earth masses.
See :mod:`repm.fleet` for the formulas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from repm import _core, magnets
from repm.errors import InputError, StandardsError
from repm.fleet.scenario import Scenario
from repm.fleet.schema import LOAD_TYPES, Inventory, csr_bins
from repm.standards.iec60034_30_1 import classify, minimum_efficiency
from repm.standards.part_load import (
    ROTOR_COPPER_SHARE,
    induction_part_load,
    pm_constant_loss_share,
)

RARE_EARTHS = ("Nd", "Pr", "Dy", "Tb", "Ce", "La", "Sm")
REPORTED_ELEMENTS = ("Nd", "Pr", "Dy", "Tb", "Ce")


@cache
def _class_eta(ie_class: str, kw: float, poles: int, f: float) -> tuple[float, str]:
    """Class-minimum efficiency (%) and a note; at 60 Hz where no table exists, the 50 Hz value
    (ASSUMPTION)."""
    try:
        return minimum_efficiency(ie_class, kw, poles, f).efficiency_pct, ""
    except StandardsError:
        if f == 60:
            lim = minimum_efficiency(ie_class, kw, poles, 50)
            return (
                lim.efficiency_pct,
                f"{ie_class} at 60 Hz: the 50 Hz minimum is used (ASSUMPTION)",
            )
        raise


@cache
def _im_c0(kw: float, poles: int, ie_class: str) -> float:
    # c0 does not depend on the rated efficiency passed here (only on class, poles, kW).
    return induction_part_load(
        kw, poles, ie_class, 50.0, [1.0], rated_efficiency_pct=90.0
    ).constant_loss_share


@cache
def _shape_class(eta_pct: float, kw: float, poles: int, f: float) -> str:
    """The class whose MEASUR shape is used for a motor known by its nameplate efficiency."""
    try:
        c = classify(kw, poles, eta_pct, 50).ie_class
    except StandardsError:
        return "IE1"
    return c if c in ("IE1", "IE2", "IE3", "IE4", "IE5") else "IE1"


def grade_mass_factor(grade: str, reference: str) -> float:
    """(Br_ref/Br)·(ρ/ρ_ref): magnet mass of ``grade`` relative to ``reference`` at equal flux."""
    g, r = magnets.grade(grade), magnets.grade(reference)
    return (r.br_t / g.br_t) * (g.density_kg_per_m3 / r.density_kg_per_m3)


def motor_keys(ids: npt.ArrayLike) -> npt.NDArray[np.uint64]:
    """Stable 64-bit keys of motor ids (FNV-1a 64 + SplitMix64): the random stream and the
    tie-break of each motor depend on its id only, never on its row."""
    return np.asarray(_core.fleet_motor_keys([str(s) for s in np.asarray(ids, dtype=object)]))


@dataclass(frozen=True)
class Prepared:
    """The kernel columns of an inventory under a scenario (float64/uint64/bool arrays), plus
    the notes of assumptions that were applied. Picklable: this is what is sent to workers."""

    columns: dict[str, npt.NDArray[Any]]
    capex_motor: npt.NDArray[np.float64]
    capex_installation: npt.NDArray[np.float64]
    capex_trim: npt.NDArray[np.float64]
    im_efficiency_pct: npt.NDArray[np.float64]
    pm_efficiency_pct: npt.NDArray[np.float64]
    magnet_kg: npt.NDArray[np.float64]
    notes: tuple[str, ...] = field(default=())

    def take(self, idx: npt.NDArray[np.int64]) -> Prepared:
        """The motors at positions ``idx`` (a chunk)."""
        c = self.columns
        off = c["profile_offsets"].astype(np.int64)
        bins = csr_bins(off, np.asarray(idx, dtype=np.int64))
        new_off = np.zeros(len(idx) + 1, dtype=np.uint64)
        new_off[1:] = np.cumsum(off[idx + 1] - off[idx])
        cols = {
            k: (v[bins] if k in ("profile_load", "profile_hours") else v[idx])
            for k, v in c.items()
            if k != "profile_offsets"
        }
        cols["profile_offsets"] = new_off
        return Prepared(
            cols,
            self.capex_motor[idx],
            self.capex_installation[idx],
            self.capex_trim[idx],
            self.im_efficiency_pct[idx],
            self.pm_efficiency_pct[idx],
            self.magnet_kg[idx],
            self.notes,
        )


def prepare(inv: Inventory, scenario: Scenario) -> Prepared:
    """Builds the kernel columns of ``inv`` under ``scenario``."""
    n = len(inv)
    notes: set[str] = set()
    sync = 120.0 * inv.frequency_hz / inv.poles
    # The lookups depend on (kW, poles, Hz, class, nameplate η) only: do them once per distinct
    # combination (a fleet has few), then scatter back to the motors.
    npe = np.where(np.isfinite(inv.nameplate_efficiency_pct), inv.nameplate_efficiency_pct, -1.0)
    code = np.zeros(n, dtype=np.int64)
    for column in (inv.rated_kw, inv.poles, inv.frequency_hz, inv.efficiency_class, npe):
        values, codes = np.unique(np.asarray(column), return_inverse=True)
        code = code * len(values) + codes.ravel()  # < 2**63 for any realistic fleet
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    m = len(first)
    u_im, u_pm, u_c0 = np.empty(m), np.empty(m), np.empty(m)
    for j in range(m):
        i = int(first[j])
        kw, p, f = float(inv.rated_kw[i]), int(inv.poles[i]), float(inv.frequency_hz[i])
        cls = str(inv.efficiency_class[i])
        try:
            if npe[i] > 0:
                u_im[j] = npe[i]
                shape = cls or _shape_class(float(npe[i]), kw, p, f)
            else:
                u_im[j], note = _class_eta(cls, kw, p, f)
                notes.add(note)
                shape = cls
            u_pm[j], note = _class_eta(scenario.target_class, kw, p, f)
            notes.add(note)
        except StandardsError as err:
            raise InputError(f"motor {inv.motor_id[i]} (row {inv.rows[i]}): {err}") from err
        u_c0[j] = _im_c0(kw, p, shape)
    notes.discard("")
    inverse = np.asarray(inverse).ravel()
    im_eta, pm_eta, im_c0 = u_im[inverse], u_pm[inverse], u_c0[inverse]
    if np.any(inv.poles == 8):
        notes.add("8 poles: the 6-pole MEASUR part-load shape is used (ASSUMPTION)")
    lam_im = 100.0 / im_eta - 1.0
    slip = np.where(
        np.isfinite(inv.full_load_speed_rpm),
        1.0 - inv.full_load_speed_rpm / sync,
        ROTOR_COPPER_SHARE * lam_im / (1.0 + ROTOR_COPPER_SHARE * lam_im),
    )
    if not np.all(np.isfinite(inv.full_load_speed_rpm)):
        notes.add(
            f"rated slip without full_load_speed_rpm: rotor copper = {ROTOR_COPPER_SHARE:.0%} of "
            "rated losses (ASSUMPTION, repm.standards.part_load)"
        )
    pm_c0 = (
        pm_constant_loss_share()
        if scenario.pm_constant_loss_share is None
        else scenario.pm_constant_loss_share
    )
    exponent = np.array([LOAD_TYPES[t] for t in inv.load_type], dtype=np.float64)
    trimmed = (scenario.trim != "none") & ~inv.on_vsd & (exponent >= 2.0)
    trim_eff = np.where(trimmed & (scenario.trim == "vsd"), scenario.costs.vsd_efficiency, 1.0)
    c = scenario.costs
    motor, install, trim = _core.fleet_capex(
        inv.rated_kw, trimmed, c.price_coef, c.price_exp, scenario.class_multiplier,
        c.install_fraction, c.install_fixed, c.trim_fixed, c.trim_per_kw, c.vsd_coef, c.vsd_exp,
        scenario.trim == "vsd",
    )  # fmt: skip
    override = np.isfinite(inv.replacement_cost)
    capex = np.where(override, inv.replacement_cost, motor + install + trim)
    factor = grade_mass_factor(scenario.magnet_grade, scenario.magnet.reference_grade)
    magnet_kg = np.asarray(
        _core.fleet_magnet_mass(inv.rated_kw, sync, scenario.magnet.g_per_nm, factor)
    )
    cols = {
        "key": motor_keys(inv.motor_id),
        "rated_kw": inv.rated_kw.astype(np.float64),
        "sync_rpm": sync.astype(np.float64),
        "im_slip_rated": slip,
        "im_loss_ratio": lam_im,
        "im_c0": im_c0,
        "pm_loss_ratio": 100.0 / pm_eta - 1.0,
        "pm_c0": np.full(n, pm_c0),
        "speed_exponent": exponent,
        "on_vsd": inv.on_vsd.astype(bool),
        "trimmed": trimmed,
        "trim_efficiency": trim_eff,
        "profile_offsets": inv.profile_offsets.astype(np.uint64),
        "profile_load": inv.profile_load.astype(np.float64),
        "profile_hours": inv.profile_hours.astype(np.float64),
        "price_per_kwh": inv.price_per_kwh.astype(np.float64),
        "emission_kg_per_kwh": inv.emission_kg_per_kwh.astype(np.float64),
        "capex": capex.astype(np.float64),
    }
    cols = {k: np.ascontiguousarray(v) for k, v in cols.items()}
    return Prepared(
        cols, np.asarray(motor), np.asarray(install), np.where(override, 0.0, trim), im_eta,
        pm_eta, magnet_kg, tuple(sorted(notes)),
    )  # fmt: skip


@dataclass(frozen=True)
class FleetResult:
    """Per-motor results of one scenario (arrays in inventory order; money in USD, energy in
    kWh per year, CO2 in t per year, masses in kg).

    ``motors`` maps column name → array; columns: motor_id, site, sector, application,
    rated_kw, poles, load_type, drive, trimmed, im_efficiency_pct, pm_efficiency_pct, mean_load,
    hours, im_speed_rpm, sync_speed_rpm, shaft_power_increase_pct (untrimmed speed effect),
    baseline_kwh, pm_untrimmed_kwh, pm_trimmed_kwh, savings_untrimmed_kwh, savings_trimmed_kwh,
    savings_kwh (the scenario's choice), capex_motor, capex_installation, capex_trim, capex,
    annual_value, payback_years (inf: no savings), npv, irr (NaN where undefined: no positive
    savings, or an IRR below −99.9999 %/year), co2_t_per_year, magnet_kg and ``<element>_kg``
    for Nd, Pr, Dy, Tb, Ce.
    """

    scenario: Scenario
    motors: dict[str, npt.NDArray[Any]]
    notes: tuple[str, ...]
    prepared: Prepared

    def __len__(self) -> int:
        return len(self.motors["motor_id"])

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per motor (JSON-friendly Python scalars)."""
        keys = list(self.motors)
        cols = [self.motors[k].tolist() for k in keys]
        return [dict(zip(keys, row, strict=True)) for row in zip(*cols, strict=True)]

    def to_pandas(self) -> Any:
        """The per-motor table as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.motors)


def evaluate(inv: Inventory, scenario: Scenario | None = None) -> FleetResult:
    """Evaluates every motor of ``inv`` under ``scenario`` (default :class:`Scenario`)."""
    scenario = scenario or Scenario()
    prep = prepare(inv, scenario)
    d = _core.fleet_evaluate(
        prep.columns, scenario.discount_rate, scenario.escalation, scenario.horizon_years
    )
    fractions = magnets.grade(scenario.magnet_grade).element_fractions()
    c = prep.columns
    motors: dict[str, npt.NDArray[Any]] = {
        "motor_id": inv.motor_id,
        "site": inv.site,
        "sector": inv.sector,
        "application": inv.application,
        "rated_kw": inv.rated_kw,
        "poles": inv.poles,
        "load_type": inv.load_type,
        "drive": np.where(inv.on_vsd, "VSD", "DOL").astype(object),
        "trimmed": c["trimmed"],
        "im_efficiency_pct": prep.im_efficiency_pct,
        "pm_efficiency_pct": prep.pm_efficiency_pct,
        "sync_speed_rpm": c["sync_rpm"],
    }
    motors.update({k: np.asarray(v) for k, v in d.items()})
    motors["capex_motor"] = prep.capex_motor
    motors["capex_installation"] = prep.capex_installation
    motors["capex_trim"] = prep.capex_trim
    motors["capex"] = c["capex"]
    motors["magnet_kg"] = prep.magnet_kg
    for el in REPORTED_ELEMENTS:
        motors[f"{el}_kg"] = prep.magnet_kg * fractions.get(el, 0.0)
    return FleetResult(scenario, motors, prep.notes, prep)


def rare_earth_demand(
    magnet_kg: float,
    grade: str,
    prices: Mapping[str, float] | str | None = None,
) -> dict[str, Any]:
    """Rare-earth demand of ``magnet_kg`` kg of ``grade``: element kg (Nd, Pr, Dy, Tb, Ce), oxide
    kg (rare-earth oxides only), price exposure in USD per element and in total (from the
    dated price table of :mod:`repm.magnets`, or ``prices``), and the grade's max working
    temperature (so a high-Ce swap can be judged)."""
    g = magnets.grade(grade)
    bill = g.element_bill(float(magnet_kg), prices)
    oxide = {
        k: v
        for k, v in bill.oxide_kg.items()
        if any(k.startswith(e) for e in RARE_EARTHS) and v > 0
    }
    return {
        "grade": g.name,
        "magnet_kg": float(magnet_kg),
        "max_working_temperature_c": g.max_working_temperature_c,
        "br_t": g.br_t,
        "element_kg": {e: bill.element_kg.get(e, 0.0) for e in REPORTED_ELEMENTS},
        "oxide_kg": oxide,
        "cost_usd": {e: v for e, v in bill.cost_usd.items() if e in RARE_EARTHS},
        "total_cost_usd": sum(v for e, v in bill.cost_usd.items() if e in RARE_EARTHS),
        "prices": [
            {"item": i, "basis": b, "usd_per_kg": u, "date": d, "source": s}
            for i, b, u, d, s in bill.prices
            if any(i.startswith(e) for e in RARE_EARTHS)
        ],
    }
