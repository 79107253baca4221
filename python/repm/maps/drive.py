"""Drive model on a flux map: operating points, envelopes, efficiency maps, duty cycles.

Conventions (all of repm): SI units, currents and voltages are PEAK phase values, amplitude-
invariant Park transform, d-axis on the magnet flux, positive iq motoring. Speeds are >= 0 in
rpm at this API; generating is negative torque. Torques are SHAFT torques: the map torque minus
the iron, magnet and mechanical loss torques.

Model (evaluated in Rust, crate ``repm-machine``), at mechanical speed ω (rad/s), electrical
frequency f = p·ω/2π:

* voltage limit: SVPWM linear range, ``u_max = m_a · V_dc / √3`` (peak phase voltage,
  modulation index ``m_a <= 1``; over-modulation and six-step are NOT modelled), applied to
  ``u_d = R_ac i_d − ω_e ψ_q``, ``u_q = R_ac i_q + ω_e ψ_d`` (steady state);
* current limit: ``|i| <= current_limit_a`` (peak);
* copper: ``(m/2) R |i|²`` split into DC and AC parts, ``R_ac / R_dc = 1 + c f²`` (see
  :class:`Drive` for the AC-factor estimate), R at the winding temperature from the
  conductor's ρ(T);
* iron and magnet losses: the map's coefficients (hyst·f + eddy·f² + excess·f^1.5,
  magnet_eddy·f²), interpolated at the operating currents; they brake the rotor and are not in
  the dq circuit;
* mechanical: friction ``k1·n`` + windage ``k2·n³`` (n in rpm; user coefficients, default 0);
* inverter (optional, default 0): per phase ``(2/π)(V_0 + f_sw E_sw)·I + (r_on/2)·I²`` for a
  sinusoidal current of amplitude I (conduction through one device per leg at a time, switching
  energy proportional to the current).

Control: at each (speed, torque) the current (id, iq) is searched that gives the shaft torque
within both limits and minimises the losses (``strategy="min_loss"``, default) or the current
amplitude (``"mtpa"``: MTPA below the corner speed, then field weakening). Points beyond the
envelope are NaN in the arrays and ``None`` in records and JSON; maps are never extrapolated.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from repm import _core
from repm import conductors as _conductors
from repm._toml import read_toml
from repm.errors import InputError
from repm.maps.fluxmap import FluxMap

MU0 = 4e-7 * math.pi
RAD_S_PER_RPM = 2 * math.pi / 60
_AC_MODELS = ("round", "hairpin", "none")

__all__ = [
    "Drive",
    "DutyCycleResult",
    "EfficiencyMap",
    "Envelope",
    "OperatingPoints",
    "characteristic_current_a",
    "corner_speed_rpm",
    "drive_from_dict",
    "duty_cycle",
    "efficiency_map",
    "envelope",
    "evaluate_currents",
    "load_drive",
    "mtpa_trajectory",
    "mtpv_trajectory",
    "operating_points",
    "phase_resistance_ohm",
]


def _finite(name: str, v: Any, *, positive: bool = False, nonneg: bool = False) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError) as e:
        raise InputError(f"{name}: must be a number, got {v!r}") from e
    if not math.isfinite(x):
        raise InputError(f"{name}: must be finite, got {v!r}")
    if positive and x <= 0:
        raise InputError(f"{name}: must be > 0, got {x}")
    if nonneg and x < 0:
        raise InputError(f"{name}: must be >= 0, got {x}")
    return x


@dataclass(frozen=True)
class Drive:
    """Inverter limits, winding and loss parameters of a drive (frozen, picklable).

    Attributes:
        dc_bus_v: DC-link voltage, V (> 0).
        current_limit_a: phase current limit, A PEAK (> 0).
        modulation_index: SVPWM modulation index m_a, 0 < m_a <= 1 (default 1: the end of the
            linear range); u_max = m_a·V_dc/√3. Over-modulation is not modelled.
        winding_temperature_c: winding temperature for R(T), °C (default 20).
        phase_resistance_ohm: measured DC phase resistance, Ω, at
            ``phase_resistance_temperature_c``; ``None``: computed from the machine's winding
            (:func:`phase_resistance_ohm`; needs ``machine`` in the map functions).
        phase_resistance_temperature_c: temperature of ``phase_resistance_ohm``, °C.
        conductor: conductor name for ρ(T) scaling (:func:`repm.conductors.conductor`).
        ac_model: ``"round"`` (stranded round wire: R_ac/R_dc = 1, an estimate valid while the
            strand diameter is well below the skin depth, i.e. below a few kHz for thin
            strands), ``"hairpin"`` (Dowell's low-frequency expansion for ``hairpin_layers``
            rectangular conductors of height ``hairpin_height_m`` per slot:
            R_ac/R_dc = 1 + (5 n² − 1)/45 · (h/δ)⁴, δ = √(ρ/(π f μ0)), i.e. 1 + c f², applied to
            the whole resistance: conservative, the end windings see no slot field; valid for
            h/δ ≲ 1.5) or ``"none"`` (same as round).
        hairpin_height_m, hairpin_layers: hairpin conductor height (m) and layers per slot.
        friction_w_per_rpm, windage_w_per_rpm3: mechanical loss k1·n + k2·n³ (n in rpm).
            Default 0 (no mechanical loss unless given: a transparent default, not a claim).
        inverter_v_drop_v, inverter_r_on_ohm, inverter_switching_j_per_a,
        switching_frequency_hz: optional inverter loss model (see the module docstring);
            default 0 (no inverter loss).
        max_speed_rpm: mechanical speed limit, rpm (optional; caps maps and the max speed).
    """

    dc_bus_v: float
    current_limit_a: float
    modulation_index: float = 1.0
    winding_temperature_c: float = 20.0
    phase_resistance_ohm: float | None = None
    phase_resistance_temperature_c: float = 20.0
    conductor: str = "copper"
    ac_model: str = "round"
    hairpin_height_m: float | None = None
    hairpin_layers: int | None = None
    friction_w_per_rpm: float = 0.0
    windage_w_per_rpm3: float = 0.0
    inverter_v_drop_v: float = 0.0
    inverter_r_on_ohm: float = 0.0
    inverter_switching_j_per_a: float = 0.0
    switching_frequency_hz: float = 10e3
    max_speed_rpm: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "dc_bus_v", _finite("dc_bus_v", self.dc_bus_v, positive=True))
        set_(
            self,
            "current_limit_a",
            _finite("current_limit_a", self.current_limit_a, positive=True),
        )
        mi = _finite("modulation_index", self.modulation_index, positive=True)
        if mi > 1.0:
            raise InputError(
                f"modulation_index: must be in (0, 1] (SVPWM linear range; over-modulation is "
                f"not modelled), got {mi}"
            )
        set_(self, "modulation_index", mi)
        set_(
            self,
            "winding_temperature_c",
            _finite("winding_temperature_c", self.winding_temperature_c),
        )
        if self.phase_resistance_ohm is not None:
            set_(
                self,
                "phase_resistance_ohm",
                _finite("phase_resistance_ohm", self.phase_resistance_ohm, nonneg=True),
            )
        set_(
            self,
            "phase_resistance_temperature_c",
            _finite("phase_resistance_temperature_c", self.phase_resistance_temperature_c),
        )
        _conductors.conductor(self.conductor)  # UnknownMaterialError if unknown
        if self.ac_model not in _AC_MODELS:
            raise InputError(
                f"ac_model: {self.ac_model!r} is not known; allowed: {', '.join(_AC_MODELS)}"
            )
        if self.ac_model == "hairpin":
            if self.hairpin_height_m is None or self.hairpin_layers is None:
                raise InputError(
                    "hairpin_height_m, hairpin_layers: both are required with ac_model='hairpin'"
                )
            _finite("hairpin_height_m", self.hairpin_height_m, positive=True)
            if int(self.hairpin_layers) != self.hairpin_layers or self.hairpin_layers < 1:
                raise InputError(
                    f"hairpin_layers: must be a positive integer, got {self.hairpin_layers!r}"
                )
        for name in (
            "friction_w_per_rpm",
            "windage_w_per_rpm3",
            "inverter_v_drop_v",
            "inverter_r_on_ohm",
            "inverter_switching_j_per_a",
            "switching_frequency_hz",
        ):
            set_(self, name, _finite(name, getattr(self, name), nonneg=True))
        if self.max_speed_rpm is not None:
            set_(
                self,
                "max_speed_rpm",
                _finite("max_speed_rpm", self.max_speed_rpm, positive=True),
            )

    @property
    def u_max_v(self) -> float:
        """Maximum phase voltage amplitude, V: m_a·V_dc/√3 (SVPWM linear range)."""
        return self.modulation_index * self.dc_bus_v / math.sqrt(3.0)

    def resistance_ohm(self, machine: Any = None) -> float:
        """DC phase resistance at ``winding_temperature_c``, Ω."""
        cond = _conductors.conductor(self.conductor)
        if self.phase_resistance_ohm is not None:
            ratio = float(cond.resistivity_ohm_m(self.winding_temperature_c)) / float(
                cond.resistivity_ohm_m(self.phase_resistance_temperature_c)
            )
            return self.phase_resistance_ohm * ratio
        if machine is None:
            raise InputError(
                "phase_resistance_ohm: not given, and no machine to compute it from; pass "
                "machine=... or set phase_resistance_ohm"
            )
        return phase_resistance_ohm(machine, self.winding_temperature_c)

    def ac_coeff_per_hz2(self) -> float:
        """c in R_ac/R_dc = 1 + c·f² (1/Hz²); 0 for round wire (see the class docstring)."""
        if self.ac_model != "hairpin":
            return 0.0
        rho = float(
            _conductors.conductor(self.conductor).resistivity_ohm_m(self.winding_temperature_c)
        )
        n = int(self.hairpin_layers or 1)
        h = float(self.hairpin_height_m or 0.0)
        return (5 * n * n - 1) / 45 * h**4 * (math.pi * MU0 / rho) ** 2

    def _params(self, fm: FluxMap, machine: Any, current_limit_a: float | None = None) -> tuple:
        m = fm.phases
        w_per_a = (2 / math.pi) * (
            self.inverter_v_drop_v + self.switching_frequency_hz * self.inverter_switching_j_per_a
        )
        del m
        return (
            self.u_max_v,
            self.current_limit_a if current_limit_a is None else current_limit_a,
            self.resistance_ohm(machine),
            self.ac_coeff_per_hz2(),
            self.friction_w_per_rpm,
            self.windage_w_per_rpm3,
            w_per_a,
            self.inverter_r_on_ohm / 2,
        )


def phase_resistance_ohm(machine: Any, temperature_c: float) -> float:
    """DC phase resistance (Ω) of a :class:`repm.geometry.Machine` winding at
    ``temperature_c`` (°C), from the geometry: every coil side holds ``turns_per_coil``
    conductors sharing the coil area × fill factor, each of length stack + end turn
    (:func:`repm.geometry.derived`'s end-winding estimate):
    ``R = ρ (L + l_end) Q (layers·N_c)² / (m a² A_coil k_fill)``."""
    from repm.geometry import derived

    d = derived(machine)
    w = machine.winding
    st = machine.stator
    rho = float(_conductors.conductor(w.conductor).resistivity_ohm_m(temperature_c))
    zc = w.layers * w.turns_per_coil  # conductors per slot
    return (
        rho
        * (st.stack_length_m + d.end_turn_length_m)
        * st.slots
        * zc**2
        / (w.phases * w.parallel_paths**2 * d.coil_area_m2 * w.fill_factor)
    )


# Rust models per flux map (weak: they go with the map; never pickled with it).
_MODELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _model(fm: FluxMap, drive: Drive, machine: Any = None, current_limit_a: float | None = None):
    if not isinstance(fm, FluxMap):
        raise InputError(f"fluxmap: must be a repm.maps.FluxMap, got {type(fm).__name__}")
    if not isinstance(drive, Drive):
        raise InputError(f"drive: must be a repm.maps.Drive, got {type(drive).__name__}")
    key = (id(drive), id(machine), current_limit_a)
    cache = _MODELS.setdefault(fm, {})
    hit = cache.get(key)
    if hit is not None and hit[0] is drive:
        return hit[1]
    fields_ = [
        np.ascontiguousarray(getattr(fm, n), dtype=np.float64).ravel()
        for n in (
            "psi_d_wb",
            "psi_q_wb",
            "torque_nm",
            "iron_hyst_w_per_hz",
            "iron_eddy_w_per_hz2",
            "iron_excess_w_per_hz1_5",
            "magnet_eddy_w_per_hz2",
        )
    ]
    model = _core.DriveModel(
        np.ascontiguousarray(fm.id_a),
        np.ascontiguousarray(fm.iq_a),
        fields_,
        fm.pole_pairs,
        fm.phases,
        drive._params(fm, machine, current_limit_a),
    )
    if len(cache) > 8:
        cache.clear()
    cache[key] = (drive, model)
    return model


def _speeds(name: str, v: ArrayLike) -> NDArray[np.float64]:
    a = np.atleast_1d(np.asarray(v, dtype=np.float64))
    if a.ndim != 1:
        raise InputError(f"{name}: must be a 1-D array, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: values must be finite (found NaN or inf)")
    if "speed" in name and np.any(a < 0):
        raise InputError(f"{name}: speeds must be >= 0 rpm (generating = negative torque)")
    return np.ascontiguousarray(a)


@dataclass(frozen=True, eq=False)
class OperatingPoints:
    """Operating points (arrays of one shape; NaN where ``valid`` is False: outside the
    envelope or the map). Powers in W (``p_electrical_w`` > 0 into the machine, ``p_shaft_w`` >
    0 out of the shaft), currents A peak, ``voltage_v`` V peak phase, torques N·m (``torque_nm``
    shaft, ``torque_em_nm`` the map's), efficiencies 0..1 (``system_efficiency`` includes the
    inverter)."""

    speed_rpm: NDArray[np.float64]
    id_a: NDArray[np.float64]
    iq_a: NDArray[np.float64]
    torque_em_nm: NDArray[np.float64]
    torque_nm: NDArray[np.float64]
    voltage_v: NDArray[np.float64]
    p_shaft_w: NDArray[np.float64]
    p_electrical_w: NDArray[np.float64]
    p_copper_dc_w: NDArray[np.float64]
    p_copper_ac_w: NDArray[np.float64]
    p_iron_w: NDArray[np.float64]
    p_magnet_w: NDArray[np.float64]
    p_mechanical_w: NDArray[np.float64]
    p_inverter_w: NDArray[np.float64]
    efficiency: NDArray[np.float64]
    system_efficiency: NDArray[np.float64]
    valid: NDArray[np.bool_]

    @classmethod
    def _from(
        cls, d: dict, speed_rpm: NDArray[np.float64], shape: tuple, *, copy: bool = True
    ) -> OperatingPoints:
        kw = {n: np.asarray(d[n]).reshape(shape) for n in _POINT_FIELDS}
        return cls(
            speed_rpm=np.broadcast_to(speed_rpm, shape).copy() if copy else speed_rpm,
            valid=d["valid"].reshape(shape),
            **kw,
        )

    @property
    def losses_w(self) -> NDArray[np.float64]:
        """Machine losses (copper DC + AC, iron, magnet, mechanical), W."""
        return (
            self.p_copper_dc_w
            + self.p_copper_ac_w
            + self.p_iron_w
            + self.p_magnet_w
            + self.p_mechanical_w
        )

    def records(self) -> list[dict[str, Any]]:
        """One dict per point (flattened); every value ``None`` outside the envelope."""
        out = []
        flat = {f.name: np.ravel(getattr(self, f.name)) for f in fields(self)}
        for k in range(flat["valid"].size):
            ok = bool(flat["valid"][k])
            rec: dict[str, Any] = {"speed_rpm": float(flat["speed_rpm"][k])}
            for n in _POINT_FIELDS:
                rec[n] = float(flat[n][k]) if ok else None
            out.append(rec)
        return out


# The per-point columns: the binding's dict keys (rust/python/src/machine.rs), i.e. the fields
# of OperatingPoints other than the speed and the validity mask.
_POINT_FIELDS = tuple(
    f.name for f in fields(OperatingPoints) if f.name not in ("speed_rpm", "valid")
)


@dataclass(frozen=True, eq=False)
class Envelope:
    """Torque-speed and power-speed envelopes (motoring and generating).

    Attributes:
        speed_rpm: (N,) speeds.
        motoring, generating: the limiting operating points (max / min shaft torque).
        region: (N,) str: "mtpa" (current limit only), "fw" (current and voltage limits),
            "mtpv" (voltage limit only), "map" (the flux-map grid limits the current), or
            "none" (no operating point).
        corner_speed_rpm: highest speed of the MTPA point at the current limit (None if that
            point is off the map).
        max_torque_nm: max shaft torque at the lowest speed given.
        max_speed_rpm: speed where the motoring torque capability falls to zero (bisection),
            capped by ``drive.max_speed_rpm`` or the search cap (``max_speed_limit`` says which).
    """

    speed_rpm: NDArray[np.float64]
    motoring: OperatingPoints
    generating: OperatingPoints
    region: NDArray[np.str_]
    corner_speed_rpm: float | None
    max_torque_nm: float
    max_speed_rpm: float
    max_speed_limit: str

    @property
    def max_power_w(self) -> NDArray[np.float64]:
        """Motoring shaft power envelope, W."""
        return self.motoring.p_shaft_w


@dataclass(frozen=True, eq=False)
class EfficiencyMap:
    """Efficiency map on a speed × torque grid: ``points`` arrays have shape (Ns, Nt);
    NaN outside the envelope. ``peak_efficiency`` and where it is."""

    speed_rpm: NDArray[np.float64]
    torque_nm: NDArray[np.float64]
    points: OperatingPoints
    strategy: str
    peak_efficiency: float
    peak_speed_rpm: float
    peak_torque_nm: float


@dataclass(frozen=True, eq=False)
class DutyCycleResult:
    """Energy over a duty cycle (J; trapezoidal integration over ``time_s``).

    ``energy_electrical_in_j`` / ``energy_electrical_out_j``: electrical energy drawn while
    motoring / returned while generating (machine terminals, = shaft + losses); the same on the
    shaft: ``energy_shaft_out_j`` (motoring) and ``energy_shaft_in_j`` (generating);
    ``losses_j``: by type (copper_dc, copper_ac, iron, magnet, mechanical, inverter);
    ``average_efficiency``: useful energy / supplied energy over the cycle
    ((shaft out + electrical out) / (electrical in + shaft in)); ``points_outside``: samples
    beyond the envelope (excluded from the energies: the caller should treat them as unmet).
    """

    points: OperatingPoints
    time_s: NDArray[np.float64]
    energy_electrical_in_j: float
    energy_electrical_out_j: float
    energy_shaft_out_j: float
    energy_shaft_in_j: float
    losses_j: dict[str, float] = field(default_factory=dict)
    average_efficiency: float = 0.0
    points_outside: int = 0


def evaluate_currents(
    fluxmap: FluxMap,
    drive: Drive,
    speed_rpm: ArrayLike,
    id_a: ArrayLike,
    iq_a: ArrayLike,
    *,
    machine: Any = None,
) -> OperatingPoints:
    """Operating points at given currents (A peak) and speeds (rpm), broadcast; no search.
    ``valid`` marks points on the map; the limits are not enforced (check ``voltage_v`` and
    the current)."""
    s, x, y = np.broadcast_arrays(
        np.asarray(speed_rpm, float), np.asarray(id_a, float), np.asarray(iq_a, float)
    )
    shape = s.shape
    s1, x1, y1 = (np.ascontiguousarray(a.ravel()) for a in (s, x, y))
    model = _model(fluxmap, drive, machine)
    # Outputs preallocated (uninitialised) here and filled in place by the parallel kernel,
    # which also copies the speeds and validates the inputs (InputError naming speed_rpm, id_a
    # or iq_a for NaN / inf, or negative speeds).
    n = s1.size
    speed = np.empty(n)
    values = [np.empty(n) for _ in _POINT_FIELDS]
    feasible, valid = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    model.evaluate_into(s1, x1, y1, speed, values, feasible, valid)
    d: dict[str, NDArray[Any]] = dict(zip(_POINT_FIELDS, values, strict=True))
    d["valid"] = valid
    return OperatingPoints._from(d, speed.reshape(shape), shape, copy=False)


def operating_points(
    fluxmap: FluxMap,
    drive: Drive,
    speed_rpm: ArrayLike,
    torque_nm: ArrayLike,
    *,
    strategy: str = "min_loss",
    machine: Any = None,
) -> OperatingPoints:
    """Best operating points at scattered (speed rpm, shaft torque N·m) pairs (broadcast);
    NaN / ``valid == False`` outside the envelope. ``strategy``: "min_loss" or "mtpa"."""
    s, t = np.broadcast_arrays(np.asarray(speed_rpm, float), np.asarray(torque_nm, float))
    shape = s.shape
    s1 = _speeds("speed_rpm", s.ravel())
    t1 = _speeds("torque_nm", t.ravel())
    d = _model(fluxmap, drive, machine).solve_points(s1 * RAD_S_PER_RPM, t1, strategy)
    return OperatingPoints._from(d, s1.reshape(shape), shape)


def corner_speed_rpm(fluxmap: FluxMap, drive: Drive, *, machine: Any = None) -> float | None:
    """Corner (base) speed, rpm: the highest speed at which the MTPA point at the current
    limit meets the voltage limit; ``None`` if that point is off the map grid."""
    w = _model(fluxmap, drive, machine).corner_speed()
    return None if w is None else w / RAD_S_PER_RPM


def characteristic_current_a(fluxmap: FluxMap) -> float | None:
    """Characteristic current, A peak: −id where ψ_d(id, 0) = 0 (ψ_m/L_d for a linear
    machine); ``None`` if ψ_d does not cross zero on the grid."""
    f = lambda x: float(fluxmap.psi(x, 0.0)[0])  # noqa: E731
    lo, hi = float(fluxmap.id_a[0]), min(0.0, float(fluxmap.id_a[-1]))
    flo, fhi = f(lo), f(hi)
    if flo > 0 or fhi < 0:
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if f(mid) > 0:
            hi = mid
        else:
            lo = mid
    return -0.5 * (lo + hi)


def mtpa_trajectory(
    fluxmap: FluxMap, current_a: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """MTPA points (id, iq, map torque) at current amplitudes (A peak); NaN off the grid."""
    c = _speeds("current_a", current_a)
    if np.any(c < 0):
        raise InputError("current_a: current amplitudes must be >= 0")
    d = Drive(dc_bus_v=1.0, current_limit_a=1.0, phase_resistance_ohm=0.0)
    x, y, t = _model(fluxmap, d).mtpa(c)
    return np.asarray(x), np.asarray(y), np.asarray(t)


def _region(p: OperatingPoints, drive: Drive) -> NDArray[np.str_]:
    i = np.hypot(p.id_a, p.iq_a)
    cur = i >= drive.current_limit_a * (1 - 1e-6)
    vol = p.voltage_v >= drive.u_max_v * (1 - 1e-6)
    r = np.where(cur & vol, "fw", np.where(cur, "mtpa", np.where(vol, "mtpv", "map")))
    return np.where(p.valid, r, "none")


def _max_speed(model, drive: Drive, corner: float | None) -> tuple[float, str]:
    cap_from_drive = drive.max_speed_rpm is not None
    base = corner if corner and math.isfinite(corner) and corner > 0 else 1000.0
    cap = drive.max_speed_rpm if cap_from_drive else 20.0 * base

    def t_at(rpm: float) -> float:
        m, _ = model.envelope(np.array([rpm * RAD_S_PER_RPM]))
        return float(m["torque_nm"][0]) if m["valid"][0] else -1.0

    if t_at(cap) > 0:
        return float(cap), "mechanical limit" if cap_from_drive else "search cap"
    lo, hi = 0.0, float(cap)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if t_at(mid) > 0:
            lo = mid
        else:
            hi = mid
    return lo, "torque capability"


def envelope(
    fluxmap: FluxMap,
    drive: Drive,
    speed_rpm: ArrayLike | None = None,
    *,
    machine: Any = None,
) -> Envelope:
    """Torque-speed and power-speed envelopes, motoring and generating, at ``speed_rpm``
    (default: 200 speeds from 0 to the max speed)."""
    model = _model(fluxmap, drive, machine)
    cw = model.corner_speed()
    corner = None if cw is None else cw / RAD_S_PER_RPM
    vmax, why = _max_speed(model, drive, corner)
    s = np.linspace(0.0, vmax, 200) if speed_rpm is None else _speeds("speed_rpm", speed_rpm)
    m, g = model.envelope(s * RAD_S_PER_RPM)
    mot = OperatingPoints._from(m, s, s.shape)
    gen = OperatingPoints._from(g, s, s.shape)
    t0 = float(mot.torque_nm[np.argmin(s)]) if mot.valid[np.argmin(s)] else float("nan")
    return Envelope(
        speed_rpm=s,
        motoring=mot,
        generating=gen,
        region=_region(mot, drive),
        corner_speed_rpm=corner,
        max_torque_nm=t0,
        max_speed_rpm=vmax,
        max_speed_limit=why,
    )


def mtpv_trajectory(
    fluxmap: FluxMap, drive: Drive, speed_rpm: ArrayLike, *, machine: Any = None
) -> OperatingPoints:
    """Maximum-torque-per-volt points: the envelope at ``speed_rpm`` without the current limit
    (only the voltage limit and the map grid bound the current)."""
    s = _speeds("speed_rpm", speed_rpm)
    m, _ = _model(fluxmap, drive, machine, current_limit_a=math.inf).envelope(s * RAD_S_PER_RPM)
    return OperatingPoints._from(m, s, s.shape)


def efficiency_map(
    fluxmap: FluxMap,
    drive: Drive,
    speed_rpm: ArrayLike | None = None,
    torque_nm: ArrayLike | None = None,
    *,
    strategy: str = "min_loss",
    machine: Any = None,
    generating: bool = False,
) -> EfficiencyMap:
    """Efficiency map on speeds (rpm) × shaft torques (N·m).

    Defaults: 100 speeds from max_speed/100 to the max speed (:func:`envelope`), and 100
    torques from 0 (or −T_max with ``generating=True``) to the low-speed max torque. Points
    outside the envelope are NaN (``valid`` False)."""
    model = _model(fluxmap, drive, machine)
    if speed_rpm is None or torque_nm is None:
        env = envelope(fluxmap, drive, np.array([0.0]), machine=machine)
        if speed_rpm is None:
            speed_rpm = np.linspace(env.max_speed_rpm / 100, env.max_speed_rpm, 100)
        if torque_nm is None:
            tmax = env.max_torque_nm
            if not math.isfinite(tmax) or tmax <= 0:
                raise InputError("drive: no positive torque is available at standstill")
            torque_nm = np.linspace(-tmax if generating else 0.0, tmax, 100)
    s = _speeds("speed_rpm", speed_rpm)
    t = _speeds("torque_nm", torque_nm)
    d = model.efficiency_map(s * RAD_S_PER_RPM, t, strategy)
    shape = (s.size, t.size)
    pts = OperatingPoints._from(d, s[:, None], shape)
    eff = np.where(pts.valid, pts.efficiency, -1.0)
    k = int(np.argmax(eff))
    a, b = np.unravel_index(k, shape)
    ok = bool(pts.valid.ravel()[k])
    return EfficiencyMap(
        speed_rpm=s,
        torque_nm=t,
        points=pts,
        strategy=strategy,
        peak_efficiency=float(eff.ravel()[k]) if ok else float("nan"),
        peak_speed_rpm=float(s[a]) if ok else float("nan"),
        peak_torque_nm=float(t[b]) if ok else float("nan"),
    )


def _trapz(y: NDArray[np.float64], t: NDArray[np.float64]) -> float:
    if y.size < 2:
        return 0.0
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(t)))


def duty_cycle(
    fluxmap: FluxMap,
    drive: Drive,
    time_s: ArrayLike,
    speed_rpm: ArrayLike,
    torque_nm: ArrayLike,
    *,
    strategy: str = "min_loss",
    machine: Any = None,
) -> DutyCycleResult:
    """Energy, average efficiency and losses by type over a duty cycle given as samples
    (time s ascending, speed rpm >= 0, shaft torque N·m; equal lengths). Powers are integrated
    with the trapezoidal rule; samples outside the envelope count as zero power and are
    reported in ``points_outside``."""
    t = _speeds("time_s", time_s)
    s = _speeds("speed_rpm", speed_rpm)
    q = _speeds("torque_nm", torque_nm)
    if not (t.size == s.size == q.size) or t.size < 2:
        raise InputError(
            f"time_s, speed_rpm, torque_nm: need equal lengths >= 2, got {t.size}, {s.size}, "
            f"{q.size}"
        )
    if np.any(np.diff(t) <= 0):
        raise InputError("time_s: must be strictly ascending")
    p = operating_points(fluxmap, drive, s, q, strategy=strategy, machine=machine)
    z = lambda a: np.where(p.valid, a, 0.0)  # noqa: E731
    shaft = z(p.p_shaft_w)
    el = shaft + z(p.losses_w)
    losses = {
        "copper_dc": _trapz(z(p.p_copper_dc_w), t),
        "copper_ac": _trapz(z(p.p_copper_ac_w), t),
        "iron": _trapz(z(p.p_iron_w), t),
        "magnet": _trapz(z(p.p_magnet_w), t),
        "mechanical": _trapz(z(p.p_mechanical_w), t),
        "inverter": _trapz(z(p.p_inverter_w), t),
    }
    e_in = _trapz(np.maximum(el, 0.0), t)
    e_out = _trapz(np.maximum(-el, 0.0), t)
    s_out = _trapz(np.maximum(shaft, 0.0), t)
    s_in = _trapz(np.maximum(-shaft, 0.0), t)
    supplied = e_in + s_in
    return DutyCycleResult(
        points=p,
        time_s=t,
        energy_electrical_in_j=e_in,
        energy_electrical_out_j=e_out,
        energy_shaft_out_j=s_out,
        energy_shaft_in_j=s_in,
        losses_j=losses,
        average_efficiency=(s_out + e_out) / supplied if supplied > 0 else 0.0,
        points_outside=int((~p.valid).sum()),
    )


_DRIVE_KEYS = {f.name for f in fields(Drive)}


def drive_from_dict(data: dict[str, Any], where: str = "drive") -> Drive:
    """A :class:`Drive` from a mapping (the ``[drive]`` table of a machine TOML); unknown keys
    raise InputError naming them."""
    if not isinstance(data, dict):
        raise InputError(f"[{where}]: must be a table, got {type(data).__name__}")
    unknown = sorted(set(data) - _DRIVE_KEYS)
    if unknown:
        raise InputError(
            f"[{where}] has unknown key(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(_DRIVE_KEYS))}"
        )
    for req in ("dc_bus_v", "current_limit_a"):
        if req not in data:
            raise InputError(f"[{where}] {req}: missing (required)")
    return Drive(**data)


def load_drive(path: str | Path) -> Drive:
    """The ``[drive]`` table of a machine TOML file as a :class:`Drive`."""
    data = read_toml(path, "machine file")
    if "drive" not in data:
        raise InputError(f"path: {str(path)!r} has no [drive] table")
    return drive_from_dict(data["drive"])
