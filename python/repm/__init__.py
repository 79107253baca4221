"""repm: a Rust-accelerated toolkit for rare-earth permanent-magnet motors.

Layers (each a module): :mod:`repm.magnets`, :mod:`repm.steels`, :mod:`repm.conductors`,
:mod:`repm.winding`. Units are SI throughout (m, T, A/m, A, V, W, N·m, rad, kg), temperatures in °C.
"""

from __future__ import annotations

from repm._core import __version__
from repm.errors import (
    ConvergenceError,
    InputError,
    RepmError,
    TemperatureRangeError,
    UnknownMaterialError,
    WindingError,
)

__all__ = [
    "ConvergenceError",
    "InputError",
    "RepmError",
    "TemperatureRangeError",
    "UnknownMaterialError",
    "WindingError",
    "__version__",
]
