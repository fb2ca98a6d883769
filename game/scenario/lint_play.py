"""Seeded random-vs-random games, and what lint observes in them.

Each game is an ordinary :class:`~game.core.match.Match` with the ``random`` policy for every
role (game ``i`` from seed ``seed + i``), so it follows the engine's draw protocol exactly. Before
each step lint notes which actions are open and whether any weight is negative or all weights
are zero; after it, what happened and whether each effect on a bounded number changed anything.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from game.ai import make_policy
from game.core.match import Match
from game.core.model import QUIET, Action, Event, Outcome, Scenario
from game.core.state import State
from game.scenario.lint_ranges import find_move

DEFAULT_GAMES = 1000
DEFAULT_SEED = 1
MAX_STEPS = 100_000  # per simulated game: a guard, far above any real scenario


@dataclass(frozen=True)
class Reach:
    """What a batch of seeded random-vs-random games reached and observed."""

    games: int
    seed: int
    open_actions: frozenset[str] = frozenset()
    taken: Mapping[str, int] = field(default_factory=dict)  # action or event id -> times it happened
    outcomes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    endings: Mapping[str, int] = field(default_factory=dict)
    negative: Mapping[tuple[str, str], float] = field(default_factory=dict)  # lowest weight seen
    all_zero: frozenset[str] = frozenset()
    effects: Mapping[tuple[str, str, str, str], tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Tally:
    open_actions: set[str] = field(default_factory=set)
    taken: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    endings: Counter = field(default_factory=Counter)
    negative: dict[tuple[str, str], float] = field(default_factory=dict)
    all_zero: set[str] = field(default_factory=set)
    seen: Counter = field(default_factory=Counter)
    wasted: Counter = field(default_factory=Counter)


def simulate(scenario: Scenario, games: int = DEFAULT_GAMES, seed: int = DEFAULT_SEED) -> Reach:
    """Play ``games`` random-vs-random games (game ``i`` from seed ``seed + i``) and tally them."""
    tally = _Tally()
    policies = {role: make_policy("random") for role in scenario.turn_order}
    for i in range(games):
        match = Match(scenario, seed=seed + i, policies=policies)
        for _ in range(MAX_STEPS):
            if match.is_over():
                break
            before = match.state
            if before.in_setup():  # the starting draws: nothing to observe yet
                match.play()
                continue
            _observe(before, tally)
            report = match.play()
            _record(before, report.action, report.outcome, tally)
        tally.endings[match.state.ending] += 1
    effects = {key: (count, tally.wasted[key]) for key, count in tally.seen.items()}
    return Reach(
        games,
        seed,
        frozenset(tally.open_actions),
        dict(tally.taken),
        dict(tally.outcomes),
        dict(tally.endings),
        dict(tally.negative),
        frozenset(tally.all_zero),
        effects,
    )


def _observe(state: State, tally: _Tally) -> None:
    """Note the open actions and any weight that is negative or all zero in this state."""
    env = state.env
    for move in state.legal_actions():
        if isinstance(move, Event) and move.chance(env) <= 0:
            continue
        if isinstance(move, Action):
            tally.open_actions.add(move.id)
        weights = [o.weight(env) for o in move.outcomes]
        for outcome, weight in zip(move.outcomes, weights):
            key = (move.id, outcome.id)
            if weight < 0 and weight < tally.negative.get(key, 0.0):
                tally.negative[key] = weight
        if weights and all(w <= 0 for w in weights):
            tally.all_zero.add(move.id)


def _record(before: State, move_id: str, outcome_id: str, tally: _Tally) -> None:
    """Note what happened and which of the outcome's effects changed nothing against a bound."""
    if outcome_id == QUIET:
        return
    tally.taken[move_id] += 1
    tally.outcomes[(move_id, outcome_id)] += 1
    outcome = find_move(before.scenario, move_id).outcome(outcome_id)
    for verb, var_id, wasted in _bound_effects(before, outcome):
        key = (move_id, outcome_id, verb, var_id)
        tally.seen[key] += 1
        tally.wasted[key] += wasted


def _bound_effects(state: State, outcome: Outcome) -> Iterator[tuple[str, str, bool]]:
    """For each effect on a bounded number: whether the bound swallowed it entirely."""
    env = state.env
    variables = state.scenario.variables
    set_ids = {var_id for var_id, _ in outcome.set}
    for var_id, expr in outcome.set:
        var = variables[var_id]
        if var.type == "number" and (math.isfinite(var.min) or math.isfinite(var.max)):
            value = expr(env)
            yield "set", var_id, value > var.max or value < var.min
    for var_id, expr in outcome.add:
        var = variables[var_id]
        if var_id in set_ids or not (math.isfinite(var.min) or math.isfinite(var.max)):
            continue
        delta, value = expr(env), state.value(var_id)
        yield "add", var_id, (delta > 0 and value >= var.max) or (delta < 0 and value <= var.min)
