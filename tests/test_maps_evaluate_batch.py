"""evaluate_currents: the batch kernel (outputs filled in place, validation in the parallel
pass) against the operating-point formulas in numpy, across several rayon chunks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from repm import InputError
from repm.maps import Drive, FluxMap, evaluate_currents

NAMES = (
    "psi_d_wb",
    "psi_q_wb",
    "torque_nm",
    "iron_hyst_w_per_hz",
    "iron_eddy_w_per_hz2",
    "iron_excess_w_per_hz1_5",
    "magnet_eddy_w_per_hz2",
)
PARITY = {"psi_q_wb": -1.0, "torque_nm": -1.0}


def _map() -> FluxMap:
    # non-polynomial fields (saturating psi_d, cross-coupled psi_q, current-dependent losses)
    x = np.linspace(-300.0, 40.0, 18)
    y = np.array([0.0, 20.0, 50.0, 90.0, 140.0, 200.0, 260.0, 300.0])
    X, Y = np.meshgrid(x, y, indexing="ij")
    psi_d = 0.1 * np.tanh((0.1 + 3e-4 * X) / 0.1) - 1e-7 * Y**2
    psi_q = 8e-4 * Y / (1.0 + 2e-3 * Y) - 2e-7 * X * Y
    z = np.zeros_like(X)
    return FluxMap(
        id_a=x, iq_a=y, psi_d_wb=psi_d, psi_q_wb=psi_q, torque_nm=6.0 * (psi_d * Y - psi_q * X),
        torque_ripple_pct=z, iron_hyst_w_per_hz=1.0 + 1e-3 * Y + 5e-7 * X**2,
        iron_eddy_w_per_hz2=1e-3 + 1e-9 * (X**2 + Y**2), iron_excess_w_per_hz1_5=1e-2 + z,
        magnet_eddy_w_per_hz2=2e-4 * np.exp(X / 300.0), pole_pairs=4, phases=3,
    )  # fmt: skip


def _drive() -> Drive:
    return Drive(
        dc_bus_v=400.0,
        current_limit_a=300.0,
        phase_resistance_ohm=0.05,
        ac_model="hairpin",
        hairpin_height_m=2.5e-3,
        hairpin_layers=4,
        friction_w_per_rpm=0.02,
        windage_w_per_rpm3=1e-9,
        inverter_v_drop_v=1.0,
        inverter_r_on_ohm=2e-3,
    )


def _reference(fm: FluxMap, d: Drive, s, x, y) -> dict[str, np.ndarray]:
    """The formulas of repm-machine (drive.rs) in numpy, for on-map points (iq of any sign)."""
    sign = np.where(y < 0, -1.0, 1.0)
    v = {k: val for k, (val, _, _) in fm._eval(NAMES, x, np.abs(y)).items()}
    for k, p in PARITY.items():
        v[k] = v[k] * np.where(sign < 0, p, 1.0)
    m, p = fm.phases, fm.pole_pairs
    w = s * 2 * math.pi / 60
    f = p * w / (2 * math.pi)
    r_dc = d.resistance_ohm()
    r = r_dc * (1 + d.ac_coeff_per_hz2() * f * f)
    ud = r * x - p * w * v["psi_q_wb"]
    uq = r * y + p * w * v["psi_d_wb"]
    i2 = x**2 + y**2
    p_fe = (
        v["iron_hyst_w_per_hz"] * f
        + v["iron_eddy_w_per_hz2"] * f**2
        + v["iron_excess_w_per_hz1_5"] * f**1.5
    )
    p_mag = v["magnet_eddy_w_per_hz2"] * f**2
    p_mech = d.friction_w_per_rpm * s + d.windage_w_per_rpm3 * s**3
    # Loss torque P/ω, continuous at ω = 0 (a subnormal speed underflows to ω = 0): there it is
    # the hysteresis and friction torque, the limit the Rust kernel computes without dividing.
    at_rest = v["iron_hyst_w_per_hz"] * p / (2 * math.pi) + d.friction_w_per_rpm * 60 / (
        2 * math.pi
    )
    moving = w > 0
    t_loss = np.where(moving, (p_fe + p_mag + p_mech) / np.where(moving, w, 1.0), at_rest)
    torque = v["torque_nm"] - t_loss
    return {
        "voltage_v": np.hypot(ud, uq),
        "torque_em_nm": v["torque_nm"],
        "torque_nm": torque,
        "p_shaft_w": torque * w,
        "p_electrical_w": 0.5 * m * (ud * x + uq * y),
        "p_copper_dc_w": 0.5 * m * r_dc * i2,
        "p_copper_ac_w": 0.5 * m * (r - r_dc) * i2,
        "p_iron_w": p_fe,
        "p_magnet_w": p_mag,
        "p_mechanical_w": p_mech,
    }


def _check(fm, d, s, x, y, got) -> None:
    ref = _reference(fm, d, s, x, y)
    for k, want in ref.items():
        np.testing.assert_allclose(getattr(got, k), want, rtol=1e-11, atol=1e-9, err_msg=k)


def test_many_chunks_match_numpy_and_off_map_points_are_nan():
    fm, d = _map(), _drive()
    rng = np.random.default_rng(3)
    n = 20_011  # several kernel chunks plus a partial one
    s = rng.uniform(1.0, 8000.0, n)
    x = rng.uniform(-320.0, 60.0, n)
    y = rng.uniform(-320.0, 320.0, n)
    got = evaluate_currents(fm, d, s, x, y)
    on = (x >= -300.0) & (x <= 40.0) & (np.abs(y) <= 300.0)
    assert 0 < on.sum() < n
    np.testing.assert_array_equal(got.valid, on)
    _check(fm, d, s[on], x[on], y[on], _select(got, on))
    off = ~on
    for k in ("id_a", "torque_nm", "efficiency", "p_inverter_w", "system_efficiency"):
        assert np.isnan(getattr(got, k)[off]).all(), k
    np.testing.assert_array_equal(got.id_a[on], x[on])
    np.testing.assert_array_equal(got.iq_a[on], y[on])
    np.testing.assert_array_equal(got.speed_rpm, s)
    e = got.efficiency[on]
    assert np.all((e >= 0) & (e <= 1))
    assert np.all(got.system_efficiency[on] <= e + 1e-15)


def _select(p, mask):
    class _Sel:
        def __getattr__(self, k):
            return getattr(p, k)[mask]

    return _Sel()


def test_broadcast_shape_and_speed_is_a_copy():
    fm, d = _map(), _drive()
    s = np.array([[1000.0], [3000.0]])
    x = np.array([-100.0, 0.0, 10.0])
    got = evaluate_currents(fm, d, s, x, 50.0)
    assert got.torque_nm.shape == (2, 3) and got.valid.shape == (2, 3)
    assert got.speed_rpm.shape == (2, 3)
    S, X = np.broadcast_arrays(s, x)
    _check(fm, d, S.ravel(), X.ravel(), np.full(6, 50.0), _flat(got))
    s[0, 0] = 5.0
    assert got.speed_rpm[0, 0] == 1000.0
    one = evaluate_currents(fm, d, 2000.0, -50.0, 100.0)
    assert one.torque_nm.shape == () and bool(one.valid)


def _flat(p):
    class _Flat:
        def __getattr__(self, k):
            return np.ravel(getattr(p, k))

    return _Flat()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 9000.0), st.floats(-300.0, 40.0), st.floats(-300.0, 300.0)),
        min_size=1,
        max_size=40,
    )
)
@example(pts=[(5e-324, 0.0, 0.0), (0.0, -10.0, 20.0)])  # ω underflows to 0: the loss torque limit
def test_random_points_match_numpy(pts):
    fm, d = _map(), _drive()
    s, x, y = (np.array(c) for c in zip(*pts, strict=True))
    got = evaluate_currents(fm, d, s, x, y)
    assert got.valid.all()
    moving = s > 0  # the numpy loss torque divides by the speed
    _check(fm, d, s[moving], x[moving], y[moving], _select(got, moving))


@pytest.mark.parametrize("field", ["speed_rpm", "id_a", "iq_a"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("where", [0, 9_999])
def test_non_finite_inputs_raise_naming_the_field(field, bad, where):
    fm, d = _map(), _drive()
    n = 10_000
    args = {"speed_rpm": np.full(n, 1000.0), "id_a": np.full(n, -50.0), "iq_a": np.full(n, 80.0)}
    args[field][where] = bad
    with pytest.raises(InputError, match=field):
        evaluate_currents(fm, d, args["speed_rpm"], args["id_a"], args["iq_a"])


def test_negative_speed_and_order_of_errors():
    fm, d = _map(), _drive()
    with pytest.raises(InputError, match=r"speed_rpm.*>= 0"):
        evaluate_currents(fm, d, [100.0, -1.0], 0.0, 10.0)
    # several bad inputs: the speed is named first, then id_a
    with pytest.raises(InputError, match="speed_rpm"):
        evaluate_currents(fm, d, [math.nan], [math.nan], [math.nan])
    with pytest.raises(InputError, match="id_a"):
        evaluate_currents(fm, d, [1.0], [math.nan], [math.nan])
    # an off-map point is not an error
    assert not evaluate_currents(fm, d, 1.0, 1e6, 0.0).valid
