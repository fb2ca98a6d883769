"""The lookahead policy: depth-limited expectimax within a fixed budget of explored states.

Every role is assumed to pick the move that is best for itself (a vector of values, one per
role, flows up the tree); chance (outcomes, and the world's event rolls) is taken by exact
expectation. Depth counts the roles' decisions only: event rolls between them are expanded in
full. Leaves are valued as the greedy policy values them (score once over, objective before), so
depth 1 is exactly greedy.

Where the scenario bargains, a role's offers through each channel are cut to the few best for it
(:func:`game.ai.bargain.considered`): the search weighs those, not every package of terms.

The search deepens one decision at a time while the budget, counted in states generated, allows;
an unfinished depth is thrown away. The budget is a count, not a clock, so a choice depends on the
state alone: games replay exactly. No chance draws are taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.ai.bargain import considered
from game.ai.value import values
from game.core.errors import CrisisError, IllegalAction
from game.core.model import WORLD
from game.core.state import Move, State

Vector = tuple[float, ...]
Branch = tuple[tuple[float, State], ...]

DEFAULT_DEPTH = 6
DEFAULT_BUDGET = 3000
CACHE_LIMIT = 20_000  # states whose transitions are kept: about 100 MB on the Wagner scenario
SAFETY = 1.5  # a depth starts only if its guessed cost, with this margin, fits: an unfinished depth is waste


@dataclass(frozen=True)
class Plan:
    """What a search found: the move, and each legal move's expected value for every role."""

    move: Move
    options: tuple[tuple[Move, Vector], ...]
    roles: tuple[str, ...]
    depth: int
    explored: int

    def value_of(self, move: Move, role: str) -> float:
        for option, vector in self.options:
            if option.id == move.id:
                return vector[self.roles.index(role)]
        raise KeyError(move.id)


class _OutOfBudget(Exception):
    """Raised inside a search that would go over its budget."""


def _key(state: State) -> tuple:
    return (state.values, state.turn, state.step, state.ending)


class Transitions:
    """What each state leads to, kept between searches: every legal move's (probability, state).

    These are facts of the rules, the same whoever asks, so sharing them between decisions (and
    games) saves work without changing any choice. The store is emptied when it grows too big.
    """

    def __init__(self, limit: int = CACHE_LIMIT):
        self.limit = limit
        self._branches: dict[tuple, tuple[Branch, ...]] = {}
        self._leaves: dict[tuple, Vector] = {}

    def branches(self, state: State) -> tuple[Branch, ...]:
        key = _key(state)
        found = self._branches.get(key)
        if found is None:
            found = tuple(_branch(state, move) for move in moves_of(state))
            self._keep(self._branches, key, found)
        return found

    def leaf(self, state: State) -> Vector:
        key = _key(state)
        found = self._leaves.get(key)
        if found is None:
            found = values(state)
            self._keep(self._leaves, key, found)
        return found

    def _keep(self, store: dict, key: tuple, item: object) -> None:
        if len(store) >= self.limit:
            store.clear()
        store[key] = item


def moves_of(state: State) -> list[Move]:
    """The moves a search weighs in ``state``: the legal ones, a channel's offers cut to its best."""
    return considered(state, state.legal_actions())


def _branch(state: State, move: Move) -> Branch:
    return tuple((p, following) for _, p, following in state.successors(move))


class _Search:
    """One decision's search: a table of solved (state, depth) pairs and the budget spent."""

    def __init__(self, transitions: Transitions, roles: tuple[str, ...]):
        self.transitions = transitions
        self.index = {role: i for i, role in enumerate(roles)}
        self.zero = (0.0,) * len(roles)
        self.budget = float("inf")
        self.explored = 0
        self.table: dict[tuple, tuple[Vector, bool]] = {}
        self.cut = False  # whether some leaf stood for a game that was not over
        self.frontier: dict[tuple, State] = {}  # the leaves that stood for a game going on

    def value(self, state: State, depth: int) -> Vector:
        if state.ending:
            return self.transitions.leaf(state)
        if depth == 0:
            self.cut = True
            self.frontier.setdefault((state.values, state.turn, state.step), state)
            return self.transitions.leaf(state)
        key = (state.values, state.turn, state.step, depth)
        found = self.table.get(key)
        if found is None:
            outer, self.cut = self.cut, False
            found = (self._expand(state, depth), self.cut)
            self.table[key] = found
            self.cut = outer
        self.cut = self.cut or found[1]
        return found[0]

    def options(self, state: State, depth: int, moves: list[Move] | None = None) -> list[Vector]:
        """Each move's expected vector, for the role to move in ``state``: the moves a search
        weighs there, or ``moves`` (the root's, when the caller chose them)."""
        return [self.expect(branch, depth - 1) for branch in self._branches(state, moves)]

    def expect(self, branch: Branch, depth: int) -> Vector:
        total = self.zero
        for p, following in branch:
            vector = self.value(following, depth)
            total = tuple(t + p * v for t, v in zip(total, vector))
        return total

    def _expand(self, state: State, depth: int) -> Vector:
        role = state.current_role()
        if role == WORLD:
            return self.expect(self._branches(state)[0], depth)
        return _best(self.options(state, depth), self.index[role])[1]

    def _branches(self, state: State, moves: list[Move] | None = None) -> tuple[Branch, ...]:
        if moves is None or [m.id for m in moves] == [m.id for m in moves_of(state)]:
            branches = self.transitions.branches(state)
        else:
            branches = tuple(_branch(state, move) for move in moves)
        self.explored += sum(len(branch) for branch in branches)
        if self.explored > self.budget:
            raise _OutOfBudget
        return branches


def _best(vectors: list[Vector], index: int) -> tuple[int, Vector]:
    """The first vector with the highest value at ``index`` (strict comparison: file order wins ties)."""
    best = 0
    for i, vector in enumerate(vectors):
        if vector[index] > vectors[best][index]:
            best = i
    return best, vectors[best]


class LookaheadPolicy:
    """Expectimax over a few decisions ahead; the strongest and the slowest policy."""

    name = "lookahead"

    def __init__(self, depth: int = DEFAULT_DEPTH, budget: int = DEFAULT_BUDGET, honest: bool | str = False):
        self.depth = _positive("depth", depth)
        self.budget = _positive("budget", budget)
        self.honest = _flag("honest", honest)
        self.transitions = Transitions()

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return self.plan(state).move

    def plan(self, state: State) -> Plan:
        """Search from ``state`` as deep as the budget allows and return what was found.

        Honest (``honest=True``), it searches each state its role may be in
        (:func:`game.ai.worlds.worlds`) with a share of the budget and weighs the values; by
        default it searches the true state: the baseline that peeks.
        """
        if not self.honest:
            return self._plan(state, self.budget)
        from game.ai.worlds import worlds
        from game.core.information import apparent

        role = state.current_role()
        possible = worlds(state, role or WORLD)
        # the root's moves as the role can tell them apart (offers cut by what it makes out), the same in every world
        moves = considered(state, state.legal_actions(), env=apparent(state, role or WORLD))
        plans = [(w.weight, self._plan(w.state, max(self.budget // len(possible), 1), moves)) for w in possible]
        roles = plans[0][1].roles
        found = [
            tuple(sum(weight * plan.options[m][1][r] for weight, plan in plans) for r in range(len(roles)))
            for m in range(len(moves))
        ]
        index, _ = _best(found, roles.index(role))
        depth = min(plan.depth for _, plan in plans)
        return Plan(moves[index], tuple(zip(moves, found)), roles, depth, sum(p.explored for _, p in plans))

    def _plan(self, state: State, budget: int, moves: list[Move] | None = None) -> Plan:
        moves = moves_of(state) if moves is None else moves
        role = state.current_role()
        if not moves or role is None or role == WORLD:
            raise IllegalAction(f"{role or 'nobody'} has no move to choose from")
        roles = tuple(state.scenario.roles)
        search = _Search(self.transitions, roles)
        found = search.options(state, 1, moves)  # depth 1 always runs, whatever the budget
        search.budget = budget
        fan_out = search.explored
        depth = 1
        while search.cut and depth < self.depth:
            guess = _next_cost(list(search.frontier.values()), fan_out)
            if search.explored + SAFETY * guess > budget:
                break  # the next depth would very likely not fit: do not start it
            search.cut, search.frontier = False, {}
            try:
                found = search.options(state, depth + 1, moves)
            except _OutOfBudget:
                break
            depth += 1
        index, _ = _best(found, roles.index(role))
        return Plan(moves[index], tuple(zip(moves, found)), roles, depth, search.explored)

    def explain(self, state: State) -> str:
        plan = self.plan(state)
        role = state.current_role()
        expected = plan.value_of(plan.move, role)
        ahead = "one decision" if plan.depth == 1 else f"{plan.depth} decisions"
        text = f"looks {ahead} ahead and expects '{plan.move.title}' to bring it to {expected:.1f} by its objective"
        answer = self.expected_answer(state, plan)
        if answer is not None:
            who, move = answer
            text += f", counting on {state.scenario.roles[who].name} to answer with '{move.title}'"
        return text

    def expected_answer(self, state: State, plan: Plan) -> tuple[str, Move] | None:
        """The other side's reply the plan counts on, along the likeliest outcomes; None if unseen.

        Only for explanations: it searches the reply again, with one decision less. An honest
        lookahead names none (the likeliest line is a fact of the truth).
        """
        if plan.depth < 2 or self.honest:
            return None
        following = _likeliest(self.transitions.branches(state)[moves_of(state).index(plan.move)])
        while following.current_role() == WORLD:
            following = _likeliest(self.transitions.branches(following)[0])
        who = following.current_role()
        if who is None or who == state.current_role():
            return None
        return who, LookaheadPolicy(plan.depth - 1, self.budget).plan(following).move


def _likeliest(branch: Branch) -> State:
    """The state after the most likely outcome (the first of equals)."""
    best = branch[0]
    for pair in branch:
        if pair[0] > best[0]:
            best = pair
    return best[1]


def _next_cost(frontier: list[State], fan_out: int, sample: int = 8) -> float:
    """A guess at what one more decision costs, from the leaves of the last depth.

    A leaf at a role's move costs its own moves' outcomes; a leaf at an event roll costs the
    turn's remaining rolls plus, for every way they can go, ``fan_out`` (the root's) for the move
    that follows. Both are judged on ``sample`` leaves of each kind, spread over the list (cheap:
    nothing is played), and scaled up.
    """
    at_moves = [leaf for leaf in frontier if leaf.current_role() != WORLD]
    at_events = [leaf for leaf in frontier if leaf.current_role() == WORLD]
    return _scaled(at_moves, _fan_out, sample) + _scaled(at_events, lambda leaf: _world_cost(leaf, fan_out), sample)


def _scaled(leaves: list[State], cost: Callable[[State], float], sample: int) -> float:
    """The cost of all ``leaves``, judged on at most ``sample`` of them taken evenly."""
    if not leaves:
        return 0.0
    picked = leaves[:: max(len(leaves) // sample, 1)][:sample]
    return len(leaves) * sum(cost(leaf) for leaf in picked) / len(picked)


def _fan_out(state: State) -> int:
    """How many (move, outcome) pairs are open in ``state``."""
    return sum(len(state.outcomes(move)) for move in moves_of(state))


def _world_cost(state: State, fan_out: int) -> float:
    """The rolls of the events still to come this turn, then ``fan_out`` for each way they went."""
    ways, cost = 1, 0
    for event in state.scenario.event_list[state.step - len(state.scenario.turn_order) :]:
        outcomes = max(len(state.outcomes(event)), 1)
        cost += ways * outcomes
        ways *= outcomes
    return cost + ways * fan_out


def _flag(what: str, value: object) -> bool:
    """A yes/no option given as a bool or as text (from a command line)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    raise CrisisError(f"lookahead {what} must be true or false, not {value!r}")


def _positive(what: str, number: object) -> int:
    """An option given as a number or as text (from a command line), checked to be at least 1."""
    value = 0
    if isinstance(number, int | str) and not isinstance(number, bool):
        try:
            value = int(number)
        except ValueError:
            value = 0
    if value < 1:
        raise CrisisError(f"lookahead {what} must be a whole number of at least 1, not {number!r}")
    return value
