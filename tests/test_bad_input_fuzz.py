"""Adversarial input fuzzing of the public API and CLI.

Every call either returns finite results or raises a :class:`repm.RepmError`; never a Rust
panic, a bare TypeError/ValueError/KeyError from deep inside, or a NaN/inf in an output.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import repm
from repm import conductors, magnets, materials, steels, winding
from repm.cli import main
from repm.machine_spec import example_path, load_machine

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_FLOATS = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 20.0, -300.0, 1e300, -1e300, 1e-300, math.nan, math.inf, -math.inf]
) | st.floats(allow_nan=True, allow_infinity=True)
_JUNK = st.sampled_from(
    [
        None,
        True,
        False,
        "",
        "abc",
        "1.5",
        [],
        [[]],
        [1.0, "x"],
        [[1.0, 2.0], [3.0]],
        {},
        {"a": 1},
        object(),
        b"12",
        1j,
        np.array([], dtype=np.float64),
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        np.array([1, 2, 3], dtype=np.int64),
        np.array([None, 1.0], dtype=object),
        np.array(["a", "b"]),
        np.array([np.nan]),
        np.array([np.inf, 1.0]),
        np.zeros((2, 0)),
    ]
)
BAD = _FLOATS | _JUNK | st.integers(min_value=-(2**70), max_value=2**70)


def _finite(value: Any) -> None:
    """Asserts every number reachable in ``value`` is finite."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float, np.number)):
        assert math.isfinite(float(value)), value
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            assert np.all(np.isfinite(value)), value
    elif isinstance(value, dict):
        for v in value.values():
            _finite(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _finite(v)
    elif hasattr(value, "to_dict"):
        _finite(value.to_dict())


def _check(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Calls fn; allows RepmError; any other exception or a non-finite output fails."""
    try:
        out = fn(*args, **kwargs)
    except repm.RepmError:
        return None
    _finite(out)
    return out


N42SH = magnets.grade("N42SH")
M270 = steels.steel("M270-35A")
COPPER = conductors.conductor("copper")


# --- magnets ---------------------------------------------------------------------------------


@FUZZ
@given(BAD)
def test_magnet_lookups(x: Any) -> None:
    _check(magnets.grade, x)
    _check(magnets.list_grades, x)
    _check(magnets.ce_substituted, x)
    _check(magnets.ce_substituted, 20.0, hcj_a_per_m=x)
    _check(magnets.ce_substituted, 20.0, br0_t=x)
    _check(magnets.ce_substituted, 20.0, name=x)


@FUZZ
@given(BAD, BAD)
def test_magnet_curves(h: Any, t: Any) -> None:
    for fn in (N42SH.demag_curve, N42SH.intrinsic_curve, N42SH.demag_margin):
        _check(fn, h, t)
        _check(fn, h, 20.0)
        _check(fn, -5e5, t)
    for fn in (N42SH.br_t_at, N42SH.hcj_a_per_m_at, N42SH.knee_field_a_per_m, N42SH.at_temperature):
        _check(fn, t)


@FUZZ
@given(BAD, st.sampled_from(sorted(magnets._FIELDS)))
def test_magnet_custom_fields(x: Any, field: str) -> None:
    _check(magnets.custom_grade, "N42SH", **{field: x})
    d = N42SH.to_dict()
    d[field] = x
    _check(magnets.grade_from_dict, d)


@FUZZ
@given(BAD, BAD, st.text(max_size=5))
def test_magnet_element_bill(mass: Any, price: Any, item: str) -> None:
    _check(N42SH.element_bill, mass)
    _check(N42SH.element_bill, 1.0, {"Dy": price})
    _check(N42SH.element_bill, 1.0, {item: 10.0})
    _check(N42SH.element_bill, 1.0, price)


_CSV_LINES = st.sampled_from(
    [
        "item,basis,usd_per_kg,date,source",
        "Dy,element,300,2021,x",
        "Dy2O3,oxide,nan,2021,x",
        "Dy,element,inf,2021,x",
        "Dy,element,-5,2021,x",
        "Dy,element,abc,2021,x",
        "Dy,element",
        "Xx,element,5,2021,x",
        "Dy,banana,5,2021,x",
        "",
        ",,,,",
        '"Dy,element,5,2021,x',
        "Dy,element,1e400,2021,x",
        "\x00\x01",
        "é,ü,ß,,",
    ]
)


@FUZZ
@given(st.lists(_CSV_LINES, max_size=5))
def test_magnet_price_csv(tmp_path_factory: Any, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("prices") / "p.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    _check(N42SH.element_bill, 2.0, path)
    _check(N42SH.element_bill, 2.0, str(path))


def test_magnet_price_file_odd_paths(tmp_path: Path) -> None:
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    for p in (tmp_path / "missing.csv", tmp_path, binary, ""):
        with pytest.raises(repm.InputError):
            N42SH.element_bill(1.0, p)


# --- steels, conductors ----------------------------------------------------------------------


@FUZZ
@given(BAD)
def test_steel_methods(x: Any) -> None:
    _check(steels.steel, x)
    for fn in (M270.nu, M270.dnu_db2, M270.h_from_b, M270.b_from_h, M270.mu_r):
        _check(fn, x)
    _check(M270.iron_loss_w_per_kg, x, 1.0)
    _check(M270.iron_loss_w_per_kg, 50.0, x)
    _check(M270.with_stacking_factor, x)
    _check(steels.classical_kc, x, 4.6e-7, 7650.0)


_BH_H = [0.0, 50.0, 100.0, 300.0, 1000.0, 10000.0]
_BH_B = [0.0, 0.5, 1.0, 1.4, 1.6, 1.9]
_LOSS = dict(
    loss_f_hz=[50.0, 50.0, 50.0, 400.0, 400.0, 400.0],
    loss_b_t=[0.5, 1.0, 1.5, 0.5, 1.0, 1.5],
    loss_w_per_kg=[0.4, 1.3, 3.0, 6.0, 19.0, 42.0],
)


@FUZZ
@given(BAD, st.sampled_from(["h", "b", "density", "rho", "thick", "sf", "kc", "name", "model"]))
def test_custom_steel(x: Any, which: str) -> None:
    kw: dict[str, Any] = dict(
        name="S",
        bh_h_a_per_m=_BH_H,
        bh_b_t=_BH_B,
        density_kg_per_m3=7650.0,
        resistivity_ohm_m=4.6e-7,
        lamination_thickness_m=3.5e-4,
        **_LOSS,
    )
    key = {
        "h": "bh_h_a_per_m",
        "b": "bh_b_t",
        "density": "density_kg_per_m3",
        "rho": "resistivity_ohm_m",
        "thick": "lamination_thickness_m",
        "sf": "stacking_factor",
        "kc": "kc",
        "name": "name",
        "model": "loss_model",
    }[which]
    kw[key] = x
    if key == "kc":
        kw.pop("resistivity_ohm_m")
    _check(steels.custom_steel, **kw)


@FUZZ
@given(BAD, st.integers(0, 2), st.integers(0, 5))
def test_fit_iron_loss(x: Any, which: int, index: int) -> None:
    data = [list(v) for v in _LOSS.values()]
    data[which][index] = x
    _check(steels.fit_iron_loss, *data)
    _check(steels.fit_iron_loss, *_LOSS.values(), max_iter=x)
    _check(steels.fit_iron_loss, *_LOSS.values(), kc=x)
    data2 = list(_LOSS.values())
    data2[which] = x
    _check(steels.fit_iron_loss, *data2)


@FUZZ
@given(BAD, st.sampled_from(sorted(conductors._KEYS)))
def test_conductors(x: Any, key: str) -> None:
    _check(conductors.conductor, x)
    _check(COPPER.resistivity_ohm_m, x)
    _check(COPPER.conductivity_s_per_m, x)
    spec: dict[str, Any] = dict(
        resistivity_20c_ohm_m=1.75e-8, alpha_20_per_k=0.0039, density_kg_per_m3=8900.0
    )
    spec[key] = x
    _check(conductors.conductors_from_mapping, {"C": spec})
    _check(conductors.custom_conductor, x, **{k: v for k, v in spec.items() if k != "source"})


# --- materials TOML / mapping ----------------------------------------------------------------

_TOML_SCALARS = ['"text"', "true", "nan", "inf", "-inf", "0", "-1", "1e400", "1979-05-27"]
_TOML_VALUES = st.sampled_from(
    [*_TOML_SCALARS, "[]", "[1, 2]", '["a"]', "{}", "{ a = 1 }", "[[1.0], [2.0]]"]
)


@FUZZ
@given(
    st.sampled_from(["magnet", "steel", "conductor"]),
    st.sampled_from(
        [
            "br_t",
            "hcj_a_per_m",
            "composition_wt_pct",
            "base",
            "name",
            "density_kg_per_m3",
            "bh_h_a_per_m",
            "bh_b_t",
            "stacking_factor",
            "loss",
            "resistivity_20c_ohm_m",
            "temperature_max_c",
            "source",
        ]
    ),
    _TOML_VALUES,
)
def test_materials_toml(tmp_path_factory: Any, kind: str, key: str, value: str) -> None:
    base = {
        "magnet": 'base = "N42SH"\n',
        "steel": "density_kg_per_m3 = 7650.0\nbh_h_a_per_m = [0.0, 100.0, 300.0, 1000.0]\n"
        "bh_b_t = [0.0, 0.8, 1.3, 1.5]\n",
        "conductor": "resistivity_20c_ohm_m = 1.75e-8\nalpha_20_per_k = 0.0039\n"
        "density_kg_per_m3 = 8900.0\n",
    }[kind]
    lines = [ln for ln in base.splitlines() if not ln.startswith(key + " ")]
    text = f"[{kind}.X]\n" + "\n".join(lines) + f"\n{key} = {value}\n"
    path = tmp_path_factory.mktemp("toml") / "m.toml"
    path.write_text(text, encoding="utf-8")
    _check(materials.load_toml, path)
    if kind == "steel":
        _check(steels.load_toml, path)
    if kind == "conductor":
        _check(conductors.load_toml, path)


@FUZZ
@given(BAD)
def test_materials_mapping(x: Any) -> None:
    _check(materials.from_mapping, x)
    _check(materials.from_mapping, {"magnet": {"X": x}})
    _check(materials.from_mapping, {"steel": {"X": x}})
    _check(materials.from_mapping, {"conductor": {"X": x}})
    _check(materials.from_mapping, {"magnet": x})
    _check(materials.from_mapping, {"steel": {"X": {"density_kg_per_m3": 1.0, "loss": x}}})


# --- winding ---------------------------------------------------------------------------------

_SIZES = BAD | st.integers(-5, 200) | st.sampled_from([10_000, 10_001, 2**32, 2**64])


@FUZZ
@given(_SIZES, _SIZES, st.sampled_from(["slots", "poles", "phases", "layers", "pitch", "mo"]))
def test_winding_analyse(x: Any, y: Any, which: str) -> None:
    args: dict[str, Any] = dict(slots=12, poles=10, phases=3, layers=2, max_order=13)
    key = {"mo": "max_order"}.get(which, which)
    args[key] = x
    _check(winding.analyse, **args)
    _check(winding.feasibility, x, y)
    _check(winding.analyse, 12, 10, skew_slots=x)
    _check(winding.analyse, x, y, max_order=5)


@FUZZ
@given(BAD | st.lists(_SIZES, max_size=4), st.sampled_from(["slots", "poles", "phases", "mo"]))
def test_winding_table(x: Any, which: str) -> None:
    args: dict[str, Any] = dict(slots=[12, 24], poles=[4, 10], phases=3, layers=2, max_order=7)
    args[{"mo": "max_order"}.get(which, which)] = x
    out = _check(winding.table, **args)
    if out is not None:
        # NaN marks infeasible rows by design; feasible rows must be finite
        assert np.all(np.isfinite(out.kw[out.feasible]))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(slots=range(1, 10_001), poles=range(2, 10_001, 2)),
        dict(slots=[10_000] * 100_000, poles=[10_000] * 100_000),
        dict(slots=[10_000] * 10, poles=[9_998] * 10, max_order=10_000),
    ],
)
def test_winding_table_huge_is_bounded(kwargs: dict[str, Any]) -> None:
    with pytest.raises(repm.InputError, match="too large"):
        winding.table(**kwargs)


def test_winding_analyse_huge_is_bounded() -> None:
    _check(winding.analyse, 10_000, 9_998, max_order=10_000)
    _check(winding.analyse, 9_999, 2, max_order=10_000)


# --- machine file, CLI -----------------------------------------------------------------------


@FUZZ
@given(
    st.sampled_from(
        [
            ("stator", "slots"),
            ("stator", "steel"),
            ("winding", "poles"),
            ("winding", "layers"),
            ("winding", "conductor"),
            ("winding", "operating_temperature_c"),
            ("rotor", "magnet_grade"),
            ("rotor", "magnet_temperature_c"),
            ("rotor", "magnet_mass_kg"),
            ("machine", "rated_power_kw"),
        ]
    ),
    _TOML_VALUES | st.sampled_from(['"N99"', '"nosuch"', "1e9", "100000", "3", "-300.0"]),
)
def test_machine_file_and_demo(
    tmp_path_factory: Any, capsys: Any, where: tuple[str, str], value: str
) -> None:
    table, key = where
    out: list[str] = []
    section = None
    done = False
    for line in example_path("prius2004").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            if section == table and not done:
                out.append(f"{key} = {value}")
                done = True
            section = stripped.strip("[]")
        elif section == table and stripped.split("=")[0].strip() == key:
            continue
        out.append(line)
    if not done:
        out.append(f"[{table}]\n{key} = {value}" if section != table else f"{key} = {value}")
    path = tmp_path_factory.mktemp("machine") / "m.toml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    _check(load_machine, path)
    assert main(["demo", "--machine", str(path), "--json"]) in (0, 2)
    capsys.readouterr()


_CLI_MALFORMED = ["72:6", "a:b", "6:", ":", "1:2:0", "1:2:-1", "0:5", "-4:4", "1e3", "", "3:3:3:3"]
_CLI_ARGS = st.sampled_from(
    [*_CLI_MALFORMED, "12", "10000", "10001", "1:10000", "2:10000", "nan", "99999999999999999999"]
)


@FUZZ
@given(_CLI_ARGS, _CLI_ARGS, st.booleans())
def test_cli_winding(capsys: Any, slots: str, poles: str, table_mode: bool) -> None:
    argv = ["winding", *(["table"] if table_mode else []), f"--slots={slots}", f"--poles={poles}"]
    assert main([*argv, "--json", "--max-order", "7"]) in (0, 2)
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["winding", "--slots", "12", "--poles", "10", "--skew", "nan"],
        ["winding", "--slots", "12", "--poles", "10", "--skew", "inf"],
        ["winding", "--slots", "12", "--poles", "10", "--phases", "0"],
        ["winding", "--slots", "12", "--poles", "10", "--pitch", "0"],
        ["winding", "--slots", "12", "--poles", "10", "--pitch", "-3"],
        ["winding", "--slots", "12", "--poles", "10", "--max-order", "0"],
        ["winding", "--slots", "12", "--poles", "10", "--max-order", "100000"],
        ["winding", "table", "--slots", "12", "--poles", "10", "--phases", "-1"],
        ["materials", "show", "N42SH", "--temperature", "nan"],
        ["materials", "show", "N42SH", "--temperature", "inf"],
        ["materials", "show", "N42SH", "--temperature", "1e9"],
        ["materials", "show", "copper", "--temperature", "nan"],
        ["materials", "show", "copper", "--temperature=-1e9"],
        ["materials", "show", ""],
        ["materials", "show", "nosuch"],
        ["materials", "list", "--family", "nosuch"],
        ["materials", "list", "--kind", "steel", "--family", "nosuch"],
        ["demo", "--machine", "/nonexistent/machine.toml"],
        ["demo", "--machine", "/"],
    ],
)
def test_cli_bad_args(capsys: Any, argv: list[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("repm: error:"), err


# --- regressions of the bugs this fuzzing found (each was a bare Python error or a NaN/inf) ----

_H = [0.0, 50.0, 100.0, 300.0, 1000.0, 10000.0]
_B = [0.0, 0.5, 1.0, 1.4, 1.6, 1.9]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: magnets.list_grades(1.0), "family = 1.0"),
        (lambda: magnets.ce_substituted(""), "ce_share_pct = ''"),
        (lambda: magnets.ce_substituted(20.0, hcj_a_per_m="x"), "hcj_a_per_m = 'x'"),
        (lambda: magnets.ce_substituted(20.0, name=3), "name = 3"),
        (lambda: N42SH.element_bill(None), "mass_kg = None"),
        (lambda: N42SH.element_bill(""), "mass_kg = ''"),
        (lambda: steels.steel([]), r"name = \[\]"),
        (lambda: M270.mu_r(1.3407807929942597e154), r"b_t\[0\]"),
        (lambda: steels.steel(1.0), "name = 1.0"),
        (lambda: steels.classical_kc("", 4.6e-7, 7650.0), "lamination_thickness_m = ''"),
        (lambda: steels.classical_kc(1e160, 4.6e-7, 7650.0), "overflows"),
        (lambda: steels.steel("M400-50A").iron_loss_w_per_kg(1e300, 1e300), "overflows"),
        (lambda: steels.fit_iron_loss(*_LOSS.values(), max_iter=2**70), "max_iter"),
        (lambda: steels.fit_iron_loss(*_LOSS.values(), model=np.array([])), "model = "),
        (lambda: steels.custom_steel(math.nan, _H, _B, density_kg_per_m3=7650.0), "name = nan"),
        (
            lambda: steels.custom_steel("S", _H, _B, density_kg_per_m3=7650.0, source=math.nan),
            "source = nan",
        ),
        (lambda: conductors.conductor(1.0), "name = 1.0"),
        (lambda: magnets.custom_grade(5, br_t=1.0), "base = 5"),
        (lambda: M270.h_from_b(-1e308), "overflows"),
        (
            lambda: steels.custom_steel(
                "x", [0, 1e-300, 2e-300], [0, 1e-300, 2e-300], density_kg_per_m3=7000.0
            ),
            "subnormal",
        ),
        (lambda: magnets.grade_from_dict(None), "grade = None"),
        (lambda: conductors.conductors_from_mapping(5), "conductor = 5"),
        (lambda: steels.steels_from_mapping(5), "steel = 5"),
        (lambda: steels.steel("M400-50A").iron_loss_w_per_kg([1.0, 2.0], [1.0] * 3), "broadcast"),
        (lambda: load_machine(None), "machine file = None"),
        (lambda: materials.load_toml(5), "materials file = 5"),
        (lambda: N42SH.element_bill(1.0, {"Dy": 10**400}), "Dy"),
        (lambda: N42SH.element_bill(1e308, {"Dy": 1e308}), "overflows"),
        (
            lambda: conductors.custom_conductor(
                "c", resistivity_20c_ohm_m=1e-320, alpha_20_per_k=0.0, density_kg_per_m3=1.0
            ).conductivity_s_per_m(20.0),
            "overflows",
        ),
        (
            lambda: conductors.conductors_from_mapping(
                {
                    "C": dict(
                        resistivity_20c_ohm_m=1.75e-8,
                        alpha_20_per_k=0.0039,
                        density_kg_per_m3=8900.0,
                        source=1.0,
                    )
                }
            ),
            "source = 1.0",
        ),
    ],
)
def test_regressions_raise_input_error(call: Any, match: str) -> None:
    with pytest.raises(repm.InputError, match=match):
        call()
