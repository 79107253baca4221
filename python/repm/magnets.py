"""Permanent-magnet grades: catalogue, temperature model, demagnetisation curve, element bill.

Units: SI (T, A/m, J/m³, kg/m³, Ω·m), temperatures in °C, coefficients in %/°C.

* :func:`grade` looks a catalogue grade up by name (case-insensitive); :func:`list_grades` lists
  names. The catalogue holds sintered NdFeB (N35…N55 and the M, H, SH, UH, EH, AH classes),
  Ce-substituted NdFeB presets ``Ce10-NdFeB`` … ``Ce50-NdFeB`` (model), grain-boundary-diffused
  variants such as ``N48H-GBD-Tb`` (model), SmCo5, Sm2Co17, sintered ferrite (Y grades) and
  bonded NdFeB. Sources and modelling choices: ``rust/materials/data/README.md``; every grade
  carries ``source``, ``provenance`` and ``notes``.
* :func:`ce_substituted` builds a Ce-substituted grade for any Ce share 0–50 % of the rare earths.
* :func:`custom_grade` builds a validated user grade (also what TOML user materials use).

Temperature model: ``Br(T) = Br·(1 + α/100·(T − T_ref))``, ``HcJ(T) = HcJ·(1 + β/100·(T − T_ref))``.
Demagnetisation curve: ``J(H) = J_rec(H)·(1 − g(−H/HcJ))`` with the recoil line
``J_rec = Br + (μrec − 1)·μ0·H`` and a smooth knee ``g`` (``g(0) = 0``, ``g(1) = 1``) whose
sharpness puts the knee field ``H_knee = −s·HcJ(T)`` (``s`` = squareness Hk/HcJ of the family)
where J is 10 % below the recoil line; ``B = μ0·H + J``.
``demag_margin = H − H_knee(T)`` (A/m; negative means irreversible demagnetisation).

Errors: unknown names raise :class:`repm.UnknownMaterialError` (with the 3 closest names),
temperatures outside ``min_temperature_c … max_working_temperature_c`` raise
:class:`repm.TemperatureRangeError`, NaN/inf and other invalid values raise
:class:`repm.InputError`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from repm import _core
from repm.errors import InputError, TemperatureRangeError

__all__ = [
    "ElementBill",
    "MagnetGrade",
    "ce_substituted",
    "custom_grade",
    "default_prices",
    "families",
    "grade",
    "grade_from_dict",
    "list_grades",
]

ArrayLike = npt.ArrayLike
FloatOrArray = float | npt.NDArray[np.float64]


def _as_float_array(value: ArrayLike, field: str) -> npt.NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"{field} = {value!r} is invalid: numbers are required") from err
    return arr


def _real(value: Any, field: str, optional: bool = False) -> float | None:
    """``value`` as a float; InputError unless it is a real number (not bool), or None if
    ``optional``. Finiteness and ranges are checked by the Rust core."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{field} = {value!r} is invalid: a real number is required")
    try:
        return float(value)
    except OverflowError as err:
        raise InputError(f"{field} = {value!r} is invalid: a finite number is required") from err


def _opt_str(value: Any, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputError(f"{field} = {value!r} is invalid: a string or None is required")
    return value


@dataclass(frozen=True)
class ElementBill:
    """Element accounting of a magnet mass.

    ``element_kg``: kg per element (``other`` = additives/binder); ``oxide_kg``: kg of oxide
    equivalent keyed by oxide formula (REO basis, stoichiometric factors from standard atomic
    weights); ``cost_usd``: USD per priced element; ``unpriced``: elements with mass but no price
    (not costed); ``prices``: the price table used, as (item, basis, usd_per_kg, date, source).
    """

    mass_kg: float
    element_kg: dict[str, float]
    oxide_kg: dict[str, float]
    cost_usd: dict[str, float]
    total_cost_usd: float
    unpriced: tuple[str, ...]
    prices: tuple[tuple[str, str, float, str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-friendly)."""
        d = dataclasses.asdict(self)
        d["unpriced"] = list(self.unpriced)
        d["prices"] = [
            {"item": i, "basis": b, "usd_per_kg": u, "date": dt, "source": s}
            for i, b, u, dt, s in self.prices
        ]
        return d


def default_prices() -> list[tuple[str, str, float, str, str]]:
    """The embedded, dated default price table: (item, basis, usd_per_kg, date, source)."""
    return list(_core.magnet_default_prices())


def _prices_arg(
    prices: Mapping[str, float] | str | os.PathLike[str] | None,
) -> list[tuple[str, str, float, str, str]] | None:
    if prices is None:
        return None
    if isinstance(prices, (str, os.PathLike)):
        path = Path(prices)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(
                f"prices = {str(path)!r} is invalid: cannot read file ({err})"
            ) from err
        return list(_core.magnet_parse_prices(text))
    if isinstance(prices, Mapping):
        symbols = {sym for sym, _, _, _ in _core.magnet_element_data()}
        rows = []
        for item, usd in prices.items():
            basis = "element" if item in symbols else "oxide"
            try:
                value = float(usd)
            except (TypeError, ValueError, OverflowError) as err:
                raise InputError(f"prices[{item!r}] = {usd!r} is invalid: USD/kg number") from err
            rows.append((str(item), basis, value, "user", "user-supplied price"))
        return list(_core.magnet_check_prices(rows))
    raise InputError(
        f"prices = {prices!r} is invalid: None, a dict {{item: USD/kg}} or a CSV path is allowed"
    )


@dataclass(frozen=True)
class MagnetGrade:
    """A permanent-magnet grade at its reference temperature (SI units, °C, %/°C).

    Nominal values are supplier minimum (guaranteed) values where the table gives a range;
    see ``source``, ``provenance`` ("exact (...)", "model" or "user") and ``notes`` for which
    fields were filled from generic values or models. ``squareness`` is Hk/HcJ of the knee model;
    ``composition_wt_pct`` is model data unless stoichiometric (SmCo).
    """

    name: str
    family: str
    coercivity_class: str
    br_t: float
    hcb_a_per_m: float
    hcj_a_per_m: float
    mu_rec: float
    bhmax_j_per_m3: float
    alpha_br_pct_per_c: float
    beta_hcj_pct_per_c: float
    reference_temperature_c: float
    min_temperature_c: float
    max_working_temperature_c: float
    squareness: float
    curie_temperature_c: float | None
    density_kg_per_m3: float
    resistivity_ohm_m: float
    composition_wt_pct: tuple[tuple[str, float], ...]
    source: str
    provenance: str
    notes: str = ""

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def _from_core(cls, d: Mapping[str, Any]) -> MagnetGrade:
        fields = dict(d)
        fields["composition_wt_pct"] = tuple(
            (str(k), float(v)) for k, v in fields["composition_wt_pct"]
        )
        return cls(**fields)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MagnetGrade:
        """Rebuilds (and validates) a grade from :meth:`to_dict` output."""
        return grade_from_dict(d)

    def to_dict(self) -> dict[str, Any]:
        """All fields as a plain dict; ``composition_wt_pct`` as a dict."""
        d = dataclasses.asdict(self)
        d["composition_wt_pct"] = dict(self.composition_wt_pct)
        return d

    # --- model --------------------------------------------------------------------------------
    def _model(self) -> tuple[float, ...]:
        return (
            self.br_t,
            self.hcj_a_per_m,
            self.alpha_br_pct_per_c,
            self.beta_hcj_pct_per_c,
            self.reference_temperature_c,
            self.min_temperature_c,
            self.max_working_temperature_c,
            self.mu_rec,
            self.squareness,
        )

    def _kernel(
        self, quantity: str, h: npt.NDArray[np.float64], t: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        try:
            return _core.magnet_eval(quantity, self._model(), h, t)
        except TemperatureRangeError as err:
            raise TemperatureRangeError(f"grade {self.name}: {err}") from None

    def _eval_t(self, quantity: str, temperature_c: ArrayLike) -> FloatOrArray:
        t = _as_float_array(temperature_c, "temperature_c")
        flat = np.ascontiguousarray(t.ravel())
        out = self._kernel(quantity, flat, flat)
        return float(out[0]) if t.ndim == 0 else out.reshape(t.shape)

    def _eval_ht(
        self, quantity: str, h: ArrayLike, temperature_c: ArrayLike, name: str
    ) -> FloatOrArray:
        ha = _as_float_array(h, name)
        ta = _as_float_array(temperature_c, "temperature_c")
        try:
            hb, tb = np.broadcast_arrays(ha, ta)
        except ValueError as err:
            raise InputError(
                f"{name} shape {ha.shape} and temperature_c shape {ta.shape} are invalid: "
                "they must broadcast together"
            ) from err
        hf = np.ascontiguousarray(hb.ravel())
        tf = np.ascontiguousarray(tb.ravel())
        out = self._kernel(quantity, hf, tf)
        return float(out[0]) if hb.ndim == 0 else out.reshape(hb.shape)

    def br_t_at(self, temperature_c: ArrayLike) -> FloatOrArray:
        """Remanence Br(T) in T at ``temperature_c`` (°C, scalar or array)."""
        return self._eval_t("br", temperature_c)

    def hcj_a_per_m_at(self, temperature_c: ArrayLike) -> FloatOrArray:
        """Intrinsic coercivity HcJ(T) in A/m at ``temperature_c`` (°C)."""
        return self._eval_t("hcj", temperature_c)

    def knee_field_a_per_m(self, temperature_c: ArrayLike) -> FloatOrArray:
        """Knee field H_knee(T) = −squareness·HcJ(T) in A/m (negative) at ``temperature_c`` °C."""
        return self._eval_t("knee", temperature_c)

    def demag_curve(self, h_a_per_m: ArrayLike, temperature_c: ArrayLike) -> FloatOrArray:
        """Flux density B(H, T) in T for ``h_a_per_m`` ≥ −HcJ(T) (A/m), broadcast with T (°C)."""
        return self._eval_ht("b", h_a_per_m, temperature_c, "h_a_per_m")

    def intrinsic_curve(self, h_a_per_m: ArrayLike, temperature_c: ArrayLike) -> FloatOrArray:
        """Intrinsic polarisation J(H, T) = B − μ0·H in T, same arguments as :meth:`demag_curve`."""
        return self._eval_ht("j", h_a_per_m, temperature_c, "h_a_per_m")

    def demag_margin(
        self, h_along_magnetisation: ArrayLike, temperature_c: ArrayLike
    ) -> FloatOrArray:
        """Margin to the knee in A/m: ``h_along_magnetisation − H_knee(T)``.

        ``h_along_magnetisation`` is the field component along the magnetisation (A/m; negative
        when opposing). Negative margin means irreversible demagnetisation. Broadcasts arrays
        and a scalar temperature (°C).
        """
        return self._eval_ht(
            "margin", h_along_magnetisation, temperature_c, "h_along_magnetisation"
        )

    def at_temperature(self, temperature_c: float) -> dict[str, float]:
        """All temperature-dependent values at one temperature (°C): ``br_t`` (T), ``hcj_a_per_m``,
        ``knee_field_a_per_m`` (A/m) from the temperature model, and ``hcb_a_per_m`` (A/m),
        ``bhmax_j_per_m3`` (J/m³) from the model demagnetisation curve at that temperature."""
        t = _as_float_array(temperature_c, "temperature_c")
        if t.ndim != 0:
            raise InputError(f"temperature_c = {temperature_c!r} is invalid: a scalar is required")
        tf = float(t)
        out: dict[str, float] = {"temperature_c": tf}
        for key, q in (
            ("br_t", "br"),
            ("hcj_a_per_m", "hcj"),
            ("hcb_a_per_m", "hcb"),
            ("knee_field_a_per_m", "knee"),
            ("bhmax_j_per_m3", "bhmax"),
        ):
            out[key] = float(self._eval_t(q, tf))
        return out

    # --- composition and cost -----------------------------------------------------------------
    def composition(self) -> dict[str, float]:
        """Composition in wt % (model data unless stoichiometric; see ``notes``)."""
        return dict(self.composition_wt_pct)

    def element_fractions(self) -> dict[str, float]:
        """kg of each element per kg of magnet (sums to 1)."""
        bill = self.element_bill(1.0)
        return dict(bill.element_kg)

    def element_bill(
        self,
        mass_kg: float,
        prices: Mapping[str, float] | str | os.PathLike[str] | None = None,
    ) -> ElementBill:
        """Element bill of ``mass_kg`` kg of this magnet.

        ``prices``: None for the embedded dated table (USGS MCS 2021 oxide prices, see
        :func:`default_prices`), a dict ``{item: USD/kg}`` where item is an element symbol
        (``"Dy"``, price per kg of element) or an oxide formula (``"Dy2O3"``, per kg of oxide), or
        the path of a CSV with columns item, basis, usd_per_kg, date, source.
        """
        d = _core.magnet_element_bill(
            list(self.composition_wt_pct), _real(mass_kg, "mass_kg"), _prices_arg(prices)
        )
        totals = [
            d["total_cost_usd"],
            *dict(d["element_kg"]).values(),
            *dict(d["cost_usd"]).values(),
        ]
        if not all(np.isfinite(totals)):
            raise InputError(
                f"mass_kg = {mass_kg!r} is invalid with these prices: the bill overflows to inf"
            )
        return ElementBill(
            mass_kg=float(d["mass_kg"]),
            element_kg=dict(d["element_kg"]),
            oxide_kg=dict(d["oxide_kg"]),
            cost_usd=dict(d["cost_usd"]),
            total_cost_usd=float(d["total_cost_usd"]),
            unpriced=tuple(d["unpriced"]),
            prices=tuple(tuple(p) for p in d["prices"]),
        )


def grade(name: str) -> MagnetGrade:
    """Catalogue grade by name, case-insensitive (e.g. ``"N42SH"``, ``"sm2co17-28"``).

    Raises :class:`repm.UnknownMaterialError` listing the 3 closest names.
    """
    if not isinstance(name, str):
        raise InputError(f"name = {name!r} is invalid: a grade name string is required")
    return MagnetGrade._from_core(_core.magnet_grade(name))


def list_grades(family: str | None = None) -> list[str]:
    """Catalogue grade names, optionally of one family (see :func:`families`)."""
    return list(_core.magnet_list(_opt_str(family, "family")))


def families() -> list[str]:
    """Family identifiers: sintered_ndfeb, ce_ndfeb, gbd_ndfeb, smco5, sm2co17, ferrite,
    bonded_ndfeb, custom."""
    return list(_core.magnet_families())


def ce_substituted(
    ce_share_pct: float,
    hcj_a_per_m: float | None = None,
    br0_t: float | None = None,
    name: str | None = None,
) -> MagnetGrade:
    """Ce-substituted sintered NdFeB grade for a Ce share of the rare earths of 0–50 % (model data).

    ``Br = br0_t·(1 − 0.00469·ce_share_pct)`` (default ``br0_t`` = 1.3325 T: the line through the
    sintered points 1.22 T at 18 % Ce and 1.02 T at 50 % Ce; linearity is an assumption).
    ``hcj_a_per_m`` is a process input (default 1026e3 A/m, the 50 % Ce magnet of Materials 2024).
    Curie temperature linear between Nd2Fe14B (312 °C) and Ce2Fe14B (≈140 °C); α, β and the max
    working temperature scaled from the Ce-free N series by the reduced Curie temperature.
    """
    return MagnetGrade._from_core(
        _core.magnet_ce_substituted(
            _real(ce_share_pct, "ce_share_pct"),
            _real(hcj_a_per_m, "hcj_a_per_m", optional=True),
            _real(br0_t, "br0_t", optional=True),
            _opt_str(name, "name"),
        )
    )


_FIELDS = tuple(f.name for f in dataclasses.fields(MagnetGrade))
_REQUIRED = (
    "name",
    "br_t",
    "hcj_a_per_m",
    "alpha_br_pct_per_c",
    "beta_hcj_pct_per_c",
    "max_working_temperature_c",
    "density_kg_per_m3",
    "resistivity_ohm_m",
    "composition_wt_pct",
)
_CURVE_INPUTS = ("br_t", "hcj_a_per_m", "mu_rec", "squareness")


def custom_grade(base: str | MagnetGrade | None = None, **props: Any) -> MagnetGrade:
    """A validated user-defined grade.

    Without ``base`` these are required: name, br_t (T), hcj_a_per_m (A/m), alpha_br_pct_per_c,
    beta_hcj_pct_per_c (%/°C), max_working_temperature_c (°C), density_kg_per_m3,
    resistivity_ohm_m (Ω·m), composition_wt_pct (dict element → wt %, summing to 100; ``other``
    allowed). Optional: family (default "custom"), mu_rec (1.05), reference_temperature_c (20),
    min_temperature_c and squareness (family defaults), hcb_a_per_m and bhmax_j_per_m3 (computed
    from the model curve when omitted), coercivity_class, curie_temperature_c, source, notes.
    With ``base`` (a grade or catalogue name) every field starts from that grade and ``props``
    override it. Provenance is "user". Invalid values raise :class:`repm.InputError`.
    """
    unknown = sorted(set(props) - set(_FIELDS))
    if unknown:
        raise InputError(
            f"custom_grade field(s) {unknown} are invalid: allowed fields are {', '.join(_FIELDS)}"
        )
    if base is not None:
        if not isinstance(base, (str, MagnetGrade)):
            raise InputError(
                f"base = {base!r} is invalid: a catalogue grade name or a MagnetGrade is required"
            )
        start = (grade(base) if isinstance(base, str) else base).to_dict()
        if any(k in props for k in _CURVE_INPUTS):
            start["hcb_a_per_m"] = None
            start["bhmax_j_per_m3"] = None
        start["provenance"] = "user"
        start["source"] = f"user grade based on {start['name']}"
        fields: dict[str, Any] = {**start, **props}
    else:
        missing = [k for k in _REQUIRED if props.get(k) is None]
        if missing:
            raise InputError(
                f"custom_grade field(s) {missing} = missing are invalid: these fields are required"
            )
        family = props.get("family", "custom")
        squareness, t_min, _ = _core.magnet_family_model(str(family))
        fields = {
            "family": family,
            "coercivity_class": "",
            "mu_rec": 1.05,
            "reference_temperature_c": 20.0,
            "min_temperature_c": t_min,
            "squareness": squareness,
            "hcb_a_per_m": None,
            "bhmax_j_per_m3": None,
            "curie_temperature_c": None,
            "source": "user",
            "provenance": "user",
            "notes": "",
            **props,
        }
    return grade_from_dict(fields)


def grade_from_dict(d: Mapping[str, Any]) -> MagnetGrade:
    """Builds and validates a grade from a complete dict (:meth:`MagnetGrade.to_dict`, TOML)."""
    if not isinstance(d, Mapping):
        raise InputError(f"grade = {d!r} is invalid: a mapping of grade fields is required")
    unknown = sorted(set(d) - set(_FIELDS))
    if unknown:
        raise InputError(
            f"grade field(s) {unknown} are invalid: allowed fields are {', '.join(_FIELDS)}"
        )
    fields = dict(d)
    comp = fields.get("composition_wt_pct")
    if isinstance(comp, Mapping):
        fields["composition_wt_pct"] = [(str(k), v) for k, v in comp.items()]
    elif comp is not None:
        try:
            fields["composition_wt_pct"] = [(str(k), v) for k, v in comp]
        except (TypeError, ValueError) as err:
            raise InputError(
                f"composition_wt_pct = {comp!r} is invalid: a dict element -> wt % is required"
            ) from err
    for key, value in list(fields.items()):
        if key in ("composition_wt_pct",) or value is None or isinstance(value, str):
            continue
        if isinstance(value, bool):
            raise InputError(f"{key} = {value!r} is invalid: a number is required")
    return MagnetGrade._from_core(_core.magnet_validate(fields))
