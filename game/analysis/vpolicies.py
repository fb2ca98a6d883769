"""The AI policies on many games at once, following each one-game policy's draw protocol.

``random`` and ``weighted`` take one uniform per game, ``greedy`` and ``historical`` none, just as
the policies in :mod:`game.ai` do, and compute the same numbers with the same operations, so a
single game chooses exactly as the one-game policy would (the one-game ``greedy`` runs this very
code on one column).

Every policy here decides from what its role knows: its open moves, and the values as the role
can make them out (:func:`apparent`, which is :func:`game.core.information.apparent` on many
games: exact where the role sees a value, the middle of its band where it estimates one, the
publicly known start where it sees nothing).

Where the scenario bargains, a
channel's offers make one choice (:func:`game.ai.bargain.choices`) and leaves count the offer on
the table (:func:`game.ai.bargain.leaf`), through :mod:`game.analysis.vbargain`.
"""

from __future__ import annotations

import numpy as np

from game.analysis import vbargain
from game.analysis.batch import (
    Context,
    Legal,
    Patched,
    arrive,
    choose,
    effects,
    env_at,
    fsum,
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
    """Uniform over the legal choices: ``min(int(u * n_choices), n_choices - 1)`` in file order,
    then within a channel's offers by what is left of ``u`` (game.ai.random.pick_choice)."""

    name = "random"

    def choose(self, ctx: Context) -> np.ndarray:
        u = ctx.rng.random(ctx.n)
        if ctx.table is not None and ctx.table.tables is not None:
            return _pick_by_tables(ctx.table, u)
        blocks = _blocks(ctx)
        if not blocks:
            count = legal_count(ctx.legal)
            # u * count < count, so int8 holds the truncation as well as int64 did
            k = np.minimum((u * count).astype(count.dtype), count - 1)
            return _nth_legal(ctx.legal, k)
        # one row per choice: each move outside a channel, and each channel's offers together
        legal = ctx.legal
        inside = np.zeros(legal.shape[0], dtype=bool)
        for b in blocks:
            inside[b.start : b.stop] = True
        block_at = {b.start: b for b in blocks}
        rows, row_of, channel_of = [], [], {}
        for j in range(legal.shape[0]):
            if j in block_at:
                b = block_at[j]
                channel_of[len(rows)] = b
                rows.append(legal[b.start : b.stop].any(axis=0))
                row_of.append(b.start)
            elif not inside[j]:
                rows.append(legal[j])
                row_of.append(j)
        choices = np.vstack(rows)
        count = legal_count(choices)
        scaled = u * count
        k = np.minimum(scaled.astype(count.dtype), count - 1)
        at = _nth_legal(choices, k)
        chosen = np.asarray(row_of, dtype=np.intp).take(at)
        for i, b in channel_of.items():
            cols = np.flatnonzero((at == i) & (count > 0))
            if cols.size == 0:
                continue
            offers = legal[b.start : b.stop].take(cols, axis=1)
            size = offers.sum(axis=0, dtype=np.int64)
            within = np.minimum(((scaled.take(cols) - k.take(cols)) * size).astype(np.int64), size - 1)
            chosen[cols] = _nth_legal(offers, within) + b.start
        return chosen


def _pick_by_tables(legal: Legal, u: np.ndarray) -> np.ndarray:
    """game.ai.random.pick_choice in every game, from the role's choice tables: the k-th open
    choice by ``min(int(u * n), n - 1)``, found in the table that holds it; within a channel's
    offers the offer by what is left of ``u``."""
    total = legal.total()
    scaled = u * total  # the same float product as u * n in pick_choice
    k = np.minimum(scaled.astype(total.dtype), total - 1)
    chosen = np.zeros(legal.n, dtype=np.intp)
    before = np.zeros_like(total)  # the choices open in the tables before this one
    for t, code, count in zip(legal.tables, legal.codes(), legal.counts()):
        local = k - before
        cols = np.flatnonzero((local >= 0) & (local < count))
        before += count
        if cols.size == 0:
            continue
        at = code.take(cols).astype(np.intp)
        unit = t.nth.take(at * t.width + local.take(cols))
        rows = t.unit_row.take(unit)
        if t.block_nth:
            for b, (table, width) in t.block_nth.items():
                sel = np.flatnonzero(unit == b)
                if sel.size == 0:
                    continue
                bat = at.take(sel)
                size = t.block_size[b].take(bat)
                pick = cols.take(sel)
                rest = scaled.take(pick) - k.take(pick)
                within = np.minimum((rest * size).astype(np.int64), size - 1)
                rows[sel] = table.take(bat * width + within)
        chosen[cols] = rows
    return chosen


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
        # never narrower than the floating-point grid there, and the value always inside (information.band)
        w = np.maximum(w, 4 * np.spacing(np.maximum(max(abs(var.min), abs(var.max)), np.abs(value))))
        low = np.floor(value / w) * w
        low = np.where(low > value, low - w, np.where(low + w <= value, low + w, low))
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
        blocks = _blocks(ctx)
        tables = ctx.plan.bargain
        answering = tables is not None and any(kind in ("accept", "reject") for kind in tables.answers[ctx.role])
        if not blocks and not answering:  # a role that answers offers weighs its answers even with no channel
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
        return choose(*_bargaining_odds(ctx, seen, blocks), u)


def _blocks(ctx: Context) -> tuple:
    tables = ctx.plan.bargain
    return () if tables is None else tables.blocks[ctx.role]


def _hint(ctx: Context, seen: Context, j: int, good: list) -> np.ndarray:
    """Move ``j``'s hint (game.ai.weighted.hint) in every game, 0 where the move is not open,
    read on ``seen`` (the values as the role makes them out; what is on the table, which the role
    answering it knows, from ``ctx``); ``good`` keeps whether that is worth accepting, once worked out."""
    tables = ctx.plan.bargain
    kind = tables.answers[ctx.role][j]
    move = ctx.moves[j]
    if kind in ("accept", "reject"):
        if not good:
            subset = lambda cols: env_at(ctx.plan, seen.rows, ctx.pos, cols)  # noqa: E731
            good.append(vbargain.pending_acceptable(tables, ctx.env, ctx.n, subset))
        if kind == "reject":
            w = np.where(good[0], 0.0, 1.0)
        else:
            hint = tables.deal.accept_weight_of(ctx.role)
            w = np.ones(ctx.n) if hint is None else positive(hint.many(seen.env, ctx.n))
            w = np.where(good[0], w, 0.0)
    elif move.ai_weight is None:
        w = np.ones(ctx.n)
    else:
        w = positive(move.ai_weight.many(seen.env, ctx.n))
    return np.where(ctx.legal[j], w, 0.0)


def _bargaining_odds(ctx: Context, seen: Context, blocks) -> tuple[list, list]:
    """Each move's probability under the weighted policy with a channel's offers as one choice,
    judged on ``seen`` (the values as the role makes them out)."""
    legal, n = ctx.legal, ctx.n
    good: list = []
    inside = np.zeros(legal.shape[0], dtype=bool)
    weights, opened = [], []
    for b in blocks:
        inside[b.start : b.stop] = True
    block_at = {b.start: b for b in blocks}
    for j in range(legal.shape[0]):  # one weight per choice, in file order
        if j in block_at:
            b = block_at[j]
            some = legal[b.start : b.stop].any(axis=0)
            w = np.ones(n) if b.channel.ai_weight is None else positive(b.channel.ai_weight.many(seen.env, n))
            weights.append(np.where(some, w, 0.0))
            opened.append(some)
        elif not inside[j]:
            weights.append(_hint(ctx, seen, j, good))
            opened.append(legal[j])
    total = fsum(weights)
    flat = total <= 0
    if flat.any():
        weights = [np.where(flat, o * 1.0, w) for w, o in zip(weights, opened)]
        total = np.where(flat, np.add.reduce(np.vstack(opened), axis=0, dtype=np.int64).astype(np.float64), total)
    shares = iter([w / total for w in weights])
    probs = []
    deal = ctx.plan.bargain.deal
    offers = ctx.plan.bargain.offers[ctx.role]
    memo: dict = {}  # the offers share terms, channels and bottom lines: each is worked out once
    for j in range(legal.shape[0]):
        if j in block_at:
            b = block_at[j]
            share = next(shares)
            rows = legal[b.start : b.stop]
            # an offer open in none of the games is worth nothing here: its valuation is skipped
            making = np.vstack(
                [
                    rows[i] & vbargain.worth_making(deal, seen.env, n, offers[b.start + i], memo)
                    if rows[i].any()
                    else rows[i]
                    for i in range(rows.shape[0])
                ]
            )
            count = making.sum(axis=0, dtype=np.int64)
            making = np.where(count > 0, making, rows)
            count = np.where(count > 0, count, rows.sum(axis=0, dtype=np.int64))
            probs.extend(np.where(making[i], share / count, 0.0) for i in range(rows.shape[0]))
        elif not inside[j]:
            probs.append(next(shares))
    return probs, [p > 0 for p in probs]


def leaf_values(plan: Plan, role: int, env, n: int, subset) -> np.ndarray:
    """Each game's value before its end (game.ai.bargain.leaf): the objective, the worth of an
    acceptable offer the role has on the table, the settling ending's score once settled."""
    base = plan.objectives[role].many(env, n)
    tables = plan.bargain
    if tables is None:
        return base
    deal = tables.deal
    name = plan.roles[role]
    out = base
    mine = tables.sender_of.take(np.asarray(env[tables.package], dtype=np.int64)) == role
    for pack, chan, cols in vbargain.on_table(tables, env, n, mine):
        sub = subset(cols)
        worth = vbargain.worth(deal, sub, cols.size, name, pack.terms, chan)
        good = vbargain.acceptable(deal, sub, cols.size, pack.terms, chan)
        if out is base:
            out = base.copy()
        out[cols] = np.where(good, base[cols] + worth, base[cols])
    if tables.settled is not None:
        settled = np.asarray(env[tables.settled]) != 0
        if settled.any():
            score = plan.endings[plan.ending_index[deal.settles]].scores[role]
            out = np.where(settled, np.zeros(n) if score is None else score.many(env, n), out)
    return out


def some_move_open(plan: Plan, role: str, env, n: int) -> np.ndarray:
    """Whether the role has any legal move, in each of ``n`` games: ``legal(...).any(axis=0)``,
    stopping at the first moves that together are open in every game; from the role's choice
    tables where it has them (one code per table and a look-up)."""
    if plan.choices(role) is not None:
        return Legal(plan, role, env, n).open()
    out = np.zeros(n, dtype=bool)
    for move in plan.moves_of[role]:
        if move.when is None:
            return np.ones(n, dtype=bool)
        out |= np.asarray(move.when.many(env, n)) != 0
        if out.all():
            break
    return out


def settled_value(plan: Plan, role: int, pos: int, rows: np.ndarray | Patched, ending: np.ndarray) -> np.ndarray:
    """Each game's value for ``role`` once settled at ``pos`` (game.ai.value.value); ``rows``
    is read row by row, never copied whole.

    Settling follows State._settled: endings are checked, and a game whose next role has no
    legal move passes on to the next position. Games that pass all move together.
    """
    n = rows.shape[1]
    out = np.zeros(n)
    todo = np.arange(n)
    ending = ending.copy()
    while todo.size:
        index = None if todo.size == n else todo  # the games left, read through without a copy
        env = env_at(plan, rows, pos, index)
        here = arrive(plan, env, todo.size, pos, ending[todo])
        over = here >= 0
        if over.any():
            out[todo[over]] = scores_for(plan, role, here, env, todo.size)[over]
        moving = np.zeros(todo.size, dtype=bool)
        name = plan.role_at(pos)
        if name is not None:
            moving = ~over & ~some_move_open(plan, name, env, todo.size)
        stays = ~over & ~moving
        if stays.any():
            leaf = leaf_values(
                plan,
                role,
                env,
                todo.size,
                lambda cols, at=pos, index=index: env_at(plan, rows, at, cols if index is None else index.take(cols)),
            )
            out[todo[stays]] = leaf[stays]
        todo = todo[moving]
        pos += 1
    return out


def expected_values(ctx: Context) -> list[np.ndarray]:
    """Each move's exact one-step expected value for the role (game.ai.value.expected_value)."""
    plan, n = ctx.plan, ctx.n
    role = plan.role_index[ctx.role]
    out = []
    for j, move in enumerate(ctx.moves):
        open_ = ctx.legal[j]
        k = int(np.count_nonzero(open_))
        if k == 0:  # open in none of the games: its value is never read
            out.append(np.zeros(n))
            continue
        # a move's value is read only where it is open, so it is worked out in those games alone
        # (every operation is game by game: the values there are the same to the last bit)
        cols = None if k == n else np.flatnonzero(open_)
        env = ctx.env if cols is None else env_at(plan, ctx.rows, ctx.pos, cols)
        probs, included = outcome_odds(move, env, k)
        total = np.zeros(k)
        for outcome, p, inc in zip(move.outcomes, probs, included):
            if not np.any(inc):
                continue
            # the values after the outcome: its changes over the values before, read through
            changes = {
                slot: np.broadcast_to(np.asarray(values, dtype=np.float64), (k,))
                for slot, values in effects(outcome, env, k).items()
            }
            rows = Patched(ctx.rows if cols is None else env, changes, k)
            value = settled_value(plan, role, ctx.pos + 1, rows, np.full(k, outcome.end, dtype=np.int64))
            total = total + np.where(inc, p * value, 0.0)
        if cols is not None:
            full = np.zeros(n)
            full[cols] = total
            total = full
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
