"""Checking a policy's options: whole numbers within stated bounds, from code or a command line."""

from __future__ import annotations

from game.core.errors import CrisisError


def whole_number(policy: str, what: str, number: object, low: int, high: int) -> int:
    """``number`` as an int in ``low..high``; text such as ``"3"`` is accepted. CrisisError otherwise."""
    value = None
    if isinstance(number, int | str) and not isinstance(number, bool):
        try:
            value = int(number)
        except ValueError:
            value = None
    if value is None or not low <= value <= high:
        raise CrisisError(f"{policy} {what} must be a whole number from {low:,} to {high:,}, not {number!r}")
    return value
