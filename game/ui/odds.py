"""How a probability is told to the player: exactly, as an intelligence band, or not at all."""

from __future__ import annotations

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
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


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
