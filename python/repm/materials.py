"""User-defined materials of every kind from one TOML file or one Python dict.

A materials file has one table per material, grouped by kind::

    [magnet.MyN42SH]                  # a magnet grade; `base` starts from a catalogue grade
    base = "N42SH"
    br_t = 1.31                       # T at the reference temperature
    hcj_a_per_m = 1.6e6               # A/m

    [magnet.LabSample]                # or every required field of repm.magnets.custom_grade
    br_t = 1.02
    hcj_a_per_m = 1.026e6
    alpha_br_pct_per_c = -0.13
    beta_hcj_pct_per_c = -0.6
    max_working_temperature_c = 100.0
    density_kg_per_m3 = 7500.0
    resistivity_ohm_m = 1.5e-6
    composition_wt_pct = { Nd = 15.0, Ce = 15.0, Fe = 68.9, B = 1.1 }

    [steel.MyGrade]                   # see repm.steels for every field, incl. loss tables
    density_kg_per_m3 = 7650.0
    bh_h_a_per_m = [0.0, 100.0, 300.0, 1000.0, 10000.0]
    bh_b_t = [0.0, 0.8, 1.3, 1.5, 1.8]

    [conductor.HotCopper]             # see repm.conductors
    resistivity_20c_ohm_m = 1.75e-8
    alpha_20_per_k = 0.0039
    density_kg_per_m3 = 8900.0

Each kind is validated by its own module (:func:`repm.magnets.custom_grade`,
:func:`repm.steels.steels_from_mapping`, :func:`repm.conductors.conductors_from_mapping`); any
invalid entry raises :class:`repm.InputError` naming the table and field. Unknown kinds are
rejected rather than ignored, so a typo such as ``[stee.X]`` cannot silently drop a material.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repm import conductors, magnets, steels
from repm._toml import read_toml
from repm.errors import InputError

KINDS = ("magnet", "steel", "conductor")


@dataclass(frozen=True)
class MaterialLibrary:
    """User-defined materials by kind and name (picklable)."""

    magnets: dict[str, magnets.MagnetGrade] = field(default_factory=dict)
    steels: dict[str, steels.Steel] = field(default_factory=dict)
    conductors: dict[str, conductors.Conductor] = field(default_factory=dict)

    def names(self) -> dict[str, list[str]]:
        """Names of the materials, by kind."""
        return {
            "magnet": sorted(self.magnets),
            "steel": sorted(self.steels),
            "conductor": sorted(self.conductors),
        }


def _magnets_from_mapping(section: Mapping[str, Any]) -> dict[str, magnets.MagnetGrade]:
    out: dict[str, magnets.MagnetGrade] = {}
    for name, spec in section.items():
        if not isinstance(spec, Mapping):
            raise InputError(f"magnet.{name} = {spec!r} is invalid: a table of fields is required")
        props = dict(spec)
        base = props.pop("base", None)
        if base is not None and not isinstance(base, str):
            raise InputError(f"magnet.{name}.base = {base!r} is invalid: a grade name is required")
        props.setdefault("name", name)
        try:
            out[name] = magnets.custom_grade(base, **props)
        except InputError as err:
            raise type(err)(f"magnet.{name}: {err}") from err
    return out


def from_mapping(data: Mapping[str, Any]) -> MaterialLibrary:
    """Builds and validates a :class:`MaterialLibrary` from ``{kind: {name: {field: value}}}``."""
    if not isinstance(data, Mapping):
        raise InputError(f"materials = {data!r} is invalid: a mapping kind -> name -> fields")
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise InputError(
            f"material kind(s) {unknown} are invalid: allowed kinds are {', '.join(KINDS)}"
        )
    for kind in KINDS:
        if kind in data and not isinstance(data[kind], Mapping):
            raise InputError(f"[{kind}] = {data[kind]!r} is invalid: a table of materials")
    return MaterialLibrary(
        magnets=_magnets_from_mapping(data.get("magnet", {})),
        steels=steels.steels_from_mapping(dict(data.get("steel", {}))),
        conductors=conductors.conductors_from_mapping(dict(data.get("conductor", {}))),
    )


def load_toml(path: str | Path) -> MaterialLibrary:
    """Reads user-defined magnets, steels and conductors from a TOML file (format above)."""
    return from_mapping(read_toml(path, "materials file"))
