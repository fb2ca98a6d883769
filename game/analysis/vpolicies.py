"""The AI policies on many games at once, following each one-game policy's draw protocol.

``random`` and ``weighted`` take one uniform per game, ``greedy`` and ``historical`` none, just as
the policies in :mod:`game.ai` do, and compute the same numbers with the same operations, so a
single game chooses exactly as the one-game policy would (the one-game ``greedy`` runs this very
code on one column).

Every policy here decides from what its role knows: its open moves, and the values as the role
can make them out (:func:`apparent`, which is :func:`game.core.information.apparent` on many
games: exact where the role sees a value, the middle of its band where it estimates one, the
publicly known start where it sees nothing).
"""

from __future__ import annotations

import numpy as np

from game.analysis.batch import (
    Context,
    arrive,
    choose,
    effects,
    env_at,
    fsum,
    legal,
    outcome_odds,
    positive,
    scores_for,
)
from game.analysis.plan import Plan
from game.core.information import EXACT, base_level, public_start


def _nth_legal(mask: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The index of each game's k-th (from 0) legal move in file order (0 where there is none).

    The k-th legal move is the first row where the running count of legal moves passes k, that
    is the number of rows where it has not yet passed k. Small counts fit in int8.
    """
    small = mask.shape[0] < 127
    dtype = np.int8 if small else np.int64
    want = k.astype(dtype)
    seen = np.zeros(k.shape[0], dtype=dtype)
    chosen = np.zeros(k.shape[0], dtype=dtype)
    for row in mask:
        seen += row
        chosen += seen <= want
    return np.minimum(chosen, mask.shape[0] - 1).astype(np.intp)


def legal_count(mask: np.ndarray) -> np.ndarray:
    """How many moves each game has open (int8 while the count fits)."""
    return np.add.reduce(mask, axis=0, dtype=np.int8 if mask.shape[0] < 127 else np.int64)


class RandomBatch:
    """Uniform over the legal moves: ``min(int(u * n_legal), n_legal - 1)`` in file order."""

    name = "random"

    def choose(self, ctx: Context) -> np.ndarray:
        u = ctx.rng.random(ctx.n)
        count = legal_count(ctx.legal)
        # u * count < count, so int8 holds the truncation as well as int64 did
        k = np.minimum((u * count).astype(count.dtype), count - 1)
        return _nth_legal(ctx.legal, k)


def apparent_rows(plan: Plan, role: str, rows: np.ndarray) -> np.ndarray:
    """The values of every game as ``role`` can make them out (information.apparent, column by column)."""
    scenario = plan.scenario
    out = rows.copy()
    for i, var in enumerate(scenario.variables.values()):
        slot = scenario.knowledge.get((role, var.id))
        width = base_level(var, role) if slot is None else rows[slot]
        if var.internal:
            out[i] = public_start(var)
            continue
        if slot is None and width == EXACT:
            continue
        value = rows[i]
        w = np.where(np.asarray(width) > 0, width, 1.0)
        low = np.floor(value / w) * w
        if var.max > var.min:  # a value at the top bound is in the band below it (information.band)
            low = np.where(low >= var.max, low - w, low)
        high = np.minimum(low + w, var.max)
        low = np.maximum(low, var.min)
        out[i] = np.where(width == EXACT, value, np.where(np.asarray(width) > 0, (low + high) / 2, public_start(var)))
    return out


def apparent(ctx: Context) -> Context:
    """The context with every game's values as the role to move can make them out."""
    rows = apparent_rows(ctx.plan, ctx.role, ctx.rows)
    return Context(ctx.plan, ctx.role, ctx.pos, rows, env_at(ctx.plan, rows, ctx.pos), ctx.legal, ctx.rng)


class WeightedBatch:
    """Moves drawn in proportion to their ``ai_weight`` (game.ai.weighted.odds), read as the role sees."""

    name = "weighted"

    def choose(self, ctx: Context) -> np.ndarray:
        u = ctx.rng.random(ctx.n)
        seen = apparent(ctx)
        weights = []
        for j, move in enumerate(ctx.moves):
            w = np.ones(ctx.n) if move.ai_weight is None else positive(move.ai_weight.many(seen.env, ctx.n))
            weights.append(np.where(ctx.legal[j], w, 0.0))
        total = fsum(weights)
        flat = total <= 0
        if flat.any():
            weights = [np.where(flat, ctx.legal[j] * 1.0, w) for j, w in enumerate(weights)]
            total = np.where(flat, ctx.legal.sum(axis=0).astype(np.float64), total)
        probs = [w / total for w in weights]
        return choose(probs, [w > 0 for w in weights], u)


def settled_value(plan: Plan, role: int, pos: int, rows: np.ndarray, ending: np.ndarray) -> np.ndarray:
    """Each game's value for ``role`` once settled at ``pos`` (game.ai.value.value).

    Settling follows State._settled: endings are checked, and a game whose next role has no
    legal move passes on to the next position. Games that pass all move together.
    """
    n = rows.shape[1]
    out = np.zeros(n)
    todo = np.arange(n)
    ending = ending.copy()
    while todo.size:
        sub = rows.take(todo, axis=1)
        env = env_at(plan, sub, pos)
        here = arrive(plan, env, todo.size, pos, ending[todo])
        over = here >= 0
        if over.any():
            out[todo[over]] = scores_for(plan, role, here, env, todo.size)[over]
        moving = np.zeros(todo.size, dtype=bool)
        name = plan.role_at(pos)
        if name is not None:
            moving = ~over & ~legal(plan, name, env, todo.size).any(axis=0)
        stays = ~over & ~moving
        if stays.any():
            out[todo[stays]] = plan.objectives[role].many(env, todo.size)[stays]
        todo = todo[moving]
        pos += 1
    return out


def expected_values(ctx: Context) -> list[np.ndarray]:
    """Each move's exact one-step expected value for the role (game.ai.value.expected_value)."""
    plan, n = ctx.plan, ctx.n
    role = plan.role_index[ctx.role]
    out = []
    for move in ctx.moves:
        probs, included = outcome_odds(move, ctx.env, n)
        total = np.zeros(n)
        for outcome, p, inc in zip(move.outcomes, probs, included):
            if not np.any(inc):
                continue
            rows = ctx.rows.copy()
            for slot, values in effects(outcome, ctx.env, n).items():
                rows[slot] = values
            value = settled_value(plan, role, ctx.pos + 1, rows, np.full(n, outcome.end, dtype=np.int64))
            total = total + np.where(inc, p * value, 0.0)
        out.append(total)
    return out


def best_moves(ctx: Context) -> np.ndarray:
    """The first legal move with the highest expected value as the role sees the state (strictly
    greater replaces)."""
    ctx = apparent(ctx)
    best = np.full(ctx.n, -1, dtype=np.int64)
    best_value = np.zeros(ctx.n)
    for j, value in enumerate(expected_values(ctx)):
        better = ctx.legal[j] & ((best < 0) | (value > best_value))
        best[better] = j
        best_value = np.where(better, value, best_value)
    # a game kept in the batch after it ended or passed has no legal move; its pick is ignored
    best[best < 0] = 0
    return best


class GreedyBatch:
    """The best move by expected value one step ahead, as the role sees the state; no draws."""

    name = "greedy"

    def choose(self, ctx: Context) -> np.ndarray:
        return best_moves(ctx)


class HistoricalBatch:
    """History's move for this turn where one is legal, the greedy move elsewhere; no draws."""

    name = "historical"

    def choose(self, ctx: Context) -> np.ndarray:
        turn = ctx.plan.turn_of(ctx.pos)
        chosen = np.full(ctx.n, -1, dtype=np.int64)
        for j, move in enumerate(ctx.moves):
            if turn in move.history_turns:
                chosen[(chosen < 0) & ctx.legal[j]] = j
        silent = chosen < 0
        if silent.any():
            chosen[silent] = best_moves(_subset(ctx, np.flatnonzero(silent)))
        return chosen


def _subset(ctx: Context, idx: np.ndarray) -> Context:
    rows = ctx.rows.take(idx, axis=1)
    return Context(
        ctx.plan, ctx.role, ctx.pos, rows, env_at(ctx.plan, rows, ctx.pos), ctx.legal.take(idx, axis=1), ctx.rng
    )


VECTORISED = {
    "random": RandomBatch,
    "weighted": WeightedBatch,
    "greedy": GreedyBatch,
    "historical": HistoricalBatch,
}
