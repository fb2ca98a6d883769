"""What a side can tell of an outcome before it plays the move: the effects the scenario file gives
it, on the values that side sees.

The file is the game's public rulebook, so a fixed effect ("Moscow's defences +15") tells a side
nothing the rules do not; what it may not learn here is a value. So an effect is listed only on a
value the side sees now (exactly or as an estimate), a computed amount only as "changes" (working
it out would read the state), and a change to what a side knows only for that side itself. Every
face (the window's cards, the terminal, the online views) words an outcome's effects from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.core import information
from game.core.information import EXACT, HIDDEN
from game.core.model import Outcome
from game.core.state import format_value, moved

if TYPE_CHECKING:
    from game.core.state import State


@dataclass(frozen=True)
class Effect:
    """One effect of an outcome as a side reads it before playing it."""

    variable: str  # the value it changes ("" for the end of the game)
    text: str  # "Moscow's defences +15", "Where Prigozhin is: Moscow", "Ends the game: Exile"
    rises: int = 0  # +1 it raises a number, -1 it lowers one, 0 otherwise or not known


def effects(state: State, role: str, outcome: Outcome) -> tuple[Effect, ...]:
    """``outcome``'s effects that ``role`` can read before it happens: the end of the game, values
    set and moves on the map (in the file's order), rises and falls (the largest first), then what
    the side will know."""
    scenario = state.scenario
    seen = {s.variable for s in information.seen(state, role)}
    knows = _knowledge(state, role)
    out: list[Effect] = []
    learnt: list[Effect] = []
    rises: list[tuple[float, Effect]] = []  # the largest first
    for vid, expr in outcome.set:
        if vid in knows:
            told = _learns(state, role, knows[vid], _fixed(state, role, expr))
            if told:
                learnt.append(Effect(knows[vid], told))
        elif vid in seen:
            var = scenario.variables[vid]
            value = _fixed(state, role, expr)
            worth = "changes" if value is None else f"→ {format_value(scenario, var, value)}"
            out.append(Effect(vid, f"{var.label} {worth}"))
    for vid, expr in outcome.move:
        if vid in seen:
            var = scenario.variables[vid]
            stops = _fixed(state, role, expr)
            if stops is None:
                out.append(Effect(vid, f"{var.label} changes"))
            elif round(stops):
                place = moved(scenario, var, state.value(vid), stops)
                out.append(Effect(vid, f"{var.label} → {format_value(scenario, var, place)}"))
    for vid, expr in outcome.add:
        if vid in seen:
            var = scenario.variables[vid]
            amount = _fixed(state, role, expr)
            if amount is None:
                out.append(Effect(vid, f"{var.label} changes"))
            elif amount:
                rises.append(
                    (abs(amount), Effect(vid, f"{var.label} {_signed(amount, var.unit)}", 1 if amount > 0 else -1))
                )
    if outcome.end and outcome.end in scenario.endings:
        out.insert(0, Effect("", f"Ends the game: {scenario.endings[outcome.end].title}"))
    return (*out, *(effect for _, effect in sorted(rises, key=lambda pair: -pair[0])), *learnt)


def _fixed(state: State, role: str, expr) -> float | None:
    """The value of an effect's expression when ``role`` can work it out: a number or a name of
    the file's, or one that reads only the clock and values the role sees exactly; else None."""
    if expr.constant is not None:
        return float(expr.constant)
    variables = state.scenario.variables
    for name in expr.names:
        if name in variables and information.level(state, role, name) != EXACT:
            return None
    try:
        value = float(expr.scalar(state.env))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return value if math.isfinite(value) else None


def summary(state: State, role: str, outcome: Outcome) -> str:
    """The effects of :func:`effects` on one line, "" when the side can read none."""
    return " · ".join(e.text for e in effects(state, role, outcome))


def _knowledge(state: State, role: str) -> dict[str, str]:
    """The loader's knowledge levels of ``role``, by their slot's variable id: the variable each is of."""
    ids = state.scenario.variable_ids
    return {ids[slot]: var for (who, var), slot in state.scenario.knowledge.items() if who == role}


def _learns(state: State, role: str, variable: str, level: float | None) -> str:
    """What an outcome tells its side of what it will know of ``variable`` ("" for no change)."""
    if level is None:
        return ""
    label = state.scenario.variables[variable].label
    now = information.level(state, role, variable)
    if level == now:
        return ""
    if level == EXACT:
        return f"You learn: {label}"
    if level == HIDDEN:
        return f"You lose sight of: {label}"
    if now == HIDDEN:
        return f"You get an estimate of: {label}"
    if now == EXACT:
        return f"Only an estimate from now on: {label}"
    return f"Your estimate sharpens: {label}" if level < now else f"Your estimate blurs: {label}"


def _signed(amount: float, unit: str) -> str:
    size = abs(amount)
    text = str(int(size)) if float(size).is_integer() else f"{size:.1f}"
    if unit and unit != "%":
        text = f"{text} {unit}"
    elif unit == "%":
        text += "%"
    return f"{'+' if amount > 0 else '−'}{text}"
