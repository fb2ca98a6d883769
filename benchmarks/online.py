"""Figures for the game server: many games at once on one server process, over loopback.

    python benchmarks/online.py [--games 500] [--moves 6] [--think 5] [--scenario wagner_mutiny] [--runs 1] [--odds-workers 1]

Starts ``crisis serve`` as a subprocess on a free loopback port with a fresh journal, creates
GAMES games with two person seats each, connects both seats of every game (2 x GAMES
connections, all from this process) and plays every game at once: whenever it is a seat's move,
the seat waits its thinking time (uniform between half and one and a half times THINK seconds,
seeded; 0 sends at once, a burst no person makes) and sends its first open move. For each move it measures the time from sending the move to
the moment both seats of that game have received the view that shows it (the step after it),
and prints the median, p90, p99 and maximum over every move of every game. Each game plays up
to MOVES moves (or to its end). Memory is the server's resident set size (from /proc) after
start, after the games are created and joined, and after the moves, divided by GAMES; the odds
workers' (the server's child processes) is given apart. CPU is the seconds the server's process
and its workers spent over the whole run, per move (and this process's, the clients').

Odds come after the view, from the server's odds workers; a seat here does not wait for them.
For every view that asks a seat to move it notes whether the odds for that view came before the
seat moved, and how long after the view they came.

The clients run on the same machine as the server and share its cores, so the times include
their work too; on a shared machine run it several times (``--runs``) and read the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.server import protocol  # noqa: E402


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as found:
            return [int(child) for child in found.read().split()]
    except OSError:
        return []


def workers_rss_mb(pid: int) -> float:
    return sum(rss_mb(child) for child in children(pid))


class Odds:
    """What the seats saw of the odds: views that asked for a move, odds in time, their delays."""

    def __init__(self):
        self.asked = 0
        self.in_time = 0
        self.delays: list[float] = []


class Game:
    def __init__(self, codes: dict[str, str]):
        self.codes = codes
        self.step = {role: -1 for role in codes}
        self.sent_at: dict[int, float] = {}  # step a move was sent at -> when
        self.waiting: dict[int, set[str]] = {}
        self.latencies: list[float] = []
        self.moves = 0
        self.planned: set[int] = set()  # steps this game's seats have chosen a move for
        self.thinking = 0  # moves chosen and not sent yet
        self.done = asyncio.Event()


async def seat(url: str, game: Game, role: str, limit: int, think: float, rng: random.Random, odds: Odds) -> None:
    from websockets.asyncio.client import connect

    asked: dict[int, float] = {}  # a view that asked this seat to move and has no odds yet: step -> when
    moving: set[asyncio.Task] = set()

    async def move(ws, step: int, action: str) -> None:
        if think > 0:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        asked.pop(step, None)  # odds that come after this are too late
        game.thinking -= 1
        game.sent_at[step] = time.perf_counter()
        game.waiting[step] = set(game.codes)
        await ws.send(json.dumps({"type": "move", "id": f"m{step}", "step": step, "action": action}))

    async with connect(url, max_size=protocol.MAX_SERVER_MESSAGE, compression=None, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "hello", "version": protocol.VERSION, "code": game.codes[role]}))
        while not game.done.is_set():
            receive = asyncio.ensure_future(ws.recv())
            finished = asyncio.ensure_future(game.done.wait())
            await asyncio.wait((receive, finished), return_when=asyncio.FIRST_COMPLETED)
            finished.cancel()
            if not receive.done():
                receive.cancel()
                break
            message = json.loads(receive.result())
            if message["type"] == "odds":
                when = asked.pop(message["step"], None)
                if when is not None:
                    odds.in_time += 1
                    odds.delays.append(time.perf_counter() - when)
                continue
            if message["type"] != "view":
                continue
            step = message["step"]
            game.step[role] = step
            for sent, roles in list(game.waiting.items()):
                if step > sent:
                    roles.discard(role)
                    if not roles:
                        game.latencies.append(time.perf_counter() - game.sent_at.pop(sent))
                        del game.waiting[sent]
            if message["over"] or (game.moves >= limit and not game.waiting and not game.thinking):
                game.done.set()
            if game.done.is_set():
                break
            if message["your_move"] and step not in game.planned and game.moves < limit:
                game.planned.add(step)
                game.moves += 1
                game.thinking += 1
                odds.asked += 1
                asked[step] = time.perf_counter()
                task = asyncio.create_task(move(ws, step, message["moves"][0]["id"]))
                moving.add(task)
                task.add_done_callback(moving.discard)
        for task in moving:
            task.cancel()


async def run(url: str, games: int, moves: int, think: float, scenario: str, pid: int) -> dict:
    from websockets.asyncio.client import connect

    figures = {"rss_start": rss_mb(pid), "cpu_start": cpu_seconds(pid)}
    made = []
    for first in range(0, games, 50):  # a connection may create only so many games, and only so fast
        async with connect(url, max_size=protocol.MAX_SERVER_MESSAGE) as host:
            for _ in range(first, min(games, first + 50)):
                await host.send(json.dumps({"type": "create", "version": protocol.VERSION, "scenario": scenario}))
                created = json.loads(await host.recv())
                assert created["type"] == "created", created
                made.append(Game(created["codes"]))
    figures["rss_created"] = rss_mb(pid)
    gc.collect()
    gc.freeze()  # this process's own collector walks only what is new: its pauses are not the server's
    started = time.perf_counter()
    client_cpu = time.process_time()
    odds = Odds()
    tasks = [
        asyncio.create_task(seat(url, game, role, moves, think, random.Random(f"{n}:{role}"), odds))
        for n, game in enumerate(made)
        for role in game.codes
    ]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=1800)
    figures["seconds"] = time.perf_counter() - started
    figures["cpu_client"] = time.process_time() - client_cpu
    figures["rss_played"] = rss_mb(pid)
    figures["rss_workers"] = workers_rss_mb(pid)
    figures["cpu_server"] = cpu_seconds(pid) - figures["cpu_start"]
    figures["cpu_workers"] = sum(cpu_seconds(child) for child in children(pid))
    figures["odds"] = odds
    figures["latencies"] = sorted(x for game in made for x in game.latencies)
    return figures


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--moves", type=int, default=6, help="moves per game at most (default 6)")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds a seat thinks before moving")
    parser.add_argument("--scenario", default="wagner_mutiny")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--odds-workers", type=int, default=1, help="the server's odds worker processes (default 1)")
    args = parser.parse_args()
    if not (1 <= args.games <= 2000 and 1 <= args.moves <= 100 and 1 <= args.runs <= 20 and 0 <= args.think <= 60):
        parser.error("--games 1..2000, --moves 1..100, --runs 1..20, --think 0..60")
    if not 1 <= args.odds_workers <= 16:
        parser.error("--odds-workers 1..16")
    for run_number in range(1, args.runs + 1):
        port = free_port()
        with tempfile.TemporaryDirectory() as data:
            env = dict(os.environ, CRISIS_HOME=data)
            command = [sys.executable, "-m", "game", "serve", "--port", str(port), "--data", data]
            command += ["--odds-workers", str(args.odds_workers)]
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            try:
                line = server.stdout.readline()
                if "listening" not in line:
                    print("the server did not start", file=sys.stderr)
                    return 1
                url = f"ws://127.0.0.1:{port}"
                figures = asyncio.run(run(url, args.games, args.moves, args.think, args.scenario, server.pid))
            finally:
                server.terminate()
                server.wait(timeout=60)
        times = [x * 1000 for x in figures["latencies"]]
        per_game = (figures["rss_played"] - figures["rss_start"]) / args.games
        odds = figures["odds"]
        delays = sorted(x * 1000 for x in odds.delays) or [float("nan")]
        print(
            f"run {run_number}: {args.games} games, think {args.think:g} s, {args.odds_workers} odds workers, {len(times)} moves in {figures['seconds']:.1f} s; "
            f"move to both seats updated: median {statistics.median(times):.1f} ms, "
            f"p90 {percentile(times, 0.90):.1f} ms, p99 {percentile(times, 0.99):.1f} ms, max {times[-1]:.1f} ms; "
            f"server memory {figures['rss_start']:.0f} MB at start, +{(figures['rss_created'] - figures['rss_start']) / args.games * 1024:.0f} kB "
            f"per game created, {per_game * 1024:.0f} kB per game after play (odds workers {figures['rss_workers']:.0f} MB); "
            f"CPU per move: server {figures['cpu_server'] / max(1, len(times)) * 1000:.1f} ms, "
            f"odds workers {figures['cpu_workers'] / max(1, len(times)) * 1000:.1f} ms, "
            f"clients {figures['cpu_client'] / max(1, len(times)) * 1000:.1f} ms; "
            f"odds before the move for {odds.in_time} of {odds.asked} views "
            f"(after the view: median {statistics.median(delays):.0f} ms, p90 {percentile(delays, 0.90):.0f} ms)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
