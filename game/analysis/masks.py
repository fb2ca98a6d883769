"""Conditions compiled for the batch engine: the common shapes as masks read straight off the rows.

Most scenario conditions are a few comparisons and flags joined by ``and``, ``or`` and ``not``:
``not rostov_taken and prigozhin_alive``, ``km_to_moscow <= 500``. The general compiler in
:mod:`game.core.expr` turns every flag into a float first and reads ``not`` and ``and`` from
floats; here a flag is read as ``row != 0`` and ``not flag`` as ``row == 0``, which gives the
same masks (NaN counts as true, as numpy's logical functions count it) in fewer, cheaper numpy
operations. Any other shape is left to the general compiler.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

import numpy as np

from game.core.expr import Expr, Symbols

_COMPARE = {
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}


class FastTest:
    """A condition as a mask over games; stands in for an Expr where only its truth is read."""

    __slots__ = ("source", "names", "constant", "_mask")

    def __init__(self, expr: Expr, mask: Callable):
        self.source = expr.source
        self.names = expr.names
        self.constant = None
        self._mask = mask

    def many(self, env, n: int) -> np.ndarray:
        """The condition's truth over ``n`` games, as a bool array of length ``n``."""
        out = self._mask(env)
        if np.ndim(out) == 0:
            return np.full(n, bool(out))
        return out


def fast_test(expr: Expr, symbols: Symbols) -> FastTest | Expr:
    """``expr`` as a FastTest when its shape allows, else ``expr`` itself."""
    if expr.constant is not None or expr.tree is None:
        return expr
    mask = _truth(expr.tree, symbols)
    return expr if mask is None else FastTest(expr, mask)


def _operand(node: ast.AST, symbols: Symbols) -> Callable | None:
    """A number, a place or a name, as a function of the environment (None for anything else)."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        v = float(node.value)
        return lambda e: v
    if isinstance(node, ast.Name):
        symbol = symbols.names.get(node.id)
        if symbol is None:
            return None
        if symbol.slot is None:
            v = float(symbol.value or 0.0)
            return lambda e: v
        slot = symbol.slot
        return lambda e: e[slot]
    return None


def _truth(node: ast.AST, symbols: Symbols) -> Callable | None:
    """The node's truth as a function of the environment, or None when the shape is not handled."""
    if isinstance(node, ast.Name) and node.id in ("true", "True", "false", "False"):
        v = node.id.lower() == "true"
        return lambda e: v
    if isinstance(node, ast.Name):
        read = _operand(node, symbols)
        return None if read is None else (lambda e: operator.ne(read(e), 0))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        if isinstance(node.operand, ast.Name) and node.operand.id not in ("true", "True", "false", "False"):
            read = _operand(node.operand, symbols)
            return None if read is None else (lambda e: operator.eq(read(e), 0))
        inner = _truth(node.operand, symbols)
        return None if inner is None else (lambda e: np.logical_not(inner(e)))
    if isinstance(node, ast.BoolOp):
        parts = [_truth(v, symbols) for v in node.values]
        if any(p is None for p in parts):
            return None
        join = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        first, rest = parts[0], parts[1:]

        def joined(e):
            out = first(e)
            for p in rest:
                out = join(out, p(e))
            return out

        return joined
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        left, right = _operand(node.left, symbols), _operand(node.comparators[0], symbols)
        if left is None or right is None:
            return None
        compare = _COMPARE[type(node.ops[0])]
        return lambda e: compare(left(e), right(e))
    return None
