"""The ranges a scenario's names can take, and what its expressions can be over them.

Lint proves things with this: starting from each variable's initial value, every effect may widen
the variable's range (an ``add`` that can repeat reaches the bound it pushes towards), until
nothing changes. Expressions are then evaluated in interval arithmetic over those ranges, with
conjunctions narrowing the ranges they constrain. The result is sound: no state the engine can
reach holds a value outside it, so "this range excludes true" is a proof.

Expressions are read from the syntax tree the loader checked and kept (``Expr.tree``); nothing is
evaluated by Python itself.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from game.core.expr import Expr
from game.core.model import Action, Event, Outcome, Scenario


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
        return number_text(self.lo) if self.lo == self.hi else f"{number_text(self.lo)}..{number_text(self.hi)}"


ANY = Interval(-math.inf, math.inf)
TRUE, FALSE, EITHER = Interval(1.0, 1.0), Interval(0.0, 0.0), Interval(0.0, 1.0)


def number_text(value: float) -> str:
    """A bound as people read it: 3, 0.5, inf."""
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
        starts = [value for value, _ in var.draw] or [var.initial]
        ranges[var.id] = Interval(min(starts), max(starts))
    effects = list(writes(scenario))
    for _ in range(4 * len(scenario.variables) + 4):
        changed = False
        for var_id, verb, expr in effects:
            grown = _grow(scenario, ranges, var_id, verb, expr)
            if grown != ranges[var_id]:
                ranges[var_id], changed = grown, True
        if not changed:
            return ranges
    for var_id, _, _ in effects:  # did not settle: fall back to the bounds
        ranges[var_id] = _bounds(scenario, var_id)
    return ranges


def _fixed_ranges(scenario: Scenario) -> dict[str, Interval]:
    cal = scenario.calendar
    ranges = {name: Interval(value, value) for name, value in scenario.constants.items()}
    ranges["turn"] = Interval(1.0, float(cal.turn_limit + 1))
    ranges["hour"] = Interval(0.0, 24.0)
    ranges["elapsed"] = Interval(0.0, cal.turn_limit * cal.hours_per_turn)
    return ranges


def writes(scenario: Scenario) -> Iterator[tuple[str, str, Expr]]:
    """Every effect in the scenario as (variable, verb, expression)."""
    for _, outcome in all_outcomes(scenario):
        for verb, var_id, expr in effects_of(outcome):
            yield var_id, verb, expr


def effects_of(outcome: Outcome) -> Iterator[tuple[str, str, Expr]]:
    """An outcome's effects as (verb, variable, expression), in the order they apply."""
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
    if expr.tree is None:
        return ANY
    return _Ranger(ranges, scenario).node(expr.tree)


def implies(premise: Expr, conclusion: Expr, ranges: Mapping[str, Interval], scenario: Scenario) -> bool:
    """Whether ``conclusion`` holds in every state (within ``ranges``) where ``premise`` holds.

    Proved from the premise's own bounds on single names (``x > 3 and flag``): the conclusion is
    evaluated over the ranges those bounds leave. An ``or`` in the premise implies the conclusion
    when each of its parts does. Two conditions written alike imply each other. A premise that
    can never hold proves nothing here (lint reports it on its own).
    """
    if premise.tree is None or conclusion.tree is None:
        return False
    if ast.dump(premise.tree) == ast.dump(conclusion.tree):
        return True
    return _Ranger(ranges, scenario).implies(premise.tree, conclusion.tree)


class _Ranger:
    """Interval arithmetic over an expression that the loader has already checked."""

    def __init__(self, ranges: Mapping[str, Interval], scenario: Scenario):
        self.scenario = scenario
        self.ranges = ranges
        self.places = scenario.place_ids
        self.booleans = {v.id for v in scenario.variables.values() if v.type == "boolean"}
        self.distances = scenario.distances

    def node(self, node: ast.AST) -> Interval:
        method = getattr(self, "_" + type(node).__name__, None)
        return method(node) if method else ANY

    def implies(self, premise: ast.expr, conclusion: ast.expr) -> bool:
        if isinstance(premise, ast.BoolOp) and isinstance(premise.op, ast.Or):
            return all(self.implies(part, conclusion) for part in premise.values)
        conjuncts = premise.values if isinstance(premise, ast.BoolOp) else [premise]
        narrowed = self._narrowed(list(conjuncts))
        if narrowed is None:
            return False
        ranger = _Ranger(narrowed, self.scenario)
        return not ranger.node(conclusion).can_be_false()

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


# walking a scenario ----------------------------------------------------------------------------


def moves(scenario: Scenario) -> Iterator[Action | Event]:
    """Every action, then every event, in file order."""
    yield from scenario.actions.values()
    yield from scenario.events.values()


def all_outcomes(scenario: Scenario) -> Iterator[tuple[Action | Event, Outcome]]:
    """Every outcome of every action and event, with its move."""
    for move in moves(scenario):
        for outcome in move.outcomes:
            yield move, outcome


def find_move(scenario: Scenario, move_id: str) -> Action | Event:
    """The action or event with this id."""
    return scenario.actions[move_id] if move_id in scenario.actions else scenario.events[move_id]


def where_of(move: Action | Event) -> str:
    """The dotted path of a move in its file; an internal event stands where its origin does."""
    if isinstance(move, Event):
        return move.origin if move.internal else f"events.{move.id}"
    return move.origin or f"actions.{move.id}"  # a bargaining move stands where its channel or term does
