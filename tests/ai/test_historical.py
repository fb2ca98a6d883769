"""The historical policy follows the tutorial's ``history.turns`` and plays greedily elsewhere."""

from __future__ import annotations

from game.ai.greedy import best_move
from game.ai.historical import HistoricalPolicy
from game.core.match import Match
from game.core.model import WORLD
from game.core.state import State
from game.scenario.loader import with_overrides


def _seen(scenario, games: int) -> set[tuple[str, int, str]]:
    """Every (role, turn, move) the policy chose, each checked against the rule as it stands."""
    # history records negotiate for the harbour and accept for the union, each on some turns
    negotiate_turns = scenario.actions["negotiate"].history.turns
    accept_turns = scenario.actions["accept"].history.turns
    policy = HistoricalPolicy()
    seen = set()
    for seed in range(games):
        match = Match(scenario, seed, {role: policy for role in scenario.roles})
        while not match.is_over():
            state = match.state
            role = state.current_role()
            if role != WORLD:
                open_ids = {m.id for m in state.legal_actions()}
                if role == "harbour" and state.turn in negotiate_turns:
                    expected = "negotiate"
                elif role == "union" and state.turn in accept_turns and "accept" in open_ids:
                    expected = "accept"
                else:
                    expected = best_move(state)[0].id
                assert policy.choose(state, None).id == expected
                seen.add((role, state.turn, expected))
            match.play()
    return seen


def test_history_then_greedy_on_the_tutorial(tutorial):
    assert tutorial.actions["negotiate"].history.turns[:2] == (1, 2)
    seen = _seen(tutorial, 20)
    assert {("harbour", 1, "negotiate"), ("harbour", 2, "negotiate")} <= seen
    assert any(turn >= 3 and move != "negotiate" for role, turn, move in seen if role == "harbour")


def test_history_takes_a_recorded_move_only_when_it_is_open(tutorial):
    # with an offer of 5 on the table from the start, the union may accept on turn 2 as history did
    seen = _seen(with_overrides(tutorial, initial={"contract_offer": 5}), 10)
    assert ("union", 2, "accept") in seen
    assert ("union", 1, "accept") not in seen


def test_history_is_followed_even_against_the_greedy_choice(tutorial):
    state = State.initial(tutorial).apply("march", "cheered")[0].apply("negotiate", "welcomed")[0]
    while state.current_role() == WORLD:
        state = state.apply(state.legal_actions()[0], "quiet")[0]
    state = state.apply("march", "scuffle")[0]  # turn 2, the harbour to move, anger high
    assert (state.turn, state.current_role()) == (2, "harbour")
    assert best_move(state)[0].id == "police"
    assert HistoricalPolicy().choose(state, None).id == "negotiate"
    assert "history" in HistoricalPolicy().explain(state)
