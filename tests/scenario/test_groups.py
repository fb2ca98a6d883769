"""Actions are listed by group: the author's tags, or a default that brings the decisive moves first."""

from __future__ import annotations

import pytest

from game.ai import make_policy
from game.core.match import Match
from game.scenario.groups import DECISIVE, MOVES, OTHER, grouped, listing
from game.scenario.loader import load_bytes, load_scenario
from game.scenario.problems import ScenarioError
from tests.conftest import SCENARIOS, TUTORIAL

BASE = TUTORIAL.read_text(encoding="utf-8")


def tagged(*pairs: tuple[str, str]):
    """The tutorial with ``group:`` lines added after the given actions' titles."""
    text = BASE
    for title, group in pairs:
        line = f'    title: "{title}"\n'
        assert line in text, title
        text = text.replace(line, f'{line}    group: "{group}"\n', 1)
    return load_bytes(text.encode(), "tagged.yaml")


def names(groups):
    return [(name, [a.id for a in actions]) for name, actions in groups]


def test_without_tags_the_moves_that_can_end_the_game_come_first(tutorial):
    assert names(grouped(tutorial, "union")) == [(DECISIVE, ["accept"]), (MOVES, ["picket", "march"])]
    assert names(grouped(tutorial, "harbour")) == [(DECISIVE, ["police"]), (MOVES, ["negotiate", "wait"])]


def test_tags_make_groups_in_the_order_the_file_names_them_and_the_untagged_go_last():
    scenario = tagged(("March on the town hall", "Streets"), ("Accept the contract", "Talks"))
    assert names(grouped(scenario, "union")) == [("Streets", ["march"]), ("Talks", ["accept"]), (OTHER, ["picket"])]
    assert [a.id for a in listing(scenario, "union")] == ["march", "accept", "picket"]


def test_a_group_must_be_text():
    with pytest.raises(ScenarioError) as caught:
        load_bytes(
            BASE.replace('    title: "Wait it out"\n', '    title: "Wait it out"\n    group: [a, b]\n').encode(),
            "bad.yaml",
        )
    assert any("group" in p.message or "text" in p.message for p in caught.value.problems)


def test_groups_change_no_play():
    plain = load_bytes(BASE.encode(), "plain.yaml")
    scenario = tagged(("Hold the picket line", "Streets"), ("Call the police", "Force"), ("Wait it out", "Time"))
    for seed in range(20):
        games = []
        for s in (plain, scenario):
            match = Match(s, seed=seed, policies={r: make_policy("random") for r in s.roles})
            match.run()
            games.append(([(step.action, step.outcome) for step in match.steps], match.state.values))
        assert games[0] == games[1]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_action_of_a_bundled_scenario_is_listed_once(path):
    scenario = load_scenario(path)
    for role in scenario.roles:
        assert sorted(a.id for a in listing(scenario, role)) == sorted(a.id for a in scenario.actions_of(role))
