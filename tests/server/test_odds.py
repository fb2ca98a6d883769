"""The odds workers: their odds are the seat's own belief's, they are sent nothing but the seat's
own trail, and a worker that dies is replaced without a game losing its odds."""

from __future__ import annotations

import json
import os
import signal

import pytest

from game.ai import make_policy
from game.core.belief import consistent
from game.core.information import Glimpse
from game.core.match import Match
from game.scenario.loader import load_scenario
from game.server import odds as odds_module
from game.server import views
from game.server.odds import Keeper
from tests.conftest import ROOT, SCENARIOS
from tests.server.conftest import choose, play_out
from tests.server.test_online import _two_seats

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def _request(scenario, seat, start, records, legal, mode="exact"):
    return ("odds", None, seat, str(WAGNER.resolve()), scenario.digest, start, tuple(records), legal, mode)


def test_a_worker_answers_with_the_odds_of_the_seats_own_belief():
    scenario = load_scenario(WAGNER)
    keeper = Keeper()
    small = Keeper(seats=1)  # holds one belief: the two seats push each other out
    fed: dict[tuple, int] = {}
    match = Match(scenario, seed=23)
    asked = offered = 0
    while not match.is_over():
        role = match.waiting_for_person()
        if role is None:
            match.play()
            continue
        seat = ("g", role)
        observation = match.state.observe(role)
        legal = tuple(m.id for m in match.state.legal_actions())
        assert observation.legal == legal
        fresh = consistent(scenario, observation)
        expected = {
            "moves": {m.id: views.odds_data(fresh, m, "exact") for m in match.state.legal_actions()},
            "deals": views.deal_figures(scenario, fresh, legal, "exact"),
        }
        start = fed.get(seat, 0)
        reply = keeper.handle(_request(scenario, seat, start, observation.trail[1 + start :], legal))
        fed[seat] = len(observation.trail) - 1
        assert reply == ("odds", None, expected)
        assert all(p.state.prev is None for p in keeper.beliefs[seat].particles)  # no truth keeps its game
        # a worker that does not hold the seat's belief as far as asked says so, and is then sent it all
        reply = small.handle(_request(scenario, seat, start, observation.trail[1 + start :], legal))
        if start:
            assert reply == ("resend", None)
            reply = small.handle(_request(scenario, seat, 0, observation.trail[1:], legal))
        assert reply == ("odds", None, expected)
        assert small.handle(_request(scenario, seat, 0, observation.trail[1:], legal, "bands"))[0] == "resend"
        offers = [m for m in legal if m.startswith("offer:")]
        assert sorted(m for m, f in expected["deals"].items() if "accepted" in f) == sorted(offers)
        for offer in offers:  # each offer's parts add up to its worth, as the seat makes it out
            worth = expected["deals"][offer]["worth"]
            assert sum(part["worth"] for part in worth["parts"]) == pytest.approx(worth["mean"], abs=1e-9)
        offered += bool(offers)
        asked += 1
        if asked == 8:  # each step rebuilds the belief from the start: eight decisions say enough
            break
        match.play(choose({"step": len(match.steps), "moves": [{"id": m} for m in legal]}))
    assert asked > 5 and offered  # the seats had offers to make: their figures came with the odds


def test_a_worker_refuses_a_changed_scenario_and_an_unknown_message():
    scenario = load_scenario(WAGNER)
    keeper = Keeper()
    bad = ("odds", 7, ("g", "putin"), str(WAGNER.resolve()), "0" * 64, 0, (), (), "exact")
    kind, ticket, text = keeper.handle(bad)
    assert (kind, ticket) == ("failed", 7) and "has changed" in text
    assert keeper.handle(("poke",))[0] == "failed"
    assert keeper.handle(("forget", [("g", "putin")])) is None
    assert scenario.digest != "0" * 64


def test_the_workers_are_sent_only_each_seats_own_trail_and_a_killed_worker_is_replaced(running, monkeypatch):
    sent = []
    packed = odds_module.pack

    def spy(message):
        sent.append(message)
        return packed(message)

    monkeypatch.setattr(odds_module, "pack", spy)
    created, clients, _ = _two_seats(running, 31)
    killed = []

    def kill_once() -> bool:
        requests = [m for m in sent if m[0] == "odds"]
        if not killed and len(requests) >= 3:
            pid = running.call(lambda: running.server.odds.workers[0].pid)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return False

    try:
        play_out(list(clients.values()), stop=kill_once)
        for client in clients.values():
            client.wait(lambda s: s.over, 30)
        game = created["game"]
        final = running.call(running.server.room, game).match.state
    finally:
        for client in clients.values():
            client.close()
    assert killed, "a worker was killed mid-game"
    assert running.call(lambda: running.server.odds.workers[0].pid) not in (None, killed[0])
    requests = [m for m in sent if m[0] == "odds"]
    assert len(requests) > 10
    trails = {role: final.observe(role).trail for role in ("putin", "prigozhin")}
    for _, _, seat, path, digest, start, records, legal, mode in requests:
        game_id, role = seat
        assert game_id == game and path == str(WAGNER.resolve()) and digest == final.scenario.digest
        assert mode == "exact"
        assert all(type(r) is Glimpse for r in records)
        assert records == trails[role][1 + start : 1 + start + len(records)]  # its own trail, nothing else
        if records:
            assert legal == records[-1].legal
        assert legal and all(type(m) is str for m in legal)
    whole = [m[2] for m in requests if m[5] == 0]
    assert len(whole) > len(set(whole)), "after the kill a seat's whole trail went to the new worker"


def test_a_worker_whose_answer_cannot_be_taken_is_stopped_and_replaced(running, monkeypatch):
    import time

    created, clients, _ = _two_seats(running, 37)
    try:
        monkeypatch.setattr(odds_module, "MAX_FRAME", 8)  # the server's side: every answer is too big
        end = time.monotonic() + 60
        while running.call(lambda: running.server.odds.workers[0].restarts) == 0 and time.monotonic() < end:
            time.sleep(0.05)
        assert running.call(lambda: running.server.odds.workers[0].restarts) >= 1
        monkeypatch.setattr(odds_module, "MAX_FRAME", 64 * 1024 * 1024)
        play_out(list(clients.values()))  # a seat moves only once its odds came: they come again
        for client in clients.values():
            assert client.wait(lambda s: s.over, 30)
    finally:
        for client in clients.values():
            client.close()


def test_a_request_that_kills_its_worker_twice_is_let_go_and_the_others_get_their_odds(running, monkeypatch):
    """One seat's view at one step kills the worker each time it is sent (a frame the worker
    refuses, as a crash would): it is sent twice, then dropped; the worker is started again and
    the game, and that seat's later odds, go on."""
    import time

    packed = odds_module.pack
    poisoned: list[tuple] = []  # (seat, steps of trail) of the one view that kills
    sent_poison = []

    def pack(message):
        if message[0] == "odds" and message[2][1] == "prigozhin":
            at = (message[2], message[5] + len(message[6]))
            if not poisoned:
                poisoned.append(at)
            if at == poisoned[0]:
                sent_poison.append(at)
                return odds_module._HEADER.pack(odds_module.MAX_FRAME + 1)  # the worker cannot read on
        return packed(message)

    monkeypatch.setattr(odds_module, "pack", pack)
    created, clients, received = _two_seats(running, 41)
    end = time.monotonic() + 120

    def restarts_of() -> int:
        return running.call(lambda: running.server.odds.workers[0].restarts)

    try:
        forced = let_through = False  # whether Prigozhin may move once without his odds: past the view with none
        while time.monotonic() < end:
            if sent_poison and not forced and restarts_of() < 2 and time.monotonic() < end - 100:
                time.sleep(0.05)  # hold the game at the view that kills, so it stays wanted
                continue
            if sent_poison and not forced:
                forced = True
                let_through = True
            views = {role: c.snapshot()[2] for role, c in clients.items()}
            if any(v is not None and v["over"] for v in views.values()):
                break
            for role, view in views.items():
                client = clients[role]
                if view is None or not view["your_move"] or client.pending is not None:
                    continue
                ready = all(move["odds"] is not None for move in view["moves"])
                if ready or (role == "prigozhin" and forced and let_through):
                    let_through = let_through and ready
                    try:
                        client.move(choose(view))
                    except Exception:
                        pass
            time.sleep(0.02)
        for client in clients.values():
            assert client.wait(lambda s: s.over, 30)
        time.sleep(0.5)
        worker = running.call(lambda: running.server.odds.workers[0])
        restarts, failing, pid = worker.restarts, worker.failing, worker.pid
    finally:
        for client in clients.values():
            client.close()
    assert poisoned and len(sent_poison) == 2, sent_poison  # sent again once, then let go
    assert restarts == 2 and failing <= 2
    assert pid is not None  # a worker runs again after the two deaths
    messages = [json.loads(m) if isinstance(m, str) else m for m in received["prigozhin"]]
    later = [m for m in messages if m.get("type") == "odds"]
    assert later, "the seat got odds again after the view that killed its worker"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_gets_its_seats_odds_with_or_without_a_negotiation(path):
    scenario = load_scenario(path)
    for role in scenario.roles:
        match = Match(scenario, seed=5, policies={r: make_policy("random") for r in scenario.roles})
        while not match.is_over() and match.state.current_role() != role:
            match.play()
        if match.is_over():
            continue
        observation = match.state.observe(role)
        figures = views.seat_odds(scenario, consistent(scenario, observation), observation.legal, "exact")
        assert sorted(figures["moves"]) == sorted(observation.legal)
        assert all(figures["moves"][m] for m in observation.legal)  # every open move has its outcomes' odds
