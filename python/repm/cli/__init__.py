"""The ``repm`` command line.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``handler``. Handlers return a process exit code. Every ``repm.RepmError`` is
reported as one line on stderr with exit code 2; nothing else is caught, so real bugs show a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from repm import __version__
from repm.cli import (
    analyze_cmd,
    demo_cmd,
    iec_cmd,
    map_cmd,
    materials_cmd,
    mesh_cmd,
    retrofit_cmd,
    solve_cmd,
    winding_cmd,
)
from repm.errors import RepmError

_SUBCOMMANDS = (
    demo_cmd,
    materials_cmd,
    winding_cmd,
    mesh_cmd,
    analyze_cmd,
    map_cmd,
    solve_cmd,
    iec_cmd,
    retrofit_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repm",
        description=(
            "Rare-earth permanent-magnet motor toolkit. Use --json for machine-readable output."
        ),
    )
    parser.add_argument("--version", action="version", version=f"repm {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except RepmError as err:
        print(f"repm: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
