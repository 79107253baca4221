"""`repm mesh MACHINE.toml`: the three example machines mesh from the CLI, sector and full."""

from __future__ import annotations

import json
import math
from pathlib import Path

import meshio
import pytest

from repm.cli import main

MACHINES = sorted((Path(__file__).resolve().parents[1] / "examples" / "machines").glob("*.toml"))


@pytest.mark.parametrize("machine", MACHINES, ids=[p.stem for p in MACHINES])
@pytest.mark.parametrize("which", ["--sector", "--full"])
def test_examples_mesh_from_the_cli(machine: Path, which: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "mesh.vtu"
    assert main(["mesh", str(machine), which, "--json", "--out", str(out)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"nodes", "elements", "min_angle_deg", "regions"} <= set(d)
    assert d["sector"] == (which == "--sector")  # all three examples have a periodic winding
    # The meshed area of all regions is the stator's outer disc (or its sector).
    read = meshio.read(out)
    assert len(read.points) == d["nodes"]
    assert sum(len(c.data) for c in read.cells) == d["elements"]
    r_out = max(math.hypot(x, y) for x, y, *_ in read.points)
    expected = math.radians(d["sector_angle_deg"]) / 2 * r_out**2
    assert sum(d["regions"].values()) == pytest.approx(expected, rel=2e-3)
    assert d["min_angle_deg"] > 0
    assert d["elements_below_min_angle_forced_by_geometry"] <= d["elements_below_min_angle"]


def test_mesh_cli_text_and_plot(tmp_path: Path, capsys) -> None:
    png = tmp_path / "mesh.png"
    assert main(["mesh", str(MACHINES[0]), "--plot", str(png), "--scale", "2"]) == 0
    text = capsys.readouterr().out
    assert "nodes" in text and "min angle" in text and png.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.toml"], "does not exist"),
        ([str(MACHINES[0]), "--scale", "-1"], "mesh_size.scale = -1.0"),
        ([str(MACHINES[0]), "--scale", "nan"], "mesh_size.scale = nan"),
    ],
)
def test_mesh_cli_errors(args: list[str], message: str, capsys) -> None:
    assert main(["mesh", *args]) == 2
    assert message in capsys.readouterr().err
