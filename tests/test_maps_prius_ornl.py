"""The Prius 2004 example's efficiency against ORNL's dynamometer data (ORNL/TM-2006/423 Table
B-1): plausibility of the level and of the shape, not a fit (see
``examples/validation/prius_vs_ornl.py`` for what is compared and why a few points of
difference are expected)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "validation" / "prius_vs_ornl.py"


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("prius_vs_ornl", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_measured_points_are_the_published_table() -> None:
    meas = _load_script().measured_points()
    speed, torque, eta = meas["speed_rpm"], meas["torque_nm"], meas["efficiency_motor"]
    assert len(speed) == 40
    assert np.sum(np.abs(speed - 1500) < 10) == 27 and np.sum(np.abs(speed - 3000) < 10) == 13
    # Spot values of Table B-1 and the motor-only efficiency above the motor + inverter one.
    assert (speed[0], torque[0], eta[0]) == (1504.0, 20.3, 0.880)
    assert torque.max() == 295.8 and eta.max() == 0.932
    assert np.all(meas["efficiency_motor_inverter"] < eta)


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return _load_script().compare()


@pytest.mark.slow
def test_every_measured_point_is_inside_the_computed_envelope(result: dict[str, Any]) -> None:
    assert all(p["efficiency_computed"] is not None for p in result["points"])


@pytest.mark.slow
def test_efficiency_level_is_within_a_few_points(result: dict[str, Any]) -> None:
    for nominal, s in result["slices"].items():
        assert abs(s["mean_difference"]) < 0.05, (nominal, s)
        assert s["rms_difference"] < 0.05, (nominal, s)
        assert s["max_abs_difference"] < 0.08, (nominal, s)
    # A traction IPM of this class peaks at 93-97 %; ORNL's best point here is 93.2 %.
    assert 0.92 < result["peak_efficiency"] < 0.975
    assert result["peak_efficiency"] > result["measured_max_efficiency"] - 0.01


@pytest.mark.slow
def test_efficiency_has_the_measured_shape(result: dict[str, Any]) -> None:
    pts = result["points"]
    for nominal in (1500, 3000):
        sl = [p for p in pts if abs(p["speed_rpm"] - nominal) < 50]
        for key in ("efficiency_measured", "efficiency_computed"):
            eta = np.array([p[key] for p in sl])
            # Light load is clearly below the best point (fixed losses dominate) ...
            assert eta[0] < eta.max() - 0.005, (nominal, key)
            # ... and the highest tested torque is below it too (copper losses grow as I²).
            assert eta[-1] < eta.max() - 0.01, (nominal, key)
    s3000 = result["slices"]["3000"]
    assert 40 <= s3000["best_torque_computed_nm"] <= 110
    # Losses grow with torque along each measured speed, in the model as in the measurement.
    for nominal in (1500, 3000):
        sl = [p for p in pts if abs(p["speed_rpm"] - nominal) < 50]
        assert np.all(np.diff([p["losses_computed_w"] for p in sl]) > 0)


@pytest.mark.slow
def test_script_prints_the_comparison(
    result: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _load_script()
    monkeypatch.setattr(mod, "compare", lambda: result)
    monkeypatch.setattr(sys, "argv", ["prius_vs_ornl.py"])
    mod.main()
    out = capsys.readouterr().out
    assert "ORNL/TM-2006/423" in out and out.count("\n") >= 43
