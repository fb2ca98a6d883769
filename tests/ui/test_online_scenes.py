"""The window's online scenes: host a game, join it, play a seat against a second client."""

from __future__ import annotations

import time

import pygame

from game.server.client import Client
from game.ui.scenes.online import HostScene, JoinScene, OnlineScene
from tests.server.conftest import Running, choose
from tests.ui.driver import frames, key, make_app, until


def _type(app, text: str) -> None:
    for char in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    frames(app)


def test_host_a_game_then_play_its_seat_while_frames_keep_drawing(tmp_path):
    running = Running(tmp_path / "data")
    app = make_app()
    try:
        host = HostScene(app, running.url)
        app.push(host)
        key(app, pygame.K_RETURN)
        assert until(app, lambda: host.created is not None, 20), host.note
        assert set(host.created["codes"]) == {"putin", "prigozhin"}
        app.screen.fill((0, 0, 0))
        host.draw(app.screen)
        pygame.image.save(app.screen, str(tmp_path / "host.png"))
        other = Client(running.url, host.created["codes"]["prigozhin"]).start()
        key(app, pygame.K_RETURN)
        scene = app.top
        assert isinstance(scene, OnlineScene)
        end = time.monotonic() + 120
        drawn = 0
        while time.monotonic() < end:
            frames(app)
            drawn += 1
            _, _, view, _ = scene.client.snapshot()
            if view and view["over"]:
                break
            if view and view["your_move"] and scene.client.pending is None:
                key(app, pygame.K_1)
            _, _, theirs, _ = other.snapshot()
            if theirs and theirs["your_move"] and other.pending is None:
                other.move(choose(theirs))
        assert view and view["over"], "the game did not end"
        assert until(app, lambda: scene.client.seat.reveal is not None, 20)
        app.top.draw(app.screen)
        pygame.image.save(app.screen, str(tmp_path / "ending.png"))
        assert drawn > 20
        other.close()
        key(app, pygame.K_ESCAPE)
        assert app.top is host
    finally:
        running.close()


def test_join_takes_a_typed_code_and_says_when_it_is_refused(tmp_path):
    running = Running(tmp_path / "data")
    app = make_app()
    try:
        join = JoinScene(app, running.url)
        app.push(join)
        _type(app, "WRONG-CODE1")
        assert join.fields[1].value == "WRONG-CODE1"
        key(app, pygame.K_RETURN)
        scene = app.top
        assert isinstance(scene, OnlineScene)
        assert until(app, lambda: bool(scene.client.fatal), 20)
        assert "no game has that join code" in scene.client.fatal
        frames(app, 2)
    finally:
        running.close()


def test_an_online_seat_composes_an_offer_in_the_panel_with_its_own_figures(tmp_path):
    from game.ui.scenes.online import OnlineOfferPanel
    from tests.server.conftest import create

    running = Running(tmp_path / "data")
    app = make_app()
    try:
        created = create(running.url, scenario="wagner_mutiny", seed=4, seats={"prigozhin": "person", "putin": "ai"})
        scene = OnlineScene(app, running.url, created["codes"]["prigozhin"])
        app.push(scene)

        def ready() -> bool:
            _, _, view, _ = scene.client.snapshot()
            return bool(view and view["your_move"] and all(m["odds"] is not None for m in view["moves"]))

        assert until(app, ready, 30)
        _, _, view, _ = scene.client.snapshot()
        offers = [m for m in view["moves"] if m.get("offer")]
        assert offers and all("deal" in m for m in offers)  # each offer's figures came with the odds
        app.top.draw(app.screen)
        pygame.image.save(app.screen, str(tmp_path / "seat.png"))
        key(app, pygame.K_o)
        panel = app.top
        assert isinstance(panel, OnlineOfferPanel)
        assert panel.title() == "An offer to Vladimir Putin"
        assert panel.composer.channel == "kremlin"
        key(app, pygame.K_3)  # tick "Prigozhin goes to Belarus"
        assert panel.composer.offer is not None and panel.composer.offer.id == "offer:kremlin:halt+exile"
        rows = panel.preview_rows()
        assert isinstance(rows, list) and rows[0][0].startswith("Accepted: ") and "points" in rows[1][0]
        frames(app)
        pygame.image.save(app.screen, str(tmp_path / "offer.png"))
        key(app, pygame.K_RETURN)
        assert app.top is scene

        def told() -> bool:
            _, _, _, feed = scene.client.snapshot()
            return any(e["title"] == "Phone the Kremlin: the column turns back, exile in Belarus" for e in feed)

        assert until(app, told, 30)
        scene.client.close()
    finally:
        running.close()
