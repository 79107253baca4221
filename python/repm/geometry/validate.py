"""Cross-part validation of a :class:`~repm.geometry.description.Machine` (run on construction)."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import TYPE_CHECKING

from repm import conductors, magnets, steels
from repm import winding as _winding
from repm.errors import GeometryError, InputError

if TYPE_CHECKING:
    from repm.geometry.description import Machine


@lru_cache(maxsize=256)
def winding_analysis(
    slots: int, poles: int, phases: int, layers: int, pitch: int | None
) -> _winding.WindingAnalysis:
    """:func:`repm.winding.analyse`, cached, with its errors re-raised as GeometryError."""
    try:
        return _winding.analyse(slots, poles, phases=phases, layers=layers, pitch=pitch)
    except InputError as err:
        raise GeometryError(f"winding is invalid for {slots} slots: {err}") from err


def _material(where: str, fn: object, name: str) -> None:
    try:
        fn(name)  # type: ignore[operator]
    except InputError as err:
        raise GeometryError(f"{where} = {name!r} is invalid: {err}") from err


def validate_machine(m: Machine) -> None:
    """Checks that the parts of ``m`` fit together; raises GeometryError naming the parameter."""
    from repm.geometry.rotor import rotor_pockets, spm_geometry
    from repm.geometry.stator import slot_outline

    slot_outline(m.stator, m.is_outer_rotor)
    w = m.winding
    winding_analysis(m.stator.slots, w.poles, w.phases, w.layers, w.pitch_slots)
    _material("stator.steel", steels.steel, m.stator.steel)
    _material("rotor.steel", steels.steel, m.rotor.steel)
    _material("winding.conductor", conductors.conductor, w.conductor)
    _material("rotor.magnet_grade", magnets.grade, m.rotor.magnet_grade)
    _feature_sizes(m)
    if m.is_outer_rotor:
        spm_geometry(m)
        return
    rb = m.stator.bore_diameter_m / 2
    rr = m.rotor_outer_radius_m
    rsh = m.rotor.shaft_diameter_m / 2
    if rr <= 0:
        raise GeometryError(
            f"rotor.air_gap_m = {m.rotor.air_gap_m!r} is invalid: must be smaller than the bore"
            f" radius {rb!r} m"
        )
    if rsh >= rr:
        raise GeometryError(
            f"rotor.shaft_diameter_m = {m.rotor.shaft_diameter_m!r} is invalid: must be smaller"
            f" than the rotor outer diameter {2 * rr!r} m"
        )
    # Features below 1e-4 of the stator diameter cannot be discretised next to the rest
    # (checked above, _feature_sizes).
    if m.rotor.topology == "spm":
        spm_geometry(m)
    else:
        rotor_pockets(m)


def _feature_sizes(m: Machine) -> None:
    small = 1e-4 * m.stator.outer_diameter_m
    r = m.rotor
    parts: list[tuple[str, object]] = [
        ("stator", m.stator), ("stator.slot", m.stator.slot), ("rotor", r),
        ("rotor.spm", r.spm), ("rotor.flat", r.flat), ("rotor.spoke", r.spoke),
    ]  # fmt: skip
    parts += [(f"rotor.v_layers[{i}]", v) for i, v in enumerate(r.v_layers)]
    for where, obj in parts:
        if obj is None:
            continue
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            v = getattr(obj, f.name)
            if f.name.endswith("_m") and f.name != "min_bridge_m" and isinstance(v, float):
                if 0 < v < small:
                    raise GeometryError(
                        f"{where}.{f.name} = {v!r} is invalid: must be 0 (where allowed) or at"
                        f" least {small!r} m (1e-4 of the stator outer diameter)"
                    )
