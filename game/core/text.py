"""Scenario texts with values and conditions in them, rendered for one reader at a time.

A text may insert a value with ``{name}`` and choose what it says with
``{if condition}...{elif condition}...{else}...{end}``, where a condition is an expression of
the scenario language; ``{{`` and ``}}`` stand for literal braces. A text is parsed once into a
:class:`Template`. Rendering asks the reader's side how to show each value (the exact value, the
reader's estimate, or that it is unknown) and whether the reader may know what each condition
reads: a conditional block whose condition reads a value the reader may not know is left out as
a whole, so what the reader sees is the same whatever the hidden value is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from game.core.errors import ExprError
from game.core.expr import BOOL, Expr, Symbols, compile_expr

_BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_DEPTH = 8


class TemplateError(ExprError):
    """A text whose braces or conditions cannot be read; ``column`` counts from 0 in the text.
    ``name`` is the unknown name when that is what is wrong."""

    def __init__(self, message: str, column: int = 0, name: str = ""):
        super().__init__(message, column)
        self.name = name


@dataclass(frozen=True)
class Insert:
    name: str


@dataclass(frozen=True)
class Choice:
    """``{if}`` ... ``{end}``: branches tried in order; a branch without a test is the ``{else}``."""

    branches: tuple[tuple[Expr | None, tuple], ...]


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple
    names: frozenset[str]  # every name the text inserts or its conditions read
    inserts: frozenset[str]
    conditional: bool

    def render(self, env: Sequence[float], shown: Callable[[str], str], knows: Callable[[Expr], bool]) -> str:
        """The text with ``shown(name)`` for each value; blocks whose condition ``knows`` refuses are left out."""
        return _render(self.parts, env, shown, knows)


def _render(parts: tuple, env, shown, knows) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Insert):
            out.append(shown(part.name))
        else:
            for test, body in part.branches:
                if test is not None and not knows(test):
                    break
                if test is None or test.truth(env):
                    out.append(_render(body, env, shown, knows))
                    break
    return "".join(out)


def parse(text: str, symbols: Symbols | None = None, names: frozenset[str] | None = None) -> Template:
    """Parse ``text``; ``names`` are the names it may insert (None: any identifier).

    Without ``symbols`` no condition can be read and ``{if ...}`` is an error, as is any brace
    content that is not a name of ``names``. Raises :class:`TemplateError` with a column.
    """
    if "{" not in text and "}" not in text:  # no insert, no condition, no doubled brace: the text as it is
        return Template(text, (text,) if text else (), frozenset(), frozenset(), False)
    stack: list[tuple[list, list, int]] = []  # (branches, parts of the open branch, column of {if})
    parts: list = []
    used: set[str] = set()
    inserts: set[str] = set()
    literal: list[str] = []
    conditional = False

    def flush() -> None:
        joined = "".join(literal)
        literal.clear()
        if joined:
            parts.append(joined)

    def plain_text(start: int, end: int) -> str:
        piece = text[start:end]
        if symbols is not None:  # format 2: a brace that opens or closes nothing is a mistake
            stray = next((i for i, c in enumerate(piece) if c in "{}"), None)
            if stray is not None:
                brace = piece[stray]
                raise TemplateError(
                    f"a lone '{brace}' (a brace shown as text is written twice: '{brace * 2}')", start + stray
                )
        return piece

    pos = 0
    for match in _BRACES.finditer(text):
        literal.append(plain_text(pos, match.start()))
        pos = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
            continue
        body = match.group(1)
        word = body.strip()
        column = match.start()
        head, _, rest = word.partition(" ")
        if head in ("if", "elif", "else", "end"):
            if symbols is None:
                raise TemplateError(f"'{{{word}}}' needs format: 2 (conditional text)", column)
            conditional = True
            flush()
            if head == "if":
                if len(stack) >= MAX_DEPTH:
                    raise TemplateError(f"conditions are nested too deeply (more than {MAX_DEPTH})", column)
                test = _condition(rest, symbols, column + match.group(0).index(rest) if rest else column, "if")
                used.update(test.names)
                stack.append(([[test, None]], parts, column))
                parts = []
            elif not stack:
                raise TemplateError(f"'{{{head}}}' without an '{{if ...}}' before it", column)
            else:
                branches, outer, _ = stack[-1]
                if head != "end" and branches[-1][0] is None:
                    raise TemplateError(f"'{{{head}}}' after '{{else}}'", column)
                branches[-1][1] = tuple(parts)
                parts = []
                if head == "elif":
                    test = _condition(rest, symbols, column + match.group(0).index(rest) if rest else column, "elif")
                    used.update(test.names)
                    branches.append([test, None])
                elif head == "else":
                    if rest:
                        raise TemplateError("'{else}' takes no condition (use '{elif ...}')", column)
                    branches.append([None, None])
                else:
                    if rest:
                        raise TemplateError("'{end}' takes nothing after it", column)
                    stack.pop()
                    parts = outer
                    parts.append(Choice(tuple((t, b) for t, b in branches)))
            continue
        if not _NAME.fullmatch(body) or (names is not None and body not in names):
            raise TemplateError(f"the text names '{{{body}}}', which is not a variable", column, body)
        flush()
        parts.append(Insert(body))
        used.add(body)
        inserts.add(body)
    literal.append(plain_text(pos, len(text)))
    if stack:
        raise TemplateError("'{if ...}' without its '{end}'", stack[-1][2])
    flush()
    return Template(text, tuple(parts), frozenset(used), frozenset(inserts), conditional)


def _condition(source: str, symbols: Symbols, column: int, head: str = "if") -> Expr:
    if not source.strip():
        raise TemplateError(f"'{{{head}}}' needs a condition", column)
    try:
        test = compile_expr(source, symbols)
    except ExprError as exc:
        raise TemplateError(exc.message, column + exc.column) from None
    if test.type == "number":  # as a 'when' is: a number is not read as true or false
        raise TemplateError(
            f"'{source.strip()}' is a number, not a condition; compare it with something, e.g. '{source.strip()} > 0'",
            column,
        )
    if test.type != BOOL:
        raise TemplateError(f"'{source.strip()}' is not a condition", column)
    return test


@lru_cache(maxsize=4096)
def plain(text: str) -> Template:
    """A text that no loader checked, read leniently: names are inserted, anything else is kept."""
    parts: list = []
    names: set[str] = set()
    pos = 0
    literal: list[str] = []
    for match in _BRACES.finditer(text):
        literal.append(text[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
        elif _NAME.fullmatch(match.group(1)):
            if literal:
                parts.append("".join(literal))
                literal.clear()
            parts.append(Insert(match.group(1)))
            names.add(match.group(1))
        else:
            literal.append(token)
    literal.append(text[pos:])
    if literal:
        parts.append("".join(literal))
    return Template(text, tuple(p for p in parts if p != ""), frozenset(names), frozenset(names), False)
