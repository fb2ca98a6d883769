"""Exact solving on the batch engine: backward induction over whole layers of positions at once.

The same solution as :mod:`game.ai.exact` (every role for its own aim, exact expectations,
ties to file order), computed on numpy arrays. Every step moves a game one position on, so the
positions a game can reach form layers: the states at one position are gathered, made unique
(``np.unique`` over their values), and each of their moves and outcomes is worked out for all of
them together with the batch engine's own functions (legal moves, outcome odds, effects,
endings, scores), so every number is the one the one-game engine computes. Then values flow back
from the last layer to the first.

The work is counted in distinct states; past ``budget`` the solver gives up with
:class:`game.ai.exact.TooBig`, and so it does as soon as the states arriving at the positions
still to be gathered (repeats included) pass ``ARRIVALS`` times the budget (and at least
``MIN_ARRIVALS``), so that giving up costs little more than the budget's worth of work. It takes no draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.ai.exact import TooBig, Value
from game.analysis.batch import OPEN, arrive, effects, env_at, legal, outcome_odds, scores_for
from game.analysis.plan import Plan
from game.analysis.rollouts import position_of
from game.analysis.summary import wins as win_mask
from game.core import aim
from game.core.state import State

ARRIVALS = 3  # arrivals (repeats included) allowed per distinct state of the budget
MIN_ARRIVALS = 20_000  # ... and at least this many, so that a small budget is not cut by repeats


@dataclass
class Edge:
    """One (move, outcome) from the states of a layer that it is open to."""

    move: int  # index among the role's moves (0 for an event)
    parents: np.ndarray  # indices into the layer's states
    p: np.ndarray  # the outcome's probability for each parent
    ended: np.ndarray  # indices (into parents) of the games that end there
    scores: np.ndarray  # (ended x roles)
    wins: np.ndarray
    child_pos: np.ndarray  # for each parent: the position the child settled at (-1 where it ended)
    child_raw: np.ndarray  # ... and its number among that position's arrivals


@dataclass
class Layer:
    pos: int
    rows: np.ndarray  # variables x states, unique columns
    inverse: np.ndarray  # arrival number -> column
    edges: list[Edge] = field(default_factory=list)
    scores: np.ndarray | None = None  # states x roles, once solved
    wins: np.ndarray | None = None
    options: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # per move (scores, wins)


@dataclass(frozen=True)
class Solved:
    """The root's value and each legal move's value (role order), and the distinct states solved."""

    value: Value
    options: tuple[Value, ...]  # one per legal move of the root, in file order (empty at a roll)
    best: int  # index of the best legal move (-1 at a roll)
    states: int


class Solver:
    """Backward induction layer by layer, within a budget of distinct states."""

    def __init__(self, plan: Plan, budget: int, root_moves: np.ndarray | None = None):
        self.plan = plan
        self.budget = budget
        self.root_moves = root_moves  # which of the root role's moves to solve (None: every one)
        self.root = -1
        self.roles = len(plan.roles)
        self.arrivals: dict[int, list[np.ndarray]] = {}
        self.distinct: dict[int, list[bool]] = {}  # per batch queued: known to hold no repeats
        self.counts: dict[int, int] = {}
        self.layers: dict[int, Layer] = {}
        self.states = 0
        self.waiting = 0  # arrivals queued at positions not gathered yet

    def solve(self, state: State) -> Solved:
        if state.is_over():
            raise ValueError("the game has ended")
        if state.in_setup():
            return self._setup(state)
        root = self.root = position_of(self.plan, state)
        self._arrive(root, np.asarray(state.values, dtype=np.float64)[:, None])
        with np.errstate(all="ignore"):
            while self.arrivals:
                self._expand(self._gather(min(self.arrivals)))
            for pos in sorted(self.layers, reverse=True):
                self._back_up(self.layers[pos])
        layer = self.layers[root]
        value = _value(layer.scores[0], layer.wins[0])
        if not layer.options:
            return Solved(value, (), -1, self.states)
        role = self.plan.role_index[self.plan.role_at(root)]
        mask = self._legal(self.plan.role_at(root), env_at(self.plan, layer.rows, root), root, 1)[:, 0]
        options, best = [], -1
        for j in np.flatnonzero(mask):
            s, w = layer.options[j]
            options.append(_value(s[0], w[0]))
            top = options[best] if best >= 0 else None
            if top is None or aim.beats(
                options[-1].scores[role], options[-1].wins[role], top.scores[role], top.wins[role]
            ):
                best = len(options) - 1
        return Solved(value, tuple(options), best, self.states)

    def _setup(self, state: State) -> Solved:
        """A start still to be drawn: every drawn start solved, weighed by its chance."""
        starts = [(1.0, state)]
        while starts[0][1].in_setup():
            starts = [(p * q, after) for p, s in starts for _, q, after in s.successors(s.legal_actions()[0])]
        n = len(self.plan.roles)
        scores, wins = [0.0] * n, [0.0] * n
        for p, start in starts:
            found = Solver(self.plan, self.budget - self.states).solve(start)
            self.states += found.states
            for i in range(n):
                scores[i] += p * found.value.scores[i]
                wins[i] += p * found.value.wins[i]
        return Solved(Value(tuple(scores), tuple(wins)), (), -1, self.states)

    def _legal(self, role: str, env, pos: int, n: int) -> np.ndarray:
        """The legal moves of ``role`` at layer ``pos``, at the root only those asked for."""
        mask = legal(self.plan, role, env, n)
        if pos == self.root and self.root_moves is not None:
            mask = mask & self.root_moves[:, None]
        return mask

    # forward ----------------------------------------------------------------------------------

    def _arrive(self, pos: int, rows: np.ndarray, distinct: bool = False) -> np.ndarray:
        """Queue states arriving at ``pos`` (``distinct``: no two alike); returns their arrival numbers."""
        start = self.counts.get(pos, 0)
        self.waiting += rows.shape[1]
        limit = arrival_limit(self.budget)
        if self.states + self.waiting > limit:
            raise TooBig(f"the states arriving at its positions, repeats included, passed {limit:,}")
        self.arrivals.setdefault(pos, []).append(rows)
        self.distinct.setdefault(pos, []).append(distinct)
        self.counts[pos] = start + rows.shape[1]
        return np.arange(start, start + rows.shape[1])

    def _gather(self, pos: int) -> Layer:
        batches = self.arrivals.pop(pos)
        raw = np.concatenate(batches, axis=1)
        self.waiting -= raw.shape[1]
        if self.distinct.pop(pos) == [True]:  # one batch of states known to be distinct: nothing to merge
            rows, inverse = raw, np.arange(raw.shape[1])
        else:
            rows, inverse = np.unique(raw, axis=1, return_inverse=True)
        self.states += rows.shape[1]
        if self.states > self.budget:
            raise TooBig
        layer = Layer(pos, rows, inverse.reshape(-1))
        self.layers[pos] = layer
        return layer

    def _expand(self, layer: Layer) -> None:
        plan, pos, rows = self.plan, layer.pos, layer.rows
        n = rows.shape[1]
        env = env_at(plan, rows, pos)
        role = plan.role_at(pos)
        if role is None:
            moves, mask = (plan.event_at(pos),), np.ones((1, n), dtype=bool)
        else:
            moves, mask = plan.moves_of[role], self._legal(role, env, pos, n)
        for j, move in enumerate(moves):
            cols = np.flatnonzero(mask[j])
            if cols.size == 0:
                continue
            sub_rows = rows.take(cols, axis=1)
            sub = env_at(plan, sub_rows, pos)
            probs, included = outcome_odds(move, sub, cols.size)
            outcomes = list(move.outcomes) + ([None] if move.chance is not None else [])
            for outcome, p, inc in zip(outcomes, probs, included):
                keep = np.flatnonzero(np.broadcast_to(inc, (cols.size,)) & (np.broadcast_to(p, (cols.size,)) > 0))
                if keep.size == 0:
                    continue
                child = sub_rows.take(keep, axis=1)
                end, changed = -1, {}
                if outcome is not None:
                    changed = effects(outcome, env_at(plan, sub_rows, pos, keep), keep.size)
                    for slot, values in changed.items():
                        child[slot] = values
                    end = outcome.end
                # distinct states left unchanged stay distinct
                edge = self._edge(
                    j, cols[keep], np.broadcast_to(p, (cols.size,))[keep], child, pos + 1, end, not changed
                )
                layer.edges.append(edge)

    def _edge(
        self, move: int, parents: np.ndarray, p: np.ndarray, child: np.ndarray, pos: int, end: int, distinct: bool
    ) -> Edge:
        """Settle the children at ``pos`` (endings, passes) and queue those still going on."""
        k = parents.size
        plan = self.plan
        ended = np.zeros(k, dtype=bool)
        scores = np.zeros((k, self.roles))
        child_pos = np.full(k, -1, dtype=np.int64)
        child_raw = np.full(k, -1, dtype=np.int64)
        todo = np.arange(k)
        pending = np.full(k, end, dtype=np.int64)
        while todo.size:
            rows = child.take(todo, axis=1)
            env = env_at(plan, rows, pos)
            here = arrive(plan, env, todo.size, pos, pending[todo])
            over = here >= 0
            if over.any():
                idx = todo[over]
                ended[idx] = True
                for r in range(self.roles):
                    scores[idx, r] = scores_for(plan, r, here, env, todo.size)[over]
            name = plan.role_at(pos)
            passing = np.zeros(todo.size, dtype=bool)
            if name is not None:
                passing = ~over & ~legal(plan, name, env, todo.size).any(axis=0)
            stays = ~over & ~passing
            if stays.any():
                idx = todo[stays]
                child_pos[idx] = pos
                child_raw[idx] = self._arrive(pos, rows[:, stays], distinct)
            todo = todo[passing]
            pending[todo] = OPEN
            pos += 1
        done = np.flatnonzero(ended)
        scores = scores[done]
        return Edge(move, parents, p, done, scores, win_mask(scores).astype(np.float64), child_pos, child_raw)

    # backward ---------------------------------------------------------------------------------

    def _child_values(self, edge: Edge) -> tuple[np.ndarray, np.ndarray]:
        k = edge.parents.size
        scores, wins = np.zeros((k, self.roles)), np.zeros((k, self.roles))
        scores[edge.ended], wins[edge.ended] = edge.scores, edge.wins
        for pos in np.unique(edge.child_pos[edge.child_pos >= 0]):
            sel = np.flatnonzero(edge.child_pos == pos)
            target = self.layers[int(pos)]
            cols = target.inverse[edge.child_raw[sel]]
            scores[sel] = target.scores[cols]
            wins[sel] = target.wins[cols]
        return scores, wins

    def _back_up(self, layer: Layer) -> None:
        n = layer.rows.shape[1]
        role = self.plan.role_at(layer.pos)
        count = 1 if role is None else len(self.plan.moves_of[role])
        q_scores = [np.zeros((n, self.roles)) for _ in range(count)]
        q_wins = [np.zeros((n, self.roles)) for _ in range(count)]
        for edge in layer.edges:  # outcome order within each move, as the one-game solver sums
            scores, wins = self._child_values(edge)
            q_scores[edge.move][edge.parents] += edge.p[:, None] * scores
            q_wins[edge.move][edge.parents] += edge.p[:, None] * wins
        if role is None:
            layer.scores, layer.wins = q_scores[0], q_wins[0]
            return
        index = self.plan.role_index[role]
        mask = self._legal(role, env_at(self.plan, layer.rows, layer.pos), layer.pos, n)
        best = np.full(n, -1)
        best_s, best_w = np.zeros(n), np.zeros(n)
        for j in range(count):
            s, w = q_scores[j][:, index], q_wins[j][:, index]
            # aim.beats over many positions: rounding is no difference, the win chance breaks ties
            tied = aim.TIE * np.maximum(1.0, np.abs(best_s))
            beats = (s > best_s + tied) | ((s >= best_s - tied) & (w > best_w + aim.TIE))
            better = mask[j] & ((best < 0) | beats)
            best = np.where(better, j, best)
            best_s, best_w = np.where(better, s, best_s), np.where(better, w, best_w)
        columns = np.arange(n)
        layer.scores = np.stack(q_scores)[best, columns]
        layer.wins = np.stack(q_wins)[best, columns]
        layer.options = list(zip(q_scores, q_wins))


def arrival_limit(budget: int) -> int:
    """How many states, repeats included, may wait to be merged before the solver gives up."""
    return max(ARRIVALS * budget, MIN_ARRIVALS)


def _value(scores: np.ndarray, wins: np.ndarray) -> Value:
    return Value(tuple(float(x) for x in scores), tuple(float(x) for x in wins))


def solve(plan: Plan, state: State, budget: int, root_moves: np.ndarray | None = None) -> Solved:
    """Solve ``state`` exactly within ``budget`` distinct states (raises TooBig). With
    ``root_moves`` (one flag per move of the role to move, ``plan.moves_of``), only those of its
    legal moves are solved at the root, and ``options`` holds theirs alone, in file order."""
    return Solver(plan, budget, root_moves).solve(state)
