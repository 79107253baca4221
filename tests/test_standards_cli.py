"""`repm iec`: JSON and text output, report files, errors as one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repm.cli import main

RECORDS = Path(__file__).resolve().parents[1] / "examples" / "test_records"


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_classify_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = _json(capsys, ["iec", "classify", "--power-kw", "11", "--poles", "4", "--efficiency",
                       "91.6", "--json"])  # fmt: skip
    assert isinstance(d, dict)
    assert d["class"] == "IE3"
    assert d["limits"]["IE3"] == 91.4
    assert d["provenance"]["IE5"] == "derived"
    assert any("IE5" in n for n in d["notes"])


def test_classify_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iec", "classify", "--power-kw", "300", "--poles", "4", "--efficiency", "97"]) == 0
    out = capsys.readouterr().out
    assert "IE5" in out and "assumption" in out


def test_table_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = _json(capsys, ["iec", "table", "--class", "IE3", "--poles", "4", "--json"])
    assert isinstance(d, list)
    assert len(d) == 29
    assert {"power_kw": 11.0, "efficiency_pct": 91.4}.items() <= d[15].items()


def test_table_text_60hz(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iec", "table", "--class", "IE2", "--poles", "2", "--frequency", "60"]) == 0
    assert "10 CFR 431.25" in capsys.readouterr().out


def test_test_report_json_and_plots(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    d = _json(capsys, ["iec", "test-report", str(RECORDS / "im_11kw_synthetic.toml"), "--json",
                       "--report", str(tmp_path)])  # fmt: skip
    assert isinstance(d, dict)
    assert d["method"] == "2-1-1B"
    assert d["regression"]["gamma"] > 0.95
    assert set(d["efficiency_vs_load_pct"]) == {"25", "50", "75", "100", "125"}
    assert d["classification"]["class"] == "IE2"
    for name in ("residual_loss_regression.png", "efficiency_vs_load.png", "losses_vs_load.png"):
        assert (tmp_path / name).stat().st_size > 1000
    assert json.loads((tmp_path / "report.json").read_text())["method"] == "2-1-1B"


def test_test_report_text_direct(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iec", "test-report", str(RECORDS / "pm_7p5kw_synthetic.toml")]) == 0
    out = capsys.readouterr().out
    assert "method direct" in out and "class at rated load" in out


def test_part_load_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iec", "part-load", "--power-kw", "11", "--poles", "4", "--power-factor",
                 "0.82", "--no-load-current", "0.4"]) == 0  # fmt: skip
    assert "PF" in capsys.readouterr().out
    d = _json(capsys, ["iec", "part-load", "--power-kw", "11", "--poles", "4", "--motor", "pm",
                       "--class", "IE5", "--json"])  # fmt: skip
    assert isinstance(d, dict)
    assert d["speed_rpm"] == [1500.0] * 5


@pytest.mark.parametrize(
    "argv",
    [
        ["iec", "classify", "--power-kw", "0.05", "--poles", "4", "--efficiency", "80"],
        ["iec", "classify", "--power-kw", "11", "--poles", "12", "--efficiency", "80"],
        ["iec", "table", "--class", "IE4", "--poles", "4", "--frequency", "60"],
        ["iec", "test-report", "does-not-exist.toml"],
        [
            "iec",
            "part-load",
            "--power-kw",
            "11",
            "--poles",
            "4",
            "--motor",
            "pm",
            "--power-factor",
            "0.9",
        ],
    ],
)
def test_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("repm: error:") and "\n" not in err
