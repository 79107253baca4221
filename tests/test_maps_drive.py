"""Drive model on linear machines: closed forms (MTPA, corner speed, characteristic current,
field weakening, max speed), power balance, envelope, limits, errors, duty cycles."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import InputError, UnknownMaterialError
from repm.maps import (
    Drive,
    FluxMap,
    characteristic_current_a,
    corner_speed_rpm,
    drive_from_dict,
    duty_cycle,
    efficiency_map,
    envelope,
    evaluate_currents,
    mtpa_trajectory,
    mtpv_trajectory,
    operating_points,
)

PSI_M, LD, LQ, P = 0.1, 2e-4, 5e-4, 4
RPM = 60 / (2 * math.pi)


def _fm(**kw):
    return FluxMap.linear(psi_m_wb=PSI_M, ld_h=LD, lq_h=LQ, pole_pairs=P, **kw)


def _ideal(i_max=400.0, vdc=300.0, **kw):
    return Drive(dc_bus_v=vdc, current_limit_a=i_max, phase_resistance_ohm=0.0, **kw)


def _mtpa_id(i):
    dl = LQ - LD
    return (PSI_M - math.sqrt(PSI_M**2 + 8 * dl**2 * i**2)) / (4 * dl)


def test_mtpa_angle_closed_form():
    currents = np.array([50.0, 200.0, 400.0, 700.0])
    x, y, t = mtpa_trajectory(_fm(), currents)
    for k, i in enumerate(currents):
        xe = _mtpa_id(i)
        ye = math.sqrt(i * i - xe * xe)
        assert abs(x[k] - xe) <= 1e-6 * i
        assert abs(y[k] - ye) <= 1e-6 * i
        assert t[k] == pytest.approx(1.5 * P * ye * (PSI_M + (LD - LQ) * xe), rel=1e-9)


def test_corner_speed_and_characteristic_current_closed_form():
    fm, d = _fm(), _ideal()
    xe = _mtpa_id(400.0)
    ye = math.sqrt(400.0**2 - xe**2)
    flux = math.hypot(PSI_M + LD * xe, LQ * ye)
    exact = d.u_max_v / flux / P * RPM
    assert corner_speed_rpm(fm, d) == pytest.approx(exact, rel=1e-6)
    assert characteristic_current_a(fm) == pytest.approx(PSI_M / LD, rel=1e-6)
    env = envelope(fm, d, [0.0, 0.5 * exact])
    assert env.corner_speed_rpm == pytest.approx(exact, rel=1e-6)
    assert list(env.region) == ["mtpa", "mtpa"]
    assert env.max_torque_nm == pytest.approx(1.5 * P * ye * (PSI_M + (LD - LQ) * xe), rel=1e-9)


def test_field_weakening_torque_and_max_speed_closed_form():
    # characteristic current 500 A > I_max 400 A: finite max speed u_max / (psi_m - Ld I_max)
    fm, d = _fm(), _ideal()
    w_max = d.u_max_v / (PSI_M - LD * 400.0) / P * RPM
    env = envelope(fm, d, [1.5 * corner_speed_rpm(fm, d)])
    assert env.max_speed_rpm == pytest.approx(w_max, rel=1e-6)
    assert env.max_speed_limit == "torque capability"
    assert env.region[0] == "fw"
    we = 1.5 * corner_speed_rpm(fm, d) / RPM * P
    u = d.u_max_v / we
    # circle |i| = I and flux ellipse (psi_m + Ld id)^2 + (Lq iq)^2 = u^2
    a, b, c = LD**2 - LQ**2, 2 * PSI_M * LD, PSI_M**2 + LQ**2 * 400.0**2 - u**2
    x = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    if not (-400 <= x <= 0):
        x = (-b - math.sqrt(b * b - 4 * a * c)) / (2 * a)
    y = math.sqrt(400.0**2 - x * x)
    t = 1.5 * P * y * (PSI_M + (LD - LQ) * x)
    assert env.motoring.torque_nm[0] == pytest.approx(t, rel=1e-6)
    assert env.generating.torque_nm[0] == pytest.approx(-t, rel=1e-6)


def test_mtpv_when_characteristic_current_inside_limit():
    # I_max 600 A > psi_m/Ld = 500 A: infinite speed range; at high speed the MTPV branch
    # (voltage limit only) carries the torque and the current stays below the limit.
    fm = _fm(id_a=np.linspace(-1200, 100, 60), iq_a=np.linspace(0, 1200, 60))
    d = _ideal(i_max=600.0)
    c = corner_speed_rpm(fm, d)
    env = envelope(fm, d, [6 * c])
    assert env.region[0] == "mtpv"
    i = math.hypot(env.motoring.id_a[0], env.motoring.iq_a[0])
    assert i < 600
    # MTPV of a linear machine: flux-linkage d-component psi_d = -c with
    # c = (-Lq psi_m + sqrt((Lq psi_m)^2 + 8 (Lq-Ld)^2 |psi|^2)) / (4 (Lq-Ld))
    we = 6 * c / RPM * P
    flux = d.u_max_v / we
    dl = LQ - LD
    psi_d = -(-LQ * PSI_M + math.sqrt((LQ * PSI_M) ** 2 + 8 * dl**2 * flux**2)) / (4 * dl)
    psi_d_got = PSI_M + LD * env.motoring.id_a[0]
    assert psi_d_got == pytest.approx(psi_d, rel=1e-6)
    tr = mtpv_trajectory(fm, d, [6 * c])
    assert tr.torque_nm[0] == pytest.approx(env.motoring.torque_nm[0], rel=1e-9)


def _lossy():
    fm = _fm(iron_hyst_w_per_hz=0.8, iron_eddy_w_per_hz2=2e-3, iron_excess_w_per_hz1_5=1e-2,
             magnet_eddy_w_per_hz2=5e-4)  # fmt: skip
    d = Drive(
        dc_bus_v=300.0,
        current_limit_a=400.0,
        phase_resistance_ohm=0.02,
        winding_temperature_c=100.0,
        ac_model="hairpin",
        hairpin_height_m=3e-3,
        hairpin_layers=4,
        friction_w_per_rpm=0.02,
        windage_w_per_rpm3=1e-9,
        inverter_v_drop_v=1.0,
        inverter_r_on_ohm=2e-3,
        inverter_switching_j_per_a=1e-5,
    )
    return fm, d


def test_power_balance_at_every_map_point():
    fm, d = _lossy()
    em = efficiency_map(fm, d, np.linspace(100, 6000, 40), np.linspace(-150, 300, 40))
    p = em.points
    ok = p.valid
    assert ok.sum() > 500
    assert (~ok).sum() > 50  # part of the grid is beyond the envelope
    rhs = p.p_shaft_w + p.losses_w
    scale = np.maximum(np.abs(p.p_electrical_w), p.losses_w)
    assert np.all(np.abs(p.p_electrical_w - rhs)[ok] <= 1e-9 * scale[ok])
    # the requested torque is met exactly and the limits hold
    _sp, tq = np.meshgrid(em.speed_rpm, em.torque_nm, indexing="ij")
    assert np.allclose(p.torque_nm[ok], tq[ok], rtol=1e-9, atol=1e-9)
    assert np.all(np.hypot(p.id_a, p.iq_a)[ok] <= 400 * (1 + 1e-9))
    assert np.all(p.voltage_v[ok] <= d.u_max_v * (1 + 1e-9))
    assert np.all(np.isnan(p.efficiency[~ok]))
    assert np.all((p.efficiency[ok] >= 0) & (p.efficiency[ok] <= 1))
    assert np.all(p.p_copper_ac_w[ok] >= 0) and np.any(p.p_copper_ac_w[ok] > 0)
    assert 0.9 < em.peak_efficiency < 1


def test_min_loss_beats_mtpa_strategy():
    fm, d = _lossy()
    s = np.array([1000.0, 3000.0, 5000.0, 3000.0])
    t = np.array([50.0, 100.0, 40.0, -60.0])
    a = operating_points(fm, d, s, t, strategy="min_loss")
    b = operating_points(fm, d, s, t, strategy="mtpa")
    assert a.valid.all() and b.valid.all()
    la = a.losses_w + a.p_inverter_w
    lb = b.losses_w + b.p_inverter_w
    assert np.all(la <= lb * (1 + 1e-9))
    assert np.all(np.hypot(b.id_a, b.iq_a) <= np.hypot(a.id_a, a.iq_a) * (1 + 1e-9))


def test_points_outside_envelope_are_none():
    fm, d = _lossy()
    pts = operating_points(fm, d, [1000.0, 1000.0, 50000.0], [50.0, 1e4, 10.0])
    assert list(pts.valid) == [True, False, False]
    recs = pts.records()
    assert recs[1]["efficiency"] is None and recs[2]["p_shaft_w"] is None
    assert recs[0]["efficiency"] == pytest.approx(float(pts.efficiency[0]))


def test_evaluate_currents_direct():
    fm, d = _lossy()
    p = evaluate_currents(fm, d, 2000.0, [-100.0, 0.0], [200.0, 100.0])
    assert p.valid.all()
    we = 2000 / RPM * P
    f = we / (2 * math.pi)
    r = d.resistance_ohm() * (1 + d.ac_coeff_per_hz2() * f * f)
    ud = r * -100 - we * LQ * 200
    uq = r * 200 + we * (PSI_M + LD * -100)
    assert p.voltage_v[0] == pytest.approx(math.hypot(ud, uq), rel=1e-12)
    assert p.p_iron_w[0] == pytest.approx(0.8 * f + 2e-3 * f**2 + 1e-2 * f**1.5, rel=1e-12)


@settings(max_examples=20, deadline=None)
@given(
    st.floats(0.02, 0.3),
    st.floats(5e-5, 2e-3),
    st.floats(1.0, 4.0),
    st.floats(0.3, 1.5),
    st.floats(0.0, 0.05),
)
def test_envelope_monotone_random_linear_machines(psi_m, ld, saliency, i_frac, r):
    ich = psi_m / ld
    fm = FluxMap.linear(psi_m_wb=psi_m, ld_h=ld, lq_h=ld * saliency, pole_pairs=3)
    d = Drive(dc_bus_v=400.0, current_limit_a=i_frac * ich, phase_resistance_ohm=r)
    env = envelope(fm, d, np.linspace(0, 3 * corner_speed_rpm(fm, d), 25))
    t = np.where(env.motoring.valid, env.motoring.torque_nm, 0.0)
    assert np.all(np.diff(t) <= 1e-9 * max(1.0, t[0]))
    g = np.where(env.generating.valid, env.generating.torque_nm, 0.0)
    assert np.all(g <= 1e-12)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"dc_bus_v": 0.0}, "dc_bus_v"),
        ({"dc_bus_v": float("nan")}, "dc_bus_v"),
        ({"current_limit_a": -5.0}, "current_limit_a"),
        ({"current_limit_a": float("inf")}, "current_limit_a"),
        ({"modulation_index": 1.2}, "modulation_index"),
        ({"phase_resistance_ohm": -0.1}, "phase_resistance_ohm"),
        ({"ac_model": "litz"}, "ac_model"),
        ({"ac_model": "hairpin"}, "hairpin_height_m"),
        ({"friction_w_per_rpm": -1.0}, "friction_w_per_rpm"),
        ({"max_speed_rpm": 0.0}, "max_speed_rpm"),
    ],
)
def test_drive_validation(kw, field):
    base = {"dc_bus_v": 300.0, "current_limit_a": 100.0, "phase_resistance_ohm": 0.01}
    with pytest.raises(InputError, match=field):
        Drive(**{**base, **kw})


def test_other_errors():
    fm = _fm()
    d = _ideal()
    with pytest.raises(UnknownMaterialError):
        Drive(dc_bus_v=1.0, current_limit_a=1.0, conductor="unobtainium")
    with pytest.raises(InputError, match="speed_rpm"):
        operating_points(fm, d, -1.0, 10.0)
    with pytest.raises(InputError, match="torque_nm"):
        operating_points(fm, d, 100.0, float("nan"))
    with pytest.raises(InputError, match="strategy"):
        operating_points(fm, d, 100.0, 10.0, strategy="fastest")
    with pytest.raises(InputError, match="phase_resistance_ohm"):
        envelope(fm, Drive(dc_bus_v=1.0, current_limit_a=1.0), [0.0])
    with pytest.raises(InputError, match="unknown key"):
        drive_from_dict({"dc_bus_v": 1.0, "current_limit_a": 1.0, "volts": 3})
    with pytest.raises(InputError, match="current_limit_a"):
        drive_from_dict({"dc_bus_v": 1.0})
    off = FluxMap.linear(
        psi_m_wb=0.1, ld_h=1e-3, lq_h=1e-3, pole_pairs=2, id_a=[-10.0, -5.0], iq_a=[0.0, 5.0]
    )
    with pytest.raises(InputError, match="id_a"):
        envelope(off, d, [0.0])
    with pytest.raises(InputError, match="time_s"):
        duty_cycle(fm, d, [0.0, 0.0], [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(InputError, match="fluxmap"):
        envelope("map", d)  # type: ignore[arg-type]


def test_duty_cycle_constant_point_and_pickle():
    fm, d = _lossy()
    t = np.array([0.0, 10.0, 20.0])
    res = duty_cycle(fm, d, t, [2000.0] * 3, [80.0] * 3)
    pt = operating_points(fm, d, 2000.0, 80.0)
    assert res.energy_shaft_out_j == pytest.approx(20 * float(pt.p_shaft_w), rel=1e-12)
    assert res.energy_electrical_in_j == pytest.approx(
        20 * float(pt.p_shaft_w + pt.losses_w), rel=1e-12
    )
    assert res.average_efficiency == pytest.approx(float(pt.efficiency), rel=1e-12)
    assert res.losses_j["iron"] == pytest.approx(20 * float(pt.p_iron_w), rel=1e-12)
    assert res.points_outside == 0
    back = pickle.loads(pickle.dumps(res))
    assert back.losses_j == res.losses_j
    assert pickle.loads(pickle.dumps(d)) == d


def test_rust_interpolation_matches_python_on_nonlinear_map():
    ida = np.linspace(-300, 40, 12)
    iqa = np.linspace(0, 300, 9) ** 1.1 / 300**0.1  # non-uniform
    x, y = np.meshgrid(ida, iqa, indexing="ij")
    pd = 0.1 * np.tanh((x + 500) / 400)
    pq = 0.25 * np.tanh(y / 250) * (1 - 2e-4 * x)
    z = np.zeros_like(pd)
    fm = FluxMap(
        id_a=ida, iq_a=iqa, psi_d_wb=pd, psi_q_wb=pq, torque_nm=6 * (pd * y - pq * x),
        torque_ripple_pct=z, iron_hyst_w_per_hz=1 + 0.01 * y, iron_eddy_w_per_hz2=z + 1e-3,
        iron_excess_w_per_hz1_5=z, magnet_eddy_w_per_hz2=z, pole_pairs=4, phases=3,
    )  # fmt: skip
    rng = np.random.default_rng(5)
    qd = rng.uniform(-300, 40, 400)
    qq = rng.uniform(-300, 300, 400)
    p = evaluate_currents(fm, _ideal(), 1000.0, qd, qq)
    assert p.valid.all()
    np.testing.assert_allclose(p.torque_em_nm, fm.torque(qd, qq), rtol=1e-12, atol=1e-10)
    f = 1000 / 60 * 4
    hyst = fm.interpolate("iron_hyst_w_per_hz", qd, qq)
    np.testing.assert_allclose(p.p_iron_w, hyst * f + 1e-3 * f**2, rtol=1e-12)
    out = evaluate_currents(fm, _ideal(), 1000.0, [-301.0, 0.0], [0.0, 301.0])
    assert not out.valid.any()


def test_fluxmap_still_pickles_after_use():
    fm, d = _lossy()
    operating_points(fm, d, 1000.0, 10.0)
    back = pickle.loads(pickle.dumps(fm))
    assert float(operating_points(back, d, 1000.0, 10.0).efficiency) == pytest.approx(
        float(operating_points(fm, d, 1000.0, 10.0).efficiency), rel=1e-12
    )
