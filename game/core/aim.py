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


# Two lines whose values differ by less than this (a billionth of a point, or of the larger
# value's size past 1) are equal: the difference is floating-point rounding of sums that are
# equal in exact arithmetic (0.7 * 47 + 0.3 * 49.5 against the same 47.75 reached another way),
# and the tie-break, not the rounding, must decide between them.
TIE = 1e-9


def beats(score: float, win: float, best_score: float, best_win: float) -> bool:
    """Whether a line worth ``score`` (win chance ``win``) is better by the aim than the best so
    far: a higher expected score beyond rounding, else, the scores equal, a higher win chance."""
    tied = TIE * max(1.0, abs(best_score))
    if score > best_score + tied:
        return True
    return score >= best_score - tied and win > best_win + TIE
