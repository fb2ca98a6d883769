"""The whole game of a small scenario as flat arrays: one row per node of its game tree.

The tree is built in two passes.

1. **The state graph.** Every distinct true state (values, turn, step, ending) is expanded once
   by the core (``legal_actions``, ``successors``): its kind (a role's decision, a chance node
   for the world's rolls and the starting draws, an ending), its moves and outcomes with their
   exact probabilities, and for every step what it showed each role, as the core's own
   :func:`~game.core.information.glimpse` records it. A role's move whose outcome is not certain
   gets a chance node of its own after the choice.
2. **The tree.** The graph is unrolled from the start, level by level in numpy. A node's *trail*
   for a role is an id of the sequence of glimpses the role was shown on the way to it: two
   nodes get the same trail id exactly when the role was shown the same things, which is what
   the core's stable key ``observe(state, role).key`` hashes. A role's information set at a
   decision is its trail there.

Every step adds two levels (a decision, then the chance node of its outcome) or one to two (a
roll), so the ``time`` of a node (twice the steps taken, plus one after a choice) is the same for
all the nodes of an information set, and a child's time is greater than its parent's. The arrays
are ordered by time; the edges (one per node but the root) by the time of their parent.

The size is capped: the graph and the tree stop at ``max_nodes`` nodes with :class:`TooBig`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core import information
from game.core.errors import CrisisError
from game.core.model import WORLD, Scenario
from game.core.state import State

DECISION, CHANCE, ENDING = 0, 1, 2
LINES = 30  # random lines of the size estimate (fewer when the first put it far past the cap)
SURE = 10  # a tree estimated at more than this many times the cap is refused without building it


class TooBig(CrisisError):
    """The game tree has more nodes than the cap allows."""


@dataclass
class Graph:
    """The distinct states and the steps between them (lists while it is built)."""

    kind: list[int]
    player: list[int]
    sig: list[tuple]  # (values, turn, step, ending) of each state; () for a chance node after a choice
    first: list[int]  # index of each node's first edge
    count: list[int]  # its number of edges
    target: list[int]  # per edge
    prob: list[float]  # the chance of a chance node's edge (0 for a decision's)
    slot: list[int]  # a decision's option index (0 for a chance node's)
    glimpse: list[tuple[int, ...]]  # per edge, per role: the id of what the step showed it (0: nothing)
    scores: dict[int, tuple[float, ...]]
    size: list[int]  # nodes of the tree under each graph node


@dataclass(frozen=True)
class Tree:
    """The game tree as arrays. Node 0 is the start; ``E_*`` arrays are per edge (see above)."""

    roles: tuple[str, ...]
    nodes: int
    kind: np.ndarray  # int8 per node
    player: np.ndarray  # int8 per node (-1 but at decisions)
    graph_node: np.ndarray  # int32 per node: its state in the graph
    trail: np.ndarray  # int64 per node: the acting role's trail at a decision (-1 elsewhere)
    node_start: np.ndarray  # per time: first node of that time (one past the end last)
    parent: np.ndarray  # int32 per edge
    child: np.ndarray  # int32 per edge
    prob: np.ndarray  # float64 per edge: its chance at a chance node, 0 at a decision
    slot: np.ndarray  # int16 per edge: the option's index at a decision
    edge_start: np.ndarray  # per time: first edge whose parent has that time
    utility: np.ndarray  # float64 (nodes, roles): the ending's scores, 0 elsewhere
    graph: Graph
    states: int  # distinct states in the graph


def build(scenario: Scenario, max_nodes: int) -> Tree:
    """The scenario's whole game tree from its start (its starting draws are chance nodes).

    A tree whose estimated size is far past ``max_nodes`` is refused at once; one near it is
    built until it passes the cap."""
    guess = estimate(scenario, enough=SURE * max_nodes)
    if guess > SURE * max_nodes:
        raise TooBig(
            f"the game tree of '{scenario.meta.id}' has about {guess:.1e} nodes or more (estimated from random "
            f"lines through it), far more than --max-nodes {max_nodes:,}: an equilibrium is only computed for "
            "small scenarios"
        )
    graph = _graph(scenario, max_nodes)
    return _unroll(scenario, graph, max_nodes)


def estimate(scenario: Scenario, lines: int = LINES, seed: int = 0, enough: float = float("inf")) -> float:
    """Knuth's estimate of the number of nodes: along random lines from the start (every option
    and outcome equally likely), the sum of the products of the branching met so far, averaged
    over ``lines`` lines. It stops as soon as the lines so far put the average past ``enough``
    (every line adds a positive amount), and then returns what they give, a lower bound of it."""
    rng = np.random.default_rng(seed)
    total = 0.0
    for _ in range(lines):
        state, weight, found = State.initial(scenario), 1.0, 1.0
        while not state.is_over():
            moves = state.legal_actions()
            move = moves[int(rng.integers(len(moves)))] if len(moves) > 1 else moves[0]
            outcomes = state.outcomes(move)
            if state.current_role() != WORLD:
                weight *= len(moves)
                if len(outcomes) > 1:
                    found += weight  # the chance node after the choice
            weight *= len(outcomes)
            found += weight
            state = state.apply(move, outcomes[int(rng.integers(len(outcomes)))][0])[0]
        total += found
        if total / lines > enough:
            break
    return total / lines


# the state graph ---------------------------------------------------------------------------


class _Builder:
    """Expands each distinct state once; what each step shows each role is interned to an id."""

    def __init__(self, scenario: Scenario, max_nodes: int):
        self.scenario = scenario
        self.roles = tuple(scenario.roles)
        self.max_nodes = max_nodes
        self.graph = Graph([], [], [], [], [], [], [], [], [], {}, [])
        self.known: dict[tuple, int] = {}
        self.glimpses: list[dict] = [{} for _ in self.roles]

    def too_big(self, found: int) -> TooBig:
        return TooBig(
            f"the game tree of '{self.scenario.meta.id}' has more than {self.max_nodes:,} nodes "
            f"(found {found:,} so far); an equilibrium is computed only for games up to --max-nodes"
        )

    def node(self, kind: int, player: int, sig: tuple) -> int:
        g = self.graph
        g.kind.append(kind)
        g.player.append(player)
        g.sig.append(sig)
        g.first.append(0)
        g.count.append(0)
        g.size.append(1)
        if len(g.kind) > self.max_nodes:
            raise self.too_big(len(g.kind))
        return len(g.kind) - 1

    def seen(self, before: State, move, outcome, after: State) -> tuple[int, ...]:
        out = []
        for r, role in enumerate(self.roles):
            record = information.glimpse(before, move, outcome, after, role)
            table = self.glimpses[r]
            out.append(table.setdefault(record, len(table) + 1))
        return tuple(out)


def _sig(state: State) -> tuple:
    return (state.values, state.turn, state.step, state.ending)


def _graph(scenario: Scenario, max_nodes: int) -> Graph:
    """Every distinct state reachable from the start, expanded depth first without recursion."""
    b = _Builder(scenario, max_nodes)
    root = State.initial(scenario)
    stack = [_expand(b, root)]
    answer = None
    while stack:
        try:
            state = stack[-1].send(answer)
        except StopIteration as done:
            stack.pop()
            answer = done.value
            continue
        found = b.known.get(_sig(state))
        if found is None:
            stack.append(_expand(b, state))
            answer = None
        else:
            answer = found
    return b.graph


def _expand(b: _Builder, state: State):
    """A generator: yields each successor state, is sent back its graph node, returns its own."""
    g = b.graph
    if state.is_over():
        gid = b.node(ENDING, -1, _sig(state))
        scores = state.scores()
        g.scores[gid] = tuple(float(scores[role]) for role in b.roles)
        b.known[_sig(state)] = gid
        return gid
    role = state.current_role()
    deciding = role != WORLD
    gid = b.node(DECISION if deciding else CHANCE, b.roles.index(role) if deciding else -1, _sig(state))
    edges = []  # (target, prob, slot, glimpses)
    for slot, move in enumerate(state.legal_actions()):
        following = state.successors(move)
        if deciding and len(following) > 1:
            after = b.node(CHANCE, -1, ())
            parts = []
            for outcome, p, nxt in following:
                target = yield nxt
                parts.append((target, p, 0, b.seen(state, move, outcome, nxt)))
            _close(b, after, parts)
            edges.append((after, 0.0, slot, (0,) * len(b.roles)))
            continue
        for outcome, p, nxt in following:
            target = yield nxt
            edges.append((target, 0.0 if deciding else p, slot if deciding else 0, b.seen(state, move, outcome, nxt)))
    _close(b, gid, edges)
    b.known[_sig(state)] = gid
    return gid


def _close(b: _Builder, gid: int, edges: list) -> None:
    g = b.graph
    g.first[gid] = len(g.target)
    g.count[gid] = len(edges)
    size = 1
    for target, p, slot, seen in edges:
        g.target.append(target)
        g.prob.append(p)
        g.slot.append(slot)
        g.glimpse.append(seen)
        size += g.size[target]
    g.size[gid] = size
    if size > b.max_nodes:
        raise b.too_big(size)


# the tree ----------------------------------------------------------------------------------


def _unroll(scenario: Scenario, graph: Graph, max_nodes: int) -> Tree:
    """The graph unrolled from its root, one time level at a time."""
    roles = tuple(scenario.roles)
    n_roles = len(roles)
    total = graph.size[0]
    if total > max_nodes:
        raise TooBig(f"the game tree of '{scenario.meta.id}' has {total:,} nodes, more than --max-nodes {max_nodes:,}")
    kinds = np.asarray(graph.kind, dtype=np.int8)
    players = np.asarray(graph.player, dtype=np.int8)
    first = np.asarray(graph.first, dtype=np.int64)
    count = np.asarray(graph.count, dtype=np.int64)
    e_target = np.asarray(graph.target, dtype=np.int32)
    e_prob = np.asarray(graph.prob, dtype=np.float64)
    e_slot = np.asarray(graph.slot, dtype=np.int16)
    e_seen = np.asarray(graph.glimpse, dtype=np.int64).reshape(-1, n_roles)
    # a step to a chance node after a choice adds one level; any other step two
    after = np.asarray([not s for s in graph.sig], dtype=bool)
    e_dt = np.where(after[e_target], 1, 2).astype(np.int64)
    widths = (e_seen.max(axis=0) + 1).tolist() if len(e_seen) else [1] * n_roles

    kind_out, player_out, gnode_out, trail_out, parent_out, prob_out, slot_out = [], [], [], [], [], [], []
    node_start = []
    # buckets[time] = list of (graph node, parent tree id, graph edge, trails per role before the step)
    buckets: dict[int, list] = {0: [(np.zeros(1, np.int64), np.full(1, -1, np.int64), np.full(1, -1, np.int64), None)]}
    next_trail = 1
    done = 0
    t = 0
    while buckets:
        t = min(buckets)
        parts = buckets.pop(t)
        gn = np.concatenate([p[0] for p in parts])
        par = np.concatenate([p[1] for p in parts])
        edge = np.concatenate([p[2] for p in parts])
        if parts[0][3] is None:
            trails = np.zeros((1, n_roles), dtype=np.int64)
        else:
            trails, next_trail = _trails(np.concatenate([p[3] for p in parts]), e_seen[edge], widths, next_trail)
        node_start.append((t, done))
        ids = np.arange(done, done + len(gn), dtype=np.int64)
        done += len(gn)
        if done > max_nodes:
            raise TooBig(f"the game tree of '{scenario.meta.id}' has more than --max-nodes {max_nodes:,} nodes")
        k = kinds[gn]
        kind_out.append(k)
        pl = players[gn]
        player_out.append(pl)
        gnode_out.append(gn.astype(np.int32))
        own = np.full(len(gn), -1, dtype=np.int64)
        deciding = k == DECISION
        own[deciding] = trails[deciding, pl[deciding].astype(np.int64)]
        trail_out.append(own)
        parent_out.append(par)
        prob_out.append(np.where(edge >= 0, e_prob[np.maximum(edge, 0)], 0.0))
        slot_out.append(np.where(edge >= 0, e_slot[np.maximum(edge, 0)], 0))
        for dt, part in _children(gn, ids, trails, t, count, first, e_dt, e_target):
            buckets.setdefault(t + dt, []).append(part)
    return _arrays(
        roles,
        graph,
        node_start,
        done,
        np.concatenate(kind_out),
        np.concatenate(player_out),
        np.concatenate(gnode_out),
        np.concatenate(trail_out),
        np.concatenate(parent_out),
        np.concatenate(prob_out),
        np.concatenate(slot_out),
    )


def _trails(before: np.ndarray, seen: np.ndarray, widths: list[int], next_trail: int) -> tuple[np.ndarray, int]:
    """Each node's trail per role: its parent's, extended by what the step showed the role.

    Equal (parent trail, glimpse) pairs get the same new id; all of a level's trails are made
    together, so equal sequences of glimpses always get equal ids."""
    trails = before.copy()
    for r in range(before.shape[1]):
        moved = seen[:, r] > 0
        if moved.any():
            uniq, inverse = np.unique(before[moved, r] * widths[r] + seen[moved, r], return_inverse=True)
            trails[moved, r] = next_trail + inverse
            next_trail += len(uniq)
    return trails, next_trail


def _children(gn, ids, trails, t, count, first, e_dt, e_target):
    """The children of one level's nodes, as (levels on, (graph node, parent, graph edge, trails))."""
    c = count[gn]
    if c.sum() == 0:
        return
    owner = np.repeat(np.arange(len(gn)), c)
    offsets = np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
    edges = first[gn][owner] + offsets
    for dt in (1, 2):
        pick = e_dt[edges] == dt
        if pick.any():
            yield dt, (e_target[edges[pick]].astype(np.int64), ids[owner[pick]], edges[pick], trails[owner[pick]])


def _arrays(roles, graph, node_start, nodes, kind, player, gnode, trail, parent, prob, slot) -> Tree:
    """Edges ordered by their parent's time; per-time offsets of nodes and edges."""
    times = np.asarray([t for t, _ in node_start], dtype=np.int64)
    starts = np.asarray([s for _, s in node_start] + [nodes], dtype=np.int64)
    node_time = np.repeat(times, np.diff(starts))
    children = np.arange(1, nodes, dtype=np.int64)
    parent_time = node_time[parent[1:]]
    order = np.argsort(parent_time, kind="stable")
    children = children[order]
    e_parent = parent[children]
    # per time level (the same levels as the nodes'), the first edge whose parent is of that level
    edge_start = np.searchsorted(parent_time[order], np.append(times, times[-1] + 1), side="left")
    utility = np.zeros((nodes, len(roles)))
    ending = np.flatnonzero(kind == ENDING)
    if len(ending):
        table = np.zeros((len(graph.kind), len(roles)))
        for gid, scores in graph.scores.items():
            table[gid] = scores
        utility[ending] = table[gnode[ending]]
    return Tree(
        roles=roles,
        nodes=nodes,
        kind=kind,
        player=player,
        graph_node=gnode,
        trail=trail,
        node_start=starts,
        parent=e_parent.astype(np.int32),
        child=children.astype(np.int32),
        prob=prob[children],
        slot=slot[children].astype(np.int16),
        edge_start=edge_start,
        utility=utility,
        graph=graph,
        states=sum(1 for sig in graph.sig if sig),  # the chance nodes after a choice are no states
    )
