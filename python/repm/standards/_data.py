"""Loading of the bundled standards data files (``repm/data/standards/*.csv``) and small helpers."""

from __future__ import annotations

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from repm.errors import StandardsError

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "standards"


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a bundled CSV file as dictionaries (cached, read-only tuple)."""
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh))


def round_half_up(value: float, step: str = "0.1") -> float:
    """Rounds half-up to ``step`` in decimal (the standard's 0.1 % rounding), not binary."""
    return float(Decimal(repr(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP))


def finite(name: str, value: float) -> float:
    """Returns ``value`` as float or raises StandardsError naming the field."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise StandardsError(f"{name} = {value!r} is invalid: must be a number") from None
    if not math.isfinite(v):
        raise StandardsError(f"{name} = {value!r} is invalid: must be finite (not NaN or inf)")
    return v


def positive(name: str, value: float) -> float:
    v = finite(name, value)
    if v <= 0.0:
        raise StandardsError(f"{name} = {value!r} is invalid: must be > 0")
    return v
