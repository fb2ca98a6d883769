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

from game.analysis.plan import Fixed, MoveRule, OutcomeRule, Plan, Split, StepTable
from game.core.errors import CrisisError
from game.core.numeric import settle_many

MARGIN = 1 + 1e-9
"""An event can only fire where ``u < chance``, up to the rounding of its running sums (far
below this margin); the other games are quiet and skip the exact draw."""
NONE = np.zeros(0, dtype=np.intp)  # no column changed
ONLY = np.zeros(1 << 16, dtype=np.intp)  # the first outcome for every game (read only)
ONLY.flags.writeable = False
OPEN = -1  # a game still playing
GONE = -2  # a column whose game has ended (see _Run.position); OPEN - 1


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
            column = self.cache[slot] = self.rows[slot].take(self.index)
        return column


class Patched:
    """Some games' values with a few variables replaced, read row by row as a value matrix is:
    what an outcome leaves, without copying every row (``base``: a value matrix, or an
    environment over one)."""

    __slots__ = ("base", "changes", "shape")

    def __init__(self, base, changes: dict[int, np.ndarray], n: int):
        self.base = base
        self.changes = changes
        self.shape = (base.n_vars if isinstance(base, RowsEnv) else base.shape[0], n)

    def __getitem__(self, slot: int) -> np.ndarray:
        column = self.changes.get(slot)
        return self.base[slot] if column is None else column


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


def positive(w):
    """``w if w > 0 else 0.0`` (NaN counts as 0), as the one-game engine clamps weights."""
    if isinstance(w, float):
        return w if w > 0 else 0.0
    return np.where(w > 0, w, 0.0)


def value(expr, env, n: int):
    """An expression over ``n`` games: a plain float when it is a constant, else an array.

    Arithmetic with the float gives the same results as with an array full of it, and saves
    building that array.
    """
    return expr.constant if expr.constant is not None else expr.many(env, n)


def split_value(split: Split, env: RowsEnv, n: int) -> np.ndarray:
    """A split expression over ``n`` games (``env`` over whole rows): the same values as
    ``np.where(test, body, orelse)``, with the branch that is not constant worked out only where
    it is taken (every operation of the language works game by game)."""
    other = split.test.many(env, n) != 0  # as np.where reads a test: NaN is true
    if split.other is None:
        return np.where(other, split.constant, split.otherwise)
    if split.constant_if:
        other = ~other
    out = np.full(n, split.constant)
    idx = np.flatnonzero(other)
    if idx.size:
        out[idx] = split.other.many(RowsEnv(env.rows, idx, env.tail), idx.size)
    return out


def choose(probs: Sequence, included: Sequence, u: np.ndarray) -> np.ndarray:
    """The index that ``game.core.state.pick`` returns for each row (inverse CDF in order).

    Left-out entries (``included`` false) always have probability 0, so a running sum never
    first exceeds ``u`` on one of them; when no running sum exceeds ``u`` the last included
    entry is chosen. Probabilities may be floats (the same for every game) or arrays.
    """
    # the count of running sums at or below u, kept in bytes (a comparison's booleans are bytes)
    count = np.zeros(u.shape[0], dtype=np.int8 if len(probs) < 127 else np.intp)
    if all(isinstance(p, float) for p in probs):
        total = 0.0
        for p in probs[:-1]:  # u >= the last running sum only leads to the fallback below
            total += p
            _count(count, u >= total)
        total += probs[-1]
        index = count.astype(np.intp)
        if total < 1.0:  # u is below 1, so u >= total can only happen when the sum falls short of it
            index = np.where(u >= total, len(probs), index)
    else:
        total = 0.0
        for p in probs:
            total = total + p
            _count(count, u >= total)
        index = count.astype(np.intp)
    over = index >= len(probs)
    if over.any():
        last = np.full(u.shape[0], -1, dtype=np.intp)
        for j, inc in enumerate(included):
            last = np.where(inc, j, last)
        index = np.where(over, last, index)
    return index


def _count(count: np.ndarray, hit: np.ndarray) -> None:
    """``count += hit`` without turning the booleans into wide integers first."""
    if count.dtype == np.int8:
        np.add(count, hit.view(np.int8), out=count)
    else:
        count += hit


def outcome_odds(move: MoveRule, env, n: int, chance=None) -> tuple[list, list]:
    """Each outcome's probability and whether State.outcomes lists it, for every game.

    For an event the last entry is the quiet outcome (the event does not happen). Entries are
    floats when they are the same for every game.
    """
    weights, opens = [], []  # opens: the weight is above 0 (NaN is not), as State.outcomes keeps
    for o in move.outcomes:
        w = value(o.weight, env, n)
        up = w > 0
        weights.append((w if up else 0.0) if isinstance(w, float) else np.where(up, w, 0.0))
        opens.append(up)
    total = _total(weights, n)
    if isinstance(total, float):
        if total <= 0:
            weights, total = [1.0] * len(weights), float(len(weights))
            opens = [True] * len(weights)
    else:
        flat = total <= 0
        if flat.any():
            weights = [np.where(flat, 1.0, w) for w in weights]
            total = np.where(flat, float(len(weights)), total)
            opens = [flat | up for up in opens]
    if move.chance is None:
        return [w / total for w in weights], opens
    if chance is None:
        chance = _clamped(value(move.chance, env, n)) if move.outcomes else 0.0
    fired = chance > 0
    probs = [chance * w / total for w in weights] + [1.0 - chance]
    included = [up & fired for up in opens] + [chance < 1.0]
    return probs, included


def _total(weights: list, n: int):
    if not weights:
        return 1.0
    if all(isinstance(w, float) for w in weights):
        return math.fsum(weights)
    return fsum([np.broadcast_to(w, (n,)) for w in weights])


def _clamped(c):
    """``min(max(c, 0.0), 1.0)`` with Python's rules (NaN stays NaN)."""
    if isinstance(c, float):
        return min(max(c, 0.0), 1.0)
    c = np.where(0.0 > c, 0.0, c)
    return np.where(1.0 < c, 1.0, c)


# effects -------------------------------------------------------------------------------------


def effects(outcome: OutcomeRule, env, n: int) -> dict[int, np.ndarray]:
    """The new values of the variables an outcome touches (State._effects, on n games)."""
    new: dict[int, np.ndarray] = {}
    for eff in outcome.sets:
        v = value(eff.expr, env, n)
        new[eff.slot] = np.where(v != 0, 1.0, 0.0) if eff.boolean else v
    for eff in outcome.adds:
        base = new[eff.slot] if eff.slot in new else env[eff.slot]
        new[eff.slot] = base + value(eff.expr, env, n)
    for eff in outcome.moves:
        base = new[eff.slot] if eff.slot in new else env[eff.slot]
        stops = np.broadcast_to(value(eff.expr, env, n), (n,))
        new[eff.slot] = _moved(eff, np.broadcast_to(base, (n,)), stops)
    for slot, lo, hi in outcome.clamps:
        new[slot] = settle_many(new[slot], lo, hi)
    return new


def _apply_fixed(row: np.ndarray, target: np.ndarray | None, fixed: Fixed) -> None:
    """A constant change to one variable's row, at the columns ``target`` (None: all)."""
    if not fixed.add:
        if target is None:
            row.fill(fixed.value)
        else:
            row[target] = fixed.value
        return
    x = row if target is None else row.take(target)
    np.add(x, fixed.value, out=x)
    if fixed.low is not None:
        np.maximum(x, fixed.low, out=x)
    if fixed.high is not None:
        np.minimum(x, fixed.high, out=x)
    if target is not None:
        row[target] = x


def _apply_fixed_table(table: StepTable, rows: np.ndarray, oid: np.ndarray, clock: np.ndarray) -> None:
    """Every constant effect of a step at once: game ``c`` took outcome ``oid[c]`` of ``table``.

    Each (variable, game) pair is written at most once (an outcome changes a variable once), so
    the pairs of every outcome are gathered into one flat list, the values set in one write and
    the rises and drops read, moved within their bounds and written back in a few more.
    ``clock`` holds the values of ``table.fixed_clock`` at this position.
    """
    assert rows.flags.c_contiguous  # the flat view below writes through to the rows
    flat = rows.reshape(-1)
    n = oid.shape[0]
    lists = ((table.fixed_sets, False, None), (table.fixed_adds, True, None), (table.fixed_clock, False, clock))
    for fixed, add, values in lists:
        if fixed.slot.shape[0] == 0:
            continue
        count = fixed.count.take(oid)
        skip = np.cumsum(count)
        total = int(skip[-1]) if n else 0
        if total == 0:
            continue
        skip -= count
        # each pair's game: the last game whose pairs start at or before it (a game with no pairs
        # starts where the next one does); faster than repeating each game's number
        game = np.bincount(skip, minlength=total + 1)[:total]
        np.cumsum(game, out=game)
        game -= 1
        # each pair's entry: its outcome's first entry, then the next ones in turn
        entry = (fixed.first.take(oid) - skip).take(game)
        entry += np.arange(total)
        at = (fixed.slot * rows.shape[1]).take(entry)
        at += game
        if add:
            x = flat.take(at)
            x += fixed.value.take(entry)
            np.maximum(x, fixed.low.take(entry), out=x)
            np.minimum(x, fixed.high.take(entry), out=x)
            flat[at] = x
        else:
            flat[at] = (fixed.value if values is None else values).take(entry)


def _moved(eff, place: np.ndarray, stops: np.ndarray) -> np.ndarray:
    where = eff.route_pos[place.astype(np.intp)]
    index = np.clip(where + np.round(stops).astype(np.int64), 0, len(eff.route_places) - 1)
    return np.where(where < 0, place, eff.route_places[index])


# arriving at a position ------------------------------------------------------------------------


def arrive(
    plan: Plan, env, n: int, pos: int, ending: np.ndarray, changed: np.ndarray | None = None, touched=None
) -> np.ndarray:
    """Endings after a step (State._ended): conditions in file order, then the turn limit.

    ``changed`` lists the columns whose values the step may have changed (None: any). A game
    whose values did not change cannot meet a condition now that it failed after its previous
    step, unless the condition reads the clock, so only the changed columns are tested then,
    and only on the conditions that read a variable in ``touched`` (None: every variable).
    """
    ending = ending.copy()
    if changed is not None and plan.clockless_conditions:
        changed = changed[ending[changed] == OPEN]
        if changed.size:
            sub = RowsEnv(env.rows, changed, env.tail)
            conditions = plan.conditions
            if touched is not None:
                conditions = tuple((i, c) for i, c in conditions if c.names & touched)
            _first_hits(conditions, sub, changed.size, ending, changed)
        open_ = None
    else:
        open_ = _first_hits(plan.conditions, env, n, ending, None)
    if plan.turn_of(pos) > plan.turn_limit:
        if plan.limit_ending < 0:
            raise CrisisError("the scenario has no turn-limit ending")
        ending[ending == OPEN if open_ is None else open_] = plan.limit_ending
    return ending


def _first_hits(conditions, env, n: int, ending: np.ndarray, cols: np.ndarray | None) -> np.ndarray:
    """Mark the first ending condition each open game meets (of ``cols``, or of every game)."""
    open_ = np.ones(n, dtype=bool) if cols is not None else ending == OPEN
    for index, condition in conditions:
        if not open_.any():
            break
        hit = open_ & (condition.many(env, n) != 0)
        ending[hit if cols is None else cols[hit]] = index
        open_ &= ~hit
    return open_


def legal(plan: Plan, role: str, env, n: int) -> np.ndarray:
    """A (moves x games) mask of the role's legal actions, in file order."""
    moves = plan.moves_of[role]
    out = np.ones((len(moves), n), dtype=bool)
    for j, move in enumerate(moves):
        if move.when is not None:
            open_ = move.when.many(env, n)
            if open_.dtype == bool:
                out[j] = open_
            else:
                np.not_equal(open_, 0, out=out[j])
    return out


class Legal:
    """A role's legal moves in ``n`` games, worked out only as far as they are read.

    Where the role's moves are tabulated (:func:`game.analysis.masks.choice_tables`) each game
    gets one small code per table, from which how many choices it has and which is the k-th
    follow by look-up; the full (moves x games) mask is built only when a policy reads it.
    """

    __slots__ = ("plan", "role", "env", "n", "tables", "_mask", "_codes", "_counts", "_total")

    def __init__(self, plan: Plan, role: str, env, n: int):
        self.plan, self.role, self.env, self.n = plan, role, env, n
        self.tables = plan.choices(role)
        self._mask = self._codes = self._counts = self._total = None

    @property
    def mask(self) -> np.ndarray:
        """The (moves x games) mask of legal moves, in file order (:func:`legal`)."""
        if self._mask is None:
            self._mask = legal(self.plan, self.role, self.env, self.n)
        return self._mask

    def codes(self) -> list[np.ndarray]:
        """Every game's code in each table."""
        if self._codes is None:
            atoms: dict = {}  # comparisons shared between tables are made once
            self._codes = [t.code(self.env, self.n, atoms) for t in self.tables]
        return self._codes

    def counts(self) -> list[np.ndarray]:
        """How many choices each game has open in each table (a channel's offers count once)."""
        if self._counts is None:
            self._counts = [t.count.take(c) for t, c in zip(self.tables, self.codes())]
        return self._counts

    def total(self) -> np.ndarray:
        """How many choices each game has open (int16)."""
        if self._total is None:
            counts = self.counts()
            total = counts[0].copy()
            for c in counts[1:]:
                total += c
            self._total = total
        return self._total

    def open(self) -> np.ndarray:
        """Whether each game has a legal move."""
        if self.tables is None:
            return self.mask.any(axis=0)
        return self.total() > 0

    def compress(self, keep: np.ndarray, env) -> Legal:
        """The same for the columns where ``keep`` is true (``env`` over those columns)."""
        out = Legal(self.plan, self.role, env, int(np.count_nonzero(keep)))
        if self._mask is not None:
            out._mask = self._mask.compress(keep, axis=1)
        if self._codes is not None:
            out._codes = [c.compress(keep) for c in self._codes]
        if self._counts is not None:
            out._counts = [c.compress(keep) for c in self._counts]
        if self._total is not None:
            out._total = self._total.compress(keep)
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


@dataclass(frozen=True)
class Step:
    """The games at one position: their values, ids, environment, which columns take no step
    (gone) and which of those have no game still playing in them (dead)."""

    pos: int
    rows: np.ndarray
    gid: np.ndarray
    env: RowsEnv
    gone: np.ndarray | None
    dead: np.ndarray | None = None


class Context:
    """What a vectorised policy sees at one position: the games there and their legal moves
    (a mask, or a :class:`Legal` that works it out when read)."""

    def __init__(self, plan: Plan, role: str, pos: int, rows: np.ndarray, env, legal, rng):
        self.plan = plan
        self.role = role
        self.pos = pos
        self.rows = rows
        self.env = env
        self.table = legal if isinstance(legal, Legal) else None
        self._legal = None if self.table is not None else legal
        self.rng = rng
        self.n = rows.shape[1]
        self.moves = plan.moves_of[role]

    @property
    def legal(self) -> np.ndarray:
        """The (moves x games) mask of legal moves."""
        if self._legal is None:
            self._legal = self.table.mask
        return self._legal


class _Run:
    """One batch in progress: the games still playing, grouped by position."""

    def __init__(
        self, plan: Plan, policies: Mapping[str, object], n: int, rng, keep_values: bool, tracer=None, start=None
    ):
        self.plan = plan
        self.policies = policies
        self.tracer = tracer  # hears every outcome drawn (game.analysis.causes), when given
        self.rng = rng
        self.keyed = getattr(rng, "at", None)  # draws keyed by game and position (game.analysis.crn)
        # format 2: a certain outcome takes no draw, so only the games with a choice to make draw;
        # keyed draws stay one per column (they are keyed by game, not taken from a stream)
        self.certain_free = plan.scenario.meta.format >= 2
        self.lazy = self.certain_free and self.keyed is None
        # pending endings as small integers: the arrays are read at every position
        self.code = np.int8 if len(plan.ending_ids) < 127 else np.int64
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
        self.log: list[tuple[np.ndarray, np.ndarray]] = []
        self.spare: list[np.ndarray] = []  # flat memory of value matrices no longer read
        self.owned: dict[int, np.ndarray] = {}  # the flat memory this run made, by id: it may reuse it
        self.ended: list[tuple] = []  # (turn, values, game ids, endings) of the games that ended
        self.score_at = np.asarray(plan.score_slots, dtype=np.intp)  # the rows a snapshot keeps
        self.score_row = {slot: i for i, slot in enumerate(plan.score_slots)}
        setup = 0  # the starting draws, each a step, when the games start at the beginning
        if start is None:
            start, setup = Start(np.zeros(n, dtype=np.int64), self.drawn_start(n)), len(plan.draws)
        # position -> parts (values, game ids, pending endings, changed columns or None for all)
        self.waiting: dict[int, list[tuple]] = {}
        for pos in np.unique(start.positions):
            gid = np.flatnonzero(start.positions == pos)
            # C order throughout: steps write constant effects through a flat view of the rows
            rows = np.ascontiguousarray(start.rows) if gid.size == n else start.rows.take(gid, axis=1)
            self.later(int(pos), rows, gid, np.full(gid.size, OPEN, dtype=self.code), None, None)
        self.games.steps -= start.positions + len(plan.draws) - setup  # counted from where each game starts

    def drawn_start(self, n: int) -> np.ndarray:
        """The starting values of ``n`` new games, the drawn ones drawn (one draw per game and variable)."""
        plan, rng = self.plan, self.rng
        start = _filled(plan.initial, n)
        for slot, values, thresholds in plan.draws:  # one draw per game and variable, before turn 1
            if values.shape[0] == 1 and self.certain_free:
                start[slot] = values[0]  # one possible start: nothing to draw
                continue
            u = rng.random(n)
            chosen = np.zeros(n, dtype=np.intp)  # the first running sum above u, else the last value
            for edge in thresholds[:-1]:
                chosen += u >= edge
            start[slot] = values.take(chosen)
        return start

    def matrix(self, rows: int, cols: int) -> np.ndarray:
        """An uninitialised (rows x cols) value matrix, in the memory of one no longer used where
        one is big enough: a fresh matrix of a chunk's size costs more to map than to fill."""
        need = rows * cols
        for i, flat in enumerate(self.spare):
            if flat.shape[0] >= need:
                del self.spare[i]
                return flat[:need].reshape(rows, cols)
        flat = np.empty(need)
        self.owned[id(flat)] = flat
        return flat.reshape(rows, cols)

    def release(self, matrix: np.ndarray) -> None:
        """``matrix`` is no longer read: its memory may hold the next one (only memory this run
        made; a caller's starting values are left alone)."""
        flat = matrix.base if matrix.base is not None else matrix
        if id(flat) in self.owned and not any(f is flat for f in self.spare):
            self.spare.append(flat)
            if len(self.spare) > 2:
                self.spare.sort(key=lambda f: f.shape[0])
                del self.owned[id(self.spare.pop(0))]

    def run(self) -> Games:
        while self.waiting:
            pos = min(self.waiting)
            parts = self.waiting.pop(pos)
            if len(parts) > 1:
                rows = self.matrix(parts[0][0].shape[0], sum(p[0].shape[1] for p in parts))
                np.concatenate([p[0] for p in parts], axis=1, out=rows)
                for p in parts:
                    self.release(p[0])
            else:
                rows = parts[0][0]
            gid = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
            pending = np.concatenate([p[2] for p in parts]) if len(parts) > 1 else parts[0][2]
            self.position(pos, rows, gid, pending, *_changed(parts))
        self.score()
        self.tally()
        return self.games

    def position(self, pos: int, rows: np.ndarray, gid: np.ndarray, pending: np.ndarray, changed, touched) -> None:
        """Every game at ``pos`` takes its step (or waits, or ends).

        Games that end stay in the matrix as dead columns (their results are already recorded)
        until they are a third of it: copying the matrix at every ending would cost more than
        carrying a few idle columns. A game whose role has no legal move keeps its column and
        passes over, so the games at a position are always one matrix.
        """
        plan = self.plan
        n = gid.shape[0]
        env = env_at(plan, rows, pos)
        ending = arrive(plan, env, n, pos, pending, changed, touched)
        done = ending >= 0
        if done.any():
            ended = np.flatnonzero(done)
            self.finish(pos, self.snapshot(rows, ended), gid[ended], ending[ended])
        dead = ending != OPEN  # ended here or before: never read again
        gone = dead  # the columns that take no step here: the dead and those that pass over
        role = plan.role_at(pos)
        mask = None
        if role is not None:
            mask = Legal(plan, role, env, n)
            stuck = ~dead & ~mask.open()
            if stuck.any():
                # a game with no legal move passes over: it stays in its column, takes no step and
                # no draw here, and goes on to the next position with the others
                self.games.steps[gid[stuck]] -= 1  # a pass over takes a position but no step
                gone = dead | stuck
        alive = int(n - dead.sum())
        if alive == 0:
            return
        if 3 * alive < 2 * n:
            keep = ~dead
            # take with mode "clip" writes straight into ``out`` ("raise" would fill a copy first)
            kept = rows.take(np.flatnonzero(keep), axis=1, out=self.matrix(rows.shape[0], alive), mode="clip")
            self.release(rows)
            rows, gid, n = kept, gid[keep], alive
            dead, gone = np.zeros(alive, dtype=bool), gone[keep]
            env = env_at(plan, rows, pos)
            mask = None if mask is None else mask.compress(keep, env)
        live = int(n - gone.sum())
        if live == 0:  # every game still playing passes over
            self.later(pos + 1, rows, gid, np.subtract(OPEN, dead.view(np.int8), dtype=self.code), NONE, frozenset())
            return
        step = Step(pos, rows, gid, env, gone if live < n else None, dead if alive < n else None)
        if self.keyed is not None:
            self.keyed(pos, gid)
        if role is None:
            self.resolve(plan.event_now(pos), step, None, None if self.lazy else self.rng.random(n))
        else:
            chosen = self.policies[role].choose(Context(plan, role, pos, rows, env, mask, self.rng))
            self.resolve_actions(plan.moves_of[role], step, chosen)

    def resolve_actions(self, moves, step: Step, chosen: np.ndarray) -> None:
        u = None if self.lazy else self.rng.random(step.gid.shape[0])
        if step.gone is None:
            mine, gid = chosen, step.gid
        else:
            keep = ~step.gone
            mine, gid = chosen.compress(keep), step.gid.compress(keep)
        index = np.asarray([m.index for m in moves]).take(mine)
        self.log.append((index, gid))
        table = self.plan.step_table(self.plan.role_at(step.pos))
        if self.tracer is None and self.plan.table_moves <= len(moves) < 1 << 14:
            self.resolve_table(moves, table, step, chosen, u)
        else:
            self.resolve(moves, step, chosen, u)

    def resolve_table(self, moves, table: StepTable, step: Step, chosen: np.ndarray, u) -> None:
        """A role's step from its StepTable: the same draws, outcomes and values as :meth:`resolve`,
        with the odds worked out once per class of moves and constant effects once per variable.

        :meth:`resolve` takes the moves one after the other, each over the games that chose it;
        the games' draws come in that order (by move, then by column), and so they do here.
        """
        plan = self.plan
        pos, rows, gid, env = step.pos, step.rows, step.gid, step.env
        n = gid.shape[0]
        gone = step.gone
        m = len(moves)
        ending = (
            np.full(n, OPEN, dtype=self.code)
            if step.dead is None
            else np.subtract(OPEN, step.dead.view(np.int8), dtype=self.code)
        )
        key = chosen if gone is None else np.where(gone, m, chosen)
        order = np.argsort(key.astype(np.int16), kind="stable")
        bounds = np.zeros(m + 2, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=m + 1), out=bounds[1:])
        none = table.size
        oid = np.append(table.offset, none).take(key)  # each game's outcome number (first outcome for now)
        if gone is not None:
            oid[gone] = none
        odds = []
        need = np.zeros(n, dtype=bool) if u is None else None
        for cls in table.classes:
            parts = [order[bounds[j] : bounds[j + 1]] for j in cls]
            cols = parts[0] if len(parts) == 1 else np.concatenate(parts)
            k = cols.shape[0]
            if k == 0:
                continue
            if k == n:
                cols = None
            sub = env if cols is None else env_at(plan, rows, pos, cols)
            probs, included = outcome_odds(moves[cls[0]], sub, k)
            if need is not None:
                count = np.zeros(k, dtype=np.int8)
                for inc in included:
                    count += inc
                if cols is None:
                    need = count > 1
                else:
                    need[cols] = count > 1
            odds.append((cols, probs, included))
        if u is None:
            draws = np.zeros(n)
            at = order[: bounds[m]]
            at = at[need.take(at)]  # by move, then by column, as resolve draws them
            if at.size:
                draws[at] = self.rng.random(at.size)
        else:
            draws = u
        for cols, probs, included in odds:
            picked = choose(probs, included, draws if cols is None else draws.take(cols))
            if cols is None:
                oid = np.where(picked < 0, none, oid + picked)
            else:
                oid[cols] = np.where(picked < 0, none, oid.take(cols) + picked)
        # computed effects first: they read the values before this step changes any
        new = []
        if table.groups:
            # the games of each group: the games of its outcomes, found by one stable sort of the
            # games by outcome (the order of a group's games changes nothing: each has its own column)
            count = np.bincount(oid, minlength=none + 1)
            start = np.zeros(none + 2, dtype=np.int64)
            np.cumsum(count, out=start[1:])
            hits = np.bincount(table.group_of, weights=count.take(table.group_member), minlength=len(table.groups))
            by_outcome = None
            for g in np.flatnonzero(hits):
                if by_outcome is None:
                    by_outcome = np.argsort(oid.astype(np.int16) if none < 1 << 15 else oid, kind="stable")
                here = table.groups[g]
                here = here[count.take(here) > 0]
                parts = [by_outcome[start[o] : start[o + 1]] for o in here]
                cols = parts[0] if len(parts) == 1 else np.concatenate(parts)
                whole = cols.shape[0] == n
                sub = env if whole else env_at(plan, rows, pos, cols)
                new.append((None if whole else cols, effects(table.rules[g], sub, cols.shape[0])))
        _apply_fixed_table(table, rows, oid, table.clock_values(env))
        for cols, values in new:
            for slot, v in values.items():
                if cols is None:
                    rows[slot] = v
                else:
                    rows[slot, cols] = v
        if table.ends:
            end = table.ending.take(oid)
            hit = np.flatnonzero(end >= 0)
            ending[hit] = end.take(hit)
        self.later(pos + 1, rows, gid, ending, None, None)

    def tally(self) -> None:
        """Which actions each game took, and how often, from the log of every choice."""
        if not self.log:
            return
        index = np.concatenate([i for i, _ in self.log])
        gid = np.concatenate([g for _, g in self.log])
        picked = self.games.picked
        picked.reshape(-1)[index * picked.shape[1] + gid] = True  # a view: the mask is C-contiguous
        self.games.times += np.bincount(index, minlength=self.games.times.shape[0])

    def resolve(self, moves, step: Step, chosen, u) -> None:
        """Draw the outcome of every game's move, apply it, and send the games on."""
        plan = self.plan
        pos, rows, gid, env = step.pos, step.rows, step.gid, step.env
        n = gid.shape[0]
        if isinstance(moves, MoveRule):
            moves = (moves,)
        event = len(moves) == 1 and moves[0].chance is not None
        # GONE is OPEN - 1: dead columns start gone, and no outcome may end them again (see apply);
        # a column that passes over stays open
        gone = step.gone
        ending = (
            np.full(n, OPEN, dtype=self.code)
            if step.dead is None
            else np.subtract(OPEN, step.dead.view(np.int8), dtype=self.code)
        )
        if not event and gone is not None:
            # a gone column's values are never read again: it joins no move's group
            groups = _groups(np.where(gone, len(moves), chosen), len(moves) + 1)
        else:
            groups = _groups(chosen, len(moves)) if len(moves) > 1 else [None]
        changed = NONE if event else None  # an event changes only the games where it fires
        for move, idx in zip(moves, groups):
            if idx is not None and idx.size == n:
                idx = None
            k = n if idx is None else idx.size
            if k == 0:
                continue
            sub = env if idx is None else env_at(plan, rows, pos, idx)
            draws = None if u is None else u if idx is None else u[idx]
            chance = None
            if move.chance is not None and u is None:
                if not move.outcomes:
                    continue
                fired = self.fire(move, step, sub, k)
                if fired is None:
                    continue  # no game can see it happen
                idx, sub, chance, probs, included, draws = fired
                changed = idx
                picked = choose(probs, included, draws)
            elif move.chance is not None:
                if len(moves) > 1 or not move.outcomes:
                    continue  # an event is rolled alone; one without outcomes never changes anything
                # clamping to 0..1 first would select the same games: u < 1 and u >= 0 always
                split = move.split if idx is None else None
                if split is not None and split.other is None and split.otherwise <= 0:
                    # 'c if test else 0': only games that pass the test can fire (u >= 0)
                    fires = split.test.many(sub, k) != 0
                    idx = np.flatnonzero(fires & (draws < split.constant * MARGIN))
                    chance = np.full(idx.size, split.constant)
                else:
                    chance = split_value(split, sub, k) if split is not None else value(move.chance, sub, k)
                    idx = np.flatnonzero(draws < chance * MARGIN)
                    chance = chance if isinstance(chance, float) else chance[idx]
                if idx.size == 0:
                    continue  # every game stays quiet: nothing to apply
                k, sub, draws = idx.size, env_at(plan, rows, pos, idx), draws[idx]
                chance = _clamped(chance)
                changed = idx
            if move.chance is not None and u is None:
                pass  # fired and drawn above
            elif chance is None and len(move.outcomes) == 1:
                picked = ONLY[:k] if k <= ONLY.shape[0] else np.zeros(k, dtype=np.intp)  # pick's only choice
            else:
                probs, included = outcome_odds(move, sub, k, chance)
                if draws is None:
                    live = None if gone is None else ~gone if idx is None else ~gone[idx]
                    draws = self.uniforms(included, k, live)
                picked = choose(probs, included, draws)
            if self.tracer is not None:
                self.trace(move, gid, idx, picked, gone)
            self.apply(move, rows, sub, idx, picked, ending, gone)
        self.later(pos + 1, rows, gid, ending, changed, moves[0].touched if event else None)

    def uniforms(self, included, k: int, live: np.ndarray | None = None) -> np.ndarray:
        """Uniforms for ``k`` games, drawn only where more than one outcome is possible (format 2):
        a game with one possible outcome gets 0, which picks it."""
        count = np.zeros(k, dtype=np.int8)
        for inc in included:
            count += inc
        need = count > 1
        if live is not None:
            need &= live
        draws = np.zeros(k)
        cols = np.flatnonzero(need)
        if cols.size:
            draws[cols] = self.rng.random(cols.size)
        return draws

    def fire(self, move: MoveRule, step: Step, env, n: int):
        """Which games an event happens in, drawing only where it has a choice to make (format 2).

        A game where the chance is 0 draws nothing and stays quiet. Where it is between 0 and 1 the
        game draws first, and only the games whose draw falls below the chance (up to rounding)
        can see it happen. Where it is 1 the event happens, and the game draws only if more than
        one of its outcomes is possible. Returns None when it happens nowhere, else the columns,
        an environment over them, their chances, the outcomes' odds and the draws.
        """
        split = move.split
        if split is not None and split.other is None and split.otherwise <= 0:
            # 'c if test else 0': the games that pass the test, each at the same chance c
            cand = np.flatnonzero(self._open(split.test.many(env, n) != 0, step.gone))
            c = min(max(split.constant, 0.0), 1.0)
        else:
            chance = split_value(split, env, n) if split is not None else value(move.chance, env, n)
            if isinstance(chance, float):
                cand = np.flatnonzero(self._open(np.ones(n, dtype=bool), step.gone)) if chance > 0 else NONE
                c = min(max(chance, 0.0), 1.0)
            else:
                cand = np.flatnonzero(self._open(chance > 0, step.gone))
                c = _clamped(chance[cand])
        if cand.size == 0:
            return None
        if isinstance(c, float):
            if c < 1.0:
                u = self.rng.random(cand.size)
                keep = np.flatnonzero(u < c * MARGIN)
                cand, u = cand[keep], u[keep]
                if cand.size == 0:
                    return None
            else:
                u = np.zeros(cand.size)
            c = np.full(cand.size, c)
        else:
            u = np.zeros(cand.size)
            unsure = np.flatnonzero(c < 1.0)
            if unsure.size:
                u[unsure] = self.rng.random(unsure.size)
                keep = np.flatnonzero((c >= 1.0) | (u < c * MARGIN))
                if keep.size == 0:
                    return None
                cand, c, u = cand[keep], c[keep], u[keep]
        sub = env_at(self.plan, step.rows, step.pos, cand)
        probs, included = outcome_odds(move, sub, cand.size, c)
        sure = c >= 1.0
        if sure.any():
            count = np.zeros(cand.size, dtype=np.int8)
            for inc in included:
                count += inc
            need = np.flatnonzero(sure & (count > 1))
            if need.size:
                u[need] = self.rng.random(need.size)
        return cand, sub, c, probs, included, u

    @staticmethod
    def _open(mask: np.ndarray, gone: np.ndarray | None) -> np.ndarray:
        return mask if gone is None else mask & ~gone

    def trace(self, move: MoveRule, gid, idx, picked, gone) -> None:
        """Tell the tracer which outcome each game still playing drew (gone columns are left out)."""
        games = gid if idx is None else gid[idx]
        if gone is not None:
            live = ~gone if idx is None else ~gone[idx]
            games, picked = games[live], picked[live]
        self.tracer.record(move, games, picked)

    def apply(self, move: MoveRule, rows, env, idx, picked, ending, gone=None) -> None:
        """Apply each game's outcome: ``picked`` indexes ``move.outcomes`` (the quiet one is past the
        end), for the columns ``idx`` of ``rows`` (None: every column)."""
        k = picked.shape[0]
        for o, outcome in enumerate(move.outcomes):
            sel = np.flatnonzero(picked == o)
            if sel.size == 0:
                continue
            whole = sel.size == k
            target = idx if whole else (sel if idx is None else idx[sel])
            new = None
            if outcome.varying is not None or not outcome.fixed:
                oenv = env if whole else RowsEnv(_Gather(env), sel, env.tail)
                new = effects(outcome.varying or outcome, oenv, sel.size)  # read before anything is written
            for fixed in outcome.fixed:
                _apply_fixed(rows[fixed.slot], target, fixed)
            if new:
                for slot, values in new.items():
                    if target is None:
                        rows[slot] = values
                    else:
                        rows[slot, target] = values
            if outcome.end >= 0:
                if gone is not None:
                    live = np.flatnonzero(~gone) if target is None else target[~gone[target]]
                    ending[live] = outcome.end
                else:
                    ending[slice(None) if target is None else target] = outcome.end

    def later(self, pos: int, rows, gid, pending, changed, touched) -> None:
        if gid.shape[0]:
            self.waiting.setdefault(pos, []).append((rows, gid, pending, changed, touched))

    def finish(self, pos: int, rows, gid, ending) -> None:
        """Record the games that ended at ``pos``; their scores are worked out in :meth:`score`."""
        games = self.games
        games.ending[gid] = ending
        games.turns[gid] = self.plan.turn_of(pos)
        games.steps[gid] += pos + len(self.plan.draws)  # every position before this one was a step, less the passes
        self.ended.append((self.plan.turn_of(pos), rows, gid, ending))

    def snapshot(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The values of the games in ``cols`` that their scores need: every row when the values
        are kept, else only the rows that scores read, in the order of ``plan.score_slots``."""
        if self.games.values is not None:
            return rows.take(cols, axis=1)
        if cols.shape[0] < 256:  # one call for a few games, a row at a time for many
            return rows[self.score_at[:, None], cols]
        out = np.empty((self.score_at.shape[0], cols.shape[0]))
        for i, slot in enumerate(self.score_at):
            rows[slot].take(cols, out=out[i])
        return out

    def score_rows(self, rows: np.ndarray):
        """Snapshots (joined or not) as rows indexed by variable, for the scores' expressions."""
        return rows if self.games.values is not None else _ScoreRows(rows, self.score_row, self.plan.n_vars)

    def score(self) -> None:
        """Every ended game's scores, in as few passes as the clock allows."""
        plan, games = self.plan, self.games
        by_turn: dict[int | None, list] = {}
        for turn, rows, gid, ending in self.ended:
            by_turn.setdefault(None if plan.clockless_scores else turn, []).append((rows, gid, ending))
        for turn, parts in by_turn.items():
            rows = parts[0][0] if len(parts) == 1 else np.concatenate([p[0] for p in parts], axis=1)
            gid = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
            ending = np.concatenate([p[2] for p in parts]) if len(parts) > 1 else parts[0][2]
            n = gid.shape[0]
            # scores that do not read the clock are the same at any turn
            tail = (*plan.constants, *plan.clock(1 if turn is None else turn))
            scores = np.zeros((len(plan.roles), n))
            for k in np.unique(ending):  # each ending's scores over its own games only
                sel = np.flatnonzero(ending == k)
                env = RowsEnv(self.score_rows(rows), sel, tail)
                for r, expr in enumerate(plan.endings[k].scores):
                    if expr is not None:
                        scores[r][sel] = expr.many(env, sel.size)
            games.scores[gid] = scores.T
            if games.values is not None:
                games.values[gid] = rows.T


def _filled(column: np.ndarray, n: int) -> np.ndarray:
    """A (len(column) x n) matrix whose every column is ``column``."""
    out = np.empty((column.shape[0], n))
    out[:] = column[:, None]
    return out


def _changed(parts: list[tuple]) -> tuple[np.ndarray | None, frozenset | None]:
    """The columns of the joined parts that their last step may have changed (None: any), and
    the variables it may have changed (None: any)."""
    if len(parts) == 1:
        return parts[0][3], parts[0][4]
    touched = frozenset()
    for part in parts:
        touched = None if touched is None or part[4] is None else touched | part[4]
    if all(p[3] is None for p in parts):
        return None, touched
    out, start = [], 0
    for _, gid, _, changed, _ in parts:
        out.append(np.arange(start, start + gid.shape[0]) if changed is None else changed + start)
        start += gid.shape[0]
    return np.concatenate(out), touched


def _groups(chosen: np.ndarray, count: int) -> list[np.ndarray]:
    """The games that chose each move, in order (one stable radix sort instead of a scan per move)."""
    order = np.argsort(chosen.astype(np.int16), kind="stable")
    bounds = np.cumsum(np.bincount(chosen, minlength=count))
    return np.split(order, bounds[:-1])


class _ScoreRows:
    """A matrix of the rows that scores read, read by variable: row ``at[slot]`` is ``slot``'s."""

    __slots__ = ("rows", "at", "shape")

    def __init__(self, rows: np.ndarray, at: dict[int, int], n_vars: int):
        self.rows, self.at, self.shape = rows, at, (n_vars, rows.shape[1])

    def __getitem__(self, slot: int) -> np.ndarray:
        return self.rows[self.at[slot]]


class _Gather:
    """Lets a RowsEnv over a subset read through another RowsEnv (a subset of a subset)."""

    __slots__ = ("env", "shape")

    def __init__(self, env: RowsEnv):
        self.env = env
        self.shape = (env.n_vars, 0)

    def __getitem__(self, slot: int) -> np.ndarray:
        return self.env[slot]


@dataclass(frozen=True)
class Start:
    """Where each game of a batch starts: its position and its values (a column of ``rows``)."""

    positions: np.ndarray  # int64[n]
    rows: np.ndarray  # float64[variables, n]


def play(
    plan: Plan,
    policies: Mapping[str, object],
    n: int,
    rng,
    keep_values: bool = False,
    tracer=None,
    start: Start | None = None,
) -> Games:
    """Play ``n`` games of ``plan`` with vectorised ``policies`` (one per role) from ``rng``;
    ``tracer``, when given, hears every outcome drawn (see :mod:`game.analysis.causes`).

    ``rng`` is a numpy Generator (the one-game engine's draw order) or draws keyed by game and
    position (:mod:`game.analysis.crn`, :mod:`game.analysis.paired`). Games start at the
    scenario's start, or where ``start`` puts them (their values already drawn)."""
    missing = [r for r in plan.turn_order if r not in policies]
    if missing:
        raise CrisisError(f"no policy for {', '.join(missing)}")
    with np.errstate(all="ignore"):  # gone columns may divide by zero; their results are never read
        return _Run(plan, policies, n, rng, keep_values, tracer, start).run()
