"""Winding conductors: resistivity against temperature, ρ(T) = ρ20·(1 + α20·(T − 20 °C)).

Catalogue (``list_conductors()``):

* ``copper``: annealed copper, IEC 60028: ρ20 = 1/58 Ω·mm²/m (1.7241e-8 Ω·m), α20 = 0.00393 /K,
  density 8890 kg/m³.
* ``aluminium`` (also ``aluminum``, ``al``): hard-drawn aluminium, IEC 60889:
  ρ20 = 0.028264 Ω·mm²/m (2.8264e-8 Ω·m), α20 = 0.00403 /K, density 2703 kg/m³.

The linear law is applied from −50 °C to 250 °C. This range is a **model assumption** (the
standards give α at 20 °C only); outside it :class:`repm.TemperatureRangeError` is raised.
Units: Ω·m, 1/K, kg/m³, °C.

User-defined conductors come from :func:`custom_conductor` or a TOML file (:func:`load_toml`)::

    [conductor.CuAg]
    resistivity_20c_ohm_m = 1.75e-8
    alpha_20_per_k = 0.0038
    density_kg_per_m3 = 8900.0
    temperature_min_c = -40.0   # optional, default -50
    temperature_max_c = 220.0   # optional, default 250
    source = "supplier datasheet"
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from repm import _core
from repm._toml import read_toml
from repm.errors import InputError
from repm.steels import _as_f64, _shaped, _toml_value

__all__ = [
    "Conductor",
    "conductor",
    "conductors_from_mapping",
    "custom_conductor",
    "dumps_toml",
    "list_conductors",
    "load_toml",
]


@dataclass(frozen=True)
class Conductor:
    """A conductor material with a linear resistivity-temperature law (validated on creation)."""

    name: str
    resistivity_20c_ohm_m: float
    alpha_20_per_k: float
    density_kg_per_m3: float
    temperature_min_c: float = -50.0
    temperature_max_c: float = 250.0
    source: str = "user-defined"

    def __post_init__(self) -> None:
        for key in ("name", "source"):
            if not isinstance(getattr(self, key), str):
                raise InputError(f"{key} = {getattr(self, key)!r} is invalid: a string is required")
        for key in (
            "resistivity_20c_ohm_m",
            "alpha_20_per_k",
            "density_kg_per_m3",
            "temperature_min_c",
            "temperature_max_c",
        ):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise InputError(f"{key} = {v!r} is invalid: a number is required")
            object.__setattr__(self, key, float(v))
        _core.conductor_check(
            self.name,
            self.resistivity_20c_ohm_m,
            self.alpha_20_per_k,
            self.density_kg_per_m3,
            self.temperature_min_c,
            self.temperature_max_c,
            self.source,
        )

    def resistivity_ohm_m(self, temperature_c: Any) -> Any:
        """Resistivity in Ω·m at ``temperature_c`` (°C, scalar or array; within the valid range)."""
        arr, shape = _as_f64(temperature_c, "temperature_c")
        out = _core.conductor_resistivity_ohm_m(
            self.name,
            self.resistivity_20c_ohm_m,
            self.alpha_20_per_k,
            self.density_kg_per_m3,
            self.temperature_min_c,
            self.temperature_max_c,
            arr,
        )
        return _shaped(out, shape)

    def conductivity_s_per_m(self, temperature_c: Any) -> Any:
        """Electrical conductivity in S/m at ``temperature_c`` (°C)."""
        rho = self.resistivity_ohm_m(temperature_c)
        with np.errstate(over="ignore", divide="ignore"):
            sigma = 1.0 / np.asarray(rho)
        if not np.all(np.isfinite(sigma)):
            raise InputError(
                f"conductor {self.name}: resistivity {float(np.min(rho))!r} Ω·m is invalid for a "
                "conductivity: 1/ρ overflows (ρ must be ≥ about 1e-308 Ω·m)"
            )
        return float(sigma) if sigma.ndim == 0 else sigma

    @property
    def summary(self) -> str:
        """One line for listings."""
        return (
            f"{self.name}, ρ20 {self.resistivity_20c_ohm_m:.5g} Ω·m, "
            f"α20 {self.alpha_20_per_k:g} /K, {self.density_kg_per_m3:g} kg/m³, "
            f"{self.temperature_min_c:g}…{self.temperature_max_c:g} °C"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "name": self.name,
            "resistivity_20c_ohm_m": self.resistivity_20c_ohm_m,
            "alpha_20_per_k": self.alpha_20_per_k,
            "density_kg_per_m3": self.density_kg_per_m3,
            "temperature_min_c": self.temperature_min_c,
            "temperature_max_c": self.temperature_max_c,
            "source": self.source,
        }


def list_conductors() -> list[str]:
    """Names of the catalogue conductors."""
    return list(_core.conductor_names())


def conductor(name: str) -> Conductor:
    """Catalogue conductor by name (case-insensitive; ``cu``, ``al``, ``aluminum`` accepted).
    Raises UnknownMaterialError with the closest names."""
    if not isinstance(name, str):
        raise InputError(f"name = {name!r} is invalid: a conductor name string is required")
    d = _core.conductor_data(name)
    return Conductor(**d)


def custom_conductor(
    name: str,
    *,
    resistivity_20c_ohm_m: float,
    alpha_20_per_k: float,
    density_kg_per_m3: float,
    temperature_min_c: float = -50.0,
    temperature_max_c: float = 250.0,
    source: str = "user-defined",
) -> Conductor:
    """A user-defined conductor (SI units; temperatures in °C). Raises InputError."""
    return Conductor(
        name,
        resistivity_20c_ohm_m,
        alpha_20_per_k,
        density_kg_per_m3,
        temperature_min_c,
        temperature_max_c,
        source,
    )


_KEYS = {
    "resistivity_20c_ohm_m",
    "alpha_20_per_k",
    "density_kg_per_m3",
    "temperature_min_c",
    "temperature_max_c",
    "source",
}
_REQUIRED = {"resistivity_20c_ohm_m", "alpha_20_per_k", "density_kg_per_m3"}


def load_toml(path: str | Path) -> dict[str, Conductor]:
    """Conductors defined in the ``[conductor.NAME]`` tables of a TOML file (see module doc)."""
    section = read_toml(path, "conductor file").get("conductor")
    if not isinstance(section, dict) or not section:
        raise InputError(f"{path}: no [conductor.NAME] table found")
    return conductors_from_mapping(section)


def conductors_from_mapping(data: dict[str, Any]) -> dict[str, Conductor]:
    """Conductors from a Python mapping ``{name: {field: value}}`` laid out like the
    ``[conductor.NAME]`` TOML tables. Raises InputError on unknown/missing keys or bad values."""
    if not isinstance(data, dict):
        raise InputError(f"conductor = {data!r} is invalid: a table {{name: {{field: value}}}}")
    out: dict[str, Conductor] = {}
    for name, spec in data.items():
        if not isinstance(spec, dict):
            raise InputError(f"conductor.{name} must be a table")
        unknown, missing = set(spec) - _KEYS, _REQUIRED - set(spec)
        if unknown or missing:
            raise InputError(
                f"conductor.{name}: unknown keys {sorted(unknown)}, missing keys "
                f"{sorted(missing)}; allowed: {sorted(_KEYS)}"
            )
        out[name] = custom_conductor(name, **spec)
    return out


def dumps_toml(conductors: dict[str, Conductor] | list[Conductor]) -> str:
    """TOML text that :func:`load_toml` reads back into equal conductors."""
    items = conductors.values() if isinstance(conductors, dict) else conductors
    lines: list[str] = []
    for c in items:
        lines.append(f"[conductor.{json.dumps(c.name)}]")
        for key, value in c.to_dict().items():
            if key != "name":
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)
