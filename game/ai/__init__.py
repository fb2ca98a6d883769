"""AI policies: each picks a move through the public state API only.

``make_policy(name)`` builds a policy by the name used on the command line, in scenario balance
checks and in the game's opponent-strength setting; ``make_opponent(strength)`` builds one from a
strength shown to players (see :mod:`game.ai.strengths`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from game.ai.expert import ExpertPolicy
from game.ai.greedy import GreedyPolicy
from game.ai.historical import HistoricalPolicy
from game.ai.lookahead import LookaheadPolicy
from game.ai.random import RandomPolicy
from game.ai.strengths import DEFAULT_STRENGTH, STRENGTHS
from game.ai.weighted import WeightedPolicy
from game.core.errors import CrisisError, did_you_mean
from game.core.match import Policy

FACTORIES: dict[str, Callable[..., Policy]] = {
    "random": RandomPolicy,
    "weighted": WeightedPolicy,
    "greedy": GreedyPolicy,
    "lookahead": LookaheadPolicy,
    "historical": HistoricalPolicy,
    "expert": ExpertPolicy,
}

__all__ = ["DEFAULT_STRENGTH", "FACTORIES", "STRENGTHS", "make_opponent", "make_policy"]


def make_policy(name: str, **options) -> Policy:
    """A policy by name; raises :class:`CrisisError` naming the known ones otherwise."""
    factory = FACTORIES.get(name)
    if factory is None:
        known = ", ".join(sorted(FACTORIES))
        raise CrisisError(f"unknown policy '{name}'{did_you_mean(name, FACTORIES)} (known: {known})")
    try:
        inspect.signature(factory).bind(**options)
    except TypeError:
        takes = ", ".join(inspect.signature(factory).parameters) or "no options"
        given = ", ".join(sorted(options))
        raise CrisisError(f"policy '{name}' does not take {given} (it takes: {takes})") from None
    return factory(**options)


def make_opponent(strength: str, **options) -> Policy:
    """The policy behind an opponent strength (easy, normal, hard, expert)."""
    name = STRENGTHS.get(strength)
    if name is None:
        known = ", ".join(STRENGTHS)
        raise CrisisError(f"unknown strength '{strength}'{did_you_mean(strength, STRENGTHS)} (known: {known})")
    return make_policy(name, **options)
