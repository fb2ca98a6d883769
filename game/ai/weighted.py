"""The weighted policy: moves drawn by the scenario's ``ai_weight`` hints.

Draw protocol (the batch engine reproduces it bit for bit): weights are the legal moves'
``ai_weight`` in file order, read on the state as the role to move can make it out
(:func:`game.core.information.apparent`; 1 when absent, negative or NaN -> 0; all zero -> every weight 1),
``total = math.fsum(weights)``, the pairs are ``(move, w / total)`` for the moves with ``w > 0``,
and exactly one ``rng.random()`` picks among them with :func:`game.core.state.pick`.
"""

from __future__ import annotations

import math

import numpy as np

from game.core.errors import IllegalAction
from game.core.information import apparent
from game.core.state import Move, State, pick


def hint(move: Move, state: State) -> float:
    """The designer's weight for ``move`` now, read as the role to move sees the state: 1 without
    a hint, never below 0."""
    weight = getattr(move, "ai_weight", None)
    if weight is None:
        return 1.0
    w = weight(apparent(state, state.current_role()))
    return w if w > 0 else 0.0


def odds(state: State) -> list[tuple[Move, float]]:
    """Each legal move the policy may pick, with its probability (file order, zeros left out)."""
    moves = state.legal_actions()
    if not moves:
        raise IllegalAction(f"{state.current_role() or 'nobody'} has no move to choose from")
    weights = [hint(move, state) for move in moves]
    total = math.fsum(weights)
    if total <= 0:
        weights = [1.0] * len(moves)
        total = float(len(moves))
    return [(move, w / total) for move, w in zip(moves, weights) if w > 0]


class WeightedPolicy:
    """Plays like the designer's sketch of a plausible person: likely moves more often."""

    name = "weighted"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return pick(odds(state), float(rng.random()))

    def explain(self, state: State) -> str:
        move, p = max(odds(state), key=lambda pair: pair[1])
        return f"leans towards '{move.title}' ({p:.0%} likely) but may surprise"
