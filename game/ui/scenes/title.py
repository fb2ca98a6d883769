"""The title screen: new game, continue, load, settings, quit."""

from __future__ import annotations

import math
import time

import pygame

from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.scenes.flow import open_save, quick_save_path
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import hints, label

__all__ = ["TitleScene", "open_save"]


class TitleScene(Scene):
    name = "title"

    def __init__(self, app):
        super().__init__(app)
        self.wait = 0.0
        self.updates = 0
        self.menu = self._menu()

    def _menu(self) -> Menu:
        quick = quick_save_path(self.app)
        return Menu(
            [
                Item("New game", self.new_game),
                Item(
                    "Continue",
                    self.resume,
                    enabled=quick.is_file(),
                    note=saved_when(quick),
                ),
                Item("Load a saved game", self.load),
                Item("Host a game online", self.host_online),
                Item("Join a game", self.join_online),
                Item("Settings", self.settings),
                Item("Quit", self.ask_to_quit),
            ],
            size=20,
        )

    def enter(self) -> None:
        self.menu = self._menu()

    def new_game(self) -> None:
        from game.ui.scenes.newgame import NewGameScene

        self.app.push(NewGameScene(self.app))

    def resume(self) -> None:
        open_save(self.app, quick_save_path(self.app))

    def load(self) -> None:
        from game.ui.scenes.pause import LoadScene

        self.app.push(LoadScene(self.app))

    def host_online(self) -> None:
        from game.ui.scenes.online import HostScene

        self.app.push(HostScene(self.app))

    def join_online(self) -> None:
        from game.ui.scenes.online import JoinScene

        self.app.push(JoinScene(self.app))

    def settings(self) -> None:
        from game.ui.scenes.pause import SettingsScene

        self.app.push(SettingsScene(self.app))

    def ask_to_quit(self) -> None:
        from game.ui.scenes.message import ConfirmScene

        self.app.push(ConfirmScene(self.app, "Quit the game?", lambda: self.app.quit(0)))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.ask_to_quit()
        else:
            self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        if self.app.options.auto:
            self.wait += dt
            self.updates += 1
            # not before the screen has been shown once (and recorded, with --record)
            if self.wait > self.app.options.pace * 2 and self.updates > 1:
                self.new_game()

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        x = min(theme.px(110), w // 12)
        menu_w = min(theme.px(420), w - 2 * x)
        menu_h = self.menu.height(theme)
        block = theme.px(164) + menu_h
        y = max(theme.px(10), (h - theme.px(40) - block) // 2)
        self._draw_backdrop(surface, x + menu_w + theme.px(40))
        surface.blit(theme.text("CRISIS", "serif-bold", 76, t.TEXT), (x, y))
        y += theme.px(100)
        motto = "Every choice has its odds. None of them is safe."
        label(surface, theme, motto, "italic", 19, w - x - theme.px(10), t.MUTED, (x + theme.px(4), y))
        pygame.draw.rect(surface, t.ORANGE, (x + theme.px(4), y + theme.px(36), theme.px(80), theme.px(3)))
        self.menu.layout(theme, pygame.Rect(x, y + theme.px(64), menu_w, menu_h))
        self.menu.draw(surface, theme)
        hints(
            surface,
            theme,
            [("↑↓", "choose"), ("Enter", "confirm"), ("F11", "full screen"), ("Esc", "quit")],
            pygame.Rect(0, h - theme.px(36), w, theme.px(28)),
        )

    def _draw_backdrop(self, surface: pygame.Surface, left: int) -> None:
        """A quiet clock face on the right: the crisis is a race against the hours."""
        theme = self.theme
        w, h = surface.get_size()
        radius = min(theme.px(220), int(h * 0.4), (w - left) // 2 - theme.px(20))
        if radius < theme.px(60):
            return  # no room beside the menu
        centre = (w - max(theme.px(330), radius + theme.px(30)), h // 2)
        pygame.draw.circle(surface, t.PANEL, centre, radius)
        pygame.draw.circle(surface, t.EDGE, centre, radius, width=2)
        for hour in range(24):
            angle = math.radians(hour * 15 - 90)
            inner = radius - theme.px(22 if hour % 6 == 0 else 12)
            a = (centre[0] + math.cos(angle) * inner, centre[1] + math.sin(angle) * inner)
            b = (centre[0] + math.cos(angle) * (radius - 4), centre[1] + math.sin(angle) * (radius - 4))
            pygame.draw.line(surface, t.ORANGE if hour % 6 == 0 else t.FAINT, a, b, 3 if hour % 6 == 0 else 1)
        hand = math.radians(23 * 15 - 90)
        tip = (centre[0] + math.cos(hand) * radius * 0.8, centre[1] + math.sin(hand) * radius * 0.8)
        pygame.draw.line(surface, t.VERMILLION, centre, tip, 4)
        pygame.draw.circle(surface, t.VERMILLION, centre, theme.px(8))


def saved_when(path) -> str:
    """When a save was last written, for the menu ("no save yet" when there is none)."""
    try:
        return "saved " + time.strftime("%d %b, %H:%M", time.localtime(path.stat().st_mtime))
    except OSError:
        return "no save yet"
