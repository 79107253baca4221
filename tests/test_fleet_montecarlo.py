"""Monte Carlo and program results: independent of row order, chunking and executor; Dask;
hypothesis over random valid inventories."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repm import InputError, fleet

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fleet" / "steel_plant.csv"
SETTINGS = fleet.MonteCarlo(samples=32, seed=11)


@pytest.fixture(scope="module")
def small() -> fleet.FleetResult:
    inv = fleet.load_inventory(EXAMPLE)
    return fleet.evaluate(inv.take(np.arange(0, 4000, 13)))  # 308 motors, every feature


def same_mc(a: fleet.MonteCarloResult, b: fleet.MonteCarloResult) -> None:
    for k in a.totals:
        np.testing.assert_array_equal(a.totals[k], b.totals[k])
    for k in a.motors:
        np.testing.assert_array_equal(a.motors[k], b.motors[k])


def test_chunking_and_threads_give_identical_bits(small: fleet.FleetResult) -> None:
    serial = fleet.monte_carlo(small, SETTINGS)
    for chunk in (1, 7, 100, 1000):
        same_mc(serial, fleet.monte_carlo(small, SETTINGS, chunk_size=chunk))
    with ThreadPoolExecutor(3) as ex:
        same_mc(serial, fleet.monte_carlo(small, SETTINGS, executor=ex, chunk_size=29))
    calls: list[int] = []
    fleet.monte_carlo(small, SETTINGS, chunk_size=100, progress=calls.append)
    assert calls == [1, 2, 3, 4]


def test_row_order_does_not_matter(small: fleet.FleetResult) -> None:
    rng = np.random.default_rng(3)
    perm = rng.permutation(len(small))
    inv = fleet.load_inventory(EXAMPLE).take(np.arange(0, 4000, 13))
    shuffled = fleet.evaluate(inv.take(perm))
    for k in ("npv", "irr", "savings_kwh", "capex", "magnet_kg"):
        np.testing.assert_array_equal(shuffled.motors[k], small.motors[k][perm])
    a = fleet.monte_carlo(small, SETTINGS)
    b = fleet.monte_carlo(shuffled, SETTINGS, chunk_size=50)
    for k in a.totals:
        np.testing.assert_array_equal(a.totals[k], b.totals[k])
    np.testing.assert_array_equal(a.motors["npv_p50"][perm], b.motors["npv_p50"])
    pa, pb = fleet.select(small, budget=3e5), fleet.select(shuffled, budget=3e5)
    assert pa.selected_ids == pb.selected_ids
    assert pa.totals == pb.totals


def test_selected_totals_and_spread(small: fleet.FleetResult) -> None:
    prog = fleet.select(small, budget=2e5)
    mc = fleet.monte_carlo(small, SETTINGS, include=prog.selected)
    assert mc.included == prog.totals["motors"]
    p = mc.percentiles["npv"]
    assert p["p10"] < p["p50"] < p["p90"]
    # The deterministic program NPV lies inside the Monte Carlo range.
    assert mc.totals["npv"].min() < prog.totals["npv"] < mc.totals["npv"].max()
    # Zero spread reproduces the deterministic totals (to the fixed-point resolution).
    zero = fleet.MonteCarlo(
        samples=3, load_rel_sd=0, hours_rel_sd=0, price_rel_sd=0, emission_rel_sd=0,
        efficiency_tolerance=False,
    )  # fmt: skip
    s0 = fleet.Scenario(magnet=fleet.MagnetModel(rel_sd=0.0))
    r0 = fleet.evaluate(fleet.load_inventory(EXAMPLE).take(np.arange(0, 4000, 13)), s0)
    mc0 = fleet.monte_carlo(r0, zero, include=prog.selected)
    assert mc0.totals["npv"][0] == pytest.approx(prog.totals["npv"], abs=1.0)
    assert mc0.totals["co2_savings_t_per_year"][2] == pytest.approx(
        prog.totals["co2_savings_t_per_year"], abs=1e-3
    )
    assert mc0.totals["magnet_kg"][1] == pytest.approx(prog.totals["magnet_kg"], rel=1e-12)
    np.testing.assert_allclose(mc0.motors["npv_p90"], r0.motors["npv"], rtol=1e-9, atol=1e-6)


def test_monte_carlo_errors(small: fleet.FleetResult) -> None:
    with pytest.raises(InputError, match="include"):
        fleet.monte_carlo(small, SETTINGS, include=[True])
    with pytest.raises(InputError, match="chunk_size"):
        fleet.monte_carlo(small, SETTINGS, chunk_size=0)
    with pytest.raises(InputError, match="budget"):
        fleet.select(small, budget=-1.0)
    with pytest.raises(InputError, match="objective"):
        fleet.select(small, objective="fun")


def test_kernel_rejects_nan_columns(small: fleet.FleetResult) -> None:
    from repm import _core

    cols = dict(small.prepared.columns)
    cols["price_per_kwh"] = cols["price_per_kwh"].copy()
    cols["price_per_kwh"][5] = np.nan
    with pytest.raises(InputError, match=r"price_per_kwh\[5\] = NaN"):
        _core.fleet_evaluate(cols, 0.08, 0.02, 15)
    cols = dict(small.prepared.columns)
    cols["on_vsd"] = cols["on_vsd"].astype(np.float64)
    with pytest.raises(InputError, match="on_vsd"):
        _core.fleet_evaluate(cols, 0.08, 0.02, 15)
    del cols["capex"]
    with pytest.raises(InputError, match="capex is missing"):
        _core.fleet_evaluate(cols, 0.08, 0.02, 15)
    with pytest.raises(InputError, match="horizon_years"):
        _core.fleet_evaluate(dict(small.prepared.columns), 0.08, 0.02, 0)


def test_work_units_are_picklable(small: fleet.FleetResult) -> None:
    prep = small.prepared.take(np.arange(10))
    args = (prep.columns, np.ones(10, dtype=bool), small.scenario, SETTINGS)
    back = pickle.loads(pickle.dumps(args))
    a, b = fleet.run_chunk(*args), fleet.run_chunk(*back)
    assert a["total_npv"] == b["total_npv"]
    r = pickle.loads(pickle.dumps(small))
    np.testing.assert_array_equal(r.motors["npv"], small.motors["npv"])


def test_dask_local_cluster_equals_serial(small: fleet.FleetResult) -> None:
    distributed = pytest.importorskip("distributed")
    serial = fleet.monte_carlo(small, SETTINGS)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        mc = fleet.monte_carlo(small, SETTINGS, executor=client.get_executor(), chunk_size=61)
    same_mc(serial, mc)


ROW = st.fixed_dictionaries(
    {
        "rated_kw": st.sampled_from([0.75, 2.2, 7.5, 15.0, 37.0, 90.0, 200.0, 400.0]),
        "poles": st.sampled_from([2, 4, 6]),
        "frequency_hz": st.sampled_from([50, 60]),
        "efficiency_class": st.sampled_from(["IE1", "IE2", "IE3", "IE4", ""]),
        "nameplate_efficiency_pct": st.floats(70.0, 97.0),
        "load_type": st.sampled_from(["cubic", "quadratic", "constant"]),
        "load_factor": st.floats(0.05, 1.5),
        "hours_per_year": st.floats(0.0, 8760.0),
        "electricity_price_per_kwh": st.floats(0.0, 0.5),
        "emission_factor_kg_per_kwh": st.floats(0.0, 1.2),
        "drive": st.sampled_from(["DOL", "VSD"]),
        "slip": st.floats(0.005, 0.06),
    }
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(ROW, min_size=1, max_size=25),
    trim=st.sampled_from(["none", "mechanical", "vsd"]),
    target=st.sampled_from(["IE4", "IE5"]),
)
def test_random_inventories_no_nan_and_consistent_signs(rows: list, trim: str, target: str) -> None:
    keys = ["rated_kw", "poles", "frequency_hz", "efficiency_class", "nameplate_efficiency_pct",
            "load_type", "load_factor", "hours_per_year", "electricity_price_per_kwh",
            "emission_factor_kg_per_kwh", "drive"]  # fmt: skip
    cols: dict[str, list] = {k: [] for k in keys}
    cols["motor_id"] = [f"m{i}" for i in range(len(rows))]
    cols["full_load_speed_rpm"] = []
    for r in rows:
        for k in keys:
            known_class = k == "nameplate_efficiency_pct" and r["efficiency_class"]
            cols[k].append(None if known_class else r[k])
        cols["full_load_speed_rpm"].append(120.0 * r["frequency_hz"] / r["poles"] * (1 - r["slip"]))
    inv = fleet.validate(cols)
    res = fleet.evaluate(inv, fleet.Scenario(trim=trim, target_class=target))
    m = res.motors
    value = m["annual_value"]
    finite = ("savings_kwh", "npv", "capex", "co2_t_per_year", "magnet_kg", "baseline_kwh",
              "savings_untrimmed_kwh", "savings_trimmed_kwh")  # fmt: skip
    for k in (*finite, "shaft_power_increase_pct"):
        assert np.all(np.isfinite(m[k])), k
    # IRR is defined only with positive savings (and not below -99.9999 %/year).
    assert np.all(np.isnan(m["irr"]) | (value > 0))
    big = value * res.scenario.horizon_years > 2 * m["capex"]
    assert np.all(np.isfinite(m["irr"][big]) & (m["irr"][big] > 0))
    assert np.all(m["payback_years"][big] < res.scenario.horizon_years / 2)
    assert np.all(np.isinf(m["payback_years"]) | (value > 0))
    assert np.all(m["capex"] > 0) and np.all(m["magnet_kg"] > 0)
    assert np.all(m["shaft_power_increase_pct"] >= 0)
    # Untrimmed, the load draws at least as much as trimmed (mechanical trim has no losses).
    if trim != "vsd":
        assert np.all(m["savings_trimmed_kwh"] >= m["savings_untrimmed_kwh"] - 1e-9)
    assert np.all(np.sign(m["co2_t_per_year"]) * np.sign(m["savings_kwh"]) >= 0)
    assert np.all(np.where(value > 0, m["npv"] >= -m["capex"], m["npv"] <= -m["capex"]))
    prog = fleet.select(res, budget=float(m["capex"].sum()) / 2)
    assert prog.totals["capex"] <= m["capex"].sum() / 2 + 1e-6
    mc = fleet.monte_carlo(res, fleet.MonteCarlo(samples=8, seed=5), include=prog.selected)
    for v in mc.totals.values():
        assert not np.any(np.isnan(v))
    assert np.all(np.isfinite(mc.motors["npv_p10"]))
