"""The states a search plays in: the determinizer.

A role deciding under hidden information does not know the true state; a search that plays it
well plays in the states the role thinks possible, each with its weight. Every search of this
package takes its states from :func:`worlds`, so that what a policy may know is decided here.

The policies built on it (``expert``, ``exact``) search the true state today: the core has no
information model yet that says what a role has seen, so there is nothing to filter a belief
with. Their names and docs say they peek.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.state import State


@dataclass(frozen=True)
class World:
    """One state the role may be in, and how likely it is (the weights of a call sum to 1)."""

    weight: float
    state: State


def worlds(state: State, role: str, samples: int = 1) -> tuple[World, ...]:
    """The states ``role`` may be in when the game is at ``state``, at most ``samples`` of them."""
    return (World(1.0, state),)


def seed_of(state: State, role: str) -> tuple[int, ...]:
    """A seed for a search's own draws, from what identifies the decision (never the match's)."""
    digest = state.digest()
    return tuple(int(digest[i : i + 8], 16) for i in range(0, 32, 8))
