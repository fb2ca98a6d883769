"""A vertical menu that works the same with the keyboard and the mouse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.ui import theme as t
from game.ui.theme import Theme
from game.ui.widgets.panel import label


@dataclass
class Item:
    label: str
    action: Callable[[], None]
    enabled: bool = True
    note: str = ""


class Menu:
    """Items stacked in ``rect`` (or side by side): arrows move focus, Enter or a click chooses, digits jump.

    Focus stops at the first and the last item rather than wrapping round, so that a key held
    a moment too long never lands on what is at the other end (Quit, say).
    """

    def __init__(self, items: list[Item], size: int = 20, across: bool = False):
        self.items = items
        self.size = size
        self.across = across  # side by side: left and right move the focus too
        self.focus = next((i for i, item in enumerate(items) if item.enabled), 0)
        self.rects: list[pygame.Rect] = []

    def layout(self, theme: Theme, rect: pygame.Rect) -> None:
        if self.across:
            self._layout_across(theme, rect)
            return
        count = max(1, len(self.items))
        gap = theme.px(6)
        # items shrink (to the height of their text) rather than run out of ``rect``
        height = max(theme.line_height("bold", self.size), min(theme.px(self.size * 2.1), rect.height // count - gap))
        self.rects = [
            pygame.Rect(rect.x, rect.y + i * (height + gap), rect.width, height) for i in range(len(self.items))
        ]

    def _layout_across(self, theme: Theme, rect: pygame.Rect) -> None:
        """Items in a row across ``rect``, each as wide as its label, the row centred."""
        gap = theme.px(10)
        widths = [self.item_width(theme, item) for item in self.items]
        spare = rect.width - sum(widths) - gap * (len(widths) - 1)
        if spare < 0:  # too narrow for the labels: equal shares (labels are shortened, with tooltips)
            widths = [max(1, (rect.width - gap * (len(widths) - 1)) // max(1, len(widths)))] * len(widths)
            spare = 0
        x = rect.x + spare // 2
        self.rects = []
        for width in widths:
            self.rects.append(pygame.Rect(x, rect.y, width, rect.height))
            x += width + gap

    def item_width(self, theme: Theme, item: Item) -> int:
        return theme._width(item.label, "bold", self.size) + theme.px(32)

    def height(self, theme: Theme) -> int:
        if self.across:
            return theme.px(self.size * 2.1)
        return len(self.items) * (theme.px(self.size * 2.1) + theme.px(6))

    def handle_event(self, event: pygame.event.Event) -> bool:
        """React to ``event``; True when it was used."""
        if event.type == pygame.KEYDOWN:
            back = (pygame.K_UP, pygame.K_w) + ((pygame.K_LEFT,) if self.across else ())
            ahead = (pygame.K_DOWN, pygame.K_s, pygame.K_TAB) + ((pygame.K_RIGHT,) if self.across else ())
            if event.key in back:
                self.move(-1)
            elif event.key in ahead:
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
        """The next enabled item in that direction; the focus stays put at either end."""
        at = self.focus + step
        while 0 <= at < len(self.items):
            if self.items[at].enabled:
                self.focus = at
                return
            at += step

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
            elif self.across:
                pygame.draw.rect(surface, t.EDGE, rect, width=1, border_radius=6)
            colour = t.TEXT if item.enabled else t.FAINT
            face = "bold" if focused else "sans"
            note = theme.text(item.note, "sans", 13, t.MUTED) if item.note and not self.across else None
            room = rect.width - theme.px(28) - (note.get_width() + theme.px(12) if note else 0)
            height = theme.line_height(face, self.size)
            if self.across:
                width = min(room, theme._width(item.label, face, self.size))
                at = (rect.centerx - width // 2, rect.centery - height // 2)
            else:
                at = (rect.x + theme.px(16), rect.centery - height // 2)
            label(surface, theme, item.label, face, self.size, room, colour, at, tip=item.note if self.across else "")
            if note is not None and rect.width - theme.px(28) - room > 0:
                surface.blit(
                    note, (rect.right - note.get_width() - theme.px(14), rect.centery - note.get_height() // 2)
                )
