"""How a role's actions are listed: in groups of what they are, for the window and the terminal.

An author may tag actions with ``group:`` (Force, Talks, ...); groups are listed in the order in
which the file first names them, and the actions in each in file order. A role none of whose
actions is tagged gets a default that still brings the big choices forward: the actions that can
end the game in one group, the rest in another. In a role where only some actions are tagged,
the others are listed last under "Other". Groups are presentation only: no rule reads them.
"""

from __future__ import annotations

from game.core.model import Action, Scenario

DECISIVE = "Decisive"
MOVES = "Moves"
OTHER = "Other"


def group_of(action: Action, tagged: bool) -> str:
    """The group an action is listed in; ``tagged`` says whether its role tags any action."""
    if action.group:
        return action.group
    if tagged:
        return OTHER
    return DECISIVE if any(o.end for o in action.outcomes) else MOVES


def grouped(scenario: Scenario, role: str) -> list[tuple[str, tuple[Action, ...]]]:
    """The role's actions as (group, actions) pairs, in listing order; no group is empty."""
    actions = scenario.actions_of(role)
    tagged = any(a.group for a in actions)
    found: dict[str, list[Action]] = {}
    if not tagged:
        found = {DECISIVE: [], MOVES: []}
    for action in actions:
        found.setdefault(group_of(action, tagged), []).append(action)
    if tagged and OTHER in found:
        found[OTHER] = found.pop(OTHER)  # the untagged rest goes last
    return [(name, tuple(items)) for name, items in found.items() if items]


def listing(scenario: Scenario, role: str) -> tuple[Action, ...]:
    """The role's actions in listing order: the order of their numbers, all game long."""
    return tuple(action for _, actions in grouped(scenario, role) for action in actions)


def numbered(scenario: Scenario, role: str) -> list[tuple[str, Action]]:
    """The role's actions as (group, action) in the order of their numbers (from 1), all game long:
    the order of :func:`grouped`. Offers and the answers that accept or reject one (a move per
    package of terms) are left out: a composer makes them. Keeping to a deal and breaking one of
    its terms, open only once a deal is struck, come last, so that until then no number is missing
    from the list."""
    deal = scenario.negotiation
    out, later = [], []
    for group, actions in grouped(scenario, role):
        for action in actions:
            answer = None if deal is None else deal.answers.get(action.id)
            if deal is not None and (
                action.id in deal.offers or (answer is not None and answer.kind in ("accept", "reject"))
            ):
                continue
            (later if answer is not None else out).append((group, action))
    return out + later
