"""Playouts from given states to the end, many at once through the batch engine.

Searches use these to value a state on the ending-score scale: each state is played to its
ending ``k`` times by a vectorised lineup, stream ``k`` of a :class:`PairedDraws` for its ``k``-th
playout, so that playouts from different states with the same stream meet the same luck.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.analysis.batch import Start, play
from game.analysis.paired import PairedDraws
from game.analysis.plan import Plan
from game.analysis.summary import wins
from game.core.errors import CrisisError
from game.core.state import State


def position_of(plan: Plan, state: State) -> int:
    """The batch engine's position for a state (turn and step)."""
    return (state.turn - 1) * plan.per_turn + state.step


def start_of(plan: Plan, states: Sequence[State], repeat: int = 1) -> Start:
    """A batch start with ``repeat`` games from each state in turn (games still going on only)."""
    if any(state.is_over() for state in states):
        raise CrisisError("a playout cannot start from a game that has ended")
    if any(state.in_setup() for state in states):
        raise CrisisError("a playout starts once the starting values are drawn")
    positions = np.repeat(np.asarray([position_of(plan, s) for s in states], dtype=np.int64), repeat)
    columns = np.asarray([s.values for s in states], dtype=np.float64).T
    return Start(positions, np.repeat(columns, repeat, axis=1))


@dataclass(frozen=True)
class Playouts:
    """The ends of ``repeat`` playouts from each of some states: (states x repeat x roles) arrays."""

    scores: np.ndarray
    wins: np.ndarray

    def mean_scores(self) -> np.ndarray:
        return self.scores.mean(axis=1)

    def mean_wins(self) -> np.ndarray:
        return self.wins.mean(axis=1)


def playouts(
    plan: Plan,
    lineup: Mapping[str, object],
    states: Sequence[State],
    streams: np.ndarray,
    seed: int | tuple[int, ...],
) -> Playouts:
    """Play every state to its end once per stream in ``streams`` (the same streams for each)."""
    repeat = len(streams)
    if not states or repeat == 0:
        shape = (len(states), repeat, len(plan.roles))
        return Playouts(np.zeros(shape), np.zeros(shape))
    start = start_of(plan, states, repeat)
    n = start.positions.shape[0]
    draws = PairedDraws(seed, np.tile(np.asarray(streams, dtype=np.intp), len(states)))
    games = play(plan, lineup, n, draws, start=start)
    shape = (len(states), repeat, len(plan.roles))
    return Playouts(games.scores.reshape(shape), wins(games.scores).reshape(shape).astype(np.float64))
