"""The map's look: colours, text sizes, fonts and the small text pieces every map layer uses.

Colours for land are muted and told apart by lightness (so borders stay readable to
colour-blind players); the colours of things that matter in the game (highlight, selection,
units, zones, control) come from the Okabe-Ito set, like the rest of the window.
"""

from __future__ import annotations

import math

import pygame

from game.paths import ASSETS

SUPERSAMPLE = 2
"""Geometry is drawn at twice the size and scaled down once: smooth coasts and lines."""

VIGNETTE = 70
"""Darkening in the corners, as alpha out of 255."""
SEA = (163, 191, 208)
COAST = (112, 146, 168)
WATERLINE = ((176, 202, 217), (190, 213, 226))
RIVER = (118, 160, 190)
LAND = {"RUS": (218, 203, 190), "UKR": (234, 226, 188), "BLR": (208, 216, 190)}
LAND_OTHER = (226, 224, 217)
LAND_TONES = ((226, 224, 217), (232, 228, 210), (220, 222, 212), (230, 220, 206), (222, 216, 204))
"""Fills for countries without their own: neighbours get different tones (see ``land_colour``)."""
REGION_LINE = (190, 174, 154)
BORDER = (120, 104, 92)
BORDER_CASING = (250, 246, 236)
OCCUPIED_TINT = (238, 214, 176)
HATCH = (170, 74, 50, 120)
FRONT = (150, 48, 30)
ROAD = (196, 128, 70)
GRATICULE = (255, 255, 255, 60)
INK = (38, 34, 30)
CITY_INK = (92, 84, 76)
COUNTRY_INK = (120, 106, 92)
OCCUPIED_INK = (140, 50, 32)
WATER_INK = (70, 110, 140)
HALO = (250, 247, 240)
ROUTE = (70, 52, 40)
LEADER = (70, 62, 54)
HIGHLIGHT = (0, 114, 178)
SELECTED = (213, 94, 0)
FRAME = (60, 52, 44)
TOKEN_COLOURS = ((213, 94, 0), (0, 114, 178), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233))
CONTROL_COLOURS = ((213, 94, 0), (0, 114, 178), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233))
AUTHOR_STYLES = {
    "land": {"fill": (226, 224, 217), "line": (150, 140, 128)},
    "water": {"fill": SEA, "line": COAST},
    "area": {"fill": (222, 210, 190), "line": (150, 120, 90)},
    "road": {"line": ROAD},
    "rail": {"line": (90, 84, 80)},
    "river": {"line": RIVER},
    "border": {"line": BORDER},
}
"""How each style of an author's layer is drawn, unless the layer gives its own colour."""
CREDITS = "Map data: Natural Earth. Places: GeoNames, CC BY 4.0"
CREDITS_SHORT = "Natural Earth; GeoNames, CC BY 4.0"
KIND_RANK = {"capital": 0, "city": 1, "base": 2, "town": 3, "site": 4}
FONT_SIZES = {"place": 15, "inset": 12, "city": 12, "country": 16, "small": 11, "water": 12, "tiny": 10}
"""Default text sizes in pixels (DejaVu) at text scale 1.0."""
MIN_FONT_PX = 10


def land_colour(code: str) -> tuple[int, int, int]:
    """A country's fill: its own for the crisis's main countries, else one of a few tones."""
    if code in LAND:
        return LAND[code]
    return LAND_TONES[sum(ord(c) * (i + 3) for i, c in enumerate(code)) % len(LAND_TONES)]


def font_scale(size: tuple[int, int]) -> float:
    """How large the map's default text is for a view of ``size``: 1.0 at about 1100x620."""
    return min(max(math.sqrt(size[0] * size[1] / (1100 * 620)), 0.8), 1.3)


def default_fonts(scale: float = 1.0) -> dict[str, pygame.font.Font]:
    """The bundled DejaVu faces when present, else pygame's own font, at a text scale."""
    faces = {
        "place": "DejaVuSans-Bold.ttf",
        "inset": "DejaVuSans-Bold.ttf",
        "country": "DejaVuSans-Bold.ttf",
        "water": "DejaVuSerif-Italic.ttf",
    }
    fonts = {}
    for role, size in FONT_SIZES.items():
        px = max(round(size * scale), MIN_FONT_PX)
        path = ASSETS / "fonts" / faces.get(role, "DejaVuSans.ttf")
        # pygame's built-in face runs small, so it gets a larger size for the same look.
        fonts[role] = pygame.font.Font(str(path), px) if path.exists() else pygame.font.Font(None, px + 8)
    return fonts


def halo_text(font: pygame.font.Font, text: str, colour, halo=HALO, radius: int = 2) -> pygame.Surface:
    """Text with a soft light outline, readable over any part of the map."""
    ink = font.render(text, True, colour)
    glow = font.render(text, True, halo)
    w, h = ink.get_size()
    out = pygame.Surface((w + 2 * radius, h + 2 * radius), pygame.SRCALPHA)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            if dx * dx + dy * dy <= radius * radius + 1:
                out.blit(glow, (radius + dx, radius + dy))
    out.blit(ink, (radius, radius))
    return out


def name_text(font: pygame.font.Font, text: str, colour, longest: int = 18) -> pygame.Surface:
    """A place's name in halo text, set on two lines (split at a space near its middle) when long."""
    if len(text) <= longest or " " not in text:
        return halo_text(font, text, colour)
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    a = halo_text(font, text[:cut], colour)
    b = halo_text(font, text[cut + 1 :], colour)
    step = font.get_linesize() - 1
    out = pygame.Surface((max(a.get_width(), b.get_width()), step + b.get_height()), pygame.SRCALPHA)
    out.blit(a, a.get_rect(midtop=(out.get_width() // 2, 0)))
    out.blit(b, b.get_rect(midtop=(out.get_width() // 2, step)))
    return out


def spaced_caps(font: pygame.font.Font, text: str, colour, spacing: float = 0.3) -> pygame.Surface:
    """Letter-spaced capitals, the usual style for country names."""
    letters = [halo_text(font, ch, colour, radius=1) for ch in text.upper()]
    gap = int(font.get_height() * spacing)
    width = sum(s.get_width() for s in letters) + gap * (len(letters) - 1)
    out = pygame.Surface((max(width, 1), letters[0].get_height() if letters else 1), pygame.SRCALPHA)
    x = 0
    for s in letters:
        out.blit(s, (x, 0))
        x += s.get_width() + gap
    return out


def two_lines(font: pygame.font.Font, first: str, second: str, colour) -> pygame.Surface:
    """Two centred lines of halo text, set close."""
    a = halo_text(font, first, colour)
    b = halo_text(font, second, colour)
    out = pygame.Surface((max(a.get_width(), b.get_width()), a.get_height() + b.get_height() - 6), pygame.SRCALPHA)
    out.blit(a, a.get_rect(midtop=(out.get_width() // 2, 0)))
    out.blit(b, b.get_rect(midtop=(out.get_width() // 2, a.get_height() - 6)))
    return out


def pill(font: pygame.font.Font, text: str, colour) -> pygame.Surface:
    """A name on a rounded light plate with a coloured edge: labels of things in play."""
    ink = font.render(text, True, INK)
    w, h = ink.get_width() + 8, ink.get_height() + 4
    out = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(out, (*HALO, 235), out.get_rect(), border_radius=h // 2)
    pygame.draw.rect(out, colour, out.get_rect(), width=2, border_radius=h // 2)
    out.blit(ink, (4, 2))
    return out


def hex_colour(text: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    """``#RRGGBB`` as a colour, or ``fallback`` when there is none."""
    if len(text) == 7 and text.startswith("#"):
        try:
            return (int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16))
        except ValueError:
            return fallback
    return fallback
