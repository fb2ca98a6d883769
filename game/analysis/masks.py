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


# a role's choices as tables --------------------------------------------------------------------
#
# A condition of the shapes above reads each variable only through comparisons with numbers (a
# flag is ``x != 0``). So its truth depends on each variable only through where the variable's
# value lies among the numbers it is compared with: below the first, equal to it, between it and
# the next, ..., above the last, or NaN. Values that no comparison tells apart make one class.
# A group of moves whose variables have few classes between them is worked out once, for every
# combination of classes, by running the moves' own compiled tests on one representative value
# per class; a game then needs only its combination (a small integer, its *code*) and a look-up.

TABLE_LIMIT = 1 << 14
"""The most combinations one group of moves may tabulate (its tables take a few hundred kB)."""


def _normal(op: type, left, right) -> tuple | None:
    """A comparison as ``(slot, op, number)`` with the variable on the left; None for two variables."""
    flip = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
    if left[0] == "slot" and right[0] == "num":
        return (left[1], op, right[1])
    if left[0] == "num" and right[0] == "slot":
        return (right[1], flip[op], left[1])
    return None


def _side(node: ast.AST, symbols: Symbols) -> tuple | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return ("num", float(node.value))
    if isinstance(node, ast.Name):
        symbol = symbols.names.get(node.id)
        if symbol is None:
            return None
        if symbol.slot is None:
            return ("num", float(symbol.value or 0.0))
        return ("slot", symbol.slot)
    return None


def comparisons(node: ast.AST, symbols: Symbols, out: set) -> bool:
    """Add to ``out`` every (slot, op, number) the condition reads; False when some part of it is
    not a comparison of one variable with a number (then it cannot be tabulated)."""
    if isinstance(node, ast.Name) and node.id in ("true", "True", "false", "False"):
        return True
    if isinstance(node, ast.Name):
        side = _side(node, symbols)
        if side is None:
            return False
        if side[0] == "slot":
            out.add((side[1], ast.NotEq, 0.0))
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return comparisons(node.operand, symbols, out)
    if isinstance(node, ast.BoolOp):
        return all(comparisons(v, symbols, out) for v in node.values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        left, right = _side(node.left, symbols), _side(node.comparators[0], symbols)
        if left is None or right is None:
            return False
        if left[0] == "num" and right[0] == "num":
            return True
        atom = _normal(type(node.ops[0]), left, right)
        if atom is None:
            return False
        out.add(atom)
        return True
    return False


class SlotClasses:
    """One variable's classes: which values the comparisons on it cannot tell apart."""

    __slots__ = ("slot", "numbers", "padded", "lut", "nan_class", "count", "atom", "reps", "whole")

    def __init__(self, slot: int, atoms: list[tuple[type, float]]):
        self.slot = slot
        numbers = np.asarray(sorted({c for _, c in atoms}), dtype=np.float64)
        self.numbers = numbers
        self.padded = np.append(numbers, np.nan)  # index len(numbers) equals nothing
        k = numbers.shape[0]
        # raw classes: 2i below numbers[i] (above the one before), 2i+1 equal to it, 2k above all; NaN
        raw = []
        for i in range(k):
            raw.append(np.nextafter(numbers[i], -np.inf))
            raw.append(numbers[i])
        raw.append(np.nextafter(numbers[-1], np.inf))
        raw.append(np.nan)
        raw = np.asarray(raw)
        truth = np.column_stack([_COMPARE[op](raw, c) for op, c in atoms])
        keys: dict[bytes, int] = {}
        lut = np.empty(raw.shape[0], dtype=np.int64)
        reps = []
        for i, row in enumerate(truth):
            key = row.tobytes()
            if key not in keys:
                keys[key] = len(keys)
                reps.append(raw[i])
            lut[i] = keys[key]
        self.count = len(keys)
        self.atom = None  # two classes: the comparison that tells them apart gives the class
        if self.count == 2:
            first, second = (truth[reps_at] for reps_at in (0, int(np.flatnonzero(lut == 1)[0])))
            j = int(np.flatnonzero(first != second)[0])
            op, c = atoms[j]
            self.atom = (op, c)
            if first[j]:  # class 1 is the comparison's truth
                lut = 1 - lut
                reps = reps[::-1]
        self.reps = np.asarray(reps)
        self.nan_class = int(lut[-1]) if lut[-1] != lut[-2] else None  # NaN apart from "above all"
        self.lut = lut[:-1]
        # whole numbers compared with whole numbers (a package's number, a count): the class of
        # each whole value from just below the least to just above the greatest, by look-up
        self.whole = None
        whole = all(c.is_integer() and abs(c) < 2.0**52 for c in numbers)
        if self.atom is None and whole and numbers[-1] - numbers[0] <= 4096:
            first = int(numbers[0]) - 1
            span = np.arange(first, int(numbers[-1]) + 2, dtype=np.float64)
            self.whole = (first, self._searched(span))

    def _searched(self, x: np.ndarray) -> np.ndarray:
        i = np.searchsorted(self.numbers, x)
        out = self.lut.take(2 * i + (self.padded.take(i) == x))
        if self.nan_class is not None:
            out = np.where(np.isnan(x), self.nan_class, out)
        return out

    def classes(self, x, atoms: dict) -> np.ndarray | int:
        """The class of each value in ``x`` (an array, or a number for a constant or the clock)."""
        if self.atom is not None:
            op, c = self.atom
            key = (self.slot, op, c)
            mask = atoms.get(key)
            if mask is None:
                mask = atoms[key] = _COMPARE[op](x, c)
            return mask
        if self.whole is None or np.ndim(x) == 0:
            return self._searched(x)
        first, table = self.whole
        with np.errstate(invalid="ignore"):
            at = x.astype(np.int64)  # NaN and the infinities give some integer that differs from x
        fits = at == x  # a whole value: below the table it is below every number, above it above
        np.clip(at, first, first + table.shape[0] - 1, out=at)
        at -= first
        out = table.take(at)
        if not fits.all():
            rest = np.flatnonzero(~fits)
            out[rest] = self._searched(x.take(rest))
        return out


class ChoiceTable:
    """A run of a role's moves (in file order) tabulated over its variables' classes.

    Its *units* are its choices as the AI policies count them: each move alone, except that the
    offers of one channel make one unit. For every code it holds which moves are legal, how many
    units are open, the k-th open unit, and for a channel's unit how many of its offers are open
    and the k-th of them (as a move's row among the role's moves).
    """

    def __init__(self, start: int, whens: list, units: list[tuple[int, int, bool]], slots: list[SlotClasses]):
        self.start = start
        self.stop = start + len(whens)
        self.slots = tuple(s for s in slots if s.count > 1)
        radix, size = [], 1
        for s in self.slots:
            radix.append(size)
            size *= s.count
        self.radix = tuple(radix)
        self.size = size
        codes = np.arange(size)
        fake = {}
        for s, r in zip(self.slots, self.radix):
            fake[s.slot] = s.reps.take((codes // r) % s.count)
        for s in slots:
            if s.count == 1:
                fake[s.slot] = np.full(size, s.reps[0])
        rows = np.ones((len(whens), size), dtype=bool)
        for i, when in enumerate(whens):
            if when is not None:
                rows[i] = np.asarray(when.many(fake, size), dtype=bool)
        self.rows = rows  # legal moves by code
        self.units = tuple(units)  # (first row, last row + 1, is a channel's offers), rows of the role
        opened = np.vstack([rows[a - start : b - start].any(axis=0) for a, b, _ in units])
        self.count = opened.sum(axis=0).astype(np.int16)
        self.nth, self.width = _nth_table(opened, np.arange(len(units)))
        self.block_size: dict[int, np.ndarray] = {}
        self.block_nth: dict[int, tuple[np.ndarray, int]] = {}
        for u, (a, b, block) in enumerate(units):
            if not block:
                continue
            part = rows[a - start : b - start]
            self.block_size[u] = part.sum(axis=0).astype(np.int16)
            self.block_nth[u] = _nth_table(part, np.arange(a, b))
        self.unit_row = np.asarray([a for a, _, _ in units], dtype=np.intp)
        self.unit_block = np.asarray([block for _, _, block in units], dtype=bool)

    def code(self, env, n: int, atoms: dict) -> np.ndarray:
        """Every game's code (the combination of its variables' classes)."""
        dtype = np.int16 if self.size <= 1 << 15 else np.int64
        out = np.zeros(n, dtype=dtype)
        for s, r in zip(self.slots, self.radix):
            c = s.classes(env[s.slot], atoms)
            if r == 1:
                out += c
            elif c.dtype == bool:
                out += c * dtype(r)
            else:
                out += c * r
        return out


def _nth_table(opened: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, int]:
    """For every code (column of ``opened``), the labels of its open rows in order, as a flat
    (codes x width) table, and the width."""
    width = max(1, int(opened.sum(axis=0).max()))
    table = np.zeros((opened.shape[1], width), dtype=np.int16)
    rank = np.cumsum(opened, axis=0) - 1
    row, code = np.nonzero(opened)
    table[code, rank[row, code]] = labels[row]
    return table.reshape(-1), width


def _classes(atoms: set, known: dict | None = None) -> list[SlotClasses]:
    by_slot: dict[int, list] = {}
    for slot, op, c in sorted(atoms, key=lambda a: (a[0], a[1].__name__, a[2])):
        by_slot.setdefault(slot, []).append((op, c))
    out = []
    for slot, ops in sorted(by_slot.items()):
        key = (slot, tuple(ops))
        if known is None or key not in known:
            made = SlotClasses(slot, ops)
            if known is None:
                out.append(made)
                continue
            known[key] = made
        out.append(known[key])
    return out


def choice_tables(whens: list, trees: list, blocks: list[tuple[int, int]], symbols: Symbols):
    """A role's moves as ChoiceTables covering every row in file order, or None when some move's
    condition cannot be tabulated. ``whens`` are the compiled conditions (None: always legal),
    ``trees`` their syntax trees, ``blocks`` the (start, stop) rows of each channel's offers."""
    units, j, starts = [], 0, {a: b for a, b in blocks}
    while j < len(whens):
        b = starts.get(j, j + 1)
        units.append((j, b, j in starts))
        j = b
    reads = []
    for a, b, _ in units:
        atoms: set = set()
        for i in range(a, b):
            if trees[i] is not None and not comparisons(trees[i], symbols, atoms):
                return None
        reads.append(atoms)
    tables, group, atoms, known = [], [], set(), {}
    for unit, unit_atoms in zip(units, reads):
        joined = atoms | unit_atoms
        if group and _size(joined, known) > TABLE_LIMIT:
            tables.append(_table(whens, group, atoms))
            group, joined = [], set(unit_atoms)
        if _size(joined, known) > TABLE_LIMIT:
            return None
        group.append(unit)
        atoms = joined
    if group:
        tables.append(_table(whens, group, atoms))
    return tuple(tables)


def _size(atoms: set, known: dict) -> int:
    size = 1
    for s in _classes(atoms, known):
        size *= s.count
    return size


def _table(whens: list, units: list, atoms: set) -> ChoiceTable:
    start, stop = units[0][0], units[-1][1]
    return ChoiceTable(start, whens[start:stop], units, _classes(atoms))
