"""The ``actions`` and ``events`` sections: moves, their outcomes, who sees them, and what follows later.

Format 2's knowledge effects, one-time events, events on given turns, delayed effects and lasting
effects are built here from the internals planned by :mod:`game.scenario.timing`: extra ``set``
effects on internal variables, wrapped chances, and internal events appended after the file's
own events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.core.expr import NUM, Expr, literal
from game.core.information import EXACT, HIDDEN
from game.core.limits import MIN_ESTIMATE_STEP
from game.core.model import DELAYED_PREFIX, QUIET, Action, Cover, Event, History, Marker, Outcome, Sight
from game.core.numeric import LIMIT
from game.scenario.timing import Delay, due_condition

if TYPE_CHECKING:
    from game.scenario.loader import _Builder

COVER_TITLE = "Unconfirmed report"
KNOWLEDGE_VERBS = ("reveal", "estimate", "conceal")


def sight(
    b: _Builder, raw: dict, where: str, roles: dict, cover_id: str, inherit: Sight | None = None, actor: str = ""
) -> Sight | None:
    """The ``visible_to`` and ``cover`` of a move, an outcome or a delayed effect; what it does not
    give it takes from ``inherit`` (its move's sight). None when it gives neither. ``actor``, the
    role whose move it is, sees it whatever ``visible_to`` says."""
    if "visible_to" not in raw and "cover" not in raw:
        return None
    base = inherit or Sight()
    viewers = base.viewers
    if "visible_to" in raw:
        viewers = tuple(
            r for i, r in enumerate(raw["visible_to"]) if b.ref(r, roles, f"{where}.visible_to.{i}", "role")
        )
        if len(set(viewers)) < len(viewers):
            b.at(f"{where}.visible_to", "a role is named twice")
    cover = base.cover
    if "cover" in raw:
        c = raw["cover"]
        if isinstance(c, str):
            c = {"text": c}
        b.template(c["text"], f"{where}.cover" if isinstance(raw["cover"], str) else f"{where}.cover.text")
        marker = b.marker(c.get("marker"), f"{where}.cover.marker")
        cover = Cover(cover_id, c.get("title", COVER_TITLE), c["text"].strip(), marker)
        listed = "visible_to" not in raw or len(viewers) == len(raw["visible_to"])  # an unknown role is reported
        if viewers is None or (listed and set(roles) <= {*viewers, actor}):
            b.at(
                f"{where}.cover.__key__",
                "this cover is never shown: every role sees the real thing"
                + (f" ('{actor}' sees its own move)" if viewers is not None and actor and actor not in viewers else ""),
                "say who sees it with visible_to, leaving out a role that should read the cover",
            )
    return Sight(viewers, cover)


class Moves:
    """Builds actions and events for one file, with the internals the builder planned."""

    def __init__(self, b: _Builder, roles: dict, endings: dict, places: dict):
        self.b = b
        self.roles = roles
        self.endings = endings
        self.places = places
        self.internals = b.internals
        self.extra: list[Event] = []  # internal events, in the order their outcomes were built
        self.covers: dict[tuple, str] = {}  # (move, title, text, marker) -> the cover's id

    def named(self, owner: str, made: Sight | None) -> Sight | None:
        """The sight with its cover named by what it shows: covers of one move that read alike
        share an id, so nothing a reader is sent tells apart what its text does not (and no id
        names the outcome behind a cover)."""
        if made is None or made.cover is None:
            return made
        c = made.cover
        key = (owner, c.title, c.text, c.marker)
        if key not in self.covers:
            n = sum(1 for k in self.covers if k[0] == owner)
            self.covers[key] = f"{owner}~cover" if n == 0 else f"{owner}~cover{n + 1}"
        return Sight(made.viewers, Cover(self.covers[key], c.title, c.text, c.marker))

    # moves ---------------------------------------------------------------------------------

    def action(self, aid: str, a: dict) -> Action:
        b = self.b
        where = f"actions.{aid}"
        b.ref(a["role"], self.roles, f"{where}.role", "role")
        ai_weight = b.expr(a["ai_weight"], f"{where}.ai_weight", NUM) if "ai_weight" in a else None
        move_sight = self.named(aid, sight(b, a, where, self.roles, f"{aid}~cover", actor=a["role"])) or Sight()
        for field in ("description", "unavailable"):  # both are filled in for the reader
            if a.get(field):
                b.template(a[field], f"{where}.{field}", checked=b.version >= 2)
        return Action(
            id=aid,
            role=a["role"],
            title=a["title"],
            description=a.get("description", "").strip(),
            when=b.expr(a.get("when", True), f"{where}.when", "boolean"),
            outcomes=self.outcomes(a["outcomes"], where, False, a["title"], move_sight, a["role"]),
            unavailable=a.get("unavailable", ""),
            ai_weight=ai_weight,
            history=_history(a.get("history")),
            sight=move_sight,
            group=" ".join(a.get("group", "").split()),
        )

    def event(self, eid: str, e: dict) -> Event:
        b = self.b
        where = f"events.{eid}"
        if "chance" not in e and not e.get("on_turns"):
            b.at(where, "an event needs the field 'chance'", "its chance (0..1) of happening each turn")
        chance = b.expr(e.get("chance", 1), f"{where}.chance", NUM)
        if chance.constant is not None and not 0 <= chance.constant <= 1:
            b.at(f"{where}.chance", f"a chance must be between 0 and 1, not {chance.constant:g}")
        move_sight = self.named(eid, sight(b, e, where, self.roles, f"{eid}~cover")) or Sight()
        outcomes = self.outcomes(e["outcomes"], where, True, e["title"], move_sight, "")
        once = self.internals.once.get(eid)
        if once:
            outcomes = tuple(_with_sets(o, ((once, literal(True)),)) for o in outcomes)
        chance = self._timed(chance, e, where, once)
        return Event(
            eid,
            e["title"],
            chance,
            outcomes,
            _history(e.get("history")),
            sight=move_sight,
            once=bool(e.get("once")),
            on_turns=tuple(sorted({int(t) for t in e.get("on_turns") or ()})),
        )

    def _timed(self, chance: Expr, e: dict, where: str, once: str | None) -> Expr:
        turns = e.get("on_turns") or []
        limit = self.b.data["calendar"]["turn_limit"]
        if "on_turns" in e and not turns:
            self.b.at(f"{where}.on_turns", "lists no turn", "name the turns it can happen on, or leave the field out")
        for i, t in enumerate(turns):
            if not 1 <= t <= limit:
                self.b.at(f"{where}.on_turns.{i}", f"turn {t} is not a turn of this game (1..{limit})")
            elif t in turns[:i]:
                self.b.at(f"{where}.on_turns.{i}", f"turn {t} is listed twice", "name each turn once")
        if not turns and not once:
            return chance
        source = chance.source if chance.constant is None else repr(chance.constant)
        if turns:
            source = f"({source}) if ({' or '.join(f'turn == {int(t)}' for t in sorted(set(turns)))}) else 0"
        if once:
            source = f"0 if {once} else ({source})"
        return self.b.internal_expr(source)

    # outcomes ------------------------------------------------------------------------------

    def outcomes(
        self, raw: dict, where: str, is_event: bool, title: str, move_sight: Sight, actor: str
    ) -> tuple[Outcome, ...]:
        b = self.b
        if not raw:
            b.at(f"{where}.outcomes", "the outcome list is empty", "give at least one outcome")
        out = []
        owner = where.split(".")[1]
        for oid, o in raw.items():
            ow = f"{where}.outcomes.{oid}"
            if is_event and oid == QUIET:
                b.at(f"{ow}.__key__", f"'{QUIET}' is reserved for an event that does not happen")
            weight = b.expr(o.get("weight", 1), f"{ow}.weight", NUM)
            if weight.constant is not None and weight.constant < 0:
                b.at(
                    f"{ow}.weight", f"the weight is always negative ({weight.constant:g})", "a weight must be 0 or more"
                )
            b.template(o["text"], f"{ow}.text")
            own_sight = self.named(owner, sight(b, o, ow, self.roles, f"{owner}~cover", move_sight, actor))
            sets, adds, moves, end, marker = self.effects(o, ow)
            sets = sets + self.knowledge(o, ow)
            outcome = Outcome(
                id=oid,
                weight=weight,
                text=o["text"].strip(),
                set=sets,
                add=adds,
                move=moves,
                end=end,
                marker=marker,
                title=o.get("title", ""),
                sight=own_sight,
            )
            seen_by = own_sight if own_sight is not None else move_sight
            out.append(self.delayed(outcome, o, ow, title, seen_by, actor))
        return tuple(out)

    def effects(self, o: dict, where: str):
        b = self.b
        end = o.get("end", "")
        if end:
            b.ref(end, self.endings, f"{where}.end", "ending")
        marker = b.marker(o.get("marker"), f"{where}.marker")
        return (
            b.effects(o.get("set", {}), f"{where}.set", "set"),
            b.effects(o.get("add", {}), f"{where}.add", "add"),
            b.effects(o.get("move", {}), f"{where}.move", "move"),
            end,
            marker,
        )

    def knowledge(self, o: dict, where: str) -> tuple[tuple[str, Expr], ...]:
        """Reveal, estimate and conceal as sets on the roles' internal knowledge levels."""
        b = self.b
        variables = b.data["variables"]
        out = []
        told: dict[tuple[str, str], str] = {}  # (role, variable) -> the verb that set it here
        for verb in KNOWLEDGE_VERBS:
            for var, who in (o.get(verb) or {}).items():
                at = f"{where}.{verb}.{var}"
                if not b.ref(var, variables, f"{at}.__key__", "variable"):
                    continue
                entries = who.items() if isinstance(who, dict) else ((role, None) for role in who)
                for i, (role, width) in enumerate(entries):
                    spot = f"{at}.{role}.__key__" if isinstance(who, dict) else f"{at}.{i}"
                    if not b.ref(role, self.roles, spot, "role"):
                        continue
                    if (role, var) in told:
                        again = "twice" if told[role, var] == verb else f"by both {told[role, var]} and {verb}"
                        b.at(spot, f"what '{role}' knows of '{var}' is set {again} here", "name each role once")
                        continue
                    told[role, var] = verb
                    if verb == "estimate":
                        if variables[var]["type"] != "number":
                            b.at(f"{at}.__key__", "only numbers can be estimated", "use reveal or conceal")
                            continue
                        if not width > 0:
                            b.at(spot, "an estimate's width must be more than 0")
                            continue
                        if width < MIN_ESTIMATE_STEP:  # a narrower band's index overflows on large values
                            b.at(spot, f"an estimate's width must be at least {MIN_ESTIMATE_STEP:g}")
                            continue
                        level = float(width)
                    else:
                        level = EXACT if verb == "reveal" else HIDDEN
                    out.append((self.internals.knowledge[(role, var)], literal(level)))
        return tuple(out)

    def delayed(self, outcome: Outcome, o: dict, where: str, title: str, seen_by: Sight, actor: str) -> Outcome:
        """The outcome with what it sets off later: its due turns, what it must remember, and the
        internal events that carry the delayed effects out."""
        delays = self.internals.delays.get(where, [])
        if not delays:
            return outcome
        b = self.b
        limit = b.data["calendar"]["turn_limit"]
        sets = []
        # set off again while its undo is still to come, a lasting outcome is renewed: the undo
        # moves to the new turn, what it puts back stays what was there before the first time,
        # and every amount it really added (what the bounds let through) is taken away
        undo = next((d.due for d in delays if d.undo), None)
        for (path, name), memory in self.internals.remembered.items():
            if path != where or undo is None:
                continue
            if name.startswith("+"):
                var = name[1:]
                added = dict(outcome.add).get(var)
                if added is None:
                    continue  # an add the file got wrong (an unknown variable): its problem is reported already
                raw = b.data["variables"].get(var) or {}
                low, high = float(raw.get("min", -LIMIT)), float(raw.get("max", LIMIT))
                change = f"clamp({var} + ({added.source}), {low!r}, {high!r}) - {var}"
                sets.append((memory, b.internal_expr(f"({memory} if {undo} != 0 else 0) + {change}")))
            else:
                sets.append((memory, b.internal_expr(f"({memory} if {undo} != 0 else {name})")))
        for delay in delays:
            if delay.turns < 1:
                if delay.undo:
                    b.at(f"{where}.lasts", "it must last at least 1 turn", "leave 'lasts' out for an effect that stays")
                else:
                    b.at(f"{delay.where}.turns", "it must take hold at least 1 turn later")
                continue
            if delay.undo and delay.turns >= limit:
                continue  # it outlasts the game: nothing to undo
            if delay.turns >= limit:
                b.at(
                    f"{delay.where}.turns",
                    f"{delay.turns} turns later is past the game's last turn ({limit})",
                    "use fewer turns",
                )
                continue
            sets.append((delay.due, b.internal_expr(f"turn + {delay.turns}")))
            self.extra.append(self._landing(delay, title, outcome, seen_by, actor))
        return _with_sets(outcome, tuple(sets))

    def _landing(self, delay: Delay, title: str, trigger: Outcome, seen_by: Sight, actor: str) -> Event:
        b = self.b
        block = delay.block
        if delay.undo:
            sets = tuple((var, b.internal_expr(source)) for var, source in block["set"].items())
            adds = tuple((var, b.internal_expr(source)) for var, source in block["add"].items())
            moves: tuple = ()
            end, marker, text = "", None, ""
            name = "Its effect wears off"
            own = None
        else:
            sets, adds, moves, end, marker = self.effects(block, delay.where)
            sets = sets + self.knowledge(block, delay.where)
            text = block.get("text", "").strip()
            if text:
                b.template(block["text"], f"{delay.where}.text")
            name = block.get("title") or "It takes hold"
            # its own visible_to and cover, else those who saw what set it off; never the
            # trigger's cover, which would tell the others that this outcome had more to come
            own = sight(b, block, delay.where, self.roles, f"{delay.due}~cover", Sight(seen_by.viewers), actor)
        if own is None:
            own = Sight(seen_by.viewers)
        if own.viewers is not None and actor and actor not in own.viewers:
            own = Sight((*own.viewers, actor), own.cover)  # the mover sees what its own move sets off
        if seen_by.viewers is not None:
            told = {*seen_by.viewers, actor}
            if own.viewers is None or not set(own.viewers) <= told:
                # a role that never saw what set it off reads it too: the news goes under its own
                # title, not the move's, which would name a move hidden from that role
                title = name
        landing = Outcome(
            id="takes_hold",
            weight=literal(1.0),
            text=text,
            set=((delay.due, literal(0.0)), *sets),
            add=adds,
            move=moves,
            end=end,
            marker=marker,
            title=name,
        )
        return Event(
            f"{DELAYED_PREFIX}{delay.due.lstrip('_')}",
            title,
            b.internal_expr(due_condition(delay)),
            (landing,),
            sight=own,
            internal=True,
            origin=delay.where,
        )


def _with_sets(outcome: Outcome, extra: tuple) -> Outcome:
    if not extra:
        return outcome
    from dataclasses import replace

    return replace(outcome, set=outcome.set + extra)


def _history(h: dict | None) -> History | None:
    if h is None:
        return None
    return History(h["when"], h.get("note", "").strip(), tuple(h.get("turns", ())))


def marker_of(b: _Builder, m: dict | None, where: str, places: dict) -> Marker | None:
    if m is None:
        return None
    spots = {**places, **{v: None for v, kind in b.kinds.items() if kind == "place"}}
    if b.ref(m["place"], spots, f"{where}.place", "marker place"):
        return Marker(m["place"], m["kind"], m.get("label", ""))
    return None
