"""The exact solver: backward induction checked against a plain reference, budgets, the aim."""

from __future__ import annotations

import pytest

from game.ai.exact import Solver, TooBig, ending_value, solve
from game.core import aim
from game.core.model import WORLD
from game.core.state import State


def reference(state: State) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Backward induction the plain way: no table, every role for its own aim."""
    if state.is_over():
        value = ending_value(state)
        return value.scores, value.wins
    role = state.current_role()
    if role == WORLD:
        return _expect(state, state.legal_actions()[0])
    index = list(state.scenario.roles).index(role)
    options = [_expect(state, move) for move in state.legal_actions()]
    best = options[0]
    for option in options[1:]:
        if aim.key(option[0][index], option[1][index]) > aim.key(best[0][index], best[1][index]):
            best = option
    return best


def _expect(state: State, move) -> tuple[tuple[float, ...], tuple[float, ...]]:
    n = len(state.scenario.roles)
    scores, wins = [0.0] * n, [0.0] * n
    for outcome, p in state.outcomes(move):
        s, w = reference(state.apply(move, outcome)[0])
        scores = [a + p * b for a, b in zip(scores, s)]
        wins = [a + p * b for a, b in zip(wins, w)]
    return tuple(scores), tuple(wins)


def _late(tutorial) -> list[State]:
    """Decision states of the tutorial's last two turns, along a quiet line."""
    state = State.initial(tutorial)
    found = []
    while not state.is_over():
        if state.current_role() != WORLD and state.turn >= 3:
            found.append(state)
        move = state.legal_actions()[-1]
        state = state.apply(move, state.outcomes(move)[-1][0])[0]
    return found


def test_values_match_plain_backward_induction(tutorial):
    states = _late(tutorial)
    assert len(states) >= 3
    for state in states:
        solution = solve(state, 10**6)
        for move, value in solution.options:
            scores, wins = _expect(state, move)
            assert value.scores == pytest.approx(scores)
            assert value.wins == pytest.approx(wins)


def test_the_best_move_is_best_by_the_aim_and_ties_go_to_file_order(tutorial):
    for state in _late(tutorial):
        solution = solve(state, 10**6)
        index = list(tutorial.roles).index(state.current_role())
        keys = [value.key(index) for _, value in solution.options]
        assert solution.value.key(index) == max(keys)
        assert solution.move == solution.options[keys.index(max(keys))][0]


def test_the_whole_tutorial_solves_and_its_opening_is_the_marchs(tutorial):
    solution = solve(State.initial(tutorial), 100_000)
    assert solution.move.id == "march"
    harbour = list(tutorial.roles).index("harbour")
    assert 22.0 < solution.value.scores[harbour] < 24.0
    assert solution.states > 10_000


def test_past_its_budget_the_solver_gives_up(tutorial):
    with pytest.raises(TooBig):
        solve(State.initial(tutorial), 500)


def test_a_solver_reuses_what_it_solved(tutorial):
    state = _late(tutorial)[0]
    solver = Solver(10**6)
    first = solver.solve(state)
    spent = solver.generated
    again = solver.solve(state)
    assert again.value == first.value
    assert solver.generated - spent <= sum(len(state.outcomes(m)) for m in state.legal_actions())
