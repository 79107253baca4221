"""Canonical discretisation of the two curve kinds (straight segments and circular arcs).

Every boundary of the cross-section is made of these two curves, and each curve is discretised
by exactly one function of its defining data (end points, centre, radius, target edge length):
two regions that share a boundary ask for the same curve and get the same points (up to the
order and a few ulps, which :func:`merge_points` removes exactly). The number of segments is
``max(1, ceil(length / h))``, symmetric in the two end points (arcs: at least one segment per
15°).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from repm.errors import GeometryError

F = NDArray[np.float64]


def polar(r: float, theta: float) -> F:
    """The point at radius ``r`` and angle ``theta`` (rad)."""
    return np.array([r * math.cos(theta), r * math.sin(theta)])


def rotate(points: F, theta: float) -> F:
    """Points (N, 2) rotated by ``theta`` (rad) about the origin."""
    c, s = math.cos(theta), math.sin(theta)
    p = np.asarray(points, dtype=np.float64)
    return np.column_stack((c * p[:, 0] - s * p[:, 1], s * p[:, 0] + c * p[:, 1]))


# More segments than this on one curve means dimensions out of all proportion (e.g. a back iron
# of kilometres next to a millimetre air gap): refuse instead of allocating gigabytes.
MAX_SEGMENTS_PER_CURVE = 200_000


def nseg(length: float, h: float) -> int:
    """Number of segments of a curve of ``length`` for target edge length ``h``.

    Raises:
        GeometryError: when the curve would need more than :data:`MAX_SEGMENTS_PER_CURVE`.
    """
    n = length / h
    if not math.isfinite(n) or n > MAX_SEGMENTS_PER_CURVE:
        raise GeometryError(
            f"a boundary of length {length:.6g} m at edge length {h:.6g} m needs {n:.3g} "
            f"segments: dimensions are out of proportion (allowed at most "
            f"{MAX_SEGMENTS_PER_CURVE} segments per curve)"
        )
    return max(1, math.ceil(n - 1e-9))


def seg(p0: F, p1: F, h: float) -> F:
    """Straight segment p0 → p1, both end points included."""
    p0 = np.asarray(p0, dtype=np.float64)
    p1 = np.asarray(p1, dtype=np.float64)
    n = nseg(float(np.hypot(*(p1 - p0))), h)
    t = np.arange(n + 1, dtype=np.float64)[:, None] / n
    out = p0 + t * (p1 - p0)
    out[0], out[-1] = p0, p1
    return out


def arc(
    r: float,
    t0: float,
    t1: float,
    h: float,
    *,
    center: F | None = None,
    p0: F | None = None,
    p1: F | None = None,
    n: int | None = None,
) -> F:
    """Circular arc of radius ``r`` about ``center`` (default origin) from angle ``t0`` to
    ``t1`` (rad; counter-clockwise when t1 > t0), both end points included. ``p0``/``p1``
    replace the computed end points by given ones (so that the arc ends exactly on points
    computed elsewhere); ``n`` forces the number of segments."""
    if n is None:  # at most 15° per segment, so that even coarse circles stay round
        n = max(nseg(r * abs(t1 - t0), h), math.ceil(abs(t1 - t0) / (math.pi / 12) - 1e-9))
    t = t0 + (t1 - t0) * np.arange(n + 1, dtype=np.float64) / n
    out = np.column_stack((r * np.cos(t), r * np.sin(t)))
    if center is not None:
        out += np.asarray(center, dtype=np.float64)
    if p0 is not None:
        out[0] = p0
    if p1 is not None:
        out[-1] = p1
    return out


def ring(r: float, h: float, *, n: int | None = None) -> F:
    """Closed circle of radius ``r`` from angle 0, counter-clockwise, last point omitted."""
    if n is None:
        n = max(3, nseg(2 * math.pi * r, h))
    return arc(r, 0.0, 2 * math.pi, h, n=n)[:-1]


def chain(*pieces: F) -> F:
    """Concatenates curve pieces that meet end to start (the shared point is kept once)."""
    parts = [pieces[0]] + [p[1:] for p in pieces[1:]]
    return np.concatenate(parts, axis=0)


def shoelace(points: F) -> float:
    """Signed area of a closed polygon (positive when counter-clockwise)."""
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def segment_area(r: float, angle: float) -> float:
    """Area between a circular arc of radius ``r`` spanning ``angle`` (rad) and its chord."""
    return 0.5 * r * r * (angle - math.sin(angle))


def merge_points(points: F, tol: float) -> tuple[F, NDArray[np.int64]]:
    """Merges points closer than about ``tol`` (each coordinate) into the first of them.

    Returns the unique points in order of first appearance and, for every input point, the
    index of its representative. Exact and order-independent for clusters much smaller than
    ``tol`` whose members are further than ``4·tol`` from any other point (vectorised: four
    grids of cell 4·tol offset by half a cell; two points within tol share a cell in one of
    them)."""
    pts = np.asarray(points, dtype=np.float64)
    n = len(pts)
    lab = np.arange(n, dtype=np.int64)
    cell = 4.0 * tol
    scaled = pts / cell
    for _ in range(2):
        for off in ((0.0, 0.0), (0.5, 0.0), (0.0, 0.5), (0.5, 0.5)):
            k = np.floor(scaled + np.asarray(off)).astype(np.int64)
            k -= k.min(axis=0)
            key = k[:, 0] * (int(k[:, 1].max()) + 1) + k[:, 1]
            _, inv = np.unique(key, return_inverse=True)
            m = np.full(int(inv.max()) + 1, n, dtype=np.int64)
            np.minimum.at(m, inv, lab)
            lab = m[inv]
    rep, new = np.unique(lab, return_inverse=True)
    return pts[rep], new.ravel().astype(np.int64)
