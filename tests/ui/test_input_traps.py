"""The traps a new player fell into: quitting without being asked, focus wrapping onto Quit."""

from __future__ import annotations

import pygame

from tests.ui.driver import frames, key, make_app, top_name


def test_up_from_new_game_stays_on_new_game():
    app = make_app()
    frames(app, 1)
    menu = app.top.menu
    assert menu.items[menu.focus].label == "New game"
    for _ in range(3):
        key(app, pygame.K_UP)
    assert menu.items[menu.focus].label == "New game"
    for _ in range(10):
        key(app, pygame.K_DOWN)
    assert menu.items[menu.focus].label == "Quit"  # the bottom stays the bottom
    key(app, pygame.K_DOWN)
    assert menu.items[menu.focus].label == "Quit"


def test_quit_asks_and_no_keeps_the_game_open():
    app = make_app()
    frames(app, 1)
    app.top.menu.choose(len(app.top.menu.items) - 1)  # Quit
    frames(app, 1)
    assert top_name(app) == "ConfirmScene" and app.running
    key(app, pygame.K_RETURN)  # the focus starts on "No, stay"
    assert top_name(app) == "TitleScene" and app.running
    key(app, pygame.K_ESCAPE)  # Esc on the title asks too
    assert top_name(app) == "ConfirmScene"
    key(app, pygame.K_n)
    assert top_name(app) == "TitleScene" and app.running
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_y)
    assert not app.running and app.exit_code == 0


def test_a_shortened_text_shows_whole_in_a_tooltip_where_the_pointer_rests():
    from game.ui.widgets.panel import label

    app = make_app()
    frames(app, 1)
    theme = app.theme
    theme.notes.clear()
    text = "A title far too long to fit into the little room it is given here"
    rect = label(app.screen, theme, text, "sans", 14, 80, (255, 255, 255), (10, 10))
    assert theme.notes.cuts == [text] and theme.notes.untipped() == []
    assert theme.notes.tip_at(rect.center) == text
    assert theme.notes.tip_at((500, 500)) is None
    theme.notes.clear()
    theme.fit(text, "sans", 14, 80)  # drawn short with no tooltip: the layout checks catch it
    assert theme.notes.untipped() == [text]
