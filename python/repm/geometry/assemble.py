"""The PSLG of a machine cross-section (full machine or smallest periodic sector).

Radial layout (inner rotor): shaft | rotor steel (with pockets or surface magnets) | rotor-side
air-gap layer | air-gap band | stator-side air-gap layer | stator steel (slots: opening air and
coil sides). The air gap g is split into three equal layers; the band is the middle one.

Every boundary curve is discretised once (see :mod:`repm.geometry.curves`) at the finer of the
target sizes of the two regions it separates; points that coincide are merged exactly, and loop
orientation is fixed from the signed area (outer loops counter-clockwise, holes clockwise).

Radial layout (outer rotor, ``spm_outer``): stator hub (non-magnetic, kind ``shaft``) | stator
steel (slots open outwards) | stator-side air-gap layer | air-gap band | rotor-side air-gap layer
| surface magnets and rotor steel ring. The same slot curves (mirrored outward, see
:mod:`repm.geometry.stator`) and surface-magnet curves are used as for inner rotors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repm.errors import GeometryError
from repm.geometry.curves import F, arc, chain, merge_points, polar, rotate, seg, shoelace
from repm.geometry.description import Machine
from repm.geometry.rotor import Pocket, rotor_pockets, spm_geometry
from repm.geometry.stator import slot_curves, slot_outline
from repm.geometry.validate import winding_analysis
from repm.pslg import Pslg, Region

PHASE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class MeshSize:
    """Target edge lengths per region kind.

    The air-gap layers get ``g / airgap_layers`` (g = air gap; with the default 3 every one of
    the three gap layers is about one element thick, so at least 3 element layers cross the
    gap). The other sizes are fractions of the stator slot pitch at the air gap, τ = π·D/Q
    (D = bore diameter, or the stator outer diameter of an outer-rotor machine), times
    ``scale``: stator steel 0.2τ, coils 0.25τ, slot openings 0.15τ (at most half the opening
    width), rotor steel 0.25τ, magnets 0.2τ (at most half the magnet thickness), pocket air
    0.15τ, shaft 0.6τ. With the defaults the full Prius 2004 (Q = 48, τ = 10.6 mm) has about
    20k mesh nodes by the estimate 2·A/(√3·h²) per region (``scale=0.8``: about 25k); the
    mesher decides the final count. Curves between two regions use the finer of the two sizes.
    """

    airgap_layers: int = 3
    scale: float = 1.0
    stator_steel: float = 0.2
    coil: float = 0.25
    slot_opening: float = 0.15
    rotor_steel: float = 0.25
    magnet: float = 0.2
    pocket_air: float = 0.15
    shaft: float = 0.6

    def __post_init__(self) -> None:
        n = self.airgap_layers
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise GeometryError(
                f"mesh_size.airgap_layers = {n!r} is invalid: a whole number >= 1 is required"
            )
        for k in (
            "scale", "stator_steel", "coil", "slot_opening", "rotor_steel", "magnet",
            "pocket_air", "shaft",
        ):  # fmt: skip
            v = getattr(self, k)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float))
                or not (math.isfinite(v) and v > 0)
            ):
                raise GeometryError(f"mesh_size.{k} = {v!r} is invalid: must be finite and > 0")

    def sizes(self, m: Machine) -> dict[str, float]:
        """Absolute target sizes (m) keyed by ``gap``, ``stator``, ``coil``, ``open``,
        ``rotor``, ``magnet``, ``pocket``, ``shaft``."""
        tau = 2 * math.pi * m.stator_gap_radius_m / m.stator.slots * self.scale
        r = m.rotor
        t_mag = {
            "spm": r.spm.thickness_m if r.spm else 0.0,
            "spm_outer": r.spm.thickness_m if r.spm else 0.0,
            "ipm_v": min((v.magnet_thickness_m for v in r.v_layers), default=0.0),
            "ipm_flat": r.flat.magnet_thickness_m if r.flat else 0.0,
            "spoke": r.spoke.magnet_thickness_m if r.spoke else 0.0,
        }[r.topology]
        return {
            "gap": r.air_gap_m / self.airgap_layers,
            "stator": self.stator_steel * tau,
            "coil": self.coil * tau,
            "open": min(self.slot_opening * tau, m.stator.slot.opening_width_m / 2),
            "rotor": self.rotor_steel * tau,
            "magnet": min(self.magnet * tau, t_mag / 2),
            "pocket": self.pocket_air * tau,
            "shaft": self.shaft * tau,
        }


class _Builder:
    def __init__(self) -> None:
        self.regions: list[Region] = []
        self.sizes: list[float] = []
        self.loops: list[tuple[int, F, bool, bool]] = []  # region, points, hole, protected

    def region(self, region: Region, size: float) -> int:
        self.regions.append(region)
        self.sizes.append(size)
        return len(self.regions) - 1

    def loop(self, r: int, pts: F, *, hole: bool = False, protected: bool = False) -> None:
        self.loops.append((r, pts, hole, protected))


def _layer(
    b: _Builder,
    r: int,
    lower: F | None,
    upper: F,
    side: tuple[F, F] | None,
    protect: tuple[bool, bool] = (False, False),
) -> None:
    """Region between an inner contour ``lower`` and an outer contour ``upper`` (both in
    increasing angle from 0 to the sector angle); ``side`` = the layer's pieces of the two
    sector sides (inner → outer), None for the full machine, where ``protect`` flags the
    (lower, upper) loops (the band circles). A sector loop contains side pieces and is always
    protected."""
    if side is None:
        b.loop(r, upper, protected=protect[1])
        if lower is not None:
            b.loop(r, lower, hole=True, protected=protect[0])
        return
    s0, s1 = side
    parts = [s0, upper, s1[::-1]]
    if lower is not None:
        parts.append(lower[::-1])
    b.loop(r, chain(*parts), protected=True)


def _pocket_edges(pk: Pocket, h_part: dict[str, float], h_steel: float) -> dict[tuple[int, int], F]:
    """Every edge of a pocket discretised once (key: sorted vertex pair)."""
    owners: dict[tuple[int, int], list[float]] = {}
    for p in pk.parts:
        for i in range(len(p.verts)):
            a, c = p.verts[i], p.verts[(i + 1) % len(p.verts)]
            owners.setdefault((min(a, c), max(a, c)), []).append(h_part[p.kind])
    out = {}
    for (a, c), hs in owners.items():
        h = min(hs) if len(hs) > 1 else min(hs[0], h_steel)
        out[(a, c)] = seg(pk.vertices[a], pk.vertices[c], h)
    return out


def _cycle(edges: dict[tuple[int, int], F], verts: list[int] | tuple[int, ...]) -> F:
    pieces = []
    for i in range(len(verts)):
        a, c = verts[i], verts[(i + 1) % len(verts)]
        e = edges[(min(a, c), max(a, c))]
        pieces.append(e if a < c else e[::-1])
    return chain(*pieces)


def _sides(
    radii: list[tuple[float, float, float]], theta: float, sector: bool
) -> tuple[list[tuple[F, F] | None], list[F]]:
    """Each layer's pieces of the two sector sides (None for the full machine) and the side-0
    pieces."""
    side: list[tuple[F, F] | None] = [None] * len(radii)
    side0_all: list[F] = []
    if sector:
        for i, (ra, rc_, hh) in enumerate(radii):
            s0 = seg(np.array([ra, 0.0]), np.array([rc_, 0.0]), hh)
            side[i] = (s0, rotate(s0, theta))
            side0_all.append(s0)
    return side, side0_all


def sector_of(m: Machine) -> tuple[int, bool]:
    """(slots in the smallest sector, antiperiodic) from the winding and the rotor poles."""
    w = m.winding
    a = winding_analysis(m.stator.slots, w.poles, w.phases, w.layers, w.pitch_slots)
    return a.sector_slots, a.antiperiodic


def build_pslg(m: Machine, *, sector: bool = True, mesh_size: MeshSize | None = None) -> Pslg:
    """Region-labelled PSLG of machine ``m`` for the mesher (see :mod:`repm.pslg`).

    ``sector=True`` gives the smallest periodic (or anti-periodic) sector from the winding
    periodicity (:func:`repm.winding.analyse`), bounded by radial sides at angle 0 (through a
    tooth centre and a rotor q-axis) and at ``sector_angle_rad``; ``periodic_pairs`` pair each
    side-0 point except the centre with its rotated image. ``sector=False``, or a winding
    without periodicity, gives the full machine. Rotor pole 0 (north) has its d-axis at
    π/(2p); slot 0 is centred at π/Q.

    Regions: ``shaft``, ``rotor steel``, magnets ``magnet P.J`` (pole P, piece J) with their
    magnetisation, pocket air ``pocket air P.J``, ``rotor air gap``, ``air gap band`` (size −1,
    built by the mesher from :attr:`~repm.pslg.Pslg.band_rotor_points` and
    :attr:`~repm.pslg.Pslg.band_stator_points`), ``stator air gap``, ``stator steel``,
    ``slot opening K`` and coil sides ``coil A+ layer L slot K`` (phase, sign and layer from
    ``repm.winding.analyse(...).layout``; layer 0 lies on the lower-angle half of the slot).

    Outer rotor (``spm_outer``): the same regions in the order ``stator hub`` (kind ``shaft``),
    ``stator steel``, ``stator air gap``, ``air gap band``, ``rotor air gap``, magnets, ``rotor
    steel``; a north pole is magnetised inwards (radial magnets: ``sign`` −1; parallel and
    Halbach magnets: ``direction_rad`` points inwards on the d-axis and ``sign`` is +1 for the
    north pole as for inner rotors). The band's rotor points are then on its outer circle.
    """
    ms = mesh_size if mesh_size is not None else MeshSize()
    if not isinstance(ms, MeshSize):
        raise GeometryError(f"mesh_size = {ms!r} is invalid: a MeshSize or None is required")
    if not isinstance(m, Machine):
        raise GeometryError(f"machine = {m!r} is invalid: a repm.geometry.Machine is required")
    h = ms.sizes(m)
    Q = m.stator.slots
    p2 = m.winding.poles
    w = m.winding
    analysis = winding_analysis(Q, p2, w.phases, w.layers, w.pitch_slots)
    if sector and analysis.sector_slots < Q:
        ns, anti = analysis.sector_slots, analysis.antiperiodic
    else:  # the smallest sector is the whole machine
        sector = False
        ns, anti = Q, False
    tau_s = 2 * math.pi / Q
    tau_p = 2 * math.pi / p2
    theta = ns * tau_s if sector else 2 * math.pi
    npoles = round(theta / tau_p)
    outer = m.is_outer_rotor
    ro, rb = m.stator.outer_diameter_m / 2, m.stator.bore_diameter_m / 2
    g = m.rotor.air_gap_m
    rr = m.rotor_gap_radius_m
    r_in = min(rr, m.stator_gap_radius_m)  # inner circle of the air gap
    r1, r2 = r_in + g / 3, r_in + 2 * g / 3
    rsh = rb if outer else m.rotor.shaft_diameter_m / 2  # stator hub / shaft radius
    b = _Builder()

    # --- stator: slots, bore contour -------------------------------------------------------
    o = slot_outline(m.stator, outer)
    r_gap_s = o.r_bore
    split = w.layers == 2
    sc = slot_curves(o, h["open"], h["coil"], h["stator"], h["gap"], split)
    h_tip = min(h["stator"], h["gap"])
    steel_lower: list[F] = []
    bore: list[F] = []
    prev_end, prev_angle = None, 0.0
    layout = analysis.layout
    slot_regions = []
    for k in range(ns):
        phi = (k + 0.5) * tau_s
        c = {name: rotate(getattr(sc, name), phi) for name in
             ("mouth", "open_lo", "open_hi", "coil_lo", "coil_hi", "wedge")}  # fmt: skip
        tip = arc(r_gap_s, prev_angle, phi - o.theta_a, h_tip, p0=prev_end, p1=c["mouth"][0])
        steel_lower += [tip, c["open_lo"], c["coil_lo"], c["coil_hi"][::-1], c["open_hi"][::-1]]
        bore += [tip, c["mouth"]]
        prev_end, prev_angle = c["mouth"][-1], phi + o.theta_a
        slot_regions.append((k, c, None if sc.split is None else rotate(sc.split, phi)))
    tip = arc(r_gap_s, prev_angle, theta, h_tip, p0=prev_end)
    steel_lower.append(tip)
    bore.append(tip)
    for k, c, split_line in slot_regions:
        ro_ = b.region(Region(f"slot opening {k}", "air"), h["open"])
        b.loop(ro_, chain(c["mouth"], c["open_hi"], c["wedge"][::-1], c["open_lo"][::-1]))
        halves = [(c["wedge"], c["coil_hi"], c["coil_lo"])]
        if split_line is not None:
            mid = (len(c["wedge"]) - 1) // 2
            halves = [
                (c["wedge"][: mid + 1], split_line, c["coil_lo"]),
                (c["wedge"][mid:], c["coil_hi"], split_line),
            ]
        for layer, (bottom, up, down) in enumerate(halves):
            ph, sg = int(layout.phase[k, layer]), int(layout.sign[k, layer])
            name = f"coil {PHASE_LETTERS[ph]}{'+' if sg > 0 else '-'} layer {layer} slot {k}"
            reg = Region(name, "coil", w.conductor, sign=sg, phase=ph, layer=layer, slot=k)
            b.loop(b.region(reg, h["coil"]), chain(bottom, up, down[::-1]))

    # --- rotor surface ---------------------------------------------------------------------
    h_rs = min(h["rotor"], h["gap"])
    grade = m.rotor.magnet_grade
    if m.rotor.topology in ("spm", "spm_outer"):
        sp = spm_geometry(m)
        spm = m.rotor.spm
        assert spm is not None
        hm = min(h["magnet"], h["gap"])
        hmr = min(h["magnet"], h["rotor"])
        P_hi, Q_hi = sp.P, sp.Q
        P_lo, Q_lo = P_hi * [1.0, -1.0], Q_hi * [1.0, -1.0]
        nseg_ = spm.halbach_segments if spm.magnetisation == "halbach" else 1
        if sp.shape == "arc":
            edges = [-sp.half_angle + 2 * sp.half_angle * i / nseg_ for i in range(nseg_ + 1)]
            pb = [P_lo] + [polar(sp.r_core, a) for a in edges[1:-1]] + [P_hi]
            qt = [Q_lo] + [polar(sp.r_top, a) for a in edges[1:-1]] + [Q_hi]
            divs = [
                seg(pb[i], qt[i], hm if i in (0, nseg_) else h["magnet"]) for i in range(nseg_ + 1)
            ]
            segs = []
            for i in range(nseg_):
                bot = arc(sp.r_core, edges[i], edges[i + 1], hmr, p0=pb[i], p1=pb[i + 1])
                top = arc(sp.r_top, edges[i], edges[i + 1], hm, p0=qt[i], p1=qt[i + 1])
                segs.append((0.5 * (edges[i] + edges[i + 1]), bot, divs[i], top, divs[i + 1]))
        else:
            bot = seg(P_lo, P_hi, hmr)
            ang = math.atan2(Q_hi[1], Q_hi[0] - sp.x_top)
            top = arc(sp.r_top, -ang, ang, hm, center=np.array([sp.x_top, 0.0]), p0=Q_lo, p1=Q_hi)
            segs = [(0.0, bot, seg(P_lo, Q_lo, hm), top, seg(P_hi, Q_hi, hm))]
        bottom = chain(*[sg[1] for sg in segs])
        surface = chain(segs[0][2], *[sg[3] for sg in segs], segs[-1][4][::-1])
        rotor_upper: list[F] = []
        air_lower: list[F] = []
        prev_end, prev_angle = None, 0.0
        pp = p2 // 2
        for k in range(npoles):
            phi = (k + 0.5) * tau_p
            bt = rotate(bottom, phi)
            gapc = arc(sp.r_core, prev_angle, phi - sp.half_angle, h_rs, p0=prev_end, p1=bt[0])
            rotor_upper += [gapc, bt]
            air_lower += [gapc, rotate(surface, phi)]
            prev_end, prev_angle = bt[-1], phi + sp.half_angle
            north = k % 2 == 0
            sign = 1 if north else -1
            for j, (tc, sb, sl, st_, sr) in enumerate(segs):
                name = f"magnet {k}.{j}"
                if spm.magnetisation == "radial":  # outer rotor: north points inwards
                    reg = Region(name, "magnet", grade, "radial", sign=-sign if outer else sign)
                elif spm.magnetisation == "parallel":
                    d = phi + (0.0 if north else math.pi) + (math.pi if outer else 0.0)
                elif outer:  # inward-focusing Halbach: the direction turns by +p times the angle
                    t = phi + tc
                    d = math.pi + t + pp * (t - 0.5 * tau_p)
                else:  # Halbach: the direction turns by -p times the angle from pole 0's d-axis
                    t = phi + tc
                    d = t - pp * (t - 0.5 * tau_p)
                if spm.magnetisation != "radial":
                    d = math.remainder(d, 2 * math.pi)
                    reg = Region(name, "magnet", grade, "parallel", direction_rad=d, sign=sign)
                loop = chain(sb[::-1], sl, st_, sr[::-1])
                b.loop(b.region(reg, h["magnet"]), rotate(loop, phi))
        gapc = arc(sp.r_core, prev_angle, theta, h_rs, p0=prev_end)
        rotor_upper.append(gapc)
        air_lower.append(gapc)
        r_core = sp.r_core
        rotor_up = chain(*rotor_upper)
        air_low = chain(*air_lower)
    else:
        r_core = rr
        rotor_up = air_low = arc(rr, 0.0, theta, h_rs)

    if outer:
        radii = [(0.0, rsh, h["shaft"]), (rsh, r_gap_s, h["stator"]), (r_gap_s, r1, h["gap"]),
                 (r1, r2, math.inf), (r2, r_core, h["gap"]),
                 (r_core, m.rotor_outer_radius_m, h["rotor"])]  # fmt: skip
        sides, side0 = _sides(radii, theta, sector)
        hub = b.region(Region("stator hub", "shaft"), h["shaft"])
        hub_arc = arc(rsh, 0.0, theta, min(h["shaft"], h["stator"]))
        _layer(b, hub, None, hub_arc, sides[0])
        stator = b.region(Region("stator steel", "stator_steel", m.stator.steel), h["stator"])
        _layer(b, stator, hub_arc, chain(*steel_lower), sides[1])
        band_s = arc(r1, 0.0, theta, h["gap"], n=max(3, math.ceil(theta * r2 / h["gap"] - 1e-9)))
        band_r = arc(r2, 0.0, theta, h["gap"], n=len(band_s) - 1)
        sair = b.region(Region("stator air gap", "airgap"), h["gap"])
        _layer(b, sair, chain(*bore), band_s, sides[2], (False, True))
        band = b.region(Region("air gap band", "airgap_band"), -1.0)
        _layer(b, band, band_s, band_r, sides[3], (True, True))
        rair = b.region(Region("rotor air gap", "airgap"), h["gap"])
        _layer(b, rair, band_r, air_low, sides[4], (True, False))
        rotor = b.region(Region("rotor steel", "rotor_steel", m.rotor.steel), h["rotor"])
        r_out = arc(m.rotor_outer_radius_m, 0.0, theta, h["rotor"])
        _layer(b, rotor, rotor_up, r_out, sides[5])
        return _finish(b, m, band_r, band_s, band, side0, theta, sector, anti)
    # --- sides -----------------------------------------------------------------------------
    h_band = h["gap"]
    radii = [
        (0.0, rsh, h["shaft"]),
        (rsh, r_core, h["rotor"]),
        (r_core, r1, h["gap"]),
        (r1, r2, math.inf),
        (r2, rb, h["gap"]),
        (rb, ro, h["stator"]),
    ]
    side, side0_all = _sides(radii, theta, sector)

    # --- layers ----------------------------------------------------------------------------
    shaft = b.region(Region("shaft", "shaft"), h["shaft"])
    shaft_arc = arc(rsh, 0.0, theta, min(h["shaft"], h["rotor"]))
    if sector:
        s0, s1 = side[0]  # type: ignore[misc]
        b.loop(shaft, chain(s0, shaft_arc, s1[::-1]), protected=True)
    else:
        b.loop(shaft, shaft_arc)
    rotor = b.region(Region("rotor steel", "rotor_steel", m.rotor.steel), h["rotor"])
    _layer(b, rotor, shaft_arc, rotor_up, side[1])
    pockets = []
    for pk in rotor_pockets(m):
        edges = _pocket_edges(pk, {"magnet": h["magnet"], "air": h["pocket"]}, h["rotor"])
        pockets.append(
            (_cycle(edges, pk.outline()), [(p, _cycle(edges, p.verts)) for p in pk.parts])
        )
    for k in range(npoles):
        phi = (k + 0.5) * tau_p
        count = {"magnet": 0, "air": 0}
        for outline, parts in pockets:
            b.loop(rotor, rotate(outline, phi), hole=True)
            for p, pts in parts:
                tag = f"{k}.{count[p.kind]}"
                count[p.kind] += 1
                if p.kind == "magnet":
                    north = k % 2 == 0
                    d = phi + p.direction_rad + (0.0 if north else math.pi)
                    reg = Region(f"magnet {tag}", "magnet", grade, "parallel",
                                 direction_rad=math.remainder(d, 2 * math.pi),
                                 sign=1 if north else -1)  # fmt: skip
                    r_ = b.region(reg, h["magnet"])
                else:
                    r_ = b.region(Region(f"pocket air {tag}", "air"), h["pocket"])
                b.loop(r_, rotate(pts, phi))
    band_lo = arc(r1, 0.0, theta, h_band, n=max(3, math.ceil(theta * r2 / h_band - 1e-9)))
    band_hi = arc(r2, 0.0, theta, h_band, n=len(band_lo) - 1)
    rair = b.region(Region("rotor air gap", "airgap"), h["gap"])
    _layer(b, rair, air_low, band_lo, side[2], (False, True))
    band = b.region(Region("air gap band", "airgap_band"), -1.0)
    _layer(b, band, band_lo, band_hi, side[3], (True, True))
    sair = b.region(Region("stator air gap", "airgap"), h["gap"])
    _layer(b, sair, band_hi, chain(*bore), side[4], (True, False))
    stator = b.region(Region("stator steel", "stator_steel", m.stator.steel), h["stator"])
    _layer(b, stator, chain(*steel_lower), arc(ro, 0.0, theta, h["stator"]), side[5])
    return _finish(b, m, band_lo, band_hi, band, side0_all, theta, sector, anti)


def _finish(
    b: _Builder,
    m: Machine,
    band_lo: F,
    band_hi: F,
    band: int,
    side0: list[F],
    theta: float,
    sector: bool,
    anti: bool,
) -> Pslg:
    nb = len(band_lo) if sector else len(band_lo) - 1
    s0 = np.concatenate(side0) if side0 else np.zeros((0, 2))
    s1 = rotate(s0, theta) if sector else s0
    loops_pts = [pts for _, pts, _, _ in b.loops]
    pool = np.concatenate([s0, s1, band_lo[:nb], band_hi[:nb], *loops_pts]) + 0.0
    tol = 1e-9 * m.stator.outer_diameter_m
    points, idx = merge_points(pool, tol)
    ns = len(s0)
    i0, i1 = idx[:ns], idx[ns : 2 * ns]
    off = 2 * ns
    band_r = idx[off : off + nb]
    band_s = idx[off + nb : off + 2 * nb]
    off += 2 * nb
    ptr = [0]
    lp: list[np.ndarray] = []
    lreg, lprot = [], []
    for r, pts, hole, prot in b.loops:
        li = idx[off : off + len(pts)]
        off += len(pts)
        keep = li != np.roll(li, 1)
        li = li[keep]
        if len(li) < 3:
            raise GeometryError(
                f"region {b.regions[r].name!r} is degenerate: a loop has fewer than 3 points"
            )
        area = shoelace(points[li])
        if (area < 0) != hole:
            li = li[::-1]
        lp.append(li)
        ptr.append(ptr[-1] + len(li))
        lreg.append(r)
        lprot.append(prot)
    pairs = np.zeros((0, 2), np.int64)
    if sector:
        keep = np.hypot(s0[:, 0], s0[:, 1]) > 0
        pr = np.unique(np.column_stack((i0[keep], i1[keep])), axis=0)
        points[pr[:, 1]] = rotate(points[pr[:, 0]], theta)
        pairs = pr
    return Pslg(
        points=points,
        loop_ptr=np.asarray(ptr, np.int64),
        loop_points=np.concatenate(lp).astype(np.int64),
        loop_region=np.asarray(lreg, np.int64),
        loop_protected=np.asarray(lprot, np.bool_),
        regions=tuple(b.regions),
        region_size_m=np.asarray(b.sizes, np.float64),
        band_rotor_points=band_r.astype(np.int64),
        band_stator_points=band_s.astype(np.int64),
        band_region=band,
        sector_angle_rad=float(theta),
        antiperiodic=bool(anti and sector),
        periodic_pairs=pairs,
    )
