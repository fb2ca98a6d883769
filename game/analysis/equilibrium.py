"""An equilibrium of the imperfect-information game of a small scenario, and how far from one it is.

The whole game from the start (the starting draws are chance nodes) is built as arrays by
:mod:`game.analysis.gametree`; each role's information sets are what the core's information
model says it knows. On those arrays:

- **CFR+** (counterfactual regret minimisation with regret matching+, alternating updates and
  linearly weighted averaging) runs level by level in numpy: a forward pass for the reach of
  chance and the other roles, a backward pass for the values, then every information set's
  regrets at once. The answer is the average strategy.
- **A best response** of each role to the others' strategies, by the same backward pass with a
  choice per information set (the option with the highest counterfactual value, the first on
  ties).
- **NashConv**: the sum over roles of what each could gain by switching alone to its best
  response. It is 0 exactly at a Nash equilibrium. In a two-role zero-sum (constant-sum) game
  CFR+ converges to one and the exploitability is NashConv / 2; in a general-sum game it has no
  such guarantee, and the NashConv printed is what was reached.

The aim of each role is its expected ending score (the first part of the game's aim; winning as
the tie-break does not enter an equilibrium).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from game.analysis.gametree import CHANCE, DECISION, ENDING, Tree

CONCEPT = "Nash equilibrium of the game as each role knows it (imperfect information), approximated by CFR+"


@dataclass(frozen=True)
class InfoSets:
    """The information sets of every role over a tree, and the arrays CFR+ works on.

    Options of one information set are contiguous in the flat option arrays; each role's
    information sets (ordered by time) form one block."""

    count: int  # information sets
    options: int  # (information set, option) pairs
    role_of: np.ndarray  # per information set
    first: np.ndarray  # per information set: its first option
    width: np.ndarray  # per information set: its number of options
    of_option: np.ndarray  # per option: its information set
    slot_of: np.ndarray  # per option: its index among the set's options
    node_set: np.ndarray  # per node: its information set (-1 but at decisions)
    edge_option: np.ndarray  # per edge: the option it is (-1 under chance)
    decisions: tuple[np.ndarray, ...]  # per role: the edges under its decisions
    blocks: tuple[tuple[int, int], ...]  # per role: its range of options
    set_blocks: tuple[tuple[int, int], ...]  # per role: its range of information sets
    before: np.ndarray  # per information set: the role's own option just before it (-1: none)
    own_depth: np.ndarray  # per information set: the role's decisions before it
    example: np.ndarray  # per information set: one of its nodes


def infosets(tree: Tree) -> InfoSets:
    """Group each role's decision nodes by its trail there; check every set offers the same options."""
    graph = tree.graph
    widths_of_graph = np.where(np.asarray(graph.kind) == DECISION, np.asarray(graph.count), 0)
    node_set = np.full(tree.nodes, -1, dtype=np.int64)
    role_of, width, example, set_blocks = [], [], [], []
    base = 0
    for r in range(len(tree.roles)):
        nodes = np.flatnonzero((tree.kind == DECISION) & (tree.player == r))
        trails, inverse, index = _unique(tree.trail[nodes])
        node_set[nodes] = base + inverse
        w = widths_of_graph[tree.graph_node[nodes]]
        set_width = np.zeros(len(trails), dtype=np.int64)
        set_width[inverse] = w
        if np.any(set_width[inverse] != w):
            raise AssertionError("nodes that a role cannot tell apart offer it different numbers of options")
        role_of.append(np.full(len(trails), r))
        width.append(set_width)
        example.append(nodes[index])
        set_blocks.append((base, base + len(trails)))
        base += len(trails)
    width_all = np.concatenate(width) if width else np.zeros(0, np.int64)
    first = np.concatenate([[0], np.cumsum(width_all)[:-1]]).astype(np.int64) if len(width_all) else width_all
    of_option = np.repeat(np.arange(len(width_all)), width_all)
    slot_of = np.arange(len(of_option)) - first[of_option] if len(of_option) else of_option
    deciding = tree.kind[tree.parent] == DECISION
    edge_option = np.full(len(tree.parent), -1, dtype=np.int64)
    edge_option[deciding] = first[node_set[tree.parent[deciding]]] + tree.slot[deciding]
    decisions = tuple(np.flatnonzero(deciding & (tree.player[tree.parent] == r)) for r in range(len(tree.roles)))
    blocks = tuple(
        (int(first[a]) if b > a else 0, int(first[b - 1] + width_all[b - 1]) if b > a else 0) for a, b in set_blocks
    )
    before = _own_before(tree, node_set, edge_option, np.concatenate(example) if example else np.zeros(0, np.int64))
    return InfoSets(
        count=len(width_all),
        options=int(width_all.sum()),
        role_of=np.concatenate(role_of) if role_of else np.zeros(0, np.int64),
        first=first,
        width=width_all,
        of_option=of_option,
        slot_of=slot_of,
        node_set=node_set,
        edge_option=edge_option,
        decisions=decisions,
        blocks=blocks,
        set_blocks=tuple(set_blocks),
        before=before,
        own_depth=_depths(before, of_option),
        example=np.concatenate(example) if example else np.zeros(0, np.int64),
    )


def _unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    uniq, index, inverse = np.unique(values, return_index=True, return_inverse=True)
    return uniq, inverse, index


def _own_before(tree: Tree, node_set: np.ndarray, edge_option: np.ndarray, example: np.ndarray) -> np.ndarray:
    """For each information set, the option its role took last on the way there (-1 for none)."""
    last = np.full((len(tree.roles), tree.nodes), -1, dtype=np.int64)
    mover = tree.player[tree.parent]
    for j in range(len(tree.edge_start) - 1):
        sl = slice(tree.edge_start[j], tree.edge_start[j + 1])
        parent, child = tree.parent[sl], tree.child[sl]
        for r in range(len(tree.roles)):
            last[r, child] = np.where(mover[sl] == r, edge_option[sl], last[r, parent])
    roles_of_sets = tree.player[example].astype(np.int64)
    return last[roles_of_sets, example]


def _depths(before: np.ndarray, of_option: np.ndarray) -> np.ndarray:
    depth = np.zeros(len(before), dtype=np.int64)
    has = before >= 0
    for _ in range(len(before) + 1):
        new = np.where(has, depth[of_option[np.maximum(before, 0)]] + 1, 0) if len(before) else depth
        if np.array_equal(new, depth):
            return depth
        depth = new
    return depth


# the passes --------------------------------------------------------------------------------


class Passes:
    """Forward and backward passes over one tree, level by level."""

    def __init__(self, tree: Tree, sets: InfoSets):
        self.tree, self.sets = tree, sets
        self.levels = len(tree.node_start) - 1
        self.chance = tree.kind[tree.parent] == CHANCE
        self.reach = np.empty(tree.nodes)
        self.value = np.empty(tree.nodes)
        self.ending_value = [np.where(tree.kind == ENDING, tree.utility[:, r], 0.0) for r in range(len(tree.roles))]

    def edge_weights(self, strategy: np.ndarray) -> np.ndarray:
        """Each edge's probability: chance's, or the strategy's for its option."""
        weights = self.tree.prob.copy()
        decided = ~self.chance
        weights[decided] = strategy[self.sets.edge_option[decided]]
        return weights

    def others_reach(self, weights: np.ndarray, role: int) -> np.ndarray:
        """The probability that chance and the other roles lead to each node."""
        w = weights.copy()
        w[self.sets.decisions[role]] = 1.0
        tree, reach = self.tree, self.reach
        reach[0] = 1.0
        for j in range(self.levels):
            sl = slice(tree.edge_start[j], tree.edge_start[j + 1])
            reach[tree.child[sl]] = reach[tree.parent[sl]] * w[sl]
        return reach

    def values(self, weights: np.ndarray, role: int, reply: np.ndarray | None = None) -> np.ndarray:
        """The role's expected score at every node when everyone plays by ``weights``; with
        ``reply`` (the others' reach), the role instead best-responds (see :func:`best_response`)."""
        return self.replied(weights, role, reply)[0]

    def replied(self, weights: np.ndarray, role: int, reply: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`values`, and the edge weights played: ``weights`` with the role's best response
        put in where ``reply`` is given."""
        tree, value, sets = self.tree, self.value, self.sets
        mine = sets.decisions[role]
        w = weights if reply is None else weights.copy()
        for j in range(self.levels - 1, -1, -1):
            ns, ne = tree.node_start[j], tree.node_start[j + 1]
            es, ee = tree.edge_start[j], tree.edge_start[j + 1]
            if ee > es:
                if reply is not None:
                    self._choose(w, mine, es, ee, reply)
                parent, child = tree.parent[es:ee], tree.child[es:ee]
                summed = np.bincount(parent - ns, w[es:ee] * value[child], minlength=ne - ns)
                value[ns:ne] = self.ending_value[role][ns:ne] + summed
            else:
                value[ns:ne] = self.ending_value[role][ns:ne]
        return value, w

    def _choose(self, w: np.ndarray, mine: np.ndarray, es: int, ee: int, reply: np.ndarray) -> None:
        """At this level's decisions of the role, put all weight on the best option of each set."""
        a, b = np.searchsorted(mine, [es, ee])
        if b <= a:
            return
        edges = mine[a:b]
        tree, sets, value = self.tree, self.sets, self.value
        option = sets.edge_option[edges]
        lo, hi = int(option.min()), int(option.max()) + 1
        q = np.bincount(option - lo, reply[tree.parent[edges]] * value[tree.child[edges]], minlength=hi - lo)
        set_ids = sets.of_option[lo:hi]
        s_lo = int(set_ids.min())
        table = np.full((int(set_ids.max()) - s_lo + 1, int(sets.width[set_ids].max())), -np.inf)
        table[set_ids - s_lo, sets.slot_of[lo:hi]] = q
        best = np.argmax(table, axis=1)
        chosen = sets.slot_of[lo:hi] == best[set_ids - s_lo]
        w[edges] = chosen[option - lo].astype(np.float64)


def uniform(sets: InfoSets) -> np.ndarray:
    return 1.0 / sets.width[sets.of_option] if sets.options else np.zeros(0)


def normalised(weights: np.ndarray, sets: InfoSets) -> np.ndarray:
    """Weights per option made a strategy (uniform where a set's weights are all 0)."""
    if not sets.options:
        return weights
    total = np.add.reduceat(weights, sets.first)[sets.of_option]
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, weights / safe, 1.0 / sets.width[sets.of_option])


# CFR+ --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    iteration: int
    nash_conv: float
    seconds: float  # solving time so far (checkpoints' own evaluation left out)


@dataclass(frozen=True)
class Solution:
    """The average strategy after ``iterations`` of CFR+, its values and its distance to equilibrium."""

    strategy: np.ndarray  # per option
    iterations: int
    values: tuple[float, ...]  # per role: expected score under the strategy
    replies: tuple[float, ...]  # per role: expected score of its best response to the others
    checkpoints: tuple[Checkpoint, ...]
    seconds: float

    @property
    def gains(self) -> tuple[float, ...]:
        return tuple(max(b - v, 0.0) for v, b in zip(self.values, self.replies))

    @property
    def nash_conv(self) -> float:
        return float(sum(self.gains))


def solve(tree: Tree, sets: InfoSets, iterations: int, checkpoints: tuple[int, ...] = ()) -> Solution:
    """Run CFR+ for ``iterations`` rounds (every role updated once per round, in turn)."""
    passes = Passes(tree, sets)
    regrets = np.zeros(sets.options)
    total = np.zeros(sets.options)
    strategy = uniform(sets)
    marks, spent, started = [], 0.0, time.perf_counter()
    for t in range(1, iterations + 1):
        for r in range(len(tree.roles)):
            lo, hi = sets.blocks[r]
            if hi <= lo:
                continue
            _update(passes, r, strategy, regrets, total, t)
            strategy[lo:hi] = normalised(np.maximum(regrets, 0.0), sets)[lo:hi]
        if t in checkpoints:
            spent += time.perf_counter() - started
            found = evaluate(passes, normalised(total, sets))
            marks.append(Checkpoint(t, float(sum(max(b - v, 0.0) for v, b in zip(*found))), spent))
            started = time.perf_counter()
    spent += time.perf_counter() - started
    average = normalised(total, sets)
    values, replies = evaluate(passes, average)
    return Solution(average, iterations, values, replies, tuple(marks), spent)


def _update(passes: Passes, role: int, strategy: np.ndarray, regrets: np.ndarray, total: np.ndarray, t: int) -> None:
    """One CFR+ update of ``role``: its regrets, then its share of the average strategy."""
    tree, sets = passes.tree, passes.sets
    weights = passes.edge_weights(strategy)
    reach = passes.others_reach(weights, role)
    value = passes.values(weights, role)
    edges = sets.decisions[role]
    parent = tree.parent[edges]
    gain = reach[parent] * (value[tree.child[edges]] - value[parent])
    lo, hi = sets.blocks[role]
    regrets[lo:hi] = np.maximum(
        regrets[lo:hi] + np.bincount(sets.edge_option[edges] - lo, gain, minlength=hi - lo), 0.0
    )
    own = own_reach(sets, strategy, role)
    total[lo:hi] += t * own[sets.of_option[lo:hi]] * strategy[lo:hi]


def own_reach(sets: InfoSets, strategy: np.ndarray, role: int) -> np.ndarray:
    """For each information set of ``role``, the probability its own play leads there."""
    out = np.ones(sets.count)
    a, b = sets.set_blocks[role]
    ids = np.arange(a, b)
    depth = sets.own_depth[a:b]
    for d in range(1, int(depth.max()) + 1 if b > a else 0):
        here = ids[depth == d]
        prior = sets.before[here]
        out[here] = out[sets.of_option[prior]] * strategy[prior]
    return out


def evaluate(passes: Passes, strategy: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(each role's expected score under ``strategy``, each role's best-response score)."""
    weights = passes.edge_weights(strategy)
    values, replies = [], []
    for r in range(len(passes.tree.roles)):
        values.append(float(passes.values(weights, r)[0]))
        replies.append(best_response(passes, weights, r))
    return tuple(values), tuple(replies)


def best_response(passes: Passes, weights: np.ndarray, role: int) -> float:
    """The expected score of ``role``'s best response when the others play by ``weights``."""
    return best_reply(passes, weights, role)[0]


def best_reply(passes: Passes, weights: np.ndarray, role: int) -> tuple[float, np.ndarray]:
    """:func:`best_response`'s score, and the edge weights with that response in ``role``'s place."""
    reach = passes.others_reach(weights, role).copy()
    value, played = passes.replied(weights, role, reach)
    return float(value[0]), played


def constant_sum(tree: Tree) -> bool:
    """Whether every ending gives the roles the same total (then the game is zero-sum in effect)."""
    ending = tree.utility[tree.kind == ENDING].sum(axis=1)
    return len(tree.roles) == 2 and len(ending) > 0 and bool(np.ptp(ending) < 1e-9 * max(1.0, np.abs(ending).max()))
