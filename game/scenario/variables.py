"""The ``variables`` section: types, bounds, who sees what, cases, and starting values that are drawn.

A starting value is a constant, or (format 2) a draw: ``{range: [low, high], step: s}`` gives
every value from low to high in steps, equally likely; ``{choose: ...}`` gives weighted choices,
``{id: weight}`` for cases and places or a list of ``{value, weight}`` for any type. Each draw
becomes a chance step of the world before turn 1 (:class:`game.core.model.Draw`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from game.core.expr import literal
from game.core.information import EXACT, HIDDEN
from game.core.limits import MIN_ESTIMATE_STEP
from game.core.model import Draw, Outcome, Variable

if TYPE_CHECKING:
    from game.scenario.loader import _Builder

MAX_CHOICES = 1000  # possible starting values of one variable


def viewers(v: dict, version: int) -> tuple[str, ...] | None:
    """Who sees a variable exactly (None: everyone). In format 1 an empty list meant everyone."""
    given = v.get("visible_to")
    if given is None or (version < 2 and not given):
        return None
    return tuple(given)


def base_level(raw: dict, var: str, role: str, version: int = 2) -> float:
    """The level at which ``role`` sees ``var`` as the file declares it."""
    v = raw.get(var) or {}
    if role in (v.get("estimated_by") or ()):
        return float(v.get("estimate_step", 10))
    seers = viewers(v, version)
    if seers is None or role in seers:
        return EXACT
    return HIDDEN


def kinds_and_cases(raw: dict) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    kinds = {vid: v["type"] for vid, v in raw.items()}
    cases = {vid: tuple(v.get("cases") or ()) for vid, v in raw.items() if v["type"] == "case"}
    return kinds, cases


def build(b: _Builder, roles: dict, places: dict, routes: dict) -> tuple[dict[str, Variable], tuple[Draw, ...]]:
    """Every variable of the file, and the draws of those whose start is drawn."""
    out = {}
    draws = []
    for vid, v in b.data["variables"].items():
        where = f"variables.{vid}"
        kind = v["type"]
        lo, hi = float(v.get("min", float("-inf"))), float(v.get("max", float("inf")))
        cases = _cases(b, v, kind, where)
        raw_initial = v["initial"]
        choices: list[tuple[float, float]] = []
        if isinstance(raw_initial, dict):
            choices = _draw(b, raw_initial, kind, lo, hi, places, cases, f"{where}.initial")
            initial = choices[0][0] if choices else None
        else:
            initial = _initial(b, raw_initial, kind, lo, hi, places, cases, f"{where}.initial")
        for key in ("visible_to", "estimated_by"):
            listed = v.get(key) or []
            for i, role in enumerate(listed):
                b.ref(role, roles, f"{where}.{key}.{i}", "role")
                if role in listed[:i]:
                    b.at(f"{where}.{key}.{i}", f"'{role}' is named twice", "name each role once")
        both = [r for r in (v.get("estimated_by") or []) if r in (v.get("visible_to") or [])]
        for role in dict.fromkeys(both):
            b.at(
                f"{where}.estimated_by",
                f"'{role}' is in both visible_to and estimated_by",
                "a role either sees the value or estimates it: keep it in one list",
            )
        if v.get("estimated_by") and kind != "number":
            b.at(f"{where}.estimated_by", "only numbers can be estimated", "use visible_to instead")
        if not MIN_ESTIMATE_STEP <= v.get("estimate_step", 10):
            b.at(f"{where}.estimate_step", f"the estimate step must be at least {MIN_ESTIMATE_STEP:g}")
        if lo > hi:
            b.at(f"{where}.min", f"min ({lo:g}) is above max ({hi:g})")
        if kind != "number" and ("min" in v or "max" in v):
            b.at(where, "only numbers have bounds (min, max)")
        route = v.get("route", "")
        if route:
            if kind != "place":
                b.at(f"{where}.route", "only a place variable can have a route")
            elif b.ref(route, routes, f"{where}.route", "route") and initial is not None:
                starts = [initial] if not choices else [c for c, _ in choices]
                for start in (list(places)[int(s)] for s in starts):
                    if start not in routes[route].stops:
                        b.at(f"{where}.initial", f"'{start}' is not a stop of the route '{route}'")
        out[vid] = Variable(
            id=vid,
            type=kind,
            initial=0.0 if initial is None else initial,
            label=v["label"],
            min=lo,
            max=hi,
            unit=v.get("unit", ""),
            description=v.get("description", ""),
            visible_to=viewers(v, b.version),
            estimated_by=tuple(v.get("estimated_by", ())),
            estimate_step=float(v.get("estimate_step", 10)),
            route=route,
            cases=cases,
            draw=tuple(choices),
        )
        if choices:
            draws.append(_as_draw(out[vid], choices, places))
    return out, tuple(draws)


def _cases(b: _Builder, v: dict, kind: str, where: str) -> tuple[tuple[str, str], ...]:
    raw = v.get("cases")
    if kind != "case":
        if raw is not None:
            b.at(f"{where}.cases", "only a case variable has cases", "set 'type: case'")
        return ()
    if not raw:
        b.at(where, "a case variable needs its cases", "add cases: {id: what players read, ...}")
        return ()
    if len(raw) < 2:
        b.at(f"{where}.cases", "a case variable needs at least two cases")
    return tuple((cid, label) for cid, label in raw.items())


def _initial(b: _Builder, value: Any, kind: str, lo: float, hi: float, places: dict, cases, where: str) -> float | None:
    if kind == "boolean":
        if isinstance(value, bool):
            return float(value)
        b.at(where, "a boolean starts as true or false")
    elif kind == "place":
        if isinstance(value, str) and b.ref(value, places, where, "place"):
            return float(list(places).index(value))
        if not isinstance(value, str):
            b.at(where, "a place variable starts at a place id")
    elif kind == "case":
        ids = [c for c, _ in cases]
        if isinstance(value, str) and b.ref(value, dict.fromkeys(ids), where, "case"):
            return float(ids.index(value))
        if not isinstance(value, str):
            b.at(where, "a case variable starts at one of its cases", "the cases are: " + ", ".join(ids))
    else:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not lo <= value <= hi:
                b.at(where, f"the initial value {value:g} is outside its bounds {lo:g}..{hi:g}")
            return float(value)
        b.at(where, "a number starts as a number")
    return None


def _draw(b: _Builder, raw: dict, kind: str, lo: float, hi: float, places, cases, where: str) -> list:
    if b.version < 2:
        b.at(
            where, "a drawn starting value needs format: 2", "change 'format: 1' at the top of the file to 'format: 2'"
        )
        return []
    if ("range" in raw) == ("choose" in raw):
        b.at(where, "a drawn start gives either a range or choices", "write {range: [low, high]} or {choose: ...}")
        return []
    if "range" in raw:
        return _range(b, raw, kind, lo, hi, where)
    if "step" in raw:
        b.at(f"{where}.step", "'step' belongs with a range")
    choose = raw["choose"]
    pairs: list[tuple[Any, Any, str]] = []
    if isinstance(choose, dict):
        if kind not in ("case", "place"):
            b.at(
                f"{where}.choose", f"a {kind} chooses from a list of {{value, weight}}", "e.g. - {value: 40, weight: 2}"
            )
            return []
        pairs = [(value, weight, f"{where}.choose.{value}") for value, weight in choose.items()]
    else:
        pairs = [(c["value"], c.get("weight", 1), f"{where}.choose.{i}") for i, c in enumerate(choose)]
    if not pairs:
        b.at(f"{where}.choose", "there is nothing to choose from", "give at least one choice")
        return []
    if len(pairs) > MAX_CHOICES:
        b.at(f"{where}.choose", f"a start can be one of at most {MAX_CHOICES} values, not {len(pairs)}")
        return []
    out = []
    for value, weight, at in pairs:
        start = _initial(b, value, kind, lo, hi, places, cases, at if isinstance(choose, list) else f"{at}.__key__")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not math.isfinite(weight):
            b.at(at, "a choice's weight must be a number")
        elif weight < 0:
            b.at(at, f"a choice's weight cannot be negative ({weight:g})", "use 0 to leave it out")
        elif start is not None:
            out.append((start, float(weight)))
    if out and not any(w > 0 for _, w in out):
        b.at(f"{where}.choose", "every choice has weight 0", "give at least one a positive weight")
        return []
    if len({v for v, _ in out}) < len(out):
        b.at(f"{where}.choose", "a value is given twice among the choices")
    return out


def _range(b: _Builder, raw: dict, kind: str, lo: float, hi: float, where: str) -> list:
    if kind != "number":
        b.at(f"{where}.range", f"only a number can start in a range, not a {kind}", "use choose instead")
        return []
    bounds = raw["range"]
    if len(bounds) != 2:
        b.at(f"{where}.range", f"a range is [low, high], not {len(bounds)} numbers")
        return []
    low, high = (float(x) for x in bounds)
    step = float(raw.get("step", 1))
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(step)) or step <= 0:
        b.at(f"{where}.step", "the step of a range must be a number above 0")
        return []
    if low > high:
        b.at(f"{where}.range", f"the range {low:g}..{high:g} is empty", "write [low, high] with low <= high")
        return []
    span = (high - low) / step
    if not math.isfinite(span):  # a step so small that the count of values overflows
        b.at(f"{where}.step", f"the step {step:g} is too small for the range", "use a larger step")
        return []
    if span + 1e-9 >= MAX_CHOICES:  # counted in floats: a step of 1e-300 would make a 300-digit count
        shown = f"{math.floor(span + 1e-9) + 1}" if span < 1e9 else f"about {span:.3g}"
        b.at(f"{where}.step", f"the range holds {shown} values, more than {MAX_CHOICES}", "use a larger step")
        return []
    count = math.floor(span + 1e-9) + 1
    values = [low + i * step for i in range(count)]
    outside = [v for v in values if not lo <= v <= hi]
    if outside:
        b.at(
            f"{where}.range",
            f"the range {low:g}..{high:g} goes outside the bounds {lo:g}..{hi:g} (from {outside[0]:g})",
            "keep both ends within the variable's min and max",
        )
        return []
    return [(v, 1.0) for v in values]


def value_id(var: Variable, value: float, places: dict) -> str:
    """A drawn value as its outcome id in saves: a case or place id, true/false, or the number."""
    if var.type == "case":
        return var.cases[int(value)][0]
    if var.type == "place":
        return list(places)[int(value)]
    if var.type == "boolean":
        return "true" if value else "false"
    return literal(value).source


def _as_draw(var: Variable, choices: list[tuple[float, float]], places: dict) -> Draw:
    outcomes = tuple(
        Outcome(
            id=value_id(var, value, places),
            weight=literal(weight),
            text="",
            set=((var.id, literal(value)),),
            title=value_id(var, value, places),
        )
        for value, weight in choices
    )
    return Draw(f"draw.{var.id}", var.id, outcomes)
