"""Winding analysis by the star of slots: feasibility, layout, winding factors, MMF harmonics,
differential leakage and periodicity of m-phase windings with Q slots and 2p poles.

Conventions:

- ``slots`` = Q, ``poles`` = 2p (must be even), ``phases`` = m (odd; an even m is rejected because
  phases k and k + m/2 of a symmetric system would be in antiphase), ``layers`` = 1 or 2,
  ``pitch`` = coil span in slot pitches (default: the span closest to full pitch Q/2p, ties to the
  shorter span, at least 1; single layer: the other neighbour of Q/2p if the closest cannot be
  wound).
- Slot k (0-based) is at mechanical angle 2πk/Q; its star-of-slots phasor is at electrical angle
  p·2πk/Q. Phase A's positive belt is centred on slot 0's phasor; phase j's on 2πj/m.
- Winding factors are for **electrical** harmonic orders ν = 1, 2, … (ν = 1 is the working
  harmonic, mechanical order p), computed as the phasor sum over phase A's coil sides divided by
  their number, so distribution and pitch factors are implicit and exact for any layout. The skew
  factor sin(x)/x, x = ν·p·(2π/Q)·s/2 with s the skew in slot pitches, multiplies them.
- The MMF spectrum is over **mechanical** orders n = 1 … max_order·p (sub-harmonics included),
  for balanced m-phase currents of 1 A peak and one turn per coil side, in ampere-turns
  (i.e. per ampere-turn). It is not skewed.
- The differential (harmonic) leakage coefficient σδ = Σ_{n≠p} (kw_n/n)² / (kw_p/p)² over the
  mechanical orders n present in the m-phase air-gap MMF is computed **without truncation**, from
  the mean square of the slot-current MMF staircase (Parseval). For three-phase full-pitch
  integral-slot windings it equals π²(5q² + 1)/(54 q² kw1²) − 1, e.g. π²/9 − 1 = 0.0966 for q = 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from repm import _core
from repm.errors import InputError

__all__ = [
    "REASONS",
    "Feasibility",
    "WindingAnalysis",
    "WindingLayout",
    "WindingTable",
    "analyse",
    "feasibility",
    "table",
]

#: Reason codes of :func:`feasibility` and :func:`table` (stable integers).
REASONS: dict[int, str] = {
    0: "feasible",
    1: "odd pole count",
    2: "even phase count",
    3: "Q/m not an integer",
    4: "Q/(m·t) not an integer (unbalanced)",
    5: "single layer: Q/(2m) not an integer",
    6: "single layer: coil sides do not pair into coils",
}


def _int(name: str, value: Any, minimum: int = 1) -> int:
    """Checks that ``value`` is an int (not bool) ≥ ``minimum``; raises InputError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name} = {value!r} is invalid: must be an integer ≥ {minimum}")
    v = int(value)
    if v < minimum or v > 10_000:
        raise InputError(f"{name} = {v} is invalid: must be an integer in {minimum}..=10000")
    return v


def _ints(name: str, values: Iterable[Any]) -> np.ndarray:
    try:
        items = list(values)
    except TypeError:
        raise InputError(
            f"{name} = {values!r} is invalid: must be an iterable of integers"
        ) from None
    if not items:
        raise InputError(f"{name} is empty: give at least one value")
    return np.array([_int(name, v) for v in items], dtype=np.uint32)


@dataclass(frozen=True)
class Feasibility:
    """Whether a balanced symmetric winding exists, and why (not)."""

    feasible: bool
    reason: str
    reason_code: int


@dataclass(frozen=True, eq=False)
class WindingLayout:
    """Star-of-slots layout: ``phase[slot, layer]`` (0 = A) and ``sign[slot, layer]`` (+1 go,
    −1 return side); layer 0 is the top layer. ``text`` reads like ``"A/c' a'/a' …"``: slots
    separated by spaces, layers by '/', upper case = go side, lower case with a prime = return."""

    phase: np.ndarray
    sign: np.ndarray
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, eq=False)
class WindingAnalysis:
    """Result of :func:`analyse` (all angles in slot pitches or electrical/mechanical orders)."""

    slots: int
    poles: int
    phases: int
    layers: int
    pitch_slots: int
    skew_slots: float
    #: q = Q/(2p·m) as a float; :attr:`q_fraction` is the exact fraction.
    slots_per_pole_per_phase: float
    q_fraction: Fraction
    #: Absolute winding factors, index 0 = electrical order 1, skew included.
    winding_factors: np.ndarray
    #: Signed winding factors (classical sign of kd·kp relative to the working harmonic).
    winding_factors_signed: np.ndarray
    layout: WindingLayout
    #: t = gcd(Q, p).
    periodicity: int
    sector_slots: int
    sector_poles: int
    antiperiodic: bool
    #: LCM(Q, 2p): cogging periods per revolution.
    lcm_slots_poles: int
    #: Mechanical orders 1 … max_order·p.
    mmf_orders: np.ndarray
    #: MMF amplitudes in ampere-turns per ampere-turn (1 A peak, one turn per coil side).
    mmf_amplitudes: np.ndarray
    #: σδ, exact (no truncation).
    differential_leakage: float
    feasible: bool = field(default=True)

    @property
    def kw1(self) -> float:
        """Absolute winding factor of the working harmonic (skew included)."""
        return float(self.winding_factors[0])

    def kw(self, order: int) -> float:
        """Absolute winding factor of electrical order ``order`` (1-based)."""
        n = _int("order", order)
        if n > len(self.winding_factors):
            raise InputError(
                f"order = {n} is invalid: this analysis has orders 1..={len(self.winding_factors)}"
            )
        return float(self.winding_factors[n - 1])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (absolute winding factors keyed by order as a string)."""
        return {
            "feasible": True,
            "slots": self.slots,
            "poles": self.poles,
            "phases": self.phases,
            "layers": self.layers,
            "pitch_slots": self.pitch_slots,
            "skew_slots": self.skew_slots,
            "q": str(self.q_fraction),
            "slots_per_pole_per_phase": self.slots_per_pole_per_phase,
            "kw1": self.kw1,
            "winding_factors": {str(i + 1): float(v) for i, v in enumerate(self.winding_factors)},
            "winding_factors_signed": {
                str(i + 1): float(v) for i, v in enumerate(self.winding_factors_signed)
            },
            "layout": {
                "text": self.layout.text,
                "phase": self.layout.phase.tolist(),
                "sign": self.layout.sign.tolist(),
            },
            "periodicity": {
                "t": self.periodicity,
                "sector_slots": self.sector_slots,
                "sector_poles": self.sector_poles,
                "antiperiodic": self.antiperiodic,
            },
            "lcm_slots_poles": self.lcm_slots_poles,
            "differential_leakage": self.differential_leakage,
            "mmf": {
                "orders": self.mmf_orders.tolist(),
                "amplitudes_at_per_at": self.mmf_amplitudes.tolist(),
            },
        }


def feasibility(slots: int, poles: int, *, phases: int = 3, layers: int = 2) -> Feasibility:
    """Whether ``slots`` (Q) and ``poles`` (2p) carry a balanced symmetric ``phases``-phase
    winding with ``layers`` layers (single layer: with the default pitch).

    Never raises for well-formed but infeasible combinations (odd poles, even phases, unbalanced):
    those give ``feasible=False`` and the reason. Raises :class:`~repm.InputError` for
    non-integer / bool / non-positive sizes and :class:`~repm.WindingError` for layers not 1 or 2.
    """
    q, p2, m, nl = (
        _int("slots", slots),
        _int("poles", poles),
        _int("phases", phases, 2),
        _int("layers", layers),
    )
    ok, code, reason = _core.winding_feasibility(q, p2, m, nl)
    return Feasibility(feasible=bool(ok), reason=reason, reason_code=int(code))


def analyse(
    slots: int,
    poles: int,
    *,
    phases: int = 3,
    layers: int = 2,
    pitch: int | None = None,
    skew_slots: float = 0.0,
    max_order: int = 49,
) -> WindingAnalysis:
    """Analyses the star-of-slots winding of ``slots`` (Q) slots and ``poles`` (2p) poles.

    Args:
        slots: number of stator slots Q.
        poles: number of rotor poles 2p (even).
        phases: number of phases m (odd).
        layers: 1 (single layer) or 2 (double layer).
        pitch: coil span in slot pitches (default: closest to full pitch Q/2p).
        skew_slots: skew in slot pitches (0 … Q); enters the winding factors only.
        max_order: highest electrical harmonic order of the winding factors (the MMF spectrum
            goes to mechanical order max_order·p).

    Raises:
        InputError: non-integer / bool / non-positive sizes, NaN/inf or negative skew.
        WindingError: infeasible combination (with the reason), layers not 1 or 2, pitch out of
            1 … Q−1 or not windable as a single layer.
    """
    q, p2, m, nl = (
        _int("slots", slots),
        _int("poles", poles),
        _int("phases", phases, 2),
        _int("layers", layers),
    )
    y = None if pitch is None else _int("pitch", pitch)
    order = _int("max_order", max_order)
    if isinstance(skew_slots, bool) or not isinstance(skew_slots, (int, float, np.number)):
        raise InputError(f"skew_slots = {skew_slots!r} is invalid: must be a real number")
    skew = float(skew_slots)
    if not math.isfinite(skew) or skew < 0 or skew > q:
        raise InputError(f"skew_slots = {skew} is invalid: must be finite and in 0..={q}")
    d = _core.winding_analyse(q, p2, m, nl, y, skew, order)
    signed = np.asarray(d["winding_factors"], dtype=np.float64)
    frac = Fraction(int(d["q_num"]), int(d["q_den"]))
    return WindingAnalysis(
        slots=q,
        poles=p2,
        phases=m,
        layers=nl,
        pitch_slots=int(d["pitch"]),
        skew_slots=skew,
        slots_per_pole_per_phase=float(frac),
        q_fraction=frac,
        winding_factors=np.abs(signed),
        winding_factors_signed=signed,
        layout=WindingLayout(
            phase=np.asarray(d["layout_phase"]),
            sign=np.asarray(d["layout_sign"]),
            text=str(d["layout_text"]),
        ),
        periodicity=int(d["periodicity"]),
        sector_slots=int(d["sector_slots"]),
        sector_poles=int(d["sector_poles"]),
        antiperiodic=bool(d["antiperiodic"]),
        lcm_slots_poles=int(d["lcm_slots_poles"]),
        mmf_orders=np.asarray(d["mmf_orders"], dtype=np.int64),
        mmf_amplitudes=np.asarray(d["mmf_amplitudes"], dtype=np.float64),
        differential_leakage=float(d["differential_leakage"]),
    )


@dataclass(frozen=True, eq=False)
class WindingTable:
    """Columnar result of :func:`table`: one row per (Q, 2p), slots outer, poles inner.

    ``kw`` has shape (rows, max_order): absolute winding factors of electrical orders 1 …
    max_order with the default pitch, NaN on infeasible rows. ``reason`` holds the codes of
    :data:`REASONS`; ``q_num/q_den`` is q = Q/(2p·m).
    """

    slots: np.ndarray
    poles: np.ndarray
    feasible: np.ndarray
    reason: np.ndarray
    pitch: np.ndarray
    kw: np.ndarray
    periodicity: np.ndarray
    lcm: np.ndarray
    q_num: np.ndarray
    q_den: np.ndarray
    phases: int
    layers: int

    def __len__(self) -> int:
        return len(self.slots)

    @property
    def q(self) -> np.ndarray:
        """q = Q/(2p·m) as floats."""
        return self.q_num / self.q_den

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row (kw as a list, None where infeasible); JSON-ready."""
        out = []
        for i in range(len(self.slots)):
            ok = bool(self.feasible[i])
            out.append(
                {
                    "slots": int(self.slots[i]),
                    "poles": int(self.poles[i]),
                    "feasible": ok,
                    "reason_code": int(self.reason[i]),
                    "reason": REASONS.get(int(self.reason[i]), "unknown"),
                    "pitch": int(self.pitch[i]),
                    "kw": [float(v) for v in self.kw[i]] if ok else None,
                    "periodicity": int(self.periodicity[i]),
                    "lcm_slots_poles": int(self.lcm[i]),
                    "q": str(Fraction(int(self.q_num[i]), int(self.q_den[i]))),
                }
            )
        return out


def table(
    slots: Iterable[int] = range(6, 73),
    poles: Iterable[int] = range(2, 41, 2),
    *,
    phases: int = 3,
    layers: int = 2,
    max_order: int = 49,
) -> WindingTable:
    """Feasibility, winding factors (orders 1 … ``max_order``, default pitch, unskewed),
    periodicity t, LCM(Q, 2p) and q for every combination of ``slots`` × ``poles``, in one Rust
    call (about a millisecond for the default 67 × 20 grid).

    Raises InputError for non-integer or non-positive values, WindingError for layers not 1 or 2.
    """
    s = _ints("slots", slots)
    p = _ints("poles", poles)
    m = _int("phases", phases, 2)
    nl = _int("layers", layers)
    order = _int("max_order", max_order)
    d = _core.winding_table(s, p, m, nl, order)
    return WindingTable(
        slots=d["slots"],
        poles=d["poles"],
        feasible=d["feasible"],
        reason=d["reason"],
        pitch=d["pitch"],
        kw=d["kw"],
        periodicity=d["periodicity"],
        lcm=d["lcm"],
        q_num=d["q_num"],
        q_den=d["q_den"],
        phases=m,
        layers=nl,
    )
