"""FEM flux-linkage, torque and loss maps of a machine on a dq current grid (:func:`flux_map`).

For every grid point (id, iq) the rotor is swept over ``positions`` equally spaced angles of ONE
electrical period (one :meth:`repm.fem.Solver.solve_batch` call per point: parallel in Rust,
bit-for-bit repeatable) with the phase currents of
:func:`repm.analysis.quantities.phase_currents`; the dq frame is fixed by the phase offsets of a
no-load sweep (:func:`~repm.analysis.quantities.phase_offsets`). Conventions of repm:
amplitude-invariant Park, d on the magnet flux, positive iq motoring, PEAK phase currents,
whole machine.

* ``psi_d_wb``, ``psi_q_wb``: :func:`~repm.analysis.quantities.park` of the phase flux linkages,
  averaged over the positions.
* ``torque_nm``: mean of Arkkio's torque (:class:`~repm.analysis.quantities.ArkkioGap`);
  ``torque_ripple_pct`` = 100·(max − min)/max(|mean|, 1 % of the largest |mean| of the map)
  (the floor keeps the ripple finite near zero torque, e.g. at iq = 0).

**Iron loss** (per element, then summed; mass = element area × stack length × density ×
stacking factor × symmetry factor). The FEM gives the homogenised stack induction; the steel
sees B/k_f (k_f the stacking factor). Each Cartesian component of B is treated as an
alternating field and the components' losses are added (a rotating field of amplitude B thus
counts twice the alternating loss of its amplitude, a common engineering approximation).
With the steel's Bertotti model ``p = kh·f·B^α + kc·(f·B)² + ke·(f·B)^1.5`` (W/kg,
:attr:`repm.steels.Steel.loss_model`), at electrical frequency f:

* stator elements (stator frame; the waveform is periodic over the electrical period):
  complex harmonics ``B_n`` (peak) of each component over the positions, and
  hysteresis ``kh·f·B̂^α`` with B̂ the half peak-to-peak of the band-limited (trigonometric)
  interpolant of the samples (the major loop; minor loops are neglected),
  eddy ``kc·f²·Σ_n n²·|B_n|²`` (= kc·⟨(dB/dt)²⟩/(2π²), Parseval),
  excess ``ke·f^1.5·Σ_n (n·|B_n|)^1.5`` (per-harmonic superposition);
* rotor elements: B is first turned into the rotor frame (the rotor steel sees only the
  slotting and armature-MMF harmonics, not the main field's rotation). Their rotor-frame
  waveform is not periodic over one electrical period in general (e.g. Q/p not an integer), so
  an FFT would see a spurious jump; they use the equivalent time-domain forms over the sampled
  window instead: hysteresis with B̂ = half peak-to-peak of the samples, eddy
  ``kc·f²·2·⟨(dB/dθe)²⟩`` and excess ``ke·f^1.5·⟨|dB/dθe|^1.5⟩/C`` with
  ``C = ⟨|cos|^1.5⟩ = Γ(5/4)/(√π·Γ(7/4))`` (both exact for a sinusoid), the derivatives by
  differences of consecutive positions (which under-estimate harmonics near the sampling limit:
  use more positions for rotor losses).

The results are stored as W/Hz, W/Hz², W/Hz^1.5 of the whole machine: P_iron(f) = hyst·f +
eddy·f² + excess·f^1.5.

**Magnet eddy-current loss** (2D, resistance-limited: no skin effect, no reaction field; a model
assumption). In each magnet element the rotor-frame dB/dt = 2π·f·dB/dθe drives axial currents
that close within a rectangle of the magnet segment: for the component along the magnetisation d
the loops lie in the (u, z) plane (u ⊥ d in the cross-section) of size w_u × l, for the
component along u in the (d, z) plane of size h_d × l, with w_u, h_d the magnet piece's extents
across and along its magnetisation and ``l = magnet axial length / magnet_axial_segments``. The
loss per volume of a rectangle a × b (a ≤ b) in a uniform dB/dt is the classical
``σ·(dB/dt)²·a²/12·(1 − 192·a/(π⁵·b)·Σ_{n odd} tanh(nπb/(2a))/n⁵)`` (Saint-Venant torsion
analogy; → σ·a²·(dB/dt)²/12 for a thin segment), σ = 1/``MagnetGrade.resistivity_ohm_m``;
⟨(dB/dθe)²⟩ by differences of consecutive positions. Stored as W/Hz²: P_magnet = coef·f².

**Default grid.** I_max (``current_limit_a``) defaults to the peak phase current that gives a
peak current density of 20 A/mm² in the copper of a coil side (a model assumption typical of
short-term ratings of liquid-cooled machines): ``I_max = 20e6 · k_fill · A_side · a / N_c``
(A_side the meshed coil-side area, k_fill the winding fill factor, a parallel paths,
N_c turns per coil). id runs from −I_max in equal steps through 0 to one step above 0, iq from 0
to I_max.

**Cache.** Maps are stored as ``<sha256>.npz`` (:meth:`FluxMap.save`) in ``cache_dir``
(default ``$REPM_CACHE_DIR/fluxmaps`` or ``~/.cache/repm/fluxmaps``; ``cache_dir=False``
disables it). The key hashes the machine description (its repr), the mesh and material arrays
when a prepared model is given, every setting and the repm version.

**Traversal.** The grid is solved row by row (one id value per row, iq ascending). Each solve
starts from the solution at the same rotor position of the previous point of its row (the first
point of a row from the no-load solution) and uses, as the preconditioner of its Newton–Krylov
iterations, the numeric factor left by that previous solve (a :class:`repm.fem.FactorCache` per
row), so most solves need no factorisation.

**Parallelism.** ``executor`` (any :class:`concurrent.futures.Executor`) receives chunks of grid
points (one id row each); the result is bit-for-bit identical to the serial run since every row
is solved the same way (its own solver and factor cache) whatever runs it. Process pools must
start their workers with "spawn" or "forkserver"
(``ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn"))``): a forked child
inherits the parent's Rust thread-pool state without its threads and hangs.

**Resolution.** ``positions`` samples one electrical period, so harmonics up to order
positions/2 − 1 are resolved. The rotor and the magnets see the slotting at Q/p times the
electrical frequency (Q slots, p pole pairs): with positions <= 2·Q/p their losses miss it (a
note is added to ``meta``); use e.g. positions >= 4·Q/p for rotor and magnet losses. When
``positions`` divides the slot-ripple order c = LCM(Q, 2p)/p, the ripple at c times the
electrical frequency aliases into the mean torque and flux linkages (noted in ``meta``; the
Prius 2004 with 12 positions: c = 12, mean torque at id = 0, iq = 223 A is 151 N·m against
138 N·m with 48 positions).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from repm.analysis.model import FieldModel, field_model
from repm.analysis.quantities import ArkkioGap, park, phase_currents, phase_offsets
from repm.errors import InputError
from repm.fem import FactorCache, Solution, Solver, signed_triangle_areas
from repm.geometry import Machine
from repm.maps.fluxmap import FluxMap

__all__ = ["default_current_limit_a", "flux_map"]

J_PEAK_DEFAULT_A_PER_M2 = 20e6  # model assumption, see the module docstring
_CACHE_FORMAT = 1
_EXCESS_SINE = math.gamma(1.25) / (math.sqrt(math.pi) * math.gamma(1.75))  # ⟨|cos|^1.5⟩
_OVERSAMPLE = 8


def default_current_limit_a(model: FieldModel) -> float:
    """Default current limit I_max (A, peak phase current): 20 A/mm² peak in the copper of the
    smallest coil side, ``20e6 · k_fill · A_side · a / N_c`` (see the module docstring)."""
    w = model.machine.winding
    a_side = float(np.min(model.coil_area_m2))
    return J_PEAK_DEFAULT_A_PER_M2 * w.fill_factor * a_side * w.parallel_paths / w.turns_per_coil


def _rect_factor(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """a²/12 · (1 − 192 a/(π⁵ b) Σ_{n odd} tanh(nπb/2a)/n⁵) for a rectangle a × b (any order)."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    s = np.zeros_like(lo)
    for n in range(1, 40, 2):
        s += np.tanh(n * math.pi * hi / (2 * lo)) / n**5
    return lo**2 / 12.0 * (1.0 - 192.0 * lo / (math.pi**5 * hi) * s)


@dataclass(frozen=True)
class _SteelWeights:
    """Bertotti weights of the steel elements of one side (stator or rotor)."""

    el: NDArray[np.int64]  # element indices
    inv_kf: NDArray[np.float64]  # 1 / stacking factor: lamination B from the FEM's mean B
    kh: NDArray[np.float64]  # W/Hz per T^alpha (kh × mass)
    alpha: NDArray[np.float64]
    kc: NDArray[np.float64]  # kc × mass
    ke: NDArray[np.float64]  # ke × mass


@dataclass(frozen=True)
class _Context:
    """Everything a worker needs for a chunk of grid points (picklable)."""

    model: FieldModel
    theta: NDArray[np.float64]
    theta_e: NDArray[np.float64]
    offsets: NDArray[np.float64]
    arkkio: ArkkioGap
    stator: _SteelWeights
    rotor: _SteelWeights
    magnet_el: NDArray[np.int64]
    magnet_dir: NDArray[np.float64]  # (E, 2) rotor frame
    magnet_w_d: NDArray[np.float64]  # σ·V·g(w_u, l)·4π²: W/Hz² per (dB_d/dθe)²
    magnet_w_u: NDArray[np.float64]  # σ·V·g(h_d, l)·4π²
    no_load_a: NDArray[np.float64] | None = None  # (N, M) no-load A_z, the rows' start


def _steel_weights(
    model: FieldModel, elements: NDArray[np.int64], area: NDArray[np.float64]
) -> _SteelWeights:
    pr = model.problem
    n = len(elements)
    inv_kf, kh, alpha, kc, ke = (np.zeros(n) for _ in range(5))
    alpha[:] = 2.0
    scale = model.stack_length_m * model.symmetry_factor
    for k, st in enumerate(pr.steels):
        sel = pr.steel[elements] == k
        if not np.any(sel):
            continue
        lm = st.loss_model
        if lm is None:
            continue  # no loss data: zero loss (recorded in meta notes)
        if lm.model != "bertotti":
            raise InputError(
                f"steel {st.name!r}: loss_model.model = {lm.model!r} is invalid for flux maps: "
                "a Bertotti model (kh, alpha, kc, ke) is required to split the loss into "
                "hysteresis, eddy and excess coefficients"
            )
        c = lm.coefficients
        mass = area[sel] * scale * st.density_kg_per_m3 * st.stacking_factor
        inv_kf[sel] = 1.0 / st.stacking_factor
        kh[sel] = c["kh"] * mass
        alpha[sel] = c["alpha"]
        kc[sel] = c["kc"] * mass
        ke[sel] = c["ke"] * mass
    return _SteelWeights(el=elements, inv_kf=inv_kf, kh=kh, alpha=alpha, kc=kc, ke=ke)


def _magnet_weights(
    model: FieldModel, area: NDArray[np.float64], segments: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    e = model.magnet_elements
    if len(e) == 0:
        return np.zeros(0), np.zeros(0)
    mesh = model.mesh
    pr = model.problem
    reg = np.asarray(mesh.region)[e]
    w_u = np.zeros(len(e))
    h_d = np.zeros(len(e))
    for r in np.unique(reg):
        sel = reg == r
        d = model.magnet_direction[sel].mean(axis=0)
        d = d / np.hypot(*d)
        u = np.array([-d[1], d[0]])
        pts = pr.nodes[pr.triangles[e[sel]].ravel()]
        for out, axis in ((w_u, u), (h_d, d)):
            proj = pts @ axis
            out[sel] = float(proj.max() - proj.min())
    length = model.machine.magnet_axial_length_m / segments
    sigma = 1.0 / model.magnet_grade.resistivity_ohm_m
    vol = area[e] * model.machine.magnet_axial_length_m * model.symmetry_factor
    k = sigma * vol * 4 * math.pi**2
    lz = np.full(len(e), length)
    return k * _rect_factor(w_u, lz), k * _rect_factor(h_d, lz)


def _context(model: FieldModel, positions: int, segments: int, solver: Solver) -> _Context:
    p = model.pole_pairs
    n = positions
    theta = 2 * math.pi / p * np.arange(n) / n
    no_load = solver.solve_batch(theta, np.zeros((n, model.problem.n_groups)))
    psi = model.flux_linkage_wb(np.array([s.group_a_integral for s in no_load]))
    offsets = phase_offsets(psi)
    pr = model.problem
    area = np.abs(signed_triangle_areas(pr.nodes, pr.triangles))
    steel_el = np.flatnonzero(pr.steel >= 0)
    st_el = steel_el[~pr.rotor[steel_el]]
    ro_el = steel_el[pr.rotor[steel_el]]
    mw_d, mw_u = _magnet_weights(model, area, segments)
    return _Context(
        model=model,
        theta=theta,
        theta_e=p * theta - offsets[0],
        offsets=offsets,
        arkkio=ArkkioGap(model),
        stator=_steel_weights(model, st_el, area[st_el]),
        rotor=_steel_weights(model, ro_el, area[ro_el]),
        magnet_el=model.magnet_elements,
        magnet_dir=model.magnet_direction,
        magnet_w_d=mw_d,
        magnet_w_u=mw_u,
        no_load_a=np.stack([s.a for s in no_load]),
    )


def _stator_losses(ctx: _Context, b: NDArray[np.float64]) -> tuple[float, float, float]:
    """b: (N, E, 2) stator-frame element B of the stator steel (iron B)."""
    n = b.shape[0]
    # (E, 2, N) contiguous: the FFTs run along the last axis (several times faster than along
    # the first); peak amplitudes |c_h| = 2|X_h|/n for h >= 1 as in quantities.harmonics,
    # Nyquist dropped.
    spec = np.fft.rfft(np.ascontiguousarray(np.moveaxis(b, 0, -1)), axis=-1)
    h = spec.shape[-1] - 1 if n % 2 == 0 else spec.shape[-1]
    amp = np.abs(spec[..., 1:h]) * (2.0 / n)
    ao = amp * np.arange(1, h, dtype=np.float64)  # n·|B_n|
    eddy = np.sum(ao * ao, axis=(1, 2))
    excess = np.sum(ao * np.sqrt(ao), axis=(1, 2))
    # band-limited interpolant, oversampled, for the peak-to-peak of each component
    if n % 2 == 0:
        spec[..., -1] = 0.0  # drop the Nyquist term as harmonics() does
    fine = np.fft.irfft(spec, n=n * _OVERSAMPLE, axis=-1) * _OVERSAMPLE
    b_hat = 0.5 * (fine.max(axis=-1) - fine.min(axis=-1))  # (E, 2)
    w = ctx.stator
    hyst = np.sum(b_hat ** w.alpha[:, None], axis=1)
    return (
        float(np.sum(w.kh * hyst)),
        float(np.sum(w.kc * eddy)),
        float(np.sum(w.ke * excess)),
    )


def _rotor_losses(w: _SteelWeights, b: NDArray[np.float64]) -> tuple[float, float, float]:
    """b: (N, E, 2) rotor-frame iron B; time-domain forms over the sampled window."""
    n = b.shape[0]
    dth = 2 * math.pi / n
    db = np.diff(b, axis=0) / dth  # (N-1, E, 2) dB/dθe
    b_hat = 0.5 * (b.max(axis=0) - b.min(axis=0))
    hyst = np.sum(b_hat ** w.alpha[:, None], axis=1)
    eddy = 2.0 * np.sum(np.mean(db**2, axis=0), axis=1)
    adb = np.abs(db)
    excess = np.sum(np.mean(adb * np.sqrt(adb), axis=0), axis=1) / _EXCESS_SINE
    return float(np.sum(w.kh * hyst)), float(np.sum(w.kc * eddy)), float(np.sum(w.ke * excess))


def _to_rotor_frame(b: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    c = np.cos(theta)[:, None]
    s = np.sin(theta)[:, None]
    bx, by = b[..., 0], b[..., 1]
    return np.stack([c * bx + s * by, -s * bx + c * by], axis=-1)


def _solve_point(
    ctx: _Context,
    solver: Solver,
    i_d: float,
    i_q: float,
    a0: NDArray[np.float64] | None,
    factors: FactorCache,
) -> list[Solution]:
    """The solutions of one grid point over the positions, started from ``a0`` (N, M)."""
    cur = phase_currents(ctx.theta_e, ctx.offsets, i_d, i_q)
    return solver.solve_batch(
        ctx.theta, ctx.model.group_current_density(cur), a0=a0, factors=factors
    )


def _point(ctx: _Context, sols: list[Solution]) -> tuple[float, ...]:
    """One grid point's results from its solutions."""
    model = ctx.model
    psi = model.flux_linkage_wb(np.array([s.group_a_integral for s in sols]))
    psi_d, psi_q = park(psi, ctx.theta_e, ctx.offsets)
    torque = np.array([ctx.arkkio.torque_nm(s.b) for s in sols])
    b_all = np.stack([s.b for s in sols])  # (N, T+Tb, 2) global frame
    st, ro = ctx.stator, ctx.rotor
    h_s, e_s, x_s = _stator_losses(ctx, b_all[:, st.el] * st.inv_kf[None, :, None])
    b_ro = _to_rotor_frame(b_all[:, ro.el], ctx.theta) * ro.inv_kf[None, :, None]
    h_r, e_r, x_r = _rotor_losses(ro, b_ro)
    mag = 0.0
    if len(ctx.magnet_el):
        b_m = _to_rotor_frame(b_all[:, ctx.magnet_el], ctx.theta)
        d = ctx.magnet_dir
        b_d = np.sum(b_m * d[None], axis=-1)
        b_u = b_m[..., 1] * d[None, :, 0] - b_m[..., 0] * d[None, :, 1]
        dth = 2 * math.pi / len(ctx.theta)
        msq_d = np.mean((np.diff(b_d, axis=0) / dth) ** 2, axis=0)
        msq_u = np.mean((np.diff(b_u, axis=0) / dth) ** 2, axis=0)
        mag = float(np.sum(ctx.magnet_w_d * msq_d + ctx.magnet_w_u * msq_u))
    iters = sum(s.newton_iterations for s in sols)
    return (
        float(np.mean(psi_d)),
        float(np.mean(psi_q)),
        float(np.mean(torque)),
        float(torque.max() - torque.min()),
        h_s + h_r,
        e_s + e_r,
        x_s + x_r,
        mag,
        h_s,
        e_s,
        x_s,
        float(iters),
    )


def _chunk(ctx: _Context, points: list[tuple[float, float]]) -> list[tuple[float, ...]]:
    """One task: the grid points of a chunk, in order (runs in a worker process or inline),
    each warm-started from the previous one (see the module docstring)."""
    solver = Solver(ctx.model.problem)
    factors = FactorCache()
    out = []
    # The next point's solves (Rust, GIL released) overlap this point's loss evaluation; the
    # solves run one after the other in the same order as without the thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        fut = pool.submit(_solve_point, ctx, solver, *points[0], ctx.no_load_a, factors)
        for k in range(len(points)):
            sols = fut.result()
            if k + 1 < len(points):
                a = np.stack([s.a for s in sols])
                fut = pool.submit(_solve_point, ctx, solver, *points[k + 1], a, factors)
            out.append(_point(ctx, sols))
    return out


def _grid_axis(name: str, value: ArrayLike, nonneg: bool) -> NDArray[np.float64]:
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputError(f"{name} = {value!r} is invalid: a 1-D array of currents (A)") from e
    if a.ndim != 1 or a.size < 2:
        raise InputError(f"{name}: need a 1-D grid of at least 2 currents (A); got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: currents must be finite (A); got {a.tolist()}")
    if not np.all(np.diff(a) > 0):
        raise InputError(f"{name}: grid must be strictly ascending; got {a.tolist()}")
    if nonneg and a[0] < 0:
        raise InputError(f"{name}: currents must be >= 0 (motoring); got {name}[0] = {a[0]}")
    return a


def _int_arg(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise InputError(f"{name} = {value!r} is invalid: an integer in {lo} … {hi} is required")
    return int(value)


def _cache_root(cache_dir: str | os.PathLike[str] | bool | None) -> Path | None:
    if cache_dir is False:
        return None
    if cache_dir is None or cache_dir is True:
        env = os.environ.get("REPM_CACHE_DIR")
        base = Path(env) if env else Path.home() / ".cache" / "repm"
        return base / "fluxmaps"
    if isinstance(cache_dir, (str, os.PathLike)):
        return Path(cache_dir)
    raise InputError(f"cache_dir = {cache_dir!r} is invalid: a path, None or False is required")


def _cache_key(model: FieldModel, settings: dict[str, Any], prepared: bool) -> str:
    from repm import __version__

    h = hashlib.sha256()
    h.update(json.dumps({**settings, "version": __version__, "format": _CACHE_FORMAT}).encode())
    h.update(repr(model.machine).encode())
    if prepared:  # a prepared model may differ from the default mesh or materials
        pr = model.problem
        for a in (pr.nodes, pr.triangles, pr.nu_r, pr.steel, pr.br_t, pr.source_group, pr.rotor):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(repr(pr.steels).encode())
        h.update(repr(model.magnet_grade).encode())
    return h.hexdigest()


def flux_map(
    machine_or_model: Machine | FieldModel,
    *,
    id_a: ArrayLike | None = None,
    iq_a: ArrayLike | None = None,
    positions: int = 16,
    current_limit_a: float | None = None,
    grid: tuple[int, int] = (15, 15),
    magnet_temperature_c: float | None = None,
    mesh_scale: float = 1.0,
    magnet_axial_segments: int = 1,
    cache_dir: str | os.PathLike[str] | bool | None = None,
    executor: Executor | None = None,
) -> FluxMap:
    """FEM flux-linkage, torque and loss map of a machine (see the module docstring).

    Args:
        machine_or_model: a :class:`repm.geometry.Machine` (meshed as its smallest periodic
            sector) or a prepared :class:`repm.analysis.FieldModel` (then
            ``magnet_temperature_c`` and ``mesh_scale`` are ignored).
        id_a, iq_a: current grids, A peak, strictly ascending (``iq_a >= 0``); default from
            ``current_limit_a`` and ``grid``.
        positions: rotor positions per electrical period (6 … 720).
        current_limit_a: I_max for the default grids, A peak (> 0); default 20 A/mm² peak in
            the coil copper (:func:`default_current_limit_a`).
        grid: (Ni, Nq) points of the default grids (Ni >= 3, Nq >= 2).
        magnet_temperature_c: magnet temperature, °C (default: the machine's).
        mesh_scale: mesh size factor (< 1 finer).
        magnet_axial_segments: axial segments per magnet (>= 1), for the magnet eddy loss.
        cache_dir: cache directory; None = ``$REPM_CACHE_DIR/fluxmaps`` or
            ``~/.cache/repm/fluxmaps``; False = no cache.
        executor: a :class:`concurrent.futures.Executor` for chunks of grid points (one id row
            per task); same result as the serial run.

    Returns:
        :class:`repm.maps.FluxMap` (whole machine, SI; loss coefficients in W/Hz, W/Hz², W/Hz^1.5
        of the electrical frequency).

    Raises:
        InputError: invalid arguments (the message names the field) or a steel whose loss model
            is not Bertotti.
        TemperatureRangeError: the magnet temperature is outside the grade's range.
        ConvergenceError: a nonlinear solve did not converge.
    """
    t0 = time.perf_counter()
    n_pos = _int_arg("positions", positions, 6, 720)
    n_seg = _int_arg("magnet_axial_segments", magnet_axial_segments, 1, 1000)
    if executor is not None and not isinstance(executor, Executor):
        raise InputError(
            f"executor = {executor!r} is invalid: a concurrent.futures.Executor or None"
        )
    root = _cache_root(cache_dir)
    if not (isinstance(grid, (tuple, list)) and len(grid) == 2):
        raise InputError(f"grid = {grid!r} is invalid: a pair (Ni, Nq) of integers is required")
    n_i = _int_arg("grid[0]", grid[0], 3, 1000)
    n_q = _int_arg("grid[1]", grid[1], 2, 1000)
    if current_limit_a is not None:
        if (
            isinstance(current_limit_a, bool)
            or not isinstance(current_limit_a, (int, float, np.floating, np.integer))
            or not math.isfinite(float(current_limit_a))
            or float(current_limit_a) <= 0
        ):
            raise InputError(
                f"current_limit_a = {current_limit_a!r} is invalid: must be finite and > 0 (A)"
            )
    ida = None if id_a is None else _grid_axis("id_a", id_a, nonneg=False)
    iqa = None if iq_a is None else _grid_axis("iq_a", iq_a, nonneg=True)
    prepared = isinstance(machine_or_model, FieldModel)
    if prepared:
        model = machine_or_model
    elif isinstance(machine_or_model, Machine):
        if isinstance(mesh_scale, bool) or not isinstance(mesh_scale, (int, float)):
            raise InputError(f"mesh_scale = {mesh_scale!r} is invalid: a number > 0 is required")
        model = field_model(
            machine_or_model,
            mesh_scale=float(mesh_scale),
            magnet_temperature_c=magnet_temperature_c,
        )
    else:
        raise InputError(
            f"machine_or_model = {type(machine_or_model).__name__} is invalid: a "
            "repm.geometry.Machine or repm.analysis.FieldModel is required"
        )
    i_max = default_current_limit_a(model) if current_limit_a is None else float(current_limit_a)
    if ida is None:
        step = i_max / (n_i - 2)
        ida = -i_max + step * np.arange(n_i)
        ida[n_i - 2] = 0.0
    if iqa is None:
        iqa = np.linspace(0.0, i_max, n_q)
    settings = {
        "id_a": ida.tolist(),
        "iq_a": iqa.tolist(),
        "positions": n_pos,
        "magnet_axial_segments": n_seg,
        "magnet_temperature_c": model.magnet_temperature_c,
        "mesh_scale": None if prepared else float(mesh_scale),
    }
    key = _cache_key(model, settings, prepared)
    path = None if root is None else root / f"{key}.npz"
    if path is not None and path.is_file():
        try:
            return FluxMap.load(path)
        except InputError:
            pass  # unreadable cache entry: recompute and overwrite

    solver = Solver(model.problem)
    ctx = _context(model, n_pos, n_seg, solver)
    rows = [[(float(x), float(y)) for y in iqa] for x in ida]
    if executor is None:
        results = [r for row in rows for r in _chunk(ctx, row)]
    else:
        futures = [executor.submit(_chunk, ctx, row) for row in rows]
        results = [r for f in futures for r in f.result()]
    res = np.array(results, dtype=np.float64).reshape(len(ida), len(iqa), -1)
    t_mean = res[..., 2]
    t_floor = 0.01 * float(np.max(np.abs(t_mean)))
    den = np.maximum(np.abs(t_mean), t_floor)
    ripple = np.where(den > 0, 100.0 * res[..., 3] / np.where(den > 0, den, 1.0), 0.0)
    notes = [
        "iron loss: per-component Bertotti, see repm.maps.compute docstring",
        "magnet loss: 2D resistance-limited rectangle estimate",
        "default current limit: 20 A/mm2 peak in coil copper (assumption)",
    ]
    slot_order = model.machine.stator.slots / model.pole_pairs
    if n_pos <= 2 * slot_order:
        notes.append(
            f"positions = {n_pos} <= 2*Q/p = {2 * slot_order:g}: the slotting harmonic seen by "
            "the rotor and magnets is not resolved; their losses are underestimated"
        )
    cog_order = math.lcm(model.machine.stator.slots, 2 * model.pole_pairs) // model.pole_pairs
    if cog_order % n_pos == 0:
        notes.append(
            f"positions = {n_pos} divides the slot-ripple order {cog_order} (per electrical "
            "period): that torque and flux ripple aliases into the means; prefer a number of "
            "positions that does not divide it"
        )
    no_loss = sorted({st.name for st in model.problem.steels if st.loss_model is None})
    if no_loss:
        notes.append(f"steels without loss data (zero iron loss): {', '.join(no_loss)}")
    fm = FluxMap(
        id_a=ida,
        iq_a=iqa,
        psi_d_wb=res[..., 0],
        psi_q_wb=res[..., 1],
        torque_nm=t_mean,
        torque_ripple_pct=ripple,
        iron_hyst_w_per_hz=res[..., 4],
        iron_eddy_w_per_hz2=res[..., 5],
        iron_excess_w_per_hz1_5=res[..., 6],
        magnet_eddy_w_per_hz2=res[..., 7],
        pole_pairs=model.pole_pairs,
        phases=model.phases,
        meta={
            "machine": model.machine.name,
            "hash": key,
            "settings": settings,
            "current_limit_a": i_max,
            "magnet_grade": model.magnet_grade.name,
            "nodes": len(model.mesh.nodes),
            "elements": len(model.problem.triangles),
            "sector": not model.mesh.is_full_machine,
            "solves": (len(ida) * len(iqa) + 1) * n_pos,
            "newton_iterations": int(res[..., 11].sum()),
            "stator_iron_hyst_w_per_hz": res[..., 8].tolist(),
            "stator_iron_eddy_w_per_hz2": res[..., 9].tolist(),
            "stator_iron_excess_w_per_hz1_5": res[..., 10].tolist(),
            "seconds": time.perf_counter() - t0,
            "notes": notes,
        },
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        os.close(fd)
        try:
            fm.save(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return fm
