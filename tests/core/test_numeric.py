"""The value domain: literals within it, arithmetic that saturates, and both backends to the bit.

The property tests draw expressions over values at the edges (the limit, zeros of both signs,
the smallest floats) and compare the scalar and the numpy result as bit patterns, so a signed
zero that differs fails as surely as a value that differs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core.errors import ExprError
from game.core.expr import BOOL, NUM, Symbol, Symbols, compile_expr
from game.core.numeric import LIMIT, saturate, saturate_many, settle, settle_many

SYMBOLS = Symbols(
    {
        "a": Symbol(NUM, slot=0),
        "b": Symbol(NUM, slot=1),
        "share": Symbol(NUM, slot=2, low=0.0, high=100.0),
        "flag": Symbol(BOOL, slot=3),
    }
)

EDGES = [LIMIT, -LIMIT, 0.0, -0.0, 5e-324, -5e-324, 1e-300, 2.5, -2.5, 0.5, -0.4, 1.0, 9.999e14, 2.0**49]
VALUES = st.one_of(
    st.sampled_from(EDGES), st.floats(min_value=-LIMIT, max_value=LIMIT, allow_nan=False, allow_infinity=False)
)
SHARES = st.one_of(st.sampled_from([0.0, 100.0, 50.0, 0.5]), st.floats(min_value=0.0, max_value=100.0))
LITERALS = st.sampled_from(["1e15", "-1e15", "1e-300", "0.0", "-0.0", "0.4", "3", "999999999999999", "2.5"])


def _leaf():
    return st.one_of(st.sampled_from(["a", "b", "share", "flag", "true"]), LITERALS)


def _extend(inner):
    binary = st.tuples(
        inner, st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"]), inner
    )
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
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


EXPRESSIONS = st.recursive(_leaf(), _extend, max_leaves=14)
GAMES = st.lists(st.tuples(VALUES, VALUES, SHARES, st.sampled_from([0.0, 1.0])), min_size=1, max_size=9)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # hypothesis describing the nested strategy
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=EXPRESSIONS, games=GAMES)
def test_scalar_and_numpy_agree_to_the_bit_at_the_edges(text, games):
    expr = compile_expr(text, SYMBOLS)
    columns = [np.array(col, dtype=np.float64) for col in zip(*games)]
    with np.errstate(over="ignore", under="ignore"):  # a quotient past the limit saturates
        vector = expr.many(columns, len(games))
    low, high = expr.span
    for i, env in enumerate(games):
        scalar = float(expr.scalar(env))
        assert scalar.hex() == float(vector[i]).hex(), (text, env)
        assert math.isfinite(scalar) and low <= scalar <= high and -LIMIT <= low <= high <= LIMIT, (text, env)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=300, deadline=None)
@given(text=EXPRESSIONS, games=GAMES)
def test_no_expression_can_make_a_nan_or_an_infinity(text, games):
    expr = compile_expr(text, SYMBOLS)
    # not even on the way: making a NaN (inf - inf, 0 * inf) or dividing by zero raises here; only a
    # quotient may overflow (it is then saturated) and only a tiny one underflow
    with np.errstate(invalid="raise", divide="raise", over="ignore", under="ignore"):
        out = expr.many([np.array(col) for col in zip(*games)], len(games))
    assert np.isfinite(out).all()


@pytest.mark.parametrize(
    "text, value",
    [
        ("a * a * a", LIMIT),
        ("-a * a", -LIMIT),
        ("a * 10 - a * 10", 0.0),  # LIMIT - LIMIT, where IEEE arithmetic would give inf - inf = NaN
        ("(a * 10) / (a * 10)", 1.0),
        ("1 / 1e-300", LIMIT),
        ("-1 / 5e-324", -LIMIT),
        ("a / 0", 0.0),
        ("a + a", LIMIT),
        ("share * 2", 200.0),  # share is 0..100: no saturation, none needed
    ],
)
def test_arithmetic_saturates_at_the_limit(text, value):
    assert compile_expr(text, SYMBOLS)((LIMIT, 0.0, 100.0, 0.0)) == value


def test_saturation_is_left_out_where_the_interval_shows_it_cannot_bite():
    assert compile_expr("share * 3 + 100", SYMBOLS).span == (100.0, 400.0)
    assert compile_expr("a * 3", SYMBOLS).span == (-LIMIT, LIMIT)
    assert compile_expr("share / 4", SYMBOLS).span == (0.0, 25.0)
    assert compile_expr("4 / share", SYMBOLS).span == (-LIMIT, LIMIT)  # share may be tiny, or 0 (then 0)


def test_round_gives_an_unsigned_zero_in_both_backends():
    expr = compile_expr("round(a)", SYMBOLS)
    vector = expr.many([np.array([-0.4, -0.0]), np.zeros(2), np.zeros(2), np.zeros(2)], 2)
    assert [v.hex() for v in vector] == ["0x0.0p+0"] * 2
    assert expr((-0.4, 0, 0, 0)).hex() == "0x0.0p+0"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1e16", "too large"),
        ("-1e16", "too large"),
        ("1" + "0" * 400, "too large"),
        ("0x" + "f" * 500, "too large"),
        ("1e999", "too large"),
    ],
)
def test_literals_beyond_the_limit_are_refused(text, fragment):
    with pytest.raises(ExprError, match=fragment):
        compile_expr(text, SYMBOLS)


@pytest.mark.parametrize(
    "text, column",
    [("ｍorale + 1", 0), ("a + ｂ", 4), ("a + é", 4), ("share > 1\u00a0", 9)],
)
def test_names_are_plain_ascii(text, column):
    """Python's parser would read a fullwidth 'ｂ' as 'b' (NFKC): the language refuses it instead."""
    with pytest.raises(ExprError, match="not a plain ASCII character") as refused:
        compile_expr(text, SYMBOLS)
    assert refused.value.column == column


@given(x=st.floats(allow_nan=False), low=st.sampled_from([-math.inf, 0.0, -5.0]), high=st.sampled_from([math.inf, 1.0]))
def test_settle_and_saturate_have_one_meaning_for_one_game_and_many(x, low, high):
    assert saturate(x).hex() == float(saturate_many(np.array([x]))[0]).hex()
    one = settle(x, low, high)
    assert one.hex() == float(settle_many(np.array([x]), low, high)[0]).hex()
    assert -LIMIT <= one <= LIMIT and max(low, -LIMIT) <= one <= min(high, LIMIT)
    assert one != 0 or math.copysign(1.0, one) == 1.0
