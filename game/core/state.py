"""Game states and the turn engine: explicit chance, no dice inside.

A :class:`State` is immutable. Each turn the roles act in the scenario's turn order, then every
event gets its roll (the pseudo-role ``world`` "acts" once per event), then the turn ends.
``state.outcomes(action)`` lists the exact probability of every outcome; the caller picks one
(a :class:`~game.core.match.Match` samples it from its seeded generator) and
``state.apply(action, outcome)`` returns the next state and a :class:`Report`.

Endings are checked after every step: an outcome may end the game outright (``end:``), then the
endings' conditions are tried in file order, then the turn limit. A role with no legal action is
passed over.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from game.core import information
from game.core.errors import IllegalAction
from game.core.information import SPECTATOR, Observation, Seen
from game.core.model import (
    QUIET,
    QUIET_OUTCOME,
    WORLD,
    Action,
    Advice,
    Draw,
    Event,
    History,
    Marker,
    Outcome,
    Scenario,
    Variable,
)
from game.core.numeric import settle

Move = Action | Event | Draw
__all__ = ["Change", "Move", "Observation", "Report", "Seen", "State", "format_value", "pick"]


@dataclass(frozen=True)
class Change:
    variable: str
    before: float
    after: float


@dataclass(frozen=True)
class Report:
    """What one step did: the outcome's text and every variable that changed."""

    turn: int
    clock: datetime
    role: str
    action: str
    title: str
    outcome: str
    text: str
    changes: tuple[Change, ...]
    ending: str = ""
    marker: Marker | None = None
    history: History | None = None
    setup: bool = False  # the drawing of a starting value, before the first turn

    @property
    def quiet(self) -> bool:
        """True for an event that did not happen or a starting draw (nothing to show a player)."""
        return self.outcome == QUIET or self.setup


class State:
    """One moment of one game. Create the first with :meth:`initial`.

    ``prev`` and ``last`` link a state to the one it came from and the (move, outcome) that led
    here, so that what each role was shown along the way can be worked out when it is asked for
    (:mod:`game.core.information`); ``memo`` keeps those answers, which never change.
    """

    __slots__ = ("scenario", "values", "turn", "step", "ending", "_env", "_legal", "prev", "last", "memo")

    def __init__(self, scenario: Scenario, values: tuple[float, ...], turn: int, step: int, ending: str):
        self.scenario = scenario
        self.values = values
        self.turn = turn
        self.step = step
        self.ending = ending
        self._env: tuple[float, ...] | None = None
        self._legal: tuple[Move, ...] | None = None
        self.prev: State | None = None
        self.last: tuple[Move, Outcome] | None = None
        self.memo: dict = {}

    @classmethod
    def initial(cls, scenario: Scenario) -> State:
        """The scenario's starting state: the first of its starting draws, if it has any."""
        if scenario.draws:
            return cls(scenario, scenario.initial_values(), 1, -len(scenario.draws), "")
        return cls(scenario, scenario.initial_values(), 1, 0, "")._settled()

    # reading ----------------------------------------------------------------------------

    @property
    def env(self) -> tuple[float, ...]:
        """The values that expressions read: variables, constants, turn, hour, elapsed (the layout
        :meth:`Scenario.open_actions` reads its slots by; keep the two in step)."""
        if self._env is None:
            cal = self.scenario.calendar
            elapsed = (self.turn - 1) * cal.hours_per_turn
            hour = (cal.start.hour + cal.start.minute / 60 + elapsed) % 24
            self._env = (*self.values, *self.scenario.constants.values(), float(self.turn), hour, elapsed)
        return self._env

    def value(self, variable: str) -> float:
        return self.values[self.scenario.slots[variable]]

    def clock(self) -> datetime:
        cal = self.scenario.calendar
        return cal.start + timedelta(hours=(self.turn - 1) * cal.hours_per_turn)

    def is_over(self) -> bool:
        return bool(self.ending)

    def current_role(self) -> str | None:
        """The role to move, ``"world"`` when events roll, or None once the game has ended."""
        if self.ending:
            return None
        order = self.scenario.turn_order
        return order[self.step] if 0 <= self.step < len(order) else WORLD

    def in_setup(self) -> bool:
        """True while starting values are still being drawn."""
        return self.step < 0

    def legal_actions(self) -> tuple[Move, ...]:
        """The moves open now: the role's actions whose ``when`` holds, or the event to roll."""
        if self._legal is None:
            self._legal = self._compute_legal()
        return self._legal

    def _compute_legal(self) -> tuple[Move, ...]:
        role = self.current_role()
        if role is None:
            return ()
        if self.step < 0:
            draws = self.scenario.draws
            return (draws[self.step + len(draws)],)
        if role == WORLD:
            return (self.scenario.event_list[self.step - len(self.scenario.turn_order)],)
        return self.scenario.open_actions(role, self.env)

    def unavailable_actions(self) -> tuple[Action, ...]:
        """The current role's actions that are closed now (for greying out, with their reason)."""
        role = self.current_role()
        if role is None or role == WORLD:
            return ()
        legal = {a.id for a in self.legal_actions()}
        return tuple(a for a in self.scenario.actions_of(role) if a.id not in legal)

    def outcomes(self, action: Move | str) -> list[tuple[Outcome, float]]:
        """Every outcome that can follow ``action`` now, with its exact probability."""
        move = self._move(action)
        env = self.env
        weights = [_weight(o.weight(env)) for o in move.outcomes]
        total = math.fsum(weights)
        if total <= 0:
            weights = [1.0] * len(weights)
            total = float(len(weights))
        if isinstance(move, Event):
            chance = min(max(move.chance(env), 0.0), 1.0) if move.outcomes else 0.0
            pairs = [(o, chance * w / total) for o, w in zip(move.outcomes, weights) if w > 0 and chance > 0]
            if chance < 1.0:
                pairs.append((QUIET_OUTCOME, 1.0 - chance))
            return pairs
        return [(o, w / total) for o, w in zip(move.outcomes, weights) if w > 0]

    def observe(self, role: str) -> Observation:
        """Everything ``role`` may know: its values, its own feed, and the key of that information
        (``SPECTATOR`` sees everything). See :mod:`game.core.information`."""
        return information.observe(self, role)

    def objective(self, role: str) -> float:
        """How well ``role`` is doing now, by its objective expression."""
        return self.scenario.roles[role].objective(self.env)

    def scores(self) -> dict[str, float]:
        """Each role's score for the ending reached (empty while the game goes on)."""
        if not self.ending:
            return {}
        ending = self.scenario.endings[self.ending]
        given = {role: expr(self.env) for role, expr in ending.scores}
        return {role: given.get(role, 0.0) for role in self.scenario.roles}

    def advice(self, role: str) -> tuple[Advice, ...]:
        """The advisors' remarks for ``role`` that apply now, judged by what ``role`` can make out
        (an advisor's remark never tells a role more than it knows)."""
        env = information.apparent(self, role)
        return tuple(a for a in self.scenario.advice if a.role == role and a.when.truth(env))

    def format_value(self, variable: str, value: float | None = None) -> str:
        """A value as a player reads it: a place's name, yes/no, or a rounded number."""
        var = self.scenario.variables[variable]
        return format_value(self.scenario, var, self.value(variable) if value is None else value)

    def render(self, text: str, reader: str = SPECTATOR) -> str:
        """Fill in a scenario text as ``reader`` may read it: values and ``{if}`` blocks; the truth
        for the spectator (``{{`` for a brace)."""
        return information.render(self, text, reader)

    def digest(self) -> str:
        """A hash of everything that decides the rest of the game (for saves and replays)."""
        body = "|".join(
            (self.scenario.digest, str(self.turn), str(self.step), self.ending, ",".join(v.hex() for v in self.values))
        )
        return hashlib.sha256(body.encode()).hexdigest()

    # moving -----------------------------------------------------------------------------

    def apply(self, action: Move | str, outcome: Outcome | str) -> tuple[State, Report]:
        """Play ``action`` with ``outcome``; both must be possible now."""
        move, chosen = self._checked(action, outcome)
        following = self._after(chosen, move)
        changes = tuple(
            Change(var.id, before, after)
            for var, before, after in zip(self.scenario.variables.values(), self.values, following.values)
            if before != after and not var.internal
        )
        report = Report(
            turn=self.turn,
            clock=self.clock(),
            role=self.current_role() or WORLD,
            action=move.id,
            title=move.title,
            outcome=chosen.id,
            text=following.render(chosen.text),
            changes=changes,
            ending=following.ending,
            marker=information.placed(following, chosen.marker),
            history=move.history,
            setup=isinstance(move, Draw),
        )
        return following, report

    def successors(self, action: Move | str) -> list[tuple[Outcome, float, State]]:
        """Every outcome of ``action`` with its probability and the state it leads to."""
        move = self._move(action)
        if move.id not in {m.id for m in self.legal_actions()}:
            raise IllegalAction(f"'{move.id}' is not open to {self.current_role() or 'anyone'} now")
        return [(outcome, p, self._after(outcome, move)) for outcome, p in self.outcomes(move)]

    def _checked(self, action: Move | str, outcome: Outcome | str) -> tuple[Move, Outcome]:
        move = self._move(action)
        if move.id not in {m.id for m in self.legal_actions()}:
            raise IllegalAction(f"'{move.id}' is not open to {self.current_role() or 'anyone'} now")
        outcome_id = outcome if isinstance(outcome, str) else outcome.id
        for possible, _ in self.outcomes(move):
            if possible.id == outcome_id:
                return move, possible
        raise IllegalAction(f"'{outcome_id}' cannot follow '{move.id}' now")

    def _after(self, chosen: Outcome, move: Move) -> State:
        values = self._effects(chosen)
        step = self.step + 1
        turn = self.turn
        if step >= len(self.scenario.turn_order) + len(self.scenario.event_list):
            turn, step = turn + 1, 0
        following = State(self.scenario, values, turn, step, chosen.end)
        if step >= 0:  # no ending is checked, nobody passed over, while starting values are drawn
            following = following._settled()
        following.prev, following.last = self, (move, chosen)
        return following

    def _move(self, action: Move | str) -> Move:
        if not isinstance(action, str):
            return action
        if action in self.scenario.actions:
            return self.scenario.actions[action]
        if action in self.scenario.events:
            return self.scenario.events[action]
        draw = self.scenario.draw(action)
        if draw is not None:
            return draw
        raise IllegalAction(f"there is no action or event called '{action}'")

    def _effects(self, outcome: Outcome) -> tuple[float, ...]:
        scenario = self.scenario
        env = self.env
        values = list(self.values)
        slots, variables = scenario.slots, scenario.variables
        for var, expr in outcome.set:
            values[slots[var]] = _coerce(variables[var], expr(env))
        for var, expr in outcome.add:
            values[slots[var]] += expr(env)
        for var, expr in outcome.move:
            values[slots[var]] = moved(scenario, variables[var], values[slots[var]], expr(env))
        # only what the outcome touched is settled, as in the batch engine: a state's values are
        # settled already (a start is checked and drawn starts pass through here), and settling
        # a settled number gives the same float
        for changes in (outcome.set, outcome.add, outcome.move):
            for name, _ in changes:
                var = variables[name]
                if var.type == "number":
                    values[slots[name]] = settle(values[slots[name]], var.min, var.max)
        return tuple(values)

    def _settled(self) -> State:
        """Apply endings and pass over roles that have nothing to do."""
        scenario = self.scenario
        state = self
        roles = len(scenario.turn_order)
        per_turn = roles + len(scenario.event_list)
        while True:
            if not state.ending:
                state = state._ended()
            if state.ending:
                return state
            if state.step < roles and not state.legal_actions():
                step, turn = state.step + 1, state.turn
                if step >= per_turn:
                    step, turn = 0, turn + 1
                state = State(scenario, state.values, turn, step, "")
                continue
            return state

    def _ended(self) -> State:
        env = self.env
        for ending in self.scenario.endings.values():
            if ending.when is not None and ending.when.truth(env):
                return State(self.scenario, self.values, self.turn, self.step, ending.id)
        if self.turn > self.scenario.calendar.turn_limit:
            limit = self.scenario.turn_limit_ending()
            if limit is not None:
                return State(self.scenario, self.values, self.turn, self.step, limit.id)
        return self

    def __repr__(self) -> str:
        return f"State(turn={self.turn}, step={self.step}, role={self.current_role()!r}, ending={self.ending!r})"


def _weight(w: float) -> float:
    return w if w > 0 else 0.0


def _coerce(var: Variable, value: float) -> float:
    if var.type == "boolean":
        return 1.0 if value else 0.0
    return value


def moved(scenario: Scenario, var: Variable, position: float, stops: float) -> float:
    """A place variable moved ``stops`` stops along its route (it stays put off the route)."""
    route = scenario.routes[var.route]
    place = scenario.place_ids[int(position)]
    if place not in route.stops:
        return position
    index = route.stops.index(place) + int(round(stops))
    index = min(max(index, 0), len(route.stops) - 1)
    return float(scenario.place_ids.index(route.stops[index]))


def _number(value: float) -> str:
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def format_value(scenario: Scenario, var: Variable, value: float) -> str:
    """A variable's value as text for players."""
    if var.type == "place":
        return scenario.place_at(value).name
    if var.type == "boolean":
        return "yes" if value else "no"
    if var.type == "case":
        index = int(value)
        return var.cases[index][1] if 0 <= index < len(var.cases) else "?"
    text = _number(round(value) if abs(value) >= 10 else value)
    return f"{text} {var.unit}".strip() if var.unit and var.unit != "%" else text + (var.unit or "")


def pick(pairs: Sequence[tuple[Outcome, float]], u: float) -> Outcome:
    """The outcome that a uniform draw ``u`` in [0, 1) selects (inverse CDF, file order)."""
    total = 0.0
    for outcome, p in pairs:
        total += p
        if u < total:
            return outcome
    return pairs[-1][0]
