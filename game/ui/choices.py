"""A side's choices as the turn screen lists them, with the odds that side can work out.

Bargaining's offers and answers, one move per package of terms, are not listed one by one: the
group shows one card that opens the offer panel and, while an offer waits for the side, one
that opens the answer dialog (:mod:`game.ui.scenes.talks`); their ids are :data:`COMPOSE` and
:data:`ANSWER`. Keeping to a struck deal and breaking a term stay ordinary cards.

The odds on a card come from the side's own belief (:mod:`game.core.belief`): the chance of each
outcome over every truth the side cannot rule out, never the truth itself. Following a belief
can take a good part of a second, so it is worked out on the window's worker thread; the cards
show at once, and their odds arrive when the work is done.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from game import talks
from game.core import belief as beliefs
from game.core import foresight
from game.core import negotiation as deals
from game.core.model import Scenario
from game.core.state import State
from game.scenario.groups import grouped
from game.ui.readings import outcome_title
from game.ui.widgets.cards import KEYS, Card

COMPOSE = "talks:offer"
ANSWER = "talks:answer"

Odds = dict[str, tuple[tuple[str, str, float, float, float], ...]]  # action -> (outcome, title, chance, low, high)


def make_cards(state: State, role: str, odds: Odds | None) -> list[Card]:
    """Every action of ``role`` in listing order, with its key; ``odds`` None while they are worked out."""
    open_ids = {a.id for a in state.legal_actions()}
    deal = state.scenario.negotiation
    cards = []
    listed = listing(state, role)
    for index, (group, action) in enumerate(listed):
        key = KEYS[index] if index < len(KEYS) else ""  # a card's key is its place, shown or not
        if deal is not None and action.id not in open_ids and deal.generated(action.id):
            continue  # keeping to a deal or breaking a term: shown once a deal makes it open
        if action.id in (COMPOSE, ANSWER):
            cards.append(talks_card(state, role, action.id, group, key))
            continue
        history = action.history.when if action.history else ""
        text = state.render(action.description, role)
        if action.id in open_ids:
            rows = () if odds is None else odds.get(action.id, ())
            found = tuple(row[1:] for row in rows)
            does = tuple(_does(state, role, action, row[0]) for row in rows)
            card = Card(action.id, action.title, text, found, history=history, group=group, key=key)
            cards.append(replace(card, reckoning=odds is None, effects=does))
        else:
            reason = state.render(action.unavailable, role)
            cards.append(Card(action.id, action.title, text, (), False, reason, history, group, key))
    return cards


def _does(state: State, role: str, action, outcome_id: str) -> str:
    """What one outcome of the card's move does, in the values the side sees."""
    try:
        outcome = action.outcome(outcome_id)
    except KeyError:
        return ""
    return foresight.summary(state, role, outcome)


@dataclass(frozen=True)
class Stand:
    """A card that stands for many bargaining moves (it has an id and nothing else of an action)."""

    id: str


def listing(state: State, role: str) -> list[tuple[str, object]]:
    """``role``'s cards in order: its actions, with every offer and every accept or reject folded
    into the cards that stand for them (the answer's, then the panel's) at the place of the first."""
    deal = state.scenario.negotiation
    out: list[tuple[str, object]] = []
    folded = False
    for group, actions in grouped(state.scenario, role):
        for action in actions:
            if _folded(deal, action.id) is None:
                out.append((group, action))
            elif not folded:
                folded = True
                kinds = {_folded(deal, a.id) for a in state.scenario.actions.values() if a.role == role}
                out += [(group, Stand(kind)) for kind in (ANSWER, COMPOSE) if kind in kinds]
    return out


def _folded(deal, move_id: str) -> str | None:
    if deal is None:
        return None
    if move_id in deal.offers:
        return COMPOSE
    answer = deal.answers.get(move_id)
    if answer is not None and answer.kind in ("accept", "reject"):
        return ANSWER
    return None


def talks_card(state: State, role: str, which: str, group: str, key: str) -> Card:
    """The card that opens the offer panel or the answer dialog, open while there is something to do."""
    scenario = state.scenario
    observation = state.observe(role)
    if which == COMPOSE:
        offers = talks.open_offers(scenario, observation)
        channels = [c.title for c, open_ in talks.Composer(scenario, observation).channels() if open_]
        text = (
            "Pick a channel and the terms to put to the other side, and see what sending costs and how "
            "likely they are to take it. Open now: " + "; ".join(channels) + "."
            if offers
            else "Put terms to the other side through one of your channels."
        )
        mine = deals.standing(scenario, observation)
        reason = (
            f"your offer {talks.channel_words(scenario.negotiation.channels[mine.channel].title)} waits for an answer"
            if mine is not None
            else "no channel can carry an offer now"
        )
        return Card(COMPOSE, "Make an offer…", text, (), bool(offers), reason, group=group, key=key)
    waiting = talks.incoming(scenario, observation)
    if waiting is None:
        return Card(ANSWER, "Answer the offer…", "", (), False, "no offer is waiting for you", group=group, key=key)
    terms = ", ".join(scenario.negotiation.terms[t].short or t for t in waiting.terms)
    text = f"The other side offers: {terms}. Accept, reject, or make a counter-offer."
    return Card(ANSWER, "Answer the offer…", text, (), True, group=group, key=key)


class Reckoner:
    """Each side's belief, followed on the worker thread as the game goes; one request at a time."""

    def __init__(self, scenario: Scenario, worker):
        self.scenario = scenario
        self.worker = worker
        self.beliefs: dict[str, beliefs.Belief] = {}
        self.task = None
        self.key: tuple | None = None

    def request(self, state: State, role: str, key: tuple) -> None:
        """Start working out ``role``'s odds at ``state`` (``key`` names the decision)."""
        belief = self.beliefs.setdefault(role, beliefs.Belief(self.scenario, role))
        self.key = key
        self.task = self.worker.submit(lambda: side_odds(belief, state, role))

    def ready(self, key: tuple) -> Odds | None:
        """The odds for decision ``key`` once they are worked out, else None."""
        if self.task is None or self.key != key or not self.task.done:
            return None
        return self.task.result()

    def forget(self) -> None:
        """Start the beliefs again from the beginning (after a move was taken back)."""
        self.beliefs = {}
        self.task, self.key = None, None


def side_odds(belief: beliefs.Belief, state: State, role: str) -> Odds:
    """Every open action's outcomes with the chances ``role`` can work out at ``state``."""
    belief.follow(state.observe(role))
    found: Odds = {}
    for action in state.legal_actions():
        rows = beliefs.odds(belief, action)
        found[action.id] = tuple(
            (o.outcome, o.title or outcome_title(action, o.outcome), o.chance, o.low, o.high) for o in rows
        )
    return found
