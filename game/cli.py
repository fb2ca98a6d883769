"""The ``crisis`` command: one entry point, a subcommand per task.

Each subcommand lives with the layer it belongs to and registers itself here through a
``register(subparsers)`` function. Errors meant for people are printed as one line (exit 2);
nothing reaches the terminal as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

from game import __version__
from game.core.errors import CrisisError

COMMAND_MODULES = (
    "game.scenario.commands",
    "game.scenario.lint_command",
    "game.text.commands",
    "game.saves_commands",
    "game.view_commands",
    "game.analysis.commands",
    "game.analysis.solve",
    "game.server.commands",
)


class CommandLine(argparse.ArgumentParser):
    """A parser whose every refusal is one line (the usage is one ``--help`` away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = CommandLine(
        prog="crisis",
        description="Play, write and test political-crisis scenarios.",
    )
    parser.add_argument("--version", action="version", version=f"crisis {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    except SystemExit as exc:  # --help, --version, or a flag refused in one line
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.run(args) or 0)
    except CrisisError as exc:
        print(f"crisis: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`crisis ... | head`): stop quietly
        _quiet_stdout()
        return 0
    except OSError as exc:  # a file or folder the person named, or the disk they write to
        print(f"crisis: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crisis: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug of ours: the person gets one line, the log gets the details
        log = report_crash()
        print(f"crisis: something went wrong inside the game; the details are in {log}", file=sys.stderr)
        return 70


def _quiet_stdout() -> None:
    """Point standard output at nothing, so that flushing it at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def os_error_text(exc: OSError) -> str:
    """An operating system's refusal as one line: what it concerned and why."""
    name = exc.filename if exc.filename is not None else ""
    if isinstance(name, bytes):
        name = name.decode(errors="replace")
    shown = str(name) if len(str(name)) <= 80 else str(name)[:77] + "..."
    reason = exc.strerror or str(exc)
    return f"cannot use {shown}: {reason}" if shown else reason


def report_crash() -> str:
    """Append the current exception's traceback to the log file and return the file's path."""
    from game.paths import user_dir

    path = user_dir() / "crisis.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- crisis {__version__}, {' '.join(sys.argv)}\n{traceback.format_exc()}\n")
    except OSError:
        return "(no log could be written)"
    return str(path)
