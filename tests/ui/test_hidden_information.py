"""The window shows each side only what that side may know.

A small format 2 scenario plants marked secrets: each side has a secret move whose title, outcome
and cover carry a word that belongs to it alone (ZEBRA for the spy, OKAPI for the warden), and the
spy alone sees a drawn sum (41xx) and a drawn plan (quagga or narwhal), which the warden may only
estimate or not see at all. Whole games are played through the window by the keyboard; every
string the window renders (text lines, paragraphs, tooltips) and every text it keeps for the side
on show (the news feed, the consequence on show, the cards, the meters, the advisors' remarks) is
scanned for the other side's marks. A planted leak (the window reading the true record instead of
the side's own feed) must be caught, so the scan is known to bite. The ending, and only the
ending, reveals the marks.

Bargaining is scanned the same way on a small market (``bazaar.yaml``): each side's channel is
secret from the other and the seller's reserve is hidden from the buyer, and games that use the
offer panel and the answer dialog must draw neither.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pygame
import pytest

from game.core.information import SPECTATOR
from game.ui import readings
from game.ui.choices import COMPOSE
from game.ui.session import Settings, start_session
from game.ui.theme import Theme
from tests.ui.driver import first_open, key, make_app, play_card, top_name, until

SCENARIO = """\
format: 2
meta:
  id: vault
  title: "The Vault"
  summary: "A spy who knows what is in the vault, and a warden who must guess."
calendar: {start: "1900-03-01 08:00", hours_per_turn: 6, turn_limit: 4}
map:
  places:
    bank: {name: "The bank", lat: 48.2, lon: 16.37}
roles:
  spy: {name: "The spy", brief: "Empty the vault unseen.", objective: "0 - alarm"}
  warden: {name: "The warden", brief: "Keep the vault safe.", objective: "alarm"}
variables:
  vault:
    type: number
    initial: {range: [4101, 4161], step: 4}
    min: 0
    max: 9000
    label: "Gold in the vault"
    visible_to: [spy]
    estimated_by: [warden]
    estimate_step: 1000
  plan:
    type: case
    cases: {quagga: "the quagga plan", narwhal: "the narwhal plan"}
    initial: {choose: {quagga: 1, narwhal: 1}}
    label: "The spy's plan"
    visible_to: [spy]
  alarm: {type: number, initial: 10, min: 0, max: 100, label: "Alarm"}
turn_order: [spy, warden]
actions:
  tunnel:
    role: spy
    title: "Dig the ZEBRA tunnel"
    visible_to: []
    cover: {title: "A rumble underground", text: "The cellar floor shakes a little."}
    outcomes:
      dug:
        title: "ZEBRA tunnel dug"
        text: "The ZEBRA tunnel reaches the vault: {vault} in gold, as {plan} foresaw."
        add: {vault: 4}
      flooded:
        title: "ZEBRA tunnel flooded"
        text: "Water fills the ZEBRA tunnel."
  wait:
    role: spy
    title: "Lie low"
    outcomes:
      waited: {text: "The spy lies low. The vault is said to hold {vault}."}
  patrol:
    role: warden
    title: "Send the OKAPI patrol"
    visible_to: []
    outcomes:
      patrolled:
        title: "OKAPI patrol out"
        text: "The OKAPI patrol walks the walls."
        add: {alarm: 10}
  rest:
    role: warden
    title: "Stand the guard down"
    outcomes:
      rested: {text: "The guard rests.", add: {alarm: -5}}
endings:
  over:
    title: "The night is over"
    at_turn_limit: true
    epilogue: "Morning comes."
    scores: {spy: "50 - alarm", warden: "alarm"}
"""

MARKS = {
    "spy": re.compile(r"ZEBRA|41\d\d|4,1\d\d|quagga|narwhal"),
    "warden": re.compile(r"OKAPI"),
}


def _others(role: str) -> re.Pattern:
    """The marks of what ``role`` may not know."""
    return MARKS["warden" if role == "spy" else "spy"]


@pytest.fixture
def vault(tmp_path):
    path = tmp_path / "vault.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


class Recorder:
    """Every string the window's theme renders, since the last ``take``."""

    def __init__(self, monkeypatch):
        self.seen: list[str] = []
        for name in ("text", "block"):
            original = getattr(Theme, name)
            monkeypatch.setattr(Theme, name, self._wrap(original))
        from game.ui.notes import Notes

        original_tip = Notes.tip

        def tip(notes, rect, text, *args, **kwargs):
            self.seen.append(text)
            return original_tip(notes, rect, text, *args, **kwargs)

        monkeypatch.setattr(Notes, "tip", tip)

    def _wrap(self, original):
        def wrapped(theme, text, *args, **kwargs):
            self.seen.append(text)
            return original(theme, text, *args, **kwargs)

        return wrapped

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def held(scene) -> list[str]:
    """The texts a turn screen keeps for the side on show (not the game's truth it plays from)."""
    out: list[str] = []
    parts = [scene.feed.items, scene.markers, scene.meters, scene.cards, scene.advisors]
    if scene.current is not None:
        parts.append(scene.current.entry)
    for part in parts:
        _strings(part, out, set())
    return out


def _strings(value, out: list[str], met: set[int]) -> None:
    if isinstance(value, str):
        out.append(value)
        return
    if value is None or isinstance(value, (int, float, bool, pygame.Surface, pygame.Rect)) or id(value) in met:
        return
    met.add(id(value))
    if isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out, met)
            _strings(v, out, met)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _strings(item, out, met)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            _strings(getattr(value, field.name), out, met)
    elif hasattr(value, "__dict__"):
        for v in vars(value).values():
            _strings(v, out, met)


def _play(app, recorder, check) -> None:
    """Play the game to its ending with the keyboard; after every frame, ``check`` reads the
    scene on top and what that frame drew."""
    frame = app.frame

    def checked(dt: float) -> None:
        frame(dt)
        check(top_name(app), app.top, recorder.take())

    app.frame = checked
    recorder.take()  # what was drawn before this game began is not this game's

    def step() -> None:
        name = top_name(app)
        scene = app.top
        if name in ("BriefingScene", "HandoverScene"):
            key(app, pygame.K_RETURN)
        elif name == "TurnScene" and scene.current is not None:
            key(app, pygame.K_RETURN)
        elif name == "TurnScene" and scene.cards is not None and app.session.person_to_move() and scene.task is None:
            play_card(app, first_open(app) if app.session.state.turn % 2 else _secret(app))

    assert until(app, lambda: top_name(app) == "EndingScene", seconds=60, on_frame=step)


def _secret(app) -> str:
    """The key of the side's secret move on its cards (its first open card when none is)."""
    for card in app.top.cards.cards:
        if card.available and re.search("ZEBRA|OKAPI", card.title):
            return card.key
    return first_open(app)


def _start(vault, seat: str, seed: int):
    app = make_app(scenario=vault, seat=seat, opponent="easy", seed=seed)
    return app


def _scan(role: str, texts: list[str], where: str) -> None:
    for text in texts:
        found = _others(role).search(text)
        assert found is None, f"{where}: {role} was shown {found.group()!r} in {text!r}"


def _one_seat_game(vault, recorder, seat: str, seed: int):
    """A game played from one seat, every frame scanned; returns its session."""
    app = _start(vault, seat, seed)
    checked = []

    def check(name, scene, rendered):
        if name == "EndingScene":
            return
        _scan(seat, rendered, f"{name} drew")
        if name == "TurnScene":
            _scan(seat, held(scene), "the turn screen kept")
            checked.append(name)

    _play(app, recorder, check)
    assert checked
    return app.session


@pytest.mark.parametrize("seat", ["spy", "warden"])
def test_one_side_never_sees_the_others_secrets(vault, monkeypatch, seat):
    recorder = Recorder(monkeypatch)
    hidden = 0  # the other side's secret moves played: the scan must have had something to find
    for seed in range(3):
        session = _one_seat_game(vault, recorder, seat, seed)
        steps = session.match.steps
        hidden += sum(1 for step in steps if step.action in ("tunnel", "patrol") and step.role != seat)
        if seat == "warden":  # the warden's own feed tells of the tunnel only by its cover
            feed = readings.feed_of(session.state, "warden")
            told = any(e.seen == "cover" and e.title == "A rumble underground" for e in feed)
            assert told or not any(s.action == "tunnel" for s in steps)
    assert hidden > 0


def _hot_seat_game(vault, recorder, seed: int) -> list[str]:
    """A hot-seat game, every frame scanned for the side on show; returns the hand-overs seen."""
    app = _start(vault, "both", seed)
    handovers = []

    def check(name, scene, rendered):
        if name == "EndingScene":
            return
        if name == "HandoverScene":  # the screen passes between the sides: neither's secrets show
            handovers.append(scene.role)
            _scan("spy", rendered, "the hand-over drew")
            _scan("warden", rendered, "the hand-over drew")
            return
        viewer = scene.viewer if name == "TurnScene" else None
        if viewer is not None:
            _scan(viewer, rendered, f"the turn screen drew for {viewer}")
            _scan(viewer, held(scene), f"the turn screen kept for {viewer}")

    _play(app, recorder, check)
    return handovers


def test_hot_seat_shows_each_side_only_its_own_view(vault, monkeypatch):
    recorder = Recorder(monkeypatch)
    for seed in range(2):
        assert {"spy", "warden"} <= set(_hot_seat_game(vault, recorder, seed))


def test_the_scan_catches_a_window_that_shows_the_true_record(vault, monkeypatch):
    """The news read as the spectator reads it, for any side: the scans must object."""
    truthful = readings.news_of
    monkeypatch.setattr(readings, "news_of", lambda state, viewer: truthful(state, None))
    import game.ui.scenes.turn as turn

    monkeypatch.setattr(turn, "news_of", readings.news_of)
    with pytest.raises(AssertionError, match="was shown"):
        test_one_side_never_sees_the_others_secrets(vault, monkeypatch, "warden")


def test_a_spectator_is_told_they_see_everything(vault, monkeypatch):
    recorder = Recorder(monkeypatch)
    app = _start(vault, "none", 1)

    def brief() -> None:
        if top_name(app) == "BriefingScene":
            key(app, pygame.K_RETURN)

    assert until(app, lambda: top_name(app) == "TurnScene" and app.top.current is not None, 30, brief)
    app.frame(1 / 60)
    drawn = " ".join(recorder.take()).lower()
    assert "everything (spectating)" in drawn and "you see everything" in drawn
    assert readings.reader_of(app.top.viewer) == SPECTATOR


def test_the_ending_reveals_what_each_side_did_not_know(vault, monkeypatch):
    session = start_session(Settings(vault, "warden", "easy", seed=4))
    match = session.match
    while not match.is_over():
        role = match.waiting_for_person()
        if role is None:
            match.play()
            continue
        moves = {m.id for m in match.state.legal_actions()}
        match.play("patrol" if "patrol" in moves else sorted(moves)[0])
    from game.ui.scenes.ending import EndingScene

    recorder = Recorder(monkeypatch)
    app = make_app(scenario=vault)
    app.session = session
    app.reset(EndingScene(app, session))
    app.frame(1 / 60)
    scene = app.top
    scene.simulation.stop()
    drawn = " ".join(recorder.take())
    vault_truth = session.state.format_value("vault")
    plan_truth = session.state.format_value("plan")
    assert "what you did not know" in drawn.lower()
    assert f"Gold in the vault: {vault_truth}" in drawn and plan_truth in drawn
    spied = [s for s in match.steps if s.action == "tunnel"]
    hidden = [m for m in scene.moves if m.hidden_from == ("warden",)]
    assert len(hidden) == len(spied) and all("ZEBRA" in m.title for m in hidden)
    mine = [m for m in scene.moves if m.action == "patrol"]
    assert mine and not any(m.hidden_from for m in mine)  # the warden's own secret move was never hidden from it


# bargaining: the offer panel and the answer dialog ---------------------------------------------

BAZAAR = Path(__file__).with_name("bazaar.yaml")
# a delivered offer is shown to the side it goes to, channel and all (ZEBRA, OKAPI): what must not be
# drawn for the other side is a failed attempt (GNU) and the seller's hidden reserve (41xx)
BAZAAR_MARKS = {"buyer": re.compile(r"GNU"), "seller": re.compile(r"41\d\d|4,1\d\d")}


def _bargain(app, seat: str) -> None:
    """A frame of a bazaar game played by the keyboard: the seat makes an offer, answers one with
    a counter-offer (the seller) or accepts it (the buyer), and plays its first card otherwise."""
    name, scene = top_name(app), app.top
    if name in ("BriefingScene", "HandoverScene") or (name == "TurnScene" and scene.current is not None):
        key(app, pygame.K_RETURN)
    elif name == "AnswerDialog":
        key(app, pygame.K_c if seat == "seller" else pygame.K_a)
    elif name == "OfferPanel":
        if scene.preview() is not None:
            key(app, pygame.K_2)
            key(app, pygame.K_RETURN)
    elif name == "TurnScene" and scene.cards is not None and app.session.person_to_move() and scene.task is None:
        compose = next(c for c in scene.cards.cards if c.action == COMPOSE)
        if compose.available and seat == "buyer":
            play_card(app, compose.key)
        else:
            play_card(app, first_open(app))


def _bazaar_game(seat: str, seed: int, recorder) -> tuple[set[str], object]:
    """A bazaar game from ``seat``, every frame until the ending scanned; the scenes it showed."""
    app = make_app(scenario=BAZAAR, seat=seat, opponent="easy", seed=seed)
    shown: set[str] = set()
    frame = app.frame

    def checked(dt: float) -> None:
        frame(dt)
        name = top_name(app)
        if name == "EndingScene":
            return
        shown.add(name)
        for text in recorder.take():
            found = BAZAAR_MARKS["seller" if seat == "buyer" else "buyer"].search(text)
            assert found is None, f"{name} drew {found.group()!r} for the {seat} in {text!r}"

    app.frame = checked
    recorder.take()
    assert until(app, lambda: top_name(app) == "EndingScene", seconds=90, on_frame=lambda: _bargain(app, seat))
    return shown, app.session


@pytest.mark.parametrize("seat", ["buyer", "seller"])
def test_the_offer_panel_and_the_answer_dialog_show_only_what_the_side_knows(monkeypatch, seat):
    recorder = Recorder(monkeypatch)
    scenes: set[str] = set()
    moves: set[str] = set()
    for seed in range(3):
        shown, session = _bazaar_game(seat, seed, recorder)
        scenes |= shown
        moves |= {s.action.split(":")[0] for s in session.match.steps if s.role == seat}
    assert {"OfferPanel", "AnswerDialog"} <= scenes  # both were drawn, and scanned
    assert "offer" in moves


def test_the_scan_catches_a_dialog_that_names_a_channel_the_side_never_saw(monkeypatch):
    from game import talks

    honest = talks.incoming

    def telling(scenario, observation, belief=None):
        found = honest(scenario, observation, belief)
        if found is None:
            return None
        channel = scenario.negotiation.channels["zebra"]  # named by the failed attempt's words
        return dataclasses.replace(found, channel=dataclasses.replace(channel, title="the GNU errand"))

    monkeypatch.setattr(talks, "incoming", telling)
    with pytest.raises(AssertionError, match="GNU"):
        test_the_offer_panel_and_the_answer_dialog_show_only_what_the_side_knows(monkeypatch, "seller")
