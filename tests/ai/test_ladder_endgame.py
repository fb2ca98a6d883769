"""The ladder's endgame check: the honest standard solves every truth of the mover's belief."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from game.ai import make_policy
from game.ai.exact import TooBig
from game.ai.worlds import belief
from game.analysis import backward
from game.analysis.plan import Plan
from game.core.match import Match
from game.core.model import WORLD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ladder():
    spec = importlib.util.spec_from_file_location("ladder", ROOT / "benchmarks" / "ladder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _last_turn(scenario, seed: int):
    match = Match(scenario, seed, {r: make_policy("random") for r in scenario.roles})
    while not match.is_over():
        state = match.state
        if state.turn == scenario.calendar.turn_limit and state.current_role() not in (None, WORLD):
            if len(state.legal_actions()) > 1:
                return state
        match.play()
    return None


def test_the_honest_standard_is_the_belief_weighted_mean_of_exact_solves(ladder, tutorial):
    plan = Plan(tutorial)
    checked = 0
    for seed in range(6):
        state = _last_turn(tutorial, seed)
        if state is None:
            continue
        role = state.current_role()
        index = tuple(tutorial.roles).index(role)
        found = ladder.honest_values(plan, state, role, 200_000)
        assert not isinstance(found, str)
        particles = [p for p in belief(state, role).particles if p.weight > 0]
        total = sum(p.weight for p in particles)
        solved = [backward.solve(plan, p.state, 200_000) for p in particles]
        for m, value in enumerate(found):
            mean = sum(p.weight / total * s.options[m].scores[index] for p, s in zip(particles, solved))
            assert value.scores[index] == pytest.approx(mean)
        if len(particles) == 1:  # the belief knows the truth: the two standards agree
            truth = backward.solve(plan, state, 200_000)
            for mine, true in zip(found, truth.options):
                assert mine.scores == pytest.approx(true.scores)
        checked += 1
    assert checked


def test_the_honest_standard_says_why_it_skips(ladder, tutorial):
    plan = Plan(tutorial)
    state = _last_turn(tutorial, 0)
    role = state.current_role()
    assert ladder.honest_values(plan, state, role, 200_000, cap=0) == "belief"
    with pytest.raises(TooBig):
        backward.solve(plan, state, 1)
    assert ladder.honest_values(plan, state, role, 1) == "solve"


def test_a_move_is_best_when_it_equals_the_top_within_the_tolerance(ladder):
    from game.ai.exact import Value

    values = [Value((10.0, 0.0), (0.5, 0.0)), Value((10.0 - 1e-12, 0.0), (0.5, 0.0)), Value((9.0, 0.0), (1.0, 0.0))]
    assert ladder._judged(values, 0, 1) == (True, pytest.approx(0.0, abs=1e-9))
    assert ladder._judged(values, 0, 2) == (False, pytest.approx(1.0))


def test_a_checked_position_is_kept_as_its_path_and_rebuilt_from_it(ladder, tutorial):
    state = _last_turn(tutorial, seed=4)
    assert state is not None
    path = ladder.path_of(state)
    assert path and all(isinstance(move, str) and isinstance(outcome, str) for move, outcome in path)
    again = ladder.rebuilt(tutorial, path)
    assert (again.values, again.turn, again.step) == (state.values, state.turn, state.step)
    for role in tutorial.roles:  # what each role was shown on the way is the same too
        assert again.observe(role).key == state.observe(role).key
