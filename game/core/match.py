"""A match: one game played from a seed, with the history a save needs.

The match owns the only random generator of a game: a PCG64 generator built from a
``numpy.random.SeedSequence``. The draw order is fixed, so that the batch engine can follow it:
for every step, a policy that needs chance draws first (the random policy one uniform), then the
outcome takes one uniform (``rng.random()``). In format 1 every outcome takes its uniform, events
included, even when their chance is nought or one. In format 2 a step whose outcome is certain
(only one outcome possible: an event whose chance is 0, an action or a draw with one outcome
left) is no chance step and takes none; the starting draws of format 2 come first, one uniform
each in file order.

A person may take back their last step while nothing has happened since (:meth:`Match.undo`).
The generator goes back with the state, to just before that step's draw if it took one, so the step that
replaces it uses the very same uniform: the same move again has the same outcome, and the game
after a take-back is the game its remaining choices make from the seed, as a replay of the save
finds it. Because that uniform is already seen through one outcome, a step can be taken back
only once; its second choice stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from game.core.errors import IllegalAction
from game.core.model import WORLD, Scenario
from game.core.state import Move, Report, State, pick


class Policy(Protocol):
    """Anything that chooses a move for a role from the public state API."""

    name: str

    def choose(self, state: State, rng: np.random.Generator) -> Move: ...


@dataclass(frozen=True)
class Step:
    """One entry of a game's record: who moved, what they chose, what came of it."""

    role: str
    action: str
    outcome: str
    digest: str
    by: str = ""  # the policy that chose, "" for a person (or the world)


def new_seed() -> int:
    """A fresh seed from the operating system's entropy, to be recorded."""
    return int(np.random.SeedSequence().entropy)


def make_rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


@dataclass(frozen=True)
class _Before:
    """What a person's step can be taken back to: the state, the record's length, the generator."""

    state: State
    steps: int
    rng: dict
    again: bool  # the step replaces one already taken back: it stands


class Match:
    """Plays a scenario from a seed; people give their moves, policies and the world do theirs."""

    def __init__(self, scenario: Scenario, seed: int | None = None, policies: Mapping[str, Policy] | None = None):
        self.scenario = scenario
        self.seed = new_seed() if seed is None else int(seed)
        self.rng = make_rng(self.seed)
        self.policies: dict[str, Policy] = dict(policies or {})
        self.state = State.initial(scenario)
        self.steps: list[Step] = []
        self.reports: list[Report] = []
        self.taken_back = 0  # how many steps people took back in this game
        self._before: _Before | None = None
        self._undone_at: int | None = None  # the record length at which the last take-back happened

    def is_over(self) -> bool:
        return self.state.is_over()

    def start(self) -> list[Report]:
        """Draw the scenario's starting values (the first steps of a format 2 game), if not done yet."""
        done = []
        while self.state.in_setup():
            done.append(self.play())
        return done

    def waiting_for_person(self) -> str | None:
        """The role whose move must come from a person now, or None."""
        role = self.state.current_role()
        if role is None or role == WORLD or role in self.policies:
            return None
        return role

    def play(self, action: Move | str | None = None) -> Report:
        """Take one step: the given move for a person, the policy's or the world's otherwise."""
        state = self.state
        role = state.current_role()
        if role is None:
            raise IllegalAction("the game is over")
        by = ""
        if role == WORLD:
            move = state.legal_actions()[0]
        elif action is not None:
            move = state._move(action)
        elif role in self.policies:
            policy = self.policies[role]
            move, by = policy.choose(state, self.rng), policy.name
        else:
            raise IllegalAction(f"{role} must choose a move")
        if move.id not in {m.id for m in state.legal_actions()}:
            raise IllegalAction(f"'{move.id}' is not open to {role} now")
        before = None
        if role != WORLD and not by:
            again = self._undone_at == len(self.steps)
            before = _Before(state, len(self.steps), self.rng.bit_generator.state, again)
        pairs = state.outcomes(move)
        if len(pairs) == 1 and self.scenario.meta.format >= 2:
            outcome = pairs[0][0]  # a certain outcome is no chance step: nothing to draw
        else:
            outcome = pick(pairs, float(self.rng.random()))
        report = self.force(move, outcome.id, by)
        self._before = before
        return report

    def force(self, move: Move | str, outcome: str, by: str = "") -> Report:
        """Apply a move with a known outcome (used by replays and tests); draws nothing."""
        role = self.state.current_role() or WORLD
        self.state, report = self.state.apply(move, outcome)
        self.steps.append(Step(role, report.action, report.outcome, self.state.digest(), by))
        self.reports.append(report)
        self._before = None
        return report

    def can_undo(self) -> bool:
        """Whether the last step is a person's that may still be taken back."""
        before = self._before
        return before is not None and not before.again and len(self.steps) == before.steps + 1

    def undo(self) -> Step:
        """Take back the last step (see the module's docstring); returns the step taken back."""
        if not self.can_undo():
            raise IllegalAction("that move cannot be taken back now")
        before = self._before
        self.state = before.state
        self.rng.bit_generator.state = before.rng
        self.reports.pop()
        self._before, self._undone_at = None, before.steps
        self.taken_back += 1
        return self.steps.pop()

    def run(self, max_steps: int = 100_000) -> list[Report]:
        """Play until a person must move or the game ends; return the reports of those steps."""
        done = []
        while not self.is_over() and self.waiting_for_person() is None and max_steps > 0:
            done.append(self.play())
            max_steps -= 1
        return done
