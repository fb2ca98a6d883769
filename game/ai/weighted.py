"""The weighted policy: moves drawn by the scenario's ``ai_weight`` hints.

Draw protocol (the batch engine reproduces it bit for bit): the legal moves are grouped into
choices (:func:`game.ai.bargain.choices`: the offers through one channel make one choice). A
choice's weight is its move's ``ai_weight`` (for a channel's offers: the channel's), 1 when
absent, negative or NaN -> 0; accepting what is on the table weighs the negotiation's hint if the
deal is worth accepting and 0 if not, turning it down 1 if not and 0 if it is; all weights zero
-> every weight 1. Every weight and worth is read on the values as the role to move can make them
out (:func:`game.core.information.apparent`); what is on the table is known to the role answering
it (its accept moves name the package). ``total = math.fsum(weights)``; a choice's probability is
``w / total``; a channel's share goes in equal parts to its offers worth making (the sender gains,
the other side would accept, as the sender judges), or to all its open offers when none is. The pairs ``(move, p)`` with ``p > 0``, in
file order, and exactly one ``rng.random()`` pick the move with :func:`game.core.state.pick`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from game.ai.bargain import choices, worth_making
from game.core import negotiation as deals
from game.core.errors import IllegalAction
from game.core.information import apparent
from game.core.state import Move, State, pick


def hint(move: Move, state: State, seen: Sequence[float] | None = None) -> float:
    """The designer's weight for ``move`` now, read as the role to move sees the state (``seen``,
    worked out when not given): 1 without a hint, never below 0."""
    if seen is None:
        seen = apparent(state, state.current_role())
    answer = deals.answer_of(state.scenario, move.id)
    if answer is not None and answer.kind in ("accept", "reject"):
        return _answer_hint(answer.kind, state, seen)
    weight = getattr(move, "ai_weight", None)
    if weight is None:
        return 1.0
    w = weight(seen)
    return w if w > 0 else 0.0


def _answer_hint(kind: str, state: State, seen: Sequence[float]) -> float:
    deal = state.scenario.negotiation
    table = deals.pending(state)  # the role answering it knows what is on the table
    good = table is not None and deals.acceptable(deal, seen, table.terms, table.channel)
    if kind == "reject":
        return 0.0 if good else 1.0
    if not good:
        return 0.0
    hint = deal.accept_weight_of(state.current_role())
    if hint is None:
        return 1.0
    w = hint(seen)
    return w if w > 0 else 0.0


def odds(state: State) -> list[tuple[Move, float]]:
    """Each legal move the policy may pick, with its probability (file order, zeros left out)."""
    moves = state.legal_actions()
    if not moves:
        raise IllegalAction(f"{state.current_role() or 'nobody'} has no move to choose from")
    seen = apparent(state, state.current_role())
    groups = choices(state, moves)
    weights = [hint(group[0], state, seen) for group in groups]
    total = math.fsum(weights)
    if total <= 0:
        weights = [1.0] * len(groups)
        total = float(len(groups))
    pairs = []
    for group, w in zip(groups, weights):
        share = w / total
        if len(group) == 1:
            pairs.append((group[0], share))
            continue
        making = [worth_making(state, deals.offer_of(state.scenario, m.id), seen) for m in group]
        if not any(making):
            making = [True] * len(group)
        count = sum(making)
        pairs.extend((m, share / count if good else 0.0) for m, good in zip(group, making))
    return [(move, p) for move, p in pairs if p > 0]


class WeightedPolicy:
    """Plays like the designer's sketch of a plausible person: likely moves more often."""

    name = "weighted"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return pick(odds(state), float(rng.random()))

    def explain(self, state: State) -> str:
        move, p = max(odds(state), key=lambda pair: pair[1])
        return f"leans towards '{move.title}' ({p:.0%} likely) but may surprise"
