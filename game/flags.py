"""Argument types for the commands' flags, each checked against its cap in :mod:`game.core.limits`.

A value past its cap, or of the wrong kind, is refused while the command line is read, with one
line naming the flag and what it takes (see ``game.cli``); nothing runs with it.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable

from game.core.limits import MAX_PATH, MAX_SCALE, MAX_SEED, MIN_SCALE


def whole(low: int, high: int, what: str = "a whole number", high_text: str = "") -> Callable[[str], int]:
    """A type for a whole number from ``low`` to ``high`` (written ``high_text`` in messages, if given)."""

    def parse(text: str) -> int:
        try:
            # digits as typed on any keyboard's number row: Python would read '١٠' as 10 too
            value = int(text) if len(text) <= 50 and text.isascii() else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"takes {what} from {low:,} to {high_text or f'{high:,}'}, not {_shown(text)}"
            )
        return value

    return parse


seed = whole(0, MAX_SEED, "a seed, a whole number", "2^128 - 1")


def integer(text: str) -> int:
    """A whole number written in ASCII digits, of any size a command then checks itself."""
    try:
        if len(text) <= 50 and text.isascii():
            return int(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"takes a whole number, not {_shown(text)}")


def scale(text: str) -> float:
    """The window's UI scale."""
    try:
        value = float(text) if text.isascii() else None
    except ValueError:
        value = None
    if value is None or not MIN_SCALE <= value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"takes a number from {MIN_SCALE:g} to {MAX_SCALE:g}, not {_shown(text)}")
    return value


def path(text: str) -> str:
    """A file or folder path: not empty, not absurdly long."""
    if not text.strip():
        raise argparse.ArgumentTypeError("takes a path, not an empty text")
    if len(text) > MAX_PATH or "\x00" in text:
        raise argparse.ArgumentTypeError(f"takes a path of at most {MAX_PATH:,} characters (without NUL)")
    return text


MAX_URL = 2_000


def url(text: str) -> str:
    """A server's address: a ws:// or wss:// address of reasonable length."""
    if len(text) > MAX_URL or not text.startswith(("ws://", "wss://")) or any(c in text for c in "\x00 \n"):
        raise argparse.ArgumentTypeError(
            f"takes a ws:// or wss:// address of at most {MAX_URL:,} characters, not {_shown(text)}"
        )
    wrong = address_problem(text)
    if wrong:
        raise argparse.ArgumentTypeError(f"{_shown(text)} {wrong} (it looks like ws://HOST:PORT)")
    return text


def address_problem(address: str) -> str:
    """What is wrong with the host and port of a network address ("scheme://host:port"), in words
    that follow the address in a message; "" when nothing is."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if not parts.hostname or port == 0:
        return "names no host and port"
    return ""


def from_env(name: str, default: float, low: float, high: float, kind: type = int) -> float:
    """A tuning number from the environment variable ``name`` (``kind``: int or float), kept
    within ``low..high``; the default when it is unset or not a finite number. These are knobs for
    tests and demonstrations, so a bad one never stops the game: it is passed over."""
    text = os.environ.get(name, "")
    try:
        value = kind(text) if text and len(text) <= 50 else None
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        return default
    return min(max(value, low), high)


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")
