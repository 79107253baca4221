"""FEM flux maps (repm.maps.compute.flux_map) on the small SPM servo example, coarse mesh."""

from __future__ import annotations

import dataclasses
import math
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import InputError
from repm.analysis import analyze, field_model
from repm.analysis.quantities import harmonics
from repm.fem import signed_triangle_areas
from repm.geometry import examples
from repm.maps import FluxMap, compute
from repm.maps.compute import default_current_limit_a, flux_map

N_POS = 8
MESH = 2.0


def _servo_with_loss_data():
    """The servo example with M235-35A laminations: its own M270-35A has no loss table."""
    m = examples.spm_servo_12s10p()
    return dataclasses.replace(
        m,
        stator=dataclasses.replace(m.stator, steel="M235-35A"),
        rotor=dataclasses.replace(m.rotor, steel="M235-35A"),
    )


@pytest.fixture(scope="module")
def model():
    return field_model(_servo_with_loss_data(), mesh_scale=MESH)


@pytest.fixture(scope="module")
def i_max(model):
    return default_current_limit_a(model)


@pytest.fixture(scope="module")
def fmap(model, i_max, tmp_path_factory):
    cache = tmp_path_factory.mktemp("fluxmaps")
    return flux_map(
        model,
        id_a=[-i_max, -0.5 * i_max, 0.0, 0.25 * i_max],
        iq_a=[0.0, 0.5 * i_max, i_max],
        positions=N_POS,
        cache_dir=cache,
    ), cache


def test_default_current_limit_is_20_a_per_mm2_in_copper(model, i_max):
    w = model.machine.winding
    j = w.turns_per_coil * i_max / (w.parallel_paths * w.fill_factor * model.coil_area_m2.min())
    assert j == pytest.approx(20e6, rel=1e-12)


def test_map_shapes_meta_and_picklable(fmap):
    fm, _ = fmap
    assert isinstance(fm, FluxMap)
    assert fm.psi_d_wb.shape == (4, 3)
    assert fm.pole_pairs == 5 and fm.phases == 3
    assert fm.meta["settings"]["positions"] == N_POS
    assert fm.meta["solves"] == (12 + 1) * N_POS
    assert not any("not resolved" in n for n in fm.meta["notes"])  # 8 > 2·Q/p = 4.8
    again = pickle.loads(pickle.dumps(fm))
    np.testing.assert_array_equal(again.torque_nm, fm.torque_nm)


def test_psi_d_at_zero_current_is_the_no_load_fundamental(model, fmap):
    fm, _ = fmap
    res = analyze(model, positions=N_POS)
    assert fm.psi_d_wb[2, 0] == pytest.approx(res.psi_d_wb, rel=1e-9)
    fundamental = float(np.abs(harmonics(res.flux_linkage_wb[:, 0])[1]))
    assert fm.psi_d_wb[2, 0] == pytest.approx(fundamental, rel=0.02)
    assert abs(fm.psi_q_wb[2, 0]) < 0.01 * fm.psi_d_wb[2, 0]


def test_torque_is_energy_consistent_with_flux_linkages(fmap):
    fm, _ = fmap
    idg, iqg = np.meshgrid(fm.id_a, fm.iq_a, indexing="ij")
    t_dq = 1.5 * fm.pole_pairs * (fm.psi_d_wb * iqg - fm.psi_q_wb * idg)
    loaded = iqg > 0
    np.testing.assert_allclose(fm.torque_nm[loaded], t_dq[loaded], rtol=0.02)
    assert np.all(fm.torque_nm[loaded] > 0)  # positive iq motoring
    assert np.all(np.isfinite(fm.torque_ripple_pct)) and np.all(fm.torque_ripple_pct >= 0)


def test_psi_q_is_odd_in_iq_and_psi_d_even(model, i_max):
    solver = compute.Solver(model.problem)
    ctx = compute._context(model, N_POS, 1, solver)
    i_d = -0.5 * i_max

    def point(i_q):
        sols = compute._solve_point(ctx, solver, i_d, i_q, ctx.no_load_a, compute.FactorCache())
        return compute._point(ctx, sols)

    plus = point(0.6 * i_max)
    minus = point(-0.6 * i_max)
    zero = point(0.0)
    assert minus[1] == pytest.approx(-plus[1], rel=0.01)
    assert minus[0] == pytest.approx(plus[0], rel=0.01)
    assert abs(zero[1]) < 0.01 * abs(plus[1])
    assert plus[1] > 0


def test_psi_q_increases_with_iq_and_psi_d_with_id(fmap):
    fm, _ = fmap
    assert np.all(np.diff(fm.psi_q_wb, axis=1) > 0)
    assert np.all(np.diff(fm.psi_d_wb, axis=0) > 0)


def test_losses_are_non_negative_and_present(fmap):
    fm, _ = fmap
    for name in (
        "iron_hyst_w_per_hz",
        "iron_eddy_w_per_hz2",
        "iron_excess_w_per_hz1_5",
        "magnet_eddy_w_per_hz2",
    ):
        a = getattr(fm, name)
        assert np.all(a >= 0), name
    assert fm.iron_hyst_w_per_hz[2, 0] > 0
    assert fm.iron_eddy_w_per_hz2[2, 0] > 0
    assert fm.magnet_eddy_w_per_hz2[2, -1] > 0
    # the stator share is part of the total
    assert np.all(np.array(fm.meta["stator_iron_eddy_w_per_hz2"]) <= fm.iron_eddy_w_per_hz2)


def test_cache_hit_returns_identical_arrays(model, i_max, fmap):
    fm, cache = fmap
    files = list(cache.glob("*.npz"))
    assert len(files) == 1 and files[0].stem == fm.meta["hash"]
    again = flux_map(
        model,
        id_a=[-i_max, -0.5 * i_max, 0.0, 0.25 * i_max],
        iq_a=[0.0, 0.5 * i_max, i_max],
        positions=N_POS,
        cache_dir=cache,
    )
    assert again.meta["hash"] == fm.meta["hash"]
    for name in ("psi_d_wb", "psi_q_wb", "torque_nm", "iron_eddy_w_per_hz2"):
        np.testing.assert_array_equal(getattr(again, name), getattr(fm, name))


def test_executor_result_is_identical_to_serial(model, i_max):
    kw = dict(id_a=[-0.5 * i_max, 0.0], iq_a=[0.0, i_max], positions=6, cache_dir=False)
    serial = flux_map(model, **kw)
    with ThreadPoolExecutor(max_workers=2) as ex:
        par = flux_map(model, executor=ex, **kw)
    for name in ("psi_d_wb", "psi_q_wb", "torque_nm", "iron_hyst_w_per_hz"):
        np.testing.assert_array_equal(getattr(par, name), getattr(serial, name))
    np.testing.assert_array_equal(par.magnet_eddy_w_per_hz2, serial.magnet_eddy_w_per_hz2)


def test_default_grid_spans_the_current_limit(model, tmp_path):
    fm = flux_map(model, grid=(3, 2), positions=6, current_limit_a=10.0, cache_dir=tmp_path)
    np.testing.assert_allclose(fm.id_a, [-10.0, 0.0, 10.0])
    np.testing.assert_allclose(fm.iq_a, [0.0, 10.0])
    assert fm.meta["current_limit_a"] == 10.0


# --- the loss formulas against the steel's own loss model --------------------------------


def _weights(c, el):
    one = np.ones(len(el))
    return compute._SteelWeights(
        el=el, inv_kf=one, kh=c["kh"] * one, alpha=c["alpha"] * one, kc=c["kc"] * one,
        ke=c["ke"] * one,
    )  # fmt: skip


def _one_element_ctx(model, steel):
    lm = steel.loss_model.coefficients
    return compute._Context(
        model=model,
        theta=np.zeros(1),
        theta_e=np.zeros(1),
        offsets=np.zeros(3),
        arkkio=None,  # type: ignore[arg-type]
        stator=_weights(lm, np.zeros(1, np.int64)),
        rotor=_weights(lm, np.zeros(0, np.int64)),
        magnet_el=np.zeros(0, np.int64),
        magnet_dir=np.zeros((0, 2)),
        magnet_w_d=np.zeros(0),
        magnet_w_u=np.zeros(0),
    )


@settings(max_examples=25, deadline=None)
@given(
    b0=st.floats(0.1, 1.8),
    phase=st.floats(0.0, 2 * math.pi),
    f=st.floats(10.0, 1000.0),
    direction=st.floats(0.0, math.pi),
)
def test_sinusoidal_stator_loss_equals_the_steel_model(model, b0, phase, f, direction):
    steel = model.problem.steels[0]
    ctx = _one_element_ctx(model, steel)
    n = 12
    th = 2 * math.pi * np.arange(n) / n
    # an alternating field along `direction`: both components, each sinusoidal
    wave = b0 * np.sin(th + phase)
    b = np.stack([wave * math.cos(direction), wave * math.sin(direction)], axis=-1)[:, None, :]
    h, e, x = compute._stator_losses(ctx, b)
    c = steel.loss_model.coefficients
    # per component: the model at that component's peak
    expect = sum(
        float(steel.iron_loss_w_per_kg(f, abs(b0 * t)))
        for t in (math.cos(direction), math.sin(direction))
    )
    assert h * f + e * f**2 + x * f**1.5 == pytest.approx(expect, rel=1e-3, abs=1e-9)
    # eddy part exactly kc f² B²
    assert e == pytest.approx(c["kc"] * b0**2, rel=1e-9)


def test_rotor_time_domain_loss_matches_a_sinusoid(model):
    steel = model.problem.steels[0]
    c = steel.loss_model.coefficients
    n = 720
    th = 2 * math.pi * np.arange(n) / n
    b = np.stack([0.3 * np.sin(th), np.zeros(n)], axis=-1)[:, None, :]
    h, e, x = compute._rotor_losses(_weights(c, np.zeros(1, np.int64)), b)
    assert h == pytest.approx(c["kh"] * 0.3 ** c["alpha"], rel=1e-4)
    assert e == pytest.approx(c["kc"] * 0.09, rel=5e-3)  # N - 1 intervals of N
    assert x == pytest.approx(c["ke"] * 0.3**1.5, rel=5e-3)


def test_rectangle_eddy_factor():
    a = np.array([1.0, 1.0])
    b = np.array([1.0, 1e4])
    g = compute._rect_factor(a, b)
    # square: torsion constant 0.1406 a⁴ → J/(4 a²) = 0.03515 a²; thin plate: a²/12
    assert g[0] == pytest.approx(0.1406 / 4, rel=2e-3)
    assert g[1] == pytest.approx(1 / 12, rel=1e-3)
    np.testing.assert_allclose(compute._rect_factor(b, a), g)


def test_more_axial_segments_cut_magnet_loss(model):
    area = np.abs(signed_triangle_areas(model.problem.nodes, model.problem.triangles))
    d1, u1 = compute._magnet_weights(model, area, 1)
    d8, u8 = compute._magnet_weights(model, area, 8)
    assert np.all(d1 > 0) and np.all(u1 > 0)
    assert np.all(d8 < d1) and np.all(u8 <= u1)
    # thin-segment limit σ·V·4π²·l²/12 (l = segment length ≪ width; correction ~ 0.63·l/w)
    many = compute._magnet_weights(model, area, 1000)[0]
    sigma = 1 / model.magnet_grade.resistivity_ohm_m
    length = model.machine.magnet_axial_length_m
    vol = area[model.magnet_elements] * length * model.symmetry_factor
    np.testing.assert_allclose(
        many, sigma * vol * 4 * math.pi**2 * (length / 1000) ** 2 / 12, rtol=1e-2
    )


def test_steel_without_loss_data_gives_zero_iron_loss_and_a_note():
    m = field_model(examples.spm_servo_12s10p(), mesh_scale=MESH)  # M270-35A: no loss table
    fm = flux_map(m, id_a=[-5.0, 0.0], iq_a=[0.0, 5.0], positions=6, cache_dir=False)
    assert np.all(fm.iron_hyst_w_per_hz == 0) and np.all(fm.iron_eddy_w_per_hz2 == 0)
    assert any("M270-35A" in n for n in fm.meta["notes"])
    assert np.all(fm.magnet_eddy_w_per_hz2[:, 1] > 0)


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"positions": 3}, "positions"),
        ({"positions": 12.0}, "positions"),
        ({"grid": (2, 5)}, r"grid\[0\]"),
        ({"grid": (5, 1)}, r"grid\[1\]"),
        ({"grid": 5}, "grid"),
        ({"id_a": [0.0, -1.0]}, "id_a"),
        ({"id_a": [0.0, float("nan")]}, "id_a"),
        ({"id_a": [[0.0, 1.0]]}, "id_a"),
        ({"iq_a": [-1.0, 1.0]}, "iq_a"),
        ({"current_limit_a": float("inf")}, "current_limit_a"),
        ({"current_limit_a": -1.0}, "current_limit_a"),
        ({"magnet_axial_segments": 0}, "magnet_axial_segments"),
        ({"executor": "pool"}, "executor"),
        ({"cache_dir": 1.5}, "cache_dir"),
    ],
)
def test_bad_input_names_the_field(model, kwargs, field):
    with pytest.raises(InputError, match=field):
        flux_map(model, **kwargs)


def test_bad_machine_and_mesh_scale():
    with pytest.raises(InputError, match="machine_or_model"):
        flux_map("prius")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="mesh_scale"):
        flux_map(examples.spm_servo_12s10p(), mesh_scale="coarse")  # type: ignore[arg-type]


def test_steinmetz_steel_is_refused(model):
    import dataclasses

    from repm.steels import IronLossModel

    st0 = model.problem.steels[0]
    stm = dataclasses.replace(
        st0, loss_model=IronLossModel("steinmetz", (1.0, 1.5, 2.0), ("k", "a", "b"))
    )
    problem = dataclasses.replace(model.problem, steels=(stm, *model.problem.steels[1:]))
    bad = dataclasses.replace(model, problem=problem)
    with pytest.raises(InputError, match="loss_model"):
        flux_map(bad, grid=(3, 2), positions=6, cache_dir=False)


@pytest.mark.slow
def test_process_pool_result_is_identical_to_serial(model, i_max):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    kw = dict(id_a=[-0.5 * i_max, 0.0], iq_a=[0.0, i_max], positions=6, cache_dir=False)
    serial = flux_map(model, **kw)
    # "spawn": a forked child inherits the parent's Rust thread-pool state without its threads
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        par = flux_map(model, executor=ex, **kw)
    for name in ("psi_d_wb", "psi_q_wb", "torque_nm", "iron_eddy_w_per_hz2"):
        np.testing.assert_array_equal(getattr(par, name), getattr(serial, name))
