"""Bundled duty cycles turned into motor speed (rpm) and shaft torque (N·m) samples.

Files under ``repm/data/cycles/`` (each with its provenance in the header):

* ``pump_daily.csv``: hourly relative flow of a centrifugal pump over a day (MODEL ASSUMPTION,
  illustrative); affinity laws without static head: n/n_r = Q/Q_r, T/T_r = (n/n_r)².
* ``conveyor.csv``: a belt conveyor loading cycle (MODEL ASSUMPTION, illustrative); constant
  torque while running.
* ``wltc_class3b.csv``: the WLTC class 3b speed trace of UNECE GTR No. 15 (exact table, via the
  JRC ``wltp`` project), turned into motor speed and torque with a :class:`Vehicle` model
  (:data:`PRIUS_2004`).

Every function returns ``(time_s, speed_rpm, torque_nm)`` arrays for :func:`repm.maps.duty_cycle`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from repm.errors import InputError

__all__ = ["PRIUS_2004", "Vehicle", "conveyor", "pump_daily", "wltc_class3b"]

Arrays = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]


def _csv(name: str) -> NDArray[np.float64]:
    text = resources.files("repm.data.cycles").joinpath(name).read_text(encoding="utf-8")
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return np.array([[float(x) for x in r.split(",")] for r in rows[1:]], dtype=np.float64)


def _rated(speed: float, torque: float) -> tuple[float, float]:
    for name, v in (("rated_speed_rpm", speed), ("rated_torque_nm", torque)):
        if not math.isfinite(v) or v <= 0:
            raise InputError(f"{name}: must be finite and > 0, got {v!r}")
    return float(speed), float(torque)


def pump_daily(rated_speed_rpm: float, rated_torque_nm: float) -> Arrays:
    """One day of a centrifugal pump (hourly flow, linear between the hours, 25 samples).
    Speed ∝ flow, torque ∝ speed² (affinity laws, no static head)."""
    n, t = _rated(rated_speed_rpm, rated_torque_nm)
    d = _csv("pump_daily.csv")
    q = np.append(d[:, 1], d[0, 1])
    time = np.arange(q.size, dtype=np.float64) * 3600.0
    return time, n * q, t * q**2


def conveyor(rated_speed_rpm: float, rated_torque_nm: float) -> Arrays:
    """One 10-minute belt-conveyor cycle (constant torque while running)."""
    n, t = _rated(rated_speed_rpm, rated_torque_nm)
    d = _csv("conveyor.csv")
    return d[:, 0].copy(), n * d[:, 1], t * d[:, 2]


@dataclass(frozen=True)
class Vehicle:
    """Longitudinal vehicle model: F = k_rot·m·a + ½ρ·C_d·A·v² + c_rr·m·g (c_rr only while
    moving), wheel torque F·r, motor torque wheel torque / (G·η) when driving and ×η when
    braking (all braking regenerative: friction brakes are not modelled; points beyond the
    generating envelope show up as outside), motor speed v·G/r. Acceleration by central
    differences of the 1-Hz trace."""

    mass_kg: float
    drag_coefficient: float
    frontal_area_m2: float
    rolling_coefficient: float
    gear_ratio: float
    wheel_radius_m: float
    gear_efficiency: float = 0.97
    rotating_mass_factor: float = 1.05
    air_density_kg_per_m3: float = 1.2

    def __post_init__(self) -> None:
        for f in self.__dataclass_fields__:
            v = getattr(self, f)
            if not math.isfinite(v) or v <= 0:
                raise InputError(f"{f}: must be finite and > 0, got {v!r}")
        if self.gear_efficiency > 1:
            raise InputError(f"gear_efficiency: must be <= 1, got {self.gear_efficiency}")


#: Toyota Prius 2004 (NHW20) with MG2 taking all traction (the engine is ignored: an
#: assumption that loads the motor with the whole cycle). Values and sources:
#: mass 1400 kg: ASSUMPTION (curb mass about 1300 kg plus driver/test load);
#: C_d 0.26: Toyota's published drag coefficient (secondary, as widely quoted);
#: A 2.2 m²: ASSUMPTION (typical compact-car frontal area); c_rr 0.009: ASSUMPTION
#: (low-rolling-resistance tyres); gear ratio 4.113 (MG2 to wheels): SECONDARY (quoted for the
#: THS-II final drive; not verified against ORNL/TM-2006/423); wheel radius 0.311 m: DERIVED
#: from the 185/65R15 tyre size (15·25.4/2 + 0.65·185 mm, unloaded); gear efficiency 0.97,
#: rotating-mass factor 1.05, air density 1.2 kg/m³: ASSUMPTIONS.
PRIUS_2004 = Vehicle(
    mass_kg=1400.0,
    drag_coefficient=0.26,
    frontal_area_m2=2.2,
    rolling_coefficient=0.009,
    gear_ratio=4.113,
    wheel_radius_m=0.311,
)


def wltc_class3b(vehicle: Vehicle = PRIUS_2004) -> Arrays:
    """The WLTC class 3b cycle (1801 s at 1 Hz) as motor speed (rpm) and torque (N·m) of
    ``vehicle``."""
    if not isinstance(vehicle, Vehicle):
        raise InputError(f"vehicle: must be a repm.maps.cycles.Vehicle, got {vehicle!r}")
    d = _csv("wltc_class3b.csv")
    time = d[:, 0].copy()
    v = d[:, 1] / 3.6
    a = np.gradient(v, time)
    veh = vehicle
    force = (
        veh.rotating_mass_factor * veh.mass_kg * a
        + 0.5 * veh.air_density_kg_per_m3 * veh.drag_coefficient * veh.frontal_area_m2 * v**2
        + np.where(v > 0, veh.rolling_coefficient * veh.mass_kg * 9.81, 0.0)
    )
    wheel = force * veh.wheel_radius_m
    torque = np.where(
        wheel >= 0,
        wheel / (veh.gear_ratio * veh.gear_efficiency),
        wheel * veh.gear_efficiency / veh.gear_ratio,
    )
    speed = v / veh.wheel_radius_m * veh.gear_ratio * 60 / (2 * math.pi)
    return time, speed, torque
