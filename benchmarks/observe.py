"""What a role's view costs: time per observation and memory held by games observed at every step.

    python benchmarks/observe.py [SCENARIO] [--games N]

Plays ``--games`` random games of the scenario (default: the Wagner mutiny), asks every role and
the spectator for its observation after every step, as the window and the server do, and keeps
every game to the end, as a server keeps the games it hosts. Prints the CPU time per
observation and the memory the finished games hold (Python's ``tracemalloc``, so the figures
move with the code, not with the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import flags  # noqa: E402
from game.ai import make_policy  # noqa: E402
from game.core.information import SPECTATOR  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="wagner_mutiny")
    parser.add_argument("--games", type=flags.whole(1, 10_000), default=20, help="games to play (1 to 10,000)")
    args = parser.parse_args(argv)
    scenario = load_scenario(find_scenario(args.scenario))
    readers = (*scenario.roles, SPECTATOR)
    tracemalloc.start()
    kept, asked, spent = [], 0, 0.0
    for seed in range(args.games):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        while not match.is_over():
            match.play()
            began = time.process_time()
            for reader in readers:
                match.state.observe(reader)
            spent += time.process_time() - began
            asked += len(readers)
        kept.append(match)
    held, _ = tracemalloc.get_traced_memory()
    steps = sum(len(m.steps) for m in kept)
    print(f"scenario: {scenario.meta.id}, {args.games} random games, {steps:,} steps, readers: {', '.join(readers)}")
    print(f"observations: {asked:,}, {1e6 * spent / asked:.0f} us of CPU each (under tracemalloc)")
    print(f"held by the finished games: {held / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
