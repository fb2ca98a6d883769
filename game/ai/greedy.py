"""The greedy policy: the move with the best expected value one step ahead; no chance draws."""

from __future__ import annotations

import numpy as np

from game.ai.value import expected_value
from game.core.errors import IllegalAction
from game.core.state import Move, State


def best_move(state: State) -> tuple[Move, float]:
    """The current role's best move by one-step expected value, and that value.

    Ties go to the first move in file order (strict comparison), so the choice is reproducible
    by the batch engine.
    """
    role = state.current_role()
    best: Move | None = None
    best_value = 0.0
    for move in state.legal_actions():
        expected = expected_value(state, move, role)
        if best is None or expected > best_value:
            best, best_value = move, expected
    if best is None:
        raise IllegalAction(f"{role or 'nobody'} has no move to choose from")
    return best, best_value


class GreedyPolicy:
    """Maximises the exact expected value of the next state for the role to move."""

    name = "greedy"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return best_move(state)[0]

    def explain(self, state: State) -> str:
        move, expected = best_move(state)
        return f"expects '{move.title}' to leave it at {expected:.1f} by its objective, the best one step ahead"
