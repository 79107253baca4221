"""Public API of repm.magnets: catalogue, temperature model, curves, errors, pickling, bills."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm import magnets

MU0 = 1.25663706212e-6


def test_required_series_present() -> None:
    names = set(magnets.list_grades())
    for n in ["N35", "N38", "N40", "N42", "N45", "N48", "N50", "N52", "N55"]:
        assert n in names
    for n in ["N42M", "N42H", "N42SH", "N42UH", "N38EH", "N35AH", "N48H-GBD-Tb", "N42SH-GBD-Dy"]:
        assert n in names
    for fam in [
        "sintered_ndfeb",
        "ce_ndfeb",
        "gbd_ndfeb",
        "smco5",
        "sm2co17",
        "ferrite",
        "bonded_ndfeb",
    ]:
        assert magnets.list_grades(fam), fam
    assert len(magnets.list_grades("ferrite")) >= 5


def test_lookup_case_insensitive() -> None:
    assert magnets.grade("n42sh").name == "N42SH"
    assert magnets.grade("  sm2co17-28 ").name == "Sm2Co17-28"


def test_unknown_grade_suggests_three() -> None:
    with pytest.raises(repm.UnknownMaterialError) as exc:
        magnets.grade("N42XH")
    msg = str(exc.value)
    assert "N42XH" in msg and "N42SH" in msg
    assert msg.split("closest names: ")[1].count(",") == 2
    assert isinstance(exc.value, LookupError) and isinstance(exc.value, repm.RepmError)


def test_unknown_family_and_bad_name_type() -> None:
    with pytest.raises(repm.InputError, match="family"):
        magnets.list_grades("alnico")
    with pytest.raises(repm.InputError):
        magnets.grade(42)  # type: ignore[arg-type]


def test_datasheet_temperature_formula() -> None:
    g = magnets.grade("N42SH")
    assert g.br_t_at(120.0) == pytest.approx(
        g.br_t * (1 + g.alpha_br_pct_per_c * 100 / 100), rel=1e-12
    )
    assert g.hcj_a_per_m_at(120.0) == pytest.approx(
        g.hcj_a_per_m * (1 + g.beta_hcj_pct_per_c * 100 / 100), rel=1e-12
    )
    assert isinstance(g.br_t_at(20.0), float)


def test_ferrite_beta_positive_and_low_temperature_is_worse() -> None:
    g = magnets.grade("Y30H-2")
    assert g.beta_hcj_pct_per_c > 0
    assert g.demag_margin(-100e3, -20.0) < g.demag_margin(-100e3, 80.0)


def test_temperature_out_of_range() -> None:
    g = magnets.grade("N42SH")
    with pytest.raises(repm.TemperatureRangeError, match=r"N42SH.*150"):
        g.br_t_at(151.0)
    with pytest.raises(repm.TemperatureRangeError):
        g.demag_margin(np.zeros(3), np.array([20.0, 30.0, -61.0]))
    with pytest.raises(repm.TemperatureRangeError):
        g.at_temperature(400.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_inf_raise_input_error(bad: float) -> None:
    g = magnets.grade("N42SH")
    with pytest.raises(repm.InputError, match="temperature_c"):
        g.br_t_at(bad)
    with pytest.raises(repm.InputError, match="h_"):
        g.demag_curve(np.array([0.0, bad]), 20.0)
    with pytest.raises(repm.InputError, match="h_along_magnetisation"):
        g.demag_margin(bad, 20.0)


def test_field_beyond_coercivity_and_bad_shapes() -> None:
    g = magnets.grade("N42SH")
    with pytest.raises(repm.InputError, match="HcJ"):
        g.demag_curve(-2.0 * g.hcj_a_per_m, 20.0)
    with pytest.raises(repm.InputError, match="broadcast"):
        g.demag_curve(np.zeros(3), np.zeros(4) + 20.0)
    with pytest.raises(repm.InputError):
        g.demag_curve("abc", 20.0)


def test_vectorisation_shapes_and_broadcasting() -> None:
    g = magnets.grade("N45SH")
    h = np.linspace(-600e3, 0.0, 12).reshape(3, 4)
    b = g.demag_curve(h, 80.0)
    assert b.shape == (3, 4)
    m = g.demag_margin(h, np.array([20.0, 60.0, 100.0, 140.0]))
    assert m.shape == (3, 4)
    assert g.br_t_at(np.array([[20.0, 40.0]])).shape == (1, 2)
    elementwise = [g.demag_curve(float(x), 80.0) for x in h.ravel()]
    np.testing.assert_allclose(b.ravel(), elementwise, rtol=0, atol=0)
    assert isinstance(g.demag_margin(-1e5, 20.0), float)


def test_curve_end_points_and_knee() -> None:
    g = magnets.grade("N38UH")
    for t in (-40.0, 20.0, 150.0):
        hcj = g.hcj_a_per_m_at(t)
        assert g.intrinsic_curve(0.0, t) == pytest.approx(g.br_t_at(t), rel=1e-12)
        assert abs(g.intrinsic_curve(-hcj, t)) < 1e-9
        assert g.demag_curve(-hcj, t) == pytest.approx(-MU0 * hcj, rel=1e-6)
        knee = g.knee_field_a_per_m(t)
        assert -hcj < knee < 0
        assert g.demag_margin(knee, t) == pytest.approx(0.0, abs=1e-6)
        j_rec = g.br_t_at(t) + (g.mu_rec - 1) * MU0 * knee
        assert g.intrinsic_curve(knee, t) == pytest.approx(0.9 * j_rec, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(
        ["N35", "N42SH", "N35AH", "SmCo5-20", "Sm2Co17-30H", "Y35", "BN-12", "Ce40-NdFeB"]
    ),
    frac=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30),
    tfrac=st.floats(0.0, 1.0),
)
def test_b_monotone_in_h(name: str, frac: list[float], tfrac: float) -> None:
    g = magnets.grade(name)
    t = g.min_temperature_c + tfrac * (g.max_working_temperature_c - g.min_temperature_c)
    h = -np.sort(np.array(frac))[::-1] * g.hcj_a_per_m_at(t)
    b = g.demag_curve(h, t)
    assert np.all(np.diff(b) >= -1e-12)


@settings(max_examples=60, deadline=None)
@given(h=st.floats(-1.5e6, 0.0), t1=st.floats(-60.0, 150.0), t2=st.floats(-60.0, 150.0))
def test_ndfeb_margin_decreases_with_temperature(h: float, t1: float, t2: float) -> None:
    g = magnets.grade("N42SH")
    lo, hi = sorted((t1, t2))
    assert g.demag_margin(h, hi) <= g.demag_margin(h, lo)


def test_at_temperature_keys() -> None:
    d = magnets.grade("N42SH").at_temperature(120.0)
    assert set(d) == {
        "temperature_c",
        "br_t",
        "hcj_a_per_m",
        "hcb_a_per_m",
        "knee_field_a_per_m",
        "bhmax_j_per_m3",
    }
    assert 0 < d["hcb_a_per_m"] <= d["hcj_a_per_m"]
    with pytest.raises(repm.InputError):
        magnets.grade("N42SH").at_temperature([20.0, 30.0])  # type: ignore[arg-type]


def test_pickle_and_dict_roundtrip() -> None:
    for name in ["N42SH", "Ce20-NdFeB", "N48H-GBD-Tb", "Y30"]:
        g = magnets.grade(name)
        assert pickle.loads(pickle.dumps(g)) == g
        assert magnets.MagnetGrade.from_dict(g.to_dict()) == g
    bill = magnets.grade("N42SH").element_bill(2.0)
    assert pickle.loads(pickle.dumps(bill)) == bill
    with pytest.raises(AttributeError):
        g.br_t = 2.0  # type: ignore[misc]


def test_provenance_labels() -> None:
    assert magnets.grade("N42").provenance.startswith("exact")
    for name in magnets.list_grades("ce_ndfeb") + magnets.list_grades("gbd_ndfeb"):
        assert magnets.grade(name).provenance == "model"
    for name in magnets.list_grades():
        g = magnets.grade(name)
        assert g.source and g.notes


# --- Ce family ----------------------------------------------------------------------------------


def test_ce_model_anchors_and_labels() -> None:
    g50 = magnets.ce_substituted(50)
    assert g50.br_t == pytest.approx(1.02, abs=1e-9)  # Materials 2024 17 3110
    assert magnets.ce_substituted(18).br_t == pytest.approx(1.22, abs=1e-9)  # Yu et al. 2021
    assert g50.hcj_a_per_m == 1026e3
    assert g50.curie_temperature_c == pytest.approx(226.0)
    assert g50.provenance == "model" and "MODEL" in g50.notes
    # alpha/beta are not the Ce-free values: scaled by the reduced Curie temperature
    g0 = magnets.ce_substituted(0)
    assert g0.alpha_br_pct_per_c == pytest.approx(-0.12)
    assert g50.alpha_br_pct_per_c < g0.alpha_br_pct_per_c
    assert g50.beta_hcj_pct_per_c < g0.beta_hcj_pct_per_c
    assert g50.max_working_temperature_c < g0.max_working_temperature_c
    comp = g50.composition()
    assert comp["Ce"] == pytest.approx(15.5) and comp["Dy"] == 0
    assert magnets.ce_substituted(20, hcj_a_per_m=1.2e6, name="mine").name == "mine"


@settings(max_examples=50, deadline=None)
@given(a=st.floats(0.0, 50.0), b=st.floats(0.0, 50.0))
def test_ce_br_non_increasing(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert magnets.ce_substituted(hi).br_t <= magnets.ce_substituted(lo).br_t


@pytest.mark.parametrize("bad", [-1.0, 50.1, math.nan])
def test_ce_share_out_of_range(bad: float) -> None:
    with pytest.raises(repm.InputError, match="ce_share_pct"):
        magnets.ce_substituted(bad)


def test_ce_bad_process_inputs() -> None:
    with pytest.raises(repm.InputError, match="hcj_a_per_m"):
        magnets.ce_substituted(20, hcj_a_per_m=-5.0)
    with pytest.raises(repm.InputError, match="br0_t"):
        magnets.ce_substituted(20, br0_t=2.5)


# --- custom grades -----------------------------------------------------------------------------

FULL = dict(
    name="MyMag",
    br_t=1.25,
    hcj_a_per_m=1.4e6,
    alpha_br_pct_per_c=-0.11,
    beta_hcj_pct_per_c=-0.55,
    max_working_temperature_c=140.0,
    density_kg_per_m3=7550.0,
    resistivity_ohm_m=1.5e-6,
    composition_wt_pct={"Nd": 23.0, "Pr": 7.0, "Dy": 1.0, "Fe": 67.9, "B": 1.1},
)


def test_custom_grade_full_and_from_base() -> None:
    g = magnets.custom_grade(**FULL)
    assert g.provenance == "user" and g.family == "custom"
    assert 0 < g.hcb_a_per_m <= g.hcj_a_per_m and g.bhmax_j_per_m3 > 0
    assert g.br_t_at(100.0) == pytest.approx(1.25 * (1 - 0.11 * 0.8))
    h = magnets.custom_grade(base="N42SH", br_t=1.25, name="N42SH-lowBr")
    assert h.br_t == 1.25 and h.hcj_a_per_m == magnets.grade("N42SH").hcj_a_per_m
    assert h.hcb_a_per_m != magnets.grade("N42SH").hcb_a_per_m  # recomputed from the curve
    assert magnets.grade_from_dict(g.to_dict()) == g


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"br_t": -1.0}, "br_t"),
        ({"br_t": math.nan}, "br_t"),
        ({"hcj_a_per_m": 0.0}, "hcj_a_per_m"),
        ({"mu_rec": 0.5}, "mu_rec"),
        ({"squareness": 1.5}, "squareness"),
        ({"max_working_temperature_c": -100.0}, "max_working_temperature_c"),
        ({"density_kg_per_m3": 0.0}, "density_kg_per_m3"),
        ({"resistivity_ohm_m": -1.0}, "resistivity_ohm_m"),
        ({"composition_wt_pct": {"Nd": 50.0}}, "composition_wt_pct"),
        ({"composition_wt_pct": {"Xx": 100.0}}, "Xx"),
        ({"family": "alnico"}, "family"),
        ({"beta_hcj_pct_per_c": -0.9}, "beta"),
        ({"hcb_a_per_m": 2e6}, "hcb_a_per_m"),
        ({"bhmax_j_per_m3": 9e5}, "bhmax_j_per_m3"),
        ({"colour": "red"}, "colour"),
        ({"br_t": "strong"}, "br_t"),
    ],
)
def test_custom_grade_invalid(change: dict[str, object], field: str) -> None:
    with pytest.raises(repm.InputError, match=field):
        magnets.custom_grade(**{**FULL, **change})


def test_custom_grade_missing_fields() -> None:
    with pytest.raises(repm.InputError, match="required"):
        magnets.custom_grade(name="x", br_t=1.0)


# --- element accounting ------------------------------------------------------------------------


def test_element_fractions_sum_to_one() -> None:
    for name in magnets.list_grades():
        fr = magnets.grade(name).element_fractions()
        assert sum(fr.values()) == pytest.approx(1.0, abs=1e-12), name


def test_element_bill_oxides_and_cost() -> None:
    g = magnets.grade("N42SH")
    bill = g.element_bill(2.0)
    assert bill.element_kg["Nd"] == pytest.approx(2.0 * g.composition()["Nd"] / 100)
    # Nd2O3 factor from standard atomic weights
    f = (2 * 144.242 + 3 * 15.999) / (2 * 144.242)
    assert bill.oxide_kg["Nd2O3"] == pytest.approx(bill.element_kg["Nd"] * f)
    prices = {p[0]: p[2] for p in magnets.default_prices()}
    fdy = (2 * 162.5 + 3 * 15.999) / (2 * 162.5)
    assert bill.cost_usd["Dy"] == pytest.approx(bill.element_kg["Dy"] * fdy * prices["Dy2O3"])
    assert bill.total_cost_usd == pytest.approx(sum(bill.cost_usd.values()))
    assert "Fe" in bill.unpriced
    assert all(p[3] and p[4] for p in bill.prices)  # dated, sourced


def test_user_prices_dict_and_csv(tmp_path) -> None:
    g = magnets.grade("N42SH")
    bill = g.element_bill(1.0, prices={"Dy": 1000.0, "Fe": 1.0})
    assert bill.cost_usd["Dy"] == pytest.approx(1000.0 * bill.element_kg["Dy"])
    assert bill.cost_usd["Fe"] == pytest.approx(bill.element_kg["Fe"])
    assert "Nd" in bill.unpriced
    path = tmp_path / "p.csv"
    path.write_text("item,basis,usd_per_kg,date,source\nTb4O7,oxide,1000,2025-01,me\n")
    tb = magnets.grade("N48H-GBD-Tb").element_bill(1.0, prices=path)
    assert tb.cost_usd["Tb"] > 0 and set(tb.cost_usd) == {"Tb"}


@pytest.mark.parametrize(
    "prices",
    [{"Unobtainium": 1.0}, {"Dy": -1.0}, {"Dy": "cheap"}, 42, "/nonexistent/prices.csv"],
)
def test_bad_prices(prices: object) -> None:
    with pytest.raises(repm.InputError):
        magnets.grade("N42SH").element_bill(1.0, prices=prices)  # type: ignore[arg-type]


def test_bad_mass() -> None:
    with pytest.raises(repm.InputError, match="mass_kg"):
        magnets.grade("N42SH").element_bill(math.nan)


def test_core_kernel_rejects_unknown_quantity_and_bad_model() -> None:
    from repm import _core

    g = magnets.grade("N42SH")
    t = np.array([20.0])
    with pytest.raises(repm.InputError, match="quantity"):
        _core.magnet_eval("flux", g._model(), t, t)
    bad = (-1.0, *g._model()[1:])
    with pytest.raises(repm.InputError, match="br_t"):
        _core.magnet_eval("br", bad, t, t)
