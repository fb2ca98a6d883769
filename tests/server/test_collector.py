"""The server's collector keeper: survivors of a full collection are frozen, and every so often
everything is let go and collected, so a cycle made of once-frozen objects is still freed."""

from __future__ import annotations

import asyncio
import gc
import weakref

from game.server import collector


class _Node:
    pass


def test_survivors_are_frozen_and_the_deep_collection_frees_frozen_cycles():
    async def run() -> tuple[int, bool, bool]:
        node = _Node()
        node.me = node  # a cycle: only the cyclic collector can free it
        ref = weakref.ref(node)
        task = asyncio.get_running_loop().create_task(collector.tend(check=0.01, deep=0.3))
        await asyncio.sleep(0.05)
        frozen = gc.get_freeze_count()  # the first thing tend does is freeze what lives
        del node
        gc.collect()  # a frozen cycle is not collected...
        kept = ref() is not None
        for _ in range(100):  # ...until the deep collection lets it go
            await asyncio.sleep(0.02)
            if ref() is None:
                break
        task.cancel()
        return frozen, kept, ref() is None

    try:
        frozen, kept, freed = asyncio.run(run())
    finally:
        gc.unfreeze()
    assert frozen > 0 and kept and freed
