"""``crisis balance`` from the command line: reports, outputs, assertions and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
QUICK = ["--games", "3000", "--workers", "1", "--no-checks"]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["balance", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _without_checks(tmp_path: Path, raw: bytes) -> Path:
    """The tutorial with only the random-play assertions (history's is the file author's)."""
    head, _, _ = raw.partition(b"\nbalance:")
    path = tmp_path / "strike.yaml"
    path.write_bytes(
        head
        + b"""
balance:
  - name: "Random play reaches several endings"
    policies: {harbour: random, union: random}
    games: 2000
    expect:
      - {ending: broken, at_least: 0.05}
      - {win_rate: union, at_least: 0.5}
"""
    )
    return path


def test_the_report_lists_endings_roles_actions_and_length(capsys):
    code, out, _ = _run(capsys, str(TUTORIAL), *QUICK)
    assert code == 0
    for words in ("Endings", "95% interval", "stalemate", "win rate", "mean score when picked", "Game length"):
        assert words in out
    assert "Traceback" not in out
    ended = next(line for line in out.splitlines() if line.strip().startswith("ended on"))
    assert "after turn 4:" in ended and "turn 5" not in ended  # the turn limit's games, named so


def test_json_output_has_the_documented_shape(capsys, tmp_path):
    target = tmp_path / "run.json"
    code, _, _ = _run(capsys, str(TUTORIAL), *QUICK, "--seed", "3", "--policy", "union=weighted", "--json", str(target))
    assert code == 0
    data = json.loads(target.read_text())
    assert {"scenario", "games", "seed", "policies", "endings", "roles", "actions", "assertions"} <= set(data)
    assert (data["scenario"], data["games"], data["seed"]) == ("tutorial", 3000, 3)
    assert data["policies"] == {"harbour": "random", "union": "weighted"}
    ending = data["endings"]["contract"]
    assert set(ending) == {"count", "share", "ci95"}
    assert ending["ci95"][0] <= ending["share"] <= ending["ci95"][1]
    assert sum(e["count"] for e in data["endings"].values()) == 3000
    assert set(data["roles"]["harbour"]) == {"mean_score", "win_rate"}
    assert {"picked", "mean_score_when_picked"} <= set(data["actions"]["police"])
    assert data["assertions"] == []


def test_csv_output_has_a_row_per_ending_role_and_action(capsys, tmp_path):
    target = tmp_path / "run.csv"
    assert _run(capsys, str(TUTORIAL), *QUICK, "--csv", str(target))[0] == 0
    rows = target.read_text().splitlines()
    assert rows[0].startswith("kind,id,count,share")
    kinds = [row.split(",")[0] for row in rows[1:]]
    assert (kinds.count("ending"), kinds.count("role"), kinds.count("action")) == (5, 2, 6)
    assert {"ended_by", "last_moves", "raised_by"} <= set(kinds)


def test_the_plot_is_a_png(capsys, tmp_path):
    target = tmp_path / "run.png"
    assert _run(capsys, str(TUTORIAL), *QUICK, "--plot", str(target))[0] == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_assertions_pass_then_a_planted_change_breaks_one(capsys, tmp_path):
    path = _without_checks(tmp_path, TUTORIAL.read_bytes())
    code, out, _ = _run(capsys, str(path), "--games", "500", "--workers", "1")
    assert code == 0, out
    assert "ok    Random play reaches several endings: share of ending broken >= 0.05" in out
    path.write_bytes(path.read_bytes().replace(b"end: broken", b"end: riot"))
    code, out, _ = _run(capsys, str(path), "--games", "500", "--workers", "1")
    assert code == 1
    assert (
        "FAIL  Random play reaches several endings: share of ending broken >= 0.05: observed 0.0000, off by 0.0500"
        in out
    )


def test_a_sweep_prints_a_row_per_value(capsys):
    code, out, _ = _run(capsys, str(TUTORIAL), "--games", "500", "--workers", "1", "--sweep", "fleet_patience=1:5:3")
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [r[0] for r in rows] == ["1", "3", "5"]


def test_compare_flags_a_significant_move(capsys, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_bytes(TUTORIAL.read_bytes().replace(b"end: broken", b"end: riot"))
    table, picture = tmp_path / "moves.csv", tmp_path / "moves.png"
    argv = ["--games", "2000", "--workers", "1", "--csv", str(table), "--plot", str(picture)]
    code, out, _ = _run(capsys, "--compare", str(TUTORIAL), str(changed), *argv)
    assert code == 0
    assert table.read_text().splitlines()[0] == "ending,old_share,new_share,change,z,p_value,significant"
    assert picture.read_bytes()[:4] == b"\x89PNG"
    broken = next(line for line in out.splitlines() if line.strip().startswith("broken"))
    assert broken.endswith("*")
    assert "two-proportion z-test" in out


@pytest.mark.parametrize(
    "argv,words",
    [
        (["--policy", "harbour=clever"], "unknown policy 'clever'"),
        (["--policy", "harbour=lookahead/budget=9"], "a policy's name only ('lookahead'), without options"),
        (["--policy", "mayor=random"], "unknown role 'mayor'"),
        (["--policy", "harbour"], "ROLE=NAME"),
        (["--games", "0"], "--games: takes a whole number from 1"),
        (["--games", "-5"], "--games: takes a whole number from 1"),
        (["--json", "/no/such/folder/out.json"], "cannot write /no/such/folder/out.json"),
        (["--plot", "/"], "cannot write /"),
        (["--sweep", "money=1:2"], "VAR=LO:HI:STEPS"),
        (["--sweep", "nothing=1:2:3"], "no variable or constant 'nothing'"),
        (["--sweep", "_know_union_money=0:1:2"], "no variable or constant '_know_union_money'"),  # the loader's own
        (["--sweep", "nothing=1:2:3"], "(numbers there: money, anger, solidarity, contract_offer, fleet_patience)"),
        (["--sweep", "money=-50:20:3"], "within its bounds"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = _run(capsys, str(TUTORIAL), *argv)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_file_standing_where_the_output_folder_should_be_is_named(capsys, tmp_path):
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "sub" / "out.json"
    code, _, err = _run(capsys, str(TUTORIAL), *QUICK, "--json", str(out))
    assert code == 2
    assert f"{tmp_path / 'afile'} is a file, not a folder" in err
    assert len(err.strip().splitlines()) == 1


def test_a_scenario_with_errors_is_one_line_and_exit_2(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(TUTORIAL.read_bytes().replace(b"0.2 * money", b"0.2 * mony", 1))
    code, _, err = _run(capsys, str(broken), *QUICK)
    assert code == 2
    assert "mony" in err and len(err.strip().splitlines()) == 1


def test_ctrl_c_prints_what_was_played(capsys, monkeypatch):
    from game.analysis import runner

    real = runner.run_chunk
    calls = []

    def interrupted_after_one(job):
        calls.append(job.index)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(runner, "run_chunk", interrupted_after_one)
    # the main run's chunk, then Ctrl-C in the scenario's own checks
    code, out, err = _run(capsys, str(TUTORIAL), "--games", "3000", "--workers", "1")
    assert code == 130
    assert "tutorial: 3,000 games" in out
    assert "interrupted" in err


def test_compare_refuses_two_different_scenarios_unless_forced(capsys):
    other = str(Path(TUTORIAL).with_name("august_1991.yaml"))
    code, out, err = _run(capsys, "--compare", str(TUTORIAL), other, "--games", "200", "--workers", "1")
    assert code == 2 and out == ""
    assert "two different scenarios ('tutorial' and 'august_1991'" in err and "--force" in err
    assert "only in the old file: contract, broken, riot, bankrupt" in err
    code, out, _ = _run(capsys, "--compare", str(TUTORIAL), other, "--games", "200", "--workers", "1", "--force")
    assert code == 0
    assert "compared as --force asks" in out
    assert "only in the new file: crushed" in out


def test_compare_names_an_ending_only_one_version_has(capsys, tmp_path):
    renamed = tmp_path / "renamed.yaml"
    renamed.write_bytes(TUTORIAL.read_bytes().replace(b"  riot:\n", b"  riot_in_the_old_town_square:\n"))
    renamed.write_bytes(renamed.read_bytes().replace(b"end: riot", b"end: riot_in_the_old_town_square"))
    code, out, _ = _run(capsys, "--compare", str(TUTORIAL), str(renamed), "--games", "500", "--workers", "1")
    assert code == 0
    assert "only in the old file: riot\n" in out
    assert "only in the new file: riot_in_the_old_town_square" in out
    assert any(line.strip().startswith("riot_in_the_old_town_square ") for line in out.splitlines())


def test_sweep_and_compare_tables_print_whole_ids(capsys, tmp_path):
    long = tmp_path / "long.yaml"
    text = TUTORIAL.read_bytes().replace(b"stalemate", b"stalemate_for_the_whole_week")
    long.write_bytes(text.replace(b"fleet_patience", b"fleet_patience_in_days"))
    code, out, _ = _run(
        capsys, str(long), "--games", "300", "--workers", "1", "--sweep", "fleet_patience_in_days=1:3:2"
    )
    assert code == 0
    head = out.splitlines()[1].split()
    assert head[0] == "fleet_patience_in_days" and "stalemate_for_the_whole_week" in head
    assert len(out.splitlines()[2].split()) == 1 + 5 + 2  # the value, five endings, two win rates


def test_a_policy_played_one_game_at_a_time_traces_a_file_with_starting_draws(capsys):
    """Lookahead is not vectorised: its games are played one by one, starting draws and all."""
    assert (
        main(
            ["balance", str(TUTORIAL), "--policy", "harbour=lookahead", "--games", "4", "--workers", "1", "--no-checks"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "4 games" in out and "harbour=lookahead" in out
