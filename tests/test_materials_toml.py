"""User-defined materials of every kind from one TOML file or dict (repm.materials)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import repm
from repm import materials


def _docstring_example() -> str:
    """The TOML example of the module docstring (indented block after '::')."""
    doc = materials.__doc__ or ""
    block = doc.split("::", 1)[1].split("\n\n", 1)[1].split("\n\nEach kind", 1)[0]
    return "\n".join(line[4:] for line in block.splitlines())


def test_docstring_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "materials.toml"
    path.write_text(_docstring_example(), encoding="utf-8")
    lib = materials.load_toml(path)
    assert lib.names() == {
        "magnet": ["LabSample", "MyN42SH"],
        "steel": ["MyGrade"],
        "conductor": ["HotCopper"],
    }
    mine = lib.magnets["MyN42SH"]
    base = repm.magnets.grade("N42SH")
    assert mine.br_t == pytest.approx(1.31)
    # Fields not overridden come from the base grade.
    assert mine.alpha_br_pct_per_c == base.alpha_br_pct_per_c
    assert mine.provenance == "user"
    # A user steel evaluates like a catalogue one: through its data points.
    assert lib.steels["MyGrade"].h_from_b(1.3) == pytest.approx(300.0, rel=1e-9)
    hot = lib.conductors["HotCopper"].resistivity_ohm_m(120.0)
    assert hot == pytest.approx(1.75e-8 * (1 + 0.0039 * 100.0), rel=1e-12)
    assert pickle.loads(pickle.dumps(lib)) == lib


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(repm.InputError, match=r"stee.*allowed kinds are magnet, steel, conductor"):
        materials.from_mapping({"stee": {"X": {}}})


def test_invalid_magnet_field_names_the_table() -> None:
    with pytest.raises(repm.InputError, match=r"magnet\.Bad"):
        materials.from_mapping({"magnet": {"Bad": {"base": "N42SH", "br_t": -1.0}}})


def test_unknown_base_grade_suggests_names() -> None:
    with pytest.raises(repm.UnknownMaterialError, match="N42SH"):
        materials.from_mapping({"magnet": {"X": {"base": "N42XH"}}})


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(repm.InputError, match="does not exist"):
        materials.load_toml(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[magnet.X\nbr_t = 1", encoding="utf-8")
    with pytest.raises(repm.InputError, match="not valid TOML"):
        materials.load_toml(bad)


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_br_is_accepted_only_when_physical(br: float) -> None:
    """A user remanence either builds a grade with exactly that Br or raises InputError naming
    the field at fault (Br itself, or the recoil line that Br and HcJ make together)."""
    try:
        lib = materials.from_mapping({"magnet": {"U": {"base": "N42SH", "br_t": br}}})
    except repm.InputError as err:
        assert re.search(r"br_t = |mu_rec = .*recoil line", str(err))
    else:
        assert lib.magnets["U"].br_t == br
        assert 0.0 < br
