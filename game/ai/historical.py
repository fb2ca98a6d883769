"""The historical policy: does what really happened when history records a move for this turn.

The first legal move (file order) whose ``history.turns`` lists the current turn is played;
on turns that history says nothing about, the greedy choice. It takes no chance draws.
"""

from __future__ import annotations

import numpy as np

from game.ai.greedy import best_move
from game.core.state import Move, State


def historical_move(state: State) -> Move | None:
    """The first legal move that history records for this turn, or None."""
    for move in state.legal_actions():
        if move.history is not None and state.turn in move.history.turns:
            return move
    return None


class HistoricalPolicy:
    """Replays history's choices where it can and plays greedily elsewhere."""

    name = "historical"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        move = historical_move(state)
        return move if move is not None else best_move(state)[0]

    def explain(self, state: State) -> str:
        move = historical_move(state)
        if move is not None:
            when = f" ({move.history.when})" if move.history.when else ""
            return f"follows history: '{move.title}'{when}"
        move, expected = best_move(state)
        return f"history is silent now; expects '{move.title}' to leave it at {expected:.1f} by its objective"
