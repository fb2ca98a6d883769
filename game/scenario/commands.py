"""``crisis validate`` and ``crisis new``: checking scenario files and starting a new one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game import files, flags
from game.paths import ScenarioNotFound, find_scenario
from game.scenario.loader import load_scenario
from game.scenario.problems import Problem, ScenarioError
from game.scenario.template import TEMPLATE


def register(subparsers: argparse._SubParsersAction) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="check scenario files and report every problem",
        description="Check scenario files; print every problem as file:line:col. Exit 0 when all are clean, 1 otherwise.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", type=flags.path, help="scenario files (YAML)")
    validate.add_argument("--quiet", action="store_true", help="print only problems")
    validate.set_defaults(run=run_validate)

    new = subparsers.add_parser(
        "new",
        help="write a commented template scenario to start from",
        description="Write a small, commented scenario that validates, as a starting point for your own.",
    )
    new.add_argument("path", metavar="PATH", type=flags.path, help="where to write the new file (.yaml)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(run=run_new)


def print_problems(problems: list[Problem], out=None) -> None:
    """Each problem on its line, followed by the source line and a caret where it helps."""
    out = out or sys.stdout
    sources: dict[str, str] = {}
    for problem in problems:
        print(problem, file=out)
        if problem.path not in sources:
            try:
                sources[problem.path] = Path(problem.path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                sources[problem.path] = ""
        excerpt = problem.excerpt(sources[problem.path])
        if excerpt:
            print(excerpt, file=out)


def run_validate(args: argparse.Namespace) -> int:
    """0 when every file is a good scenario, 1 when one is not, 2 when one cannot be found (as
    every other command answers a scenario it cannot find)."""
    failed = missing = 0
    for name in args.files:
        try:
            path = find_scenario(name)
        except ScenarioNotFound as exc:
            missing += 1
            print(f"crisis: {exc}", file=sys.stderr)
            continue
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            failed += 1
            print_problems(exc.problems)
            count = len(exc.problems)
            print(f"{path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
            continue
        if not args.quiet:
            counts = (
                (len(scenario.roles), "role"),
                (len(scenario.actions), "action"),
                (sum(1 for e in scenario.events.values() if not e.internal), "event"),
                (len(scenario.endings), "ending"),
            )
            told = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
            print(f"{path}: ok ({scenario.meta.title}: {told})")
    return 2 if missing else 1 if failed else 0


def run_new(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.name in ("", ".", "..") or args.path.endswith(("/", "\\")):
        print(f"crisis: {args.path} names a folder; give a file name such as my_crisis.yaml", file=sys.stderr)
        return 2
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_suffix(".yaml")
    if path.exists() and not args.force:
        print(f"crisis: {path} exists already; pass --force to overwrite it", file=sys.stderr)
        return 2
    scenario_id = "".join(c if c.isalnum() else "_" for c in path.stem.lower()).strip("_") or "my_crisis"
    if not scenario_id[0].isalpha():
        scenario_id = "s_" + scenario_id
    schema = Path(__file__).with_name("schema.json").resolve()
    text = TEMPLATE.replace("{schema}", schema.as_uri()).replace("{id}", scenario_id)
    if not write_text(path, text):
        return 2
    print(f"wrote {path}; check it with: crisis validate {path}")
    return 0


def write_text(path: Path, text: str) -> bool:
    """Write a text file for a command; on failure say why on standard error and return False."""
    try:
        files.make_folders(path.parent)
        files.write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"crisis: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True
