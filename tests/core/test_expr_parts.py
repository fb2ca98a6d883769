"""Parts of expressions compiled once and taken again: the same expression as compiling afresh."""

from __future__ import annotations

import ast

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core import expr as expr_module
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
    if not isinstance(alone, tuple):
        assert alone.source == text
    _assert_same_expression(joined, alone, games)


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


# --- the commonest short shapes, compiled without parsing -------------------------------------

SHORT_TEXTS = [
    "a", "flag", "not flag", "not a", "true", "false", "not true", "here", "not here", "rostov", "c",
    "a == 1", "a==1", "a ==1", "a< 2.5", "b != 0", "c <= 100", "a >= 0.5", "flag > 0", "flag == 1",
    "true == 1", "false < 0.25", "here == 1", "rostov == 0", "a == 0", "a == 00", "a == 007", "a == 01.5",
    "a == 1.", "a == 1e5", "a == -1", "a == 1_000", "a == " + "9" * 20, "a == 1" + "0" * 16, "a == 0.0",
    "not a == 1", "not  flag", "nota", "not", "None", "None == 1", "True", "not True", "False == 0",
    "unknwn", "not unknwn", "unknwn == 1", "max", "turn", "a ==  1", "a  == 1", "_x == 1", "a === 1",
    "a = 1", "a ! 1", "a <> 1", "lambda", "if == 1", "match == 1", " a == 1", "a == 1 ", "a\n== 1",
    "not (a or flag)", "not (flag or true or a)", "not (a or b or c)", "not (a or a)", "not (here or a)",
    "not (a or unknwn)", "not (a  or b)", "not (a or b) or c", "not (a or not b)", "not (None or a)",
    "not (a)", "not (a or or)", "not (true or false)", "not (a or b", "not (rostov or moscow)",
]  # fmt: skip


def _short_outcome(text: str, table: Symbols, short: bool):
    try:
        return expr_module._compile(text, table, short)
    except ExprError as exc:
        return (exc.message, exc.column, exc.hint)


def _remembered(table: Symbols) -> dict:
    return {key: (known.used, known.count, known.height, known.part.kind) for key, known in table.parts.items()}


def _assert_same_expression(quick, slow, games) -> None:
    if isinstance(slow, tuple):
        assert quick == slow
        return
    assert (quick.source, quick.type, quick.names, quick.constant, quick.parsed, quick.span) == (
        slow.source,
        slow.type,
        slow.names,
        slow.constant,
        slow.parsed,
        slow.span,
    )
    assert (quick.size, quick.height) == (slow.size, slow.height)
    assert ast.dump(quick.tree, include_attributes=True) == ast.dump(slow.tree, include_attributes=True)
    columns = [np.array(col, dtype=np.float64) for col in zip(*games)]
    with np.errstate(all="ignore"):
        many, many_slow = quick.many(columns, len(games)), slow.many(columns, len(games))
    for i, env in enumerate(games):
        assert _same(float(quick.scalar(env)), float(slow.scalar(env)))
        assert _same(float(many[i]), float(many_slow[i]))


SHORT_GAMES = [(0.0, 1.0, 2.5, 1.0, 1.0), (-3.0, 0.5, 100.0, 0.0, 2.0), (1.0, 0.0, -1.0, 1.0, 0.0)]


@pytest.mark.parametrize("text", SHORT_TEXTS)
def test_a_short_shape_compiles_as_the_full_way_compiles_it(text):
    quick_table, slow_table = fresh(), fresh()
    quick, slow = _short_outcome(text, quick_table, True), _short_outcome(text, slow_table, False)
    _assert_same_expression(quick, slow, SHORT_GAMES)
    assert _remembered(quick_table) == _remembered(slow_table)


@pytest.mark.parametrize("text", [t for t in SHORT_TEXTS if "==" in t or t.startswith("not ")])
def test_a_short_shape_taken_from_a_larger_expression_compiled_before(text):
    """A short text met before as a part of a larger one is taken from what was remembered."""
    quick_table, slow_table = fresh(), fresh()
    for table in (quick_table, slow_table):
        _short_outcome(f"({text}) or flag", table, False)
    quick, slow = _short_outcome(text, quick_table, True), _short_outcome(text, slow_table, False)
    _assert_same_expression(quick, slow, SHORT_GAMES)
    assert _remembered(quick_table) == _remembered(slow_table)
    if not isinstance(slow, tuple):  # and a larger text over it, compiled after, is the same too
        bigger = f"a + 1 if {text} else b"
        _assert_same_expression(
            _short_outcome(bigger, quick_table, True), _short_outcome(bigger, slow_table, False), SHORT_GAMES
        )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    negated=st.booleans(),
    name=st.sampled_from(["a", "b", "flag", "here", "true", "False", "zz", "not", "or"]),
    op=st.sampled_from(["", "==", "!=", "<", "<=", ">", ">="]),
    spaces=st.sampled_from([("", ""), (" ", " "), ("", " "), (" ", ""), ("  ", " ")]),
    number=st.one_of(
        st.integers(min_value=0, max_value=10**17).map(str),
        st.floats(min_value=0, max_value=1e17, allow_nan=False).map(repr),
        st.sampled_from(["0", "00", "01", "1.5", "0.25", "3.", ".5"]),
    ),
)
def test_short_shapes_drawn_at_random_compile_as_the_full_way(negated, name, op, spaces, number):
    text = ("not " if negated else "") + name + (f"{spaces[0]}{op}{spaces[1]}{number}" if op else "")
    quick_table, slow_table = fresh(), fresh()
    quick, slow = _short_outcome(text, quick_table, True), _short_outcome(text, slow_table, False)
    _assert_same_expression(quick, slow, SHORT_GAMES)
    assert _remembered(quick_table) == _remembered(slow_table)
