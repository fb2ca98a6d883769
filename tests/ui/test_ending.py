"""The ending tells the result by the sides' aim, why the game ended, and the whole game."""

from __future__ import annotations

import pygame
import pytest

from game.ai import make_policy
from game.core import aim
from game.scenario.loader import load_scenario
from game.ui.scenes.ending import EndingScene
from game.ui.session import Settings, start_session
from tests.conftest import SCENARIOS
from tests.ui.driver import frames, key, make_app, top_name

SEATS = [(path, role) for path in SCENARIOS for role in load_scenario(path).roles]


def ended(path, seat: str, seed: int):
    session = start_session(Settings(path, seat, "easy", seed=seed))
    for role in session.scenario.roles:
        session.match.policies.setdefault(role, make_policy("random"))
    session.match.run()
    return session


@pytest.mark.parametrize("path,role", SEATS, ids=[f"{p.stem}-{r}" for p, r in SEATS])
def test_the_verdict_is_the_aims_result_for_the_side_played(path, role):
    app = make_app(scenario=path)
    for seed in range(12):
        session = ended(path, role, seed)
        scene = EndingScene(app, session)
        scene.simulation.stop()
        text, _ = scene.verdict()
        result = aim.result(session.state.scores(), role)
        assert text.startswith({aim.WON: "You won", aim.DRAWN: "A draw", aim.LOST: "You lost"}[result])
        parts = scene.parts(role)
        assert sum(value for _, value in parts) == pytest.approx(session.state.scores()[role], abs=1e-9)
        assert scene.why()


def test_a_spectator_is_told_who_won():
    path = SCENARIOS[0]
    app = make_app(scenario=path)
    session = ended(path, "none", 3)
    scene = EndingScene(app, session)
    scene.simulation.stop()
    top = aim.winners(session.state.scores())
    text, _ = scene.verdict()
    assert text.startswith(session.role_name(top[0]) if len(top) == 1 else "A draw")


def test_every_move_of_the_game_can_be_scrolled_to():
    path = next(p for p in SCENARIOS if p.stem == "wagner_mutiny")
    app = make_app(scenario=path)
    session = ended(path, "putin", 1)
    app.session = session
    app.reset(EndingScene(app, session))
    frames(app, 2)
    scene = app.top
    moves = [r for r in session.match.reports if not r.quiet]
    for _ in range(len(moves)):
        key(app, pygame.K_PAGEDOWN)
    assert scene.scroll == scene.last_scroll
    assert scene.last_scroll > 0 or len(moves) < 10
    for _ in range(len(moves)):
        key(app, pygame.K_PAGEUP)
    assert scene.scroll == 0


def test_quit_on_the_ending_asks():
    path = SCENARIOS[0]
    app = make_app(scenario=path)
    session = ended(path, "none", 2)
    app.reset(EndingScene(app, session))
    frames(app, 1)
    app.top.menu.choose(len(app.top.menu.items) - 1)
    frames(app, 1)
    assert top_name(app) == "ConfirmScene" and app.running
    key(app, pygame.K_ESCAPE)
    assert top_name(app) == "EndingScene"
