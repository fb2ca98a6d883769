"""``crisis view SAVE --as ROLE``: what one side of a saved game knew, and nothing more."""

from __future__ import annotations

import argparse
import json

from game import flags
from game.core.errors import CrisisError
from game.saves import read_save, replay
from game.saves_commands import find_scenario_for
from game.scenario.loader import load_scenario
from game.views import view_data


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "view",
        help="show what one side of a saved game knew",
        description="Replay a save and print one role's view of it: its own news and what it saw, "
        "without the seed or the moves it was not shown.",
    )
    parser.add_argument("save", metavar="FILE", type=flags.path, help="a save written by crisis play")
    parser.add_argument("--as", dest="role", required=True, metavar="ROLE", help="whose view to show")
    parser.add_argument(
        "--scenario", metavar="PATH", type=flags.path, help="the scenario file (found by id when left out)"
    )
    parser.add_argument("--json", action="store_true", help="print the view as JSON")
    parser.set_defaults(run=run_view)


def run_view(args: argparse.Namespace) -> int:
    save = read_save(args.save)
    scenario = load_scenario(find_scenario_for(save, args.scenario))
    if args.role not in scenario.roles:
        raise CrisisError(
            f"there is no role '{args.role}' in {scenario.meta.title} (roles: {', '.join(scenario.roles)})"
        )
    state = replay(save, scenario).state
    data = view_data(state, args.role)
    if args.json:
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return 0
    print(f"{scenario.meta.title}: what {scenario.roles[args.role].name} knew")
    for entry in data["feed"]:
        if entry["seen"] == "none" and not entry["changes"]:
            # the step that ended the game, and nothing else the role could see of it
            if data["ending"] in scenario.endings:
                print(f"turn {entry['turn']:>2} the game ends: {scenario.endings[data['ending']].title}")
            continue
        if entry["seen"] == "none":
            # a step the role did not see, in its feed for what it did to the role's meters
            print(f"turn {entry['turn']:>2} (no word of what happened)")
            shifts = "; ".join(
                f"{scenario.variables[c['variable']].label} {_shown(c['before'])} -> {_shown(c['after'])}"
                for c in entry["changes"]
            )
            if shifts:
                print(f"        ~ {shifts}")
            continue
        line = f"turn {entry['turn']:>2} {entry['title']}"
        if entry["outcome_title"] and entry["outcome_title"] != entry["title"]:
            line += f" - {entry['outcome_title']}"
        print(line)
        if entry["text"]:
            print(f"        {entry['text']}")
    print("at the end:")
    for variable, seen in data["values"].items():
        print(f"  {scenario.variables[variable].label}: {_shown(seen)}")
    return 0


def _shown(seen: dict | None) -> str:
    """A value as the terminal game shows it: an estimate as "about LOW to HIGH"."""
    if seen is None:
        return "?"
    return f"about {seen['shown']}" if seen["kind"] == "estimate" else seen["shown"]
