"""A role with no legal move is passed over, in batches too, whether or not final values are kept.

No bundled scenario passes a role over, so this plants one: the harbour master has nothing to
do on turn 2 of the tutorial.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.vpolicies import VECTORISED
from game.core.match import Match, make_rng
from game.scenario.loader import load_bytes
from tests.conftest import TUTORIAL


@pytest.fixture(scope="module")
def plan() -> Plan:
    text = TUTORIAL.read_text(encoding="utf-8")
    for action in ("negotiate", "wait"):
        text = text.replace(
            f"  {action}:\n    role: harbour\n", f'  {action}:\n    role: harbour\n    when: "turn != 2"\n', 1
        )
    text = text.replace('    when: "not police_called"\n', '    when: "not police_called and turn != 2"\n', 1)
    return Plan(load_bytes(text.encode(), "passing.yaml"))


def _policies(plan):
    return {r: VECTORISED["random"]() for r in plan.roles}


def test_the_plant_passes_the_harbour_over(plan):
    long_games = 0
    for seed in range(40):
        match = Match(plan.scenario, seed=seed, policies={r: make_policy("random") for r in plan.roles})
        match.run()
        turns = {r.turn for r in match.reports if r.role == "harbour"}
        assert 2 not in turns
        if match.state.turn > 3:
            long_games += 1
            assert {1, 3} <= turns
    assert long_games > 5


@pytest.mark.parametrize("keep", [True, False])
def test_single_games_match_the_one_game_engine(plan, keep):
    for seed in range(30):
        match = Match(plan.scenario, seed=seed, policies={r: make_policy("random") for r in plan.roles})
        match.run()
        games = play(plan, _policies(plan), 1, make_rng(seed), keep_values=keep)
        assert plan.ending_ids[games.ending[0]] == match.state.ending, seed
        assert list(games.scores[0]) == [match.state.scores()[r] for r in plan.roles], seed
        assert games.steps[0] == len(match.steps), seed


def test_keeping_values_changes_nothing_else(plan):
    kept = play(plan, _policies(plan), 5000, make_rng(11), keep_values=True)
    lean = play(plan, _policies(plan), 5000, make_rng(11), keep_values=False)
    assert np.array_equal(kept.ending, lean.ending)
    assert np.array_equal(kept.scores, lean.scores)
    assert np.array_equal(kept.turns, lean.turns) and np.array_equal(kept.steps, lean.steps)
