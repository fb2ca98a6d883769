"""The August 1991 scenario: its map, its history layer, its endings and its balance.

The balance assertions in the file itself are checked for every scenario elsewhere; these tests
cover what is particular to this one: that what really happened can be replayed move by move and
ends the way history did, that the strong AI does not run away with either side, and that no
option of either role is dominated under history's play.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from game.ai import make_policy
from game.analysis.audit import audit_options
from game.analysis.plan import Plan
from game.core.match import Match
from game.core.model import QUIET, WORLD
from game.scenario.loader import load_scenario
from tests.conftest import ROOT

PATH = ROOT / "scenarios" / "august_1991.yaml"
MAP_DATA_BOX = (22.0, 43.0, 50.0, 61.0)  # west, south, east, north of the bundled map data

# What happened, turn by turn: the committee's move, Yeltsin's move, and the events that happened
# (any event not named rolls "quiet" when it can). Each move is (action, outcome). The committee
# may fall apart in the night of the tunnel, before the last two turns are needed.
SWELL = {"crowds_grow": "swell"}
HISTORY = {
    1: (("declare", "obeyed"), ("decree", "spreads"), {}),
    2: (("send_tanks", "rolls_in"), ("tank_speech", "picture"), SWELL),
    3: (("censor", "silenced"), ("barricades", "built"), {"press_conference": "shaking_hands", "rain": "downpour"}),
    4: (("isolate", "sealed"), ("win_commanders", "turn"), {"defections": "turrets_turn", **SWELL}),
    5: (("isolate", "sealed"), ("appeal_abroad", "heard"), {"leningrad": "palace_square"}),
    6: (("curfew", "defied"), ("strike", "answered"), {"foreign_statements": "condemn", **SWELL}),
    7: (("storm", "refused"), ("barricades", "built"), SWELL),
    8: (("isolate", "sealed"), ("barricades", "built"), {"tunnel": "three_dead"}),
    9: (("give_up", "withdrawn"), ("barricades", "built"), {}),
    10: (("fly_foros", "refused_and_arrested"), ("delegation", "brings_him"), {}),
}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(PATH)


def _km(a, b) -> float:
    """Great-circle distance between two places, in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_both_roles_are_playable_over_twelve_six_hour_turns(scenario):
    assert set(scenario.roles) == {"committee", "yeltsin"}
    assert all(role.playable for role in scenario.roles.values())
    assert scenario.calendar.hours_per_turn == 6 and scenario.calendar.turn_limit == 12
    assert scenario.calendar.start.isoformat() == "1991-08-19T06:00:00"


def test_places_lie_inside_the_map_data_and_routes_are_no_shorter_than_the_crow_flies(scenario):
    west, south, east, north = MAP_DATA_BOX
    for place in scenario.places.values():
        assert west <= place.lon <= east and south <= place.lat <= north, place.id
    for route in scenario.routes.values():
        for (a, b), km in zip(zip(route.stops, route.stops[1:]), route.km):
            straight = _km(scenario.places[a], scenario.places[b])
            assert straight * 0.98 <= km <= straight * 1.8, (route.id, a, b, km, round(straight, 1))


def test_every_ending_scores_both_roles_and_collapse_is_history(scenario):
    assert len(scenario.endings) >= 6
    for ending in scenario.endings.values():
        assert {role for role, _ in ending.scores} == {"committee", "yeltsin"}, ending.id
    assert [e.id for e in scenario.endings.values() if e.historical] == ["collapse"]


def test_what_happened_replays_move_by_move_and_ends_in_collapse(scenario):
    match = Match(scenario, seed=0)
    match.force("draw.army", "60")  # the army as obedient as the design notes put it
    match.force("draw.alpha", "refuse")  # and Alpha as it really was
    while not match.is_over():
        state = match.state
        committee, yeltsin, events = HISTORY[state.turn]
        role = state.current_role()
        if role == WORLD:
            event = state.legal_actions()[0]
            possible = [o.id for o, _ in state.outcomes(event)]
            wanted = events.get(event.id, QUIET if QUIET in possible else possible[0])
            match.force(event, wanted)
            continue
        action, outcome = committee if role == "committee" else yeltsin
        assert state.turn in scenario.actions[action].history.turns, (action, state.turn)
        match.force(action, outcome)
    assert match.state.ending == "collapse"
    assert match.state.value("dead") == 3
    assert match.state.turn >= 8
    assert match.state.value("crowd") >= 70


def _endings(scenario, committee: str, yeltsin: str, games: int) -> Counter:
    endings: Counter = Counter()
    policies = {"committee": make_policy(committee), "yeltsin": make_policy(yeltsin)}
    for seed in range(games):
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        endings[match.state.ending] += 1
    return endings


def test_history_on_both_sides_mostly_ends_in_collapse(scenario):
    endings = _endings(scenario, "historical", "historical", 200)
    assert endings["collapse"] / 200 >= 0.5, endings


def test_random_play_reaches_every_ending(scenario):
    endings = _endings(scenario, "random", "random", 400)
    assert set(endings) == set(scenario.endings), endings


def test_the_strongest_ai_does_not_run_away_with_either_side(scenario):
    # A small sample, so the bound is looser than the file's 65% over many games.
    games = 30
    wins: Counter = Counter()
    policies = {"committee": make_policy("lookahead"), "yeltsin": make_policy("lookahead")}
    for seed in range(games):
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        scores = match.state.scores()
        if scores["committee"] != scores["yeltsin"]:
            wins[max(scores, key=scores.get)] += 1
    assert wins["committee"] / games <= 0.8 and wins["yeltsin"] / games <= 0.8, wins


def test_no_option_of_either_role_is_dominated_under_historys_play():
    # The audit plays every open option of sampled states of history's games to the end, on
    # shared random streams, and flags an option beaten with confidence in every state it was open.
    plan = Plan(load_scenario(PATH))
    found = audit_options(plan, dict.fromkeys(plan.roles, "historical"), seed=5, games=60, states=40, playouts=16)
    assert found.states == 40
    assert [v.action for v in found.dominated()] == []
