"""A sampled search tree whose leaves are played out to the end: the expert's search.

From a decision, the tree holds every legal move and every outcome of it at its exact
probability. Below that, for ``depth`` more decisions: the world's event rolls up to the next
decision are sampled along ``paths`` lines of luck (line ``k`` takes the ``k``-th draw of every
position, the same for every branch: common random numbers; lines that meet are merged), and
the next decision is expanded like the first, every move and outcome exactly. Where the depth
runs out, a leaf: its state is played to the end ``playouts`` times through the batch engine
(:mod:`game.analysis.rollouts`), every role following the rollout lineup, all leaves of the
tree in one batch and on shared streams. A game that ended inside the tree is valued exactly.

Values flow up by the aim (:mod:`game.core.aim`): chance nodes take expectations; at each
decision the role to move takes the option best for itself by expected score, then chance of
winning, the first in file order on ties. Every node carries each role's expected score and
chance of winning, and the variance of its estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from game.ai import exact
from game.ai.bargain import considered
from game.core.information import apparent
from game.core.model import WORLD
from game.core.state import Move, State, pick


@dataclass
class Node:
    """A node of the tree: an ending, a leaf to play out, a chance split, or a role's choice."""

    kind: str  # "end", "leaf", "chance" or "choice"
    state: State | None = None
    value: exact.Value | None = None
    variance: tuple[float, ...] = ()
    children: list[tuple[float, Node]] = field(default_factory=list)  # chance: (probability, node)
    options: list[tuple[Move, Node]] = field(default_factory=list)  # choice: (move, node)
    role: int = -1  # choice: the index of the role to move


class Builder:
    """Grows one decision's tree; remembers what each state leads to while it grows."""

    def __init__(self, paths: int, draws):
        self.paths = paths
        self.draws = draws  # per-position tables: draw ``k`` of line ``k`` (game.analysis.paired)
        self.leaves: list[Node] = []
        self._successors: dict[tuple, list] = {}
        self._roles: tuple[str, ...] = ()

    def decision(self, state: State, depth: int, moves: Sequence[Move] | None = None) -> Node:
        """A role's decision at ``state``, with ``depth`` decisions still to expand below its moves
        (``moves``, or every legal move; below the root a channel's offers are cut to its best)."""
        self._roles = tuple(state.scenario.roles)
        node = Node("choice", state, role=self._roles.index(state.current_role()))
        if moves is None:
            moves = considered(state, state.legal_actions(), env=apparent(state, state.current_role()))
        for move in moves:
            node.options.append((move, self.after_move(state, move, depth)))
        return node

    def after_move(self, state: State, move: Move, depth: int) -> Node:
        """Every outcome of ``move`` at its exact probability."""
        node = Node("chance")
        for _, p, after in self.successors(state, move):
            node.children.append((p, self.settled(after, depth)))
        return node

    def settled(self, state: State, depth: int) -> Node:
        """The node for a state right after a step."""
        if state.is_over():
            return Node("end", state, exact.ending_value(state))
        if depth <= 0:
            leaf = Node("leaf", state)
            self.leaves.append(leaf)
            return leaf
        if state.current_role() == WORLD:
            return self.rolls(state, depth)
        return self.decision(state, depth - 1)

    def rolls(self, state: State, depth: int) -> Node:
        """The world's rolls up to the next decision or ending, along the sampled lines of luck."""
        reached: dict[tuple, list] = {}
        for k in range(self.paths):
            end = self.walk(state, k)
            reached.setdefault(exact.key_of(end), [end, 0])[1] += 1
        node = Node("chance")
        for end, count in reached.values():
            node.children.append((count / self.paths, self.settled(end, depth)))
        return node

    def walk(self, state: State, k: int) -> State:
        """The state that line ``k`` of luck reaches from ``state`` once the world has rolled."""
        while not state.is_over() and state.current_role() == WORLD:
            event = state.legal_actions()[0]
            following = self.successors(state, event)
            u = float(self.draws.table(_position(state))[k, 0])
            chosen = pick([(outcome, p) for outcome, p, _ in following], u)
            state = next(after for outcome, _, after in following if outcome is chosen)
        return state

    def successors(self, state: State, move: Move) -> list:
        key = (exact.key_of(state), move.id)
        found = self._successors.get(key)
        if found is None:
            found = self._successors[key] = state.successors(move)
        return found


def _position(state: State) -> int:
    """The batch engine's position of a state (turn and step), for the draw tables."""
    per_turn = len(state.scenario.turn_order) + len(state.scenario.event_list)
    return (state.turn - 1) * per_turn + state.step


def value_leaves(leaves: list[Node], scores: np.ndarray, wins: np.ndarray) -> None:
    """Give each leaf its playouts' means and the variance of its mean score."""
    for leaf, leaf_scores, leaf_wins in zip(leaves, scores, wins):
        count = leaf_scores.shape[0]
        leaf.value = exact.Value(
            tuple(float(x) for x in leaf_scores.mean(axis=0)), tuple(float(x) for x in leaf_wins.mean(axis=0))
        )
        spread = leaf_scores.var(axis=0, ddof=1) / count if count > 1 else np.zeros(leaf_scores.shape[1])
        leaf.variance = tuple(float(x) for x in spread)


def back_up(node: Node) -> exact.Value:
    """Every node's value from its leaves' (an ending's is exact): expectations and choices."""
    if node.kind in ("end", "leaf"):
        if not node.variance:
            node.variance = (0.0,) * len(node.value.scores)
        return node.value
    if node.kind == "chance":
        n = None
        scores = wins = variance = None
        for p, child in node.children:
            value = back_up(child)
            if n is None:
                n = len(value.scores)
                scores, wins, variance = [0.0] * n, [0.0] * n, [0.0] * n
            for i in range(n):
                scores[i] += p * value.scores[i]
                wins[i] += p * value.wins[i]
                variance[i] += p * p * child.variance[i]
        node.value = exact.Value(tuple(scores), tuple(wins))
        node.variance = tuple(variance)
        return node.value
    values = [back_up(child) for _, child in node.options]
    chosen = node.options[exact.best(values, node.role)][1]
    node.value, node.variance = chosen.value, chosen.variance
    return node.value
