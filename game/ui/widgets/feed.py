"""The news feed: every report that happened, newest first, wrapped and cached as one surface."""

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
        self._image: pygame.Surface | None = None
        self._key: tuple = ()

    def add(self, item: NewsItem) -> None:
        self.items.append(item)
        self._image = None

    def clear(self) -> None:
        self.items = []
        self._image = None

    def draw(self, surface: pygame.Surface, theme: Theme, area: pygame.Rect) -> None:
        key = (area.size, theme.scale, len(self.items))
        if self._image is None or key != self._key:
            self._image, self._key = self._render(theme, area), key
        surface.blit(self._image, area.topleft)

    def _render(self, theme: Theme, area: pygame.Rect) -> pygame.Surface:
        image = pygame.Surface(area.size, pygame.SRCALPHA)
        y = 0
        if not self.items:
            image.blit(theme.text("Nothing has happened yet.", "italic", 14, t.MUTED), (0, 0))
        for item in reversed(self.items):
            stamp = theme.text(item.when, "sans", 12, t.MUTED)
            x = stamp.get_width() + theme.px(22)
            head = theme.fit(f"{item.who}: {item.headline}", "bold", 13, area.width - x, t.TEXT)
            room = (area.height - y - head.get_height() - theme.px(2)) // int(theme.line_height("sans", 13) * 1.15)
            if room < 1:
                break  # only whole items: a story cut in half reads worse than none
            image.blit(stamp, (0, y + 1))
            pygame.draw.circle(image, item.colour, (x - theme.px(10), y + stamp.get_height() // 2 + 1), theme.px(4))
            image.blit(head, (x, y))
            y += head.get_height() + theme.px(2)
            body = theme.block(item.text, "sans", 13, area.width - x, t.MUTED, max_lines=min(3, room))
            image.blit(body, (x, y))
            y += body.get_height() + theme.px(8)
        return image
