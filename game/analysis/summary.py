"""What a batch of games adds up to: counts and sums that merge chunk by chunk, in order.

Only counts and sums are kept, so a million games fit in a few hundred numbers and the
summaries of chunks played on different processes (or machines) merge into exactly the same
totals whatever the number of workers, as long as they merge in chunk order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.analysis.batch import Games
from game.analysis.causes import Causes


@dataclass
class Summary:
    games: int
    endings: np.ndarray  # int64[endings]: games that ended each way
    score_sum: np.ndarray  # float64[roles]
    wins: np.ndarray  # int64[roles]: games where the role's score beat every other role's
    picked: np.ndarray  # int64[actions]: games in which the action was taken
    times: np.ndarray  # int64[actions]: how often it was taken
    picked_score: np.ndarray  # float64[actions]: its role's score summed over those games
    turns: np.ndarray  # int64[turn]: games that ended on each turn (index = turn)
    steps: int
    causes: Causes | None = None  # what led to each ending (runs that trace their outcomes)

    def merge(self, other: Summary) -> Summary:
        """This summary followed by ``other`` (the order is kept so sums are reproducible)."""
        turns = max(self.turns.size, other.turns.size)
        return Summary(
            games=self.games + other.games,
            endings=self.endings + other.endings,
            score_sum=self.score_sum + other.score_sum,
            wins=self.wins + other.wins,
            picked=self.picked + other.picked,
            times=self.times + other.times,
            picked_score=self.picked_score + other.picked_score,
            turns=_pad(self.turns, turns) + _pad(other.turns, turns),
            steps=self.steps + other.steps,
            causes=_merge(self.causes, other.causes),
        )


def _merge(a: Causes | None, b: Causes | None) -> Causes | None:
    if a is None or b is None:
        return b if a is None else a
    return a.merge(b)


def _pad(a: np.ndarray, size: int) -> np.ndarray:
    return np.pad(a, (0, size - a.size))


def wins(scores: np.ndarray) -> np.ndarray:
    """A (games x roles) mask: the role's score is strictly higher than every other role's."""
    n, roles = scores.shape
    out = np.ones((n, roles), dtype=bool)
    for r in range(roles):
        for other in range(roles):
            if other != r:
                out[:, r] &= scores[:, r] > scores[:, other]
    return out


def summarise(games: Games, n_endings: int, action_role: tuple[int, ...]) -> Summary:
    """Counts and sums of one batch of games."""
    n = games.ending.shape[0]
    # each action's sum over the games that took it, one action at a time (a scenario may have
    # hundreds of actions: no actions x games matrix of scores)
    columns = [np.ascontiguousarray(games.scores[:, r]) for r in range(games.scores.shape[1])]
    taken = np.count_nonzero(games.picked, axis=1)
    picked_score = np.zeros(len(action_role))
    for a in np.flatnonzero(taken):
        picked_score[a] = columns[action_role[a]].take(np.flatnonzero(games.picked[a])).sum()
    return Summary(
        games=n,
        endings=np.bincount(games.ending, minlength=n_endings).astype(np.int64),
        score_sum=games.scores.sum(axis=0),
        wins=wins(games.scores).sum(axis=0).astype(np.int64),
        picked=taken.astype(np.int64),
        times=games.times.copy(),
        picked_score=picked_score,
        turns=np.bincount(games.turns).astype(np.int64),
        steps=int(games.steps.sum()),
    )


def empty(n_endings: int, n_roles: int, n_actions: int) -> Summary:
    return Summary(
        0,
        np.zeros(n_endings, dtype=np.int64),
        np.zeros(n_roles),
        np.zeros(n_roles, dtype=np.int64),
        np.zeros(n_actions, dtype=np.int64),
        np.zeros(n_actions, dtype=np.int64),
        np.zeros(n_actions),
        np.zeros(1, dtype=np.int64),
        0,
    )
