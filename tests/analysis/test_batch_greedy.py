"""Greedy play over many games at once: every game ends, and the endings match the one-game engine.

A batch keeps games that have ended or passed in its matrix for a step; the greedy policy must
still return a move for them. This plays whole batches where that happens.
"""

from __future__ import annotations

import numpy as np

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.stats import chi_square, chi_square_p
from game.analysis.vpolicies import VECTORISED
from game.core.match import Match, make_rng
from game.scenario.loader import load_scenario
from tests.conftest import ROOT


def test_greedy_batches_end_every_game_as_one_games_do():
    plan = Plan(load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml"))
    games = play(plan, {r: VECTORISED["greedy"]() for r in plan.roles}, 400, make_rng(4))
    assert (games.ending >= 0).all()
    batch = np.bincount(games.ending, minlength=len(plan.ending_ids))
    single = np.zeros(len(plan.ending_ids))
    for seed in range(30):  # greedy one-game play on Wagner's bargaining costs seconds a game
        match = Match(plan.scenario, seed=seed, policies={r: make_policy("greedy") for r in plan.roles})
        match.run()
        single[plan.ending_ids.index(match.state.ending)] += 1
    table = np.vstack([single, batch])
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    keep = expected.min(axis=0) > 0
    statistic, _ = chi_square(table[:, keep].ravel(), expected[:, keep].ravel())
    assert chi_square_p(statistic, max(int(keep.sum()) - 1, 1)) > 0.001
