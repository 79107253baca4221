"""Field analysis of a machine: back-EMF, cogging, torque and ripple, magnet working point.

:func:`analyze` runs three rotor sweeps on one :class:`~repm.analysis.model.FieldModel`, each a
single batch call into the Rust solver (parallel, warm-started):

1. no load over one electrical period → phase flux linkages, back-EMF at ``speed_rpm`` (its
   harmonics and THD), the phase offsets that fix the dq frame, the air-gap flux density;
2. no load over one cogging period (2π / LCM(Q, 2p)) → cogging torque;

Torques: Arkkio's method over the stator-side air-gap annulus (:class:`ArkkioGap`) and the
Maxwell stress on a circle inside it (:class:`MaxwellCircle`).
3. the given dq currents over one electrical period → torque (Arkkio and Maxwell stress), ripple,
   dq flux linkages, and the magnet working point with its demagnetisation margin.

Currents are peak winding (phase) currents in the amplitude-invariant dq frame (d on the magnet
axis, positive iq motoring). Torques are N·m of the whole machine, counter-clockwise positive.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from repm._checks import finite_number
from repm.analysis.model import FieldModel, field_model, winding_lcm
from repm.analysis.quantities import (
    ArkkioGap,
    MaxwellCircle,
    harmonics,
    magnet_field_along,
    park,
    phase_currents,
    phase_offsets,
    thd_pct,
)
from repm.errors import InputError
from repm.fem import Solution, Solver
from repm.geometry import Machine
from repm.materials import MaterialLibrary

__all__ = ["FieldAnalysis", "analyze"]


@dataclass(frozen=True, eq=False)
class FieldAnalysis:
    """Result of :func:`analyze` (SI units; angles of waveforms in mechanical degrees).

    Scalars: ``emf_rms_phase_v``, ``emf_rms_line_v`` (line-to-line of adjacent phases for a star
    connection, = phase for delta), ``emf_thd_pct``, ``cogging_pp_nm``, ``torque_avg_nm``,
    ``torque_maxwell_avg_nm``, ``torque_ripple_pct`` ((max − min)/|mean|·100), ``psi_d_wb``,
    ``psi_q_wb`` (mean over the loaded sweep), ``min_demag_margin_a_per_m`` (over all magnet
    elements and loaded positions; negative = irreversible demagnetisation).
    Waveforms: ``angle_deg`` (N,) mechanical rotor angles over one electrical period,
    ``flux_linkage_wb`` (N, m), ``emf_phase_v`` (N, m), ``emf_harmonics_v`` (peak by order),
    ``cogging_angle_deg``/``cogging_nm``, ``torque_nm``/``torque_maxwell_nm`` (N,) at the given
    currents, ``airgap_angle_deg``/``airgap_br_t`` (no load, rotor angle 0, modelled part).
    ``demag_margin_a_per_m`` (E,): per magnet element, the smallest margin over positions.
    ``solver``: nodes, elements, solves, Newton iterations (total and max), seconds.
    """

    machine: str
    speed_rpm: float
    id_a: float
    iq_a: float
    magnet_temperature_c: float
    emf_rms_phase_v: float
    emf_rms_line_v: float
    emf_thd_pct: float
    cogging_pp_nm: float
    torque_avg_nm: float
    torque_maxwell_avg_nm: float
    torque_ripple_pct: float
    psi_d_wb: float
    psi_q_wb: float
    min_demag_margin_a_per_m: float
    angle_deg: NDArray[np.float64]
    flux_linkage_wb: NDArray[np.float64]
    emf_phase_v: NDArray[np.float64]
    emf_harmonics_v: NDArray[np.float64]
    cogging_angle_deg: NDArray[np.float64]
    cogging_nm: NDArray[np.float64]
    torque_nm: NDArray[np.float64]
    torque_maxwell_nm: NDArray[np.float64]
    airgap_angle_deg: NDArray[np.float64]
    airgap_br_t: NDArray[np.float64]
    demag_margin_a_per_m: NDArray[np.float64]
    solver: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """The scalar results and the solver report (JSON-ready)."""
        d = {k: v for k, v in asdict(self).items() if not isinstance(v, np.ndarray)}
        d["emf_harmonics_v"] = [float(x) for x in self.emf_harmonics_v[1:12]]
        return d


class _Counter:
    def __init__(self) -> None:
        self.solves = 0
        self.iterations = 0
        self.max_iterations = 0
        self.seconds = 0.0

    def add(self, sols: list[Solution]) -> list[Solution]:
        for s in sols:
            self.solves += 1
            self.iterations += s.newton_iterations
            self.max_iterations = max(self.max_iterations, s.newton_iterations)
        return sols


def analyze(
    machine: Machine | FieldModel,
    *,
    speed_rpm: float = 1000.0,
    id_a: float = 0.0,
    iq_a: float = 0.0,
    magnet_temperature_c: float | None = None,
    positions: int = 30,
    sector: bool = True,
    mesh_scale: float = 1.0,
    materials: MaterialLibrary | None = None,
) -> FieldAnalysis:
    """Analyses a machine (see the module docstring).

    Args:
        machine: a :class:`repm.geometry.Machine`, or a prepared :class:`FieldModel` (then
            ``magnet_temperature_c``, ``sector``, ``mesh_scale`` and ``materials`` are ignored).
        speed_rpm: speed for the back-EMF, rpm (> 0).
        id_a, iq_a: peak dq winding currents, A.
        magnet_temperature_c: magnet temperature, °C (default: the machine's).
        positions: rotor positions per sweep (>= 8).
        sector: model the smallest periodic sector (default) or the whole machine.
        mesh_scale: mesh size factor (< 1 finer).
        materials: user-defined materials.

    Raises:
        InputError: non-finite or out-of-range arguments.
        TemperatureRangeError: the magnet temperature is outside the grade's range.
        ConvergenceError: a nonlinear solve did not converge.
    """
    speed = finite_number("speed_rpm", speed_rpm)
    if speed <= 0:
        raise InputError(f"speed_rpm = {speed_rpm!r} is invalid: must be > 0")
    i_d = finite_number("id_a", id_a)
    i_q = finite_number("iq_a", iq_a)
    if isinstance(positions, bool) or not isinstance(positions, (int, np.integer)):
        raise InputError(f"positions = {positions!r} is invalid: an integer >= 8 is required")
    n = int(positions)
    if n < 8 or n > 3600:
        raise InputError(f"positions = {positions!r} is invalid: must be in 8 … 3600")
    if isinstance(machine, FieldModel):
        model = machine
    else:
        model = field_model(
            machine,
            sector=sector,
            mesh_scale=mesh_scale,
            magnet_temperature_c=magnet_temperature_c,
            materials=materials,
        )
    t_model = time.perf_counter()
    solver = Solver(model.problem)
    count = _Counter()
    p, m = model.pole_pairs, model.phases
    w = model.machine.winding
    n_groups = model.problem.n_groups

    # 1. no load over one electrical period
    theta = 2 * math.pi / p * np.arange(n) / n
    no_load = count.add(solver.solve_batch(theta, np.zeros((n, n_groups))))
    psi = model.flux_linkage_wb(np.array([s.group_a_integral for s in no_load]))
    offsets = phase_offsets(psi)
    omega_m = speed * 2 * math.pi / 60
    c = harmonics(psi.T)  # (m, H)
    orders = np.arange(c.shape[1])
    e_c = 1j * orders * p * omega_m * c  # dψ/dt of each harmonic
    e_wave = np.real(
        np.sum(e_c[:, None, :] * np.exp(1j * np.outer(np.arange(n) * 2 * math.pi / n, orders)), -1)
    ).T
    e_peaks = np.abs(e_c[0])
    rms = lambda x: float(np.sqrt(np.mean(x**2)))  # noqa: E731
    emf_phase = rms(e_wave[:, 0])
    if w.connection == "delta" or m == 1:
        emf_line = emf_phase
    else:
        emf_line = rms(e_wave[:, 0] - e_wave[:, 1])
    band = no_load[0].band_triangles
    cent = model.mesh.nodes[band].mean(axis=1)
    phi = np.arctan2(cent[:, 1], cent[:, 0]) % (2 * math.pi)
    b_band = no_load[0].b[len(model.problem.triangles) :]
    br = b_band[:, 0] * np.cos(phi) + b_band[:, 1] * np.sin(phi)
    order = np.argsort(phi)

    # 2. cogging over one cogging period
    lcm = winding_lcm(model.machine)
    theta_c = 2 * math.pi / lcm * np.arange(n) / n
    cog = count.add(solver.solve_batch(theta_c, np.zeros((n, n_groups))))
    arkkio = ArkkioGap(model)
    cog_nm = np.array([arkkio.torque_nm(s.b) for s in cog])

    # 3. loaded over one electrical period
    theta_e = p * theta - offsets[0]
    if i_d == 0.0 and i_q == 0.0:
        loaded = no_load
        currents = np.zeros((n, m))
    else:
        currents = phase_currents(theta_e, offsets, i_d, i_q)
        loaded = count.add(solver.solve_batch(theta, model.group_current_density(currents)))
    torque = np.array([arkkio.torque_nm(s.b) for s in loaded])
    circle = MaxwellCircle(model)
    torque_ms = np.array([circle.torque_nm(s.b) for s in loaded])
    psi_l = model.flux_linkage_wb(np.array([s.group_a_integral for s in loaded]))
    psi_d, psi_q = park(psi_l, theta_e, offsets)
    margins = np.full(len(model.magnet_elements), math.inf)
    for s, th in zip(loaded, theta, strict=True):
        h = magnet_field_along(model, s.b, float(th))
        margins = np.minimum(
            margins, model.magnet_grade.demag_margin(h, model.magnet_temperature_c)
        )
    t_avg = float(np.mean(torque))
    ripple = float(100 * (torque.max() - torque.min()) / abs(t_avg)) if t_avg != 0 else math.nan
    count.seconds = time.perf_counter() - t_model
    return FieldAnalysis(
        machine=model.machine.name,
        speed_rpm=speed,
        id_a=i_d,
        iq_a=i_q,
        magnet_temperature_c=model.magnet_temperature_c,
        emf_rms_phase_v=emf_phase,
        emf_rms_line_v=emf_line,
        emf_thd_pct=thd_pct(e_peaks),
        cogging_pp_nm=float(cog_nm.max() - cog_nm.min()),
        torque_avg_nm=t_avg,
        torque_maxwell_avg_nm=float(np.mean(torque_ms)),
        torque_ripple_pct=ripple,
        psi_d_wb=float(np.mean(psi_d)),
        psi_q_wb=float(np.mean(psi_q)),
        min_demag_margin_a_per_m=float(margins.min()) if len(margins) else math.nan,
        angle_deg=np.degrees(theta),
        flux_linkage_wb=psi,
        emf_phase_v=e_wave,
        emf_harmonics_v=e_peaks,
        cogging_angle_deg=np.degrees(theta_c),
        cogging_nm=cog_nm,
        torque_nm=torque,
        torque_maxwell_nm=torque_ms,
        airgap_angle_deg=np.degrees(phi[order]),
        airgap_br_t=br[order],
        demag_margin_a_per_m=margins,
        solver={
            "nodes": len(model.mesh.nodes),
            "elements": len(model.problem.triangles) + len(band),
            "sector": not model.mesh.is_full_machine,
            "solves": count.solves,
            "newton_iterations": count.iterations,
            "max_newton_iterations": count.max_iterations,
            "seconds_model": model.seconds_build,
            "seconds": model.seconds_build + count.seconds,
            "seconds_solve": count.seconds,
        },
    )
