"""A game server on loopback for the online tests: in this process on a thread, or as a subprocess."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from game.server import protocol
from game.server.server import GameServer, Limits


class Running:
    """A server on its own thread and loop, on a free loopback port."""

    def __init__(self, data, limits: Limits | None = None, files=None):
        self.server = GameServer(data, limits, files)
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(30), "the server did not start"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.stop = self.loop.create_future()

        def ready(port: int) -> None:
            self.port = port
            self._ready.set()

        self.loop.run_until_complete(self.server.serve("127.0.0.1", 0, ready, self.stop))

    def call(self, function, *args):
        """Run ``function(*args)`` on the server's loop and return its result."""
        done = threading.Event()
        box = {}

        def run() -> None:
            try:
                box["value"] = function(*args)
            except BaseException as exc:
                box["error"] = exc
            done.set()

        self.loop.call_soon_threadsafe(run)
        assert done.wait(30)
        if "error" in box:
            raise box["error"]
        return box["value"]

    def close(self) -> None:
        self.loop.call_soon_threadsafe(lambda: self.stop.done() or self.stop.set_result(None))
        self._thread.join(timeout=30)


@pytest.fixture
def running(tmp_path):
    server = Running(tmp_path / "data", Limits(idle=5.0))
    yield server
    server.close()


def create(url: str, **fields) -> dict:
    """Create a game over a short-lived connection; the 'created' message."""
    from websockets.sync.client import connect

    with connect(url) as ws:
        ws.send(json.dumps({"type": "create", "version": protocol.VERSION, **fields}))
        return json.loads(ws.recv(timeout=30))
