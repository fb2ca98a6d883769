"""Every number an author can change in a scenario, and the scenario with one of them changed.

A *parameter* is a named constant, a number variable's starting value (for a value drawn at the
start, the mean of its possible values, which move together), or a number written in an
expression: an outcome's weight, an event's chance, an effect's size, a threshold in a
condition, a score, a number in an objective or an AI hint. Each is found where it stands in the
file (its dotted path, and its line and column) and has a range it may be moved within (a chance
within 0..1, a weight and a starting value within their bounds).

:func:`with_values` returns a copy of a scenario with some parameters set to other values. A
number inside an expression is changed in the expression's checked syntax tree, which is then
written out and compiled again, so the changed scenario runs on both engines like any other.
"""

from __future__ import annotations

import ast
import copy
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from game.core.expr import Expr, compile_expr, literal
from game.core.model import Draw, Scenario, Variable, scenario_symbols

KINDS = ("constant", "start", "weight", "chance", "effect", "threshold", "score", "objective", "ai hint")


@dataclass(frozen=True)
class Parameter:
    """One number of the scenario: where it is, what it is, its value and the range it may take."""

    id: str  # the dotted path, with '#k' for the k-th number of an expression that holds several
    path: str
    index: int  # which number of the expression (in the order ast.walk meets them)
    kind: str
    value: float
    line: int
    col: int
    low: float = -math.inf
    high: float = math.inf
    text: str = ""  # the expression it stands in

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)


def parameters(scenario: Scenario) -> list[Parameter]:
    """Every parameter of the scenario, in file order."""
    found = []
    for name, value in scenario.constants.items():
        found.append(_parameter(scenario, f"constants.{name}", 0, "constant", value))
    for var in scenario.variables.values():
        if var.type == "number" and not var.internal:
            start = _mean_start(var)
            found.append(_parameter(scenario, f"variables.{var.id}.initial", 0, "start", start, var.min, var.max))
    for path, kind, expr, written in _expressions(scenario):
        numbers = list(_numbers(expr, written))
        for shown, (index, value, threshold) in enumerate(numbers):
            # a number of a chance is a probability, unless it is compared or could not be one
            # (the 300 of tension / 300)
            probability = kind == "chance" and not threshold and 0 <= value <= 1
            low, high = (0.0, 1.0) if probability else (-math.inf, math.inf)
            if kind == "weight" and expr.tree is None:
                low = 0.0
            found.append(
                _parameter(
                    scenario,
                    path,
                    index,
                    "threshold" if threshold else kind,
                    value,
                    low,
                    high,
                    expr.source,
                    several=len(numbers) > 1,
                    shown=shown,
                )
            )
    authored = [p for p in found if "._" not in p.path]  # ids from '_' are the loader's own moves
    return sorted(authored, key=lambda p: (p.line, p.col, p.index))


def _mean_start(var: Variable) -> float:
    """A number variable's starting value, or the mean of the values it may be drawn from."""
    if not var.draw:
        return var.initial
    total = math.fsum(w for _, w in var.draw)
    return math.fsum(v * w for v, w in var.draw) / total if total > 0 else var.initial


def _parameter(
    scenario: Scenario,
    path: str,
    index: int,
    kind: str,
    value: float,
    low: float = -math.inf,
    high: float = math.inf,
    text: str = "",
    several: bool = False,
    shown: int | None = None,
) -> Parameter:
    line, col = scenario.mark(path)
    pid = f"{path}#{(index if shown is None else shown) + 1}" if several else path
    return Parameter(pid, path, index, kind, float(value), line, col, low, high, text)


def _expressions(scenario: Scenario) -> Iterator[tuple[str, str, Expr, ast.AST | None]]:
    """Every expression that play reads, with its path, what kind of number its own numbers are,
    and the part of it the file wrote (None: all of it)."""
    for path, kind, expr in _all_expressions(scenario):
        written = None
        if kind == "chance" and expr.tree is not None:
            written = _written_chance(scenario.events[path.split(".")[1]], expr.tree)
        yield path, kind, expr, written


def _written_chance(event, tree: ast.AST) -> ast.AST:
    """The file's own chance inside what the loader wrapped round it: ``0 if <once flag> else
    (...)`` for ``once``, ``(...) if turn == N else 0`` for ``on_turns``. Their numbers are the
    loader's (and varying them would let a one-time event happen twice)."""
    node = tree.body if isinstance(tree, ast.Expression) else tree
    if event.once and isinstance(node, ast.IfExp):
        node = node.orelse
    if event.on_turns and isinstance(node, ast.IfExp):
        node = node.body
    return node


def _all_expressions(scenario: Scenario) -> Iterator[tuple[str, str, Expr]]:
    for role in scenario.roles.values():
        yield f"roles.{role.id}.objective", "objective", role.objective
    moves = [(f"actions.{a.id}", a) for a in scenario.actions.values()]
    moves += [(f"events.{e.id}", e) for e in scenario.events.values()]
    for where, move in moves:
        if where.startswith("actions."):
            yield f"{where}.when", "threshold", move.when
            if move.ai_weight is not None:
                yield f"{where}.ai_weight", "ai hint", move.ai_weight
        else:
            yield f"{where}.chance", "chance", move.chance
        for outcome in move.outcomes:
            yield f"{where}.outcomes.{outcome.id}.weight", "weight", outcome.weight
            for verb in ("set", "add", "move"):
                for var_id, expr in getattr(outcome, verb):
                    if scenario.variables[var_id].type == "number" or verb == "move":
                        yield f"{where}.outcomes.{outcome.id}.{verb}.{var_id}", "effect", expr
    for ending in scenario.endings.values():
        if ending.when is not None:
            yield f"endings.{ending.id}.when", "threshold", ending.when
        for role, expr in ending.scores:
            yield f"endings.{ending.id}.scores.{role}", "score", expr


def _numbers(expr: Expr, written: ast.AST | None = None) -> Iterator[tuple[int, float, bool]]:
    """(index, value, whether it is compared with something) for each number written in ``expr``
    (in ``written`` only, when given; the index still counts every number of ``expr``)."""
    if expr.tree is None:
        if expr.type == "number" and expr.constant is not None:
            yield 0, expr.constant, False
        return
    compared = {id(n) for c in ast.walk(expr.tree) if isinstance(c, ast.Compare) for n in (c.left, *c.comparators)}
    own = None if written is None else {id(n) for n in ast.walk(written)}
    index = 0
    for node in ast.walk(expr.tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            if own is None or id(node) in own:
                yield index, float(node.value), id(node) in compared
            index += 1


# changing them ---------------------------------------------------------------------------------


def with_values(scenario: Scenario, values: Mapping[Parameter, float]) -> Scenario:
    """A copy of ``scenario`` with each parameter set to its new value."""
    constants = dict(scenario.constants)
    variables = dict(scenario.variables)
    draws = list(scenario.draws)
    edits: dict[str, list[tuple[int, float]]] = {}
    for p, value in values.items():
        if p.kind == "constant":
            constants[p.path.split(".", 1)[1]] = float(value)
        elif p.kind == "start":
            var = variables[p.path.split(".")[1]]
            if var.draw:  # a drawn start moves as a whole: every possible value shifts alike
                shift = float(value) - _mean_start(var)
                draw = tuple((min(max(v + shift, var.min), var.max), w) for v, w in var.draw)
                variables[var.id] = replace(var, draw=draw)
                draws = [_shifted(d, var, shift) if d.variable == var.id else d for d in draws]
            else:
                variables[var.id] = replace(var, initial=float(value))
        else:
            edits.setdefault(p.path, []).append((p.index, float(value)))
    changed = replace(scenario, constants=constants, variables=variables, draws=tuple(draws))
    symbols = scenario_symbols(changed)
    for path, numbers in edits.items():
        changed = _set(changed, path, _edited(_get(changed, path), numbers, symbols))
    tag = ",".join(f"{p.id}={v!r}" for p, v in sorted(values.items(), key=lambda kv: kv[0].id))
    return replace(changed, digest=f"{scenario.digest}+{tag}")


def _shifted(draw: Draw, var: Variable, shift: float) -> Draw:
    """The drawing of ``var``'s start with every value it may take moved by ``shift`` (within bounds)."""
    outcomes = []
    for outcome in draw.outcomes:
        sets = tuple(
            (name, literal(min(max(expr.constant + shift, var.min), var.max)))
            if name == var.id and expr.constant is not None
            else (name, expr)
            for name, expr in outcome.set
        )
        outcomes.append(replace(outcome, set=sets))
    return replace(draw, outcomes=tuple(outcomes))


def _edited(expr: Expr, numbers: list[tuple[int, float]], symbols) -> Expr:
    """``expr`` with its numbers at the given indices replaced."""
    if expr.tree is None:
        return literal(numbers[0][1])
    tree = copy.deepcopy(expr.tree)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) in (int, float)]
    for index, value in numbers:
        found[index].value = value
    return compile_expr(ast.unparse(tree), symbols)


def _get(scenario: Scenario, path: str) -> Expr:
    parts = path.split(".")
    section, key = parts[0], parts[1]
    if section == "roles":
        return scenario.roles[key].objective
    if section == "endings":
        ending = scenario.endings[key]
        return ending.when if parts[2] == "when" else dict(ending.scores)[parts[3]]
    move = scenario.actions[key] if section == "actions" else scenario.events[key]
    if parts[2] != "outcomes":
        return getattr(move, parts[2])
    outcome = move.outcome(parts[3])
    return outcome.weight if parts[4] == "weight" else dict(getattr(outcome, parts[4]))[parts[5]]


def _set(scenario: Scenario, path: str, expr: Expr) -> Scenario:
    parts = path.split(".")
    section, key = parts[0], parts[1]
    if section == "roles":
        roles = {**scenario.roles, key: replace(scenario.roles[key], objective=expr)}
        return replace(scenario, roles=roles)
    if section == "endings":
        ending = scenario.endings[key]
        if parts[2] == "when":
            ending = replace(ending, when=expr)
        else:
            ending = replace(ending, scores=_swap(ending.scores, parts[3], expr))
        return replace(scenario, endings={**scenario.endings, key: ending})
    table = scenario.actions if section == "actions" else scenario.events
    move = table[key]
    if parts[2] != "outcomes":
        move = replace(move, **{parts[2]: expr})
    else:
        outcomes = []
        for outcome in move.outcomes:
            if outcome.id == parts[3]:
                if parts[4] == "weight":
                    outcome = replace(outcome, weight=expr)
                else:
                    outcome = replace(outcome, **{parts[4]: _swap(getattr(outcome, parts[4]), parts[5], expr)})
            outcomes.append(outcome)
        move = replace(move, outcomes=tuple(outcomes))
    return replace(scenario, **{"actions" if section == "actions" else "events": {**table, key: move}})


def _swap(pairs: tuple[tuple[str, Expr], ...], name: str, expr: Expr) -> tuple[tuple[str, Expr], ...]:
    return tuple((k, expr if k == name else e) for k, e in pairs)
