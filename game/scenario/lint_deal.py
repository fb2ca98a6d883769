"""Lint for bargaining: offers nobody would take, terms that do nothing, channels nobody can use.

The bargaining moves the loader makes are judged by what they are made of, the channel or the
term, and reported at its place in the file: one finding for a channel rather than one for each
of its packages. What is proved over the variables' ranges is an ``error``; what the simulated
random games only observed is a ``warning``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from game.core.model import Action, Channel, Negotiation, Scenario
from game.scenario.lint_ranges import Interval, moves, number_text

if TYPE_CHECKING:
    from game.scenario.lint import Context
    from game.scenario.problems import Problem

RULES = {
    "offer-never-accepted": "no package a channel carries is ever worth accepting to the side it goes to",
    "term-no-effect": "a term that changes nothing when agreed, is worth nothing to anyone and is read by nothing",
    "channel-unusable": "a channel that its sender can never use (proved), or that no simulated game used",
    "agreed-reads-term": "an agreed block's effect reads a term's flag, which still holds its value from before the deal",
    "secret-break-told": "a channel's broken block tells a side of a break that the break itself keeps from that side",
}


def _worth(ctx: Context, deal: Negotiation, role: str, terms, channel: Channel) -> Interval:
    """The range of what ``terms`` through ``channel`` can be worth to ``role``."""
    trust = ctx.range_of(channel.guarantee)
    trust = Interval(min(max(trust.lo, 0.0), 1.0), min(max(trust.hi, 0.0), 1.0))
    own = channel.worth_to(role)
    lo, hi = (0.0, 0.0) if own is None else (ctx.range_of(own).lo, ctx.range_of(own).hi)
    for tid in terms:
        term = deal.terms[tid]
        expr = term.worth_to(role)
        if expr is None:
            continue
        span = ctx.range_of(expr)
        if term.owed_by != role:
            corners = [x * y for x in (span.lo, span.hi) for y in (trust.lo, trust.hi)]
            corners = [0.0 if c != c else c for c in corners]  # 0 * inf counts as 0
            span = Interval(min(corners), max(corners))
        lo, hi = lo + span.lo, hi + span.hi
    return Interval(lo, hi)


def check_offers_acceptable(ctx: Context) -> Iterator[Problem]:
    """A channel none of whose packages can ever be worth more than the recipient's bottom line."""
    deal = ctx.scenario.negotiation
    if deal is None:
        return
    for channel in deal.channels.values():
        packages = [o.terms for o in deal.offers.values() if o.channel == channel.id]
        if not packages:
            continue
        best = max(_worth(ctx, deal, channel.recipient, terms, channel).hi for terms in packages)
        line = deal.bottom_line_of(channel.recipient)
        floor = ctx.range_of(line).lo if line is not None else 0.0
        if best <= floor:
            yield ctx.problem(
                f"channels.{channel.id}.__key__",
                "error",
                "offer-never-accepted",
                f"no offer through '{channel.id}' is ever worth accepting to '{channel.recipient}': the best is "
                f"worth at most {number_text(best)} to it, and its bottom line is at least {number_text(floor)}",
                "raise what the terms are worth to it, or lower its bottom line",
            )


def check_terms_matter(ctx: Context) -> Iterator[Problem]:
    """A term that does nothing when agreed, is worth nothing and that nothing reads."""
    deal = ctx.scenario.negotiation
    if deal is None:
        return
    read = _read_by_the_file(ctx.scenario)
    for term in deal.terms.values():
        valued = any(ctx.range_of(expr) != Interval(0.0, 0.0) for _, expr in term.worth)
        if term.acts or term.breakable or valued or term.id in read:
            continue
        yield ctx.problem(
            f"terms.{term.id}.__key__",
            "warning",
            "term-no-effect",
            f"agreeing to '{term.id}' changes nothing: it has no effects, nobody values it and nothing reads it",
            "give it worth, an agreed effect, or read it in a score",
        )


def check_channels_usable(ctx: Context) -> Iterator[Problem]:
    """A channel whose sender never moves or whose condition can never hold, or that no game used."""
    scenario = ctx.scenario
    deal = scenario.negotiation
    if deal is None:
        return
    for channel in deal.channels.values():
        where = f"channels.{channel.id}"
        offers = [o.id for o in deal.offers.values() if o.channel == channel.id]
        if channel.sender not in scenario.turn_order:
            yield ctx.problem(
                f"{where}.from",
                "error",
                "channel-unusable",
                f"'{channel.sender}' is not in the turn order, so nobody ever sends through '{channel.id}'",
                "add the role to turn_order",
            )
        elif channel.when is not None and not ctx.range_of(channel.when).can_be_true():
            yield ctx.problem(
                f"{where}.when",
                "error",
                "channel-unusable",
                f"the condition of the channel '{channel.id}' can never be true",
                ctx.why(channel.when),
            )
        elif offers and ctx.reach.games and not any(o in ctx.reach.open_actions for o in offers):
            yield ctx.problem(
                f"{where}.when",
                "warning",
                "channel-unusable",
                f"no offer through '{channel.id}' was ever open in {ctx.reach.games} random games",
                "check its condition and its terms' conditions",
            )


def check_agreed_reads(ctx: Context) -> Iterator[Problem]:
    """An ``agreed`` effect that reads the flag of a term the same deal may agree: effects read the
    state before the deal, so that flag reads false there (a term's own block reads its own flag
    false every time)."""
    deal = ctx.scenario.negotiation
    if deal is None:
        return
    for where, names in deal.agreed_reads:
        kind, _, rest = where.partition(".")
        owner = rest.rpartition(".")[0]
        if kind == "terms":
            together = {t for p in deal.packages if owner in p.terms for t in p.terms}
        elif kind == "channels":
            together = set(deal.channels[owner].terms)
        else:
            together = set(deal.terms)
        read = [t for t in deal.terms if t in names and t in together]
        if not read:
            continue
        if kind == "terms" and owner in read:
            message = f"the effects of '{where}' read '{owner}', the term's own flag, which is always false there"
            hint = f"the block runs only when '{owner}' is agreed: write the effect without the flag"
        else:
            flags = ", ".join(f"'{t}'" for t in read)
            message = (
                f"the effects of '{where}' read {flags}: a deal's effects read the state before it, so a term "
                "this deal agrees still reads false there"
            )
            hint = "move the effect to that term's own agreed block, or read the flag later (a condition, an event, an ending)"
        yield ctx.problem(where, "warning", "agreed-reads-term", message, hint)


def _read_by_the_file(scenario: Scenario) -> set[str]:
    """The names that the file's own expressions and texts read (not the bargaining moves')."""
    exprs = [role.objective for role in scenario.roles.values()]
    texts = [ending.epilogue for ending in scenario.endings.values()]
    for ending in scenario.endings.values():
        exprs += [e for _, e in ending.scores] + ([ending.when] if ending.when is not None else [])
    for move in file_moves(scenario):
        if getattr(move, "internal", False):
            continue
        exprs.append(move.when if isinstance(move, Action) else move.chance)
        for outcome in move.outcomes:
            exprs += [outcome.weight, *(e for _, e in (*outcome.set, *outcome.add, *outcome.move))]
            texts.append(outcome.text)
    exprs += [advice.when for advice in scenario.advice]
    deal = scenario.negotiation
    if deal is not None:
        # what bargaining reads: a term's worth or condition may hang on another term
        for channel in deal.channels.values():
            exprs += [channel.guarantee, *(e for _, e in channel.worth)]
        exprs += [e for term in deal.terms.values() for _, e in term.worth]
        exprs += [e for _, e in deal.bottom_line]
    names = {name for expr in exprs for name in expr.names}
    if deal is not None:
        # an offer's condition reads its own terms (a term is offered until agreed): only the
        # others count, which come from the terms' and the channel's conditions
        for offer in deal.offers.values():
            names |= set(scenario.actions[offer.id].when.names) - set(offer.terms)
    for text in texts:
        template = scenario.templates.get(text)
        if template is not None:
            names |= set(template.names)
    return names


def _seers(sight, roles) -> set[str]:
    return set(roles) if sight.viewers is None else set(sight.viewers)


def check_secret_breaks(ctx: Context) -> Iterator[Problem]:
    """A term broken in secret through a channel whose guarantee's breach everyone hears of: the
    news of the broken guarantee tells the other side what the break itself kept from it."""
    scenario = ctx.scenario
    deal = scenario.negotiation
    breach = scenario.events.get("_deal_breach")
    if deal is None or breach is None:
        return
    roles = tuple(scenario.roles)
    for told in breach.outcomes:
        channel = deal.channels.get(told.id)
        if channel is None:
            continue
        hears = _seers(told.sight if told.sight is not None else breach.sight, roles)
        for tid in channel.terms:
            move = scenario.actions.get(f"break:{tid}")
            if move is None:
                continue
            owed = deal.terms[tid].owed_by
            kept_from = set()
            for outcome in move.outcomes:
                sees = _seers(outcome.sight if outcome.sight is not None else move.sight, roles) | {owed}
                kept_from |= hears - sees
            for role in sorted(kept_from):
                yield ctx.problem(
                    f"channels.{channel.id}.broken",
                    "warning",
                    "secret-break-told",
                    f"breaking '{tid}' is hidden from {scenario.roles[role].name}, but this channel's broken "
                    "block is news to them at the end of the turn",
                    f"give the broken block a visible_to that leaves out '{role}', or let them see the break",
                )


CHECKS = (check_offers_acceptable, check_terms_matter, check_channels_usable, check_agreed_reads, check_secret_breaks)


def prose(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """The texts of the terms and channels that players read, with their paths: each once, though
    every package of a channel shares them."""
    deal = scenario.negotiation
    if deal is None:
        return
    for term in deal.terms.values():
        if term.description:
            yield f"terms.{term.id}.description", term.description
    for channel in deal.channels.values():
        if channel.description:
            yield f"channels.{channel.id}.description", channel.description
    seen: set[str] = set()
    for move in scenario.actions.values():
        answer = deal.answers.get(move.id)
        if move.id not in deal.offers and (answer is None or answer.kind != "break") or move.origin in seen:
            continue
        seen.add(move.origin)
        for outcome in move.outcomes:
            if outcome.text:
                yield f"{move.origin}.outcomes.{outcome.id}.text", outcome.text


def coverage(scenario: Scenario, reach) -> list[tuple[str, int, int]]:
    """How many of the channels the simulated games used: (kind, reached, total), or nothing."""
    deal = scenario.negotiation
    if deal is None:
        return []
    used = {deal.offers[a].channel for a in reach.taken if a in deal.offers}
    return [("channels", sum(1 for c in deal.channels if c in used), len(deal.channels))]


def file_moves(scenario: Scenario) -> Iterator:
    """The moves the file writes itself: every move but the bargaining moves the loader makes."""
    deal = scenario.negotiation
    for move in moves(scenario):
        if deal is not None and isinstance(move, Action) and deal.generated(move.id):
            continue
        yield move
