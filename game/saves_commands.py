"""``crisis replay FILE``: re-run a saved game and verify every step."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from game import paths
from game.core.errors import CrisisError
from game.saves import ReplayDivergence, Save, read_save, replay
from game.scenario.loader import load_scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-run a saved game and verify every step",
        description="Re-run a save from its seed and choices; check every outcome and state hash. "
        "Exit 0 when it replays exactly, 1 when it diverges, 2 when the save cannot be used.",
    )
    parser.add_argument("save", metavar="FILE", help="a save written by crisis play")
    parser.add_argument("--scenario", metavar="PATH", help="the scenario file (found by id when left out)")
    parser.add_argument("--quiet", action="store_true", help="print only the verdict")
    parser.set_defaults(run=run_replay)


def find_scenario_for(save: Save, given: str | None) -> Path:
    """The scenario file a save belongs to: as given, as recorded, or found by its id."""
    if given:
        return Path(given)
    recorded = Path(save.scenario_path)
    if save.scenario_path and recorded.exists():
        return recorded
    for candidate in paths.scenario_files():
        if candidate.stem == save.scenario_id:
            return candidate
    raise CrisisError(f"cannot find the scenario '{save.scenario_id}'; pass it with --scenario PATH")


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
        for report in match.reports:
            if not report.quiet:
                print(f"turn {report.turn:>2} {report.role:<12} {report.action} -> {report.outcome}")
    state = "ended: " + scenario.endings[match.state.ending].title if match.is_over() else "unfinished"
    print(f"{args.save}: ok, {len(save.steps)} steps replayed exactly ({state})")
    return 0
