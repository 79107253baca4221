"""Synthetic test records generated from a known loss model (for tests, examples and demos).

The induction-motor model is deliberately simple and fully known, so that the IEC 60034-2-1
2-1-1B evaluation can be checked against its inputs; its parameters are **model assumptions** for
an 11 kW, 4-pole, 400 V, 50 Hz motor, not data of a real machine:

* stator winding loss 1.5·I²·R(θ), R ∝ (235 + θ) (copper);
* iron loss c_fe·U² (no-load: terminal voltage; load: voltage corrected for the resistive drop,
  as the standard assumes);
* friction and windage P_fw0·(1 − s)^2.5;
* additional load loss A·T²;
* slip proportional to the electromagnetic torque and to the rotor resistance (∝ 225 + θ,
  aluminium cage, rotor temperature taken equal to the stator winding temperature);
* current √(I_m² + (P1/(√3·U))²) with a magnetising current proportional to the voltage.

The PM-motor record for the direct method has constant losses plus 1.5·I²·R(θ) with the current
proportional to torque.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repm.standards.records import K_MATERIAL, TestRecord


@dataclass(frozen=True)
class InductionLossModel:
    """Parameters of the synthetic induction motor (SI units; model assumptions)."""

    rated_power_kw: float = 11.0
    poles: int = 4
    frequency_hz: float = 50.0
    rated_voltage_v: float = 400.0
    resistance_ohm_20c: float = 0.45
    p_fw0_w: float = 110.0
    p_fe_rated_w: float = 240.0
    p_ll_rated_w: float = 120.0
    magnetising_current_a: float = 8.0
    rated_slip_20c: float = 0.02
    coolant_temperature_c: float = 22.0

    @property
    def omega_s(self) -> float:
        return 2.0 * math.pi * self.frequency_hz / (self.poles / 2.0)

    @property
    def rated_torque_nm(self) -> float:
        return self.rated_power_kw * 1000.0 / (self.omega_s * (1.0 - self.rated_slip_20c))

    @property
    def a_ll(self) -> float:
        return self.p_ll_rated_w / self.rated_torque_nm**2

    def resistance(self, theta_c: float) -> float:
        k = K_MATERIAL["copper"]
        return self.resistance_ohm_20c * (k + theta_c) / (k + 20.0)

    def _slip(self, t_em: float, theta_c: float) -> float:
        k = K_MATERIAL["aluminium"]
        return self.rated_slip_20c * t_em / self.rated_torque_nm * (k + theta_c) / (k + 20.0)

    def operate(self, torque_nm: float, voltage_v: float, theta_c: float) -> dict[str, float]:
        """Solves one operating point; returns the measured quantities and the true losses."""
        c_fe = self.p_fe_rated_w / self.rated_voltage_v**2
        s = 0.0
        for _ in range(200):
            w = self.omega_s * (1.0 - s)
            p_fw = self.p_fw0_w * (1.0 - s) ** 2.5
            p_ll = self.a_ll * torque_nm**2
            t_em = torque_nm + (p_fw + p_ll) / w
            s_new = self._slip(t_em, theta_c)
            if abs(s_new - s) < 1e-15:
                s = s_new
                break
            s = s_new
        w = self.omega_s * (1.0 - s)
        p_fw = self.p_fw0_w * (1.0 - s) ** 2.5
        p_ll = self.a_ll * torque_nm**2
        t_em = torque_nm + (p_fw + p_ll) / w
        p_delta = t_em * self.omega_s
        r = self.resistance(theta_c)
        i_m = self.magnetising_current_a * voltage_v / self.rated_voltage_v
        p1 = p_delta
        loaded = torque_nm > 0.0
        for _ in range(500):
            i = math.sqrt(i_m**2 + (p1 / (math.sqrt(3.0) * voltage_v)) ** 2)
            p_s = 1.5 * i**2 * r
            if loaded:
                cos_phi = p1 / (math.sqrt(3.0) * voltage_v * i)
                drop = math.sqrt(3.0) / 2.0 * i * r
                u_fe = math.hypot(voltage_v - drop * cos_phi, drop * math.sqrt(1 - cos_phi**2))
            else:
                u_fe = voltage_v
            p_fe = c_fe * u_fe**2
            p1_new = p_delta + p_s + p_fe
            if abs(p1_new - p1) < 1e-12 * p1_new:
                p1 = p1_new
                break
            p1 = p1_new
        i = math.sqrt(i_m**2 + (p1 / (math.sqrt(3.0) * voltage_v)) ** 2)
        return {
            "voltage": voltage_v,
            "current": i,
            "power": p1,
            "torque": torque_nm,
            "speed": 60.0 * self.frequency_hz / (self.poles / 2.0) * (1.0 - s),
            "winding_temperature": theta_c,
            "slip": s,
            "p_s": 1.5 * i**2 * r,
            "p_fe": p_fe,
            "p_fw": p_fw,
            "p_ll": p_ll,
            "p_r": s * p_delta,
        }


def synthetic_induction_record(
    model: InductionLossModel | None = None,
) -> tuple[TestRecord, dict[str, np.ndarray]]:
    """A complete 2-1-1B test record from ``model`` and the true losses at its load points.

    Load points at 125/115/100/75/50/25 % of rated torque with the winding cooling from 100 °C
    to 78 °C; no-load points at 110 % down to 20 % of rated voltage at 60 °C. Returns
    ``(record, truth)`` where ``truth`` maps ``p_s, p_r, p_fe, p_fw, p_ll, p1, slip`` to arrays in
    the order of the load rows.
    """
    m = model or InductionLossModel()
    fractions = (1.25, 1.15, 1.0, 0.75, 0.5, 0.25)
    temps = (100.0, 97.0, 94.0, 88.0, 83.0, 78.0)
    pts = [
        m.operate(x * m.rated_torque_nm, m.rated_voltage_v, th)
        for x, th in zip(fractions, temps, strict=True)
    ]
    nl_fracs = (1.1, 1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)
    nl = [m.operate(0.0, x * m.rated_voltage_v, 60.0) for x in nl_fracs]
    cols = ("voltage", "current", "power", "torque", "speed", "winding_temperature")
    load = {c: np.array([p[c] for p in pts]) for c in cols}
    no_load = {c: np.array([p[c] for p in nl]) for c in cols if c not in ("torque", "speed")}
    record = TestRecord(
        motor_type="induction",
        rated_power_kw=m.rated_power_kw,
        poles=m.poles,
        frequency_hz=m.frequency_hz,
        rated_voltage_v=m.rated_voltage_v,
        stator_winding_material="copper",
        rotor_cage_material="aluminium",
        resistance_ohm=m.resistance_ohm_20c,
        resistance_temperature_c=20.0,
        coolant_temperature_c=m.coolant_temperature_c,
        load=load,
        no_load=no_load,
        description="SYNTHETIC record generated by repm.standards.synthetic from a known loss "
        "model (model assumptions, not a real motor)",
    )
    truth = {k: np.array([p[k] for p in pts]) for k in ("p_s", "p_r", "p_fe", "p_fw", "p_ll")}
    truth["p1"] = load["power"].copy()
    truth["slip"] = np.array([p["slip"] for p in pts])
    return record, truth


def synthetic_pm_record(
    rated_power_kw: float = 7.5,
    poles: int = 4,
    frequency_hz: float = 50.0,
    p_const_w: float = 180.0,
    resistance_ohm_20c: float = 1.0,
    current_per_nm: float = 0.28,
    coolant_temperature_c: float = 30.0,
) -> tuple[TestRecord, dict[str, np.ndarray]]:
    """A direct-method record of a line-start or inverter-fed PM motor at synchronous speed.

    Losses: constant ``p_const_w`` plus 1.5·I²·R(θ) with I = ``current_per_nm``·T (model
    assumptions). ``truth`` gives the efficiency corrected to 25 °C coolant at each load row.
    """
    n = 60.0 * frequency_hz / (poles / 2.0)
    w = 2.0 * math.pi * n / 60.0
    t_n = rated_power_kw * 1000.0 / w
    fractions = np.array([1.25, 1.0, 0.75, 0.5, 0.25])
    temps = np.array([95.0, 88.0, 80.0, 72.0, 65.0])
    t = fractions * t_n
    i = current_per_nm * t + 1.0
    k = K_MATERIAL["copper"]
    r = resistance_ohm_20c * (k + temps) / (k + 20.0)
    p2 = t * w
    p1 = p2 + p_const_w + 1.5 * i**2 * r
    r_ref = resistance_ohm_20c * (k + temps + 25.0 - coolant_temperature_c) / (k + 20.0)
    eff_true = p2 / (p2 + p_const_w + 1.5 * i**2 * r_ref)
    record = TestRecord(
        motor_type="pm",
        rated_power_kw=rated_power_kw,
        poles=poles,
        frequency_hz=frequency_hz,
        rated_voltage_v=400.0,
        stator_winding_material="copper",
        rotor_cage_material="aluminium",
        resistance_ohm=resistance_ohm_20c,
        resistance_temperature_c=20.0,
        coolant_temperature_c=coolant_temperature_c,
        load={
            "voltage": np.full(len(t), 400.0),
            "current": i,
            "power": p1,
            "torque": t,
            "speed": np.full(len(t), n),
            "winding_temperature": temps,
        },
        description="SYNTHETIC PM motor record (model assumptions, not a real motor)",
    )
    return record, {"efficiency": eff_true, "p2": p2}
