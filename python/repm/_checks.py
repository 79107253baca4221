"""Scalar input checks shared by the Python layers (messages name the field, the value and what
is allowed, as everywhere in repm)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from repm.errors import InputError


def finite_number(
    name: str, value: Any, *, positive: bool = False, minimum: float | None = None
) -> float:
    """``value`` as a float; :class:`repm.InputError` naming ``name`` unless it is a real number
    (bools are refused), finite, > 0 when ``positive`` and >= ``minimum`` when given."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name} = {value!r} is invalid: a number is required")
    v = float(value)
    if not math.isfinite(v):
        raise InputError(f"{name} = {value!r} is invalid: a finite number is required")
    if positive and v <= 0:
        raise InputError(f"{name} = {value!r} is invalid: must be > 0")
    if minimum is not None and v < minimum:
        raise InputError(f"{name} = {value!r} is invalid: must be finite and >= {minimum:g}")
    return v
