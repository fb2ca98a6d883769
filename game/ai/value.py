"""How a policy judges a state: the role's score once the game is over, its objective before
(counting the offer on the table where the scenario bargains: :func:`game.ai.bargain.leaf`).

Greedy and lookahead share these definitions, and the batch engine vectorises the same ones,
so the arithmetic here is spelt out: sums run in outcome order from ``0.0`` with plain ``+=``.
"""

from __future__ import annotations

from game.ai.bargain import leaf
from game.core.state import Move, State


def value(state: State, role: str) -> float:
    """``role``'s score if ``state`` has ended, else its objective (and what is on the table)."""
    if state.is_over():
        return state.scores()[role]
    return leaf(state, role)


def values(state: State) -> tuple[float, ...]:
    """:func:`value` for every role, in the scenario's role order."""
    if state.is_over():
        scores = state.scores()
        return tuple(scores[role] for role in state.scenario.roles)
    return tuple(leaf(state, role) for role in state.scenario.roles)


def expected_value(state: State, move: Move, role: str) -> float:
    """The exact expected :func:`value` for ``role`` one step after ``move``."""
    total = 0.0
    for _, p, following in state.successors(move):
        total += p * value(following, role)
    return total
