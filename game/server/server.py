"""The game server: one asyncio loop, WebSocket connections, rooms, the journal and the AI's thread.

Every message a connection sends is parsed against the protocol's schema, charged to the
connection's rate limit and answered (an error says why a message was refused). Messages out go
through a bounded queue per connection, written by that connection's own task, so a client that
reads slowly or not at all holds up nobody: when its queue is full it is disconnected, and it
resumes with its code. A connection that holds no seat and stays silent is closed.

The AI thinks on a worker thread; the loop meanwhile serves every other game. Odds are worked
out in worker processes (:mod:`game.server.odds`) and follow the view they belong to. Steps are
journaled before anyone hears of them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.core.errors import CrisisError
from game.core.match import new_seed
from game.core.model import WORLD, Scenario
from game.server import protocol, views
from game.server.journal import Journal
from game.server.odds import OddsService
from game.server.protocol import Refusal
from game.server.room import SPECTATE, Room, ai_policy

log = logging.getLogger("crisis.server")

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread
CODE_LENGTH = 10  # 50 bits: unguessable at any rate the server lets a connection try


@dataclass
class Limits:
    """Every resource a client can ask for has a cap."""

    connections: int = 4_000
    games: int = 2_000  # games in play at once
    creates: int = 100  # games one connection may create
    spectators: int = 16  # spectator connections per game
    rate: float = 30.0  # messages per second a connection may send, on average
    burst: float = 60.0  # and in one burst
    strikes: int = 200  # refused-for-rate messages before the connection is closed
    queue: int = 512  # messages waiting for one slow client before it is disconnected
    idle: float = 30.0  # seconds a connection with no seat may stay silent
    ping: float = 20.0  # keepalive ping interval (and timeout) for every connection
    odds_workers: int = 1  # processes that work out the seats' odds
    kept: int = 10_000  # ended games the journal keeps (the oldest past it are forgotten)
    seeds: bool = False  # whether a create may choose its game's seed (tests; a known game again)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normal_code(code: str) -> str:
    return code.upper().replace("-", "")


class Conn:
    """One client connection: its outgoing queue, its rate allowance and the seat it holds."""

    def __init__(self, ws, limits: Limits):
        self.ws = ws
        self.limits = limits
        self.out: asyncio.Queue[str | None] = asyncio.Queue(limits.queue)
        self.tokens = limits.burst
        self.refilled = time.monotonic()
        self.strikes = 0
        self.room: Room | None = None
        self.seat: str | None = None
        self.reader: str | None = None
        self.sent = 0  # feed items this connection has been sent
        self.creates = 0
        self.closing = False
        self.joining = False  # a hello waits for its game to be read back from the journal

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.limits.burst, self.tokens + (now - self.refilled) * self.limits.rate)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.strikes += 1
        return False

    def send(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
        try:
            self.out.put_nowait(protocol.encode(message))
        except asyncio.QueueFull:
            self.close(1008, "too slow: messages to this client piled up unread; reconnect to resume")

    def close(self, code: int, reason: str) -> None:
        if self.closing:
            return
        self.closing = True
        asyncio.get_running_loop().create_task(self.ws.close(code, reason))


class GameServer:
    """Every room, the journal and the offered scenarios."""

    def __init__(self, data: str | Path, limits: Limits | None = None, scenario_files: list[Path] | None = None):
        self.data = Path(data)
        self.limits = limits or Limits()
        self.journal = Journal(self.data / "games.sqlite")
        self.rooms: dict[str, Room] = {}
        self.holders: dict[tuple[str, str], Conn] = {}
        self.conns: set[Conn] = set()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisis-ai")
        # a game read back for a hello is replayed here, off the loop: its AI moves are chosen again
        self.restorer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisis-restore")
        self.restoring: dict[str, list[tuple[Conn, str]]] = {}  # game: the hellos waiting for it
        self.odds = OddsService(self.limits.odds_workers, self._odds_wanted, self._odds_ready)
        self.offered: dict[str, Path] = {}
        self.loaded: dict[str, Scenario] = {}
        self._offer(scenario_files)
        self.restored = 0

    # scenarios -------------------------------------------------------------------------------

    def _offer(self, files: list[Path] | None) -> None:
        from game import paths
        from game.scenario.loader import load_scenario

        for path in files if files is not None else paths.scenario_files():
            try:
                scenario = load_scenario(path)
            except CrisisError as exc:
                log.warning("not offering %s: %s", path, exc)
                continue
            if scenario.meta.id not in self.offered:
                self.offered[scenario.meta.id] = path
                self.loaded[str(path)] = scenario

    def scenario_at(self, path: str, digest: str) -> Scenario:
        scenario = self.loaded.get(path)
        if scenario is None:
            from game.scenario.loader import load_scenario

            scenario = self.loaded[path] = load_scenario(path)
        if scenario.digest != digest:
            raise CrisisError(f"the scenario file {path} has changed since the game began")
        return scenario

    # rooms -----------------------------------------------------------------------------------

    def restore_all(self) -> int:
        """Bring back every unfinished game from the journal (done once, at start)."""
        for row in self.journal.unfinished():
            try:
                self.room(row.id)
                self.restored += 1
            except Refusal as exc:
                log.error("game %s not restored: %s", row.id, exc.message)
        return self.restored

    def room(self, game: str) -> Room:
        """The game's room, read back from the journal now if it is not in memory."""
        found = self.rooms.get(game)
        if found is not None:
            return found
        return self._restored(game, self._restore_job(game)())

    def _restore_job(self, game: str):
        """A function that replays a journaled game; what it needs is read now, on the loop
        (the journal is the loop's)."""
        row = self.journal.game(game)
        if row is None:
            raise Refusal("wrong_code", "no game has that join code")
        if row.broken:
            raise Refusal("game_broken", f"this game cannot be restored: {row.broken}")
        try:
            scenario = self.scenario_at(row.path, row.digest)
        except CrisisError as exc:
            self.journal.mark_broken(game, str(exc))
            raise Refusal("game_broken", f"this game cannot be restored: {exc}") from None
        steps = self.journal.steps(game)

        def job() -> Room | CrisisError:
            try:
                return Room.restore(row, scenario, steps)
            except CrisisError as exc:
                return exc

        return job

    def _restored(self, game: str, result: Room | CrisisError) -> Room:
        """Finish a restore on the loop: the room joins the others, or the game is marked broken."""
        found = self.rooms.get(game)
        if found is not None:  # restored meanwhile by another path
            return found
        if isinstance(result, CrisisError):
            self.journal.mark_broken(game, str(result))
            raise Refusal("game_broken", f"this game cannot be restored: {result}")
        self.rooms[game] = result
        return result

    def _restore_for(self, conn: Conn, game: str, code: str) -> None:
        """Replay a journaled game on the restore thread, then answer the hellos that wait for it."""
        waiting = self.restoring.get(game)
        if waiting is not None:
            waiting.append((conn, code))
            return
        job = self._restore_job(game)
        self.restoring[game] = [(conn, code)]
        future = asyncio.get_running_loop().run_in_executor(self.restorer, job)
        future.add_done_callback(lambda done: self._answer_restored(game, done))

    def _answer_restored(self, game: str, done: asyncio.Future) -> None:
        waiting = self.restoring.pop(game, [])
        try:
            if done.cancelled():
                raise Refusal("server_error", "the server stopped before the game was read back")
            error = done.exception()
            if error is not None:
                log.error("restoring game %s failed: %r", game, error)
                raise Refusal("server_error", "the server failed to read the game back; it has been logged")
            self._restored(game, done.result())
        except Refusal as refusal:
            for conn, _ in waiting:
                conn.joining = False
                conn.send(refusal.data())
            return
        for conn, code in waiting:
            conn.joining = False
            if conn.closing or conn not in self.conns:  # gone while it waited: it holds no seat
                continue
            try:
                self.hello(conn, code)
            except Refusal as refusal:
                conn.send(refusal.data())

    def in_play(self) -> int:
        return sum(1 for room in self.rooms.values() if not room.over)

    # serving ---------------------------------------------------------------------------------

    async def serve(self, host: str, port: int, ready=None, stop: asyncio.Future | None = None) -> None:
        from websockets.asyncio.server import serve

        self.restore_all()
        async with serve(
            self.connection,
            host,
            port,
            max_size=protocol.MAX_FRAME,
            max_queue=16,
            compression=None,
            ping_interval=self.limits.ping,
            ping_timeout=self.limits.ping,
            open_timeout=10,
            close_timeout=2,
        ) as server:
            for room in list(self.rooms.values()):
                self.kick(room)
            bound = server.sockets[0].getsockname()[1] if server.sockets else port
            if ready is not None:
                ready(bound)
            await (stop if stop is not None else asyncio.get_running_loop().create_future())
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.restorer.shutdown(wait=False, cancel_futures=True)
        await self.odds.close()
        self.journal.close()

    async def connection(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        if len(self.conns) >= self.limits.connections:
            await ws.close(1013, "the server is full; try again later")
            return
        conn = Conn(ws, self.limits)
        self.conns.add(conn)
        writer = asyncio.get_running_loop().create_task(self._write(conn))
        try:
            while not conn.closing:
                wait = None if conn.seat or conn.joining else self.limits.idle
                try:
                    raw = await asyncio.wait_for(ws.recv(), wait)
                except TimeoutError:
                    conn.close(1008, f"no message for {self.limits.idle:.0f} seconds from a connection with no seat")
                    break
                if not conn.allow():
                    if conn.strikes > self.limits.strikes:
                        conn.close(1008, "too many messages, too fast")
                        break
                    conn.send(Refusal("rate_limited", "too many messages: slow down (the message was dropped)").data())
                    continue
                try:
                    self.handle(conn, raw)
                except Refusal as refusal:
                    conn.send(refusal.data())
                except Exception:  # a bug of ours: logged, answered, and the server goes on
                    log.exception("while handling a message")
                    conn.send(Refusal("server_error", "the server failed on this message; it has been logged").data())
        except ConnectionClosed:
            pass
        finally:
            self.leave(conn)
            writer.cancel()

    async def _write(self, conn: Conn) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                text = await conn.out.get()
                if text is None:
                    return
                await conn.ws.send(text)
        except (ConnectionClosed, asyncio.CancelledError):
            return

    def leave(self, conn: Conn) -> None:
        self.conns.discard(conn)
        room = conn.room
        if room is None:
            return
        room.clients.discard(conn)
        if self.holders.get((room.id, conn.seat)) is conn:
            del self.holders[(room.id, conn.seat)]
        self.let_go(room)

    def let_go(self, room: Room) -> None:
        """Drop a finished game nobody is at from memory; it is read back from the journal if
        asked for. (Games of AI seats only, finished before anyone joined, piled up otherwise.)"""
        if room.over and not room.clients and self.rooms.get(room.id) is room:
            del self.rooms[room.id]

    # messages --------------------------------------------------------------------------------

    def handle(self, conn: Conn, raw: str | bytes) -> None:
        message = protocol.parse(raw)
        kind = message["type"]
        if kind == "ping":
            conn.send({"type": "pong", "echo": message.get("echo")})
        elif kind == "scenarios":
            conn.send(self.scenario_list())
        elif kind == "create":
            self.create(conn, message)
        elif kind == "hello":
            self.hello(conn, message["code"])
        else:
            room = conn.room
            if room is None:
                raise Refusal("not_joined", f"'{kind}' needs a seat: send 'hello' with a join code first")
            if kind == "move":
                self.move(conn, room, message)
            elif kind == "sync":
                conn.sent = 0
                self.send_view(conn, room)
            elif kind == "reveal":
                conn.send(room.reveal(conn.reader))
            elif kind == "download":
                conn.send(room.save())

    def scenario_list(self) -> dict[str, Any]:
        from game.ai import STRENGTHS

        return {
            "type": "scenarios",
            "version": protocol.VERSION,
            "scenarios": [views.scenario_card(self.loaded[str(path)]) for path in self.offered.values()],
            "ai": list(STRENGTHS),
            "odds": list(protocol.ODDS),
            "clock": list(protocol.CLOCK_RANGE),
        }

    def create(self, conn: Conn, message: dict[str, Any]) -> None:
        from game.ai import FACTORIES, STRENGTHS

        if conn.creates >= self.limits.creates:
            raise Refusal("limit", f"one connection may create at most {self.limits.creates} games")
        if self.in_play() >= self.limits.games:
            raise Refusal("limit", "the server has as many games in play as it takes; try again later")
        name = message["scenario"]
        path = self.offered.get(name)
        if path is None:
            raise Refusal(
                "bad_scenario", f"this server offers no scenario '{name}' (it offers: {', '.join(self.offered)})"
            )
        scenario = self.loaded[str(path)]
        playable = [r.id for r in scenario.roles.values() if r.playable]
        seats = message.get("seats") or {role: "person" for role in playable}
        for role in seats:
            if role not in playable:
                raise Refusal(
                    "bad_field", f"'{role}' is not a playable role of '{name}' (they are: {', '.join(playable)})"
                )
        seats = {role: seats.get(role, "ai") for role in playable}
        ai = message.get("ai") or "normal"
        if ai not in STRENGTHS and ai not in FACTORIES:
            raise Refusal("bad_field", f"there is no AI '{ai}' (strengths: {', '.join(STRENGTHS)})")
        seed = message.get("seed")
        if seed is not None and not self.limits.seeds:
            raise Refusal(
                "bad_field",
                "this server chooses every game's seed: one a player chose would tell that player every "
                "hidden starting value (a server started with --seeds allows it)",
            )
        seed = new_seed() if seed is None else seed
        config = {"seats": seats, "ai": ai, "odds": message.get("odds") or "exact", "clock": message.get("clock")}
        game = secrets.token_hex(8)
        codes = {role: new_code() for role, kind in seats.items() if kind == "person"}
        spectate = new_code()
        by_code = {normal_code(code): role for role, code in codes.items()}
        by_code[normal_code(spectate)] = SPECTATE
        self.journal.create(game, scenario.meta.id, str(path), scenario.digest, seed, np.__version__, config, by_code)
        room = Room.new(game, scenario, config, seed)
        self.rooms[game] = room
        conn.creates += 1
        forgotten = self.journal.prune(self.limits.kept)
        if forgotten:
            log.info("forgot the %d oldest ended games (the journal keeps %d)", forgotten, self.limits.kept)
        conn.send(
            {
                "type": "created",
                "game": game,
                "scenario": views.scenario_card(scenario),
                "seats": seats,
                "codes": codes,
                "spectator": spectate,
                "odds": config["odds"],
                "clock": config["clock"],
            }
        )
        self.kick(room)

    def hello(self, conn: Conn, code: str) -> None:
        if conn.room is not None:
            raise Refusal("already_joined", "this connection already holds a seat; open another connection for another")
        if conn.joining:
            raise Refusal("already_joined", "this connection is already joining a game: wait for its welcome")
        found = self.journal.seat_of(normal_code(code))
        if found is None:
            raise Refusal("wrong_code", "no game has that join code; check it with the host")
        game, seat = found
        room = self.rooms.get(game)
        if room is None:  # read back from the journal off the loop; the hello is answered then
            conn.joining = True
            try:
                self._restore_for(conn, game, code)
            except Refusal:
                conn.joining = False
                raise
            return
        if seat == SPECTATE:
            if sum(1 for c in room.clients if c.seat == SPECTATE) >= self.limits.spectators:
                raise Refusal("limit", f"a game takes at most {self.limits.spectators} spectators")
        else:
            holder = self.holders.get((game, seat))
            if holder is not None and not holder.closing:
                raise Refusal(
                    "code_in_use", "this seat is already taken by a live connection with this code; one at a time"
                )
            self.holders[(game, seat)] = conn
        conn.room, conn.seat = room, seat
        conn.reader = views.PUBLIC if seat == SPECTATE else seat
        room.clients.add(conn)
        scenario = room.scenario
        role = scenario.roles.get(seat)
        conn.send(
            {
                "type": "welcome",
                "version": protocol.VERSION,
                "game": game,
                "seat": seat,
                "name": role.name if role else "Spectator",
                "title": role.title if role else "",
                "brief": role.brief if role else "",
                "scenario": views.scenario_card(scenario),
                "seats": room.seats(),
                "odds": room.config["odds"],
                "clock": room.config["clock"],
            }
        )
        conn.sent = 0
        self.send_view(conn, room)

    def move(self, conn: Conn, room: Room, message: dict[str, Any]) -> None:
        move_id, step, action = message["id"], message["step"], message["action"]
        repeat = room.check_move(conn.seat, move_id, step, action)
        if repeat is not None:
            conn.send({"type": "moved", "id": move_id, "step": repeat, "duplicate": True})
            return
        room.play_person(conn.seat, move_id, action)
        conn.send({"type": "moved", "id": move_id, "step": step, "duplicate": False})
        self.kick(room)

    # playing ---------------------------------------------------------------------------------

    def kick(self, room: Room) -> None:
        """Play the world's steps, start the AI when it is to move, journal, then tell everyone."""
        while True:
            role = room.auto_to_move()
            if role is None:
                break
            if role == WORLD:
                room.play_world()
                continue
            self.think(room, role, None)
            break
        self.commit(room)
        self.broadcast(room)
        self.arm_clock(room)
        if room.over:
            self.odds.forget(room)
            self.let_go(room)

    def think(self, room: Room, role: str, policy) -> None:
        """Let the AI (or, when a person's time ran out, the clock's AI) move on the worker thread."""
        room.busy = True
        loop = asyncio.get_running_loop()
        if policy is None:
            job = room.match.play
        else:

            def job() -> None:
                room.play_for(role, policy)

        future = loop.run_in_executor(self.pool, job)
        future.add_done_callback(lambda done: self._thought(room, done))

    def _thought(self, room: Room, done: asyncio.Future) -> None:
        room.busy = False
        room.settle()
        error = done.exception() if not done.cancelled() else None
        if error is not None:
            log.error("the AI failed in game %s: %r", room.id, error)
            self.journal.mark_broken(room.id, f"the AI failed: {error!r}")
            return
        self.kick(room)

    def commit(self, room: Room) -> None:
        first, rows = room.unjournaled()
        if rows:
            self.journal.append(room.id, first, rows, room.over)
            room.journaled += len(rows)

    def broadcast(self, room: Room) -> None:
        for conn in list(room.clients):
            self.send_view(conn, room)

    def send_view(self, conn: Conn, room: Room) -> None:
        message = room.view(conn.reader, conn.sent)
        conn.sent = message["feed_start"] + len(message["feed"])
        if room.deadline is not None and room.config["clock"] and message.get("your_move"):
            message["deadline"] = max(0.0, round(room.deadline - asyncio.get_running_loop().time(), 1))
        else:
            message["deadline"] = None
        conn.send(message)
        if message.get("your_move") and (room.config["odds"] != "hidden" or message.get("talks")):
            self.send_odds(conn, room, message["step"])

    def send_odds(self, conn: Conn, room: Room, step: int) -> None:
        """Ask an odds worker for the seat's odds at ``step``; they are sent when they come, if
        the step is still the game's present."""
        self.odds.want(room, conn.reader, step)

    def _odds_wanted(self, room: Room, reader: str, step: int) -> bool:
        return self.rooms.get(room.id) is room and room.wants_odds(reader, step)

    def _odds_ready(self, room: Room, reader: str, message: dict[str, Any]) -> None:
        for conn in list(room.clients):
            if conn.reader == reader:
                conn.send(message)

    def arm_clock(self, room: Room) -> None:
        if room.timer is not None:
            room.timer.cancel()
            room.timer = None
        room.deadline = None
        clock = room.config.get("clock")
        role = room.person_to_move()
        if not clock or role is None:
            return
        loop = asyncio.get_running_loop()
        room.deadline = loop.time() + clock
        room.timer = loop.call_later(clock, self._expired, room, room.step, role)

    def _expired(self, room: Room, step: int, role: str) -> None:
        room.timer = None
        if room.step != step or room.person_to_move() != role:
            return
        room.deadline = None
        self.think(room, role, ai_policy(room.config["ai"]))
        self.broadcast(room)


def run(host: str, port: int, data: str | Path, limits: Limits | None = None) -> None:
    """Serve until interrupted (SIGINT or SIGTERM)."""
    import signal

    from game.server import collector

    server = GameServer(data, limits)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

        tending = []

        def ready(bound: int) -> None:
            tending.append(loop.create_task(collector.tend()))
            print(
                f"crisis serve: listening on ws://{host}:{bound} "
                f"({server.restored} games restored; journal {server.journal.path})",
                flush=True,
            )

        await server.serve(host, port, ready, stop)

    asyncio.run(main())
