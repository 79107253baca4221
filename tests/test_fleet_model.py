"""Hand-computed single-motor cases of the fleet model (energy, speed effect, payback, NPV, IRR)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from repm import fleet
from repm.standards.iec60034_30_1 import minimum_efficiency
from repm.standards.part_load import ROTOR_COPPER_SHARE, induction_part_load, pm_constant_loss_share


def one_motor(**over: object) -> fleet.Inventory:
    row: dict[str, object] = {
        "motor_id": "P-1",
        "rated_kw": 11.0,
        "poles": 4,
        "frequency_hz": 50,
        "nameplate_efficiency_pct": 90.0,
        "full_load_speed_rpm": 1475.0,
        "load_type": "cubic",
        "load_factor": 1.0,
        "hours_per_year": 8000.0,
        "electricity_price_per_kwh": 0.1,
        "emission_factor_kg_per_kwh": 0.5,
        "replacement_cost": 2000.0,
    }
    row.update(over)
    return fleet.validate({k: [v] for k, v in row.items()})


def annuity(r: float, g: float, n: int) -> float:
    return sum((1 + g) ** (t - 1) / (1 + r) ** t for t in range(1, n + 1))


def test_single_motor_by_hand() -> None:
    s = fleet.Scenario()
    r = fleet.evaluate(one_motor(), s)
    m = {k: v[0] for k, v in r.motors.items()}
    # At full load the constant-loss share drops out: P_in = P_N·(1 + λ).
    p_im = 11.0 * (1.0 + (100.0 / 90.0 - 1.0))
    eta4 = minimum_efficiency("IE4", 11.0, 4, 50).efficiency_pct
    lam4 = 100.0 / eta4 - 1.0
    p_trim = 11.0 * (1.0 + lam4)
    ratio = (1500.0 / 1475.0) ** 3
    c0 = pm_constant_loss_share()
    p_untrim = 11.0 * (ratio + lam4 * (c0 + (1.0 - c0) * ratio**2))
    assert m["baseline_kwh"] == pytest.approx(8000 * p_im, rel=1e-12)
    assert m["pm_trimmed_kwh"] == pytest.approx(8000 * p_trim, rel=1e-12)
    assert m["pm_untrimmed_kwh"] == pytest.approx(8000 * p_untrim, rel=1e-12)
    sav = 8000 * (p_im - p_trim)  # cubic load on DOL, trim = mechanical (default)
    assert m["trimmed"]
    assert m["savings_kwh"] == pytest.approx(sav, rel=1e-12)
    value = sav * 0.1
    assert m["annual_value"] == pytest.approx(value, rel=1e-12)
    assert m["capex"] == 2000.0
    assert m["payback_years"] == pytest.approx(2000.0 / value, rel=1e-12)
    a = annuity(s.discount_rate, s.escalation, s.horizon_years)
    assert m["npv"] == pytest.approx(value * a - 2000.0, rel=1e-9, abs=1e-9)
    assert m["co2_t_per_year"] == pytest.approx(sav * 0.5 / 1000.0, rel=1e-12)
    # IRR: independent bisection on NPV(r) = 0, to 1e-9.
    lo, hi = -0.99, 10.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if value * annuity(mid, s.escalation, s.horizon_years) - 2000.0 > 0:
            lo = mid
        else:
            hi = mid
    assert m["irr"] == pytest.approx(0.5 * (lo + hi), abs=1e-9)
    assert value * annuity(m["irr"], s.escalation, s.horizon_years) == pytest.approx(
        2000.0, rel=1e-9
    )


def test_speed_effect_4pole_1475_to_1500_cubic() -> None:
    r = fleet.evaluate(one_motor(), fleet.Scenario(trim="none"))
    m = {k: v[0] for k, v in r.motors.items()}
    assert m["im_speed_rpm"] == pytest.approx(1475.0, rel=1e-12)
    assert m["sync_speed_rpm"] == 1500.0
    assert m["shaft_power_increase_pct"] == pytest.approx(100 * ((1500 / 1475) ** 3 - 1), rel=1e-12)
    assert round(m["shaft_power_increase_pct"], 1) == 5.2
    # The faster pump eats the efficiency gain: untrimmed uses MORE energy, trimmed saves.
    assert m["savings_untrimmed_kwh"] < 0 < m["savings_trimmed_kwh"]
    assert m["savings_kwh"] == m["savings_untrimmed_kwh"]  # trim = none
    assert math.isnan(m["irr"]) and m["payback_years"] == math.inf and m["npv"] < -2000.0


@pytest.mark.parametrize(("load_type", "k"), [("cubic", 3), ("quadratic", 2), ("constant", 1)])
def test_affinity_exponents(load_type: str, k: int) -> None:
    r = fleet.evaluate(one_motor(load_type=load_type), fleet.Scenario(trim="none"))
    assert r.motors["shaft_power_increase_pct"][0] == pytest.approx(
        100 * ((1500 / 1475) ** k - 1), rel=1e-12
    )
    # Constant-torque loads are never trimmed; variable-torque ones are by default.
    assert bool(fleet.evaluate(one_motor(load_type=load_type)).motors["trimmed"][0]) == (k >= 2)


def test_vsd_motor_has_no_speed_effect_and_vsd_trim_charges_drive_losses() -> None:
    r = fleet.evaluate(one_motor(drive="VSD"), fleet.Scenario(trim="none"))
    assert r.motors["shaft_power_increase_pct"][0] == 0.0
    assert r.motors["savings_untrimmed_kwh"][0] == pytest.approx(r.motors["savings_trimmed_kwh"][0])
    s = fleet.Scenario(trim="vsd")
    r2 = fleet.evaluate(one_motor(replacement_cost=None), s)
    eta4 = minimum_efficiency("IE4", 11.0, 4, 50).efficiency_pct
    p_trim = 11.0 * (100.0 / eta4) / s.costs.vsd_efficiency
    assert r2.motors["pm_trimmed_kwh"][0] == pytest.approx(8000 * p_trim, rel=1e-12)
    c = s.costs
    motor = c.price_coef * 11.0**c.price_exp * c.class_multiplier_ie4
    assert r2.motors["capex_motor"][0] == pytest.approx(motor, rel=1e-12)
    assert r2.motors["capex_installation"][0] == pytest.approx(
        c.install_fraction * motor + c.install_fixed, rel=1e-12
    )
    assert r2.motors["capex_trim"][0] == pytest.approx(c.vsd_coef * 11.0**c.vsd_exp, rel=1e-12)


def test_part_load_uses_the_standards_models_and_class_minimum() -> None:
    # IE2 class, no nameplate, no full-load speed: efficiency = IE2 minimum, MEASUR c0, slip from
    # the rotor-copper share.
    inv = one_motor(
        nameplate_efficiency_pct=None,
        efficiency_class="IE2",
        full_load_speed_rpm=None,
        load_factor=0.6,
    )
    r = fleet.evaluate(inv, fleet.Scenario(trim="none"))
    curve = induction_part_load(11.0, 4, "IE2", 50.0, [0.6])
    eta = curve.efficiency[0]
    assert r.motors["im_efficiency_pct"][0] == curve.rated_efficiency_pct
    assert r.motors["baseline_kwh"][0] == pytest.approx(8000 * 11.0 * 0.6 / eta, rel=1e-12)
    assert r.motors["im_speed_rpm"][0] == pytest.approx(curve.speed_rpm[0], rel=1e-12)
    lam = 100.0 / curve.rated_efficiency_pct - 1.0
    assert r.prepared.columns["im_slip_rated"][0] == pytest.approx(
        ROTOR_COPPER_SHARE * lam / (1 + ROTOR_COPPER_SHARE * lam), rel=1e-12
    )
    assert any("rotor copper" in n for n in r.notes)


def test_load_profile_and_tou_tariff() -> None:
    inv = one_motor(
        load_factor=None,
        hours_per_year=None,
        load_profile="0.5:4000;1.0:2000",
        electricity_price_per_kwh=None,
        tou_tariff="1000@0.2;3000@0.1",
    )
    assert inv.price_per_kwh[0] == pytest.approx((1000 * 0.2 + 3000 * 0.1) / 4000)
    r = fleet.evaluate(inv)
    single_a = fleet.evaluate(one_motor(load_factor=0.5, hours_per_year=4000.0))
    single_b = fleet.evaluate(one_motor(load_factor=1.0, hours_per_year=2000.0))
    for k in ("baseline_kwh", "pm_trimmed_kwh", "pm_untrimmed_kwh"):
        assert r.motors[k][0] == pytest.approx(
            single_a.motors[k][0] + single_b.motors[k][0], rel=1e-12
        )
    assert r.motors["hours"][0] == 6000.0
    assert r.motors["mean_load"][0] == pytest.approx((0.5 * 4000 + 2000) / 6000)


def test_magnet_mass_and_rare_earths() -> None:
    s = fleet.Scenario()
    r = fleet.evaluate(one_motor(), s)
    torque = 11000.0 / (2 * math.pi * 1500 / 60)
    assert r.motors["magnet_kg"][0] == pytest.approx(s.magnet.g_per_nm / 1000 * torque, rel=1e-12)
    from repm import magnets

    fr = magnets.grade("N42SH").element_fractions()
    assert r.motors["Dy_kg"][0] == pytest.approx(r.motors["magnet_kg"][0] * fr["Dy"], rel=1e-12)
    ce = fleet.evaluate(one_motor(), fleet.Scenario(magnet_grade="Ce30-NdFeB"))
    g, ref = magnets.grade("Ce30-NdFeB"), magnets.grade("N42SH")
    factor = ref.br_t / g.br_t * g.density_kg_per_m3 / ref.density_kg_per_m3
    assert ce.motors["magnet_kg"][0] == pytest.approx(r.motors["magnet_kg"][0] * factor, rel=1e-12)
    assert ce.motors["Ce_kg"][0] > 0 and ce.motors["Dy_kg"][0] == 0
    d = fleet.rare_earth_demand(10.0, "N42SH")
    assert d["element_kg"]["Nd"] == pytest.approx(10 * fr["Nd"])
    assert set(d["oxide_kg"]) == {"Nd2O3", "Pr6O11", "Dy2O3"}
    assert d["total_cost_usd"] == pytest.approx(sum(d["cost_usd"].values()))


def test_selection_budget_and_objectives() -> None:
    inv = fleet.load_inventory("examples/fleet/steel_plant.csv")
    r = fleet.evaluate(inv)
    p = fleet.select(r, budget=1e6)
    assert p.totals["capex"] <= 1e6
    assert p.objective_total <= p.upper_bound * (1 + 1e-12)
    assert p.objective_total >= 0.99 * p.upper_bound
    assert np.all(r.motors["npv"][p.selected] > 0)
    assert len(p.selected_ids) == p.totals["motors"]
    ranks = [int(p.rank[list(r.motors["motor_id"]).index(m)]) for m in p.selected_ids]
    assert ranks == sorted(ranks)
    allp = fleet.select(r)
    assert allp.totals["motors"] == int((r.motors["npv"] > 0).sum())
    co2 = fleet.select(r, budget=1e6, objective="co2")
    assert co2.totals["co2_savings_t_per_year"] >= p.totals["co2_savings_t_per_year"]
    assert sum(v["motors"] for v in p.by_site.values()) == p.totals["motors"]
    assert sum(v["capex"] for v in p.by_sector.values()) == pytest.approx(p.totals["capex"])
    assert p.rare_earth["magnet_kg"] == pytest.approx(p.totals["magnet_kg"])
