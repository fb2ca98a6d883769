"""Scenario lint: what is legal but suspicious in a file that already validates.

Validation says whether the engine can run a file; lint says whether the file does what its author
meant. It looks two ways. By static analysis, over the ranges each variable can take (its bounds,
narrowed by what the effects can do to it), it proves things such as "this condition can never
hold" (:mod:`game.scenario.lint_ranges`). By simulation, over many seeded random-vs-random games
played through the ordinary :class:`~game.core.match.Match`, it observes what play reaches:
actions never open, endings never reached, weights that go negative, effects that only ever push
a variable into its bound (:mod:`game.scenario.lint_play`).

A finding that lint proves is an ``error``; one it observed in the simulated games, or a matter of
style, is a ``warning``; something worth knowing that may well be meant is a ``note``. Each check is a small ``check_*`` function from a :class:`Context` to
problems; :data:`CHECKS` lists them in the order they run.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from game.core.errors import did_you_mean
from game.core.expr import Expr
from game.core.model import Action, Event, Scenario
from game.core.state import State
from game.scenario import lint_deal, lint_secrets
from game.scenario.lint_play import DEFAULT_GAMES, DEFAULT_SEED, Reach, simulate
from game.scenario.lint_ranges import (
    ANY,
    Interval,
    all_outcomes,
    effects_of,
    evaluate,
    find_move,
    implies,
    moves,
    number_text,
    variable_ranges,
    where_of,
    writes,
)
from game.scenario.problems import Problem

_RANK = {"error": 0, "warning": 1, "note": 2}
MIN_OCCURRENCES = 5  # an effect must be seen this often before lint calls it always wasted

RULES: Mapping[str, str] = {
    "ends-at-start": "an ending's condition already holds before anyone moves",
    "action-never-open": "an action whose condition is never true (proved, or never seen open in play)",
    "ending-never-reached": "an ending that no game can reach (proved) or none of the simulated games reached",
    "ending-condition-dead": "an ending reached by an outcome's end:, whose own 'when' can never hold",
    "ending-shadowed": "an ending whose 'when' only holds when an earlier ending's does, so that one always ends the game first",
    "boolean-compared": "a boolean compared with a number other than 0 or 1, which it never equals",
    "weights-not-shares": "outcome weights written as probabilities that do not add up to 1 (a note: they are shares of their sum)",
    "event-never-happens": "an event whose chance is never above 0 (proved) or that never happened in play",
    "weight-negative": "an outcome weight that is, or becomes, negative (it then counts as 0)",
    "weights-all-zero": "every weight of an action or event is 0 or less, so its outcomes fall back to equal odds",
    "effect-at-bound": "an effect that only ever pushes a number against its min or max, changing nothing",
    "variable-unread": "a variable that no condition, weight, score, effect or text reads",
    "variable-unchanged": "a variable that no effect ever changes",
    "text-bare-name": "prose that writes a variable's id without braces, or a near-miss of one",
    "text-unit-doubled": "prose that writes a variable's unit after {variable}, which already shows it",
    "title-template": "a title, brief, summary, label or case's words that hold {braces}: these are shown as written, never filled in",
    "history-missing": "the scenario claims history (a historical ending) but tells none",
    "history-turns": "a history note that names turns outside the calendar",
    "role-idle": "a role in the turn order with no actions",
    **lint_secrets.RULES,
    **lint_deal.RULES,
}


EXPLAINS: Mapping[str, tuple[str, ...]] = {
    "boolean-compared": ("action-never-open", "ending-never-reached", "ending-condition-dead", "event-never-happens"),
}
"""Findings that give the reason for others at the same spot, which are then left out."""


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
        names = [n for n in names if not n.startswith("_")]  # internal names mean nothing to an author
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
    for action in lint_deal.file_moves(scenario):
        if not isinstance(action, Action):
            continue  # events, and the bargaining moves, which check_channels_usable judges
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
    targets = _targets(scenario)
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
        elif ending.when is not None and not ctx.range_of(ending.when).can_be_true():
            if ending.id in targets:
                yield ctx.problem(
                    f"{where}.when",
                    "error",
                    "ending-condition-dead",
                    f"the condition of the ending '{ending.id}' can never be true; "
                    f"the ending is reached only through 'end: {ending.id}' in {_listed(targets[ending.id])}",
                    ctx.why(ending.when),
                )
            else:
                yield ctx.problem(
                    f"{where}.when",
                    "error",
                    "ending-never-reached",
                    f"the condition of the ending '{ending.id}' can never be true",
                    ctx.why(ending.when),
                )
        elif shadowed_by(ctx, ending.id):
            continue  # check_endings_shadowed says why
        elif ctx.reach.games and not ctx.reach.endings.get(ending.id):
            yield ctx.problem(
                f"{where}.__key__",
                "warning",
                "ending-never-reached",
                f"none of {ctx.reach.games} random games reached the ending '{ending.id}'",
            )


def check_endings_shadowed(ctx: Context) -> Iterator[Problem]:
    """Endings whose condition holds only where an earlier ending's does: the earlier one ends the game."""
    targets = _targets(ctx.scenario)
    for ending in ctx.scenario.endings.values():
        earlier = shadowed_by(ctx, ending.id)
        if not earlier:
            continue
        why = f"whenever it holds, the condition of '{earlier}' holds too, and '{earlier}' is checked first"
        if ending.id in targets:
            message = (
                f"the condition of the ending '{ending.id}' never decides a game: {why}; "
                f"it is reached only through 'end: {ending.id}' in {_listed(targets[ending.id])}"
            )
        else:
            message = f"the ending '{ending.id}' is never reached: {why}"
        yield ctx.problem(
            f"endings.{ending.id}.when",
            "error",
            "ending-shadowed",
            message,
            f"narrow the condition of '{earlier}', or move '{ending.id}' above it (endings are checked in file order)",
        )


def shadowed_by(ctx: Context, ending_id: str) -> str:
    """The first earlier ending whose condition holds wherever this ending's does, or ''."""
    endings = list(ctx.scenario.endings.values())
    ending = ctx.scenario.endings[ending_id]
    if ending.when is None or not ctx.range_of(ending.when).can_be_true():
        return ""
    for earlier in endings[: endings.index(ending)]:
        if earlier.when is not None and implies(ending.when, earlier.when, ctx.ranges, ctx.scenario):
            return earlier.id
    return ""


def _targets(scenario: Scenario) -> dict[str, list[str]]:
    """Ending id -> the outcomes (as 'move/outcome') that end the game in it."""
    out: dict[str, list[str]] = {}
    for move, outcome in all_outcomes(scenario):
        if outcome.end:
            out.setdefault(outcome.end, []).append(f"{move.id}/{outcome.id}")
    return out


def _listed(items: list[str]) -> str:
    shown = ", ".join(f"'{i}'" for i in items[:3])
    return shown + (f" and {len(items) - 3} more" if len(items) > 3 else "")


def check_events_happen(ctx: Context) -> Iterator[Problem]:
    """Events whose chance is never above 0, or that never happened in the simulated games."""
    for event in ctx.scenario.events.values():
        if event.internal:  # a delayed effect happens when what sets it off does
            continue
        where = f"events.{event.id}.chance"
        if ctx.range_of(event.chance).hi <= 0:
            once = "this one-time event can never happen: " if event.once else ""
            yield ctx.problem(
                where,
                "error",
                "event-never-happens",
                f"{once}the chance of '{event.id}' is never above 0",
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
    for move in moves(ctx.scenario):
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
            f"it was already at the end of its range {number_text(var.min)}..{number_text(var.max)} it pushed towards",
        )


def check_effects_out_of_bounds(ctx: Context) -> Iterator[Problem]:
    """Effects that provably change nothing: a ``set`` always outside the bounds, or an ``add``
    that always pushes a number that can only ever be at that bound."""
    for move, outcome in all_outcomes(ctx.scenario):
        set_ids = {var_id for var_id, _ in outcome.set}
        for verb, var_id, expr in effects_of(outcome):
            var = ctx.scenario.variables[var_id]
            if var.type != "number" or (verb == "add" and var_id in set_ids):
                continue
            span, held = ctx.range_of(expr), ctx.ranges[var_id]
            if verb == "set" and (span.lo > var.max or span.hi < var.min):
                message = f"'{var_id}' is set to {span.text()}, always outside its bounds {number_text(var.min)}..{number_text(var.max)}"
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
    written = {var_id for var_id, _, _ in writes(scenario)}
    for var in scenario.variables.values():
        if var.internal or var.origin:
            continue  # the loader's own, and the terms' flags (check_terms_matter)
        where = f"variables.{var.id}.__key__"
        if var.id not in read and var.type != "place":  # a place variable is at least drawn on the map
            yield ctx.problem(
                where,
                "warning",
                "variable-unread",
                f"'{var.id}' is never read: no condition, weight, score, effect or text uses it",
            )
        if var.id not in written and not var.draw:
            hint = "make it a constant" if var.type == "number" else "give it an effect, or remove it"
            yield ctx.problem(
                where, "warning", "variable-unchanged", f"'{var.id}' never changes: no effect sets it", hint
            )


_BARE = re.compile(r"(?<![\w{])([a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9])(?![\w}])")
_TAG = re.compile(r"\{[^{}]*\}")  # a template: {name}, or {if ...}, {elif ...}, {else}, {end}


def check_text_names(ctx: Context) -> Iterator[Problem]:
    """Prose that writes a variable's id bare (it will not be filled in) or a near-miss of one."""
    names = set(ctx.scenario.variables) | set(ctx.scenario.constants)
    for where, text in _prose(ctx.scenario):
        prose = _TAG.sub(" ", text.replace("{{", "").replace("}}", ""))  # names in templates are not prose
        for token in dict.fromkeys(_BARE.findall(prose)):
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


def check_title_templates(ctx: Context) -> Iterator[Problem]:
    """A title written like a template: only texts are filled in, so players read the braces."""
    for where, title in _titles(ctx.scenario):
        last = where.rpartition(".")[2]
        kind = {"brief": "a brief is", "summary": "a summary is", "label": "a label is"}.get(last, "titles are")
        kind = "a case's words are" if ".cases." in where else kind
        found = _TAG.search(title.replace("{{", "").replace("}}", ""))
        if found:
            yield ctx.problem(
                where,
                "warning",
                "title-template",
                f"{kind} not filled in: players will read '{found.group(0)}' as it is written",
                "say it in words, and put the value in the text, where templates work",
            )


def _titles(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """Every title players read of the file's moves, outcomes, covers and endings, with its path
    (and the summary and the briefs, which are not templates either)."""
    yield "meta.summary", scenario.meta.summary
    for role in scenario.roles.values():
        yield f"roles.{role.id}.brief", role.brief
    for move in lint_deal.file_moves(scenario):
        where = _where(move)
        if isinstance(move, Event) and move.internal:  # a delayed effect: its block's own title
            for outcome in move.outcomes:
                yield f"{where}.title", outcome.title
            continue
        yield f"{where}.title", move.title
        if move.sight.cover is not None:
            yield f"{where}.cover.title", move.sight.cover.title
        for outcome in move.outcomes:
            if outcome.title:
                yield f"{where}.outcomes.{outcome.id}.title", outcome.title
            cover = outcome.sight.cover if outcome.sight is not None else None
            if cover is not None:
                yield f"{where}.outcomes.{outcome.id}.cover.title", cover.title
    for ending in scenario.endings.values():
        yield f"endings.{ending.id}.title", ending.title
    for var in scenario.variables.values():
        if var.internal:
            continue
        if var.label:
            yield f"variables.{var.id}.label", var.label
        for case, words in var.cases:
            yield f"variables.{var.id}.cases.{case}", words


def check_boolean_compared(ctx: Context) -> Iterator[Problem]:
    """A boolean compared with == or != to a number other than 0 or 1: never equal, always unequal."""
    booleans = {v.id for v in ctx.scenario.variables.values() if v.type == "boolean"}
    for where, expr in located_expressions(ctx.scenario):
        if expr.tree is None:
            continue
        for node in ast.walk(expr.tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                if not isinstance(op, (ast.Eq, ast.NotEq)):
                    continue
                for name, other in ((left, right), (right, left)):
                    value = _number(other)
                    if isinstance(name, ast.Name) and name.id in booleans and value is not None and value not in (0, 1):
                        verdict = "never true" if isinstance(op, ast.Eq) else "always true"
                        yield ctx.problem(
                            where,
                            "error",
                            "boolean-compared",
                            f"'{name.id}' is true or false (1 or 0), so comparing it with {value:g} is {verdict}",
                            f"write '{name.id}' or 'not {name.id}'",
                        )


def _number(node: ast.expr) -> float | None:
    """The value of a plain number (or a negated one) in a syntax tree, else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


def check_weights_as_shares(ctx: Context) -> Iterator[Problem]:
    """Weights written as probabilities (each below 1) that do not add up to 1 get a note."""
    for move in moves(ctx.scenario):
        base = _where(move)
        written = [o for o in move.outcomes if f"{base}.outcomes.{o.id}.weight" in ctx.scenario.marks]
        values = [o.weight.constant for o in move.outcomes]
        if len(move.outcomes) < 2 or len(written) < len(move.outcomes) or any(v is None for v in values):
            continue
        total = math.fsum(values)
        if not all(0 < v < 1 for v in values) or abs(total - 1) < 1e-9:
            continue
        first = move.outcomes[0]
        yield ctx.problem(
            f"{base}.outcomes.{first.id}.weight",
            "note",
            "weights-not-shares",
            f"the weights of '{move.id}' ({', '.join(f'{v:g}' for v in values)}) look like probabilities "
            f"but add up to {total:g}; each counts as a share of that sum, so '{first.id}' has "
            f"{values[0] / total:.0%}, not {values[0]:.0%}",
            "make them add up to 1 if they are probabilities; as shares they are fine",
        )


def check_text_units(ctx: Context) -> Iterator[Problem]:
    """A template followed by its variable's unit (``{share}%``): the value already carries the unit."""
    units = {v.id: v.unit for v in ctx.scenario.variables.values() if v.type == "number" and v.unit}
    for where, text in _prose(ctx.scenario):
        body = text.replace("{{", "").replace("}}", "")
        for match in _TEMPLATE.finditer(body):
            unit = units.get(match.group(1))
            after = body[match.end() :].lstrip(" ")
            if unit and after.startswith(unit) and not after[len(unit) : len(unit) + 1].isalnum():
                yield ctx.problem(
                    where,
                    "warning",
                    "text-unit-doubled",
                    f"the text writes '{unit}' after {{{match.group(1)}}}, which already shows its unit "
                    f"(players would read it twice, as in '60{'' if unit == '%' else ' '}{unit}{'' if unit == '%' else ' '}{unit}')",
                    f"write {{{match.group(1)}}} alone",
                )
                break


def check_history(ctx: Context) -> Iterator[Problem]:
    """A scenario that marks an ending historical should tell its history; history turns must exist."""
    scenario = ctx.scenario
    historical = [e for e in scenario.endings.values() if e.historical]
    told = [m for m in moves(scenario) if m.history is not None]
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
    check_endings_shadowed,
    check_events_happen,
    check_weights,
    check_effects_out_of_bounds,
    check_effects_at_bound,
    check_variables_used,
    check_text_names,
    check_text_units,
    check_title_templates,
    check_boolean_compared,
    check_weights_as_shares,
    check_history,
    check_roles_act,
    *lint_secrets.CHECKS,
    *lint_deal.CHECKS,
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
        """How many findings have this severity (error, warning or note)."""
        return sum(1 for p in self.problems if p.severity == severity)


def lint(scenario: Scenario, games: int = DEFAULT_GAMES, seed: int = DEFAULT_SEED) -> LintReport:
    """Every lint finding for a loaded scenario, and a summary of its size and coverage."""
    reach = simulate(scenario, games, seed) if games > 0 else Reach(0, seed)
    ctx = Context(scenario, variable_ranges(scenario), reach)
    found = sorted((p for check in CHECKS for p in check(ctx)), key=lambda p: (_RANK[p.severity], p.line))
    problems: dict[tuple[int, int, str], Problem] = {}
    for problem in found:  # a proof and an observation of the same fault: keep the proof
        problems.setdefault((problem.line, problem.col, problem.code), problem)
    for line, col, code in list(problems):  # a finding that says why another one holds replaces it
        for explained in EXPLAINS.get(code, ()):
            problems.pop((line, col, explained), None)
    ordered = sorted(problems.values(), key=lambda p: (p.line, p.col, p.code))
    return LintReport(scenario.path, tuple(ordered), summarise(scenario, reach))


def summarise(scenario: Scenario, reach: Reach) -> Summary:
    own = [m for m in lint_deal.file_moves(scenario) if not getattr(m, "internal", False)]
    outcomes = [(m.id, o.id) for m in own for o in m.outcomes]
    actions = [m.id for m in own if isinstance(m, Action)]
    events = [e.id for e in scenario.events.values() if not e.internal]
    coverage = (
        Coverage("actions", sum(1 for a in actions if reach.taken.get(a)), len(actions)),
        Coverage("outcomes", sum(1 for k in outcomes if reach.outcomes.get(k)), len(outcomes)),
        Coverage("endings", sum(1 for e in scenario.endings if reach.endings.get(e)), len(scenario.endings)),
        Coverage("events", sum(1 for e in events if reach.taken.get(e)), len(events)),
        *(Coverage(*c) for c in lint_deal.coverage(scenario, reach)),
    )
    words = sum(len(text.split()) for _, text in _prose(scenario))
    return Summary(
        len(actions),
        len(outcomes),
        len(scenario.endings),
        len(events),
        words,
        reach.games,
        reach.seed,
        coverage,
    )


# walking the scenario -------------------------------------------------------------------------


def _where(move: Action | Event) -> str:
    return where_of(move)


def located_expressions(scenario: Scenario) -> Iterator[tuple[str, Expr]]:
    """Every expression in the scenario with the dotted path of where it stands."""
    for role in scenario.roles.values():
        yield f"roles.{role.id}.objective", role.objective
    for move in moves(scenario):
        where = _where(move)
        if isinstance(move, Action):
            yield f"{where}.when", move.when
            if move.ai_weight is not None:
                yield f"{where}.ai_weight", move.ai_weight
        else:
            yield f"{where}.chance", move.chance
        for outcome in move.outcomes:
            yield f"{where}.outcomes.{outcome.id}.weight", outcome.weight
            for verb in ("set", "add", "move"):
                for var_id, expr in getattr(outcome, verb):
                    yield f"{where}.outcomes.{outcome.id}.{verb}.{var_id}", expr
    for ending in scenario.endings.values():
        if ending.when is not None:
            yield f"endings.{ending.id}.when", ending.when
        for role, expr in ending.scores:
            yield f"endings.{ending.id}.scores.{role}", expr
    for i, advice in enumerate(scenario.advice):
        yield f"advisors.{i}.when", advice.when
    for area in scenario.control:  # the map shades an area while its condition holds
        yield f"map.control.{area.id}.when", area.when


def _expressions(scenario: Scenario) -> Iterator[Expr]:
    for _, expr in located_expressions(scenario):
        yield expr


_TEMPLATE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _names_read(scenario: Scenario) -> set[str]:
    names = {name for expr in _expressions(scenario) for name in expr.names}
    for _, text in _prose(scenario):
        template = scenario.templates.get(text)
        if template is not None:
            names.update(template.names)
        else:
            names.update(_TEMPLATE.findall(text.replace("{{", "").replace("}}", "")))
    return names


def _prose(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """Every text players read, with the dotted path of where it stands."""
    yield "meta.summary", scenario.meta.summary
    if scenario.meta.history:
        yield "meta.history", scenario.meta.history
    for role in scenario.roles.values():
        yield f"roles.{role.id}.brief", role.brief
    yield from lint_deal.prose(scenario)
    for move in lint_deal.file_moves(scenario):
        where = _where(move)
        if isinstance(move, Action) and move.description:
            yield f"{where}.description", move.description
        if move.history is not None and move.history.note:
            yield f"{where}.history.note", move.history.note
        for outcome in move.outcomes:
            if outcome.text:
                yield f"{where}.outcomes.{outcome.id}.text", outcome.text
            cover = outcome.sight.cover if outcome.sight is not None else None
            if cover is not None:
                yield f"{where}.outcomes.{outcome.id}.cover", cover.text
        if move.sight.cover is not None:
            yield f"{where}.cover", move.sight.cover.text
    for ending in scenario.endings.values():
        yield f"endings.{ending.id}.epilogue", ending.epilogue
    for i, advice in enumerate(scenario.advice):
        yield f"advisors.{i}.text", advice.text
