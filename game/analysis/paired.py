"""Common random numbers for playouts: games that share a stream draw the same numbers.

A :class:`PairedDraws` stands in for the batch engine's generator, as the keyed draws of
:mod:`game.analysis.crn` do: before each position the engine names the games about to draw
(``at``), and each ``random(n)`` gives them the next draw of that position. Game ``g`` belongs to
stream ``streams[g]``; its ``j``-th draw at position ``p`` (a policy's draw first, if it takes
one, then the outcome's) is entry ``[streams[g], j]`` of position ``p``'s table. Each position's
table comes from its own child of the seed sequence (``spawn_key=(p,)``), so what a game draws at
a position does not depend on which other positions the batch reached.

Two games of one stream that stand at the same position, with the same policy to move, take the
same numbers: comparing the lines that start from two options on the same streams compares them
under the same luck (paired playouts), which takes far fewer games than independent ones. The
games start from given states (their starting values are already drawn).
"""

from __future__ import annotations

import numpy as np

DRAWS_PER_POSITION = 2  # a policy's draw and the outcome's


class PairedDraws:
    """Draws keyed by (stream, position, draw number), built position by position on demand."""

    def __init__(self, seed: int | tuple[int, ...], streams: np.ndarray):
        self.entropy = seed
        self.streams = np.asarray(streams, dtype=np.intp)
        self.count = int(self.streams.max()) + 1 if self.streams.size else 0
        self._tables: dict[int, np.ndarray] = {}
        self._here: np.ndarray | None = None
        self._streams: np.ndarray | None = None
        self._next = 0

    def table(self, pos: int) -> np.ndarray:
        """Position ``pos``'s draws: one row per stream, one column per draw."""
        found = self._tables.get(pos)
        if found is None:
            sequence = np.random.SeedSequence(self.entropy, spawn_key=(pos,))
            rng = np.random.Generator(np.random.PCG64(sequence))
            found = self._tables[pos] = rng.random((self.count, DRAWS_PER_POSITION))
        return found

    def at(self, pos: int, gid: np.ndarray) -> None:
        """The games about to draw at ``pos``."""
        self._here = self.table(pos)
        self._streams = self.streams.take(gid)
        self._next = 0

    def random(self, n: int | None = None):
        """The next draw of the position for each game named by :meth:`at` (a float when ``n`` is None)."""
        if self._here is None:
            raise RuntimeError("paired draws start from given states: there are no starting values to draw")
        if self._next >= DRAWS_PER_POSITION:
            raise RuntimeError(f"paired draws allow {DRAWS_PER_POSITION} draws per position")
        column = self._here[:, self._next].take(self._streams)
        self._next += 1
        if n is None:
            return float(column[0])
        if n != column.shape[0]:
            raise ValueError(f"asked for {n} draws for {column.shape[0]} games")
        return column
