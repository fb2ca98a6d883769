"""The expert: exact endgames, and a sampled search with leaves played out to the end.

For a decision it first tries to solve the rest of the game exactly (:mod:`game.ai.exact`)
within a budget of states (``exact``). When the game from there is too big, it searches a
sampled tree (:mod:`game.ai.tree`): every move and outcome exactly, then ``depth`` more
decisions (normally the other side's reply) with the world's rolls before them sampled along
``paths`` lines of luck, and at the leaves ``playouts`` games to the end through the batch
engine with every role following the ``rollout`` policy, on shared random streams (common
random numbers). It does so in every state the role may be in (:func:`game.ai.worlds.worlds`)
and weighs their values.

The move chosen is the best by the role's aim (expected score, then chance of winning; ties to
file order). The search's draws come from generators seeded by the decision itself
(:func:`game.ai.worlds.seed_of`), never from the match: the same state gives the same move,
so saved games replay exactly, and the match's draw order is that of a policy taking no draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.ai import exact
from game.ai.options import whole_number
from game.ai.tree import Builder, Node, back_up, value_leaves
from game.ai.worlds import seed_of, worlds
from game.core.errors import CrisisError, IllegalAction
from game.core.model import WORLD, Scenario
from game.core.state import Move, State

DEFAULT_PLAYOUTS = 48
DEFAULT_DEPTH = 0
DEFAULT_PATHS = 3
DEFAULT_ROLLOUT = "greedy"
MAX_DEPTH = 3
MAX_PATHS = 64
DEFAULT_EXACT = 50_000  # distinct states the exact solver may take before a decision falls back to playouts
MAX_PLAYOUTS = 100_000
MAX_EXACT = exact.MAX_BUDGET
ROLLOUTS = ("greedy", "weighted", "random", "historical")


@dataclass(frozen=True)
class Estimate:
    """A move's value for every role: expected scores and chances of winning, with their spread."""

    value: exact.Value
    spread: tuple[float, ...]  # standard error of each role's expected score (0 where exact)
    playouts: int  # playouts behind it (0: exact)


@dataclass(frozen=True)
class Finding:
    """What the expert found for one decision."""

    move: Move
    options: tuple[tuple[Move, Estimate], ...]
    roles: tuple[str, ...]
    exact: bool  # True when the rest of the game was solved exactly
    states: int  # states the exact solver generated
    playouts: int  # playouts played in all

    def estimate(self, move: Move) -> Estimate:
        for option, estimate in self.options:
            if option.id == move.id:
                return estimate
        raise KeyError(move.id)


class ExpertPolicy:
    """Exact endgames and paired playouts to the end; the strongest policy (it peeks, for now)."""

    name = "expert"

    def __init__(
        self,
        playouts: int = DEFAULT_PLAYOUTS,
        depth: int = DEFAULT_DEPTH,
        paths: int = DEFAULT_PATHS,
        exact: int = DEFAULT_EXACT,
        rollout: str = DEFAULT_ROLLOUT,
    ):
        self.playouts = whole_number("expert", "playouts", playouts, 1, MAX_PLAYOUTS)
        self.depth = whole_number("expert", "depth", depth, 0, MAX_DEPTH)
        self.paths = whole_number("expert", "paths", paths, 1, MAX_PATHS)
        self.exact = whole_number("expert", "exact", exact, 0, MAX_EXACT)
        if rollout not in ROLLOUTS:
            raise CrisisError(f"expert rollout must be one of {', '.join(ROLLOUTS)}, not {rollout!r}")
        self.rollout = rollout
        self._plans: dict[int, object] = {}

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return self.find(state).move

    def find(self, state: State) -> Finding:
        """Search the decision at ``state`` and return what was found."""
        role = state.current_role()
        moves = state.legal_actions()
        if role is None or role == WORLD or not moves:
            raise IllegalAction(f"{role or 'nobody'} has no move to choose from")
        roles = tuple(state.scenario.roles)
        index = roles.index(role)
        solved = self._solved(state)
        if solved is not None:
            options = tuple((m, Estimate(v, (0.0,) * len(roles), 0)) for m, v in solved.options)
            return Finding(solved.move, options, roles, True, solved.states, 0)
        if len(moves) == 1:
            only = Estimate(exact.Value((0.0,) * len(roles), (0.0,) * len(roles)), (0.0,) * len(roles), 0)
            return Finding(moves[0], ((moves[0], only),), roles, False, 0, 0)
        estimates, played = self._searched(state, role, moves)
        chosen = exact.best([e.value for e in estimates], index)
        return Finding(moves[chosen], tuple(zip(moves, estimates)), roles, False, 0, played)

    def _solved(self, state: State) -> exact.Solution | None:
        """The exact solution when the rest of the game fits the budget (solved on the batch engine)."""
        from game.analysis import backward

        if self.exact <= 0:
            return None
        try:
            found = backward.solve(self._plan(state.scenario), state, self.exact)
        except exact.TooBig:
            return None
        moves = state.legal_actions()
        return exact.Solution(state, found.value, tuple(zip(moves, found.options)), moves[found.best], found.states)

    def _searched(self, state: State, role: str, moves: tuple[Move, ...]) -> tuple[list[Estimate], int]:
        """Each move's estimate from the sampled trees of every state the role may be in."""
        from game.analysis.paired import PairedDraws

        seed = seed_of(state, role)
        roots = []
        leaves: list[Node] = []
        for world in worlds(state, role):
            builder = Builder(self.paths, PairedDraws((*seed, 1), np.arange(self.paths)))
            roots.append((world.weight, builder.decision(world.state, self.depth)))
            leaves += builder.leaves
        if leaves:
            found = self._play(state, [leaf.state for leaf in leaves], seed)
            value_leaves(leaves, found.scores, found.wins)
        n = len(state.scenario.roles)
        estimates = []
        for m in range(len(moves)):
            scores, wins, variance = np.zeros(n), np.zeros(n), np.zeros(n)
            for weight, root in roots:
                node = root.options[m][1]
                value = back_up(node)
                scores += weight * np.asarray(value.scores)
                wins += weight * np.asarray(value.wins)
                variance += weight**2 * np.asarray(node.variance)
            value = exact.Value(tuple(float(x) for x in scores), tuple(float(x) for x in wins))
            estimates.append(Estimate(value, tuple(float(x) for x in np.sqrt(variance)), 0))
        return estimates, self.playouts * len(leaves)

    def _play(self, state: State, starts: list[State], seed: tuple[int, ...]):
        from game.analysis.rollouts import playouts
        from game.analysis.vpolicies import VECTORISED

        plan = self._plan(state.scenario)
        lineup = {role: VECTORISED[self.rollout]() for role in plan.roles}
        return playouts(plan, lineup, starts, np.arange(self.playouts), seed)

    def _plan(self, scenario: Scenario):
        from game.analysis.plan import Plan

        key = id(scenario)
        found = self._plans.get(key)
        if found is None or found.scenario is not scenario:
            self._plans.clear()
            found = self._plans[key] = Plan(scenario)
        return found

    def explain(self, state: State) -> str:
        finding = self.find(state)
        role = state.current_role()
        index = finding.roles.index(role)
        chosen = finding.estimate(finding.move).value
        worth = f"{chosen.scores[index]:.1f} with a {chosen.wins[index]:.0%} chance of winning"
        if finding.exact:
            return (
                f"has solved the rest of the game ({finding.states:,} states): '{finding.move.title}' is worth {worth}"
            )
        if finding.playouts == 0:
            return f"has one move open: '{finding.move.title}'"
        return f"searched {finding.playouts:,} games to the end: '{finding.move.title}' expects {worth}"
