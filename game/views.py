"""One role's view of a game, as plain data: what that role was shown, and nothing it was not.

A save holds the whole truth (the seed and every step), so it is never shown to a seat. This is
what can be: the role's feed, the values it saw at the end and the key of its information, worked
out by the information model. It carries no seed and no steps, from which the truth could be
rebuilt.
"""

from __future__ import annotations

from typing import Any

from game.core.information import Entry, Seen, Shift
from game.core.state import State

VIEW_FORMAT = "crisis-view"
VIEW_VERSION = 1


def _seen(state: State, seen: Seen | None) -> dict[str, Any] | None:
    if seen is None:
        return None
    shown = state.format_value(seen.variable, seen.value)
    if seen.kind == "estimate":
        shown = f"{state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
        return {"kind": "estimate", "low": seen.low, "high": seen.high, "shown": shown}
    return {"kind": "exact", "value": seen.value, "shown": shown}


def _shift(state: State, change: Shift) -> dict[str, Any]:
    return {"variable": change.variable, "before": _seen(state, change.before), "after": _seen(state, change.after)}


def _entry(state: State, entry: Entry) -> dict[str, Any]:
    return {**entry.fields(), "changes": [_shift(state, c) for c in entry.changes]}


def view_data(state: State, role: str) -> dict[str, Any]:
    """What ``role`` knows at ``state``, ready for JSON."""
    seen = state.observe(role)
    scenario = state.scenario
    return {
        "format": VIEW_FORMAT,
        "version": VIEW_VERSION,
        "scenario": {"id": scenario.meta.id, "digest": scenario.digest},
        "role": role,
        "turn": seen.turn,
        "clock": seen.clock.isoformat(timespec="minutes"),
        "ending": seen.ending,
        "key": seen.key,
        "values": {s.variable: _seen(state, s) for s in seen.seen},
        "feed": [_entry(state, e) for e in seen.feed],
    }
