"""Two clients play whole games over loopback: each seat receives nothing it may not see, and the
downloaded save replays exactly. Joining, resuming, spectating, the AI seat and the move clock."""

from __future__ import annotations

import json
import re

import pytest

from game.core import information
from game.core.information import EXACT, level
from game.core.model import WORLD
from game.saves import SaveError, parse_save, replay
from game.scenario.groups import numbered
from game.scenario.loader import load_scenario
from game.server.client import Client, ClientError, store_save
from game.server.room import Room
from tests.conftest import ROOT
from tests.server.conftest import choose, create, local_game, play_out

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _leaves(value, strings: list, numbers: list) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _leaves(item, strings, numbers)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, strings, numbers)
    elif isinstance(value, str):
        strings.append(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        numbers.append(float(value))


def _chain(state):
    chain = [state]
    while chain[-1].prev is not None:
        chain.append(chain[-1].prev)
    return chain[::-1]


def scan(scenario, match, role: str, raws: list[str]) -> int:
    """Check every message ``role`` received against the truth of the game; the number checked.

    At the step a message was sent, every value not exact for ``role`` must not appear in it: not
    its exact figure in any text, unless the role was shown that figure for another reason (its
    own values, the edges of its bands, the texts its own feed holds, its odds), and not its true
    number among the message's numbers, unless it equals a number the role may know. No move the
    role did not see in full may be named, nor its text quoted.
    """
    states = _chain(match.state)
    secret_actions, secret_texts = set(), set()
    for before, after in zip(states, states[1:]):
        move, outcome = after.last
        actor = before.current_role() or WORLD
        kind, *_ = information._shown(move, outcome, actor, role)
        if actor != role and kind in ("cover", "none") and not before.in_setup() and outcome.id != "quiet":
            secret_actions.add(move.id)
            told = after.render(outcome.text, information.SPECTATOR).strip()
            if len(told) > 20:
                secret_texts.add(told)
    mine = set()
    for before, after in zip(states, states[1:]):
        entry = information.entry(before, *after.last, after, role)
        if entry is not None:
            mine |= {entry.title, entry.outcome_title, entry.text}
    secret_texts -= mine
    checked = 0
    for raw in raws:
        message = json.loads(raw)
        if message["type"] in ("reveal", "save"):
            continue  # asked for after the end, when everything may be told
        strings, numbers = [], []
        tokens = ("game", "ref", "id") if message["type"] in ("moved", "error") else ("game",)
        _leaves({k: v for k, v in message.items() if k not in tokens}, strings, numbers)
        for text in strings:
            assert text not in secret_actions, (role, text, message["type"])
            for secret in secret_texts:
                assert secret not in text, (role, secret)
        if "step" not in message or message["type"] != "view":
            checked += 1
            continue
        state = states[message["step"]]
        seen = state.observe(role)
        allowed_numbers = {float(state.turn), float(message["step"])}
        allowed_figures = set()
        for s in seen.seen:
            allowed_numbers |= {s.value, s.low, s.high}
            for v in (s.value, s.low, s.high):
                allowed_figures |= set(_FIGURE.findall(state.format_value(s.variable, v)))
        for entry in seen.feed:
            allowed_figures |= set(_FIGURE.findall(" ".join((entry.title, entry.outcome_title, entry.text))))
            allowed_figures |= set(_FIGURE.findall(entry.clock.isoformat(timespec="minutes")))
            if entry.history is not None:
                allowed_figures |= set(_FIGURE.findall(f"{entry.history.when} {entry.history.note}"))
            for change in entry.changes:
                for side in (change.before, change.after):
                    if side is not None:
                        allowed_numbers |= {side.value, side.low, side.high}
                        for v in (side.value, side.low, side.high):
                            allowed_figures |= set(_FIGURE.findall(state.format_value(side.variable, v)))
        for move in message.get("moves", []):
            allowed_figures |= set(_FIGURE.findall(move["description"] + " " + move["title"]))
            for odds in move["odds"] or []:
                allowed_figures |= set(_FIGURE.findall(odds["shown"] + " " + odds["title"]))
                allowed_numbers |= {odds.get("chance", -1), odds.get("low", -1), odds.get("high", -1)}
        for item in message.get("moves", []) + message.get("closed", []):
            allowed_numbers.add(float(item.get("number", -1)))  # the menu's numbering, the same all game
        for advice in message.get("advice", []):
            allowed_figures |= set(_FIGURE.findall(advice["text"]))
        if message.get("over"):
            allowed_numbers |= set(message["over"]["scores"].values())
            allowed_figures |= set(_FIGURE.findall(message["over"]["epilogue"]))
            for score in message["over"]["scores"].values():
                allowed_figures |= set(_FIGURE.findall(f"{score}"))
        allowed_figures |= set(_FIGURE.findall(message["clock"])) | {str(state.turn), str(message["step"])}
        allowed_figures |= set(_FIGURE.findall(str(message["turn_limit"])))
        figures = {f for text in strings for f in _FIGURE.findall(text)}
        for var in scenario.variables.values():
            if var.internal or level(state, role, var.id) == EXACT:
                continue
            truth = state.value(var.id)
            if var.type == "number":
                assert truth in allowed_numbers or truth not in numbers, (role, var.id, truth, message["step"])
            figure = state.format_value(var.id).split()[0].rstrip("%")
            if var.type == "number" and figure[:1].isdigit() and figure not in allowed_figures:
                assert figure not in figures, (role, var.id, figure, [t for t in strings if figure in t])
            if var.type in ("case", "place"):
                told = state.format_value(var.id)
                if all(told not in text for text in mine) and len(told) > 3:
                    labels = {v.label for v in scenario.variables.values()}  # the same in every game
                    known = [s for s in strings if told in s and s not in mine and s not in labels]
                    assert not known or state.format_value(var.id) in {
                        state.format_value(s.variable, s.value) for s in seen.seen
                    }, (role, var.id, told)
        checked += 1
    return checked


def _two_seats(running, seed: int, **fields):
    created = create(running.url, scenario="wagner_mutiny", seed=seed, **fields)
    assert created["type"] == "created", created
    received = {"putin": [], "prigozhin": []}
    clients = {
        role: Client(running.url, created["codes"][role], record=received[role].append).start() for role in received
    }
    return created, clients, received


@pytest.mark.parametrize("seed", [11, 12])
def test_two_clients_play_a_whole_game_and_each_hears_only_its_own_side(running, tmp_path, seed):
    scenario = load_scenario(WAGNER)
    created, clients, received = _two_seats(running, seed)
    try:
        play_out(list(clients.values()))
        for client in clients.values():
            client.wait(lambda s: s.over, 30)
        client = clients["putin"]
        client.request("download")
        assert client.wait(lambda s: s.save is not None, 30)
        path = store_save(client.seat.save, tmp_path / "online.json")
    finally:
        for client in clients.values():
            client.close()
    save = parse_save(path.read_bytes())
    match = replay(save, scenario)
    assert match.is_over()
    same = local_game(scenario, seed)
    assert [s.digest for s in match.steps] == [s.digest for s in same.steps]
    for role, raws in received.items():
        assert scan(scenario, match, role, raws) > 10
        assert not any('"seed"' in raw for raw in raws if json.loads(raw)["type"] != "save")
        assert not any(json.loads(raw)["type"] == "error" for raw in raws)
        assert any(json.loads(raw)["type"] == "odds" for raw in raws), "odds follow the views"
        # each choice keeps the number the local terminal gives it, in every view, open or closed
        numbers = {a.id: n for n, (_, a) in enumerate(numbered(scenario, role), 1)}
        told = [
            (m["id"], m.get("number"))
            for raw in raws
            if (view := json.loads(raw))["type"] == "view"
            for m in view.get("moves", []) + view.get("closed", [])
        ]
        assert told and all(number == numbers.get(move) for move, number in told)
        assert sum(n is not None for _, n in told) > 20
    from game.cli import main

    assert main(["replay", str(path), "--quiet"]) == 0


def test_the_scan_catches_a_server_that_sends_a_seat_the_truth(running, monkeypatch):
    """A careless server that shows every seat the spectator's view: the scan must object."""
    scenario = load_scenario(WAGNER)
    honest = Room.view

    def leaky(self, reader, start):
        return honest(self, information.SPECTATOR if reader in ("putin", "prigozhin") else reader, start)

    monkeypatch.setattr(Room, "view", leaky)
    created, clients, received = _two_seats(running, 13)
    try:
        clients["putin"].wait(lambda s: s.view is not None, 30)
        clients["prigozhin"].wait(lambda s: s.view is not None, 30)
        for _ in range(3):
            for client in clients.values():
                _, _, view, _ = client.snapshot()
                if view["your_move"] and not view["over"]:
                    client.move(choose(view))
                    client.wait(lambda s, step=view["step"]: s.view["step"] > step, 30)
    finally:
        for client in clients.values():
            client.close()
    match = local_game(scenario, 13)
    with pytest.raises(AssertionError):
        scan(scenario, match, "putin", received["putin"])


def test_a_seat_resumes_with_its_code_and_a_wrong_or_taken_code_is_refused(running):
    created, clients, _ = _two_seats(running, 21)
    try:
        putin = clients["putin"]
        putin.wait(lambda s: s.view is not None, 30)
        with pytest.raises(ClientError, match="already taken"):
            Client(running.url, created["codes"]["putin"], retry=False).start().wait(lambda s: False, 10)
        with pytest.raises(ClientError, match="no game has that join code"):
            Client(running.url, "ABCDE-FGHJK", retry=False).start().wait(lambda s: False, 10)
        play_out(list(clients.values()), stop=lambda: clients["putin"].seat.view["turn"] >= 3)
        _, _, before, feed = putin.snapshot()
        putin.close()
        again = Client(running.url, created["codes"]["putin"].lower().replace("-", "")).start()
        clients["putin"] = again
        again.wait(lambda s: s.view is not None and s.view["step"] >= before["step"], 30)
        _, _, after, resumed = again.snapshot()
        assert resumed[: len(feed)] == feed
        play_out(list(clients.values()))
        assert again.wait(lambda s: s.over, 30)
    finally:
        for client in clients.values():
            client.close()


def test_a_spectator_sees_only_what_is_public_then_everything_after_the_end(running):
    scenario = load_scenario(WAGNER)
    created, clients, _ = _two_seats(running, 31)
    seen = []
    watcher = Client(running.url, created["spectator"], record=seen.append).start()
    try:
        play_out(list(clients.values()))
        assert watcher.wait(lambda s: s.over, 30)
        watcher.request("reveal")
        assert watcher.wait(lambda s: s.reveal is not None, 30)
        assert watcher.seat.welcome["seat"] == "spectator"
        with pytest.raises(ClientError):
            watcher.move("anything")
    finally:
        for client in (*clients.values(), watcher):
            client.close()
    match = local_game(scenario, 31)
    from game.server.views import PUBLIC

    scan(scenario, match, PUBLIC, seen)
    # the model itself, not only the scan that reads it: what the spectator sees exactly, every
    # role sees exactly at that step; what any role only estimates, it sees no better
    states = _chain(match.state)
    views = [m for m in map(json.loads, seen) if m["type"] == "view" and not m["over"]]
    assert views
    for message in views:
        state = states[message["step"]]
        for value in message["values"]:
            levels = [level(state, role, value["variable"]) for role in scenario.roles]
            if value["kind"] == "exact":
                assert all(x == EXACT for x in levels), (value, levels, message["step"])
            else:  # a band that holds the band of every role that estimates it
                var = scenario.variables[value["variable"]]
                for width in (x for x in levels if x > 0):
                    low, high = information.band(var, state.value(var.id), width)
                    assert value["low"] <= low and high <= value["high"], (value, width, message["step"])
    estimated = {v.id for v in scenario.variables.values() if v.estimated_by and v.visible_to is None}
    assert estimated & {v["variable"] for m in views for v in m["values"] if v["kind"] == "estimate"}
    hidden = [  # hidden from some role all game long: never shown to the spectator
        v
        for v in scenario.variables.values()
        if not v.internal and any(all(level(s, r, v.id) == information.HIDDEN for s in states) for r in scenario.roles)
    ]
    assert hidden and all(v.id not in {s["variable"] for s in watcher.seat.view["values"]} for v in hidden)
    assert watcher.seat.reveal["values"], "after the end the spectator is told the hidden values"


def test_a_person_plays_the_ai_seat_on_the_server_and_the_save_replays(running):
    scenario = load_scenario(WAGNER)
    created = create(running.url, scenario="wagner_mutiny", seed=41, seats={"putin": "person"}, ai="hard")
    assert created["seats"] == {"putin": "person", "prigozhin": "ai"}
    assert list(created["codes"]) == ["putin"]
    client = Client(running.url, created["codes"]["putin"]).start()
    try:
        play_out([client])
        client.request("download")
        assert client.wait(lambda s: s.save is not None, 30)
        save = parse_save(json.dumps(client.seat.save).encode())
    finally:
        client.close()
    match = replay(save, scenario)
    assert match.is_over()
    assert any(step.by == "greedy" for step in match.steps)


def test_when_the_move_clock_runs_out_the_ai_moves_for_the_seat(running):
    scenario = load_scenario(WAGNER)
    created = create(running.url, scenario="wagner_mutiny", seed=51, clock=1, odds="hidden")
    clients = [Client(running.url, created["codes"][role]).start() for role in ("putin", "prigozhin")]
    try:
        first = clients[0]
        first.wait(lambda s: s.view is not None, 30)
        start = first.seat.view["step"]
        assert first.wait(lambda s: s.view["step"] > start + 1, 20), "nobody moved, and the clock did not either"
        assert all(move["odds"] == [] for move in clients[1].seat.view["moves"] or [{"odds": []}])
        play_out(clients)
        first.request("download")
        assert first.wait(lambda s: s.save is not None, 30)
        save = parse_save(json.dumps(first.seat.save).encode())
    finally:
        for client in clients:
            client.close()
    assert replay(save, scenario).is_over()
    assert any(step.by for step in save.steps if step.role != WORLD)


def test_a_move_sent_twice_is_applied_once(running):
    from websockets.sync.client import connect

    created = create(running.url, scenario="wagner_mutiny", seed=81)
    with connect(running.url) as a, connect(running.url) as b:
        views = {}
        for ws, role in ((a, "putin"), (b, "prigozhin")):
            ws.send(json.dumps({"type": "hello", "version": 1, "code": created["codes"][role]}))
            while (message := json.loads(ws.recv(timeout=10)))["type"] != "view":
                pass
            views[role] = (ws, message)
        ws, view = next(pair for pair in views.values() if pair[1]["your_move"])
        move = {"type": "move", "id": "once", "step": view["step"], "action": view["moves"][0]["id"]}
        ws.send(json.dumps(move))
        ws.send(json.dumps(move))
        replies = []
        while len([r for r in replies if r["type"] == "moved"]) < 2:
            replies.append(json.loads(ws.recv(timeout=10)))
        moved = [r for r in replies if r["type"] == "moved"]
        assert [r["duplicate"] for r in moved] == [False, True]
        assert moved[0]["step"] == moved[1]["step"] == view["step"]
        ws.send(json.dumps({**move, "id": "twice"}))
        while (refusal := json.loads(ws.recv(timeout=10)))["type"] != "error":
            pass
        assert refusal["code"] in ("stale_step", "not_your_turn") and refusal["ref"] == "twice"


@pytest.mark.parametrize("junk", ["[" * 100_000 + "]" * 100_000, '{"type": "view", "step": 0, "feed": 3}', "not json"])
def test_a_server_that_sends_junk_is_refused_in_words_not_with_a_traceback(junk):
    """The client's thread used to die on these with a traceback on the player's terminal."""
    import threading

    from websockets.sync.server import serve

    def answer(ws) -> None:
        ws.recv()
        ws.send(junk)
        ws.recv()  # until the client goes

    with serve(answer, "127.0.0.1", 0, max_size=None) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        client = Client(f"ws://127.0.0.1:{server.socket.getsockname()[1]}", "AAAAA-BBBBB").start()
        try:
            with pytest.raises(ClientError, match="the server sent a message this client cannot read"):
                client.wait(lambda s: s.view is not None, 30)
        finally:
            client.close()
            server.shutdown()


def test_a_downloaded_save_is_written_as_every_save_is(tmp_path):
    """It used to be renamed over whatever was at the path: a pipe or a device node was replaced."""
    import os

    data = save_data_of_a_finished_tutorial()
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(SaveError, match="named pipe"):
        store_save(data, tmp_path / "pipe")
    assert (tmp_path / "pipe").is_fifo()
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    store_save(data, tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert parse_save((tmp_path / "real.json").read_bytes()).seed == data["seed"]


def save_data_of_a_finished_tutorial() -> dict:
    from game.ai import make_policy
    from game.core.match import Match
    from game.saves import save_data

    scenario = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    match = Match(scenario, seed=3, policies={r: make_policy("random") for r in scenario.roles})
    while not match.is_over():
        match.play()
    return save_data(match)


def test_an_ended_game_past_the_journals_cap_is_forgotten_and_its_codes_open_nothing(tmp_path):
    from game.server.server import Limits
    from tests.server.conftest import Running

    server = Running(tmp_path / "data", Limits(idle=5.0, kept=1, seeds=True))
    try:
        first = create(server.url, scenario="tutorial", seed=3, seats={"union": "ai", "harbour": "ai"})
        watcher = Client(server.url, first["spectator"]).start()
        try:
            assert watcher.wait(lambda s: s.over, 60)  # the AI plays both sides to the end
        finally:
            watcher.close()
        second = create(server.url, scenario="tutorial", seed=4, seats={"union": "ai", "harbour": "ai"})
        assert second["type"] == "created"  # one ended game is kept: the first still is
        late = Client(server.url, first["spectator"]).start()
        try:
            assert late.wait(lambda s: s.over, 60)
        finally:
            late.close()
        watcher = Client(server.url, second["spectator"]).start()
        try:
            assert watcher.wait(lambda s: s.over, 60)
        finally:
            watcher.close()
        third = create(server.url, scenario="tutorial", seed=5, seats={"union": "ai", "harbour": "ai"})
        assert third["type"] == "created"  # now two have ended: the older is forgotten
        gone = Client(server.url, first["spectator"]).start()
        try:
            with pytest.raises(ClientError, match="no game has that join code"):
                gone.wait(lambda s: s.over, 30)
        finally:
            gone.close()
    finally:
        server.close()


def _slow_restores_of(server, game: str, monkeypatch, seconds: float) -> None:
    """Once the finished ``game`` has left the server's memory (its last viewer gone), make every
    replay of a journaled game take ``seconds`` longer."""
    import time

    time.sleep(0.3)
    assert not server.call(lambda: game in server.server.rooms)
    restore = Room.restore

    def slow(*args):
        time.sleep(seconds)
        return restore(*args)

    monkeypatch.setattr(Room, "restore", slow)


def test_a_game_read_back_from_the_journal_is_replayed_off_the_loop(tmp_path, monkeypatch):
    """Replaying a journaled game chooses its AI moves again, which can take seconds: meanwhile
    the server answers everyone else at once, and the hello that asked for it is answered after."""
    import time

    from websockets.sync.client import connect

    from tests.server.conftest import Running

    server = Running(tmp_path / "data", None)
    try:
        first = create(server.url, scenario="tutorial", seed=3, seats={"union": "ai", "harbour": "ai"})
        watcher = Client(server.url, first["spectator"]).start()
        try:
            assert watcher.wait(lambda s: s.over, 60)
        finally:
            watcher.close()
        _slow_restores_of(server, first["game"], monkeypatch, 1.5)
        late = Client(server.url, first["spectator"]).start()
        try:
            time.sleep(0.2)  # its hello is in, the replay under way
            began = time.monotonic()
            with connect(server.url, open_timeout=5) as ws:
                ws.send(json.dumps({"type": "ping", "echo": 1}))
                assert json.loads(ws.recv(timeout=5))["type"] == "pong"
                assert time.monotonic() - began < 1.0
            assert late.wait(lambda s: s.over, 30)
            assert late.seat.welcome["seat"] == "spectator"
        finally:
            late.close()
    finally:
        server.close()


def test_a_connection_gone_while_its_game_is_read_back_leaves_its_seat_free(tmp_path, monkeypatch):
    import time

    from websockets.sync.client import connect

    from tests.server.conftest import Running

    server = Running(tmp_path / "data", None)
    try:
        created = create(server.url, scenario="wagner_mutiny", seed=41, seats={"putin": "person"}, ai="easy")
        player = Client(server.url, created["codes"]["putin"]).start()
        try:
            play_out([player])
            assert player.wait(lambda s: s.over, 30)
        finally:
            player.close()
        _slow_restores_of(server, created["game"], monkeypatch, 1.0)
        with connect(server.url, open_timeout=5) as ws:  # asks for the seat, then goes at once
            ws.send(json.dumps({"type": "hello", "version": 1, "code": created["codes"]["putin"]}))
        time.sleep(1.5)  # the replay ends after the asker has gone
        back = Client(server.url, created["codes"]["putin"], retry=False).start()
        try:
            assert back.wait(lambda s: s.over, 30)  # welcomed: the seat was not held for the gone one
            assert back.seat.welcome["seat"] == "putin"
        finally:
            back.close()
    finally:
        server.close()


@pytest.mark.parametrize("name", ["tutorial", "august_1991"])
def test_a_person_plays_every_smaller_bundled_scenario_to_its_end_online(running, name):
    """Each bundled scenario, not only Wagner, is played from a person's seat with its odds shown
    (play_out waits for every move's odds before moving, as a person reads them first)."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    seat = next(iter(scenario.roles))
    created = create(running.url, scenario=name, seed=7, seats={seat: "person"}, ai="easy")
    assert created["type"] == "created", created
    client = Client(running.url, created["codes"][seat]).start()
    try:
        play_out([client], timeout=90)
        assert client.wait(lambda s: s.over, 30)
    finally:
        client.close()


def test_a_reconnect_refused_while_the_server_still_holds_the_old_connection_is_tried_again(monkeypatch):
    """After a silent drop the server keeps the seat for the old connection until its ping times
    out: a client that was welcomed takes code_in_use then as a reason to wait and try again, for
    a while; one never welcomed (someone else holds the seat) gives up at once."""
    from game.server import client as client_module

    class Socket:
        closed = False

        def close(self):
            self.closed = True

    refused = {"type": "error", "code": "code_in_use", "message": "this seat is already taken"}
    clock = [100.0]
    monkeypatch.setattr(client_module.time, "monotonic", lambda: clock[0])
    ours = Client("ws://127.0.0.1:1", "CODE")
    ours.seat.welcome = {"type": "welcome", "role": "putin"}
    socket = Socket()
    ours._receive(socket, refused)
    assert socket.closed and not ours.fatal  # closed to reconnect, not given up
    clock[0] += client_module.IN_USE_SECONDS - 1
    ours._receive(Socket(), refused)
    assert not ours.fatal
    clock[0] += 2  # the old connection should long have timed out: someone else has the seat
    ours._receive(Socket(), refused)
    assert "already taken" in ours.fatal
    stranger = Client("ws://127.0.0.1:1", "CODE")
    stranger._receive(Socket(), refused)
    assert "already taken" in stranger.fatal
