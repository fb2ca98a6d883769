"""Exact solving on the batch engine agrees bit for bit with the one-game solver."""

from __future__ import annotations

import pytest

from game.ai import make_policy
from game.ai.exact import TooBig
from game.ai.exact import solve as solve_one
from game.analysis.backward import solve
from game.analysis.plan import Plan
from game.core.match import Match
from game.core.model import WORLD
from game.core.state import State
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS, TUTORIAL, TUTORIAL_FORMAT1


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def plan(request) -> Plan:
    return Plan(load_scenario(request.param))


def _last_turn_states(plan: Plan, seeds: int) -> list[State]:
    """States of the last turn that random and greedy games reach (some last turns are rare)."""
    found = []
    limit = plan.scenario.calendar.turn_limit
    for seed in range(seeds):
        name = "random" if seed % 2 else "greedy"
        match = Match(plan.scenario, seed, {r: make_policy(name) for r in plan.roles})
        while not match.is_over():
            if match.state.turn == limit:
                found.append(match.state)
            match.play()
    return found[::3]


def test_last_turns_solve_exactly_as_the_one_game_solver_does(plan):
    states = _last_turn_states(plan, seeds=30)
    assert states
    for state in states:
        layered, one = solve(plan, state, 10**6), solve_one(state, 10**6)
        assert layered.value == one.value  # the same floats
        assert layered.options == tuple(value for _, value in one.options)
        if state.current_role() != WORLD:
            assert state.legal_actions()[layered.best] == one.move


def test_the_whole_tutorial_solves_as_the_one_game_solver_does():
    plan = Plan(load_scenario(TUTORIAL_FORMAT1))
    state = State.initial(plan.scenario)
    layered, one = solve(plan, state, 10**6), solve_one(state, 10**6)
    assert layered.value == one.value
    assert layered.states == one.positions


def test_a_start_still_to_be_drawn_is_every_drawn_start_weighed_by_its_chance():
    plan = Plan(load_scenario(TUTORIAL))
    state = State.initial(plan.scenario)
    assert state.in_setup()
    layered, one = solve(plan, state, 10**6), solve_one(state, 10**6)
    assert layered.value.scores == pytest.approx(one.value.scores)
    assert layered.value.wins == pytest.approx(one.value.wins)


def test_past_its_budget_it_gives_up(plan):
    match = Match(plan.scenario, seed=1)
    match.start()
    with pytest.raises(TooBig):
        solve(plan, match.state, 50)
