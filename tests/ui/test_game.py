"""Whole games through the real window code: spectated through main(), and played with the keyboard."""

from __future__ import annotations

import argparse

import pygame
import pytest

from game.core.model import WORLD
from game.paths import user_dir
from game.scenario.loader import load_scenario
from game.ui.app import main
from tests.conftest import SCENARIOS, TUTORIAL
from tests.ui.driver import first_open, key, keyboard_player, make_app, to_turn_screen, top_name, until


def test_a_spectated_game_reaches_the_ending_through_main(tmp_path, monkeypatch):
    monkeypatch.setenv("CRISIS_UI_PACE", "0.01")
    args = argparse.Namespace(
        scenario=str(TUTORIAL),
        as_role=None,
        opponent="easy",
        seed=11,
        save=None,
        load=None,
        record=str(tmp_path / "shots"),
        spectate=True,
        exit_at_end=True,
        fullscreen=False,
        scale=1.0,
        odds=None,
        size=None,
    )
    log = user_dir() / "crisis.log"
    assert main(args) == 0, log.read_text(encoding="utf-8")[-3000:] if log.exists() else "no log"
    names = [p.name for p in sorted((tmp_path / "shots").glob("*.png"))]
    for scene in ("title", "new_game", "briefing", "turn_01", "consequence", "ending"):
        assert any(scene in name for name in names), (scene, names)
    assert pygame.image.load(str(tmp_path / "shots" / names[0])).get_size() == (1280, 720)


def test_a_keyboard_only_game_is_played_to_its_ending():
    app = make_app(seat="union", opponent="easy")
    ok = until(app, lambda: top_name(app) == "EndingScene", seconds=20, on_frame=keyboard_player(app))
    assert ok, (top_name(app), getattr(app.top, "lines", None))
    match = app.stack[-1].session.match
    people = [s for s in match.steps if s.role == "union"]
    assert people and all(s.by == "" for s in people)
    assert all(s.by for s in match.steps if s.role == "harbour")
    assert match.is_over()


def test_hot_seat_hands_the_screen_over_before_each_side_moves():
    app = make_app(seat="both")
    seen = []

    def play():
        if top_name(app) == "HandoverScene":
            seen.append(app.top.role)
        keyboard_player(app)()

    assert until(app, lambda: top_name(app) == "EndingScene", seconds=20, on_frame=play)
    match = app.stack[-1].session.match
    movers = [s.role for s in match.steps if s.role != WORLD]
    assert set(seen) == {"union", "harbour"}
    # each change of side at the screen came with a hand-over
    changes = sum(1 for a, b in zip(movers, movers[1:]) if a != b)
    assert len(seen) >= changes
    assert all(s.by == "" for s in match.steps if s.role != WORLD)


def test_shift_enter_skims_to_the_next_choice():
    app = make_app(seat="union", opponent="easy")
    assert to_turn_screen(app, cards=True)
    turn = app.session.state.turn
    card = first_open(app)
    key(app, ord(card))
    key(app, ord(card))
    assert app.top.current is not None
    key(app, pygame.K_RETURN, mod=pygame.KMOD_SHIFT)
    assert until(
        app,
        lambda: (
            app.session.match.is_over()
            or (app.top.current is None and app.top.cards is not None and app.session.state.turn > turn)
        ),
    )


def test_play_again_starts_the_same_sides_with_new_dice():
    app = make_app(seat="union", opponent="easy")
    assert until(app, lambda: top_name(app) == "EndingScene", seconds=20, on_frame=keyboard_player(app))
    first = app.top.session
    key(app, pygame.K_1)  # Play again
    assert top_name(app) == "BriefingScene"
    assert app.session is not first and app.session.humans == ("union",)
    assert app.session.match.seed != first.match.seed
    assert len(app.session.match.steps) == len(app.session.scenario.draws)  # only its starting draws


SIDES = [(path, role) for path in SCENARIOS if path != TUTORIAL for role in load_scenario(path).roles]


@pytest.mark.parametrize("path,role", SIDES, ids=[f"{p.stem}-{r}" for p, r in SIDES])
def test_every_scenario_plays_from_every_side_in_the_window(path, role):
    app = make_app(scenario=path, seat=role, opponent="easy")
    ok = until(app, lambda: top_name(app) == "EndingScene", seconds=60, on_frame=keyboard_player(app))
    assert ok, (top_name(app), getattr(app.top, "lines", None))
    match = app.stack[-1].session.match
    assert match.is_over() and any(s.role == role and s.by == "" for s in match.steps)
