"""A value's row in a view is made once per scenario and Seen, and never crosses scenarios."""

from __future__ import annotations

from dataclasses import replace

from game.core.match import Match
from game.scenario.loader import load_scenario
from game.server import views
from tests.conftest import ROOT

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def test_a_row_is_shared_within_a_scenario_and_made_afresh_for_another():
    scenario = load_scenario(WAGNER)
    state = Match(scenario, seed=3).state
    seen = state.observe("putin").seen
    first = [views.seen_data(state, s) for s in seen]
    assert first == [views._row(state, s) for s in seen]
    assert all(a is b for a, b in zip(first, (views.seen_data(state, s) for s in seen)))
    variable = seen[0].variable
    relabelled = replace(
        scenario, variables={**scenario.variables, variable: replace(scenario.variables[variable], label="Other")}
    )
    other = Match(relabelled, seed=3).state
    assert views.seen_data(other, seen[0])["label"] == "Other"
    assert views.seen_data(state, seen[0])["label"] == scenario.variables[variable].label
