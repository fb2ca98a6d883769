"""The expert: exact endgames, and playouts to the end with exact chance before them.

For a decision it first tries to solve the rest of the game exactly (:mod:`game.ai.exact`)
within a budget of states. When the game from there is too big, it values each legal move on
the ending-score scale: for every state it may be in (:func:`game.ai.worlds.worlds`) and every
outcome of the move, with the outcome's exact probability, the state after it is played to the
end ``playouts`` times by the batch engine, every role following the ``rollout`` policy. The
playouts of every option share their random streams (common random numbers), so options are
compared under the same luck. A state where the game has ended is valued exactly.

The move chosen is the best by the role's aim (expected score, then chance of winning; ties to
file order). The playouts' draws come from a generator seeded by the decision itself
(:func:`game.ai.worlds.seed_of`), never from the match: the same state gives the same move,
so saved games replay exactly, and the match's draw order is that of a policy taking no draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.ai import exact
from game.ai.options import whole_number
from game.ai.worlds import seed_of, worlds
from game.core.errors import CrisisError, IllegalAction
from game.core.model import WORLD, Scenario
from game.core.state import Move, State

DEFAULT_PLAYOUTS = 48
DEFAULT_EXACT = 2_000  # states the exact solver may generate before a decision falls back to playouts
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

    def __init__(self, playouts: int = DEFAULT_PLAYOUTS, exact: int = DEFAULT_EXACT, rollout: str = "greedy"):
        self.playouts = whole_number("expert", "playouts", playouts, 1, MAX_PLAYOUTS)
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
        estimates, states, played = self._played_out(state, role, moves)
        chosen = exact.best([e.value for e in estimates], index)
        return Finding(moves[chosen], tuple(zip(moves, estimates)), roles, False, states, played)

    def _solved(self, state: State) -> exact.Solution | None:
        if self.exact <= 0:
            return None
        try:
            return exact.solve(state, self.exact)
        except exact.TooBig:
            return None

    def _played_out(self, state: State, role: str, moves: tuple[Move, ...]) -> tuple[list[Estimate], int, int]:
        """Each move's estimate: its outcomes' states valued exactly where the game has ended, else played out."""
        n_roles = len(state.scenario.roles)
        scores = np.zeros((len(moves), n_roles))
        wins = np.zeros((len(moves), n_roles))
        variance = np.zeros((len(moves), n_roles))
        parts: list[tuple[int, float, State]] = []  # (move index, weight, state) of the games going on
        for world in worlds(state, role):
            for m, move in enumerate(moves):
                for _, p, after in world.state.successors(move):
                    if after.is_over():
                        value = exact.ending_value(after)
                        scores[m] += world.weight * p * np.asarray(value.scores)
                        wins[m] += world.weight * p * np.asarray(value.wins)
                    else:
                        parts.append((m, world.weight * p, after))
        if parts:
            played = self._play(state, [s for _, _, s in parts], seed_of(state, role))
            for (m, weight, _), part_scores, part_wins in zip(parts, played.scores, played.wins):
                scores[m] += weight * part_scores.mean(axis=0)
                wins[m] += weight * part_wins.mean(axis=0)
                variance[m] += weight**2 * part_scores.var(axis=0, ddof=1) / self.playouts
        estimates = []
        for m in range(len(moves)):
            count = self.playouts * sum(1 for part in parts if part[0] == m)
            value = exact.Value(tuple(float(x) for x in scores[m]), tuple(float(x) for x in wins[m]))
            estimates.append(Estimate(value, tuple(float(x) for x in np.sqrt(variance[m])), count))
        return estimates, 0, self.playouts * len(parts)

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
        return (
            f"played each option to the end {self.playouts} times, both sides {self.rollout} after it: "
            f"'{finding.move.title}' expects {worth}"
        )
