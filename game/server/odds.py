"""Odds away from the server's loop: worker processes that keep each seat's belief.

Working out a seat's odds means following its :class:`~game.core.belief.Belief` through every
step it has seen, which takes tens of milliseconds of CPU; on the server's own process that
would hold up the loop that carries everyone's moves. So the loop hands the work to one or a few
worker processes (``python -m game.server.odds``), each of which loads the scenario itself and
keeps the beliefs of the seats given to it (each truth a belief holds without the states that
led to it, which a worker never reads: a belief costs what its truths do, not their games).

What a worker is sent, for one seat, is the part of that seat's trail it has not been sent yet
(the :class:`~game.core.information.Glimpse` records of ``state.observe(seat)``) and the seat's
open moves, which are in that trail too. It is sent no state, no seed and no value of the
truth, so every figure it answers with comes from what the seat was shown, and nothing else.

The work is bounded: a seat has at most one request waiting (a newer view replaces an older
one: only the newest view's odds matter), a worker has one request at a time, and a request
whose step is no longer the game's present, or whose seat is no longer to move, is dropped
before it is sent. A worker runs at a lower priority than the loop, keeps at most
``SEATS_PER_WORKER`` beliefs (the least recently used go, and are rebuilt from the whole trail
if asked for again) and is started again if it dies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import struct
import sys
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("crisis.server")

SEATS_PER_WORKER = 4_096  # beliefs one worker keeps; the least recently used go first
SCENARIOS_PER_WORKER = 16  # scenarios one worker keeps loaded
MAX_FRAME = 64 * 1024 * 1024  # bytes of one message between the server and a worker
RESTARTS = 20  # times a worker that died is started again before the server gives up on odds
NICE = 10  # how much lower a worker's priority is than the server's
_HEADER = struct.Struct(">I")

Seat = tuple[str, str]  # (game, role)


def pack(message: Any) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


def unpack_size(header: bytes) -> int:
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME:
        raise ValueError(f"a message of {size} bytes between the server and an odds worker")
    return size


# the worker's side ---------------------------------------------------------------------------


class Keeper:
    """What a worker holds: scenarios by file and digest, and each seat's belief so far."""

    def __init__(self, seats: int = SEATS_PER_WORKER):
        self.seats = seats
        self.scenarios: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self.beliefs: OrderedDict[Seat, Any] = OrderedDict()

    def scenario(self, path: str, digest: str):
        found = self.scenarios.get((path, digest))
        if found is None:
            from game.core.errors import CrisisError
            from game.scenario.loader import load_scenario

            found = load_scenario(path)
            if found.digest != digest:
                raise CrisisError(f"the scenario file {path} has changed since the game began")
            self.scenarios[(path, digest)] = found
            while len(self.scenarios) > SCENARIOS_PER_WORKER:
                self.scenarios.popitem(last=False)
        self.scenarios.move_to_end((path, digest))
        return found

    def handle(self, message: tuple) -> tuple | None:
        kind = message[0]
        if kind == "forget":
            for seat in message[1]:
                self.beliefs.pop(seat, None)
            return None
        if kind != "odds":
            return ("failed", None, f"an odds worker does not know the message '{kind}'")
        _, ticket, seat, path, digest, start, records, legal, mode = message
        try:
            return ("odds", ticket, self.odds(seat, path, digest, start, records, legal, mode))
        except _Resend:
            return ("resend", ticket)
        except Exception as exc:  # a bug or a changed file: answered, logged by the server
            self.beliefs.pop(seat, None)
            return ("failed", ticket, f"{type(exc).__name__}: {exc}")

    def odds(self, seat: Seat, path: str, digest: str, start: int, records, legal, mode: str) -> dict:
        from game.core.belief import Belief
        from game.server.views import seat_odds

        scenario = self.scenario(path, digest)
        belief = self.beliefs.get(seat)
        if belief is None:
            if start != 0:
                raise _Resend
            belief = self.beliefs[seat] = Belief(scenario, seat[1])
            while len(self.beliefs) > self.seats:
                self.beliefs.popitem(last=False)
        if belief.steps != start:
            self.beliefs.pop(seat, None)
            raise _Resend
        self.beliefs.move_to_end(seat)
        for record in records:
            belief.advance(record)
            _cut(belief)
        return seat_odds(scenario, belief, legal, mode)


def _cut(belief) -> None:
    """Let go of the histories of the truths a belief holds. Following a belief and working out
    odds read each truth's state alone (its values, turn, step and ending), never the states
    before it; a worker holds nothing else, so each truth need not keep its whole game alive."""
    for particle in belief.particles:
        particle.state.prev = None


class _Resend(Exception):
    """The worker does not hold the seat's belief as far as the request assumes."""


def _read(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def work(stdin, stdout) -> None:
    """A worker's loop: a request in, its answer out, until the server closes the pipe."""
    keeper = Keeper()
    while True:
        header = _read(stdin, _HEADER.size)
        if header is None:
            return
        body = _read(stdin, unpack_size(header))
        if body is None:
            return
        reply = keeper.handle(pickle.loads(body))
        if reply is not None:
            try:
                stdout.write(pack(reply))
                stdout.flush()
            except BrokenPipeError:
                return


def main() -> None:
    try:
        os.nice(NICE)
    except OSError:  # a system that refuses: the worker runs at the server's priority
        pass
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers goes down the pipe
    work(stdin, stdout)


# the server's side ---------------------------------------------------------------------------


class Worker:
    """One worker process as the server's loop sees it: the seats given to it and their requests."""

    def __init__(self, number: int):
        self.number = number
        self.proc: asyncio.subprocess.Process | None = None
        self.starting = False
        self.restarts = 0  # times it was started again, in all
        self.failing = 0  # deaths since it last answered: past RESTARTS the server gives up on odds
        self.suspect: tuple[Seat, int] | None = None  # the request it was working on when it died
        self.pending: dict[Seat, tuple[Any, int]] = {}  # seat -> (room, step) waiting to be sent
        self.fed: dict[Seat, int] = {}  # seat -> how many steps of its trail the worker holds
        self.busy: tuple[Seat, Any, int] | None = None  # the request being worked on
        self.sent = 0  # requests sent
        self.dropped = 0  # requests dropped before sending, because their view was no longer current

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None


class OddsService:
    """The loop's end of the odds workers: coalesce, send, receive and deliver.

    ``current(room, role, step)`` says whether odds for ``role`` at ``step`` are still wanted;
    ``deliver(room, role, message)`` sends an ``odds`` message to the seat's connections."""

    def __init__(
        self,
        workers: int,
        current: Callable[[Any, str, int], bool],
        deliver: Callable[[Any, str, dict], None],
    ):
        self.workers = [Worker(n) for n in range(max(1, workers))]
        self.current = current
        self.deliver = deliver
        self.closed = False
        self.tasks: set[asyncio.Task] = set()

    def worker_of(self, seat: Seat) -> Worker:
        return self.workers[hash(seat) % len(self.workers)]

    # asking ----------------------------------------------------------------------------------

    def want(self, room, role: str, step: int) -> None:
        """Odds for ``role`` at ``step`` are wanted; a request already waiting for the seat is replaced."""
        if self.closed:
            return
        seat = (room.id, role)
        worker = self.worker_of(seat)
        worker.pending[seat] = (room, step)
        self.pump(worker)

    def forget(self, room) -> None:
        """The game has ended (or gone): its seats' beliefs are no longer needed."""
        for worker in self.workers:
            for seat in [seat for seat in worker.pending if seat[0] == room.id]:
                del worker.pending[seat]
            seats = [seat for seat in worker.fed if seat[0] == room.id]
            for seat in seats:
                del worker.fed[seat]
            if seats and worker.proc is not None and worker.proc.stdin is not None:
                worker.proc.stdin.write(pack(("forget", seats)))

    def pump(self, worker: Worker) -> None:
        """Send the worker its next request, if it is idle and a current one is waiting."""
        if self.closed or worker.busy is not None:
            return
        if worker.proc is None:
            self._start(worker)
            return
        while worker.pending:
            seat = next(iter(worker.pending))
            room, step = worker.pending.pop(seat)
            if not self.current(room, seat[1], step):
                worker.dropped += 1
                continue
            observation = room.shown[0].observe(seat[1])
            start = worker.fed.get(seat, 0)
            records = observation.trail[1 + start :]
            request = request_of(room, seat, start, records, observation.legal)
            worker.fed[seat] = start + len(records)
            worker.busy = (seat, room, step)
            worker.sent += 1
            worker.proc.stdin.write(pack(request))
            return

    # the processes ---------------------------------------------------------------------------

    def _start(self, worker: Worker) -> None:
        if worker.starting or worker.failing > RESTARTS:
            return
        worker.starting = True
        task = asyncio.get_running_loop().create_task(self._run(worker))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, worker: Worker) -> None:
        """Start the worker, read its answers until it exits, and start it again if it died."""
        import game

        env = dict(os.environ)
        root = str(Path(game.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "game.server.odds",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
        except OSError as exc:
            log.error("cannot start an odds worker: %s", exc)
            worker.starting = False
            worker.failing = RESTARTS + 1
            return
        worker.proc, worker.starting = proc, False
        garbled = False
        self.pump(worker)
        try:
            while True:
                header = await proc.stdout.readexactly(_HEADER.size)
                body = await proc.stdout.readexactly(unpack_size(header))
                self._answer(worker, pickle.loads(body))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except Exception:  # a frame past MAX_FRAME, one that does not unpickle, or a bug of ours
            log.exception("odds worker %d: its answer could not be taken; stopping it", worker.number)
            garbled = True
        except asyncio.CancelledError:
            return
        finally:
            if worker.proc is proc:
                worker.proc = None
        if self.closed:
            return
        if garbled and proc.returncode is None:
            try:
                proc.kill()
            except ProcessLookupError:
                pass
        await proc.wait()
        log.warning("odds worker %d stopped (exit code %s); starting another", worker.number, proc.returncode)
        worker.restarts += 1
        worker.failing += 1
        worker.fed.clear()  # the new worker holds no belief: each seat is sent its whole trail
        if worker.busy is not None:
            seat, room, step = worker.busy
            worker.busy = None
            if worker.suspect == (seat, step):  # it died on this request twice: let it go
                log.warning("odds worker %d died twice on one request; that view gets no odds", worker.number)
            else:
                worker.suspect = (seat, step)
                worker.pending.setdefault(seat, (room, step))
        await asyncio.sleep(min(2.0, 0.1 * worker.failing))
        self.pump(worker)

    def _answer(self, worker: Worker, reply: tuple) -> None:
        busy, worker.busy = worker.busy, None
        worker.failing, worker.suspect = 0, None  # it works: a later death counts from here
        if busy is not None:
            seat, room, step = busy
            kind = reply[0]
            if kind == "odds":
                if self.current(room, seat[1], step):
                    self.deliver(room, seat[1], {"type": "odds", "game": room.id, "step": step, **reply[2]})
            elif kind == "resend":
                worker.fed.pop(seat, None)
                worker.pending = {seat: (room, step), **worker.pending}
            else:
                log.error("odds failed in game %s: %s", room.id, reply[2])
                worker.fed.pop(seat, None)
        self.pump(worker)

    async def close(self) -> None:
        self.closed = True
        for worker in self.workers:
            proc = worker.proc
            if proc is None:
                continue
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        for task in list(self.tasks):
            task.cancel()

    def figures(self) -> dict[str, int]:
        return {
            "sent": sum(w.sent for w in self.workers),
            "dropped": sum(w.dropped for w in self.workers),
            "waiting": sum(len(w.pending) for w in self.workers),
        }


def request_of(room, seat: Seat, start: int, records: tuple, legal: tuple[str, ...]) -> tuple:
    """The one message a worker is sent for a seat: the seat, where its scenario is, the steps of
    its own trail from ``start`` on, its open moves and the game's odds setting. Nothing more."""
    scenario = room.scenario
    path = os.path.abspath(scenario.path)
    return ("odds", None, seat, path, scenario.digest, start, tuple(records), legal, room.config["odds"])


if __name__ == "__main__":
    main()
