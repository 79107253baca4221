"""Non-oriented electrical steels: B-H curves, reluctivity ν(B²) and iron losses.

Catalogue grades (``list_steels()``): M235-35A, M270-35A, M400-50A, M530-65A, M800-50A, M19 and
M19_29Ga, copied exactly from pyleecan material files (Apache-2.0; each grade's ``source`` names
the file and commit). Which mill datasheet they came from is not stated by pyleecan.

Units: B in T, H in A/m, ν in m/H, losses in W/kg with f in Hz and **peak** B in T, density in
kg/m³, resistivity in Ω·m, thickness in m.

**Reluctivity.** ``Steel.nu(b_squared)`` and ``Steel.dnu_db2(b_squared)`` come from a monotone
piecewise-cubic Hermite interpolant (Steffen) of H(B) through every data point, with ν linear in
B² on the first interval (finite ν(0) and dν/dB²) and, beyond the last point, a differential
permeability relaxing to μ0 over 0.1 T (a model assumption). ν is positive and C¹ in B²,
``dnu_db2`` is its exact derivative and H(B) is strictly increasing, as Newton-Raphson FEM needs.
An optional stacking factor k_f homogenises the stack: B_stack = k_f·B + (1 − k_f)·μ0·H.

**Iron loss.** ``IronLossModel`` is Bertotti, p = kh·f·B^α + kc·(f·B)² + ke·(f·B)^1.5, or
Steinmetz, p = k·f^a·B^b. ``fit_iron_loss`` fits it in Rust (projected Levenberg-Marquardt on
relative errors, coefficients ≥ 0). By default kc is the classical eddy-current value
π²·d²/(6·ρ_e·ρ_m) from thickness d, resistivity ρ_e and density ρ_m. With data at a single
frequency ke is held at 0 (the terms cannot be separated), so the model extrapolates in frequency.
Catalogue grades are fitted this way when first loaded; the fit errors are on ``loss_model``.

**User-defined steels** come from :func:`custom_steel` or a TOML file (:func:`load_toml`)::

    [steel.MyGrade]
    density_kg_per_m3 = 7650.0
    resistivity_ohm_m = 4.6e-7          # optional; with thickness and density gives kc
    lamination_thickness_m = 0.00035    # optional
    stacking_factor = 0.97              # optional, default 1
    source = "supplier datasheet, 2024" # optional
    bh_h_a_per_m = [0.0, 50.0, 100.0, 300.0, 1000.0, 10000.0]
    bh_b_t = [0.0, 0.5, 1.0, 1.4, 1.6, 1.9]

    [steel.MyGrade.loss]                # optional loss table, fitted on load
    model = "bertotti"                  # or "steinmetz"
    f_hz = [50.0, 50.0, 50.0, 400.0, 400.0, 400.0]
    b_peak_t = [0.5, 1.0, 1.5, 0.5, 1.0, 1.5]
    p_w_per_kg = [0.4, 1.3, 3.0, 6.0, 19.0, 42.0]

B-H data: at least 3 points, finite, H and B ≥ 0 and strictly increasing; (0, 0) is added when
missing. Errors: :class:`repm.InputError` (naming the index and value),
:class:`repm.UnknownMaterialError` (with the closest names), :class:`repm.ConvergenceError`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from repm import _core
from repm._toml import read_toml
from repm.errors import InputError

__all__ = [
    "IronLossModel",
    "Steel",
    "classical_kc",
    "custom_steel",
    "dumps_toml",
    "fit_iron_loss",
    "list_steels",
    "load_toml",
    "steel",
    "steels_from_mapping",
]


def _as_f64(x: Any, name: str) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} = {x!r} is invalid: numbers are required") from exc
    return np.ascontiguousarray(arr.ravel()), arr.shape


def _shaped(out: NDArray[np.float64], shape: tuple[int, ...]) -> Any:
    return float(out[0]) if shape == () else out.reshape(shape)


def _floats(x: Any, name: str) -> tuple[float, ...]:
    arr, shape = _as_f64(x, name)
    if len(shape) > 1:
        raise InputError(f"{name} has shape {shape}: a 1-D sequence is required")
    return tuple(float(v) for v in arr)


@dataclass(frozen=True)
class IronLossModel:
    """Iron-loss model with its coefficients (W/kg; f in Hz; B peak in T) and fit quality.

    ``params`` follow ``param_names``: Bertotti ``(kh, alpha, kc, ke)``, Steinmetz ``(k, a, b)``.
    ``rms_rel_error``/``max_rel_error`` are relative errors against the fitted data (None for a
    model given by hand); ``fixed`` names the parameters held fixed in the fit.
    """

    model: str
    params: tuple[float, ...]
    param_names: tuple[str, ...]
    rms_rel_error: float | None = None
    max_rel_error: float | None = None
    n_points: int = 0
    fixed: tuple[str, ...] = ()

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> IronLossModel:
        return cls(
            model=d["model"],
            params=tuple(float(v) for v in d["params"]),
            param_names=tuple(d["param_names"]),
            rms_rel_error=float(d["rms_rel_error"]),
            max_rel_error=float(d["max_rel_error"]),
            n_points=int(d["n_points"]),
            fixed=tuple(d["fixed"]),
        )

    @property
    def coefficients(self) -> dict[str, float]:
        """Coefficients by name, e.g. ``{"kh": ..., "alpha": ..., "kc": ..., "ke": ...}``."""
        return dict(zip(self.param_names, self.params, strict=True))

    def loss_w_per_kg(self, f_hz: Any, b_peak_t: Any) -> Any:
        """Specific iron loss in W/kg at frequency ``f_hz`` (Hz) and peak flux density ``b_peak_t``
        (T); both broadcast, finite and ≥ 0."""
        fa, fshape = _as_f64(f_hz, "f_hz")
        ba, bshape = _as_f64(b_peak_t, "b_peak_t")
        try:
            f, b = np.broadcast_arrays(fa.reshape(fshape), ba.reshape(bshape))
        except ValueError as exc:
            raise InputError(
                f"f_hz shape {fshape} and b_peak_t shape {bshape} are invalid: "
                "they must broadcast together"
            ) from exc
        shape = f.shape
        out = _core.iron_loss_w_per_kg(
            self.model,
            list(self.params),
            np.ascontiguousarray(f.ravel()),
            np.ascontiguousarray(b.ravel()),
        )
        return _shaped(out, shape)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "model": self.model,
            "coefficients": self.coefficients,
            "rms_rel_error": self.rms_rel_error,
            "max_rel_error": self.max_rel_error,
            "n_points": self.n_points,
            "fixed": list(self.fixed),
        }


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name} = {value!r} is invalid: a real number is required")
    try:
        return float(value)
    except OverflowError as exc:
        raise InputError(f"{name} = {value!r} is invalid: a finite number is required") from exc


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{name} = {value!r} is invalid: a non-empty string is required")
    return value


def classical_kc(
    lamination_thickness_m: float, resistivity_ohm_m: float, density_kg_per_m3: float
) -> float:
    """Classical eddy-current coefficient kc = π²·d²/(6·ρ_e·ρ_m) in W/kg/(Hz·T)²."""
    return float(
        _core.classical_kc(
            _number(lamination_thickness_m, "lamination_thickness_m"),
            _number(resistivity_ohm_m, "resistivity_ohm_m"),
            _number(density_kg_per_m3, "density_kg_per_m3"),
        )
    )


def fit_iron_loss(
    f_hz: Any,
    b_peak_t: Any,
    p_w_per_kg: Any,
    *,
    model: str = "bertotti",
    kc: float | None = None,
    lamination_thickness_m: float | None = None,
    resistivity_ohm_m: float | None = None,
    density_kg_per_m3: float | None = None,
    max_iter: int = 200,
) -> IronLossModel:
    """Fit an iron-loss model to measured points (f in Hz, peak B in T, p in W/kg; all > 0).

    ``model`` is ``"bertotti"`` or ``"steinmetz"``. Bertotti only: ``kc`` (W/kg/(Hz·T)²) fixes
    the classical eddy coefficient; when None it is computed as π²·d²/(6·ρ_e·ρ_m) if
    ``lamination_thickness_m``, ``resistivity_ohm_m`` and ``density_kg_per_m3`` are all given,
    and fitted otherwise. With one frequency ke (Bertotti) or a (Steinmetz) is held fixed.
    Raises InputError on bad data (fewer than 4 points, NaN/inf, ≤ 0, unequal lengths) and
    ConvergenceError if the Levenberg-Marquardt iteration exceeds ``max_iter``.
    """
    if not isinstance(model, str) or model not in ("bertotti", "steinmetz"):
        raise InputError(f"model = {model!r} is invalid: must be 'bertotti' or 'steinmetz'")
    if (
        isinstance(max_iter, bool)
        or not isinstance(max_iter, int)
        or not 1 <= max_iter <= _MAX_ITER_LIMIT
    ):
        raise InputError(
            f"max_iter = {max_iter!r} is invalid: must be an integer in 1..={_MAX_ITER_LIMIT}"
        )
    props = (lamination_thickness_m, resistivity_ohm_m, density_kg_per_m3)
    if model == "steinmetz":
        if kc is not None:
            raise InputError("kc is invalid for model='steinmetz': it applies to 'bertotti' only")
    elif kc is None and all(v is not None for v in props):
        kc = classical_kc(*props)  # type: ignore[arg-type]
    if kc is not None and not (isinstance(kc, (int, float)) and math.isfinite(kc) and kc >= 0):
        raise InputError(f"kc = {kc!r} is invalid: must be finite and >= 0")
    f = _as_f64(f_hz, "f_hz")[0]
    b = _as_f64(b_peak_t, "b_peak_t")[0]
    p = _as_f64(p_w_per_kg, "p_w_per_kg")[0]
    d = _core.fit_iron_loss(f, b, p, model, None if kc is None else float(kc), max_iter)
    return IronLossModel._from_core(d)


#: Upper bound of ``max_iter`` in :func:`fit_iron_loss` (keeps a fit bounded in time).
_MAX_ITER_LIMIT = 100_000


@dataclass(frozen=True)
class Steel:
    """An electrical steel: DC B-H data, physical properties, optional loss table and model.

    Build one with :func:`steel` (catalogue), :func:`custom_steel` or :func:`load_toml`. The
    interpolated curve is built in Rust on first use and cached; instances are picklable.
    """

    name: str
    bh_h_a_per_m: tuple[float, ...]
    bh_b_t: tuple[float, ...]
    density_kg_per_m3: float
    resistivity_ohm_m: float | None = None
    lamination_thickness_m: float | None = None
    stacking_factor: float = 1.0
    loss_f_hz: tuple[float, ...] = ()
    loss_b_t: tuple[float, ...] = ()
    loss_w_per_kg: tuple[float, ...] = ()
    loss_model: IronLossModel | None = None
    source: str = "user-defined"
    provenance: str = "user-defined"
    note: str = ""
    _curve: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _text(self.name, "name")
        for label in ("source", "provenance", "note"):
            if not isinstance(getattr(self, label), str):
                raise InputError(
                    f"{label} = {getattr(self, label)!r} is invalid: a string is required"
                )
        object.__setattr__(self, "bh_h_a_per_m", _floats(self.bh_h_a_per_m, "bh_h_a_per_m"))
        object.__setattr__(self, "bh_b_t", _floats(self.bh_b_t, "bh_b_t"))
        for name in ("loss_f_hz", "loss_b_t", "loss_w_per_kg"):
            object.__setattr__(self, name, _floats(getattr(self, name), name))
        if not (
            isinstance(self.density_kg_per_m3, (int, float))
            and math.isfinite(self.density_kg_per_m3)
            and self.density_kg_per_m3 > 0
        ):
            raise InputError(
                f"density_kg_per_m3 = {self.density_kg_per_m3!r} is invalid: must be finite and > 0"
            )
        sf = self.stacking_factor
        if isinstance(sf, bool) or not isinstance(sf, (int, float)):
            raise InputError(f"stacking_factor = {sf!r} is invalid: must be a number in (0, 1]")
        # Validate the B-H data now, so that errors appear where the steel is defined.
        self.curve  # noqa: B018

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_curve"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def curve(self) -> _core.BhCurve:
        """The Rust B-H curve (built once, cached)."""
        if self._curve is None:
            c = _core.BhCurve(
                np.asarray(self.bh_h_a_per_m, dtype=np.float64),
                np.asarray(self.bh_b_t, dtype=np.float64),
                float(self.stacking_factor),
            )
            object.__setattr__(self, "_curve", c)
        return self._curve

    def _apply(self, fn: Any, x: Any, name: str) -> Any:
        arr, shape = _as_f64(x, name)
        return _shaped(fn(arr), shape)

    def nu(self, b_squared: Any) -> Any:
        """Reluctivity ν in m/H at B² (T²; finite, ≥ 0)."""
        return self._apply(self.curve.nu, b_squared, "b_squared")

    def dnu_db2(self, b_squared: Any) -> Any:
        """dν/d(B²) in m/(H·T²) at B² (T²), the exact derivative of :meth:`nu`."""
        return self._apply(self.curve.dnu_db2, b_squared, "b_squared")

    def h_from_b(self, b_t: Any) -> Any:
        """Field strength H in A/m at flux density B in T (odd in B)."""
        return self._apply(self.curve.h_from_b, b_t, "b_t")

    def b_from_h(self, h_a_per_m: Any) -> Any:
        """Flux density B in T at field strength H in A/m (inverse of :meth:`h_from_b`)."""
        return self._apply(self.curve.b_from_h, h_a_per_m, "h_a_per_m")

    def mu_r(self, b_t: Any) -> Any:
        """Relative (secant) permeability B/(μ0·H) at flux density B in T."""
        return self._apply(self.curve.mu_r, b_t, "b_t")

    def with_stacking_factor(self, stacking_factor: float) -> Steel:
        """A copy whose B-H curve is homogenised for stacking factor k_f in (0, 1]."""
        return dataclasses.replace(self, stacking_factor=stacking_factor)

    def iron_loss_w_per_kg(self, f_hz: Any, b_peak_t: Any) -> Any:
        """Specific iron loss in W/kg at f (Hz) and peak B (T) from :attr:`loss_model`."""
        if self.loss_model is None:
            raise InputError(
                f"steel '{self.name}' has no loss model: give loss data to custom_steel() "
                "or fit one with fit_iron_loss()"
            )
        return self.loss_model.loss_w_per_kg(f_hz, b_peak_t)

    @property
    def summary(self) -> str:
        """One line for listings."""
        t = self.lamination_thickness_m
        parts = [
            self.name,
            f"{t * 1e3:.3g} mm" if t is not None else "thickness n/a",
            f"{self.density_kg_per_m3:g} kg/m³",
            f"B-H {len(self.bh_b_t)} pts up to {max(self.bh_b_t):.3g} T",
        ]
        if self.loss_model is not None and self.loss_model.rms_rel_error is not None:
            parts.append(
                f"{self.loss_model.model} loss fit rms {100 * self.loss_model.rms_rel_error:.1f} %"
            )
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of all data and the loss model."""
        return {
            "name": self.name,
            "density_kg_per_m3": self.density_kg_per_m3,
            "resistivity_ohm_m": self.resistivity_ohm_m,
            "lamination_thickness_m": self.lamination_thickness_m,
            "stacking_factor": self.stacking_factor,
            "bh_h_a_per_m": list(self.bh_h_a_per_m),
            "bh_b_t": list(self.bh_b_t),
            "loss_f_hz": list(self.loss_f_hz),
            "loss_b_t": list(self.loss_b_t),
            "loss_w_per_kg": list(self.loss_w_per_kg),
            "loss_model": None if self.loss_model is None else self.loss_model.to_dict(),
            "source": self.source,
            "provenance": self.provenance,
            "note": self.note,
        }


def list_steels() -> list[str]:
    """Names of the catalogue grades."""
    return list(_core.steel_names())


def steel(name: str) -> Steel:
    """Catalogue grade by name (case-insensitive); UnknownMaterialError lists the closest names."""
    if not isinstance(name, str):
        raise InputError(f"name = {name!r} is invalid: a steel grade name string is required")
    return _catalogue_steel(name)


@functools.cache
def _catalogue_steel(name: str) -> Steel:
    d = _core.steel_grade_data(name)
    fit = d["loss_fit"]
    return Steel(
        name=d["name"],
        bh_h_a_per_m=d["bh_h_a_per_m"],
        bh_b_t=d["bh_b_t"],
        density_kg_per_m3=d["density_kg_per_m3"],
        resistivity_ohm_m=d["resistivity_ohm_m"],
        lamination_thickness_m=d["lamination_thickness_m"],
        loss_f_hz=d["loss_f_hz"],
        loss_b_t=d["loss_b_t"],
        loss_w_per_kg=d["loss_w_per_kg"],
        loss_model=None if fit is None else IronLossModel._from_core(fit),
        source=d["source"],
        provenance=d["provenance"],
        note=d["note"],
    )


def custom_steel(
    name: str,
    bh_h_a_per_m: Any,
    bh_b_t: Any,
    *,
    density_kg_per_m3: float,
    resistivity_ohm_m: float | None = None,
    lamination_thickness_m: float | None = None,
    stacking_factor: float = 1.0,
    loss_f_hz: Any = None,
    loss_b_t: Any = None,
    loss_w_per_kg: Any = None,
    loss_model: str = "bertotti",
    kc: float | None = None,
    source: str = "user-defined",
) -> Steel:
    """A user-defined steel from DC B-H data (H in A/m, B in T) and properties (SI).

    Optional loss data (``loss_f_hz`` in Hz, ``loss_b_t`` peak T, ``loss_w_per_kg``; all three or
    none) are fitted with :func:`fit_iron_loss` (``loss_model``, ``kc``; kc defaults to the
    classical value when thickness and resistivity are given). Raises InputError.
    """
    for label, value in (
        ("resistivity_ohm_m", resistivity_ohm_m),
        ("lamination_thickness_m", lamination_thickness_m),
    ):
        if value is not None and not (
            isinstance(value, (int, float)) and math.isfinite(value) and value > 0
        ):
            raise InputError(f"{label} = {value!r} is invalid: must be finite and > 0")
    tables = (loss_f_hz, loss_b_t, loss_w_per_kg)
    model = None
    if any(t is not None for t in tables):
        if any(t is None for t in tables):
            raise InputError(
                "loss data are incomplete: give loss_f_hz, loss_b_t and loss_w_per_kg together"
            )
        model = fit_iron_loss(
            loss_f_hz,
            loss_b_t,
            loss_w_per_kg,
            model=loss_model,
            kc=kc,
            lamination_thickness_m=lamination_thickness_m,
            resistivity_ohm_m=resistivity_ohm_m,
            density_kg_per_m3=density_kg_per_m3,
        )
    return Steel(
        name=name,
        bh_h_a_per_m=bh_h_a_per_m,
        bh_b_t=bh_b_t,
        density_kg_per_m3=density_kg_per_m3,
        resistivity_ohm_m=resistivity_ohm_m,
        lamination_thickness_m=lamination_thickness_m,
        stacking_factor=stacking_factor,
        loss_f_hz=() if loss_f_hz is None else loss_f_hz,
        loss_b_t=() if loss_b_t is None else loss_b_t,
        loss_w_per_kg=() if loss_w_per_kg is None else loss_w_per_kg,
        loss_model=model,
        source=source,
    )


_STEEL_KEYS = {
    "density_kg_per_m3",
    "resistivity_ohm_m",
    "lamination_thickness_m",
    "stacking_factor",
    "source",
    "bh_h_a_per_m",
    "bh_b_t",
    "loss",
}
_LOSS_KEYS = {"model", "kc", "f_hz", "b_peak_t", "p_w_per_kg"}


def steels_from_mapping(data: dict[str, Any], where: str = "steel") -> dict[str, Steel]:
    """Steels from a Python mapping ``{name: {field: value}}`` laid out like the ``[steel.NAME]``
    tables of the TOML format (see the module doc; ``loss`` is a nested mapping). Raises
    InputError on unknown or missing keys and on invalid values."""
    if not isinstance(data, dict):
        raise InputError(f"{where} = {data!r} is invalid: a table {{name: {{field: value}}}}")
    out: dict[str, Steel] = {}
    for name, spec in data.items():
        if not isinstance(spec, dict):
            raise InputError(f"{where}.{name} must be a table")
        unknown = set(spec) - _STEEL_KEYS
        missing = {"density_kg_per_m3", "bh_h_a_per_m", "bh_b_t"} - set(spec)
        if unknown or missing:
            raise InputError(
                f"{where}.{name}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}; "
                f"allowed: {sorted(_STEEL_KEYS)}"
            )
        loss = spec.get("loss", {})
        if not isinstance(loss, dict):
            raise InputError(f"{where}.{name}.loss must be a table")
        if set(loss) - _LOSS_KEYS:
            raise InputError(
                f"{where}.{name}.loss: unknown keys {sorted(set(loss) - _LOSS_KEYS)}; "
                f"allowed: {sorted(_LOSS_KEYS)}"
            )
        out[name] = custom_steel(
            name,
            spec["bh_h_a_per_m"],
            spec["bh_b_t"],
            density_kg_per_m3=spec["density_kg_per_m3"],
            resistivity_ohm_m=spec.get("resistivity_ohm_m"),
            lamination_thickness_m=spec.get("lamination_thickness_m"),
            stacking_factor=spec.get("stacking_factor", 1.0),
            loss_f_hz=loss.get("f_hz"),
            loss_b_t=loss.get("b_peak_t"),
            loss_w_per_kg=loss.get("p_w_per_kg"),
            loss_model=loss.get("model", "bertotti"),
            kc=loss.get("kc"),
            source=spec.get("source", "user-defined"),
        )
    return out


def load_toml(path: str | Path) -> dict[str, Steel]:
    """Steels defined in the ``[steel.NAME]`` tables of a TOML file (format in the module doc)."""
    data = read_toml(path, "steel file")
    section = data.get("steel")
    if not isinstance(section, dict) or not section:
        raise InputError(f"{path}: no [steel.NAME] table found")
    return steels_from_mapping(section)


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(float(v))


def dumps_toml(steels: dict[str, Steel] | list[Steel]) -> str:
    """TOML text that :func:`load_toml` reads back into equal steels (loss data are refitted)."""
    items = steels.values() if isinstance(steels, dict) else steels
    lines: list[str] = []
    for s in items:
        lines.append(f"[steel.{json.dumps(s.name)}]")
        for key in ("density_kg_per_m3", "resistivity_ohm_m", "lamination_thickness_m"):
            if getattr(s, key) is not None:
                lines.append(f"{key} = {_toml_value(getattr(s, key))}")
        lines.append(f"stacking_factor = {_toml_value(s.stacking_factor)}")
        lines.append(f"source = {_toml_value(s.source)}")
        lines.append(f"bh_h_a_per_m = {_toml_value(s.bh_h_a_per_m)}")
        lines.append(f"bh_b_t = {_toml_value(s.bh_b_t)}")
        if s.loss_f_hz:
            lines.append(f"\n[steel.{json.dumps(s.name)}.loss]")
            if s.loss_model is not None:
                lines.append(f"model = {_toml_value(s.loss_model.model)}")
                if s.loss_model.model == "bertotti" and "kc" in s.loss_model.fixed:
                    lines.append(f"kc = {_toml_value(s.loss_model.coefficients['kc'])}")
            lines.append(f"f_hz = {_toml_value(s.loss_f_hz)}")
            lines.append(f"b_peak_t = {_toml_value(s.loss_b_t)}")
            lines.append(f"p_w_per_kg = {_toml_value(s.loss_w_per_kg)}")
        lines.append("")
    return "\n".join(lines)
