"""Machine descriptions from TOML and the `repm demo` workflow on the bundled Prius 2004."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import pytest

import repm
from repm.cli import main
from repm.demo import run_demo
from repm.machine_spec import example_path, load_machine

PRIUS = example_path("prius2004")


def test_prius_example_matches_its_sources() -> None:
    spec = load_machine(PRIUS)
    # ORNL/TM-2010/253 Table 2.7 and pyleecan's Toyota_Prius.json.
    assert (spec.slots, spec.winding.poles, spec.winding.layers) == (48, 8, 1)
    assert spec.winding.turns_per_coil * spec.winding.coils_in_series_per_phase == 72
    assert spec.magnet_mass_kg == pytest.approx(1.232)
    assert spec.magnet_grade_is_assumption
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_demo_numbers() -> None:
    d = run_demo().to_dict()
    w = d["winding"]
    # 48 slots, 8 poles, q = 2, full pitch: kw1 = sin(π/6)/(2 sin(π/12)) = 0.96593.
    assert w["kw1"] == pytest.approx(math.sin(math.pi / 6) / (2 * math.sin(math.pi / 12)), 1e-12)
    assert (w["periodicity"], w["sector_slots"], w["antiperiodic"]) == (4, 6, True)
    mag = d["magnet"]
    grade = repm.magnets.grade("N38SH")
    expected_br = grade.br_t * (1 + grade.alpha_br_pct_per_c / 100 * (120.0 - 20.0))
    assert mag["br_t"] == pytest.approx(expected_br, rel=1e-12)
    # The open-circuit point lies on the recoil line, far from the knee.
    assert mag["open_circuit_b_t"] == pytest.approx(
        expected_br + 4e-7 * math.pi * grade.mu_rec * mag["open_circuit_h_a_per_m"], rel=1e-6
    )
    assert mag["open_circuit_demag_margin_a_per_m"] > 0
    bill = d["element_bill"]
    assert sum(bill["element_kg"].values()) == pytest.approx(1.232, rel=1e-9)
    # Copper resistance scales with resistivity (IEC 60028: α20 = 0.00393 /K).
    hot = d["conductor"]["phase_resistance_ohm_at_operating_temperature"]
    assert hot == pytest.approx(0.069 * (1 + 0.00393 * 100) / (1 + 0.00393 * 1), rel=1e-9)
    xs = d["cross_section"]
    assert xs["full_mesh"]["nodes"] > 5 * xs["sector_mesh"]["nodes"]
    # 16 magnets of 18.9 x 6.5 x 83.1 mm (ORNL Table 2.7) at 7600 kg/m³: 1.241 kg (ORNL: 1.232).
    assert xs["magnet_mass_kg"] == pytest.approx(16 * 0.0189 * 0.0065 * 0.0831 * 7600, rel=1e-9)
    names = [row["grade"] for row in d["grade_swap"]]
    assert names[0] == "N38SH" and any("Ce" in n for n in names)
    em = d["efficiency_map"]
    # ORNL/TM-2010/253: 400 N·m peak torque. A plausibility check only: the 354 A peak current
    # limit is an assumption and the demo's map is coarse (7 x 5 currents, 10 positions, coarse
    # mesh); the model gives ~352 N·m (with 6 positions the slot ripple aliased into the mean and
    # gave ~400).
    assert 0.8 * 400.0 < em["max_torque_nm"] < 1.05 * 400.0
    assert 0.9 < em["peak_efficiency"] < 0.99
    assert 1000 < em["corner_speed_rpm"] < 3000 and em["max_speed_rpm"] == 6000.0


def test_demo_cli_text_and_json(capsys) -> None:
    assert main(["demo"]) == 0
    text = capsys.readouterr().out
    assert "kw1 = 0.9659" in text and "ASSUMED" in text
    assert main(["demo", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"winding", "magnet", "grade_swap", "element_bill", "steel", "conductor"}
    assert d["standards"]["class_limits_pct"]["IE3"] == 91.4  # SI 2021/745 Table 28, 11 kW 4p


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "machine.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("slots = 48", "slots = 0", r"stator\.slots = 0"),
        ("air_gap_m = 0.00073", "air_gap_m = -0.001", r"rotor\.air_gap_m = -0\.001"),
        ('connection = "star"', 'connection = "zigzag"', r"allowed star, delta"),
        ("magnet_mass_kg = 1.232", 'magnet_mass_kg = "heavy"', r"magnet_mass_kg"),
        ("poles = 8", "poles = 7", r"poles"),
        ('magnet_grade = "N38SH"', 'magnet_grade = "N38XX"', r"closest names"),
    ],
)
def test_bad_machine_files_raise_input_errors(tmp_path, capsys, old, new, message) -> None:
    text = PRIUS.read_text(encoding="utf-8")
    assert old in text
    path = _write(tmp_path, text.replace(old, new))
    with pytest.raises(repm.InputError, match=message):
        run_demo(path)
    assert main(["demo", "--machine", str(path)]) == 2
    assert "repm: error:" in capsys.readouterr().err


def test_missing_machine_file(tmp_path) -> None:
    with pytest.raises(repm.InputError, match="does not exist"):
        load_machine(tmp_path / "missing.toml")
    with pytest.raises(repm.InputError, match="allowed: prius2004"):
        example_path("nope")
