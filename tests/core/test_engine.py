"""The turn engine: turn flow, exact odds, effects, endings, observation and determinism."""

from __future__ import annotations

import math

import pytest

from game.ai import make_policy
from game.core.errors import IllegalAction
from game.core.match import Match
from game.core.model import QUIET, WORLD
from game.core.state import State, pick
from game.scenario.loader import load_bytes
from tests.conftest import SCENARIOS
from tests.conftest import TUTORIAL_FORMAT1 as TUTORIAL


def edited(old: str, new: str):
    text = TUTORIAL.read_text(encoding="utf-8")
    assert old in text
    return load_bytes(text.replace(old, new, 1).encode(), "edited.yaml")


def test_roles_act_in_turn_order_then_events_roll(tutorial1):
    state = State.initial(tutorial1)
    seen = []
    for _ in range(4):
        seen.append(state.current_role())
        move = state.legal_actions()[0]
        outcome = state.outcomes(move)[-1][0]
        state, _ = state.apply(move, outcome)
    assert seen == ["union", "harbour", WORLD, WORLD]
    assert state.turn == 2 and state.current_role() == "union"


def test_outcome_probabilities_are_exact_and_sum_to_one(tutorial1):
    state = State.initial(tutorial1)
    pairs = state.outcomes("picket")
    assert [(o.id, p) for o, p in pairs] == [("holds", 0.7), ("frays", pytest.approx(0.3))]
    for move in state.legal_actions():
        assert math.fsum(p for _, p in state.outcomes(move)) == pytest.approx(1.0)


def test_event_outcomes_include_quiet(tutorial1):
    state = State.initial(tutorial1)
    state, _ = state.apply("picket", "holds")
    state, _ = state.apply("wait", "waits")
    assert [(o.id, p) for o, p in state.outcomes("rain")] == [("soaked", 0.3), (QUIET, 0.7)]
    state, report = state.apply("rain", QUIET)
    assert report.quiet and report.changes == ()
    assert [(o.id, p) for o, p in state.outcomes("fleet_leaves")] == [(QUIET, 1.0)]


def test_report_lists_every_change_and_renders_text(tutorial1):
    state = State.initial(tutorial1)
    state, report = state.apply("march", "cheered")
    changes = {c.variable: (c.before, c.after) for c in report.changes}
    assert changes == {"anger": (10.0, 20.0), "solidarity": (70.0, 75.0), "marchers": (0.0, 1.0)}
    assert report.text == "Townsfolk cheer the marchers on; they reach Swing bridge."
    assert report.marker is not None and report.marker.kind == "flag"


def test_values_are_clamped_to_bounds():
    scenario = edited("initial: 70\n", "initial: 99\n")
    state = State.initial(scenario)
    state, report = state.apply("picket", "holds")
    assert state.value("solidarity") == 100.0


def test_move_follows_route_and_stops_at_its_end(tutorial1):
    state = State.initial(tutorial1)
    places = []
    for _ in range(3):
        if not any(a.id == "march" for a in state.legal_actions()):
            break
        state, _ = state.apply("march", "cheered")
        places.append(state.format_value("marchers"))
        state, _ = state.apply("wait", "waits")
        while state.current_role() == WORLD:
            state, _ = state.apply(state.legal_actions()[0], QUIET)
    assert places[:2] == ["Swing bridge", "Town hall"]
    assert "march" not in {a.id for a in state.legal_actions()}
    assert [a.id for a in state.unavailable_actions()] == ["march", "accept"]


def test_outcome_end_and_conditions_end_the_game(tutorial1):
    state = State.initial(tutorial1)
    state, _ = state.apply("picket", "holds")
    state, report = state.apply("police", "cleared")
    assert state.is_over() and report.ending == "broken" and state.current_role() is None
    assert state.scores() == {"harbour": pytest.approx(42 - 30 / 2), "union": 10.0}
    with pytest.raises(IllegalAction):
        state.apply("picket", "holds")


def test_turn_limit_ending(tutorial1):
    state = State.initial(tutorial1)
    while not state.is_over():
        move = state.legal_actions()[-1] if state.current_role() != "union" else state.legal_actions()[0]
        outcome = QUIET if state.current_role() == WORLD else state.outcomes(move)[0][0].id
        state, _ = state.apply(move, outcome)
    assert state.ending in ("stalemate", "bankrupt")
    assert state.turn == 5 or state.ending == "bankrupt"


def test_illegal_moves_are_refused(tutorial1):
    state = State.initial(tutorial1)
    with pytest.raises(IllegalAction, match="not open"):
        state.apply("police", "cleared")
    with pytest.raises(IllegalAction, match="no action or event"):
        state.apply("fly", "x")
    with pytest.raises(IllegalAction, match="cannot follow"):
        state.apply("picket", "cleared")


def test_observe_hides_and_estimates(tutorial1):
    state = State.initial(tutorial1)
    union = {s.variable: s for s in state.observe("union").seen}
    harbour = {s.variable: s for s in state.observe("harbour").seen}
    assert union["money"].kind == "estimate" and (union["money"].low, union["money"].high) == (40.0, 60.0)
    assert harbour["money"].kind == "exact" and harbour["money"].value == 50.0
    assert harbour["solidarity"].kind == "estimate" and union["solidarity"].kind == "exact"


def test_zero_weights_fall_back_to_equal_odds():
    text = TUTORIAL.read_text(encoding="utf-8")
    text = text.replace('weight: "solidarity"\n        text: "The line', 'weight: 0\n        text: "The line', 1)
    text = text.replace(
        'weight: "100 - solidarity"\n        text: "A few', 'weight: "0 * solidarity"\n        text: "A few', 1
    )
    state = State.initial(load_bytes(text.encode(), "zero.yaml"))
    assert [(o.id, p) for o, p in state.outcomes("picket")] == [("holds", 0.5), ("frays", 0.5)]


def test_pick_is_inverse_cdf(tutorial1):
    pairs = State.initial(tutorial1).outcomes("picket")
    assert pick(pairs, 0.0).id == "holds"
    assert pick(pairs, 0.6999).id == "holds"
    assert pick(pairs, 0.7).id == "frays"
    assert pick(pairs, 0.9999999).id == "frays"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_same_seed_same_game(path):
    from game.scenario.loader import load_scenario

    scenario = load_scenario(path)
    runs = []
    for _ in range(2):
        match = Match(scenario, seed=12345, policies={r: make_policy("random") for r in scenario.roles})
        match.run()
        runs.append(([(s.action, s.outcome, s.digest) for s in match.steps], [r.text for r in match.reports]))
    assert runs[0] == runs[1]
    other = Match(scenario, seed=54321, policies={r: make_policy("random") for r in scenario.roles})
    other.run()
    assert [s.digest for s in other.steps] != [d for _, _, d in runs[0][0]]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_random_games_always_end(path):
    from game.scenario.loader import load_scenario

    scenario = load_scenario(path)
    for seed in range(30):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.run()
        assert match.is_over()
        assert match.state.ending in scenario.endings
        assert match.state.turn <= scenario.calendar.turn_limit + 1


def test_match_records_a_new_seed_when_none_is_given(tutorial1):
    first, second = Match(tutorial1), Match(tutorial1)
    assert first.seed != second.seed and first.seed > 0


def test_match_waits_for_people(tutorial1):
    match = Match(tutorial1, seed=1, policies={"harbour": make_policy("random")})
    assert match.waiting_for_person() == "union"
    with pytest.raises(IllegalAction, match="must choose"):
        match.play()
    match.play("picket")
    match.run()
    assert match.waiting_for_person() in ("union", None)


def test_marker_can_follow_a_place_variable():
    text = TUTORIAL.read_text(encoding="utf-8").replace(
        "marker: {place: bridge, kind: flag", "marker: {place: marchers, kind: flag", 1
    )
    state = State.initial(load_bytes(text.encode(), "follow.yaml"))
    state, report = state.apply("march", "cheered")
    assert report.marker is not None and report.marker.place == "bridge"
    state, _ = state.apply("wait", "waits")
    while state.current_role() == WORLD:
        state, _ = state.apply(state.legal_actions()[0], QUIET)
    _, report = state.apply("march", "cheered")
    assert report.marker.place == "hall"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_history_notes_are_listed_by_their_first_turn(path):
    from game.scenario.loader import load_scenario as load

    scenario = load(path)
    noted = scenario.noted()
    every = [m for m in (*scenario.actions.values(), *scenario.events.values()) if m.history is not None]
    assert sorted(m.id for m in noted) == sorted(m.id for m in every)
    firsts = [min(m.history.turns) if m.history.turns else 10**9 for m in noted]
    assert firsts == sorted(firsts)
