"""repm: a Rust-accelerated toolkit for rare-earth permanent-magnet motors.

Layers (each a module, imported with the package): :mod:`repm.magnets` (grades, temperature and
demagnetisation models, element bill), :mod:`repm.steels` (reluctivity, iron losses),
:mod:`repm.conductors` (resistivity), :mod:`repm.materials` (user-defined materials from TOML),
:mod:`repm.winding` (star of slots), :mod:`repm.standards` (IEC 60034-30-1 classes, IEC
60034-2-1 test evaluation, part-load models), :mod:`repm.machine_spec` (machine descriptions),
:mod:`repm.geometry` (parametric cross-sections, the PSLG for the mesher) and
:mod:`repm.demo` (the main workflow). Units are SI throughout (m, T, A/m, A, V, W, N·m, rad, kg),
temperatures in °C. :mod:`repm.mesh` meshes a :class:`repm.pslg.Pslg`;
:mod:`repm.fem` solves nonlinear magnetostatics on it and :mod:`repm.analysis` turns a machine
description into back-EMF, cogging, torque and demagnetisation margins.
:mod:`repm.fleet` evaluates induction → REPM retrofit programs of motor fleets.
:mod:`repm.gmsh_import` reads Gmsh ``.msh`` meshes with a region map (``repm solve``).
:mod:`repm.maps` turns flux maps into drive envelopes, efficiency maps and duty-cycle energy
(``repm map``).
Every error repm raises on purpose is a :class:`repm.RepmError`.
"""

from __future__ import annotations

from repm import (
    analysis,
    conductors,
    fem,
    fleet,
    geometry,
    machine_spec,
    magnets,
    maps,
    materials,
    mesh,
    pslg,
    standards,
    steels,
    winding,
)
from repm._core import __version__
from repm.errors import (
    ConvergenceError,
    GeometryError,
    InputError,
    InventoryError,
    MeshError,
    RepmError,
    StandardsError,
    TemperatureRangeError,
    UnknownMaterialError,
    WindingError,
)

__all__ = [
    "ConvergenceError",
    "GeometryError",
    "InputError",
    "InventoryError",
    "MeshError",
    "RepmError",
    "StandardsError",
    "TemperatureRangeError",
    "UnknownMaterialError",
    "WindingError",
    "__version__",
    "analysis",
    "conductors",
    "fem",
    "fleet",
    "geometry",
    "machine_spec",
    "magnets",
    "maps",
    "materials",
    "mesh",
    "pslg",
    "standards",
    "steels",
    "winding",
]
