"""The ``crisis`` command: one entry point, a subcommand per task.

Each subcommand lives with the layer it belongs to and registers itself here through a
``register(subparsers)`` function. Errors meant for people are printed as one line (exit 2);
nothing reaches the terminal as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from game import __version__
from game.core.errors import CrisisError

COMMAND_MODULES = (
    "game.scenario.commands",
    "game.scenario.lint_command",
    "game.text.commands",
    "game.saves_commands",
    "game.analysis.commands",
    "game.ai.solve",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis",
        description="Play, write and test political-crisis scenarios.",
    )
    parser.add_argument("--version", action="version", version=f"crisis {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    try:
        return int(args.run(args) or 0)
    except CrisisError as exc:
        print(f"crisis: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crisis: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
