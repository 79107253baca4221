"""Machine-level field analysis: the exact slotless field, torque by three methods, invariants,
sector vs full machine, the CLI, and bad input."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from _fem_cases import SlotlessSpm
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm.analysis import analyze, field_model
from repm.analysis.quantities import ArkkioGap, MaxwellCircle, harmonics, phase_currents
from repm.cli import main
from repm.fem import Problem, Solver
from repm.geometry import examples


def _br_ratio(case: SlotlessSpm, scale_elements: np.ndarray, b: np.ndarray) -> float:
    """FEM / exact amplitude of the cos(pθ) part of B_r over the given elements (area-weighted
    projection, each element compared with the exact amplitude at its centroid radius)."""
    mesh = case.mesh
    p = mesh.nodes[mesh.triangles[scale_elements]]
    cent = p.mean(axis=1)
    area = 0.5 * np.abs(
        (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1])
        - (p[:, 1, 1] - p[:, 0, 1]) * (p[:, 2, 0] - p[:, 0, 0])
    )
    th = np.arctan2(cent[:, 1], cent[:, 0])
    r = np.hypot(cent[:, 0], cent[:, 1])
    br = b[scale_elements, 0] * np.cos(th) + b[scale_elements, 1] * np.sin(th)
    exact = np.array([case.exact_br_amplitude(x) for x in r])
    w = area * np.cos(case.p * th) ** 2
    return float(np.sum(area * br * np.cos(case.p * th)) / np.sum(w * exact))


def test_slotless_spm_airgap_field_matches_the_exact_solution() -> None:
    errors = []
    for scale in (2.0, 1.0):
        case = SlotlessSpm(scale)
        sol = Solver(case.problem).solve(0.0)
        gap = np.flatnonzero(case.mesh.region == 4)  # stator-side air gap
        ratio = _br_ratio(case, gap, sol.b)
        errors.append(abs(ratio - 1))
        # rotating the rotor turns the field with it: B_r amplitude unchanged at another angle
        step = 2 * math.pi / len(case.mesh.band_rotor_nodes)
        sol2 = Solver(case.problem).solve(7.5 * step)
        p = case.mesh.nodes[case.mesh.triangles[gap]].mean(axis=1)
        th = np.arctan2(p[:, 1], p[:, 0]) - 7.5 * step
        br2 = sol2.b[gap, 0] * np.cos(th + 7.5 * step) + sol2.b[gap, 1] * np.sin(th + 7.5 * step)
        proj1 = np.sum(br2 * np.cos(case.p * th)) / np.sum(np.cos(case.p * th) ** 2)
        rot0 = _br_ratio(case, gap, sol.b)
        assert proj1 > 0 and rot0 > 0
    assert errors[-1] < 0.01, errors
    assert errors[-1] <= errors[0] + 1e-4, errors


def test_slotless_spm_has_no_torque_and_no_torque_without_sources() -> None:
    case = SlotlessSpm(2.0)
    solver = Solver(case.problem)
    # an ideal sinusoidal magnet ring in a smooth bore: no reluctance torque (numerical noise
    # of the band only)
    sol = solver.solve(0.3)
    peak = case.exact_br_amplitude(case.rs) ** 2 / (4e-7 * math.pi) * case.rs**2 * 2 * math.pi
    assert abs(sol.torque_arkkio_nm_per_m) < 1e-3 * peak
    empty = replace(case.problem, br_t=np.zeros_like(case.problem.br_t))
    sol0 = Solver(empty).solve(0.3)
    assert sol0.torque_arkkio_nm_per_m == 0.0
    assert np.all(sol0.a == 0.0)


@pytest.fixture(scope="module")
def servo():
    return field_model(examples.spm_servo_12s10p(), mesh_scale=1.5)


@pytest.fixture(scope="module")
def servo_full():
    return field_model(examples.spm_servo_12s10p(), sector=False, mesh_scale=1.5)


def _loaded(model, theta: float, iq: float = 10.0, id_: float = 0.0):
    solver = Solver(model.problem)
    n = 16
    p = model.pole_pairs
    th = 2 * math.pi / p * np.arange(n) / n
    nl = solver.solve_batch(th, np.zeros((n, model.problem.n_groups)))
    psi = model.flux_linkage_wb(np.array([s.group_a_integral for s in nl]))
    from repm.analysis.quantities import phase_offsets

    off = phase_offsets(psi)
    cur = phase_currents(np.array([p * theta - off[0]]), off, id_, iq)[0]
    return solver, model.group_current_density(cur)


@pytest.fixture(scope="module")
def outer():
    return field_model(examples.outer_rotor_spm_24s20p(), mesh_scale=1.5)


@pytest.mark.parametrize("which", ["servo", "outer"])
def test_arkkio_maxwell_and_virtual_work_agree(which, request) -> None:
    m = request.getfixturevalue(which)
    step = m.mesh.sector_angle_rad / len(m.mesh.band_rotor_nodes)
    theta = 3.5 * step  # middle of a band step: the band pattern is the same at theta ± delta
    solver, j = _loaded(m, theta)
    sol = solver.solve(theta, j)
    k = m.symmetry_factor * m.stack_length_m
    t_arkkio = ArkkioGap(m).torque_nm(sol.b)
    t_band = sol.torque_arkkio_nm_per_m * k  # the solver's own (band) Arkkio
    assert t_band == pytest.approx(t_arkkio, rel=0.02)
    t_maxwell = MaxwellCircle(m).torque_nm(sol.b)
    d = 0.25 * step
    w_plus = solver.solve(theta + d, j).coenergy_j_per_m * k
    w_minus = solver.solve(theta - d, j).coenergy_j_per_m * k
    t_vw = (w_plus - w_minus) / (2 * d)
    assert abs(t_arkkio) > 0.1
    assert t_maxwell == pytest.approx(t_arkkio, rel=0.02)
    assert t_vw == pytest.approx(t_arkkio, rel=0.02)


def test_sector_and_full_model_agree(servo, servo_full) -> None:
    a = analyze(servo, positions=12)
    b = analyze(servo_full, positions=12)
    assert b.emf_rms_phase_v == pytest.approx(a.emf_rms_phase_v, rel=0.005)
    assert np.allclose(
        b.flux_linkage_wb, a.flux_linkage_wb, rtol=0, atol=0.005 * np.abs(a.flux_linkage_wb).max()
    )
    la = analyze(servo, positions=12, iq_a=10.0)
    lb = analyze(servo_full, positions=12, iq_a=10.0)
    assert lb.torque_avg_nm == pytest.approx(la.torque_avg_nm, rel=0.005)


def test_flux_linkage_is_periodic_and_three_phase(servo) -> None:
    a = analyze(servo, positions=12, speed_rpm=3000)
    solver = Solver(servo.problem)
    p = servo.pole_pairs
    th = np.array([0.1, 0.1 + 2 * math.pi / p])
    sols = solver.solve_batch(th, np.zeros((2, servo.problem.n_groups)))
    psi = servo.flux_linkage_wb(np.array([s.group_a_integral for s in sols]))
    # equal to the discretisation level: the two angles shear the band by different fractions
    assert np.allclose(psi[0], psi[1], atol=3e-4 * np.abs(psi).max())
    # balanced: equal fundamentals 120° apart (triplen harmonics may remain in each phase)
    c1 = harmonics(a.flux_linkage_wb.T)[:, 1]
    assert np.allclose(np.abs(c1), np.abs(c1[0]), rtol=0.01)
    lag = np.angle(c1[1] / c1[0])
    assert abs(abs(lag) - 2 * math.pi / 3) < 0.01
    rms = np.sqrt(np.mean(a.emf_phase_v**2, axis=0))
    assert np.allclose(rms, rms[0], rtol=0.02)
    assert a.emf_rms_line_v == pytest.approx(math.sqrt(3) * a.emf_rms_phase_v, rel=0.05)
    # EMF scales with speed
    b = analyze(servo, positions=12, speed_rpm=1500)
    assert b.emf_rms_phase_v == pytest.approx(a.emf_rms_phase_v / 2, rel=1e-9)


def _mirror(problem: Problem) -> Problem:
    """The mirror image y → −y: nodes mirrored, triangles re-oriented, Br mirrored, J → −J."""
    nodes = problem.nodes * [1.0, -1.0]
    return replace(
        problem,
        nodes=nodes,
        triangles=problem.triangles[:, ::-1].copy(),
        br_t=problem.br_t * [1.0, -1.0],
    )


def test_torque_changes_sign_under_the_mirror_image(servo_full) -> None:
    m = servo_full
    mirrored = _mirror(m.problem)
    # the band of the mirrored machine runs clockwise: rebuild it from reversed band node lists
    mirrored = replace(
        mirrored,
        band_rotor_nodes=m.problem.band_rotor_nodes[::-1].copy(),
        band_stator_nodes=m.problem.band_stator_nodes[::-1].copy(),
    )
    step = 2 * math.pi / len(m.mesh.band_rotor_nodes)
    arkkio = ArkkioGap(m)
    mirrored_model = replace(m, problem=mirrored)
    mirrored_model = replace(
        mirrored_model, mesh=replace(m.mesh, nodes=mirrored.nodes, triangles=mirrored.triangles)
    )
    arkkio_m = ArkkioGap(mirrored_model)
    for k in (0.5, 3.5):
        t = arkkio.torque_nm(Solver(m.problem).solve(k * step).b)
        tm = arkkio_m.torque_nm(Solver(mirrored).solve(-k * step).b)
        assert abs(t) > 1e-3
        assert tm == pytest.approx(-t, rel=1e-6)


def test_analyze_reports_everything_and_pickles(servo) -> None:
    a = analyze(servo, positions=12, iq_a=10.0, speed_rpm=2000)
    s = a.summary()
    for key in (
        "emf_rms_line_v",
        "emf_rms_phase_v",
        "emf_thd_pct",
        "cogging_pp_nm",
        "torque_avg_nm",
        "torque_ripple_pct",
        "min_demag_margin_a_per_m",
        "solver",
    ):
        assert key in s
    assert a.torque_avg_nm > 0  # positive iq motors (counter-clockwise)
    assert a.torque_maxwell_avg_nm == pytest.approx(a.torque_avg_nm, rel=0.02)
    assert a.psi_d_wb > 0 and abs(a.psi_q_wb) > 0
    neg = analyze(servo, positions=12, iq_a=-10.0)
    assert neg.torque_avg_nm == pytest.approx(-a.torque_avg_nm, rel=0.02)
    json.dumps(s)
    pickle.loads(pickle.dumps(servo))


def test_demag_margin_falls_with_negative_id_and_temperature(servo) -> None:
    base = analyze(servo, positions=8)
    weak = analyze(servo, positions=8, id_a=-20.0)
    assert weak.min_demag_margin_a_per_m < base.min_demag_margin_a_per_m
    hot = field_model(examples.spm_servo_12s10p(), mesh_scale=1.5, magnet_temperature_c=140.0)
    assert analyze(hot, positions=8).min_demag_margin_a_per_m < base.min_demag_margin_a_per_m


def test_analyze_cli_json_and_report(tmp_path, capsys) -> None:
    path = Path(__file__).parents[1] / "examples" / "machines" / "spm_servo_12s10p.toml"
    rc = main(
        [
            "analyze",
            str(path),
            "--positions",
            "8",
            "--scale",
            "2",
            "--iq",
            "5",
            "--json",
            "--report",
            str(tmp_path / "rep"),
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["solver"]["nodes"] > 100
    assert out["solver"]["newton_iterations"] >= out["solver"]["solves"] > 0
    assert out["solver"]["seconds"] > 0
    for name in ("field.png", "emf.png", "cogging.png", "torque.png", "summary.json"):
        assert (tmp_path / "rep" / name).stat().st_size > 1000 or name == "summary.json"


@settings(max_examples=15, deadline=None)
@given(
    field=st.sampled_from(["speed_rpm", "id_a", "iq_a", "positions"]),
    value=st.one_of(
        st.just(math.nan), st.just(math.inf), st.just(-1.0), st.just(0), st.just("x"), st.just(True)
    ),
)
def test_bad_arguments_raise_input_error(servo, field, value) -> None:
    kwargs = {"positions": 8, field: value}
    if field in ("id_a", "iq_a") and value in (-1.0, 0):
        return  # valid currents
    with pytest.raises(repm.InputError, match=field):
        analyze(servo, **kwargs)


def test_magnet_temperature_out_of_range() -> None:
    with pytest.raises(repm.TemperatureRangeError):
        field_model(examples.spm_servo_12s10p(), magnet_temperature_c=400.0)
    with pytest.raises(repm.InputError, match="magnet_temperature_c"):
        field_model(examples.spm_servo_12s10p(), magnet_temperature_c=math.nan)
