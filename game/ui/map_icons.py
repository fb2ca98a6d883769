"""Marker icons for the map, drawn with pygame primitives: one small round badge per kind.

Colours are Okabe–Ito, and every kind also has its own glyph, so no two kinds are told apart
by colour alone. Icons are drawn at four times their size and scaled down once for smooth
edges, then cached per (kind, size).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import pygame

INK = (24, 24, 24)
WHITE = (250, 248, 242)
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "aircraft": (0, 114, 178),
    "fire": (213, 94, 0),
    "roadblock": (230, 159, 0),
    "bridge": (86, 180, 233),
    "defence": (0, 158, 115),
    "clash": (213, 94, 0),
    "deal": (204, 121, 167),
    "flag": (240, 228, 66),
    "death": (40, 40, 40),
    "speech": (86, 180, 233),
    "generic": (110, 110, 110),
}
SUPERSAMPLE = 4


def _glyph_colour(kind: str) -> tuple[int, int, int]:
    """Dark ink on the light badges (yellow, sky), white on the rest, for contrast."""
    return INK if kind in ("flag", "bridge", "speech", "roadblock") else WHITE


def _pts(c: float, r: float, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points given in a unit box (-1..1) placed around centre ``c`` with radius ``r``."""
    return [(c + x * r, c + y * r) for x, y in points]


def _aircraft(s: pygame.Surface, c: float, r: float, ink) -> None:
    body = [(0, -0.8), (0.1, -0.6), (0.1, -0.15), (0.75, 0.2), (0.75, 0.35), (0.1, 0.15), (0.08, 0.55), (0.3, 0.72),
            (0.3, 0.82), (0, 0.74), (-0.3, 0.82), (-0.3, 0.72), (-0.08, 0.55), (-0.1, 0.15), (-0.75, 0.35), (-0.75, 0.2),
            (-0.1, -0.15), (-0.1, -0.6)]  # fmt: skip
    pygame.draw.polygon(s, ink, _pts(c, r, body))


def _fire(s: pygame.Surface, c: float, r: float, ink) -> None:
    flame = [(0, -0.85), (0.3, -0.35), (0.55, 0.1), (0.5, 0.5), (0.2, 0.78), (-0.2, 0.78), (-0.5, 0.5), (-0.55, 0.05),
             (-0.3, -0.2), (-0.1, 0.05)]  # fmt: skip
    pygame.draw.polygon(s, ink, _pts(c, r, flame))


def _roadblock(s: pygame.Surface, c: float, r: float, ink) -> None:
    bar = pygame.Rect(0, 0, int(1.5 * r), int(0.5 * r))
    bar.center = (int(c), int(c - 0.1 * r))
    pygame.draw.rect(s, ink, bar, width=max(2, int(r * 0.12)))
    for k in (-0.4, 0.1):
        x = c + k * r
        pygame.draw.line(s, ink, (x, c + 0.15 * r), (x + 0.3 * r, c - 0.35 * r), max(2, int(r * 0.14)))
    for k in (-0.5, 0.5):
        pygame.draw.line(s, ink, (c + k * r, c + 0.15 * r), (c + k * r, c + 0.7 * r), max(2, int(r * 0.14)))


def _bridge(s: pygame.Surface, c: float, r: float, ink) -> None:
    """A deck on an arch over a wave."""
    w = max(2, int(r * 0.18))
    pygame.draw.line(s, ink, (c - 0.85 * r, c - 0.3 * r), (c + 0.85 * r, c - 0.3 * r), w)
    arch = pygame.Rect(c - 0.6 * r, c - 0.3 * r, 1.2 * r, 1.1 * r)
    pygame.draw.arc(s, ink, arch, 0, math.pi, int(w * 1.3))
    for k in (-0.6, 0.6):
        pygame.draw.line(s, ink, (c + k * r, c - 0.3 * r), (c + k * r, c + 0.25 * r), w)
    wave = [(c + (i / 8 - 0.5) * 1.5 * r, c + 0.55 * r + math.sin(i * math.pi / 2) * 0.1 * r) for i in range(9)]
    pygame.draw.lines(s, ink, False, wave, max(1, int(w * 0.8)))


def _defence(s: pygame.Surface, c: float, r: float, ink) -> None:
    shield = [(0, -0.8), (0.62, -0.55), (0.55, 0.15), (0, 0.82), (-0.55, 0.15), (-0.62, -0.55)]
    pygame.draw.polygon(s, ink, _pts(c, r, shield))


def _clash(s: pygame.Surface, c: float, r: float, ink) -> None:
    w = max(2, int(r * 0.2))
    for sign in (-1, 1):
        pygame.draw.line(s, ink, (c - 0.6 * r * sign, c - 0.6 * r), (c + 0.6 * r * sign, c + 0.6 * r), w)
        pygame.draw.line(s, ink, (c + 0.3 * r * sign, c + 0.65 * r), (c + 0.65 * r * sign, c + 0.3 * r), w)


def _deal(s: pygame.Surface, c: float, r: float, ink) -> None:
    w = max(2, int(r * 0.16))
    for dx in (-0.28, 0.28):
        pygame.draw.circle(s, ink, (c + dx * r, c), int(0.45 * r), w)


def _flag(s: pygame.Surface, c: float, r: float, ink) -> None:
    pygame.draw.line(s, ink, (c - 0.45 * r, c - 0.75 * r), (c - 0.45 * r, c + 0.8 * r), max(2, int(r * 0.14)))
    pygame.draw.polygon(s, ink, _pts(c, r, [(-0.45, -0.75), (0.65, -0.45), (-0.45, -0.1)]))


def _death(s: pygame.Surface, c: float, r: float, ink) -> None:
    w = max(2, int(r * 0.22))
    pygame.draw.line(s, ink, (c, c - 0.75 * r), (c, c + 0.8 * r), w)
    pygame.draw.line(s, ink, (c - 0.45 * r, c - 0.3 * r), (c + 0.45 * r, c - 0.3 * r), w)


def _speech(s: pygame.Surface, c: float, r: float, ink) -> None:
    box = pygame.Rect(0, 0, int(1.5 * r), int(1.0 * r))
    box.center = (int(c), int(c - 0.12 * r))
    pygame.draw.rect(s, ink, box, border_radius=int(0.3 * r))
    pygame.draw.polygon(s, ink, _pts(c, r, [(-0.35, 0.3), (-0.05, 0.3), (-0.45, 0.75)]))


def _generic(s: pygame.Surface, c: float, r: float, ink) -> None:
    pygame.draw.line(s, ink, (c, c - 0.65 * r), (c, c + 0.2 * r), max(2, int(r * 0.24)))
    pygame.draw.circle(s, ink, (c, c + 0.55 * r), max(2, int(r * 0.14)))


GLYPHS: dict[str, Callable[[pygame.Surface, float, float, tuple[int, int, int]], None]] = {
    "aircraft": _aircraft,
    "fire": _fire,
    "roadblock": _roadblock,
    "bridge": _bridge,
    "defence": _defence,
    "clash": _clash,
    "deal": _deal,
    "flag": _flag,
    "death": _death,
    "speech": _speech,
    "generic": _generic,
}


@cache
def marker_icon(kind: str, size: int = 22) -> pygame.Surface:
    """A round badge ``size`` pixels across for a marker kind (unknown kinds look generic)."""
    if kind not in GLYPHS:
        kind = "generic"
    big = size * SUPERSAMPLE
    surface = pygame.Surface((big, big), pygame.SRCALPHA)
    c = big / 2
    pygame.draw.circle(surface, (20, 20, 20, 110), (c, c + SUPERSAMPLE), big / 2 - SUPERSAMPLE)
    pygame.draw.circle(surface, INK, (c, c), big / 2 - SUPERSAMPLE)
    pygame.draw.circle(surface, KIND_COLOURS[kind], (c, c), big / 2 - 2.2 * SUPERSAMPLE)
    GLYPHS[kind](surface, c, big * 0.3, _glyph_colour(kind))
    return pygame.transform.smoothscale(surface, (size, size))
