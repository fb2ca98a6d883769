"""What the ending screen reveals: the game move by move, with the moves a side never saw in full
marked, and the values it never saw exactly, with the truth beside what it saw.

All of it is read from the information model (:func:`game.core.information.secrets` and
:func:`~game.core.information.unseen`), as the terminal game reads it; nothing here works out on
its own who could see what.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core import information
from game.core.information import Seen
from game.core.state import State


@dataclass(frozen=True)
class Told:
    """One move of the finished game, as the ending lists it."""

    turn: int
    role: str  # who moved ("world" for an event)
    action: str
    title: str
    outcome: str  # the outcome's title, "" for a move with one outcome
    hidden_from: tuple[str, ...]  # the sides at the screen that did not see it in full


@dataclass(frozen=True)
class Truth:
    """A value a side never saw exactly: what it saw (None: nothing), where it started, the truth."""

    variable: str
    label: str
    saw: str
    truth: str
    started: str  # the drawn starting value, when it was drawn and differs from the truth; else ""


def moves(state: State, readers: tuple[str, ...]) -> list[Told]:
    """Every move of the game (as the spectator reads it), each marked with the ``readers`` it was
    hidden from."""
    hidden: dict[int, list[str]] = {}
    for reader in readers:
        for before, _ in information.secrets(state, reader):
            hidden.setdefault(id(before), []).append(reader)
    out = []
    for entry, before in _spectators_feed(state):
        move = state.scenario.actions.get(entry.action) or state.scenario.events.get(entry.action)
        several = move is not None and len(move.outcomes) > 1
        out.append(
            Told(
                entry.turn,
                entry.role,
                entry.action,
                entry.title,
                entry.outcome_title if several else "",
                tuple(hidden.get(id(before), ())),
            )
        )
    return out


def _spectators_feed(state: State):
    """(the spectator's feed item, the state before it) for each step that made one."""
    chain = [state]
    while chain[-1].prev is not None:
        chain.append(chain[-1].prev)
    chain.reverse()
    for before, after in zip(chain, chain[1:]):
        move, outcome = after.last
        entry = information.entry(before, move, outcome, after, information.SPECTATOR)
        if entry is not None and entry.seen == "full" and entry.title:
            yield entry, before


def truths(state: State, role: str) -> list[Truth]:
    """The values ``role`` did not see exactly by the end, with what it saw of them and the truth."""
    start = _start(state)
    out = []
    for variable, mine, value in information.unseen(state, role):
        var = state.scenario.variables[variable]
        began = start.values[state.scenario.slots[variable]] if var.draw else value
        started = state.format_value(variable, began) if began != value else ""
        out.append(Truth(variable, var.label, _saw(state, mine), state.format_value(variable, value), started))
    return out


def _saw(state: State, seen: Seen | None) -> str:
    if seen is None:
        return "nothing"
    if seen.kind == "estimate":
        return f"{state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
    return state.format_value(seen.variable, seen.value)


def _start(state: State) -> State:
    """The state once the starting values are drawn (the game's first turn)."""
    chain = [state]
    while chain[-1].prev is not None and not chain[-1].prev.in_setup():
        chain.append(chain[-1].prev)
    return chain[-1]
