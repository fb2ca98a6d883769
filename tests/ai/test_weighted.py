"""The weighted policy: the designer's ai_weight hints, one draw, pick over normalised weights."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.ai.weighted import WeightedPolicy, odds
from game.core.expr import literal
from game.core.state import State


class FixedDraw:
    """Stands in for the generator: hands out one given uniform."""

    def __init__(self, u: float):
        self.u = u
        self.calls = 0

    def random(self) -> float:
        self.calls += 1
        return self.u


def _harbour_start(tutorial) -> State:
    state = State.initial(tutorial)
    following, _ = state.apply("picket", "holds")
    assert following.current_role() == "harbour"
    return following


def test_hints_are_normalised_in_file_order(tutorial):
    state = _harbour_start(tutorial)
    # negotiate and wait have no hint (1), police has 0.5: 1 + 0.5 + 1 = 2.5
    assert [(m.id, p) for m, p in odds(state)] == [("negotiate", 0.4), ("police", 0.2), ("wait", 0.4)]


@pytest.mark.parametrize(
    ("u", "expected"), [(0.0, "negotiate"), (0.39, "negotiate"), (0.41, "police"), (0.59, "police"), (0.61, "wait")]
)
def test_one_uniform_picks_by_the_running_sum(tutorial, u, expected):
    draw = FixedDraw(u)
    assert WeightedPolicy().choose(_harbour_start(tutorial), draw).id == expected
    assert draw.calls == 1


def test_negative_hint_counts_as_zero(variant):
    scenario = variant("ai_weight: 0.5", "ai_weight: -3")
    state = State.initial(scenario).apply("picket", "holds")[0]
    assert [(m.id, p) for m, p in odds(state)] == [("negotiate", 0.5), ("wait", 0.5)]
    assert all(WeightedPolicy().choose(state, FixedDraw(u)).id != "police" for u in (0.0, 0.5, 0.999999))


def test_all_zero_hints_fall_back_to_uniform(tutorial):
    scenario = _zero_hints(tutorial)
    state = State.initial(scenario).apply("picket", "holds")[0]
    assert [p for _, p in odds(state)] == pytest.approx([1 / 3] * 3)


def _zero_hints(scenario):
    """The tutorial with a hint of 0 on every harbour action."""
    actions = {
        key: replace(action, ai_weight=literal(0.0)) if action.role == "harbour" else action
        for key, action in scenario.actions.items()
    }
    return replace(scenario, actions=actions)


def test_hint_may_read_the_state(variant):
    scenario = variant("ai_weight: 0.5", 'ai_weight: "solidarity - 72"')
    state = State.initial(scenario).apply("picket", "holds")[0]  # solidarity 72: police hint 0
    assert [m.id for m, _ in odds(state)] == ["negotiate", "wait"]
