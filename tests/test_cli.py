"""The crisis command as a person uses it: piped games, saves, replays, templates, errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, TUTORIAL


def crisis(*args: str, stdin: str = "", cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True, cwd=cwd or ROOT, timeout=120
    )


def test_version():
    result = crisis("--version")
    assert result.returncode == 0 and result.stdout.startswith("crisis ")


def test_piped_text_game_reaches_an_ending_and_replays(tmp_path):
    save = tmp_path / "game.json"
    result = crisis(
        "play", "--text", "--as", "union", "--seed", "3", "--save", str(save), str(TUTORIAL), stdin="first\n" * 40
    )
    assert result.returncode == 0, result.stderr
    assert "===" in result.stdout and "score" in result.stdout
    assert save.exists()
    replayed = crisis("replay", str(save))
    assert replayed.returncode == 0 and "replayed exactly" in replayed.stdout


def test_same_seed_and_choices_give_the_same_transcript():
    runs = [
        crisis("play", "--text", "--as", "harbour", "--seed", "8", str(TUTORIAL), stdin="2\n" * 40).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and "seed 8" in runs[0]


def test_text_game_accepts_ids_and_rejects_nonsense():
    result = crisis(
        "play", "--text", "--as", "union", "--seed", "1", str(TUTORIAL), stdin="banana\nmarch\n" + "1\n" * 40
    )
    assert "'banana' is not one of the choices" in result.stdout
    assert "March on the town hall" in result.stdout


def test_input_ending_early_is_not_a_crash():
    result = crisis("play", "--text", "--as", "union", "--seed", "1", str(TUTORIAL), stdin="1\n")
    assert result.returncode == 0 and "Input ended" in result.stdout


def test_hot_seat_and_spectating():
    both = crisis("play", "--text", "--as", "both", "--seed", "2", str(TUTORIAL), stdin="first\n" * 40)
    assert both.returncode == 0 and "Harbour master, your move" in both.stdout
    watch = crisis("play", "--text", "--as", "none", "--seed", "2", str(TUTORIAL))
    assert watch.returncode == 0 and "your move" not in watch.stdout and "===" in watch.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("play", "--text", "--as", "tsar", str(TUTORIAL)), "no playable role 'tsar'"),
        (("play", "--text", "--opponent", "genius", str(TUTORIAL)), "unknown opponent 'genius' (strengths: easy"),
        (("play", "--text", "missing.yaml"), "no scenario 'missing.yaml'"),
        (("replay", "missing.json"), "cannot read the save"),
    ],
)
def test_errors_are_one_line_without_traceback(args, message):
    result = crisis(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_new_writes_a_template_that_validates(tmp_path):
    target = tmp_path / "my crisis.yaml"
    assert crisis("new", str(target)).returncode == 0
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: my_crisis" in text
    assert crisis("validate", str(target)).returncode == 0
    assert crisis("new", str(target)).returncode == 2
    game = crisis("play", "--text", "--as", "opposition", "--seed", "4", str(target), stdin="first\n" * 30)
    assert game.returncode == 0 and "===" in game.stdout
    balance = crisis("balance", str(target), "--games", "1000", "--workers", "1")
    assert balance.returncode == 0 and "FAIL" not in balance.stdout, balance.stdout  # its own assertions hold


def test_an_internal_error_is_one_line_and_logged(tmp_path, monkeypatch, capsys):
    from game import cli
    from game.scenario import commands

    def broken(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setenv("CRISIS_HOME", str(tmp_path))
    monkeypatch.setattr(commands, "run_validate", broken)
    assert cli.main(["validate", str(TUTORIAL)]) == 70
    err = capsys.readouterr().err
    assert "something went wrong" in err and "Traceback" not in err
    assert "ZeroDivisionError: planted" in (tmp_path / "crisis.log").read_text()
