"""The random policy: every legal move equally likely."""

from __future__ import annotations

import numpy as np

from game.core.state import Move, State


class RandomPolicy:
    """Uniform over the legal moves, in file order; takes exactly one uniform draw."""

    name = "random"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        moves = state.legal_actions()
        index = min(int(rng.random() * len(moves)), len(moves) - 1)
        return moves[index]

    def explain(self, state: State) -> str:
        return f"picks one of its {len(state.legal_actions())} open moves at random"
