"""What an odds worker spends on one request: the odds of a seat's open moves, and its offers' figures.

    python benchmarks/seat_odds.py [SCENARIO] [--games N]

Plays games 0..N-1 (the seeds) with weighted play on both sides and, at every decision, follows
the deciding seat's belief as an odds worker does, then times (CPU time of this thread) what a
request costs: the odds alone, and the odds with the deal figures (each open offer's chance of
acceptance and worth, each acceptance's worth), as ``game.server.views.seat_odds`` sends them.
Prints the median, 95th percentile and most of each, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ladder import _percentile  # noqa: E402
from game.ai import make_policy  # noqa: E402
from game.core.belief import Belief  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.server import views  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="wagner_mutiny")
    parser.add_argument("--games", type=int, default=10)
    args = parser.parse_args(argv)
    if not 1 <= args.games <= 10_000:
        parser.error("--games must be between 1 and 10,000")
    scenario = load_scenario(find_scenario(args.scenario))
    alone, whole = [], []
    for seed in range(args.games):
        match = Match(scenario, seed=seed, policies={r: make_policy("weighted") for r in scenario.roles})
        match.start()
        kept = {role: Belief(scenario, role) for role in scenario.roles}
        while not match.is_over():
            role = match.state.current_role()
            if role is not None and role in kept and match.state.legal_actions():
                observation = match.state.observe(role)
                belief = kept[role].follow(observation)
                legal = tuple(m.id for m in match.state.legal_actions())
                start = time.thread_time()
                for action in legal:
                    views.odds_data(belief, scenario.actions[action], "exact")
                middle = time.thread_time()
                views.seat_odds(scenario, belief, legal, "exact")
                end = time.thread_time()
                alone.append((middle - start) * 1000)
                whole.append((end - middle) * 1000)
            match.play()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{scenario.meta.id}: {len(alone)} requests in {args.games} games (load average {load})")
    for name, times in (("odds alone", alone), ("odds and deals", whole)):
        print(
            f"  {name:15} median {statistics.median(times):6.1f} ms   p95 {_percentile(times, 0.95):6.1f} ms"
            f"   most {max(times):6.1f} ms"
        )
    print(f"  ratio of the medians: {statistics.median(whole) / statistics.median(alone):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
