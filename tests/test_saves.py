"""Saves: atomic writes, exact replays, and refusals of anything damaged or foreign."""

from __future__ import annotations

import json
import os

import pytest

from game.ai import make_policy
from game.cli import main
from game.core.match import Match
from game.saves import SaveError, parse_save, read_save, replay, restore, save_data, write_save
from game.scenario.loader import load_bytes, load_scenario
from tests.conftest import SCENARIOS, TUTORIAL


def random_match(scenario, seed, people=()):
    policies = {r: make_policy("random") for r in scenario.roles if r not in people}
    return Match(scenario, seed=seed, policies=policies)


def test_save_holds_what_a_replay_needs(tutorial, tmp_path):
    match = random_match(tutorial, 7)
    match.run()
    path = write_save(match, tmp_path / "game.json")
    data = json.loads(path.read_text())
    assert data["format"] == "crisis-save" and data["version"] == 1
    assert data["scenario"]["id"] == "tutorial" and data["scenario"]["digest"] == tutorial.digest
    assert data["seed"] == 7 and data["numpy"]
    assert len(data["steps"]) == len(match.steps) and data["steps"][-1]["digest"] == match.state.digest()
    assert [f for f in os.listdir(tmp_path)] == ["game.json"]


def test_replay_reproduces_every_step(tutorial, tmp_path):
    match = random_match(tutorial, 11, people=("union",))
    while not match.is_over():
        match.run()
        if match.waiting_for_person():
            match.play(match.state.legal_actions()[-1])
    again = replay(read_save(write_save(match, tmp_path / "g.json")), tutorial)
    assert [s.digest for s in again.steps] == [s.digest for s in match.steps]
    assert again.state.ending == match.state.ending


def test_restore_continues_a_game(tutorial, tmp_path):
    match = random_match(tutorial, 5, people=("union", "harbour"))
    match.run()  # the starting draws
    match.play("picket")
    match.play("wait")
    path = write_save(match, tmp_path / "half.json")
    resumed = restore(read_save(path), tutorial, {"harbour": make_policy("random")})
    assert resumed.state.digest() == match.state.digest()
    assert resumed.waiting_for_person() in ("union", None)


def test_thousand_random_games_replay_through_the_command(tutorial, tmp_path, capsys):
    for seed in range(1000):
        match = random_match(tutorial, seed)
        match.run()
        path = tmp_path / f"{seed}.json"
        write_save(match, path)
        assert main(["replay", str(path), "--quiet", "--scenario", str(TUTORIAL)]) == 0
    assert capsys.readouterr().out.count("replayed exactly") == 1000


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p != TUTORIAL], ids=lambda p: p.stem)
def test_other_scenarios_replay(path, tmp_path):
    scenario = load_scenario(path)
    for seed in range(40):
        match = random_match(scenario, seed)
        match.run()
        again = replay(read_save(write_save(match, tmp_path / "g.json")), scenario)
        assert again.state.digest() == match.state.digest()


def _saved(tutorial, tmp_path):
    match = random_match(tutorial, 3)
    match.run()
    return write_save(match, tmp_path / "g.json")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda raw: raw[: len(raw) // 2], "not readable JSON"),
        (lambda raw: b"\xff\xfe" + raw, "not readable JSON"),
        (lambda raw: raw.replace(b'"outcome": "', b'"outcome": "x', 1), "checksum"),
        (lambda raw: raw.replace(b'"seed": 3', b'"seed": 4'), "checksum"),
        (lambda raw: b"[1, 2, 3]", "not a crisis save"),
        (lambda raw: raw.replace(b'"version": 1', b'"version": 9'), "version 9"),
        (lambda raw: b"", "not readable JSON"),
    ],
)
def test_damaged_saves_are_refused(tutorial, tmp_path, damage, message):
    raw = _saved(tutorial, tmp_path).read_bytes()
    with pytest.raises(SaveError, match=message):
        parse_save(damage(raw))


def test_wrong_field_types_are_refused_even_with_a_good_checksum(tutorial):
    match = random_match(tutorial, 3)
    match.run()
    data = save_data(match)
    data["steps"][0]["action"] = 12
    data.pop("checksum")
    from game.saves import _checksum

    data["checksum"] = _checksum(data)
    with pytest.raises(SaveError, match="wrong kind"):
        parse_save(json.dumps(data).encode())


def test_save_for_a_changed_scenario_is_refused(tutorial, tmp_path):
    save = read_save(_saved(tutorial, tmp_path))
    changed = load_bytes(TUTORIAL.read_bytes().replace(b"chance: 0.3", b"chance: 0.31"), str(TUTORIAL))
    with pytest.raises(SaveError, match="another version"):
        replay(save, changed)


def test_divergence_is_reported(tutorial, tmp_path):
    path = _saved(tutorial, tmp_path)
    data = json.loads(path.read_text())
    data["seed"] = 4
    from game.saves import _checksum

    data.pop("checksum")
    data["checksum"] = _checksum(data)
    path.write_text(json.dumps(data))
    assert main(["replay", str(path), "--scenario", str(TUTORIAL)]) == 1


def test_unwritable_save_is_an_error_not_a_crash(tutorial, tmp_path):
    match = random_match(tutorial, 1)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SaveError, match="cannot write"):
        write_save(match, blocker / "save.json")


def test_failed_write_keeps_the_old_save(tutorial, tmp_path, monkeypatch):
    path = _saved(tutorial, tmp_path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(SaveError):
        write_save(random_match(tutorial, 99), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["g.json"]
