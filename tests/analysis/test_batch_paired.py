"""Batches that start part-way through a game, and paired draws (common random numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.paired import PairedDraws
from game.analysis.plan import Plan
from game.analysis.rollouts import playouts, position_of, start_of
from game.analysis.vpolicies import VECTORISED
from game.core.match import Match
from game.core.model import WORLD
from game.core.state import State, pick
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def plan(request) -> Plan:
    return Plan(load_scenario(request.param))


def _midgame(plan: Plan, seed: int, steps: int) -> State:
    match = Match(plan.scenario, seed=seed, policies={r: make_policy("random") for r in plan.roles})
    while not match.is_over() and len(match.steps) < steps:
        match.play()
    return match.state


def _one_game(plan: Plan, state: State, names: dict[str, str], draws: PairedDraws) -> State:
    """The one-game engine from ``state``, taking at each position the draws the batch takes."""
    policies = {role: make_policy(name) for role, name in names.items()}
    while not state.is_over():
        draws.at(position_of(plan, state), np.zeros(1, dtype=np.intp))
        role = state.current_role()
        move = state.legal_actions()[0] if role == WORLD else policies[role].choose(state, draws)
        state, _ = state.apply(move, pick(state.outcomes(move), draws.random()))
    return state


@pytest.mark.parametrize("names", ["random", "weighted", "greedy"])
def test_a_game_started_midway_with_paired_draws_is_the_one_game_engines(plan, names):
    lineup = dict.fromkeys(plan.roles, names)
    for seed in range(6):
        state = _midgame(plan, seed, steps=len(plan.scenario.draws) + 5 * seed)  # past the starting draws
        if state.is_over():
            continue
        draws = PairedDraws((7, seed), np.zeros(1, dtype=np.intp))
        vectorised = {r: VECTORISED[n]() for r, n in lineup.items()}
        games = play(plan, vectorised, 1, draws, keep_values=True, start=start_of(plan, [state]))
        end = _one_game(plan, state, lineup, draws)
        assert plan.ending_ids[games.ending[0]] == end.ending, seed
        assert tuple(games.values[0]) == end.values, seed
        assert list(games.scores[0]) == [end.scores()[r] for r in plan.roles], seed


def test_games_of_one_stream_draw_alike_and_other_streams_differ(plan):
    match = Match(plan.scenario, seed=1)
    match.start()
    state = match.state
    lineup = {r: VECTORISED["random"]() for r in plan.roles}
    found = playouts(plan, lineup, [state, state], np.arange(64), seed=3)
    assert np.array_equal(found.scores[0], found.scores[1])  # same streams, same luck
    assert len({tuple(row) for row in found.scores[0]}) > 1  # different streams, different games


def test_a_position_draws_the_same_whatever_else_the_batch_reached():
    draws = PairedDraws(11, np.arange(4))
    alone = PairedDraws(11, np.arange(4)).table(5).copy()
    draws.table(0), draws.table(3)
    assert np.array_equal(draws.table(5), alone)


def test_a_playout_cannot_start_from_an_ended_game(plan):
    state = _midgame(plan, 0, steps=10_000)
    with pytest.raises(Exception, match="has ended"):
        start_of(plan, [state])
