"""The TOML test-record format: round trip and every documented malformed-record error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import repm
from repm.standards.records import load_record, to_toml
from repm.standards.synthetic import synthetic_induction_record

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "test_records"
REC, _ = synthetic_induction_record()
TEXT = to_toml(REC)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rec.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_round_trip(tmp_path: Path) -> None:
    rec = load_record(_write(tmp_path, TEXT))
    for k, v in REC.load.items():
        np.testing.assert_array_equal(rec.load[k], v)
    for k, v in REC.no_load.items():
        np.testing.assert_array_equal(rec.no_load[k], v)
    assert rec.rated_power_kw == REC.rated_power_kw
    assert rec.method == "2-1-1B"


@pytest.mark.parametrize("name", ["im_11kw_synthetic.toml", "pm_7p5kw_synthetic.toml"])
def test_example_records_load(name: str) -> None:
    rec = load_record(EXAMPLES / name)
    assert len(rec.load["power"]) >= 5


def test_units_are_converted(tmp_path: Path) -> None:
    text = TEXT.replace(
        'units = ["V", "A", "W", "N.m", "rpm", "degC"]',
        'units = ["kV", "A", "kW", "N.m", "1/min", "°C"]',
    )
    rec = load_record(_write(tmp_path, text))
    np.testing.assert_allclose(rec.load["power"], 1000 * REC.load["power"])
    np.testing.assert_allclose(rec.load["voltage"], 1000 * REC.load["voltage"])


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('"torque", "speed"', '"speed"', r"\[load\] units must be a list with one unit"),
        (
            'columns = ["voltage", "current", "power", "torque", "speed", "winding_temperature"]',
            'columns = ["voltage", "current", "power", "torque", "speed", "coolant_temperature"]',
            r"column 'winding_temperature' is missing",
        ),
        ('"N.m", "rpm"', '"kgf.m", "rpm"', r"column 'torque': unit 'kgf.m' is invalid"),
        ('format = "repm-iec60034-2-1/1"', 'format = "other"', "format"),
        ('motor_type = "induction"', 'motor_type = "dc"', "motor_type"),
        ("poles = 4", "poles = 3", "poles"),
        ("rated_power_kw = 11.0", "rated_power_kw = -11.0", "rated_power_kw"),
        ("line_to_line_ohm = 0.45", "line_to_line_ohm = 0.0", "line_to_line_ohm"),
        ("[440.00000000000006,", "[-440.0,", r"\[no_load\] row 1, column 'voltage'"),
        ("[440.00000000000006,", '["x",', r"\[no_load\] row 1, column 'voltage'.*finite"),
        ("[440.00000000000006,", "[nan,", r"\[no_load\] row 1, column 'voltage'"),
        ("[440.00000000000006,", "[", r"\[no_load\] row 1: must have 4 values"),
        ('"degC"]\nrows', '"degC", "V"]\nrows', "one unit per column"),
        ('copper"', 'brass"', "stator_winding_material"),
    ],
)
def test_malformed_records_raise(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in TEXT, old
    with pytest.raises(repm.StandardsError, match=match):
        load_record(_write(tmp_path, TEXT.replace(old, new, 1)))


def test_negative_load_power_names_row_and_column(tmp_path: Path) -> None:
    first = repr(float(REC.load["power"][0]))
    with pytest.raises(repm.StandardsError, match=r"\[load\] row 1, column 'power'"):
        load_record(_write(tmp_path, TEXT.replace(first, "-" + first, 1)))


@pytest.mark.parametrize("table", ["[load]", "[no_load]", "[resistance]", "[record]"])
def test_missing_table(tmp_path: Path, table: str) -> None:
    text = TEXT.replace(table, "[unused]", 1)
    with pytest.raises(repm.StandardsError, match=r"table is missing"):
        load_record(_write(tmp_path, text))


def test_unknown_column(tmp_path: Path) -> None:
    text = TEXT.replace(
        '"winding_temperature"]\nunits = ["V", "A", "W", "degC"]',
        '"winding_temp"]\nunits = ["V", "A", "W", "degC"]',
        1,
    )
    with pytest.raises(repm.StandardsError, match="column 'winding_temp' is unknown"):
        load_record(_write(tmp_path, text))


def test_bad_instrument_unit(tmp_path: Path) -> None:
    text = TEXT + '\n[[instruments]]\nquantity = "power"\naccuracy = 0.2\nunit = "ppm"\n'
    with pytest.raises(repm.StandardsError, match="unit = 'ppm'"):
        load_record(_write(tmp_path, text))


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(repm.StandardsError, match="does not exist"):
        load_record(tmp_path / "nope.toml")
    with pytest.raises(repm.StandardsError, match="not valid TOML"):
        load_record(_write(tmp_path, "[record\n"))
