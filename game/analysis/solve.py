"""``crisis solve FILE``: what every option is worth, saying exactly what was computed.

The position is the scenario's start (its hidden starting values drawn with ``--seed``), a
saved game's last position (``--save``), or the first decision of a given turn (``--turn``: of
the saved game, or of the line history's choices take from the start with ``--seed``). From
there:

- when the rest of the game fits ``--budget`` states, it is solved exactly
  (:mod:`game.ai.exact`): each option's value is the expected score and chance of winning of
  every role under the stated solution concept, with the number of states searched;
- otherwise each option is **estimated**: every outcome of it (at its exact probability) is
  played to the end ``--playouts`` times by the batch engine with every role following
  ``--policy``, and each figure carries its 95% confidence interval. The horizon (the end of the
  game) and the policy are printed with the table: these are values of that policy, not of best
  play, and more playouts only narrow the intervals.

With ``--equilibrium`` it instead finds an equilibrium of the whole game as each role knows it,
for small scenarios (:mod:`game.analysis.solve_equilibrium`).
"""

from __future__ import annotations

import argparse
import functools
import math
from dataclasses import dataclass

import numpy as np

from game import flags
from game.ai import exact
from game.ai.worlds import seed_of
from game.core import aim
from game.core.errors import CrisisError
from game.core.limits import (
    MAX_EQUILIBRIUM_ITERATIONS,
    MAX_EQUILIBRIUM_NODES,
    MAX_SOLVE_BUDGET,
    MAX_SOLVE_PLAYOUTS,
    MAX_TURN_LIMIT,
)
from game.core.match import Match
from game.core.model import WORLD, Scenario
from game.core.state import Move, State

DEFAULT_BUDGET = 200_000
DEFAULT_PLAYOUTS = 1_000
Z95 = 1.959963984540054


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "solve",
        help="what each option is worth to each role: exact when the game fits, else estimated",
        description="Value every option open at a position: solved exactly when the rest of the game fits "
        "the budget, otherwise estimated by playouts with confidence intervals.",
    )
    p.add_argument("file", type=flags.path, help="scenario file (or a bundled scenario's name)")
    p.add_argument("--save", type=flags.path, metavar="FILE", help="start from this saved game's position")
    p.add_argument(
        "--turn",
        type=flags.whole(1, MAX_TURN_LIMIT),
        metavar="T",
        help="start from the first decision of turn T",
    )
    p.add_argument(
        "--seed",
        type=flags.seed,
        default=None,
        metavar="S",
        help="the seed that draws hidden starting values (and the line to --turn); default 1",
    )
    p.add_argument(
        "--budget",
        type=flags.whole(0, MAX_SOLVE_BUDGET),
        metavar="N",
        help=f"most states to solve exactly (default {DEFAULT_BUDGET:,}, 0 to {MAX_SOLVE_BUDGET:,}; 0 estimates)",
    )
    p.add_argument(
        "--playouts",
        type=flags.whole(1, MAX_SOLVE_PLAYOUTS),
        metavar="N",
        help=f"playouts per outcome when estimating (default {DEFAULT_PLAYOUTS:,}, 1 to {MAX_SOLVE_PLAYOUTS:,})",
    )
    p.add_argument("--policy", metavar="NAME", help="the policy of the playouts (default greedy)")
    _equilibrium_flags(p)
    p.set_defaults(run=run)


def _equilibrium_flags(p: argparse.ArgumentParser) -> None:
    from game.analysis.solve_equilibrium import DEFAULT_ITERATIONS, DEFAULT_MAX_NODES

    p.add_argument(
        "--equilibrium",
        action="store_true",
        help="instead, an equilibrium of the whole game as each role knows it (CFR+), for small scenarios",
    )
    p.add_argument(
        "--iterations",
        type=flags.whole(1, MAX_EQUILIBRIUM_ITERATIONS),
        metavar="N",
        help=f"CFR+ iterations with --equilibrium (default {DEFAULT_ITERATIONS:,}, 1 to {MAX_EQUILIBRIUM_ITERATIONS:,})",
    )
    p.add_argument(
        "--max-nodes",
        type=flags.whole(1, MAX_EQUILIBRIUM_NODES),
        metavar="M",
        help=f"largest game tree --equilibrium builds (default {DEFAULT_MAX_NODES:,}, 1 to {MAX_EQUILIBRIUM_NODES:,})",
    )


def _defaults(args: argparse.Namespace) -> None:
    """Refuse the flags of the other kind of solve (they used to be ignored), then fill in defaults."""
    from game.analysis.solve_equilibrium import DEFAULT_ITERATIONS, DEFAULT_MAX_NODES

    mine = {"--iterations": args.iterations, "--max-nodes": args.max_nodes}
    others = {"--budget": args.budget, "--playouts": args.playouts, "--policy": args.policy}
    if args.equilibrium:
        mine, others = others, mine
    stray = [flag for flag, value in mine.items() if value is not None]
    if stray and args.equilibrium:
        raise CrisisError(f"--equilibrium solves the whole game by CFR+: it takes no {stray[0]}")
    if stray:
        raise CrisisError(f"{stray[0]} goes with --equilibrium")
    args.budget = DEFAULT_BUDGET if args.budget is None else args.budget
    args.playouts = DEFAULT_PLAYOUTS if args.playouts is None else args.playouts
    args.policy = args.policy or "greedy"
    args.iterations = DEFAULT_ITERATIONS if args.iterations is None else args.iterations
    args.max_nodes = DEFAULT_MAX_NODES if args.max_nodes is None else args.max_nodes
    if args.equilibrium and args.seed is not None:
        raise CrisisError(
            "--equilibrium takes no --seed: it solves from the start, with the starting draws as chance moves"
        )
    if args.save and args.seed is not None:
        raise CrisisError("--seed and --save do not go together: a saved game has its own seed")
    args.seed = 1 if args.seed is None else args.seed


def run(args: argparse.Namespace) -> int:
    from game.analysis.vpolicies import VECTORISED

    _defaults(args)
    if args.policy not in VECTORISED:
        known = ", ".join(sorted(VECTORISED))
        raise CrisisError(f"--policy must be one the batch engine plays ({known}), not '{args.policy}'")
    scenario = _load(args.file)
    if args.equilibrium:
        from game.analysis import solve_equilibrium

        return solve_equilibrium.run(scenario, args)
    state, where = position(scenario, args)
    if scenario.draws and not args.save and args.turn is None:
        drawn = ", ".join(f"{d.variable} = {state.format_value(d.variable)}" for d in scenario.draws)
        print(f"Starting values are drawn in every game; these are seed {args.seed}'s: {drawn}.")
    print(render(state, where, evaluate(state, args.budget, args.playouts, args.policy)))
    return 0


def _load(name: str) -> Scenario:
    from game.paths import find_scenario
    from game.scenario.loader import load_scenario

    return load_scenario(find_scenario(name))


# the position ------------------------------------------------------------------------------


def position(scenario: Scenario, args: argparse.Namespace) -> tuple[State, str]:
    """The state to solve and a phrase that says where it comes from."""
    if args.turn is not None and not 1 <= args.turn <= scenario.calendar.turn_limit:
        raise CrisisError(f"--turn must be between 1 and {scenario.calendar.turn_limit}, not {args.turn}")
    if args.save:
        from game.saves import read_save, replay

        match = replay(read_save(args.save), scenario)
        if args.turn is None:
            return match.state, f"the position of the save {args.save}"
        for state in _states_of(match):
            if state.turn >= args.turn and state.current_role() not in (WORLD, None):
                return state, f"the first decision of turn {args.turn} in the save {args.save}"
        raise CrisisError(f"the saved game does not reach a decision on turn {args.turn}")
    if args.turn is None:
        match = Match(scenario, seed=args.seed)
        match.start()
        return match.state, "the start"
    return _by_history(scenario, args.turn, args.seed), (
        f"the first decision of turn {args.turn}, after history's choices (greedy where history is silent), seed {args.seed}"
    )


def _states_of(match: Match) -> list[State]:
    """Every state of a played match, from its start, replayed from its record (no draws)."""
    state = State.initial(match.scenario)
    states = [state]
    for step in match.steps:
        state = state.apply(step.action, step.outcome)[0]
        states.append(state)
    return states


def _by_history(scenario: Scenario, turn: int, seed: int) -> State:
    from game.ai import make_policy

    policy = make_policy("historical")
    match = Match(scenario, seed=seed, policies=dict.fromkeys(scenario.roles, policy))
    while not match.is_over():
        state = match.state
        if state.turn >= turn and state.current_role() != WORLD:
            return state
        match.play()
    ended = match.state.turn
    if ended >= turn:
        raise CrisisError(f"history's line with seed {seed} ends on turn {ended} before anyone decides on it")
    raise CrisisError(f"history's line with seed {seed} ends on turn {ended}, before turn {turn}")


# the figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One role's value of one option: expected score and chance of winning, each with a half-width."""

    score: float
    win: float
    score_half: float = 0.0  # of the 95% interval (0 for exact figures)
    win_half: float = 0.0


@dataclass(frozen=True)
class Evaluation:
    """Every option's figures, and how they were found."""

    state: State
    roles: tuple[str, ...]
    options: tuple[tuple[Move, tuple[Figure, ...]], ...]
    exact: bool
    states: int  # the budget that was not enough (estimates)
    playouts: int  # per outcome (estimates)
    policy: str
    value: tuple[Figure, ...] = ()  # the position's own value, when exact
    positions: int = 0  # distinct positions solved (exact)
    why: str = ""  # why the exact solve stopped short of the budget, when it did


def evaluate(state: State, budget: int, playouts: int, policy: str) -> Evaluation:
    """Solve ``state`` exactly within ``budget`` states, else estimate its options by playouts."""
    roles = tuple(state.scenario.roles)
    if state.is_over():
        raise CrisisError(f"the game has already ended there ({state.scenario.endings[state.ending].title})")
    from game.analysis import backward
    from game.analysis.plan import Plan

    why = ""
    try:
        solution = backward.solve(Plan(state.scenario), state, budget)
    except exact.TooBig as exc:
        solution, why = None, str(exc)
    if solution is not None:
        options = tuple((move, _exact_figures(value)) for move, value in zip(state.legal_actions(), solution.options))
        return Evaluation(state, roles, options, True, 0, 0, "", _exact_figures(solution.value), solution.states)
    if state.current_role() == WORLD:
        if budget == 0:
            raise CrisisError(
                "the position is a roll of the world's events: it has no options to estimate; give --budget"
            )
        raise CrisisError("the position is a roll of the world's events, too big to solve exactly: raise --budget")
    return Evaluation(state, roles, _estimates(state, playouts, policy), False, budget, playouts, policy, why=why)


def _exact_figures(value: exact.Value) -> tuple[Figure, ...]:
    return tuple(Figure(s, w) for s, w in zip(value.scores, value.wins))


def _estimates(state: State, playouts: int, policy: str) -> tuple[tuple[Move, tuple[Figure, ...]], ...]:
    from game.analysis.plan import Plan
    from game.analysis.rollouts import playouts as play_out
    from game.analysis.vpolicies import VECTORISED

    plan = Plan(state.scenario)
    lineup = {role: VECTORISED[policy]() for role in plan.roles}
    moves = state.legal_actions()
    parts = [(m, p, after) for m, move in enumerate(moves) for _, p, after in state.successors(move)]
    going = [after for _, _, after in parts if not after.is_over()]
    found = play_out(plan, lineup, going, np.arange(playouts), seed_of(state, state.current_role() or WORLD))
    n = len(plan.roles)
    # the outcomes of one option are played out on the same streams (sample i of each outcome
    # meets the same luck), so an option's figure is the mean over streams of its outcomes'
    # probability-weighted sum, and its spread is that sum's spread, not the outcomes' added up
    fixed = np.zeros((len(moves), 2, n))
    paired = np.zeros((len(moves), 2, playouts, n))
    played = np.zeros(len(moves), dtype=bool)  # an option with an outcome that does not end the game
    k = 0
    for m, p, after in parts:
        if after.is_over():
            value = exact.ending_value(after)
            fixed[m, 0] += p * np.asarray(value.scores)
            fixed[m, 1] += p * np.asarray(value.wins)
            continue
        paired[m, 0] += p * found.scores[k]
        paired[m, 1] += p * found.wins[k]
        played[m] = True
        k += 1
    mean = fixed + paired.mean(axis=2)
    var = paired.var(axis=2, ddof=1) / playouts if playouts > 1 else np.zeros_like(mean)
    half = Z95 * np.sqrt(var)
    # where every playout of an option gave the same figure the spread says nothing about what
    # the playouts may have missed: an outcome rarer than 3 in N is missed about 5% of the time
    # (the rule of three), and could move the figure by at most that share of its whole range
    low, high = exact.score_bounds(state.scenario)
    alike = (paired.std(axis=2) == 0) & played[:, None, None]  # an option ending at once is exact
    rare = min(1.0, 3.0 / playouts)
    half[:, 0] = np.where(alike[:, 0], rare * (high - low), half[:, 0])
    half[:, 1] = np.where(alike[:, 1], rare, half[:, 1])
    return tuple(
        (move, tuple(Figure(mean[m, 0, r], mean[m, 1, r], half[m, 0, r], half[m, 1, r]) for r in range(n)))
        for m, move in enumerate(moves)
    )


# the table ---------------------------------------------------------------------------------


def render(state: State, where: str, found: Evaluation) -> str:
    """The evaluation as a heading that says what was computed, then one row per option."""
    scenario = state.scenario
    role = state.current_role()
    mover = scenario.roles[role].name if role in scenario.roles else "the world"
    lines = [f"{scenario.meta.title}, from {where}: turn {state.turn}, {mover} to move"]
    if found.exact:
        lines += [
            f"Solved exactly: {found.positions:,} distinct position{'' if found.positions == 1 else 's'}"
            + (
                " (each drawn start solved on its own: a position two starts share counts once for each)"
                if state.in_setup()
                else ""
            )
            + f". Solution concept: {exact.CONCEPT}.",
            "Each figure is a role's expected score, and its chance of winning, under that play from here.",
        ]
    else:
        why = (
            "Not solved (--budget 0 asks for estimates)"
            if found.states == 0
            else f"Too big to solve within {found.states:,} states"
            + (f" (the search stopped when {found.why})" if found.why else "")
        )
        lines += [
            f"{why}: these are ESTIMATES, not values of best play.",
            f"Each option's outcomes (at their exact odds) were played to the end of the game {found.playouts:,} times "
            f"each with every role then playing {found.policy}; figures are expected score and chance of winning "
            "with their 95% confidence intervals (where every playout gave one figure, the interval is the "
            "rule of three's: what happens less than 3 times in that many playouts may have been missed).",
        ]
    lines += _hidden(state)
    if found.options:
        lines += _table(state, found)
    elif found.value:
        lines.append(
            "Value: " + ", ".join(f"{r} {f.score:.2f} (wins {f.win:.1%})" for r, f in zip(found.roles, found.value))
        )
    return "\n".join(lines)


def _hidden(state: State) -> list[str]:
    """What each role does not see exactly at ``state``: the figures are of the truth, which it may not know."""
    from game.core.information import unseen

    scenario, parts = state.scenario, []
    for role_id, role in scenario.roles.items():
        names = [
            f"{variable} ({'an estimate' if seen is not None else 'not at all'})"
            for variable, seen, _ in unseen(state, role_id)
        ]
        if names:
            parts.append(f"{role.name} does not see {', '.join(names)}")
    if not parts:
        return ["Every role sees every value here."]
    return [
        "Unknown to the roles here: " + "; ".join(parts) + ". The figures are of the position as it truly is; "
        "a role that cannot see it plays from its belief."
    ]


def _table(state: State, found: Evaluation) -> list[str]:
    index = found.roles.index(state.current_role())

    def first(a, b) -> int:  # the aim's order, rounding no difference; equals keep file order
        fa, fb = a[1][index], b[1][index]
        return (
            -1
            if aim.beats(fa.score, fa.win, fb.score, fb.win)
            else 1
            if aim.beats(fb.score, fb.win, fa.score, fa.win)
            else 0
        )

    ordered = sorted(found.options, key=functools.cmp_to_key(first))
    names = [state.scenario.roles[r].name for r in found.roles]
    width = max(len("option"), *(len(move.title) for move, _ in ordered))
    cells = [[_cell(f, found.exact) for f in figures] for _, figures in ordered]
    column = max(len(r) for r in names)
    column = max(column, *(len(c) for row in cells for c in row))
    lines = [f"{'option':<{width}}  " + "  ".join(f"{r:>{column}}" for r in names)]
    top = ordered[0][1][index]
    close = [
        move
        for move, figures in ordered[1:]
        if figures[index].score + figures[index].score_half >= top.score - top.score_half
    ]
    for (move, _), row in zip(ordered, cells):
        mark = ""
        if move is ordered[0][0]:
            mark = "  <- best" if found.exact else "  <- highest estimate"
        lines.append(f"{move.title:<{width}}  " + "  ".join(f"{c:>{column}}" for c in row) + mark)
    if not found.exact and close:
        lines.append(
            f"The highest estimate's interval overlaps {len(close)} other option{'s' if len(close) > 1 else ''}'s: "
            "these playouts do not tell them apart."
        )
    return lines


def _cell(figure: Figure, is_exact: bool) -> str:
    if is_exact:
        return f"{_shown(figure.score, 2)} (wins {figure.win:.0%})"
    return f"{_shown(figure.score, 1)} ±{figure.score_half:.1f} (wins {figure.win:.0%} ±{_pct(figure.win_half)})"


def _shown(value: float, places: int) -> str:
    """A figure to ``places`` decimals; what rounds to nothing is 0, never -0."""
    return f"{round(value, places) + 0.0:.{places}f}"


def _pct(x: float) -> str:
    return f"{math.ceil(x * 100)}%" if x > 0 else "0%"
