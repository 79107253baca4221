"""Machine description: frozen dataclasses, checked on construction.

Every length is in metres, angles in degrees only where the name says ``_deg``, temperatures in
°C. Constructing a :class:`Machine` runs the full geometric validation (see
:func:`repm.geometry.stator.slot_outline` and :func:`repm.geometry.rotor.rotor_parts`), so an
existing ``Machine`` object always describes a buildable cross-section. Every violation raises
:class:`repm.GeometryError` naming the parameter (``stator.slot.opening_width_m``) and the
constraint it breaks.

Layout conventions (used by the PSLG builder): stator tooth ``k`` is centred at angle
``k·2π/Q`` (so slot ``k`` is centred at ``(k + ½)·2π/Q``), rotor pole ``k`` (d-axis) at
``(k + ½)·π/p``; pole 0 is a north pole (magnetised outward). The sector sides at angle 0 thus
run through a tooth centre and a rotor q-axis, and never cut a magnet.

Outer-rotor machines (``rotor.topology = "spm_outer"``): the stator is inside. Its
``outer_diameter_m`` is the lamination diameter at the air gap, where the slots open (they run
inwards), and its ``bore_diameter_m`` the inner bore of the lamination (the hub, modelled as a
non-magnetic region). The rotor ring outside carries arc surface magnets on its inner surface:
magnet face radius = stator outer radius + ``rotor.air_gap_m``, rotor steel from there +
``rotor.spm.thickness_m`` to the rotor outer radius, ``rotor.back_iron_m`` further out.
``rotor.shaft_diameter_m`` must be 0 (there is no shaft inside the rotor). A north pole is
magnetised towards the air gap, i.e. inwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from repm.errors import GeometryError

SLOT_SHAPES = ("semi_closed", "open_rectangular", "round_bottom")
TOPOLOGIES = ("spm", "ipm_v", "ipm_flat", "spoke", "spm_outer")
SPM_SHAPES = ("arc", "bread_loaf")
MAGNETISATIONS = ("radial", "parallel", "halbach")
CONNECTIONS = ("star", "delta")


def _num(where: str, value: Any, *, minimum: float | None = 0.0, strict: bool = True) -> float:
    """A finite real number above ``minimum`` (strictly unless ``strict`` is False)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GeometryError(f"{where} = {value!r} is invalid: a finite number is required")
    v = float(value)
    if not math.isfinite(v):
        raise GeometryError(f"{where} = {value!r} is invalid: a finite number is required")
    if minimum is not None and (v <= minimum if strict else v < minimum):
        op = ">" if strict else ">="
        raise GeometryError(f"{where} = {v!r} is invalid: must be {op} {minimum}")
    return v


def _int(where: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise GeometryError(
            f"{where} = {value!r} is invalid: a whole number >= {minimum} is required"
        )
    return int(value)


def _choice(where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise GeometryError(f"{where} = {value!r} is invalid: allowed {', '.join(allowed)}")
    return str(value)


def _name(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GeometryError(f"{where} = {value!r} is invalid: a non-empty name is required")
    return value


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Slot:
    """Stator slot shape (one slot; the slot is symmetric about its centre line).

    Shapes:

    * ``semi_closed``: parallel-sided teeth of width ``tooth_width_m``, tooth tips leaving an
      opening ``opening_width_m`` wide and ``opening_height_m`` high, then a wedge rising
      ``wedge_height_m`` (radially) from the tip to the slot side, flat bottom.
    * ``round_bottom``: as ``semi_closed`` but the bottom is a circular arc tangent to both slot
      sides.
    * ``open_rectangular``: parallel-sided slot ``opening_width_m`` wide over its whole depth;
      the bottom ``opening_height_m`` near the bore is the wedge (air), the rest holds the coil;
      ``tooth_width_m`` and ``wedge_height_m`` are not used.

    ``depth_m`` is the radial distance from the bore circle to the deepest point of the slot,
    measured on the slot centre line.
    """

    shape: str
    depth_m: float
    opening_width_m: float
    opening_height_m: float
    tooth_width_m: float = 0.0
    wedge_height_m: float = 0.0

    def __post_init__(self) -> None:
        w = "stator.slot"
        _choice(f"{w}.shape", self.shape, SLOT_SHAPES)
        _set(self, "depth_m", _num(f"{w}.depth_m", self.depth_m))
        _set(self, "opening_width_m", _num(f"{w}.opening_width_m", self.opening_width_m))
        _set(self, "opening_height_m", _num(f"{w}.opening_height_m", self.opening_height_m))
        if self.shape == "open_rectangular":
            _set(
                self, "tooth_width_m", _num(f"{w}.tooth_width_m", self.tooth_width_m, strict=False)
            )
        else:
            _set(self, "tooth_width_m", _num(f"{w}.tooth_width_m", self.tooth_width_m))
        _set(self, "wedge_height_m", _num(f"{w}.wedge_height_m", self.wedge_height_m, strict=False))
        if self.opening_height_m + self.wedge_height_m >= self.depth_m:
            raise GeometryError(
                f"stator.slot.depth_m = {self.depth_m!r} is invalid: must exceed opening_height_m"
                f" + wedge_height_m = {self.opening_height_m + self.wedge_height_m!r}"
            )


@dataclass(frozen=True)
class Stator:
    """Stator lamination: diameters and stack length (m), slot count, slot shape, steel grade
    (:func:`repm.steels.list_steels`) and stacking factor (iron fraction of the stack,
    0 < kf ≤ 1)."""

    outer_diameter_m: float
    bore_diameter_m: float
    stack_length_m: float
    slots: int
    slot: Slot
    steel: str
    stacking_factor: float = 1.0

    def __post_init__(self) -> None:
        _set(self, "outer_diameter_m", _num("stator.outer_diameter_m", self.outer_diameter_m))
        _set(self, "bore_diameter_m", _num("stator.bore_diameter_m", self.bore_diameter_m))
        _set(self, "stack_length_m", _num("stator.stack_length_m", self.stack_length_m))
        _int("stator.slots", self.slots, 2)
        if not isinstance(self.slot, Slot):
            raise GeometryError(f"stator.slot = {self.slot!r} is invalid: a Slot is required")
        _name("stator.steel", self.steel)
        sf = _num("stator.stacking_factor", self.stacking_factor)
        if sf > 1.0:
            raise GeometryError(f"stator.stacking_factor = {sf!r} is invalid: must be in (0, 1]")
        _set(self, "stacking_factor", sf)
        if self.bore_diameter_m >= self.outer_diameter_m:
            raise GeometryError(
                f"stator.bore_diameter_m = {self.bore_diameter_m!r} is invalid: must be smaller"
                f" than stator.outer_diameter_m = {self.outer_diameter_m!r}"
            )


@dataclass(frozen=True)
class Winding:
    """Stator winding (analysed with :func:`repm.winding.analyse`).

    ``pitch_slots`` None = closest to full pitch; ``fill_factor`` is the copper fraction of the
    coil area of a slot (0 < kf < 1); ``conductor`` a :func:`repm.conductors.list_conductors`
    name. Double-layer coil sides lie side by side in the slot, layer 0 on the lower-angle half.
    """

    poles: int
    turns_per_coil: int
    layers: int = 2
    phases: int = 3
    pitch_slots: int | None = None
    parallel_paths: int = 1
    connection: str = "star"
    fill_factor: float = 0.45
    conductor: str = "copper"

    def __post_init__(self) -> None:
        _int("winding.poles", self.poles, 2)
        _int("winding.turns_per_coil", self.turns_per_coil)
        _int("winding.layers", self.layers)
        _int("winding.phases", self.phases)
        if self.pitch_slots is not None:
            _int("winding.pitch_slots", self.pitch_slots)
        _int("winding.parallel_paths", self.parallel_paths)
        _choice("winding.connection", self.connection, CONNECTIONS)
        ff = _num("winding.fill_factor", self.fill_factor)
        if ff >= 1.0:
            raise GeometryError(f"winding.fill_factor = {ff!r} is invalid: must be in (0, 1)")
        _set(self, "fill_factor", ff)
        _name("winding.conductor", self.conductor)


@dataclass(frozen=True)
class SpmMagnets:
    """Surface magnets of an SPM rotor (inner rotor: on the rotor's outer surface; outer rotor,
    topology ``spm_outer``: on the rotor ring's inner surface, arc shape only, mirrored
    outward: the magnet's air-gap face is its inner arc).

    ``shape="arc"``: constant-thickness arc magnets, inner radius = rotor outer radius −
    ``thickness_m``, spanning ``pole_arc_ratio`` of the pole pitch. ``shape="bread_loaf"``: flat
    bottom (a chord of the rotor core through the magnet edges at ± pole_arc_ratio·π/(2p)),
    sides parallel to the d-axis, top a circular arc of radius ``loaf_radius_m`` touching the
    rotor outer radius on the d-axis; ``thickness_m`` is the centre thickness.
    ``magnetisation``: ``radial``, ``parallel`` (along the d-axis) or ``halbach``: each arc
    magnet is split into ``halbach_segments`` equal segments, each magnetised parallel along
    the direction the ideal inner-rotor Halbach array has at its centre angle θ,
    θ − p·(θ − θ_N) (θ_N: d-axis of a north pole; radial outward on the north d-axis, tangential
    towards the north pole on the q-axis, so the flux is concentrated on the air-gap side).
    """

    thickness_m: float
    pole_arc_ratio: float
    shape: str = "arc"
    magnetisation: str = "radial"
    loaf_radius_m: float = 0.0
    halbach_segments: int = 0

    def __post_init__(self) -> None:
        w = "rotor.spm"
        _set(self, "thickness_m", _num(f"{w}.thickness_m", self.thickness_m))
        r = _num(f"{w}.pole_arc_ratio", self.pole_arc_ratio)
        if r >= 1.0:
            raise GeometryError(
                f"{w}.pole_arc_ratio = {r!r} is invalid: must be < 1 (magnets wider than the pole"
                " would touch their neighbours)"
            )
        _set(self, "pole_arc_ratio", r)
        _choice(f"{w}.shape", self.shape, SPM_SHAPES)
        _choice(f"{w}.magnetisation", self.magnetisation, MAGNETISATIONS)
        if self.shape == "bread_loaf":
            _set(self, "loaf_radius_m", _num(f"{w}.loaf_radius_m", self.loaf_radius_m))
        if self.magnetisation == "halbach":
            if self.shape != "arc":
                raise GeometryError(
                    f"{w}.magnetisation = 'halbach' is invalid with shape = {self.shape!r}:"
                    " Halbach segments are arc magnets"
                )
            _int(f"{w}.halbach_segments", self.halbach_segments, 2)
        elif self.halbach_segments != 0:
            raise GeometryError(
                f"{w}.halbach_segments = {self.halbach_segments!r} is invalid: only used with"
                " magnetisation = 'halbach' (leave it at 0)"
            )


@dataclass(frozen=True)
class VLayer:
    """One V of buried magnets per pole (two rectangular magnets, mirror images about the d-axis).

    In the pole's frame (d-axis = +x) the magnet on the negative side has its air-gap-side long
    edge starting at (``apex_radius_m``, −``centre_post_m``/2) and running ``magnet_width_m``
    along the direction at ``v_angle_deg``/2 from the d-axis (away from the axis, towards the
    rotor surface); it is ``magnet_thickness_m`` thick towards the rotor centre. An air pocket
    of the magnet's thickness extends the magnet by ``pocket_end_m`` at its outer end (flux
    barrier). ``v_angle_deg`` is the included angle between the two magnets (180 = flat).
    Magnetisation: perpendicular to the magnet, towards the air gap for a north pole.
    """

    magnet_width_m: float
    magnet_thickness_m: float
    v_angle_deg: float
    apex_radius_m: float
    centre_post_m: float
    pocket_end_m: float = 0.0

    def __post_init__(self) -> None:
        w = "rotor.v_layers"
        for k in ("magnet_width_m", "magnet_thickness_m", "apex_radius_m", "centre_post_m"):
            _set(self, k, _num(f"{w}.{k}", getattr(self, k)))
        _set(self, "pocket_end_m", _num(f"{w}.pocket_end_m", self.pocket_end_m, strict=False))
        a = _num(f"{w}.v_angle_deg", self.v_angle_deg)
        if a > 180.0:
            raise GeometryError(
                f"{w}.v_angle_deg = {a!r} is invalid: the V angle must be in (0, 180] degrees"
            )
        _set(self, "v_angle_deg", a)


@dataclass(frozen=True)
class FlatMagnet:
    """One flat (I-shaped) buried magnet per pole, perpendicular to the d-axis.

    Its air-gap-side face lies ``depth_m`` below the rotor outer radius (on the d-axis); it is
    ``magnet_width_m`` wide (tangential) and ``magnet_thickness_m`` thick (along the d-axis),
    with an air pocket of length ``pocket_end_m`` at each end. Magnetised along the d-axis.
    """

    magnet_width_m: float
    magnet_thickness_m: float
    depth_m: float
    pocket_end_m: float = 0.0

    def __post_init__(self) -> None:
        w = "rotor.flat"
        for k in ("magnet_width_m", "magnet_thickness_m", "depth_m"):
            _set(self, k, _num(f"{w}.{k}", getattr(self, k)))
        _set(self, "pocket_end_m", _num(f"{w}.pocket_end_m", self.pocket_end_m, strict=False))


@dataclass(frozen=True)
class SpokeMagnet:
    """Spoke (tangentially magnetised) magnets: one rectangular magnet on each inter-polar axis,
    ``magnet_length_m`` long radially from ``inner_radius_m``, ``magnet_thickness_m`` thick
    (tangential, the magnetised direction), with an air pocket ``pocket_inner_m`` long below it
    (towards the shaft). Magnet ``k`` (centred at (k + ½)·π/p) points to increasing angle for even
    ``k``; the poles (d-axes) lie between the magnets, at k·π/p."""

    magnet_length_m: float
    magnet_thickness_m: float
    inner_radius_m: float
    pocket_inner_m: float = 0.0

    def __post_init__(self) -> None:
        w = "rotor.spoke"
        for k in ("magnet_length_m", "magnet_thickness_m", "inner_radius_m"):
            _set(self, k, _num(f"{w}.{k}", getattr(self, k)))
        _set(self, "pocket_inner_m", _num(f"{w}.pocket_inner_m", self.pocket_inner_m, strict=False))


@dataclass(frozen=True)
class Rotor:
    """Rotor: topology (inner rotor: ``spm``, ``ipm_v`` with one or two V layers — single or
    double V —, ``ipm_flat``, ``spoke``; outer rotor: ``spm_outer``), mechanical air gap (m),
    shaft diameter (m, modelled as a non-magnetic region; 0 for ``spm_outer``), rotor back-iron
    (yoke) thickness outside the magnets ``back_iron_m`` (m, ``spm_outer`` only, else 0),
    lamination steel, magnet grade (:func:`repm.magnets.list_grades`) and temperature (°C), the
    magnets' axial length (None = the stator stack length), and the minimum steel bridge (m)
    between a pocket and the rotor surface, the shaft or a pole boundary (half of it on each
    side of a q-axis)."""

    topology: str
    air_gap_m: float
    shaft_diameter_m: float
    steel: str
    magnet_grade: str
    magnet_temperature_c: float = 20.0
    magnet_axial_length_m: float | None = None
    min_bridge_m: float = 0.0005
    stacking_factor: float = 1.0
    spm: SpmMagnets | None = None
    v_layers: tuple[VLayer, ...] = field(default_factory=tuple)
    flat: FlatMagnet | None = None
    spoke: SpokeMagnet | None = None
    back_iron_m: float = 0.0

    def __post_init__(self) -> None:
        _choice("rotor.topology", self.topology, TOPOLOGIES)
        _set(self, "air_gap_m", _num("rotor.air_gap_m", self.air_gap_m))
        outer = self.topology == "spm_outer"
        sh = _num("rotor.shaft_diameter_m", self.shaft_diameter_m, strict=not outer)
        if outer and sh != 0.0:
            raise GeometryError(
                f"rotor.shaft_diameter_m = {sh!r} is invalid with rotor.topology = 'spm_outer':"
                " must be 0 (the hub bore of an outer-rotor machine is stator.bore_diameter_m)"
            )
        _set(self, "shaft_diameter_m", sh)
        bi = _num("rotor.back_iron_m", self.back_iron_m, strict=outer)
        if not outer and bi != 0.0:
            raise GeometryError(
                f"rotor.back_iron_m = {bi!r} is invalid with rotor.topology ="
                f" {self.topology!r}: only used with 'spm_outer' (leave it at 0)"
            )
        _set(self, "back_iron_m", bi)
        _name("rotor.steel", self.steel)
        _name("rotor.magnet_grade", self.magnet_grade)
        _set(
            self,
            "magnet_temperature_c",
            _num("rotor.magnet_temperature_c", self.magnet_temperature_c, minimum=None),
        )
        if self.magnet_axial_length_m is not None:
            _set(
                self,
                "magnet_axial_length_m",
                _num("rotor.magnet_axial_length_m", self.magnet_axial_length_m),
            )
        _set(self, "min_bridge_m", _num("rotor.min_bridge_m", self.min_bridge_m, strict=False))
        sf = _num("rotor.stacking_factor", self.stacking_factor)
        if sf > 1.0:
            raise GeometryError(f"rotor.stacking_factor = {sf!r} is invalid: must be in (0, 1]")
        _set(self, "stacking_factor", sf)
        _set(self, "v_layers", tuple(self.v_layers))
        need = {
            "spm": ("spm", self.spm, SpmMagnets),
            "spm_outer": ("spm", self.spm, SpmMagnets),
            "ipm_flat": ("flat", self.flat, FlatMagnet),
            "spoke": ("spoke", self.spoke, SpokeMagnet),
        }
        if self.topology in need:
            key, value, cls = need[self.topology]
            if not isinstance(value, cls):
                raise GeometryError(
                    f"rotor.{key} = {value!r} is invalid: topology {self.topology!r} needs"
                    f" a {cls.__name__}"
                )
        given = {"spm": self.spm, "flat": self.flat, "spoke": self.spoke}
        given["v_layers"] = self.v_layers or None
        uses = {
            "spm": "spm",
            "spm_outer": "spm",
            "ipm_v": "v_layers",
            "ipm_flat": "flat",
            "spoke": "spoke",
        }
        for key, value in given.items():
            if value is not None and uses[self.topology] != key:
                raise GeometryError(
                    f"rotor.{key} is invalid with rotor.topology = {self.topology!r}: it"
                    f" belongs to another topology (this one uses rotor.{uses[self.topology]})"
                )
        if self.topology == "ipm_v" and not (
            1 <= len(self.v_layers) <= 2 and all(isinstance(v, VLayer) for v in self.v_layers)
        ):
            raise GeometryError(
                f"rotor.v_layers = {self.v_layers!r} is invalid: topology 'ipm_v' needs one"
                " (single V) or two (double V) VLayer entries"
            )
        if outer and self.spm is not None and self.spm.shape != "arc":
            raise GeometryError(
                f"rotor.spm.shape = {self.spm.shape!r} is invalid with rotor.topology ="
                " 'spm_outer': the outer rotor takes arc magnets only"
            )


@dataclass(frozen=True)
class Machine:
    """A radial-flux PM machine cross-section, inner or outer rotor (validated on
    construction)."""

    name: str
    stator: Stator
    winding: Winding
    rotor: Rotor

    def __post_init__(self) -> None:
        from repm.geometry.validate import validate_machine

        _name("name", self.name)
        validate_machine(self)

    @property
    def is_outer_rotor(self) -> bool:
        """True for outer-rotor topologies (``spm_outer``)."""
        return self.rotor.topology == "spm_outer"

    @property
    def stator_gap_radius_m(self) -> float:
        """Radius of the stator's air-gap circle (bore, or outer circle of an outer-rotor
        stator), m."""
        if self.is_outer_rotor:
            return self.stator.outer_diameter_m / 2
        return self.stator.bore_diameter_m / 2

    @property
    def rotor_gap_radius_m(self) -> float:
        """Radius of the rotor's air-gap face (magnet surface of SPM rotors), m."""
        if self.is_outer_rotor:
            return self.stator.outer_diameter_m / 2 + self.rotor.air_gap_m
        return self.stator.bore_diameter_m / 2 - self.rotor.air_gap_m

    @property
    def rotor_outer_radius_m(self) -> float:
        """Outer radius of the rotor including surface magnets (outer rotor: of the back
        iron), m."""
        if self.is_outer_rotor:
            spm = self.rotor.spm
            t = spm.thickness_m if spm is not None else 0.0
            return self.rotor_gap_radius_m + t + self.rotor.back_iron_m
        return self.stator.bore_diameter_m / 2 - self.rotor.air_gap_m

    @property
    def magnet_axial_length_m(self) -> float:
        """Axial length of the magnets, m (default: the stator stack length)."""
        m = self.rotor.magnet_axial_length_m
        return self.stator.stack_length_m if m is None else m
