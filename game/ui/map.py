"""The campaign map: a scenario's places and routes on a base map of the region, with units and
markers on top.

Usage::

    view = MapView(scenario, (w, h))                  # optional: fonts=, bounds=, occupation=
    view.draw(surface, topleft, Overlay(tokens=..., markers=..., highlight=place_id))
    view.place_at(mouse_pos, topleft)                 # -> place id or None, for hover and click
    view.resize((w, h))                               # on a window resize
    view.zoom(1.5, around=(mx - x0, my - y0))         # mouse wheel; view.pan(dx, dy); view.reset_view()

Everything that does not change during a match (sea, land, borders, rivers, roads, reference
cities, the scenario's routes and places with their names, scale bar, data credits) is drawn
once per size and zoom level into a cached surface; ``draw`` blits it and adds the cheap
overlay: highlight and selection rings, zones (rings of so many km round a place, such as
Moscow's defence line), unit tokens and markers.

Coordinates: ``to_screen(lat, lon)``, ``place_pos(id)`` and ``route_point(...)`` give pixels in
the map's own frame (0..width, 0..height): add the ``topleft`` you draw at. ``place_at`` takes
screen pixels and that ``topleft``; ``to_geo(pos)`` turns map pixels back into (lat, lon).

Units move along their routes: ``route_point(route_id, from_place, to_place, t)`` gives the
point a share ``t`` (0..1) of the way between two stops, measured in the route's km, so a front
end can animate a token between turns. ``tokens_for(scenario, before, after, t)`` makes a
``Token`` for every place variable with a route from two value vectors (e.g. the state before
and after a move). Markers (``game.core.model.Marker``) show as icons above their place: the
last ``Overlay.recent`` full size, the newest one named, a kind repeated at a place once.

Fonts: pass any of the roles "place", "city", "country", "small", "water", "tiny" as pygame
fonts; the others default to the bundled DejaVu faces (else pygame's font), sized to the view.

Borders are the internationally recognised ones: Crimea is Ukraine, and Russian-occupied
Ukraine (June 2023, approximate line of contact) is hatched and labelled for scenarios set
from 2022 on (Crimea alone from 2014, nothing before). See ``assets/map/ATTRIBUTION.md``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pygame

from game.core.model import Marker, Scenario
from game.ui import geo
from game.ui.map_icons import marker_icon

LAYER_CACHE = 6
"""How many drawn layers (sizes and zoom levels) a view keeps."""
SUPERSAMPLE = 2
"""Geometry is drawn at twice the size and scaled down once: smooth coasts and lines."""

BEYOND = (28, 34, 44)
VIGNETTE = 70
"""Darkening in the corners, as alpha out of 255."""
SEA = (163, 191, 208)
COAST = (112, 146, 168)
WATERLINE = ((176, 202, 217), (190, 213, 226))
RIVER = (118, 160, 190)
LAND = {"RUS": (218, 203, 190), "UKR": (234, 226, 188), "BLR": (208, 216, 190)}
LAND_OTHER = (226, 224, 217)
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
HIGHLIGHT = (0, 114, 178)
SELECTED = (213, 94, 0)
TOKEN_COLOURS = ((213, 94, 0), (0, 114, 178), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233))
CREDITS = "Map data: Natural Earth. Places: GeoNames, CC BY 4.0"
KIND_RANK = {"capital": 0, "city": 1, "base": 2, "town": 3, "site": 4}
FONT_SIZES = {"place": 15, "city": 12, "country": 16, "small": 11, "water": 12, "tiny": 10}
"""Default text sizes in pixels (DejaVu) at text scale 1.0."""
MIN_FONT_PX = 10


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
    colour: tuple[int, int, int] = TOKEN_COLOURS[0]
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
    """What changes between frames: units, markers, and the place under the pointer."""

    tokens: tuple[Token, ...] = ()
    markers: tuple[Marker, ...] = ()
    zones: tuple[Zone, ...] = ()
    highlight: str | None = None
    selected: str | None = None
    marker_labels: bool = True
    recent: int = 3
    """How many of the last markers are drawn full size; the newest of them is named."""


def font_scale(size: tuple[int, int]) -> float:
    """How large the map's default text is for a view of ``size``: 1.0 at about 1100x620."""
    return min(max(math.sqrt(size[0] * size[1] / (1100 * 620)), 0.8), 1.3)


def default_fonts(scale: float = 1.0) -> dict[str, pygame.font.Font]:
    """The bundled DejaVu faces when present, else pygame's own font, at a text scale."""
    faces = {"place": "DejaVuSans-Bold.ttf", "country": "DejaVuSans-Bold.ttf", "water": "DejaVuSerif-Italic.ttf"}
    fonts = {}
    for role, size in FONT_SIZES.items():
        px = max(round(size * scale), MIN_FONT_PX)
        path = geo.ASSETS / "fonts" / faces.get(role, "DejaVuSans.ttf")
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


def occupation_for(year: int) -> str:
    """Which occupied areas a scenario set in ``year`` should show."""
    if year >= 2022:
        return "2023"
    return "crimea" if year >= 2014 else "none"


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
        colour = TOKEN_COLOURS[len(tokens) % len(TOKEN_COLOURS)]
        if var.route:
            tokens.append(Token(var.label, a, b, t, var.route, colour))
        else:
            tokens.append(Token(person_name(var.label), a, b, t, "", colour, "person"))
    return tuple(tokens)


class MapView:
    """A scenario's map at one size: project, draw, and find places under the pointer."""

    def __init__(
        self,
        scenario: Scenario,
        size: tuple[int, int],
        fonts: Mapping[str, pygame.font.Font] | None = None,
        bounds: Sequence[float] | None = None,
        occupation: str | None = None,
    ) -> None:
        """``fonts`` may give any of "place", "city", "country", "small", "water"; the rest
        default. ``bounds`` is [west, south, east, north] in degrees; by default the scenario's
        ``map.bounds`` if the model carries it, else a box around its places with a margin.
        ``occupation`` is which Russian occupation of Ukraine to show: "2023" (Crimea and the
        June 2023 line), "crimea" or "none"; by default it follows the scenario's start date."""
        self.scenario = scenario
        self.occupation = occupation or occupation_for(scenario.calendar.start.year)
        self._given_fonts = dict(fonts or {})
        self._default_fonts: dict[float, dict[str, pygame.font.Font]] = {}
        self.fonts = self._fonts_for(size)
        self.static_builds = 0
        self._layers: OrderedDict[tuple, tuple[pygame.Surface, dict[str, pygame.Rect]]] = OrderedDict()
        self._cache: dict[tuple, pygame.Surface] = {}
        given = bounds or getattr(scenario, "bounds", None) or getattr(scenario, "map_bounds", None)
        if given:
            self.bounds = geo.Bounds(*map(float, given))
        else:
            self.bounds = geo.fit_bounds((p.lat, p.lon) for p in scenario.places.values())
        self.home = self.bounds
        self.size = (0, 0)
        self.resize(size)

    # -- geometry -------------------------------------------------------------------------

    def resize(self, size: tuple[int, int]) -> None:
        """Fit the view to a new size; the layer for a new size is built on the next draw."""
        size = (max(int(size[0]), 16), max(int(size[1]), 16))
        self._fit(size, self.bounds)

    def set_bounds(self, bounds: Sequence[float]) -> None:
        """Show another area: [west, south, east, north] in degrees."""
        self._fit(self.size, geo.Bounds(*map(float, bounds)))

    def zoom(self, factor: float, around: tuple[float, float] | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the point under ``around`` (map pixels) in place.

        Each zoom level is drawn once and kept (the last few levels and sizes are cached), so
        zooming back and forth costs a blit after the first visit.
        """
        b = self.bounds
        lat0, lon0 = b.centre
        lat_a, lon_a = self.to_geo(around) if around is not None else (lat0, lon0)
        half_lat = min(max((b.north - b.south) / 2 / factor, 0.05), 12.0)
        half_lon = half_lat * (b.east - b.west) / (b.north - b.south)
        shrink = half_lat / ((b.north - b.south) / 2)
        lat_c = lat_a + (lat0 - lat_a) * shrink
        lon_c = lon_a + (lon0 - lon_a) * shrink
        self._fit(self.size, geo.Bounds(lon_c - half_lon, lat_c - half_lat, lon_c + half_lon, lat_c + half_lat))

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by a drag of (dx, dy) map pixels."""
        cx, cy = self.size[0] / 2, self.size[1] / 2
        lat, lon = self.to_geo((cx - dx, cy - dy))
        b = self.bounds
        half_lon, half_lat = (b.east - b.west) / 2, (b.north - b.south) / 2
        self._fit(self.size, geo.Bounds(lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat))

    def reset_view(self) -> None:
        """Back to the scenario's own area."""
        self._fit(self.size, self.home)

    def _fit(self, size: tuple[int, int], bounds: geo.Bounds) -> None:
        if size == self.size and bounds == self.bounds and hasattr(self, "projection"):
            return
        if size != self.size:
            self.fonts = self._fonts_for(size)
        self.size = size
        self.bounds = bounds
        self.projection = geo.Projection(bounds, size, pad=min(size) // 24)
        self._places = {pid: self.to_screen(p.lat, p.lon) for pid, p in self.scenario.places.items()}

    def _fonts_for(self, size: tuple[int, int]) -> dict[str, pygame.font.Font]:
        """The caller's fonts, with defaults sized to the view for any role they leave out."""
        scale = round(font_scale(size) * 10) / 10
        # Kept per view, not per process: fonts die with pygame.quit(), views do too.
        if scale not in self._default_fonts:
            self._default_fonts[scale] = default_fonts(scale)
        return {**self._default_fonts[scale], **self._given_fonts}

    @property
    def _key(self) -> tuple:
        return (self.size, self.bounds, self.occupation)

    def to_screen(self, lat: float, lon: float) -> tuple[float, float]:
        """Map pixel coordinates of a point."""
        return self.projection.point(lat, lon)

    def to_geo(self, pos: tuple[float, float]) -> tuple[float, float]:
        """(lat, lon) under a map pixel."""
        return self.projection.inverse(*pos)

    def place_pos(self, place_id: str) -> tuple[float, float]:
        return self._places[place_id]

    def place_at(self, pos: tuple[float, float], topleft: tuple[int, int] = (0, 0), radius: float = 12) -> str | None:
        """The scenario place whose dot or name is under ``pos`` (screen pixels), or None."""
        x, y = pos[0] - topleft[0], pos[1] - topleft[1]
        best, best_d = None, radius
        for pid, (px, py) in self._places.items():
            d = math.hypot(px - x, py - y)
            if d <= best_d:
                best, best_d = pid, d
        if best is None:
            for pid, rect in self._layer()[1].items():
                if rect.collidepoint(x, y):
                    return pid
        return best

    def route_point(self, route_id: str, from_place: str, to_place: str, t: float) -> tuple[float, float]:
        """The point ``t`` (0..1) of the way from one stop to another along a route, by km.

        Stops may be far apart or in either direction along the route. When the route is
        unknown or does not hold both places, the point lies on the straight line between them.
        """
        t = min(max(float(t), 0.0), 1.0)
        route = self.scenario.routes.get(route_id)
        if route is None or from_place not in route.stops or to_place not in route.stops:
            return _lerp(self._places[from_place], self._places[to_place], t)
        i, j = route.stops.index(from_place), route.stops.index(to_place)
        step = 1 if j >= i else -1
        legs = [(route.stops[k], route.stops[k + step], route.km[min(k, k + step)]) for k in range(i, j, step)]
        total = sum(km for _, _, km in legs)
        if total <= 0:
            return self._places[to_place] if t >= 1 else self._places[from_place]
        want = t * total
        for a, b, km in legs:
            if want <= km or (a, b, km) == legs[-1]:
                return _lerp(self._places[a], self._places[b], want / km if km else 1.0)
            want -= km
        return self._places[to_place]

    # -- drawing --------------------------------------------------------------------------

    def static_layer(self) -> pygame.Surface:
        """The cached base map and scenario layer for the current size and view."""
        return self._layer()[0]

    def _layer(self) -> tuple[pygame.Surface, dict[str, pygame.Rect]]:
        key = self._key
        layer = self._layers.get(key)
        if layer is None:
            from game.ui.map_layers import render_static

            layer = self._layers[key] = render_static(self)
            self.static_builds += 1
            if len(self._layers) > LAYER_CACHE:
                self._layers.popitem(last=False)
        else:
            self._layers.move_to_end(key)
        return layer

    def draw(self, surface: pygame.Surface, topleft: tuple[int, int] = (0, 0), overlay: Overlay | None = None) -> None:
        """Blit the cached map at ``topleft`` and draw ``overlay`` on top of it."""
        surface.blit(self.static_layer(), topleft)
        if overlay is None:
            return
        ox, oy = topleft
        for pid, colour in ((overlay.selected, SELECTED), (overlay.highlight, HIGHLIGHT)):
            if pid in self._places:
                self._draw_highlight(surface, pid, colour, ox, oy)
        for zone in overlay.zones:
            self._draw_zone(surface, zone, ox, oy)
        self._draw_markers(surface, overlay, ox, oy)
        for token in overlay.tokens:
            self._draw_token(surface, token, ox, oy)

    def _draw_highlight(self, surface: pygame.Surface, pid: str, colour, ox: int, oy: int) -> None:
        x, y = self._places[pid]
        pygame.draw.circle(surface, colour, (ox + x, oy + y), 11, 3)
        label = self._cached(
            ("hl", pid, colour), lambda: _pill(self.fonts["place"], self.scenario.places[pid].name, colour)
        )
        rect = self._layer()[1].get(pid)
        at = (rect.x - 4, rect.y - 2) if rect else (x + 12, y - label.get_height() // 2)
        surface.blit(label, (ox + at[0], oy + at[1]))

    def _draw_markers(self, surface: pygame.Surface, overlay: Overlay, ox: int, oy: int) -> None:
        """Icons in a row above each place; the latest few full size and named, older ones small.

        A kind repeated at one place shows once, so a long game does not bury its map.
        """
        recent = set(range(len(overlay.markers) - overlay.recent, len(overlay.markers)))
        by_place: dict[str, dict[str, tuple[int, Marker]]] = {}
        for i, marker in enumerate(overlay.markers):
            if marker.place in self._places:
                kinds = by_place.setdefault(marker.place, {})
                kinds.pop(marker.kind, None)
                kinds[marker.kind] = (i, marker)
        big = max(16, round(22 * font_scale(self.size)))
        small = round(big * 0.72)
        for pid, kinds in by_place.items():
            x, y = self._places[pid]
            group = list(kinds.values())
            sizes = [big if i in recent else small for i, _ in group]
            left = x - (sum(sizes) + 2 * (len(sizes) - 1)) / 2
            for (i, marker), size in zip(group, sizes):
                cx, cy = left + size / 2, y - big / 2 - 8
                left += size + 2
                surface.blit(marker_icon(marker.kind, size), (ox + cx - size / 2, oy + cy - size / 2))
                if overlay.marker_labels and marker.label and i == max(recent, default=-1):
                    text = self._cached(("mk", marker.label), lambda m=marker: _pill(self.fonts["small"], m.label, INK))
                    surface.blit(text, (ox + left + 1, oy + cy - text.get_height() / 2))

    def _draw_zone(self, surface: pygame.Surface, zone: Zone, ox: int, oy: int) -> None:
        if zone.place not in self._places:
            return
        radius = max(round(zone.km * self.projection.px_per_km), 4)
        ring = self._cached(("zone", radius, zone.colour, self.size), lambda: _dashed_ring(radius, zone.colour))
        x, y = self._places[zone.place]
        surface.blit(ring, (ox + x - ring.get_width() / 2, oy + y - ring.get_height() / 2))
        if zone.label:
            text = self._cached(
                ("zonel", zone.label, zone.colour), lambda: _pill(self.fonts["small"], zone.label, zone.colour)
            )
            surface.blit(text, (ox + x - text.get_width() / 2, oy + y - radius - text.get_height() - 2))

    def _draw_token(self, surface: pygame.Surface, token: Token, ox: int, oy: int) -> None:
        if token.from_place not in self._places or token.to_place not in self._places:
            return
        x, y = self.route_point(token.route, token.from_place, token.to_place, token.t)
        if token.shape == "person":
            icon = self._cached(("person", token.label[:1], token.colour), lambda: self._person_symbol(token))
        else:
            icon = self._cached(("tok", token.colour), lambda: _unit_symbol(token.colour))
        surface.blit(icon, (ox + x - icon.get_width() / 2, oy + y - icon.get_height() / 2))
        text = self._cached(
            ("tokl", token.label, token.colour), lambda: _pill(self.fonts["small"], token.label, token.colour)
        )
        rect = self._token_label_rect(text.get_size(), x, y, icon.get_height())
        surface.blit(text, rect.move(ox, oy))

    def _person_symbol(self, token: Token) -> pygame.Surface:
        """A round badge in the token's colour with the first letter of its label."""
        k, size = 4, 18
        big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
        c = size * k / 2
        pygame.draw.circle(big, (20, 20, 20, 110), (c, c + k), c - k)
        pygame.draw.circle(big, (25, 25, 25), (c, c), c - k)
        pygame.draw.circle(big, token.colour, (c, c), c - 2.6 * k)
        icon = pygame.transform.smoothscale(big, (size, size))
        r, g, b = token.colour
        ink = (25, 25, 25) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (250, 248, 242)
        letter = self.fonts["small"].render(token.label[:1].upper(), True, ink)
        icon.blit(letter, letter.get_rect(center=(size / 2, size / 2 + 0.5)))
        return icon

    def _token_label_rect(self, size: tuple[int, int], x: float, y: float, icon_h: int) -> pygame.Rect:
        """Below the token, unless a place's name is there: then above, right or left of it."""
        w, h = size
        names = [r.inflate(-4, -4) for r in self._layer()[1].values()]  # less their halo
        half = icon_h / 2
        spots = (
            (x - w / 2, y + half),
            (x - w / 2, y - half - h),
            (x + half + 14, y - h / 2),
            (x - half - 14 - w, y - h / 2),
        )
        rects = [pygame.Rect(round(left), round(top), w, h) for left, top in spots]
        return min(rects, key=lambda r: sum(_area(r.clip(n)) for n in names))

    def _cached(self, key: tuple, make) -> pygame.Surface:
        surface = self._cache.get(key)
        if surface is None:
            surface = self._cache[key] = make()
        return surface


def _area(rect: pygame.Rect) -> int:
    return rect.w * rect.h


def _lerp(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _pill(font: pygame.font.Font, text: str, colour) -> pygame.Surface:
    """A name on a rounded light plate with a coloured edge: the hovered place's label."""
    ink = font.render(text, True, INK)
    w, h = ink.get_width() + 8, ink.get_height() + 4
    out = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(out, (*HALO, 235), out.get_rect(), border_radius=h // 2)
    pygame.draw.rect(out, colour, out.get_rect(), width=2, border_radius=h // 2)
    out.blit(ink, (4, 2))
    return out


def _dashed_ring(radius: int, colour) -> pygame.Surface:
    """A dashed circle with a faint fill, drawn large and scaled down for smooth edges."""
    k = 3
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
    return pygame.transform.smoothscale(big, (size, size))


def _unit_symbol(colour) -> pygame.Surface:
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


__all__ = ["MapView", "Overlay", "Token", "Zone", "default_fonts", "tokens_for"]
