"""The expert: exact endgames, and a sampled search with leaves played out to the end.

It decides from what its role knows: it plays in the states the role may be in, every one of
them when the role's belief holds at most ``every``, else ``samples`` of them drawn from the
belief (:func:`game.ai.worlds.worlds`), weighed by their chances. For a decision it first tries to solve the rest of the game exactly in each of
them (:mod:`game.ai.exact`, on the batch engine) within a budget of states (``exact``, shared
among them), unless a rough size of the rest of the game (:func:`rough_size`) says at once
that it cannot fit. In the scenario's last turn, where the rest of the game is short, the budget
is ``last_exact`` instead (when larger), and when the solve of the cut list of offers
(:func:`solvable`) took few enough states that a wider root would fit the budget at the same
cost per move, it is solved again with every move at the root (or each channel's
``WIDER_PER_CHANNEL`` best offers), and then over every truth of the belief where those fit at
the same cost per truth. When the game from there
is too big, it searches a sampled tree (:mod:`game.ai.tree`): every move and outcome exactly, then ``depth`` more
decisions (normally the other side's reply) with the world's rolls before them sampled along
``paths`` lines of luck, and at the leaves ``playouts`` games to the end through the batch
engine, the searching role following the ``rollout`` policy and every other role ``others``
(by default as the scenario pictures that role, its ``modelled_as``, or else by ``rollout``;
``mixed``: greedy on even streams and weighted on odd ones), on shared random streams (common random numbers), and the leaves below
the ``focus`` best options so far ``more`` times again on
further streams; a round plays at most ``games`` playouts in all, fewer per leaf past that. Each option's value is the weighted mean of its values in those states.

The move chosen is the best by the role's aim (expected score, then chance of winning; ties to
file order). The search's draws come from generators seeded by the role's information key
(:func:`game.ai.worlds.seed_of`), never from the match: what the role cannot tell apart gives
the same move, saved games replay exactly, and the match's draw order is that of a policy
taking no draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.ai import exact, shortlist
from game.ai.bargain import acceptance, considered
from game.ai.options import whole_number
from game.ai.plans import plan_for
from game.ai.tree import Builder, Node, back_up, value_leaves
from game.ai.worlds import World, belief, seed_of, worlds
from game.core import negotiation as deals
from game.core.errors import CrisisError, IllegalAction
from game.core.information import apparent
from game.core.model import WORLD
from game.core.state import Move, State

DEFAULT_PLAYOUTS = 96
DEFAULT_SAMPLES = 4
DEFAULT_EVERY = 4  # the largest belief searched truth by truth in full; past it, ``samples`` are drawn
DEFAULT_DEPTH = 0
DEFAULT_PATHS = 3
DEFAULT_ROLLOUT = "greedy"
DEFAULT_FOCUS = 3  # the best options so far that get a second round of playouts
DEFAULT_MORE = 0  # ... of this many playouts more per state (none by default: see docs/ai.md)
DEFAULT_GAMES = 4_608  # the most playouts one round plays in all; past it, fewer per leaf
MAX_DEPTH = 3
MAX_PATHS = 64
MAX_SAMPLES = 64
MAX_FOCUS = 64
DEFAULT_EXACT = 100_000  # distinct states the exact solver may take before a decision falls back to playouts
DEFAULT_LAST_EXACT = 250_000  # ... for a decision in the scenario's last turn, where the rest of the game is short
SOLVE_PER_CHANNEL = 4  # offers of each channel the exact solver takes at the root
WIDER_PER_CHANNEL = 8  # ... in the last turn, when every move would not fit the budget but these would
TRY_MARGIN = 1  # the exact solver is tried only when the rough size of the rest of the game is within its budget
MAX_PLAYOUTS = 100_000
MAX_GAMES = 10_000_000
MAX_EXACT = exact.MAX_BUDGET
ROLLOUTS = ("greedy", "weighted", "random", "historical")
MIXED = ("greedy", "weighted")  # the other side's policies of ``others="mixed"``, by stream number
OTHERS = (*ROLLOUTS, "mixed")


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
    """Exact endgames and paired playouts to the end, from what its role knows; the strongest policy."""

    name = "expert"

    def __init__(
        self,
        playouts: int = DEFAULT_PLAYOUTS,
        depth: int = DEFAULT_DEPTH,
        paths: int = DEFAULT_PATHS,
        exact: int = DEFAULT_EXACT,
        rollout: str = DEFAULT_ROLLOUT,
        samples: int = DEFAULT_SAMPLES,
        focus: int = DEFAULT_FOCUS,
        more: int = DEFAULT_MORE,
        others: str = "",
        last_exact: int = DEFAULT_LAST_EXACT,
        games: int = DEFAULT_GAMES,
        every: int = DEFAULT_EVERY,
    ):
        self.playouts = whole_number("expert", "playouts", playouts, 1, MAX_PLAYOUTS)
        self.depth = whole_number("expert", "depth", depth, 0, MAX_DEPTH)
        self.paths = whole_number("expert", "paths", paths, 1, MAX_PATHS)
        self.exact = whole_number("expert", "exact", exact, 0, MAX_EXACT)
        self.samples = whole_number("expert", "samples", samples, 1, MAX_SAMPLES)
        self.every = whole_number("expert", "every", every, 1, MAX_SAMPLES)
        self.last_exact = whole_number("expert", "last_exact", last_exact, 0, MAX_EXACT)
        self.focus = whole_number("expert", "focus", focus, 0, MAX_FOCUS)
        self.more = whole_number("expert", "more", more, 0, MAX_PLAYOUTS)
        self.games = whole_number("expert", "games", games, 1, MAX_GAMES)
        if rollout not in ROLLOUTS:
            raise CrisisError(f"expert rollout must be one of {', '.join(ROLLOUTS)}, not {rollout!r}")
        self.rollout = rollout
        if others and others not in OTHERS:
            raise CrisisError(f"expert others must be one of {', '.join(OTHERS)}, not {others!r}")
        self.others = others  # "": each role as the file pictures it (``modelled_as``), else as ``rollout``

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
        if len(moves) == 1:
            only = Estimate(exact.Value((0.0,) * len(roles), (0.0,) * len(roles)), (0.0,) * len(roles), 0)
            return Finding(moves[0], ((moves[0], only),), roles, False, 0, 0)
        last = self.exact > 0 and self.last_exact > 0 and state.turn >= state.scenario.calendar.turn_limit
        budget = max(self.exact, self.last_exact) if last else self.exact
        possible = worlds(state, role, self.samples, self.every)
        wide = solvable(state, role, moves)
        solved = self._solved(state, possible, wide, budget)
        if last and solved is not None:
            wide, solved = self._wider(state, possible, moves, wide, solved, budget)
        if solved is not None:
            values, states = solved
            chosen = exact.best(values, index)
            options = tuple((m, Estimate(v, (0.0,) * len(roles), 0)) for m, v in zip(wide, values))
            return Finding(wide[chosen], options, roles, True, states, 0)
        moves = weighed(state, role, moves)
        estimates, played = self._searched(state, role, moves, possible)
        chosen = exact.best([e.value for e in estimates], index)
        return Finding(moves[chosen], tuple(zip(moves, estimates)), roles, False, 0, played)

    def _wider(self, state: State, possible, moves, wide, solved, budget: int):
        """A last-turn decision solved cheaply, solved again more widely where that fits the budget
        at the same cost per move and per truth: first the root, with every open move if they fit,
        else each channel's ``WIDER_PER_CHANNEL`` best offers; then the belief, with every truth
        the role cannot rule out (at most ``MAX_SAMPLES`` of them, drawn) where more than were
        searched. Returns the root's moves and their solution."""
        role = state.current_role()
        if len(wide) < len(moves):

            def fits(wider: tuple[Move, ...]) -> bool:
                return len(wide) < len(wider) and solved[1] * len(wider) <= budget * len(wide)

            wider = moves if fits(moves) else solvable(state, role, moves, WIDER_PER_CHANNEL)
            if fits(wider):
                again = self._solved(state, possible, wider, budget)
                if again is not None:
                    wide, solved = wider, again
        whole = worlds(state, role, MAX_SAMPLES, MAX_SAMPLES)
        if len(possible) < len(whole) and solved[1] * len(whole) <= budget * len(possible):
            again = self._solved(state, whole, wide, budget)
            if again is not None:
                solved = again
        return wide, solved

    def _solved(
        self, state: State, possible: tuple[World, ...], moves: tuple[Move, ...], budget: int
    ) -> tuple[list[exact.Value], int] | None:
        """Each of ``moves``' exact values, weighed over the possible states, when the rest of the
        game fits the budget in every one of them (solved on the batch engine); None otherwise.
        Not tried at all when the rough size of the rest of the game (:func:`rough_size`) is past
        ``TRY_MARGIN`` budgets: an attempt that gives up costs as much as a search."""
        from game.analysis import backward

        if budget <= 0:
            return None
        plan = plan_for(state.scenario)
        budget //= len(possible)
        if any(rough_size(plan, w.state, len(moves), TRY_MARGIN * budget) > TRY_MARGIN * budget for w in possible):
            return None
        n = len(state.scenario.roles)
        ids = {m.id for m in moves}
        root = np.array([m.id in ids for m in plan.moves_of[state.current_role()]])
        scores, wins = np.zeros((len(moves), n)), np.zeros((len(moves), n))
        states = 0
        for world in possible:
            try:
                found = backward.solve(plan, world.state, budget, root)
            except exact.TooBig:
                return None
            if len(found.options) != len(moves):  # a move open in one possible state and not another
                return None
            states += found.states
            for m, value in enumerate(found.options):
                scores[m] += world.weight * np.asarray(value.scores)
                wins[m] += world.weight * np.asarray(value.wins)
        values = [exact.Value(tuple(float(x) for x in s), tuple(float(x) for x in w)) for s, w in zip(scores, wins)]
        return values, states

    def _searched(
        self, state: State, role: str, moves: tuple[Move, ...], possible: tuple[World, ...]
    ) -> tuple[list[Estimate], int]:
        """Each move's estimate from the sampled trees of every state the role may be in: every
        leaf played out ``playouts`` times, then the leaves below the ``focus`` best moves so far
        ``more`` times again, on the next streams (so every option still meets the same luck)."""
        from game.analysis.paired import PairedDraws

        seed = seed_of(state, role)
        roots = []
        leaves: list[Node] = []
        for world in possible:
            builder = Builder(self.paths, PairedDraws((*seed, 1), np.arange(self.paths)))
            roots.append((world.weight, builder.decision(world.state, self.depth, moves)))
            leaves += builder.leaves
        if not leaves:
            return self._estimates(roots, len(moves), len(state.scenario.roles)), 0
        first = self._per_leaf(self.playouts, len(leaves))
        found = self._play(state, [leaf.state for leaf in leaves], seed, np.arange(first))
        scores, wins = list(found.scores), list(found.wins)
        value_leaves(leaves, scores, wins)
        estimates = self._estimates(roots, len(moves), len(state.scenario.roles))
        played = first * len(leaves)
        if self.more and self.focus and len(moves) > 1:
            index = tuple(state.scenario.roles).index(role)
            ranked = sorted(range(len(moves)), key=lambda m: (estimates[m].value.key(index), -m), reverse=True)
            chosen = set(ranked[: self.focus])
            where = {id(leaf): i for i, leaf in enumerate(leaves)}
            again = sorted(
                {where[id(leaf)] for _, root in roots for m in chosen for leaf in _leaves(root.options[m][1])}
            )
            if again:
                streams = np.arange(first, first + self._per_leaf(self.more, len(again)))
                extra = self._play(state, [leaves[i].state for i in again], seed, streams)
                for k, i in enumerate(again):
                    scores[i] = np.concatenate([scores[i], extra.scores[k]])
                    wins[i] = np.concatenate([wins[i], extra.wins[k]])
                value_leaves(leaves, scores, wins)
                estimates = self._estimates(roots, len(moves), len(state.scenario.roles))
                played += streams.size * len(again)
        return estimates, played

    def _per_leaf(self, wanted: int, leaves: int) -> int:
        """Playouts for each of ``leaves`` in one round: ``wanted``, or fewer (at least one)
        when that many would pass ``games`` in all. A round's time grows with its games, and
        the decisions with the most leaves (many options in several states at once) would
        otherwise take the longest."""
        return max(1, min(wanted, self.games // max(leaves, 1)))

    @staticmethod
    def _estimates(roots, count: int, n: int) -> list[Estimate]:
        """Each root option's value weighed over the possible states, from its leaves' values."""
        estimates = []
        for m in range(count):
            scores, wins, variance = np.zeros(n), np.zeros(n), np.zeros(n)
            for weight, root in roots:
                node = root.options[m][1]
                value = back_up(node)
                scores += weight * np.asarray(value.scores)
                wins += weight * np.asarray(value.wins)
                variance += weight**2 * np.asarray(node.variance)
            value = exact.Value(tuple(float(x) for x in scores), tuple(float(x) for x in wins))
            estimates.append(Estimate(value, tuple(float(x) for x in np.sqrt(variance)), 0))
        return estimates

    def _play(self, state: State, starts: list[State], seed: tuple[int, ...], streams: np.ndarray):
        """Play ``starts`` out once per stream. With ``others="mixed"`` the other side's policy
        of a playout is fixed by its stream's number (even: greedy, odd: weighted), so that
        every option meets both models on the same streams and the averages cover both."""
        from game.analysis.rollouts import Playouts, playouts
        from game.analysis.vpolicies import VECTORISED

        plan = plan_for(state.scenario)
        me = state.current_role()
        kept = shortlist.allowed(state, me, plan) if state.scenario.negotiation is not None else None

        def lineup(others: str) -> dict:
            chosen = {
                role: VECTORISED[self.rollout if role == me else others or self._model(state, role)]()
                for role in plan.roles
            }
            if kept is not None:
                chosen = {role: shortlist.Shortlisted(policy, kept[role]) for role, policy in chosen.items()}
            return chosen

        if self.others != "mixed":
            return playouts(plan, lineup(self.others), starts, streams, seed)  # "" reads the file's models
        streams = np.asarray(streams)
        shape = (len(starts), len(streams), len(plan.roles))
        scores, wins = np.zeros(shape), np.zeros(shape)
        for parity, others in enumerate(MIXED):
            mine = np.flatnonzero(streams % len(MIXED) == parity)
            if len(mine):
                part = playouts(plan, lineup(others), starts, streams[mine], seed)
                scores[:, mine], wins[:, mine] = part.scores, part.wins
        return Playouts(scores, wins)

    def _model(self, state: State, role: str) -> str:
        """How the playouts play ``role``, another side than the searcher's: as the scenario
        pictures it (``modelled_as``), or else by the searcher's own ``rollout``."""
        return state.scenario.roles[role].modelled_as or self.rollout

    def explain(self, state: State) -> str:
        finding = self.find(state)
        role = state.current_role()
        index = finding.roles.index(role)
        chosen = finding.estimate(finding.move).value
        worth = f"{chosen.scores[index]:.1f} with a {chosen.wins[index]:.0%} chance of winning"
        if finding.exact:
            return (
                f"has solved the rest of the game in the states it thinks possible ({finding.states:,} states): "
                f"'{finding.move.title}' is worth {worth}"
            )
        if finding.playouts == 0:
            return f"has one move open: '{finding.move.title}'"
        return f"searched {finding.playouts:,} games to the end: '{finding.move.title}' expects {worth}"


def _leaves(node: Node) -> list[Node]:
    """The leaves (states to play out) below ``node``."""
    if node.kind == "leaf":
        return [node]
    below = [child for _, child in node.children] + [child for _, child in node.options]
    return [leaf for child in below for leaf in _leaves(child)]


def rough_size(plan, state: State, first: int, enough: float) -> float:
    """A rough size of the game from ``state`` to its end, for deciding whether to try solving it:
    the product, over the decisions still to come, of how many moves their role has open now
    (``first`` for the decision at hand), stopped once past ``enough``. It counts neither the
    outcomes and rolls (which make the game bigger) nor positions met again by other lines
    (which make it smaller): a guess, taken from the state alone, that costs a few legality
    checks where an attempt that gives up costs a whole layer or two of the solver."""
    from game.analysis.batch import env_at, legal
    from game.analysis.rollouts import position_of

    root = position_of(plan, state)
    rows = np.asarray(state.values, dtype=np.float64)[:, None]
    size = float(first)
    for pos in range(root + 1, plan.turn_limit * plan.per_turn):
        if size > enough:
            break
        name = plan.role_at(pos)
        if name is not None:
            size *= max(1, int(legal(plan, name, env_at(plan, rows, pos), 1).sum()))
    return size


def solvable(state: State, role: str, moves: tuple[Move, ...], keep: int = SOLVE_PER_CHANNEL) -> tuple[Move, ...]:
    """The moves the expert tries to solve exactly: where the scenario bargains, each channel's
    offers cut to the ``keep`` best as the role makes the state out, and none left
    out for the other side's expected refusal: the exact solution lets the other side answer by
    its own aim, and it may take an offer its bottom line would refuse."""
    if state.scenario.negotiation is None:
        return moves
    return tuple(considered(state, moves, keep=keep, env=apparent(state, role)))


def weighed(state: State, role: str, moves: tuple[Move, ...]) -> tuple[Move, ...]:
    """The moves the expert searches, from what its role knows: each channel's offers cut to the
    few best as the role makes the state out (:func:`game.ai.bargain.considered`), and no offer
    that its belief says the other side would refuse in every truth it cannot rule out (an offer
    that cannot be accepted only costs what the channel costs). When every offer is cut that
    way, the rest is searched; when nothing would be left, the moves as they were."""
    if state.scenario.negotiation is None:
        return moves
    kept = considered(state, moves, env=apparent(state, role))
    offers = [m for m in kept if deals.offer_of(state.scenario, m.id) is not None]
    if offers:
        known = belief(state, role)
        refused = {m.id for m in offers if acceptance(known, m).high <= 0.0}
        kept = [m for m in kept if m.id not in refused] or kept
    return tuple(kept)
