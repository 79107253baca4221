"""Reading TOML input files with repm's error conventions (one place for every layer)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from repm.errors import InputError


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """Parses the TOML file at ``path``; ``what`` names the file in errors ("machine file").

    Raises:
        InputError: the file does not exist, cannot be read, or is not valid TOML.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"{what} = {path!r} is invalid: a file path is required")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError(f"{what} = {str(path)!r} does not exist") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{what} = {str(path)!r} cannot be read: {err}") from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{what} = {str(path)!r} is not valid TOML: {err}") from err
