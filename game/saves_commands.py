"""``crisis replay FILE``: re-run a saved game and verify every step."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np

from game import files, flags, paths
from game.core.errors import CrisisError
from game.saves import ReplayDivergence, Save, read_save, replay
from game.scenario.loader import load_scenario
from game.scenario.yamlread import MAX_BYTES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-run a saved game and verify every step",
        description="Re-run a save from its seed and choices; check every outcome and state hash. "
        "Exit 0 when it replays exactly, 1 when it diverges, 2 when the save cannot be used.",
    )
    parser.add_argument("save", metavar="FILE", type=flags.path, help="a save written by crisis play")
    parser.add_argument(
        "--scenario", metavar="PATH", type=flags.path, help="the scenario file (found by id when left out)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the verdict")
    parser.set_defaults(run=run_replay)


def find_scenario_for(save: Save, given: str | None) -> Path:
    """The scenario file a save belongs to: as given, else the one it recorded or one found by id.

    A save decides which local file is read only when that file is the very scenario it was made
    with: a regular file whose content hash is the save's. Failing that, a bundled or player's
    scenario with the save's id is used (and the replay says if it has changed since).
    """
    if given:
        return Path(given)
    by_id = [p for p in paths.scenario_files() if p.stem == save.scenario_id]
    recorded = [Path(save.scenario_path)] if save.scenario_path else []
    for candidate in (*recorded, *by_id):
        if _digest(candidate) == save.scenario_digest:
            return candidate
    if by_id:
        return by_id[0]
    changed = ""
    if recorded:
        gone = not recorded[0].exists()
        changed = (
            f" (no file is at {save.scenario_path} now)"
            if gone
            else f" (the file at {save.scenario_path} has changed since)"
        )
    raise CrisisError(f"cannot find the scenario '{save.scenario_id}'{changed}; pass it with --scenario PATH")


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(files.read_regular(path, MAX_BYTES)).hexdigest()
    except OSError:
        return ""


def run_replay(args: argparse.Namespace) -> int:
    save = read_save(args.save)
    scenario = load_scenario(find_scenario_for(save, args.scenario))
    if save.numpy != np.__version__ and not args.quiet:
        print(f"note: the save was made with numpy {save.numpy}; this is numpy {np.__version__}")
    try:
        match = replay(save, scenario)
    except ReplayDivergence as exc:
        print(f"{args.save}: DIVERGES at {exc}")
        return 1
    if not args.quiet:
        events = scenario.events
        for report in match.reports:
            if not report.quiet:
                action = report.action
                event = events.get(action)
                if event is not None and event.internal and event.origin:
                    action = event.origin  # the loader's own event: name the field it comes from
                print(f"turn {report.turn:>2} {report.role:<12} {action} -> {report.outcome}")
    state = "ended: " + scenario.endings[match.state.ending].title if match.is_over() else "unfinished"
    print(f"{args.save}: ok, {len(save.steps)} steps replayed exactly ({state})")
    return 0
