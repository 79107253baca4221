"""Inventory readers: CSV, Parquet, pandas or polars DataFrames, Arrow tables, plain mappings.

Every reader returns ``{column name: sequence of cells}`` for :func:`repm.fleet.validate`;
:func:`load_inventory` does both. CSV needs nothing beyond the standard library; Parquet needs
``pyarrow``; DataFrames and Arrow tables are accepted from whatever library made them (pandas,
polars, pyarrow), detected by duck typing so none of them is a hard dependency.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from repm.errors import InputError
from repm.fleet.schema import Inventory, validate


def _read_csv(path: Path) -> dict[str, list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            lines = (ln for ln in fh if not ln.lstrip().startswith("#"))
            reader = csv.reader(lines)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError(
                    f"inventory {str(path)!r} is empty: a header row is required"
                ) from None
            dupes = {h for h in header if header.count(h) > 1}
            if dupes:
                raise InputError(f"inventory {str(path)!r}: duplicate column(s) {sorted(dupes)}")
            cols: dict[str, list[str]] = {h: [] for h in header}
            for lineno, row in enumerate(reader, start=2):
                if not any(c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise InputError(
                        f"inventory {str(path)!r} line {lineno}: {len(row)} cells, the header "
                        f"has {len(header)}"
                    )
                for h, c in zip(header, row, strict=True):
                    cols[h].append(c)
            return cols
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"inventory {str(path)!r} cannot be read: {err}") from err


def _from_arrow(table: Any) -> dict[str, Any]:
    return {str(name): table.column(name).to_pylist() for name in table.column_names}


def read_inventory(source: Any) -> dict[str, Sequence[Any]]:
    """Columns of an inventory from ``source``: a ``.csv`` or ``.parquet`` path, a pandas or
    polars DataFrame, a pyarrow Table, or a mapping of column name → sequence.

    CSV: UTF-8, first non-comment line is the header, lines starting with ``#`` are comments.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _read_csv(path)
        if suffix in (".parquet", ".pq"):
            try:
                import pyarrow.parquet as pq
            except ImportError as err:  # pragma: no cover - depends on the environment
                raise InputError("reading Parquet needs pyarrow: pip install pyarrow") from err
            try:
                return _from_arrow(pq.read_table(path))
            except (OSError, ValueError) as err:
                raise InputError(f"inventory {str(path)!r} cannot be read: {err}") from err
        raise InputError(
            f"inventory = {str(path)!r} is invalid: a .csv or .parquet file is required"
        )
    if hasattr(source, "column_names") and hasattr(source, "column"):  # pyarrow.Table
        return _from_arrow(source)
    if hasattr(source, "to_arrow") and hasattr(source, "columns"):  # polars.DataFrame
        return _from_arrow(source.to_arrow())
    if hasattr(source, "columns") and hasattr(source, "to_numpy") and hasattr(source, "iloc"):
        # pandas.DataFrame: numeric columns stay numpy arrays (vectorised validation).
        out: dict[str, Any] = {}
        for name in source.columns:
            s = source[name]
            out[str(name)] = s.to_numpy() if s.dtype.kind in "fiub" else s.tolist()
        return out
    if isinstance(source, Mapping):
        return {str(k): (v if isinstance(v, np.ndarray) else list(v)) for k, v in source.items()}
    raise InputError(
        f"inventory of type {type(source).__name__} is invalid: give a .csv/.parquet path, a "
        "pandas/polars DataFrame, a pyarrow Table or a mapping of columns"
    )


def load_inventory(source: Any, *, skip_invalid: bool = False) -> Inventory:
    """:func:`read_inventory` then :func:`repm.fleet.validate`."""
    return validate(read_inventory(source), skip_invalid=skip_invalid)
