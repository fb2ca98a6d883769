"""A side's choices as the turn screen lists them, with the odds that side can work out.

The odds on a card come from the side's own belief (:mod:`game.core.belief`): the chance of each
outcome over every truth the side cannot rule out, never the truth itself. Following a belief
can take a good part of a second, so it is worked out on the window's worker thread; the cards
show at once, and their odds arrive when the work is done.
"""

from __future__ import annotations

from game.core import belief as beliefs
from game.core.model import Scenario
from game.core.state import State
from game.scenario.groups import grouped
from game.ui.readings import outcome_title
from game.ui.widgets.cards import KEYS, Card

Odds = dict[str, tuple[tuple[str, str, float, float, float], ...]]  # action -> (outcome, title, chance, low, high)


def make_cards(state: State, role: str, odds: Odds | None) -> list[Card]:
    """Every action of ``role`` in listing order, with its key; ``odds`` None while they are worked out."""
    scenario = state.scenario
    open_ids = {a.id for a in state.legal_actions()}
    cards = []
    listed = [(group, action) for group, actions in grouped(scenario, role) for action in actions]
    for index, (group, action) in enumerate(listed):
        history = action.history.when if action.history else ""
        text = state.render(action.description, role)
        key = KEYS[index] if index < len(KEYS) else ""
        if action.id in open_ids:
            found = () if odds is None else tuple(row[1:] for row in odds.get(action.id, ()))
            cards.append(
                Card(
                    action.id, action.title, text, found, history=history, group=group, key=key, reckoning=odds is None
                )
            )
        else:
            reason = state.render(action.unavailable, role)
            cards.append(Card(action.id, action.title, text, (), False, reason, history, group, key))
    return cards


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
