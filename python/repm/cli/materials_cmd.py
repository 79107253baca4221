"""`repm materials`."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("materials", help="(being built)")
    parser.set_defaults(handler=lambda args: 0)
