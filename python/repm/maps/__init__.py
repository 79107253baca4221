"""Operating envelope and efficiency maps (issue #5).

* :class:`FluxMap` (:mod:`repm.maps.fluxmap`): dq flux linkages, torque and loss coefficients on
  a current grid, with C1 interpolation and the inverse map; :meth:`FluxMap.linear` for analytic
  machines.
* :mod:`repm.maps.drive`: :class:`Drive` (inverter limits, winding resistance, AC factor,
  mechanical and inverter losses), :func:`envelope` (torque/power-speed, motoring and
  generating), :func:`efficiency_map`, :func:`operating_points`, :func:`duty_cycle`, MTPA /
  MTPV trajectories, corner speed, characteristic current. Kernels in Rust (``repm-machine``).
* :mod:`repm.maps.cycles`: bundled duty cycles (pump, conveyor, WLTC class 3b with a Prius
  vehicle model).
"""

from repm.maps.drive import (
    Drive,
    DutyCycleResult,
    EfficiencyMap,
    Envelope,
    OperatingPoints,
    characteristic_current_a,
    corner_speed_rpm,
    drive_from_dict,
    duty_cycle,
    efficiency_map,
    envelope,
    evaluate_currents,
    load_drive,
    mtpa_trajectory,
    mtpv_trajectory,
    operating_points,
    phase_resistance_ohm,
)
from repm.maps.fluxmap import FluxMap

__all__ = [
    "Drive",
    "DutyCycleResult",
    "EfficiencyMap",
    "Envelope",
    "FluxMap",
    "OperatingPoints",
    "characteristic_current_a",
    "corner_speed_rpm",
    "drive_from_dict",
    "duty_cycle",
    "efficiency_map",
    "envelope",
    "evaluate_currents",
    "load_drive",
    "mtpa_trajectory",
    "mtpv_trajectory",
    "operating_points",
    "phase_resistance_ohm",
]
