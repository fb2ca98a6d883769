"""Scenario lint: what is legal but suspicious in a file that already validates.

Validation says whether the engine can run a file; lint says whether the file does what its author
meant. It looks two ways. By static analysis, over the ranges each variable can take (its bounds,
narrowed by what the effects can do to it), it proves things such as "this condition can never
hold". By simulation, over many seeded random-vs-random games played through the ordinary
:class:`~game.core.match.Match`, it observes what play reaches: actions never open, endings never
reached, weights that go negative, effects that only ever push a variable into its bound.

A finding that lint proves is an ``error``; one it observed in the simulated games, or a matter of
style, is a ``warning``. Each check is a small ``check_*`` function from a :class:`Context` to
problems; :data:`CHECKS` lists them in the order they run.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from game.ai import make_policy
from game.core.errors import did_you_mean
from game.core.expr import Expr
from game.core.match import Match
from game.core.model import QUIET, Action, Event, Outcome, Scenario
from game.core.state import State
from game.scenario.problems import Problem

DEFAULT_GAMES = 1000
DEFAULT_SEED = 1
MIN_OCCURRENCES = 5  # an effect must be seen this often before lint calls it always wasted
MAX_STEPS = 100_000  # per simulated game: a guard, far above any real scenario

RULES: Mapping[str, str] = {
    "ends-at-start": "an ending's condition already holds before anyone moves",
    "action-never-open": "an action whose condition is never true (proved, or never seen open in play)",
    "ending-never-reached": "an ending that no game can reach (proved) or none of the simulated games reached",
    "event-never-happens": "an event whose chance is never above 0 (proved) or that never happened in play",
    "weight-negative": "an outcome weight that is, or becomes, negative (it then counts as 0)",
    "weights-all-zero": "every weight of an action or event is 0 or less, so its outcomes fall back to equal odds",
    "effect-at-bound": "an effect that only ever pushes a number against its min or max, changing nothing",
    "variable-unread": "a variable that no condition, weight, score, effect or text reads",
    "variable-unchanged": "a variable that no effect ever changes",
    "text-bare-name": "prose that writes a variable's id without braces, or a near-miss of one",
    "history-missing": "the scenario claims history (a historical ending) but tells none",
    "history-turns": "a history note that names turns outside the calendar",
    "role-idle": "a role in the turn order with no actions",
}


# ranges: what values a variable can take ------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A closed range of numbers; booleans are ranges within 0..1 and places ranges of indices."""

    lo: float
    hi: float

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def can_be_true(self) -> bool:
        return not (self.lo == 0.0 and self.hi == 0.0)

    def can_be_false(self) -> bool:
        return self.lo <= 0.0 <= self.hi

    def text(self) -> str:
        return _num(self.lo) if self.lo == self.hi else f"{_num(self.lo)}..{_num(self.hi)}"


ANY = Interval(-math.inf, math.inf)
TRUE, FALSE, EITHER = Interval(1.0, 1.0), Interval(0.0, 0.0), Interval(0.0, 1.0)


def _num(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:g}"


def _truth(can_true: bool, can_false: bool) -> Interval:
    if can_true and can_false:
        return EITHER
    return TRUE if can_true else FALSE


def variable_ranges(scenario: Scenario) -> dict[str, Interval]:
    """A sound over-estimate of every name's range: variables, constants and the clock."""
    ranges = _fixed_ranges(scenario)
    for var in scenario.variables.values():
        ranges[var.id] = Interval(var.initial, var.initial)
    writes = list(_writes(scenario))
    for _ in range(4 * len(scenario.variables) + 4):
        changed = False
        for var_id, verb, expr in writes:
            grown = _grow(scenario, ranges, var_id, verb, expr)
            if grown != ranges[var_id]:
                ranges[var_id], changed = grown, True
        if not changed:
            return ranges
    for var_id, _, _ in writes:  # did not settle: fall back to the bounds
        ranges[var_id] = _bounds(scenario, var_id)
    return ranges


def _fixed_ranges(scenario: Scenario) -> dict[str, Interval]:
    cal = scenario.calendar
    ranges = {name: Interval(value, value) for name, value in scenario.constants.items()}
    ranges["turn"] = Interval(1.0, float(cal.turn_limit + 1))
    ranges["hour"] = Interval(0.0, 24.0)
    ranges["elapsed"] = Interval(0.0, cal.turn_limit * cal.hours_per_turn)
    return ranges


def _writes(scenario: Scenario) -> Iterator[tuple[str, str, Expr]]:
    for _, outcome in _all_outcomes(scenario):
        for verb, var_id, expr in _effects(outcome):
            yield var_id, verb, expr


def _effects(outcome: Outcome) -> Iterator[tuple[str, str, Expr]]:
    for verb in ("set", "add", "move"):
        for var_id, expr in getattr(outcome, verb):
            yield verb, var_id, expr


def _bounds(scenario: Scenario, var_id: str) -> Interval:
    var = scenario.variables[var_id]
    if var.type == "boolean":
        return EITHER
    if var.type == "place":
        return Interval(0.0, float(len(scenario.places) - 1))
    return Interval(var.min, var.max)


def _grow(scenario: Scenario, ranges: dict[str, Interval], var_id: str, verb: str, expr: Expr) -> Interval:
    """The range of ``var_id`` once one more effect may have applied."""
    current = ranges[var_id]
    var = scenario.variables[var_id]
    if verb == "move":
        stops = [float(scenario.place_ids.index(p)) for p in scenario.routes[var.route].stops]
        return current.hull(Interval(min(stops), max(stops)))
    value = evaluate(expr, ranges, scenario)
    if var.type == "boolean":
        return current.hull(_truth(value.can_be_true(), value.can_be_false()))
    if var.type == "place" or verb == "set":
        grown = current.hull(value)
    else:  # adding may repeat every turn: a growing side may reach its bound
        grown = Interval(var.min if value.lo < 0 else current.lo, var.max if value.hi > 0 else current.hi)
    if var.type == "number":
        grown = Interval(max(grown.lo, var.min), min(grown.hi, var.max))
    return grown


def evaluate(expr: Expr, ranges: Mapping[str, Interval], scenario: Scenario) -> Interval:
    """The range of values ``expr`` can take when every name stays within ``ranges``."""
    if expr.constant is not None:
        return Interval(expr.constant, expr.constant)
    text = " ".join(expr.source.split())
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return ANY
    return _Ranger(ranges, scenario).node(tree.body)


class _Ranger:
    """Interval arithmetic over an expression that the loader has already checked."""

    def __init__(self, ranges: Mapping[str, Interval], scenario: Scenario):
        self.ranges = ranges
        self.places = scenario.place_ids
        self.booleans = {v.id for v in scenario.variables.values() if v.type == "boolean"}
        self.distances = scenario.distances

    def node(self, node: ast.AST) -> Interval:
        method = getattr(self, "_" + type(node).__name__, None)
        return method(node) if method else ANY

    def _Constant(self, node: ast.Constant) -> Interval:
        return Interval(float(node.value), float(node.value))

    def _Name(self, node: ast.Name) -> Interval:
        name = node.id
        if name.lower() in ("true", "false"):
            return TRUE if name.lower() == "true" else FALSE
        if name in self.places:
            index = float(self.places.index(name))
            return Interval(index, index)
        return self.ranges.get(name, ANY)

    def _UnaryOp(self, node: ast.UnaryOp) -> Interval:
        value = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            return _truth(value.can_be_false(), value.can_be_true())
        if isinstance(node.op, ast.USub):
            return Interval(-value.hi, -value.lo)
        return value

    def _BinOp(self, node: ast.BinOp) -> Interval:
        a, b = self.node(node.left), self.node(node.right)
        if isinstance(node.op, ast.Add):
            return Interval(a.lo + b.lo, a.hi + b.hi)
        if isinstance(node.op, ast.Sub):
            return Interval(a.lo - b.hi, a.hi - b.lo)
        if isinstance(node.op, ast.Mult):
            return _spread([x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)])
        if isinstance(node.op, ast.Div):
            if b.lo <= 0.0 <= b.hi:  # x / 0 is 0, and near 0 anything goes
                return FALSE if a.lo == a.hi == 0.0 else ANY
            return _spread([x / y for x in (a.lo, a.hi) for y in (b.lo, b.hi)])
        return ANY

    def _BoolOp(self, node: ast.BoolOp) -> Interval:
        if isinstance(node.op, ast.And) and self._narrowed(node.values) is None:
            return FALSE
        parts = [self.node(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return _truth(all(p.can_be_true() for p in parts), any(p.can_be_false() for p in parts))
        return _truth(any(p.can_be_true() for p in parts), all(p.can_be_false() for p in parts))

    def _Compare(self, node: ast.Compare) -> Interval:
        if self._narrowed([node]) is None:
            return FALSE
        values = [self.node(o) for o in (node.left, *node.comparators)]
        pairs = [_compare(op, a, b) for op, a, b in zip(node.ops, values, values[1:])]
        return _truth(all(p.can_be_true() for p in pairs), any(p.can_be_false() for p in pairs))

    def _narrowed(self, conjuncts: list[ast.expr]) -> dict[str, Interval] | None:
        """The ranges left once every conjunct holds, or None when nothing is left.

        Only conjuncts that bound a single name are used (``x > 3``, ``3 <= x < 9``, ``flag``,
        ``not flag``), which is enough to catch a condition that contradicts itself.
        """
        ranges = dict(self.ranges)
        for part in conjuncts:
            for name, limit in self._limits(part):
                current = ranges.get(name, ANY)
                lo, hi = max(current.lo, limit.lo), min(current.hi, limit.hi)
                if lo > hi:
                    return None
                ranges[name] = Interval(lo, hi)
        return ranges

    def _limits(self, node: ast.expr) -> Iterator[tuple[str, Interval]]:
        if isinstance(node, ast.Name) and node.id in self.booleans:
            yield node.id, TRUE
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            if isinstance(node.operand, ast.Name) and node.operand.id in self.booleans:
                yield node.operand.id, FALSE
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                yield from self._bound(op, left, right)

    def _bound(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> Iterator[tuple[str, Interval]]:
        flipped = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
        for name_node, other, kind in ((left, right, type(op)), (right, left, flipped.get(type(op), type(op)))):
            if not (isinstance(name_node, ast.Name) and name_node.id in self.ranges):
                continue
            value = self.node(other)
            if value.lo != value.hi:
                continue
            c = value.lo
            limit = {
                ast.Lt: Interval(-math.inf, c),
                ast.LtE: Interval(-math.inf, c),
                ast.Gt: Interval(c, math.inf),
                ast.GtE: Interval(c, math.inf),
                ast.Eq: Interval(c, c),
            }.get(kind)
            if limit is not None:
                yield name_node.id, limit

    def _IfExp(self, node: ast.IfExp) -> Interval:
        test = self.node(node.test)
        if not test.can_be_false():
            return self.node(node.body)
        if not test.can_be_true():
            return self.node(node.orelse)
        return self.node(node.body).hull(self.node(node.orelse))

    def _Call(self, node: ast.Call) -> Interval:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        args = [self.node(a) for a in node.args]
        if name == "min":
            return Interval(min(a.lo for a in args), min(a.hi for a in args))
        if name == "max":
            return Interval(max(a.lo for a in args), max(a.hi for a in args))
        if name == "clamp" and len(args) == 3:
            x, lo, hi = args
            return Interval(min(max(x.lo, lo.lo), hi.lo), min(max(x.hi, lo.hi), hi.hi))
        if name == "abs" and args:
            a = args[0]
            low = 0.0 if a.lo <= 0.0 <= a.hi else min(abs(a.lo), abs(a.hi))
            return Interval(low, max(abs(a.lo), abs(a.hi)))
        if name == "round" and args:
            return Interval(math.floor(args[0].lo), math.ceil(args[0].hi))
        if name == "distance" and self.distances:
            flat = [d for row in self.distances for d in row]
            return Interval(min(flat), max(flat))
        return ANY


def _spread(values: list[float]) -> Interval:
    clean = [0.0 if math.isnan(v) else v for v in values]  # 0 * inf: the 0 is exact, the inf only a bound
    return Interval(min(clean), max(clean))


def _compare(op: ast.cmpop, a: Interval, b: Interval) -> Interval:
    if isinstance(op, ast.Lt):
        return _truth(a.lo < b.hi, a.hi >= b.lo)
    if isinstance(op, ast.LtE):
        return _truth(a.lo <= b.hi, a.hi > b.lo)
    if isinstance(op, ast.Gt):
        return _truth(a.hi > b.lo, a.lo <= b.hi)
    if isinstance(op, ast.GtE):
        return _truth(a.hi >= b.lo, a.lo < b.hi)
    overlap = a.lo <= b.hi and b.lo <= a.hi
    same_point = a.lo == a.hi == b.lo == b.hi
    if isinstance(op, ast.Eq):
        return _truth(overlap, not same_point)
    return _truth(not same_point, overlap)


# simulation: what random play reaches ----------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """What a batch of seeded random-vs-random games reached and observed."""

    games: int
    seed: int
    open_actions: frozenset[str] = frozenset()
    taken: Mapping[str, int] = field(default_factory=dict)  # action or event id -> times it happened
    outcomes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    endings: Mapping[str, int] = field(default_factory=dict)
    negative: Mapping[tuple[str, str], float] = field(default_factory=dict)  # lowest weight seen
    all_zero: frozenset[str] = frozenset()
    effects: Mapping[tuple[str, str, str, str], tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Tally:
    open_actions: set[str] = field(default_factory=set)
    taken: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    endings: Counter = field(default_factory=Counter)
    negative: dict[tuple[str, str], float] = field(default_factory=dict)
    all_zero: set[str] = field(default_factory=set)
    seen: Counter = field(default_factory=Counter)
    wasted: Counter = field(default_factory=Counter)


def simulate(scenario: Scenario, games: int = DEFAULT_GAMES, seed: int = DEFAULT_SEED) -> Reach:
    """Play ``games`` random-vs-random games (game ``i`` from seed ``seed + i``) and tally them."""
    tally = _Tally()
    policies = {role: make_policy("random") for role in scenario.turn_order}
    for i in range(games):
        match = Match(scenario, seed=seed + i, policies=policies)
        for _ in range(MAX_STEPS):
            if match.is_over():
                break
            before = match.state
            _observe(before, tally)
            report = match.play()
            _record(before, report.action, report.outcome, tally)
        tally.endings[match.state.ending] += 1
    effects = {key: (count, tally.wasted[key]) for key, count in tally.seen.items()}
    return Reach(
        games,
        seed,
        frozenset(tally.open_actions),
        dict(tally.taken),
        dict(tally.outcomes),
        dict(tally.endings),
        dict(tally.negative),
        frozenset(tally.all_zero),
        effects,
    )


def _observe(state: State, tally: _Tally) -> None:
    """Note the open actions and any weight that is negative or all zero in this state."""
    env = state.env
    for move in state.legal_actions():
        if isinstance(move, Event) and move.chance(env) <= 0:
            continue
        if isinstance(move, Action):
            tally.open_actions.add(move.id)
        weights = [o.weight(env) for o in move.outcomes]
        for outcome, weight in zip(move.outcomes, weights):
            key = (move.id, outcome.id)
            if weight < 0 and weight < tally.negative.get(key, 0.0):
                tally.negative[key] = weight
        if weights and all(w <= 0 for w in weights):
            tally.all_zero.add(move.id)


def _record(before: State, move_id: str, outcome_id: str, tally: _Tally) -> None:
    """Note what happened and which of the outcome's effects changed nothing against a bound."""
    if outcome_id == QUIET:
        return
    tally.taken[move_id] += 1
    tally.outcomes[(move_id, outcome_id)] += 1
    outcome = find_move(before.scenario, move_id).outcome(outcome_id)
    for verb, var_id, wasted in _bound_effects(before, outcome):
        key = (move_id, outcome_id, verb, var_id)
        tally.seen[key] += 1
        tally.wasted[key] += wasted


def _bound_effects(state: State, outcome: Outcome) -> Iterator[tuple[str, str, bool]]:
    """For each effect on a bounded number: whether the bound swallowed it entirely."""
    env = state.env
    variables = state.scenario.variables
    set_ids = {var_id for var_id, _ in outcome.set}
    for var_id, expr in outcome.set:
        var = variables[var_id]
        if var.type == "number" and (math.isfinite(var.min) or math.isfinite(var.max)):
            value = expr(env)
            yield "set", var_id, value > var.max or value < var.min
    for var_id, expr in outcome.add:
        var = variables[var_id]
        if var_id in set_ids or not (math.isfinite(var.min) or math.isfinite(var.max)):
            continue
        delta, value = expr(env), state.value(var_id)
        yield "add", var_id, (delta > 0 and value >= var.max) or (delta < 0 and value <= var.min)


# the checks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Everything a check reads: the scenario, the ranges of its names, and what play reached."""

    scenario: Scenario
    ranges: Mapping[str, Interval]
    reach: Reach

    def problem(self, where: str, severity: str, code: str, message: str, hint: str = "") -> Problem:
        line, col = self.scenario.mark(where)
        return Problem(self.scenario.path, line, col, message, hint, severity, code)

    def range_of(self, expr: Expr) -> Interval:
        return evaluate(expr, self.ranges, self.scenario)

    def why(self, expr: Expr) -> str:
        """What a proof about ``expr`` rests on: the ranges of the names it reads, or nothing at all."""
        names = sorted(n for n in expr.names if n in self.ranges)
        if evaluate(expr, {n: ANY for n in names}, self.scenario) == self.range_of(expr):
            return "this holds whatever values its names take"
        spans = (self.ranges[n] for n in names)
        return "; ".join(
            f"{n} is {s.text()}" if s.lo == s.hi else f"{n} stays within {s.text()}" for n, s in zip(names, spans)
        )


Check = Callable[[Context], Iterable[Problem]]


def check_ends_at_start(ctx: Context) -> Iterator[Problem]:
    """An ending whose condition holds in the starting state ends the game before any move."""
    ending = State.initial(ctx.scenario).ending
    if ending:
        yield ctx.problem(
            f"endings.{ending}.when",
            "error",
            "ends-at-start",
            f"the ending '{ending}' holds at the start: every game ends before anyone moves",
            "check the condition against the variables' initial values",
        )


def check_actions_open(ctx: Context) -> Iterator[Problem]:
    """Actions whose condition can never hold, or that no simulated game ever offered."""
    scenario = ctx.scenario
    for action in scenario.actions.values():
        where = f"actions.{action.id}"
        if action.role not in scenario.turn_order:
            yield ctx.problem(
                f"{where}.role",
                "error",
                "action-never-open",
                f"'{action.id}' belongs to '{action.role}', who is not in the turn order and never acts",
                "add the role to turn_order",
            )
        elif not ctx.range_of(action.when).can_be_true():
            yield ctx.problem(
                f"{where}.when",
                "error",
                "action-never-open",
                f"the condition of '{action.id}' can never be true",
                ctx.why(action.when),
            )
        elif ctx.reach.games and action.id not in ctx.reach.open_actions:
            yield ctx.problem(
                f"{where}.when",
                "warning",
                "action-never-open",
                f"'{action.id}' was never open in {ctx.reach.games} random games",
                "check its condition",
            )


def check_endings_reached(ctx: Context) -> Iterator[Problem]:
    """Endings that cannot be reached at all, or that no simulated game reached."""
    scenario = ctx.scenario
    targets = {o.end for _, o in _all_outcomes(scenario) if o.end}
    for ending in scenario.endings.values():
        where = f"endings.{ending.id}"
        if ending.when is None and not ending.at_turn_limit and ending.id not in targets:
            yield ctx.problem(
                f"{where}.__key__",
                "error",
                "ending-never-reached",
                f"nothing leads to the ending '{ending.id}': it has no 'when' and no outcome ends in it",
                f"give it a condition, or 'end: {ending.id}' in an outcome",
            )
        elif ending.when is not None and ending.id not in targets and not ctx.range_of(ending.when).can_be_true():
            yield ctx.problem(
                f"{where}.when",
                "error",
                "ending-never-reached",
                f"the condition of the ending '{ending.id}' can never be true",
                ctx.why(ending.when),
            )
        elif ctx.reach.games and not ctx.reach.endings.get(ending.id):
            yield ctx.problem(
                f"{where}.__key__",
                "warning",
                "ending-never-reached",
                f"none of {ctx.reach.games} random games reached the ending '{ending.id}'",
            )


def check_events_happen(ctx: Context) -> Iterator[Problem]:
    """Events whose chance is never above 0, or that never happened in the simulated games."""
    for event in ctx.scenario.events.values():
        where = f"events.{event.id}.chance"
        if ctx.range_of(event.chance).hi <= 0:
            yield ctx.problem(
                where,
                "error",
                "event-never-happens",
                f"the chance of '{event.id}' is never above 0",
                ctx.why(event.chance),
            )
        elif ctx.reach.games and not ctx.reach.taken.get(event.id):
            yield ctx.problem(
                where,
                "warning",
                "event-never-happens",
                f"'{event.id}' did not happen in {ctx.reach.games} random games",
            )


def check_weights(ctx: Context) -> Iterator[Problem]:
    """Weights that are provably negative or all zero, or were seen so in play."""
    for move in _moves(ctx.scenario):
        base = _where(move)
        ranges = [ctx.range_of(o.weight) for o in move.outcomes]
        for outcome, span in zip(move.outcomes, ranges):
            where = f"{base}.outcomes.{outcome.id}.weight"
            seen = ctx.reach.negative.get((move.id, outcome.id))
            if span.hi < 0 and outcome.weight.constant is None:
                yield ctx.problem(
                    where,
                    "error",
                    "weight-negative",
                    f"the weight of '{outcome.id}' is always negative, so it never happens",
                    ctx.why(outcome.weight),
                )
            elif seen is not None:
                yield ctx.problem(
                    where,
                    "warning",
                    "weight-negative",
                    f"the weight of '{outcome.id}' went as low as {seen:g} in play (counted as 0)",
                    "wrap it in max(0, ...) if that is meant",
                )
        if ranges and all(span.hi <= 0 for span in ranges):
            yield ctx.problem(
                f"{base}.outcomes.__key__",
                "error",
                "weights-all-zero",
                f"every weight of '{move.id}' is always 0 or less, so its outcomes are equally likely",
            )
        elif move.id in ctx.reach.all_zero:
            yield ctx.problem(
                f"{base}.outcomes.__key__",
                "warning",
                "weights-all-zero",
                f"every weight of '{move.id}' was 0 or less at once in play (outcomes then equally likely)",
            )


def check_effects_at_bound(ctx: Context) -> Iterator[Problem]:
    """Effects that, every time they were seen, pushed a number into its bound and changed nothing."""
    for (move_id, outcome_id, verb, var_id), (seen, wasted) in ctx.reach.effects.items():
        if seen < MIN_OCCURRENCES or wasted < seen:
            continue
        var = ctx.scenario.variables[var_id]
        where = f"{_where(find_move(ctx.scenario, move_id))}.outcomes.{outcome_id}.{verb}.{var_id}"
        yield ctx.problem(
            where,
            "warning",
            "effect-at-bound",
            f"'{verb}' to '{var_id}' in '{outcome_id}' changed nothing in any of the {seen} times it happened: "
            f"it was already at the end of its range {_num(var.min)}..{_num(var.max)} it pushed towards",
        )


def check_effects_out_of_bounds(ctx: Context) -> Iterator[Problem]:
    """Effects that provably change nothing: a ``set`` always outside the bounds, or an ``add``
    that always pushes a number that can only ever be at that bound."""
    for move, outcome in _all_outcomes(ctx.scenario):
        set_ids = {var_id for var_id, _ in outcome.set}
        for verb, var_id, expr in _effects(outcome):
            var = ctx.scenario.variables[var_id]
            if var.type != "number" or (verb == "add" and var_id in set_ids):
                continue
            span, held = ctx.range_of(expr), ctx.ranges[var_id]
            if verb == "set" and (span.lo > var.max or span.hi < var.min):
                message = (
                    f"'{var_id}' is set to {span.text()}, always outside its bounds {_num(var.min)}..{_num(var.max)}"
                )
            elif verb == "add" and ((span.lo > 0 and held.lo >= var.max) or (span.hi < 0 and held.hi <= var.min)):
                bound = "max" if span.lo > 0 else "min"
                message = (
                    f"adding {span.text()} to '{var_id}' changes nothing: it is always at its {bound} ({held.text()})"
                )
            else:
                continue
            where = f"{_where(move)}.outcomes.{outcome.id}.{verb}.{var_id}"
            yield ctx.problem(where, "error", "effect-at-bound", message)


def check_variables_used(ctx: Context) -> Iterator[Problem]:
    """Variables that nothing reads, and variables that nothing changes."""
    scenario = ctx.scenario
    read = _names_read(scenario)
    written = {var_id for var_id, _, _ in _writes(scenario)}
    for var in scenario.variables.values():
        where = f"variables.{var.id}.__key__"
        if var.id not in read:
            yield ctx.problem(
                where,
                "warning",
                "variable-unread",
                f"'{var.id}' is never read: no condition, weight, score, effect or text uses it",
            )
        if var.id not in written:
            hint = "make it a constant" if var.type == "number" else "or remove it"
            yield ctx.problem(
                where, "warning", "variable-unchanged", f"'{var.id}' never changes: no effect sets it", hint
            )


_BARE = re.compile(r"(?<![\w{])([a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9])(?![\w}])")


def check_text_names(ctx: Context) -> Iterator[Problem]:
    """Prose that writes a variable's id bare (it will not be filled in) or a near-miss of one."""
    names = set(ctx.scenario.variables) | set(ctx.scenario.constants)
    for where, text in _prose(ctx.scenario):
        for token in dict.fromkeys(_BARE.findall(text.replace("{{", "").replace("}}", ""))):
            if token in names:
                yield ctx.problem(
                    where,
                    "warning",
                    "text-bare-name",
                    f"the text names '{token}' without braces; players will read the id",
                    f"write {{{token}}} for its value, or the thing's name in words",
                )
            elif did_you_mean(token, names):
                yield ctx.problem(
                    where,
                    "warning",
                    "text-bare-name",
                    f"the text names '{token}', which is not a variable" + did_you_mean(token, names),
                )


def check_history(ctx: Context) -> Iterator[Problem]:
    """A scenario that marks an ending historical should tell its history; history turns must exist."""
    scenario = ctx.scenario
    historical = [e for e in scenario.endings.values() if e.historical]
    told = [m for m in _moves(scenario) if m.history is not None]
    if historical and not told:
        yield ctx.problem(
            f"endings.{historical[0].id}.historical",
            "warning",
            "history-missing",
            f"'{historical[0].id}' is marked historical, but no action or event has a 'history' note",
            "add history: {when, note} to what really happened",
        )
    if historical and not scenario.meta.history:
        yield ctx.problem(
            "meta.__key__",
            "warning",
            "history-missing",
            "an ending is marked historical, but meta.history is empty",
            "tell what really happened in meta.history",
        )
    limit = scenario.calendar.turn_limit
    for move in told:
        late = [t for t in move.history.turns if not 1 <= t <= limit]
        if late:
            yield ctx.problem(
                f"{_where(move)}.history.turns",
                "warning",
                "history-turns",
                f"the history of '{move.id}' names turn {late[0]}, outside turns 1..{limit}",
            )


def check_roles_act(ctx: Context) -> Iterator[Problem]:
    """A role in the turn order with no actions is passed over every turn."""
    for i, role in enumerate(ctx.scenario.turn_order):
        if not ctx.scenario.actions_of(role):
            yield ctx.problem(
                f"turn_order.{i}", "warning", "role-idle", f"'{role}' is in the turn order but has no actions"
            )


CHECKS: tuple[Check, ...] = (
    check_ends_at_start,
    check_actions_open,
    check_endings_reached,
    check_events_happen,
    check_weights,
    check_effects_out_of_bounds,
    check_effects_at_bound,
    check_variables_used,
    check_text_names,
    check_history,
    check_roles_act,
)


# the whole run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How much of one kind of content the simulated games reached."""

    kind: str
    reached: int
    total: int

    def text(self) -> str:
        share = f"{100 * self.reached / self.total:.0f}%" if self.total else "-"
        return f"{self.kind} {self.reached}/{self.total} ({share})"


@dataclass(frozen=True)
class Summary:
    actions: int
    outcomes: int
    endings: int
    events: int
    words: int
    games: int
    seed: int
    coverage: tuple[Coverage, ...]


@dataclass(frozen=True)
class LintReport:
    path: str
    problems: tuple[Problem, ...]
    summary: Summary

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def lint(scenario: Scenario, games: int = DEFAULT_GAMES, seed: int = DEFAULT_SEED) -> LintReport:
    """Every lint finding for a loaded scenario, and a summary of its size and coverage."""
    reach = simulate(scenario, games, seed) if games > 0 else Reach(0, seed)
    ctx = Context(scenario, variable_ranges(scenario), reach)
    found = sorted((p for check in CHECKS for p in check(ctx)), key=lambda p: (p.severity != "error", p.line))
    problems: dict[tuple[int, int, str], Problem] = {}
    for problem in found:  # a proof and an observation of the same fault: keep the proof
        problems.setdefault((problem.line, problem.col, problem.code), problem)
    ordered = sorted(problems.values(), key=lambda p: (p.line, p.col, p.code))
    return LintReport(scenario.path, tuple(ordered), summarise(scenario, reach))


def summarise(scenario: Scenario, reach: Reach) -> Summary:
    outcomes = [(m.id, o.id) for m, o in _all_outcomes(scenario)]
    coverage = (
        Coverage("actions", sum(1 for a in scenario.actions if reach.taken.get(a)), len(scenario.actions)),
        Coverage("outcomes", sum(1 for k in outcomes if reach.outcomes.get(k)), len(outcomes)),
        Coverage("endings", sum(1 for e in scenario.endings if reach.endings.get(e)), len(scenario.endings)),
        Coverage("events", sum(1 for e in scenario.events if reach.taken.get(e)), len(scenario.events)),
    )
    words = sum(len(text.split()) for _, text in _prose(scenario))
    return Summary(
        len(scenario.actions),
        len(outcomes),
        len(scenario.endings),
        len(scenario.events),
        words,
        reach.games,
        reach.seed,
        coverage,
    )


# walking the scenario -------------------------------------------------------------------------


def _moves(scenario: Scenario) -> Iterator[Action | Event]:
    yield from scenario.actions.values()
    yield from scenario.events.values()


def _all_outcomes(scenario: Scenario) -> Iterator[tuple[Action | Event, Outcome]]:
    for move in _moves(scenario):
        for outcome in move.outcomes:
            yield move, outcome


def find_move(scenario: Scenario, move_id: str) -> Action | Event:
    """The action or event with this id."""
    return scenario.actions[move_id] if move_id in scenario.actions else scenario.events[move_id]


def _where(move: Action | Event) -> str:
    return f"events.{move.id}" if isinstance(move, Event) else f"actions.{move.id}"


def _expressions(scenario: Scenario) -> Iterator[Expr]:
    for role in scenario.roles.values():
        yield role.objective
    for move in _moves(scenario):
        if isinstance(move, Action):
            yield move.when
            if move.ai_weight is not None:
                yield move.ai_weight
        else:
            yield move.chance
        for outcome in move.outcomes:
            yield outcome.weight
            for verb in ("set", "add", "move"):
                yield from (expr for _, expr in getattr(outcome, verb))
    for ending in scenario.endings.values():
        if ending.when is not None:
            yield ending.when
        yield from (expr for _, expr in ending.scores)
    yield from (advice.when for advice in scenario.advice)


_TEMPLATE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _names_read(scenario: Scenario) -> set[str]:
    names = {name for expr in _expressions(scenario) for name in expr.names}
    for _, text in _prose(scenario):
        names.update(_TEMPLATE.findall(text.replace("{{", "").replace("}}", "")))
    return names


def _prose(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """Every text players read, with the dotted path of where it stands."""
    yield "meta.summary", scenario.meta.summary
    if scenario.meta.history:
        yield "meta.history", scenario.meta.history
    for role in scenario.roles.values():
        yield f"roles.{role.id}.brief", role.brief
    for move in _moves(scenario):
        where = _where(move)
        if isinstance(move, Action) and move.description:
            yield f"{where}.description", move.description
        if move.history is not None and move.history.note:
            yield f"{where}.history.note", move.history.note
        for outcome in move.outcomes:
            yield f"{where}.outcomes.{outcome.id}.text", outcome.text
    for ending in scenario.endings.values():
        yield f"endings.{ending.id}.epilogue", ending.epilogue
    for i, advice in enumerate(scenario.advice):
        yield f"advisors.{i}.text", advice.text
