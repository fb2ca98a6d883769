"""Python's cyclic garbage collector, kept from stopping the server's loop for long.

A server with hundreds of games holds hundreds of thousands of tracked objects that live as
long as their game (states, what each reader was shown, feed items). CPython's collector walks
every one of them at each full collection, and it makes one whenever the survivors have grown by
a quarter: at 500 games a full collection takes hundreds of milliseconds, and no move is carried
while it runs. Nearly all of those objects are freed by reference counting when their game goes, so the
walk finds next to nothing.

So after each full collection the survivors are frozen (:func:`gc.freeze`): the collector walks
only what is newer, and a full collection costs what was made since the last one. What is frozen
and later becomes an unreachable cycle would be kept, so every ``DEEP_SECONDS`` the frozen
objects are let go and everything is collected at once (one long pause, that seldom).

:func:`tend` is started by ``crisis serve`` for its own process; a server embedded in another
program (the tests) leaves that program's collector alone.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

log = logging.getLogger("crisis.server")

CHECK_SECONDS = 0.5  # how often the collector's counts are looked at
DEEP_SECONDS = 600.0  # how often everything, frozen or not, is collected


def _full_collections() -> int:
    return gc.get_stats()[-1]["collections"]


async def tend(check: float = CHECK_SECONDS, deep: float = DEEP_SECONDS) -> None:
    """Freeze what survives each full collection; collect everything every ``deep`` seconds."""
    gc.collect()
    gc.freeze()  # the modules, scenarios and restored games: they last as long as the server
    seen = _full_collections()
    last_deep = time.monotonic()
    while True:
        await asyncio.sleep(check)
        if time.monotonic() - last_deep >= deep:
            started = time.perf_counter()
            gc.unfreeze()
            found = gc.collect()
            gc.freeze()
            last_deep = time.monotonic()
            log.info(
                "collected everything: %d unreachable objects, %.0f ms", found, (time.perf_counter() - started) * 1000
            )
            seen = _full_collections()
        elif _full_collections() != seen:
            gc.freeze()
            seen = _full_collections()
