"""A role's exported view holds what that role knew and nothing that rebuilds the truth."""

from __future__ import annotations

import json

from game.ai import make_policy
from game.cli import main
from game.core.information import EXACT, level
from game.core.match import Match
from game.core.model import WORLD
from game.saves import write_save
from game.scenario.loader import load_scenario
from game.views import view_data
from tests.conftest import ROOT

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def _game(seed: int) -> Match:
    scenario = load_scenario(WAGNER)
    match = Match(scenario, seed=seed, policies={r: make_policy("weighted") for r in scenario.roles})
    match.run()
    return match


def test_a_view_is_the_roles_observation_and_carries_no_seed_or_steps():
    match = _game(987654321)
    for role in match.scenario.roles:
        data = view_data(match.state, role)
        seen = match.state.observe(role)
        assert data["key"] == seen.key
        assert len(data["feed"]) == len(seen.feed)
        assert set(data["values"]) == {s.variable for s in seen.seen}
        text = json.dumps(data)
        assert str(match.seed) not in text and "steps" not in data and "seed" not in data
        for var, shown in data["values"].items():
            assert (shown["kind"] == "exact") == (level(match.state, role, var) == EXACT)


def test_the_view_command_prints_one_sides_view_of_a_save(tmp_path, capsys):
    match = _game(12)
    path = write_save(match, tmp_path / "game.json")
    assert main(["view", str(path), "--as", "prigozhin", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(view_data(match.state, "prigozhin")))
    assert "friends" not in data["values"]  # hidden from both sides unless Prigozhin learned it
    assert main(["view", str(path), "--as", "shoigu"]) == 2
    assert "there is no role 'shoigu'" in capsys.readouterr().err


def test_the_view_command_says_what_a_move_it_did_not_see_did_to_its_meters(tmp_path, capsys):
    """A step the role did not see is in its feed only for its meters: the view says so, and
    shows what changed, as the terminal game does (not a turn number and nothing else)."""
    scenario = load_scenario(ROOT / "tests" / "fixtures" / "secrets" / "wearoff.yaml")
    match = Match(scenario, seed=1)
    match.force("spend", "spent")
    path = write_save(match, tmp_path / "game.json")
    assert main(["view", str(path), "--as", "watcher", "--scenario", str(scenario.path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:3] == [
        "turn  1 (no word of what happened)",
        "        ~ Alert 0 -> 10; Funds about 40 to 60 -> about 20 to 40",
    ]
    assert lines[-2:] == ["  Alert: 10", "  Funds: about 20 to 40"]


def test_replay_names_a_delayed_effect_by_the_field_it_comes_from(tmp_path, capsys):
    """The loader's internal events have ids a file cannot write: the listing names the field."""
    scenario = load_scenario(ROOT / "tests" / "fixtures" / "secrets" / "wearoff.yaml")
    seed = next(s for s in range(100) if _look(scenario, s).steps[-1].outcome == "lasting")
    match = _look(scenario, seed)
    match.play("wait")
    while match.state.current_role() == WORLD:
        match.play()
    path = write_save(match, tmp_path / "game.json")
    assert main(["replay", str(path), "--scenario", str(scenario.path)]) == 0
    out = capsys.readouterr().out
    assert "world        actions.look.outcomes.lasting.lasts -> takes_hold" in out
    assert "_event" not in out
    # a view tells the role what the step did, never the loader's id of it, which names the
    # outcome that set it off
    assert main(["view", str(path), "--as", "spy", "--json", "--scenario", str(scenario.path)]) == 0
    feed = json.loads(capsys.readouterr().out)["feed"]
    assert "Its effect wears off" in [e["outcome_title"] for e in feed]
    assert not any(e["action"].startswith("_") for e in feed)


def _look(scenario, seed: int) -> Match:
    match = Match(scenario, seed=seed)
    match.play("look")
    return match
