"""repm: a Rust-accelerated toolkit for rare-earth permanent-magnet motors.

Layers (each a module, imported with the package): :mod:`repm.magnets` (grades, temperature and
demagnetisation models, element bill), :mod:`repm.steels` (reluctivity, iron losses),
:mod:`repm.conductors` (resistivity), :mod:`repm.materials` (user-defined materials from TOML),
:mod:`repm.winding` (star of slots), :mod:`repm.machine_spec` (machine descriptions) and
:mod:`repm.demo` (the main workflow). Units are SI throughout (m, T, A/m, A, V, W, N·m, rad, kg),
temperatures in °C. :mod:`repm.mesh` meshes a :class:`repm.pslg.Pslg`.
Every error repm raises on purpose is a :class:`repm.RepmError`.
"""

from __future__ import annotations

from repm import conductors, machine_spec, magnets, materials, mesh, pslg, steels, winding
from repm._core import __version__
from repm.errors import (
    ConvergenceError,
    GeometryError,
    InputError,
    MeshError,
    RepmError,
    TemperatureRangeError,
    UnknownMaterialError,
    WindingError,
)

__all__ = [
    "ConvergenceError",
    "GeometryError",
    "InputError",
    "MeshError",
    "RepmError",
    "TemperatureRangeError",
    "UnknownMaterialError",
    "WindingError",
    "__version__",
    "conductors",
    "machine_spec",
    "magnets",
    "materials",
    "mesh",
    "pslg",
    "steels",
    "winding",
]
