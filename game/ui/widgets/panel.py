"""Drawing helpers shared by every scene: panels, headings, key hints, dimming."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.theme import Theme


def panel(surface: pygame.Surface, rect: pygame.Rect, colour=t.PANEL, edge=t.EDGE, radius: int = 6) -> None:
    """A rounded panel with a one-pixel edge."""
    pygame.draw.rect(surface, colour, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, width=1, border_radius=radius)


def heading(
    surface: pygame.Surface, theme: Theme, text: str, pos: tuple[int, int], colour=t.MUTED, width: int = 0
) -> int:
    """A small capitalised section heading (cut to ``width`` if given); returns the y below it."""
    image = (
        theme.fit(text.upper(), "bold", 12, width, colour) if width else theme.text(text.upper(), "bold", 12, colour)
    )
    surface.blit(image, pos)
    return pos[1] + image.get_height() + theme.px(6)


def hints(surface: pygame.Surface, theme: Theme, items: list[tuple[str, str]], rect: pygame.Rect) -> None:
    """A row of key hints like ``[Enter] confirm`` centred in ``rect``."""
    images = []
    for key, words in items:
        images.append((theme.text(key, "bold", 13, t.TEXT), theme.text(words, "sans", 13, t.MUTED)))
    gap, pad = theme.px(18), theme.px(5)
    width = sum(k.get_width() + 2 * pad + theme.px(6) + w.get_width() for k, w in images) + gap * (len(images) - 1)
    x = rect.centerx - width // 2
    for key, words in images:
        box = pygame.Rect(x, rect.centery - key.get_height() // 2 - 2, key.get_width() + 2 * pad, key.get_height() + 4)
        pygame.draw.rect(surface, t.PANEL_HIGH, box, border_radius=4)
        pygame.draw.rect(surface, t.EDGE, box, width=1, border_radius=4)
        surface.blit(key, (x + pad, box.y + 2))
        x = box.right + theme.px(6)
        surface.blit(words, (x, rect.centery - words.get_height() // 2))
        x += words.get_width() + gap


def dim(surface: pygame.Surface, alpha: int = 170) -> None:
    """Darken what is under an overlay."""
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((8, 10, 14, alpha))
    surface.blit(veil, (0, 0))


def chip(surface: pygame.Surface, theme: Theme, text: str, colour, pos: tuple[int, int], size: int = 13) -> pygame.Rect:
    """A small filled label (a role's colour, a status); returns its rect."""
    image = theme.text(text, "bold", size, t.ink_on(colour))
    pad = theme.px(7)
    rect = pygame.Rect(pos[0], pos[1], image.get_width() + 2 * pad, image.get_height() + theme.px(4))
    pygame.draw.rect(surface, colour, rect, border_radius=rect.height // 2)
    surface.blit(image, (rect.x + pad, rect.y + theme.px(2)))
    return rect
