"""The repm exception hierarchy.

Every error repm raises on purpose derives from :class:`RepmError`. Errors about bad user input
also derive from :class:`ValueError`, so generic ``except ValueError`` code keeps working.
Messages name the field, the value given and what is allowed.
"""

from __future__ import annotations


class RepmError(Exception):
    """Base class of every error raised by repm."""


class InputError(RepmError, ValueError):
    """An input value is invalid: wrong sign, NaN/inf, out of range, inconsistent, malformed."""


class UnknownMaterialError(InputError, LookupError):
    """A material or grade name is not in the catalogue; the message lists the closest names."""


class TemperatureRangeError(InputError):
    """A temperature is outside the range where a material model is valid."""


class WindingError(InputError):
    """A winding cannot be built: unbalanced, odd pole count, inconsistent layers or pitch."""


class StandardsError(InputError):
    """An efficiency-standard input is outside the standard's scope, or a test record is malformed
    or fails the standard's acceptance checks (the message names the table, row and column)."""


class GeometryError(InputError):
    """A machine description or PSLG is geometrically invalid: overlapping parts, impossible
    dimensions, bad loops, unknown TOML keys."""


class MeshError(RepmError):
    """Meshing failed for a reason that is not an invalid input: node limit exceeded, numerical
    trouble in the triangulation kernel."""


class ConvergenceError(RepmError):
    """A nonlinear solve or fit did not converge within its limits."""


class InventoryError(InputError):
    """A fleet inventory has problems. ``issues`` lists every one (row number, column, value,
    reason: :class:`repm.fleet.Issue`); the message shows them all (up to 50, then a count)."""

    def __init__(self, issues: list) -> None:  # type: ignore[type-arg]
        self.issues = list(issues)
        shown = [str(i) for i in self.issues[:50]]
        more = len(self.issues) - len(shown)
        text = f"the inventory has {len(self.issues)} problem(s):\n  " + "\n  ".join(shown)
        if more > 0:
            text += f"\n  ... and {more} more"
        super().__init__(text)

    def __reduce__(self) -> tuple:  # type: ignore[type-arg]
        return (type(self), (self.issues,))


__all__ = [
    "ConvergenceError",
    "GeometryError",
    "InputError",
    "InventoryError",
    "MeshError",
    "RepmError",
    "StandardsError",
    "TemperatureRangeError",
    "UnknownMaterialError",
    "WindingError",
]
