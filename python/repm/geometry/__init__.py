"""Parametric radial-flux PM machine geometry: description, TOML, validation, derived quantities
and the PSLG hand-over to the mesher (:mod:`repm.pslg`).

>>> from repm import geometry
>>> m = geometry.prius2004()
>>> pslg = geometry.build_pslg(m)                  # smallest (anti-)periodic sector
>>> full = geometry.build_pslg(m, sector=False)    # whole cross-section
>>> bill = geometry.derived(m)                     # masses, slot fill, rare-earth bill
"""

from __future__ import annotations

from repm.geometry.assemble import MeshSize, build_pslg
from repm.geometry.derived import Derived, derived
from repm.geometry.description import (
    FlatMagnet,
    Machine,
    Rotor,
    Slot,
    SpmMagnets,
    SpokeMagnet,
    Stator,
    VLayer,
    Winding,
)
from repm.geometry.examples import (
    industrial_11kw_ipm,
    outer_rotor_spm_24s20p,
    prius2004,
    spm_servo_12s10p,
)
from repm.geometry.toml_io import load_machine, machine_from_dict

__all__ = [
    "Derived",
    "FlatMagnet",
    "Machine",
    "MeshSize",
    "Rotor",
    "Slot",
    "SpmMagnets",
    "SpokeMagnet",
    "Stator",
    "VLayer",
    "Winding",
    "build_pslg",
    "derived",
    "industrial_11kw_ipm",
    "load_machine",
    "machine_from_dict",
    "outer_rotor_spm_24s20p",
    "prius2004",
    "spm_servo_12s10p",
]
