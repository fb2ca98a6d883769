"""Figures for the foundation: load-and-validate time per scenario, and one-game engine speed.

    python benchmarks/engine.py [--games N] [--repeats N]

Prints, for every file in scenarios/: the CPU time to read, check and compile it with
``load_scenario`` (what ``crisis validate`` and every command that opens a scenario do) as the
median of ``--repeats`` loads in this process, each made while the scenario before it is still
held, as a game holds its own; the same for the first load in a fresh process (the median of
three processes, with the imports done before the clock starts); and how many complete
random-against-random games the one-game engine (Match) plays per second of wall time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game import flags  # noqa: E402
from game.ai import make_policy  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def load_time(path: Path, repeats: int) -> float:
    """The median CPU time of ``repeats`` loads, each while the last one's scenario is held."""
    times = []
    held = load_scenario(path)
    for _ in range(repeats):
        start = time.process_time()
        scenario = load_scenario(path)
        times.append(time.process_time() - start)
        held = scenario
    del held
    return statistics.median(times)


_FIRST = """
import sys, time
sys.path.insert(0, sys.argv[1])
from game.scenario.loader import load_scenario
start = time.process_time()
load_scenario(sys.argv[2])
print(time.process_time() - start)
"""


def first_load_time(path: Path, runs: int = 3) -> float:
    """The median CPU time of the first load in a fresh process (imports done beforehand)."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _FIRST, str(ROOT), str(path)], capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.split()[-1]))
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
    parser.add_argument("--games", type=flags.whole(1, 100_000), default=500, help="games per scenario (1 to 100,000)")
    parser.add_argument(
        "--repeats", type=flags.whole(1, 1_000), default=15, help="loads to take the median of (1 to 1,000)"
    )
    args = parser.parse_args()
    print(f"{'scenario':<22} {'bytes':>8} {'load+check ms':>14} {'first ms':>9} {'games/s':>9} {'steps/game':>11}")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        ms = load_time(path, args.repeats) * 1000
        first = first_load_time(path) * 1000
        rate, steps = games_per_second(path, args.games)
        print(f"{path.stem:<22} {path.stat().st_size:>8} {ms:>14.1f} {first:>9.1f} {rate:>9.0f} {steps:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
