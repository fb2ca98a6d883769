"""The range analysis behind lint's proofs is sound: no state within the ranges escapes them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.core.expr import compile_expr
from game.core.model import build_symbols, route_distances
from game.scenario.lint_ranges import Interval, evaluate, variable_ranges
from game.scenario.loader import load_scenario
from tests.conftest import TUTORIAL

SCENARIO = load_scenario(TUTORIAL)
RANGES = variable_ranges(SCENARIO)
SYMBOLS, _ = build_symbols(
    {v.id: v.type for v in SCENARIO.variables.values()},
    dict(SCENARIO.constants),
    SCENARIO.place_ids,
    route_distances(SCENARIO.place_ids, SCENARIO.routes),
)
EXPRESSIONS = [
    "money - 2 * anger",
    "solidarity / (anger - 10)",
    "2 if police_called else 0.5",
    "clamp(anger * 3 - solidarity, 0, 100)",
    "min(money, anger, 40) - max(solidarity / 2, contract_offer)",
    "abs(anger - solidarity) + round(money / 7)",
    "-(contract_offer - 5) * (anger - 50)",
    "anger >= 60 or money <= 0",
    "not police_called and 20 <= solidarity < 60",
    "marchers != hall and contract_offer >= 5",
    "distance(marchers, hall) + turn * hour / 24",
    "elapsed / 6 + fleet_patience",
    "(anger > 50 and anger < 30) or police_called",
]


def _draw(name: str, span: Interval):
    if name in SCENARIO.variables and SCENARIO.variables[name].type in ("boolean", "place"):
        return st.integers(int(span.lo), int(span.hi)).map(float)
    if name == "turn":
        return st.integers(int(span.lo), int(span.hi)).map(float)
    return st.floats(span.lo, span.hi, allow_nan=False)


ENVS = st.fixed_dictionaries({name: _draw(name, RANGES[name]) for name in SCENARIO.slots})


@pytest.mark.parametrize("text", EXPRESSIONS)
@settings(max_examples=60, deadline=None)
@given(values=ENVS)
def test_every_value_lies_within_the_computed_range(text, values):
    expr = compile_expr(text, SYMBOLS)
    env = [values[name] for name in sorted(SCENARIO.slots, key=SCENARIO.slots.get)]
    value = float(expr.scalar(env))
    span = evaluate(expr, RANGES, SCENARIO)
    assert math.isnan(value) or span.lo - 1e-9 <= value <= span.hi + 1e-9, (value, span)


def test_proofs_it_can_make():
    never = ["anger > 50 and anger < 30", "police_called and not police_called", "turn > 6", "money > 60"]
    for text in never:
        assert evaluate(compile_expr(text, SYMBOLS), RANGES, SCENARIO) == Interval(0, 0), text
    assert evaluate(compile_expr("anger > 50 and money < 30", SYMBOLS), RANGES, SCENARIO) == Interval(0, 1)
