"""Flux-linkage, torque and loss maps on a dq current grid (:class:`FluxMap`).

A :class:`FluxMap` is the data structure handed from the field analysis (FEM, see
:mod:`repm.maps.compute`) to the drive model (:mod:`repm.maps.drive`). Everything is SI and for the
whole machine; currents are PEAK phase currents; dq convention of repm: amplitude-invariant Park,
d-axis on the magnet flux, positive iq motoring.

The grid holds motoring currents (``iq_a >= 0``). Generating points use the machine's symmetry
``iq -> -iq``: ``psi_d(id, -iq) = psi_d(id, iq)``, ``psi_q(id, -iq) = -psi_q(id, iq)``,
``T(id, -iq) = -T(id, iq)`` (loss coefficients even in ``iq``). The interpolation methods apply it
when ``iq_a[0] == 0``.

Interpolation is piecewise bicubic Hermite (C1): on every cell the values, the two first
derivatives and the cross derivative at the corners come from three-point finite differences on
the (non-uniform) grid, exact for quadratics, so a map whose quantities are polynomials of degree
at most two in each current (the linear machine of :meth:`FluxMap.linear`) is reproduced exactly.
Points outside the grid are never extrapolated: they raise :class:`repm.InputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from repm.errors import InputError

_GRID_FIELDS = (
    "psi_d_wb",
    "psi_q_wb",
    "torque_nm",
    "torque_ripple_pct",
    "iron_hyst_w_per_hz",
    "iron_eddy_w_per_hz2",
    "iron_excess_w_per_hz1_5",
    "magnet_eddy_w_per_hz2",
)
# Parity of each gridded quantity under iq -> -iq (generating from the motoring grid).
_IQ_PARITY = {
    "psi_d_wb": 1.0,
    "psi_q_wb": -1.0,
    "torque_nm": -1.0,
    "torque_ripple_pct": 1.0,
    "iron_hyst_w_per_hz": 1.0,
    "iron_eddy_w_per_hz2": 1.0,
    "iron_excess_w_per_hz1_5": 1.0,
    "magnet_eddy_w_per_hz2": 1.0,
}
# Relative slack when deciding whether a query lies on the grid (round-off at the edges).
_EDGE_TOL = 1e-9


def _axis(name: str, values: ArrayLike) -> NDArray[np.float64]:
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 1 or a.size < 2:
        raise InputError(f"{name}: need a 1-D grid of at least 2 values, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: grid values must be finite, got {a.tolist()}")
    if not np.all(np.diff(a) > 0):
        raise InputError(f"{name}: grid must be strictly ascending, got {a.tolist()}")
    return a


def _slopes(f: NDArray[np.float64], x: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
    """Three-point derivative of ``f`` along ``axis`` on the non-uniform grid ``x`` (exact for
    quadratics; one-sided three-point at the ends; two-point if the axis has 2 nodes)."""
    f = np.moveaxis(f, axis, 0)
    n = x.size
    d = np.empty_like(f)
    if n == 2:
        d[:] = (f[1] - f[0]) / (x[1] - x[0])
        return np.moveaxis(d, 0, axis)
    h = np.diff(x)
    shape = (-1,) + (1,) * (f.ndim - 1)
    hm = h[:-1].reshape(shape)
    hp = h[1:].reshape(shape)
    d[1:-1] = (
        -hp / (hm * (hm + hp)) * f[:-2]
        + (hp - hm) / (hm * hp) * f[1:-1]
        + hm / (hp * (hm + hp)) * f[2:]
    )
    h0, h1 = h[0], h[1]
    d[0] = (
        -(2 * h0 + h1) / (h0 * (h0 + h1)) * f[0]
        + (h0 + h1) / (h0 * h1) * f[1]
        - h0 / (h1 * (h0 + h1)) * f[2]
    )
    g0, g1 = h[-1], h[-2]  # last and second-to-last spacing
    d[-1] = (
        (2 * g0 + g1) / (g0 * (g0 + g1)) * f[-1]
        - (g0 + g1) / (g0 * g1) * f[-2]
        + g0 / (g1 * (g0 + g1)) * f[-3]
    )
    return np.moveaxis(d, 0, axis)


def _hermite(t: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """Cubic Hermite basis on [0, 1] and its derivatives: (h00, h01, h10, h11, d...)."""
    t2 = t * t
    t3 = t2 * t
    return (
        2 * t3 - 3 * t2 + 1,  # value at 0
        -2 * t3 + 3 * t2,  # value at 1
        t3 - 2 * t2 + t,  # slope at 0
        t3 - t2,  # slope at 1
        6 * t2 - 6 * t,
        -6 * t2 + 6 * t,
        3 * t2 - 4 * t + 1,
        3 * t2 - 2 * t,
    )


@dataclass(frozen=True, eq=False)
class FluxMap:
    """dq flux linkages, torque and loss coefficients of a whole machine on a current grid.

    Attributes (SI, currents PEAK phase currents, whole machine):
        id_a: (Ni,) d-axis current grid [A], strictly ascending (typically <= 0 .. small positive).
        iq_a: (Nq,) q-axis current grid [A], strictly ascending, >= 0 (motoring).
        psi_d_wb, psi_q_wb: (Ni, Nq) dq flux linkages [Wb] (amplitude-invariant Park).
        torque_nm: (Ni, Nq) mean torque over the rotor positions [N·m].
        torque_ripple_pct: (Ni, Nq) peak-to-peak torque ripple in % of the mean.
        iron_hyst_w_per_hz, iron_eddy_w_per_hz2, iron_excess_w_per_hz1_5: (Ni, Nq) iron-loss
            coefficients: at electrical frequency f [Hz],
            ``P_iron = hyst * f + eddy * f**2 + excess * f**1.5`` [W].
        magnet_eddy_w_per_hz2: (Ni, Nq) magnet eddy-current loss coefficient,
            ``P_magnet = magnet_eddy * f**2`` [W].
        pole_pairs: number of pole pairs.
        phases: number of phases.
        meta: free-form provenance (machine name, hash, settings, positions, temperatures,
            seconds, notes); must be JSON-serialisable for :meth:`save`.
    """

    id_a: NDArray[np.float64]
    iq_a: NDArray[np.float64]
    psi_d_wb: NDArray[np.float64]
    psi_q_wb: NDArray[np.float64]
    torque_nm: NDArray[np.float64]
    torque_ripple_pct: NDArray[np.float64]
    iron_hyst_w_per_hz: NDArray[np.float64]
    iron_eddy_w_per_hz2: NDArray[np.float64]
    iron_excess_w_per_hz1_5: NDArray[np.float64]
    magnet_eddy_w_per_hz2: NDArray[np.float64]
    pole_pairs: int
    phases: int
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        id_a = _axis("id_a", self.id_a)
        iq_a = _axis("iq_a", self.iq_a)
        if iq_a[0] < 0:
            raise InputError(
                f"iq_a: the grid holds motoring currents only (iq >= 0), got iq_a[0] = {iq_a[0]}"
            )
        object.__setattr__(self, "id_a", id_a)
        object.__setattr__(self, "iq_a", iq_a)
        shape = (id_a.size, iq_a.size)
        for name in _GRID_FIELDS:
            a = np.asarray(getattr(self, name), dtype=np.float64)
            if a.shape != shape:
                raise InputError(
                    f"{name}: shape must be (len(id_a), len(iq_a)) = {shape}, got {a.shape}"
                )
            if not np.all(np.isfinite(a)):
                raise InputError(f"{name}: all values must be finite (found NaN or inf)")
            if name.startswith(("iron_", "magnet_")) and np.any(a < 0):
                raise InputError(f"{name}: loss coefficients must be >= 0, min {a.min()}")
            a = a.copy()
            a.setflags(write=False)
            object.__setattr__(self, name, a)
        id_a.setflags(write=False)
        iq_a.setflags(write=False)
        for name in ("pole_pairs", "phases"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise InputError(f"{name}: must be a positive integer, got {v!r}")
            object.__setattr__(self, name, int(v))
        if self.phases < 2:
            raise InputError(f"phases: must be >= 2, got {self.phases}")
        if not isinstance(self.meta, dict):
            raise InputError(f"meta: must be a dict, got {type(self.meta).__name__}")

    # ------------------------------------------------------------------ construction
    @classmethod
    def linear(
        cls,
        *,
        psi_m_wb: float,
        ld_h: float,
        lq_h: float,
        pole_pairs: int,
        phases: int = 3,
        id_a: ArrayLike | None = None,
        iq_a: ArrayLike | None = None,
        iron_hyst_w_per_hz: float = 0.0,
        iron_eddy_w_per_hz2: float = 0.0,
        iron_excess_w_per_hz1_5: float = 0.0,
        magnet_eddy_w_per_hz2: float = 0.0,
    ) -> FluxMap:
        """Analytic map of a linear (unsaturated) PM machine, for validation and examples.

        ``psi_d = psi_m + Ld id``, ``psi_q = Lq iq``, ``T = (m/2) p (psi_d iq - psi_q id)``
        (1.5 p ... for three phases), zero ripple and uniform loss coefficients.

        Args:
            psi_m_wb: magnet flux linkage [Wb] (peak, per phase), > 0.
            ld_h, lq_h: d and q inductances [H], > 0.
            pole_pairs: pole pairs (>= 1). phases: number of phases (>= 2).
            id_a, iq_a: current grids [A peak]. Default (an assumption for convenience, not data):
                41 points each, ``id`` from ``-2 psi_m/Ld`` to ``0.25 psi_m/Ld`` and ``iq`` from 0
                to ``2 psi_m/Ld`` (``psi_m/Ld`` is the characteristic current).
            iron_*, magnet_eddy_*: uniform loss coefficients (see the class docstring), >= 0.
        """
        for name, v in (("psi_m_wb", psi_m_wb), ("ld_h", ld_h), ("lq_h", lq_h)):
            if not np.isfinite(v) or v <= 0:
                raise InputError(f"{name}: must be finite and > 0, got {v!r}")
        ich = psi_m_wb / ld_h
        ida = np.linspace(-2.0 * ich, 0.25 * ich, 41) if id_a is None else _axis("id_a", id_a)
        iqa = np.linspace(0.0, 2.0 * ich, 41) if iq_a is None else _axis("iq_a", iq_a)
        idg, iqg = np.meshgrid(ida, iqa, indexing="ij")
        psi_d = psi_m_wb + ld_h * idg
        psi_q = lq_h * iqg
        if isinstance(phases, bool) or not isinstance(phases, (int, np.integer)) or phases < 2:
            raise InputError(f"phases: must be an integer >= 2, got {phases!r}")
        torque = 0.5 * phases * pole_pairs * (psi_d * iqg - psi_q * idg)
        ones = np.ones_like(psi_d)
        return cls(
            id_a=ida,
            iq_a=iqa,
            psi_d_wb=psi_d,
            psi_q_wb=psi_q,
            torque_nm=torque,
            torque_ripple_pct=np.zeros_like(psi_d),
            iron_hyst_w_per_hz=iron_hyst_w_per_hz * ones,
            iron_eddy_w_per_hz2=iron_eddy_w_per_hz2 * ones,
            iron_excess_w_per_hz1_5=iron_excess_w_per_hz1_5 * ones,
            magnet_eddy_w_per_hz2=magnet_eddy_w_per_hz2 * ones,
            pole_pairs=pole_pairs,
            phases=phases,
            meta={
                "model": "linear",
                "psi_m_wb": float(psi_m_wb),
                "ld_h": float(ld_h),
                "lq_h": float(lq_h),
            },
        )

    # ------------------------------------------------------------------ interpolation
    @cached_property
    def _derivatives(self) -> dict[str, tuple[NDArray[np.float64], ...]]:
        out = {}
        for name in _GRID_FIELDS:
            f = getattr(self, name)
            fx = _slopes(f, self.id_a, 0)
            fy = _slopes(f, self.iq_a, 1)
            fxy = _slopes(fx, self.iq_a, 1)
            out[name] = (f, fx, fy, fxy)
        return out

    def _locate(
        self, id_a: ArrayLike, iq_a: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], tuple[int, ...]]:
        x = np.asarray(id_a, dtype=np.float64)
        y = np.asarray(iq_a, dtype=np.float64)
        try:
            x, y = np.broadcast_arrays(x, y)
        except ValueError as e:
            raise InputError(f"id_a, iq_a: shapes {x.shape} and {y.shape} do not broadcast") from e
        shape = x.shape
        x = x.ravel()
        y = y.ravel()
        for name, v in (("id_a", x), ("iq_a", y)):
            if not np.all(np.isfinite(v)):
                raise InputError(f"{name}: values must be finite (found NaN or inf)")
        sign = np.ones_like(y)
        if self.iq_a[0] == 0.0:
            sign = np.where(y < 0, -1.0, 1.0)
            y = np.abs(y)
        for name, v, g in (("id_a", x, self.id_a), ("iq_a", y, self.iq_a)):
            tol = _EDGE_TOL * max(1.0, float(g[-1] - g[0]))
            bad = (v < g[0] - tol) | (v > g[-1] + tol)
            if np.any(bad):
                first = float(np.asarray(v)[bad][0])
                raise InputError(
                    f"{name}: {int(bad.sum())} point(s) outside the map grid "
                    f"[{g[0]}, {g[-1]}] A (first {first}); flux maps are not extrapolated"
                )
        return (
            np.clip(x, self.id_a[0], self.id_a[-1]),
            np.clip(y, self.iq_a[0], self.iq_a[-1]),
            sign,
            shape,
        )

    def _eval(
        self, names: tuple[str, ...], x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> dict[str, tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]]:
        """Values and (d/did, d/diq) of the named fields at grid-clipped points (iq >= 0)."""
        gx, gy = self.id_a, self.iq_a
        i = np.clip(np.searchsorted(gx, x, side="right") - 1, 0, gx.size - 2)
        j = np.clip(np.searchsorted(gy, y, side="right") - 1, 0, gy.size - 2)
        hx = gx[i + 1] - gx[i]
        hy = gy[j + 1] - gy[j]
        t = (x - gx[i]) / hx
        u = (y - gy[j]) / hy
        a0, a1, b0, b1, da0, da1, db0, db1 = _hermite(t)
        c0, c1, e0, e1, dc0, dc1, de0, de1 = _hermite(u)
        # per corner (di, dj): value weights (wv), x-slope (wx), y-slope (wy), cross (wxy)
        tx = ((a0, b0, da0, db0), (a1, b1, da1, db1))
        ty = ((c0, e0, dc0, de0), (c1, e1, dc1, de1))
        out = {}
        for name in names:
            f, fx, fy, fxy = self._derivatives[name]
            val = np.zeros_like(x)
            dvx = np.zeros_like(x)
            dvy = np.zeros_like(x)
            for di in (0, 1):
                hv, hs, dhv, dhs = tx[di]
                for dj in (0, 1):
                    kv, ks, dkv, dks = ty[dj]
                    ii = i + di
                    jj = j + dj
                    F = f[ii, jj]
                    FX = fx[ii, jj] * hx
                    FY = fy[ii, jj] * hy
                    FXY = fxy[ii, jj] * hx * hy
                    val += hv * kv * F + hs * kv * FX + hv * ks * FY + hs * ks * FXY
                    dvx += (dhv * kv * F + dhs * kv * FX + dhv * ks * FY + dhs * ks * FXY) / hx
                    dvy += (hv * dkv * F + hs * dkv * FX + hv * dks * FY + hs * dks * FXY) / hy
            out[name] = (val, dvx, dvy)
        return out

    def interpolate(self, name: str, id_a: ArrayLike, iq_a: ArrayLike) -> NDArray[np.float64]:
        """C1 bicubic interpolation of one gridded field (e.g. ``"iron_eddy_w_per_hz2"``) at
        currents [A peak]; negative ``iq`` by symmetry. Raises InputError outside the grid."""
        if name not in _GRID_FIELDS:
            raise InputError(f"name: unknown field {name!r}; allowed: {', '.join(_GRID_FIELDS)}")
        x, y, sign, shape = self._locate(id_a, iq_a)
        v = self._eval((name,), x, y)[name][0]
        if _IQ_PARITY[name] < 0:
            v = v * sign
        return v.reshape(shape)

    def psi(
        self, id_a: ArrayLike, iq_a: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """dq flux linkages [Wb] at currents ``id_a``, ``iq_a`` [A peak] (broadcast), by C1
        bicubic interpolation; negative ``iq`` by symmetry. Raises InputError outside the grid."""
        x, y, sign, shape = self._locate(id_a, iq_a)
        r = self._eval(("psi_d_wb", "psi_q_wb"), x, y)
        return r["psi_d_wb"][0].reshape(shape), (sign * r["psi_q_wb"][0]).reshape(shape)

    def torque(self, id_a: ArrayLike, iq_a: ArrayLike) -> NDArray[np.float64]:
        """Mean torque [N·m] at currents [A peak] (C1 bicubic interpolation of ``torque_nm``)."""
        return self.interpolate("torque_nm", id_a, iq_a)

    def currents(
        self,
        psi_d_wb: ArrayLike,
        psi_q_wb: ArrayLike,
        *,
        tol_wb: float = 1e-12,
        max_iter: int = 50,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Inverse map: dq currents [A peak] giving the flux linkages ``psi_d_wb``, ``psi_q_wb``
        [Wb] (broadcast). Damped Newton on the interpolant, started from the linear fit of the
        grid. Raises InputError if a flux pair is not reachable on the grid (no extrapolation)
        or the Newton iteration does not meet ``tol_wb``."""
        pd = np.asarray(psi_d_wb, dtype=np.float64)
        pq = np.asarray(psi_q_wb, dtype=np.float64)
        try:
            pd, pq = np.broadcast_arrays(pd, pq)
        except ValueError as e:
            raise InputError(
                f"psi_d_wb, psi_q_wb: shapes {pd.shape} and {pq.shape} do not broadcast"
            ) from e
        shape = pd.shape
        pd = pd.ravel().copy()
        pq = pq.ravel().copy()
        for name, v in (("psi_d_wb", pd), ("psi_q_wb", pq)):
            if not np.all(np.isfinite(v)):
                raise InputError(f"{name}: values must be finite (found NaN or inf)")
        sym = self.iq_a[0] == 0.0
        sign = np.where(pq < 0, -1.0, 1.0) if sym else np.ones_like(pq)
        pq = pq * sign
        # linear start: psi_d ~ a + ld*id, psi_q ~ lq*iq (means of the grid slopes)
        d = self._derivatives
        ld = float(np.mean(d["psi_d_wb"][1]))
        lq = float(np.mean(d["psi_q_wb"][2]))
        if ld <= 0 or lq <= 0:
            raise InputError("flux map: psi_d must increase with id and psi_q with iq to invert")
        mid_d = d["psi_d_wb"][0][:, 0]
        x = np.interp(pd, mid_d, self.id_a) if np.all(np.diff(mid_d) > 0) else pd * 0
        y = np.clip(pq / lq, self.iq_a[0], self.iq_a[-1])
        x = np.clip(x, self.id_a[0], self.id_a[-1])
        ok = np.zeros(pd.shape, dtype=bool)
        for _ in range(max_iter):
            r = self._eval(("psi_d_wb", "psi_q_wb"), x, y)
            fd, fdx, fdy = r["psi_d_wb"]
            fq, fqx, fqy = r["psi_q_wb"]
            rd = fd - pd
            rq = fq - pq
            ok = np.maximum(np.abs(rd), np.abs(rq)) <= tol_wb
            if np.all(ok):
                break
            det = fdx * fqy - fdy * fqx
            det = np.where(np.abs(det) > 0, det, np.nan)
            dx = (fqy * rd - fdy * rq) / det
            dy = (-fqx * rd + fdx * rq) / det
            dx = np.where(ok | ~np.isfinite(dx), 0.0, dx)
            dy = np.where(ok | ~np.isfinite(dy), 0.0, dy)
            x = np.clip(x - dx, self.id_a[0], self.id_a[-1])
            y = np.clip(y - dy, self.iq_a[0], self.iq_a[-1])
        if not np.all(ok):
            k = int(np.argmin(ok))
            raise InputError(
                f"psi_d_wb, psi_q_wb: {int((~ok).sum())} flux pair(s) not reachable on the map "
                f"grid (first ({pd[k]}, {sign[k] * pq[k]}) Wb); flux maps are not extrapolated"
            )
        return x.reshape(shape), (sign * y).reshape(shape)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the map to ``path`` (``.npz``: the arrays plus JSON ``meta``); returns the path."""
        p = Path(path)
        arrays = {name: getattr(self, name) for name in ("id_a", "iq_a", *_GRID_FIELDS)}
        try:
            meta = json.dumps(self.meta)
        except TypeError as e:
            raise InputError(f"meta: must be JSON-serialisable to save ({e})") from e
        with p.open("wb") as fh:
            np.savez(
                fh,
                **arrays,
                pole_pairs=np.int64(self.pole_pairs),
                phases=np.int64(self.phases),
                meta_json=np.array(meta),
            )
        return p

    @classmethod
    def load(cls, path: str | Path) -> FluxMap:
        """Read a map written by :meth:`save`."""
        p = Path(path)
        try:
            with np.load(p, allow_pickle=False) as z:
                kw = {name: np.array(z[name]) for name in ("id_a", "iq_a", *_GRID_FIELDS)}
                return cls(
                    **kw,
                    pole_pairs=int(z["pole_pairs"]),
                    phases=int(z["phases"]),
                    meta=json.loads(str(z["meta_json"])),
                )
        except (OSError, KeyError, ValueError) as e:
            if isinstance(e, InputError):
                raise
            raise InputError(f"path: cannot read a flux map from {str(p)!r} ({e})") from e


__all__ = ["FluxMap"]
