"""AI policies: each picks a move through the public state API only.

``make_policy(name)`` builds a policy by the name used on the command line, in scenario balance
checks and in the game's opponent-strength setting.
"""

from __future__ import annotations

from typing import Callable

from game.ai.random import RandomPolicy
from game.core.errors import CrisisError
from game.core.match import Policy

FACTORIES: dict[str, Callable[..., Policy]] = {
    "random": RandomPolicy,
}


def make_policy(name: str, **options) -> Policy:
    """A policy by name; raises :class:`CrisisError` naming the known ones otherwise."""
    factory = FACTORIES.get(name)
    if factory is None:
        known = ", ".join(sorted(FACTORIES))
        raise CrisisError(f"unknown policy '{name}' (known: {known})")
    return factory(**options)
