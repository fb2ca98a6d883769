"""What is at stake in a scenario, read from its endings and objectives, for the faces to show.

* **Thresholds**: the lines on a meter where an ending fires (``authority <= 20`` in the
  ending's condition), read from the condition's syntax tree, as lint reads it.
* **Words** for a condition, so that a briefing or a verdict can say it ("Putin's authority at
  20 or below").
* **Leaning**: whether a role is better off when a variable rises or falls, by the role's own
  objective, worked out once from the scenario alone (never from a game's hidden values).
* **Score parts**: an ending's score for a role split into the terms it adds up, each with what
  it is made of, so that a verdict can show where the points came from.
* **Outlook**: what an ending would mean for a role (won, lost, or too close to tell), in
  interval arithmetic over the ranges the role may know values to lie in.

Nothing here evaluates text as code: sub-expressions are compiled by the expression language.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from game.core.aim import DRAWN, LOST, WON
from game.core.expr import Expr, compile_expr
from game.core.model import SPECIAL_NAMES, Ending, Scenario, scenario_symbols
from game.scenario.lint_ranges import Interval, evaluate, variable_ranges

OPEN = "open"  # an ending whose result for a role cannot be told from what the role knows
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


@dataclass(frozen=True)
class Threshold:
    """A line on a number variable where an ending fires: ``variable op value``."""

    variable: str
    op: str  # "<", "<=", ">" or ">="
    value: float
    ending: str
    also: str = ""  # the other conditions that must hold with it, in words ("" when it is enough alone)
    others: Expr | None = None  # those conditions, compiled

    @property
    def below(self) -> bool:
        """The ending fires as the value falls to the line (rather than rises to it)."""
        return self.op in ("<", "<=")

    def crossed(self, value: float) -> bool:
        return {"<": value < self.value, "<=": value <= self.value, ">": value > self.value}.get(
            self.op, value >= self.value
        )


@dataclass(frozen=True)
class Part:
    """One term of an ending's score: what it is made of, and the term itself (sign included)."""

    label: str
    expr: Expr


class Stakes:
    """The stakes of one scenario, worked out once (see the module's docstring)."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.symbols = scenario_symbols(scenario)
        self.ranges = variable_ranges(scenario)
        self.thresholds = tuple(t for e in scenario.endings.values() for t in self._thresholds(e))
        self.leaning = {role: self._leaning(role) for role in scenario.roles}
        self._parts: dict[tuple[str, str], tuple[Part, ...]] = {}

    # thresholds ---------------------------------------------------------------------------

    def _thresholds(self, ending: Ending) -> list[Threshold]:
        if ending.when is None or ending.when.tree is None:
            return []
        found = []
        for branch in _alternatives(ending.when.tree):
            parts = _conjuncts(branch)
            for i, part in enumerate(parts):
                line = self._line(part)
                if line is None:
                    continue
                rest = parts[:i] + parts[i + 1 :]
                others = None
                if rest:
                    joined = rest[0] if len(rest) == 1 else ast.BoolOp(op=ast.And(), values=rest)
                    others = self.compiled(joined)
                also = " and ".join(self.words(p) for p in rest)
                found.append(Threshold(line[0], line[1], line[2], ending.id, also, others))
        return found

    def _line(self, node: ast.AST) -> tuple[str, str, float] | None:
        """``(variable, op, value)`` for a comparison of a number variable with a constant."""
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            return None
        op = _OPS.get(type(node.ops[0]))
        left, right = node.left, node.comparators[0]
        for name, other, how in ((left, right, op), (right, left, _FLIP.get(op or "", ""))):
            var = self.scenario.variables.get(name.id) if isinstance(name, ast.Name) else None
            if var is None or var.type != "number" or how not in ("<", "<=", ">", ">="):
                continue
            value = evaluate(self.compiled(other), self.ranges, self.scenario)
            if value.lo == value.hi and math.isfinite(value.lo):
                return var.id, how, value.lo
        return None

    def near(self, line: Threshold, value: float, share: float = 0.15) -> bool:
        """Whether ``value`` has come within ``share`` of the variable's range of the line, not past it."""
        var = self.scenario.variables[line.variable]
        span = var.max - var.min if math.isfinite(var.max - var.min) and var.max > var.min else 100.0
        gap = value - line.value if line.below else line.value - value
        return 0 <= gap <= share * span and not line.crossed(value)

    def lines_of(self, variable: str) -> tuple[Threshold, ...]:
        return tuple(t for t in self.thresholds if t.variable == variable)

    # words --------------------------------------------------------------------------------

    def words(self, node: ast.AST) -> str:
        """A condition in words, as players read it."""
        if isinstance(node, ast.BoolOp):
            joiner = " and " if isinstance(node.op, ast.And) else " or "
            return joiner.join(self.words(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"not ({self.words(node.operand)})"
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self._comparison(node.left, _OPS.get(type(node.ops[0]), ""), node.comparators[0])
        return "a turn of events the scenario describes"

    def _comparison(self, left: ast.AST, op: str, right: ast.AST) -> str:
        if not isinstance(left, ast.Name) and isinstance(right, ast.Name):
            left, right, op = right, left, _FLIP.get(op, op)
        what, value = self._term(left), self._term(right)
        places = isinstance(left, ast.Name) and self._kind(left.id) == "place"
        if places:
            return f"{what} {'at' if op == '==' else 'not at'} {value}"
        return {
            "<=": f"{what} at {value} or below",
            "<": f"{what} below {value}",
            ">=": f"{what} at {value} or above",
            ">": f"{what} above {value}",
            "==": f"{what} at {value}",
            "!=": f"{what} not at {value}",
        }.get(op, f"{what} compared with {value}")

    def _term(self, node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return self._name(node.id)
        value = evaluate(self.compiled(node), self.ranges, self.scenario)
        if value.lo == value.hi and math.isfinite(value.lo):
            return f"{value.lo:g}"
        return ast.unparse(node)

    def _name(self, name: str) -> str:
        scenario = self.scenario
        if name in scenario.variables:
            return scenario.variables[name].label
        if name in scenario.places:
            return scenario.places[name].name
        if name in SPECIAL_NAMES:
            return {"turn": "the turn", "hour": "the hour", "elapsed": "the hours gone"}[name]
        if name.lower() in ("true", "false"):
            return name.lower()
        return name.replace("_", " ")

    def _kind(self, name: str) -> str:
        var = self.scenario.variables.get(name)
        return var.type if var else ""

    def condition(self, ending: Ending) -> str:
        """How the ending comes about, in words."""
        if ending.at_turn_limit:
            return f"when the last turn ({self.scenario.calendar.turn_limit}) is over"
        ways = []
        if ending.when is not None and ending.when.tree is not None:
            ways.append(self.words(ending.when.tree))
        ending_moves = [
            m.title
            for m in (*self.scenario.actions.values(), *self.scenario.events.values())
            if any(o.end == ending.id for o in m.outcomes)
        ]
        if ending_moves:
            ways.append("after " + " or ".join(f"“{t}”" for t in ending_moves))
        return "; or ".join(ways) if ways else "never on its own"

    def why(self, state, last) -> str:
        """Why a finished game ended, in words: the outcome that ended it, the condition, or the clock."""
        scenario = self.scenario
        ending = scenario.endings[state.ending]
        move = scenario.actions.get(last.action) or scenario.events.get(last.action) if last else None
        if move is not None and getattr(move, "origin", "") == "negotiation.settles":
            return "It ended with the deal that was struck, once each side had made its last move."
        if move is not None and any(o.id == last.outcome and o.end for o in move.outcomes):
            outcome = next(o for o in move.outcomes if o.id == last.outcome)
            return f"It ended with “{last.title}”: {outcome.title or outcome.id.replace('_', ' ')}."
        if ending.when is not None and ending.when.tree is not None and ending.when.truth(state.env):
            held = [b for b in _alternatives(ending.when.tree) if self.compiled(b).truth(state.env)]
            return "It ended when " + "; and ".join(self._with_values(b, state) for b in held) + "."
        if ending.at_turn_limit:
            return f"The clock ran out: turn {scenario.calendar.turn_limit} ended with nothing else decided."
        return "It ended as the story went."

    def _with_values(self, node: ast.AST, state) -> str:
        """A condition's words, with the values its variables had."""
        line = self._line(node)
        if line is not None:
            var, op, value = line
            v = f"{value:g}"
            where = {"<=": f"{v} or below", "<": f"below {v}", ">=": f"{v} or above", ">": f"above {v}"}[op]
            return f"{self._name(var)} came to {state.format_value(var)} (the line: {where})"
        names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in self.scenario.variables]
        values = ", ".join(f"{self._name(n)} {state.format_value(n)}" for n in dict.fromkeys(names))
        return f"{self.words(node)} ({values})" if values else self.words(node)

    # leaning -------------------------------------------------------------------------------

    def _leaning(self, role: str) -> dict[str, int]:
        """+1 where the role is better off as a variable rises, -1 as it falls, 0 where it depends."""
        scenario = self.scenario
        objective = scenario.roles[role].objective
        points = [self._env(initial=True), self._env(initial=False)]
        found = {}
        for slot, var in enumerate(scenario.variables.values()):
            if var.type not in ("number", "boolean") or var.internal:
                found[var.id] = 0
                continue
            low, high = self._span(var)
            signs = set()
            for env in points:
                at_low, at_high = list(env), list(env)
                at_low[slot], at_high[slot] = low, high
                difference = objective(at_high) - objective(at_low)
                signs.add(0 if abs(difference) < 1e-9 else (1 if difference > 0 else -1))
            found[var.id] = signs.pop() if len(signs) == 1 else 0
        return found

    def _span(self, var) -> tuple[float, float]:
        if var.type == "boolean":
            return 0.0, 1.0
        reach = self.ranges.get(var.id, Interval(var.min, var.max))
        low = reach.lo if math.isfinite(reach.lo) else var.initial - 10
        high = reach.hi if math.isfinite(reach.hi) else var.initial + 10
        return (low, high) if high > low else (var.initial - 1, var.initial + 1)

    def _env(self, initial: bool) -> list[float]:
        """An environment at the start, or with every number halfway through its reach."""
        scenario = self.scenario
        values = []
        for var in scenario.variables.values():
            if initial or var.type != "number":
                values.append(var.initial)
            else:
                values.append(sum(self._span(var)) / 2)
        cal = scenario.calendar
        return [*values, *scenario.constants.values(), 1.0, float(cal.start.hour), 0.0]

    # scores --------------------------------------------------------------------------------

    def parts(self, ending_id: str, role: str) -> tuple[Part, ...]:
        """The role's score for the ending as the terms it adds up (one part for a plain number)."""
        key = (ending_id, role)
        if key not in self._parts:
            scores = dict(self.scenario.endings[ending_id].scores)
            expr = scores.get(role)
            if expr is None or expr.tree is None:
                value = expr.constant if expr is not None else 0.0
                self._parts[key] = (Part("Base", self.compiled(ast.Constant(value=float(value or 0.0)))),)
            else:
                self._parts[key] = tuple(self._part(node) for node in _terms(expr.tree))
        return self._parts[key]

    def _part(self, node: ast.AST) -> Part:
        names = sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)}, key=self._order)
        labels = [self._name(n) for n in names if n in self.scenario.variables or n in SPECIAL_NAMES]
        return Part(", ".join(labels) if labels else "Base", self.compiled(node))

    def _order(self, name: str) -> int:
        ids = self.scenario.variable_ids
        return ids.index(name) if name in ids else len(ids)

    def score_range(self, ending: Ending, role: str, ranges: Mapping[str, Interval]) -> Interval:
        """The scores the ending can give ``role`` while every name stays within ``ranges``."""
        expr = dict(ending.scores).get(role)
        if expr is None:
            return Interval(0.0, 0.0)
        return evaluate(expr, {**self.ranges, **ranges}, self.scenario)

    def outlook(self, ending: Ending, role: str, ranges: Mapping[str, Interval] | None = None) -> str:
        """Won, drawn or lost for ``role`` if the game ended so, or OPEN when the ranges allow both."""
        ranges = ranges or {}
        mine = self.score_range(ending, role, ranges)
        others = [self.score_range(ending, r, ranges) for r in self.scenario.roles if r != role]
        if not others:
            return WON
        if mine.lo > max(o.hi for o in others):
            return WON
        if mine.hi < max(o.lo for o in others):
            return LOST
        if mine.lo == mine.hi and all(o.lo == o.hi for o in others) and mine.lo == max(o.lo for o in others):
            return DRAWN
        return OPEN

    # helpers -------------------------------------------------------------------------------

    def compiled(self, node: ast.AST) -> Expr:
        """A sub-expression of a checked expression, compiled on its own."""
        return compile_expr(ast.unparse(node), self.symbols)


def signed(value: float) -> str:
    """A score part as players read it: "+17.8", "-2.4", and "0.0" for what rounds to nothing."""
    rounded = round(value, 1)
    return "0.0" if rounded == 0 else f"{rounded:+.1f}"


@lru_cache(maxsize=8)
def stakes_of(scenario: Scenario) -> Stakes:
    """The stakes of ``scenario``, worked out on first use."""
    return Stakes(scenario)


def _alternatives(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return [part for value in node.values for part in _alternatives(value)]
    return [node]


def _conjuncts(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [part for value in node.values for part in _conjuncts(value)]
    return [node]


def _terms(node: ast.AST, sign: int = 1) -> list[ast.AST]:
    """The terms a sum adds up, each with its sign made part of it."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        right = -sign if isinstance(node.op, ast.Sub) else sign
        return _terms(node.left, sign) + _terms(node.right, right)
    return [node if sign > 0 else ast.UnaryOp(op=ast.USub(), operand=node)]
