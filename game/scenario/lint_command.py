"""``crisis lint`` and ``crisis schema``: the author's second opinion, and the schema editors read.

``crisis lint FILE...`` validates each file first (a file that does not validate gets its errors
and nothing else), then runs :mod:`game.scenario.lint` and prints each finding as
``path:line:col: severity: message [code]`` and a summary of the file's size and of how much of it
a batch of random games reaches. ``crisis schema`` prints the format's JSON Schema, or rewrites the
copy packaged with the game.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game import flags
from game.core.errors import CrisisError
from game.core.limits import MAX_LINT_GAMES, MAX_SEED
from game.paths import find_scenario
from game.scenario.commands import write_text
from game.scenario.lint import DEFAULT_GAMES, DEFAULT_SEED, LintReport, lint
from game.scenario.loader import load_scenario
from game.scenario.problems import ScenarioError
from game.scenario.spec import json_schema

SCHEMA_PATH = Path(__file__).with_name("schema.json")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="find what is legal but suspicious in scenario files",
        description="Validate scenario files, then look for dead actions, unreachable endings, unused "
        "variables, bad weights and more, by analysis and by simulating random games. "
        "Exit 1 on errors (or on warnings too with --error-on warning).",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", type=flags.path, help="scenario files, or names of installed scenarios"
    )
    parser.add_argument(
        "--games",
        type=flags.whole(0, MAX_LINT_GAMES),
        default=DEFAULT_GAMES,
        metavar="N",
        help=f"random games to play (default {DEFAULT_GAMES})",
    )
    parser.add_argument(
        "--seed",
        type=flags.seed,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"seed of the first game (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--error-on",
        choices=("error", "warning"),
        default="error",
        help="the lowest severity that makes the command fail (default: error; notes never do)",
    )
    parser.set_defaults(run=run_lint)
    if "schema" not in subparsers.choices:
        schema = subparsers.add_parser(
            "schema",
            help="print the scenario format's JSON Schema (for editors)",
            description="Print the JSON Schema of the scenario format, or rewrite the copy packaged with the game.",
        )
        schema.add_argument("--write", action="store_true", help=f"rewrite {SCHEMA_PATH.name} in the game's package")
        schema.set_defaults(run=run_schema)


def run_lint(args: argparse.Namespace) -> int:
    if not 0 <= args.games <= MAX_LINT_GAMES:
        raise CrisisError(f"--games must be from 0 to {MAX_LINT_GAMES:,}, not {args.games}")
    if args.games and args.seed + args.games - 1 > MAX_SEED:
        raise CrisisError(
            f"--seed: game i plays seed {args.seed} + i, and with --games {args.games} the last would be past "
            f"2^128 - 1; give a seed of at most 2^128 - {args.games}"
        )
    failed = False
    for name in args.files:
        path = find_scenario(name)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"{path}: does not validate ({len(exc.problems)} problems); fix those first", file=sys.stderr)
            failed = True
            continue
        report = lint(scenario, args.games, args.seed)
        for problem in report.problems:
            print(problem)
        print(summary_text(report))
        failed = failed or report.count("error") > 0 or (args.error_on == "warning" and report.count("warning") > 0)
    return 1 if failed else 0


def summary_text(report: LintReport) -> str:
    """Two lines: findings and size, then what the simulated games reached."""
    s = report.summary
    errors, warnings, notes = report.count("error"), report.count("warning"), report.count("note")
    noted = f", {notes} note{'s' * (notes != 1)}" if notes else ""
    head = (
        f"{report.path}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{noted}; "
        f"{s.actions} actions, {s.outcomes} outcomes, {s.endings} endings, {s.events} events, {s.words} words of text"
    )
    if not s.games:
        return head
    reached = ", ".join(c.text() for c in s.coverage)
    return f"{head}\n  {s.games} random games (seeds {s.seed}..{s.seed + s.games - 1}) reached {reached}"


def schema_text() -> str:
    """The JSON Schema as the packaged file holds it: indented, keys sorted, one final newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def run_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if not args.write:
        sys.stdout.write(text)
        return 0
    if not write_text(SCHEMA_PATH, text):
        return 2
    print(f"wrote {SCHEMA_PATH}")
    return 0
