"""Common random numbers for comparing versions of a scenario game by game.

A balance run draws its numbers from one generator in the order the batch engine asks for them,
so when one version of a scenario ends a game a step earlier, every game after that point gets
other numbers, and two versions' games are alike only until the first difference anywhere.
:class:`KeyedDraws` stands in for that generator: the number a game draws is a function of the
run's key, the game, the position it is at and which draw of that position it is (the policy's
first, then the outcome's; draws before the first position, such as starting values drawn at
random, are the setup's, game by game). A game of one version and the same game of another draw the same
numbers wherever they stand at the same position, however the other games went. The key comes
from the run's seeded generator, so the run stays seeded and reproducible.

The numbers come from a counter-based hash (two rounds of the SplitMix64 finaliser over the
key, the game and the draw), 53 bits each, uniform on [0, 1) as numpy's generator's are. They
are not the one-game engine's numbers: runs with keyed draws are for comparing versions, not for
replaying a game.
"""

from __future__ import annotations

import numpy as np

_GAME = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STEP = 0xD1B54A32D192ED03
_MASK = (1 << 64) - 1
_SCALE = 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


class KeyedDraws:
    """Uniform draws keyed by (game, position, draw), given to the batch engine as its generator."""

    def __init__(self, rng: np.random.Generator):
        self.key = int(rng.integers(0, 2**63))
        self.gid: np.ndarray | None = None  # before the first position: the setup's draws, one per game
        self.counter = self.key

    def at(self, pos: int, gid: np.ndarray) -> None:
        """The games about to draw at position ``pos`` (the columns of the engine's matrix)."""
        self.gid = gid
        self.counter = (self.key + (pos + 1) * 64 * _STEP) & _MASK

    def random(self, n: int) -> np.ndarray:
        """One number for each game named by :meth:`at`, the next draw of that position."""
        gid = np.arange(n) if self.gid is None else self.gid
        if n != gid.shape[0]:
            raise ValueError(f"{n} draws asked for {gid.shape[0]} games")
        self.counter = (self.counter + _STEP) & _MASK
        x = gid.astype(np.uint64) * _GAME
        x += np.uint64(self.counter)
        x = _mix(_mix(x) + np.uint64(self.key))
        return (x >> np.uint64(11)).astype(np.float64) * _SCALE
