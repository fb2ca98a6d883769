"""``crisis solve``: exact values with the state count and the concept, or estimates that say so."""

from __future__ import annotations

import json
import re

import pytest

from game.ai.exact import CONCEPT, solve
from game.cli import main
from game.core.match import Match
from game.saves import save_data
from tests.conftest import ROOT


def _rows(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("option"))
    return [line for line in lines[start + 1 :] if not line.startswith("The highest estimate's interval overlaps")]


def test_the_tutorial_is_solved_exactly_from_its_drawn_start(tutorial, capsys):
    assert main(["solve", "tutorial", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    match = Match(tutorial, seed=3)
    match.start()
    assert out.startswith(
        f"Starting values are drawn in every game; these are seed 3's: money = {match.state.format_value('money')}."
    )
    solution = solve(match.state, 10**6)
    assert "Solved exactly" in out and CONCEPT in out
    assert f"{solution.positions:,} distinct positions" in out
    # what each role cannot see is said, from the information model
    assert "Strike leader does not see money (an estimate)" in out
    assert "Harbour master does not see solidarity (an estimate)" in out
    rows = _rows(out)
    assert rows[0].startswith(solution.move.title) and rows[0].endswith("<- best")
    for move, value in solution.options:
        row = next(line for line in rows if line.startswith(move.title))
        assert f"{value.scores[0]:.2f}" in row and f"{value.scores[1]:.2f}" in row


def test_a_game_too_big_for_the_budget_gets_estimates_that_say_so(capsys):
    assert main(["solve", "tutorial", "--budget", "100", "--playouts", "50"]) == 0
    out = capsys.readouterr().out
    assert "ESTIMATES" in out and "100 states" in out
    assert "50 times" in out and "greedy" in out and "95% confidence intervals" in out
    assert all("±" in row for row in _rows(out))


def test_estimates_narrow_with_playouts_and_agree_within_their_intervals(capsys):
    found = {}
    for playouts in (400, 6400):
        main(["solve", "tutorial", "--budget", "100", "--playouts", str(playouts), "--policy", "random"])
        found[playouts] = {
            row.split("  ")[0]: [(float(c), float(h)) for c, h in re.findall(r"(-?\d+\.\d) ±(\d+\.\d)", row)]
            for row in _rows(capsys.readouterr().out)
        }
    assert set(found[400]) == set(found[6400])
    for option, cells in found[400].items():
        for (centre, half), (finer, narrower) in zip(cells, found[6400][option]):
            assert narrower < half
            assert abs(centre - finer) <= 2 * (half + narrower)


def test_a_given_turn_follows_history(capsys):
    assert main(["solve", "wagner_mutiny", "--turn", "8", "--playouts", "20"]) == 0
    out = capsys.readouterr().out
    assert "turn 8" in out and "history's choices" in out
    # from turn 8 the bargaining's packages make the game too big to solve: it says so
    assert "Solved exactly" in out or "these are ESTIMATES, not values of best play" in out


def test_a_saved_game_is_solved_from_where_it_stopped(tmp_path, tutorial, capsys):
    match = Match(tutorial, seed=4)
    while match.state.turn < 3:
        match.play(match.state.legal_actions()[0]) if match.waiting_for_person() else match.play()
    path = tmp_path / "game.json"
    path.write_text(json.dumps(save_data(match)), encoding="utf-8")
    assert main(["solve", "tutorial", "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "from the position of the save" in out and "turn 3" in out
    assert solve(match.state, 10**6).move.title in _rows(out)[0]


def test_a_save_of_another_scenario_is_refused_in_one_line(tmp_path, tutorial, capsys):
    match = Match(tutorial, seed=4)
    match.play(match.state.legal_actions()[0])
    path = tmp_path / "game.json"
    path.write_text(json.dumps(save_data(match)), encoding="utf-8")
    assert main(["solve", "wagner_mutiny", "--save", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "this save is for the scenario" in err


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--budget", "999999999"], "--budget: takes a whole number from 0 to 2,000,000"),
        (["--playouts", "0"], "--playouts: takes a whole number from 1 to 100,000"),
        (["--playouts", "10000000"], "--playouts: takes a whole number from 1 to 100,000"),
        (["--policy", "lookahead"], "--policy must be one the batch engine plays"),
        (["--policy", "gredy"], "--policy must be one the batch engine plays"),
        (["--turn", "99"], "--turn must be between 1 and"),
        (["--iterations", "5"], "--iterations goes with --equilibrium"),  # these used to be ignored
        (["--max-nodes", "5"], "--max-nodes goes with --equilibrium"),
        (["--equilibrium", "--budget", "5"], "it takes no --budget"),
        (["--equilibrium", "--playouts", "5"], "it takes no --playouts"),
        (["--equilibrium", "--policy", "random"], "it takes no --policy"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(flags, message, capsys):
    assert main(["solve", "tutorial", *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err


def test_the_docs_example_is_what_the_command_prints(capsys):
    main(["solve", "tutorial"])
    out = capsys.readouterr().out
    assert out.strip() in (ROOT / "docs" / "ai.md").read_text(encoding="utf-8")


SOLVE = ROOT / "tests" / "fixtures" / "solve"


def test_values_equal_but_for_rounding_are_a_tie_the_win_chance_decides(capsys):
    """Steady sums to 2.8e-17 in floats and Gamble to 0: exactly both are 0, and Gamble wins
    half its games against none. Both solvers, and the table, must take Gamble."""
    from game.analysis import backward
    from game.analysis.plan import Plan
    from game.scenario.loader import load_scenario

    scenario = load_scenario(SOLVE / "ties.yaml")
    match = Match(scenario, seed=1)
    match.start()
    assert solve(match.state, 10**5).move.id == "gamble"
    solved = backward.solve(Plan(scenario), match.state, 10**5)
    index = list(scenario.roles).index("a")
    assert [round(v.wins[index], 6) for v in solved.options] == [0.0, 0.5]
    assert main(["solve", str(SOLVE / "ties.yaml")]) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows[0].startswith("Gamble and end it") and rows[0].endswith("<- best")


def test_an_options_interval_is_the_spread_of_its_outcomes_paired_on_the_same_streams(capsys):
    # Split's two outcomes differ only in an unscored marker and meet the same luck: its interval
    # is Plain's (four swings of 10: sd 20), not narrower for being two outcomes
    assert main(["solve", str(SOLVE / "crn.yaml"), "--budget", "0", "--playouts", "1000"]) == 0
    out = capsys.readouterr().out
    assert "Not solved (--budget 0 asks for estimates)" in out
    halves = {row.split()[0]: float(re.search(r"±(\d+\.\d)", row).group(1)) for row in _rows(out)}
    assert halves["Split"] == halves["Plain"]
    assert abs(halves["Split"] - 1.96 * 20 / 1000**0.5) <= 0.15
    assert "<- highest estimate" in out and "do not tell them apart" in out


def test_playouts_that_all_agree_get_the_rule_of_threes_interval_not_zero(capsys):
    # a jackpot of 20,000 one game in 10,000: 1,000 playouts all miss it
    assert main(["solve", str(SOLVE / "rare2.yaml"), "--budget", "0", "--playouts", "1000"]) == 0
    out = capsys.readouterr().out
    row = next(r for r in _rows(out) if r.startswith("Try"))
    assert "±60.0" in row  # 3 / 1,000 of the 0..20,000 range of scores
    assert "rule of three" in out


def test_a_game_smaller_than_the_budget_is_solved_however_many_lines_repeat_into_it(capsys):
    # forty moves a turn that all meet in 21 positions: the repeats are no reason to give up
    assert main(["solve", str(SOLVE / "merge40.yaml"), "--budget", "60"]) == 0
    assert "Solved exactly: 21 distinct positions." in capsys.readouterr().out


def test_equilibrium_refuses_a_seed(capsys):
    assert main(["solve", "tutorial", "--equilibrium", "--seed", "3"]) == 2
    assert "--equilibrium takes no --seed" in capsys.readouterr().err


def test_an_option_that_ends_the_game_at_once_is_exact_even_among_estimates(capsys):
    # Gamble ends the game on its own roll, so its figure is exact: no rule-of-three interval,
    # and a figure that rounds to nothing reads 0.0, never -0.0
    assert main(["solve", str(SOLVE / "ties.yaml"), "--budget", "0", "--playouts", "200"]) == 0
    rows = _rows(capsys.readouterr().out)
    gamble = next(r for r in rows if r.startswith("Gamble"))
    assert "0.0 ±0.0 (wins 50% ±0%)" in gamble
    assert not any("-0.0" in r for r in rows)
