"""Drives the real window code headless: an App on SDL's dummy drivers, fed injected events."""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from game.ui.app import App, Options, open_first
from tests.conftest import TUTORIAL

FRAME = 1 / 60


def make_app(scenario: Path = TUTORIAL, **options) -> App:
    """An App at 1280x720 whose game moves briskly (tests wait for threads, not for show)."""
    options.setdefault("pace", 0.01)
    options.setdefault("seed", 6)
    app = App(Options(scenario=Path(scenario), **options))
    open_first(app)
    return app


def key(app: App, code: int, mod: int = 0, unicode: str = "") -> None:
    """Press and handle one key (a full frame runs, as in the game)."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode=unicode))
    app.frame(FRAME)


def frames(app: App, count: int = 1) -> None:
    for _ in range(count):
        app.frame(FRAME)


def until(app: App, condition, seconds: float = 10.0, on_frame=None) -> bool:
    """Run frames until ``condition()`` holds (True) or time runs out (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if on_frame:
            on_frame()
        app.frame(FRAME)
        time.sleep(0.001)
    return condition()


def top_name(app: App) -> str:
    return type(app.top).__name__ if app.top else ""


def to_turn_screen(app: App, cards: bool = False) -> bool:
    """Press Enter through the briefing until the turn screen is up (with its cards, if asked)."""
    return until(
        app,
        lambda: top_name(app) == "TurnScene" and (not cards or app.top.cards is not None),
        on_frame=lambda: key(app, pygame.K_RETURN) if top_name(app) == "BriefingScene" else None,
    )


def reader(app: App):
    """A frame callback that presses Enter through briefings, hand-overs and consequences, and plays nothing."""

    def step() -> None:
        name = top_name(app)
        if name in ("BriefingScene", "HandoverScene") or (name == "TurnScene" and app.top.current is not None):
            key(app, pygame.K_RETURN)

    return step


def keyboard_player(app: App, choice=pygame.K_1):
    """A frame callback that plays with the keyboard only: Enter through screens, digits for moves."""

    def step() -> None:
        scene = app.top
        name = top_name(app)
        if name in ("BriefingScene", "HandoverScene"):
            key(app, pygame.K_RETURN)
        elif name == "AnswerDialog":  # an offer waits for the player: turn it down with R
            key(app, pygame.K_r)
        elif name == "TurnScene" and scene.current is not None:
            key(app, pygame.K_RETURN)
        elif name == "TurnScene" and scene.cards is not None and app.session.person_to_move() and scene.task is None:
            play_card(app, first_open(app))

    return step


def first_open(app: App) -> str:
    """The key of the first open card on the turn screen."""
    return next(card.key for card in app.top.cards.cards if card.available)


def play_card(app: App, char: str) -> None:
    """Pick the card with this key and play it: the key, then Enter."""
    key(app, ord(char))
    key(app, pygame.K_RETURN)
