"""CPU time of policies' decisions at fixed positions, and the moves they chose there.

    python benchmarks/expert_time.py [POLICY[,POLICY...]] [SCENARIO]

The positions are the first five decisions of four games (seeds 0 to 3) played by lookahead on
every side, so two versions of the code are timed on the same positions; the printed moves show
whether they chose alike. Policies are named as in ``benchmarks/ladder.py``. With several
policies, each decides at every position in turn (the order reversed at every other position,
so that none always goes first), and each one's total is also given as a ratio to the first
policy's, measured in the same run.
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
    names = name.split(",")
    policies = [policy_named(n) for n in names]
    rng = np.random.default_rng(0)  # for a policy that draws; the searches take none
    for policy in policies:
        policy.choose(states[0], rng)  # warm up: plans and caches, as a playing policy has them
    times: list[list[float]] = [[] for _ in names]
    moves: list[list[str]] = [[] for _ in names]
    for i, state in enumerate(states):
        order = range(len(names)) if i % 2 == 0 else reversed(range(len(names)))
        for k in order:
            start = time.process_time()
            moves[k].append(policies[k].choose(state, rng).id)
            times[k].append(time.process_time() - start)
    first = sum(times[0])
    for n, taken, chosen in zip(names, times, moves):
        ranked = sorted(taken)
        print(
            f"{n}: {len(taken)} decisions, median {statistics.median(taken) * 1000:.0f} ms, "
            f"90th percentile {ranked[int(0.9 * len(ranked))] * 1000:.0f} ms, total {sum(taken):.2f} s CPU"
            + (f", {sum(taken) / first:.2f} times the first" if len(names) > 1 else "")
        )
        print("moves:", " ".join(chosen))


if __name__ == "__main__":
    main()
