"""The core's error types, each with a message a player or scenario author can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CrisisError(Exception):
    """Base of every error the game reports to a person instead of a traceback."""


class ExprError(CrisisError):
    """An expression that cannot be compiled; ``column`` counts from 0 within its text.

    ``hint`` says what to write instead, when there is something to say; ``name`` is the unknown
    name, for an expression that names something that does not exist.
    """

    def __init__(self, message: str, column: int = 0, hint: str = "", name: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint
        self.name = name


class IllegalAction(CrisisError):
    """A move that the rules do not allow in the current state."""


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint like " (did you mean 'morale'?)" for a misspelt name, or "" when nothing is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
