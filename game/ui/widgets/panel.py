"""Drawing helpers shared by every scene: panels, headings, key hints, dimming."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.theme import Theme


def panel(
    surface: pygame.Surface, rect: pygame.Rect, colour=t.PANEL, edge=t.EDGE, radius: int = 6, theme: Theme | None = None
) -> None:
    """A rounded panel with a one-pixel edge (noted in ``theme``'s notes when given)."""
    if theme is not None:
        theme.notes.panel(rect)
    pygame.draw.rect(surface, colour, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, width=1, border_radius=radius)


def heading(
    surface: pygame.Surface, theme: Theme, text: str, pos: tuple[int, int], colour=t.MUTED, width: int = 0
) -> int:
    """A small capitalised section heading (cut to ``width`` if given); returns the y below it."""
    if width:
        rect = label(surface, theme, text.upper(), "bold", 12, width, colour, pos)
    else:
        rect = surface.blit(theme.text(text.upper(), "bold", 12, colour), pos)
    return pos[1] + rect.height + theme.px(6)


def label(
    surface: pygame.Surface,
    theme: Theme,
    text: str,
    face: str,
    size: int,
    width: int,
    colour,
    pos: tuple[int, int],
    tip: str = "",
) -> pygame.Rect:
    """One line of text within ``width``; shortened, it shows the whole (or ``tip``) as a tooltip."""
    image = theme.fit(text, face, size, max(1, width), colour)
    rect = pygame.Rect(pos, image.get_size())
    surface.blit(image, rect)
    theme.notes.box(rect, text)
    if tip or not theme.fits(text, face, size, width):
        theme.notes.tip(rect, tip or text)
    return rect


def paragraph(
    surface: pygame.Surface,
    theme: Theme,
    text: str,
    face: str,
    size: int,
    width: int,
    colour,
    pos: tuple[int, int],
    max_lines: int = 0,
    spacing: float = 1.15,
    tip: str = "",
) -> pygame.Rect:
    """A wrapped paragraph; cut after ``max_lines``, it shows the whole (or ``tip``) as a tooltip."""
    image = theme.block(text, face, size, width, colour, max_lines=max_lines, spacing=spacing)
    rect = pygame.Rect(pos, image.get_size())
    surface.blit(image, rect)
    theme.notes.box(rect, text)
    if tip or (max_lines and theme.lines_of(text, face, size, max(1, width)) > max_lines):
        theme.notes.tip(rect, tip or text)
    return rect


def lines_that_fit(theme: Theme, face: str, size: int, height: int, spacing: float = 1.15) -> int:
    """How many lines of a paragraph fit in ``height`` pixels (at least one)."""
    return max(1, height // max(1, int(theme.line_height(face, size) * spacing)))


def hints(surface: pygame.Surface, theme: Theme, items: list[tuple[str, str]], rect: pygame.Rect) -> None:
    """A row of key hints like ``[Enter] confirm`` centred in ``rect``.

    Hints that do not fit are left out from the end, and a "…" stands for them: pointing at it
    lists them all.
    """
    gap, pad = theme.px(18), theme.px(5)
    images = [(theme.text(k, "bold", 13, t.TEXT), theme.text(w, "sans", 13, t.MUTED)) for k, w in items]
    sizes = [k.get_width() + 2 * pad + theme.px(6) + w.get_width() for k, w in images]
    rest = theme.text("…", "bold", 13, t.TEXT)
    count = len(images)
    while count and sum(sizes[:count]) + gap * count + (rest.get_width() if count < len(images) else 0) > rect.width:
        count -= 1
    shown = images[:count]
    width = sum(sizes[:count]) + gap * max(0, count - 1) + (gap + rest.get_width() if count < len(images) else 0)
    x = rect.centerx - width // 2
    for (name, meaning), (key, words) in zip(items, shown):
        box = pygame.Rect(x, rect.centery - key.get_height() // 2 - 2, key.get_width() + 2 * pad, key.get_height() + 4)
        pygame.draw.rect(surface, t.PANEL_HIGH, box, border_radius=4)
        pygame.draw.rect(surface, t.EDGE, box, width=1, border_radius=4)
        surface.blit(key, (x + pad, box.y + 2))
        x = box.right + theme.px(6)
        at = pygame.Rect(x, rect.centery - words.get_height() // 2, words.get_width(), words.get_height())
        surface.blit(words, at)
        theme.notes.box(box.union(at), f"{name} {meaning}")
        x += words.get_width() + gap
    if count < len(images):
        at = pygame.Rect(x, rect.centery - rest.get_height() // 2, rest.get_width(), rest.get_height())
        surface.blit(rest, at)
        theme.notes.tip(at.inflate(theme.px(10), theme.px(10)), "\n".join(f"{k}: {w}" for k, w in items))


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


def draw_tip(surface: pygame.Surface, theme, text: str, pos: tuple[int, int]) -> None:
    """A tooltip box near ``pos``, kept inside the window."""
    w, h = surface.get_size()
    width = min(theme.px(380), max(theme.px(120), w - theme.px(20)))
    body = theme.block(text, "sans", 13, width - theme.px(20), t.TEXT, max_lines=18, note=False)
    box = pygame.Rect(0, 0, min(width, body.get_width() + theme.px(20)), body.get_height() + theme.px(14))
    box.topleft = (pos[0] + theme.px(14), pos[1] + theme.px(18))
    if box.right > w - 4:
        box.right = pos[0] - theme.px(6)
    if box.bottom > h - 4:
        box.bottom = pos[1] - theme.px(6)
    box.clamp_ip(surface.get_rect())
    pygame.draw.rect(surface, t.PANEL_HIGH, box, border_radius=5)
    pygame.draw.rect(surface, t.FOCUS, box, width=1, border_radius=5)
    surface.blit(body, (box.x + theme.px(10), box.y + theme.px(7)))
