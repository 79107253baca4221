"""Machine descriptions loaded from TOML (`machine.toml`).

For now this module reads the parts of a machine description that the materials and winding
layers use: the stator slot count and steel, the winding and the magnets. The geometry layer
extends the same file format. Lengths are in m, temperatures in °C, masses in kg.

The bundled example, :func:`example_path` ``("prius2004")``, is the Toyota Prius 2004 traction motor
with the sources of every value in its comments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from repm._toml import read_toml
from repm.errors import InputError

_EXAMPLES = ("prius2004",)


@dataclass(frozen=True)
class WindingSpec:
    """Winding of a machine description (the ``[winding]`` table)."""

    poles: int
    phases: int
    layers: int
    pitch_slots: int | None
    turns_per_coil: int
    coils_in_series_per_phase: int
    parallel_paths: int
    connection: str
    conductor: str
    phase_resistance_ohm: float | None
    phase_resistance_temperature_c: float | None
    operating_temperature_c: float


@dataclass(frozen=True)
class MachineSpec:
    """The materials- and winding-relevant part of a machine description.

    Attributes:
        name: free text.
        slots: number of stator slots Q.
        stack_length_m: axial length of the lamination stack, m.
        air_gap_m: mechanical air gap, m.
        steel: lamination grade name (see :func:`repm.steels.list_steels`).
        winding: the winding.
        magnet_grade: magnet grade name (see :func:`repm.magnets.list_grades`).
        magnet_grade_is_assumption: True when the grade is not published but assumed.
        magnet_mass_kg: total magnet mass of the machine, kg.
        magnet_thickness_m: magnet length along its magnetisation, m.
        magnet_width_m: magnet width across the magnetisation, m.
        magnet_count: number of magnet pieces in the cross-section.
        magnet_temperature_c: magnet temperature used for the summary, °C.
        ratings: the ``[machine]`` table's numeric entries (power in kW, torque in N·m,
            speed in rpm).
    """

    name: str
    slots: int
    stack_length_m: float
    air_gap_m: float
    bore_diameter_m: float
    steel: str
    winding: WindingSpec
    magnet_grade: str
    magnet_grade_is_assumption: bool
    magnet_mass_kg: float
    magnet_thickness_m: float
    magnet_width_m: float
    magnet_count: int
    magnet_temperature_c: float
    ratings: dict[str, float]


def example_path(name: str) -> Path:
    """Path of a bundled example machine description (``"prius2004"``)."""
    if name not in _EXAMPLES:
        raise InputError(f"example = {name!r} is unknown; allowed: {', '.join(_EXAMPLES)}")
    return Path(str(resources.files("repm") / "data" / "machines" / f"{name}.toml"))


def load_machine(path: str | Path) -> MachineSpec:
    """Reads and validates a machine description from a TOML file.

    Raises:
        InputError: when the file is missing, not valid TOML, or a field is missing or invalid;
            the message names the table and field.
    """
    return machine_from_dict(read_toml(path, "machine file"))


def machine_from_dict(data: dict[str, Any]) -> MachineSpec:
    """Builds a :class:`MachineSpec` from a dict with the TOML file's structure."""
    machine = _table(data, "machine")
    stator = _table(data, "stator")
    winding = _table(data, "winding")
    rotor = _table(data, "rotor")
    ratings = {
        k: _positive(machine, k, "machine") for k, v in machine.items() if not isinstance(v, str)
    }
    return MachineSpec(
        name=str(machine.get("name", "unnamed machine")),
        slots=_count(stator, "slots", "stator"),
        stack_length_m=_positive(stator, "stack_length_m", "stator"),
        air_gap_m=_positive(rotor, "air_gap_m", "rotor"),
        bore_diameter_m=_positive(stator, "bore_diameter_m", "stator"),
        steel=_text(stator, "steel", "stator"),
        winding=WindingSpec(
            poles=_count(winding, "poles", "winding"),
            phases=_count(winding, "phases", "winding", default=3),
            layers=_count(winding, "layers", "winding", default=2),
            pitch_slots=_count(winding, "pitch_slots", "winding")
            if "pitch_slots" in winding
            else None,
            turns_per_coil=_count(winding, "turns_per_coil", "winding"),
            coils_in_series_per_phase=_count(winding, "coils_in_series_per_phase", "winding"),
            parallel_paths=_count(winding, "parallel_paths", "winding", default=1),
            connection=_choice(winding, "connection", "winding", ("star", "delta")),
            conductor=_text(winding, "conductor", "winding", default="copper"),
            phase_resistance_ohm=(
                _positive(winding, "phase_resistance_ohm", "winding")
                if "phase_resistance_ohm" in winding
                else None
            ),
            phase_resistance_temperature_c=(
                _finite(winding, "phase_resistance_temperature_c", "winding")
                if "phase_resistance_temperature_c" in winding
                else None
            ),
            operating_temperature_c=_finite(
                winding, "operating_temperature_c", "winding", default=20.0
            ),
        ),
        magnet_grade=_text(rotor, "magnet_grade", "rotor"),
        magnet_grade_is_assumption=bool(rotor.get("magnet_grade_is_assumption", False)),
        magnet_mass_kg=_positive(rotor, "magnet_mass_kg", "rotor"),
        magnet_thickness_m=_positive(rotor, "magnet_thickness_m", "rotor"),
        magnet_width_m=_positive(rotor, "magnet_width_m", "rotor"),
        magnet_count=_count(rotor, "magnet_count", "rotor"),
        magnet_temperature_c=_finite(rotor, "magnet_temperature_c", "rotor", default=20.0),
        ratings=ratings,
    )


_MISSING = object()


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise InputError(f"[{name}] = {table!r} is invalid: a TOML table [{name}] is required")
    return table


def _get(table: dict[str, Any], key: str, where: str, default: Any) -> Any:
    value = table.get(key, default)
    if value is _MISSING:
        raise InputError(f"{where}.{key} is missing: a value is required")
    return value


def _finite(table: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> float:
    value = _get(table, key, where, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where}.{key} = {value!r} is invalid: a finite number is required")
    return float(value)


def _positive(table: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> float:
    value = _finite(table, key, where, default)
    if value <= 0.0:
        raise InputError(f"{where}.{key} = {value!r} is invalid: must be > 0")
    return value


def _count(table: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> int:
    value = _get(table, key, where, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{where}.{key} = {value!r} is invalid: a whole number >= 1 is required")
    return value


def _text(table: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> str:
    value = _get(table, key, where, default)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}.{key} = {value!r} is invalid: a non-empty name is required")
    return value


def _choice(table: dict[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = _text(table, key, where, default=allowed[0])
    if value not in allowed:
        raise InputError(f"{where}.{key} = {value!r} is invalid: allowed {', '.join(allowed)}")
    return value
