"""The ladder with an expert that peeks: how much hidden information costs the expert.

    python benchmarks/peeking_expert.py LADDER-ARGUMENTS...

Runs ``benchmarks/ladder.py`` with the expert's belief replaced by the true state alone (its one
truth, of weight 1), so that every ``expert`` of the pairings searches the game as it really is,
as the peeking lookahead does. Compared with the same pairing run by the ladder itself, on the
same seeds, it says what seeing everything would be worth to the expert; it is a measuring
tool only, never a policy the game offers. For example:

    python benchmarks/peeking_expert.py --scenario august_1991 --games 1000 --pairs expert:lookahead --workers 2
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import game.ai.expert as expert  # noqa: E402
from game.ai.worlds import World  # noqa: E402


def _the_truth(state, role, samples=4, every=0):
    return (World(1.0, state),)


expert.worlds = _the_truth  # the ladder's worker processes are forked from this one and keep it

from benchmarks import ladder  # noqa: E402

if __name__ == "__main__":
    sys.exit(ladder.main(sys.argv[1:]))
