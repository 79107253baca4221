"""Rotor geometry in the frame of one pole (its d-axis, or for spoke rotors its magnet, on +x).

Surface magnets (:class:`SpmGeometry`) are described by their edge angles and radii; buried
magnets by :class:`Pocket` s: convex parts (magnets and air) that share whole edges, whose union
is a hole in the rotor steel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repm.errors import GeometryError
from repm.geometry.curves import F, segment_area, shoelace
from repm.geometry.description import Machine


@dataclass(frozen=True, eq=False)
class Part:
    """A convex part of a pocket: vertex indices (counter-clockwise) into the pocket's vertices,
    ``kind`` ``magnet`` or ``air``, and for magnets the magnetisation direction of a north pole
    in the pole frame (rad)."""

    verts: tuple[int, ...]
    kind: str
    direction_rad: float = 0.0


@dataclass(frozen=True, eq=False)
class Pocket:
    """One hole in the rotor steel made of convex parts (pole frame)."""

    vertices: F
    parts: tuple[Part, ...]
    where: str

    def outline(self) -> list[int]:
        """Vertex indices of the union's boundary, counter-clockwise."""
        edges = [
            (p.verts[i], p.verts[(i + 1) % len(p.verts)])
            for p in self.parts
            for i in range(len(p.verts))
        ]
        present = set(edges)
        nxt = {a: b for a, b in edges if (b, a) not in present}
        start = min(nxt)
        out = [start]
        while nxt[out[-1]] != start:
            out.append(nxt[out[-1]])
        return out

    def part_area(self, part: Part) -> float:
        return shoelace(self.vertices[list(part.verts)])


@dataclass(frozen=True, eq=False)
class SpmGeometry:
    """Surface magnet of pole 0 (d-axis on +x), symmetric: core radius ``r_core`` (between
    magnets), magnet edge half-angle ``half_angle`` on the core, bottom: arc (``arc``) or chord
    (``bread_loaf``), top: arc of radius ``r_top`` about (``x_top``, 0) from the side tops
    ``Q = (xq, yq)``. Outer rotor: ``r_core`` (the steel's inner radius between magnets) is
    larger than ``r_top`` (the magnets' air-gap face); "bottom" and "top" keep their meaning
    (steel side, air-gap side)."""

    shape: str
    r_core: float
    half_angle: float
    P: F  # bottom corner, upper side (y > 0)
    Q: F  # top corner, upper side
    r_top: float
    x_top: float
    area_m2: float


def _rect(p0: F, along: F, across: F) -> F:
    return np.array([p0, p0 + along, p0 + along + across, p0 + across])


def _ccw(verts: F, idx: tuple[int, ...]) -> tuple[int, ...]:
    return idx if shoelace(verts[list(idx)]) > 0 else idx[::-1]


def spm_geometry(m: Machine) -> SpmGeometry:
    """Surface magnet of pole 0 of an SPM rotor (checked)."""
    spm = m.rotor.spm
    assert spm is not None
    rr = m.rotor_outer_radius_m
    rsh = m.rotor.shaft_diameter_m / 2
    t = spm.thickness_m
    half = spm.pole_arc_ratio * math.pi / m.winding.poles
    if m.is_outer_rotor:  # arc magnets on the rotor ring's inner surface (shape checked)
        rf = m.rotor_gap_radius_m
        rc = rf + t
        P = np.array([rc * math.cos(half), rc * math.sin(half)])
        Q = np.array([rf * math.cos(half), rf * math.sin(half)])
        return SpmGeometry("arc", rc, half, P, Q, rf, 0.0, half * (rc * rc - rf * rf))
    if spm.shape == "arc":
        rc = rr - t
        if rc <= rsh:
            raise GeometryError(
                f"rotor.spm.thickness_m = {t!r} is invalid: the rotor core radius {rc!r} m would"
                f" not exceed the shaft radius {rsh!r} m"
            )
        P = np.array([rc * math.cos(half), rc * math.sin(half)])
        Q = np.array([rr * math.cos(half), rr * math.sin(half)])
        return SpmGeometry("arc", rc, half, P, Q, rr, 0.0, half * (rr * rr - rc * rc))
    x0 = rr - t
    rc = x0 / math.cos(half)
    if x0 <= rsh or rc >= rr:
        raise GeometryError(
            f"rotor.spm.thickness_m = {t!r} is invalid: a bread-loaf magnet needs the chord under"
            f" it above the shaft and its edges below the rotor radius {rr!r} m"
        )
    w2 = x0 * math.tan(half)
    r = spm.loaf_radius_m
    if r > rr or r <= w2:
        raise GeometryError(
            f"rotor.spm.loaf_radius_m = {r!r} is invalid: must be in ({w2!r}, {rr!r}] m (half the"
            " magnet width, rotor outer radius)"
        )
    xt = rr - r
    xq = xt + math.sqrt(r * r - w2 * w2)
    if xq - x0 <= 1e-9 * rr:
        raise GeometryError(
            f"rotor.spm.loaf_radius_m = {r!r} is invalid: the magnet sides would have no height"
        )
    P = np.array([x0, w2])
    Q = np.array([xq, w2])
    phi = 2 * math.atan2(w2, xq - xt)
    area = 2 * w2 * (xq - x0) + segment_area(r, phi)
    return SpmGeometry("bread_loaf", rc, half, P, Q, r, xt, area)


def _v_pockets(m: Machine) -> list[Pocket]:
    out = []
    for i, v in enumerate(m.rotor.v_layers):
        g = math.radians(v.v_angle_deg) / 2
        e = np.array([math.cos(g), -math.sin(g)])
        nrm = np.array([math.sin(g), math.cos(g)])
        p0 = np.array([v.apex_radius_m, -v.centre_post_m / 2])
        direction = math.atan2(nrm[1], nrm[0])
        for side in (1, -1):
            verts = _rect(p0, v.magnet_width_m * e, -v.magnet_thickness_m * nrm)
            parts = [Part(_ccw(verts, (0, 1, 2, 3)), "magnet", direction)]
            if v.pocket_end_m > 0:
                ext = verts[[1, 2]] + v.pocket_end_m * e
                verts = np.concatenate([verts, ext[::-1]])  # 4 = P2 + L e, 5 = P1 + L e
                parts.append(Part(_ccw(verts, (1, 5, 4, 2)), "air"))
            if side == -1:
                verts = verts * np.array([1.0, -1.0])
                parts = [Part(p.verts[::-1], p.kind, -p.direction_rad) for p in parts]
            out.append(Pocket(verts, tuple(parts), f"rotor.v_layers[{i}]"))
    return out


def _flat_pockets(m: Machine) -> list[Pocket]:
    f = m.rotor.flat
    assert f is not None
    xo = m.rotor_outer_radius_m - f.depth_m
    w2, t, L = f.magnet_width_m / 2, f.magnet_thickness_m, f.pocket_end_m
    verts = np.array([[xo - t, -w2], [xo, -w2], [xo, w2], [xo - t, w2]])
    parts = [Part((0, 1, 2, 3), "magnet", 0.0)]
    if L > 0:
        verts = np.concatenate([verts, [[xo - t, -w2 - L], [xo, -w2 - L]]])
        verts = np.concatenate([verts, [[xo, w2 + L], [xo - t, w2 + L]]])
        parts += [Part((4, 5, 1, 0), "air"), Part((3, 2, 6, 7), "air")]
    return [Pocket(verts, tuple(parts), "rotor.flat")]


def _spoke_pockets(m: Machine) -> list[Pocket]:
    s = m.rotor.spoke
    assert s is not None
    r0, r1, t2 = s.inner_radius_m, s.inner_radius_m + s.magnet_length_m, s.magnet_thickness_m / 2
    verts = np.array([[r0, -t2], [r1, -t2], [r1, t2], [r0, t2]])
    parts = [Part((0, 1, 2, 3), "magnet", math.pi / 2)]
    if s.pocket_inner_m > 0:
        ri = r0 - s.pocket_inner_m
        verts = np.concatenate([verts, [[ri, t2], [ri, -t2]]])
        parts.append(Part((5, 0, 3, 4), "air"))
    return [Pocket(verts, tuple(parts), "rotor.spoke")]


def _separation(a: F, b: F) -> float:
    """Largest gap between two convex polygons over their edge normals (≤ 0: they overlap)."""
    best = -math.inf
    for poly in (a, b):
        d = np.roll(poly, -1, axis=0) - poly
        normals = np.column_stack((d[:, 1], -d[:, 0]))
        normals /= np.hypot(normals[:, 0], normals[:, 1])[:, None]
        pa, pb = a @ normals.T, b @ normals.T
        gap = np.maximum(pb.min(axis=0) - pa.max(axis=0), pa.min(axis=0) - pb.max(axis=0))
        best = max(best, float(gap.max()))
    return best


def rotor_pockets(m: Machine) -> list[Pocket]:
    """The pockets of one pole (or, for spoke rotors, around one magnet), checked.

    Raises:
        GeometryError: a pocket corner closer than ``rotor.min_bridge_m`` to the rotor surface
            or the shaft, or closer than half of it to a pole boundary (q-axis; d-axis for
            spoke rotors), or two V layers overlapping or closer than ``min_bridge_m``.
    """
    topo = m.rotor.topology
    if topo in ("spm", "spm_outer"):
        return []
    pockets = {"ipm_v": _v_pockets, "ipm_flat": _flat_pockets, "spoke": _spoke_pockets}[topo](m)
    rr = m.rotor_outer_radius_m
    rsh = m.rotor.shaft_diameter_m / 2
    bridge = m.rotor.min_bridge_m
    half_pole = math.pi / m.winding.poles
    for pk in pockets:
        v = pk.vertices
        r = np.hypot(v[:, 0], v[:, 1])
        ang = np.arctan2(v[:, 1], v[:, 0])
        r_max, r_min = float(r.max()), float(r.min())
        if r_max > rr - bridge or rr - r_max <= 0:
            raise GeometryError(
                f"{pk.where} is invalid: a pocket corner reaches radius {r_max!r} m, leaving a"
                f" bridge of {rr - r_max!r} m to the rotor surface (rotor.min_bridge_m ="
                f" {bridge!r})"
            )
        if r_min < rsh + bridge or r_min <= rsh:
            raise GeometryError(
                f"{pk.where} is invalid: a pocket corner at radius {r_min!r} m is closer than"
                f" rotor.min_bridge_m = {bridge!r} to the shaft (radius {rsh!r} m)"
            )
        dist = r * np.sin(half_pole - np.abs(ang))
        d_min = float(dist.min())
        if np.abs(ang).max() >= half_pole or d_min < bridge / 2:
            raise GeometryError(
                f"{pk.where} is invalid: a pocket corner lies {d_min!r} m from the pole"
                f" boundary; it must stay inside the pole pitch with half of rotor.min_bridge_m ="
                f" {bridge!r} to spare (magnets wider than the pole?)"
            )
    if topo == "ipm_v" and len(m.rotor.v_layers) == 2:
        for a in pockets[:2]:
            for b in pockets[2:]:
                for pa in a.parts:
                    for pb in b.parts:
                        gap = _separation(a.vertices[list(pa.verts)], b.vertices[list(pb.verts)])
                        if gap < max(bridge, 1e-9 * rr):
                            raise GeometryError(
                                "rotor.v_layers[1] is invalid: it overlaps rotor.v_layers[0] or"
                                f" is closer than rotor.min_bridge_m = {bridge!r} (gap {gap!r} m)"
                            )
    return pockets
