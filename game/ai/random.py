"""The random policy: every legal choice equally likely.

A choice is a move, except that all the offers through one channel make one choice (then one of
them, equally likely): :func:`game.ai.bargain.choices`. Without bargaining every move is a choice.
"""

from __future__ import annotations

import numpy as np

from game.ai.bargain import choices
from game.core.state import Move, State


def pick_choice(groups: list[tuple[Move, ...]], u: float) -> Move:
    """The move one uniform ``u`` selects: a choice by ``int(u * n)``, then within it by what is
    left of ``u`` (the batch engine repeats this arithmetic)."""
    n = len(groups)
    k = min(int(u * n), n - 1)
    group = groups[k]
    if len(group) == 1:
        return group[0]
    rest = u * n - k
    return group[min(int(rest * len(group)), len(group) - 1)]


class RandomPolicy:
    """Uniform over the legal choices, in file order; takes exactly one uniform draw."""

    name = "random"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return pick_choice(choices(state, state.legal_actions()), float(rng.random()))

    def explain(self, state: State) -> str:
        return f"picks one of its {len(choices(state, state.legal_actions()))} open choices at random"
