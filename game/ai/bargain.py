"""Bargaining for the AI: small valuations every policy can call.

* :func:`leaf` is what a state is worth to a role before the game ends, counting the table: once a
  struck deal settles the crisis, the score of the ending it leads to; while an offer the role
  made is on the table and the other side would accept it, the role's objective plus what the
  deal is worth to it; otherwise the objective. Greedy and lookahead value their leaves with it,
  so they make offers the other side would take and accept what beats playing on.
* :func:`choices` groups a role's open moves as a person sees them: each move on its own, and all
  the offers through one channel as one choice. The random and weighted policies draw a choice
  first, so that a channel with thirty packages is not thirty times as likely as anything else.
* :func:`worth_making` says which offers are worth making (the sender gains, the recipient would
  accept); :func:`considered` keeps, of each channel's offers, the few best for the sender, which
  is all a search needs to look at.
* :func:`acceptance` is the chance that an offer is accepted as the proposer can tell it from its
  own belief: the chance it arrives (the belief's odds of the channel's outcomes) times the
  share of the truths the proposer cannot rule out in which the other side would gain by it.

Judging by the scenario's worth and bottom line is how these policies bargain. The functions
read the truth by default; a policy that decides for a role passes the values as that role makes
them out (:func:`game.core.information.apparent`), or searches states the role cannot rule out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.core import negotiation as deals
from game.core.belief import Belief, odds
from game.core.model import Offer
from game.core.state import Move, State

KEEP_PER_CHANNEL = 2  # the offers of each channel a search looks at


def leaf(state: State, role: str) -> float:
    """``role``'s value of ``state`` before its end, counting the offer on the table."""
    deal = state.scenario.negotiation
    if deal is None:
        return state.objective(role)
    env = state.env
    if deal.settles and deals.settled(state):
        return settle_score(state, role)
    base = state.objective(role)
    table = deals.pending(state)
    if table is None or table.sender != role or not deals.acceptable(deal, env, table.terms, table.channel):
        return base
    return base + deals.worth(deal, env, role, table.terms, table.channel)


def settle_score(state: State, role: str) -> float:
    """What the ending a settled deal leads to gives ``role``, as things stand."""
    ending = state.scenario.endings[state.scenario.negotiation.settles]
    given = dict(ending.scores).get(role)
    return 0.0 if given is None else given(state.env)


def worth_to(state: State, role: str, offer: Offer, env: Sequence[float] | None = None) -> float:
    """What ``offer`` would be worth to ``role`` if accepted, in ``env`` (the truth by default)."""
    deal = state.scenario.negotiation
    return deals.worth(deal, state.env if env is None else env, role, offer.terms, deal.channels[offer.channel])


def worth_making(state: State, offer: Offer, env: Sequence[float] | None = None) -> bool:
    """Whether the sender gains by ``offer`` and the recipient would accept it, in ``env`` (the
    truth by default; a policy passes the values as its role makes them out)."""
    deal = state.scenario.negotiation
    channel = deal.channels[offer.channel]
    env = state.env if env is None else env
    return deals.worth(deal, env, offer.sender, offer.terms, channel) > 0 and deals.acceptable(
        deal, env, offer.terms, channel
    )


def choices(state: State, moves: Sequence[Move]) -> list[tuple[Move, ...]]:
    """``moves`` as a person chooses among them: one choice each, the offers of a channel together
    (in the order of their first move; a channel's offers stand together in file order)."""
    out: list[tuple[Move, ...]] = []
    where: dict[str, int] = {}
    for move in moves:
        offer = deals.offer_of(state.scenario, move.id)
        if offer is None:
            out.append((move,))
        elif offer.channel in where:
            out[where[offer.channel]] += (move,)
        else:
            where[offer.channel] = len(out)
            out.append((move,))
    return out


def considered(
    state: State, moves: Sequence[Move], keep: int = KEEP_PER_CHANNEL, env: Sequence[float] | None = None
) -> list[Move]:
    """``moves`` with each channel's offers cut to the ``keep`` best for the sender: those the
    recipient would accept first, then by their worth to the sender (file order breaks ties),
    judged in ``env`` (the truth by default)."""
    if state.scenario.negotiation is None:
        return list(moves)
    kept: set[str] = set()
    for group in choices(state, moves):
        offers = [(m, deals.offer_of(state.scenario, m.id)) for m in group]
        if offers[0][1] is None or len(group) <= keep:
            kept.update(m.id for m in group)
            continue
        ranked = sorted(
            range(len(offers)),
            key=lambda i: (
                not worth_making(state, offers[i][1], env),
                -worth_to(state, offers[i][1].sender, offers[i][1], env),
                i,
            ),
        )
        kept.update(offers[i][0].id for i in ranked[:keep])
    return [m for m in moves if m.id in kept]


@dataclass(frozen=True)
class Acceptance:
    """An offer's chance of being accepted as its sender can tell: the mean over its belief and
    the range over the truths it cannot rule out (``arrives`` alone: the chance it gets there)."""

    chance: float
    low: float
    high: float
    arrives: float

    @property
    def exact(self) -> bool:
        return self.low == self.high


def acceptance(belief: Belief, move: Move) -> Acceptance:
    """How likely the other side is to accept ``move`` (an offer of the belief's role), judged from
    that belief alone: arrival by the belief's own odds of the channel's outcomes, and the
    recipient's gain in each truth the role cannot rule out."""
    scenario = belief.scenario
    offer = deals.offer_of(scenario, move.id)
    if offer is None:
        raise ValueError(f"'{move.id}' is not an offer")
    channel = scenario.negotiation.channels[offer.channel]
    arrives = sum(o.chance for o in odds(belief, move) if o.outcome in channel.delivers)
    mean, low, high = 0.0, 1.0, 0.0
    for particle in belief.particles:
        state = particle.state
        p_arrive = sum(p for o, p in state.outcomes(move) if o.id in channel.delivers)
        yes = p_arrive if deals.acceptable(scenario.negotiation, state.env, offer.terms, channel) else 0.0
        mean += particle.weight * yes
        low, high = min(low, yes), max(high, yes)
    if not belief.particles:
        low = 0.0
    return Acceptance(mean, low, high, arrives)
