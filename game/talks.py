"""The bargaining table as a player works it: compose an offer from a channel and terms, answer one.

The loader makes one offer move per package of terms per channel, so a side may have dozens of
near-identical offers open. The window and the terminal show them as one composer instead: pick
a channel, tick terms, and :class:`Composer` finds the one open offer move that is that package
through that channel. Which channels and terms can be picked comes from the side's own open
moves (its observation), so a closed package is never offered.

What a preview says comes from the side's belief (:mod:`game.core.belief`), never the truth: the
channel's outcomes with the odds the side can work out, what the deal would be worth to it over
the truths it cannot rule out, and the chance it is accepted (:func:`game.ai.bargain.acceptance`).
An offer waiting for an answer is read the same way (:func:`incoming`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from game.ai import bargain
from game.core import belief as beliefs
from game.core import negotiation as deals
from game.core.information import Observation
from game.core.model import Answer, Channel, Offer, Scenario
from game.core.state import State


@dataclass(frozen=True)
class Spread:
    """A figure as a side can work it out: the mean over its belief and the range over its truths."""

    mean: float
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return abs(self.high - self.low) < 0.5


def worth_words(spread: Spread | None) -> str:
    """A worth in score points, with its range where the side cannot tell it exactly."""
    if spread is None:
        return "?"
    if spread.exact:
        return _points(spread.mean)
    return f"{_points(spread.mean)} ({_points(spread.low)} to {_points(spread.high)})"


def _points(value: float) -> str:
    """Whole points with their sign; what rounds to nothing is 0, never -0 or +0."""
    rounded = round(value)
    return "0" if rounded == 0 else f"{rounded:+d}"


@dataclass(frozen=True)
class Effect:
    """One outcome of sending: its title, its odds, and the changes the side would see."""

    title: str
    odds: beliefs.Odds
    changes: tuple[str, ...]
    delivers: bool


@dataclass(frozen=True)
class Preview:
    """What sending an offer would cost, what the deal is worth to its sender, how likely it is taken."""

    offer: Offer
    effects: tuple[Effect, ...]
    worth: Spread
    acceptance: bargain.Acceptance


@dataclass(frozen=True)
class TermChoice:
    """A term as the composer shows it: ticked or not, and whether it can be changed (why not)."""

    id: str
    title: str
    ticked: bool
    open: bool
    reason: str = ""


def open_offers(scenario: Scenario, observation: Observation) -> tuple[Offer, ...]:
    """The offers the side can make now, from its own open moves, in file order."""
    return tuple(o for m in observation.legal if (o := deals.offer_of(scenario, m)) is not None)


def answers(scenario: Scenario, observation: Observation) -> dict[str, Answer]:
    """The side's open answers by kind ("accept", "reject", "keep", "break")."""
    found: dict[str, Answer] = {}
    for move in observation.legal:
        answer = deals.answer_of(scenario, move)
        if answer is not None:
            found.setdefault(answer.kind, answer)
    return found


@dataclass(frozen=True)
class TableChannel:
    """A channel as a client far from the scenario file knows it (see :func:`table_of`)."""

    id: str
    title: str
    sender: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class TableTerm:
    """A term as a client far from the scenario file knows it (see :func:`table_of`)."""

    id: str
    title: str
    required: bool
    owed_by: str  # the role itself, or "" for the other side


@dataclass(frozen=True)
class Table:
    """The side's channels and every term, by id: what a :class:`Composer` reads of a scenario's
    negotiation section, for a client that has only what a server sent it."""

    channels: dict[str, TableChannel]
    terms: dict[str, TableTerm]


def table_of(talks: dict, moves: list[dict], role: str) -> tuple[Table, tuple[Offer, ...]]:
    """The table and the open offers from a server's view (its ``talks`` and ``moves``); a
    ValueError when the view does not hold them as the protocol says."""
    try:
        channels = {c["id"]: TableChannel(c["id"], c["title"], role, tuple(c["terms"])) for c in talks["channels"]}
        terms = {
            t["id"]: TableTerm(t["id"], t["title"], bool(t["required"]), role if t["yours"] else "")
            for t in talks["terms"]
        }
        offers = tuple(
            Offer(m["id"], m["offer"]["channel"], role, "", tuple(m["offer"]["terms"]), 0)
            for m in moves
            if m.get("offer")
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"the bargaining table in the view is malformed ({exc!r})") from None
    if any(o.channel not in channels or not set(o.terms) <= set(terms) for o in offers):
        raise ValueError("the view has offers through channels or with terms its table does not list")
    if any(not set(c.terms) <= set(terms) for c in channels.values()):
        raise ValueError("the view has channels carrying terms its table does not list")
    return Table(channels, terms), offers


def listed(view: dict) -> list[dict]:
    """A server view's open moves a list numbers: all but the offers, which a composer makes."""
    return [m for m in view["moves"] if not m.get("offer")]


def answer_in(view: dict, kind: str) -> dict | None:
    """A server view's open answer of ``kind`` ("accept", "reject", ...), if there is one."""
    return next((m for m in view["moves"] if (m.get("answer") or {}).get("kind") == kind), None)


def pick(word: str, items: list):
    """The item numbered ``word`` (from 1) or with that id."""
    if word.isascii() and word.isdigit() and 1 <= int(word) <= len(items):
        return items[int(word) - 1]
    return next((i for i in items if i.id == word), None)


class Composer:
    """A channel and a set of terms, kept to the packages the side can send now."""

    def __init__(self, scenario: Scenario, observation: Observation):
        self._start(scenario.negotiation, observation.role, open_offers(scenario, observation))

    @classmethod
    def of(cls, deal, role: str, offers: tuple[Offer, ...]) -> Composer:
        """A composer over ``deal`` (a negotiation section or a :class:`Table`) and open ``offers``."""
        composer = cls.__new__(cls)
        composer._start(deal, role, offers)
        return composer

    def _start(self, deal, role: str, offers: tuple[Offer, ...]) -> None:
        self.deal = deal
        self.role = role
        self.offers = offers
        self.by_package = {(o.channel, frozenset(o.terms)): o for o in self.offers}
        self.channel = ""
        self.ticked: frozenset[str] = frozenset()
        if self.offers:
            self.pick(self.offers[0].channel)

    def channels(self) -> list[tuple[Channel, bool]]:
        """Every channel the side sends through, and whether it is open now."""
        open_ids = {o.channel for o in self.offers}
        return [(c, c.id in open_ids) for c in self.deal.channels.values() if c.sender == self.role]

    def pick(self, channel: str) -> bool:
        """Send through ``channel``, keeping the terms it can carry (the fewest it takes otherwise)."""
        mine = [o for o in self.offers if o.channel == channel]
        if not mine:
            return False
        self.channel = channel
        kept = frozenset(t for t in self.ticked if t in self.deal.channels[channel].terms)
        if (channel, kept) not in self.by_package:
            kept = frozenset(min(mine, key=lambda o: len(o.terms)).terms)
        self.ticked = kept
        return True

    def terms(self) -> list[TermChoice]:
        """Every term in the file's order, as it can be changed through the channel picked."""
        channel = self.deal.channels.get(self.channel)
        out = []
        for tid, term in self.deal.terms.items():
            ticked = tid in self.ticked
            out.append(TermChoice(tid, term.title, ticked, *self._can_toggle(tid, ticked, channel)))
        return out

    def _can_toggle(self, tid: str, ticked: bool, channel: Channel | None) -> tuple[bool, str]:
        if channel is None:
            return False, "no channel is open"
        if tid not in channel.terms:
            return False, "this channel cannot carry it"
        if not any(tid in o.terms for o in self.offers if o.channel == self.channel):
            return False, "not on the table now"
        if ticked and self.deal.terms[tid].required:
            return False, "every offer includes it"
        if (self.channel, self.ticked ^ {tid}) not in self.by_package:
            return False, "not with the terms ticked" if not ticked else "the rest cannot go alone"
        return True, ""

    def why_not(self, terms) -> str:
        """Why no open offer through the channel picked is exactly ``terms`` ("" when one is)."""
        if (self.channel, frozenset(terms)) in self.by_package:
            return ""
        channel = self.deal.channels[self.channel]
        mine = [o for o in self.offers if o.channel == self.channel]
        reasons = []
        for tid in terms:
            if tid not in channel.terms:
                reasons.append(f"{self.deal.terms[tid].title}: this channel cannot carry it")
            elif not any(tid in o.terms for o in mine):
                reasons.append(f"{self.deal.terms[tid].title}: not on the table now")
        return "; ".join(reasons) or "those terms cannot go together in one offer"

    def toggle(self, tid: str) -> bool:
        """Tick or untick ``tid`` when the package that makes is open; False when it cannot change."""
        choice = next((c for c in self.terms() if c.id == tid), None)
        if choice is None or not choice.open:
            return False
        self.ticked = self.ticked ^ {tid}
        return True

    @property
    def offer(self) -> Offer | None:
        """The open offer move that is the package ticked through the channel picked."""
        return self.by_package.get((self.channel, self.ticked))

    def parse(self, words: list[str]) -> Offer | str:
        """The open offer ``words`` name (a channel, then terms, by number or id, the channel's
        required terms added), or why there is none."""
        channels = [c for c, _ in self.channels()]
        terms = list(self.deal.terms.values())
        channel = pick(words[0], channels)
        if channel is None or not self.pick(channel.id):
            return f"'{words[0]}' is not a channel open now (o lists them)."
        wanted = set(self.ticked)
        for word in words[1:]:
            term = pick(word, terms)
            if term is None:
                return f"'{word}' is not a term (o lists them)."
            wanted.add(term.id)
        wanted |= {t.id for t in terms if t.required and t.id in channel.terms}
        why = self.why_not(wanted)
        if why:
            return f"No offer open on the channel “{channel.title}” carries exactly those terms ({why})."
        return self.by_package[(channel.id, frozenset(wanted))]

    def command(self, words: list[str]) -> Offer | list[str]:
        """The ``o`` command of a terminal: the offer ``words`` name, or the lines to print instead
        (that nothing can be offered, the listing when no words are given, or why not)."""
        if not self.offers:
            return ["No offer can be made now."]
        if not words:
            return self.listing()
        found = self.parse(words)
        return [found] if isinstance(found, str) else found

    def listing(self) -> list[str]:
        """What ``o`` prints: the channels and the terms, numbered as :meth:`parse` reads them."""
        lines = ["Channels:"]
        numbers = {tid: n for n, tid in enumerate(self.deal.terms, 1)}
        for n, (channel, open_) in enumerate(self.channels(), 1):
            if not open_:
                lines.append(f"  {n}. {channel.title} (closed)")
                continue
            now = {t for o in self.offers if o.channel == channel.id for t in o.terms}
            carries = ", ".join(str(numbers[t]) for t in self.deal.terms if t in now)
            lines.append(f"  {n}. {channel.title} (carries terms {carries} now)")
        lines.append("Terms:")
        for n, term in enumerate(self.deal.terms.values(), 1):
            who = "you give" if term.owed_by == self.role else "they give"
            need = ", always included" if term.required else ""
            lines.append(f"  {n}. {term.title} ({who}{need})")
        lines.append("Type o CHANNEL TERMS, e.g. o 1 3 4, to see what that offer would cost and be worth.")
        return lines


def worth_spread(belief: beliefs.Belief, role: str, terms, channel: Channel | None = None) -> Spread:
    """What ``terms`` are worth to ``role`` over the truths its belief holds (through ``channel``, or
    the channel each truth has on the table)."""
    deal = belief.scenario.negotiation
    mean, low, high = 0.0, float("inf"), float("-inf")
    for particle in belief.particles:
        via = channel or getattr(deals.pending(particle.state), "channel", None)
        if via is None:
            continue
        value = deals.worth(deal, particle.state.env, role, terms, via)
        mean += particle.weight * value
        low, high = min(low, value), max(high, value)
    if low > high:
        return Spread(0.0, 0.0, 0.0)
    return Spread(mean, low, high)


def worth_parts(belief: beliefs.Belief, role: str, terms, channel: Channel) -> list[tuple[str, float]]:
    """What each part of a deal through ``channel`` is worth to ``role``, by the mean over its
    belief: the channel's own worth (if it has one), then each term's as :func:`game.core.negotiation.worth`
    counts it (a promise of the other side's weighed by the channel's guarantee). They add up to
    :func:`worth_spread`'s mean, up to rounding."""
    return _parts(belief, role, terms, channel, {})


def offers_parts(belief: beliefs.Belief, role: str, offers: list[Offer]) -> dict[str, list[tuple[str, float]]]:
    """:func:`worth_parts` of each of many offers of ``role``, by offer id: each channel's worth
    and each term's through each channel are worked out once, however many packages share them."""
    if not offers:  # a scenario without a negotiation has none, nor any channels
        return {}
    channels = belief.scenario.negotiation.channels
    cache: dict[tuple, float] = {}
    return {o.id: _parts(belief, role, o.terms, channels[o.channel], cache) for o in offers}


def _parts(belief: beliefs.Belief, role: str, terms, channel: Channel, cache: dict) -> list[tuple[str, float]]:
    deal = belief.scenario.negotiation
    parts: list[tuple[str, float]] = []
    own = channel.worth_to(role)
    if own is not None:
        parts.append((channel.title, _mean(cache, (channel.id, None), belief, lambda env: own(env))))
    for tid in terms:
        term = deal.terms[tid]
        expr = term.worth_to(role)
        if expr is None:
            continue
        if term.owed_by == role:
            value = _mean(cache, (None, tid), belief, lambda env, expr=expr: expr(env))
        else:
            value = _mean(
                cache, (channel.id, tid), belief, lambda env, expr=expr: expr(env) * deals.guarantee(channel, env)
            )
        parts.append((term.title, value))
    return parts


def _mean(cache: dict, key: tuple, belief: beliefs.Belief, work) -> float:
    found = cache.get(key)
    if found is None:
        found = cache[key] = sum(p.weight * work(p.state.env) for p in belief.particles)
    return found


def sent_too_late(move: object, channels: object, channel: str) -> str:
    """The recipient's name when a server marked an offer too late (``move``: its entry in the
    view's moves, ``channels``: the view's channels), or "" when it is not marked or the message
    is malformed."""
    mark = move.get("offer") if isinstance(move, dict) else None
    if not isinstance(mark, dict) or mark.get("too_late") is not True:
        return ""
    found = (
        [c for c in channels if isinstance(c, dict) and c.get("id") == channel] if isinstance(channels, list) else []
    )
    name = found[0].get("to") if found else None
    return name[:80] if isinstance(name, str) and name else "the other side"


def sent_parts(figures: object) -> list[tuple[str, float]]:
    """The parts of a deal's worth as a server sent them (``figures``: an offer's ``deal`` entry),
    each a title and a finite number; anything else in the message is left out, not shown."""
    worth = figures.get("worth") if isinstance(figures, dict) else None
    parts = worth.get("parts") if isinstance(worth, dict) else None
    if not isinstance(parts, list):
        return []
    found = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        title, value = part.get("title"), part.get("worth")
        if isinstance(title, str) and isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isfinite(value):
                found.append((title[:80], float(value)))
    return found


def parts_words(parts: list[tuple[str, float]]) -> str:
    """A deal's parts as a line: "Wagner halts and turns back -29; Prigozhin goes to Belarus +4"."""
    return "; ".join(f"{title} {value:+.0f}" for title, value in parts)


def figures(
    belief: beliefs.Belief, offers: list[Offer], known: dict[str, list[beliefs.Odds]] | None = None
) -> dict[str, tuple[bargain.Acceptance, Spread]]:
    """The chance of acceptance and the worth to its sender of each of many offers of the belief's
    role: the figures :func:`game.ai.bargain.acceptance` and :func:`worth_spread` give one offer at
    a time, to the last bit, with each expression worked out once per truth instead of once per
    package (a channel's packages share its outcomes, its guarantee and their terms' worths).
    ``known`` holds odds already worked out, by move."""
    scenario = belief.scenario
    deal = scenario.negotiation
    cache: dict[tuple, float] = {}
    particles = belief.particles

    def once(key: tuple, work, *args) -> float:
        found = cache.get(key)
        if found is None:
            found = cache[key] = work(*args)
        return found

    def worth(i: int, env, role: str, terms, channel: Channel) -> float:  # deals.worth, term by term
        trust = once((i, "trust", channel.id), deals.guarantee, channel, env)
        own = channel.worth_to(role)
        total = 0.0 if own is None else once((i, "own", channel.id, role), own, env)
        for tid in terms:
            term = deal.terms[tid]
            expr = term.worth_to(role)
            if expr is None:
                continue
            value = once((i, "term", tid, role), expr, env)
            if term.owed_by != role:
                value = value * trust
            total += value
        return total

    out = {}
    for offer in offers:
        move = scenario.actions[offer.id]
        channel = deal.channels[offer.channel]
        found = known.get(offer.id) if known is not None else None
        arrives = sum(o.chance for o in (found or beliefs.odds(belief, move)) if o.outcome in channel.delivers)
        # packages of one channel share their outcomes; the channel is in the key because what
        # counts as arriving is the channel's own list
        shape = (channel.id, tuple((o.id, id(o.weight)) for o in move.outcomes))
        took, took_low, took_high = 0.0, 1.0, 0.0
        mean, low, high = 0.0, float("inf"), float("-inf")
        for i, particle in enumerate(particles):
            state = particle.state
            env = state.env
            p_arrive = once((i, "arrive", shape), _arrival, state, move, channel.delivers)
            line = deal.bottom_line_of(channel.recipient)
            floor = 0.0 if line is None else once((i, "line", channel.recipient), line, env)
            yes = p_arrive if worth(i, env, channel.recipient, offer.terms, channel) > floor else 0.0
            took += particle.weight * yes
            took_low, took_high = min(took_low, yes), max(took_high, yes)
            value = worth(i, env, offer.sender, offer.terms, channel)
            mean += particle.weight * value
            low, high = min(low, value), max(high, value)
        if not particles:
            took_low = 0.0
        spread = Spread(0.0, 0.0, 0.0) if low > high else Spread(mean, low, high)
        out[offer.id] = (bargain.Acceptance(took, took_low, took_high, arrives), spread)
    return out


def _arrival(state: State, move, delivers) -> float:
    return sum(p for o, p in state.outcomes(move) if o.id in delivers)


def effects(state: State, belief: beliefs.Belief, offer: Offer) -> tuple[Effect, ...]:
    """The outcomes of sending ``offer``, with the side's odds and the fixed changes it would see."""
    scenario = state.scenario
    move = scenario.actions[offer.id]
    seen = {s.variable for s in state.observe(offer.sender).seen}
    delivers = scenario.negotiation.channels[offer.channel].delivers
    out = []
    for odds in beliefs.odds(belief, move):
        outcome = move.outcome(odds.outcome)
        changes = []
        for vid, expr in outcome.add:
            if vid in seen and expr.constant is not None and expr.constant:
                changes.append(f"{scenario.variables[vid].label} {expr.constant:+g}")
        out.append(Effect(odds.title or odds.outcome, odds, tuple(changes), odds.outcome in delivers))
    return tuple(out)


def too_late(state: State, offer: Offer) -> bool:
    """True when ``offer`` cannot become a deal because the game ends first: on the last turn,
    with the recipient's place in the turn order passed, nobody is left to answer it, and its
    channel's silence means a refusal. (Where silence accepts, the end of the turn may still.)"""
    scenario = state.scenario
    if state.turn < scenario.calendar.turn_limit:
        return False
    if scenario.negotiation.channels[offer.channel].silence != "reject":
        return False
    return offer.recipient not in scenario.turn_order[state.step + 1 :]


def too_late_words(name: str) -> str:
    """What a side is told of an offer :func:`too_late` says is too late (``name``: its recipient)."""
    return f"Too late: {name} has no move left before the game ends, so this offer cannot become a deal."


def too_late_rows(name: str) -> tuple[str, str]:
    """The same, as a short heading and a line under it, for a narrow panel."""
    return "Too late: no answer can come", f"{name} has no move left before the game ends"


def preview(state: State, belief: beliefs.Belief, offer: Offer) -> Preview:
    """Everything the composer shows for ``offer``, from ``belief`` (followed to ``state``'s view)."""
    channel = state.scenario.negotiation.channels[offer.channel]
    move = state.scenario.actions[offer.id]
    return Preview(
        offer,
        effects(state, belief, offer),
        worth_spread(belief, offer.sender, offer.terms, channel),
        bargain.acceptance(belief, move),
    )


@dataclass(frozen=True)
class Incoming:
    """An offer waiting for the side's answer, as the side knows it."""

    accept: Answer
    reject: Answer | None
    channel: Channel | None  # None when the side did not see which channel carried it
    terms: tuple[str, ...]
    worth: Spread | None  # None until a belief is at hand


def incoming(scenario: Scenario, observation: Observation, belief: beliefs.Belief | None = None) -> Incoming | None:
    """The offer waiting for ``observation``'s side, its channel if the side saw it, and its worth."""
    accept = deals.offer_to(scenario, observation)
    if accept is None:
        return None
    channel = None
    for entry in reversed(observation.feed):
        offer = deals.offer_of(scenario, entry.action)
        if offer is not None and offer.recipient == observation.role and offer.package == accept.package:
            channel = scenario.negotiation.channels[offer.channel]
            break
    worth = None if belief is None else worth_spread(belief, observation.role, accept.terms, channel)
    return Incoming(accept, answers(scenario, observation).get("reject"), channel, accept.terms, worth)


def channel_words(title: str) -> str:
    """How a sentence names the channel an offer went by: its title, whatever its grammar
    ("Phone the Kremlin", "Answer through Lukashenko"), in brackets as a label."""
    return f"(channel: {title})" if title else "(by a channel you cannot tell)"
