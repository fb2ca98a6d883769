"""Colours, fonts and cached text: the look of the window in one place.

The palette is Okabe–Ito, which stays distinguishable under the common forms of colour
blindness; changes are never told by colour alone (an arrow and a sign go with them). Text is
drawn with the bundled DejaVu fonts so it looks the same on every machine, and every rendered
line or paragraph is cached: fonts are rasterised once per text, never once per frame.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

from game.core.aim import LOST, WON
from game.paths import ASSETS
from game.ui.notes import Notes

FONTS = ASSETS / "fonts"
FACES = {
    "sans": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "serif": "DejaVuSerif.ttf",
    "serif-bold": "DejaVuSerif-Bold.ttf",
    "italic": "DejaVuSerif-Italic.ttf",
    "mono": "DejaVuSansMono.ttf",
}

# Okabe–Ito
BLACK = (0, 0, 0)
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)

# The frame around them
BACKGROUND = (17, 21, 28)
PANEL = (28, 34, 44)
PANEL_HIGH = (38, 46, 59)
EDGE = (58, 68, 84)
TEXT = (234, 231, 224)
MUTED = (150, 160, 172)
FAINT = (96, 104, 116)
ACCENT = ORANGE
FOCUS = SKY
RISE = SKY
FALL = VERMILLION
# good and bad for the side watching (an arrow and a sign always say which way it went)
GOOD = SKY
BAD = VERMILLION
EITHER = YELLOW

CACHE_SIZE = 3000
CACHE_BYTES = 48 * 2**20  # the most memory a cache of rendered text may hold


def hex_colour(text: str, default: tuple[int, int, int] = SKY) -> tuple[int, int, int]:
    """A ``#RRGGBB`` colour from a scenario, or ``default`` when absent or malformed."""
    try:
        value = text.lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except (ValueError, IndexError, AttributeError):
        return default


def change_colour(good: int) -> tuple[int, int, int]:
    """The colour of a change that is good (+1), bad (-1) or neither (0) for the side watching."""
    return GOOD if good > 0 else BAD if good < 0 else EITHER


def outlook_colour(outlook: str) -> tuple[int, int, int]:
    """The colour of an ending that the side watching would win, lose, or cannot tell."""
    return {WON: GOOD, LOST: BAD}.get(outlook, EITHER)


def shade(colour, share: float = 0.28) -> tuple[int, int, int]:
    """``colour`` mixed into the raised panel colour: a quiet tint of it."""
    return tuple(int(p + (c - p) * share) for c, p in zip(colour[:3], PANEL_HIGH))


def luminance(colour) -> float:
    """Relative luminance (0 black .. 1 white), as the WCAG contrast formula defines it."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ink_on(colour) -> tuple[int, int, int]:
    """Light or dark text, whichever reads better on ``colour``."""
    return TEXT if luminance(colour) < 0.2 else BACKGROUND


def readable(colour) -> tuple[int, int, int]:
    """``colour`` lightened, if need be, until text in it reads on the dark panels."""
    r, g, b = colour[:3]
    for _ in range(10):
        if luminance((r, g, b)) >= 0.2:
            break
        r, g, b = (int(v + (255 - v) * 0.2) for v in (r, g, b))
    return (r, g, b)


class Theme:
    """Fonts at one UI scale, and the caches of text drawn with them."""

    def __init__(self, scale: float = 1.0):
        self.scale = max(0.6, min(float(scale), 2.5))
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._lines: _Cache = _Cache()
        self._blocks: _Cache = _Cache()
        self._fits: _Cache = _Cache()
        self._widths: dict[tuple[str, int, str], int] = {}
        self._counts: dict[tuple[str, str, int, int], int] = {}
        self._px: dict[float, int] = {}
        self.notes = Notes()  # this frame's tooltips and shortened texts

    def px(self, value: float) -> int:
        """A length in pixels at this scale."""
        found = self._px.get(value)
        if found is None:
            found = self._px[value] = max(1, int(round(value * self.scale)))
        return found

    def font(self, face: str, size: int) -> pygame.font.Font:
        key = (face, self.px(size))
        font = self._fonts.get(key)
        if font is None:
            font = pygame.font.Font(str(Path(FONTS, FACES[face])), key[1])
            self._fonts[key] = font
        return font

    def line_height(self, face: str, size: int) -> int:
        return self.font(face, size).get_linesize()

    def text(self, text: str, face: str = "sans", size: int = 16, colour=TEXT) -> pygame.Surface:
        """One line of text, rendered once and reused."""
        key = (text, face, size, tuple(colour))
        surface = self._lines.get(key)
        if surface is None:
            surface = self.font(face, size).render(text, True, colour)
            _remember(self._lines, key, surface)
        else:
            self._lines.move_to_end(key)
        return surface

    def fit(self, text: str, face: str, size: int, width: int, colour=TEXT) -> pygame.Surface:
        """One line shortened with an ellipsis to fit ``width`` pixels (noted when it had to be)."""
        key = (text, face, size, width, tuple(colour))
        found = self._fits.get(key)
        if found is None:
            found = self._fitted(text, face, size, width, colour)
            _remember(self._fits, key, found)
        surface, cut = found
        if cut:
            self.notes.cut(text)
        return surface

    def fits(self, text: str, face: str, size: int, width: int) -> bool:
        """Whether ``text`` fits ``width`` pixels on one line."""
        return self.font(face, size).size(text)[0] <= width

    def _fitted(self, text: str, face: str, size: int, width: int, colour) -> tuple[pygame.Surface, bool]:
        font = self.font(face, size)
        if font.size(text)[0] <= width:
            return self.text(text, face, size, colour), False
        # the longest prefix that fits with its ellipsis, found by halving
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if font.size(text[:middle] + "…")[0] <= width:
                low = middle
            else:
                high = middle - 1
        return self.text(text[:low].rstrip() + "…", face, size, colour), True

    def wrap(self, text: str, face: str, size: int, width: int) -> list[str]:
        """``text`` broken into lines no wider than ``width`` pixels (paragraphs kept).

        Words are measured one at a time and added up: measuring whole trial lines costs a text
        shaping pass per word, which made long paragraphs take milliseconds.
        """
        space = self._width(" ", face, size)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()
            if not words:
                lines.append("")
                continue
            current, used = [words[0]], self._width(words[0], face, size)
            for word in words[1:]:
                w = self._width(word, face, size)
                if used + space + w <= width:
                    current.append(word)
                    used += space + w
                else:
                    lines.append(" ".join(current))
                    current, used = [word], w
            lines.append(" ".join(current))
        return lines

    def lines_of(self, text: str, face: str, size: int, width: int) -> int:
        """How many lines ``text`` wraps to at ``width`` pixels."""
        key = (text, face, size, width)
        count = self._counts.get(key)
        if count is None:
            count = len(self.wrap(text, face, size, width))
            if len(self._counts) > CACHE_SIZE:
                self._counts.clear()
            self._counts[key] = count
        return count

    def _width(self, word: str, face: str, size: int) -> int:
        key = (word, size, face)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 20 * CACHE_SIZE:
                self._widths.clear()
            width = self._widths[key] = self.font(face, size).size(word)[0]
        return width

    def block(
        self,
        text: str,
        face: str,
        size: int,
        width: int,
        colour=TEXT,
        max_lines: int = 0,
        spacing: float = 1.15,
        note: bool = True,
    ) -> pygame.Surface:
        """A wrapped paragraph as one cached surface (``max_lines`` > 0 cuts it with an ellipsis).

        A cut paragraph is noted (see :class:`~game.ui.notes.Notes`) unless ``note`` is False.
        """
        width = max(1, width)
        if note and max_lines and self.lines_of(text, face, size, width) > max_lines:
            self.notes.cut(text)
        key = (text, face, size, width, tuple(colour), max_lines, spacing)
        surface = self._blocks.get(key)
        if surface is not None:
            self._blocks.move_to_end(key)
            return surface
        lines = self.wrap(text, face, size, width)
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1].rstrip(" .,;") + "…"
        step = int(self.line_height(face, size) * spacing)
        surface = pygame.Surface((max(1, width), max(1, step * len(lines))), pygame.SRCALPHA)
        for i, line in enumerate(lines):
            if line:
                surface.blit(self.font(face, size).render(line, True, colour), (0, i * step))
        _remember(self._blocks, key, surface)
        return surface


class _Cache(OrderedDict):
    """Rendered texts, the oldest dropped first once there are too many or they take too much memory."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes = 0


def _size(value) -> int:
    surface = value[0] if isinstance(value, tuple) else value
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


def _remember(cache: _Cache, key: tuple, value) -> None:
    if key in cache:
        cache.bytes -= _size(cache.pop(key))
    cache[key] = value
    cache.bytes += _size(value)
    while len(cache) > 1 and (len(cache) > CACHE_SIZE or cache.bytes > CACHE_BYTES):
        _, old = cache.popitem(last=False)
        cache.bytes -= _size(old)
