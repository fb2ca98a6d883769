"""The batch engine's tables against the plain computations they stand in for.

A role's choice tables (game.analysis.masks.choice_tables) must give every game exactly the
legal moves its conditions give, whatever the values, NaN included; the random policy must
choose the same with them as without them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.analysis.batch import Legal, env_at, legal, play
from game.analysis.plan import Plan
from game.analysis.vpolicies import VECTORISED
from game.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def plan(request) -> Plan:
    plan = Plan(load_scenario(request.param))
    plan.table_moves = 0  # every role from tables, however few its moves
    return plan


def _awkward_rows(plan: Plan, n: int, rng) -> np.ndarray:
    """Values on, next to and between the numbers the conditions compare with, and NaN."""
    rows = np.repeat(plan.initial[:, None], n, axis=1)
    for role in plan.roles:
        for t in plan.choices(role) or ():
            for s in t.slots:
                if s.slot >= plan.n_vars:
                    continue
                near = np.concatenate([s.numbers, np.nextafter(s.numbers, np.inf), s.numbers - 0.5, [np.nan]])
                rows[s.slot] = rng.choice(near, size=n)
    return rows


def test_the_tables_give_every_game_its_legal_moves(plan):
    rng = np.random.default_rng(3)
    rows = _awkward_rows(plan, 4000, rng)
    for pos, role in enumerate(plan.turn_order):
        tables = plan.choices(role)
        assert tables is not None, f"{role}'s conditions should all tabulate"
        env = env_at(plan, rows, pos)
        mask = legal(plan, role, env, rows.shape[1])
        codes = Legal(plan, role, env, rows.shape[1]).codes()
        for t, code in zip(tables, codes):
            assert np.array_equal(t.rows[:, code], mask[t.start : t.stop]), (role, t.start)
        assert np.array_equal(Legal(plan, role, env, rows.shape[1]).open(), mask.any(axis=0))


def test_random_play_is_the_same_with_and_without_the_tables(plan):
    # the step tables too: ``plan`` resolves every role's step from them, ``plain`` none
    plain = Plan(plan.scenario)
    plain.table_moves = 1 << 20  # the mask-based way, move by move
    names = {r: VECTORISED["random"]() for r in plan.roles}
    a = play(plan, names, 3000, np.random.default_rng(11), keep_values=True)
    b = play(plain, names, 3000, np.random.default_rng(11), keep_values=True)
    assert np.array_equal(a.values, b.values)
    assert np.array_equal(a.picked, b.picked)
    assert np.array_equal(a.ending, b.ending)
