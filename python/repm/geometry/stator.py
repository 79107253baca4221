"""Stator slot outlines in the slot's own frame (slot centre line = +x axis), and their curves.

Key points of the upper half (y > 0; the lower half is the mirror image y → −y):

* ``A``: slot mouth corner on the bore circle;
* ``B``: top of the opening (A moved ``opening_height_m`` outwards);
* ``C``: where the wedge meets the slot side (= B for open slots); the coil starts above the
  line C'–C;
* the coil side runs from ``C`` up the slot side to the bottom, ending at ``Mb`` = the bottom
  point on the centre line (flat bottom through ``D``, or round bottom through the tangent
  point ``T``).

The slot side of a parallel-tooth slot is the line at distance ``tooth_width_m``/2 from the
tooth centre line (angle ±π/Q from the slot centre line).

Outer-rotor stators (``outward=True``) use the same construction mirrored outward: the slot
mouth lies on the stator's outer circle (the air-gap side) and the slot runs inwards, so
"outwards" above reads "inwards" (B = A moved ``opening_height_m`` towards the centre, the
bottom ``depth_m`` below the outer circle). Parallel teeth then give slots that narrow towards
the bottom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repm.errors import GeometryError
from repm.geometry.curves import F, arc, chain, seg, segment_area, shoelace
from repm.geometry.description import Stator

#: Smallest stator yoke (outer radius minus the slot's outermost radius), as a share of the
#: outer radius (inner-rotor stators).
MIN_YOKE_FRACTION = 0.02


@dataclass(frozen=True, eq=False)
class SlotOutline:
    """Key points (upper half) and exact areas (m²) of one slot. ``r_bore`` is the radius of
    the air-gap-side circle the mouth lies on; ``outward`` is True for outer-rotor stators."""

    r_bore: float
    theta_a: float  # angle of the mouth corner A, rad
    A: F
    B: F
    C: F
    bottom: tuple[F, ...]  # points after C up to, not including, Mb (D, or T)
    Mb: F
    fillet: tuple[float, float] | None  # (centre x, radius) of a round bottom
    slot_area_m2: float
    opening_area_m2: float
    outward: bool = False

    @property
    def coil_area_m2(self) -> float:
        """Area available for the coil sides (slot minus opening and wedge), m²."""
        return self.slot_area_m2 - self.opening_area_m2

    @property
    def Mt(self) -> F:
        """Middle of the wedge-top line C'–C."""
        return np.array([self.C[0], 0.0])


def _mirror(p: F) -> F:
    q = np.array(p, dtype=np.float64, copy=True)
    q[..., 1] = -q[..., 1]
    return q


def slot_outline(stator: Stator, outward: bool = False) -> SlotOutline:
    """Computes and checks the slot outline of ``stator`` (``outward``: outer-rotor stator,
    slots open on the outer circle and run inwards).

    Raises:
        GeometryError: opening not smaller than the slot pitch, tooth tips that do not overhang
            (tooth too wide for the opening), round bottom below the wedge, slot deeper than the
            stator yoke allows (outer rotor: slot bottom not above the inner bore, or slot sides
            meeting before the bottom).
    """
    s = stator.slot
    q = stator.slots
    if outward:  # mouth on the outer circle; the "yoke limit" is the inner bore
        rb = stator.outer_diameter_m / 2
        ro = stator.bore_diameter_m / 2
    else:
        rb = stator.bore_diameter_m / 2
        ro = stator.outer_diameter_m / 2
    sg = -1.0 if outward else 1.0  # direction from the mouth to the slot bottom along x
    a = math.pi / q
    b0 = s.opening_width_m
    pitch = 2 * rb * math.sin(a)
    if b0 >= pitch:
        raise GeometryError(
            f"stator.slot.opening_width_m = {b0!r} is invalid: must be smaller than the slot pitch"
            f" chord at the bore, {pitch!r} m"
        )
    ta = math.asin(b0 / (2 * rb))
    A = np.array([rb * math.cos(ta), rb * math.sin(ta)])
    B = np.array([A[0] + sg * s.opening_height_m, A[1]])
    if not outward and B[0] <= rb:
        raise GeometryError(
            f"stator.slot.opening_height_m = {s.opening_height_m!r} is invalid: must exceed the"
            f" bore arc's rise across the opening, {rb - A[0]!r} m (the tips would cut the bore)"
        )
    x_bot = rb + sg * s.depth_m
    fillet = None
    if s.shape == "open_rectangular":
        C = B
        D = np.array([x_bot, A[1]])
        bottom: tuple[F, ...] = (D,)
        far = D
        if outward and A[1] >= x_bot * math.tan(a):
            raise GeometryError(
                f"stator.slot.depth_m = {s.depth_m!r} is invalid: an open slot"
                f" {b0!r} m wide reaching radius {x_bot!r} m leaves no tooth between"
                " neighbouring slots at its bottom"
            )
    else:
        half_w = s.tooth_width_m / 2
        sa, ca = math.sin(a), math.cos(a)
        if q < 3:
            raise GeometryError(
                f"stator.slots = {q} is invalid: parallel-tooth slots need at least 3 slots"
            )

        def side(x: float) -> F:
            t = (x - half_w * sa) / ca
            return np.array([x, t * sa - half_w * ca])

        C = side(B[0] + sg * s.wedge_height_m)
        if C[1] <= b0 / 2:
            raise GeometryError(
                f"stator.slot.tooth_width_m = {s.tooth_width_m!r} is invalid: the slot is only"
                f" {2 * C[1]!r} m wide at the tooth tips, not wider than the opening {b0!r} m"
                " (teeth too wide for this slot pitch)"
            )
        # Without a wedge the tooth-tip underside B–C bounds the coil, not the opening.
        lead: tuple[F, ...] = () if s.wedge_height_m > 0 else (C,)
        r_tip = max(float(np.hypot(*p)) for p in (B, C))
        if outward and r_tip >= rb * (1 - 1e-6):
            raise GeometryError(
                f"stator.slot.opening_height_m = {s.opening_height_m!r} is invalid: the tooth"
                f" tips end at radius {r_tip!r} m, not inside the stator outer radius {rb!r} m"
                " (the slot is too wide under the tips; make the tips higher or the teeth wider)"
            )
        if s.wedge_height_m == 0:
            C = B
        if outward and side(x_bot)[1] <= 0:
            raise GeometryError(
                f"stator.slot.depth_m = {s.depth_m!r} is invalid: the slot sides (parallel"
                f" teeth {s.tooth_width_m!r} m wide) meet at radius"
                f" {half_w / sa!r} m, before the slot bottom at {x_bot!r} m; make the slot"
                " shallower or the teeth narrower"
            )
        if s.shape == "semi_closed":
            D = side(x_bot)
            bottom = (*lead, D)
            far = D
        else:
            xc = (x_bot + sg * half_w) / (1 + sg * sa)
            r = xc * sa - half_w
            T = np.array([xc - r * sa, r * ca])
            if r <= 0 or sg * (T[0] - (lead[0][0] if lead else C[0])) <= 0:
                raise GeometryError(
                    f"stator.slot.depth_m = {s.depth_m!r} is invalid: the round bottom (radius"
                    f" {r!r} m) would reach below the wedge; make the slot deeper"
                )
            bottom = (*lead, T)
            fillet = (xc, r)
            far = T
    r_far = float(np.hypot(*far))
    if s.shape == "round_bottom" or outward:
        r_far = x_bot
    if outward and r_far <= ro:
        raise GeometryError(
            f"stator.slot.depth_m = {s.depth_m!r} is invalid: the slot bottom at radius"
            f" {r_far!r} m is not above the stator inner bore radius {ro!r} m"
            " (stator.bore_diameter_m; no yoke left)"
        )
    # A yoke thinner than 2 % of the outer radius at the slot's outermost point carries no
    # flux worth modelling, and the outer circle's chords (at most 15° each, sagging up to
    # 0.86 % of the radius) could cut into the slot.
    if not outward and r_far > ro * (1 - MIN_YOKE_FRACTION):
        raise GeometryError(
            f"stator.slot.depth_m = {s.depth_m!r} is invalid: the slot reaches radius {r_far!r} m;"
            f" the yoke outside it must be at least {100 * MIN_YOKE_FRACTION:g} % of the stator"
            f" outer radius {ro!r} m"
        )
    Mb = np.array([x_bot, 0.0])
    half = [A, B] + ([] if C is B else [C]) + list(bottom)
    poly = np.array([_mirror(p) for p in half] + half[::-1])
    # the mouth arc bulges into the slot (inner rotor) or away from it (outer rotor)
    slot_area = sg * shoelace(poly) - sg * segment_area(rb, 2 * ta)
    if fillet is not None:
        slot_area += segment_area(fillet[1], math.pi + sg * 2 * a)
    op = [A, B] + ([] if C is B else [C])
    opening = sg * shoelace(np.array([_mirror(p) for p in op] + op[::-1]))
    opening -= sg * segment_area(rb, 2 * ta)
    return SlotOutline(
        rb, ta, A, B, C, bottom, Mb, fillet, float(slot_area), float(opening), outward
    )


@dataclass(frozen=True, eq=False)
class SlotCurves:
    """Discretised curves of one slot in its own frame (see :func:`slot_curves`)."""

    mouth: F  # bore arc A' → A
    open_lo: F  # A' → B' → C'
    open_hi: F  # A → B → C
    coil_lo: F  # C' → … → Mb
    coil_hi: F  # C → … → Mb
    wedge: F  # C' → C (through Mt when split)
    split: F | None  # Mt → Mb (double layer)


def slot_curves(
    o: SlotOutline, h_open: float, h_coil: float, h_steel: float, h_gap: float, split: bool
) -> SlotCurves:
    """The slot's curves, each discretised once at the finer size of the two regions it
    separates."""
    hos, hcs, hoc = min(h_open, h_steel), min(h_coil, h_steel), min(h_open, h_coil)
    if o.C is o.B:
        hi = seg(o.A, o.B, hos)
    else:
        hi = chain(seg(o.A, o.B, hos), seg(o.B, o.C, hos))
    pieces = []
    prev = o.C
    for p in o.bottom:
        pieces.append(seg(prev, p, hcs))
        prev = p
    if o.fillet is None:
        pieces.append(seg(prev, o.Mb, hcs))
    else:
        xc, r = o.fillet
        t0 = math.atan2(prev[1], prev[0] - xc)
        t1 = math.pi if o.outward else 0.0
        pieces.append(arc(r, t0, t1, hcs, center=np.array([xc, 0.0]), p0=prev, p1=o.Mb))
    coil_hi = chain(*pieces)
    mouth = arc(o.r_bore, -o.theta_a, o.theta_a, min(h_open, h_gap), p0=_mirror(o.A), p1=o.A)
    C_lo = _mirror(o.C)
    if split:
        wedge = chain(seg(C_lo, o.Mt, hoc), seg(o.Mt, o.C, hoc))
        split_line = seg(o.Mt, o.Mb, h_coil)
    else:
        wedge = seg(C_lo, o.C, hoc)
        split_line = None
    return SlotCurves(mouth, _mirror(hi), hi, _mirror(coil_hi), coil_hi, wedge, split_line)
