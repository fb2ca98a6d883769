"""The pause menu and what it opens: saving, loading a saved game, settings."""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.scenes import flow
from game.ui.scenes.base import Scene
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import dim, hints, label, panel

SCALES = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5)  # times the scale that fits the window


class Overlay(Scene):
    """A boxed menu over the dimmed screen below it."""

    opaque = False
    title = ""
    width = 440

    def __init__(self, app, hide_game: bool = False):
        super().__init__(app)
        self.hide_game = hide_game
        self.menu = Menu(self.items(), size=17)

    def items(self) -> list[Item]:
        return []

    def back(self) -> None:
        self.app.pop()

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.back()
        else:
            self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        if self.hide_game:
            surface.fill(t.BACKGROUND)
        else:
            dim(surface)
        w, h = surface.get_size()
        head = theme.px(70)
        menu_h = min(self.menu.height(theme), max(0, h - head - theme.px(90)))
        box = pygame.Rect(0, 0, min(theme.px(self.width), w - theme.px(20)), menu_h + head + theme.px(40))
        box.center = (w // 2, h // 2 - theme.px(14))
        panel(surface, box, theme=theme)
        x = box.x + theme.px(26)
        label(surface, theme, self.title, "serif-bold", 26, box.width - theme.px(52), t.TEXT, (x, box.y + theme.px(20)))
        inner = pygame.Rect(box.x + theme.px(20), box.y + head, box.width - theme.px(40), menu_h)
        self.menu.layout(theme, inner)
        self.menu.draw(surface, theme)
        hints(
            surface,
            theme,
            [("↑↓", "choose"), ("Enter", "confirm"), ("Esc", "back")],
            pygame.Rect(0, box.bottom + theme.px(6), w, theme.px(28)),
        )


class PauseScene(Overlay):
    name = "pause"
    title = "Paused"

    def items(self) -> list[Item]:
        in_game = self.app.session is not None
        return [
            Item("Resume", self.back),
            Item("Save the game", self.save, enabled=in_game, note="F5"),
            Item("Load a saved game", lambda: self.app.push(LoadScene(self.app)), note="F9 quick load"),
            Item("Settings", lambda: self.app.push(SettingsScene(self.app))),
            Item("Quit to the title screen", self.to_title),
            Item("Quit the game", self.ask_to_quit),
        ]

    def save(self) -> None:
        self.app.pop()
        flow.save_game(self.app)

    def ask_to_quit(self) -> None:
        from game.ui.scenes.message import ConfirmScene

        self.app.push(ConfirmScene(self.app, "Quit the game?", lambda: self.app.quit(0)))

    def to_title(self) -> None:
        from game.ui.scenes.title import TitleScene

        flow.wait_for_moves(self.app)
        self.app.session = None
        self.app.reset(TitleScene(self.app))


class LoadScene(Overlay):
    name = "load"
    title = "Load a saved game"
    width = 620

    def items(self) -> list[Item]:
        files = saved_games(self.app)
        items = [Item(path.stem, lambda p=path: self.load(p), note=_age(path)) for path in files[:9]]
        if not items:
            items = [Item("No saved games yet", self.back, enabled=False)]
        return items + [Item("Back", self.back)]

    def load(self, path: Path) -> None:
        self.app.pop()
        flow.load_game(self.app, path)


class SettingsScene(Overlay):
    name = "settings"
    title = "Settings"
    width = 540

    def items(self) -> list[Item]:
        app = self.app
        sound = app.sound
        return [
            Item(f"Odds: {odds_text.MODE_NAMES[app.odds]}", self.next_odds, note="← →"),
            Item(f"Text and panel size: {int(app.scale * 100)}%", self.next_scale, note="← →"),
            Item(f"Sound volume: {round(sound.volume * 100)}%", self.next_volume, note="← →"),
            Item(f"Sound: {'off' if sound.muted else 'on'}", self.mute),
            Item(f"Ambient loop: {'on' if sound.ambient_on else 'off'}", self.ambient),
            Item(f"Full screen: {'on' if app.fullscreen else 'off'}", self.fullscreen, note="F11"),
            Item("Back", self.back),
        ]

    def refresh(self) -> None:
        self.app.remember_settings()
        focus = self.menu.focus
        self.menu = Menu(self.items(), size=17)
        self.menu.focus = focus

    def next_odds(self, step: int = 1) -> None:
        modes = odds_text.MODES
        self.app.odds = modes[(modes.index(self.app.odds) + step) % len(modes)]
        self.refresh()

    def next_scale(self, step: int = 1) -> None:
        current = min(range(len(SCALES)), key=lambda i: abs(SCALES[i] - self.app.scale))
        self.app.set_scale(SCALES[(current + step) % len(SCALES)])
        self.refresh()

    def next_volume(self, step: int = 1) -> None:
        sound = self.app.sound
        volume = min(max(round(sound.volume * 10) + step, 0), 10) / 10
        sound.settings(volume, sound.muted, sound.ambient_on)
        sound.play("pick")  # how loud it now is
        self.refresh()

    def mute(self) -> None:
        sound = self.app.sound
        sound.settings(sound.volume, not sound.muted, sound.ambient_on)
        self.refresh()

    def ambient(self) -> None:
        sound = self.app.sound
        sound.settings(sound.volume, sound.muted, not sound.ambient_on)
        self.refresh()

    def fullscreen(self) -> None:
        self.app.toggle_fullscreen()
        self.refresh()

    def handle_event(self, event: pygame.event.Event) -> None:
        steps = {0: self.next_odds, 1: self.next_scale, 2: self.next_volume}
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            change = steps.get(self.menu.focus)
            if change is not None:
                change(-1 if event.key == pygame.K_LEFT else 1)
            return
        super().handle_event(event)

    def resize(self) -> None:
        self.refresh()


def saved_games(app) -> list[Path]:
    """The saves on offer, newest first: the saves folder and the file named by --save."""
    found = set(flow.saves_folder().glob("*.json")) if flow.saves_folder().is_dir() else set()
    if app.options.save and Path(app.options.save).is_file():
        found.add(Path(app.options.save))
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _age(path: Path) -> str:
    return time.strftime("%d %b %H:%M", time.localtime(path.stat().st_mtime))
