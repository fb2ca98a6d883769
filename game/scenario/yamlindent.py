"""Which line of a YAML file really holds an indentation mistake.

PyYAML notices a misplaced indent where it can no longer make sense of the text, which is often
the line after the mistake: a line indented two spaces too little is read as a new key of the
block above, and only the next, correctly indented line is refused. Here the lines up to the
error are walked the way a block-structured reader sees them, keeping the stack of open
indentation levels, and the line whose indentation does not fit is named:

- a line indented more than the one above, when that line opens no block, is wrong itself,
  unless the line above was the one that had stepped back too far (this line lines up with a
  level the line above had closed), or the line above stood where a deeper line was due;
- a line that steps back to a level no open block has is wrong itself.

Block scalars (``|``, ``>``), flow collections (``{...}``, ``[...]``) over several lines and
comments are stepped over. The walk is a heuristic for a file that has already failed to parse;
on a file that parses it finds nothing (the tests check that on every bundled scenario).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

CULPRIT_LINES = 12  # how far back a misplaced line is looked for
_BLOCK_SCALAR = re.compile(r"(^|:\s+|^-\s+)[|>][-+0-9]*\s*$")


@dataclass(frozen=True)
class Culprit:
    """The line (1-based) whose indentation is wrong, what is wrong with it, and what to do."""

    line: int
    col: int
    message: str
    hint: str


def _content(raw: str) -> str:
    """The line without its comment (a ``#`` after a space, outside quotes) and trailing spaces."""
    quote = ""
    for i, char in enumerate(raw):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (i == 0 or raw[i - 1] in " :[{,-"):
            quote = char
        elif char == "#" and (i == 0 or raw[i - 1] in " \t"):
            return raw[:i].rstrip()
    return raw.rstrip()


def _depth(text: str) -> int:
    """How many flow brackets the line leaves open (quotes are stepped over)."""
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth


def _open_quote(text: str) -> bool:
    """Whether the line leaves a double-quoted value open (its closing quote is on a later line)."""
    start = re.search(r'(^|:\s+|^-\s+)"', text.strip())
    if not start:
        return False
    rest = text.strip()[start.end() :]
    return len(re.findall(r'(?<!\\)"', rest)) % 2 == 0


@dataclass
class _Seen:
    line: int
    indent: int
    closed: tuple[int, ...]  # the levels this line closed by stepping back
    overdue: bool  # a deeper line was due here (the line above opened a block) and this is not deeper
    first: bool  # the first line of a new, deeper block: it set that block's indentation


def _significant(lines: list[str], start: int) -> int | None:
    """The indentation of the first line from ``start`` (0-based) that is not blank or a comment."""
    for raw in lines[start:]:
        text = _content(raw.replace("\t", " "))
        if text.strip():
            return len(text) - len(text.lstrip())
    return None


def find_culprit(lines: list[str], error_line: int) -> Culprit | None:
    """The line up to ``error_line`` (1-based) whose indentation breaks the block structure."""
    stack = [0]
    opens = False
    scalar: tuple[int, int | None] | None = None  # a block scalar: its key's indentation, its text's
    depth = 0
    quoted_from = 0  # the line that opened a double-quoted value still open
    seen: list[_Seen] = []
    for number in range(1, min(error_line, len(lines)) + 1):
        raw = lines[number - 1]
        if "\t" in raw[: len(raw) - len(raw.lstrip())] and not quoted_from and scalar is None:
            return Culprit(number, 1, "YAML syntax: this line is indented with a tab", "indent with spaces, not tabs")
        raw = raw.replace("\t", " ")
        if quoted_from:
            quotes = len(re.findall(r'(?<!\\)"', raw))
            if quotes and number == error_line:
                return _unclosed(quoted_from, lines[quoted_from - 1])
            if quotes % 2 == 1:
                quoted_from = 0
            continue
        text = _content(raw)
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip())
        if scalar is not None:
            key, body = scalar
            if body is None and indent > key:
                scalar = (key, indent)
            if indent > key and indent >= (body or indent):
                continue
            scalar = None
        if depth > 0:
            if number == error_line and seen and indent <= seen[-1].indent:  # a key of the block, inside the brackets
                return _unclosed_flow(seen[-1].line, lines[seen[-1].line - 1])
            depth = max(depth + _depth(text), 0)
            continue
        if text.strip() == "---":
            continue
        overdue, first, closed = False, False, ()
        if opens and indent > stack[-1]:
            stack.append(indent)
            first = True
        elif indent > stack[-1]:
            if ": " not in text and not text.rstrip().endswith(":") and not text.strip().startswith("- "):
                continue  # the rest of a plain value written over several lines
            return _too_deep(seen, number, indent)
        else:
            overdue = opens and not text.strip().startswith("-")
            while stack[-1] > indent:
                closed += (stack.pop(),)
            if stack[-1] != indent:
                return _no_level(seen, number, indent, [*stack, *reversed(closed)], _significant(lines, number))
        seen.append(_Seen(number, indent, closed, overdue, first))
        body = text.strip()
        item = re.match(r"-(\s+)(?=\S)", body)
        if item:  # "- key: value" opens a mapping at the key's column
            stack.append(indent + len(item.group(0)))
            body = body[len(item.group(0)) :]
        opens = body.endswith(":") or body == "-"
        if _BLOCK_SCALAR.search(body):
            scalar = (indent, None)
        depth = max(_depth(text), 0)
        if _open_quote(text):
            quoted_from = number
    return None


def _step(seen: list[_Seen]) -> int:
    """The file's usual step from a line that opens a block to the block's first line (2 by default)."""
    steps = Counter(line.indent - _opener(seen, line) for line in seen if line.first)
    return steps.most_common(1)[0][0] if steps else 2


def _opener(seen: list[_Seen], line: _Seen) -> int:
    """The indentation of the line that opened the block ``line`` is the first of."""
    index = seen.index(line)
    return seen[index - 1].indent if index else 0


def _off_step(seen: list[_Seen], first: _Seen, indent: int) -> bool:
    """Whether ``indent`` takes the file's usual step under the block ``first`` opened and ``first`` does not."""
    step, opener = _step(seen), _opener(seen, first)
    return indent - opener == step != first.indent - opener


def _too_deep(seen: list[_Seen], number: int, indent: int) -> Culprit:
    """Line ``number`` is deeper than the line above, which opens no block: which of them is wrong."""
    previous = seen[-1] if seen else _Seen(0, 0, (), False, False)
    if indent in previous.closed or previous.overdue:
        return _stepped_back(previous, indent)
    if previous.first and _off_step(seen, previous, indent):
        return _stepped_back(previous, indent)
    return Culprit(
        number,
        indent + 1,
        f"YAML syntax: this line is indented more ({indent} spaces) than the line above "
        f"({previous.indent}), which opens no block",
        f"indent it by {previous.indent} spaces like the line above, "
        "or end the line above with ':' if this belongs under it",
    )


def _no_level(seen: list[_Seen], number: int, indent: int, levels: list[int], after: int | None) -> Culprit:
    """Line ``number`` steps back to a level no open block has: which line is wrong."""
    for earlier in reversed(seen[-CULPRIT_LINES:]):
        if earlier.indent < indent and (indent in earlier.closed or earlier.overdue):
            return _stepped_back(earlier, indent)  # it left the block this line belongs to
        if earlier is seen[-1] and earlier.first and earlier.indent > indent > _opener(seen, earlier):
            if _off_step(seen, earlier, indent) or (after != earlier.indent and after is not None and after < indent):
                return _too_far(earlier, indent)  # it set a deeper level than its block has
        if earlier.indent <= indent:
            break
    listed = ", ".join(str(level) for level in levels)
    near = min(levels, key=lambda level: (abs(level - indent), level)) if levels else None
    likely = f"; most likely {near} spaces, the nearest" if near is not None else ""
    return Culprit(
        number,
        indent + 1,
        f"YAML syntax: this line is indented {indent} spaces, which lines up with no block above it",
        f"indent it like the block it belongs to (the open blocks are indented {listed} spaces{likely})",
    )


def _too_far(line: _Seen, indent: int) -> Culprit:
    return Culprit(
        line.line,
        line.indent + 1,
        f"YAML syntax: this line is indented {line.indent} spaces, more than the lines that belong "
        f"with it ({indent} spaces)",
        f"indent it by {indent} spaces",
    )


def _stepped_back(previous: _Seen, indent: int) -> Culprit:
    """The line above stepped back (or stayed) where it should have stood at ``indent``."""
    return Culprit(
        previous.line,
        previous.indent + 1,
        f"YAML syntax: this line is indented {previous.indent} spaces, but it belongs with the lines "
        f"indented {indent} spaces below it",
        f"indent it by {indent} spaces",
    )


def _unclosed(line: int, raw: str) -> Culprit:
    col = raw.index('"') + 1 if '"' in raw else 1
    return Culprit(
        line,
        col,
        "YAML syntax: the quote opened on this line is not closed on it, so the text runs on into the next lines",
        'close the quote with " at the end of the value',
    )


def _unclosed_flow(line: int, raw: str) -> Culprit:
    """The line that opened a ``{`` or ``[`` and left it open, so the next keys were read inside it."""
    text = _content(raw.replace("\t", " "))
    opened, quote = [], ""
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "{[":
            opened.append(i)
        elif char in "}]" and opened:
            opened.pop()
    col = opened[0] if opened else len(text) - len(text.lstrip())
    bracket = text[col] if opened else "{"
    closing = "}" if bracket == "{" else "]"
    return Culprit(
        line,
        col + 1,
        f"YAML syntax: the {bracket} opened on this line is not closed on it, so the lines below are read inside it",
        f"close it with {closing} at the end of the value",
    )
