"""``crisis solve``: every opening option with its value for every role, from the lookahead."""

from __future__ import annotations

from game.ai.lookahead import LookaheadPolicy
from game.cli import main
from game.core.match import Match
from game.core.state import State
from game.scenario.loader import load_scenario
from tests.conftest import TUTORIAL, TUTORIAL_FORMAT1


def test_solve_prints_each_option_for_each_role(tutorial, capsys):
    assert main(["solve", str(TUTORIAL_FORMAT1), "--budget", "300"]) == 0
    out = capsys.readouterr().out
    plan = LookaheadPolicy(budget=300).plan(State.initial(tutorial))
    lines = out.splitlines()
    assert "harbour" in lines[1] and "union" in lines[1]
    rows = [line for line in lines[2:] if line.strip()]
    assert len(rows) == len(plan.options)
    for move, vector in plan.options:
        row = next(line for line in rows if line.startswith(move.title))
        assert [f"{v:.1f}" for v in vector] == row[len(move.title) :].split()[:2]
    assert rows[0].startswith(plan.move.title) and rows[0].endswith("<- chosen")


def test_solve_rejects_a_bad_depth_in_one_line(capsys):
    assert main(["solve", "tutorial", "--depth", "0"]) == 2
    assert "--depth: takes a whole number from 1 to 50, not '0'" in capsys.readouterr().err


def test_solve_says_which_drawn_start_it_searched(capsys):
    assert main(["solve", "tutorial", "--budget", "300", "--seed", "4"]) == 0
    out = capsys.readouterr().out.splitlines()
    match = Match(load_scenario(TUTORIAL), seed=4)
    match.start()
    assert (
        out[0]
        == f"Starting values are drawn in every game; these are seed 4's: money = {match.state.format_value('money')}."
    )
    chosen = next(line for line in out if line.endswith("<- chosen"))
    assert chosen.startswith(LookaheadPolicy(budget=300).plan(match.state).move.title)
