"""A client for one seat, on a thread of its own: the terminal and the window both use it.

The thread keeps the connection, says ``hello`` with the join code, keeps the seat's feed whole
(asking for a ``sync`` when it sees a gap) and the latest view, and reconnects by itself when the
connection drops, with the same code. A move keeps its id until the server acknowledges it and
is sent again after a reconnect: the server applies a move id once, so nothing is lost or doubled.

The front end reads :meth:`Client.snapshot` and waits with :meth:`Client.wait`; nothing it calls
blocks on the network.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game import files
from game.server import protocol

RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)  # waits between reconnection attempts (the last repeats)
# After a drop the server has not noticed yet (a link gone silent), it still holds the seat for
# the old connection until its keepalive ping times out (two intervals of 20 s): a reconnect
# refused as code_in_use is tried again for this long before the client gives up.
IN_USE_SECONDS = 90.0


class ClientError(Exception):
    """The server refused the seat for good, or could not be reached at all."""


@dataclass
class Seat:
    """What the client knows of its seat: all of it comes from the server's messages."""

    welcome: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    feed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    reveal: dict[str, Any] | None = None
    save: dict[str, Any] | None = None
    status: str = "connecting"
    version: int = 0  # grows with every change, for waiting on one

    @property
    def over(self) -> bool:
        return bool(self.view and self.view.get("over"))


class Client:
    """One seat's connection to a server (``url`` like ``ws://127.0.0.1:8765``)."""

    def __init__(self, url: str, code: str, retry: bool = True, record: Callable[[str], None] | None = None):
        self.url = url
        self.code = code
        self.retry = retry
        self.record = record  # called with every raw message received (tests read them all)
        self.seat = Seat()
        self.pending: dict[str, Any] | None = None  # a move not yet acknowledged
        self.fatal: str = ""
        self._in_use_since: float | None = None  # when reconnects began to be refused as code_in_use
        self._cond = threading.Condition()
        self._ws = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="crisis-online", daemon=True)

    # for the front end -----------------------------------------------------------------------

    def start(self) -> Client:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        ws = self._ws
        if ws is not None:
            try:
                ws.close()
            except Exception:  # closing a socket that is already gone
                pass
        self._thread.join(timeout=5)

    def wait(self, predicate: Callable[[Seat], bool], timeout: float | None = None) -> bool:
        """Wait until ``predicate(seat)`` holds (checked after every change); False on timeout."""
        end = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not predicate(self.seat):
                if self.fatal:
                    raise ClientError(self.fatal)
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left if left is not None else 0.5)
            return True

    def changed_since(self, version: int, timeout: float | None = None) -> bool:
        return self.wait(lambda seat: seat.version != version, timeout)

    def snapshot(self) -> tuple[int, dict | None, dict | None, list[dict]]:
        """(version, welcome, view, feed) as they are now."""
        with self._cond:
            return self.seat.version, self.seat.welcome, self.seat.view, list(self.seat.feed)

    def move(self, action: str) -> str:
        """Send a move for the step the client last saw; resent after a reconnect until acknowledged."""
        with self._cond:
            view = self.seat.view
            if view is None or not view.get("your_move"):
                raise ClientError("it is not your move")
            move_id = secrets.token_hex(8)
            self.pending = {"type": "move", "id": move_id, "step": view["step"], "action": action}
            message = dict(self.pending)
        self._send(message)
        return move_id

    def request(self, kind: str) -> None:
        """Ask for ``reveal`` or ``download`` (after the end) or a full ``sync``."""
        self._send({"type": kind})

    # the thread ------------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            return  # sent again (if it is a move) after the reconnect
        try:
            ws.send(json.dumps(message))
        except Exception:  # the connection dropped: the thread reconnects and resends the move
            pass

    def _note(self, **changes: Any) -> None:
        with self._cond:
            for name, value in changes.items():
                setattr(self.seat, name, value)
            self.seat.version += 1
            self._cond.notify_all()

    def _run(self) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
        from websockets.sync.client import connect

        attempt = 0
        while not self._stop.is_set():
            try:
                with connect(self.url, max_size=protocol.MAX_SERVER_MESSAGE, open_timeout=5, compression=None) as ws:
                    self._ws = ws
                    attempt = 0
                    self._note(status="connected")
                    ws.send(json.dumps({"type": "hello", "version": protocol.VERSION, "code": self.code}))
                    for raw in ws:
                        if self.record is not None:
                            self.record(raw)
                        try:
                            message = protocol.decode(raw)
                            self._receive(ws, message)
                        except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
                            self._fail("the server sent a message this client cannot read; is it a crisis server?")
                            return
                        if self.fatal:
                            return
            except InvalidURI:
                self._fail(f"'{self.url}' is not a server address (it looks like ws://HOST:PORT)")
                return
            except (OSError, ConnectionClosed, InvalidHandshake, TimeoutError, ValueError):
                pass
            finally:
                self._ws = None
            if self._stop.is_set() or not self.retry:
                break
            self._note(status="reconnecting")
            self._stop.wait(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1
        if not self.fatal:
            self._note(status="closed")

    def _held_for_old_connection(self) -> bool:
        """Whether a code_in_use refusal is this client's own old connection, still held by the
        server after a silent drop: the seat was ours (we were welcomed) and not for too long."""
        with self._cond:
            if self.seat.welcome is None:
                return False  # never ours: someone else holds the seat
            now = time.monotonic()
            if self._in_use_since is None:
                self._in_use_since = now
            return now - self._in_use_since < IN_USE_SECONDS

    def _fail(self, why: str) -> None:
        with self._cond:
            self.fatal = why
            self.seat.status = "refused"
            self.seat.version += 1
            self._cond.notify_all()

    def _receive(self, ws, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "welcome":
            self._in_use_since = None
            self._note(welcome=message)
            with self._cond:
                pending = dict(self.pending) if self.pending else None
            if pending is not None:
                pending.pop("acknowledged", None)
                ws.send(json.dumps(pending))
        elif kind == "view":
            with self._cond:
                start = message.get("feed_start", 0)
                feed = self.seat.feed
                if start > len(feed):
                    gap = True
                else:
                    gap = False
                    del feed[start:]
                    feed.extend(message.get("feed", []))
                    self.seat.view = message
                    if self.pending is not None and message["step"] > self.pending["step"]:
                        self.pending = None  # the game moved on past it
                self.seat.version += 1
                self._cond.notify_all()
            if gap:
                ws.send(json.dumps({"type": "sync"}))
        elif kind == "moved":
            with self._cond:  # the view that follows moves past it and clears it
                if self.pending is not None and self.pending["id"] == message.get("id"):
                    self.pending["acknowledged"] = True
                self.seat.version += 1
                self._cond.notify_all()
        elif kind == "error":
            code = message.get("code")
            if code == "code_in_use" and self._held_for_old_connection():
                ws.close()  # the loop reconnects after its wait, and says hello again
                return
            if code in ("wrong_code", "code_in_use", "game_broken", "version"):
                self._fail(message.get("message", code))
                return
            with self._cond:
                if self.pending is not None and message.get("ref") == self.pending["id"]:
                    self.pending = None  # refused for good (the clock ran out, or it was stale)
                self.seat.errors.append(message)
                self.seat.version += 1
                self._cond.notify_all()
        elif kind == "odds":
            with self._cond:
                view = self.seat.view
                if view is not None and view["step"] == message.get("step"):
                    odds = message.get("moves", {})
                    figures = message.get("deals", {})
                    for move in view["moves"]:
                        move["odds"] = odds.get(move["id"], [])
                        if move["id"] in figures:
                            move["deal"] = figures[move["id"]]
                self.seat.version += 1
                self._cond.notify_all()
        elif kind == "reveal":
            self._note(reveal=message)
        elif kind == "save":
            self._note(save=message.get("save"))


def store_save(data: dict[str, Any], path: str | Path) -> Path:
    """Write a downloaded save to ``path`` (checked first, written atomically)."""
    from game.saves import SaveError, parse_save

    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    parse_save(text.encode(), "the downloaded save")  # refuses anything damaged
    path = Path(path)
    try:  # as every save is written: only over a regular file, through a link to its target
        files.resolve(path).parent.mkdir(parents=True, exist_ok=True)
        files.write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise SaveError(f"cannot write the save {path}: {exc.strerror or exc}") from None
    return path
