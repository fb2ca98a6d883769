"""What each role may know: one information model that every face of the game reads.

The truth is the state. A role's information state is what it has been shown: its own feed of
reports (a move it may not see appears as its cover, or not at all), the values it sees exactly,
the bands of what it may only estimate, and what it knows of its own open moves. ``observe(state,
role)`` gives it as an :class:`Observation` with a stable ``key``: two true states that a role
cannot tell apart give it the same key, because the key is a hash of nothing but what the role
was shown, step by step (its *trail* of :class:`Glimpse` records).

Who sees what:

* the role that moves sees its own move and what came of it;
* any other role sees a move and its outcome when the move's (or the outcome's own) ``sight``
  lets it; an outcome's sight, where given, decides instead of its move's;
* a role that may not see the outcome but may see the move reads the move's title and the
  outcome's cover (or no word of how it went); a role that sees neither reads the cover alone,
  or nothing;
* values are shown at the reader's level of knowledge for each variable: exact, a band of a
  given width, or hidden. Levels start as the scenario declares them and change only through
  effects (reveal, estimate, conceal), which the loader turns into internal variables, so what a
  role knows is part of the state, its hash and its save.

Texts are rendered for each reader: an inserted value shows as the reader may see it, and a
conditional block whose condition reads something the reader may not know is left out.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from game.core.model import DELAYED_PREFIX, QUIET, WORLD, Draw, Marker, Outcome, Scenario, Sight, Variable

if TYPE_CHECKING:
    from game.core.state import Move, State

EXACT = 0.0
HIDDEN = -1.0
SPECTATOR = "spectator"  # the reader who sees everything (labelled as such wherever it is shown)
PUBLIC = "(public)"  # a reader who is no role: shown only what the scenario shows everyone
UNKNOWN_TEXT = "(unknown)"


@dataclass(frozen=True)
class Seen:
    """One variable as a role sees it: the true value, or a band that contains it."""

    variable: str
    kind: str  # "exact" or "estimate"
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Shift:
    """A value that moved on the reader's meters in one step (None: not shown before, or after)."""

    variable: str
    before: Seen | None
    after: Seen | None


@dataclass(frozen=True)
class Entry:
    """One item of a role's own news feed."""

    turn: int
    clock: datetime
    role: str  # who moved: the turn order is public
    action: str  # the move's id, "" when the reader did not see the move
    title: str  # the move's title, or the cover's
    outcome: str  # the outcome's id, the cover's id, or "" when neither was shown
    outcome_title: str
    text: str  # rendered for the reader
    changes: tuple[Shift, ...]
    ending: str = ""
    marker: Marker | None = None
    history: object | None = None  # the move's history note, when the reader saw the move
    seen: str = "full"  # "full", "move" (the move but not its outcome), "cover" or "none"

    def fields(self) -> dict:
        """The item's plain fields, as the faces that send or save feeds name them."""
        return {
            "turn": self.turn,
            "clock": self.clock.isoformat(timespec="minutes"),
            "by": self.role,
            "seen": self.seen,
            "action": self.action,
            "title": self.title,
            "outcome": self.outcome,
            "outcome_title": self.outcome_title,
            "text": self.text,
        }


@dataclass(frozen=True)
class Glimpse:
    """What one step showed a role: the raw record its key and its beliefs are made from."""

    turn: int
    step: int
    actor: str
    action: str
    outcome: str
    after: tuple  # (turn, step) after the step
    seen: tuple  # the reader's values after the step, as (index, kind, low, high) rows
    legal: tuple[str, ...]  # the reader's open moves after the step, when the reader is to move
    ending: str


@dataclass(frozen=True)
class Observation:
    """Everything ``role`` may know now. ``omniscient`` marks a spectator's view of the truth."""

    role: str
    turn: int
    clock: datetime
    seen: tuple[Seen, ...]
    ending: str
    feed: tuple[Entry, ...] = ()
    key: str = ""
    trail: tuple[Glimpse, ...] = ()
    to_move: str | None = None
    legal: tuple[str, ...] = ()
    omniscient: bool = False

    def get(self, variable: str) -> Seen | None:
        for seen in self.seen:
            if seen.variable == variable:
                return seen
        return None


# levels of knowledge -------------------------------------------------------------------------


def base_level(var: Variable, role: str) -> float:
    """How ``role`` sees ``var`` as the scenario declares it: EXACT, a band width, or HIDDEN."""
    if var.internal:
        return HIDDEN
    if role in var.estimated_by:
        return var.estimate_step
    if var.visible_to is None or role in var.visible_to:
        return EXACT
    return HIDDEN


def level(state: State, role: str, variable: str) -> float:
    """How ``role`` sees ``variable`` now (knowledge effects included). The public, a reader who is
    no role, sees it as the role that sees it least well: hidden from any role, hidden."""
    scenario = state.scenario
    if role == PUBLIC:
        levels = [level(state, r, variable) for r in scenario.roles]
        return HIDDEN if not levels or HIDDEN in levels else max(levels)
    slot = scenario.knowledge.get((role, variable))
    if slot is not None:
        return state.values[slot]
    return base_level(scenario.variables[variable], role)


def band(var: Variable, value: float, width: float) -> tuple[float, float]:
    """The band of ``width`` that holds ``value``, within the variable's bounds.

    Bands are the cells ``[k * width, (k + 1) * width)``; a value at the top bound belongs to the
    cell below it, so that no band shrinks to the exact value there. Near the largest values a
    file may hold, a band is never narrower than a few steps of the floating-point grid there,
    and rounding never leaves the value outside its band."""
    width = max(width, 4 * math.ulp(max(abs(var.min), abs(var.max), abs(value))))
    low = math.floor(value / width) * width
    if low > value:
        low -= width
    elif low + width <= value:
        low += width
    if low >= var.max > var.min:
        low -= width
    high = min(low + width, var.max)
    return max(low, var.min), high


def _sight(scenario: Scenario, role: str) -> tuple:
    """How ``role`` sees each shown variable: (index, variable, fixed level or None, slot of the
    level where effects can change it). Worked out once per scenario and role."""
    found = scenario.sights.get(role)
    if found is None:
        entries = []
        for index, var in enumerate(scenario.variables.values()):
            if var.internal:
                continue
            if role == PUBLIC:  # worked out from the roles' levels at each state (see seen)
                entries.append((index, var, None, None))
                continue
            slot = None if role == SPECTATOR else scenario.knowledge.get((role, var.id))
            fixed = None if slot is not None else EXACT if role == SPECTATOR else base_level(var, role)
            if fixed != HIDDEN:
                entries.append((index, var, fixed, slot))
        found = scenario.sights[role] = tuple(entries)
    return found


def _width(state: State, role: str, var: Variable, fixed: float | None, slot: int | None) -> float:
    if slot is not None:
        return state.values[slot]
    return level(state, role, var.id) if fixed is None else fixed


def seen(state: State, role: str) -> tuple[Seen, ...]:
    """Every value ``role`` may see now, exact or as a band; hidden ones are left out."""
    values = state.values
    out = []
    for index, var, fixed, slot in _sight(state.scenario, role):
        width = _width(state, role, var, fixed, slot)
        value = values[index]
        if width == EXACT:
            out.append(Seen(var.id, "exact", value, value, value))
        elif width > 0:
            low, high = band(var, value, width)
            out.append(Seen(var.id, "estimate", (low + high) / 2, low, high))
    return tuple(out)


def _rows_now(state: State, role: str) -> tuple:
    """What ``role`` sees of the values, as the rows a glimpse keeps: (index, 0, value) for an
    exact value, (index, 1, low, high) for a band."""
    values = state.values
    out = []
    append = out.append  # the hottest loop of a belief's filter: _width is written out here
    for index, var, fixed, slot in _sight(state.scenario, role):
        if fixed is not None:
            width = fixed
        else:
            width = values[slot] if slot is not None else level(state, role, var.id)
        if width == EXACT:
            append((index, 0, values[index]))
        elif width > 0:
            append((index, 1, *band(var, values[index], width)))
    return tuple(out)


def apparent(state: State, role: str) -> tuple[float, ...]:
    """The expression environment as ``role`` can make it out: exact values where it sees them,
    the middle of its band where it estimates, the publicly known start where it sees nothing.

    Whatever is worked out from it (an advisor's remark, a rough odds figure, a simple policy's
    hint) depends only on what the role knows.
    """
    if role == SPECTATOR:
        return state.env
    scenario = state.scenario
    values = list(state.values)
    for i, var in enumerate(scenario.variables.values()):
        width = level(state, role, var.id)
        if width == EXACT and not var.internal:
            continue
        if width > 0 and not var.internal:
            low, high = band(var, values[i], width)
            values[i] = (low + high) / 2
        else:
            values[i] = public_start(var)
    return (*values, *state.env[len(values) :])


def public_start(var: Variable) -> float:
    """What everyone knows of a variable's start: its fixed value, or the mean of its draw."""
    if not var.draw:
        return var.initial
    if var.type != "number":
        return max(var.draw, key=lambda pair: pair[1])[0]  # the likeliest start, first on ties
    total = math.fsum(w for _, w in var.draw)
    return math.fsum(v * w for v, w in var.draw) / total if total > 0 else var.initial


# who sees a step -------------------------------------------------------------------------------


def sight_of(move: Move, outcome: Outcome) -> Sight:
    return outcome.sight if outcome.sight is not None else move.sight


def sees_move(move: Move, actor: str, role: str) -> bool:
    return role == actor or role == SPECTATOR or move.sight.sees(role)


def sees_outcome(move: Move, outcome: Outcome, actor: str, role: str) -> bool:
    return role == actor or role == SPECTATOR or sight_of(move, outcome).sees(role)


def _shown(move: Move, outcome: Outcome, actor: str, role: str) -> tuple[str, str, str, object]:
    """(what was seen, action id shown, outcome or cover id shown, cover) for one step."""
    if isinstance(move, Draw) or outcome.id == QUIET:
        return "none", "", "", None
    if sees_outcome(move, outcome, actor, role):
        return "full", _shown_id(move, role), outcome.id, None
    cover = sight_of(move, outcome).cover
    if sees_move(move, actor, role):
        return "move", _shown_id(move, role), cover.id if cover else "", cover
    cover = cover or move.sight.cover
    if cover is not None:
        return "cover", "", cover.id, cover
    return "none", "", "", None


def _shown_id(move: Move, role: str) -> str:
    """The id of a seen move as its reader is told it. A delayed effect taking hold (or wearing
    off) is an event the loader made for the one outcome that set it off, so its id would name
    that outcome: the reader is told what it did, never the id (the spectator keeps it)."""
    if role != SPECTATOR and move.id.startswith(DELAYED_PREFIX):
        return ""
    return move.id


def _legal(state: State, role: str) -> tuple[str, ...]:
    if state.current_role() != role:
        return ()
    return tuple(m.id for m in state.legal_actions())


def glimpse(before: State, move: Move, outcome: Outcome, after: State, role: str, rows: tuple | None = None) -> Glimpse:
    """What the step from ``before`` to ``after`` showed ``role`` (``rows``, when given, is
    ``_rows_now(after, role)``)."""
    actor = before.current_role() or WORLD
    _, action, shown, _ = _shown(move, outcome, actor, role)
    return Glimpse(
        before.turn,
        before.step,
        actor,
        action,
        shown,
        (after.turn, after.step),
        _rows_now(after, role) if rows is None else rows,
        _legal(after, role),
        after.ending,
    )


def _same_values(before: State, outcome: Outcome, after: State) -> bool:
    """Whether ``after`` holds ``before``'s very values: an outcome with no effects, which leaves
    every value as it was (so what any role sees of them is what it saw before)."""
    return not (outcome.set or outcome.add or outcome.move) and after.values == before.values


def _start(state: State, role: str) -> Glimpse:
    return Glimpse(
        0,
        0,
        "",
        "",
        "",
        (state.turn, state.step),
        _rows_now(state, role),
        _legal(state, role),
        state.ending,
    )


def shows(before: State, move: Move, outcome: Outcome, after: State, role: str, record: Glimpse) -> bool:
    """Whether the step would have shown ``role`` exactly ``record`` (``glimpse(...) == record``,
    checking the cheap parts first)."""
    if (after.turn, after.step) != record.after or after.ending != record.ending:
        return False
    actor = before.current_role() or WORLD
    _, action, shown, _ = _shown(move, outcome, actor, role)
    if (actor, action, shown) != (record.actor, record.action, record.outcome):
        return False
    return _rows_now(after, role) == record.seen and _legal(after, role) == record.legal


def _hash(previous: str, record: Glimpse) -> str:
    return hashlib.blake2b(f"{previous}|{_text(record)}".encode(), digest_size=16).hexdigest()


_last_rows: tuple = ((), "()")  # the rows last written out, and their text (replaced as a whole)


def _text(record: Glimpse) -> str:
    """``repr(record)``, written out directly; the text of its rows is reused when they are the
    very rows written out last (a step that changed no value keeps its predecessor's)."""
    global _last_rows
    rows = record.seen
    last = _last_rows
    if last[0] is rows:
        seen = last[1]
    else:
        seen = repr(rows)
        _last_rows = (rows, seen)
    return (
        f"Glimpse(turn={record.turn!r}, step={record.step!r}, actor={record.actor!r}, action={record.action!r}, "
        f"outcome={record.outcome!r}, after={record.after!r}, seen={seen}, legal={record.legal!r}, "
        f"ending={record.ending!r})"
    )


# rendering for a reader ------------------------------------------------------------------------


def render(state: State, text: str, role: str) -> str:
    """``text`` filled in as ``role`` may read it (the truth for the spectator)."""
    scenario = state.scenario
    template = scenario.templates.get(text)
    if template is None:
        from game.core.text import plain

        template = plain(text)
    env = state.env
    slots = scenario.slots
    variables = scenario.variables

    def shown(name: str) -> str:
        if name in variables:
            var = variables[name]
            value = state.values[slots[name]]
            width = EXACT if role == SPECTATOR else level(state, role, name)
            if width == EXACT:
                return state.format_value(name, value)
            if width > 0:
                low, high = band(var, value, width)
                return f"about {state.format_value(name, low)} to {state.format_value(name, high)}"
            return UNKNOWN_TEXT
        if name in slots:
            return _number(env[slots[name]])
        return "{" + name + "}"

    def knows(expr) -> bool:
        if role == SPECTATOR:
            return True
        return all(name not in variables or level(state, role, name) == EXACT for name in expr.names)

    return template.render(env, shown, knows)


def _number(value: float) -> str:
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def placed(state: State, marker: Marker | None) -> Marker | None:
    """A marker whose place is a place variable, pinned to where that variable is now."""
    if marker is None or marker.place not in state.scenario.variables:
        return marker
    place = state.scenario.place_ids[int(state.value(marker.place))]
    return Marker(place, marker.kind, marker.label)


def entry(
    before: State, move: Move, outcome: Outcome, after: State, role: str, rows: tuple | None = None
) -> Entry | None:
    """The item that the step adds to ``role``'s feed, or None when it shows nothing at all.

    ``rows``, when given, is what ``role`` saw of the values before and after the step, as the
    glimpses keep it (``(_rows_now(before, role), _rows_now(after, role))``)."""
    if isinstance(move, Draw):
        return None  # a starting value is where the game begins, not news
    actor = before.current_role() or WORLD
    kind, action, shown, cover = _shown(move, outcome, actor, role)
    if rows is None:
        rows = (_rows_now(before, role), _rows_now(after, role))
    changes = _row_shifts(before.scenario, *rows)
    if kind == "none" and not changes and after.ending == before.ending:
        return None
    title = outcome_title = text = ""
    marker = history = None
    if kind == "full":
        title, outcome_title = move.title, outcome.title or _readable(outcome.id)
        text, marker, history = render(after, outcome.text, role), placed(after, outcome.marker), move.history
    elif kind == "move":
        title, history = move.title, move.history
        if cover is not None:
            outcome_title, text, marker = cover.title, render(after, cover.text, role), placed(after, cover.marker)
    elif kind == "cover":
        title, outcome_title = cover.title, cover.title
        text, marker = render(after, cover.text, role), placed(after, cover.marker)
    return Entry(
        before.turn,
        before.clock(),
        actor,
        action,
        title,
        shown,
        outcome_title,
        text,
        changes,
        after.ending,
        marker,
        history,
        kind,
    )


def _readable(outcome_id: str) -> str:
    words = outcome_id.replace("_", " ")
    return words[:1].upper() + words[1:]


def _row_shifts(scenario: Scenario, before: tuple, after: tuple) -> tuple[Shift, ...]:
    """The values that moved between two rows of what a role sees (see :func:`_rows_now`): one
    that shows differently (kind, value or band), or that came into or went out of sight."""
    if before == after:
        return ()
    old = {row[0]: row for row in before}
    new = {row[0]: row for row in after}
    ids, variables = scenario.variable_ids, scenario.variables
    out = []
    for index in dict.fromkeys((*old, *new)):
        a, b = old.get(index), new.get(index)
        if a != b:
            var = variables[ids[index]]
            out.append(Shift(var.id, _seen_row(var, a), _seen_row(var, b)))
    return tuple(out)


def _seen_row(var: Variable, row: tuple | None) -> Seen | None:
    if row is None:
        return None
    if row[1] == 0:
        return Seen(var.id, "exact", row[2], row[2], row[2])
    low, high = row[2], row[3]
    return Seen(var.id, "estimate", (low + high) / 2, low, high)


# the observation --------------------------------------------------------------------------------


def _chain(state: State) -> list[State]:
    """The states of the game from its start to ``state``."""
    chain = [state]
    while chain[-1].prev is not None:
        chain.append(chain[-1].prev)
    chain.reverse()
    return chain


_UNSET = object()
# the slots of a step's memo: what the step showed, the key after it, its feed item, then (worked
# out when first asked) the whole trail and feed up to it and the reader's values as ``Seen``
_RECORD, _KEY, _ITEM, _TRAIL, _FEED, _SEEN = range(6)


def _memo(state: State, role: str) -> list:
    """The memo of the step that led to ``state``, as ``role`` saw it (slots above). Kept on the
    state: a state never changes."""
    found = state.memo.get(role)
    if found is not None:
        return found
    chain = [state]
    while chain[-1].prev is not None and role not in chain[-1].prev.memo:
        chain.append(chain[-1].prev)
    chain.reverse()
    first = chain[0]
    if first.prev is None:
        record = _start(first, role)
        first.memo[role] = [record, _hash(f"{first.scenario.digest}|{role}", record), None, None, None, None]
        chain = chain[1:]
    for after in chain:
        before = after.prev
        move, outcome = after.last
        earlier = before.memo[role]
        rows = earlier[_RECORD].seen if _same_values(before, outcome, after) else None
        record = glimpse(before, move, outcome, after, role, rows)
        after.memo[role] = [record, _hash(earlier[_KEY], record), _UNSET, None, None, None]
    return state.memo[role]


def key(state: State, role: str) -> str:
    """The stable key of what ``role`` has been shown up to ``state``."""
    return _memo(state, role)[_KEY]


def trail(state: State, role: str) -> tuple[tuple[Glimpse, ...], str, tuple[Entry, ...]]:
    """(trail, key, feed) of ``role`` at ``state``: each step's part is worked out once, and the
    whole is kept on the newest step asked for, so a game that goes on extends it by one step
    (a step asked for again after a later one rebuilds its own from the parts)."""
    memo = _memo(state, role)
    if memo[_TRAIL] is None:
        pending = [state]  # the steps whose whole trail is not kept yet, latest first
        while pending[-1].prev is not None and pending[-1].prev.memo[role][_TRAIL] is None:
            pending.append(pending[-1].prev)
        for step in reversed(pending):
            mine = step.memo[role]
            if step.prev is None:
                mine[_TRAIL], mine[_FEED] = (mine[_RECORD],), ()
                continue
            if mine[_ITEM] is _UNSET:
                move, outcome = step.last
                rows = (step.prev.memo[role][_RECORD].seen, mine[_RECORD].seen)
                mine[_ITEM] = entry(step.prev, move, outcome, step, role, rows)
            earlier = step.prev.memo[role]
            mine[_TRAIL] = (*earlier[_TRAIL], mine[_RECORD])
            mine[_FEED] = earlier[_FEED] if mine[_ITEM] is None else (*earlier[_FEED], mine[_ITEM])
            if step.prev.prev is not None:  # only the newest keeps its whole trail: a long game
                earlier[_TRAIL] = earlier[_FEED] = None  # would hold a copy at every step otherwise
    return memo[_TRAIL], memo[_KEY], memo[_FEED]


def _seen_now(state: State, role: str) -> tuple[Seen, ...]:
    """``role``'s values at ``state`` as ``Seen``, sharing the ones that did not move with the
    step before when that step's are worked out already."""
    memo = _memo(state, role)
    if memo[_SEEN] is not None:
        return memo[_SEEN]
    rows = memo[_RECORD].seen
    ids, variables = state.scenario.variable_ids, state.scenario.variables
    earlier = state.prev.memo.get(role) if state.prev is not None else None
    if earlier is not None and earlier[_SEEN] is not None and len(earlier[_RECORD].seen) == len(rows):
        if earlier[_RECORD].seen is rows:
            seen = earlier[_SEEN]
        else:
            seen = tuple(
                old if row == was else _seen_row(variables[ids[row[0]]], row)
                for row, was, old in zip(rows, earlier[_RECORD].seen, earlier[_SEEN])
            )
    else:
        seen = tuple(_seen_row(variables[ids[row[0]]], row) for row in rows)
    memo[_SEEN] = seen
    return seen


def observe(state: State, role: str) -> Observation:
    """Everything ``role`` may know at ``state``; ``SPECTATOR`` sees everything, and says so."""
    records, key, feed = trail(state, role)
    now = records[-1]  # what the step that led here showed: the values and open moves at ``state``
    return Observation(
        role=role,
        turn=state.turn,
        clock=state.clock(),
        seen=_seen_now(state, role),
        ending=state.ending,
        feed=feed,
        key=key,
        trail=records,
        to_move=state.current_role(),
        legal=now.legal,
        omniscient=role == SPECTATOR,
    )


def unseen(state: State, role: str) -> tuple[tuple[str, Seen | None, float], ...]:
    """For the end of a game: each value ``role`` did not see exactly, as (variable, what it saw, truth)."""
    shown = {s.variable: s for s in seen(state, role)}
    out = []
    for var, value in zip(state.scenario.variables.values(), state.values):
        if var.internal:
            continue
        mine = shown.get(var.id)
        if mine is None or mine.kind != "exact":
            out.append((var.id, mine, value))
    return tuple(out)


def secrets(state: State, role: str) -> tuple[tuple[State, Entry], ...]:
    """For the end of a game: the steps ``role`` did not see in full, told as the spectator reads them."""
    out = []
    chain = _chain(state)
    for before, after in zip(chain, chain[1:]):
        move, outcome = after.last
        actor = before.current_role() or WORLD
        kind, *_ = _shown(move, outcome, actor, role)
        if kind != "full" and not isinstance(move, Draw) and outcome.id != QUIET:
            told = entry(before, move, outcome, after, SPECTATOR)
            if told is not None:
                out.append((before, told))
    return tuple(out)
