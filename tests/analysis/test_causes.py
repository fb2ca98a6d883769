"""What led to each ending: a planted cause tops its ending's causes, and the counts are the games'."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.analysis import causes
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.runner import InlineExecutor, Spec, simulate
from game.analysis.vpolicies import VECTORISED
from game.cli import main
from game.core.match import Match, make_rng
from game.core.model import QUIET
from game.scenario.loader import load_bytes, load_scenario
from tests.conftest import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
CLEAN = (ROOT / "tests" / "fixtures" / "lint" / "clean.yaml").read_text(encoding="utf-8")

# the clean lint fixture with a planted cause: one outcome of 'provoke' always ends the game in a crush
PLANTED = CLEAN.replace(
    "endings:\n",
    """  provoke:
    role: crowd
    title: "Provoke the guards"
    outcomes:
      stampede: {text: "The guards charge.", end: crush}
      jeers: {weight: 3, text: "Jeers, nothing more.", add: {noise: 5}}
endings:
  crush:
    title: "A crush at the gates"
    epilogue: "It ends badly."
    scores: {crowd: 0, mayor: 0}
""",
)


def _report(text: str, games: int = 20_000, seed: int = 1) -> dict:
    spec = Spec(text.encode(), "planted.yaml", (("mayor", "random"), ("crowd", "random")), games, seed, causes=True)
    summary = simulate([spec], InlineExecutor()).summaries[0]
    return causes.report(Plan(load_bytes(text.encode(), "planted.yaml")), summary.causes)


def test_a_planted_cause_tops_its_endings_causes():
    crush = _report(PLANTED)["crush"]
    top = crush["ended_by"][0]
    assert (top["move"], top["outcome"], top["share"]) == ("provoke", "stampede", 1.0)
    assert crush["last_moves"][0]["outcome"] == "stampede"
    raised = crush["raised_by"][0]  # the outcome itself is 'ended by'; its move raises the share most
    assert (raised["move"], raised["outcome"]) == ("provoke", None)
    assert raised["without"] == 0.0 and raised["with"] > 0.3
    low, high = raised["ci95"]
    assert 0 < low <= raised["lift"] <= high
    assert all(r["outcome"] != "stampede" for r in crush["raised_by"])


def test_the_counts_add_up_to_the_games():
    report = _report(PLANTED, games=5_000)
    total = sum(c["games"] for c in report.values())
    assert total == 5_000
    for ending in report.values():
        assert sum(r["games"] for r in ending["ended_by"]) <= ending["games"]
        assert all(0 < r["share"] <= 1 for r in ending["last_moves"])


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_one_traced_game_holds_what_the_one_game_engine_played(path):
    plan = Plan(load_scenario(path))
    codes = causes.Codes.of(plan)
    for seed in range(12):
        match = Match(plan.scenario, seed=seed, policies={r: _random() for r in plan.roles})
        match.run()
        tracer = causes.Tracer(codes, 1)
        play(plan, {r: VECTORISED["random"]() for r in plan.roles}, 1, make_rng(seed), tracer=tracer)
        # the draws of hidden starting values are the setup's steps, not moves of the game
        drawn = [(s.action, s.outcome) for s in match.steps if s.outcome != QUIET and s.action in codes.first]
        held = {_name(codes, c) for c in np.flatnonzero(tracer.held[:, 0])}
        assert held == set(drawn), seed
        last = [_name(codes, int(k[0])) for k in tracer.last if k[0] >= 0]
        assert last == drawn[::-1][: causes.LAST], seed


def _random():
    from game.ai import make_policy

    return make_policy("random")


def _name(codes: causes.Codes, code: int) -> tuple[str, str]:
    return codes.move_ids[codes.move_of[code]], codes.outcome_ids[code]


def test_the_balance_command_reports_causes_in_text_json_and_csv(capsys, tmp_path):
    path = tmp_path / "planted.yaml"
    path.write_text(PLANTED, encoding="utf-8")
    out_json, out_csv = tmp_path / "run.json", tmp_path / "run.csv"
    argv = ["balance", str(path), "--games", "4000", "--workers", "1", "--json", str(out_json), "--csv", str(out_csv)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "What led to each ending" in text
    crush = text[text.index("  crush (") :]
    assert crush.splitlines()[1].split() == ["ended", "by", "crowd", "provoke", "/", "stampede", "(100.0%)"]
    data = json.loads(out_json.read_text())
    assert data["causes"]["crush"]["ended_by"][0]["outcome"] == "stampede"
    rows = [line.split(",") for line in out_csv.read_text().splitlines()]
    assert any(r[:2] == ["ended_by", "crush:provoke/stampede"] and r[3] == "1.000000" for r in rows)


def test_moves_the_loader_makes_are_left_out_of_the_causes():
    path = ROOT / "tests" / "fixtures" / "format2" / "envoy.yaml"
    spec = Spec(path.read_bytes(), str(path), (("envoy", "random"), ("minister", "random")), 3000, 1, causes=True)
    summary = simulate([spec], InlineExecutor()).summaries[0]
    report = causes.report(Plan(load_bytes(path.read_bytes(), str(path))), summary.causes)
    listed = [r["move"] for c in report.values() for kind in ("ended_by", "last_moves", "raised_by") for r in c[kind]]
    assert listed and not any(move.startswith("_") for move in listed)


def test_an_ending_the_loaders_moves_bring_about_names_the_part_of_the_file_they_play():
    # a deal that settles the siege ends it through a move the loader makes: 'ended by' names
    # the file's negotiation.settles instead of showing nothing
    path = ROOT / "tests" / "fixtures" / "format2" / "siege.yaml"
    spec = Spec(path.read_bytes(), str(path), (("general", "random"), ("council", "random")), 3000, 1, causes=True)
    summary = simulate([spec], InlineExecutor()).summaries[0]
    report = causes.report(Plan(load_bytes(path.read_bytes(), str(path))), summary.causes)
    assert report["capitulation"]["ended_by"][0]["move"] == "(negotiation.settles)"
