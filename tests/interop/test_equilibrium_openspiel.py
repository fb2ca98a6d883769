"""Our CFR+ against OpenSpiel's, on Kuhn poker written as a scenario and adapted as an OpenSpiel game."""

from __future__ import annotations

import pytest

pyspiel = pytest.importorskip("pyspiel", reason="the research extra is not installed")

from open_spiel.python.algorithms import cfr, expected_game_score, exploitability  # noqa: E402

from game.analysis import equilibrium, gametree  # noqa: E402
from game.interop.spiel import game_for  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

KUHN = ROOT / "tests" / "fixtures" / "games" / "kuhn.yaml"


def test_openspiels_cfr_plus_reaches_the_same_value_and_nash_conv():
    scenario = load_scenario(KUHN)
    game = game_for(scenario)
    solver = cfr.CFRPlusSolver(game)
    for _ in range(100):
        solver.evaluate_and_update_policy()
    average = solver.average_policy()
    theirs = exploitability.nash_conv(game, average)
    their_value = expected_game_score.policy_value(game.new_initial_state(), [average, average])
    tree = gametree.build(scenario, 10_000)
    sets = equilibrium.infosets(tree)
    ours = equilibrium.solve(tree, sets, 100)
    # the same information sets: OpenSpiel's tabular policy has one row per information state
    assert len(average.state_lookup) == sets.count
    assert ours.values[0] == pytest.approx(-1 / 18, abs=5e-3)
    assert their_value[0] == pytest.approx(-1 / 18, abs=5e-3)
    assert theirs < 0.02 and ours.nash_conv < 0.02
    # the same algorithm (regret matching+, alternating updates, linear averaging): the same numbers
    assert ours.nash_conv == pytest.approx(theirs, abs=1e-9)
    assert ours.values[0] == pytest.approx(their_value[0], abs=1e-9)
