"""Answers to offers and what follows a deal: the moves and internal events of bargaining.

:class:`Answers` is the half of :class:`game.scenario.negotiation.Bargaining` that builds, for each
package, the move that accepts it (and what agreeing does), the move that turns an offer down,
the moves that keep to a struck deal or break one of its terms, and the internal events for an
offer whose time runs out, a broken guarantee and a deal that settles the game.
"""

from __future__ import annotations

from dataclasses import replace

from game.core.expr import BOOL, NUM, Expr, literal
from game.core.model import PUBLIC, Action, Answer, Event, Outcome, Package, Sight
from game.core.negotiation import LAPSE
from game.scenario.deal_parts import (
    BREACH,
    PENDING,
    SETTLED,
    braces,
    broken_name,
    done_name,
    history_of,
    listing,
    source_of,
    via_name,
)
from game.scenario.moves import sight


class Answers:
    """Builds the answers and internal events; mixed into Bargaining, whose state it reads."""

    # answers -----------------------------------------------------------------------------------

    def _accept(self, package: Package) -> None:
        outcome = self._agreement(package, "accepted")
        self.accept_outcomes[package.number] = outcome
        names = [self.terms[t].short for t in package.terms]
        answer_id = f"accept:{package.sender}:{package.recipient}:{'+'.join(package.terms)}"
        sender = self.b.data["roles"][package.sender]["name"]
        accepted = (self._historical(package) or {}).get("accepted")
        self.actions[answer_id] = Action(
            group=self.group,
            id=answer_id,
            role=package.recipient,
            title=braces(f"Accept: {', '.join(names)}"),
            description=braces(f"Agree to the terms {sender} has put to you: {listing(names)}."),
            when=self.b.internal_expr(f"{PENDING['package']} == {package.number}"),
            outcomes=(outcome,),
            history=history_of(accepted),
            origin="channels",
        )
        self.answers[answer_id] = Answer(
            answer_id, "accept", package.recipient, package.number, package.terms, package.sender
        )

    def _historical(self, package: Package) -> dict | None:
        """The history of the channel whose historical offer is this package, if one is."""
        for cid, c in self.raw_channels.items():
            h = c.get("history")
            channel = self.channels.get(cid)
            if (
                h is None
                or channel is None
                or (channel.sender, channel.recipient) != (package.sender, package.recipient)
            ):
                continue
            if tuple(t for t in self.terms if t in h["terms"]) == package.terms:
                return h
        return None

    def _agreement(self, package: Package, oid: str, weight: Expr | None = None) -> Outcome:
        """What agreeing to a package does: the channel's effects, the terms', the rules', and the
        bookkeeping (flags set, channel remembered, the table cleared, the last moves owed)."""
        b = self.b
        sets: list[tuple[str, Expr]] = []
        adds: list[tuple[str, Expr]] = []
        movez: list[tuple[str, Expr]] = []
        channels = [
            (ch, self.raw_channels[ch.id]["agreed"])
            for ch in self.channels.values()
            if (ch.sender, ch.recipient) == (package.sender, package.recipient)
            and set(package.terms) <= set(ch.terms)
            and isinstance(self.raw_channels[ch.id].get("agreed"), dict)
        ]
        carried = self._carried_effects(channels)
        sets += carried[0]
        adds += carried[1]
        movez += carried[2]
        texts, marker = [], None
        for tid in package.terms:
            raw = self.raw_terms[tid].get("agreed") or {}
            s, a, m, _, mk = self._effects_at(raw, f"terms.{tid}.agreed")
            sets += list(s)
            adds += list(a)
            movez += list(m)
            marker = marker or mk
            if raw.get("text"):
                texts.append(raw["text"].strip())
        rules = self.rules.get("agreed") or {}
        s, a, m, end, mk = self._effects_at(rules, "negotiation.agreed")
        sets += list(s)
        adds += list(a)
        movez += list(m)
        marker = mk or marker
        shorts = [self.terms[t].short for t in package.terms]
        head = rules.get("text", "").strip() or braces(f"The deal is struck: {listing(shorts)}.")
        text = " ".join([head, *texts])
        b.template(text, "negotiation.agreed.text", checked=False)
        sets += [(t, self.fixed(True)) for t in package.terms]
        sets += [(via_name(t), b.internal_expr(PENDING["channel"])) for t in package.terms]
        sets += self._cleared()
        if self.settles:
            sets.append((SETTLED, self.fixed(True)))
            for role in self.parties:
                owes = any(self.terms[t].owed_by == role and self.terms[t].breakable for t in package.terms)
                sets.append((done_name(role), self.fixed(not owes)))
        return Outcome(
            id=oid,
            weight=weight or literal(1.0),
            text=text,
            set=tuple(sets),
            add=tuple(adds),
            move=tuple(movez),
            end=end,
            marker=marker,
            title="The deal is struck",
        )

    def _carried_effects(self, channels: list) -> tuple[tuple[tuple[str, Expr], ...], ...]:
        """The sets, adds and moves of the carrying channel's ``agreed`` block, for packages the
        given channels can carry: made once for each such set of channels (many packages share
        one), as the same expressions."""
        key = tuple(ch.id for ch, _ in channels)
        found = self.carried_effects.get(key)
        if found is None:
            sets = [(var, self._chosen(parts, var)) for var, parts in self._by_channel(channels, "set").items()]
            adds = [(var, self._chosen(parts, "0")) for var, parts in self._by_channel(channels, "add").items()]
            movez = [(var, self._chosen(parts, "0")) for var, parts in self._by_channel(channels, "move").items()]
            found = self.carried_effects[key] = (tuple(sets), tuple(adds), tuple(movez))
        return found

    def _effects_at(self, raw: dict, where: str) -> tuple:
        """A block's (sets with its knowledge effects, adds, moves, end, marker), compiled once
        however many packages share it (so that a mistake in it is reported once)."""
        found = self.compiled.get(where)
        if found is None:
            sets, adds, movez, end, marker = self.moves.effects(raw, where)
            found = ((*sets, *self.moves.knowledge(raw, where)), adds, movez, end, marker)
            if raw.get("text"):
                self.b.template(raw["text"], f"{where}.text")
            self.compiled[where] = found
        return found

    def _by_channel(self, channels: list, verb: str, part: str = "agreed") -> dict[str, list[tuple[int, Expr]]]:
        """A verb's effects of each channel's ``part`` block, by variable: [(channel number, expr)]."""
        out: dict[str, list[tuple[int, Expr]]] = {}
        index = {"set": 0, "add": 1, "move": 2}[verb]
        for ch, raw in channels:
            for var, expr in self._effects_at(raw, f"channels.{ch.id}.{part}")[index]:
                out.setdefault(var, []).append((ch.number, expr))
        return out

    def _chosen(self, parts: list[tuple[int, Expr]], otherwise: str, via: str = PENDING["channel"]) -> Expr:
        """``e1 if via == n1 else (e2 if via == n2 else otherwise)``: the carrying channel's effect."""
        source = otherwise
        for number, expr in reversed(parts):
            source = f"({source_of(expr)}) if {via} == {number} else ({source})"
        return self.b.internal_expr(source)

    def _reject(self, role: str) -> None:
        if not any(p.recipient == role for p in self.packages.values()):
            return
        raw = self.rules.get("rejected") or {}
        channels = [
            (ch, self.raw_channels[ch.id]["rejected"])
            for ch in self.channels.values()
            if ch.recipient == role and isinstance(self.raw_channels[ch.id].get("rejected"), dict)
        ]
        sets, adds, movez, _, marker = self._effects_at(raw, "negotiation.rejected")
        sets = [(var, self._chosen(parts, var)) for var, parts in self._by_channel(channels, "set", "rejected").items()]
        sets += [*self._effects_at(raw, "negotiation.rejected")[0], *self._cleared()]
        adds = [(var, self._chosen(parts, "0")) for var, parts in self._by_channel(channels, "add", "rejected").items()]
        adds += list(self._effects_at(raw, "negotiation.rejected")[1])
        name = self.b.data["roles"][role]["name"]
        text = raw.get("text", "").strip() or braces(f"{name} turns the offer down.")
        answer_id = f"reject:{role}"
        number = list(self.roles).index(role) + 1
        self.actions[answer_id] = Action(
            group=self.group,
            id=answer_id,
            role=role,
            title="Turn the offer down",
            description="Refuse the terms on the table. The other side may try again.",
            when=self.b.internal_expr(f"{PENDING['recipient']} == {number}"),
            outcomes=(
                Outcome(
                    "rejected", literal(1.0), text, tuple(sets), tuple(adds), movez, marker=marker, title="Refused"
                ),
            ),
            origin="negotiation.rejected",
        )
        self.answers[answer_id] = Answer(answer_id, "reject", role)

    def _cleared(self) -> tuple[tuple[str, Expr], ...]:
        return tuple((name, self.fixed(0.0)) for name in PENDING.values())

    def fixed(self, value: float | bool) -> Expr:
        """A constant value to set a variable to, made once per value (an Expr is immutable)."""
        key = (type(value), value)
        found = self.values.get(key)
        if found is None:
            found = self.values[key] = literal(value)
        return found

    def _break(self, tid: str, raw: dict) -> None:
        b = self.b
        term = self.terms[tid]
        where = f"terms.{tid}.broken"
        move_sight = sight(b, raw, where, self.roles, f"break:{tid}~cover") or PUBLIC
        outcomes = self.moves.outcomes(raw["outcomes"], where, False, raw["title"], move_sight, term.owed_by)
        guarded = [
            (ch, self.raw_channels[ch.id]["broken"])
            for ch in self.channels.values()
            if isinstance(self.raw_channels[ch.id].get("broken"), dict) and tid in ch.terms
        ]
        via = via_name(tid)
        # the guarantee's consequences take hold with the breach; its news comes at the end of the turn
        sets = [(v, self._chosen(p, v, via)) for v, p in self._by_channel(guarded, "set", "broken").items()]
        adds = [(v, self._chosen(p, "0", via)) for v, p in self._by_channel(guarded, "add", "broken").items()]
        movez = [(v, self._chosen(p, "0", via)) for v, p in self._by_channel(guarded, "move", "broken").items()]
        extra = [(broken_name(tid), literal(True)), *sets]
        if guarded:
            test = " or ".join(f"{via} == {ch.number}" for ch, _ in guarded)
            extra.append((BREACH, b.internal_expr(f"{via} if ({test}) else 0")))
        if self.settles:
            extra.append((done_name(term.owed_by), literal(True)))
        when = b.expr(raw.get("when", True), f"{where}.when", BOOL)
        parts = [tid, f"not {broken_name(tid)}", f"({source_of(when)})"]
        if self.settles:
            parts += [SETTLED, f"not {done_name(term.owed_by)}"]
        if raw.get("description"):
            b.template(raw["description"], f"{where}.description")
        ai_weight = b.expr(raw["ai_weight"], f"{where}.ai_weight", NUM) if "ai_weight" in raw else None
        answer_id = f"break:{tid}"
        self.actions[answer_id] = Action(
            group=self.group,
            id=answer_id,
            role=term.owed_by,
            title=raw["title"],
            description=raw.get("description", "").strip(),
            when=b.internal_all(parts),
            outcomes=tuple(
                replace(o, set=o.set + tuple(extra), add=o.add + tuple(adds), move=o.move + tuple(movez))
                for o in outcomes
            ),
            unavailable=raw.get("unavailable", ""),
            ai_weight=ai_weight,
            history=history_of(raw.get("history")),
            sight=move_sight,
            origin=where,
        )
        self.answers[answer_id] = Answer(answer_id, "break", term.owed_by, terms=(tid,))

    def _keep(self, role: str) -> None:
        if not any(t.owed_by == role and t.breakable for t in self.terms.values()):
            return
        raw = self.rules.get("keep") or {}
        name = self.b.data["roles"][role]["name"]
        if raw.get("text"):
            self.b.template(raw["text"], "negotiation.keep.text")
        text = raw.get("text", "").strip() or braces(f"{name} keeps to the deal.")
        answer_id = f"keep:{role}"
        history = (raw.get("history") or {}).get(role)
        # keeping is seen only by those who would see every break the role could make instead:
        # a public keep beside a secret break would tell the others of the break by its absence
        viewers = None
        for move in self.actions.values():
            if move.id.startswith("break:") and move.role == role:
                for outcome in move.outcomes:
                    seen = outcome.sight if outcome.sight is not None else move.sight
                    if seen.viewers is not None:
                        viewers = set(seen.viewers) if viewers is None else viewers & set(seen.viewers)
        keep_sight = PUBLIC if viewers is None else Sight(tuple(r for r in self.roles if r in viewers))
        self.actions[answer_id] = Action(
            group=self.group,
            id=answer_id,
            role=role,
            title=raw.get("title", "Keep to the deal"),
            description="Keep every term you owe, as agreed.",
            when=self.b.internal_expr(f"{SETTLED} and not {done_name(role)}"),
            outcomes=(Outcome("kept", literal(1.0), text, ((done_name(role), literal(True)),), title="Kept"),),
            history=history_of(history),
            sight=keep_sight,
            origin="negotiation.keep",
        )
        self.answers[answer_id] = Answer(answer_id, "keep", role)

    # the internal events -----------------------------------------------------------------------

    def _lapse(self) -> None:
        """The end of an unanswered offer's time: silence means what its channel says."""
        if not self.packages:
            return
        b = self.b
        p = PENDING
        accepting = [ch.number for ch in self.channels.values() if ch.silence == "accept"]
        refusing = [ch.number for ch in self.channels.values() if ch.silence != "accept"]
        outcomes = []
        if refusing:
            raw = self.rules.get("lapsed") or {}
            sets, adds, movez, _, marker = self._effects_at(raw, "negotiation.lapsed")
            sets = (*sets, *self._cleared())
            text = raw.get("text", "").strip() or "The offer lapses unanswered."
            test = " or ".join(f"{p['channel']} == {n}" for n in refusing)
            weight = b.internal_expr(f"1 if ({test}) else 0")
            outcomes.append(Outcome("lapsed", weight, text, sets, adds, movez, marker=marker, title="No answer"))
        if accepting:
            test = " or ".join(f"{p['channel']} == {n}" for n in accepting)
            for package in sorted(self.packages.values(), key=lambda pk: pk.number):
                weight = b.internal_expr(f"1 if {p['package']} == {package.number} and ({test}) else 0")
                agreed = self._agreement(package, f"agreed:{package.number}", weight)
                outcomes.append(replace(agreed, title="Silence means consent"))
        chance = b.internal_expr(f"1 if {p['package']} > 0 and turn >= {p['due']} else 0")
        self.events.append(
            Event(LAPSE, "The offer's time runs out", chance, tuple(outcomes), internal=True, origin="negotiation")
        )

    def _breach(self) -> None:
        """The news of a guarantee broken, at the end of the turn: its text, marker and ending (its
        effects took hold with the breach itself)."""
        guarded = [(ch, self.raw_channels[ch.id].get("broken")) for ch in self.channels.values()]
        guarded = [(ch, raw) for ch, raw in guarded if isinstance(raw, dict)]
        if not guarded:
            return
        b = self.b
        outcomes = []
        viewers: set[str] | None = set()
        for ch, raw in guarded:
            where = f"channels.{ch.id}.broken"
            _, _, _, end, marker = self._effects_at(raw, where)
            own = None
            if "visible_to" in raw:
                seers = raw["visible_to"]
                own = Sight(
                    tuple(r for i, r in enumerate(seers) if b.ref(r, self.roles, f"{where}.visible_to.{i}", "role"))
                )
                if viewers is not None:
                    viewers |= set(own.viewers or ())
            else:
                viewers = None
            outcomes.append(
                Outcome(
                    ch.id,
                    b.internal_expr(f"1 if {BREACH} == {ch.number} else 0"),
                    raw.get("text", "").strip(),
                    ((BREACH, literal(0.0)),),
                    (),
                    (),
                    end,
                    marker,
                    raw.get("title", "A guarantee is broken"),
                    own,
                )
            )
        test = " or ".join(f"{BREACH} == {ch.number}" for ch, _ in guarded)
        self.events.append(
            Event(
                "_deal_breach",
                "A guarantee is broken",
                b.internal_expr(f"1 if ({test}) else 0"),
                tuple(outcomes),
                sight=PUBLIC if viewers is None else Sight(tuple(r for r in self.roles if r in viewers)),
                internal=True,
                origin="channels",
            )
        )

    def _settle(self) -> None:
        """With ``settles``: the game ends once every side has made its last move."""
        if not self.settles or self.settles not in self.endings:
            return
        owing = [r for r in self.parties if f"keep:{r}" in self.actions]
        done = " and ".join(done_name(r) for r in owing) or "true"
        chance = self.b.internal_expr(f"1 if {SETTLED} and (({done}) or turn >= {self.limit}) else 0")
        outcome = Outcome("settled", literal(1.0), "", end=self.settles, title="Settled")
        self.events.append(
            Event(
                "_deal_settles",
                "The deal settles the crisis",
                chance,
                (outcome,),
                internal=True,
                origin="negotiation.settles",
            )
        )
