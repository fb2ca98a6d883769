"""Reading a game's bargaining: what is on the table, what was agreed and kept, what a deal is worth.

The loader builds bargaining from ordinary moves and internal variables
(:mod:`game.scenario.negotiation`); this module reads them back for the AI, the ending and the
tests. Functions that take a state read the truth: a face shows a role only what
:func:`offer_to` and :func:`offers_from` work out from that role's own observation.

What a deal is worth to a role is the sum of its terms' worth to that role, each term the other
side owes counted at the channel's guarantee (a promise is only as good as the word behind it).
A channel may add a worth of its own (a guarantor's protection, say). A role would accept a
package when that worth is above its bottom line. The arithmetic is spelt
out (sums from ``0.0`` in the package's order) so that the batch engine can repeat it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.core.model import Answer, Channel, Negotiation, Offer, Package, Scenario

if TYPE_CHECKING:
    from game.core.information import Observation
    from game.core.state import State


@dataclass(frozen=True)
class Pending:
    """The offer on the table: its package and the channel it came by."""

    package: Package
    channel: Channel

    @property
    def sender(self) -> str:
        return self.package.sender

    @property
    def recipient(self) -> str:
        return self.package.recipient

    @property
    def terms(self) -> tuple[str, ...]:
        return self.package.terms


def pending(state: State) -> Pending | None:
    """What is on the table now (the truth)."""
    deal = state.scenario.negotiation
    if deal is None:
        return None
    package = deal.package(int(state.value(deal.pending["package"])))
    channel = deal.channel_numbered(int(state.value(deal.pending["channel"])))
    if package is None or channel is None:
        return None
    return Pending(package, channel)


def due(state: State) -> int:
    """The last turn in which the offer on the table can be answered (0 when there is none)."""
    deal = state.scenario.negotiation
    return 0 if deal is None else int(state.value(deal.pending["due"]))


def settled(state: State) -> bool:
    """Whether a struck deal has settled the crisis (its last moves are being made)."""
    deal = state.scenario.negotiation
    return deal is not None and "settled" in deal.pending and bool(state.value(deal.pending["settled"]))


def agreed(state: State) -> tuple[str, ...]:
    """The terms agreed so far, in the file's order."""
    deal = state.scenario.negotiation
    return () if deal is None else tuple(t for t in deal.terms if state.value(t))


def broken(state: State) -> tuple[str, ...]:
    """The agreed terms that were broken afterwards."""
    deal = state.scenario.negotiation
    return () if deal is None else tuple(t for t in agreed(state) if state.value(deal.broken[t]))


def carried_by(state: State, term: str) -> Channel | None:
    """The channel through which an agreed term was agreed."""
    deal = state.scenario.negotiation
    return None if deal is None else deal.channel_numbered(int(state.value(deal.via[term])))


# what a deal is worth ------------------------------------------------------------------------


def guarantee(channel: Channel, env: Sequence[float]) -> float:
    """How far promises carried by ``channel`` can be trusted now, within 0..1."""
    return min(max(channel.guarantee(env), 0.0), 1.0)


def worth(deal: Negotiation, env: Sequence[float], role: str, terms: Sequence[str], channel: Channel) -> float:
    """What agreeing to ``terms`` through ``channel`` is worth to ``role`` in ``env``: the channel's own
    worth first, then each term's."""
    trust = guarantee(channel, env)
    own = channel.worth_to(role)
    total = 0.0 if own is None else own(env)
    for tid in terms:
        term = deal.terms[tid]
        expr = term.worth_to(role)
        if expr is None:
            continue
        value = expr(env)
        if term.owed_by != role:
            value = value * trust
        total += value
    return total


def bottom_line(deal: Negotiation, env: Sequence[float], role: str) -> float:
    """The least a deal must be worth to ``role`` before it is worth accepting."""
    expr = deal.bottom_line_of(role)
    return 0.0 if expr is None else expr(env)


def acceptable(deal: Negotiation, env: Sequence[float], terms: Sequence[str], channel: Channel) -> bool:
    """Whether the recipient would gain by accepting ``terms`` sent through ``channel``, by its
    own valuation in ``env`` (the scenario's worth and bottom line)."""
    role = channel.recipient
    return worth(deal, env, role, terms, channel) > bottom_line(deal, env, role)


def offer_of(scenario: Scenario, move_id: str) -> Offer | None:
    deal = scenario.negotiation
    return None if deal is None else deal.offers.get(move_id)


def answer_of(scenario: Scenario, move_id: str) -> Answer | None:
    deal = scenario.negotiation
    return None if deal is None else deal.answers.get(move_id)


# what a role knows of the table ----------------------------------------------------------------


LAPSE = "_deal_lapse"  # the id of the internal event that ends an unanswered offer's time


def offer_to(scenario: Scenario, observation: Observation) -> Answer | None:
    """The offer waiting for ``observation``'s role, as it knows it: from its own open moves."""
    for move_id in observation.legal:
        answer = answer_of(scenario, move_id)
        if answer is not None and answer.kind == "accept":
            return answer
    return None


def offers_from(scenario: Scenario, observation: Observation) -> tuple[Offer, ...]:
    """The offers ``observation``'s role has made so far, from its own feed, oldest first."""
    out = []
    for entry in observation.feed:
        offer = offer_of(scenario, entry.action)
        if offer is not None and entry.role == observation.role:
            out.append(offer)
    return tuple(out)


def standing(scenario: Scenario, observation: Observation) -> Offer | None:
    """The role's own offer that got through and still waits for an answer, as the role knows it
    from its own feed: until an answer to it, an offer of the other side that got through in its
    place, or the end of its time (each of which the sender is always shown)."""
    deal = scenario.negotiation
    if deal is None:
        return None
    found = None
    for entry in observation.feed:
        offer = offer_of(scenario, entry.action)
        if offer is not None:
            if entry.outcome in deal.channels[offer.channel].delivers:
                found = offer if entry.role == observation.role else None
            continue
        if entry.action in deal.answers or entry.action == LAPSE:
            found = None
    return found
