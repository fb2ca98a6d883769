"""Figures for the equilibrium solver: tree size, time, memory and NashConv by iterations.

    python benchmarks/equilibrium.py [SCENARIO] [--iterations N] [--max-nodes M]

Builds the whole game tree of SCENARIO (default: the tutorial) from its start, runs CFR+ for N
iterations (default 300) and prints, at 1, 3, 10, 30, 100, ... iterations and at N, the NashConv
of the average strategy and the solving time so far (wall and processor time; the time to
evaluate a checkpoint is left out of both). Then the values of each role, their best-response
values, and the process's peak memory (maximum resident set size). Timings vary with the load
of the machine: run it several times.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.analysis import equilibrium, gametree  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def marks(iterations: int) -> tuple[int, ...]:
    out, k = [], 1
    while k < iterations:
        out.append(k)
        k = k * 3 if str(k).startswith("1") else k * 10 // 3
    return (*out, iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="tutorial")
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--max-nodes", type=int, default=30_000_000)
    args = parser.parse_args()
    scenario = load_scenario(find_scenario(args.scenario))
    wall, cpu = time.perf_counter(), time.process_time()
    tree = gametree.build(scenario, args.max_nodes)
    sets = equilibrium.infosets(tree)
    built_wall, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{scenario.meta.title}: {tree.nodes:,} nodes from {tree.states:,} distinct states")
    print(f"  {sets.count:,} information sets, {sets.options:,} options")
    print(f"  built in {built_wall:.1f} s wall, {built_cpu:.1f} s processor")
    cpu = time.process_time()
    solution = equilibrium.solve(tree, sets, args.iterations, marks(args.iterations))
    cpu = time.process_time() - cpu
    print("  iterations   NashConv   seconds (wall)")
    for mark in solution.checkpoints:
        print(f"  {mark.iteration:>10,}   {mark.nash_conv:8.4f}   {mark.seconds:8.1f}")
    print(f"  solving: {solution.seconds:.1f} s wall, {cpu:.1f} s processor (checkpoints included)")
    for role, value, reply in zip(tree.roles, solution.values, solution.replies):
        print(f"  {role}: value {value:.4f}, best response {reply:.4f}, gain {reply - value:.4f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
