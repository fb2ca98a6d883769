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
    """Values on, next to and between the numbers the conditions compare with, far from them,
    and NaN."""
    rows = np.repeat(plan.initial[:, None], n, axis=1)
    for role in plan.roles:
        for t in plan.choices(role) or ():
            for s in t.slots:
                if s.slot >= plan.n_vars:
                    continue
                far = [np.nan, np.inf, -np.inf, 2.0**63, -(2.0**63), 1e300, -1e300, 5e-324]
                near = np.concatenate([s.numbers, np.nextafter(s.numbers, np.inf), s.numbers - 0.5, s.numbers + 1, far])
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


def _chance(expr, env, n: int) -> np.ndarray:
    out = expr.constant if expr.constant is not None else expr.many(env, n)
    return np.broadcast_to(np.asarray(out, dtype=np.float64), (n,))


def test_an_event_worked_out_for_its_turn_has_the_same_chance(plan):
    """The clock put into each event's chance (plan.event_now) changes no game's chance, on
    values next to every number the chances compare with, NaN included."""
    rng = np.random.default_rng(5)
    rows = _awkward_rows(plan, 2000, rng)
    for slot in range(plan.n_vars):  # the variables the role tables leave alone too
        if rng.random() < 0.3:
            rows[slot] = rng.choice([0.0, 1.0, 2.0, 3.0, 5.0, 10.0, -1.0, np.nan], size=rows.shape[1])
    folded = 0
    for turn in range(1, plan.turn_limit + 2):
        for i, event in enumerate(plan.events):
            pos = (turn - 1) * plan.per_turn + len(plan.turn_order) + i
            now = plan.event_now(pos)
            if now is event:
                continue
            folded += 1
            env = env_at(plan, rows, pos)
            a, b = _chance(event.chance, env, rows.shape[1]), _chance(now.chance, env, rows.shape[1])
            assert np.array_equal(a, b, equal_nan=True), (event.id, turn)
            assert np.array_equal(np.signbit(a), np.signbit(b)), (event.id, turn)
    if any(e.chance is not None and e.chance.names & {"turn", "hour", "elapsed"} for e in plan.events):
        assert folded
