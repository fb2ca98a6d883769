"""Every number in every state is settled (within its bounds and the limit, never -0.0): a step
settles only the values its outcome touches, so the rest must be settled from the start on."""

from __future__ import annotations

import numpy as np
import pytest

from game.core.numeric import settle
from game.core.state import State
from game.scenario.loader import load_bytes, load_scenario
from game.scenario.problems import ScenarioError
from tests.conftest import FORMAT1, FORMAT2, SCENARIOS, TUTORIAL


def _unsettled(state: State) -> list[tuple[str, float]]:
    out = []
    for value, var in zip(state.values, state.scenario.variables.values()):
        if var.type == "number" and settle(value, var.min, var.max).hex() != value.hex():
            out.append((var.id, value))
    return out


@pytest.mark.parametrize("path", [*SCENARIOS, *FORMAT1, *FORMAT2], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_state_of_random_games_holds_settled_numbers(path):
    scenario = load_scenario(path)
    rng = np.random.default_rng(5)
    steps = 0
    for _ in range(6):
        state = State.initial(scenario)
        assert _unsettled(state) == []
        while not state.ending and state.legal_actions():
            moves = state.legal_actions()
            move = moves[int(rng.integers(len(moves)))]
            outcomes = state.outcomes(move)
            outcome = outcomes[int(rng.integers(len(outcomes)))][0]
            state, _ = state.apply(move, outcome)
            assert _unsettled(state) == [], (move.id, outcome.id)
            steps += 1
    assert steps > 6


def test_a_start_written_as_minus_zero_is_read_as_zero_and_one_past_the_limit_is_refused():
    """What the engine relies on when it settles only what a step touches."""
    text = TUTORIAL.read_text(encoding="utf-8")
    old = "initial: 0\n    min: 0\n    max: 10\n"
    assert old in text
    scenario = load_bytes(text.replace(old, "initial: -0.0\n", 1).encode(), "signed.yaml")
    assert scenario.variables["contract_offer"].initial.hex() == (0.0).hex()
    assert _unsettled(State.initial(scenario)) == []
    with pytest.raises(ScenarioError, match="too large"):
        load_bytes(text.replace(old, "initial: 1e300\n", 1).encode(), "huge.yaml")
