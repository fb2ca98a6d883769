"""What the server sends a seat: its own information state as plain data, and nothing more.

Everything here is read from ``state.observe(reader)`` (the reader's feed, the values it sees,
its own open moves) and from the reader's :class:`~game.core.belief.Belief` (the odds it can
work out); texts are rendered for the reader. A spectator reads as :data:`PUBLIC`, a reader that
is no role, so it is shown what the scenario shows everyone (public moves, public values) until
the game ends. Nothing here reads the seed or the steps.
"""

from __future__ import annotations

import weakref
from typing import Any

from game import talks
from game.core import belief as beliefs
from game.core import information
from game.core import negotiation as deals
from game.core.information import Entry, Seen, Shift
from game.core.model import WORLD
from game.core.state import State
from game.scenario.groups import numbered

PUBLIC = information.PUBLIC  # the reader a spectator reads as: no role, so only what everyone is shown


def role_name(state: State, role: str) -> str:
    if role == WORLD:
        return "Events"
    found = state.scenario.roles.get(role)
    return found.name if found else role


def shown(state: State, seen: Seen) -> str:
    if seen.kind == "estimate":
        return f"about {state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
    return state.format_value(seen.variable, seen.value)


# A value's row as sent is a function of the scenario and the Seen alone, and most rows of a view
# are the same as in the reader's last view (and in other games of the scenario): they are made
# once and shared (read-only) by every message that holds them, up to MAX_ROWS rows a scenario.
MAX_ROWS = 65_536
_rows: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # scenario -> {Seen: row}
_numbering: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # scenario -> {role: {action: number}}


def seen_data(state: State, seen: Seen | None) -> dict[str, Any] | None:
    """A value as the reader sees it, as message data (shared between messages: do not change it)."""
    if seen is None:
        return None
    rows = _rows.get(state.scenario)
    if rows is None:
        rows = _rows[state.scenario] = {}
    found = rows.get(seen)
    if found is None:
        found = _row(state, seen)
        if len(rows) >= MAX_ROWS:
            rows.clear()
        rows[seen] = found
    return found


def _row(state: State, seen: Seen) -> dict[str, Any]:
    var = state.scenario.variables[seen.variable]
    out: dict[str, Any] = {
        "variable": seen.variable,
        "label": var.label,
        "type": var.type,
        "kind": seen.kind,
        "shown": shown(state, seen),
    }
    if seen.kind == "estimate":
        out["low"], out["high"] = seen.low, seen.high
    else:
        out["value"] = seen.value
    return out


def _shift(state: State, change: Shift) -> dict[str, Any]:
    label = state.scenario.variables[change.variable].label
    return {
        "variable": change.variable,
        "label": label,
        "before": None if change.before is None else shown(state, change.before),
        "after": None if change.after is None else shown(state, change.after),
    }


def entry_data(state: State, entry: Entry) -> dict[str, Any]:
    """One item of a reader's feed (``state`` formats values; it reads no truth)."""
    history = entry.history
    return {
        **entry.fields(),
        "by_name": role_name(state, entry.role),
        "changes": [_shift(state, c) for c in entry.changes],
        "ending": entry.ending,
        "history": getattr(history, "note", "") if history is not None else "",
        "history_when": getattr(history, "when", "") if history is not None else "",
    }


def odds_data(belief: beliefs.Belief, move, mode: str, found: list[beliefs.Odds] | None = None) -> list[dict[str, Any]]:
    """The odds of a move's outcomes as the role can work them out, in the game's odds setting
    (``found``: those odds, when they are worked out already)."""
    if mode == "hidden":
        return []
    from game.ui.odds import band, percents, spread

    out = []
    found = found if found is not None else beliefs.odds(belief, move)
    shares = percents([odds.chance for odds in found])
    for odds, share in zip(found, shares, strict=True):
        title = odds.title or odds.outcome
        if mode == "bands":
            out.append({"title": title, "shown": band(odds.chance)})
            continue
        text = share + spread(odds)
        out.append({"title": title, "shown": text, "chance": odds.chance, "low": odds.low, "high": odds.high})
    return out


def situation(state: State, reader: str, mode: str, seen: information.Observation | None = None) -> dict[str, Any]:
    """The reader's values, and its moves when it is to move (no feed); ``seen`` is
    ``state.observe(reader)`` when the caller has it already. Odds are worked out apart
    (:func:`seat_odds`, on an odds worker) and sent after the view: ``odds`` is None until then,
    and [] when the game hides them."""
    seen = seen if seen is not None else state.observe(reader)
    out: dict[str, Any] = {
        "turn": seen.turn,
        "turn_limit": state.scenario.calendar.turn_limit,
        "clock": seen.clock.isoformat(timespec="minutes"),
        "to_move": seen.to_move,
        "your_move": bool(seen.legal),
        "values": [seen_data(state, s) for s in seen.seen],
        "moves": [],
        "closed": [],
        "advice": [],
        "talks": None,
        "over": None,
    }
    if seen.legal:
        numbers = _numbers(state.scenario, reader)
        out["moves"] = [
            {
                "id": move.id,
                "title": move.title,
                "description": state.render(move.description, reader),
                "odds": [] if mode == "hidden" else None,
                **numbers.get(move.id, {}),
                **_bargaining(state, move.id),
            }
            for move in state.legal_actions()
        ]
        out["talks"] = talks_data(state, reader, seen)
        out["closed"] = [
            {"id": a.id, "title": a.title, "reason": a.unavailable or "not possible now", **numbers[a.id]}
            for a in state.unavailable_actions()
            if not _bargaining(state, a.id) and a.id in numbers  # the table's moves: ``talks`` tells of them
        ]
        out["advice"] = [{"speaker": a.speaker, "text": a.text} for a in state.advice(reader)]
    if state.ending:
        ending = state.scenario.endings[state.ending]
        out["over"] = {
            "ending": ending.id,
            "title": ending.title,
            "epilogue": state.render(ending.epilogue, reader),
            "scores": state.scores(),
        }
    return out


def _numbers(scenario, role: str) -> dict[str, dict[str, Any]]:
    """Each of the role's listed actions' number (the same all game, as the local terminal numbers
    them) and group."""
    found = _numbering.get(scenario, {}).get(role)
    if found is None:
        found = {a.id: {"number": n, "group": g} for n, (g, a) in enumerate(numbered(scenario, role), 1)}
        _numbering.setdefault(scenario, {})[role] = found
    return found


def _bargaining(state: State, move_id: str) -> dict[str, Any]:
    """What a move is at the bargaining table: an offer (its channel and terms), an answer (its
    kind, and the terms an acceptance agrees to), or nothing."""
    offer = deals.offer_of(state.scenario, move_id)
    if offer is not None:
        return {
            "offer": {"channel": offer.channel, "terms": list(offer.terms), "too_late": talks.too_late(state, offer)}
        }
    answer = deals.answer_of(state.scenario, move_id)
    if answer is not None:
        return {"answer": {"kind": answer.kind, "terms": list(answer.terms)}}
    return {}


def talks_data(state: State, reader: str, seen: information.Observation) -> dict[str, Any] | None:
    """The reader's side of the bargaining table: its own channels (open now or not), the terms,
    and the offer waiting for its answer (with its channel only when the reader saw it). None
    when the reader has no channel and nothing waits for it."""
    scenario = state.scenario
    deal = scenario.negotiation
    if deal is None:
        return None
    mine = [c for c in deal.channels.values() if c.sender == reader]
    waiting = talks.incoming(scenario, seen)
    if not mine and waiting is None:
        return None
    open_now = {o.channel for o in talks.open_offers(scenario, seen)}
    return {
        "channels": [
            {
                "id": c.id,
                "title": c.title,
                "description": state.render(c.description, reader).strip(),
                "to": role_name(state, c.recipient),
                "open": c.id in open_now,
                "terms": list(c.terms),
            }
            for c in mine
        ],
        "terms": [
            {"id": t.id, "title": t.title, "required": t.required, "yours": t.owed_by == reader}
            for t in deal.terms.values()
        ],
        "waiting": None
        if waiting is None
        else {"channel": None if waiting.channel is None else waiting.channel.title, "terms": list(waiting.terms)},
        "standing": None
        if (own := deals.standing(scenario, seen)) is None
        else {"channel": deal.channels[own.channel].title, "terms": list(own.terms)},
    }


def _spread(spread: talks.Spread) -> dict[str, Any]:
    return {"shown": talks.worth_words(spread), "mean": spread.mean, "low": spread.low, "high": spread.high}


def deal_figures(
    scenario, belief: beliefs.Belief, legal: tuple[str, ...], mode: str, known: dict | None = None
) -> dict[str, dict[str, Any]]:
    """For each of the seat's open offers: the chance it is accepted and what the deal is worth to
    the seat, with what each of its parts is worth (``worth.parts``); for an acceptance open to
    it: what accepting is worth. All from its own belief
    (``known``: the odds of its moves, by id, when they are worked out already)."""
    from game.ui.odds import told

    offers = [o for action in legal if (o := deals.offer_of(scenario, action)) is not None]
    parts = talks.offers_parts(belief, belief.role, offers)
    out: dict[str, dict[str, Any]] = {}
    for action, (took, worth) in talks.figures(belief, offers, known).items():
        accepted: dict[str, Any] = {"shown": told(took.chance, took.low, took.high, mode)}
        if mode == "exact":
            accepted |= {"chance": took.chance, "low": took.low, "high": took.high}
        made_of = [{"title": title, "worth": value} for title, value in parts[action]]
        out[action] = {"accepted": accepted, "worth": _spread(worth) | {"parts": made_of}}
    for action in legal:
        answer = deals.answer_of(scenario, action)
        if answer is not None and answer.kind == "accept":
            out[action] = {"worth": _spread(talks.worth_spread(belief, answer.role, answer.terms))}
    return out


def seat_odds(scenario, belief: beliefs.Belief, legal: tuple[str, ...], mode: str) -> dict[str, Any]:
    """The odds of each of the seat's open moves (``legal``: their ids, as its own trail shows
    them) and the figures of its open offers and acceptances, from its own belief, already
    followed to now: ``{"moves": {id: odds}, "deals": {id: figures}}``."""
    known = {action: beliefs.odds(belief, scenario.actions[action]) for action in legal}
    return {
        "moves": {action: odds_data(belief, scenario.actions[action], mode, known[action]) for action in legal},
        "deals": deal_figures(scenario, belief, legal, mode, known),
    }


def reveal(state: State, reader: str) -> dict[str, Any]:
    """After the end: what the reader did not know, the values it never saw exactly and the
    moves it never saw in full, as the truth tells them."""
    values = []
    for variable, mine, truth in information.unseen(state, reader):
        var = state.scenario.variables[variable]
        values.append(
            {
                "variable": variable,
                "label": var.label,
                "you_saw": None if mine is None else shown(state, mine),
                "truth": state.format_value(variable, truth),
            }
        )
    moves = [
        {
            "turn": entry.turn,
            "by": entry.role,
            "by_name": role_name(state, entry.role),
            "title": entry.title,
            "outcome_title": entry.outcome_title,
            "text": entry.text,
        }
        for _, entry in information.secrets(state, reader)
    ]
    return {"type": "reveal", "values": values, "moves": moves}


def scenario_card(scenario) -> dict[str, Any]:
    """What anyone may read of a scenario before playing it: its title, summary and roles."""
    return {
        "id": scenario.meta.id,
        "title": scenario.meta.title,
        "summary": scenario.meta.summary,
        "roles": [
            {"id": r.id, "name": r.name, "title": r.title, "playable": r.playable} for r in scenario.roles.values()
        ],
    }
