"""The window cannot be knocked over by input: random events through the real scene stack.

Keys (with and without modifiers), text, clicks, drags, the wheel and window resizes are posted
by the thousand to the running app, starting from every kind of screen: the title, a new game
with a broken scenario on offer, a game against the AI, a hot-seat game, a spectated game, the
ending, and a text scale far larger than the window. No event may reach the last-resort error
dialog, and the process must not keep growing.

The default run is short and seeded; ``CRISIS_FUZZ_EVENTS=200000`` (and ``CRISIS_FUZZ_SEED``)
run a longer one.
"""

from __future__ import annotations

import ctypes
import gc
import os
import random
import shutil
from pathlib import Path

import pygame
import pytest

from game.paths import user_dir
from game.ui.app import App
from game.ui.scenes.ending import EndingScene
from game.ui.session import Settings, start_session
from tests.conftest import ROOT, SCENARIOS, TUTORIAL, knob
from tests.ui.driver import make_app

EVENTS = knob("CRISIS_FUZZ_EVENTS", 6000, 10_000_000)
SEED = knob("CRISIS_FUZZ_SEED", 20230624, 2**63 - 1, 0)
PER_FRAME = 12
GROWTH_MB = 150  # how much the process may grow over the run (caches fill, then stay put)

KEYS = [
    *(pygame.K_RETURN,) * 8,
    *(pygame.K_ESCAPE,) * 2,
    pygame.K_KP_ENTER,
    pygame.K_SPACE,
    pygame.K_BACKSPACE,
    pygame.K_TAB,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_HOME,
    pygame.K_LEFTBRACKET,
    pygame.K_RIGHTBRACKET,
    pygame.K_PLUS,
    pygame.K_MINUS,
    pygame.K_EQUALS,
    pygame.K_F5,
    pygame.K_F6,
    pygame.K_F9,
    pygame.K_F1,
    pygame.K_DELETE,
    *range(pygame.K_0, pygame.K_9 + 1),
    *range(pygame.K_a, pygame.K_z + 1),
    pygame.K_KP1,
    pygame.K_KP0,
]
MODS = [0] * 8 + [pygame.KMOD_SHIFT, pygame.KMOD_CTRL, pygame.KMOD_ALT, pygame.KMOD_SHIFT | pygame.KMOD_CTRL]
TEXTS = ["a", "7", "é", "ж", "😀", "‮", "\x00", "12345678901234567890", "  "]


def random_event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    w, h = size
    roll = rng.random()
    pos = (rng.randint(-20, w + 20), rng.randint(-20, h + 20))
    if roll < 0.55:
        code = rng.choice(KEYS)
        char = chr(code) if 32 <= code < 127 else ""
        return pygame.event.Event(pygame.KEYDOWN, key=code, mod=rng.choice(MODS), unicode=char, scancode=0)
    if roll < 0.62:
        return pygame.event.Event(pygame.KEYUP, key=rng.choice(KEYS), mod=0, unicode="", scancode=0)
    if roll < 0.77:
        buttons = (int(rng.random() < 0.3), 0, int(rng.random() < 0.1))
        rel = (rng.randint(-60, 60), rng.randint(-60, 60))
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=rel, buttons=buttons)
    if roll < 0.87:
        kind = pygame.MOUSEBUTTONDOWN if rng.random() < 0.6 else pygame.MOUSEBUTTONUP
        return pygame.event.Event(kind, pos=pos, button=rng.choice((1, 1, 1, 2, 3, 4, 5)))
    if roll < 0.93:
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice((-3, -1, 1, 2, 5)), flipped=False)
    if roll < 0.98:
        return pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(TEXTS))
    big = rng.random() < 0.2
    size = (rng.randint(1, 12000), rng.randint(1, 9000)) if big else (rng.randint(900, 2000), rng.randint(500, 1200))
    return pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)


def broken_scenario() -> Path:
    """A scenario file with problems among the player's own, so the new-game screen offers it."""
    folder = user_dir() / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "broken.yaml"
    path.write_text(TUTORIAL.read_text(encoding="utf-8").replace("turn_limit: 4", "turn_limit: many"), "utf-8")
    return path


def at_the_ending() -> App:
    app = make_app(seat="union", opponent="easy")
    session = start_session(Settings(TUTORIAL, "union", "easy", seed=4))
    from game.ai import make_policy

    session.match.policies["union"] = make_policy("random")
    session.match.run()
    app.session = session
    app.reset(EndingScene(app, session))
    return app


STARTS = {
    "title": lambda: make_app(),
    "new_game_with_a_broken_scenario": lambda: (broken_scenario(), make_app(scenario=broken_scenario()))[1],
    "against_the_ai": lambda: make_app(scenario=ROOT / "scenarios" / "wagner_mutiny.yaml", seat="putin"),
    "hot_seat": lambda: make_app(seat="both"),
    "spectating": lambda: make_app(scenario=SCENARIOS[0], seat="none", spectate=True),
    "ending": at_the_ending,
    "text_far_too_large": lambda: make_app(seat="union", size=(960, 540), scale=2.5),
}


def resident_mb() -> float:
    """The process's resident size, once freed memory has gone back to the system."""
    gc.collect()
    try:  # glibc keeps freed blocks for reuse; a giant window's frame would count as growth
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the process size from /proc")
def test_random_input_never_reaches_the_error_dialog_and_memory_stays_bounded(monkeypatch):
    failures: list[BaseException] = []
    original = App.fail

    def fail(self, exc):
        failures.append(exc)
        original(self, exc)

    monkeypatch.setattr(App, "fail", fail)
    rng = random.Random(SEED)
    per_start = max(PER_FRAME, EVENTS // len(STARTS))
    sent, baseline = 0, None
    for name, start in STARTS.items():
        app = start()
        posted = 0
        while posted < per_start:
            if not app.running:  # a random "Yes, quit" (or a closed window): start again
                pygame.quit()
                pygame.init()
                app = start()
            for _ in range(PER_FRAME):
                pygame.event.post(random_event(rng, app.size))
            posted += PER_FRAME
            app.frame(1 / 60)
            assert not failures, f"{name}, after {sent + posted} events: {failures[0]!r}"
        sent += posted
        # measured between windows: a live one may be 7680x4320 just now, which is its size, not growth
        del app
        if baseline is None:
            baseline = resident_mb()
    shutil.rmtree(user_dir() / "scenarios", ignore_errors=True)
    assert sent >= EVENTS
    assert resident_mb() - baseline < GROWTH_MB
