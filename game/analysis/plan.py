"""A scenario compiled into tables for the batch engine.

The batch engine walks every game through the same sequence of *positions*: position ``p`` is
turn ``p // per_turn + 1`` and step ``p % per_turn`` (a role of the turn order, then one step per
event). Everything that depends only on the position (who moves, the clock) is worked out here
once, exactly as :class:`game.core.state.State` computes it for a single game.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from game.analysis.masks import FastTest, choice_tables, fast_test
from game.analysis.vbargain import Tables
from game.core.errors import ExprError
from game.core.expr import Expr, compile_expr
from game.core.model import SPECIAL_NAMES, Action, Event, Scenario, scenario_symbols
from game.core.numeric import domain, settle

TABLE_MOVES = 32
"""A role with at least this many moves has its legal moves and its steps read from tables."""


@dataclass(frozen=True)
class Effect:
    """One ``set``, ``add`` or ``move`` of an outcome, on a variable's row of the value matrix."""

    slot: int
    expr: Expr
    boolean: bool = False
    route_pos: np.ndarray | None = None  # place index -> position on the route, -1 off it
    route_places: np.ndarray | None = None  # position on the route -> place index


@dataclass(frozen=True)
class Fixed:
    """A variable that an outcome sets to a constant, or moves by a constant within its bounds.

    ``add`` false: the new value is ``value`` (already coerced and clamped). ``add`` true: the
    new value is the old one plus ``value``, then clamped to ``low`` and ``high`` (None where the
    bound cannot be crossed: an old value is always within its bounds, so a rise cannot fall
    below the minimum nor a drop rise above the maximum).
    """

    slot: int
    value: float
    add: bool
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class OutcomeRule:
    id: str
    weight: Expr
    end: int  # ending index, -1 when the outcome does not end the game
    sets: tuple[Effect, ...]
    adds: tuple[Effect, ...]
    moves: tuple[Effect, ...]
    clamps: tuple[tuple[int, float, float], ...]  # (slot, min, max) of the number variables touched
    fixed: tuple[Fixed, ...] = ()  # the touched variables whose new value needs no expression
    varying: OutcomeRule | None = None  # the other touched variables (None when there are none)


@dataclass(frozen=True)
class Split:
    """An expression ``a if test else b`` with one constant branch: the other branch need only
    be worked out for the games that take it."""

    test: Expr
    constant: float
    constant_if: bool  # the test's value (true or false) that gives the constant
    other: Expr | None  # None when the other branch is the constant ``otherwise``
    otherwise: float = 0.0


@dataclass(frozen=True)
class MoveRule:
    """An action of a role, or an event of the world, with its outcomes."""

    id: str
    index: int  # index among all actions (for pick counts); -1 for an event
    when: Expr | None
    chance: Expr | None
    outcomes: tuple[OutcomeRule, ...]
    ai_weight: Expr | None = None
    history_turns: frozenset[int] = frozenset()
    touched: frozenset[str] = frozenset()  # the variables its outcomes may change
    split: Split | None = None  # the chance, when it splits


@dataclass(frozen=True)
class EndingRule:
    id: str
    when: Expr | None
    scores: tuple[Expr | None, ...]  # one per role in role order; None scores 0


class Plan:
    """Everything the batch engine needs from a scenario, compiled once."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.roles = tuple(scenario.roles)
        self.role_index = {r: i for i, r in enumerate(self.roles)}
        self.var_ids = scenario.variable_ids
        self.n_vars = len(self.var_ids)
        self.n_slots = len(scenario.slots)
        self.constants = tuple(float(c) for c in scenario.constants.values())
        self.turn_order = scenario.turn_order
        self.per_turn = len(scenario.turn_order) + len(scenario.event_list)
        self.turn_limit = scenario.calendar.turn_limit
        self.endings = tuple(self._ending(e) for e in scenario.endings.values())
        self.ending_ids = tuple(scenario.endings)
        self.ending_index = {e: i for i, e in enumerate(self.ending_ids)}
        limit = scenario.turn_limit_ending()
        self.limit_ending = -1 if limit is None else self.ending_index[limit.id]
        self.symbols = self._symbols()
        self.conditions = tuple(
            (i, fast_test(e.when, self.symbols)) for i, e in enumerate(self.endings) if e.when is not None
        )
        self.initial = np.asarray(scenario.initial_values(), dtype=np.float64)
        self.draws = tuple(self._draw(d) for d in scenario.draws)
        # Outcomes with constant effects skip the clamps that cannot bite, which relies on every
        # number starting within its bounds (a sweep's override may not; then nothing is skipped).
        self.in_bounds = all(
            not (v.min > x or x > v.max)
            for v, x in zip(scenario.variables.values(), self.initial)
            if v.type == "number"
        )
        self.clockless_conditions = not any(c.names & set(SPECIAL_NAMES) for _, c in self.conditions)
        self.score_slots = sorted(
            {
                scenario.slots[name]
                for ending in self.endings
                for e in ending.scores
                if e is not None
                for name in e.names
                if name in scenario.variables
            }
        )
        self.clockless_scores = not any(
            e.names & set(SPECIAL_NAMES) for ending in self.endings for e in ending.scores if e is not None
        )
        self.action_ids = tuple(scenario.actions)
        self.action_role = tuple(self.role_index[a.role] for a in scenario.actions.values())
        index = {a: i for i, a in enumerate(self.action_ids)}
        self.moves_of = {
            role: tuple(self._action(a, index[a.id]) for a in scenario.actions_of(role)) for role in self.roles
        }
        self.events = tuple(self._event(e) for e in scenario.event_list)
        self.objectives = tuple(scenario.roles[r].objective for r in self.roles)
        self.bargain = Tables(scenario) if scenario.negotiation is not None else None
        self._choice_tables: dict[str, tuple | None] = {}
        # a role with this many moves or more (a bargaining one: offers, answers, keeps and breaks)
        # is played from tables, the others move by move as before
        self.table_moves = TABLE_MOVES
        self._step_tables: dict[str, StepTable] = {}
        self._clock: dict[int, tuple[float, float, float]] = {}
        self._events_now: dict[tuple[int, int], MoveRule] = {}

    # positions ----------------------------------------------------------------------------

    def turn_of(self, pos: int) -> int:
        return pos // self.per_turn + 1

    def step_of(self, pos: int) -> int:
        return pos % self.per_turn

    def role_at(self, pos: int) -> str | None:
        """The role that moves at ``pos``, or None for an event step."""
        step = self.step_of(pos)
        return self.turn_order[step] if step < len(self.turn_order) else None

    def event_at(self, pos: int) -> MoveRule:
        return self.events[self.step_of(pos) - len(self.turn_order)]

    def event_now(self, pos: int) -> MoveRule:
        """The event at ``pos`` with its chance worked out for that turn: the clock's names are
        its numbers there, and the tests they decide are decided (the same chance in every
        game, with fewer operations; an event that cannot happen on that turn has chance 0)."""
        key = (self.step_of(pos), self.turn_of(pos))
        if key not in self._events_now:
            event = self.event_at(pos)
            self._events_now[key] = self._event_on(event, self.clock(key[1]))
        return self._events_now[key]

    def _event_on(self, event: MoveRule, clock: tuple[float, float, float]) -> MoveRule:
        chance = event.chance
        if chance is None or chance.constant is not None or chance.tree is None:
            return event
        if not chance.names & set(SPECIAL_NAMES):
            return event
        folded = _fold(copy.deepcopy(chance.tree), dict(zip(SPECIAL_NAMES, clock)))
        try:
            expr = compile_expr(ast.unparse(folded), self.symbols)
        except ExprError:
            return event
        if expr.names & set(SPECIAL_NAMES):
            return event
        return dataclasses.replace(event, chance=expr, split=self._split(expr))

    def clock(self, turn: int) -> tuple[float, float, float]:
        """``turn``, ``hour`` and ``elapsed`` as State.env computes them (same float operations)."""
        if turn not in self._clock:
            cal = self.scenario.calendar
            elapsed = (turn - 1) * cal.hours_per_turn
            hour = (cal.start.hour + cal.start.minute / 60 + elapsed) % 24
            self._clock[turn] = (float(turn), hour, elapsed)
        return self._clock[turn]

    def env(self, rows: np.ndarray, pos: int) -> list:
        """The expression environment for the games in ``rows`` (a variables x games matrix)."""
        return [*rows, *self.constants, *self.clock(self.turn_of(pos))]

    # compiling ----------------------------------------------------------------------------

    def _ending(self, ending) -> EndingRule:
        given = dict(ending.scores)
        return EndingRule(ending.id, ending.when, tuple(given.get(r) for r in self.roles))

    def _draw(self, draw) -> tuple[int, np.ndarray, np.ndarray]:
        """A starting draw as (slot, values, thresholds): the value is the first whose running sum
        of probabilities exceeds the draw, as :func:`game.core.state.pick` chooses."""
        from game.core.state import State

        pairs = State.initial(self.scenario).outcomes(draw)
        values, cum, total = [], [], 0.0
        for outcome, p in pairs:
            total += p
            values.append(outcome.set[0][1].constant)
            cum.append(total)
        return self.scenario.slots[draw.variable], np.asarray(values, dtype=np.float64), np.asarray(cum)

    def _action(self, action: Action, index: int) -> MoveRule:
        when = None if action.when.constant == 1.0 else fast_test(action.when, self.symbols)
        turns = frozenset(action.history.turns) if action.history is not None else frozenset()
        outcomes = tuple(self._outcome(o) for o in action.outcomes)
        return MoveRule(action.id, index, when, None, outcomes, action.ai_weight, turns)

    def choices(self, role: str):
        """The role's moves as tables of choices (built when the batch engine first asks), or
        None for a role with fewer than ``table_moves`` moves: a mask per move costs no more there."""
        if role not in self._choice_tables:
            few = len(self.moves_of[role]) < self.table_moves
            self._choice_tables[role] = None if few else self._choices(role)
        return self._choice_tables[role]

    def step_table(self, role: str) -> StepTable:
        """The role's moves as one table for a step of many games (built when first asked)."""
        if role not in self._step_tables:
            self._step_tables[role] = StepTable(self.moves_of[role], frozenset(self.var_ids))
        return self._step_tables[role]

    def _choices(self, role: str):
        """The role's moves as tables of choices (masks.choice_tables), or None where some
        condition is not of a shape they take."""
        whens, trees = [], []
        for action, move in zip(self.scenario.actions_of(role), self.moves_of[role]):
            when = move.when
            if when is not None and not isinstance(when, FastTest) and when.constant is None:
                return None
            whens.append(when)
            trees.append(action.when.tree if isinstance(when, FastTest) else None)
        blocks = [] if self.bargain is None else [(b.start, b.stop) for b in self.bargain.blocks[role]]
        return choice_tables(whens, trees, blocks, self.symbols)

    def _event(self, event: Event) -> MoveRule:
        outcomes = tuple(self._outcome(o) for o in event.outcomes)
        touched = frozenset(v for o in event.outcomes for v, _ in (*o.set, *o.add, *o.move))
        split = self._split(event.chance)
        return MoveRule(event.id, -1, None, event.chance, outcomes, touched=touched, split=split)

    def _split(self, expr: Expr) -> Split | None:
        """``expr`` as a Split when it is ``a if test else b`` with exactly one constant branch."""
        tree = expr.tree
        if expr.constant is not None or not isinstance(tree, ast.IfExp):
            return None
        symbols = self.symbols
        try:
            test, body, orelse = (compile_expr(ast.unparse(n), symbols) for n in (tree.test, tree.body, tree.orelse))
        except ExprError:
            return None
        if body.constant is not None and orelse.constant is not None:
            fast = fast_test(test, symbols)
            return Split(fast, body.constant, True, None, orelse.constant) if fast is not test else None
        if body.constant is None and orelse.constant is None:
            return None
        constant, constant_if, other = (
            (body.constant, True, orelse) if body.constant is not None else (orelse.constant, False, body)
        )
        if not other.names & set(self.var_ids):
            return None  # a branch that reads no variable costs next to nothing over every game
        return Split(fast_test(test, symbols), constant, constant_if, other)

    def _symbols(self):
        return scenario_symbols(self.scenario)

    def _outcome(self, outcome) -> OutcomeRule:
        sc = self.scenario
        slots = sc.slots
        sets = tuple(Effect(slots[v], e, sc.variables[v].type == "boolean") for v, e in outcome.set)
        adds = tuple(Effect(slots[v], e) for v, e in outcome.add)
        moves = tuple(self._move(v, e) for v, e in outcome.move)
        touched = dict.fromkeys(v for v, _ in (*outcome.set, *outcome.add, *outcome.move))
        clamps = tuple(
            (slots[v], *domain(sc.variables[v].min, sc.variables[v].max))
            for v in touched
            if sc.variables[v].type == "number"
        )
        end = self.ending_index[outcome.end] if outcome.end else -1
        rule = OutcomeRule(outcome.id, outcome.weight, end, sets, adds, moves, clamps)
        fixed = tuple(f for f in (self._fixed(rule, slots[v]) for v in touched) if f is not None)
        if not fixed:
            return rule
        done = {f.slot for f in fixed}
        varying = None
        if len(done) < len(touched):
            varying = OutcomeRule(
                outcome.id,
                outcome.weight,
                end,
                tuple(e for e in sets if e.slot not in done),
                tuple(e for e in adds if e.slot not in done),
                tuple(e for e in moves if e.slot not in done),
                tuple(c for c in clamps if c[0] not in done),
            )
        return OutcomeRule(outcome.id, outcome.weight, end, sets, adds, moves, clamps, fixed, varying)

    def _fixed(self, rule: OutcomeRule, slot: int) -> Fixed | None:
        """The variable's change as a Fixed when it takes no expression, with the engine's floats."""
        if not self.in_bounds or any(e.slot == slot for e in rule.moves):
            return None
        sets = [e for e in rule.sets if e.slot == slot]
        adds = [e for e in rule.adds if e.slot == slot]
        if any(e.expr.constant is None for e in (*sets, *adds)) or len(sets) > 1 or len(adds) > 1:
            return None
        bounds = [(lo, hi) for s, lo, hi in rule.clamps if s == slot]
        if sets:
            value = sets[0].expr.constant
            if sets[0].boolean:
                value = 1.0 if value != 0 else 0.0
            if adds:
                value = value + adds[0].expr.constant
            if bounds:
                ((lo, hi),) = bounds
                value = settle(value, lo, hi)
            return Fixed(slot, float(value), False)
        step = adds[0].expr.constant
        if not bounds:
            return Fixed(slot, step, True)
        ((lo, hi),) = bounds
        if not (_plain(lo) and _plain(hi)):
            return None
        low = lo if step < 0 and lo > -math.inf else None
        high = hi if step > 0 and hi < math.inf else None
        return Fixed(slot, step, True, low, high)

    def _move(self, var: str, expr: Expr) -> Effect:
        sc = self.scenario
        route = sc.routes[sc.variables[var].route]
        places = sc.place_ids
        pos = np.full(len(places), -1, dtype=np.int64)
        for i, stop in reversed(list(enumerate(route.stops))):
            pos[places.index(stop)] = i  # the first occurrence wins, as list.index does
        along = np.asarray([places.index(s) for s in route.stops], dtype=np.float64)
        return Effect(sc.slots[var], expr, False, pos, along)


def _signature(rule: OutcomeRule) -> tuple:
    """What an outcome's computed effects are made of: two outcomes with the same signature
    give the same new values in the same game."""
    return (
        tuple((e.slot, e.expr.source, e.boolean) for e in rule.sets),
        tuple((e.slot, e.expr.source) for e in rule.adds),
        tuple((e.slot, e.expr.source) for e in rule.moves),
        rule.clamps,
    )


NO_ROWS = np.zeros(0, dtype=np.int64)

_DECIDE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


_EXACT = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


def _number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _same(a: ast.Constant, b: ast.Constant) -> bool:
    return type(a.value) is type(b.value) and repr(a.value) == repr(b.value)


def _fold(node: ast.AST, known: dict[str, float]) -> ast.AST:
    """``node`` with the names in ``known`` replaced by their numbers and every test that then
    compares numbers only decided (a test's truth is what the engines read from it: a number is
    true unless it is 0). Values are left as they are written: only tests are decided."""
    if isinstance(node, ast.Name) and node.id in known:
        return ast.Constant(float(known[node.id]))
    if isinstance(node, ast.IfExp):
        inner = node.orelse
        if _number(node.body) and isinstance(inner, ast.IfExp) and _number(inner.body) and _same(inner.body, node.body):
            # 'a if t else (a if u else c)' is 'a if (t or u) else c'
            joined = ast.BoolOp(ast.Or(), [node.test, inner.test])
            return _fold(ast.IfExp(joined, node.body, inner.orelse), known)
        test = _decide(node.test, known)
        body, orelse = _fold(node.body, known), _fold(node.orelse, known)
        if isinstance(test, bool):
            return body if test else orelse
        if _number(body) and _number(orelse):
            if _same(body, orelse):
                return body
            if repr(float(body.value)) == "0.0" and orelse.value > 0:
                # '0 if t else c' as 'c if not t else 0': the shape whose games the engine can pick
                return ast.IfExp(ast.UnaryOp(ast.Not(), test), orelse, body)
        return ast.IfExp(test, body, orelse)
    if isinstance(node, ast.BinOp) and type(node.op) in _EXACT:
        left, right = _fold(node.left, known), _fold(node.right, known)
        if _number(left) and _number(right):
            x, y = float(left.value), float(right.value)
            value = _EXACT[type(node.op)](x, y)
            if all(v.is_integer() and abs(v) < 2.0**40 for v in (x, y, value)):
                return ast.Constant(value)  # whole numbers far inside the domain: no rounding, no saturation
        return ast.BinOp(left, node.op, right)
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            setattr(node, field, _fold(value, known))
        elif isinstance(value, list):
            setattr(node, field, [_fold(v, known) if isinstance(v, ast.AST) else v for v in value])
    return node


def _decide(node: ast.AST, known: dict[str, float]) -> ast.AST | bool:
    """A test with ``known`` put in: True or False where that decides it, else the test left."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _decide(node.operand, known)
        return (not inner) if isinstance(inner, bool) else ast.UnaryOp(ast.Not(), inner)
    if isinstance(node, ast.BoolOp):
        stop = isinstance(node.op, ast.Or)  # the value that decides the whole: True for or
        rest = []
        for v in node.values:
            part = _decide(v, known)
            if isinstance(part, bool):
                if part == stop:
                    return stop
                continue
            rest.append(part)
        if not rest:
            return not stop
        return rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)
    node = _fold(node, known)
    if _number(node):
        return node.value != 0
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _DECIDE:
        if _number(node.left) and _number(node.comparators[0]):
            return bool(_DECIDE[type(node.ops[0])](node.left.value, node.comparators[0].value))
    return node


def _parts(rule: OutcomeRule) -> tuple[OutcomeRule, ...]:
    """An outcome's computed effects as rules that can be worked out apart: one per variable
    when each variable has one effect (its new value then reads only values from before the
    step, whatever the others do), else the whole rule."""
    effects = (*rule.sets, *rule.adds, *rule.moves)
    if len({e.slot for e in effects}) < len(effects):
        return (rule,)
    out = []
    for kind, made in enumerate((rule.sets, rule.adds, rule.moves)):
        for e in made:
            three = tuple((e,) if k == kind else () for k in range(3))
            clamps = tuple(c for c in rule.clamps if c[0] == e.slot)
            out.append(OutcomeRule(rule.id, rule.weight, -1, *three, clamps))
    return tuple(out)


class FixedList:
    """Constant effects listed outcome by outcome: outcome o's are entries ``first[o]`` to
    ``first[o] + count[o]`` of the flat arrays (a variable, a value and, for a rise or drop, the
    bounds it stops at: infinite where it cannot cross one)."""

    def __init__(self, entries: list[tuple[int, Fixed]], outcomes: int):
        self.count = np.bincount(np.asarray([i for i, _ in entries], dtype=np.intp), minlength=outcomes)
        self.count = self.count.astype(np.int64)
        self.first = np.zeros(outcomes, dtype=np.int64)
        np.cumsum(self.count[:-1], out=self.first[1:])
        self.slot = np.asarray([f.slot for _, f in entries], dtype=np.int64)
        self.value = np.asarray([f.value for _, f in entries], dtype=np.float64)
        self.low = np.asarray([-np.inf if f.low is None else f.low for _, f in entries], dtype=np.float64)
        self.high = np.asarray([np.inf if f.high is None else f.high for _, f in entries], dtype=np.float64)


class StepTable:
    """A role's moves as tables for one step of many games, every outcome of every move at once.

    Outcomes are numbered through the moves in file order (``offset[j]`` is move j's first); the
    last number stands for "no outcome". Moves whose outcomes weigh the same make one class:
    their odds are worked out once over all the games that took any of them. Computed effects
    that are the same (a variable and its expression) make one group, over every outcome that
    has them. The constant effects are listed outcome by
    outcome, the values set apart from the rises and drops, so that a step applies all of them
    in a few passes.
    """

    def __init__(self, moves: tuple[MoveRule, ...], variables: frozenset[str] = frozenset()):
        offsets, outcomes = [], []
        for move in moves:
            offsets.append(len(outcomes))
            outcomes.extend(move.outcomes)
        self.offset = np.asarray(offsets, dtype=np.int64)
        self.size = len(outcomes)
        none = self.size  # the number of "no outcome"
        self.ending = np.asarray([o.end for o in outcomes] + [-1], dtype=np.int64)
        self.ends = bool((self.ending >= 0).any())
        classes: dict[tuple, list[int]] = {}
        for j, move in enumerate(moves):
            if len(move.outcomes) > 1:
                classes.setdefault(tuple(o.weight.source for o in move.outcomes), []).append(j)
        self.classes = tuple(tuple(c) for c in classes.values())  # moves with more than one outcome
        groups: dict[tuple, list[int]] = {}
        self.rules: list[OutcomeRule] = []
        # outcomes whose computed effects only set values that read no variable (the clock, a
        # place, a constant): their values are the same in every game at a position, worked out
        # once per position (clock_values) and written with the constant ones
        self.clock_rules: list[tuple[int, OutcomeRule]] = []
        for i, o in enumerate(outcomes):
            if o.varying is None and o.fixed:
                continue
            rule = o.varying or o
            if not (rule.sets or rule.adds or rule.moves):
                continue
            if not (rule.adds or rule.moves) and not any(e.expr.names & variables for e in rule.sets):
                self.clock_rules.append((i, rule))
                continue
            for part in _parts(rule):
                key = _signature(part)
                if key not in groups:
                    groups[key] = []
                    self.rules.append(part)
                groups[key].append(i)
        self.groups = tuple(np.asarray(g, dtype=np.int64) for g in groups.values())  # outcomes of each rule
        self.group_of = np.concatenate([np.full(len(g), k) for k, g in enumerate(self.groups)] or [NO_ROWS])
        self.group_member = np.concatenate([*self.groups, NO_ROWS])
        entries = [(i, f) for i, o in enumerate(outcomes) for f in sorted(o.fixed, key=lambda f: f.slot)]
        self.fixed_sets = FixedList([(i, f) for i, f in entries if not f.add], none + 1)
        self.fixed_adds = FixedList([(i, f) for i, f in entries if f.add], none + 1)
        clock = [(i, Fixed(e.slot, math.nan, False)) for i, rule in self.clock_rules for e in rule.sets]
        self.fixed_clock = FixedList(clock, none + 1)  # values: clock_values
        self._clock_values: dict[tuple, np.ndarray] = {}

    def clock_values(self, at) -> np.ndarray:
        """The values ``fixed_clock`` sets at a position (``at``: an environment there): the
        outcomes' own effects, worked out on one game as on every game."""
        values = self._clock_values.get(at.tail)
        if values is None:
            from game.analysis.batch import RowsEnv, effects

            env = RowsEnv(np.zeros((at.n_vars, 1)), None, at.tail)
            out = []
            for _, rule in self.clock_rules:
                new = effects(rule, env, 1)
                out.extend(float(np.reshape(new[e.slot], -1)[0]) for e in rule.sets)
            values = self._clock_values[at.tail] = np.asarray(out, dtype=np.float64)
        return values


def _plain(bound: float) -> bool:
    """A bound that numpy's maximum and minimum treat exactly as the engine's comparisons do.

    They differ only on NaN and on a tie between zeros of opposite sign; a sum ``x + c`` with
    ``c`` nonzero is never -0.0, so only a bound of -0.0 (or NaN) could tie that way.
    """
    return not math.isnan(bound) and not (bound == 0 and math.copysign(1.0, bound) < 0)
