"""Beliefs: the true states a role cannot rule out, given everything it was shown.

A belief is worked out from the scenario and one role's :class:`~game.core.information.Observation`
alone, never from the truth: start from the scenario's first state and follow the role's trail
step by step. At each step every state still possible is carried forward by every move and outcome
that would have shown the role exactly what it was shown (its own move is known; another role's
move is any of its open moves, the world's rolls are the scenario's own chances), and every other
successor is dropped. What is left is the set of truths consistent with the role's view, each with
a weight: the chance of the draws and outcomes that lead to it, with the other side's hidden
choices taken as equally likely among its open moves (or as an ``opponent`` model says).

States that agree in every value, position and ending are merged, so the belief stays as small
as what is really unknown. Past ``limit`` states it is resampled down to ``limit`` in proportion to
the weights, deterministically (:func:`resample`), and ``Belief.exact`` says whether that ever
happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from game.core.information import Glimpse, Observation, _shown, shows
from game.core.model import WORLD, Scenario
from game.core.state import Move, State

Opponent = Callable[[State, Sequence[Move]], Sequence[float]]


@dataclass(frozen=True)
class Particle:
    """One truth the role cannot rule out, its weight, and the starting draws that lead to it."""

    state: State
    weight: float
    setup: tuple[float, ...] = ()


def uniform(state: State, moves: Sequence[Move]) -> Sequence[float]:
    """The default model of another role's hidden choice: any open move, equally likely."""
    return [1.0 / len(moves)] * len(moves)


class Belief:
    """A role's belief, advanced one step of its trail at a time."""

    def __init__(self, scenario: Scenario, role: str, limit: int | None = None, opponent: Opponent = uniform):
        self.scenario = scenario
        self.role = role
        self.limit = limit
        self.opponent = opponent
        self.exact = True
        self.steps = 0
        start = State.initial(scenario)
        self.particles: list[Particle] = [Particle(start, 1.0)]

    def advance(self, record: Glimpse) -> None:
        """Keep the truths that would have shown the role ``record`` at the next step."""
        merged: dict[tuple, list] = {}
        role = self.role
        for particle in self.particles:
            state = particle.state
            if state.ending or (state.turn, state.step) != (record.turn, record.step):
                continue
            actor = state.current_role() or WORLD
            if actor != record.actor:
                continue
            legal = state.legal_actions()
            if actor == role:
                moves = [(m, 1.0) for m in legal if m.id == record.action]
            elif actor == WORLD:
                moves = [(legal[0], 1.0)]
            else:
                odds = self.opponent(state, legal)
                # a step that showed the move's id can only have been that move
                moves = [(m, q) for m, q in zip(legal, odds) if q > 0 and (not record.action or m.id == record.action)]
            for move, q in moves:
                for outcome, p in state.outcomes(move):
                    _, action, shown, _ = _shown(move, outcome, actor, role)
                    if (action, shown) != (record.action, record.outcome):
                        continue
                    after = state._after(outcome, move)
                    if not shows(state, move, outcome, after, role, record):
                        continue
                    setup = particle.setup
                    if state.step < 0:
                        setup = (*setup, outcome.set[0][1].constant)
                    key = (after.values, after.turn, after.step, after.ending, setup)
                    weight = particle.weight * q * p
                    slot = merged.get(key)
                    if slot is None:
                        merged[key] = [after, weight, setup]
                    else:
                        slot[1] += weight
        particles = [Particle(s, w, setup) for s, w, setup in merged.values()]
        if self.limit is not None and len(particles) > self.limit:
            particles = resample(particles, self.limit)
            self.exact = False
        total = sum(p.weight for p in particles)
        self.particles = [Particle(p.state, p.weight / total, p.setup) for p in particles] if total > 0 else []
        self.steps += 1

    def follow(self, observation: Observation) -> Belief:
        """Advance through the part of ``observation``'s trail not yet followed."""
        for record in observation.trail[1 + self.steps :]:
            self.advance(record)
        return self

    def setups(self) -> set[tuple[float, ...]]:
        """The starting draws still possible."""
        return {p.setup for p in self.particles}


def resample(particles: Sequence[Particle], size: int) -> list[Particle]:
    """At most ``size`` of ``particles`` (all of them if they fit), drawn in proportion to their
    weights, without a generator.

    Systematic resampling at fixed points: ``size`` evenly spaced points through the running sum
    of the weights, each picking the particle it falls in, which keeps as many copies' worth of
    weight as points it took. Every particle heavier than a point's spacing survives; lighter
    ones survive in proportion to their weight, so no kind of truth (a rare starting draw, say) is
    dropped wholesale as cutting off the lightest would.

    The points run over the particles in a scrambled order, a permutation fixed by the list's
    length: a belief lists its truths draw by draw, each value of a later draw repeated at a fixed
    stride, and evenly spaced points over that order would land on the same value of such a draw
    every time (three friends' cases at a stride of three, spacing three: one case kept). What is
    kept comes back in the list's order. Only the list decides the picks, and the list comes from
    the role's trail alone.
    """
    if len(particles) <= size:
        return list(particles)
    total = sum(p.weight for p in particles)
    if total <= 0:
        return list(particles[:size])
    spacing = total / size
    point = spacing / 2
    running = 0.0
    kept: list[tuple[int, Particle]] = []
    for i in np.random.Generator(np.random.PCG64(len(particles))).permutation(len(particles)).tolist():
        particle = particles[i]
        running += particle.weight
        picks = 0
        while point < running:
            picks += 1
            point += spacing
        if picks:
            kept.append((i, Particle(particle.state, picks * spacing, particle.setup)))
    kept.sort(key=lambda pair: pair[0])
    return [particle for _, particle in kept[:size]]


def consistent(
    scenario: Scenario, observation: Observation, limit: int | None = None, opponent: Opponent = uniform
) -> Belief:
    """The belief of ``observation``'s role: every truth consistent with what it was shown."""
    return Belief(scenario, observation.role, limit, opponent).follow(observation)


@dataclass(frozen=True)
class Odds:
    """An outcome's chance as a role can work it out: the mean over its belief, and the range
    over the truths it cannot rule out (``low == high`` when what it does not know cannot matter)."""

    outcome: str
    title: str
    chance: float
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.low == self.high


def odds(belief: Belief, move: Move) -> list[Odds]:
    """The chance of each outcome of ``move`` (one of the role's own open moves) by the belief."""
    mean: dict[str, float] = {}
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    titles: dict[str, str] = {}
    for particle in belief.particles:
        chances = {o.id: p for o, p in particle.state.outcomes(move)}
        for outcome in move.outcomes:
            p = chances.get(outcome.id, 0.0)
            mean[outcome.id] = mean.get(outcome.id, 0.0) + particle.weight * p
            low[outcome.id] = min(low.get(outcome.id, p), p)
            high[outcome.id] = max(high.get(outcome.id, p), p)
            titles[outcome.id] = outcome.title
    return [Odds(o, titles[o], mean[o], low[o], high[o]) for o in mean if high[o] > 0]
