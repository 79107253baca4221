"""`repm materials` CLI."""

from __future__ import annotations

import json

import pytest

from repm import magnets
from repm.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "materials", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {"kind": "magnet", "name": "N42SH"} in rows
    code, out, _ = run(capsys, "materials", "list", "--family", "ferrite", "--json")
    names = [r["name"] for r in json.loads(out)]
    assert names == magnets.list_grades("ferrite")


def test_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "materials", "list", "--kind", "magnet", "--family", "smco5")
    assert code == 0 and "SmCo5-20" in out


def test_show_json_matches_datasheet_coefficients(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "materials", "show", "N42SH", "--temperature", "120", "--json")
    assert code == 0
    d = json.loads(out)
    g = d["grade"]
    at = d["at_temperature"]
    assert at["temperature_c"] == 120.0
    assert at["br_t"] == pytest.approx(
        g["br_t"] * (1 + g["alpha_br_pct_per_c"] * 100 / 100), rel=1e-12
    )
    assert at["hcj_a_per_m"] == pytest.approx(
        g["hcj_a_per_m"] * (1 + g["beta_hcj_pct_per_c"] * 100 / 100), rel=1e-12
    )
    assert sum(d["element_kg_per_kg"].values()) == pytest.approx(1.0)
    assert d["cost_usd_per_kg"] > 0 and "Fe" in d["unpriced_elements"]
    assert d["composition_wt_pct"]["Dy"] > 0


def test_show_text_and_default_temperature(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "materials", "show", "ce30-ndfeb")
    assert code == 0 and "Ce30-NdFeB" in out and "USD/kg" in out


def test_show_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "materials", "show", "N42XH")
    assert code == 2 and "N42SH" in err
    code, _, err = run(capsys, "materials", "show", "N42SH", "--temperature", "300")
    assert code == 2 and "temperature_c = 300" in err
    code, _, err = run(capsys, "materials", "list", "--kind", "magnet", "--family", "alnico")
    assert code == 2 and "family" in err


def test_steel_show_says_temperature_is_not_applied(capsys) -> None:
    from repm.cli import main

    assert main(["materials", "show", "M270-35A", "--temperature", "80", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "not applied" in out["temperature_note"]
    assert main(["materials", "show", "M270-35A"]) == 0
    assert "not applied" not in capsys.readouterr().out
