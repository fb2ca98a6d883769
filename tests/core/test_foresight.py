"""What a side is told of an outcome before it plays it: the file's effects, on what it sees."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import make_policy
from game.core import foresight, information
from game.core.information import EXACT
from game.core.match import Match
from game.core.state import State
from game.scenario.loader import load_scenario
from tests.conftest import FORMAT2, ROOT, SCENARIOS

WAGNER = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
AUGUST = load_scenario(ROOT / "scenarios" / "august_1991.yaml")


def _told(scenario, action: str, outcome: str, role: str | None = None, seed: int = 3) -> list[str]:
    state = Match(scenario, seed=seed).state
    move = scenario.actions[action]
    return [e.text for e in foresight.effects(state, role or move.role, move.outcome(outcome))]


def test_an_outcome_lists_its_fixed_effects_the_largest_first_and_what_its_side_will_learn():
    told = _told(WAGNER, "attack", "assault")
    assert told[:3] == ["Wagner's fighting strength −25", "Wagner's morale −18", "Russian blood spilled +18"]
    assert told[-1] == "Your estimate sharpens: Army's will to fight Wagner"
    assert "Ground attacks ordered +1" in told


def test_the_end_of_the_game_comes_first():
    told = _told(WAGNER, "assassinate", "killed_wagner_breaks")
    assert told[0] == "Ends the game: The mutiny crushed"
    assert "Prigozhin alive → no" in told


def test_a_move_along_a_route_names_where_it_ends_and_a_set_place_its_name():
    assert "Gorbachev → Vnukovo airport" in _told(AUGUST, "fly_foros", "bargain")  # two stops on from Foros
    assert "Where Putin is → Valdai" in _told(WAGNER, "leave_moscow", "quiet_flight")


def test_an_amount_worked_out_from_what_the_side_cannot_see_only_changes():
    """The FSB's sweep sets elite loyalty from a formula over values Putin only estimates."""
    assert "Elite loyalty changes" in _told(WAGNER, "fsb_sweep", "report")
    assert "You learn: Prigozhin's friends in Moscow" in _told(WAGNER, "fsb_sweep", "report")


def test_a_value_the_side_does_not_see_is_never_listed():
    state = Match(WAGNER, seed=3).state
    for role in WAGNER.roles:
        seen = {s.variable for s in information.seen(state, role)}
        knows = {var for (who, var) in WAGNER.knowledge if who == role}
        for action in WAGNER.actions.values():
            for outcome in action.outcomes:
                for effect in foresight.effects(state, role, outcome):
                    assert effect.variable == "" or effect.variable in seen | knows, (action.id, outcome.id, effect)
    # Prigozhin does not see where Putin is: Putin's flight tells him nothing of it
    assert not any("Where Putin is" in t for t in _told(WAGNER, "leave_moscow", "quiet_flight", "prigozhin"))


def _blurred(state: State, role: str, rng: np.random.Generator) -> State:
    """``state`` with every value ``role`` does not see exactly set to another value in its bounds."""
    scenario = state.scenario
    values = list(state.values)
    for vid, var in scenario.variables.items():
        if var.internal or information.level(state, role, vid) == EXACT:
            continue
        slot = scenario.slots[vid]
        if var.type == "number":
            values[slot] = float(rng.uniform(var.min, var.max))
        elif var.type == "boolean":
            values[slot] = float(rng.integers(0, 2))
        elif var.type == "case":
            values[slot] = float(rng.integers(0, len(var.cases)))
        elif var.type == "place":
            values[slot] = float(rng.integers(0, len(scenario.place_ids)))
    return State(scenario, tuple(values), state.turn, state.step, state.ending)


@pytest.mark.parametrize("path", [*SCENARIOS, *FORMAT2], ids=lambda p: p.stem)
def test_what_a_side_is_told_depends_only_on_what_it_sees(path):
    """Change every value a side does not see exactly, and every outcome's effects read the same."""
    scenario = load_scenario(path)
    rng = np.random.default_rng(11)
    for seed in range(4):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        states = [match.state]
        while not match.state.ending and len(states) < 40:
            match.play()
            states.append(match.state)
        for state in states[:: max(1, len(states) // 6)]:
            for role in scenario.roles:
                other = _blurred(state, role, rng)
                for action in scenario.actions.values():
                    if action.role != role:
                        continue
                    for outcome in action.outcomes:
                        assert foresight.summary(state, role, outcome) == foresight.summary(other, role, outcome), (
                            action.id,
                            outcome.id,
                        )
