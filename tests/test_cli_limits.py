"""Every flag past its cap, and every input that once reached the internal-error exit, is one line and exit 2."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from game.cli import main
from game.flags import cores, from_env
from tests.conftest import TUTORIAL

T = str(TUTORIAL)
LONG = "a" * 5000


@pytest.mark.parametrize(
    "argv, words",
    [
        (["play", "--text", T, "--seed", "-1"], "--seed: takes a seed, a whole number from 0 to 2^128 - 1, not '-1'"),
        (["play", "--text", T, "--seed", str(2**128)], "--seed: takes a seed"),
        (["play", "--text", T, "--seed", "1" * 5000], "--seed: takes a seed"),
        (["play", T, "--scale", "100"], "--scale: takes a number from 0.5 to 3"),
        (["play", T, "--size", "100000x100000"], "--size can be at most 7680x4320"),
        (["play", "--text", T, "--size", "800x600", "--fullscreen"], "--size, --fullscreen: for the window only"),
        (["play", "--text", T, "--scale", "2"], "--scale: for the window only; leave out --text"),
        (["play", "--text", "--load", "game.json", "--seed", "3"], "--seed and --load do not go together"),
        (["play", "--load", "game.json", "--seed", "3"], "--seed and --load do not go together"),
        (["balance", T, "--seed", "-1"], "--seed: takes a seed"),
        (["balance", T, "--games", "1000000000000000"], "--games: takes a whole number from 1 to 100,000,000"),
        (
            ["balance", T, "--workers", "1000"],
            f"--workers: takes a number of processes, one per core at most, from 0 to {cores()}",
        ),
        (["balance", T, "--workers", "-1"], "--workers: takes"),
        (["lint", T, "--games", "1000000000"], "--games: takes a whole number from 0 to 100,000"),
        (["lint", T, "--seed", "-1"], "--seed: takes a seed"),
        (["solve", T, "--budget", "1000000000000"], "--budget: takes a whole number from 0 to 2,000,000"),
        (["solve", T, "--playouts", "0"], "--playouts: takes a whole number from 1 to 100,000"),
        (["solve", T, "--turn", "0"], "--turn: takes a whole number from 1 to 1,000"),
        (["solve", T, "--policy", "oracle"], "--policy must be one the batch engine plays"),
        (["new", ""], "takes a path, not an empty text"),
        (["serve", "--port", "70000"], "--port: takes a whole number from 0 to 65,535"),
        (["serve", "--data", ""], "--data: takes a path, not an empty text"),
        (["play", "--join", "abc", "--server", "http://x"], "--server: takes a ws:// or wss:// address"),
        (["play", "--join", "abc", "--server", "ws://" + "x" * 3000], "--server: takes a ws:// or wss:// address"),
        (["play", "--join", "abc", "--server", "ws://:0"], "names no host and port"),
        (["balance", T, "--games", "\u0661\u0660"], "takes a whole number from 1"),  # Arabic-Indic digits
        (["play", "--text", T, "--seed", "\uff13"], "takes a seed"),  # a full-width 3
        (["play", "--join", "abc", "--server", "ws://127.0.0.1:99999"], "not a number from 1 to 65535"),
        (["validate", LONG], "takes a path of at most 4,096 characters"),
        (["lint", "a" * 300], "no scenario 'aaaaaaaa"),  # one part of the path is longer than a name can be
        (["play", "--text", "a" * 300], "no scenario"),
        (["replay", "a" * 300 + ".json"], "cannot read the save"),
        (["balance", T, "--games", "10", "--plot", os.devnull], "cannot write /dev/null: it is a device"),
        (["balance", T, "--games", "10", "--json", os.devnull], "cannot write /dev/null: it is a device"),
        (["balance", T, "--games", "10", "--scheduler", "garbage"], "cannot use the Dask scheduler address 'garbage'"),
        (["balance", T, "--games", "10", "--scheduler", "http://x:1"], "unknown address scheme 'http'"),
        (["balance", T, "--games", "10", "--scheduler", "tls://127.0.0.1:1"], "needs Dask's TLS settings"),
        (["balance", T, "--games", "10", "--scheduler", "tcp://1.2.3.4:" + "9" * 20], "a number from 1 to 65535"),
        (["balance", T, "--games", "10", "--scheduler", "tcp://[::1]:99999"], "a number from 1 to 65535"),
        (["balance", T, "--games", "10", "--scheduler", "tcp://:8786"], "names no host and port"),
        (["lint", T, "--games", "2", "--seed", str(2**128 - 1)], "the last would be past 2^128 - 1"),
        (["balance", T, "--games", "10", "--policy", "harbour=random", "--policy", "harbour=greedy"], "twice"),
        (["solve", T, "--save", "x.json", "--seed", "5"], "--seed and --save do not go together"),
    ],
)
def test_refused_in_one_line_with_exit_2(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "went wrong" not in err


def test_new_given_a_folder_says_so(tmp_path, capsys):
    assert main(["new", str(tmp_path) + "/"]) == 2
    assert "names a folder" in capsys.readouterr().err


def test_a_full_disk_names_the_file_and_keeps_the_old_one(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    assert main(["balance", T, "--games", "10", "--workers", "1", "--json", str(out)]) == 2
    assert f"cannot write {out}: No space left on device" in capsys.readouterr().err
    assert out.read_text() == "old" and os.listdir(tmp_path) == ["out.json"]


def test_the_help_still_works(capsys):
    assert main(["balance", "--help"]) == 0
    assert "--workers" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, 7), ("12", 12), ("100000000000", 50), ("-3", 1), ("nan", 7), ("inf", 7), ("seven", 7), ("9" * 60, 7)],
)
def test_a_tuning_knob_from_the_environment_is_kept_within_its_cap(monkeypatch, text, expected):
    if text is None:
        monkeypatch.delenv("CRISIS_TEST_KNOB", raising=False)
    else:
        monkeypatch.setenv("CRISIS_TEST_KNOB", text)
    assert from_env("CRISIS_TEST_KNOB", 7, 1, 50) == expected
    unreadable = expected == 7
    as_float = 0.5 if unreadable else min(max(float(text), 0.0), 50.0)
    assert from_env("CRISIS_TEST_KNOB", 0.5, 0.0, 50.0, float) == as_float


def test_the_windows_knobs_cannot_ask_for_endless_games_or_an_endless_pace(monkeypatch):
    from game.ui.options import MAX_PACE, default_pace
    from game.ui.scenes.ending import MAX_SIMULATED_GAMES, simulated_games

    monkeypatch.setenv("CRISIS_UI_SIM_GAMES", "1" + "0" * 40)
    monkeypatch.setenv("CRISIS_UI_PACE", "1e300")
    assert simulated_games() == MAX_SIMULATED_GAMES
    assert default_pace() == MAX_PACE
    monkeypatch.setenv("CRISIS_UI_PACE", "-inf")
    assert 0 < default_pace() < 1


def test_no_output_replaces_the_scenario_it_reads(tmp_path, capsys):
    scenario = tmp_path / "mine.yaml"
    scenario.write_bytes(Path(T).read_bytes())
    before = scenario.read_bytes()
    (tmp_path / "alias.yaml").symlink_to(scenario)
    for argv in (
        ["play", "--text", str(scenario), "--save", str(scenario)],
        ["balance", str(scenario), "--games", "10", "--json", str(tmp_path / "alias.yaml")],
        ["balance", str(scenario), "--games", "10", "--csv", str(scenario)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "it is the scenario file being" in err and len(err.strip().splitlines()) == 1, err
    assert scenario.read_bytes() == before


def test_the_window_will_not_save_over_its_scenario(tmp_path):
    from game.saves import SaveError
    from game.scenario.loader import load_scenario
    from game.ui.session import Session, Settings

    scenario = tmp_path / "mine.yaml"
    scenario.write_bytes(Path(T).read_bytes())
    session = Session(load_scenario(scenario), Settings(scenario, "none", seed=1))
    with pytest.raises(SaveError, match="it is the scenario file being played"):
        session.hold(scenario)
    session.hold(tmp_path / "game.json")  # any other path is taken
    session.release()


def test_a_choice_is_picked_by_ascii_digits_only():
    from types import SimpleNamespace

    from game.talks import pick

    items = [SimpleNamespace(id=name) for name in ("first", "second", "third")]
    assert pick("3", items) is items[2] and pick("second", items) is items[1]
    assert pick("\uff13", items) is None and pick("\u0663", items) is None
