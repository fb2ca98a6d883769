"""How much any policy could score against a fixed one: the exact best reply on a small scenario.

    python benchmarks/best_reply.py [SCENARIO] [--policy NAME] [--max-nodes M] [--depth D] [--budget B]

Builds the whole game tree of SCENARIO (default: the tutorial) as the equilibrium solver does,
fixes one role's play to the move of a policy that takes no draws (``--policy``: the peeking
lookahead by default, with ``--depth`` and ``--budget``; or a name as the ladder takes it, such
as ``hard`` or ``greedy``) in every state, and computes the other role's best reply to it
exactly: the strategy, over what that role knows (its information sets, as the core's
information model draws them), with the highest expected score against that policy. No policy
that plays by what it knows can expect more in that seat, however it searches.

For each seat it prints the expected score of the fixed policy there (the policy against
itself), the best reply's, and the difference; and, beside them, each role's value at the CFR+
solution (``--iterations``, 0 to leave out). Everything is exact expectation over the tree's
chance nodes: there is no sampling and no spread.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ladder import policy_named  # noqa: E402
from game.ai.lookahead import DEFAULT_BUDGET, DEFAULT_DEPTH, LookaheadPolicy  # noqa: E402
from game.analysis import equilibrium, gametree  # noqa: E402
from game.core.state import State  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402

# Policies that draw from the generator play a mixed strategy, which one move per state cannot hold.
DRAWING = {"random", "weighted", "easy", "normal"}


def policy_slots(scenario, tree: gametree.Tree, policy) -> np.ndarray:
    """The policy's option index at every decision state of the graph (-1 elsewhere)."""
    graph = tree.graph
    slots = np.full(len(graph.kind), -1, dtype=np.int64)
    rng = np.random.default_rng(0)  # the policy takes no draws; the interface wants a generator
    for gid, kind in enumerate(graph.kind):
        if kind != gametree.DECISION:
            continue
        values, turn, step, ending = graph.sig[gid]
        state = State(scenario, values, turn, step, ending)
        move = policy.choose(state, rng)
        slots[gid] = [m.id for m in state.legal_actions()].index(move.id)
    return slots


def fixed_weights(passes: equilibrium.Passes, tree: gametree.Tree, slots: np.ndarray) -> np.ndarray:
    """Edge weights with every decision edge 1 where it is the fixed policy's move, 0 elsewhere."""
    weights = tree.prob.copy()
    decided = ~passes.chance
    chosen = slots[tree.graph_node[tree.parent]] == tree.slot
    weights[decided] = chosen[decided].astype(np.float64)
    return weights


def diverging(passes: equilibrium.Passes, weights: np.ndarray, played: np.ndarray) -> float:
    """The chance that a game of the policy against itself reaches a state where the best reply
    would play otherwise: the share of seed-paired games in which the two could score differently."""
    tree = passes.tree
    differs = np.zeros(tree.nodes, dtype=bool)
    differs[tree.parent[played != weights]] = True
    reach = np.zeros(tree.nodes)
    reach[0] = 1.0
    for j in range(passes.levels):
        sl = slice(tree.edge_start[j], tree.edge_start[j + 1])
        parent = tree.parent[sl]
        reach[tree.child[sl]] = np.where(differs[parent], 0.0, reach[parent] * weights[sl])
    return float(reach[differs].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="tutorial")
    parser.add_argument("--policy", default="lookahead", help="the fixed side: a policy that takes no draws")
    parser.add_argument("--max-nodes", type=int, default=30_000_000)
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH)
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET)
    parser.add_argument("--iterations", type=int, default=300, help="CFR+ rounds for the equilibrium column")
    args = parser.parse_args()
    if args.policy.split("/")[0] in DRAWING:
        parser.error(f"policy '{args.policy}' draws its moves; the fixed side must take no draws")
    if args.policy == "lookahead":
        policy, label = (
            LookaheadPolicy(depth=args.depth, budget=args.budget),
            (f"the lookahead (depth {args.depth}, budget {args.budget:,})"),
        )
    else:
        policy, label = policy_named(args.policy), args.policy
    scenario = load_scenario(find_scenario(args.scenario))
    started = time.process_time()
    tree = gametree.build(scenario, args.max_nodes)
    sets = equilibrium.infosets(tree)
    passes = equilibrium.Passes(tree, sets)
    print(
        f"{scenario.meta.title}: {tree.nodes:,} nodes from {tree.states:,} distinct states, "
        f"{sets.count:,} information sets"
    )
    slots = policy_slots(scenario, tree, policy)
    weights = fixed_weights(passes, tree, slots)
    solution = equilibrium.solve(tree, sets, args.iterations) if args.iterations > 0 else None
    print(f"  {label} on both sides, and the best reply to it:")
    for r, role in enumerate(tree.roles):
        own = float(passes.values(weights, r)[0])
        reply, played = equilibrium.best_reply(passes, weights, r)
        apart = diverging(passes, weights, played)
        line = (
            f"  {role:>14}: {args.policy} {own:8.3f}   best reply {reply:8.3f}   gain {reply - own:+7.3f}"
            f"   plays otherwise in {apart:.1%} of games (by-aim rate at most {0.5 + apart / 2:.1%})"
        )
        if solution is not None:
            line += f"   (equilibrium value {solution.values[r]:.3f}, NashConv {solution.nash_conv:.4f})"
        print(line)
    print(f"  {time.process_time() - started:.1f} s processor")


if __name__ == "__main__":
    main()
