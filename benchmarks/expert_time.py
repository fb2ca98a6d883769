"""CPU time of one policy's decisions at fixed positions, and the moves it chose there.

    python benchmarks/expert_time.py [POLICY] [SCENARIO]

The positions are the first five decisions of four games (seeds 0 to 3) played by lookahead on
every side, so two versions of the code are timed on the same positions; the printed moves show
whether they chose alike. Policies are named as in ``benchmarks/ladder.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ladder import policy_named  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "expert"
    scenario = load_scenario(find_scenario(sys.argv[2] if len(sys.argv) > 2 else "wagner_mutiny"))
    states = []
    for seed in range(4):
        match = Match(scenario, seed=seed, policies={r: policy_named("lookahead") for r in scenario.roles})
        match.start()
        taken = 0
        while not match.is_over() and taken < 5:
            if match.state.current_role() in scenario.roles:
                states.append(match.state)
                taken += 1
            match.play()
    policy = policy_named(name)
    rng = np.random.default_rng(0)  # for a policy that draws; the searches take none
    policy.choose(states[0], rng)  # warm up: plans and caches, as a playing policy has them
    times, moves = [], []
    for state in states:
        start = time.process_time()
        moves.append(policy.choose(state, rng).id)
        times.append(time.process_time() - start)
    ranked = sorted(times)
    print(
        f"{name}: {len(times)} decisions, median {statistics.median(times) * 1000:.0f} ms, "
        f"90th percentile {ranked[int(0.9 * len(ranked))] * 1000:.0f} ms, total {sum(times):.2f} s CPU"
    )
    print("moves:", " ".join(moves))


if __name__ == "__main__":
    main()
