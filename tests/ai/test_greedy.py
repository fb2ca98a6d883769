"""The greedy policy: one-step expected values as the role sees the state, worked out by hand."""

from __future__ import annotations

import pytest

from game.ai.greedy import GreedyPolicy, best_move
from game.ai.value import expected_value
from game.core.state import State

TWIN = """  {name}:
    role: harbour
    title: "Offer the same again"
    description: "The same offer as negotiating, under another name."
    outcomes:
      welcomed:
        weight: "1 + solidarity / 50"
        text: "Studied."
        add: {{contract_offer: 3, money: -6}}
      mocked:
        weight: 1
        text: "Laughed off."
        add: {{contract_offer: 1, money: -2, anger: -2}}
"""


def test_union_marches_at_the_start(tutorial):
    # picket: 0.7 * 72 (holds) + 0.3 * 60 (frays) = 68.4
    # march: 0.8 * 75 (cheered) + 0.2 * 65 (scuffle) = 73.0; accept is closed
    state = State.initial(tutorial)
    assert expected_value(state, tutorial.actions["picket"], "union") == pytest.approx(68.4)
    move, value = best_move(state)
    assert (move.id, value) == ("march", pytest.approx(73.0))


def test_harbour_prefers_a_small_offer_to_waiting(tutorial):
    state = State.initial(tutorial).apply("march", "cheered")[0]  # solidarity 75, anger 20, money 50
    by_hand = {
        "negotiate": 5 / 7 * (44 - 2 * 20) + 2 / 7 * (48 - 2 * 18),  # welcomed 2.5 : mocked 1
        "police": 0.25 * (50 - 40 / 2) + 0.75 * (50 - 2 * 45),  # cleared ends it: scored money - anger / 2
        "wait": 46 - 2 * 20,
    }
    for move in state.legal_actions():
        assert expected_value(state, move, "harbour") == pytest.approx(by_hand[move.id])
    # the harbour only estimates solidarity (75, within 60..80): it reads 70, so welcomed is 2.4 : 1
    seen = 2.4 / 3.4 * (44 - 2 * 20) + 1 / 3.4 * (48 - 2 * 18)
    assert best_move(state) == (tutorial.actions["negotiate"], pytest.approx(seen))
    assert GreedyPolicy().choose(state, None).id == "negotiate"


@pytest.mark.parametrize(("anchor", "winner"), [("negotiate", "twin"), ("police", "negotiate")])
def test_ties_go_to_the_first_move_in_file_order(variant, anchor, winner):
    """An exact copy of 'negotiate' placed before ``anchor``: the earlier of the two wins."""
    at = f"  {anchor}:\n    role: harbour"
    scenario = variant(at, TWIN.format(name="twin") + at)
    state = State.initial(scenario).apply("march", "cheered")[0]
    twin, negotiate = scenario.actions["twin"], scenario.actions["negotiate"]
    assert expected_value(state, twin, "harbour") == expected_value(state, negotiate, "harbour")
    assert best_move(state)[0].id == winner
