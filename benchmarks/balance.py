"""Games per second: the one-game engine against the batch engine, random play on both sides.

Usage: .venv/bin/python benchmarks/balance.py [SCENARIO] [--games N] [--single M]

Both engines run in this one process, one after the other, on the same scenario (the default
scenario unless one is named). The batch figure includes summing the games up, as
``crisis balance`` does; it is played in the same fixed-size chunks, on one core.
"""

from __future__ import annotations

import argparse
import os
import time

from game.ai import make_policy
from game.analysis.runner import CHUNK, Spec, jobs, run_chunk
from game.core.match import Match
from game.paths import default_scenario, find_scenario
from game.scenario.loader import load_scenario


def one_game_engine(path, games: int) -> float:
    scenario = load_scenario(path)
    policies = {role: make_policy("random") for role in scenario.roles}
    start = time.perf_counter()
    for seed in range(games):
        Match(scenario, seed=seed, policies=policies).run()
    return games / (time.perf_counter() - start)


def batch_engine(path, games: int) -> tuple[float, float]:
    raw = path.read_bytes()
    scenario = load_scenario(path)
    spec = Spec(raw, str(path), tuple((role, "random") for role in scenario.roles), games, seed=1)
    todo = jobs(spec)
    run_chunk(todo[0])  # compile the plan once, as a worker does before its first chunk
    wall, cpu = time.perf_counter(), time.process_time()
    for job in todo:
        run_chunk(job)
    return games / (time.perf_counter() - wall), time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(default_scenario()))
    parser.add_argument("--games", type=int, default=1_000_000, help="games for the batch engine")
    parser.add_argument("--single", type=int, default=300, help="games for the one-game engine")
    args = parser.parse_args()
    path = find_scenario(args.scenario)
    single = one_game_engine(path, args.single)
    batch, cpu = batch_engine(path, args.games)
    print(f"scenario: {path.name}, random against random, chunks of {CHUNK:,} games")
    print(f"one-game engine: {single:12,.0f} games/s  ({args.single:,} games)")
    print(
        f"batch engine:    {batch:12,.0f} games/s  ({args.games:,} games in {args.games / batch:.2f} s, {cpu:.2f} s CPU)"
    )
    print(f"ratio:           {batch / single:12,.0f}x")
    per_million = cpu * 1_000_000 / args.games
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"batch CPU per 1M games: {per_million:.2f} s  (load average {load}: on a busy machine only CPU time means much)"
    )


if __name__ == "__main__":
    main()
