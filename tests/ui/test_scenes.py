"""Every scene draws at 720p and answers the keyboard; reference screenshots match within a tolerance."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.ui import odds
from game.ui.app import fitted_scale
from game.ui.scenes.briefing import BriefingScene
from game.ui.scenes.ending import EndingScene
from game.ui.scenes.handover import HandoverScene
from game.ui.scenes.message import MessageScene
from game.ui.scenes.newgame import NewGameScene
from game.ui.scenes.pause import LoadScene, PauseScene, SettingsScene
from game.ui.scenes.turn import TurnScene
from game.ui.session import Settings, start_session
from tests.conftest import TUTORIAL
from tests.ui.driver import frames, key, make_app, to_turn_screen, top_name, until

REFERENCES = Path(__file__).with_name("screens")
UPDATE = os.environ.get("CRISIS_UPDATE_SCREENSHOTS") == "1"


def _session(seat: str = "union"):
    return start_session(Settings(TUTORIAL, seat, "easy", seed=5))


def _at_the_ending():
    """An app showing the ending of a tutorial game that the AI played out for both sides."""
    app = make_app(seat="union", opponent="easy")
    session = app.session or _session()
    while not session.match.is_over():
        session.match.policies.setdefault("union", session.match.policies["harbour"])
        session.match.play()
    app.reset(EndingScene(app, session))
    return app, session


def _scenes(app):
    session = _session()
    app.session = session
    return {
        "title": app.top,
        "new_game": NewGameScene(app),
        "briefing": BriefingScene(app, session, "union"),
        "briefing_spectator": BriefingScene(app, session, None),
        "handover": HandoverScene(app, session, "harbour"),
        "turn": TurnScene(app, session),
        "pause": PauseScene(app),
        "settings": SettingsScene(app),
        "load": LoadScene(app),
        "message": MessageScene(app, "A message", ["first line", "", "second line"]),
    }


@pytest.mark.parametrize(
    "name",
    ["title", "new_game", "briefing", "briefing_spectator", "handover", "turn", "pause", "settings", "load", "message"],
)
def test_every_scene_draws_and_takes_keys(name):
    app = make_app()
    scene = _scenes(app)[name]
    app.push(scene)
    frames(app, 2)
    pixels = pygame.surfarray.array3d(app.screen)
    assert pixels.std() > 5  # something was painted, not a blank window
    for code in (pygame.K_DOWN, pygame.K_UP, pygame.K_LEFT, pygame.K_RIGHT):
        key(app, code)
    assert app.running


def test_the_ending_scene_shows_the_simulated_share():
    app, session = _at_the_ending()
    assert until(app, lambda: app.top.simulation.ready, seconds=20)
    sim = app.top.simulation
    assert sum(sim.counts.values()) == 200
    assert 0 < sim.share(session.state.ending) <= 1
    frames(app, 2)
    key(app, pygame.K_ESCAPE)
    assert top_name(app) == "TitleScene"


def test_settings_change_odds_and_scale_the_turn_screen_follows_and_they_are_kept():
    app = make_app(seat="union")
    assert to_turn_screen(app, cards=True)
    key(app, pygame.K_ESCAPE)
    assert top_name(app) == "PauseScene"
    key(app, pygame.K_4)  # Settings
    assert top_name(app) == "SettingsScene"
    key(app, pygame.K_RIGHT)
    assert app.odds == "bands"
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RIGHT)
    assert app.scale == pytest.approx(1.1)
    assert app.theme.scale == pytest.approx(1.1 * fitted_scale(app.size))
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_ESCAPE)
    frames(app, 1)
    assert top_name(app) == "TurnScene" and app.top.cards.mode == "bands"
    later = make_app()  # the next game starts with the same settings
    assert later.odds == "bands" and later.scale == pytest.approx(1.1)


def test_the_scale_fits_the_window_and_the_players_setting_multiplies_it():
    assert fitted_scale((1280, 720)) == pytest.approx(0.9)
    assert fitted_scale((1920, 1080)) == pytest.approx(1.35)
    assert fitted_scale((960, 540)) == pytest.approx(0.7)  # no smaller: text stays readable
    assert fitted_scale((3000, 700)) == pytest.approx(0.875)  # the shorter side decides


def test_odds_words():
    assert [odds.band(p) for p in (0.02, 0.2, 0.5, 0.8, 0.95)] == [
        "remote",
        "unlikely",
        "even",
        "likely",
        "almost certain",
    ]
    assert odds.describe(0.456, "exact") == "46%"
    assert odds.describe(0.004, "exact") == "<1%"
    assert odds.describe(0.5, "hidden") == ""


def test_a_moves_whole_percentages_add_up_to_100():
    """Rounded one by one, three even outcomes would read 33% each and two of 12.5% and one of
    75% would read 13%, 13% and 75%: a player adding them up would find 99% or 101%."""
    assert odds.percents([1 / 3, 1 / 3, 1 / 3]) == ["34%", "33%", "33%"]
    assert odds.percents([0.125, 0.125, 0.75]) == ["13%", "12%", "75%"]
    assert odds.percents([0.996, 0.004]) == [">99%", "<1%"]  # never 100% or 0% for what may happen
    assert odds.percents([0.0, 1.0]) == ["0%", "100%"]
    assert odds.percents([1 - 1e-12]) == ["100%"] and odds.percent(1 - 1e-12) == "100%"  # a sum's rounding
    assert odds.percents([0.2, 0.3]) == ["20%", "30%"]  # chances that are not a whole move: one by one
    rng = np.random.default_rng(5)
    for size in range(1, 9):
        for _ in range(200):
            chances = rng.dirichlet(np.ones(size) * 0.5)
            shown = odds.percents(list(chances))
            whole = [0 if s == "<1%" else 100 if s == ">99%" else int(s[:-1]) for s in shown]
            assert all(abs(w - 100 * c) < 1 for w, c in zip(whole, chances, strict=True)), (chances, shown)
            assert sum(whole) == 100, (chances, shown)  # "<1%" stands for 0 of them, ">99%" for 100


def _small(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(pygame.transform.smoothscale(surface, (640, 360))).astype(np.int16)


@pytest.mark.parametrize("name", ["title", "new_game", "briefing", "handover", "turn"])
def test_screens_match_their_references(name):
    app = make_app()
    app.push(_scenes(app)[name])
    assert until(app, lambda: getattr(app.top, "loading", None) is None)
    frames(app, 2)
    image = _small(app.screen)
    if name == "turn":  # the map is tested by its own reference; only the frame around it here
        r = app.top.view.layout.map
        image[r.x // 2 : r.right // 2, r.y // 2 : r.bottom // 2] = 0
    path = REFERENCES / f"{name}.png"
    if UPDATE or not path.exists():
        REFERENCES.mkdir(exist_ok=True)
        pygame.image.save(pygame.surfarray.make_surface(image.astype(np.uint8)), str(path))
        if not UPDATE:
            pytest.fail(f"no reference yet; wrote {path}")
    reference = pygame.surfarray.array3d(pygame.image.load(str(path))).astype(np.int16)
    diff = np.abs(image - reference)
    assert diff.mean() < 2.0
    assert (diff.max(axis=2) > 48).mean() < 0.01


def test_places_can_be_pointed_at_with_the_keyboard_and_the_window_goes_full_screen_and_back():
    app = make_app(seat="union")
    assert to_turn_screen(app)
    scene = app.top
    key(app, pygame.K_RIGHTBRACKET)
    assert scene.selected == "halvik"
    key(app, pygame.K_LEFTBRACKET)
    key(app, pygame.K_LEFTBRACKET)
    assert scene.selected == "hall"
    key(app, pygame.K_F11)
    assert app.fullscreen
    key(app, pygame.K_F11)
    assert not app.fullscreen and app.size == (1280, 720)
    assert top_name(app) in ("TurnScene", "HandoverScene")


def test_meters_show_only_what_the_side_may_see():
    session = _session("union")
    app = make_app()
    app.session = session
    scene = TurnScene(app, session)
    readings = {vid: meter.reading for vid, meter in scene.meters.items()}
    assert readings["money"].estimate and readings["money"].text.startswith("≈")
    assert readings["money"].low <= session.state.value("money") <= readings["money"].high
    assert not readings["solidarity"].estimate and readings["solidarity"].text == "70"
    spectator = TurnScene(app, start_session(Settings(TUTORIAL, "none", "easy", seed=5)))
    assert all(not meter.reading.estimate for meter in spectator.meters.values())
    shown = {vid for vid, var in session.scenario.variables.items() if not var.internal}
    assert set(spectator.meters) == shown  # every value, but not the loader's own bookkeeping


def test_the_map_zooms_with_the_wheel_pans_with_a_drag_and_opens_a_place_on_a_click():
    app = make_app(seat="union")
    assert to_turn_screen(app)
    scene, view = app.top, app.top.view
    inner = view.layout.map.inflate(-4, -4)
    home = view.map.bounds
    pygame.mouse.set_pos(inner.center)
    assert view.zoom_map(1.25, inner.center)
    zoomed = view.map.bounds
    assert (zoomed.east - zoomed.west) < (home.east - home.west)
    events = [
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=inner.center),
        pygame.event.Event(pygame.MOUSEMOTION, pos=(inner.centerx + 40, inner.centery), rel=(40, 0), buttons=(1, 0, 0)),
        pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(inner.centerx + 40, inner.centery)),
    ]
    for event in events:
        scene.handle_event(event)
    assert view.map.bounds.west < zoomed.west  # dragged right: the view moved west
    key(app, pygame.K_HOME)
    assert view.map.bounds == home
    x, y = view.map.place_pos("bridge")
    at = (inner.x + int(x), inner.y + int(y))
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=at))
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=at))
    assert scene.selected == "bridge"


def test_the_left_column_scrolls_when_a_side_knows_more_than_fits():
    app = make_app(seat="union")
    assert to_turn_screen(app)
    scene = app.top
    rows = len(scene.view.meter_rows())
    key(app, pygame.K_PAGEDOWN)
    assert scene.meter_scroll == min(4, rows - 4) > 0
    key(app, pygame.K_PAGEUP)
    key(app, pygame.K_PAGEUP)
    assert scene.meter_scroll == 0


def test_the_ending_offers_the_whole_story():
    app, session = _at_the_ending()
    frames(app, 2)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)
    frames(app, 2)
    assert top_name(app) == "MessageScene"
    story = app.top.lines
    assert story[0].startswith(session.state.render(session.scenario.endings[session.state.ending].epilogue)[:40])
    assert any("What really happened" in line for line in story)
    if os.environ.get("CRISIS_STORY_PNG"):
        pygame.image.save(app.screen, os.environ["CRISIS_STORY_PNG"])


def test_the_briefing_says_how_the_side_wins_and_what_each_ending_would_mean():
    from game.scenario.stakes import stakes_of

    app = make_app()
    session = _session("union")
    scene = BriefingScene(app, session, "union")
    text = scene._how_to_win("union")
    assert "You win when your score is higher than every other side's" in text
    stakes = stakes_of(session.scenario)
    best = max(session.scenario.endings.values(), key=lambda e: stakes.score_range(e, "union", scene.ranges()).hi)
    assert best.title in text
    app.push(scene)
    frames(app, 2)
    drawn = {text for _, text in app.theme.notes.boxes}
    assert all(e.title in drawn for e in session.scenario.endings.values())


def test_the_briefing_never_names_the_loaders_own_values():
    from game.scenario.loader import load_scenario
    from tests.conftest import ROOT

    path = ROOT / "scenarios" / "wagner_mutiny.yaml"
    scenario = load_scenario(path)
    session = start_session(Settings(path, "putin", "easy", seed=5))
    scene = BriefingScene(make_app(scenario=path), session, "putin")
    hidden = scene._hidden_from("putin")
    assert "Prigozhin's friends in Moscow" in hidden  # format 2: a hidden truth the side is told it lacks
    assert not any(v.internal and v.label in hidden for v in scenario.variables.values())
