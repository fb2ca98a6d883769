"""Every policy, on every bundled scenario: legal moves, the draw protocol, determinism."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from game.ai import FACTORIES, make_policy
from game.core.match import Match, make_rng
from game.core.model import WORLD
from game.core.state import State, pick
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

DRAWS = {"random": 1, "weighted": 1, "greedy": 0, "historical": 0, "lookahead": 0, "expert": 0}
QUICK = {"lookahead": {"budget": 400}, "expert": {"playouts": 4}}


def _policy(name: str):
    return make_policy(name, **QUICK.get(name, {}))


def _decision_states(scenario, seed: int) -> list[State]:
    """The states where a role chose in one random game."""
    match = Match(scenario, seed, {role: make_policy("random") for role in scenario.roles})
    states = []
    while not match.is_over():
        if match.state.current_role() != WORLD:
            states.append(match.state)
        match.play()
    return states


def test_draw_table_covers_every_policy():
    assert set(DRAWS) == set(FACTORIES)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_policy_plays_only_legal_moves_to_the_end(bundled, name):
    policies = {role: _policy(name) for role in bundled.roles}
    for seed in range(3):
        match = Match(bundled, seed, policies)
        while not match.is_over():
            state = match.state
            if state.current_role() != WORLD:
                move = policies[state.current_role()].choose(state, np.random.default_rng(seed))
                assert move.id in {m.id for m in state.legal_actions()}
                assert move.role == state.current_role()
            match.play()
        assert match.state.ending in bundled.endings


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_policy_takes_its_stated_number_of_draws(bundled, name):
    policy = _policy(name)
    for state in _decision_states(bundled, seed=5):
        rng = make_rng(11)
        expected = copy.deepcopy(rng)
        for _ in range(DRAWS[name]):
            expected.random()
        policy.choose(state, rng)
        assert rng.bit_generator.state == expected.bit_generator.state


def test_random_uses_the_protocol_index(tutorial):
    state = State.initial(tutorial)
    moves = state.legal_actions()
    for seed in range(20):
        u = make_rng(seed).random()
        chosen = make_policy("random").choose(state, make_rng(seed))
        assert chosen == moves[min(int(u * len(moves)), len(moves) - 1)]


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_same_seed_gives_the_same_game(bundled, name):
    first = Match(bundled, 42, {role: _policy(name) for role in bundled.roles})
    second = Match(bundled, 42, {role: _policy(name) for role in bundled.roles})
    first.run()
    second.run()
    assert first.steps == second.steps


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_explanation_is_one_line(tutorial, name):
    state = State.initial(tutorial)
    text = _policy(name).explain(state)
    assert text and "\n" not in text


def test_match_outcome_draw_follows_the_policy_draw(tutorial):
    """One step of a match with the random policy: its draw, then the outcome's draw."""
    match = Match(tutorial, 3, {role: make_policy("random") for role in tutorial.roles})
    rng = make_rng(3)
    state = match.state
    moves = state.legal_actions()
    move = moves[min(int(rng.random() * len(moves)), len(moves) - 1)]
    outcome = pick(state.outcomes(move), rng.random())
    report = match.play()
    assert (report.action, report.outcome) == (move.id, outcome.id)


@pytest.mark.parametrize("name", sorted(FACTORIES))
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_policy_plays_the_format_2_scenarios_to_the_end(path, name):
    scenario = load_scenario(path)
    match = Match(scenario, 3, {role: _policy(name) for role in scenario.roles})
    match.run()
    assert match.is_over()
    assert len(match.steps) > len(scenario.draws)
