"""IEC 60034-30-1 classes: every tabulated value, class boundaries, scope and provenance."""

from __future__ import annotations

import csv
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import repm
from repm.standards import classify, minimum_efficiency, table
from repm.standards._data import DATA_DIR
from repm.standards.iec60034_30_1 import RATINGS_50HZ_KW

with (DATA_DIR / "iec60034_30_1_tables.csv").open(newline="", encoding="utf-8") as _fh:
    TABLE_ROWS = list(csv.DictReader(_fh))


def test_table_file_has_all_blocks() -> None:
    assert len(TABLE_ROWS) == 722
    assert {r["provenance"] for r in TABLE_ROWS} == {"computed", "secondary", "approximate"}


@pytest.mark.parametrize("provenance", ["computed", "secondary", "approximate"])
def test_every_tabulated_value_is_reproduced_at_0p1_pct(provenance: str) -> None:
    rows = [r for r in TABLE_ROWS if r["provenance"] == provenance]
    mismatches = []
    for r in rows:
        lim = minimum_efficiency(
            r["ie_class"], float(r["rated_power_kw"]), int(r["poles"]), int(r["frequency_hz"])
        )
        if lim.efficiency_pct != float(r["eta_min_pct"]):
            mismatches.append((r["ie_class"], r["poles"], r["rated_power_kw"], lim.efficiency_pct))
    assert not mismatches, mismatches
    assert len(rows) > 60


def test_computed_rows_come_from_the_formula_with_the_unrounded_value_in_notes() -> None:
    for r in TABLE_ROWS:
        if r["provenance"] != "computed":
            continue
        lim = minimum_efficiency(r["ie_class"], float(r["rated_power_kw"]), int(r["poles"]))
        assert lim.provenance == "computed"
        unrounded = float(r["notes"].split("unrounded ")[1].split(";")[0])
        assert lim.unrounded_pct == pytest.approx(unrounded, abs=6e-5)


def test_known_values_and_rounding() -> None:
    # SI 2021/745 / IEC 60034-30-1: IE3, 4 poles, 11 kW = 91.4 %; IE2 2 poles 0.12 kW = 53.6 %.
    assert minimum_efficiency("IE3", 11, 4).efficiency_pct == 91.4
    lim = minimum_efficiency("IE2", 0.12, 2)
    assert lim.efficiency_pct == 53.6
    assert lim.unrounded_pct == pytest.approx(53.6241, abs=1e-4)


def test_intermediate_rating_uses_the_formula() -> None:
    lim = minimum_efficiency("IE3", 12.0, 4)
    assert lim.note == "interpolation formula"
    assert minimum_efficiency("IE3", 11, 4).efficiency_pct <= lim.efficiency_pct
    assert lim.efficiency_pct <= minimum_efficiency("IE3", 15, 4).efficiency_pct


def test_midpoint_rule_for_tabulated_secondary_values() -> None:
    lo = minimum_efficiency("IE3", 5.5, 4, 60).efficiency_pct
    hi = minimum_efficiency("IE3", 7.5, 4, 60).efficiency_pct
    assert minimum_efficiency("IE3", 6.4, 4, 60).efficiency_pct == lo
    assert minimum_efficiency("IE3", 6.5, 4, 60).efficiency_pct == hi
    assert "midpoint" in minimum_efficiency("IE3", 6.5, 4, 60).note


def test_above_200_kw_is_flagged_as_assumption() -> None:
    lim = minimum_efficiency("IE4", 500, 4)
    assert lim.provenance == "assumption"
    assert lim.efficiency_pct == minimum_efficiency("IE4", 200, 4).efficiency_pct
    assert "ASSUMPTION" in lim.note


def test_ie5_is_derived_and_says_so() -> None:
    lim = minimum_efficiency("IE5", 11, 4)
    assert lim.provenance == "derived"
    assert "not the IEC TS 60034-30-2" in lim.note
    eta4 = minimum_efficiency("IE4", 11, 4).unrounded_pct
    assert eta4 is not None
    assert lim.unrounded_pct == pytest.approx(100 / (1 + 0.8 * (100 / eta4 - 1)))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("IE3", 0.1, 4), "outside the scope"),
        (("IE3", 1200, 4), "outside the scope"),
        (("IE3", 11, 10), "poles = 10"),
        (("IE3", 11, 4, 55), "frequency_hz"),
        (("IE7", 11, 4), "ie_class"),
        (("IE3", math.nan, 4), "finite"),
        (("IE3", -1.0, 4), "> 0"),
        (("IE1", 11, 8), "no sourced table"),
        (("IE1", 0.37, 4), "only sourced"),
        (("IE4", 11, 4, 60), "no sourced table"),
        (("IE3", 373, 8, 60), "only sourced"),
    ],
)
def test_out_of_scope_raises_standards_error(args: tuple, match: str) -> None:
    with pytest.raises(repm.StandardsError, match=match):
        minimum_efficiency(*args)


def test_standards_error_is_an_input_error() -> None:
    assert issubclass(repm.StandardsError, repm.InputError)


def test_classify_boundaries() -> None:
    limits = classify(11, 4, 91.4).limits
    assert classify(11, 4, limits["IE3"]).ie_class == "IE3"
    assert classify(11, 4, limits["IE3"] - 0.05).ie_class == "IE2"
    assert classify(11, 4, limits["IE4"]).ie_class == "IE4"
    assert classify(11, 4, limits["IE5"]).ie_class == "IE5"
    assert classify(11, 4, limits["IE1"] - 0.1).ie_class == "below IE1"
    assert classify(11, 4, 99.0).provenance["IE5"] == "derived"


def test_classify_without_ie1_says_below_ie2_with_a_note() -> None:
    res = classify(11, 8, 80.0)
    assert res.ie_class == "below IE2"
    assert "IE1" in res.unavailable
    assert any("does not mean" in n for n in res.notes)


def test_classify_60_hz_notes_equivalence() -> None:
    res = classify(7.5, 4, 92.0, 60)
    assert set(res.limits) == {"IE2", "IE3"}
    assert any("equivalence" in n for n in res.notes)


@pytest.mark.parametrize("eff", [0.0, -3.0, 100.5, math.inf])
def test_classify_rejects_bad_efficiency(eff: float) -> None:
    with pytest.raises(repm.StandardsError, match="efficiency_pct"):
        classify(11, 4, eff)


@given(
    st.sampled_from(RATINGS_50HZ_KW[7:]),
    st.sampled_from([2, 4, 6]),
    st.floats(min_value=50.0, max_value=100.0),
)
def test_classify_is_consistent_with_limits(p: float, poles: int, eff: float) -> None:
    res = classify(p, poles, eff)
    order = ["IE1", "IE2", "IE3", "IE4", "IE5"]
    if res.ie_class.startswith("below"):
        assert all(eff < v for v in res.limits.values())
    else:
        assert eff >= res.limits[res.ie_class]
        higher = [c for c in order[order.index(res.ie_class) + 1 :] if c in res.limits]
        assert all(eff < res.limits[c] for c in higher)


def test_table_function_lists_standard_ratings() -> None:
    rows = table("IE3", 4)
    assert [r.power_kw for r in rows] == list(RATINGS_50HZ_KW)
    assert all(b.efficiency_pct >= a.efficiency_pct for a, b in itertools.pairwise(rows))
    assert len(table("IE2", 2, 60)) == 25
    assert table("IE1", 6)[0].power_kw == 0.75
    with pytest.raises(repm.StandardsError):
        table("IE4", 4, 60)
    with pytest.raises(repm.StandardsError):
        table("IEX", 4)


def test_results_are_picklable() -> None:
    import pickle

    res = classify(11, 4, 92.0)
    assert pickle.loads(pickle.dumps(res)) == res
