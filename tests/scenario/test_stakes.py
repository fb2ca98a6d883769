"""The stakes read from a scenario: ending lines, words for conditions, leaning, score parts, outlooks."""

from __future__ import annotations

import pytest

from game.ai import make_policy
from game.core.aim import LOST, WON
from game.core.match import Match
from game.scenario.lint_ranges import Interval
from game.scenario.loader import load_scenario
from game.scenario.stakes import OPEN, stakes_of
from tests.conftest import ROOT, SCENARIOS

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def test_the_lines_where_endings_fire_are_read_from_their_conditions():
    stakes = stakes_of(load_scenario(WAGNER))
    found = {(t.variable, t.op, t.value, t.ending): t.also for t in stakes.thresholds}
    assert found[("authority", "<=", 20.0, "fracture")] == ""
    assert found[("blood", ">=", 50.0, "bloodbath")] == ""
    # a line joined with another condition says which
    assert "Elite loyalty at 33 or below" in found[("km_to_moscow", "<=", 500.0, "moscow_falls")]
    line = next(t for t in stakes.thresholds if t.variable == "authority")
    assert line.below and line.crossed(20) and not line.crossed(21)
    assert stakes.near(line, 26) and not stakes.near(line, 50) and not stakes.near(line, 19)


def test_conditions_read_as_words(tutorial):
    stakes = stakes_of(tutorial)
    assert stakes.condition(tutorial.endings["riot"]) == "Public anger at 60 or above"
    assert stakes.condition(tutorial.endings["contract"]) == "after “Accept the contract”"
    assert "last turn (4)" in stakes.condition(tutorial.endings["stalemate"])


def test_a_side_leans_the_way_its_objective_rewards(tutorial):
    stakes = stakes_of(tutorial)
    assert stakes.leaning["harbour"]["money"] == 1 and stakes.leaning["harbour"]["solidarity"] == -1
    assert stakes.leaning["harbour"]["anger"] == 0  # its objective does not read it
    assert stakes.leaning["union"]["solidarity"] == 1 and stakes.leaning["union"]["money"] == -1
    assert stakes.leaning["union"]["marchers"] == 0  # a place has no direction


@pytest.mark.parametrize(
    "path", [*SCENARIOS, ROOT / "tests" / "fixtures" / "format2" / "envoy.yaml"], ids=lambda p: p.stem
)
def test_score_parts_add_up_to_the_score_in_every_ending_reached(path):
    scenario = load_scenario(path)
    stakes = stakes_of(scenario)
    for seed in range(40):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.run()
        state = match.state
        for role, score in state.scores().items():
            parts = stakes.parts(state.ending, role)
            assert sum(p.expr(state.env) for p in parts) == pytest.approx(score, abs=1e-9)
        assert stakes.why(state, match.reports[-1]).startswith(("It ended", "The clock ran out"))


def test_an_outlook_is_told_only_when_the_ranges_decide_it(tutorial):
    stakes = stakes_of(tutorial)
    riot = tutorial.endings["riot"]
    assert stakes.outlook(riot, "union") == OPEN  # anger against 100 - anger
    angry = {"anger": Interval(60, 100)}
    assert stakes.outlook(riot, "union", angry) == WON and stakes.outlook(riot, "harbour", angry) == LOST
    contract = tutorial.endings["contract"]
    assert stakes.outlook(contract, "harbour") == OPEN
    # knowing the offer decides the contract: 70 - 4 * offer against 30 + 4 * offer
    assert stakes.outlook(contract, "harbour", {"contract_offer": Interval(1, 2)}) == WON
    assert stakes.outlook(contract, "harbour", {"contract_offer": Interval(6, 10)}) == LOST
    assert stakes.outlook(contract, "harbour", {"contract_offer": Interval(4, 6)}) == OPEN


def test_why_a_game_ended_names_the_condition_with_its_value(tutorial):
    scenario = tutorial
    for seed in range(200):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.run()
        if match.state.ending == "riot":
            text = stakes_of(scenario).why(match.state, match.reports[-1])
            assert "Public anger came to" in text and "60 or above" in text
            return
    pytest.fail("no riot in 200 random games")


def test_a_game_a_deal_settled_says_it_ended_with_the_deal():
    from game.core.match import Match
    from game.scenario.loader import load_scenario
    from game.scenario.stakes import stakes_of
    from tests.conftest import ROOT

    scenario = load_scenario(ROOT / "tests" / "fixtures" / "secrets" / "settle_later.yaml")
    match = Match(scenario, seed=1)
    match.force("fuse", "lit")
    match.force("idle", "idle")
    while match.state.current_role() == "world":
        event = match.state.legal_actions()[0]
        match.force(event, match.state.outcomes(event)[0][0].id)
    match.force("offer:talk:peace", "delivered")
    match.force(next(a.id for a in match.state.legal_actions() if a.id.startswith("accept")), "accepted")
    match.run()
    assert match.state.ending == "peace_ending"
    why = stakes_of(scenario).why(match.state, match.reports[-1])
    assert why == "It ended with the deal that was struck, once each side had made its last move."
