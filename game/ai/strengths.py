"""Opponent strengths as the game offers them, each naming the policy that plays it.

From weakest to strongest: ``easy`` plays at random, ``normal`` follows the scenario author's
hints for plausible play, ``hard`` takes the best next step, ``expert`` looks several moves ahead.
"""

from __future__ import annotations

STRENGTHS: dict[str, str] = {
    "easy": "random",
    "normal": "weighted",
    "hard": "greedy",
    "expert": "lookahead",
}
DEFAULT_STRENGTH = "normal"
