"""What a side sees of a state, in the words and numbers the window shows (no drawing here)."""

from __future__ import annotations

from game.core import information
from game.core.information import SPECTATOR, Entry
from game.core.state import State
from game.scenario.lint_ranges import Interval
from game.ui.widgets.meter import Reading


def outcome_title(move, outcome_id: str) -> str:
    """An outcome's title, or its id made readable."""
    try:
        outcome = move.outcome(outcome_id)
    except KeyError:
        return outcome_id
    if outcome.title:
        return outcome.title
    words = outcome_id.replace("_", " ")
    return words[:1].upper() + words[1:]


def reading_of(state: State, viewer: str | None) -> dict[str, Reading]:
    """Every variable ``viewer`` may see (all of them for a spectator), as meter readings."""
    scenario = state.scenario
    if viewer is None:  # the truth, but not the loader's own bookkeeping
        pairs = zip(scenario.variable_ids, state.values)
        return {
            vid: Reading(v, v, v, state.format_value(vid)) for vid, v in pairs if not scenario.variables[vid].internal
        }
    readings = {}
    for seen in state.observe(viewer).seen:
        if seen.kind == "exact":
            readings[seen.variable] = Reading(seen.value, seen.low, seen.high, state.format_value(seen.variable))
        else:
            low = state.format_value(seen.variable, seen.low)
            high = state.format_value(seen.variable, seen.high)
            readings[seen.variable] = Reading(seen.value, seen.low, seen.high, f"≈ {low}–{high}", estimate=True)
    return readings


def with_values(state: State, values: tuple[float, ...]) -> State:
    """``state`` with other values (to read the world as it was before a change)."""
    return State(state.scenario, tuple(values), state.turn, state.step, state.ending)


def known_ranges(state: State, readings: dict[str, Reading]) -> dict[str, Interval]:
    """Where a side knows each value to lie (its readings), with the clock, which everyone sees."""
    env = state.env
    slots = state.scenario.slots
    ranges = {name: Interval(env[slots[name]], env[slots[name]]) for name in ("turn", "hour", "elapsed")}
    for vid, reading in readings.items():
        ranges[vid] = Interval(reading.low, reading.high)
    return ranges


def reader_of(viewer: str | None) -> str:
    """Whose feed the screen reads: the side watching, or the spectator, who sees everything."""
    return viewer if viewer is not None else SPECTATOR


def news_of(state: State, viewer: str | None) -> Entry | None:
    """The item that the step which led to ``state`` added to the viewer's own feed (None: the
    step showed the viewer nothing at all)."""
    if state.prev is None or state.last is None:
        return None
    move, outcome = state.last
    return information.entry(state.prev, move, outcome, state, reader_of(viewer))


def feed_of(state: State, viewer: str | None) -> tuple[Entry, ...]:
    """The viewer's own news feed up to ``state`` (the spectator's is everything that happened)."""
    return state.observe(reader_of(viewer)).feed
