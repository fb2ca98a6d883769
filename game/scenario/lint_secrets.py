"""Lint for format 2's secrets: where an author can give away, or waste, what a role may not know.

Each check reads who may see what from the model alone: a variable's declared visibility and the
knowledge effects (reveal, estimate, conceal) anywhere in the file. A role that is never told a
value exactly is *never exact* for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from game.core.information import EXACT, HIDDEN, band, base_level
from game.core.model import Action, Draw, Event, Scenario
from game.scenario.lint_ranges import moves, number_text, where_of

if TYPE_CHECKING:
    from game.scenario.lint import Context
    from game.scenario.problems import Problem

RULES = {
    "secret-in-text": "a text that a role reads names a value that role can never know (it reads '(unknown)')",
    "secret-in-condition": "an action's condition reads a value its own role never sees exactly: being open tells the role",
    "reveal-visible": "a reveal of a value the role already sees exactly",
    "draw-unlearnable": "a drawn starting value that no role ever sees, estimates, or is told",
    "estimate-tells-start": "a drawn number whose starting band, for a role that estimates it, holds one possible start only",
}


def _levels(scenario: Scenario) -> dict[tuple[str, str], set[float]]:
    """Every level each (role, variable) can have: the declared one and those effects set."""
    levels: dict[tuple[str, str], set[float]] = {}
    for var in scenario.variables.values():
        if not var.internal:
            for role in scenario.roles:
                levels[(role, var.id)] = {base_level(var, role)}
    slots = {slot: key for key, slot in scenario.knowledge.items()}
    names = {scenario.variable_ids[slot]: key for slot, key in slots.items()}
    for move in moves(scenario):
        for outcome in move.outcomes:
            for var, expr in outcome.set:
                if var in names and expr.constant is not None:
                    levels[names[var]].add(expr.constant)
    return levels


def _readers(scenario: Scenario, move: Action | Event, outcome) -> tuple[str, ...]:
    actor = move.role if isinstance(move, Action) else ""
    sight = outcome.sight if outcome.sight is not None else move.sight
    if sight.viewers is None:
        return tuple(scenario.roles)
    return tuple(r for r in scenario.roles if r == actor or r in sight.viewers)


def _others(scenario: Scenario, sight, actor: str) -> tuple[str, ...]:
    """The roles that read a sight's cover: those it does not show the real thing to."""
    return tuple(r for r in scenario.roles if r != actor and not sight.sees(r))


def _read_texts(scenario: Scenario) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    """(path, text, its readers, what to do instead) for every text filled in for a reader."""
    keep = "or keep this outcome from them with visible_to"
    for move in moves(scenario):
        if isinstance(move, Draw):
            continue
        where = where_of(move)
        actor = move.role if isinstance(move, Action) else ""
        if isinstance(move, Action) and not (move.origin or move.id.startswith("_")):
            for field in ("description", "unavailable"):
                yield f"{where}.{field}", getattr(move, field), (move.role,), "or leave it out of the card"
        if move.sight.cover is not None:
            yield (
                f"{where}.cover.text",
                move.sight.cover.text,
                _others(scenario, move.sight, actor),
                "or leave it out of the cover",
            )
        for outcome in move.outcomes:
            yield f"{where}.outcomes.{outcome.id}.text", outcome.text, _readers(scenario, move, outcome), keep
            if outcome.sight is not None and outcome.sight.cover is not None:
                others = _others(scenario, outcome.sight, actor)
                yield (
                    f"{where}.outcomes.{outcome.id}.cover.text",
                    outcome.sight.cover.text,
                    others,
                    "or leave it out of the cover",
                )
    for i, advice in enumerate(scenario.advice):
        yield f"advisors.{i}.text", advice.text, (advice.role,), "or leave it out of the remark"


def check_secrets_in_texts(ctx: Context) -> Iterator[Problem]:
    """Texts whose inserted value, or whose condition, a reader can never know."""
    scenario = ctx.scenario
    levels = _levels(scenario)
    for where, text, readers, instead in _read_texts(scenario):
        template = scenario.templates.get(text)
        if template is None:
            continue
        tested = _tested(template.parts)
        for role in readers:
            for name in sorted(template.names & set(scenario.variables)):
                seen = levels.get((role, name), {EXACT})
                if seen == {HIDDEN}:
                    part = "shows them '(unknown)'" if name in template.inserts else "is always left out for them"
                    yield ctx.problem(
                        where,
                        "warning",
                        "secret-in-text",
                        f"{scenario.roles[role].name} reads this text but never knows '{name}': it {part}",
                        f"reveal '{name}' to them first, {instead}",
                    )
                elif EXACT not in seen and name in tested:
                    yield ctx.problem(
                        where,
                        "warning",
                        "secret-in-text",
                        f"{scenario.roles[role].name} reads this text but only ever estimates '{name}': "
                        "the conditional block that reads it is always left out for them",
                        f"reveal '{name}' to them first, or test something they see exactly",
                    )


def _tested(parts: tuple) -> set[str]:
    """The names the ``{if}`` and ``{elif}`` tests of a template's parts read."""
    from game.core.text import Choice

    found: set[str] = set()
    for part in parts:
        if isinstance(part, Choice):
            for test, body in part.branches:
                if test is not None:
                    found |= set(test.names)
                found |= _tested(body)
    return found


def check_secret_conditions(ctx: Context) -> Iterator[Problem]:
    """Actions whose being open depends on something their own role never sees exactly."""
    scenario = ctx.scenario
    levels = _levels(scenario)
    for action in scenario.actions.values():
        known = {n: levels.get((action.role, n), {EXACT}) for n in action.when.names}
        hidden = sorted(n for n, seen in known.items() if seen == {HIDDEN})
        blurred = sorted(n for n, seen in known.items() if EXACT not in seen and seen != {HIDDEN})
        if not hidden and not blurred:
            continue
        name = scenario.roles[action.role].name
        parts = []
        if hidden:
            parts.append(f"{', '.join(repr(n) for n in hidden)}, which {name} never sees")
        if blurred:
            parts.append(f"{', '.join(repr(n) for n in blurred)}, which {name} only estimates")
        yield ctx.problem(
            f"actions.{action.id}.when",
            "warning",
            "secret-in-condition",
            f"whether '{action.id}' is open depends on {' and '.join(parts)}: an open or closed card gives "
            "away more than the role may know",
            "make the effect part of the outcomes' weights instead",
        )


def check_reveals(ctx: Context) -> Iterator[Problem]:
    """Reveals of values the role sees exactly anyway (and never loses sight of)."""
    scenario = ctx.scenario
    levels = _levels(scenario)
    names = {scenario.variable_ids[slot]: key for key, slot in scenario.knowledge.items()}
    for move in moves(scenario):
        for outcome in move.outcomes:
            for var, expr in outcome.set:
                key = names.get(var)
                if key is None or expr.constant != EXACT or levels[key] != {EXACT}:
                    continue
                role, variable = key
                where = f"{where_of(move)}.outcomes.{outcome.id}.reveal.{variable}"
                yield ctx.problem(
                    where,
                    "warning",
                    "reveal-visible",
                    f"'{variable}' is revealed to {scenario.roles[role].name}, who always sees it exactly",
                    "remove the reveal, or hide the variable from them with visible_to",
                )


def check_draws_learnable(ctx: Context) -> Iterator[Problem]:
    """Drawn starting values that nobody ever sees, estimates or is told."""
    scenario = ctx.scenario
    levels = _levels(scenario)
    for draw in scenario.draws:
        if all(levels[(role, draw.variable)] == {HIDDEN} for role in scenario.roles):
            yield ctx.problem(
                f"variables.{draw.variable}.initial",
                "warning",
                "draw-unlearnable",
                f"'{draw.variable}' is drawn at the start, but no role ever sees it, estimates it or is told it",
                "players can only guess it from what happens; reveal it to someone, or show it in an epilogue",
            )


def check_start_bands(ctx: Context) -> Iterator[Problem]:
    """Drawn numbers whose band, as a role first sees it, holds one possible start: whenever that
    start is drawn, the role reads it exactly (bands are cells of the width from 0, not from the
    lowest start)."""
    scenario = ctx.scenario
    for var in scenario.variables.values():
        if var.internal or var.type != "number" or not var.draw:
            continue
        starts = sorted({v for v, w in var.draw if w > 0})
        if len(starts) < 2:
            continue
        for role in var.estimated_by:
            cells: dict[tuple[float, float], list[float]] = {}
            for value in starts:
                cells.setdefault(band(var, value, var.estimate_step), []).append(value)
            alone = [(cell, values[0]) for cell, values in cells.items() if len(values) == 1]
            if not alone:
                continue
            (low, high), value = alone[0]
            more = f" (and {len(alone) - 1} more)" if len(alone) > 1 else ""
            yield ctx.problem(
                f"variables.{var.id}.estimate_step",
                "warning",
                "estimate-tells-start",
                f"{scenario.roles[role].name} sees '{var.id}' as a band {number_text(low)} to {number_text(high)} "
                f"that holds only the start {number_text(value)}{more}: whenever it is drawn, they know it exactly",
                f"bands are the cells of {number_text(var.estimate_step)} from 0: draw starts that fill each band "
                "they fall in, or change the step",
            )


CHECKS = (check_secrets_in_texts, check_secret_conditions, check_reveals, check_draws_learnable, check_start_bands)
