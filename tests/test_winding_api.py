"""Public API of repm.winding: textbook values, invariants (hypothesis) and every documented error.

Textbook references:
- [ElRefaie2010] A. M. EL-Refaie, "Fractional-slot concentrated-windings synchronous permanent
  magnet machines: opportunities and challenges", IEEE Trans. Ind. Electron. 57(1), 2010, Table I:
  kw1 = 0.933 for 12 slots/10 poles and 0.945 for 9 slots/8 poles (double layer).
- Distribution factor of an integral-slot winding, kd1 = sin(π/2m)/(q·sin(π/(2mq))) (any machine
  design text, e.g. Pyrhönen, Jokinen, Hrabovcová, "Design of Rotating Electrical Machines",
  Wiley 2008, ch. 2): 0.9598 for q = 3 (36 slots, 4 poles, full pitch) and 0.9659 for q = 2
  (48 slots, 8 poles, single layer full pitch: Toyota Prius 2004, ORNL/TM-2006/423 and
  /work/shared/data/prius2004_machine.json, kw1 = 0.96593).
- q = 1 full pitch: kw_ν = 1 for ν = 6c ± 1, so σδ = Σ_{ν=6c±1, ν>1} 1/ν² = π²/9 − 1 = 0.0966.
"""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import InputError, RepmError, WindingError
from repm import winding as wdg


@pytest.mark.parametrize(
    ("slots", "poles", "layers", "pitch", "kw1"),
    [
        (12, 10, 2, None, 0.933),  # [ElRefaie2010]
        (9, 8, 2, None, 0.945),  # [ElRefaie2010]
        (36, 4, 2, None, 0.960),  # q = 3 full pitch
        (48, 8, 1, None, 0.966),  # Prius 2004 single layer
        (12, 10, 1, None, 0.966),  # single-layer 12s/10p (alternate teeth wound)
        (6, 4, 2, None, 0.866),  # q = 1/2 tooth coils
    ],
)
def test_textbook_kw1(slots, poles, layers, pitch, kw1):
    a = wdg.analyse(slots, poles, layers=layers, pitch=pitch)
    assert round(a.kw1, 3) == kw1


def test_exact_distribution_and_pitch_factors():
    # q = 2, pitch 5/6: kw5 = kd5·kp5 = 0.2588·0.2588, kw7 = 0.2588·0.2588 (classical)
    a = wdg.analyse(24, 4, pitch=5)
    kd = lambda n: math.sin(n * math.pi / 6) / (2 * math.sin(n * math.pi / 12))  # noqa: E731
    kp = lambda n: math.sin(n * 5 * math.pi / 12)  # noqa: E731
    for n in (1, 5, 7, 11, 13, 17, 19):
        assert a.winding_factors_signed[n - 1] == pytest.approx(kd(n) * kp(n), abs=1e-12)
    assert a.kw(5) == pytest.approx(0.0670, abs=5e-5)
    # 12s/10p: kw5 = kw7 = 0.067, kw11 = kw13 = kw1 (slot harmonics)
    b = wdg.analyse(12, 10)
    assert b.kw(5) == pytest.approx(0.0670, abs=5e-5)
    assert b.kw(7) == pytest.approx(0.0670, abs=5e-5)
    assert b.kw(11) == pytest.approx(b.kw1, abs=1e-12)
    # 9s/8p: kw5 = 0.140, kw7 = 0.061
    c = wdg.analyse(9, 8)
    assert (round(c.kw(5), 3), round(c.kw(7), 3)) == (0.140, 0.061)


def test_differential_leakage_textbook():
    a = wdg.analyse(6, 2)
    assert a.differential_leakage == pytest.approx(math.pi**2 / 9 - 1, abs=1e-12)
    assert round(a.differential_leakage, 4) == 0.0966
    # m = 3 full-pitch closed form π²(5q²+1)/(54 q² kw1²) − 1 for q = 2, 3, 4
    for q in (2, 3, 4):
        b = wdg.analyse(12 * q, 4)
        closed = math.pi**2 * (5 * q * q + 1) / (54 * q * q * b.kw1**2) - 1
        assert b.differential_leakage == pytest.approx(closed, abs=1e-12)


@pytest.mark.parametrize(("slots", "poles"), [(12, 10), (27, 18)])
def test_leakage_equals_truncated_series_limit(slots, poles):
    p = poles // 2
    a = wdg.analyse(slots, poles, max_order=2000 // p + 1)
    amp = a.mmf_amplitudes

    def series(n_max: int) -> float:
        return sum((amp[i] / amp[p - 1]) ** 2 for i in range(n_max) if i != p - 1)

    # The truncated series converges from below with a tail ~ 1/N (N = 2000 here) ...
    s_n, s_half = series(2000), series(1000)
    assert s_n <= a.differential_leakage + 1e-12
    assert a.differential_leakage - s_n < 5e-3
    # ... and its Richardson extrapolation lands on the exact (Parseval) value.
    assert 2 * s_n - s_half == pytest.approx(a.differential_leakage, abs=1e-4)


def test_periodicity_sector_and_fields():
    a = wdg.analyse(12, 10)
    assert (a.periodicity, a.sector_slots, a.sector_poles, a.antiperiodic) == (1, 6, 5, True)
    assert a.lcm_slots_poles == 60
    assert a.slots_per_pole_per_phase == pytest.approx(0.4)
    assert a.pitch_slots == 1
    assert a.layout.text.split()[0] == "A/c'"
    assert a.layout.phase.shape == (12, 2) and a.layout.sign.shape == (12, 2)
    assert len(a.winding_factors) == 49
    assert a.mmf_orders[0] == 1 and len(a.mmf_orders) == 49 * 5
    # sub-harmonic (mechanical order 1) of the 12s/10p winding is present
    assert a.mmf_amplitudes[0] > 0.3 * a.mmf_amplitudes[4]
    b = wdg.analyse(9, 8)
    assert (b.sector_slots, b.sector_poles, b.antiperiodic) == (9, 8, False)
    c = wdg.analyse(48, 8, layers=1)
    assert (c.periodicity, c.sector_slots, c.sector_poles, c.antiperiodic) == (4, 6, 1, True)


def test_skew_factor():
    a0 = wdg.analyse(36, 4)
    a1 = wdg.analyse(36, 4, skew_slots=1.0)
    for n in (1, 5, 7, 17):
        x = n * 2 * (2 * math.pi / 36) / 2
        assert a1.kw(n) == pytest.approx(a0.kw(n) * abs(math.sin(x) / x), abs=1e-12)


def test_to_dict_is_json_and_pickle_roundtrip():
    a = wdg.analyse(12, 10)
    d = json.loads(json.dumps(a.to_dict(), allow_nan=False))
    assert d["kw1"] == pytest.approx(0.9330127, abs=1e-7)
    assert set(d["winding_factors"]) >= {str(n) for n in range(1, 50)}
    b = pickle.loads(pickle.dumps(a))
    assert np.array_equal(b.winding_factors, a.winding_factors) and b.layout.text == a.layout.text


def test_feasibility_reasons_never_raise():
    assert wdg.feasibility(12, 10).feasible
    f = wdg.feasibility(12, 12)
    assert not f.feasible and "Q/(m·t) = 12/(3·6)" in f.reason and f.reason_code == 4
    assert wdg.feasibility(12, 9).reason_code == 1  # odd poles
    assert wdg.feasibility(12, 10, phases=4).reason_code == 2  # even phases
    assert wdg.feasibility(10, 8).reason_code == 3
    g = wdg.feasibility(9, 8, layers=1)
    assert not g.feasible and "even number of coil sides" in g.reason


def test_table_matches_analyse_and_counts():
    t = wdg.table()
    assert len(t) == 67 * 20
    assert int(t.feasible.sum()) == 358
    assert t.kw.shape == (len(t), 49)
    for i in np.flatnonzero(t.feasible)[::17]:
        a = wdg.analyse(int(t.slots[i]), int(t.poles[i]))
        np.testing.assert_array_equal(a.winding_factors, t.kw[i])
        assert a.periodicity == t.periodicity[i] and a.lcm_slots_poles == t.lcm[i]
    assert np.isnan(t.kw[~t.feasible]).all()
    rec = t.to_records()[0]
    assert json.dumps(rec) and rec["slots"] == 6 and rec["poles"] == 2
    assert t.q[0] == pytest.approx(1.0)
    single = wdg.table(range(6, 49), range(2, 21, 2), layers=1, max_order=7)
    assert single.feasible.any()


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"slots": 0, "poles": 10}, "slots"),
        ({"slots": -12, "poles": 10}, "slots"),
        ({"slots": 12.0, "poles": 10}, "slots"),
        ({"slots": True, "poles": 10}, "slots"),
        ({"slots": "12", "poles": 10}, "slots"),
        ({"slots": 12, "poles": 0}, "poles"),
        ({"slots": 12, "poles": float("nan")}, "poles"),
        ({"slots": 12, "poles": 10, "phases": 1}, "phases"),
        ({"slots": 12, "poles": 10, "layers": 0}, "layers"),
        ({"slots": 12, "poles": 10, "pitch": 0}, "pitch"),
        ({"slots": 12, "poles": 10, "max_order": 0}, "max_order"),
        ({"slots": 12, "poles": 10, "skew_slots": float("nan")}, "skew_slots"),
        ({"slots": 12, "poles": 10, "skew_slots": float("inf")}, "skew_slots"),
        ({"slots": 12, "poles": 10, "skew_slots": -1.0}, "skew_slots"),
        ({"slots": 12, "poles": 10, "skew_slots": "1"}, "skew_slots"),
        ({"slots": 20_000, "poles": 10}, "slots"),
        ({"slots": 12, "poles": 100, "max_order": 10_000}, "max_order"),  # MMF orders cap
    ],
)
def test_input_errors(kwargs, field):
    with pytest.raises(InputError, match=field) as exc:
        wdg.analyse(**kwargs)
    assert not isinstance(exc.value, WindingError)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"slots": 12, "poles": 12}, r"Q/\(m·t\) = 12/\(3·6\)"),
        ({"slots": 12, "poles": 9}, "odd"),
        ({"slots": 12, "poles": 10, "phases": 4}, "even"),
        ({"slots": 10, "poles": 8}, "Q/m"),
        ({"slots": 12, "poles": 10, "layers": 3}, "layers = 3"),
        ({"slots": 12, "poles": 10, "pitch": 12}, "pitch = 12"),
        ({"slots": 9, "poles": 8, "layers": 1}, "single layer"),
        ({"slots": 12, "poles": 4, "layers": 1, "pitch": 2}, "pitch 2"),
    ],
)
def test_winding_errors(kwargs, match):
    with pytest.raises(WindingError, match=match) as exc:
        wdg.analyse(**kwargs)
    assert isinstance(exc.value, RepmError) and isinstance(exc.value, ValueError)


def test_feasibility_and_table_input_errors():
    with pytest.raises(InputError, match="slots"):
        wdg.feasibility(0, 10)
    with pytest.raises(WindingError, match="layers"):
        wdg.feasibility(12, 10, layers=3)
    with pytest.raises(InputError, match="slots"):
        wdg.table(slots=[])
    with pytest.raises(InputError, match="poles"):
        wdg.table(poles=[2, 4.5])
    with pytest.raises(InputError, match="slots"):
        wdg.table(slots=5)  # not iterable
    with pytest.raises(WindingError, match="layers"):
        wdg.table(layers=3)
    with pytest.raises(InputError, match="order"):
        wdg.analyse(12, 10, max_order=5).kw(6)


# --- properties -------------------------------------------------------------------------------

feasible_pairs = st.tuples(st.integers(1, 8), st.integers(1, 4), st.integers(1, 12)).filter(
    lambda x: math.gcd(3 * x[0], x[2]) == 1
)


@settings(max_examples=60, deadline=None)
@given(feasible_pairs, st.integers(1, 2), st.floats(0, 2))
def test_property_bounded_balanced(pair, layers, skew):
    n, t, pp = pair
    slots, poles = 3 * t * n, 2 * t * pp
    f = wdg.feasibility(slots, poles, layers=layers)
    if layers == 2:
        assert f.feasible
    if not f.feasible:
        with pytest.raises(WindingError):
            wdg.analyse(slots, poles, layers=layers)
        return
    a = wdg.analyse(slots, poles, layers=layers, skew_slots=skew, max_order=25)
    assert np.all(a.winding_factors <= 1 + 1e-12) and np.all(a.winding_factors >= 0)
    assert np.all(np.isfinite(a.mmf_amplitudes)) and a.differential_leakage >= 0
    # every phase has as many go as return sides, and the same number of sides
    counts = [int((a.layout.phase == j).sum()) for j in range(3)]
    assert counts[0] == counts[1] == counts[2]
    for j in range(3):
        assert int(a.layout.sign[a.layout.phase == j].sum()) == 0
    # scaling Q and p by the same integer leaves the factors unchanged (unskewed)
    if slots * 2 <= 10_000 and layers == 2:
        b = wdg.analyse(2 * slots, 2 * poles, max_order=25)
        c = wdg.analyse(slots, poles, max_order=25)
        np.testing.assert_allclose(b.winding_factors, c.winding_factors, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 200), st.integers(1, 200), st.integers(2, 9), st.integers(1, 2))
def test_property_feasibility_total(slots, poles, phases, layers):
    f = wdg.feasibility(slots, poles, phases=phases, layers=layers)
    if f.feasible:
        assert wdg.analyse(slots, poles, phases=phases, layers=layers, max_order=5).kw1 > 0
    else:
        with pytest.raises(WindingError, match=r"\S"):
            wdg.analyse(slots, poles, phases=phases, layers=layers, max_order=5)
