"""The batch engine: many games at once, one column of a numpy matrix per game.

Games advance together through the positions of :mod:`game.analysis.plan` (turn and step).
At each position the games there are checked for endings, the role's legal moves are worked
out as boolean masks, the policy chooses for every game at once, and outcomes are drawn by a
vectorised inverse CDF. Python loops run over positions, actions and outcomes only, never over
games. A game whose role has no legal move waits for the next position without drawing.

For a single game the engine takes exactly the draws :class:`game.core.match.Match` takes, in
the same order, and computes every number with the same floating-point operations, so a game
played here from a seed ends exactly as the one-game engine's game from that seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.analysis.plan import MoveRule, OutcomeRule, Plan
from game.core.errors import CrisisError


@dataclass
class Games:
    """What happened in a batch of games, game by game."""

    ending: np.ndarray  # int64[n]: ending index
    scores: np.ndarray  # float64[n, roles]
    turns: np.ndarray  # int64[n]: the turn on which the game ended
    steps: np.ndarray  # int64[n]: steps played (the world's included)
    picked: np.ndarray  # bool[actions, n]: the action was taken at least once
    times: np.ndarray  # int64[actions]: how often each action was taken
    values: np.ndarray | None = None  # float64[n, variables] at the end, when asked for


class RowsEnv:
    """An expression environment over some games of a value matrix, gathered only when read."""

    __slots__ = ("rows", "index", "tail", "n_vars", "cache")

    def __init__(self, rows: np.ndarray, index: np.ndarray | None, tail: Sequence[float]):
        self.rows = rows
        self.index = index
        self.tail = tail
        self.n_vars = rows.shape[0]
        self.cache: dict[int, np.ndarray] = {}

    def __getitem__(self, slot: int):
        if slot >= self.n_vars:
            return self.tail[slot - self.n_vars]
        if self.index is None:
            return self.rows[slot]
        column = self.cache.get(slot)
        if column is None:
            column = self.cache[slot] = self.rows[slot, self.index]
        return column


def env_at(plan: Plan, rows: np.ndarray, pos: int, index: np.ndarray | None = None) -> RowsEnv:
    return RowsEnv(rows, index, (*plan.constants, *plan.clock(plan.turn_of(pos))))


# sums and draws ------------------------------------------------------------------------------


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fsum(parts: Sequence[np.ndarray]) -> np.ndarray:
    """``math.fsum`` of the parts, row by row, with the same correctly rounded result.

    The running sum's rounding errors are kept exactly (two-sum); when they add up without a
    further error the corrected sum is one rounding of the exact total, as fsum's is. The rare
    rows where that does not hold are summed by ``math.fsum`` itself.
    """
    if len(parts) == 1:
        return np.array(parts[0], dtype=np.float64)
    if len(parts) == 2:
        return parts[0] + parts[1]
    s = parts[0]
    errors = []
    for part in parts[1:]:
        s, e = _two_sum(s, part)
        errors.append(e)
    r = errors[0]
    bad = np.zeros(s.shape, dtype=bool)
    for e in errors[1:]:
        r, f = _two_sum(r, e)
        bad |= f != 0
    out = s + r
    bad |= ~np.isfinite(out)
    for i in np.flatnonzero(bad):
        out[i] = math.fsum(float(p[i]) for p in parts)
    return out


def positive(w: np.ndarray) -> np.ndarray:
    """``w if w > 0 else 0.0`` (NaN counts as 0), as the one-game engine clamps weights."""
    return np.where(w > 0, w, 0.0)


def choose(probs: Sequence[np.ndarray], included: Sequence[np.ndarray], u: np.ndarray) -> np.ndarray:
    """The index that ``game.core.state.pick`` returns for each row (inverse CDF in order).

    Left-out entries (``included`` false) have probability 0 and are never chosen; when no
    running sum exceeds ``u`` the last included entry is chosen.
    """
    n = u.shape[0]
    chosen = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    total = np.zeros(n)
    for j, (p, inc) in enumerate(zip(probs, included)):
        total = total + np.where(inc, p, 0.0)
        chosen[(chosen < 0) & inc & (u < total)] = j
        last[inc] = j
    missing = chosen < 0
    chosen[missing] = last[missing]
    return chosen


def outcome_odds(move: MoveRule, env, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each outcome's probability and whether State.outcomes lists it, row by row.

    For an event the last entry is the quiet outcome (the event does not happen).
    """
    weights = [positive(o.weight.many(env, n)) for o in move.outcomes]
    if weights:
        total = fsum(weights)
        flat = total <= 0
        if flat.any():
            weights = [np.where(flat, 1.0, w) for w in weights]
            total = np.where(flat, float(len(weights)), total)
    if move.chance is None:
        return [w / total for w in weights], [w > 0 for w in weights]
    if move.outcomes:
        c = move.chance.many(env, n)
        chance = np.where(1.0 < (c2 := np.where(0.0 > c, 0.0, c)), 1.0, c2)
    else:
        chance = np.zeros(n)
    fired = chance > 0
    probs = [chance * w / total for w in weights] + [1.0 - chance]
    included = [(w > 0) & fired for w in weights] + [chance < 1.0]
    return probs, included


# effects -------------------------------------------------------------------------------------


def effects(outcome: OutcomeRule, env, n: int) -> dict[int, np.ndarray]:
    """The new values of the variables an outcome touches (State._effects, on n games)."""
    new: dict[int, np.ndarray] = {}
    for eff in outcome.sets:
        v = eff.expr.many(env, n)
        new[eff.slot] = np.where(v != 0, 1.0, 0.0) if eff.boolean else v
    for eff in outcome.adds:
        base = new[eff.slot] if eff.slot in new else env[eff.slot]
        new[eff.slot] = base + eff.expr.many(env, n)
    for eff in outcome.moves:
        base = new[eff.slot] if eff.slot in new else env[eff.slot]
        new[eff.slot] = _moved(eff, np.broadcast_to(base, (n,)), eff.expr.many(env, n))
    for slot, lo, hi in outcome.clamps:
        v = new[slot]
        v = np.where(lo > v, lo, v)
        new[slot] = np.where(hi < v, hi, v)
    return new


def _moved(eff, place: np.ndarray, stops: np.ndarray) -> np.ndarray:
    where = eff.route_pos[place.astype(np.intp)]
    index = np.clip(where + np.round(stops).astype(np.int64), 0, len(eff.route_places) - 1)
    return np.where(where < 0, place, eff.route_places[index])


# arriving at a position ------------------------------------------------------------------------


def arrive(plan: Plan, env, n: int, pos: int, ending: np.ndarray) -> np.ndarray:
    """Endings after a step (State._ended): conditions in file order, then the turn limit."""
    ending = ending.copy()
    open_ = ending < 0
    for index, condition in plan.conditions:
        if not open_.any():
            return ending
        hit = open_ & (condition.many(env, n) != 0)
        ending[hit] = index
        open_ &= ~hit
    if plan.turn_of(pos) > plan.turn_limit:
        if plan.limit_ending < 0:
            raise CrisisError("the scenario has no turn-limit ending")
        ending[open_] = plan.limit_ending
    return ending


def legal(plan: Plan, role: str, env, n: int) -> np.ndarray:
    """A (moves x games) mask of the role's legal actions, in file order."""
    moves = plan.moves_of[role]
    out = np.ones((len(moves), n), dtype=bool)
    for j, move in enumerate(moves):
        if move.when is not None:
            out[j] = move.when.many(env, n) != 0
    return out


def scores_for(plan: Plan, role: int, ending: np.ndarray, env, n: int) -> np.ndarray:
    """Each game's score for ``role`` at the ending it reached (State.scores)."""
    out = np.zeros(n)
    for k in np.unique(ending):
        expr = plan.endings[k].scores[role]
        if expr is None:
            continue
        rows = ending == k
        out = np.where(rows, expr.many(env, n), out)
    return out


# the engine ------------------------------------------------------------------------------------


class Context:
    """What a vectorised policy sees at one position: the games there and their legal moves."""

    def __init__(self, plan: Plan, role: str, pos: int, rows: np.ndarray, env, legal: np.ndarray, rng):
        self.plan = plan
        self.role = role
        self.pos = pos
        self.rows = rows
        self.env = env
        self.legal = legal
        self.rng = rng
        self.n = rows.shape[1]
        self.moves = plan.moves_of[role]


class _Run:
    """One batch in progress: the games still playing, grouped by position."""

    def __init__(self, plan: Plan, policies: Mapping[str, object], n: int, rng, keep_values: bool):
        self.plan = plan
        self.policies = policies
        self.rng = rng
        roles = len(plan.roles)
        self.games = Games(
            ending=np.full(n, -1, dtype=np.int64),
            scores=np.zeros((n, roles)),
            turns=np.zeros(n, dtype=np.int64),
            steps=np.zeros(n, dtype=np.int64),
            picked=np.zeros((len(plan.action_ids), n), dtype=bool),
            times=np.zeros(len(plan.action_ids), dtype=np.int64),
            values=np.zeros((n, plan.n_vars)) if keep_values else None,
        )
        self.waiting: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
            0: [(np.repeat(plan.initial[:, None], n, axis=1), np.arange(n), np.full(n, -1, dtype=np.int64))]
        }

    def run(self) -> Games:
        while self.waiting:
            pos = min(self.waiting)
            parts = self.waiting.pop(pos)
            rows = np.concatenate([p[0] for p in parts], axis=1) if len(parts) > 1 else parts[0][0]
            gid = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
            pending = np.concatenate([p[2] for p in parts]) if len(parts) > 1 else parts[0][2]
            self.position(pos, np.ascontiguousarray(rows), gid, pending)
        return self.games

    def position(self, pos: int, rows: np.ndarray, gid: np.ndarray, pending: np.ndarray) -> None:
        plan = self.plan
        n = gid.shape[0]
        env = env_at(plan, rows, pos)
        ending = arrive(plan, env, n, pos, pending)
        done = ending >= 0
        if done.any():
            self.finish(pos, rows[:, done], gid[done], ending[done])
            rows, gid = rows[:, ~done], gid[~done]
            n = gid.shape[0]
            env = env_at(plan, rows, pos)
        if n == 0:
            return
        role = plan.role_at(pos)
        if role is None:
            self.resolve(plan.event_at(pos), pos, rows, gid, env, np.zeros(n, dtype=np.int64), self.rng.random(n))
        else:
            mask = legal(plan, role, env, n)
            some = mask.any(axis=0)
            if not some.all():
                self.later(pos + 1, rows[:, ~some], gid[~some], np.full(int((~some).sum()), -1, dtype=np.int64))
                rows, gid, mask = rows[:, some], gid[some], mask[:, some]
                n = gid.shape[0]
                if n == 0:
                    return
                env = env_at(plan, rows, pos)
            chosen = self.policies[role].choose(Context(plan, role, pos, rows, env, mask, self.rng))
            self.resolve_actions(plan.moves_of[role], pos, rows, gid, env, chosen)

    def resolve_actions(self, moves, pos, rows, gid, env, chosen) -> None:
        u = self.rng.random(gid.shape[0])
        counts = np.bincount(chosen, minlength=len(moves))
        for j, move in enumerate(moves):
            self.games.times[move.index] += counts[j]
            if counts[j]:
                self.games.picked[move.index, gid[chosen == j]] = True
        self.resolve(moves, pos, rows, gid, env, chosen, u)

    def resolve(self, moves, pos, rows, gid, env, chosen, u) -> None:
        """Draw the outcome of every game's move, apply it, and send the games on."""
        plan = self.plan
        n = gid.shape[0]
        if isinstance(moves, MoveRule):
            moves = (moves,)
        ending = np.full(n, -1, dtype=np.int64)
        for j, move in enumerate(moves):
            idx = None if len(moves) == 1 else np.flatnonzero(chosen == j)
            if idx is not None and idx.size == n:
                idx = None
            k = n if idx is None else idx.size
            if k == 0:
                continue
            sub = env if idx is None else env_at(plan, rows, pos, idx)
            probs, included = outcome_odds(move, sub, k)
            picked = choose(probs, included, u if idx is None else u[idx])
            self.apply(move, rows, sub, idx, picked, ending)
        self.games.steps[gid] += 1
        self.later(pos + 1, rows, gid, ending)

    def apply(self, move: MoveRule, rows, env, idx, picked, ending) -> None:
        k = picked.shape[0]
        outcomes = move.outcomes
        updates = []
        for o, outcome in enumerate(outcomes):
            sel = np.flatnonzero(picked == o)
            if sel.size == 0:
                continue
            whole = sel.size == k
            oenv = env if whole else RowsEnv(_Gather(env), sel, env.tail)
            new = effects(outcome, oenv, sel.size)
            target = idx if whole else (sel if idx is None else idx[sel])
            updates.append((new, target))
            if outcome.end >= 0:
                ending[slice(None) if target is None else target] = outcome.end
        for new, target in updates:
            for slot, values in new.items():
                if target is None:
                    rows[slot] = values
                else:
                    rows[slot, target] = values

    def later(self, pos: int, rows, gid, pending) -> None:
        if gid.shape[0]:
            self.waiting.setdefault(pos, []).append((rows, gid, pending))

    def finish(self, pos: int, rows, gid, ending) -> None:
        plan = self.plan
        n = gid.shape[0]
        env = env_at(plan, rows, pos)
        games = self.games
        games.ending[gid] = ending
        games.turns[gid] = plan.turn_of(pos)
        for r in range(len(plan.roles)):
            games.scores[gid, r] = scores_for(plan, r, ending, env, n)
        if games.values is not None:
            games.values[gid] = rows.T


class _Gather:
    """Lets a RowsEnv over a subset read through another RowsEnv (a subset of a subset)."""

    __slots__ = ("env", "shape")

    def __init__(self, env: RowsEnv):
        self.env = env
        self.shape = (env.n_vars, 0)

    def __getitem__(self, key):
        slot, index = key
        return self.env[slot][index]


def play(
    plan: Plan, policies: Mapping[str, object], n: int, rng: np.random.Generator, keep_values: bool = False
) -> Games:
    """Play ``n`` games of ``plan`` with vectorised ``policies`` (one per role) from ``rng``."""
    missing = [r for r in plan.turn_order if r not in policies]
    if missing:
        raise CrisisError(f"no policy for {', '.join(missing)}")
    return _Run(plan, policies, n, rng, keep_values).run()
