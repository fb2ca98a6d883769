"""How long each policy takes to decide: median, 95th percentile and most, in CPU time.

    python benchmarks/decisions.py SCENARIO POLICY[,POLICY...] [--games N]

Each policy plays every role of games 0..N-1 (the seeds) against itself; the CPU time of every
``choose`` is kept (the thread's time, so other work on the machine inflates it less than wall
time). Policies are named as in ``benchmarks/ladder.py`` (``lookahead/honest=True``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ladder import Timed, _percentile, policy_named  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("policies")
    parser.add_argument("--games", type=int, default=6)
    args = parser.parse_args(argv)
    if not 1 <= args.games <= 10_000:
        parser.error("--games must be between 1 and 10,000")
    scenario = load_scenario(find_scenario(args.scenario))
    for name in args.policies.split(","):
        timed = Timed(policy_named(name))
        started = time.perf_counter()
        for seed in range(args.games):
            Match(scenario, seed=seed, policies={role: timed for role in scenario.roles}).run()
        spent = timed.times
        print(
            f"{args.scenario} {name}: {len(spent)} decisions, median {1000 * statistics.median(spent):.1f} ms, "
            f"p95 {1000 * _percentile(spent, 0.95):.1f} ms, max {1000 * max(spent):.1f} ms (CPU time; "
            f"{time.perf_counter() - started:.0f} s wall)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
