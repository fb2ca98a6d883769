"""Exact solving: the value of a position when every line from it to the end can be searched.

Backward induction over the whole remaining game: at an ending, each role gets its score and a
win (1) or not (0) by :mod:`game.core.aim`; at the world's event rolls and at every outcome of a
move, values are exact expectations over the probabilities the rules give; at a role's decision,
the role takes the move best for it by its aim (expected score, then chance of winning; a tie
goes to the first move in file order). The result is a subgame-perfect equilibrium of the game
played on the true state, as if every role saw all of it.

Positions met again by different lines are solved once (a table keyed by the state's values,
turn and step). The work is counted in states generated; past ``budget`` the search gives up
with :class:`TooBig`, so a caller can try it and fall back to estimates. No chance draws are
taken: the same position always gives the same solution.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core import aim
from game.core.errors import IllegalAction
from game.core.limits import MAX_SOLVE_BUDGET
from game.core.model import WORLD, Scenario
from game.core.state import Move, State

DEFAULT_BUDGET = 20_000
MAX_BUDGET = MAX_SOLVE_BUDGET  # about a minute of one core and 3 GB of memory on the batch engine
CONCEPT = (
    "subgame-perfect equilibrium on the true state (every role sees everything), each role "
    "maximising its expected score, then its chance of winning"
)


@dataclass(frozen=True)
class Value:
    """What a position is worth to every role: expected score and chance of winning, in role order."""

    scores: tuple[float, ...]
    wins: tuple[float, ...]

    def key(self, index: int) -> tuple[float, float]:
        """The comparable aim of role ``index`` (game.core.aim.key)."""
        return aim.key(self.scores[index], self.wins[index])


@dataclass(frozen=True)
class Solution:
    """A solved position: its value, each legal move's value for the role to move, the best move."""

    state: State
    value: Value
    options: tuple[tuple[Move, Value], ...]
    move: Move | None
    states: int  # states generated to solve it
    positions: int = 0  # distinct positions solved (the table's size)

    def value_of(self, move: Move) -> Value:
        for option, value in self.options:
            if option.id == move.id:
                return value
        raise KeyError(move.id)


class TooBig(Exception):
    """The position needs more states than the budget allows."""


def score_bounds(scenario: Scenario) -> tuple[float, float]:
    """The lowest and highest score any ending can give any role (sound interval bounds)."""
    from game.scenario.lint_ranges import evaluate, variable_ranges

    ranges = variable_ranges(scenario)
    low, high = 0.0, 0.0  # a role an ending does not score gets 0
    for ending in scenario.endings.values():
        for _, expr in ending.scores:
            found = evaluate(expr, ranges, scenario)
            low, high = min(low, found.lo), max(high, found.hi)
    return low, high


def key_of(state: State) -> tuple:
    """What identifies a position for the search tables: values, turn, step and ending."""
    return (state.values, state.turn, state.step, state.ending)


def ending_value(state: State) -> Value:
    """The value of a game that has ended: the scores, and who won."""
    scores = state.scores()
    top = aim.winners(scores)
    won = top[0] if len(top) == 1 else None
    roles = state.scenario.roles
    return Value(tuple(scores[r] for r in roles), tuple(1.0 if r == won else 0.0 for r in roles))


def best(options: list[Value], index: int) -> int:
    """The first option with the highest aim for role ``index``: a later option is taken only
    when it beats the one chosen so far by more than rounding (:func:`game.core.aim.beats`)."""
    chosen = 0
    for i, option in enumerate(options):
        top = options[chosen]
        if aim.beats(option.scores[index], option.wins[index], top.scores[index], top.wins[index]):
            chosen = i
    return chosen


class Solver:
    """Solves positions exactly within a budget of generated states; tables last one solve."""

    def __init__(self, budget: int = DEFAULT_BUDGET):
        self.budget = budget
        self.generated = 0
        self.table: dict[tuple, Value] = {}
        self._scenario = None
        self._roles: tuple[str, ...] = ()
        self._index: dict[str, int] = {}

    def solve(self, state: State) -> Solution:
        """The solution from ``state``; raises :class:`TooBig` past the budget."""
        self._setup(state)
        if state.is_over():
            return Solution(state, ending_value(state), (), None, self.generated, 0)
        role = state.current_role()
        if role == WORLD:
            value = self.value(state)
            return Solution(state, value, (), None, self.generated, len(self.table))
        moves = state.legal_actions()
        if not moves:
            raise IllegalAction(f"{role} has no move to choose from")
        options = [self._expect(state, move) for move in moves]
        chosen = best(options, self._index[role])
        return Solution(
            state, options[chosen], tuple(zip(moves, options)), moves[chosen], self.generated, len(self.table) + 1
        )

    def value(self, state: State) -> Value:
        """The exact value of ``state`` (raises :class:`TooBig`)."""
        if state.ending:
            return ending_value(state)
        if state.scenario is not self._scenario:
            self._setup(state)
        key = key_of(state)
        found = self.table.get(key)
        if found is not None:
            return found
        role = state.current_role()
        moves = state.legal_actions()
        if role == WORLD:
            found = self._expect(state, moves[0])
        else:
            options = [self._expect(state, move) for move in moves]
            found = options[best(options, self._index[role])]
        self.table[key] = found
        return found

    def _expect(self, state: State, move: Move) -> Value:
        following = state.successors(move)
        self.generated += len(following)
        if self.generated > self.budget:
            raise TooBig
        n = len(self._roles)
        scores, wins = [0.0] * n, [0.0] * n
        for _, p, after in following:
            value = self.value(after)
            for i in range(n):
                scores[i] += p * value.scores[i]
                wins[i] += p * value.wins[i]
        return Value(tuple(scores), tuple(wins))

    def _setup(self, state: State) -> None:
        if state.scenario is not self._scenario:
            self._scenario = state.scenario
            self._roles = tuple(state.scenario.roles)
            self._index = {role: i for i, role in enumerate(self._roles)}
            self.table.clear()


def solve(state: State, budget: int = DEFAULT_BUDGET) -> Solution:
    """Solve ``state`` exactly with a fresh table; raises :class:`TooBig` past ``budget`` states."""
    return Solver(budget).solve(state)
