"""What playing well means, for every face of the game: one definition.

A role plays to maximise its expected ending score, the score the ending reached gives it.
Winning is the tie-break: a game is won by the role whose score is strictly higher than every
other role's; equal top scores are a draw for those roles. The AI's searches, ``crisis solve``,
the balance report and the window's verdict all read this module, so that an AI that is stronger
by its aim is stronger by the report too.
"""

from __future__ import annotations

from collections.abc import Mapping

WON, DRAWN, LOST = "won", "drawn", "lost"


def winners(scores: Mapping[str, float]) -> tuple[str, ...]:
    """The roles with the top score: one role for a win, several for a draw, () without scores."""
    if not scores:
        return ()
    top = max(scores.values())
    return tuple(role for role, score in scores.items() if score == top)


def result(scores: Mapping[str, float], role: str) -> str:
    """``won``, ``drawn`` or ``lost`` for ``role`` in a finished game's scores."""
    top = winners(scores)
    if role not in top:
        return LOST
    return WON if len(top) == 1 else DRAWN


def key(score: float, win_chance: float) -> tuple[float, float]:
    """A comparable value of a line of play for a role: expected score first, then win chance."""
    return (score, win_chance)
