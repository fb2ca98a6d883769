"""The news feed: every report that happened, newest first, wrapped and cached as one surface.

The wheel (or Page Up and Down over it) scrolls back through older items; a story cut short to
keep the feed readable shows in full on pointing at it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import theme as t
from game.ui.theme import Theme


@dataclass(frozen=True)
class NewsItem:
    when: str
    who: str
    headline: str
    text: str
    colour: tuple[int, int, int]


class NewsFeed:
    """Reports as the player reads them; rebuilt only when an item is added or the size changes."""

    def __init__(self) -> None:
        self.items: list[NewsItem] = []
        self.offset = 0  # how many of the newest items are scrolled past
        self._image: pygame.Surface | None = None
        self._tips: list[tuple[pygame.Rect, str, tuple[str, ...]]] = []
        self._key: tuple = ()

    def add(self, item: NewsItem) -> None:
        self.items.append(item)
        self.offset = 0
        self._image = None

    def clear(self) -> None:
        self.items = []
        self.offset = 0
        self._image = None

    def scroll(self, items: int) -> None:
        """Scroll ``items`` older (positive) or newer (negative)."""
        self.offset = min(max(0, self.offset + items), max(0, len(self.items) - 1))

    def draw(self, surface: pygame.Surface, theme: Theme, area: pygame.Rect) -> None:
        if area.width < 8 or area.height < 8:
            return
        key = (area.size, theme.scale, len(self.items), self.offset)
        if self._image is None or key != self._key:
            (self._image, self._tips), self._key = self._render(theme, area), key
        surface.blit(self._image, area.topleft)
        for rect, text, cuts in self._tips:
            theme.notes.tip(rect.move(area.topleft), text)
            for cut in cuts:
                theme.notes.cut(cut)

    def _render(self, theme: Theme, area: pygame.Rect) -> tuple[pygame.Surface, list]:
        """The feed's image, and for each item drawn short: its rectangle, its whole text, what was cut."""
        image = pygame.Surface(area.size, pygame.SRCALPHA)
        tips: list[tuple[pygame.Rect, str, tuple[str, ...]]] = []
        y = 0
        if not self.items:
            image.blit(theme.fit("Nothing has happened yet.", "italic", 14, area.width, t.MUTED), (0, 0))
        if self.offset:
            note = theme.fit(f"▲ {self.offset} newer (scroll up)", "italic", 11, area.width, t.MUTED)
            image.blit(note, (0, 0))
            y += note.get_height() + theme.px(2)
        step = int(theme.line_height("sans", 13) * 1.15)
        for item in reversed(self.items[: len(self.items) - self.offset]):
            stamp = theme.text(item.when, "sans", 12, t.MUTED)
            x = stamp.get_width() + theme.px(22)
            width = max(1, area.width - x)
            title = f"{item.who}: {item.headline}"
            head_lines = min(2, theme.lines_of(title, "bold", 13, width))
            head_h = head_lines * int(theme.line_height("bold", 13) * 1.1)
            room = (area.height - y - head_h - theme.px(2)) // step
            if room < 1:
                break  # only whole items: a story cut in half reads worse than none
            image.blit(stamp, (0, y + 1))
            pygame.draw.circle(image, item.colour, (x - theme.px(10), y + stamp.get_height() // 2 + 1), theme.px(4))
            head = theme.block(title, "bold", 13, width, t.TEXT, max_lines=2, spacing=1.1, note=False)
            image.blit(head, (x, y))
            top = y
            y += head.get_height() + theme.px(2)
            lines = min(3, room)
            body = theme.block(item.text, "sans", 13, width, t.MUTED, max_lines=lines, note=False)
            image.blit(body, (x, y))
            y += body.get_height() + theme.px(8)
            cut = [title] if theme.lines_of(title, "bold", 13, width) > 2 else []
            cut += [item.text] if theme.lines_of(item.text, "sans", 13, width) > lines else []
            if cut:
                tips.append(
                    (pygame.Rect(0, top, area.width, y - top), f"{item.when} · {title}\n{item.text}", tuple(cut))
                )
        return image, tips
