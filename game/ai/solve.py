"""``crisis solve FILE``: what every opening option is worth to every role, by lookahead.

For the scenario's start state, the role to move's options are searched with the lookahead
policy (as deep as its budget allows) and each option's expected value is printed for every
role, best first for the role that chooses. Values are the roles' scores where the search
reached an ending and their objectives where it stopped short.
"""

from __future__ import annotations

import argparse

from game import flags
from game.ai.lookahead import DEFAULT_BUDGET, DEFAULT_DEPTH, LookaheadPolicy, Plan
from game.core.limits import MAX_SOLVE_BUDGET, MAX_SOLVE_DEPTH
from game.core.match import Match
from game.core.state import State


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "solve",
        help="what each opening option is worth to each role under lookahead",
        description="Search the start of a scenario and print each option's value for each role.",
    )
    p.add_argument("file", type=flags.path, help="scenario file (or a bundled scenario's name)")
    p.add_argument(
        "--depth",
        type=flags.whole(1, MAX_SOLVE_DEPTH),
        default=DEFAULT_DEPTH,
        metavar="N",
        help=f"most decisions to look ahead (1 to {MAX_SOLVE_DEPTH})",
    )
    p.add_argument(
        "--budget",
        type=flags.whole(1, MAX_SOLVE_BUDGET),
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"most states to explore (1 to {MAX_SOLVE_BUDGET:,})",
    )
    p.add_argument("--seed", type=flags.seed, default=1, metavar="S", help="the seed that draws hidden starting values")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    match = Match(scenario, seed=args.seed)
    match.start()
    state = match.state
    if scenario.draws:
        drawn = ", ".join(f"{d.variable} = {state.format_value(d.variable)}" for d in scenario.draws)
        print(f"Starting values are drawn in every game; these are seed {args.seed}'s: {drawn}.")
    plan = LookaheadPolicy(depth=args.depth, budget=args.budget).plan(state)
    print(render(state, plan))
    return 0


def _load(name: str):
    from game.scenario.loader import load_scenario

    try:
        from game.paths import find_scenario
    except ImportError:
        return load_scenario(name)
    return load_scenario(find_scenario(name))


def render(state: State, plan: Plan) -> str:
    """The plan as a table: one row per option, one column per role, best first for the chooser."""
    role = state.current_role()
    roles = plan.roles
    ordered = sorted(plan.options, key=lambda option: -option[1][roles.index(role)])
    width = max(len(move.title) for move, _ in ordered)
    ahead = "1 decision" if plan.depth == 1 else f"{plan.depth} decisions"
    lines = [
        f"{state.scenario.meta.title}: {state.scenario.roles[role].name} moves first "
        f"(looked {ahead} ahead, {plan.explored} states)",
        f"{'option':<{width}}  " + "  ".join(f"{r:>10}" for r in roles),
    ]
    for move, vector in ordered:
        mark = " <- chosen" if move.id == plan.move.id else ""
        lines.append(f"{move.title:<{width}}  " + "  ".join(f"{v:>10.1f}" for v in vector) + mark)
    return "\n".join(lines)
