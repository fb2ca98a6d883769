"""What a role sees, as the strings and number arrays research libraries want.

Every figure comes from ``state.observe(role)`` (the core's one information model) and from the
record of steps every role has watched, so an adapter shows a role no more than the game does.

- An **observation** is the present only: for each variable, the value the role is shown (the
  exact value, the middle of an estimate's band, or 0 when hidden) and how it is shown (1 exact,
  0.5 estimate, 0 hidden), then the turn and the step (one-hot) and who is to move (one-hot).
- An **information state** adds the role's memory, from its own trail: every step so far as the
  move it was shown and the outcome it was shown (a cover, or nothing, where the move was secret
  from it), one-hot, in a slot per step up to the game's longest length; its string is the
  core's information key, the same for every true state the role cannot tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core.model import QUIET, WORLD, Scenario
from game.core.state import State


@dataclass(frozen=True)
class Layout:
    """Sizes and indices shared by the strings and tensors of one scenario."""

    scenario: Scenario
    roles: tuple[str, ...]
    moves: tuple[str, ...]  # every action, event and starting draw: the move ids of a step record
    outcomes: int  # most outcomes of one move, the quiet one included
    steps: int  # most steps of a game

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        moves = (*scenario.actions, *scenario.events, *(d.id for d in scenario.draws))
        most = max(
            [len(a.outcomes) for a in scenario.actions.values()]
            + [len(e.outcomes) + 1 for e in scenario.events.values()]
            + [len(d.outcomes) for d in scenario.draws]
        )
        per_turn = len(scenario.turn_order) + len(scenario.event_list)
        steps = per_turn * scenario.calendar.turn_limit + len(scenario.draws)
        return cls(scenario, tuple(scenario.roles), moves, most, steps)

    @property
    def per_turn(self) -> int:
        return len(self.scenario.turn_order) + len(self.scenario.event_list)

    @property
    def observation_size(self) -> int:
        return 2 * len(self.scenario.variables) + 1 + self.per_turn + len(self.roles) + 1

    @property
    def information_size(self) -> int:
        return self.observation_size + self.steps * (len(self.moves) + self.outcomes + 1)

    def shown_index(self, move_id: str, outcome_id: str) -> int | None:
        """The index of an outcome a role was shown, or None for a cover (or nothing shown)."""
        try:
            return self.outcome_index(move_id, outcome_id)
        except ValueError:
            return None

    def outcome_index(self, move_id: str, outcome_id: str) -> int:
        """The outcome's place in its move's list (the quiet outcome of an event comes last)."""
        scenario = self.scenario
        for draw in scenario.draws:
            if draw.id == move_id:
                return [o.id for o in draw.outcomes].index(outcome_id)
        if move_id in scenario.events:
            event = scenario.events[move_id]
            if outcome_id == QUIET:
                return len(event.outcomes)
            return [o.id for o in event.outcomes].index(outcome_id)
        return [o.id for o in scenario.actions[move_id].outcomes].index(outcome_id)


def observation_tensor(layout: Layout, state: State, role: str) -> np.ndarray:
    """The present as ``role`` sees it (float32)."""
    out = np.zeros(layout.observation_size, dtype=np.float32)
    seen = {s.variable: s for s in state.observe(role).seen}
    for i, variable in enumerate(layout.scenario.variables):
        found = seen.get(variable)
        if found is not None:
            out[2 * i] = found.value
            out[2 * i + 1] = 1.0 if found.kind == "exact" else 0.5
    base = 2 * len(layout.scenario.variables)
    out[base] = state.turn
    if not state.is_over() and not state.in_setup():
        out[base + 1 + state.step] = 1.0
        mover = state.current_role()
        out[base + 1 + layout.per_turn + (len(layout.roles) if mover == WORLD else layout.roles.index(mover))] = 1.0
    return out


def information_tensor(layout: Layout, state: State, role: str) -> np.ndarray:
    """The present as ``role`` sees it, then every step of its trail, one-hot: the move it was
    shown (none when it saw no move), and the outcome it was shown, or a flag when it read a
    cover or nothing of how the move went."""
    out = np.zeros(layout.information_size, dtype=np.float32)
    out[: layout.observation_size] = observation_tensor(layout, state, role)
    width = len(layout.moves) + layout.outcomes + 1
    for k, record in enumerate(state.observe(role).trail[1 : 1 + layout.steps]):
        start = layout.observation_size + k * width
        if record.action:
            out[start + layout.moves.index(record.action)] = 1.0
            index = layout.shown_index(record.action, record.outcome)
            out[start + len(layout.moves) + (layout.outcomes if index is None else index)] = 1.0
        elif record.outcome:
            out[start + len(layout.moves) + layout.outcomes] = 1.0
    return out


def observation_string(state: State, role: str) -> str:
    """The present as ``role`` sees it, as text."""
    seen = state.observe(role)
    parts = [f"turn {seen.turn}"]
    if seen.ending:
        parts.append(f"ended {seen.ending}")
    else:
        parts.append(f"{state.current_role()} to move")
    for s in seen.seen:
        shown = f"{s.value:g}" if s.kind == "exact" else f"{s.low:g}..{s.high:g}"
        parts.append(f"{s.variable}={shown}")
    return " ".join(parts)


def information_string(state: State, role: str) -> str:
    """What ``role`` has seen so far, as the core's information key (one per information set)."""
    return state.observe(role).key
