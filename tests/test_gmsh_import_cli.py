"""`repm solve MESH.msh --regions REGIONS.toml`: JSON keys, currents, and errors (exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repm.cli import main
from repm.cli.solve_cmd import parse_currents
from repm.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
MSH = str(ROOT / "examples" / "gmsh" / "spm_servo_12s10p.msh")
TOML = str(ROOT / "examples" / "gmsh" / "regions.toml")


def test_solve_json_keys_and_current_override(capsys) -> None:
    pytest.importorskip("repm.fem")
    assert main(["solve", MSH, "--regions", TOML, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in (
        "energy_j_per_m",
        "flux_linkage_wb_per_m",
        "torque_arkkio_nm_per_m",
        "newton_iterations",
        "seconds",
        "nodes",
        "triangles",
    ):
        assert key in d
    assert set(d["flux_linkage_wb_per_m"]) == {
        "coil_A+", "coil_A-", "coil_B+", "coil_B-", "coil_C+", "coil_C-"
    }  # fmt: skip
    assert d["nodes"] == 3228 and d["energy_j_per_m"] > 0 and d["newton_iterations"] >= 2
    assert d["torque_arkkio_nm"] == pytest.approx(d["torque_arkkio_nm_per_m"] * 0.05)
    # No current: the torque changes (the example TOML carries currents).
    assert main(["solve", MSH, "--regions", TOML, "--json", *[
        f"--current={p}=0" for p in "ABC"]]) == 0  # fmt: skip
    d0 = json.loads(capsys.readouterr().out)
    assert d0["currents_a"]["coil_A+"] == 0.0
    assert abs(d0["torque_arkkio_nm_per_m"]) < abs(d["torque_arkkio_nm_per_m"])


def test_solve_text_output(capsys) -> None:
    pytest.importorskip("repm.fem")
    assert main(["solve", MSH, "--regions", TOML]) == 0
    out = capsys.readouterr().out
    assert "Arkkio torque" in out and "coil_A+" in out and "energy" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.msh", "--regions", TOML], "does not exist"),
        ([MSH, "--regions", "missing.toml"], "does not exist"),
        ([MSH, "--regions", TOML, "--current", "A"], "NAME=AMPERES"),
        ([MSH, "--regions", TOML, "--current", "A=lots"], "not a number"),
        ([MSH, "--regions", TOML, "--current", "A=inf"], "finite current"),
        ([MSH, "--regions", TOML, "--current", "Z=1"], "current name 'Z'"),
    ],
)
def test_solve_errors_exit_2(args: list[str], message: str, capsys) -> None:
    assert main(["solve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("repm: error:") and message in err


def test_solve_bad_region_map_exits_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "r.toml"
    bad.write_text(
        Path(TOML).read_text(encoding="utf-8").replace('kind = "air"', 'kind = "wood"', 1),
        encoding="utf-8",
    )
    assert main(["solve", MSH, "--regions", str(bad)]) == 2
    assert "kind = 'wood'" in capsys.readouterr().err


def test_parse_currents() -> None:
    assert parse_currents(["A=1.5", "coil_B+=-2"]) == {"A": 1.5, "coil_B+": -2.0}
    assert parse_currents(None) == {}
    with pytest.raises(InputError, match="NAME=AMPERES"):
        parse_currents(["=3"])


def test_solve_with_the_getdp_column(capsys) -> None:
    pytest.importorskip("repm.fem")
    from repm._peers import getdp

    if not getdp.getdp_available():
        if os.environ.get("REPM_REQUIRE_GETDP") == "1":
            pytest.fail("REPM_REQUIRE_GETDP=1 but getdp is not on PATH")
        pytest.skip("getdp is not on PATH")
    assert main(["solve", MSH, "--regions", TOML, "--json", "--getdp"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["getdp"]["energy_j_per_m"] == pytest.approx(d["energy_j_per_m"], rel=1e-6)
    assert d["getdp"]["torque_arkkio_nm_per_m"] == pytest.approx(
        d["torque_arkkio_nm_per_m"], rel=1e-5
    )
    assert main(["solve", MSH, "--regions", TOML, "--getdp"]) == 0
    assert "GetDP: energy" in capsys.readouterr().out
