"""IEC 60034-2-1 evaluation: a synthetic record from a known loss model is recovered; order of
points does not matter; malformed records and rejected regressions raise StandardsError."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm.standards.iec60034_2_1 import GAMMA_MIN, evaluate
from repm.standards.records import Instrument, TestRecord
from repm.standards.synthetic import (
    InductionLossModel,
    synthetic_induction_record,
    synthetic_pm_record,
)

REC, TRUTH = synthetic_induction_record()


def _in_file_order(rep: repm.standards.iec60034_2_1.TestReport, key: str) -> np.ndarray:
    out = np.empty_like(rep.points[key])
    out[(rep.points["row"] - 1).astype(int)] = rep.points[key]
    return out


@pytest.mark.parametrize(
    "model",
    [
        InductionLossModel(),
        InductionLossModel(
            rated_power_kw=75.0,
            poles=2,
            resistance_ohm_20c=0.05,
            p_fw0_w=700.0,
            p_fe_rated_w=1100.0,
            p_ll_rated_w=900.0,
            magnetising_current_a=40.0,
            rated_slip_20c=0.012,
            coolant_temperature_c=35.0,
        ),
    ],
)
def test_synthetic_losses_recovered_within_0p1_pct_of_input(model: InductionLossModel) -> None:
    rec, truth = synthetic_induction_record(model)
    rep = evaluate(rec)
    p1 = truth["p1"]
    for key in ("p_s", "p_r", "p_fe", "p_fw", "p_ll"):
        err = np.abs(_in_file_order(rep, key + "_w") - truth[key]) / p1
        assert err.max() < 1e-3, (key, err.max())
    assert rep.regression is not None
    assert rep.regression.slope_a == pytest.approx(model.a_ll, rel=1e-3)
    assert rep.regression.gamma >= GAMMA_MIN
    assert rep.constant_losses["p_fw0_w"] == pytest.approx(model.p_fw0_w, rel=1e-3)
    assert rep.constant_losses["p_fe_at_rated_voltage_w"] == pytest.approx(
        model.p_fe_rated_w, rel=1e-3
    )


def test_correction_to_25c_coolant_follows_the_formula() -> None:
    rep = evaluate(REC)
    p = rep.points
    th = p["winding_temperature_c"]
    ratio = (235 + th + 25 - p["coolant_temperature_c"]) / (235 + th)
    np.testing.assert_allclose(p["p_s_corr_w"], p["p_s_w"] * ratio)
    # coolant 22 °C < 25 °C: corrected winding losses are higher, efficiency lower
    assert np.all(p["p_s_corr_w"] > p["p_s_w"])
    total = p["p_s_corr_w"] + p["p_r_corr_w"] + p["p_fe_w"] + p["p_fw_corr_w"] + p["p_ll_w"]
    np.testing.assert_allclose(p["efficiency"], 1 - total / p["p1_w"])


def test_efficiency_versus_load_is_reported_at_standard_loads() -> None:
    rep = evaluate(REC)
    assert set(rep.efficiency_vs_load_pct) == {25, 50, 75, 100, 125}
    p = rep.points
    load = (p["p1_w"] - p["total_loss_w"]) / 11000.0
    j = int(np.argmin(np.abs(load - 1.0)))
    assert rep.rated_efficiency_pct == pytest.approx(100 * p["efficiency"][j], abs=0.05)


def _permute(rec: TestRecord, perm_load: list[int], perm_nl: list[int]) -> TestRecord:
    return dataclasses.replace(
        rec,
        load={k: v[perm_load] for k, v in rec.load.items()},
        no_load={k: v[perm_nl] for k, v in rec.no_load.items()},
    )


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(6))), st.permutations(list(range(11))))
def test_results_do_not_depend_on_point_order(pl: list[int], pn: list[int]) -> None:
    base = evaluate(REC)
    rep = evaluate(_permute(REC, pl, pn))
    assert rep.efficiency_vs_load_pct == pytest.approx(base.efficiency_vs_load_pct, rel=1e-12)
    assert rep.regression is not None and base.regression is not None
    assert rep.regression.slope_a == pytest.approx(base.regression.slope_a, rel=1e-10)
    np.testing.assert_allclose(np.sort(rep.points["p_ll_w"]), np.sort(base.points["p_ll_w"]))


def _with_power(rec: TestRecord, deltas: dict[int, float]) -> TestRecord:
    power = rec.load["power"].copy()
    for row, d in deltas.items():
        power[row] += d
    return dataclasses.replace(rec, load={**rec.load, "power": power})


def test_one_bad_point_is_deleted_and_the_second_fit_accepted() -> None:
    rep = evaluate(_with_power(REC, {2: 400.0}))
    assert rep.regression is not None
    assert rep.regression.deleted_point is not None
    assert int(rep.points["row"][rep.regression.deleted_point]) == 3
    assert rep.regression.accepted
    assert any("deleted" in n for n in rep.notes)


def test_low_correlation_is_rejected_naming_gamma_and_rows() -> None:
    noisy = _with_power(REC, {0: -300.0, 1: 250.0, 3: 300.0, 4: -250.0, 5: 200.0})
    with pytest.raises(repm.StandardsError, match=r"γ = .*threshold 0.95"):
        evaluate(noisy)


def test_negative_slope_is_rejected() -> None:
    t = REC.load["torque"]
    tilt = -0.08 * t**2
    rec = _with_power(REC, {k: float(tilt[k]) for k in range(6)})
    with pytest.raises(repm.StandardsError, match="A ≥ 0"):
        evaluate(rec)


def test_too_few_load_points() -> None:
    rec = dataclasses.replace(REC, load={k: v[:5] for k, v in REC.load.items()})
    with pytest.raises(repm.StandardsError, match="at least 6"):
        evaluate(rec)


def test_too_few_low_voltage_no_load_points() -> None:
    rec = dataclasses.replace(REC, no_load={k: v[:8] for k, v in REC.no_load.items()})
    with pytest.raises(repm.StandardsError, match="friction and windage"):
        evaluate(rec)


def test_output_above_input_names_the_row() -> None:
    rec = _with_power(REC, {3: -9000.0})
    with pytest.raises(repm.StandardsError, match="row 4"):
        evaluate(rec)


def test_speed_above_synchronous_names_row_and_column() -> None:
    speed = REC.load["speed"].copy()
    speed[1] = 1501.0
    rec = dataclasses.replace(REC, load={**REC.load, "speed": speed})
    with pytest.raises(repm.StandardsError, match=r"row 2, column 'speed'"):
        evaluate(rec)


def test_missing_coolant_temperature() -> None:
    rec = dataclasses.replace(REC, coolant_temperature_c=None)
    with pytest.raises(repm.StandardsError, match="coolant"):
        evaluate(rec)


def test_instrument_accuracy_check() -> None:
    rec = dataclasses.replace(
        REC,
        instruments=(
            Instrument("power", 0.5, "%"),
            Instrument("torque", 0.1, "%"),
            Instrument("speed", 0.05, "%"),
            Instrument("temperature", 2.0, "K"),
            Instrument("current", 0.2, "K"),
            Instrument("vibration", 1.0, "%"),
        ),
    )
    checks = {c["quantity"]: c for c in evaluate(rec).instrument_checks}
    assert checks["power"]["ok"] is False
    assert checks["torque"]["ok"] is True
    assert checks["speed"]["ok"] is True
    assert checks["temperature"]["ok"] is False
    assert checks["current"]["ok"] is None
    assert checks["vibration"]["ok"] is None


def test_direct_method_recovers_the_corrected_efficiency() -> None:
    rec, truth = synthetic_pm_record()
    rep = evaluate(rec)
    assert rep.method == "direct"
    np.testing.assert_allclose(_in_file_order(rep, "efficiency"), truth["efficiency"], rtol=1e-12)
    assert rep.efficiency_vs_load_pct[100] == pytest.approx(100 * truth["efficiency"][1], abs=0.02)


def test_report_to_dict_is_json_ready() -> None:
    import json

    d = evaluate(REC).to_dict()
    text = json.dumps(d, allow_nan=False)
    assert '"gamma"' in text
    assert d["regression"]["accepted"] is True
