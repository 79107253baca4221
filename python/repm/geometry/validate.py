"""Cross-part validation of a :class:`~repm.geometry.description.Machine` (run on construction)."""

from __future__ import annotations

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

    slot_outline(m.stator)
    w = m.winding
    winding_analysis(m.stator.slots, w.poles, w.phases, w.layers, w.pitch_slots)
    _material("stator.steel", steels.steel, m.stator.steel)
    _material("rotor.steel", steels.steel, m.rotor.steel)
    _material("winding.conductor", conductors.conductor, w.conductor)
    _material("rotor.magnet_grade", magnets.grade, m.rotor.magnet_grade)
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
    # Features below a millionth of the machine cannot be discretised next to the rest.
    small = 1e-6 * m.stator.outer_diameter_m
    optional = [("stator.slot.wedge_height_m", m.stator.slot.wedge_height_m)]
    optional += [(f"rotor.v_layers[{i}].pocket_end_m", v.pocket_end_m)
                 for i, v in enumerate(m.rotor.v_layers)]  # fmt: skip
    if m.rotor.flat is not None:
        optional.append(("rotor.flat.pocket_end_m", m.rotor.flat.pocket_end_m))
    if m.rotor.spoke is not None:
        optional.append(("rotor.spoke.pocket_inner_m", m.rotor.spoke.pocket_inner_m))
    for where, v in optional:
        if 0 < v < small:
            raise GeometryError(
                f"{where} = {v!r} is invalid: must be 0 or at least {small!r} m (1e-6 of the"
                " stator outer diameter)"
            )
    if m.rotor.topology == "spm":
        spm_geometry(m)
    else:
        rotor_pockets(m)
