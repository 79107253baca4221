"""The repm test-record format for IEC 60034-2-1 efficiency tests: one TOML file.

Example (``examples/test_records/im_11kw_synthetic.toml`` is a complete one)::

    [record]
    format = "repm-iec60034-2-1/1"      # required, identifies this format
    motor_type = "induction"            # "induction" (method 2-1-1B) or "synchronous" / "pm"
                                        # (direct input-output method)
    rated_power_kw = 11.0
    poles = 4
    frequency_hz = 50.0
    rated_voltage_v = 400.0
    stator_winding_material = "copper"  # "copper" (k = 235) or "aluminium" (k = 225)
    rotor_cage_material = "aluminium"   # induction only: k used for the slip correction
    coolant_temperature_c = 22.0        # or a per-point column "coolant_temperature"
    description = "free text"           # optional

    [resistance]                        # DC resistance between two line terminals
    line_to_line_ohm = 0.52
    temperature_c = 20.0

    [no_load]                           # induction only
    columns = ["voltage", "current", "power", "winding_temperature"]
    units   = ["V",       "A",       "W",     "degC"]
    rows = [[440.0, 9.1, 415.2, 60.0], ...]

    [load]
    columns = ["voltage", "current", "power", "torque", "speed", "winding_temperature"]
    units   = ["V",       "A",       "W",     "N.m",    "rpm",   "degC"]
    rows = [[400.0, 25.3, 14800.0, 89.6, 1455.2, 95.0], ...]

    [[instruments]]                     # optional: checked against IEC 60034-2-1 requirements
    quantity = "power"                  # power, voltage, current, torque, speed, frequency,
    accuracy = 0.2                      # temperature, resistance
    unit = "%"                          # "%" of reading/full scale, "rpm" or "K"

Each table names its columns and their units explicitly; a missing column or unit, an unknown
unit, a non-numeric, NaN/inf or negative value raises :class:`repm.StandardsError` naming the
table, the row (1-based) and the column. Accepted units: V or kV; A; W or kW; N.m (also N·m, Nm);
rpm (also 1/min, min^-1); degC (also °C, C); Hz. Optional load columns: ``coolant_temperature``
(per-point θ_c) and ``frequency`` (per-point supply frequency).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from repm._toml import read_toml
from repm.errors import InputError, StandardsError
from repm.standards._data import finite, positive

FORMAT = "repm-iec60034-2-1/1"
MOTOR_TYPES = ("induction", "synchronous", "pm")
#: Temperature constant k of IEC 60034-2-1 resistance correction (R ∝ k + θ).
K_MATERIAL = {"copper": 235.0, "aluminium": 225.0}

_UNITS: dict[str, dict[str, float]] = {
    "voltage": {"V": 1.0, "kV": 1000.0},
    "current": {"A": 1.0},
    "power": {"W": 1.0, "kW": 1000.0},
    "torque": {"N.m": 1.0, "N·m": 1.0, "Nm": 1.0},
    "speed": {"rpm": 1.0, "1/min": 1.0, "min^-1": 1.0},
    "winding_temperature": {"degC": 1.0, "°C": 1.0, "C": 1.0},
    "coolant_temperature": {"degC": 1.0, "°C": 1.0, "C": 1.0},
    "frequency": {"Hz": 1.0},
}
_REQUIRED = {
    "no_load": ("voltage", "current", "power", "winding_temperature"),
    "load": ("voltage", "current", "power", "torque", "speed", "winding_temperature"),
}
_OPTIONAL = {"no_load": ("coolant_temperature",), "load": ("coolant_temperature", "frequency")}
_MAY_BE_ZERO = {"torque", "winding_temperature", "coolant_temperature"}
_TEMPERATURES = {"winding_temperature", "coolant_temperature"}


@dataclass(frozen=True)
class Instrument:
    """One instrument of the test: measured ``quantity``, ``accuracy`` in ``unit`` (%, rpm, K)."""

    quantity: str
    accuracy: float
    unit: str


@dataclass(frozen=True)
class TestRecord:
    """A parsed test record (SI units: V, A, W, N·m, rpm, °C, Ω, Hz).

    ``no_load`` and ``load`` map column names to 1-D float arrays (rows in file order);
    ``no_load`` is empty for synchronous/PM motors.
    """

    __test__ = False  # not a pytest test class

    motor_type: str
    rated_power_kw: float
    poles: int
    frequency_hz: float
    rated_voltage_v: float
    stator_winding_material: str
    rotor_cage_material: str
    resistance_ohm: float
    resistance_temperature_c: float
    coolant_temperature_c: float | None
    load: dict[str, np.ndarray]
    no_load: dict[str, np.ndarray] = field(default_factory=dict)
    instruments: tuple[Instrument, ...] = ()
    description: str = ""
    source: str = ""

    @property
    def method(self) -> str:
        return "2-1-1B" if self.motor_type == "induction" else "direct (2-1-1A/2-1-2A)"

    def coolant(self, table: str) -> np.ndarray:
        """Coolant temperature (°C) per row of ``table``: the column, else the record value."""
        cols = self.load if table == "load" else self.no_load
        if "coolant_temperature" in cols:
            return cols["coolant_temperature"]
        n = len(next(iter(cols.values())))
        if self.coolant_temperature_c is None:
            raise StandardsError(
                f"[record] coolant_temperature_c is missing and [{table}] has no "
                "'coolant_temperature' column: the correction to 25 °C coolant needs one of them"
            )
        return np.full(n, self.coolant_temperature_c)


def _get(table: dict[str, Any], section: str, key: str, kind: type | None = None) -> Any:
    if key not in table:
        raise StandardsError(f"[{section}] {key} is missing")
    v = table[key]
    if kind is str and not isinstance(v, str):
        raise StandardsError(f"[{section}] {key} = {v!r} is invalid: must be a string")
    return v


def _choice(section: str, key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise StandardsError(f"[{section}] {key} = {value!r} is invalid: must be one of {allowed}")
    return str(value)


def _table(doc: dict[str, Any], name: str) -> dict[str, np.ndarray]:
    if name not in doc or not isinstance(doc[name], dict):
        raise StandardsError(f"[{name}] table is missing")
    t = doc[name]
    cols, units, rows = (_get(t, name, k) for k in ("columns", "units", "rows"))
    if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols):
        raise StandardsError(f"[{name}] columns must be a list of names")
    if not isinstance(units, list) or len(units) != len(cols):
        raise StandardsError(
            f"[{name}] units must be a list with one unit per column ({len(cols)} columns)"
        )
    allowed_cols = _REQUIRED[name] + _OPTIONAL[name]
    for c in cols:
        if c not in allowed_cols:
            raise StandardsError(
                f"[{name}] column {c!r} is unknown: allowed columns are {allowed_cols}"
            )
    for c in _REQUIRED[name]:
        if c not in cols:
            raise StandardsError(f"[{name}] column {c!r} is missing (required: {_REQUIRED[name]})")
    if len(set(cols)) != len(cols):
        raise StandardsError(f"[{name}] columns {cols} contain a duplicate")
    scale = []
    for c, u in zip(cols, units, strict=True):
        if u not in _UNITS[c]:
            raise StandardsError(
                f"[{name}] column {c!r}: unit {u!r} is invalid, allowed: {tuple(_UNITS[c])}"
            )
        scale.append(_UNITS[c][u])
    if not isinstance(rows, list) or not rows:
        raise StandardsError(f"[{name}] rows must be a non-empty list of rows")
    data = np.empty((len(rows), len(cols)))
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(cols):
            raise StandardsError(
                f"[{name}] row {i}: must have {len(cols)} values ({', '.join(cols)}), got {row!r}"
            )
        for j, (c, v) in enumerate(zip(cols, row, strict=True)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise StandardsError(
                    f"[{name}] row {i}, column {c!r}: value {v!r} is invalid: must be a finite "
                    "number"
                )
            if c not in _TEMPERATURES and (v < 0 or (v == 0 and c not in _MAY_BE_ZERO)):
                raise StandardsError(
                    f"[{name}] row {i}, column {c!r}: value {v!r} is invalid: must be "
                    f"{'>= 0' if c in _MAY_BE_ZERO else '> 0'}"
                )
            if c in _TEMPERATURES and not -50.0 <= v <= 250.0:
                raise StandardsError(
                    f"[{name}] row {i}, column {c!r}: value {v!r} °C is outside -50 to 250 °C"
                )
            data[i - 1, j] = float(v) * scale[j]
    return {c: data[:, j].copy() for j, c in enumerate(cols)}


def _instruments(doc: dict[str, Any]) -> tuple[Instrument, ...]:
    items = doc.get("instruments", [])
    if not isinstance(items, list):
        raise StandardsError("[[instruments]] must be an array of tables")
    out = []
    for i, it in enumerate(items, start=1):
        sec = f"instruments #{i}"
        if not isinstance(it, dict):
            raise StandardsError(f"[{sec}] must be a table")
        q = _get(it, sec, "quantity", str)
        unit = _get(it, sec, "unit", str)
        acc = _get(it, sec, "accuracy")
        if unit not in ("%", "rpm", "K"):
            raise StandardsError(f"[{sec}] unit = {unit!r} is invalid: must be '%', 'rpm' or 'K'")
        if isinstance(acc, bool) or not isinstance(acc, (int, float)):
            raise StandardsError(f"[{sec}] accuracy = {acc!r} is invalid: must be a number")
        out.append(Instrument(q, positive(f"[{sec}] accuracy", acc), unit))
    return tuple(out)


def parse_record(doc: dict[str, Any], source: str = "") -> TestRecord:
    """Builds a :class:`TestRecord` from a parsed TOML document (a dict)."""
    if "record" not in doc or not isinstance(doc["record"], dict):
        raise StandardsError("[record] table is missing")
    rec = doc["record"]
    fmt = _get(rec, "record", "format")
    if fmt != FORMAT:
        raise StandardsError(f"[record] format = {fmt!r} is invalid: must be {FORMAT!r}")
    motor_type = _choice("record", "motor_type", _get(rec, "record", "motor_type"), MOTOR_TYPES)
    poles = _get(rec, "record", "poles")
    if isinstance(poles, bool) or not isinstance(poles, int) or poles < 2 or poles % 2:
        raise StandardsError(f"[record] poles = {poles!r} is invalid: must be an even integer ≥ 2")
    materials = tuple(K_MATERIAL)
    stator = _choice(
        "record",
        "stator_winding_material",
        rec.get("stator_winding_material", "copper"),
        materials,
    )
    rotor = _choice(
        "record", "rotor_cage_material", rec.get("rotor_cage_material", "aluminium"), materials
    )
    coolant = rec.get("coolant_temperature_c")
    if "resistance" not in doc or not isinstance(doc["resistance"], dict):
        raise StandardsError("[resistance] table is missing (line_to_line_ohm, temperature_c)")
    res = doc["resistance"]
    try:
        record = TestRecord(
            motor_type=motor_type,
            rated_power_kw=positive(
                "[record] rated_power_kw", _get(rec, "record", "rated_power_kw")
            ),
            poles=poles,
            frequency_hz=positive("[record] frequency_hz", _get(rec, "record", "frequency_hz")),
            rated_voltage_v=positive(
                "[record] rated_voltage_v", _get(rec, "record", "rated_voltage_v")
            ),
            stator_winding_material=stator,
            rotor_cage_material=rotor,
            resistance_ohm=positive(
                "[resistance] line_to_line_ohm", _get(res, "resistance", "line_to_line_ohm")
            ),
            resistance_temperature_c=finite(
                "[resistance] temperature_c", _get(res, "resistance", "temperature_c")
            ),
            coolant_temperature_c=None
            if coolant is None
            else finite("[record] coolant_temperature_c", coolant),
            load=_table(doc, "load"),
            no_load=_table(doc, "no_load") if motor_type == "induction" else {},
            instruments=_instruments(doc),
            description=str(rec.get("description", "")),
            source=source,
        )
    except StandardsError:
        raise
    except InputError as err:  # pragma: no cover - helpers raise StandardsError
        raise StandardsError(str(err)) from None
    return record


def load_record(path: str | Path) -> TestRecord:
    """Reads a test record from a TOML file (see the module docstring for the format)."""
    p = Path(path)
    try:
        doc = read_toml(p, "test record")
    except StandardsError:
        raise
    except InputError as err:
        raise StandardsError(str(err)) from None
    return parse_record(doc, source=str(p))


def _fmt(v: float) -> str:
    return repr(float(v))


def to_toml(record: TestRecord) -> str:
    """Writes ``record`` in the TOML format that :func:`load_record` reads (SI units)."""
    unit = {
        "voltage": "V",
        "current": "A",
        "power": "W",
        "torque": "N.m",
        "speed": "rpm",
        "winding_temperature": "degC",
        "coolant_temperature": "degC",
        "frequency": "Hz",
    }
    lines = [
        "[record]",
        f'format = "{FORMAT}"',
        f'motor_type = "{record.motor_type}"',
        f"rated_power_kw = {_fmt(record.rated_power_kw)}",
        f"poles = {record.poles}",
        f"frequency_hz = {_fmt(record.frequency_hz)}",
        f"rated_voltage_v = {_fmt(record.rated_voltage_v)}",
        f'stator_winding_material = "{record.stator_winding_material}"',
        f'rotor_cage_material = "{record.rotor_cage_material}"',
    ]
    if record.coolant_temperature_c is not None:
        lines.append(f"coolant_temperature_c = {_fmt(record.coolant_temperature_c)}")
    if record.description:
        lines.append(f"description = {record.description!r}".replace("'", '"'))
    lines += [
        "",
        "[resistance]",
        f"line_to_line_ohm = {_fmt(record.resistance_ohm)}",
        f"temperature_c = {_fmt(record.resistance_temperature_c)}",
    ]
    for name, cols in (("no_load", record.no_load), ("load", record.load)):
        if not cols:
            continue
        names = list(cols)
        lines += [
            "",
            f"[{name}]",
            "columns = [" + ", ".join(f'"{c}"' for c in names) + "]",
            "units = [" + ", ".join(f'"{unit[c]}"' for c in names) + "]",
            "rows = [",
        ]
        n = len(cols[names[0]])
        for i in range(n):
            lines.append("  [" + ", ".join(_fmt(cols[c][i]) for c in names) + "],")
        lines.append("]")
    for ins in record.instruments:
        lines += [
            "",
            "[[instruments]]",
            f'quantity = "{ins.quantity}"',
            f"accuracy = {_fmt(ins.accuracy)}",
            f'unit = "{ins.unit}"',
        ]
    return "\n".join(lines) + "\n"
