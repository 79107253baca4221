"""Post-processing of field solutions: waveforms, harmonics, Maxwell stress, magnet working point.

Conventions (used everywhere in repm): amplitude-invariant Park transform, d-axis on the magnet
flux, positive ``iq`` motoring; rotor angles counter-clockwise; currents are peak values of the
winding (phase) currents. Phase ``k`` of an ``m``-phase winding has its flux-linkage fundamental
at electrical angle ``θe_k = p·θm − δ_k``; ``δ_k`` is measured on the no-load solution
(:func:`phase_offsets`), so the dq frame follows the actual winding layout and phase order.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from repm.analysis.model import MU0, FieldModel
from repm.fem import arkkio_torque

__all__ = [
    "ArkkioGap",
    "MaxwellCircle",
    "harmonics",
    "maxwell_torque_nm",
    "phase_currents",
    "phase_offsets",
    "thd_pct",
]


def harmonics(samples: NDArray[np.float64]) -> NDArray[np.complex128]:
    """Complex Fourier coefficients of uniformly spaced samples over one period along the last
    axis: ``c[h]`` with ``x(t) ≈ Re Σ_h c[h]·e^{j h ω t}`` (``c[0]`` the mean, ``|c[h]|`` the
    peak amplitude of order h). The Nyquist term is dropped."""
    x = np.asarray(samples, dtype=np.float64)
    n = x.shape[-1]
    c = np.fft.rfft(x, axis=-1) / n
    c[..., 1:] *= 2.0
    if n % 2 == 0:
        c = c[..., :-1]
    return c


def thd_pct(peaks: NDArray[np.float64]) -> float:
    """Total harmonic distortion, %: sqrt(Σ_{h≥2} E_h²) / E_1 · 100 for peak amplitudes indexed
    by harmonic order (index 0 = mean, ignored)."""
    e = np.asarray(peaks, dtype=np.float64)
    if len(e) < 2 or e[1] <= 0:
        return math.nan
    return float(100.0 * np.sqrt(np.sum(e[2:] ** 2)) / e[1])


def phase_offsets(flux_linkage_wb: NDArray[np.float64]) -> NDArray[np.float64]:
    """Electrical offsets ``δ_k`` (rad) of the phases from no-load flux linkages sampled at
    ``p·θm = 2π·i/N`` (shape (N, m)): ``δ_A`` from the fundamental of phase A, the others at
    ``δ_A ± 2πk/m`` with the sign of the measured phase order."""
    c = harmonics(np.asarray(flux_linkage_wb).T)[:, 1]
    m = len(c)
    delta_a = -float(np.angle(c[0]))
    if m == 1:
        return np.array([delta_a])
    step = 2 * math.pi / m
    lag = math.remainder(-float(np.angle(c[1])) - delta_a, 2 * math.pi)
    sense = 1.0 if abs(lag - step) <= abs(lag + step) else -1.0
    return delta_a + sense * step * np.arange(m)


def phase_currents(
    theta_e_a: NDArray[np.float64], offsets: NDArray[np.float64], id_a: float, iq_a: float
) -> NDArray[np.float64]:
    """Phase currents (A), shape (K, m), at electrical angles ``θe = p·θm − δ_A`` (K,):
    ``i_k = id·cos(θe_k) − iq·sin(θe_k)`` with ``θe_k = θe − (δ_k − δ_A)``."""
    th = np.asarray(theta_e_a, dtype=np.float64)[:, None] - (offsets - offsets[0])[None, :]
    return id_a * np.cos(th) - iq_a * np.sin(th)


def park(
    values: NDArray[np.float64], theta_e_a: NDArray[np.float64], offsets: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Amplitude-invariant Park transform of phase quantities (K, m) → (d, q), each (K,)."""
    m = values.shape[-1]
    th = np.asarray(theta_e_a)[:, None] - (offsets - offsets[0])[None, :]
    d = (2.0 / m) * np.sum(values * np.cos(th), axis=-1)
    q = -(2.0 / m) * np.sum(values * np.sin(th), axis=-1)
    return d, q


class MaxwellCircle:
    """Sample points on a circle in the stator-side air gap and the stator-frame elements that
    hold them, for the Maxwell-stress torque ``T = L·k·r²/μ0 ∮ B_r B_θ dφ``.

    The circle runs midway between the band's stator circle and the stator's air-gap surface;
    the points are located once (the stator side does not move).
    """

    def __init__(self, model: FieldModel, points_per_rad: float = 600.0) -> None:
        from matplotlib.tri import Triangulation

        mesh = model.mesh
        r_s = model.machine.stator_gap_radius_m
        self.radius_m = 0.5 * (model.r_band_stator_m + r_s)
        n = max(64, math.ceil(points_per_rad * mesh.sector_angle_rad))
        self.phi = (np.arange(n) + 0.5) * mesh.sector_angle_rad / n
        x, y = self.radius_m * np.cos(self.phi), self.radius_m * np.sin(self.phi)
        tris = mesh.triangles[model.stator_gap_elements]
        tri = Triangulation(mesh.nodes[:, 0], mesh.nodes[:, 1], tris)
        local = tri.get_trifinder()(x, y)
        if np.any(local < 0):
            raise RuntimeError("Maxwell-stress circle leaves the stator air-gap region")
        self.elements = model.stator_gap_elements[local]
        self.scale = (
            (-1.0 if model.machine.is_outer_rotor else 1.0)
            * model.symmetry_factor
            * model.stack_length_m
            * self.radius_m**2
            / MU0
            * (mesh.sector_angle_rad / n)
        )

    def torque_nm(self, b_t: NDArray[np.float64]) -> float:
        """Torque (N·m, whole machine, counter-clockwise positive) from element B (global frame)."""
        b = b_t[self.elements]
        c, s = np.cos(self.phi), np.sin(self.phi)
        br = b[:, 0] * c + b[:, 1] * s
        bt = -b[:, 0] * s + b[:, 1] * c
        return float(self.scale * np.sum(br * bt))


class ArkkioGap:
    """Arkkio's torque over the stator-side air-gap annulus (between the band's stator circle
    and the stator's air-gap surface): ``T = L·k/(μ0 (r_o − r_i)) ∫ r B_r B_θ dS``.

    The annulus is meshed finely and does not move, so the volume average is smooth in the
    rotor angle; the one-element band (:attr:`repm.fem.Solution.torque_arkkio_nm_per_m`)
    carries a bias that alternates with the band shear (its triangles are right-angled at
    whole band steps), which matters for small torques such as cogging.
    """

    def __init__(self, model: FieldModel) -> None:
        self.elements = model.stator_gap_elements
        self.triangles = model.mesh.triangles[self.elements]
        self.nodes = model.mesh.nodes
        r_gap = model.machine.stator_gap_radius_m
        self.r_inner_m = min(r_gap, model.r_band_stator_m)
        self.r_outer_m = max(r_gap, model.r_band_stator_m)
        # the shear stress on a circle gives the torque on what lies inside it: the rotor of an
        # inner-rotor machine, the stator of an outer-rotor one (then the rotor gets the opposite)
        side = -1.0 if model.machine.is_outer_rotor else 1.0
        self.scale = side * model.symmetry_factor * model.stack_length_m

    def torque_nm(self, b_t: NDArray[np.float64]) -> float:
        """Torque on the rotor (N·m, whole machine, counter-clockwise positive)."""
        per_m = arkkio_torque(
            self.nodes, self.triangles, b_t[self.elements], self.r_inner_m, self.r_outer_m
        )
        return self.scale * per_m


def maxwell_torque_nm(model: FieldModel, b_t: NDArray[np.float64]) -> float:
    """Maxwell-stress torque (N·m, whole machine) of one solution's element B (global frame)."""
    return MaxwellCircle(model).torque_nm(b_t)


def magnet_field_along(
    model: FieldModel, b_t: NDArray[np.float64], rotor_angle_rad: float
) -> NDArray[np.float64]:
    """Field strength along the magnetisation in each magnet element, A/m (negative when it
    opposes the magnetisation), from element B in the global frame: H = (B − Br)/(μ0·μrec)."""
    c, s = math.cos(rotor_angle_rad), math.sin(rotor_angle_rad)
    d = model.magnet_direction @ np.array([[c, s], [-s, c]])  # directions in the global frame
    e = model.magnet_elements
    br = np.hypot(*model.problem.br_t[e].T)
    b_along = np.sum(b_t[e] * d, axis=1)
    return (b_along - br) / (MU0 * model.magnet_grade.mu_rec)
