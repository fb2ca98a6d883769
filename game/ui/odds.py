"""How a probability is told to the player: exactly, as an intelligence band, or not at all."""

from __future__ import annotations

import math
from collections.abc import Sequence

NEAR = 1e-6  # percentage points: a chance this close to 0 or 100 is rounding, and reads 0% or 100%
MODES = ("exact", "bands", "hidden")
MODE_NAMES = {"exact": "Exact odds", "bands": "Intelligence bands", "hidden": "Hidden"}

# Upper edges of the words an intelligence analyst would use, from least to most likely.
BANDS = (
    (0.10, "remote"),
    (0.35, "unlikely"),
    (0.65, "even"),
    (0.90, "likely"),
    (1.01, "almost certain"),
)


def band(probability: float) -> str:
    """The analyst's word for ``probability``."""
    for edge, word in BANDS:
        if probability < edge:
            return word
    return BANDS[-1][1]


def percent(probability: float) -> str:
    """A share as a whole percentage, but never "0%" or "100%" for what is merely near them."""
    value = probability * 100
    if NEAR < value < 1:
        return "<1%"
    if 99 < value < 100 - NEAR:
        return ">99%"
    return f"{value:.0f}%"


def percents(chances: Sequence[float]) -> list[str]:
    """A move's outcome chances as whole percentages that add up to 100 where the chances add up
    to one: each is rounded down and the points left over go to the largest remainders (the
    earlier outcome on a tie), so three outcomes of a third read 34%, 33% and 33%, not 33% each.
    Near 0 and 100 they are worded as :func:`percent` words them."""
    scaled = [max(0.0, min(1.0, p)) * 100 for p in chances]
    if not scaled or abs(sum(scaled) - 100) > 1e-6:
        return [percent(p) for p in chances]
    whole = [math.floor(x + 1e-9) for x in scaled]
    by_remainder = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - whole[i]), i))
    for i in by_remainder[: max(0, 100 - sum(whole))]:
        whole[i] += 1
    return [_worded(x, n) for x, n in zip(scaled, whole, strict=True)]


def spread(odds) -> str:
    """ " (30%-50%)" after an outcome's chance where what its side cannot see decides it, else ""."""
    if odds.exact or round(odds.low * 100) == round(odds.high * 100):
        return ""
    return f" ({percent(odds.low)}-{percent(odds.high)})"


def _worded(value: float, whole: int) -> str:
    if value > NEAR and whole == 0:
        return "<1%"
    if value < 100 - NEAR and whole == 100:
        return ">99%"
    return f"{whole}%"


def describe(probability: float, mode: str) -> str:
    """The odds of one outcome in the chosen mode ("" when odds are hidden)."""
    if mode == "exact":
        return percent(probability)
    if mode == "bands":
        return band(probability)
    return ""


def told(probability: float, low: float, high: float, mode: str) -> str:
    """A chance in the chosen mode, as a range where the side cannot tell it exactly ("odds hidden"
    when odds are hidden)."""
    if mode == "hidden":
        return "odds hidden"
    ends = describe(low, mode), describe(high, mode)
    return describe(probability, mode) if ends[0] == ends[1] else f"{ends[0]}–{ends[1]}"
