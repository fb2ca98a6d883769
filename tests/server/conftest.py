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
        self.server = GameServer(data, limits or Limits(seeds=True), files)
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
    server = Running(tmp_path / "data", Limits(idle=5.0, seeds=True))
    yield server
    server.close()


def create(url: str, **fields) -> dict:
    """Create a game over a short-lived connection; the 'created' message."""
    from websockets.sync.client import connect

    with connect(url) as ws:
        ws.send(json.dumps({"type": "create", "version": protocol.VERSION, **fields}))
        return json.loads(ws.recv(timeout=30))


def choose(view: dict) -> str:
    """The test players' choice: a fixed function of the step and the open moves."""
    moves = view["moves"]
    return moves[(view["step"] * 7 + len(moves)) % len(moves)]["id"]


def play_out(clients, timeout: float = 120.0, stop=None) -> None:
    """Let each client move whenever it is its move, until the game ends (or ``stop()`` holds)."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for client in clients:
            _, _, view, _ = client.snapshot()
            if view is None:
                continue
            if view["over"]:
                return
            if stop is not None and stop():
                return
            ready = all(move["odds"] is not None for move in view["moves"])  # as a person reads them first
            if view["your_move"] and client.pending is None and ready:
                try:
                    client.move(choose(view))
                except Exception:  # the view changed under us; the next round sees the new one
                    pass
        clients[0].changed_since(clients[0].seat.version, timeout=0.02)
    raise AssertionError("the game did not end in time")


def local_game(scenario, seed: int):
    """The same game played in this process, with the same choices: what the server must reproduce."""
    from game.core.match import Match

    match = Match(scenario, seed=seed)
    while not match.is_over():
        role = match.waiting_for_person()
        if role is None:
            match.play()
            continue
        view = {"step": len(match.steps), "moves": [{"id": m.id} for m in match.state.legal_actions()]}
        match.play(choose(view))
    return match
