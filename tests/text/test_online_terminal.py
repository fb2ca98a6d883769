"""The terminal's online seat: offers are composed, not listed; their figures come from the seat's
own belief on the server's odds worker; an offer waiting for the seat is answered with ``a``."""

from __future__ import annotations

import io
import re
import threading

import pytest

from game.server.client import Client
from game.server.server import Limits
from game.text.online import OnlineText
from tests.server.conftest import Running, create

SCRIPT_LINES = 60


@pytest.fixture
def running(tmp_path):
    server = Running(tmp_path / "data", Limits(idle=5.0, seeds=True))
    yield server
    server.close()


def _play(client: Client, lines: list[str]) -> tuple[str, str]:
    out = io.StringIO()
    result = OnlineText(client, io.StringIO("\n".join(lines) + "\n"), out).play()
    return result, out.getvalue()


def _flat(text: str) -> str:
    """The text with its line wrapping undone, for searching."""
    return " ".join(text.split())


def test_an_offer_is_composed_previewed_from_the_seats_belief_and_sent(running):
    created = create(running.url, scenario="wagner_mutiny", seed=4, seats={"prigozhin": "person", "putin": "ai"})
    client = Client(running.url, created["codes"]["prigozhin"]).start()
    try:
        result, text = _play(client, ["o", "o 9", "o 2 3", "y", *["1"] * SCRIPT_LINES])
    finally:
        client.close()
    assert result == "ended", text[-2000:]
    # the list numbers the side's actions only: the dozens of phone packages are not among them
    first = text.split("Your move")[0]
    numbered = re.findall(r"^ +\d+\. (?:\(closed\) )?(.+?)(?: · .*)?$", first, re.M)
    assert numbered and not any(title.startswith("Phone the Kremlin") for title in numbered), numbered
    assert "Offers: o composes one (open now: Phone the Kremlin)" in first
    assert "Channels:\n  1. Give Yevkurov and Alekseyev terms for Moscow (closed)\n  2. Phone the Kremlin" in text
    assert "'9' is not a channel open now" in text
    flat = _flat(text)
    preview = flat.split("Offer (channel: Phone the Kremlin): ", 1)[1].split("Send it?")[0]
    assert preview.startswith("Wagner halts and turns back; Prigozhin goes to Belarus"), preview
    accepted = re.search(r"Accepted: (\S+) \(by what you know\)", preview)
    worth = re.search(r"Worth to you if agreed: ([+-]\d+)", preview)
    assert accepted and accepted.group(1) != "?" and worth, preview
    made_of = preview.split("made of: ", 1)[1]  # each part's worth, as the server worked it out
    assert re.match(r"Wagner halts and turns back [+-]\d+; Prigozhin goes to Belarus [+-]\d+", made_of), made_of
    assert "The Kremlin takes the call" in preview
    assert "Phone the Kremlin: the column turns back, exile in Belarus - " in flat  # sent: in the seat's news


def _putin_offers(client: Client, stop: threading.Event) -> None:
    """Putin's seat: offers Belarus through Lukashenko whenever it can, else plays its first action."""
    sent = -1
    while not stop.is_set():
        _, _, view, _ = client.snapshot()
        if view is None or view["over"]:
            if view is not None:
                return
        elif view["your_move"] and client.pending is None and view["step"] != sent:
            ids = [m["id"] for m in view["moves"]]
            wanted = "offer:lukashenko:halt+exile"
            chosen = wanted if wanted in ids else next(m["id"] for m in view["moves"] if not m.get("offer"))
            sent = view["step"]
            try:
                client.move(chosen)
            except Exception:  # the view moved on under us: the next round sees the new one
                sent = -1
        client.changed_since(client.seat.version, timeout=0.05)


def test_an_offer_waiting_for_the_seat_is_told_with_its_worth_and_accepted_with_a(running):
    created = create(running.url, scenario="wagner_mutiny", seed=4)
    putin = Client(running.url, created["codes"]["putin"]).start()
    prigozhin = Client(running.url, created["codes"]["prigozhin"]).start()
    stop = threading.Event()
    other = threading.Thread(target=_putin_offers, args=(putin, stop), daemon=True)
    other.start()
    try:
        result, text = _play(prigozhin, ["a", "4"] * SCRIPT_LINES)  # accept when offered, else dig in
    finally:
        stop.set()
        other.join(timeout=30)
        putin.close()
        prigozhin.close()
    assert result == "ended", text[-2000:]
    text = _flat(text)
    waiting = re.search(r"An offer waits for your answer \(channel: ([^)]+)\): ([^.]+)\.", text)
    assert waiting, text[-3000:]
    assert "Prigozhin goes to Belarus" in waiting.group(2)
    worth = re.search(r"Worth to you if you accept: ([+-]\d+)[^.]* points\. a accepts, r rejects, o counters\.", text)
    assert worth, text[-3000:]
    assert "Accept: the column turns back, exile in Belarus" in text.split(waiting.group(0), 1)[1]


@pytest.mark.parametrize(
    "talks_data,moves",
    [
        ({"channels": [{"id": "c"}], "terms": []}, []),
        ({"channels": [], "terms": []}, [{"id": "x", "offer": {"channel": "nowhere", "terms": []}}]),
        ({"channels": [{"id": "c", "title": "C", "terms": ["t"]}], "terms": []}, []),
        ({"channels": "not a list", "terms": 3}, []),
    ],
)
def test_a_malformed_table_from_a_server_is_refused_with_a_clear_error(talks_data, moves):
    from game import talks

    with pytest.raises(ValueError, match="table|view"):
        talks.table_of(talks_data, moves, "putin")
