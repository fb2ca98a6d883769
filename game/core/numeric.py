"""The value domain: every number a game holds or computes is finite and within ``±LIMIT``.

The rules, shared by the one-game engine and the batch engine so that both give the same floats:

* a number written in a scenario (a field, a constant, a literal in an expression) lies within
  ``±LIMIT``; the loader refuses any other, with its line and column;
* an arithmetic result (``+ - * /``) saturates: a result beyond the limit is the limit, with its
  sign (``x / 0`` is still 0). Since every operand is finite and within the limit, no operation
  can make an infinity or a NaN, so none ever reaches a state, a weight, a chance or a score;
* a value entering a state is clamped to its variable's bounds and to the limit, and a zero is
  stored as +0.0, so that two equal states have equal digests whichever engine made them.

``LIMIT`` is 10^15: every whole number up to it is exact in a float64 (they are exact up to 2^53,
about 9 × 10^15), so counts, sums of a few thousand of them and differences stay exact.
"""

from __future__ import annotations

import math

import numpy as np

LIMIT = 1e15
LIMIT_TEXT = "1e15"  # as messages write it: the way an author would type it


def within(value: float) -> bool:
    """Whether a number belongs to the domain (finite and within ``±LIMIT``)."""
    return -LIMIT <= value <= LIMIT


def saturate(x: float) -> float:
    """An arithmetic result brought into the domain (one game)."""
    if x > LIMIT:
        return LIMIT
    if x < -LIMIT:
        return -LIMIT
    return x


def saturate_many(x):
    """An arithmetic result brought into the domain (many games; a float stays a float)."""
    if isinstance(x, float):
        return saturate(x)
    return np.minimum(np.maximum(x, -LIMIT), LIMIT)


def domain(low: float, high: float) -> tuple[float, float]:
    """A variable's bounds as the engines apply them: its own, within the limit."""
    return max(low, -LIMIT), min(high, LIMIT)


def settle(value: float, low: float, high: float) -> float:
    """A number as it enters a state: within ``low..high`` and the limit, and never -0.0.

    ``min(max(...))`` keeps the engines' order of comparisons (see ``settle_many``). Bounds
    from a file lie within the limit, so only a variable without one can pass it. Adding +0.0
    turns -0.0 into +0.0 and leaves every other float as it is.
    """
    value = min(max(value, low), high)
    if not -LIMIT <= value <= LIMIT:
        value = LIMIT if value > 0 else -LIMIT
    return value + 0.0


def settle_many(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``settle`` over many games, with the same floats (a float, the same for every game,
    stays a float)."""
    low, high = domain(low, high)
    if isinstance(values, float):
        out = low if low > values else values
        out = high if high < out else out
        return out + 0.0
    out = np.where(low > values, low, values)
    out = np.where(high < out, high, out)
    out += 0.0
    return out


def canonical(value: float) -> float:
    """A float as states hold it: -0.0 is +0.0."""
    return value + 0.0


def number_text(value: float) -> str:
    """A number for a message: whole numbers in full, others as Python writes them."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)
