"""``machine.toml``: the TOML form of a :class:`~repm.geometry.description.Machine`.

Tables and keys (lengths in m, angles in degrees, temperatures in °C); every key not listed
here is an error naming it::

    [machine]
    name = "..."                       # free text
    # any other [machine] key must be a number (ratings: rated_power_kw, speed_rpm, ...)

    [stator]
    outer_diameter_m, bore_diameter_m, stack_length_m, slots, steel, stacking_factor (= 1)

    [stator.slot]
    shape = "semi_closed" | "round_bottom" | "open_rectangular"
    depth_m, opening_width_m, opening_height_m, tooth_width_m, wedge_height_m (= 0)

    [winding]
    poles, turns_per_coil, layers (= 2), phases (= 3), pitch_slots (= full pitch),
    parallel_paths (= 1), connection ("star" | "delta"), fill_factor (= 0.45),
    conductor (= "copper")

    [drive]            # optional: read by repm.maps.load_drive (see repm.maps.Drive)

    [rotor]
    topology = "spm" | "ipm_v" | "ipm_flat" | "spoke" | "spm_outer"
    air_gap_m, shaft_diameter_m, steel, magnet_grade, magnet_temperature_c (= 20),
    magnet_axial_length_m (= stack length), min_bridge_m (= 0.0005), stacking_factor (= 1),
    back_iron_m (= 0; spm_outer only, and required > 0 there)

    # Outer rotor (topology "spm_outer"): the stator is inside. stator.outer_diameter_m is
    # the lamination diameter at the air gap (slot mouths on it, slots run inwards),
    # stator.bore_diameter_m the inner hub bore, stator.slot.depth_m is measured inwards from
    # the outer circle. The rotor ring: magnets from stator radius + air_gap_m outwards,
    # then back_iron_m of steel (rotor OD = stator OD + 2·(air_gap_m + thickness_m +
    # back_iron_m)). shaft_diameter_m = 0. Magnets: [rotor.spm] with shape "arc".

    [rotor.spm]        # topology "spm" or "spm_outer"
    thickness_m, pole_arc_ratio, shape ("arc" | "bread_loaf"), magnetisation
    ("radial" | "parallel" | "halbach"), loaf_radius_m (bread_loaf only),
    halbach_segments (>= 2, halbach only)

    [[rotor.v_layers]] # topology "ipm_v": one table = single V, two = double V
    magnet_width_m, magnet_thickness_m, v_angle_deg, apex_radius_m, centre_post_m,
    pocket_end_m (= 0)

    [rotor.flat]       # topology "ipm_flat"
    magnet_width_m, magnet_thickness_m, depth_m, pocket_end_m (= 0)

    [rotor.spoke]      # topology "spoke"
    magnet_length_m, magnet_thickness_m, inner_radius_m, pocket_inner_m (= 0)

See the dataclasses in :mod:`repm.geometry.description` for the meaning of every field and
``examples/machines/*.toml`` for complete files.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from repm._toml import read_toml
from repm.errors import GeometryError, InputError
from repm.geometry.description import (
    FlatMagnet,
    Machine,
    Rotor,
    Slot,
    SpmMagnets,
    SpokeMagnet,
    Stator,
    VLayer,
    Winding,
)


def load_machine(path: str | Path) -> Machine:
    """Reads and validates a ``machine.toml``.

    Raises:
        GeometryError: missing file, TOML syntax error (the message has the line), unknown or
            missing keys (named), or any invalid value (see :class:`Machine`).
    """
    try:
        data = read_toml(path, "machine file")
    except GeometryError:
        raise
    except InputError as err:
        raise GeometryError(str(err)) from err
    return machine_from_dict(data)


def _table(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise GeometryError(f"[{where}] = {data!r} is invalid: a TOML table is required")
    return data


def _build(cls: type, data: Any, where: str, skip: tuple[str, ...] = ()) -> Any:
    table = _table(data, where)
    names = {f.name for f in dataclasses.fields(cls)} - set(skip)
    unknown = sorted(set(table) - names)
    if unknown:
        raise GeometryError(
            f"[{where}] has unknown key(s) {', '.join(unknown)};"
            f" allowed: {', '.join(sorted(names))}"
        )
    required = {
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    } - set(skip)
    missing = sorted(required - set(table))
    if missing:
        raise GeometryError(f"[{where}] is missing key(s) {', '.join(missing)}")
    return table


def machine_from_dict(data: dict[str, Any]) -> Machine:
    """Builds a :class:`Machine` from a dict with the structure of ``machine.toml``."""
    data = _table(data, "file")
    # [drive] (inverter limits, losses) belongs to repm.maps.load_drive: accepted, not read here
    unknown = sorted(set(data) - {"machine", "stator", "winding", "rotor", "drive"})
    if unknown:
        raise GeometryError(
            f"machine file has unknown table(s) {', '.join(unknown)}; allowed: machine, stator,"
            " winding, rotor, drive"
        )
    for t in ("machine", "stator", "winding", "rotor"):
        if t not in data:
            raise GeometryError(f"machine file is missing the table [{t}]")
    machine = _table(data["machine"], "machine")
    name = machine.get("name", "unnamed machine")
    for k, v in machine.items():
        if k != "name" and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise GeometryError(f"machine.{k} = {v!r} is invalid: ratings must be numbers")
    st = dict(_build(Stator, data["stator"], "stator"))
    st["slot"] = Slot(**_build(Slot, st.get("slot"), "stator.slot"))
    stator = Stator(**st)
    winding = Winding(**_build(Winding, data["winding"], "winding"))
    ro = dict(_build(Rotor, data["rotor"], "rotor"))
    subs = {"spm": SpmMagnets, "flat": FlatMagnet, "spoke": SpokeMagnet}
    for key, cls in subs.items():
        if key in ro:
            ro[key] = cls(**_build(cls, ro[key], f"rotor.{key}"))
    if "v_layers" in ro:
        layers = ro["v_layers"]
        if not isinstance(layers, list):
            raise GeometryError(
                "rotor.v_layers is invalid: use [[rotor.v_layers]] tables (an array of tables)"
            )
        ro["v_layers"] = tuple(
            VLayer(**_build(VLayer, v, f"rotor.v_layers[{i}]")) for i, v in enumerate(layers)
        )
    try:
        rotor = Rotor(**ro)
        return Machine(name=name, stator=stator, winding=winding, rotor=rotor)
    except TypeError as err:  # pragma: no cover - keys are checked above
        raise GeometryError(str(err)) from err
