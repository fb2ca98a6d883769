"""A vertical menu that works the same with the keyboard and the mouse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.ui import theme as t
from game.ui.theme import Theme


@dataclass
class Item:
    label: str
    action: Callable[[], None]
    enabled: bool = True
    note: str = ""


class Menu:
    """Items stacked in ``rect``: arrows move focus, Enter or a click chooses, digits jump."""

    def __init__(self, items: list[Item], size: int = 20):
        self.items = items
        self.size = size
        self.focus = next((i for i, item in enumerate(items) if item.enabled), 0)
        self.rects: list[pygame.Rect] = []

    def layout(self, theme: Theme, rect: pygame.Rect) -> None:
        height = theme.px(self.size * 2.1)
        self.rects = [
            pygame.Rect(rect.x, rect.y + i * (height + theme.px(6)), rect.width, height) for i in range(len(self.items))
        ]

    def height(self, theme: Theme) -> int:
        return len(self.items) * (theme.px(self.size * 2.1) + theme.px(6))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """React to ``event``; True when it was used."""
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_UP, pygame.K_w):
                self.move(-1)
            elif event.key in (pygame.K_DOWN, pygame.K_s, pygame.K_TAB):
                self.move(1)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.choose(self.focus)
            elif pygame.K_1 <= event.key <= pygame.K_9 and event.key - pygame.K_1 < len(self.items):
                self.choose(event.key - pygame.K_1)
            else:
                return False
            return True
        if event.type == pygame.MOUSEMOTION:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos) and self.items[i].enabled:
                    self.focus = i
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos):
                    self.choose(i)
                    return True
        return False

    def move(self, step: int) -> None:
        for _ in range(len(self.items)):
            self.focus = (self.focus + step) % len(self.items)
            if self.items[self.focus].enabled:
                return

    def choose(self, index: int) -> None:
        if 0 <= index < len(self.items) and self.items[index].enabled:
            self.focus = index
            self.items[index].action()

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        for i, (item, rect) in enumerate(zip(self.items, self.rects)):
            focused = i == self.focus
            if focused:
                pygame.draw.rect(surface, t.PANEL_HIGH, rect, border_radius=6)
                pygame.draw.rect(surface, t.FOCUS, rect, width=2, border_radius=6)
            colour = t.TEXT if item.enabled else t.FAINT
            label = theme.text(item.label, "bold" if focused else "sans", self.size, colour)
            surface.blit(label, (rect.x + theme.px(16), rect.centery - label.get_height() // 2))
            if item.note:
                note = theme.text(item.note, "sans", 13, t.MUTED)
                surface.blit(
                    note, (rect.right - note.get_width() - theme.px(14), rect.centery - note.get_height() // 2)
                )
