"""Figures for the foundation: load-and-validate time per scenario, and one-game engine speed.

    python benchmarks/engine.py [--games N]

Prints, for every file in scenarios/: the median time to read, check and compile it, and how
many complete random-against-random games the one-game engine (Match) plays per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.ai import make_policy  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def load_time(path: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_scenario(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def games_per_second(path: Path, games: int) -> tuple[float, float]:
    scenario = load_scenario(path)
    policies = {role: make_policy("random") for role in scenario.roles}
    steps = 0
    start = time.perf_counter()
    for seed in range(games):
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        steps += len(match.steps)
    elapsed = time.perf_counter() - start
    return games / elapsed, steps / games


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"{'scenario':<22} {'bytes':>8} {'load+check ms':>14} {'games/s':>9} {'steps/game':>11}")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        ms = load_time(path, args.repeats) * 1000
        rate, steps = games_per_second(path, args.games)
        print(f"{path.stem:<22} {path.stat().st_size:>8} {ms:>14.1f} {rate:>9.0f} {steps:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
