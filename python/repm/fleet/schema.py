"""The inventory schema and its validation: one row per induction motor.

Required columns (units in the names where they could mislead):

=============================== ==============================================================
``motor_id``                    unique text id (results are keyed by it, not by row position)
``rated_kw``                    rated output, kW, 0.12 to 1000 (IEC 60034-30-1 scope)
``poles``                       2, 4, 6 or 8
``frequency_hz``                50 or 60
``efficiency_class``            IE1, IE2, IE3 or IE4 of the existing induction motor, **or**
``nameplate_efficiency_pct``    its rated efficiency in % (0, 100); at least one per row
``load_type``                   ``cubic`` (centrifugal pump/fan), ``quadratic`` or ``constant``
                                (torque); sets the affinity exponent 3, 2 or 1
``load_factor``                 output / rated output, in (0, 1.5]
``hours_per_year``              operating hours, [0, 8760]
``electricity_price_per_kwh``   USD per kWh (the currency of the cost model), [0, 1000]
``emission_factor_kg_per_kwh``  kg CO2 per kWh, [0, 10]
=============================== ==============================================================

Optional: ``site``, ``sector``, ``application`` (text, for totals), ``full_load_speed_rpm``
(rated speed of the induction motor, between half and all of the synchronous speed; sets the
slip), ``drive`` (``DOL`` default, or ``VSD``), ``age_years`` (≥ 0, reported only),
``load_profile`` (``"x:h;x:h;…"`` load fraction : hours per year, replaces ``load_factor`` and
``hours_per_year``, which may then be blank), ``tou_tariff`` (``"h@price;h@price;…"`` hours per
year at each price: the hours-weighted mean price replaces ``electricity_price_per_kwh``, which
may then be blank; assumes the savings are spread over the bands in proportion to their hours),
``replacement_cost`` (USD, ≥ 0: overrides the cost model for that motor).

:func:`validate` reports **every** problem: unknown columns, missing required columns, and each
bad cell with its row number (1 = first data row; in a CSV file that is line 2), column, value
and reason. It never drops rows silently: either it raises :class:`repm.InventoryError` with the
full list, or with ``skip_invalid=True`` it returns the valid rows and lists what it skipped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from repm.errors import InventoryError, StandardsError
from repm.standards.iec60034_30_1 import minimum_efficiency

REQUIRED = (
    "motor_id",
    "rated_kw",
    "poles",
    "frequency_hz",
    "load_type",
    "load_factor",
    "hours_per_year",
    "electricity_price_per_kwh",
    "emission_factor_kg_per_kwh",
)
EFFICIENCY_COLUMNS = ("efficiency_class", "nameplate_efficiency_pct")
OPTIONAL = (
    "site",
    "sector",
    "application",
    "full_load_speed_rpm",
    "drive",
    "age_years",
    "load_profile",
    "tou_tariff",
    "replacement_cost",
)
KNOWN = REQUIRED + EFFICIENCY_COLUMNS + OPTIONAL
LOAD_TYPES = {"cubic": 3.0, "quadratic": 2.0, "constant": 1.0}
IM_CLASSES = ("IE1", "IE2", "IE3", "IE4")
POLES = (2, 4, 6, 8)
MIN_KW, MAX_KW = 0.12, 1000.0


@dataclass(frozen=True)
class Issue:
    """One problem in an inventory: ``row`` is the 1-based data row (None for a whole-column
    problem), ``column`` the column name, ``value`` the offending text, ``reason`` what is
    allowed."""

    row: int | None
    column: str | None
    value: str
    reason: str
    motor_id: str | None = None

    def __str__(self) -> str:
        where = "columns" if self.row is None else f"row {self.row}"
        who = f" (motor {self.motor_id})" if self.motor_id else ""
        col = f", column {self.column!r}" if self.column else ""
        val = f" = {self.value!r}" if self.value != "" else ""
        return f"{where}{who}{col}{val}: {self.reason}"


@dataclass(frozen=True)
class Inventory:
    """A validated inventory as columns (numpy arrays, one entry per motor, in input order).

    ``rows`` holds each motor's 1-based row number in the source; ``skipped`` the problems of
    rows (and columns) left out with ``skip_invalid=True``. Profiles are in CSR form: the bins of
    motor i are ``profile_offsets[i]:profile_offsets[i+1]`` of ``profile_load`` (load fraction)
    and ``profile_hours`` (hours per year). Picklable.
    """

    motor_id: npt.NDArray[np.object_]
    rated_kw: npt.NDArray[np.float64]
    poles: npt.NDArray[np.int64]
    frequency_hz: npt.NDArray[np.float64]
    efficiency_class: npt.NDArray[np.object_]
    nameplate_efficiency_pct: npt.NDArray[np.float64]
    load_type: npt.NDArray[np.object_]
    price_per_kwh: npt.NDArray[np.float64]
    emission_kg_per_kwh: npt.NDArray[np.float64]
    full_load_speed_rpm: npt.NDArray[np.float64]
    on_vsd: npt.NDArray[np.bool_]
    age_years: npt.NDArray[np.float64]
    replacement_cost: npt.NDArray[np.float64]
    site: npt.NDArray[np.object_]
    sector: npt.NDArray[np.object_]
    application: npt.NDArray[np.object_]
    profile_offsets: npt.NDArray[np.uint64]
    profile_load: npt.NDArray[np.float64]
    profile_hours: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]
    skipped: tuple[Issue, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.motor_id)

    def take(self, idx: npt.ArrayLike) -> Inventory:
        """The motors at positions ``idx`` (in that order), e.g. a chunk or a permutation."""
        ix = np.asarray(idx, dtype=np.int64)
        off = self.profile_offsets.astype(np.int64)
        lens = off[ix + 1] - off[ix]
        bins = csr_bins(off, ix)
        new_off = np.zeros(len(ix) + 1, dtype=np.uint64)
        new_off[1:] = np.cumsum(lens)
        per_motor = {
            k: getattr(self, k)[ix]
            for k in self.__dataclass_fields__
            if k not in ("profile_offsets", "profile_load", "profile_hours", "skipped")
        }
        return Inventory(
            **per_motor,
            profile_offsets=new_off,
            profile_load=self.profile_load[bins],
            profile_hours=self.profile_hours[bins],
            skipped=self.skipped,
        )

    @property
    def hours_per_year(self) -> npt.NDArray[np.float64]:
        """Total hours per year of each motor (sum of its profile)."""
        off = self.profile_offsets.astype(np.int64)
        c = np.concatenate([[0.0], np.cumsum(self.profile_hours)])
        return c[off[1:]] - c[off[:-1]]


def csr_bins(off: npt.NDArray[np.int64], ix: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Positions of the profile bins of motors ``ix`` (in that order) in CSR arrays ``off``."""
    lens = off[ix + 1] - off[ix]
    starts = np.repeat(off[ix], lens)
    before = np.repeat(np.cumsum(lens) - lens, lens)
    return starts + np.arange(int(lens.sum()), dtype=np.int64) - before


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _text(v: Any) -> str:
    return "" if _blank(v) else str(v)


class _Checker:
    def __init__(self, n: int, ids: Sequence[str]):
        self.n = n
        self.ids = ids
        self.issues: list[Issue] = []
        self.bad = np.zeros(n, dtype=bool)

    def add(self, i: int, column: str, value: Any, reason: str) -> None:
        mid = self.ids[i] if i < len(self.ids) and self.ids[i] else None
        self.issues.append(Issue(i + 1, column, _text(value), reason, mid))
        self.bad[i] = True

    def numbers(
        self,
        column: str,
        values: Sequence[Any],
        lo: float,
        hi: float,
        allowed: str,
        optional_mask: npt.NDArray[np.bool_] | None = None,
        lo_open: bool = False,
    ) -> npt.NDArray[np.float64]:
        """Floats of a column (NaN where blank and allowed blank); reports bad cells."""
        out = np.full(self.n, np.nan)
        fast = None
        arr = np.asarray(values) if not isinstance(values, np.ndarray) else values
        if arr.dtype.kind in "fiu":
            fast = arr.astype(np.float64)
        for_each = range(self.n) if fast is None else np.flatnonzero(~np.isfinite(fast))
        if fast is not None:
            out[:] = fast
        for i in for_each:
            v = values[i]
            if _blank(v):
                if optional_mask is None or not optional_mask[i]:
                    self.add(i, column, "", f"is blank: {allowed} is required")
                out[i] = np.nan
                continue
            if isinstance(v, bool):
                self.add(i, column, v, f"is not a number: {allowed}")
                continue
            try:
                x = float(v)
            except (TypeError, ValueError):
                self.add(i, column, v, f"is not a number: {allowed}")
                continue
            if not math.isfinite(x):
                self.add(i, column, v, f"is not finite: {allowed}")
                continue
            out[i] = x
        with np.errstate(invalid="ignore"):
            low = out <= lo if lo_open else out < lo
            bad = np.flatnonzero(np.isfinite(out) & (low | (out > hi)))
        for i in bad:
            self.add(i, column, values[i], f"is out of range: {allowed}")
        return out


@cache
def _class_limit_problem(ie_class: str, kw: float, poles: int, f: float) -> str:
    """'' if IEC 60034-30-1 gives a minimum efficiency for this rating (at 60 Hz the 50 Hz
    value may stand in), else why not."""
    for freq in (f, 50.0):
        try:
            minimum_efficiency(ie_class, kw, poles, freq)
            return ""
        except StandardsError as err:
            reason = str(err)
    return f"no minimum efficiency to use ({reason}): give nameplate_efficiency_pct"


def _parse_pairs(text: str, sep: str) -> list[tuple[float, float]]:
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        a, b = part.split(sep)
        out.append((float(a), float(b)))
    if not out:
        raise ValueError("empty")
    return out


def validate(columns: Mapping[str, Sequence[Any]], *, skip_invalid: bool = False) -> Inventory:
    """Validates inventory columns (column name → sequence of cells, e.g. from
    :func:`repm.fleet.read_inventory`) and returns an :class:`Inventory`.

    Raises :class:`repm.InventoryError` (an :class:`repm.InputError`) listing every problem,
    unless ``skip_invalid`` is true: then invalid rows are left out and listed in
    ``Inventory.skipped`` (unknown columns are then ignored and listed too). Missing required
    columns always raise: no row can be evaluated without them.
    """
    names = list(columns)
    col_issues: list[Issue] = []
    for c in names:
        if c not in KNOWN:
            col_issues.append(
                Issue(None, c, "", f"unknown column (known columns: {', '.join(KNOWN)})")
            )
    missing = [c for c in REQUIRED if c not in columns]
    if not any(c in columns for c in EFFICIENCY_COLUMNS):
        missing.append(" or ".join(EFFICIENCY_COLUMNS))
    fatal = [Issue(None, c, "", "missing required column") for c in missing]
    lengths = {c: len(columns[c]) for c in names}
    if len(set(lengths.values())) > 1:
        fatal.append(Issue(None, None, "", f"columns have different lengths: {lengths}"))
    if fatal:
        raise InventoryError(fatal + col_issues)
    n = next(iter(lengths.values()), 0)
    if n == 0:
        raise InventoryError([Issue(None, None, "", "the inventory has no rows")])

    def col(name: str) -> Sequence[Any]:
        return columns[name] if name in columns else [None] * n

    ids = [_text(v).strip() for v in col("motor_id")]
    ck = _Checker(n, ids)
    seen: dict[str, int] = {}
    for i, mid in enumerate(ids):
        if mid == "":
            ck.add(i, "motor_id", "", "is blank: a unique motor id is required")
        elif mid in seen:
            ck.add(i, "motor_id", mid, f"duplicate motor id (first in row {seen[mid] + 1})")
        else:
            seen[mid] = i

    rated = ck.numbers(
        "rated_kw", col("rated_kw"), MIN_KW, MAX_KW, f"rated output in [{MIN_KW}, {MAX_KW:g}] kW"
    )
    poles_f = ck.numbers("poles", col("poles"), 2, 8, "2, 4, 6 or 8 poles")
    for i in np.flatnonzero(np.isfinite(poles_f) & ~np.isin(poles_f, POLES)):
        ck.add(i, "poles", col("poles")[i], "must be 2, 4, 6 or 8")
    freq = ck.numbers("frequency_hz", col("frequency_hz"), 50, 60, "50 or 60 Hz")
    for i in np.flatnonzero(np.isfinite(freq) & ~np.isin(freq, (50.0, 60.0))):
        ck.add(i, "frequency_hz", col("frequency_hz")[i], "must be 50 or 60 Hz")

    cls = np.array([_text(v).strip().upper() for v in col("efficiency_class")], dtype=object)
    has_np = np.array([not _blank(v) for v in col("nameplate_efficiency_pct")])
    np_eff = ck.numbers(
        "nameplate_efficiency_pct",
        col("nameplate_efficiency_pct"),
        0.0,
        99.9,
        "an efficiency in (0, 99.9] %",
        optional_mask=np.ones(n, dtype=bool),
        lo_open=True,
    )
    for i in range(n):
        if cls[i] == "" and not has_np[i]:
            ck.add(
                i,
                "efficiency_class",
                "",
                "is blank and so is nameplate_efficiency_pct: give IE1-IE4 or the efficiency",
            )
        elif cls[i] != "" and cls[i] not in IM_CLASSES:
            ck.add(
                i, "efficiency_class", col("efficiency_class")[i], "must be IE1, IE2, IE3 or IE4"
            )

    for i in range(n):
        if cls[i] in IM_CLASSES and not has_np[i] and np.isfinite(rated[i]) and not ck.bad[i]:
            reason = _class_limit_problem(cls[i], float(rated[i]), int(poles_f[i]), float(freq[i]))
            if reason:
                ck.add(i, "efficiency_class", cls[i], reason)

    load_type = np.array([_text(v).strip().lower() for v in col("load_type")], dtype=object)
    for i in range(n):
        if load_type[i] not in LOAD_TYPES:
            ck.add(i, "load_type", col("load_type")[i], "must be cubic, quadratic or constant")

    profiles: list[list[tuple[float, float]] | None] = [None] * n
    for i, v in enumerate(col("load_profile")):
        if _blank(v):
            continue
        try:
            p = _parse_pairs(str(v), ":")
        except ValueError:
            ck.add(i, "load_profile", v, 'must be "load:hours;load:hours;..." with numbers')
            continue
        if any(not (0.0 <= x <= 1.5 and math.isfinite(x)) for x, _ in p):
            ck.add(i, "load_profile", v, "every load fraction must be in [0, 1.5]")
        elif any(not (0.0 <= h <= 8760.0) for _, h in p) or sum(h for _, h in p) > 8760.0:
            ck.add(i, "load_profile", v, "hours must be ≥ 0 and sum to at most 8760 per year")
        else:
            profiles[i] = p
    has_profile = np.array([not _blank(v) for v in col("load_profile")])
    load = ck.numbers(
        "load_factor",
        col("load_factor"),
        0.0,
        1.5,
        "a load factor in (0, 1.5]",
        optional_mask=has_profile,
        lo_open=True,
    )
    hours = ck.numbers(
        "hours_per_year",
        col("hours_per_year"),
        0.0,
        8760.0,
        "hours in [0, 8760] per year",
        optional_mask=has_profile,
    )

    tou = np.full(n, np.nan)
    for i, v in enumerate(col("tou_tariff")):
        if _blank(v):
            continue
        try:
            bands = _parse_pairs(str(v), "@")
        except ValueError:
            ck.add(i, "tou_tariff", v, 'must be "hours@price;hours@price;..." with numbers')
            continue
        tot = sum(h for h, _ in bands)
        if (
            any(not (h >= 0 and 0 <= p <= 1000 and math.isfinite(p)) for h, p in bands)
            or not 0 < tot <= 8760
        ):
            ck.add(i, "tou_tariff", v, "hours ≥ 0 summing to (0, 8760], prices in [0, 1000]")
            continue
        tou[i] = sum(h * p for h, p in bands) / tot
    price = ck.numbers(
        "electricity_price_per_kwh",
        col("electricity_price_per_kwh"),
        0.0,
        1000.0,
        "a price in [0, 1000] per kWh",
        optional_mask=~np.isnan(tou),
    )
    price = np.where(np.isnan(tou), price, tou)
    ef = ck.numbers(
        "emission_factor_kg_per_kwh",
        col("emission_factor_kg_per_kwh"),
        0.0,
        10.0,
        "an emission factor in [0, 10] kg/kWh",
    )
    opt = np.ones(n, dtype=bool)
    fls = ck.numbers(
        "full_load_speed_rpm",
        col("full_load_speed_rpm"),
        0.0,
        3600.0,
        "a speed in (0, 3600] rpm",
        optional_mask=opt,
        lo_open=True,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        sync = 120.0 * freq / poles_f
        bad_fls = np.isfinite(fls) & np.isfinite(sync) & ((fls >= sync) | (fls <= 0.5 * sync))
    for i in np.flatnonzero(bad_fls):
        ck.add(
            i,
            "full_load_speed_rpm",
            col("full_load_speed_rpm")[i],
            f"must be below the synchronous speed {sync[i]:g} rpm and above half of it",
        )
    age = ck.numbers(
        "age_years", col("age_years"), 0.0, 200.0, "an age in [0, 200] years", optional_mask=opt
    )
    rc = ck.numbers(
        "replacement_cost",
        col("replacement_cost"),
        0.0,
        1e9,
        "a cost in [0, 1e9] USD",
        optional_mask=opt,
    )
    drive = np.array([_text(v).strip().upper() or "DOL" for v in col("drive")], dtype=object)
    for i in range(n):
        if drive[i] not in ("DOL", "VSD"):
            ck.add(i, "drive", col("drive")[i], "must be DOL or VSD")

    issues = col_issues + sorted(ck.issues, key=lambda s: s.row or 0)
    if issues and not skip_invalid:
        raise InventoryError(issues)
    keep = np.flatnonzero(~ck.bad)
    if len(keep) == 0:
        raise InventoryError([*issues, Issue(None, None, "", "no valid rows left")])

    offsets = [0]
    pl: list[float] = []
    ph: list[float] = []
    for i in keep:
        p = profiles[i]
        if p is None:
            pl.append(float(load[i]))
            ph.append(float(hours[i]))
        else:
            pl += [x for x, _ in p]
            ph += [h for _, h in p]
        offsets.append(len(pl))

    def texts(name: str) -> npt.NDArray[np.object_]:
        return np.array([_text(v).strip() for v in col(name)], dtype=object)[keep]

    return Inventory(
        motor_id=np.array(ids, dtype=object)[keep],
        rated_kw=rated[keep],
        poles=poles_f[keep].astype(np.int64),
        frequency_hz=freq[keep],
        efficiency_class=cls[keep],
        nameplate_efficiency_pct=np.where(has_np, np_eff, np.nan)[keep],
        load_type=load_type[keep],
        price_per_kwh=price[keep],
        emission_kg_per_kwh=ef[keep],
        full_load_speed_rpm=fls[keep],
        on_vsd=(drive == "VSD")[keep],
        age_years=age[keep],
        replacement_cost=rc[keep],
        site=texts("site"),
        sector=texts("sector"),
        application=texts("application"),
        profile_offsets=np.array(offsets, dtype=np.uint64),
        profile_load=np.array(pl, dtype=np.float64),
        profile_hours=np.array(ph, dtype=np.float64),
        rows=keep.astype(np.int64) + 1,
        skipped=tuple(issues),
    )
