"""Saves to database standard: written as the game goes, atomically, by one writer at a time,
never over anything but a regular file, read back strictly.

The process tests run the real command (``python -m game``) and kill it with SIGKILL; every
wait in them is bounded.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from game import files
from game.ai import make_policy
from game.cli import main
from game.core.match import Match
from game.saves import (
    ReplayDivergence,
    SaveError,
    SaveFile,
    _checksum,
    parse_save,
    read_save,
    replay,
    save_data,
    write_save,
)
from tests.conftest import ROOT, SCENARIOS, TUTORIAL, knob

posix = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices, modes and SIGKILL are POSIX")
WAGNER = next(p for p in SCENARIOS if p.stem == "wagner_mutiny")


def finished(scenario, seed=3) -> Match:
    match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
    match.run()
    return match


def resealed(data: dict) -> bytes:
    """A save's JSON after an edit, with its checksum made right again (as a forger would)."""
    data.pop("checksum", None)
    data["checksum"] = _checksum(data)
    return json.dumps(data).encode()


def game_process(tmp_path, *args, stdin=subprocess.PIPE) -> subprocess.Popen:
    env = {**os.environ, "CRISIS_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "game", *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def steps_saved(path) -> int:
    try:
        return len(read_save(path).steps)
    except SaveError:
        return -1


# written as the game goes ----------------------------------------------------------------------


def _seed_that_lasts(scenario) -> tuple[int, int, str]:
    """A seed whose game goes on after the union's first move, the steps played by then, and that move."""
    from game.text.commands import opponent

    for seed in range(100):
        match = Match(scenario, seed=seed, policies={"harbour": opponent(None)})
        match.run()
        move = match.state.legal_actions()[0]
        match.play(move)
        match.run()
        if not match.is_over():
            return seed, len(match.steps), move.id
    raise AssertionError("no seed lets the game go on")


@posix
def test_a_game_killed_mid_way_has_every_step_so_far_on_disk(tutorial, tmp_path):
    seed, played, move = _seed_that_lasts(tutorial)
    save = tmp_path / "game.json"
    args = ("play", "--text", str(TUTORIAL), "--as", "union", "--save", str(save), "--seed", str(seed))
    game = game_process(tmp_path, *args)
    try:
        game.stdin.write(f"{move}\n".encode())  # one move; the game then waits for the union's next one
        game.stdin.flush()
        assert wait_for(lambda: steps_saved(save) >= played), "the moves made are not on disk"
        time.sleep(0.3)  # the game now waits for input: nothing more should come
        game.send_signal(signal.SIGKILL)
        game.wait(timeout=30)
    finally:
        game.kill()
        game.wait(timeout=30)
    kept = read_save(save)
    assert len(kept.steps) == played and not kept.over
    assert [s.role for s in kept.steps if not s.by and s.role != "world"] == ["union"]  # the person's one move
    assert main(["replay", str(save), "--quiet", "--scenario", str(TUTORIAL)]) == 0
    assert files.stale_temporaries(files.resolve(save)) == []


def test_every_step_is_written_before_it_is_shown(tutorial, tmp_path, monkeypatch):
    import io

    from game.text.terminal import TextGame

    writes = []
    match = Match(tutorial, seed=2, policies={"harbour": make_policy("random")})
    with SaveFile(tmp_path / "g.json") as journal:

        def saved(m):
            writes.append(len(m.steps))
            journal.write(m)

        TextGame(match, {"union"}, io.StringIO("first\n" * 40), io.StringIO(), saved).play()
    assert writes == list(range(1, len(match.steps) + 1))
    assert read_save(tmp_path / "g.json").over


# what a save may be written over ---------------------------------------------------------------


@posix
@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_only_a_regular_file_is_ever_replaced(tutorial, tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "folder"
        target.mkdir()
    else:
        target = tmp_path / "null"
        target.symlink_to(os.devnull)  # through a link, so the device itself is never at risk
    before = os.stat(target).st_mode
    with pytest.raises(SaveError, match="only a regular file can be replaced"):
        write_save(finished(tutorial), target)
    assert os.stat(target).st_mode == before and os.listdir(tmp_path) == [target.name]


@posix
def test_a_symbolic_link_is_followed_to_its_target(tutorial, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_save(finished(tutorial), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_save(real).seed == 3


@posix
def test_the_file_keeps_its_mode_and_a_new_one_follows_the_umask(tutorial, tmp_path):
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o640)
    write_save(finished(tutorial), kept)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        fresh = write_save(finished(tutorial), tmp_path / "fresh.json")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o644


@posix
def test_the_folder_is_synced_after_the_rename(tutorial, tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_save(finished(tutorial), tmp_path / "g.json")
    assert synced == [False, True]  # the new file's content, then the folder that names it


# one writer at a time --------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_a_message(tutorial, tmp_path):
    match = finished(tutorial)
    with SaveFile(tmp_path / "g.json") as first:
        first.write(match)
        with pytest.raises(SaveError, match=rf"another game \(process {os.getpid()}\) is saving to it"):
            SaveFile(tmp_path / "g.json")
        if os.name == "posix":
            (tmp_path / "alias.json").symlink_to(tmp_path / "g.json")
            with pytest.raises(SaveError, match="another game"):
                write_save(match, tmp_path / "alias.json")  # the same file under another name
    write_save(match, tmp_path / "g.json")  # free again once the first let go
    assert sorted(os.listdir(tmp_path)) == ["alias.json", "g.json"] if os.name == "posix" else ["g.json"]


@posix
@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_lock_path_that_is_not_a_regular_file_is_refused_and_left_alone(tutorial, tmp_path, kind):
    notes = tmp_path / "notes.txt"
    notes.write_text("the player's own notes")
    lock = tmp_path / ".g.json.lock"
    {"link": lambda: lock.symlink_to(notes), "fifo": lambda: os.mkfifo(lock), "folder": lock.mkdir}[kind]()
    with pytest.raises(SaveError, match=r"its lock file \.g\.json\.lock is .*; remove it"):
        write_save(finished(tutorial), tmp_path / "g.json")
    assert notes.read_text() == "the player's own notes"  # a link's target is never written
    assert os.path.lexists(lock) and not (tmp_path / "g.json").exists()


def test_only_the_writers_own_temporaries_are_cleaned_up(tutorial, tmp_path):
    mine = tmp_path / ".g.json.draft.tmp"  # the player's file, named like a temporary
    mine.write_text("keep me")
    left = tmp_path / ".g.json.0123456789ab.tmp"  # what a writer killed mid-write leaves
    left.write_text("half a save")
    write_save(finished(tutorial), tmp_path / "g.json")
    assert mine.read_text() == "keep me" and not left.exists()


@posix
def test_two_games_saving_to_one_file(tmp_path):
    save = tmp_path / "shared.json"
    first = game_process(tmp_path, "play", "--text", str(TUTORIAL), "--as", "union", "--save", str(save))
    try:
        assert wait_for(lambda: steps_saved(save) >= 0), "the first game never saved"
        second = game_process(tmp_path, "play", "--text", str(TUTORIAL), "--as", "union", "--save", str(save))
        _, err = second.communicate(b"first\n" * 20, timeout=60)
        assert second.returncode == 2
        assert f"another game (process {first.pid}) is saving to it" in err.decode()
        assert len(err.decode().strip().splitlines()) == 1
        out, err = first.communicate(b"first\n" * 20, timeout=120)
        assert first.returncode == 0, err.decode()
    finally:
        first.kill()
        first.wait(timeout=30)
    assert read_save(save).over


# crashes mid-write -----------------------------------------------------------------------------

WRITER = """
import sys
from game.ai import make_policy
from game.core.match import Match
from game.saves import SaveFile
from game.scenario.loader import load_scenario

scenario = load_scenario(sys.argv[1])
with SaveFile(sys.argv[2]) as save:
    print("ready", flush=True)
    seed = 0
    while True:
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        while not match.is_over():
            match.play()
            save.write(match)
        seed += 1
"""


@posix
def test_kill_nine_during_writes_never_costs_the_previous_save(tmp_path):
    save = tmp_path / "g.json"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    mid_write = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rounds = knob("CRISIS_KILLS", 15, 100_000)  # more for a longer run
    done = 0
    for round_ in range(4 * rounds):  # on a busy machine more rounds may pass before one lands mid-write
        if done >= rounds and mid_write:
            break
        done += 1
        writer = subprocess.Popen(
            [sys.executable, str(script), str(WAGNER), str(save)], stdout=subprocess.PIPE, env=env, cwd=tmp_path
        )
        try:
            assert writer.stdout.readline() == b"ready\n"
            time.sleep(0.05 + 0.02 * (round_ % 15))  # kills land at different points of the writes
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
        finally:
            writer.kill()
            writer.wait(timeout=30)
        if save.exists():
            assert read_save(save).steps  # the last save that was completed, whole
        mid_write += bool(files.stale_temporaries(files.resolve(save)))
        SaveFile(save).close()  # the next writer to open the path cleans up
        assert files.stale_temporaries(files.resolve(save)) == []
        assert not (tmp_path / ".g.json.lock").exists()
    assert save.exists() and read_save(save).steps
    print(f"\n{done} kills, {mid_write} during a write: the save survived every one")
    assert mid_write >= 1, "no kill landed during a write; the test proved nothing"


def test_a_failed_write_leaves_the_old_save_and_no_temporary(tutorial, tmp_path, monkeypatch):
    path = write_save(finished(tutorial, seed=1), tmp_path / "g.json")
    before = path.read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(SaveError, match=r"cannot write the save .*g\.json: No space left on device"):
        write_save(finished(tutorial, seed=2), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["g.json"]


# reading: only regular files, strict fields ------------------------------------------------------


@posix
def test_a_save_or_a_scenario_that_is_a_pipe_is_refused_at_once(tutorial, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(SaveError, match=r"it is a named pipe \(FIFO\), not a regular file"):
        read_save(pipe)
    data = save_data(finished(tutorial))
    data["scenario"]["path"] = str(pipe)
    data["scenario"]["id"] = "nothing_by_that_id"
    (tmp_path / "g.json").write_bytes(resealed(data))
    replaying = game_process(tmp_path, "replay", str(tmp_path / "g.json"), stdin=subprocess.DEVNULL)
    _, err = replaying.communicate(timeout=60)  # a read of the pipe would block forever
    assert replaying.returncode == 2 and "cannot find the scenario 'nothing_by_that_id'" in err.decode()


def test_a_save_opens_its_recorded_scenario_only_if_it_is_the_same_file(tutorial, tmp_path, capsys):
    data = save_data(finished(tutorial))
    other = tmp_path / "tutorial.yaml"
    other.write_bytes(TUTORIAL.read_bytes() + b"\n# changed\n")
    data["scenario"]["path"] = str(other)
    (tmp_path / "g.json").write_bytes(resealed(data))
    assert main(["replay", str(tmp_path / "g.json"), "--quiet"]) == 0  # the bundled tutorial, found by id
    assert "replayed exactly" in capsys.readouterr().out


def test_a_scenario_played_by_a_relative_path_is_found_again_from_another_folder(tmp_path, monkeypatch, capsys):
    from game.scenario.loader import load_scenario

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "own.yaml").write_bytes(TUTORIAL.read_bytes().replace(b"id: tutorial", b"id: own_copy", 1))
    monkeypatch.chdir(tmp_path / "mine")
    data = save_data(finished(load_scenario("own.yaml")))
    assert data["scenario"]["path"] == str(tmp_path / "mine" / "own.yaml")
    (tmp_path / "g.json").write_bytes(resealed(data))
    monkeypatch.chdir(tmp_path)
    assert main(["replay", "g.json", "--quiet"]) == 0
    assert "replayed exactly" in capsys.readouterr().out
    (tmp_path / "mine" / "own.yaml").unlink()
    assert main(["replay", "g.json", "--quiet"]) == 2
    assert f"no file is at {tmp_path / 'mine' / 'own.yaml'} now" in capsys.readouterr().err


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda d: d.update(version=1.0), "version 1.0"),
        (lambda d: d.update(version=True), "version True"),
        (lambda d: d.update(version="1"), "version '1'"),
        (lambda d: d.update(over="yes"), "'over' is not true or false"),
        (lambda d: d.update(over=1), "'over' is not true or false"),
        (lambda d: d.update(seed=1.5), "the seed is not a whole number"),
        (lambda d: d.update(seed=True), "the seed is not a whole number"),
        (lambda d: d.update(seed=-1), "the seed is not a whole number"),
        (lambda d: d.update(seed=2**128), "the seed is not a whole number"),
        (lambda d: d.update(extra=1), "the field 'extra' does not belong in the save"),
        (lambda d: d.pop("numpy"), "the field 'numpy' is missing"),
        (lambda d: d["steps"][0].update(digest="abc"), "the state hash of a step is not a hash"),
        (lambda d: d["steps"][0].update(when=3), "the field 'when' does not belong in a step"),
        (lambda d: d["scenario"].pop("path"), "the field 'path' is missing"),
        (lambda d: d.update(steps={}), "the steps are not a list"),
        (lambda d: d.update(policies=[]), "the policies are not a mapping"),
        (lambda d: d["scenario"].update(id="../../etc/passwd"), "the scenario's id is not an id"),
        (lambda d: d["scenario"].update(id="\x1b[2J" + "x" * 5000), "the scenario's id is not an id"),
        (lambda d: d["scenario"].update(path="/tmp/a\x00b"), "the scenario's path is not a path"),
        (lambda d: d["scenario"].update(path="/" + "a" * 5000), "the scenario's path is not a path"),
    ],
)
def test_every_field_has_a_strict_type(tutorial, edit, words):
    data = save_data(finished(tutorial))
    edit(data)
    with pytest.raises(SaveError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_save(resealed(data))


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"format": "crisis-save", "format": "crisis-save"}', "the key 'format' is given twice"),
        ('{"seed": 1' + "0" * 5000 + "}", "a whole number of 5,001 digits"),
        ('{"seed": NaN}', "it holds NaN, which is not a number"),
        ('{"seed": -Infinity}', "it holds -Infinity"),
        ("[" * 100_000 + "]" * 100_000, "not readable JSON"),
    ],
)
def test_json_that_no_save_is_made_of_is_refused(text, words):
    with pytest.raises(SaveError, match=words):
        parse_save(text.encode())


def test_a_duplicate_key_is_refused_even_with_a_good_checksum(tutorial):
    raw = resealed(save_data(finished(tutorial))).decode()
    doubled = raw.replace('"numpy": ', '"numpy": "0.0", "numpy": ', 1)
    with pytest.raises(SaveError, match="'numpy' is given twice"):
        parse_save(doubled.encode())


def test_over_is_checked_against_the_replay(tutorial):
    match = Match(tutorial, seed=4, policies={"harbour": make_policy("random")})
    match.play("picket")
    data = save_data(match)
    data["over"] = True
    with pytest.raises(ReplayDivergence, match="calls the game over, but after it the game goes on"):
        replay(parse_save(resealed(data)), tutorial)
    done = save_data(finished(tutorial))
    done["over"] = False
    with pytest.raises(ReplayDivergence, match="calls the game unfinished, but after it the game has ended"):
        replay(parse_save(resealed(done)), tutorial)


def test_the_commands_refuse_a_bad_save_in_one_line(tutorial, tmp_path, capsys):
    (tmp_path / "big.json").write_text('{"format": "crisis-save", "version": 1, "seed": ' + "9" * 5000 + "}")
    for argv in (["replay", str(tmp_path / "big.json")], ["play", "--text", "--load", str(tmp_path / "big.json")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "5,000 digits" in err and len(err.strip().splitlines()) == 1


def test_a_scenario_path_with_a_nul_is_one_line_not_an_internal_error(tutorial, tmp_path, capsys):
    """The replay opens the path a save records; a NUL in it made the open raise ValueError (exit 70)."""
    data = save_data(finished(tutorial))
    data["scenario"].update(id="elsewhere", path="/tmp/a\x00b")
    (tmp_path / "g.json").write_bytes(resealed(data))
    assert main(["replay", str(tmp_path / "g.json"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "the scenario's path is not a path" in err and len(err.strip().splitlines()) == 1


@posix
def test_a_dangling_link_makes_no_folders_where_it_points(tutorial, tmp_path):
    """Saving through a link into a folder that is not there used to make that folder (and its
    parents) wherever the link pointed."""
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "nowhere" / "deeper" / "game.json")
    with pytest.raises(SaveError, match="No such file or directory"):
        write_save(finished(tutorial), link)
    assert not (tmp_path / "nowhere").exists() and link.is_symlink()
    write_save(finished(tutorial), tmp_path / "made" / "for" / "it.json")  # folders named in the path are made
    assert read_save(tmp_path / "made" / "for" / "it.json").seed == 3


def test_a_file_where_a_folder_should_be_is_named(tutorial, tmp_path, capsys):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(SaveError, match=r"afile is a file, not a folder"):
        write_save(finished(tutorial), tmp_path / "afile" / "deeper" / "g.json")
    assert main(["new", str(tmp_path / "afile" / "x.yaml")]) == 2
    assert "afile is a file, not a folder" in capsys.readouterr().err


def test_a_refused_save_path_leaves_no_folders_behind(tutorial, tmp_path):
    with pytest.raises(SaveError, match="cannot write the save"):
        write_save(finished(tutorial), tmp_path / "a" / "b" / ("x" * 300 + ".json"))  # a name too long
    assert not (tmp_path / "a").exists()
