"""Bargaining on many games at once: the tables and valuations the vectorised policies need.

Each function repeats one of :mod:`game.core.negotiation` or :mod:`game.ai.bargain` over arrays,
with the same floating-point operations in the same order, so that a single game chooses exactly
as the one-game policies do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.core.model import Channel, Negotiation, Offer, Scenario

Subset = Callable[[np.ndarray], object]  # the environment of some of the games, by their columns


@dataclass(frozen=True)
class Block:
    """The rows of one channel's offers among a role's moves: ``start`` to ``stop``."""

    start: int
    stop: int
    channel: Channel


class Tables:
    """Where bargaining sits in a scenario's moves, worked out once."""

    def __init__(self, scenario: Scenario):
        deal = scenario.negotiation
        assert deal is not None
        self.deal: Negotiation = deal
        self.roles = tuple(scenario.roles)
        slots = scenario.slots
        self.package = slots[deal.pending["package"]]
        self.channel = slots[deal.pending["channel"]]
        self.settled = slots[deal.pending["settled"]] if "settled" in deal.pending else None
        self.sender_of = np.asarray([-1] + [self.roles.index(p.sender) for p in deal.packages], dtype=np.int64)
        self.blocks: dict[str, tuple[Block, ...]] = {}
        self.offers: dict[str, tuple[Offer | None, ...]] = {}
        self.answers: dict[str, tuple[str, ...]] = {}
        for role in self.roles:
            moves = scenario.actions_of(role)
            offers = tuple(deal.offers.get(a.id) for a in moves)
            self.offers[role] = offers
            self.answers[role] = tuple(deal.answers[a.id].kind if a.id in deal.answers else "" for a in moves)
            blocks, j = [], 0
            while j < len(offers):
                if offers[j] is None:
                    j += 1
                    continue
                k = j
                while k < len(offers) and offers[k] is not None and offers[k].channel == offers[j].channel:
                    k += 1
                blocks.append(Block(j, k, deal.channels[offers[j].channel]))
                j = k
            self.blocks[role] = tuple(blocks)


def clamped(x):
    """``min(max(x, 0.0), 1.0)`` with Python's rules (NaN stays NaN)."""
    if isinstance(x, float):
        return min(max(x, 0.0), 1.0)
    x = np.where(0.0 > x, 0.0, x)
    return np.where(1.0 < x, 1.0, x)


def _many(expr, env, n: int, memo: dict | None):
    """``expr.many(env, n)``, read from ``memo`` when it was worked out on the same games before."""
    if memo is None:
        return expr.many(env, n)
    found = memo.get(id(expr))
    if found is None:
        found = memo[id(expr)] = expr.many(env, n)
    return found


def worth(deal: Negotiation, env, n: int, role: str, terms, channel: Channel, memo: dict | None = None) -> np.ndarray:
    """:func:`game.core.negotiation.worth` over ``n`` games (``memo``: expressions already
    worked out on these games, by id, for valuing several offers on the same games)."""
    trust = clamped(_many(channel.guarantee, env, n, memo))
    own = channel.worth_to(role)
    total = np.zeros(n) if own is None else _many(own, env, n, memo)
    for tid in terms:
        term = deal.terms[tid]
        expr = term.worth_to(role)
        if expr is None:
            continue
        value = _many(expr, env, n, memo)
        if term.owed_by != role:
            value = value * trust
        total = total + value
    return total


def bottom_line(deal: Negotiation, env, n: int, role: str, memo: dict | None = None) -> np.ndarray:
    expr = deal.bottom_line_of(role)
    return np.zeros(n) if expr is None else _many(expr, env, n, memo)


def acceptable(deal: Negotiation, env, n: int, terms, channel: Channel, memo: dict | None = None) -> np.ndarray:
    """:func:`game.core.negotiation.acceptable` over ``n`` games."""
    role = channel.recipient
    return worth(deal, env, n, role, terms, channel, memo) > bottom_line(deal, env, n, role, memo)


def worth_making(deal: Negotiation, env, n: int, offer: Offer, memo: dict | None = None) -> np.ndarray:
    """:func:`game.ai.bargain.worth_making` over ``n`` games."""
    channel = deal.channels[offer.channel]
    gains = worth(deal, env, n, offer.sender, offer.terms, channel, memo) > 0
    return gains & acceptable(deal, env, n, offer.terms, channel, memo)


def on_table(tables: Tables, env, n: int, only: np.ndarray | None = None):
    """The games with an offer on the table, by (package, channel): yields ``(package, channel,
    columns)`` for each pair that occurs among the columns ``only`` (None: every game)."""
    package = np.asarray(env[tables.package], dtype=np.float64)
    channel = np.asarray(env[tables.channel], dtype=np.float64)
    live = package > 0
    if only is not None:
        live &= only
    if not live.any():
        return
    code = package * 1024 + channel
    for value in np.unique(code[live]):
        cols = np.flatnonzero(live & (code == value))
        number, via = divmod(int(value), 1024)
        chan = tables.deal.channel_numbered(via)
        pack = tables.deal.package(number)
        if chan is not None and pack is not None:
            yield pack, chan, cols


def pending_acceptable(tables: Tables, env, n: int, subset: Subset) -> np.ndarray:
    """Whether what is on the table in each game is worth accepting to its recipient."""
    out = np.zeros(n, dtype=bool)
    for pack, chan, cols in on_table(tables, env, n):
        out[cols] = acceptable(tables.deal, subset(cols), cols.size, pack.terms, chan)
    return out
