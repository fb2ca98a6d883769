"""The scenario expression language: parsed once, type-checked, compiled to closures.

Expressions are written in a small subset of Python's expression syntax. The text is parsed
with :func:`ast.parse` and every node is checked against a whitelist; the checked tree is then
turned into two sets of closures, one that evaluates on a single state (plain floats) and one
that evaluates on numpy arrays (one element per game). Nothing here ever calls ``eval``.

Semantics shared by both backends, so that they give identical results, bit for bit:

* every value is a float64; booleans are 1.0 / 0.0 when used as numbers;
* numbers stay in the value domain of :mod:`game.core.numeric`: a literal beyond ``±LIMIT`` is
  refused, and an arithmetic result beyond it saturates, so no expression ever gives an
  infinity or a NaN;
* ``x / 0`` is ``0`` (a scenario never crashes on a division);
* ``and``, ``or`` and ``not`` are logical (they return booleans, never an operand);
* ``min``, ``max`` and ``clamp`` return their second operand on a tie, as numpy does (this
  only matters for the sign of a zero);
* ``round`` rounds half to even, as both Python and numpy do, and gives +0.0 for a zero.

The compiler works out an interval for every part of an expression from the intervals of the
names it reads (a variable's bounds, the domain otherwise). Saturation is applied only where
that interval could leave the domain: elsewhere it could not change a value, and skipping it
keeps the common expressions as cheap as plain arithmetic.

Expressions are plain ASCII: Python would read a fullwidth letter in a name as its ASCII twin
(NFKC normalisation), so any character outside ASCII is refused.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from game.core.errors import ExprError, did_you_mean
from game.core.numeric import LIMIT, LIMIT_TEXT, number_text, saturate, saturate_many

NUM = "number"
BOOL = "boolean"
PLACE = "place"
CASE = "case:"  # the type of a case variable is CASE + its id: its cases compare with it only


def case_type(variable: str) -> str:
    return CASE + variable


def is_token(kind: str) -> bool:
    """A place or a case: a name that can be compared for equality, never counted with."""
    return kind == PLACE or kind.startswith(CASE)


def describe_type(kind: str) -> str:
    if kind.startswith(CASE):
        return f"a case of '{kind[len(CASE) :]}'"
    return {PLACE: "a place", BOOL: "a condition", NUM: "a number"}.get(kind, kind)


# Python 3.11's parser keeps the depth of the tree it is building in one place for every thread, so
# two threads parsing at once can fail with "AST constructor recursion depth mismatch" (the window
# reads scenarios on a thread while its own thread compiles); one parse at a time avoids it.
_PARSING = threading.Lock()

MAX_LENGTH = 2000
MAX_NODES = 400
MAX_DEPTH = 40

FUNCTIONS = {
    "min": (2, None),
    "max": (2, None),
    "clamp": (3, 3),
    "abs": (1, 1),
    "round": (1, 1),
    "distance": (2, 2),
}

_COMPARE_NAMES = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


@dataclass(frozen=True)
class Symbol:
    """What a name in an expression stands for: a slot of the environment or a constant.

    ``low`` and ``high`` bound the values a slot can hold (a variable's bounds); the default is
    the whole domain for a number and 0..1 for a boolean.
    """

    type: str
    slot: int | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None

    def span(self) -> tuple[float, float]:
        if self.slot is None:
            v = float(self.value or 0.0)
            return v, v
        if self.type == BOOL:
            return 0.0, 1.0
        low = -LIMIT if self.low is None else max(self.low, -LIMIT)
        high = LIMIT if self.high is None else min(self.high, LIMIT)
        return low, high


MAX_COMPILED = 20_000  # sources remembered per table of names (more are compiled each time)
MAX_PARTS = 50_000  # compiled parts of expressions remembered per table of names


@dataclass(frozen=True)
class Symbols:
    """The names an expression may use, and the distance table for ``distance(a, b)``."""

    names: Mapping[str, Symbol]
    distances: tuple[tuple[float, ...], ...] = ()
    # what compile_expr made of each source under these names: a file's generated moves repeat
    # the same expressions hundreds of times (an Expr is immutable, so one serves every place)
    compiled: dict = field(default_factory=dict, compare=False, repr=False)
    # what the compiler made of each compound part of those sources, by the part's text: the
    # moves built from a file's terms and channels join the same conditions in many ways
    parts: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, eq=False)
class Expr:
    """A compiled expression.

    ``tree`` is the checked syntax tree (None for a plain number), so that analyses such as lint
    and the batch engine read the expression's structure. It is parsed again from ``parsed`` (the
    checked text, on one line) when first asked for and kept from then on: a scenario holds
    hundreds of expressions whose trees the one-game engine never reads, and keeping every tree
    from the load would give the cycle collector thousands of objects to go over.
    ``scalar(env)`` takes a sequence of floats (one per slot); ``vector(env)`` takes a sequence of
    numpy arrays (one per slot, one element per game) and may return a scalar for a constant
    expression: use :meth:`many` for an array of a fixed length.
    """

    source: str
    type: str
    names: frozenset[str]
    scalar: Callable[[Sequence[float]], Any] = field(repr=False)
    vector: Callable[[Sequence[np.ndarray]], Any] = field(repr=False)
    constant: float | None = None
    parsed: str | None = field(default=None, repr=False)  # the text the tree is parsed from; None: no tree
    span: tuple[float, float] = (-LIMIT, LIMIT)  # bounds on the value, from the names' bounds
    size: int = 0  # the parts of the tree (what the limit MAX_NODES counts)
    height: int = 0  # the levels below the tree's root (what the limit MAX_DEPTH bounds)

    @property
    def tree(self) -> ast.expr | None:
        """The checked syntax tree, for analyses (None for a plain number); the same object each time."""
        if self.parsed is None:
            return None
        found = self.__dict__.get("_tree")
        if found is None:
            with _PARSING:
                found = self.__dict__.get("_tree")
                if found is None:
                    found = ast.parse(self.parsed, mode="eval").body
                    object.__setattr__(self, "_tree", found)
        return found

    def __call__(self, env: Sequence[float]) -> float:
        return float(self.scalar(env))

    def truth(self, env: Sequence[float]) -> bool:
        """The expression's value as a condition."""
        return bool(self.scalar(env))

    def many(self, env: Sequence[np.ndarray], n: int) -> np.ndarray:
        """The expression over ``n`` games, as a float64 array of length ``n``."""
        out = np.asarray(self.vector(env), dtype=np.float64)
        if out.shape != (n,):
            out = np.broadcast_to(out, (n,)).copy()
        return out


def literal(value: float | bool) -> Expr:
    """An expression that is just a number (used where a file gives a plain number)."""
    kind = BOOL if isinstance(value, bool) else NUM
    v = float(value)
    return Expr(
        source=repr(value).lower() if kind == BOOL else number_text(v),
        type=kind,
        names=frozenset(),
        scalar=lambda env: v,
        vector=lambda env: v,
        constant=v,
        span=(v, v),
    )


def compile_expr(source: str, symbols: Symbols) -> Expr:
    """Parse, check and compile ``source``; raise :class:`ExprError` with a column on failure."""
    found = symbols.compiled.get(source) if isinstance(source, str) else None
    if found is not None:
        return found
    made = _compile(source, symbols)
    if len(symbols.compiled) < MAX_COMPILED:
        symbols.compiled[source] = made
    return made


def _compile(source: str, symbols: Symbols, short: bool = True) -> Expr:
    if not isinstance(source, str):
        raise ExprError("an expression must be text or a number", 0)
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression is too long ({len(source)} characters, at most {MAX_LENGTH})", 0)
    text = source.strip()
    if not text:
        raise ExprError("the expression is empty", 0)
    if not source.isascii():
        col, char = next((i, c) for i, c in enumerate(source) if not c.isascii())
        raise ExprError(
            f"'{char}' (U+{ord(char):04X}) is not a plain ASCII character; expressions use ASCII letters, "
            "digits and + - * / ( ) < > = ! , .",
            col,
        )
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    quick = _short(source, text, symbols) if short else None
    if quick is not None:
        return quick
    try:
        with _PARSING:
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        col = max((exc.offset or 1) - 1, 0)
        written, instead, at = _foreign_operator(text)
        if written:
            offset = len(source) - len(source.lstrip())
            raise ExprError(
                f"cannot read this expression: '{written}' is not an operator of the language",
                offset + at,
                f"write '{instead}' instead",
            ) from None
        raise ExprError(
            f"cannot read this expression ({exc.msg})",
            col,
            "every operator needs a value on each side and every bracket its pair "
            "(the language is under Expressions in docs/scenario-format.md)",
        ) from None
    except (ValueError, MemoryError, RecursionError):
        raise ExprError("cannot read this expression (too deeply nested or contains a NUL)", 0) from None
    offset = len(source) - len(source.lstrip())
    compiler = _Compiler(symbols, offset, text)
    return _finished(source, text, compiler, compiler.node(tree.body, 0))


def _reused(source: str, text: str, compiler: _Compiler, known: _Known) -> Expr:
    """The expression of ``text`` from a part compiled before at depth 0, counted as if walked again."""
    compiler.count = known.count
    compiler.used |= known.used
    compiler.named.extend(known.used)
    compiler.deepest = known.height
    return _finished(source, text, compiler, known.part)


def _finished(source: str, text: str, compiler: _Compiler, part: _Part) -> Expr:
    """The expression of ``part``, the whole of ``text`` compiled by ``compiler``."""
    const = None
    if not compiler.used:
        try:
            const = float(part.scalar(()))
        except (IndexError, TypeError):
            const = None
    span = (part.low, part.high)
    size, height = compiler.count, compiler.deepest
    return Expr(source, part.kind, frozenset(compiler.used), part.scalar, part.vector, const, text, span, size, height)


# the commonest short shapes: a name, 'not' before a name, a name compared with a plain number
_SHORT = re.compile(r"(not )?([A-Za-z_][A-Za-z0-9_]*)(?: ?(==|!=|<=|>=|<|>) ?([1-9][0-9]*|0|[0-9]+\.[0-9]+))?")
# and 'not' before names joined by 'or' in brackets, as bargaining writes "no term agreed yet"
_NONE_OF = re.compile(r"not \(([A-Za-z_][A-Za-z0-9_]*(?: or [A-Za-z_][A-Za-z0-9_]*)+)\)")


def _short(source: str, text: str, symbols: Symbols) -> Expr | None:
    """What compiling ``text`` gives, for the commonest short shapes, without parsing it: the same
    parts, remembered under the same keys, with the same counts. None for any other text and for
    one that would be refused (compiled the full way, it is refused with the reason and column).

    Python reads these shapes as a Name, a UnaryOp (not) over a Name, or a Compare of a Name and a
    Constant (an int, or a float written with a point); a test checks the results against the full
    way's on many texts."""
    found = _SHORT.fullmatch(text)
    if found is None:
        return _none_of(source, text, symbols) if text[:5] == "not (" else None
    negated, name, op, number = found.groups()
    if (negated and op) or keyword.iskeyword(name) or (name not in _TRUTHS and name not in symbols.names):
        return None
    value: float = 0
    if op is not None:
        value = float(number) if "." in number else int(number)
        if not -LIMIT <= value <= LIMIT:
            return None
    compiler = _Compiler(symbols, 0, text)
    if not negated and op is None:  # a name: one node, walked at depth 0
        compiler.count = 1
        return _finished(source, text, compiler, compiler.name_part(name))
    # a compound part at depth 0 over leaves at depth 1, as _compound and _walk count it
    key = (ast.Compare if op else ast.UnaryOp, text)
    memo = symbols.parts
    known = memo.get(key)
    if known is not None:
        return _reused(source, text, compiler, known)
    compiler.count = 2
    compiler.deepest = 1
    left = compiler.name_part(name)
    if is_token(left.kind):
        return None
    if op is None:
        part = _negation(left)
    else:
        compiler.count = 3
        right = compiler.constant_part(value)
        part = _Part(*_comparison(op, left.scalar, left.vector, right.scalar, right.vector), BOOL)
    if len(memo) < MAX_PARTS:
        memo[key] = _Known(part, frozenset(compiler.named), compiler.count, 1)
    return _finished(source, text, compiler, part)


def conjunction(parts: Sequence[str], symbols: Symbols) -> Expr:
    """What :func:`compile_expr` makes of ``" and ".join(parts)``, built from the parts compiled
    one by one (and remembered) instead of from the joined text parsed again.

    Each part is an operand of the ``and`` as it is written: a name, a text in brackets, or
    ``not`` before either. Any other part, or a whole that a limit or a check would refuse, is
    compiled from the joined text, so the result and every error are the same either way.
    """
    source = " and ".join(parts)
    found = symbols.compiled.get(source)
    if found is not None:
        return found
    made = _joined(parts, source, symbols)
    if made is None:
        return compile_expr(source, symbols)
    if len(symbols.compiled) < MAX_COMPILED:
        symbols.compiled[source] = made
    return made


def _joined(parts: Sequence[str], source: str, symbols: Symbols) -> Expr | None:
    if len(parts) < 2 or len(source) > MAX_LENGTH or not source.isascii() or source != source.strip():
        return None
    if "\n" in source or "\r" in source or not all(_operand(part) for part in parts):
        return None
    exprs = []
    for part in parts:
        try:
            expr = compile_expr(part, symbols)
        except ExprError:
            return None
        if is_token(expr.type):  # refused by 'and' (compiling the whole says where)
            return None
        exprs.append(expr)
    size, height = 1 + sum(e.size for e in exprs), 1 + max(e.height for e in exprs)
    names = frozenset().union(*(e.names for e in exprs))
    if size > MAX_NODES or height > MAX_DEPTH or not names:
        return None
    scalars = [e.scalar for e in exprs]
    vectors = [e.vector for e in exprs]
    return Expr(
        source,
        BOOL,
        names,
        lambda e: all(s(e) for s in scalars),
        lambda e: _reduce(np.logical_and, vectors, e),
        None,
        source,
        (0.0, 1.0),
        size,
        height,
    )


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=4096)
def _operand(part: str) -> bool:
    """Whether ``part`` stands, joined by ``and``, as exactly one operand: a name, ``(...)``, or
    ``not`` before one of these."""
    if part.startswith("not "):
        part = part[4:]
    if _IDENTIFIER.fullmatch(part):
        return part not in ("and", "or", "not", "if", "else", "lambda", "in", "is")
    if not (part.startswith("(") and part.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(part):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and i != len(part) - 1:
                return False  # the first bracket closes before the end: "(a) or (b)"
    return depth == 0


class _Part(NamedTuple):
    """A compiled part of an expression: both backends, its type and the interval of its values."""

    scalar: Callable
    vector: Callable
    kind: str
    low: float = 0.0
    high: float = 1.0


def _exact(scalar: Callable, vector: Callable, low: float, high: float) -> _Part:
    """An arithmetic result, saturated only where its interval could leave the domain."""
    if -LIMIT <= low and high <= LIMIT:
        return _Part(scalar, vector, NUM, low, high)
    return _Part(
        lambda e: saturate(scalar(e)),
        lambda e: saturate_many(vector(e)),
        NUM,
        min(max(low, -LIMIT), LIMIT),
        max(min(high, LIMIT), -LIMIT),
    )


class _Known(NamedTuple):
    """A compound part compiled before under the same names: what walking it again would give."""

    part: _Part
    used: frozenset[str]
    count: int  # the nodes the walk visits
    height: int  # how many levels below the part's own the walk goes


_TRUTHS = ("true", "True", "false", "False")
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# the parts remembered by their text (a name or a number is remembered by what it says)
_COMPOUND = (ast.BoolOp, ast.Compare, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Call)


class _Compiler:
    """Walks a parsed expression once, checking it and building both backends.

    A compound part whose text was compiled before under the same names (``Symbols.parts``) is
    taken from there instead of walked again: it compiles to the same closures wherever it
    stands, and the nodes it counts and the levels it reaches are added as if walked, so the
    size and depth limits fail exactly where a full walk would (such a part is walked then).
    """

    def __init__(self, symbols: Symbols, offset: int, text: str = ""):
        self.symbols = symbols
        self.offset = offset
        self.text = text  # the parsed text (one line), to name a part by its own text
        self.used: set[str] = set()
        self.named: list[str] = []  # the names read, in the order met (a part's are a slice)
        self.count = 0
        self.deepest = 0

    def fail(self, node: ast.AST, message: str) -> ExprError:
        return ExprError(message, self.offset + getattr(node, "col_offset", 0))

    def node(self, node: ast.AST, depth: int) -> _Part:
        if self.text and isinstance(node, _COMPOUND):
            return self._compound(node, depth)
        return self._walk(node, depth)

    def _walk(self, node: ast.AST, depth: int) -> _Part:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"expression is too large (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"expression is nested too deeply (more than {MAX_DEPTH} levels)")
        if depth > self.deepest:
            self.deepest = depth
        method = _METHODS.get(type(node))
        if method is None:
            raise self.fail(node, f"'{_describe(node)}' is not allowed in a scenario expression")
        return method(self, node, depth + 1)

    def _compound(self, node: ast.AST, depth: int) -> _Part:
        key = (type(node), self.text[node.col_offset : node.end_col_offset])
        memo = self.symbols.parts
        known = memo.get(key)
        if known is not None and self.count + known.count <= MAX_NODES and depth + known.height <= MAX_DEPTH:
            self.count += known.count
            self.used |= known.used
            self.named.extend(known.used)
            if depth + known.height > self.deepest:
                self.deepest = depth + known.height
            return known.part
        count, named, deepest = self.count, len(self.named), self.deepest
        self.deepest = depth
        try:
            part = self._walk(node, depth)
        finally:
            height, self.deepest = self.deepest - depth, max(deepest, self.deepest)
        if len(memo) < MAX_PARTS:
            memo[key] = _Known(part, frozenset(self.named[named:]), self.count - count, height)
        return part

    # leaves ---------------------------------------------------------------------------

    def _Constant(self, node: ast.Constant, depth: int) -> _Part:
        return self.constant_part(node.value, node)

    def constant_part(self, value: Any, node: ast.Constant | None = None) -> _Part:
        key = (ast.Constant, type(value), value)
        known = self.symbols.parts.get(key)
        if known is not None:
            return known.part
        part = self._constant(node, value)
        if len(self.symbols.parts) < MAX_PARTS:
            self.symbols.parts[key] = _Known(part, frozenset(), 1, 0)
        return part

    def _constant(self, node: ast.Constant, value: Any) -> _Part:
        if isinstance(value, bool):
            v = float(value)
            return _Part((lambda env: v), (lambda env: v), BOOL, v, v)
        if isinstance(value, (int, float)):
            if not -LIMIT <= value <= LIMIT:  # compared before any conversion: a huge int has no float
                raise self.fail(node, f"number is too large: numbers lie between -{LIMIT_TEXT} and {LIMIT_TEXT}")
            v = float(value)
            return _Part((lambda env: v), (lambda env: v), NUM, v, v)
        raise self.fail(node, "only numbers and true/false are allowed as constants (no text)")

    def _Name(self, node: ast.Name, depth: int) -> _Part:
        return self.name_part(node.id, node)

    def name_part(self, name: str, node: ast.Name | None = None) -> _Part:
        key = (ast.Name, name)
        known = self.symbols.parts.get(key)
        if known is None:
            part = self._name(node, name)
            known = _Known(part, frozenset() if name in _TRUTHS else frozenset((name,)), 1, 0)
            if len(self.symbols.parts) < MAX_PARTS:
                self.symbols.parts[key] = known
        if known.used:
            self.used.add(name)
            self.named.append(name)
        return known.part

    def _name(self, node: ast.Name, name: str) -> _Part:
        if name in _TRUTHS:
            v = 1.0 if name.lower() == "true" else 0.0
            return _Part((lambda env: v), (lambda env: v), BOOL, v, v)
        symbol = self.symbols.names.get(name)
        if symbol is None:
            error = self.fail(node, _unknown_name(name, self.symbols.names))
            error.name = name
            raise error
        low, high = symbol.span()
        if symbol.slot is None:
            v = float(symbol.value or 0.0)
            return _Part((lambda env: v), (lambda env: v), symbol.type, low, high)
        slot = symbol.slot
        return _Part((lambda env: env[slot]), (lambda env: env[slot]), symbol.type, low, high)

    # operators ------------------------------------------------------------------------

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> _Part:
        part = self.node(node.operand, depth)
        s, v = part.scalar, part.vector
        if isinstance(node.op, ast.Not):
            self.no_place(node.operand, part.kind, "not")
            return _negation(part)
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            self.no_place(node.operand, part.kind, "a sign")
            s, v = _as_number(s, part.kind), _as_float(v, part.kind)
            if isinstance(node.op, ast.UAdd):
                return _Part((lambda env: +s(env)), v, NUM, part.low, part.high)
            return _Part((lambda env: -s(env)), (lambda env: -v(env)), NUM, -part.high, -part.low)
        hint = "write 'not' instead" if isinstance(node.op, ast.Invert) else ""
        raise ExprError("only -, + and not may stand before a value", self.offset + node.col_offset, hint)

    def _BinOp(self, node: ast.BinOp, depth: int) -> _Part:
        left = self.node(node.left, depth)
        right = self.node(node.right, depth)
        op = type(node.op)
        symbol = _ARITHMETIC.get(op)
        if symbol is None:
            logic = {ast.BitAnd: ("&", "and"), ast.BitOr: ("|", "or")}.get(op)
            if logic:
                raise ExprError(
                    f"'{logic[0]}' is not an operator of the language",
                    self.offset + node.left.end_col_offset,
                    f"write '{logic[1]}' instead",
                )
            raise self.fail(node, "only + - * / are allowed for arithmetic")
        self.no_place(node.left, left.kind, symbol)
        self.no_place(node.right, right.kind, symbol)
        ls, rs = _as_number(left.scalar, left.kind), _as_number(right.scalar, right.kind)
        lv, rv = _as_float(left.vector, left.kind), _as_float(right.vector, right.kind)
        low, high = _span(op, left, right)
        if op is ast.Add:
            return _exact((lambda e: ls(e) + rs(e)), (lambda e: lv(e) + rv(e)), low, high)
        if op is ast.Sub:
            return _exact((lambda e: ls(e) - rs(e)), (lambda e: lv(e) - rv(e)), low, high)
        if op is ast.Mult:
            return _exact((lambda e: ls(e) * rs(e)), (lambda e: lv(e) * rv(e)), low, high)
        return _exact((lambda e: _div(ls(e), rs(e))), (lambda e: _vdiv(lv(e), rv(e))), low, high)

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> _Part:
        parts = [self.node(value, depth) for value in node.values]
        for value, part in zip(node.values, parts):
            self.no_place(value, part.kind, "and/or")
        scalars = [p.scalar for p in parts]
        vectors = [p.vector for p in parts]
        if isinstance(node.op, ast.And):
            return _Part(
                (lambda e: all(s(e) for s in scalars)),
                (lambda e: _reduce(np.logical_and, vectors, e)),
                BOOL,
            )
        return _either(parts)

    def _Compare(self, node: ast.Compare, depth: int) -> _Part:
        operands = [node.left, *node.comparators]
        parts = [self.placed(o, depth, operands) for o in operands]
        pairs = []
        for i, op in enumerate(node.ops):
            name = _COMPARE_NAMES.get(type(op))
            if name is None:
                raise self.fail(node, "only == != < <= > >= are allowed for comparing")
            left, right = parts[i], parts[i + 1]
            lk, rk = left.kind, right.kind
            if (is_token(lk) or is_token(rk)) and lk != rk:
                shown = lk if is_token(lk) else rk
                other = "place" if shown == PLACE else "case of the same variable"
                raise self.fail(operands[i + 1], f"{describe_type(shown)} can only be compared with another {other}")
            if lk == PLACE and name not in ("==", "!="):
                raise self.fail(operands[i + 1], f"places cannot be compared with '{name}'")
            pairs.append(_comparison(name, left.scalar, left.vector, right.scalar, right.vector))
        if len(pairs) == 1:
            return _Part(pairs[0][0], pairs[0][1], BOOL)
        scalars = [p[0] for p in pairs]
        vectors = [p[1] for p in pairs]
        return _Part(
            (lambda e: all(s(e) for s in scalars)),
            (lambda e: _reduce(np.logical_and, vectors, e)),
            BOOL,
        )

    def _IfExp(self, node: ast.IfExp, depth: int) -> _Part:
        test = self.node(node.test, depth)
        body = self.node(node.body, depth)
        orelse = self.node(node.orelse, depth)
        self.no_place(node.test, test.kind, "a condition")
        bk, ok = body.kind, orelse.kind
        if (is_token(bk) or is_token(ok)) and bk != ok:
            raise self.fail(node, "both branches of 'if ... else' must be the same kind of place or case, or neither")
        kind = bk if is_token(bk) else (BOOL if bk == ok == BOOL else NUM)
        ts, tv, bv, ov = test.scalar, test.vector, body.vector, orelse.vector
        bs, os_ = body.scalar, orelse.scalar
        if kind == NUM:  # a true/false branch of a number is 1.0 or 0.0, as numpy's where makes it
            bs, os_ = _as_number(bs, bk), _as_number(os_, ok)
        return _Part(
            (lambda e: bs(e) if ts(e) else os_(e)),
            (lambda e: np.where(tv(e), bv(e), ov(e))),
            kind,
            min(body.low, orelse.low),
            max(body.high, orelse.high),
        )

    def _Call(self, node: ast.Call, depth: int) -> _Part:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else _describe(node.func)
            known = ", ".join(sorted(FUNCTIONS))
            raise self.fail(node, f"'{name}' is not a function of the language (there are: {known})")
        name = node.func.id
        if node.keywords:
            raise self.fail(node, f"{name}() takes no named arguments")
        low, high = FUNCTIONS[name]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            want = f"{low}" if low == high else f"at least {low}"
            raise self.fail(node, f"{name}() takes {want} arguments, not {n}")
        parts = [self.placed(arg, depth, node.args if name == "distance" else ()) for arg in node.args]
        if name == "distance":
            for arg, part in zip(node.args, parts):
                if part.kind != PLACE:
                    raise self.fail(arg, "distance() takes two places")
            return self._distance(parts)
        for arg, part in zip(node.args, parts):
            self.no_place(arg, part.kind, f"{name}()")
        return _FUNCTION_BUILDERS[name](parts)

    def _distance(self, parts: list[_Part]) -> _Part:
        table = self.symbols.distances
        if not table:
            raise ExprError("distance() needs routes on the map", self.offset)
        array = np.asarray(table, dtype=np.float64)
        a, b = parts
        as_, av, bs, bv = a.scalar, a.vector, b.scalar, b.vector
        return _Part(
            (lambda e: table[int(as_(e))][int(bs(e))]),
            (lambda e: array[np.asarray(av(e)).astype(np.intp), np.asarray(bv(e)).astype(np.intp)]),
            NUM,
            0.0,
            float(array.max()),
        )

    def placed(self, node: ast.AST, depth: int, beside: Sequence[ast.AST]):
        """Compile ``node``; an unknown name among operands that are places is an unknown place.

        ``beside`` are the operands compared with it (or the arguments of ``distance``): when one
        of them names a place, the unknown name is taken for a misspelt place and the places are
        listed.
        """
        try:
            return self.node(node, depth)
        except ExprError as exc:
            names = self.symbols.names
            if exc.name and isinstance(node, ast.Name) and any(_names_place(o, names) for o in beside):
                raise unknown_place(exc.name, names, exc.column) from None
            raise

    def no_place(self, node: ast.AST, kind: str, what: str) -> None:
        if kind == PLACE:
            raise self.fail(node, f"a place cannot be used with {what}; compare it with == or !=")
        if is_token(kind):
            raise self.fail(node, f"{describe_type(kind)} cannot be used with {what}; compare it with == or !=")


_METHODS: dict[type, Callable] = {
    ast.Constant: _Compiler._Constant,
    ast.Name: _Compiler._Name,
    ast.UnaryOp: _Compiler._UnaryOp,
    ast.BinOp: _Compiler._BinOp,
    ast.BoolOp: _Compiler._BoolOp,
    ast.Compare: _Compiler._Compare,
    ast.IfExp: _Compiler._IfExp,
    ast.Call: _Compiler._Call,
}


def _none_of(source: str, text: str, symbols: Symbols) -> Expr | None:
    """Like :func:`_short`, for ``not (a or b or ...)`` over two names or more: a UnaryOp at depth 0
    over a BoolOp at depth 1 over the names at depth 2."""
    found = _NONE_OF.fullmatch(text)
    if found is None:
        return None
    inner = found.group(1)
    names = inner.split(" or ")
    known_names = symbols.names
    if any(keyword.iskeyword(n) or (n not in _TRUTHS and n not in known_names) for n in names):
        return None
    compiler = _Compiler(symbols, 0, text)
    memo = symbols.parts
    key = (ast.UnaryOp, text)
    known = memo.get(key)
    if known is not None:
        return _reused(source, text, compiler, known)
    compiler.count = 1
    either_key = (ast.BoolOp, inner)
    either = memo.get(either_key)
    if either is not None:
        compiler.count += either.count
        compiler.used |= either.used
        compiler.named.extend(either.used)
        part = either.part
    else:
        parts = [compiler.name_part(n) for n in names]
        if any(is_token(p.kind) for p in parts):
            return None
        compiler.count += 1 + len(names)
        part = _either(parts)
        if len(memo) < MAX_PARTS:
            memo[either_key] = _Known(part, frozenset(compiler.named), compiler.count - 1, 1)
    compiler.deepest = 2
    part = _negation(part)
    if len(memo) < MAX_PARTS:
        memo[key] = _Known(part, frozenset(compiler.named), compiler.count, 2)
    return _finished(source, text, compiler, part)


def _either(parts: list[_Part]) -> _Part:
    """``or`` over the parts."""
    scalars = [p.scalar for p in parts]
    vectors = [p.vector for p in parts]
    return _Part((lambda e: any(s(e) for s in scalars)), (lambda e: _reduce(np.logical_or, vectors, e)), BOOL)


def _negation(part: _Part) -> _Part:
    s, v = part.scalar, part.vector
    return _Part((lambda env: not s(env)), (lambda env: np.logical_not(v(env))), BOOL)


def _span(op: type, left: _Part, right: _Part) -> tuple[float, float]:
    """The interval of an arithmetic result, from its operands' intervals.

    Rounding to nearest is monotonic, so the rounded corners bound the rounded results. A
    divisor whose interval holds 0 without being 0 can make any quotient.
    """
    a, b, c, d = left.low, left.high, right.low, right.high
    if op is ast.Add:
        return a + c, b + d
    if op is ast.Sub:
        return a - d, b - c
    if op is ast.Mult:
        corners = (a * c, a * d, b * c, b * d)
        return min(corners), max(corners)
    if c == d == 0:
        return 0.0, 0.0
    if c <= 0 <= d:
        return -math.inf, math.inf
    corners = (a / c, a / d, b / c, b / d)
    return min(corners), max(corners)


def _as_float(vector: Callable, kind: str) -> Callable:
    """Numpy refuses arithmetic on two boolean arrays, so booleans become floats first."""
    if kind != BOOL:
        return vector
    return lambda e: np.asarray(vector(e), dtype=np.float64)


def _as_number(scalar: Callable, kind: str) -> Callable:
    """A Python bool in arithmetic acts as the int 0 or 1, and ``-False`` is 0, not -0.0 as in numpy:
    booleans become floats first here too."""
    if kind != BOOL:
        return scalar
    return lambda e: float(scalar(e))


def _div(a: float, b: float) -> float:
    return a / b if b != 0 else 0.0


def _vdiv(a, b):
    nonzero = np.not_equal(b, 0)
    return np.where(nonzero, np.divide(a, np.where(nonzero, b, 1.0)), 0.0)


def _reduce(op, vectors, env):
    result = op(vectors[0](env), vectors[1](env))
    for v in vectors[2:]:
        result = op(result, v(env))
    return result


_PY_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NP_COMPARE = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def _comparison(name: str, ls, lv, rs, rv):
    py = _PY_COMPARE[name]
    npf = _NP_COMPARE[name]
    return (lambda e: py(ls(e), rs(e))), (lambda e: npf(lv(e), rv(e)))


def _min2(a: float, b: float) -> float:
    if a < b:
        return a
    if b <= a:
        return b
    return math.nan


def _max2(a: float, b: float) -> float:
    if a > b:
        return a
    if b >= a:
        return b
    return math.nan


def _fold(fn2, scalars):
    def run(e):
        result = scalars[0](e)
        for s in scalars[1:]:
            result = fn2(result, s(e))
        return result

    return run


def _round(x: float) -> float:
    return float(round(x)) if math.isfinite(x) else x


def _vround(x):
    """numpy's round keeps the sign of a zero (round(-0.4) is -0.0); Python's gives +0.0."""
    return np.round(x) + 0.0


def _min_part(parts: list[_Part]) -> _Part:
    scalars = [_as_number(p.scalar, p.kind) for p in parts]
    vectors = [_as_float(p.vector, p.kind) for p in parts]
    low, high = min(p.low for p in parts), min(p.high for p in parts)
    return _Part(_fold(_min2, scalars), lambda e: _reduce(np.minimum, vectors, e), NUM, low, high)


def _max_part(parts: list[_Part]) -> _Part:
    scalars = [_as_number(p.scalar, p.kind) for p in parts]
    vectors = [_as_float(p.vector, p.kind) for p in parts]
    low, high = max(p.low for p in parts), max(p.high for p in parts)
    return _Part(_fold(_max2, scalars), lambda e: _reduce(np.maximum, vectors, e), NUM, low, high)


def _clamp_part(parts: list[_Part]) -> _Part:
    x, lo, hi = parts
    s0, s1, s2 = (_as_number(p.scalar, p.kind) for p in parts)
    v0, v1, v2 = (_as_float(p.vector, p.kind) for p in parts)
    low = min(max(x.low, lo.low), hi.low)
    high = min(max(x.high, lo.high), hi.high)
    return _Part(
        lambda e: _min2(_max2(s0(e), s1(e)), s2(e)),
        lambda e: np.minimum(np.maximum(v0(e), v1(e)), v2(e)),
        NUM,
        low,
        high,
    )


def _abs_part(parts: list[_Part]) -> _Part:
    (x,) = parts
    s, v = _as_number(x.scalar, x.kind), _as_float(x.vector, x.kind)
    if x.low >= 0:
        low, high = x.low, x.high
    elif x.high <= 0:
        low, high = -x.high, -x.low
    else:
        low, high = 0.0, max(-x.low, x.high)
    return _Part(lambda e: abs(s(e)), lambda e: np.abs(v(e)), NUM, low, high)


def _round_part(parts: list[_Part]) -> _Part:
    (x,) = parts
    s, v = _as_number(x.scalar, x.kind), _as_float(x.vector, x.kind)
    low, high = float(math.floor(x.low)), float(math.ceil(x.high))
    return _Part(lambda e: _round(s(e)), lambda e: _vround(v(e)), NUM, low, high)


_FUNCTION_BUILDERS: dict[str, Callable[[list[_Part]], _Part]] = {
    "min": _min_part,
    "max": _max_part,
    "clamp": _clamp_part,
    "abs": _abs_part,
    "round": _round_part,
}


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access (.)",
        ast.Subscript: "indexing ([ ])",
        ast.Lambda: "lambda",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.Starred: "*",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: ":=",
        ast.Await: "await",
        ast.ListComp: "a comprehension",
        ast.GeneratorExp: "a generator",
    }
    if isinstance(node, ast.BinOp):
        return type(node.op).__name__
    return kinds.get(type(node), type(node).__name__)


def _unknown_name(name: str, known: Mapping[str, Symbol]) -> str:
    return f"unknown name '{name}'" + did_you_mean(name, list(known) + ["true", "false"])


def place_ids(known: Mapping[str, Symbol]) -> list[str]:
    """The place ids among the names an expression may use, in the map's order."""
    return [name for name, symbol in known.items() if symbol.type == PLACE and symbol.slot is None]


def unknown_place(name: str, known: Mapping[str, Symbol], column: int) -> ExprError:
    """The error for a name that stands where a place is needed but names no place."""
    places = place_ids(known)
    listing = ", ".join(places[:12]) + (", ..." if len(places) > 12 else "") if places else "(none)"
    return ExprError(f"unknown place '{name}'" + did_you_mean(name, places), column, f"the places are: {listing}", name)


def _names_place(node: ast.AST, known: Mapping[str, Symbol]) -> bool:
    return isinstance(node, ast.Name) and getattr(known.get(node.id), "type", None) == PLACE


_FOREIGN = {"&&": "and", "||": "or"}


def _foreign_operator(text: str) -> tuple[str, str, int]:
    """The first operator from another language in ``text``: (as written, what to write, column),
    or ("", "", 0) when there is none."""
    for i, char in enumerate(text):
        pair, after, before = text[i : i + 2], text[i + 1 : i + 2], text[i - 1 : i]
        if text[i : i + 3] == "===":
            return "===", "==", i
        if pair in ("&&", "||"):
            return pair, _FOREIGN[pair], i
        if char == "!" and after != "=":
            return "!", "not", i
        if char == "=" and after != "=" and before not in ("=", "!", "<", ">"):
            return "=", "==", i
    return "", "", 0
