"""The protocol's schemas, the journal, codes, and the limits that keep one client from holding up the rest."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from game.core.match import Step
from game.server import protocol
from game.server.journal import Journal, StepRow
from game.server.protocol import Refusal, parse
from game.server.server import CODE_ALPHABET, Conn, Limits, new_code
from tests.server.conftest import Running, create


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{}", "binary"),
        ("x" * (protocol.MAX_MESSAGE + 1), "too_big"),
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ("[" * 5000 + "]" * 5000, "too_big"),
        ("[" * 3000 + "]" * 3000, "bad_json"),
        ('{"kind": "move"}', "missing_field"),
        ('{"type": "teleport"}', "unknown_type"),
        ('{"type": "ping", "colour": 1}', "unknown_field"),
        ('{"type": "hello", "version": 1}', "missing_field"),
        ('{"type": "hello", "version": 2, "code": "A"}', "bad_field"),
        ('{"type": "hello", "version": true, "code": "A"}', "bad_field"),
        ('{"type": "hello", "version": 1, "code": "no spaces"}', "bad_field"),
        ('{"type": "move", "id": "a", "step": -1, "action": "x"}', "bad_field"),
        ('{"type": "move", "id": "a", "step": 1.5, "action": "x"}', "bad_field"),
        ('{"type": "move", "id": "' + "a" * 41 + '", "step": 1, "action": "x"}', "bad_field"),
        ('{"type": "move", "id": "a", "step": 1, "action": "DROP TABLE"}', "bad_field"),
        ('{"type": "create", "version": 1, "scenario": "../etc/passwd"}', "bad_field"),
        ('{"type": "create", "version": 1, "scenario": "w", "seats": {"putin": "robot"}}', "bad_field"),
        ('{"type": "create", "version": 1, "scenario": "w", "seed": 1e300}', "bad_field"),
        ('{"type": "create", "version": 1, "scenario": "w", "clock": 0}', "bad_field"),
        ('{"type": "create", "version": 1, "scenario": "w", "odds": "loaded"}', "bad_field"),
        ('{"type": "create", "version": 1.0, "scenario": "w"}', "bad_field"),
        ('{"type": "\\ud800"}', "bad_json"),
        ('{"type": "ping", "\\udfff": 1}', "bad_json"),
        ('{"type": "ping", "echo": 5, "echo": 6}', "bad_json"),
        ('{"type": "ping", "\\ud800": 5, "\\ud800": 6}', "bad_json"),
        ('{"type": "ping", "echo": ' + "9" * 5000 + "}", "bad_json"),  # past Python's 4,300 digits
    ],
)
def test_every_malformed_message_is_refused_with_its_reason(raw, code):
    with pytest.raises(Refusal) as refused:
        parse(raw)
    assert refused.value.code == code
    protocol.encode(refused.value.data()).encode("utf-8")  # the refusal itself can be sent
    assert refused.value.message
    assert refused.value.data()["type"] == "error"


def test_a_good_message_passes_and_a_refused_move_names_its_id():
    assert parse('{"type": "move", "id": "m-1", "step": 4, "action": "negotiate"}')["step"] == 4
    with pytest.raises(Refusal) as refused:
        parse('{"type": "move", "id": "m-1", "step": "4", "action": "negotiate"}')
    assert refused.value.ref == "m-1"


def test_join_codes_are_short_random_and_from_an_unambiguous_alphabet():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)


def test_the_journal_is_in_wal_mode_and_keeps_codes_only_as_hashes(tmp_path):
    journal = Journal(tmp_path / "games.sqlite")
    assert journal.mode() == "wal"
    journal.create("g1", "s", "p", "d", 2**100, "n", {"seats": {}}, {"SECRETCODE": "putin"})
    assert journal.seat_of("SECRETCODE") == ("g1", "putin")
    assert journal.game("g1").seed == 2**100
    journal.close()
    assert b"SECRETCODE" not in (tmp_path / "games.sqlite").read_bytes() + (
        (tmp_path / "games.sqlite-wal").read_bytes() if (tmp_path / "games.sqlite-wal").exists() else b""
    )


def test_a_client_that_never_reads_is_dropped_when_its_queue_fills():
    class Socket:
        closed = None

        async def close(self, code, reason):
            Socket.closed = (code, reason)

    async def run():
        conn = Conn(Socket(), Limits(queue=3))
        for n in range(5):
            conn.send({"type": "pong", "echo": n})
        await asyncio.sleep(0)

    asyncio.run(run())
    assert Socket.closed[0] == 1008 and "too slow" in Socket.closed[1]


def test_rate_limits_refuse_a_flood_and_then_close_the_connection(tmp_path):
    running = Running(tmp_path / "data", Limits(rate=5, burst=10, strikes=50))
    try:
        with connect(running.url) as ws:
            for n in range(40):
                ws.send(json.dumps({"type": "ping", "echo": n}))
            replies = [json.loads(ws.recv(timeout=10)) for _ in range(40)]
            kinds = [r.get("code", r["type"]) for r in replies]
            assert kinds.count("pong") <= 12 and kinds.count("rate_limited") >= 28
            with pytest.raises(ConnectionClosed):
                for n in range(200):
                    ws.send(json.dumps({"type": "ping", "echo": n}))
                while True:
                    ws.recv(timeout=10)
    finally:
        running.close()


def test_a_silent_connection_with_no_seat_is_closed_and_an_oversized_frame_closes_with_1009(tmp_path):
    running = Running(tmp_path / "data", Limits(idle=0.5))
    try:
        with connect(running.url) as ws:
            start = time.monotonic()
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=10)
            assert time.monotonic() - start < 5
        with connect(running.url, max_size=None) as ws:
            ws.send("x" * (protocol.MAX_FRAME + 10))
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd.code == 1009
        created = create(running.url, scenario="nonesuch")
        assert created["code"] == "bad_scenario" and "wagner_mutiny" in created["message"]
    finally:
        running.close()


def test_the_journals_own_thread_checkpoints_the_log_so_the_loops_commits_need_not(tmp_path):
    import time

    from game.server.journal import FALLBACK_PAGES

    def fill(journal: Journal) -> None:
        for n in range(60):
            journal.create(f"g{n}", "s", "p", "d", n, "n", {"seats": {}, "pad": "x" * 4000}, {f"C{n}": "putin"})

    alone = Journal(tmp_path / "alone" / "games.sqlite", checkpoints=None)  # the loop's commits only
    fill(alone)
    kept = Journal(tmp_path / "kept" / "games.sqlite", checkpoints=0.02)
    assert kept.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == FALLBACK_PAGES
    before = (tmp_path / "kept" / "games.sqlite").stat().st_size
    fill(kept)
    end = time.monotonic() + 20
    while (tmp_path / "kept" / "games.sqlite").stat().st_size < before + 60 * 4000 and time.monotonic() < end:
        time.sleep(0.02)
    assert (tmp_path / "kept" / "games.sqlite").stat().st_size >= before + 60 * 4000, "the thread checkpointed"
    assert (tmp_path / "alone" / "games.sqlite").stat().st_size < 60 * 4000, "a small log is not checkpointed"
    assert kept.game("g59").seed == 59 and alone.game("g59").seed == 59
    kept.close()
    alone.close()


def test_a_bargaining_move_passes_by_its_generated_id():
    raw = '{"type": "move", "id": "m-2", "step": 4, "action": "offer:lukashenko:halt+drop_case+exile"}'
    assert parse(raw)["action"] == "offer:lukashenko:halt+drop_case+exile"


def test_finished_games_nobody_is_at_leave_memory_and_are_read_back_when_asked_for(tmp_path):
    """Games of AI seats only end before anyone joins; each used to stay in memory for good, so
    a client creating them over and over grew the server without bound."""
    from tests.conftest import ROOT

    tutorial = ROOT / "scenarios" / "tutorial.yaml"
    running = Running(tmp_path / "data", Limits(idle=5.0), [tutorial])
    try:
        made = []
        with connect(running.url) as ws:
            for _ in range(5):
                ws.send(json.dumps({"type": "create", "version": 1, "scenario": "tutorial", "ai": "easy",
                                    "seats": {"harbour": "ai", "union": "ai"}}))  # fmt: skip
                made.append(json.loads(ws.recv(timeout=30)))
        assert [m["type"] for m in made] == ["created"] * 5
        end = time.monotonic() + 60
        while running.call(lambda: len(running.server.rooms)) and time.monotonic() < end:
            time.sleep(0.05)
        assert running.call(lambda: len(running.server.rooms)) == 0
        with connect(running.url) as ws:
            ws.send(json.dumps({"type": "hello", "version": 1, "code": made[0]["spectator"]}))
            welcome, view = json.loads(ws.recv(timeout=30)), json.loads(ws.recv(timeout=30))
            assert welcome["type"] == "welcome" and view["over"] is not None
            ws.send(json.dumps({"type": "download"}))
            assert json.loads(ws.recv(timeout=30))["type"] == "save"
    finally:
        running.close()


def test_a_half_character_escape_is_refused_and_the_connection_goes_on(tmp_path):
    """'\\ud800' is JSON but no text: the refusal that echoed it could not be encoded, and the
    connection broke inside the WebSocket layer instead of getting an error."""
    running = Running(tmp_path / "data", Limits(idle=5.0))
    try:
        with connect(running.url) as ws:
            for raw in ('{"type": "\\ud800"}', '{"type": "ping", "\\ud800": 1, "\\ud800": 2}'):
                ws.send(raw)
                refused = json.loads(ws.recv(timeout=10))
                assert refused["type"] == "error" and refused["code"] == "bad_json"
            ws.send(json.dumps({"type": "ping", "echo": 7}))
            assert json.loads(ws.recv(timeout=10)) == {"type": "pong", "echo": 7}
    finally:
        running.close()


def test_a_journal_that_cannot_be_kept_is_one_line_not_an_internal_error(tmp_path, capsys):
    """A pipe, a damaged file or a file where the folder should be reached the internal-error exit."""
    import os

    from game.cli import main

    (tmp_path / "plain").write_text("not a folder")
    (tmp_path / "piped").mkdir()
    os.mkfifo(tmp_path / "piped" / "games.sqlite")
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / "games.sqlite").write_bytes(bytes(range(256)) * 8)
    for data, words in (("plain", "it is not a folder"), ("piped", "named pipe"), ("damaged", "not a database")):
        assert main(["serve", "--port", "0", "--data", str(tmp_path / data)]) == 2
        err = capsys.readouterr().err
        assert "cannot keep the games in" in err and words in err and len(err.strip().splitlines()) == 1


def test_the_journal_forgets_the_oldest_ended_games_past_its_cap_and_never_one_in_play(tmp_path):
    journal = Journal(tmp_path / "games.sqlite", checkpoints=None)
    step = StepRow(Step("putin", "wait", "ok", "d" * 64, "ai"), "")
    for n in range(6):
        journal.create(f"g{n}", "s", "p", "d", n, "n", {"seats": {}}, {f"CODE{n}": "putin"})
        journal.append(f"g{n}", 0, [step, step], over=n % 3 != 2)  # g2 and g5 are still in play
    journal.mark_broken("g5", "the file changed")  # a broken game counts as ended
    assert journal.prune(10) == 0
    assert journal.prune(2) == 3  # of g0 g1 g3 g4 g5 (ended), the three oldest go
    assert [g for g in (f"g{n}" for n in range(6)) if journal.game(g)] == ["g2", "g4", "g5"]
    assert journal.seat_of("CODE0") is None and journal.steps("g0") == []
    assert journal.seat_of("CODE2") == ("g2", "putin") and len(journal.steps("g2")) == 2
    assert [g.id for g in journal.unfinished()] == ["g2"]
    assert journal.prune(0) == 2 and journal.game("g2") is not None
    journal.close()
    assert Limits().kept >= 1_000  # the server's cap: plenty of history, a bounded file


def test_a_server_chooses_every_seed_unless_started_to_let_creators_choose(tmp_path):
    """A seed the creator chose tells the creator every drawn starting value: refused by default."""
    from tests.server.conftest import create

    running = Running(tmp_path / "data", Limits())
    try:
        refused = create(running.url, scenario="tutorial", seed=3)
        assert refused["type"] == "error" and refused["code"] == "bad_field"
        assert "this server chooses every game's seed" in refused["message"]
        assert create(running.url, scenario="tutorial")["type"] == "created"
    finally:
        running.close()
