"""``crisis solve FILE --equilibrium``: an equilibrium of the whole game as each role knows it.

Only for small scenarios: the whole game tree from the start is built (its starting draws are
chance nodes), up to ``--max-nodes`` nodes; a bigger game is refused in one line. CFR+ runs
``--iterations`` rounds (:mod:`game.analysis.equilibrium`). The output says what was computed:
the solution concept, the tree's size, each role's value and what it could gain by a best
response, the NashConv, and the strategy at the opening decision.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from game.analysis import equilibrium, gametree
from game.core import information
from game.core.errors import CrisisError
from game.core.model import Scenario
from game.core.state import State

DEFAULT_ITERATIONS = 300
DEFAULT_MAX_NODES = 10_000_000


def run(scenario: Scenario, args: argparse.Namespace) -> int:
    if args.save or args.turn is not None:
        raise CrisisError("--equilibrium solves the whole game from its start: it takes no --save or --turn")
    started = time.perf_counter()
    tree = gametree.build(scenario, args.max_nodes)
    sets = equilibrium.infosets(tree)
    built = time.perf_counter() - started
    if sets.count == 0:
        raise CrisisError("no role has a decision to make in this game: there is no strategy to find")
    marks = tuple(k for k in (1, 10, 100, 1_000, 10_000, 100_000) if k < args.iterations) + (args.iterations,)
    solution = equilibrium.solve(tree, sets, args.iterations, marks)
    print(render(scenario, tree, sets, solution, built))
    return 0


def render(
    scenario: Scenario, tree: gametree.Tree, sets: equilibrium.InfoSets, found: equilibrium.Solution, built: float
) -> str:
    names = [scenario.roles[r].name for r in tree.roles]
    counts = [int((tree.kind == k).sum()) for k in (gametree.DECISION, gametree.CHANCE, gametree.ENDING)]
    zero_sum = equilibrium.constant_sum(tree)
    lines = [
        f"{scenario.meta.title}: an equilibrium of the whole game from its start (starting draws are chance moves)",
        f"Solution concept: {equilibrium.CONCEPT} ({found.iterations:,} iterations; the average strategy). "
        "Each role plays for its expected score.",
        f"Game tree: {tree.nodes:,} nodes ({counts[0]:,} decisions in {sets.count:,} information sets, "
        f"{counts[1]:,} chance nodes, {counts[2]:,} endings) from {tree.states:,} distinct states; "
        f"built in {built:.1f} s, solved in {found.seconds:.1f} s.",
    ]
    width = max(len("role"), *(len(n) for n in names))
    lines.append(f"{'role':<{width}}  {'value':>9}  {'best reply':>10}  {'gain':>8}")
    for name, value, reply, gain in zip(names, found.values, found.replies, found.gains):
        lines.append(f"{name:<{width}}  {value:9.3f}  {reply:10.3f}  {gain:8.4f}")
    lines.append(
        "Value: the role's expected score when everyone plays the strategy; best reply: its expected score "
        "if it alone switched to its best response; gain: the difference."
    )
    trend = ", ".join(f"{m.iteration:,}: {m.nash_conv:.4f}" for m in found.checkpoints)
    if zero_sum:
        lines.append(
            f"NashConv (the sum of the gains): {found.nash_conv:.4f}; exploitability (half of it): "
            f"{found.nash_conv / 2:.4f}. The game is zero-sum, so CFR+ converges to an equilibrium."
        )
    else:
        lines.append(
            f"NashConv (the sum of the gains): {found.nash_conv:.4f}; 0 would be an exact equilibrium. The game "
            "is not zero-sum: CFR+ is not guaranteed to converge there, and this is the distance it reached."
        )
    lines.append(f"NashConv by iterations: {trend}.")
    lines += _opening(scenario, tree, sets, found)
    return "\n".join(lines)


def _opening(scenario: Scenario, tree: gametree.Tree, sets: equilibrium.InfoSets, found) -> list[str]:
    """The strategy at the game's first decisions, in each information set they can be met in.

    No decision comes before them, so the chance of meeting each set is chance's alone."""
    first = int(sets.example.min())
    level = int(np.searchsorted(tree.node_start, first, side="right") - 1)
    lo, hi = int(tree.node_start[level]), int(tree.node_start[level + 1])
    passes = equilibrium.Passes(tree, sets)
    reach = passes.others_reach(passes.edge_weights(found.strategy), 0)
    here = sets.node_set[lo:hi]
    deciding = here >= 0
    chance = np.bincount(here[deciding], reach[lo:hi][deciding], minlength=sets.count)
    opening = [int(s) for s in np.unique(here[deciding])]
    states = {s: _state(scenario, tree, int(sets.example[s])) for s in opening}
    seen = {s: _seen(states[s], tree.roles[int(sets.role_of[s])]) for s in opening}
    common = set.intersection(*(set(v) for v in seen.values()))
    lines = [f"Opening: the strategy at the first decision, in each of its {len(opening)} information set(s):"]
    for s in opening:
        name = scenario.roles[tree.roles[int(sets.role_of[s])]].name
        shown = [text for text in seen[s] if text not in common]
        where = f"seeing {', '.join(shown)}" if shown else "at the start"
        options = states[s].legal_actions()
        start = int(sets.first[s])
        odds = ", ".join(f"{m.title} {found.strategy[start + k]:.1%}" for k, m in enumerate(options))
        lines.append(f"  {name}, {where} (chance {chance[s]:.1%}): {odds}")
    return lines


def _state(scenario: Scenario, tree: gametree.Tree, node: int) -> State:
    values, turn, step, ending = tree.graph.sig[int(tree.graph_node[node])]
    return State(scenario, values, turn, step, ending)


def _seen(state: State, role: str) -> list[str]:
    out = []
    for item in information.seen(state, role):
        var = state.scenario.variables[item.variable]
        if item.kind == "exact":
            out.append(f"{var.label or var.id} {state.format_value(var.id, item.value)}")
        else:
            low, high = state.format_value(var.id, item.low), state.format_value(var.id, item.high)
            out.append(f"{var.label or var.id} about {low} to {high}")
    return out
