"""`repm winding` command line: JSON, text, table modes, infeasible combinations and errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from repm.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_acceptance_12s_10p_json(capsys):
    code, out, _ = run(capsys, "winding", "--slots", "12", "--poles", "10", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["feasible"] is True
    assert round(d["kw1"], 3) == 0.933
    assert set(d["winding_factors"]) >= {str(n) for n in range(1, 50)}
    assert d["periodicity"] == {"t": 1, "sector_slots": 6, "sector_poles": 5, "antiperiodic": True}
    assert d["q"] == "2/5" and d["pitch_slots"] == 1 and d["lcm_slots_poles"] == 60
    assert d["layout"]["text"].startswith("A/c' a'/a'")
    assert d["differential_leakage"] > 0 and len(d["mmf"]["orders"]) == 49 * 5


def test_text_output_single_layer(capsys):
    code, out, _ = run(capsys, "winding", "--slots", "48", "--poles", "8", "--layers", "1")
    assert code == 0
    assert "kw1 = 0.9659" in out and "single layer" in out and "layout:" in out


def test_options_pitch_skew_phases(capsys):
    code, out, _ = run(
        capsys, "winding", "--slots", "36", "--poles", "4", "--pitch", "7", "--skew", "1",
        "--max-order", "13", "--json",
    )  # fmt: skip
    d = json.loads(out)
    assert code == 0 and d["pitch_slots"] == 7 and d["skew_slots"] == 1.0
    assert len(d["winding_factors"]) == 13
    code, out, _ = run(
        capsys, "winding", "--slots", "10", "--poles", "8", "--phases", "5", "--json"
    )
    assert code == 0 and json.loads(out)["phases"] == 5


def test_infeasible_json_exit_2(capsys):
    code, out, err = run(capsys, "winding", "--slots", "12", "--poles", "12", "--json")
    assert code == 2
    d = json.loads(out)
    assert d["feasible"] is False and "Q/(m·t) = 12/(3·6)" in d["reason"]
    assert err.count("\n") == 1 and err.startswith("repm: error:")


def test_infeasible_text_exit_2(capsys):
    code, out, err = run(capsys, "winding", "--slots", "12", "--poles", "9")
    assert code == 2 and out == "" and "odd" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["winding", "--slots", "x", "--poles", "10"],
        ["winding", "--slots", "12", "--poles", "10", "--csv"],
        ["winding", "--slots", "0", "--poles", "10"],
        ["winding", "table", "--slots", "9:6", "--poles", "2:10"],
        ["winding", "table", "--slots", "6:a", "--poles", "2:10"],
        ["winding", "table", "--slots", "6:12", "--poles", "2:10", "--pitch", "2"],
    ],
)
def test_input_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("repm: error:")


def test_table_text(capsys):
    code, out, _ = run(capsys, "winding", "table", "--slots", "6:12", "--poles", "2:10")
    assert code == 0
    assert "13 of 35 combinations feasible" in out
    line = next(r for r in out.splitlines() if r.startswith("12  10"))
    assert "0.933" in line


def test_table_csv_and_json(capsys):
    code, out, _ = run(capsys, "winding", "table", "--slots", "6:72", "--poles", "2:40", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 67 * 20
    assert sum(r["feasible"] == "1" for r in rows) == 358
    r = next(r for r in rows if r["slots"] == "9" and r["poles"] == "8")
    assert float(r["kw1"]) == pytest.approx(0.945213637, abs=1e-9) and "kw49" in r
    code, out, _ = run(
        capsys, "winding", "table", "--slots", "12", "--poles", "8:10", "--layers", "1", "--json"
    )
    d = json.loads(out)
    assert code == 0 and d["layers"] == 1 and [r["poles"] for r in d["rows"]] == [8, 10]
