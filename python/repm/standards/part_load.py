"""Part-load models: efficiency, power factor and speed versus load for induction motors and
IE4/IE5 PM synchronous motors.

**Basis (a loss-split model fitted to public data).** Losses at load fraction x (output over rated
output) are L(x) = L_N·(c0 + (1 − c0)·x²): a constant share c0 (iron, friction and windage) and a
share growing with the square of the load (winding and additional load losses). With the rated
efficiency η_N, L_N = P_N·(1/η_N − 1) and η(x) = x / (x + (1/η_N − 1)·(c0 + (1 − c0)·x²)).

* **Induction motors.** c0 is fitted, per motor, to the DOE MEASUR / MotorMaster+ part-load curve
  fits in ``part_load.csv`` (60 Hz NEMA standard / energy-efficient / premium motors, 2/4/6 poles,
  1–200 hp, computed from the MEASUR coefficients; source and provenance in the file), by least
  squares on the normalised losses at 25/50/75 % load. For a requested rating, c0 is interpolated
  linearly in log10(P) between the data motors of the same class and pole number (held constant
  outside the data range). Data rows whose efficiency does not rise from 25 to 50 to 75 % load
  (four small 6-pole MEASUR rows, curve-fit artefacts, listed by :func:`excluded_rows`) are left
  out of the fit and of the error statistics. Mappings (ASSUMPTIONS): IE1 → NEMA standard,
  IE2 → EPAct (energy efficient), IE3, IE4 and IE5 → NEMA Premium; 8 poles use the 6-pole shape;
  the 60 Hz shapes are used at 50 Hz. The rated efficiency defaults to the IEC 60034-30-1
  minimum of the class (a motor that just meets its class); pass ``rated_efficiency_pct``
  for a known motor.
  :func:`induction_fit_errors` reports the error of the model against every data row.
* **Slip.** s(x) = s_N·x (slip proportional to torque, the linear part of the torque-slip curve).
  s_N comes from ``full_load_speed_rpm`` if given, else from the rotor-copper share of rated
  losses, s_N = f_r·L_N / (P_N + f_r·L_N) with f_r = 0.25 (ASSUMPTION: the midpoint of the
  20–30 % rotor I²R share quoted, for a 4-pole 75 kW motor, by tnlab.org's summary of IEC 61972;
  secondary).
* **Power factor** (only if ``power_factor_rated`` and ``no_load_current_ratio`` I0/I_N are given,
  e.g. from a data sheet; no defaults are invented). Reactive power Q(x) = Q0 + (Q_N − Q0)·x² with
  the magnetising part Q0 = (I0/I_N)·S_N constant and the leakage part growing with x² (model
  assumption); PF(x) = P1/√(P1² + Q²), P1 = x·P_N/η(x).
* **PM synchronous motors (IE4/IE5).** Speed is synchronous (60·f/p) at every load. c0 is fitted
  to the only PM part-load data found: the constant-speed slices (≈1500 and ≈3000 rpm) of the
  ORNL Toyota Prius 2004 motor map in ``part_load.csv`` (load fraction = torque / highest tested
  torque). The mean of the two slices' c0 is used (ASSUMPTION: an automotive IPM's loss split
  transferred to industrial IE4/IE5 motors; no catalogue part-load table of an industrial PMSM was
  found). The power factor of an inverter-fed PM motor depends on the drive and is not modelled.
  :func:`pm_fit_errors` reports the error against the Prius slices.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import numpy as np

from repm.errors import StandardsError
from repm.standards._data import finite, positive, read_csv
from repm.standards.iec60034_30_1 import minimum_efficiency

_DATA_LOADS = np.array([0.25, 0.5, 0.75, 1.0])
_CLASS_TO_NEMA = {"IE1": "STD", "IE2": "EE", "IE3": "PREM", "IE4": "PREM", "IE5": "PREM"}
ROTOR_COPPER_SHARE = 0.25
DEFAULT_LOADS = (0.25, 0.5, 0.75, 1.0, 1.25)


@dataclass(frozen=True)
class PartLoadCurve:
    """Efficiency (fraction), speed (rpm), slip and power factor at ``load_fraction`` (of rated
    output). ``power_factor`` is None when not modelled; ``basis`` and ``notes`` document the
    model and its assumptions."""

    motor: str
    rated_power_kw: float
    poles: int
    frequency_hz: float
    ie_class: str
    rated_efficiency_pct: float
    constant_loss_share: float
    load_fraction: np.ndarray
    efficiency: np.ndarray
    speed_rpm: np.ndarray
    slip: np.ndarray
    power_factor: np.ndarray | None
    basis: str
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("load_fraction", "efficiency", "speed_rpm", "slip"):
            d[k] = getattr(self, k).tolist()
        d["power_factor"] = None if self.power_factor is None else self.power_factor.tolist()
        d["notes"] = list(self.notes)
        return d


def _fit_c0(x: np.ndarray, eta: np.ndarray) -> float:
    """c0 of L(x)/L(1) = c0 + (1 − c0)·x² by least squares over the points with x < 1."""
    loss = x * (1.0 / eta - 1.0)
    ln = loss / loss[-1]
    a = 1.0 - x[:-1] ** 2
    return float(np.dot(a, ln[:-1] - x[:-1] ** 2) / np.dot(a, a))


def _physical(eta: tuple[float, ...]) -> bool:
    """True if efficiency rises from 25 to 50 to 75 % load (False: a curve-fit artefact)."""
    return eta[0] < eta[1] < eta[2]


@cache
def _im_rows() -> tuple[tuple[str, int, float, float, tuple[float, ...]], ...]:
    """(NEMA class, poles, kW, c0, (η25, η50, η75, η100)) of each usable induction data row."""
    out = []
    for r in read_csv("part_load.csv"):
        if not r["motor_type"].startswith("induction"):
            continue
        eta = tuple(float(r[k]) for k in ("eta_25pct", "eta_50pct", "eta_75pct", "eta_100pct"))
        if not _physical(eta):
            continue
        c0 = _fit_c0(_DATA_LOADS, np.array(eta))
        out.append((r["efficiency_class"], int(r["poles"]), float(r["rated_power_kW"]), c0, eta))
    return tuple(out)


@cache
def _im_c0_table(nema: str, poles: int) -> tuple[np.ndarray, np.ndarray]:
    acc: dict[float, list[float]] = {}
    for cls, p, kw, c0, _ in _im_rows():
        if cls == nema and p == poles:
            acc.setdefault(kw, []).append(c0)
    kws = np.array(sorted(acc))
    return np.log10(kws), np.array([np.mean(acc[k]) for k in sorted(acc)])


def _im_c0(power_kw: float, poles: int, ie_class: str) -> float:
    lx, c0 = _im_c0_table(_CLASS_TO_NEMA[ie_class], min(poles, 6))
    return float(np.interp(math.log10(power_kw), lx, c0))


@cache
def _pm_slices() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    sl: dict[int, list[tuple[float, float]]] = {}
    for r in read_csv("part_load.csv"):
        if not r["motor_type"].startswith("IPM synchronous (Toyota Prius 2004"):
            continue
        m = dict(re.findall(r"(speed|load_fraction_of_max_tested|eta_motor) ([0-9.]+)", r["notes"]))
        key = 1500 if float(m["speed"]) < 2250.0 else 3000
        sl.setdefault(key, []).append(
            (float(m["load_fraction_of_max_tested"]), float(m["eta_motor"]))
        )
    out = {}
    for k, v in sl.items():
        arr = np.array(sorted(v))
        out[k] = (arr[:, 0], arr[:, 1])
    return out


def _pm_fit(x: np.ndarray, eta: np.ndarray) -> tuple[float, float]:
    """(c0, η at x = 1) of the loss split fitted to one slice (least squares on losses/P)."""
    y = x * (1.0 / eta - 1.0)
    (a, b), *_ = np.linalg.lstsq(np.c_[np.ones_like(x), x**2], y, rcond=None)
    return float(a / (a + b)), float(1.0 / (1.0 + a + b))


@cache
def pm_constant_loss_share() -> float:
    """c0 of the PM model: mean over the Prius slices of the fitted constant-loss share."""
    return float(np.mean([_pm_fit(x, e)[0] for x, e in _pm_slices().values()]))


def _eta(x: np.ndarray, eta_n: float, c0: float) -> np.ndarray:
    lam = 1.0 / eta_n - 1.0
    return x / (x + lam * (c0 + (1.0 - c0) * x**2))


def _loads(load_fraction: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(load_fraction, dtype=float).ravel()
    if x.size == 0:
        raise StandardsError("load_fraction is empty: give at least one load fraction")
    if not np.all(np.isfinite(x)) or np.any(x <= 0.0) or np.any(x > 1.5):
        raise StandardsError(
            f"load_fraction = {x.tolist()} is invalid: each value must be in (0, 1.5]"
        )
    return x


def _rated_eta(
    ie_class: str, power_kw: float, poles: int, frequency_hz: float, given: float | None
) -> tuple[float, str]:
    if given is not None:
        e = finite("rated_efficiency_pct", given)
        if not 0.0 < e < 100.0:
            raise StandardsError(
                f"rated_efficiency_pct = {given!r} is invalid: must be in (0, 100)"
            )
        return e, "rated efficiency given by the caller"
    lim = minimum_efficiency(ie_class, power_kw, poles, frequency_hz)
    return lim.efficiency_pct, (
        f"rated efficiency = {ie_class} minimum {lim.efficiency_pct} % ({lim.provenance}); "
        "a motor that just meets its class"
    )


def induction_part_load(
    power_kw: float,
    poles: int,
    ie_class: str = "IE3",
    frequency_hz: float = 50.0,
    load_fraction: Sequence[float] | np.ndarray = DEFAULT_LOADS,
    *,
    rated_efficiency_pct: float | None = None,
    full_load_speed_rpm: float | None = None,
    power_factor_rated: float | None = None,
    no_load_current_ratio: float | None = None,
) -> PartLoadCurve:
    """Part-load efficiency, slip, speed (rpm) and optionally power factor of an induction motor
    of rated output ``power_kw`` (kW), ``poles`` and ``frequency_hz`` (Hz) of class ``ie_class``.

    ``load_fraction`` is output over rated output, in (0, 1.5]. See the module docstring for the
    basis and its assumptions, and :func:`induction_fit_errors` for its error against the data.
    """
    p_kw = positive("power_kw", power_kw)
    f = positive("frequency_hz", frequency_hz)
    eta_pct, eta_note = _rated_eta(ie_class, p_kw, poles, f, rated_efficiency_pct)
    if ie_class not in _CLASS_TO_NEMA:
        raise StandardsError(f"ie_class = {ie_class!r} is invalid: must be IE1 to IE5")
    x = _loads(load_fraction)
    c0 = _im_c0(p_kw, poles, ie_class)
    eta_n = eta_pct / 100.0
    eta = _eta(x, eta_n, c0)
    n_sync = 60.0 * f / (poles / 2.0)
    notes = [eta_note]
    loss_n = p_kw * 1000.0 * (1.0 / eta_n - 1.0)
    if full_load_speed_rpm is not None:
        n_fl = positive("full_load_speed_rpm", full_load_speed_rpm)
        if not 0.5 * n_sync < n_fl < n_sync:
            raise StandardsError(
                f"full_load_speed_rpm = {full_load_speed_rpm!r} is invalid: must be below the "
                f"synchronous speed {n_sync:g} rpm and above half of it"
            )
        s_n = 1.0 - n_fl / n_sync
        notes.append("rated slip from the given full-load speed")
    else:
        pr = ROTOR_COPPER_SHARE * loss_n
        s_n = pr / (p_kw * 1000.0 + pr)
        notes.append(
            f"rated slip {s_n:.4f} estimated with rotor copper = {ROTOR_COPPER_SHARE:.0%} of "
            "rated losses (ASSUMPTION)"
        )
    slip = s_n * x
    pf = None
    if (power_factor_rated is None) != (no_load_current_ratio is None):
        raise StandardsError(
            "power_factor_rated and no_load_current_ratio must be given together (or neither)"
        )
    if power_factor_rated is not None and no_load_current_ratio is not None:
        pf_n = finite("power_factor_rated", power_factor_rated)
        i0 = finite("no_load_current_ratio", no_load_current_ratio)
        if not 0.0 < pf_n < 1.0:
            raise StandardsError(f"power_factor_rated = {pf_n!r} is invalid: must be in (0, 1)")
        sin_n = math.sqrt(1.0 - pf_n**2)
        if not 0.0 < i0 < sin_n:
            raise StandardsError(
                f"no_load_current_ratio = {i0!r} is invalid: must be in (0, sin φ_N = "
                f"{sin_n:.3f}) so that the magnetising reactive power is below the rated one"
            )
        p1 = x * p_kw * 1000.0 / eta
        p1_n = p_kw * 1000.0 / eta_n
        s_rated = p1_n / pf_n
        q0 = i0 * s_rated
        q = q0 + (s_rated * sin_n - q0) * x**2
        pf = p1 / np.sqrt(p1**2 + q**2)
    else:
        notes.append("power factor not modelled: give power_factor_rated and no_load_current_ratio")
    if poles == 8:
        notes.append("8 poles: the 6-pole MEASUR part-load shape is used (ASSUMPTION)")
    notes.append(
        f"part-load shape: constant-loss share c0 = {c0:.3f} from the MEASUR "
        f"{_CLASS_TO_NEMA[ie_class]} {min(poles, 6)}-pole curve fits (60 Hz data used at "
        f"{f:g} Hz; class mapping {ie_class} -> {_CLASS_TO_NEMA[ie_class]} is an ASSUMPTION)"
    )
    return PartLoadCurve(
        "induction", p_kw, poles, f, ie_class, eta_pct, c0, x, eta, n_sync * (1.0 - slip), slip,
        pf, "loss split fitted to DOE MEASUR/MotorMaster+ curve fits (part_load.csv)",
        tuple(notes),
    )  # fmt: skip


def pm_part_load(
    power_kw: float,
    poles: int,
    ie_class: str = "IE4",
    frequency_hz: float = 50.0,
    load_fraction: Sequence[float] | np.ndarray = DEFAULT_LOADS,
    *,
    rated_efficiency_pct: float | None = None,
    constant_loss_share: float | None = None,
) -> PartLoadCurve:
    """Part-load efficiency and (synchronous) speed of an IE4/IE5 PM synchronous motor of rated
    output ``power_kw`` (kW), ``poles`` and ``frequency_hz`` (Hz).

    The rated efficiency defaults to the class minimum (IE5: derived, see
    :mod:`repm.standards.iec60034_30_1`). Power factor is not modelled (drive dependent).
    ``constant_loss_share`` (c0 in [0, 1]) overrides the Prius-based default, e.g. from a data
    sheet: the default (≈ 0.10) makes efficiency peak near 30 % load, which is likely optimistic
    for an industrial motor whose rated torque is not an overload point as in the Prius data.
    """
    if ie_class not in ("IE4", "IE5"):
        raise StandardsError(f"ie_class = {ie_class!r} is invalid for the PM model: IE4 or IE5")
    p_kw = positive("power_kw", power_kw)
    f = positive("frequency_hz", frequency_hz)
    eta_pct, eta_note = _rated_eta(ie_class, p_kw, poles, f, rated_efficiency_pct)
    x = _loads(load_fraction)
    if constant_loss_share is None:
        c0 = pm_constant_loss_share()
        shape = (
            f"part-load shape: constant-loss share c0 = {c0:.3f}, mean of the fits to the ORNL "
            "Prius 2004 constant-speed slices (automotive IPM, 100 % = highest tested torque; "
            "transfer to industrial motors is an ASSUMPTION and likely optimistic at part load)"
        )
    else:
        c0 = finite("constant_loss_share", constant_loss_share)
        if not 0.0 <= c0 <= 1.0:
            raise StandardsError(f"constant_loss_share = {c0!r} is invalid: must be in [0, 1]")
        shape = f"part-load shape: constant-loss share c0 = {c0:.3f} given by the caller"
    eta = _eta(x, eta_pct / 100.0, c0)
    n_sync = 60.0 * f / (poles / 2.0)
    notes = (
        eta_note,
        shape,
        "power factor not modelled (inverter-fed PM motor: depends on the drive)",
    )
    return PartLoadCurve(
        "pm", p_kw, poles, f, ie_class, eta_pct, c0, x, eta, np.full_like(x, n_sync),
        np.zeros_like(x), None, "loss split fitted to ORNL Prius 2004 map slices (part_load.csv)",
        notes,
    )  # fmt: skip


def excluded_rows() -> list[dict[str, Any]]:
    """The induction data rows left out of the fit (non-monotonic part-load efficiency)."""
    out = []
    for r in read_csv("part_load.csv"):
        if r["motor_type"].startswith("induction"):
            eta = tuple(float(r[k]) for k in ("eta_25pct", "eta_50pct", "eta_75pct", "eta_100pct"))
            if not _physical(eta):
                out.append(
                    {
                        "class": r["efficiency_class"],
                        "poles": int(r["poles"]),
                        "power_kw": float(r["rated_power_kW"]),
                        "eta_25_50_75_100": list(eta),
                    }
                )
    return out


def induction_fit_errors() -> dict[str, Any]:
    """Error of the induction model against every MEASUR data row (percentage points).

    ``in_sample``: with each row's own η100 and the interpolated c0 (the model as used);
    ``leave_one_out``: c0 interpolated from the other rows of the same class and poles only.
    """
    ins, loo = [], []
    for cls, poles, kw, _, eta in _im_rows():
        e = np.array(eta)
        lx, c0s = _im_c0_table(cls, poles)
        c0 = float(np.interp(math.log10(kw), lx, c0s))
        ins.append(np.max(np.abs(_eta(_DATA_LOADS, e[-1], c0) - e)) * 100.0)
        keep = ~np.isclose(lx, math.log10(kw))
        if keep.sum() >= 1:
            c0_l = float(np.interp(math.log10(kw), lx[keep], c0s[keep]))
            loo.append(np.max(np.abs(_eta(_DATA_LOADS, e[-1], c0_l) - e)) * 100.0)
    ins_a, loo_a = np.array(ins), np.array(loo)
    return {
        "rows": len(ins),
        "excluded_rows": len(excluded_rows()),
        "in_sample_max_pct_points": float(ins_a.max()),
        "in_sample_median_pct_points": float(np.median(ins_a)),
        "leave_one_out_max_pct_points": float(loo_a.max()),
        "leave_one_out_median_pct_points": float(np.median(loo_a)),
        "leave_one_out_p90_pct_points": float(np.percentile(loo_a, 90)),
    }


def pm_fit_errors() -> dict[str, Any]:
    """Error of the PM model (pooled c0, each slice's own fitted η at x = 1) against the Prius
    slices, in percentage points."""
    c0 = pm_constant_loss_share()
    out: dict[str, Any] = {"constant_loss_share": c0, "slices": {}}
    for k, (x, e) in sorted(_pm_slices().items()):
        c0_k, eta1 = _pm_fit(x, e)
        err = np.abs(_eta(x, eta1, c0) - e) * 100.0
        out["slices"][f"{k}_rpm"] = {
            "points": len(x),
            "slice_c0": c0_k,
            "max_pct_points": float(err.max()),
            "rms_pct_points": float(np.sqrt(np.mean(err**2))),
        }
    return out
