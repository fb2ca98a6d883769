"""The expression language: what it accepts, what it refuses, and scalar = vectorised."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core.errors import ExprError
from game.core.expr import BOOL, NUM, PLACE, Symbol, Symbols, compile_expr

SYMBOLS = Symbols(
    {
        "a": Symbol(NUM, slot=0),
        "b": Symbol(NUM, slot=1),
        "c": Symbol(NUM, slot=2),
        "flag": Symbol(BOOL, slot=3),
        "here": Symbol(PLACE, slot=4),
        "rostov": Symbol(PLACE, value=0.0),
        "moscow": Symbol(PLACE, value=1.0),
        "tula": Symbol(PLACE, value=2.0),
    },
    distances=((0.0, 1070.0, 900.0), (1070.0, 0.0, 180.0), (900.0, 180.0, 0.0)),
)


def run(text: str, a=0.0, b=0.0, c=0.0, flag=0.0, here=0.0) -> float:
    return compile_expr(text, SYMBOLS)((a, b, c, flag, here))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 / 4", 2.5),
        ("a / 0", 0.0),
        ("-a + +b", 1.0),
        ("1 < 2 < 3", 1.0),
        ("3 > 2 > 2", 0.0),
        ("true and not false", 1.0),
        ("false or 0", 0.0),
        ("5 if flag else 7", 7.0),
        ("min(3, 1, 2) + max(1, 9)", 10.0),
        ("clamp(150, 0, 100)", 100.0),
        ("clamp(-5, 0, 100)", 0.0),
        ("abs(-4)", 4.0),
        ("round(2.5) + round(3.5)", 6.0),
        ("distance(rostov, moscow)", 1070.0),
        ("distance(here, tula)", 900.0),
        ("here == rostov", 1.0),
        ("here != moscow and a < 1", 1.0),
        ("flag + 2", 2.0),
    ],
)
def test_values(text, expected):
    assert run(text, a=-1.0, b=0.0) == expected


def test_turn_and_variables_read_from_environment():
    assert run("a * b + c", a=2, b=3, c=4) == 10.0


@pytest.mark.parametrize(
    "text, fragment, column",
    [
        ("a.real", "attribute", 0),
        ("a[0]", "indexing", 0),
        ("open('x')", "'open' is not a function", 0),
        ("__import__('os')", "is not a function", 0),
        ("a ** 2", "only + - * /", 0),
        ("'text'", "no text", 0),
        ("a + unknwn", "unknown name 'unknwn'", 4),
        ("a + flg", "did you mean 'flag'", 4),
        ("min(a)", "at least 2 arguments", 0),
        ("clamp(a, b)", "takes 3 arguments", 0),
        ("max(a, b, key=c)", "no named arguments", 0),
        ("here + 1", "a place cannot be used", 0),
        ("here < moscow", "cannot be compared with '<'", 7),
        ("here == 1", "only be compared with another place", 8),
        ("distance(a, b)", "takes two places", 9),
        ("lambda: 1", "lambda", 0),
        ("[1, 2]", "a list", 0),
        ("a +", "cannot read", None),
        ("", "empty", 0),
        ("1e999", "too large", 0),
        ("here if flag else 3", "both branches", 0),
    ],
)
def test_refusals(text, fragment, column):
    with pytest.raises(ExprError) as caught:
        compile_expr(text, SYMBOLS)
    assert fragment in caught.value.message
    if column is not None:
        assert caught.value.column == column


def test_oversized_input_is_refused():
    with pytest.raises(ExprError, match="too long"):
        compile_expr("1 + " * 600 + "1", SYMBOLS)
    with pytest.raises(ExprError, match="too large|nested"):
        compile_expr("+".join(["a"] * 450), SYMBOLS)
    with pytest.raises(ExprError):
        compile_expr("(" * 300 + "1" + ")" * 300, SYMBOLS)


def test_constant_expressions_are_folded():
    assert compile_expr("2 * 3 - 1", SYMBOLS).constant == 5.0
    assert compile_expr("a * 0", SYMBOLS).constant is None


# --- scalar and vectorised evaluation agree -------------------------------------------------

NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 100.0, 1e-9]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)


def _leaf():
    return st.one_of(
        st.sampled_from(["a", "b", "c", "flag", "0", "1", "2.5", "-3", "100", "true", "false", "turn_like"]).map(
            lambda s: "c" if s == "turn_like" else s
        ),
        NUMBERS.map(lambda x: repr(round(x, 3))),
        st.sampled_from(["(here == moscow)", "(here != rostov)", "distance(here, tula)"]),
    )


def _extend(inner):
    binary = st.tuples(
        inner, st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"]), inner
    )
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
        inner.map(lambda x: f"(-{x})"),
        inner.map(lambda x: f"(not {x})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(inner, inner, inner).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
        inner.map(lambda x: f"abs({x})"),
        inner.map(lambda x: f"round({x})"),
    )


EXPRESSIONS = st.recursive(_leaf(), _extend, max_leaves=12)


def _same(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or x == y


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=EXPRESSIONS,
    games=st.lists(
        st.tuples(NUMBERS, NUMBERS, NUMBERS, st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, 1.0, 2.0])),
        min_size=1,
        max_size=8,
    ),
)
def test_scalar_equals_vectorised(text, games):
    expr = compile_expr(text, SYMBOLS)
    columns = [np.array(col, dtype=np.float64) for col in zip(*games)]
    with np.errstate(all="ignore"):
        vector = expr.many(columns, len(games))
    for i, env in enumerate(games):
        assert _same(float(expr.scalar(env)), float(vector[i])), (text, env, expr.scalar(env), vector[i])


@given(x=NUMBERS, lo=NUMBERS, hi=NUMBERS, d=NUMBERS)
def test_clamping_and_division_by_zero_agree(x, lo, hi, d):
    expr = compile_expr("clamp(a, b, c) + a / (flag * 0) + c / (a - a)", SYMBOLS)
    env = (x, lo, hi, d, 0.0)
    scalar = expr(env)
    vector = expr.many([np.array([v]) for v in env], 1)[0]
    assert _same(scalar, vector)
    assert scalar == min(max(x, lo), hi)
