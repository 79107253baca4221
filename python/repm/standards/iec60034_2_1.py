"""IEC 60034-2-1 efficiency determination from a test record (:mod:`repm.standards.records`).

Two methods:

* **2-1-1B** (induction motors): summation of losses, load-curve test, additional load losses
  from the residual loss by linear regression.
* **Direct input-output** (2-1-1A / 2-1-2A, used here for synchronous and PM motors):
  η = P2 / P1 with the stator winding loss corrected to 25 °C coolant.

Sources and interpretation. The standard's text (IEC 60034-2-1:2014) was not available to us; the
procedure below follows its structure as described in the literature, e.g. B. Koprivica et al.,
"Application of Standard and Modified Eh-Star Test Method for Induction Motor Stray Load Losses
and Efficiency Measurement", Serbian J. Electr. Eng. 9(3) 377–391 (2012), doi:10.2298/SJEE1203377K
(nomenclature P1, P_s, P_r, P_fe, P_fw, P_δ), and the IECEE CTL sheet "EQL 60034-2-1 Ed. 2.0"
(measuring-equipment list for IEC 60034-2-1:2014). Steps, with our interpretations marked (I):

1. Resistance at temperature θ: R(θ) = R_ref·(k + θ)/(k + θ_ref), k = 235 (copper) or 225
   (aluminium). Winding loss of a three-phase winding from the line-to-line resistance:
   P_s = 1.5·I²·R (independent of star/delta).
2. No-load test: constant losses P_k = P0 − P_s0. Friction and windage P_fw0 = intercept at U = 0
   of the straight line P_k versus U0² through the points at or below 50 % of rated voltage
   (at least 3 points; the 50 % limit is (I)). Iron loss P_fe = P_k − P_fw0, represented as a
   least-squares quadratic in U through the points above 50 % of rated voltage (I: the standard
   asks for a curve through these points).
3. Load points: slip s = 1 − n·p/(60·f); P_s = 1.5·I²·R(θ_w); iron loss at the voltage corrected
   for the resistive drop U_r = √((U − (√3/2)·I·R·cos φ)² + ((√3/2)·I·R·sin φ)²),
   cos φ = P1/(√3·U·I); air-gap power P_δ = P1 − P_s − P_fe; rotor loss P_r = P_δ·s;
   P_fw = P_fw0·(1 − s)^2.5; P2 = 2π·n·T/60;
   residual loss P_Lr = P1 − P2 − P_s − P_r − P_fe − P_fw.
4. Regression P_Lr = A·T² + B with correlation coefficient γ. Acceptance: γ ≥ 0.95. If γ < 0.95
   or A < 0 (I: the negative-slope rule is applied like the low-γ rule), the worst point (largest
   absolute residual) is deleted once and the regression repeated; if it still fails the test is
   rejected with :class:`repm.StandardsError`. Additional load loss P_LL = A·T².
5. Correction to 25 °C coolant: θ_w' = θ_w + 25 − θ_c; P_s,θ = P_s·(k + θ_w')/(k + θ_w);
   s_θ = s·(k_r + θ_w')/(k_r + θ_w) with k_r of the rotor cage material and the stator winding
   temperature as proxy (I); P_r,θ = (P1 − P_s,θ − P_fe)·s_θ; P_fw,θ = P_fw0·(1 − s_θ)^2.5;
   total losses P_T = P_s,θ + P_r,θ + P_fe + P_fw,θ + P_LL; η = (P1 − P_T)/P1.
6. Efficiency at 25/50/75/100/125 % of rated output: the total losses P_T of the points are fitted
   by a least-squares quadratic in output P2 = P1 − P_T, and η(x) = x·P_N/(x·P_N + P_T(x·P_N))
   (I: the standard reports the points themselves; loads more than 10 % of rated output beyond
   the tested range are reported as None).

Direct method: P_s,θ as in step 5; P1,θ = P1 − P_s + P_s,θ; η = P2/P1,θ (I: only the stator
winding loss is temperature-corrected; for PM motors no slip correction applies).

Instrument check (where the record lists instruments): required accuracies as we read
IEC 60034-2-1:2014 clause 5.5 via the IECEE list above (I, not verified against the text):
power, voltage and current 0.2 %; torque 0.2 %; frequency 0.1 %; speed 1 rpm (or 0.1 %);
temperature 1 K; resistance 0.2 %.

All quantities SI: V, A, W, N·m, rpm (speed as in the record), °C.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from repm.errors import StandardsError
from repm.standards.records import K_MATERIAL, TestRecord

#: Acceptance threshold of the residual-loss regression (correlation coefficient γ).
GAMMA_MIN = 0.95
#: Minimum number of load points of the load-curve test (IEC: six load points).
MIN_LOAD_POINTS = 6
#: Minimum number of no-load points at or below 50 % voltage for the P_fw extrapolation.
MIN_FW_POINTS = 3
FW_VOLTAGE_FRACTION = 0.5
REFERENCE_COOLANT_C = 25.0
LOADS_PCT = (25, 50, 75, 100, 125)

#: Required instrument accuracy: quantity -> (limit, unit). See the module docstring.
INSTRUMENT_REQUIREMENTS: dict[str, tuple[float, str]] = {
    "power": (0.2, "%"),
    "voltage": (0.2, "%"),
    "current": (0.2, "%"),
    "torque": (0.2, "%"),
    "frequency": (0.1, "%"),
    "speed": (1.0, "rpm"),
    "temperature": (1.0, "K"),
    "resistance": (0.2, "%"),
}


@dataclass(frozen=True)
class Regression:
    """Residual-loss regression P_Lr = A·T² + B (A in W/(N·m)², B in W), γ its correlation."""

    slope_a: float
    intercept_b: float
    gamma: float
    gamma_min: float
    used_points: tuple[int, ...]
    deleted_point: int | None
    accepted: bool


@dataclass(frozen=True)
class TestReport:
    """Result of :func:`evaluate`. Per-point arrays follow the record's load rows.

    ``points`` maps names to arrays in W (losses, powers), N·m, rpm, 1 (slip, efficiency):
    ``p1_w, p2_w, torque_nm, speed_rpm, slip, p_s_w, p_r_w, p_fe_w, p_fw_w, p_lr_w, p_ll_w,
    p_s_corr_w, p_r_corr_w, p_fw_corr_w, total_loss_w, efficiency``; ``efficiency_vs_load_pct``
    maps load in % of rated output to efficiency in % (None outside the tested range);
    ``constant_losses`` gives P_fw0 and P_fe at rated voltage (W); ``instrument_checks`` one
    entry per listed instrument; ``notes`` flags and interpretations.
    """

    __test__ = False

    method: str
    motor_type: str
    rated_power_kw: float
    poles: int
    frequency_hz: float
    points: dict[str, np.ndarray]
    efficiency_vs_load_pct: dict[int, float | None]
    regression: Regression | None
    constant_losses: dict[str, float]
    no_load: dict[str, np.ndarray] = field(default_factory=dict)
    instrument_checks: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rated_efficiency_pct(self) -> float | None:
        return self.efficiency_vs_load_pct.get(100)

    def to_dict(self) -> dict[str, Any]:
        reg = None
        if self.regression is not None:
            r = self.regression
            reg = {
                "A_w_per_nm2": r.slope_a,
                "B_w": r.intercept_b,
                "gamma": r.gamma,
                "gamma_min": r.gamma_min,
                "used_points": [i + 1 for i in r.used_points],
                "deleted_point": None if r.deleted_point is None else r.deleted_point + 1,
                "accepted": r.accepted,
            }
        return {
            "method": self.method,
            "motor_type": self.motor_type,
            "rated_power_kw": self.rated_power_kw,
            "poles": self.poles,
            "frequency_hz": self.frequency_hz,
            "efficiency_vs_load_pct": {str(k): v for k, v in self.efficiency_vs_load_pct.items()},
            "regression": reg,
            "constant_losses_w": self.constant_losses,
            "points": {k: v.tolist() for k, v in self.points.items()},
            "no_load": {k: v.tolist() for k, v in self.no_load.items()},
            "instrument_checks": list(self.instrument_checks),
            "notes": list(self.notes),
        }


def _resistance(rec: TestRecord, theta_c: np.ndarray) -> np.ndarray:
    k = K_MATERIAL[rec.stator_winding_material]
    return rec.resistance_ohm * (k + theta_c) / (k + rec.resistance_temperature_c)


def _linfit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least squares y = a·x + b; returns (a, b, correlation coefficient)."""
    xm, ym = x.mean(), y.mean()
    sxx = float(np.sum((x - xm) ** 2))
    syy = float(np.sum((y - ym) ** 2))
    sxy = float(np.sum((x - xm) * (y - ym)))
    if sxx <= 0.0:
        raise StandardsError("regression needs at least two different abscissae (torque/voltage)")
    a = sxy / sxx
    b = float(ym - a * xm)
    r = sxy / math.sqrt(sxx * syy) if syy > 0.0 else 1.0
    return a, b, r


def _sorted(cols: dict[str, np.ndarray], key: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Columns sorted by ``key`` (stable on all columns), with the permutation (file rows)."""
    names = list(cols)
    order = np.lexsort((*(cols[c] for c in reversed(names)), cols[key]))
    return {c: v[order] for c, v in cols.items()}, order


def _no_load_analysis(rec: TestRecord) -> tuple[float, np.ndarray, dict[str, np.ndarray], str]:
    nl, _ = _sorted(rec.no_load, "voltage")
    u, i, p0 = nl["voltage"], nl["current"], nl["power"]
    p_s0 = 1.5 * i**2 * _resistance(rec, nl["winding_temperature"])
    p_k = p0 - p_s0
    low = u <= FW_VOLTAGE_FRACTION * rec.rated_voltage_v + 1e-9
    if int(low.sum()) < MIN_FW_POINTS:
        raise StandardsError(
            f"[no_load]: {int(low.sum())} point(s) at or below "
            f"{FW_VOLTAGE_FRACTION:.0%} of rated voltage ({rec.rated_voltage_v:g} V); the "
            f"friction and windage extrapolation needs at least {MIN_FW_POINTS}"
        )
    a, p_fw0, _ = _linfit(u[low] ** 2, p_k[low])
    if p_fw0 < 0.0:
        raise StandardsError(
            f"[no_load]: friction and windage extrapolated to U = 0 is negative ({p_fw0:.3g} W); "
            "check the low-voltage points"
        )
    high = ~low
    if int(high.sum()) < 3:
        raise StandardsError(
            f"[no_load]: {int(high.sum())} point(s) above {FW_VOLTAGE_FRACTION:.0%} of rated "
            "voltage; the iron-loss curve needs at least 3"
        )
    p_fe_pts = p_k[high] - p_fw0
    coeffs = np.polyfit(u[high], p_fe_pts, 2)
    table = {
        "voltage_v": u,
        "p_k_w": p_k,
        "p_s0_w": p_s0,
        "p_fe_w": p_k - p_fw0,
    }
    note = (
        f"P_fw0 = {p_fw0:.2f} W from {int(low.sum())} no-load points at or below "
        f"{FW_VOLTAGE_FRACTION:.0%} voltage (slope {a:.4g} W/V²)"
    )
    return p_fw0, coeffs, table, note


def _regress(p_lr: np.ndarray, torque: np.ndarray) -> Regression:
    x = torque**2
    idx = np.arange(len(x))
    a, b, g = _linfit(x, p_lr)
    if g >= GAMMA_MIN and a >= 0.0:
        return Regression(a, b, g, GAMMA_MIN, tuple(int(k) for k in idx), None, True)
    resid = np.abs(p_lr - (a * x + b))
    worst = int(np.argmax(resid))
    keep = idx != worst
    a2, b2, g2 = _linfit(x[keep], p_lr[keep])
    return Regression(
        a2, b2, g2, GAMMA_MIN, tuple(int(k) for k in idx[keep]), worst, g2 >= GAMMA_MIN and a2 >= 0
    )


def _efficiency_vs_load(
    p2: np.ndarray, p_t: np.ndarray, rated_w: float
) -> tuple[dict[int, float | None], list[str]]:
    coeffs = np.polyfit(p2, p_t, 2 if len(p2) >= 3 else 1)
    lo, hi = float(p2.min()), float(p2.max())
    out: dict[int, float | None] = {}
    notes = []
    for pct in LOADS_PCT:
        x = pct / 100.0 * rated_w
        if x < lo - 0.1 * rated_w or x > hi + 0.1 * rated_w:
            out[pct] = None
            notes.append(f"{pct} % load is outside the tested output range; not reported")
            continue
        loss = float(np.polyval(coeffs, x))
        out[pct] = 100.0 * x / (x + loss)
    return out, notes


def _instrument_checks(rec: TestRecord) -> tuple[dict[str, Any], ...]:
    out = []
    for ins in rec.instruments:
        req = INSTRUMENT_REQUIREMENTS.get(ins.quantity)
        if req is None:
            out.append(
                {
                    "quantity": ins.quantity,
                    "accuracy": ins.accuracy,
                    "unit": ins.unit,
                    "required": None,
                    "ok": None,
                    "note": f"no requirement known for {ins.quantity!r}",
                }
            )
            continue
        limit, unit = req
        if ins.quantity == "speed" and ins.unit == "%":
            limit, unit = 0.1, "%"
        if ins.unit != unit:
            out.append(
                {
                    "quantity": ins.quantity,
                    "accuracy": ins.accuracy,
                    "unit": ins.unit,
                    "required": f"{limit:g} {unit}",
                    "ok": None,
                    "note": f"unit {ins.unit!r} cannot be compared with the requirement in {unit}",
                }
            )
            continue
        out.append(
            {
                "quantity": ins.quantity,
                "accuracy": ins.accuracy,
                "unit": ins.unit,
                "required": f"{limit:g} {unit}",
                "ok": bool(ins.accuracy <= limit + 1e-12),
                "note": "",
            }
        )
    return tuple(out)


def evaluate(rec: TestRecord) -> TestReport:
    """Evaluates a test record: method 2-1-1B for induction motors, the direct method otherwise.

    Results do not depend on the order of the rows. Raises :class:`repm.StandardsError` for a
    record the procedure cannot evaluate (too few points, a rejected regression, ...), naming the
    table and row.
    """
    if len(rec.load["power"]) < (MIN_LOAD_POINTS if rec.motor_type == "induction" else 1):
        raise StandardsError(
            f"[load]: {len(rec.load['power'])} load point(s); method 2-1-1B needs at least "
            f"{MIN_LOAD_POINTS} (IEC 60034-2-1 load-curve test, 25 % to 125 % load)"
        )
    if rec.motor_type == "induction":
        return _evaluate_2_1_1b(rec)
    return _evaluate_direct(rec)


def _base_points(rec: TestRecord) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    ld, order = _sorted(rec.load, "torque")
    p1 = ld["power"]
    p2 = 2.0 * math.pi * ld["speed"] / 60.0 * ld["torque"]
    for j in range(len(p1)):
        if p2[j] >= p1[j]:
            raise StandardsError(
                f"[load] row {int(order[j]) + 1}: output 2π·n·T = {p2[j]:.6g} W is not below the "
                f"input power {p1[j]:.6g} W"
            )
    return ld, p1, p2


def _evaluate_2_1_1b(rec: TestRecord) -> TestReport:
    p_fw0, fe_coeffs, nl_table, fw_note = _no_load_analysis(rec)
    ld, p1, p2 = _base_points(rec)
    _, order = _sorted(rec.load, "torque")
    coolant = rec.coolant("load")[order]
    u, i, t, n, th_w = (
        ld["voltage"],
        ld["current"],
        ld["torque"],
        ld["speed"],
        ld["winding_temperature"],
    )
    f = ld.get("frequency", np.full(len(p1), rec.frequency_hz))
    pp = rec.poles / 2.0
    slip = 1.0 - n * pp / (60.0 * f)
    for j in range(len(slip)):
        if not 0.0 < slip[j] < 0.5:
            raise StandardsError(
                f"[load] row {int(order[j]) + 1}, column 'speed': {n[j]:g} rpm gives slip "
                f"{slip[j]:.4g}; a motoring induction machine needs 0 < s < 0.5"
            )
    r = _resistance(rec, th_w)
    p_s = 1.5 * i**2 * r
    cos_phi = np.clip(p1 / (math.sqrt(3.0) * u * i), -1.0, 1.0)
    sin_phi = np.sqrt(1.0 - cos_phi**2)
    drop = math.sqrt(3.0) / 2.0 * i * r
    u_r = np.sqrt((u - drop * cos_phi) ** 2 + (drop * sin_phi) ** 2)
    p_fe = np.polyval(fe_coeffs, u_r)
    p_delta = p1 - p_s - p_fe
    p_r = p_delta * slip
    p_fw = p_fw0 * (1.0 - slip) ** 2.5
    p_lr = p1 - p2 - p_s - p_r - p_fe - p_fw
    reg = _regress(p_lr, t)
    if not reg.accepted:
        rows = ", ".join(str(int(order[k]) + 1) for k in reg.used_points)
        raise StandardsError(
            f"[load]: residual-loss regression rejected: γ = {reg.gamma:.4f} "
            f"(threshold {GAMMA_MIN}), slope A = {reg.slope_a:.4g} W/(N·m)² after deleting row "
            f"{int(order[reg.deleted_point]) + 1 if reg.deleted_point is not None else '-'} "
            f"(rows used: {rows}); IEC 60034-2-1 requires γ ≥ {GAMMA_MIN} and A ≥ 0"
        )
    p_ll = reg.slope_a * t**2
    k_s = K_MATERIAL[rec.stator_winding_material]
    k_r = K_MATERIAL[rec.rotor_cage_material]
    th_ref = th_w + REFERENCE_COOLANT_C - coolant
    p_s_c = p_s * (k_s + th_ref) / (k_s + th_w)
    slip_c = slip * (k_r + th_ref) / (k_r + th_w)
    p_r_c = (p1 - p_s_c - p_fe) * slip_c
    p_fw_c = p_fw0 * (1.0 - slip_c) ** 2.5
    p_t = p_s_c + p_r_c + p_fe + p_fw_c + p_ll
    eff = (p1 - p_t) / p1
    points = {
        "row": order.astype(float) + 1.0,
        "voltage_v": u,
        "current_a": i,
        "p1_w": p1,
        "p2_w": p2,
        "torque_nm": t,
        "speed_rpm": n,
        "slip": slip,
        "winding_temperature_c": th_w,
        "coolant_temperature_c": coolant,
        "u_r_v": u_r,
        "p_s_w": p_s,
        "p_r_w": p_r,
        "p_fe_w": p_fe,
        "p_fw_w": p_fw,
        "p_lr_w": p_lr,
        "p_ll_w": p_ll,
        "p_s_corr_w": p_s_c,
        "p_r_corr_w": p_r_c,
        "p_fw_corr_w": p_fw_c,
        "slip_corr": slip_c,
        "total_loss_w": p_t,
        "efficiency": eff,
    }
    notes = [fw_note]
    if reg.deleted_point is not None:
        notes.append(
            f"regression: load row {int(order[reg.deleted_point]) + 1} deleted (first fit failed "
            f"γ ≥ {GAMMA_MIN} or A ≥ 0); second fit γ = {reg.gamma:.4f}"
        )
    evl, en = _efficiency_vs_load(p1 - p_t, p_t, rec.rated_power_kw * 1000.0)
    notes += en
    p_fe_rated = float(np.polyval(fe_coeffs, rec.rated_voltage_v))
    return TestReport(
        method="2-1-1B",
        motor_type=rec.motor_type,
        rated_power_kw=rec.rated_power_kw,
        poles=rec.poles,
        frequency_hz=rec.frequency_hz,
        points=points,
        efficiency_vs_load_pct=evl,
        regression=reg,
        constant_losses={"p_fw0_w": p_fw0, "p_fe_at_rated_voltage_w": p_fe_rated},
        no_load=nl_table,
        instrument_checks=_instrument_checks(rec),
        notes=tuple(notes),
    )


def _evaluate_direct(rec: TestRecord) -> TestReport:
    ld, p1, p2 = _base_points(rec)
    _, order = _sorted(rec.load, "torque")
    coolant = rec.coolant("load")[order]
    i, th_w = ld["current"], ld["winding_temperature"]
    p_s = 1.5 * i**2 * _resistance(rec, th_w)
    k_s = K_MATERIAL[rec.stator_winding_material]
    th_ref = th_w + REFERENCE_COOLANT_C - coolant
    p_s_c = p_s * (k_s + th_ref) / (k_s + th_w)
    p1_c = p1 - p_s + p_s_c
    p_t = p1_c - p2
    eff = p2 / p1_c
    points = {
        "row": order.astype(float) + 1.0,
        "voltage_v": ld["voltage"],
        "current_a": i,
        "p1_w": p1,
        "p1_corr_w": p1_c,
        "p2_w": p2,
        "torque_nm": ld["torque"],
        "speed_rpm": ld["speed"],
        "winding_temperature_c": th_w,
        "coolant_temperature_c": coolant,
        "p_s_w": p_s,
        "p_s_corr_w": p_s_c,
        "other_loss_w": p_t - p_s_c,
        "total_loss_w": p_t,
        "efficiency": eff,
    }
    notes = ["direct input-output method; stator winding loss corrected to 25 °C coolant"]
    if len(p1) >= 3:
        evl, en = _efficiency_vs_load(p2, p_t, rec.rated_power_kw * 1000.0)
        notes += en
    else:
        evl = {pct: None for pct in LOADS_PCT}
        notes.append("fewer than 3 load points: efficiency versus load not interpolated")
    return TestReport(
        method="direct",
        motor_type=rec.motor_type,
        rated_power_kw=rec.rated_power_kw,
        poles=rec.poles,
        frequency_hz=rec.frequency_hz,
        points=points,
        efficiency_vs_load_pct=evl,
        regression=None,
        constant_losses={},
        instrument_checks=_instrument_checks(rec),
        notes=tuple(notes),
    )
