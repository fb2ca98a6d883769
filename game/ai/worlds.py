"""The states a search plays in: the determinizer, from what the role knows.

A role deciding under hidden information does not know the true state; a search that plays it
well plays in the states the role thinks possible, each with its weight. Every search of this
package takes its states from :func:`worlds`, so that what a policy may know is decided here:

- the role's belief is the core's (:func:`game.core.belief.consistent`): the scenario's own
  starting draws and chances, filtered step by step by everything the role was shown (its
  trail), with another role's hidden choices taken as equally likely among its open moves;
- when the belief holds no more than ``samples`` truths they are all searched, each with its
  weight; otherwise ``samples`` of them are drawn by systematic resampling (one uniform, from a
  generator seeded by the role's information key, over the truths shuffled by the same
  generator), so the draw too depends on what the role knows alone.

Beliefs are followed step by step and kept between decisions (per scenario and role), so that
a game's next decision extends the last one's belief instead of starting again; a kept belief
and a fresh one hold the same truths, so keeping them changes no choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core.belief import Belief
from game.core.state import State

BELIEF_LIMIT = 512  # truths a belief keeps; past it, it is resampled down to this many (in proportion to weight)
_KEPT: dict[tuple[int, str], tuple[tuple, Belief]] = {}


@dataclass(frozen=True)
class World:
    """One state the role may be in, and how likely it is (the weights of a call sum to 1)."""

    weight: float
    state: State


def belief(state: State, role: str) -> Belief:
    """The role's belief at ``state``, from its own trail (followed on from the last one kept)."""
    trail = state.observe(role).trail
    key = (id(state.scenario), role)
    kept = _KEPT.get(key)
    if kept is not None and kept[1].scenario is state.scenario and trail[: len(kept[0])] == kept[0]:
        found = _copy(kept[1])
    else:
        found = Belief(state.scenario, role, BELIEF_LIMIT)
    for record in trail[1 + found.steps :]:
        found.advance(record)
    _KEPT[key] = (trail, _copy(found))
    return found


def _copy(belief: Belief) -> Belief:
    twin = Belief.__new__(Belief)
    twin.__dict__.update(belief.__dict__)
    twin.particles = list(belief.particles)
    return twin


def worlds(state: State, role: str, samples: int = 4, every: int = 0) -> tuple[World, ...]:
    """The states ``role`` may be in when the game is at ``state``: all of them when there are at
    most ``samples`` or ``every``, else ``samples`` of them drawn by their weights."""
    particles = [p for p in belief(state, role).particles if p.weight > 0]
    if not particles:  # cannot happen for a trail the rules produced; the truth is the safe answer
        return (World(1.0, state),)
    if len(particles) <= max(samples, every):
        return tuple(World(p.weight, p.state) for p in particles)
    rng = np.random.Generator(np.random.PCG64(seed_of(state, role)))
    # a belief lists its truths in the order of the starting draws, each value of a draw repeated
    # at a fixed stride: evenly spaced points on that list would pick the same value of some draws
    # every time (four samples of 48 truths once all had the same friends in Moscow). Shuffled
    # first, the points fall across every draw; the shuffle too comes from what the role knows.
    particles = [particles[i] for i in rng.permutation(len(particles))]
    total = sum(p.weight for p in particles)
    u = rng.random()
    picked: dict[int, int] = {}
    running, i = 0.0, 0
    for k in range(samples):
        target = (u + k) / samples * total
        while i < len(particles) - 1 and running + particles[i].weight <= target:
            running += particles[i].weight
            i += 1
        picked[i] = picked.get(i, 0) + 1
    return tuple(World(count / samples, particles[i].state) for i, count in picked.items())


def seed_of(state: State, role: str) -> tuple[int, ...]:
    """A seed for a search's own draws, from the role's information key (never the match's)."""
    key = state.observe(role).key
    return tuple(int(key[i : i + 8], 16) for i in range(0, 32, 8))
