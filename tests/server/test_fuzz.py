"""Fuzz: tens of thousands of malformed, oversized, out-of-order and wrong-seat messages while a
real game goes on. The server answers every one with an error, stays up, applies none of them,
and every game ends exactly as it would have without them.

``CRISIS_FUZZ_MESSAGES`` sets how many (20,000 by default; CI may run more).
"""

from __future__ import annotations

import asyncio
import json
import random

from websockets.asyncio.client import connect

from game.saves import parse_save, replay
from game.scenario.loader import load_scenario
from game.server import protocol
from game.server.client import Client
from game.server.server import Limits
from tests.conftest import ROOT, knob
from tests.server.conftest import Running, create, local_game, play_out

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"
MESSAGES = knob("CRISIS_FUZZ_MESSAGES", 20000, 10_000_000)
BATCH = 200


def _junk(rng: random.Random, step: int, actions: list[str]) -> str | bytes:
    """One message the server must refuse, whoever sends it."""
    kind = rng.randrange(14)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if kind == 1:
        return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(0, 80)))
    if kind == 2:
        return json.dumps(rng.choice([[], [1, 2], "move", 42, None, True, 1.5]))
    if kind == 3:
        return "x" * rng.randrange(protocol.MAX_MESSAGE + 1, protocol.MAX_FRAME)
    if kind == 4:
        return '{"type": "move", "a": ' + "[" * 40 + "]" * 40 + "," * rng.randrange(2) + "}"
    if kind == 5:
        return json.dumps({"type": rng.choice(["teleport", "", "MOVE", "hello ", "create\x00"])})
    if kind == 6:
        return json.dumps({"type": "ping", rng.choice(["colour", "echo2", "id"]): 1})
    if kind == 7:
        return json.dumps({"type": "move", "id": "x", "step": rng.choice([-5, 1.5, "3", None, 10**12]), "action": "a"})
    if kind == 8:
        return json.dumps({"type": "move", "id": rng.choice(["", "a b", "é", "x" * 41]), "step": step, "action": "a"})
    if kind == 9:  # a move for a step that is not now: out of order
        action = rng.choice(actions or ["negotiate"])
        wrong = step + rng.choice([-3, -2, -1, 1, 2, 50])
        return json.dumps({"type": "move", "id": f"f{rng.getrandbits(40)}", "step": max(0, wrong), "action": action})
    if kind == 10:  # no such action, or not open now
        return json.dumps({"type": "move", "id": f"f{rng.getrandbits(40)}", "step": step, "action": "no_such_move"})
    if kind == 11:
        return json.dumps({"type": "hello", "version": 1, "code": f"{rng.getrandbits(50):X}"[:11]})
    if kind == 12:
        return json.dumps({"type": rng.choice(["reveal", "download"])})
    return json.dumps(
        {"type": "create", "version": rng.choice([0, 1, 2]), "scenario": rng.choice(["nope", "Wagner", "../x"])}
    )


async def _fuzz(url: str, codes: dict[str, str], spectator: str, count: int, seed: int) -> dict[str, int]:
    """Send ``count`` junk messages over four connections (both seats, a spectator, nobody) and
    read one error back for each; returns the tally of error codes."""
    rng = random.Random(seed)
    tally: dict[str, int] = {}
    async with (
        connect(url, max_size=None) as first,
        connect(url, max_size=None) as second,
        connect(url, max_size=None) as watcher,
        connect(url, max_size=None) as stranger,
    ):
        joined = ((first, codes["putin"]), (second, codes["prigozhin"]), (watcher, spectator))
        for ws, code in joined:
            await ws.send(json.dumps({"type": "hello", "version": 1, "code": code}))
        view = {"step": 0, "moves": []}
        for ws, _ in joined:
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "view":
                    if message["moves"]:
                        view = message
                    break
        sent = 0
        while sent < count:
            for ws in (first, second, watcher, stranger):
                batch = [_junk(rng, view["step"], [m["id"] for m in view["moves"]]) for _ in range(BATCH)]
                for raw in batch:
                    await ws.send(raw)
                answered = 0
                while answered < BATCH:
                    message = json.loads(await ws.recv())
                    if message["type"] in ("view", "odds"):
                        continue  # news of the game, not a reply
                    assert message["type"] == "error", message
                    assert message["message"]
                    tally[message["code"]] = tally.get(message["code"], 0) + 1
                    answered += 1
                sent += BATCH
        for ws in (first, second, watcher, stranger):
            await ws.send(json.dumps({"type": "ping", "echo": 7}))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "pong":
                    assert message["echo"] == 7
                    break
    return tally


def test_tens_of_thousands_of_bad_messages_are_each_refused_and_no_game_is_harmed(tmp_path):
    scenario = load_scenario(WAGNER)
    running = Running(tmp_path / "data", Limits(rate=1e9, burst=1e9, strikes=10**9, queue=4096, seeds=True))
    try:
        played = create(running.url, scenario="wagner_mutiny", seed=71)
        target = create(running.url, scenario="wagner_mutiny", seed=72)
        players = [Client(running.url, played["codes"][role]).start() for role in ("putin", "prigozhin")]
        tally = {}
        for seed in range(2):
            part = asyncio.run(_fuzz(running.url, target["codes"], target["spectator"], MESSAGES // 2, seed))
            for code, n in part.items():
                tally[code] = tally.get(code, 0) + n
            if seed == 0:
                play_out(players, timeout=120)
        assert sum(tally.values()) >= MESSAGES
        for code in ("bad_json", "binary", "too_big", "unknown_type", "unknown_field", "bad_field", "not_joined"):
            assert tally.get(code), (code, tally)
        for code in ("stale_step", "not_your_turn", "spectator", "wrong_code", "not_over", "bad_scenario"):
            assert tally.get(code), (code, tally)
        assert "server_error" not in tally
        # the fuzzed game is where it was, and both games end as they would have without the noise
        victims = [Client(running.url, target["codes"][role]).start() for role in ("putin", "prigozhin")]
        victims[0].wait(lambda s: s.view is not None, 30)
        assert victims[0].seat.view["step"] == len(local_game_start(scenario, 72))
        play_out(victims, timeout=120)
        for client, seed in ((players[0], 71), (victims[0], 72)):
            client.request("download")
            assert client.wait(lambda s: s.save is not None, 30)
            again = replay(parse_save(json.dumps(client.seat.save).encode()), scenario)
            assert [s.digest for s in again.steps] == [s.digest for s in local_game(scenario, seed).steps]
        for client in (*players, *victims):
            client.close()
    finally:
        running.close()


def local_game_start(scenario, seed: int):
    """The steps a new game takes before anyone moves (its starting draws)."""
    from game.core.match import Match

    match = Match(scenario, seed=seed)
    match.run()
    return match.steps
