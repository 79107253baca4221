"""Public API of repm.conductors: cited values, vectorisation, range errors, pickling, TOML."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import repm
from repm import conductors


def test_cited_values() -> None:
    cu = conductors.conductor("copper")
    assert cu.resistivity_ohm_m(20.0) == pytest.approx(1e-6 / 58.0, rel=1e-15)
    assert cu.resistivity_ohm_m(120.0) == pytest.approx(1e-6 / 58.0 * 1.393, rel=1e-12)
    al = conductors.conductor("Aluminum")
    assert al.name == "aluminium"
    assert al.resistivity_ohm_m(20.0) == pytest.approx(2.8264e-8, rel=1e-15)
    assert al.alpha_20_per_k == 0.00403
    assert cu.density_kg_per_m3 == 8890.0 and al.density_kg_per_m3 == 2703.0
    assert set(conductors.list_conductors()) == {"copper", "aluminium"}


@given(t=st.lists(st.floats(-50.0, 250.0), min_size=1, max_size=20))
def test_vectorised_and_increasing(t: list[float]) -> None:
    cu = conductors.conductor("cu")
    r = cu.resistivity_ohm_m(np.array(t))
    assert r.shape == (len(t),)
    assert np.all(r > 0)
    order = np.argsort(t)
    assert np.all(np.diff(r[order]) >= 0)


def test_errors() -> None:
    cu = conductors.conductor("copper")
    with pytest.raises(repm.TemperatureRangeError, match="250"):
        cu.resistivity_ohm_m([20.0, 251.0])
    with pytest.raises(repm.TemperatureRangeError):
        cu.resistivity_ohm_m(-60.0)
    with pytest.raises(repm.InputError, match="temperature_c"):
        cu.resistivity_ohm_m(float("nan"))
    with pytest.raises(repm.UnknownMaterialError, match="copper"):
        conductors.conductor("coper")
    with pytest.raises(repm.InputError, match="resistivity_20c_ohm_m"):
        conductors.custom_conductor(
            "x", resistivity_20c_ohm_m=-1.0, alpha_20_per_k=0.004, density_kg_per_m3=8900.0
        )
    with pytest.raises(repm.InputError, match="temperature_max_c"):
        conductors.custom_conductor(
            "x",
            resistivity_20c_ohm_m=1e-8,
            alpha_20_per_k=0.004,
            density_kg_per_m3=8900.0,
            temperature_min_c=100.0,
            temperature_max_c=50.0,
        )


def test_custom_pickle_toml(tmp_path) -> None:
    c = conductors.custom_conductor(
        "CuAg",
        resistivity_20c_ohm_m=1.75e-8,
        alpha_20_per_k=0.0038,
        density_kg_per_m3=8900.0,
        temperature_max_c=220.0,
    )
    assert pickle.loads(pickle.dumps(c)) == c
    with pytest.raises(repm.TemperatureRangeError):
        c.resistivity_ohm_m(230.0)
    p = tmp_path / "c.toml"
    p.write_text(conductors.dumps_toml([c, conductors.conductor("al")]), encoding="utf-8")
    back = conductors.load_toml(p)
    assert back["CuAg"] == c
    assert back["aluminium"] == conductors.conductor("al")
    p.write_text("[conductor.x]\nalpha_20_per_k = 0.004\n")
    with pytest.raises(repm.InputError, match="missing"):
        conductors.load_toml(p)
    assert "copper" in conductors.conductor("cu").summary
    assert conductors.conductor("cu").to_dict()["alpha_20_per_k"] == 0.00393


def test_from_mapping() -> None:
    spec = {
        "Cu-hot": {
            "resistivity_20c_ohm_m": 1.72e-8,
            "alpha_20_per_k": 0.0039,
            "density_kg_per_m3": 8900.0,
        }
    }
    c = conductors.conductors_from_mapping(spec)["Cu-hot"]
    assert c.resistivity_ohm_m(20.0) == pytest.approx(1.72e-8)
    with pytest.raises(repm.InputError, match="unknown keys"):
        conductors.conductors_from_mapping({"x": {**spec["Cu-hot"], "colour": "red"}})
