"""Opponent strengths as the game offers them, each naming the policy that plays it.

From weakest to strongest: ``easy`` plays at random, ``normal`` follows the scenario author's
hints for plausible play, ``hard`` takes the best next step by its objective, ``expert`` solves
endgames exactly and plays every option out to the end before it chooses.
"""

from __future__ import annotations

STRENGTHS: dict[str, str] = {
    "easy": "random",
    "normal": "weighted",
    "hard": "greedy",
    "expert": "expert",
}
DEFAULT_STRENGTH = "normal"
