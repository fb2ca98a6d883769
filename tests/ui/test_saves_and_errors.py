"""Saving, loading and reloading through the window, and errors shown instead of crashes."""

from __future__ import annotations

import shutil

import pygame

from game.paths import user_dir
from tests.conftest import TUTORIAL
from tests.ui.driver import first_open, frames, key, keyboard_player, make_app, play_card, reader, top_name, until


def _play_until_turn(app, turn: int) -> None:
    assert until(
        app, lambda: app.session.state.turn >= turn or app.session.match.is_over(), on_frame=keyboard_player(app)
    )


def _waiting_for_cards(app) -> bool:
    scene = app.top
    return top_name(app) == "TurnScene" and scene.cards is not None and app.session.person_to_move() is not None


def test_f5_saves_and_f9_brings_the_game_back():
    app = make_app(seat="union", opponent="easy")
    _play_until_turn(app, 2)
    assert until(app, lambda: _waiting_for_cards(app), on_frame=keyboard_player(app))
    key(app, pygame.K_F5)
    saved = app.session.state.digest()
    steps = len(app.session.match.steps)
    assert (user_dir() / "saves" / "quick.json").is_file()
    play_card(app, first_open(app))
    assert len(app.session.match.steps) > steps
    key(app, pygame.K_F9)
    assert top_name(app) == "TurnScene"
    assert app.session.state.digest() == saved
    assert len(app.session.match.steps) == steps


def test_a_damaged_save_shows_a_message_and_the_game_goes_on():
    app = make_app(seat="union", opponent="easy")
    _play_until_turn(app, 2)
    path = user_dir() / "saves" / "quick.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "crisis-save", "version": 1, "steps": [', encoding="utf-8")
    before = app.session
    key(app, pygame.K_F9)
    assert top_name(app) == "MessageScene"
    assert "damaged" in " ".join(app.top.lines)
    assert app.session is before
    key(app, pygame.K_ESCAPE)
    assert top_name(app) == "TurnScene"


def test_load_from_the_command_line_opens_the_saved_game(tmp_path):
    app = make_app(seat="union", opponent="easy", save=tmp_path / "mine.json")
    _play_until_turn(app, 2)
    assert until(app, lambda: _waiting_for_cards(app), on_frame=keyboard_player(app))
    key(app, pygame.K_F5)
    digest = app.session.state.digest()
    again = make_app(seat="union", opponent="easy", load=tmp_path / "mine.json")
    assert top_name(again) == "TurnScene"
    assert again.session.state.digest() == digest


def test_reload_replays_the_moves_and_shows_problems_of_a_broken_file(tmp_path):
    scenario = tmp_path / "strike.yaml"
    shutil.copy(TUTORIAL, scenario)
    app = make_app(scenario=scenario, seat="union", opponent="easy")
    _play_until_turn(app, 2)
    assert until(app, lambda: _waiting_for_cards(app), on_frame=keyboard_player(app))
    digest = app.session.state.digest()
    scenario.write_text(scenario.read_text().replace("Hold the picket line", "Hold the line"), encoding="utf-8")
    key(app, pygame.K_F6)
    assert app.session.scenario.actions["picket"].title == "Hold the line"
    assert app.session.state.turn == 2 and len(app.session.match.steps) > 0
    assert app.session.state.digest() != digest  # the file's hash is part of the state's
    scenario.write_text(
        scenario.read_text().replace("turn_order: [union, harbour]", "turn_order: [union, nobody]"), encoding="utf-8"
    )
    key(app, pygame.K_r, mod=pygame.KMOD_CTRL)
    assert top_name(app) == "MessageScene"
    text = "\n".join(app.top.lines)
    assert "strike.yaml, line" in text and "nobody" in text and "^" in text


def test_an_unexpected_error_goes_to_a_dialog_and_the_log():
    app = make_app()
    broken = app.top

    def explode(surface):
        raise RuntimeError("paint ran out")

    broken.draw = explode
    frames(app, 1)
    assert top_name(app) == "MessageScene" and app.top.fatal
    log = (user_dir() / "crisis.log").read_text(encoding="utf-8")
    assert "RuntimeError: paint ran out" in log and "Traceback" in log
    assert app.running
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # back to the title screen
    assert top_name(app) == "TitleScene" and app.top is not broken


def test_a_map_that_fails_to_draw_is_put_aside_and_the_game_goes_on(monkeypatch):
    from game.ui import map as campaign_map

    def broken(self, *args, **kwargs):
        raise ValueError("no land today")

    monkeypatch.setattr(campaign_map.MapView, "draw", broken)
    app = make_app(seat="union", opponent="easy")
    assert until(app, lambda: top_name(app) == "EndingScene", seconds=20, on_frame=keyboard_player(app))
    assert "no land today" in (user_dir() / "crisis.log").read_text(encoding="utf-8")


def test_a_damaged_save_named_on_the_command_line_leaves_the_title_screen_with_a_message(tmp_path):
    damaged = tmp_path / "broken.json"
    damaged.write_bytes(b"\x00\x01 not a save")
    app = make_app(load=damaged)
    assert top_name(app) == "MessageScene"
    assert "cannot be loaded" in app.top.title
    key(app, pygame.K_RETURN)
    assert top_name(app) == "TitleScene"


def test_a_hot_seat_save_opens_behind_a_hand_over_screen(tmp_path):
    app = make_app(seat="both", save=tmp_path / "pair.json")
    _play_until_turn(app, 2)
    assert until(app, lambda: _waiting_for_cards(app), on_frame=keyboard_player(app))
    key(app, pygame.K_F5)
    again = make_app(seat="both", load=tmp_path / "pair.json")
    assert top_name(again) == "HandoverScene"
    assert again.top.role == again.session.state.current_role()


def test_a_side_that_cannot_be_played_is_refused_with_a_message():
    app = make_app(seat="mayor")
    assert top_name(app) == "MessageScene"
    assert "'mayor' is not a side you can play" in " ".join(app.top.lines)


def test_save_on_the_command_line_writes_the_game_as_it_goes(tmp_path):
    from game.saves import read_save

    path = tmp_path / "running.json"
    app = make_app(seat="union", opponent="easy", save=path)
    _play_until_turn(app, 2)
    # only Enter through what happens, never a card: the save must catch up with the game, not race it
    assert until(app, lambda: _waiting_for_cards(app) and app.top.saving is None, on_frame=reader(app))
    assert len(read_save(path).steps) == len(app.session.match.steps)


def test_an_unattended_game_that_fails_ends_with_an_exit_code_instead_of_waiting(monkeypatch):
    from game.ui.scenes.title import TitleScene

    def explode(self, dt):
        raise RuntimeError("no way forward")

    monkeypatch.setattr(TitleScene, "update", explode)
    app = make_app(spectate=True, exit_at_end=True, seat="none")
    assert until(app, lambda: not app.running, seconds=10)
    assert app.exit_code == 1


def test_the_save_file_is_held_for_the_whole_game_and_let_go_after(tmp_path):
    """Another game cannot save where this one does; once the window lets the game go, it can."""
    import pytest

    from game.saves import SaveError, SaveFile

    path = tmp_path / "held.json"
    app = make_app(seat="union", opponent="easy", save=path)
    _play_until_turn(app, 2)
    with pytest.raises(SaveError, match="another game"):
        SaveFile(path)
    key(app, pygame.K_F5)  # the window's own quick save goes through the file it holds
    assert "Saved to" in app.toast_text
    assert until(app, lambda: app.top.saving is None)
    app.session = None
    SaveFile(path).close()


def test_a_second_window_saving_to_the_same_file_is_told_and_plays_on(tmp_path):
    path = tmp_path / "shared.json"
    first = make_app(seat="union", opponent="easy", save=path)
    second = make_app(seat="union", opponent="easy", save=path)
    assert top_name(second) == "MessageScene" and second.top.title == "The game is not being saved"
    assert "another game" in " ".join(second.top.lines)
    key(second, pygame.K_RETURN)
    assert top_name(second) == "BriefingScene"
    assert first.session.journal is not None and second.session.journal is None


def test_a_save_opens_with_the_scenario_it_was_made_with_and_refuses_a_changed_one(tmp_path):
    from game.saves import read_save

    scenario = tmp_path / "harbour.yaml"  # a scenario of the player's own, not a bundled one
    scenario.write_text(TUTORIAL.read_text(encoding="utf-8").replace("id: tutorial", "id: harbour"), encoding="utf-8")
    app = make_app(scenario=scenario, seat="union", opponent="easy", save=tmp_path / "g.json")
    _play_until_turn(app, 2)
    assert until(app, lambda: _waiting_for_cards(app) and app.top.saving is None, on_frame=reader(app))
    app.session = None
    assert read_save(tmp_path / "g.json").scenario_path == str(scenario)
    # opened from a window on another scenario: the save finds its own file by its content
    again = make_app(seat="union", load=tmp_path / "g.json")
    assert top_name(again) == "TurnScene" and again.session.settings.scenario_path == scenario
    again.session = None
    # the file changed since: a window on that very file says so and opens nothing half-way
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("turn_limit: 4", "turn_limit: 5"), encoding="utf-8"
    )
    changed = make_app(scenario=scenario, seat="union", load=tmp_path / "g.json")
    assert top_name(changed) == "MessageScene" and "another version" in " ".join(changed.top.lines)
    assert changed.session is None
