"""Reading YAML safely and keeping every value's line and column.

The file is composed into nodes (PyYAML's C composer when present), never constructed into
arbitrary Python objects; we turn the nodes into plain dicts, lists and scalars ourselves and
record where each value stood. On the way we refuse what makes scenario files fragile or
dangerous: duplicate keys, YAML 1.1's ``yes/no/on/off`` booleans, sexagesimal numbers, merge keys,
tags other than YAML's plain ones (``!thing``, ``!!python/...``, ``!!binary``), numbers outside
the value domain of :mod:`game.core.numeric` (whole numbers of hundreds of digits are refused by
their length, before any conversion), aliases past a small budget, nesting past a depth limit,
and files past a size cap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from game.core.numeric import LIMIT, LIMIT_TEXT
from game.scenario.problems import Problem
from game.scenario.yamlindent import find_culprit

try:
    from yaml import CSafeLoader as _Base  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base  # type: ignore[assignment]


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader (libyaml's when present), with the composer's calls back made cheap.

    For every node the composer asks for its tag and tells the resolver it goes down and back up
    the tree. PyYAML works out a plain scalar's tag by trying its patterns on the text each time;
    a file repeats the same few words and numbers thousands of times, so the answer is kept per
    text for the one file being read. Any other node's tag, with no path resolvers (the safe
    loader has none), is the default for its kind, and going down and up does nothing: those
    calls get the answer at once or go to a built-in that does nothing of note. What is read is
    the same as the safe loader reads."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}
        self._default_tags: dict[type, str] | None = None
        if not self.yaml_path_resolvers:
            self._default_tags = {
                yaml.ScalarNode: self.DEFAULT_SCALAR_TAG,
                yaml.SequenceNode: self.DEFAULT_SEQUENCE_TAG,
                yaml.MappingNode: self.DEFAULT_MAPPING_TAG,
            }
            self.descend_resolver = _ignore_two  # called (parent node, index)
            self.ascend_resolver = _ignore_none

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        if self._default_tags is not None:
            return self._default_tags[kind]
        return super().resolve(kind, value, implicit)


# built-ins that take the composer's arguments and do nothing that matters (a Python function
# would cost a frame for each of the thousands of nodes)
_ignore_two = slice
_ignore_none = tuple


MAX_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_ALIASES = 50
MAX_NODES = 200_000

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
# the tags plain YAML gives on its own (a date is read as text); any other tag is refused
_SCALAR_TAGS = frozenset(
    {_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _STR_TAG, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"}
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# YAML 1.1 wants a dot in a number with an exponent (1.0e6); YAML 1.2, and authors, write 1e6
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+")
_NUMBER_START = frozenset("+-.0123456789")  # how a number such as 1e6 can begin
MAX_DIGITS = 20  # a whole number written with more digits is refused before it is converted
# control characters other than tab and newline: YAML refuses them written out, but a quoted
# text can still spell them ("\0", "\e", "\x07"); in a text they would stop the window's font
# (a NUL) or reach a player's terminal as escape codes
# what YAML allows in a file (its reader refuses the rest)
_NON_PRINTABLE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Mark(NamedTuple):
    """Where a value starts in its file (1-based line and column) and how it was written."""

    line: int
    col: int
    style: str = ""


# A mark is kept packed in one whole number (line, column and style), so that the thousands of
# them a file has are no objects for the cycle collector to go over; :class:`Marks` unpacks them.
_STYLES = ("", "'", '"', "|", ">")
_STYLE_CODE = {style: i for i, style in enumerate(_STYLES)}
_COL_BITS = 32  # a column is below 2**32


def _packed(line: int, col: int, style: str = "") -> int:
    return (line << (_COL_BITS + 3)) | (col << 3) | _STYLE_CODE.get(style, 0)


class _Packed(Mapping):
    """A read-only view of packed marks by dotted path; a subclass says what one unpacks to."""

    __slots__ = ("_codes",)

    def __init__(self, codes: dict[str, int] | None = None):
        self._codes = {} if codes is None else codes

    def __contains__(self, path: object) -> bool:
        return path in self._codes

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


def _line_col(code: int) -> tuple[int, int]:
    return code >> (_COL_BITS + 3), (code >> 3) & ((1 << _COL_BITS) - 1)


class Marks(_Packed):
    """The :class:`Mark` of every value of a read file, by dotted path."""

    __slots__ = ()

    def __getitem__(self, path: str) -> Mark:
        code = self._codes[path]
        return Mark(*_line_col(code), _STYLES[code & 7])

    def get(self, path: str, default: Any = None) -> Any:
        code = self._codes.get(path)
        if code is None:
            return default
        return Mark(*_line_col(code), _STYLES[code & 7])

    def spots(self) -> Spots:
        return Spots(self._codes)


class Spots(_Packed):
    """The (line, column) of every value of a read file, by dotted path."""

    __slots__ = ()

    def __getitem__(self, path: str) -> tuple[int, int]:
        return _line_col(self._codes[path])


@dataclass
class Document:
    """A read YAML file: plain data plus the marks of every value, keyed by dotted path."""

    data: Any
    marks: Marks = field(default_factory=Marks)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.marks: dict[str, int] = {}  # packed marks (see _packed)
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def problem(self, node: yaml.Node, message: str, hint: str = "") -> None:
        m = node.start_mark
        self.problems.append(Problem(self.path, m.line + 1, m.column + 1, message, hint))

    def value(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(node, f"the file holds more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"values are nested more than {MAX_DEPTH} levels deep")
        key = id(node)
        if key in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooBig(
                    node, f"the file uses more than {MAX_ALIASES} aliases (*name); the value anchored here is one"
                )
        self.seen.add(key)
        tag = node.tag
        if tag[:1] == "!" and _local(tag):
            self.problem(
                node,
                f"YAML reads '{tag}' at the start of a value as a tag, and drops it",
                f"quote the value; in an expression write 'not {tag[1:]}' for '{tag}'",
            )
        m = node.start_mark
        marks = self.marks
        if type(node) is yaml.ScalarNode:
            if path not in marks:  # packed as _packed does it
                style = _STYLE_CODE.get(node.style or "", 0)
                marks[path] = ((m.line + 1) << (_COL_BITS + 3)) | ((m.column + 1) << 3) | style
            text = node.value
            if node.style == '"' and _CONTROL.search(text):
                self.control(node, text)
            if tag == _STR_TAG and (node.style or text[:1] not in _NUMBER_START):
                return text  # plain text, as scalar() reads it (most values are)
            return self.scalar(node)
        if path not in marks:
            marks[path] = _packed(m.line + 1, m.column + 1, getattr(node, "style", None) or "")
        if isinstance(node, yaml.MappingNode):
            self.tag(node, _MAP_TAG)
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self.tag(node, _SEQ_TAG)
            return [self.value(item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def control(self, node: yaml.ScalarNode, text: str) -> None:
        found = _CONTROL.search(text)
        assert found is not None
        self.problem(
            node,
            f"the text holds the control character U+{ord(found.group()):04X}",
            "remove it: a text may hold newlines and tabs, but no other control characters",
        )

    def tag(self, node: yaml.Node, plain: str) -> None:
        """Refuse any other tag than YAML's plain one (a local tag, ``!name``, is told of above)."""
        if node.tag != plain and not _local(node.tag):
            self.problem(node, f"unknown YAML tag '{node.tag}'", "remove the tag: scenario files use plain YAML")

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.problem(key_node, "merge keys (<<) are not supported", "write the fields out in full")
                continue
            if type(key_node) is yaml.ScalarNode:
                key = key_node.value
                if key_node.tag != _STR_TAG or (not key_node.style and key[:1] in _NUMBER_START):
                    key = self.scalar(key_node)  # not plain text (plain text is read as it is)
            else:
                key = None
            if not isinstance(key, str):
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag in (_INT_TAG, _FLOAT_TAG, _NULL_TAG):
                    key = key_node.value
                else:
                    self.problem(
                        key_node, "a key must be plain text", "quote it if it looks like a number or a boolean"
                    )
                    continue
            if key in first:
                line = first[key].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{key}' (first given on line {line})", "remove one of the two")
                continue
            first[key] = key_node
            child = f"{path}.{key}" if path else key
            km = key_node.start_mark
            self.marks[child + ".__key__"] = ((km.line + 1) << (_COL_BITS + 3)) | ((km.column + 1) << 3)
            out[key] = self.value(value_node, child, depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            if not _local(tag):
                self.problem(node, f"unknown YAML tag '{tag}'", "remove the tag: scenario files use plain YAML")
            return text
        if node.style:  # quoted or block scalar: always text
            return text
        if tag == _STR_TAG and text[:1] in _NUMBER_START and _EXPONENT.fullmatch(text):
            tag = _FLOAT_TAG
        if tag == _BOOL_TAG:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            self.problem(
                node,
                f"'{text}' is an ambiguous boolean in YAML",
                f"write true or false, or quote it ('{text}') if you mean the word",
            )
            return text
        if tag == _NULL_TAG:
            return None
        if tag == _INT_TAG:
            if ":" in text:
                self.problem(node, f"'{text}' would be read as a base-60 number", f"quote it: '{text}'")
                return text
            digits = text.replace("_", "").lstrip("+-")
            if len(digits) > MAX_DIGITS:
                return self.too_large(node, text, 1)
            try:
                number = int(text.replace("_", ""), 0)
            except ValueError:
                return text
            if not -LIMIT <= number <= LIMIT:
                return self.too_large(node, text, 1 if number > 0 else -1)
            return number
        if tag == _FLOAT_TAG:
            if text.lstrip("+-").lower() in (".inf", ".nan"):
                self.problem(node, f"'{text}' is not a finite number", "use an ordinary number")
                return 0.0
            try:
                number = float(text.replace("_", ""))
            except ValueError:
                return text
            if math.isnan(number):
                self.problem(node, f"'{text}' is not a number", "use an ordinary number")
                return 0.0
            if not -LIMIT <= number <= LIMIT:
                return self.too_large(node, text, math.copysign(1.0, number))
            return number + 0.0  # -0.0 is read as 0.0
        return text

    def too_large(self, node: yaml.ScalarNode, text: str, sign: float) -> float:
        """Refuse a number beyond the limit; checking goes on with the limit in its place."""
        shown = text if len(text) <= 24 else f"{text[:12]}...({len(text)} characters)"
        self.problem(
            node,
            f"the number {shown} is too large: numbers in a scenario lie between -{LIMIT_TEXT} and {LIMIT_TEXT}",
            "use a smaller number (or change the unit)",
        )
        return int(sign * LIMIT) if node.tag == _INT_TAG else float(sign * LIMIT)


def _local(tag: str) -> bool:
    """A tag of the file's own (``!name``), as YAML reads ``!curfew`` at the start of a value."""
    return tag.startswith("!") and not tag.startswith("!!")


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.node = node
        self.message = message


def read_yaml(raw: bytes, path: str, max_bytes: int = MAX_BYTES) -> Document:
    """Read one YAML document from bytes; problems are collected, never raised."""
    if len(raw) > max_bytes:
        return Document(
            None,
            Marks(),
            [Problem(path, 1, 1, f"the file is too large; the limit is {max_bytes:,} bytes", "split it or trim it")],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Document(None, Marks(), [Problem(path, line, col, "the file is not UTF-8 text", "save it as UTF-8")])
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return Document(None, Marks(), [_syntax_problem(_worded(exc, text), text, path)])
    except yaml.reader.ReaderError as exc:
        return Document(None, Marks(), [_reader_problem(exc, text, path)])
    except yaml.YAMLError as exc:
        return Document(None, Marks(), [Problem(path, 1, 1, f"YAML error: {exc}", "")])
    except (RecursionError, MemoryError):
        return Document(None, Marks(), [Problem(path, 1, 1, "the file is nested too deeply to read", "")])
    if node is None:
        return Document(None, Marks(), [Problem(path, 1, 1, "the file is empty", "start from 'crisis new'")])
    reader = _Reader(path)
    try:
        data = reader.value(node, "", 0)
    except _TooBig as exc:
        reader.problem(exc.node, exc.message, "simplify the file")
        return Document(None, Marks(reader.marks), reader.problems)
    except RecursionError:
        return Document(None, Marks(), [Problem(path, 1, 1, "the file is nested too deeply to read", "")])
    return Document(data, Marks(reader.marks), reader.problems)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A character YAML does not allow in a file (a NUL, a control character), placed where it is.

    The error's position counts characters in one reader and bytes in libyaml's, so the
    character is looked for in the text instead."""
    found = _NON_PRINTABLE.search(text)
    at = found.start() if found else 0
    code = ord(found.group()) if found else 0
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return Problem(
        path,
        line,
        col,
        f"the file holds the character U+{code:04X}, which YAML does not allow",
        "remove it (a text may hold newlines and tabs, but no control characters)",
    )


def _worded(exc: yaml.MarkedYAMLError, text: str) -> yaml.MarkedYAMLError:
    """The error as PyYAML's own reader words it: libyaml, which reads the file when it is there,
    finds the same mistake at the same place but words some of them differently ("mapping values
    are not allowed in this context"). A broken file is read again the slow way, so a message does
    not depend on how PyYAML was built."""
    if _Base is yaml.SafeLoader:
        return exc
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as worded:
        return worded
    except (yaml.YAMLError, RecursionError, MemoryError):
        pass
    return exc


CULPRIT_WINDOW = 12  # lines above a syntax error where its real cause is looked for


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """A syntax error placed on the line that holds the mistake, with a hint."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # the key that has no colon, not the line where the scanner gave up
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    culprit = find_culprit(lines, line)
    if culprit is not None and culprit.line >= line - CULPRIT_WINDOW:
        return Problem(path, culprit.line, culprit.col, culprit.message, culprit.hint)
    message = problem or context or "cannot read this YAML"
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    return Problem(path, line, col, f"YAML syntax: {message}", _syntax_hint(f"{context} {message}", source_line))


def _syntax_hint(message: str, line: str) -> str:
    if "anchor" in message or "alias" in message:
        if "&&" in line:
            return "YAML reads '&' as an anchor: quote the expression, and write 'and' for '&&'"
        return "YAML reads '&' and '*' at the start of a value as an anchor or alias: quote the value"
    if "tab" in message.lower() or "\t" in line[: len(line) - len(line.lstrip())]:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted"
    if "could not find expected ':'" in message:
        return "a key needs ':' after it (or the line above is indented wrongly)"
    return "check the indentation and quoting near here"
