"""What the map draws over its cached layer each frame: control shading, zones, markers, units;
and the values a front end passes for them (``Overlay``, ``Token``, ``Zone``).

Markers stand over their own place: a row of icons just above its dot when that spot is
free, else the nearest free spot joined to the dot by a leader line, so a marker never sits
on a neighbouring town or its name. The newest marker is captioned. Units sit where they
are on their route; their names find a free spot round them (or further out, with a leader).
Every name here avoids the static layer's names and each other (see ``map_labels``).

Marker and zone layout depends only on the markers and the view, so it is worked out once
and kept; the units' names are placed anew each frame (they glide between turns).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.core import information
from game.core.model import Marker, Scenario
from game.ui import map_style as s
from game.ui.map_icons import marker_icon
from game.ui.map_labels import Placed, Placer, draw_leader


@dataclass(frozen=True)
class Token:
    """A unit or a person on the map, ``t`` of the way (0..1) from one place to another.

    ``shape`` is "unit" (a framed box with crossed diagonals, as on military maps) or
    "person" (a round badge with the label's first letter).
    """

    label: str
    from_place: str
    to_place: str
    t: float = 1.0
    route: str = ""
    colour: tuple[int, int, int] = s.TOKEN_COLOURS[0]
    shape: str = "unit"


@dataclass(frozen=True)
class Zone:
    """A ring of ``km`` around a place: a defence line, a cordon, a no-fly zone."""

    place: str
    km: float
    label: str = ""
    colour: tuple[int, int, int] = (0, 158, 115)


@dataclass(frozen=True)
class Overlay:
    """What changes between frames: units, markers, held areas, and the place under the pointer."""

    tokens: tuple[Token, ...] = ()
    markers: tuple[Marker, ...] = ()
    zones: tuple[Zone, ...] = ()
    highlight: str | None = None
    selected: str | None = None
    marker_labels: bool = True
    recent: int = 3
    """How many of the last markers are drawn full size; the newest of them is named."""
    held: tuple[str, ...] = ()
    """Ids of the scenario's control areas to shade (``held_areas`` works them out)."""


def person_name(label: str) -> str:
    """ "Where Putin is" -> "Putin": the person a where-is variable follows, else the label."""
    words = label.split()
    if len(words) >= 3 and words[0].lower() == "where" and words[-1].lower() == "is":
        return " ".join(words[1:-1])
    return label


def tokens_for(
    scenario: Scenario, before: Sequence[float], after: Sequence[float], t: float = 1.0, routed_only: bool = True
) -> tuple[Token, ...]:
    """A token per place variable, ``t`` of the way from its place in ``before`` to ``after``.

    By default only variables that move along a route (units such as a column) get a token;
    place variables without one (where a person is) are left to the caller.
    """
    tokens = []
    for i, var_id in enumerate(scenario.variable_ids):
        var = scenario.variables[var_id]
        if var.type != "place" or (routed_only and not var.route):
            continue
        a = scenario.place_at(before[i]).id
        b = scenario.place_at(after[i]).id
        colour = s.TOKEN_COLOURS[len(tokens) % len(s.TOKEN_COLOURS)]
        if var.route:
            tokens.append(Token(var.label, a, b, t, var.route, colour))
        else:
            tokens.append(Token(person_name(var.label), a, b, t, "", colour, "person"))
    return tuple(tokens)


def held_areas(state, viewer: str | None) -> tuple[str, ...]:
    """The control areas that hold now, as ``viewer`` may know it (everything for a spectator).

    An area whose condition reads a value the viewer sees only as an estimate, or not at all,
    is not shaded: the map never tells a side what it may not know.
    """
    scenario = state.scenario
    if viewer is None:
        known = set(scenario.variables)
    else:
        known = {seen.variable for seen in information.seen(state, viewer) if seen.kind == "exact"}
    env = state.env
    return tuple(
        area.id
        for area in scenario.control
        if (area.when.names & set(scenario.variables)) <= known and area.when.truth(env)
    )


def role_colour(scenario: Scenario, role: str) -> tuple[int, int, int]:
    """A role's own colour, else one of the palette's by its place in the list of roles."""
    ids = list(scenario.roles)
    fallback = s.CONTROL_COLOURS[ids.index(role) % len(s.CONTROL_COLOURS)] if role in ids else s.CONTROL_COLOURS[0]
    return s.hex_colour(scenario.roles[role].color, fallback) if role in scenario.roles else fallback


OVERLAY_KINDS = ("marker", "caption", "unit", "held")
"""The kinds of names the overlay places (the rest belong to the static layer)."""


@dataclass(frozen=True)
class Sprite:
    """An image to blit at a spot, with the leader line that ties it to its point, if any."""

    image: pygame.Surface
    at: tuple[int, int]
    leader: tuple[tuple[float, float], tuple[float, float]] | None = None

    def draw(self, surface: pygame.Surface, ox: int, oy: int) -> None:
        if self.leader is not None:
            (x0, y0), (x1, y1) = self.leader
            draw_leader(surface, ((x0 + ox, y0 + oy), (x1 + ox, y1 + oy)), s.LEADER, s.HALO)
        surface.blit(self.image, (self.at[0] + ox, self.at[1] + oy))


def marker_row(markers: list[tuple[int, Marker]], recent: set[int], big: int) -> pygame.Surface:
    """The icons of one place's markers side by side: the recent ones full size, older ones small."""
    small = round(big * 0.72)
    sizes = [big if i in recent else small for i, _ in markers]
    row = pygame.Surface((sum(sizes) + 2 * (len(sizes) - 1), big), pygame.SRCALPHA)
    x = 0
    for (_, marker), size in zip(markers, sizes):
        row.blit(marker_icon(marker.kind, size), (x, (big - size) // 2))
        x += size + 2
    return row


def layout_markers(
    placer: Placer,
    positions: dict[str, tuple[float, float]],
    markers: tuple[Marker, ...],
    recent_count: int,
    big: int,
    caption_font: pygame.font.Font,
    captions: bool,
) -> list[Sprite]:
    """Where each place's row of markers, and the newest marker's caption, go."""
    recent = set(range(len(markers) - recent_count, len(markers)))
    newest = max(recent, default=-1)
    by_place: dict[str, dict[str, tuple[int, Marker]]] = {}
    for i, marker in enumerate(markers):
        if marker.place in positions:
            kinds = by_place.setdefault(marker.place, {})
            kinds.pop(marker.kind, None)  # a kind repeated at a place shows once, the latest
            kinds[marker.kind] = (i, marker)
    # The place with the newest marker goes first: it gets the best spot.
    order = sorted(by_place.items(), key=lambda kv: -max(i for i, _ in kv[1].values()))
    sprites: list[Sprite] = []
    for pid, kinds in order:
        group = list(kinds.values())
        row = marker_row(group, recent, big)
        x, y = positions[pid]
        above = pygame.Rect(0, 0, *row.get_size())
        above.midbottom = (round(x), round(y - 7))
        if placer.free(above):
            placer.take(above, "marker", pid)
            sprites.append(Sprite(row, above.topleft))
            box = above
        else:
            found = placer.point(row.get_size(), (x, y), 8, "marker", pid, leader=True, trim=0)
            if found is None:
                continue
            box, placed = found
            sprites.append(Sprite(row, box.topleft, placed.leader))
        latest = next((m for i, m in group if i == newest), None)
        if captions and latest is not None and latest.label:
            text = s.pill(caption_font, latest.label, s.INK)
            spot = placer.point(text.get_size(), box.center, box.w / 2 + 2, "caption", pid, leader=True, trim=0)
            if spot is not None:
                sprites.append(Sprite(text, spot[0].topleft, spot[1].leader))
    return sprites


def token_names(
    placer: Placer,
    items: list[tuple[str, tuple[float, float], pygame.Surface, pygame.Surface]],
    names: list[pygame.Rect] = (),
) -> list[Sprite]:
    """Each unit's icon where it is and its name at a free spot near it.

    An icon that would cover a place's name (a unit standing in a town) moves aside a little,
    away from the name, so both stay readable.
    """
    sprites = []
    for _, (x, y), icon, _ in items:
        rect = icon.get_rect(center=(round(x), round(y)))
        rect = _aside(rect, names)
        placer.block(rect)
        sprites.append(Sprite(icon, rect.topleft))
    for key, (x, y), icon, name in items:
        gap = icon.get_height() / 2 + 1
        found = placer.point(name.get_size(), (x, y), gap, "unit", key, leader=True, trim=0)
        if found is not None:
            sprites.append(Sprite(name, found[0].topleft, found[1].leader))
    return sprites


def _aside(rect: pygame.Rect, names: list[pygame.Rect], most: int = 16) -> pygame.Rect:
    """``rect`` moved off the names it covers, by at most ``most`` pixels each way."""
    for name in names:
        if not rect.colliderect(name):
            continue
        moves = (name.left - rect.right, name.right - rect.left, name.top - rect.bottom, name.bottom - rect.top)
        dx_dy = [(m, 0) for m in moves[:2]] + [(0, m) for m in moves[2:]]
        dx, dy = min(dx_dy, key=lambda d: abs(d[0]) + abs(d[1]))
        if abs(dx) + abs(dy) <= most:
            moved = rect.move(dx, dy)
            if moved.collidelist([n for n in names if n is not name]) < 0:
                rect = moved
    return rect


def dashed_ring(radius: int, colour) -> pygame.Surface:
    """A dashed circle with a faint fill, drawn large and scaled down for smooth edges (large
    rings are drawn at their own size: a supersampled one would take too much memory)."""
    k = 3 if radius <= 300 else 1
    size = 2 * radius + 8
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    c = size * k / 2
    pygame.draw.circle(big, (*colour, 28), (c, c), radius * k)
    dashes = max(12, int(2 * math.pi * radius / 9))
    for i in range(dashes):
        a0 = 2 * math.pi * i / dashes
        a1 = a0 + math.pi / dashes
        pygame.draw.arc(
            big, colour, pygame.Rect(c - radius * k, c - radius * k, 2 * radius * k, 2 * radius * k), a0, a1, 2 * k
        )
    return pygame.transform.smoothscale(big, (size, size)) if k > 1 else big


def shade(points: list[tuple[float, float]], colour, size: tuple[int, int]) -> tuple[pygame.Surface, tuple[int, int]]:
    """A translucent fill with a firm edge over a polygon given in pixels: an area someone holds."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0 = max(int(min(xs)) - 3, 0), max(int(min(ys)) - 3, 0)
    x1, y1 = min(int(max(xs)) + 4, size[0]), min(int(max(ys)) + 4, size[1])
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    k = 2
    big = pygame.Surface((w * k, h * k), pygame.SRCALPHA)
    pts = [((x - x0) * k, (y - y0) * k) for x, y in points]
    if len(pts) >= 3:
        pygame.draw.polygon(big, (*colour, 70), pts)
        pygame.draw.lines(big, (*colour, 230), True, pts, 2 * k)
    return pygame.transform.smoothscale(big, (w, h)), (x0, y0)


def unit_symbol(colour) -> pygame.Surface:
    """A map unit symbol: a framed rectangle with crossed diagonals, as on military maps."""
    k = 4
    w, h = 26, 18
    big = pygame.Surface((w * k, h * k), pygame.SRCALPHA)
    body = pygame.Rect(2 * k, 2 * k, (w - 4) * k, (h - 4) * k)
    pygame.draw.rect(big, (20, 20, 20, 110), body.move(0, k), border_radius=k)
    pygame.draw.rect(big, colour, body, border_radius=k)
    pygame.draw.line(big, (25, 25, 25), body.topleft, body.bottomright, int(1.6 * k))
    pygame.draw.line(big, (25, 25, 25), body.bottomleft, body.topright, int(1.6 * k))
    pygame.draw.rect(big, (25, 25, 25), body, width=int(2 * k), border_radius=k)
    return pygame.transform.smoothscale(big, (w, h))


def person_symbol(letter: str, colour, font: pygame.font.Font) -> pygame.Surface:
    """A round badge in a colour with a letter (the first of a person's name)."""
    k, size = 4, 18
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    c = size * k / 2
    pygame.draw.circle(big, (20, 20, 20, 110), (c, c + k), c - k)
    pygame.draw.circle(big, (25, 25, 25), (c, c), c - k)
    pygame.draw.circle(big, colour, (c, c), c - 2.6 * k)
    icon = pygame.transform.smoothscale(big, (size, size))
    r, g, b = colour
    ink = (25, 25, 25) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (250, 248, 242)
    glyph = font.render(letter.upper(), True, ink)
    icon.blit(glyph, glyph.get_rect(center=(size / 2, size / 2 + 0.5)))
    return icon


def placed_rects(sprites: list[Sprite]) -> list[pygame.Rect]:
    return [sp.image.get_rect(topleft=sp.at) for sp in sprites]


__all__ = ["Overlay", "Placed", "Sprite", "Token", "Zone", "held_areas", "layout_markers", "token_names", "tokens_for"]
