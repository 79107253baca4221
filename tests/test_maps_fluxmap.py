"""FluxMap: validation, exact reproduction of the linear machine, symmetry, inverse, persistence."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import InputError
from repm.maps import FluxMap

PSI_M, LD, LQ, P = 0.1, 2e-4, 5e-4, 4


def _lin(**kw):
    return FluxMap.linear(psi_m_wb=PSI_M, ld_h=LD, lq_h=LQ, pole_pairs=P, **kw)


def test_linear_grid_values_and_torque_formula():
    fm = _lin()
    assert fm.psi_d_wb.shape == (41, 41)
    idg, iqg = np.meshgrid(fm.id_a, fm.iq_a, indexing="ij")
    np.testing.assert_allclose(fm.psi_d_wb, PSI_M + LD * idg)
    np.testing.assert_allclose(fm.torque_nm, 1.5 * P * (PSI_M * iqg + (LD - LQ) * idg * iqg))


def test_interpolation_is_exact_for_linear_machine_off_grid():
    fm = _lin()
    rng = np.random.default_rng(1)
    i_d = rng.uniform(fm.id_a[0], fm.id_a[-1], 500)
    i_q = rng.uniform(-fm.iq_a[-1], fm.iq_a[-1], 500)  # negative iq: generating symmetry
    pd, pq = fm.psi(i_d, i_q)
    np.testing.assert_allclose(pd, PSI_M + LD * i_d, rtol=0, atol=1e-13)
    np.testing.assert_allclose(pq, LQ * i_q, rtol=0, atol=1e-13)
    t = fm.torque(i_d, i_q)
    np.testing.assert_allclose(t, 1.5 * P * (PSI_M * i_q + (LD - LQ) * i_d * i_q), atol=1e-9)


def test_interpolation_is_c1_and_matches_smooth_function():
    # a saturating, non-polynomial map: interpolation error shrinks ~h^3 or better
    def make(n):
        ida = np.linspace(-300, 50, n)
        iqa = np.linspace(0, 300, n)
        x, y = np.meshgrid(ida, iqa, indexing="ij")
        pd = 0.1 * np.tanh((x + 500) / 500) + 0.0 * y
        pq = 0.2 * np.tanh(y / 200) * (1 - 1e-4 * x)
        z = np.zeros_like(pd)
        return FluxMap(
            id_a=ida, iq_a=iqa, psi_d_wb=pd, psi_q_wb=pq, torque_nm=pd * y,
            torque_ripple_pct=z, iron_hyst_w_per_hz=z, iron_eddy_w_per_hz2=z,
            iron_excess_w_per_hz1_5=z, magnet_eddy_w_per_hz2=z, pole_pairs=4, phases=3,
        )  # fmt: skip

    xs = np.linspace(-299, 49, 37)
    ys = np.linspace(1, 299, 41)
    x, y = np.meshgrid(xs, ys, indexing="ij")
    exact = 0.2 * np.tanh(y / 200) * (1 - 1e-4 * x)
    e1 = np.abs(make(11).psi(x, y)[1] - exact).max()
    e2 = np.abs(make(21).psi(x, y)[1] - exact).max()
    assert e2 < e1 / 6
    assert e2 < 2e-5
    # continuity across a cell edge
    fm = make(11)
    edge = fm.id_a[4]
    lo = fm.psi(edge - 1e-9, 100.0)[1]
    hi = fm.psi(edge + 1e-9, 100.0)[1]
    assert abs(hi - lo) < 1e-12


def test_outside_grid_is_not_extrapolated():
    fm = _lin()
    with pytest.raises(InputError, match="id_a"):
        fm.psi(fm.id_a[-1] + 1.0, 0.0)
    with pytest.raises(InputError, match="iq_a"):
        fm.torque(0.0, fm.iq_a[-1] * 1.01)
    with pytest.raises(InputError, match="finite"):
        fm.psi(np.nan, 0.0)


def test_inverse_round_trip_vectorised():
    fm = _lin()
    rng = np.random.default_rng(2)
    i_d = rng.uniform(fm.id_a[0], fm.id_a[-1], (20, 10))
    i_q = rng.uniform(-fm.iq_a[-1], fm.iq_a[-1], (20, 10))
    pd, pq = fm.psi(i_d, i_q)
    xd, xq = fm.currents(pd, pq)
    assert xd.shape == (20, 10)
    np.testing.assert_allclose(xd, i_d, atol=1e-6)
    np.testing.assert_allclose(xq, i_q, atol=1e-6)
    with pytest.raises(InputError, match="not reachable"):
        fm.currents(10.0, 0.0)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0.01, 0.5),
    st.floats(1e-5, 1e-2),
    st.floats(1e-5, 1e-2),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_inverse_random_linear_machines(psi_m, ld, lq, a, b):
    fm = FluxMap.linear(psi_m_wb=psi_m, ld_h=ld, lq_h=lq, pole_pairs=3)
    i_d = fm.id_a[0] + a * (fm.id_a[-1] - fm.id_a[0])
    i_q = b * fm.iq_a[-1]
    pd, pq = fm.psi(i_d, i_q)
    xd, xq = fm.currents(pd, pq)
    scale = psi_m / ld
    assert abs(xd - i_d) <= 1e-7 * scale
    assert abs(xq - i_q) <= 1e-7 * scale


def test_validation_names_the_field():
    fm = _lin()
    base = {k: getattr(fm, k) for k in fm.__dataclass_fields__}
    with pytest.raises(InputError, match="iq_a"):
        FluxMap(**{**base, "iq_a": fm.iq_a[::-1]})
    with pytest.raises(InputError, match="iq_a"):
        FluxMap(**{**base, "iq_a": fm.iq_a - 1.0})
    with pytest.raises(InputError, match="psi_d_wb"):
        FluxMap(**{**base, "psi_d_wb": fm.psi_d_wb[:, :3]})
    bad = fm.torque_nm.copy()
    bad[3, 3] = np.inf
    with pytest.raises(InputError, match="torque_nm"):
        FluxMap(**{**base, "torque_nm": bad})
    with pytest.raises(InputError, match="iron_eddy_w_per_hz2"):
        FluxMap(**{**base, "iron_eddy_w_per_hz2": -np.ones_like(bad)})
    with pytest.raises(InputError, match="pole_pairs"):
        FluxMap(**{**base, "pole_pairs": 0})
    with pytest.raises(InputError, match="ld_h"):
        FluxMap.linear(psi_m_wb=0.1, ld_h=-1.0, lq_h=1e-3, pole_pairs=2)
    with pytest.raises(InputError, match="psi_m_wb"):
        FluxMap.linear(psi_m_wb=float("nan"), ld_h=1e-3, lq_h=1e-3, pole_pairs=2)


def test_frozen_pickle_save_load(tmp_path):
    fm = _lin(iron_eddy_w_per_hz2=1e-3)
    with pytest.raises(AttributeError):
        fm.pole_pairs = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        fm.psi_d_wb[0, 0] = 1.0
    fm.psi(0.0, 1.0)  # fill the derivative cache before pickling
    back = pickle.loads(pickle.dumps(fm))
    np.testing.assert_array_equal(back.torque_nm, fm.torque_nm)
    path = fm.save(tmp_path / "m.npz")
    loaded = FluxMap.load(path)
    assert loaded.meta == fm.meta
    assert loaded.pole_pairs == P
    np.testing.assert_array_equal(loaded.iron_eddy_w_per_hz2, fm.iron_eddy_w_per_hz2)
    with pytest.raises(InputError, match="path"):
        FluxMap.load(tmp_path / "missing.npz")
