"""Inventory readers and validation: every kind of bad row is reported, nothing dropped silently."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from repm import InputError, InventoryError, fleet

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fleet" / "steel_plant.csv"

GOOD = {
    "motor_id": ["A", "B"],
    "rated_kw": [11.0, 75.0],
    "poles": [4, 2],
    "frequency_hz": [50, 60],
    "efficiency_class": ["IE2", "IE3"],
    "load_type": ["cubic", "constant"],
    "load_factor": [0.8, 0.6],
    "hours_per_year": [8000, 4000],
    "electricity_price_per_kwh": [0.1, 0.12],
    "emission_factor_kg_per_kwh": [0.5, 0.4],
}


def bad(column: str, value: object, extra: dict[str, list[object]] | None = None) -> list:
    cols = {k: list(v) for k, v in GOOD.items()}
    cols.update(extra or {})
    cols.setdefault(column, [None, None])
    cols[column][1] = value
    with pytest.raises(InventoryError) as ei:
        fleet.validate(cols)
    return ei.value.issues


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("motor_id", "", "blank"),
        ("motor_id", "A", "duplicate"),
        ("rated_kw", -3, "out of range"),
        ("rated_kw", "eleven", "not a number"),
        ("rated_kw", float("nan"), "blank"),
        ("rated_kw", float("inf"), "not finite"),
        ("rated_kw", 5000, "out of range"),
        ("poles", 5, "2, 4, 6 or 8"),
        ("frequency_hz", 55, "50 or 60"),
        ("efficiency_class", "IE9", "IE1, IE2, IE3 or IE4"),
        ("efficiency_class", "", "nameplate_efficiency_pct"),
        ("load_type", "linear", "cubic, quadratic or constant"),
        ("load_factor", 1.6, "out of range"),
        ("load_factor", 0.0, "out of range"),
        ("load_factor", None, "blank"),
        ("hours_per_year", -1, "out of range"),
        ("hours_per_year", 9000, "out of range"),
        ("electricity_price_per_kwh", -0.1, "out of range"),
        ("emission_factor_kg_per_kwh", "x", "not a number"),
        ("full_load_speed_rpm", 1700, "below the synchronous speed"),
        ("drive", "star-delta", "DOL or VSD"),
        ("age_years", -2, "out of range"),
        ("replacement_cost", -1, "out of range"),
        ("load_profile", "0.5-100", "load:hours"),
        ("load_profile", "2.0:100", "[0, 1.5]"),
        ("load_profile", "0.5:6000;0.7:6000", "8760"),
        ("tou_tariff", "lots", "hours@price"),
        ("tou_tariff", "100@-1", "prices in"),
        ("nameplate_efficiency_pct", 120, "out of range"),
        ("nameplate_efficiency_pct", True, "not a number"),
    ],
)
def test_each_bad_cell_names_row_column_and_reason(column: str, value: object, reason: str) -> None:
    issues = bad(column, value)
    assert len(issues) == 1, [str(i) for i in issues]
    i = issues[0]
    assert (i.row, i.column) == (2, column)
    assert reason in i.reason
    assert "row 2" in str(i) and column in str(i)


def test_class_without_a_sourced_limit_is_reported() -> None:
    issues = bad("poles", 8, {"efficiency_class": ["IE2", "IE1"]})
    assert issues[0].column == "efficiency_class" and "nameplate_efficiency_pct" in issues[0].reason


def test_unknown_and_missing_columns() -> None:
    cols = {k: v for k, v in GOOD.items() if k not in ("poles", "efficiency_class")}
    cols["colour"] = ["red", "blue"]
    with pytest.raises(InventoryError) as ei:
        fleet.validate(cols)
    text = str(ei.value)
    assert "'poles': missing required column" in text
    assert "efficiency_class or nameplate_efficiency_pct" in text
    assert "'colour': unknown column" in text
    with pytest.raises(InventoryError, match="different lengths"):
        fleet.validate({**GOOD, "site": ["x"]})
    with pytest.raises(InventoryError, match="no rows"):
        fleet.validate({k: [] for k in GOOD})


def test_all_problems_listed_then_skip_invalid_keeps_the_rest() -> None:
    cols = {k: list(v) * 3 for k, v in GOOD.items()}
    cols["motor_id"] = ["A", "B", "C", "D", "E", "F"]
    cols["rated_kw"][1] = -1
    cols["hours_per_year"][1] = 9999
    cols["load_type"][4] = "??"
    cols["extra"] = [1] * 6
    with pytest.raises(InventoryError) as ei:
        fleet.validate(cols)
    assert [(i.row, i.column) for i in ei.value.issues] == [
        (None, "extra"), (2, "rated_kw"), (2, "hours_per_year"), (5, "load_type"),
    ]  # fmt: skip
    inv = fleet.validate(cols, skip_invalid=True)
    assert list(inv.motor_id) == ["A", "C", "D", "F"]
    assert list(inv.rows) == [1, 3, 4, 6]
    assert len(inv.skipped) == 4
    # Picklable (sent to workers) and the error too.
    assert pickle.loads(pickle.dumps(inv)).rows.tolist() == [1, 3, 4, 6]
    err = pickle.loads(pickle.dumps(ei.value))
    assert isinstance(err, InputError) and len(err.issues) == 4


def test_readers_agree(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from_csv = fleet.load_inventory(EXAMPLE)
    df = pd.read_csv(EXAMPLE, comment="#", dtype={"efficiency_class": str})
    from_pd = fleet.load_inventory(df)
    table = pa.Table.from_pandas(df, preserve_index=False)
    from_arrow = fleet.load_inventory(table)
    pq.write_table(table, tmp_path / "fleet.parquet")
    from_pq = fleet.load_inventory(tmp_path / "fleet.parquet")
    for inv in (from_pd, from_arrow, from_pq):
        assert len(inv) == len(from_csv) == 4000
        for k in ("rated_kw", "price_per_kwh", "profile_load", "profile_hours"):
            np.testing.assert_allclose(getattr(inv, k), getattr(from_csv, k), rtol=1e-12)
        assert list(inv.efficiency_class) == list(from_csv.efficiency_class)
        np.testing.assert_array_equal(inv.on_vsd, from_csv.on_vsd)


def test_polars_if_installed() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(GOOD)
    assert len(fleet.load_inventory(df)) == 2


def test_reader_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.csv or \.parquet"):
        fleet.read_inventory(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="cannot be read"):
        fleet.read_inventory(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        fleet.read_inventory(tmp_path / "empty.csv")
    (tmp_path / "ragged.csv").write_text("motor_id,rated_kw\nA,1,2\n")
    with pytest.raises(InputError, match="line 2"):
        fleet.read_inventory(tmp_path / "ragged.csv")
    (tmp_path / "dup.csv").write_text("motor_id,motor_id\nA,B\n")
    with pytest.raises(InputError, match="duplicate column"):
        fleet.read_inventory(tmp_path / "dup.csv")
    with pytest.raises(InputError, match="type int"):
        fleet.read_inventory(42)


def test_scenario_and_settings_errors() -> None:
    for kw, msg in [
        ({"target_class": "IE3"}, "target_class"),
        ({"trim": "sometimes"}, "trim"),
        ({"discount_rate": float("nan")}, "discount_rate"),
        ({"escalation": 2.0}, "escalation"),
        ({"horizon_years": 0}, "horizon_years"),
        ({"horizon_years": 2.5}, "horizon_years"),
        ({"magnet_grade": 3}, "magnet_grade"),
        ({"pm_constant_loss_share": 1.5}, "pm_constant_loss_share"),
    ]:
        with pytest.raises(InputError, match=msg):
            fleet.Scenario(**kw)
    with pytest.raises(InputError, match="price_coef"):
        fleet.CostModel(price_coef=-1.0)
    with pytest.raises(InputError, match="vsd_efficiency"):
        fleet.CostModel(vsd_efficiency=0.2)
    with pytest.raises(InputError, match="g_per_nm"):
        fleet.MagnetModel(g_per_nm=float("inf"))
    with pytest.raises(InputError, match="rel_sd"):
        fleet.MagnetModel(rel_sd=0.5)
    for kw, msg in [
        ({"samples": 0}, "samples"),
        ({"samples": 1.5}, "samples"),
        ({"seed": -1}, "seed"),
        ({"load_rel_sd": 0.41}, "load_rel_sd"),
        ({"price_rel_sd": float("nan")}, "price_rel_sd"),
    ]:
        with pytest.raises(InputError, match=msg):
            fleet.MonteCarlo(**kw)
    from repm import UnknownMaterialError

    with pytest.raises(UnknownMaterialError):
        fleet.evaluate(fleet.validate(GOOD), fleet.Scenario(magnet_grade="N99XX"))


def test_defaults_are_documented() -> None:
    rows = fleet.defaults_table()
    assert len(rows) >= 20
    for r in rows:
        assert r["provenance"] in ("assumption", "derived", "secondary", "exact"), r
        assert r["source"] and r["reasoning"], r
    s = fleet.Scenario()
    assert s.magnet.g_per_nm == 7.5 and s.magnet_grade == "N42SH"
