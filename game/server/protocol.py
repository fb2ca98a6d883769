"""The online protocol, version 1: JSON text messages, each checked against its schema.

Every message is one JSON object in one WebSocket text frame with a ``type`` field. What a
client may send is listed in :data:`CLIENT`: each type names its fields, their kinds and bounds,
and whether they are required. Anything else is refused with an :class:`Refusal` whose code and
message tell the client what was wrong; the connection stays open. docs/online.md is the
reference for people writing a client.

This module is pure (no sockets): the server and the client both use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

VERSION = 1
MAX_MESSAGE = 8_192  # bytes of one client message; the server answers a longer one with an error
MAX_FRAME = 65_536  # bytes of one frame; past this the WebSocket layer closes the connection (1009)
MAX_SERVER_MESSAGE = 4_000_000  # what a client accepts from the server (a long game's save)

ODDS = ("exact", "bands", "hidden")
SEAT_KINDS = ("person", "ai")
CLOCK_RANGE = (1, 86_400)  # seconds a person may take over one move, when the game has a clock
SEED_MAX = 2**63 - 1
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_CODE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# a move's id: a file's own ids, or one the loader makes for bargaining ('offer:CHANNEL:TERM+TERM')
_ACTION = re.compile(r"^[a-z][a-z0-9_:+]{0,1023}$")


class Refusal(Exception):
    """A message the server will not act on: ``code`` for programs, ``message`` for people."""

    def __init__(self, code: str, message: str, ref: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "error", "code": self.code, "message": self.message}
        if self.ref is not None:
            out["ref"] = self.ref
        return out


@dataclass(frozen=True)
class Field:
    """One field of a message: its check (returns an error text or "") and whether it must be there."""

    check: Callable[[Any], str]
    required: bool = True
    describe: str = ""


def _integer(low: int, high: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, int) or isinstance(value, bool):
            return "must be a whole number"
        if not low <= value <= high:
            return f"must be between {low} and {high}"
        return ""

    return check


def _optional(check: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "" if value is None else check(value)


def _pattern(pattern: re.Pattern, what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            return "must be text"
        if not pattern.match(value):
            return f"must be {what}"
        return ""

    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            return f"must be one of: {', '.join(options)}"
        return ""

    return check


def _seats(value: Any) -> str:
    if not isinstance(value, dict) or not 1 <= len(value) <= 16:
        return "must be an object giving 1 to 16 roles each 'person' or 'ai'"
    for role, kind in value.items():
        if not _NAME.match(role):
            return f"has a role name '{role[:40]}' that is not a scenario id"
        if kind not in SEAT_KINDS:
            return f"gives '{role}' the kind {str(kind)[:20]!r}; a seat is 'person' or 'ai'"
    return ""


def _version(value: Any) -> str:
    if type(value) is not int or value != VERSION:  # not true, not 1.0
        return f"must be {VERSION}: this server speaks version {VERSION} of the protocol"
    return ""


_CODE_FIELD = Field(_pattern(_CODE, "a join code (letters, digits and dashes)"), describe="join code")
CLIENT: dict[str, dict[str, Field]] = {
    "hello": {"version": Field(_version), "code": _CODE_FIELD},
    "create": {
        "version": Field(_version),
        "scenario": Field(_pattern(_NAME, "a scenario id")),
        "seats": Field(_seats, required=False),
        "ai": Field(_pattern(_NAME, "an AI strength or policy name"), required=False),
        "seed": Field(_optional(_integer(0, SEED_MAX)), required=False),
        "odds": Field(_choice(ODDS), required=False),
        "clock": Field(_optional(_integer(*CLOCK_RANGE)), required=False),
    },
    "scenarios": {"version": Field(_version)},
    "move": {
        "id": Field(_pattern(_TOKEN, "1 to 40 letters, digits, '-' or '_'")),
        "step": Field(_integer(0, 10_000_000)),
        "action": Field(_pattern(_ACTION, "an action id")),
    },
    "sync": {},
    "reveal": {},
    "download": {},
    "ping": {"echo": Field(_optional(_integer(0, SEED_MAX)), required=False)},
}


def parse(raw: str | bytes) -> dict[str, Any]:
    """A client message, checked against its schema; raises :class:`Refusal` otherwise."""
    if isinstance(raw, bytes):
        raise Refusal("binary", "messages are JSON text frames, not binary frames")
    if len(raw) > MAX_MESSAGE or len(raw.encode("utf-8", "surrogatepass")) > MAX_MESSAGE:
        raise Refusal("too_big", f"a message may be at most {MAX_MESSAGE} bytes")
    try:
        data = json.loads(raw, object_pairs_hook=_unique)
    except _Twice as exc:
        raise Refusal("bad_json", f"the message gives the key {ascii(exc.args[0][:40])} twice") from None
    except (json.JSONDecodeError, RecursionError, UnicodeError):
        raise Refusal("bad_json", "the message is not readable JSON") from None
    except ValueError:  # a number of more digits than Python converts (4,300), for one
        raise Refusal("bad_json", "the message holds a number too long to read") from None
    if "\\u" in raw and _lone_surrogate(data):
        # "\ud800" is JSON but no text: echoed back in an error, it could not be sent, and the
        # connection failed inside the WebSocket layer
        raise Refusal("bad_json", "the message holds a \\u escape that is half of a character")
    if not isinstance(data, dict):
        raise Refusal("bad_json", "a message is a JSON object with a 'type' field")
    kind = data.get("type")
    ref = data.get("id") if isinstance(data.get("id"), str) and _TOKEN.match(data["id"]) else None
    if not isinstance(kind, str):
        raise Refusal("missing_field", "a message needs a 'type' field (text)", ref)
    schema = CLIENT.get(kind)
    if schema is None:
        raise Refusal("unknown_type", f"there is no message type '{kind[:40]}' (known: {', '.join(CLIENT)})", ref)
    for name in data:
        if name != "type" and name not in schema:
            known = ", ".join(schema) or "none"
            raise Refusal("unknown_field", f"'{kind}' has no field '{str(name)[:40]}' (its fields: {known})", ref)
    for name, field in schema.items():
        if name not in data:
            if field.required:
                raise Refusal("missing_field", f"'{kind}' needs the field '{name}'", ref)
            continue
        problem = field.check(data[name])
        if problem:
            raise Refusal("bad_field", f"'{kind}': '{name}' {problem}", ref)
    return data


class _Twice(ValueError):
    """A key given twice in one object: which one counts would be up to the reader."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Twice(key)
            seen.add(key)
    return out


def _lone_surrogate(data: Any) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def encode(message: Mapping[str, Any]) -> str:
    """A server message as compact JSON text."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode(raw: str | bytes) -> dict[str, Any]:
    """A server message, for a client: a JSON object with a ``type``; raises ValueError otherwise."""
    if isinstance(raw, bytes):
        raise ValueError("the server sent a binary frame")
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError("the server sent something that is not a message")
    return data
