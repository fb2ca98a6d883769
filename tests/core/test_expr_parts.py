"""Parts of expressions compiled once and taken again: the same expression as compiling afresh."""

from __future__ import annotations

import ast

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core.errors import ExprError
from game.core.expr import MAX_DEPTH, MAX_NODES, Symbols, compile_expr, conjunction
from tests.core.test_expr import EXPRESSIONS, NUMBERS, SYMBOLS, _same


def fresh() -> Symbols:
    """The test's names in a table that has compiled nothing yet."""
    return Symbols(SYMBOLS.names, SYMBOLS.distances)


def _outcome(text: str, table: Symbols):
    try:
        return compile_expr(text, table)
    except ExprError as exc:
        return (exc.message, exc.column, exc.hint)


def test_a_compound_part_is_remembered_by_its_text():
    table = fresh()
    compile_expr("(a + b > 1 and flag) or c < 2", table)
    assert (ast.BoolOp, "a + b > 1 and flag") in table.parts
    assert (ast.BinOp, "a + b") in table.parts
    assert (ast.Name, "flag") in table.parts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=EXPRESSIONS,
    second=EXPRESSIONS,
    joint=st.sampled_from(["({0}) and ({1})", "({1}) + ({0}) * ({1})", "({0}) if ({1}) else ({0})", "max({0}, {1})"]),
    games=st.lists(
        st.tuples(NUMBERS, NUMBERS, NUMBERS, st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, 1.0, 2.0])),
        min_size=1,
        max_size=6,
    ),
)
def test_built_from_known_parts_equals_compiled_afresh(first, second, joint, games):
    table = fresh()
    _outcome(first, table)
    _outcome(second, table)
    text = joint.format(first, second)
    reused, alone = _outcome(text, table), _outcome(text, fresh())
    if isinstance(alone, tuple):
        assert reused == alone
        return
    assert isinstance(reused, type(alone))
    assert (reused.type, reused.names, reused.constant, reused.span) == (
        alone.type,
        alone.names,
        alone.constant,
        alone.span,
    )
    assert ast.dump(reused.tree, include_attributes=True) == ast.dump(alone.tree, include_attributes=True)
    columns = [np.array(col, dtype=np.float64) for col in zip(*games)]
    with np.errstate(all="ignore"):
        many, many_alone = reused.many(columns, len(games)), alone.many(columns, len(games))
    for i, env in enumerate(games):
        assert _same(float(reused.scalar(env)), float(alone.scalar(env)))
        assert _same(float(many[i]), float(many_alone[i]))


def _wide(n: int) -> str:
    return f"min({', '.join(['a'] * n)})"  # n names and the call: n + 1 parts, two levels


@pytest.mark.parametrize(
    "parts, whole",
    [
        # each part fits; together they pass the limit on parts
        ([_wide(250)], f"({_wide(250)}) - ({_wide(250)})"),
        ([_wide(200), _wide(250)], f"({_wide(200)}) * b + ({_wide(250)}) * c > 0 and flag"),
        # the limit is passed inside a part that was compiled before: it fails at the same spot
        ([_wide(390)], f"{_wide(15)} + ({_wide(390)})"),
        # a part deep enough on its own, nested further
        (["-" * (MAX_DEPTH - 5) + "a"], "-(-(-(-(-(-(" + "-" * (MAX_DEPTH - 5) + "a))))))"),
        (
            ["abs(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH],
            "b + (" + "abs(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH + ")",
        ),
    ],
)
def test_limits_fail_as_a_whole_walk_fails(parts, whole):
    table = fresh()
    for part in parts:
        assert not isinstance(_outcome(part, table), tuple)
    reused, alone = _outcome(whole, table), _outcome(whole, fresh())
    assert isinstance(alone, tuple), "the whole expression should pass a limit"
    assert f"{MAX_NODES} parts" in alone[0] or f"{MAX_DEPTH} levels" in alone[0]
    assert reused == alone
    # and the parts are still good afterwards
    for part in parts:
        assert not isinstance(_outcome(part, table), tuple)


# --- a conjunction built from its parts -------------------------------------------------------


def _operand_text(draw_text: str, form: str) -> str:
    return {"bracket": f"({draw_text})", "not": f"not ({draw_text})", "name": draw_text}[form]


OPERANDS = st.one_of(
    st.tuples(EXPRESSIONS, st.sampled_from(["bracket", "not"])).map(lambda t: _operand_text(*t)),
    st.sampled_from(["a", "flag", "not flag", "here", "true", "unknwn", "a < b", "a or b", "(a) or (b)"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def _conjoined(parts):
    """The conjunction of ``parts`` built from them, or its error as (message, column, hint)."""
    try:
        return conjunction(parts, fresh())
    except ExprError as exc:
        return (exc.message, exc.column, exc.hint)


@given(
    parts=st.lists(OPERANDS, min_size=1, max_size=5),
    games=st.lists(
        st.tuples(NUMBERS, NUMBERS, NUMBERS, st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, 1.0, 2.0])),
        min_size=1,
        max_size=6,
    ),
)
def test_a_conjunction_of_parts_equals_the_joined_text_compiled(parts, games):
    text = " and ".join(parts)
    joined, alone = _conjoined(parts), _outcome(text, fresh())
    if isinstance(alone, tuple):
        assert joined == alone
        return
    assert joined.source == alone.source == text
    assert (joined.type, joined.names, joined.constant, joined.span) == (
        alone.type,
        alone.names,
        alone.constant,
        alone.span,
    )
    assert (joined.size, joined.height) == (alone.size, alone.height)
    assert ast.dump(joined.tree, include_attributes=True) == ast.dump(alone.tree, include_attributes=True)
    columns = [np.array(col, dtype=np.float64) for col in zip(*games)]
    with np.errstate(all="ignore"):
        many, many_alone = joined.many(columns, len(games)), alone.many(columns, len(games))
    for i, env in enumerate(games):
        assert _same(float(joined.scalar(env)), float(alone.scalar(env)))
        assert _same(float(many[i]), float(many_alone[i]))


@pytest.mark.parametrize(
    "parts",
    [
        [f"({_wide(200)})", f"({_wide(199)})"],  # 1 + 201 + 200 parts: one too many
        [f"({_wide(200)})", f"({_wide(198)})"],  # exactly at the limit
        ["(" + "-" * MAX_DEPTH + "a)", "flag"],  # the deepest part one level too deep
        ["(" + "-" * (MAX_DEPTH - 1) + "a)", "flag"],
        ["flag", "(a " + "+ a " * 700 + ")"],  # the joined text too long
    ],
)
def test_a_conjunction_meets_the_limits_of_its_joined_text(parts):
    text = " and ".join(parts)
    joined, alone = _conjoined(parts), _outcome(text, fresh())
    if isinstance(alone, tuple):
        assert joined == alone
    else:
        assert not isinstance(joined, tuple)
        assert (joined.size, joined.height, joined.source) == (alone.size, alone.height, alone.source)


def test_parts_that_are_not_one_operand_each_are_compiled_as_written():
    for parts in (["a or b", "flag"], ["(a) or (b)", "flag"], ["flag", "a if flag else b"]):
        joined = conjunction(parts, fresh())
        alone = compile_expr(" and ".join(parts), fresh())
        assert ast.dump(joined.tree) == ast.dump(alone.tree)
        assert joined.names == alone.names
