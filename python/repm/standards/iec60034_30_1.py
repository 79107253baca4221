"""IEC 60034-30-1 efficiency classes (IE1–IE4) and a derived IE5, with the provenance of each value.

Sources (bundled in ``repm/data/standards/``, copied from the project's reference data with their
``source``/``provenance`` columns):

* ``iec60034_30_1_coefficients.csv``: the interpolation coefficients A, B, C, D of IE2, IE3 and IE4
  at 50 Hz, 2/4/6/8 poles, for 0.12–0.55 kW (Table 27) and 0.75–200 kW (Table 28) of UK SI
  2021/745 Schedule 16 paragraph 5, which transposes Reg. (EU) 2019/1781 Annex I (exact).
  η = A·x³ + B·x² + C·x + D with x = log10(P / 1 kW), rounded half-up to 0.1 %.
* ``iec60034_30_1_tables.csv``: the tabulated values: IE2–IE4 at 50 Hz computed from the
  coefficients; IE1 at 50 Hz (2/4/6 poles, 0.75–250 kW) and the 250 kW IE2/IE3 row from a
  secondary copy of the IEC 60034-30:2008 table (energie.ch); IE2/IE3 at 60 Hz as the US 10 CFR
  431.25 EPAct / NEMA Premium levels (the IE label is an equivalence, secondary); IE5 *derived*.

How values are obtained (the ``provenance`` of each :class:`EfficiencyLimit`):

* ``computed``: IE2–IE4, 50 Hz, 0.12–200 kW, from the exact coefficients. Ratings below 0.75 kW
  use Table 27, from 0.75 kW Table 28 (between 0.55 and 0.75 kW Table 27 is used: our
  interpretation, the regulation's two tables do not say).
* ``secondary``: tabulated IE1 (50 Hz) and 60 Hz values. For a rating between two tabulated
  ratings the rule of SI 2021/745 Schedule 16 paragraph 5 (exact) applies: at or above the midpoint
  the higher of the two efficiencies, below it the lower.
* ``assumption``: 200–1000 kW at 50 Hz use the 200 kW value (SI 2021/745 covers motors up to
  1000 kW, the coefficient table stops at 200 kW; the secondary 250 kW row equals the 200 kW row
  for IE1–IE3, 2/4/6 poles, which supports but does not prove the assumption).
* ``derived``: IE5. The IEC TS 60034-30-2 table was **not found**. IE5 is derived from the
  unrounded IE4 value with "20 % lower losses at rated output",
  η5 = 100 / (1 + 0.8·(100/η4 − 1)) (rule stated by a manufacturer's blog, HEM Motor; secondary),
  which reproduces the IE5 rows of the tables file.

Outside the scope (power below 0.12 kW or above 1000 kW, poles other than 2/4/6/8, frequency
other than 50/60 Hz) and classes without a sourced value (IE1 at 8 poles or below 0.75 kW, IE4 and
IE5 at 60 Hz, IE1 at 60 Hz) raise :class:`repm.StandardsError` instead of guessing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from repm.errors import StandardsError
from repm.standards._data import finite, positive, read_csv, round_half_up

CLASSES = ("IE1", "IE2", "IE3", "IE4", "IE5")
POLES = (2, 4, 6, 8)
FREQUENCIES_HZ = (50, 60)
MIN_POWER_KW = 0.12
MAX_POWER_KW = 1000.0
FORMULA_MAX_KW = 200.0
TABLE28_MIN_KW = 0.75

#: The standard ratings of the 50 Hz tables (kW), as in SI 2021/745 Tables 27/28.
RATINGS_50HZ_KW = (
    0.12, 0.18, 0.2, 0.25, 0.37, 0.4, 0.55, 0.75, 1.1, 1.5, 2.2, 3.0, 4.0, 5.5, 7.5, 11.0, 15.0,
    18.5, 22.0, 30.0, 37.0, 45.0, 55.0, 75.0, 90.0, 110.0, 132.0, 160.0, 200.0,
)  # fmt: skip

_COEFF_SOURCE = (
    "UK SI 2021/745 Schedule 16 paragraph 5 Tables 27-28 (transposing Reg. (EU) 2019/1781 "
    "Annex I), coefficients in repm/data/standards/iec60034_30_1_coefficients.csv"
)
_IE5_RULE = (
    "IE5 DERIVED, not the IEC TS 60034-30-2 table (not found): losses at rated output 20 % below "
    "the IE4 limit, eta5 = 100/(1 + 0.8*(100/eta4 - 1)) with unrounded eta4 (rule from HEM Motor "
    "'IE5 Ultra Premium' guide, secondary)"
)


@dataclass(frozen=True)
class EfficiencyLimit:
    """Minimum nominal efficiency of one IE class at one rating.

    ``efficiency_pct`` is the limit in % at 0.1 % resolution; ``unrounded_pct`` the formula value
    before rounding (None for table lookups); ``provenance`` is one of ``computed``,
    ``secondary``, ``assumption``, ``derived``; ``source`` and ``note`` say where it comes from.
    """

    ie_class: str
    power_kw: float
    poles: int
    frequency_hz: int
    efficiency_pct: float
    unrounded_pct: float | None
    provenance: str
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Classification:
    """Result of :func:`classify`.

    ``ie_class`` is the highest class whose minimum the efficiency meets ("IE3", or "below IE1"
    / "below IE2" when the lowest available class is not met); ``limits`` maps each available class
    to its minimum efficiency in %; ``provenance`` maps each class to how its limit was obtained;
    ``unavailable`` maps classes without a sourced value to the reason; ``notes`` lists caveats.
    """

    power_kw: float
    poles: int
    frequency_hz: int
    efficiency_pct: float
    ie_class: str
    limits: dict[str, float]
    provenance: dict[str, str]
    unavailable: dict[str, str]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["class"] = d.pop("ie_class")
        d["notes"] = list(self.notes)
        return d


@cache
def _coefficients() -> dict[tuple[str, int, str], tuple[float, float, float, float]]:
    out = {}
    for r in read_csv("iec60034_30_1_coefficients.csv"):
        key = (r["ie_class"], int(r["poles"]), r["table"])
        out[key] = (float(r["A"]), float(r["B"]), float(r["C"]), float(r["D"]))
    return out


@cache
def _tabulated() -> dict[tuple[str, int, int], tuple[tuple[float, float, str, str], ...]]:
    """(class, f, poles) -> sorted ((power_kw, eta, provenance, source), ...) of table rows."""
    acc: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = {}
    for r in read_csv("iec60034_30_1_tables.csv"):
        key = (r["ie_class"], int(r["frequency_hz"]), int(r["poles"]))
        acc.setdefault(key, []).append(
            (float(r["rated_power_kw"]), float(r["eta_min_pct"]), r["provenance"], r["source"])
        )
    return {k: tuple(sorted(v)) for k, v in acc.items()}


def _check_inputs(ie_class: str, power_kw: float, poles: int, frequency_hz: float) -> int:
    if ie_class not in CLASSES:
        raise StandardsError(f"ie_class = {ie_class!r} is invalid: must be one of {CLASSES}")
    p = positive("power_kw", power_kw)
    if not MIN_POWER_KW <= p <= MAX_POWER_KW:
        raise StandardsError(
            f"power_kw = {power_kw!r} is outside the scope of IEC 60034-30-1 "
            f"({MIN_POWER_KW} to {MAX_POWER_KW:g} kW); no limit is defined there"
        )
    if poles not in POLES:
        raise StandardsError(
            f"poles = {poles!r} is outside the scope of IEC 60034-30-1 (2, 4, 6 or 8 poles)"
        )
    f = finite("frequency_hz", frequency_hz)
    if f not in FREQUENCIES_HZ:
        raise StandardsError(f"frequency_hz = {frequency_hz!r} is invalid: must be 50 or 60")
    return int(f)


def _formula(ie_class: str, poles: int, power_kw: float) -> float:
    table = "Table 27" if power_kw < TABLE28_MIN_KW else "Table 28"
    a, b, c, d = _coefficients()[(ie_class, poles, table)]
    x = math.log10(power_kw)
    return ((a * x + b) * x + c) * x + d


def _lookup(ie_class: str, f: int, poles: int, power_kw: float) -> EfficiencyLimit:
    rows = _tabulated().get((ie_class, f, poles))
    if not rows:
        raise StandardsError(
            f"{ie_class} at {f} Hz, {poles} poles: no sourced table (not found in the reference "
            "data); no limit is given rather than a guess"
        )
    lo, hi = rows[0][0], rows[-1][0]
    if not lo <= power_kw <= hi:
        raise StandardsError(
            f"power_kw = {power_kw!r}: {ie_class} at {f} Hz, {poles} poles is only sourced for "
            f"{lo:g} to {hi:g} kW"
        )
    for pk, eta, prov, src in rows:
        if math.isclose(pk, power_kw, rel_tol=1e-9):
            return EfficiencyLimit(ie_class, power_kw, poles, f, eta, None, prov, src)
    i = next(k for k, row in enumerate(rows) if row[0] > power_kw)
    (p0, e0, prov0, src0), (p1, e1, prov1, _) = rows[i - 1], rows[i]
    mid = 0.5 * (p0 + p1)
    eta = max(e0, e1) if power_kw >= mid else min(e0, e1)
    note = (
        f"not a tabulated rating: between {p0:g} and {p1:g} kW (midpoint {mid:g} kW), the "
        f"{'higher' if power_kw >= mid else 'lower'} efficiency applies (SI 2021/745 Sch. 16 "
        "para. 5 rule)"
    )
    prov = prov0 if prov0 == prov1 else f"{prov0}/{prov1}"
    return EfficiencyLimit(ie_class, power_kw, poles, f, eta, None, prov, src0, note)


def minimum_efficiency(
    ie_class: str, power_kw: float, poles: int, frequency_hz: float = 50
) -> EfficiencyLimit:
    """Minimum nominal efficiency (%) of class ``ie_class`` for a motor of rated output
    ``power_kw`` (kW), ``poles`` poles and ``frequency_hz`` (50 or 60 Hz).

    Raises :class:`repm.StandardsError` outside the scope or where no sourced value exists.
    The returned object carries the provenance (see the module docstring).
    """
    f = _check_inputs(ie_class, power_kw, poles, frequency_hz)
    p = float(power_kw)
    if f == 60:
        if ie_class not in ("IE2", "IE3"):
            raise StandardsError(
                f"{ie_class} at 60 Hz: no sourced table (only IE2 = EPAct and IE3 = NEMA Premium "
                "equivalents were found); no limit is given rather than a guess"
            )
        lim = _lookup(ie_class, 60, poles, p)
        note = "IE label at 60 Hz is an equivalence to the US 10 CFR 431.25 levels (secondary)"
        return EfficiencyLimit(
            **{**lim.to_dict(), "note": "; ".join(filter(None, [lim.note, note]))}
        )
    if ie_class == "IE1":
        if p > 250.0 and (ie_class, 50, poles) in _tabulated():
            base = _lookup("IE1", 50, poles, 250.0)
            return EfficiencyLimit(
                "IE1", p, poles, 50, base.efficiency_pct, None, "assumption", base.source,
                "200-1000 kW: the 250 kW value is used (ASSUMPTION, see module docstring)",
            )  # fmt: skip
        lim = _lookup("IE1", 50, poles, p)
        note = (
            "IE1 from a secondary copy of the IEC 60034-30:2008 table (energie.ch), cross-checked"
        )
        return EfficiencyLimit(
            **{**lim.to_dict(), "note": "; ".join(filter(None, [lim.note, note]))}
        )
    if ie_class == "IE5":
        ie4 = minimum_efficiency("IE4", p, poles, 50)
        eta4 = ie4.unrounded_pct if ie4.unrounded_pct is not None else ie4.efficiency_pct
        eta5 = 100.0 / (1.0 + 0.8 * (100.0 / eta4 - 1.0))
        note = _IE5_RULE + (f"; IE4 input: {ie4.provenance} ({ie4.note})" if ie4.note else "")
        return EfficiencyLimit(
            "IE5", p, poles, 50, round_half_up(eta5), eta5, "derived", _COEFF_SOURCE, note
        )
    if p > FORMULA_MAX_KW:
        unrounded = _formula(ie_class, poles, FORMULA_MAX_KW)
        return EfficiencyLimit(
            ie_class, p, poles, 50, round_half_up(unrounded), unrounded, "assumption",
            _COEFF_SOURCE,
            "200-1000 kW: the 200 kW value is used (ASSUMPTION: the coefficient table stops at "
            "200 kW; a secondary IEC 60034-30:2008 copy shows 250 kW = 200 kW for IE1-IE3)",
        )  # fmt: skip
    unrounded = _formula(ie_class, poles, p)
    note = "" if any(math.isclose(p, r) for r in RATINGS_50HZ_KW) else "interpolation formula"
    return EfficiencyLimit(
        ie_class, p, poles, 50, round_half_up(unrounded), unrounded, "computed", _COEFF_SOURCE, note
    )


def available_classes(power_kw: float, poles: int, frequency_hz: float = 50) -> dict[str, str]:
    """Maps each class to "" if a limit exists for this rating, else to the reason it does not."""
    out = {}
    for c in CLASSES:
        try:
            minimum_efficiency(c, power_kw, poles, frequency_hz)
            out[c] = ""
        except StandardsError as err:
            out[c] = str(err)
    return out


def classify(
    power_kw: float, poles: int, efficiency_pct: float, frequency_hz: float = 50
) -> Classification:
    """Efficiency class of a motor of rated output ``power_kw`` (kW), ``poles`` poles, supply
    ``frequency_hz`` (50 or 60 Hz) and nominal efficiency ``efficiency_pct`` (%).

    The class is the highest one whose minimum efficiency (at 0.1 % resolution) the motor meets.
    Raises :class:`repm.StandardsError` for a rating outside the standard's scope or an
    efficiency outside (0, 100] %.
    """
    _check_inputs("IE3", power_kw, poles, frequency_hz)
    eta = finite("efficiency_pct", efficiency_pct)
    if not 0.0 < eta <= 100.0:
        raise StandardsError(f"efficiency_pct = {efficiency_pct!r} is invalid: must be in (0, 100]")
    limits: dict[str, float] = {}
    prov: dict[str, str] = {}
    unavailable: dict[str, str] = {}
    notes: list[str] = []
    for c in CLASSES:
        try:
            lim = minimum_efficiency(c, power_kw, poles, frequency_hz)
        except StandardsError as err:
            unavailable[c] = str(err)
            continue
        limits[c] = lim.efficiency_pct
        prov[c] = lim.provenance
        if lim.provenance != "computed" or lim.note:
            notes.append(f"{c}: {lim.provenance}; {lim.note}".rstrip("; "))
    if not limits:
        raise StandardsError(
            f"no efficiency class is sourced for {power_kw} kW, {poles} poles, {frequency_hz} Hz"
        )
    met = [c for c in limits if eta >= limits[c] - 1e-9]
    if met:
        ie = max(met, key=CLASSES.index)
    else:
        ie = f"below {min(limits, key=CLASSES.index)}"
    if ie.startswith("below") and "IE1" in unavailable:
        notes.append("IE1 has no sourced value here, so 'below IE2' does not mean 'below IE1'")
    return Classification(
        float(power_kw), poles, int(frequency_hz), eta, ie, limits, prov, unavailable, tuple(notes)
    )


def table(ie_class: str, poles: int, frequency_hz: float = 50) -> list[EfficiencyLimit]:
    """The limits of ``ie_class`` at the standard ratings (kW) for ``poles`` and ``frequency_hz``.

    At 50 Hz: the 29 ratings 0.12–200 kW of SI 2021/745 (IE1: its sourced 0.75–250 kW rows);
    at 60 Hz: the ratings of the sourced US table. Raises :class:`repm.StandardsError` where the
    class has no sourced value.
    """
    if ie_class not in CLASSES:
        raise StandardsError(f"ie_class = {ie_class!r} is invalid: must be one of {CLASSES}")
    f = _check_inputs(ie_class, 1.0, poles, frequency_hz)
    if f == 60 or ie_class == "IE1":
        rows = _tabulated().get((ie_class, f, poles))
        if not rows or (f == 60 and ie_class not in ("IE2", "IE3")):
            raise StandardsError(
                f"{ie_class} at {f} Hz, {poles} poles: no sourced table (not found in the "
                "reference data)"
            )
        return [minimum_efficiency(ie_class, r[0], poles, f) for r in rows]
    return [minimum_efficiency(ie_class, p, poles, 50) for p in RATINGS_50HZ_KW]
