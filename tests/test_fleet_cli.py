"""`repm retrofit` on the bundled steel-plant inventory and on bad inventories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repm.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fleet" / "steel_plant.csv"


def test_retrofit_json_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rep"
    code = main(
        [
            "retrofit", str(EXAMPLE), "--budget", "1e6", "--samples", "20", "--seed", "3",
            "--json", "--report", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("motors", "energy_savings_kwh_per_year", "capex", "npv", "co2_savings_t_per_year",
                "selected", "rare_earth_kg"):  # fmt: skip
        assert key in d
    assert d["motors"] == 4000
    assert 0 < d["capex"] <= 1e6
    assert len(d["selected"]) == d["selected_motors"] > 0
    assert set(d["rare_earth_kg"]) == {"Nd", "Pr", "Dy", "Tb", "Ce"}
    assert d["rare_earth_kg"]["Nd"] > 0 and d["rare_earth_high_ce"]["element_kg"]["Ce"] > 0
    assert (
        d["monte_carlo"]["percentiles"]["npv"]["p10"]
        < d["monte_carlo"]["percentiles"]["npv"]["p90"]
    )
    assert d["all_motors"]["motors_with_negative_untrimmed_savings"] > 0
    for name in ("cumulative_savings_vs_capex.png", "payback_distribution.png",
                 "rare_earth_by_element.png", "motors.csv", "summary.json"):  # fmt: skip
        assert (out / name).stat().st_size > 1000
    assert json.loads((out / "summary.json").read_text())["selected"] == d["selected"]


def test_retrofit_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["retrofit", str(EXAMPLE), "--samples", "0", "--target", "IE5", "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "IE5 PM" in text and "first 3 motors to replace" in text and "by sector" in text
    assert "would use MORE energy untrimmed" in text


def test_retrofit_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = EXAMPLE.read_text().splitlines()[:6]
    header = lines[1].split(",")
    bad = lines[3].split(",")
    bad[header.index("hours_per_year")] = "-5"
    bad2 = lines[4].split(",")
    bad2[header.index("load_factor")] = "2.0"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([lines[1], lines[2], ",".join(bad), ",".join(bad2), lines[5]]) + "\n")
    assert main(["retrofit", str(path), "--samples", "0"]) == 2
    err = capsys.readouterr().err
    assert "2 problem(s)" in err and "row 2" in err and "hours_per_year" in err and "row 3" in err
    assert "--skip-invalid" in err
    assert main(["retrofit", str(path), "--samples", "4", "--skip-invalid", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["motors"] == 2 and [s["row"] for s in d["skipped"]] == [2, 3]
    assert main(["retrofit", str(path), "--budget", "-1"]) == 2
    assert "--budget" in capsys.readouterr().err
