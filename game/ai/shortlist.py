"""A shorter list of offers for the expert's playouts, from what the searching role makes out.

A bargaining scenario gives each role a hundred or more offers (every package of terms through
every channel). A cheap playout policy that weighs them all at every step of every playout costs
more than the rest of the search together. Before a search, the expert keeps for each role the
offers of each channel that :func:`game.ai.bargain.considered` ranks best, judged on the values
as the *searching* role makes them out (never the truth), and the playouts' policies choose among
the other moves and those offers only. Answers (accept, reject, counter) are never cut.

The list is fixed for one decision: its playouts do not re-rank offers as their games move on.
A game in which no listed move is open plays from its whole list of open moves.
"""

from __future__ import annotations

import numpy as np

from game.ai.bargain import considered
from game.core.information import apparent
from game.core.state import State


def allowed(state: State, role: str, plan) -> dict[str, np.ndarray]:
    """For each role of ``plan``, which of its moves (``plan.moves_of``) the playouts may make."""
    scenario = state.scenario
    deal = scenario.negotiation
    out = {}
    seen = apparent(state, role)
    for name in plan.roles:
        moves = plan.moves_of[name]
        offers = [m for m in moves if deal is not None and m.id in deal.offers]
        keep = {m.id for m in considered(state, offers, env=seen)} if offers else set()
        out[name] = np.array([m.id not in deal.offers or m.id in keep for m in moves] if deal else [True] * len(moves))
    return out


class Shortlisted:
    """A vectorised policy choosing as ``base`` does, among the moves ``allowed`` lets it make."""

    def __init__(self, base, allowed: np.ndarray):
        self.base = base
        self.name = base.name
        self.allowed = allowed

    def choose(self, ctx):
        from game.analysis.batch import Context

        legal = ctx.legal & self.allowed[:, None]
        none = ~legal.any(axis=0)
        if none.any():
            legal = np.where(none[None, :], ctx.legal, legal)
        return self.base.choose(Context(ctx.plan, ctx.role, ctx.pos, ctx.rows, ctx.env, legal, ctx.rng))
