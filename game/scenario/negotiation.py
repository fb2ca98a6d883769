"""The ``terms``, ``channels`` and ``negotiation`` sections: bargaining built from ordinary moves.

Nothing in the engine knows about deals. The loader turns the three sections into what the
engines already play:

* each term is a boolean variable with the term's id, true once the term is agreed, seen by
  every role that bargains (a file may read it like any variable);
* the offer on the table is a handful of internal variables (:data:`PENDING`): its package of
  terms, who sent it to whom, the channel it came by and the last turn it can be answered in;
  one offer is on the table at a time;
* every package of terms a channel can carry is an *offer*: an ordinary action of the sender,
  open while nothing is on the table or while what is on the table was sent to the sender (a
  counter-offer, which takes its place). Its outcomes are the channel's (what sending costs, and
  whether the offer arrives); an outcome that delivers it puts it on the table;
* the recipient answers with an *accept* move (one per package, open while that package is on
  the table: it sets the terms' flags and applies their effects, the channel's and the rules'),
  a *reject* move, or a counter-offer, on any of its moves until the offer's time runs out; or it
  stays silent, and an internal event at the end of the last turn the offer stood applies what
  silence means (the rejection, or the acceptance);
* a term that can be broken gives the role that owes it a *break* move once agreed; breaking a
  term agreed through a channel with a guarantee sets off that channel's consequences in an
  internal event at the end of the turn;
* with ``settles``, a struck deal ends the crisis: every other move and every event of the file
  stops, each side that owes a breakable term makes one last move (keep to the deal, or break
  one term), and an internal event ends the game with the named ending.

So the one-game engine, the batch engine, saves, replays and state hashes play bargaining with
no special case, and offers go through the information model like any move (a channel's
``visible_to`` and ``cover`` are the offer's). The number of offers is bounded: a channel may
carry at most :data:`MAX_PACKAGES` packages and a file may make at most :data:`MAX_MOVES` moves
this way; ``negotiation.max_terms`` and a channel's ``terms`` keep them within that.
"""

from __future__ import annotations

import ast
import math
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

from game.core.expr import BOOL, NUM, Expr, literal
from game.core.model import (
    PUBLIC,
    Action,
    Answer,
    Channel,
    Event,
    History,
    Negotiation,
    Offer,
    Outcome,
    Package,
    Sight,
    Term,
    Variable,
)
from game.scenario.answers import Answers
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
    with_sets,
)
from game.scenario.moves import sight

if TYPE_CHECKING:
    from game.scenario.loader import _Builder
    from game.scenario.moves import Moves

MAX_PACKAGES = 64  # the packages of terms one channel can carry
MAX_MOVES = 600  # the moves a file's bargaining can make, offers and answers together
GROUP = "Bargaining"


def parties(data: dict) -> tuple[str, ...]:
    """The roles that bargain: every role a channel joins, in the roles' order."""
    roles = data.get("roles") or {}
    named = {c.get(end) for c in (data.get("channels") or {}).values() for end in ("from", "to")}
    return tuple(r for r in roles if r in named)


def plan(data: dict, internals) -> None:
    """Add the internal variables bargaining needs (before the symbol table is built)."""
    channels = data.get("channels") or {}
    terms = data.get("terms") or {}
    if not channels and not terms:
        return
    for name in PENDING.values():
        internals.add(name, "number", 0.0, "channels")
    for tid in terms:
        internals.add(broken_name(tid), "boolean", 0.0, f"terms.{tid}")
        internals.add(via_name(tid), "number", 0.0, f"terms.{tid}")
    if any(isinstance(c.get("broken"), dict) for c in channels.values()):
        internals.add(BREACH, "number", 0.0, "channels")
    if (data.get("negotiation") or {}).get("settles"):
        internals.add(SETTLED, "boolean", 0.0, "negotiation.settles")
        for role in parties(data):
            internals.add(done_name(role), "boolean", 0.0, "negotiation.settles")


def _taken(data: dict) -> set:
    """The names a term may not take: the file's variables, constants and places (a term that
    takes one is refused once, where it is named, and adds no variable of its own)."""
    places = (data.get("map") or {}).get("places") or {}
    return {*(data.get("variables") or {}), *(data.get("constants") or {}), *places}


def term_kinds(data: dict) -> dict[str, str]:
    """The public names the terms add: one boolean each."""
    taken = _taken(data)
    return {tid: "boolean" for tid in data.get("terms") or {} if tid not in taken}


def term_variables(data: dict) -> dict[str, Variable]:
    """Each term's agreed flag, seen by the roles that bargain."""
    seers = parties(data)
    taken = _taken(data)
    return {
        tid: Variable(
            tid,
            "boolean",
            0.0,
            t.get("title", tid),
            description="Agreed in a deal.",
            visible_to=seers,
            origin=f"terms.{tid}",
        )
        for tid, t in (data.get("terms") or {}).items()
        if tid not in taken
    }


def _count(optional: int, most: int) -> int:
    return sum(math.comb(optional, k) for k in range(min(optional, most) + 1))


class Bargaining(Answers):
    """Builds the terms, channels and bargaining moves of one file."""

    def __init__(self, b: _Builder, moves: Moves, roles: dict, endings: dict):
        self.b = b
        self.moves = moves
        self.roles = roles
        self.endings = endings
        data = b.data
        self.raw_terms: dict = data.get("terms") or {}
        self.raw_channels: dict = data.get("channels") or {}
        self.rules: dict = data.get("negotiation") or {}
        self.parties = parties(data)
        self.order = {role: i for i, role in enumerate(data["turn_order"])}
        self.hours = float(data["calendar"]["hours_per_turn"])
        self.limit = int(data["calendar"]["turn_limit"])
        self.settles = self.rules.get("settles", "")
        self.group = self.rules.get("group", GROUP)
        self.terms: dict[str, Term] = {}
        self.term_when: dict[str, Expr] = {}
        self.compiled: dict[str, tuple] = {}
        self.channels: dict[str, Channel] = {}
        self.packages: dict[tuple[str, str, tuple[str, ...]], Package] = {}
        self.accept_outcomes: dict[int, Outcome] = {}
        self.actions: dict[str, Action] = {}
        self.events: list[Event] = []
        self.offers: dict[str, Offer] = {}
        self.answers: dict[str, Answer] = {}
        self.values: dict[tuple, Expr] = {}  # constant values set by bargaining moves, by value
        self.carried_effects: dict[tuple[str, ...], tuple] = {}  # see Answers._carried_effects

    # the whole section -----------------------------------------------------------------------

    def build(self) -> Negotiation | None:
        if not self.raw_terms and not self.raw_channels:
            if self.rules:
                self.b.at("negotiation", "there are no terms or channels to bargain with", "add terms: and channels:")
            return None
        data = self.b.data
        if not self.raw_terms and "terms" in data:
            self.b.at("terms", "the terms section is empty", "add a term for the channels to carry")
        elif not self.raw_terms:
            self.b.at("channels", "channels need terms to carry", "add a terms: section")
        if not self.raw_channels and "channels" in data:
            self.b.at("channels", "the channels section is empty", "add a channel for the terms to be offered through")
        elif not self.raw_channels:
            self.b.at("terms", "terms need a channel to be offered through", "add a channels: section")
        if not self.raw_terms or not self.raw_channels:
            return None
        self._rules()
        for tid, t in self.raw_terms.items():
            self.terms[tid] = self._term(tid, t)
        for number, (cid, c) in enumerate(self.raw_channels.items(), 1):
            channel = self._channel(cid, c, number)
            if channel is not None:
                self.channels[cid] = channel
        counts = [self._package_count(channel) for channel in self.channels.values()]
        offers = sum(n for n in counts if n <= MAX_PACKAGES)  # a wider channel is refused by itself
        if offers > MAX_MOVES:
            self.b.at(
                "channels",
                f"the channels would make {offers} offers, more than {MAX_MOVES} bargaining moves",
                "use fewer channels, limit the terms a channel carries (terms: [...]) "
                "or the terms per offer (negotiation.max_terms)",
            )
            return None
        for cid, c in self.raw_channels.items():
            if cid in self.channels:
                self._offers(self.channels[cid], c)
        for package in self.packages.values():
            self._accept(package)
        for role in self.parties:
            self._reject(role)
        for tid, t in self.raw_terms.items():
            if isinstance(t.get("broken"), dict) and self.terms[tid].owed_by in self.parties:
                self._break(tid, t["broken"])
        if self.settles:
            for role in self.parties:
                self._keep(role)
        # answers to what is on the table come first: where a policy finds two moves equally
        # good it takes the first, and accepting beats offering the same terms back
        rank = {"accept": 0, "reject": 1, "break": 3, "keep": 4}
        order = sorted(self.actions, key=lambda a: rank[self.answers[a].kind] if a in self.answers else 2)
        self.actions = {a: self.actions[a] for a in order}
        if len(self.actions) > MAX_MOVES:
            self.b.at(
                "channels",
                f"the terms and channels make {len(self.actions)} moves, more than {MAX_MOVES}",
                "limit the terms a channel carries (terms: [...]) or the terms per offer (negotiation.max_terms)",
            )
        self._lapse()
        self._breach()
        self._settle()
        return Negotiation(
            terms=self.terms,
            channels=self.channels,
            offers=self.offers,
            answers=self.answers,
            packages=tuple(sorted(self.packages.values(), key=lambda p: p.number)),
            pending=dict(PENDING, **({"settled": SETTLED} if self.settles else {})),
            broken={tid: broken_name(tid) for tid in self.terms},
            via={tid: via_name(tid) for tid in self.terms},
            bottom_line=self.bottom_line,
            settles=self.settles,
            parties=self.parties,
            group=self.group,
            accept_weight=self.accept_weight,
            agreed_reads=tuple(
                (where, frozenset(n for part in found[:3] for _, expr in part for n in expr.names))
                for where, found in self.compiled.items()
                if where.endswith(".agreed")
            ),
        )

    def _rules(self) -> None:
        b = self.b
        rules = self.rules
        self.answer_hours = rules.get("answer_hours")
        if self.answer_hours is not None and self._hours_wrong(self.answer_hours, "negotiation.answer_hours"):
            self.answer_hours = None
        self.silence = rules.get("silence", "reject")
        self.max_terms = rules.get("max_terms")
        if self.max_terms is not None and self.max_terms < 1:
            b.at(
                "negotiation.max_terms",
                "an offer must be able to hold at least one term",
                "write max_terms: 1 or more, or leave it out for no limit",
            )
        lines = []
        for role, value in (rules.get("bottom_line") or {}).items():
            if b.ref(role, self.roles, f"negotiation.bottom_line.{role}.__key__", "role"):
                lines.append((role, b.expr(value, f"negotiation.bottom_line.{role}", NUM)))
        self.bottom_line = tuple(lines)
        weights = []
        for role, value in (rules.get("ai_weight") or {}).items():
            if b.ref(role, self.roles, f"negotiation.ai_weight.{role}.__key__", "role"):
                weights.append((role, b.expr(value, f"negotiation.ai_weight.{role}", NUM)))
        self.accept_weight = tuple(weights)
        for role in (rules.get("keep") or {}).get("history") or {}:
            b.ref(role, self.roles, f"negotiation.keep.history.{role}.__key__", "role")
        if self.settles:
            b.ref(self.settles, self.endings, "negotiation.settles", "ending")
            if (rules.get("agreed") or {}).get("end"):
                b.at(
                    "negotiation.agreed.end",
                    "a deal that settles the game ends it after the last moves, not at once",
                    "leave out either settles or end",
                )

    # terms and channels ------------------------------------------------------------------------

    def _term(self, tid: str, t: dict) -> Term:
        b = self.b
        where = f"terms.{tid}"
        owed = t["owed_by"]
        if b.ref(owed, self.roles, f"{where}.owed_by", "role") and owed not in self.parties and self.raw_channels:
            b.at(f"{where}.owed_by", f"'{owed}' sends and receives no offers, so this term can never be agreed")
        worth = []
        for role, value in (t.get("worth") or {}).items():
            if b.ref(role, self.roles, f"{where}.worth.{role}.__key__", "role"):
                worth.append((role, b.expr(value, f"{where}.worth.{role}", NUM)))
        self.term_when[tid] = b.expr(t.get("when", True), f"{where}.when", BOOL)
        if t.get("description"):
            b.template(t["description"], f"{where}.description")
        return Term(
            tid,
            t["title"],
            t.get("short", t["title"]),
            t.get("description", "").strip(),
            owed,
            tuple(worth),
            bool(t.get("required")),
            isinstance(t.get("broken"), dict),
            any(k != "text" for k in (t.get("agreed") or {})),
        )

    def _channel(self, cid: str, c: dict, number: int) -> Channel | None:
        b = self.b
        where = f"channels.{cid}"
        sender, recipient = c["from"], c["to"]
        ok = b.ref(sender, self.roles, f"{where}.from", "role") & b.ref(recipient, self.roles, f"{where}.to", "role")
        if ok and sender == recipient:
            others = [r for r in self.roles if r != sender]
            b.at(
                f"{where}.to",
                "a channel joins two different roles",
                f"send it to the side that answers (to: {others[0]})" if others else "add the role that answers",
            )
            ok = False
        guarantee = b.expr(c.get("guarantee", 1), f"{where}.guarantee", NUM)
        if guarantee.constant is not None and not 0 <= guarantee.constant <= 1:
            b.at(
                f"{where}.guarantee",
                f"a guarantee is between 0 and 1, not {guarantee.constant:g}",
                "1: promises carried this way are kept; 0: they are worth nothing",
            )
        hours = c.get("answer_hours", self.answer_hours)
        if "answer_hours" in c and self._hours_wrong(c["answer_hours"], f"{where}.answer_hours"):
            hours = None
        moves = max(1, math.ceil(hours / self.hours - 1e-9)) if hours and hours > 0 else 1
        carried = self._carried(cid, c, sender, recipient)
        if c.get("description"):
            b.template(c["description"], f"{where}.description")
        ai_weight = b.expr(c["ai_weight"], f"{where}.ai_weight", NUM) if "ai_weight" in c else None
        worth = []
        for role, value in (c.get("worth") or {}).items():
            if b.ref(role, self.roles, f"{where}.worth.{role}.__key__", "role"):
                worth.append((role, b.expr(value, f"{where}.worth.{role}", NUM)))
        if not ok:
            return None
        return Channel(
            cid,
            c["title"],
            c.get("description", "").strip(),
            sender,
            recipient,
            number,
            guarantee,
            moves,
            c.get("silence", self.silence),
            carried,
            ai_weight,
            worth=tuple(worth),
        )

    def _hours_wrong(self, hours: float, where: str) -> bool:
        """Refuse an answer time of 0 hours or less, or one longer than the whole game."""
        whole = self.hours * self.limit
        if not hours > 0:
            self.b.at(
                where,
                "an offer must stand for more than 0 hours",
                "leave answer_hours out to let the recipient answer on its next move only",
            )
            return True
        if hours > whole:
            self.b.at(
                where,
                f"an offer standing {hours:g} hours outlasts the whole game ({self.limit} turns of "
                f"{self.hours:g} hours: {whole:g} hours), so silence could never answer it",
                f"write at most {whole:g}, or leave it out to let the recipient answer on its next move only",
            )
            return True
        return False

    def _carried(self, cid: str, c: dict, sender: str, recipient: str) -> tuple[str, ...]:
        b = self.b
        where = f"channels.{cid}"
        if "terms" not in c:
            carried = tuple(t for t, term in self.terms.items() if term.owed_by in (sender, recipient))
            if not carried and sender != recipient:
                b.at(
                    f"{where}.__key__",
                    f"no term is owed by '{sender}' or '{recipient}', so this channel has nothing to carry",
                    "give a term owed_by one of them",
                )
            return carried
        if not c["terms"]:
            b.at(f"{where}.terms", "a channel must carry at least one term", "name its terms, or leave terms: out")
            return ()
        named = []
        for i, tid in enumerate(c["terms"]):
            if not b.ref(tid, self.terms, f"{where}.terms.{i}", "term"):
                continue
            if self.terms[tid].owed_by in self.roles and self.terms[tid].owed_by not in (sender, recipient):
                b.at(f"{where}.terms.{i}", f"'{tid}' is owed by '{self.terms[tid].owed_by}', who is not party to it")
            named.append(tid)
        missing = [t for t, term in self.terms.items() if term.required and term.owed_by in (sender, recipient)]
        missing = [t for t in missing if t not in named]
        if missing:
            b.at(
                f"{where}.terms",
                f"the required term '{missing[0]}' is left out",
                "every offer holds the required terms",
            )
        return tuple(t for t in self.terms if t in named)  # in the file's order of terms

    # offers ------------------------------------------------------------------------------------

    def _package_count(self, channel: Channel) -> int:
        """How many packages the channel carries (counted, not built)."""
        terms = [self.terms[t] for t in channel.terms]
        optional = sum(not t.required for t in terms)
        most = optional if self.max_terms is None else min(self.max_terms, optional)
        return _count(optional, most) - (0 if any(t.required for t in terms) else 1)

    def _packages(self, channel: Channel) -> list[tuple[str, ...]]:
        terms = [self.terms[t] for t in channel.terms]
        required = [t.id for t in terms if t.required]
        optional = [t.id for t in terms if not t.required]
        most = len(optional) if self.max_terms is None else min(self.max_terms, len(optional))
        if _count(len(optional), most) > MAX_PACKAGES:
            self.b.at(
                f"channels.{channel.id}",
                f"the channel can carry {_count(len(optional), most)} different packages of terms, "
                f"more than {MAX_PACKAGES}",
                "limit the terms it carries (terms: [...]) or the terms per offer (negotiation.max_terms)",
            )
            return []
        out = []
        for size in range(most + 1):
            for chosen in combinations(optional, size):
                package = tuple(t for t in channel.terms if t in required or t in chosen)
                if package:
                    out.append(package)
        return out

    def _offers(self, channel: Channel, c: dict) -> None:
        b = self.b
        where = f"channels.{channel.id}"
        move_sight = sight(b, c, where, self.roles, f"{channel.id}~cover") or PUBLIC
        if "outcomes" in c:
            outcomes = self.moves.outcomes(c["outcomes"], where, False, c["title"], move_sight, channel.sender)
            delivered = [o["delivered"] if "delivered" in o else True for o in c["outcomes"].values()]
        else:
            text = braces(f"The terms are put to {b.data['roles'][channel.recipient]['name']}.")
            b.template(text, where, checked=False)
            outcomes = (Outcome("delivered", literal(1.0), text, title="Delivered"),)
            delivered = [True]
        if not any(delivered):
            b.at(f"{where}.outcomes", "no outcome delivers the offer", "give one outcome delivered: true")
        outcomes = tuple(_told(o, move_sight, channel.recipient) if d else o for o, d in zip(outcomes, delivered))
        channel = replace(channel, delivers=tuple(o.id for o, d in zip(outcomes, delivered) if d))
        self.channels[channel.id] = channel
        history = c.get("history")
        if history is not None:
            for i, tid in enumerate(history["terms"]):
                b.ref(tid, self.terms, f"{where}.history.terms.{i}", "term")
        when = b.expr(c.get("when", True), f"{where}.when", BOOL)
        channel = replace(channel, when=when)
        self.channels[channel.id] = channel
        for terms in self._packages(channel):
            package = self._package(channel, terms)
            offer_id = f"offer:{channel.id}:{'+'.join(terms)}"
            sets = self._delivered(channel, package)
            placed = tuple(o if not d else with_sets(o, sets) for o, d in zip(outcomes, delivered))
            shorts = [self.terms[t].short for t in terms]
            description = c.get("description", "").strip()
            description = (description + "\n\n" if description else "") + braces(f"The terms: {listing(shorts)}.")
            b.template(description, f"{where}.description", checked=False)
            self.actions[offer_id] = Action(
                group=self.group,
                id=offer_id,
                role=channel.sender,
                title=f"{c['title']}: {braces(', '.join(shorts))}",
                description=description,
                when=self._offer_when(channel, terms, when),
                outcomes=placed,
                unavailable=c.get("unavailable", ""),
                ai_weight=channel.ai_weight,
                history=_offer_history(history, terms),
                sight=move_sight,
                origin=where,
            )
            self.offers[offer_id] = Offer(
                offer_id, channel.id, channel.sender, channel.recipient, terms, package.number
            )

    def _package(self, channel: Channel, terms: tuple[str, ...]) -> Package:
        key = (channel.sender, channel.recipient, terms)
        if key not in self.packages:
            self.packages[key] = Package(len(self.packages) + 1, *key)
        return self.packages[key]

    def _delivered(self, channel: Channel, package: Package) -> tuple[tuple[str, Expr], ...]:
        """What an offer that arrives sets: the pending offer and the last turn it stands in."""
        first = 0 if self.order.get(channel.recipient, 0) > self.order.get(channel.sender, 0) else 1
        due = first + channel.answer_moves - 1
        roles = list(self.roles)
        return (
            (PENDING["package"], self.fixed(float(package.number))),
            (PENDING["sender"], self.fixed(float(roles.index(channel.sender) + 1))),
            (PENDING["recipient"], self.fixed(float(roles.index(channel.recipient) + 1))),
            (PENDING["channel"], self.fixed(float(channel.number))),
            (PENDING["due"], self.b.internal_expr(f"turn + {due}")),
        )

    def _offer_when(self, channel: Channel, terms: tuple[str, ...], when: Expr) -> Expr:
        roles = list(self.roles)
        me, them = roles.index(channel.sender) + 1, roles.index(channel.recipient) + 1
        p = PENDING
        parts = [
            f"({source_of(when)})",
            f"({p['package']} == 0 or ({p['recipient']} == {me} and {p['sender']} == {them}))",
            f"not ({' or '.join(terms)})",
        ]
        parts += [f"({source_of(self.term_when[t])})" for t in terms if self.term_when[t].constant != 1.0]
        if self.settles:
            parts.append(f"not {SETTLED}")
        return self.b.internal_all(parts)

    # the rest of the file, with settles ------------------------------------------------------

    def settled_action(self, action: Action) -> Action:
        """A file's action, closed once a deal has settled the crisis."""
        if not self.settles:
            return action
        if action.when.constant == 1.0:
            return replace(action, when=self.b.internal_expr("not " + SETTLED))
        return replace(action, when=self.b.internal_all([f"({source_of(action.when)})", f"not {SETTLED}"]))

    def settled_event(self, event: Event) -> Event:
        """A file's event, which no longer happens once a deal has settled the crisis."""
        if not self.settles:
            return event
        return replace(event, chance=self.b.internal_expr(_stopped(event.chance)))


def _told(outcome: Outcome, move_sight: Sight, recipient: str) -> Outcome:
    """An outcome that puts an offer on the table, seen by the role the offer goes to whatever the
    channel's ``visible_to`` says: the offer is made to it, and its answer moves open at once."""
    seen = outcome.sight if outcome.sight is not None else move_sight
    if seen.sees(recipient):
        return outcome
    return replace(outcome, sight=Sight((*seen.viewers, recipient), seen.cover))


def _stopped(chance: Expr) -> str:
    """A chance that is 0 once a deal is settled, keeping ``c if test else 0`` in that form (the
    batch engine rolls such chances only where the test holds)."""
    tree = chance.tree
    if isinstance(tree, ast.IfExp) and isinstance(tree.orelse, ast.Constant) and tree.orelse.value == 0:
        return f"({ast.unparse(tree.body)}) if (({ast.unparse(tree.test)}) and not {SETTLED}) else 0"
    return f"0 if {SETTLED} else ({source_of(chance)})"


def _offer_history(h: dict | None, terms: tuple[str, ...]) -> History | None:
    """The channel's history, on the offer of the package that was really offered."""
    if h is None or set(h["terms"]) != set(terms):
        return None
    return history_of(h)
