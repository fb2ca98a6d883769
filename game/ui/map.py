"""The campaign map: a scenario's places and routes on a base map of its part of the world,
with units, markers, zones and control shading on top.

Usage::

    view = MapView(scenario, (w, h))                  # optional: fonts=, bounds=, occupation=
    view.draw(surface, topleft, Overlay(tokens=..., markers=..., highlight=place_id))
    view.place_at(mouse_pos, topleft)                 # -> place id or None, for hover and click
    view.resize((w, h))                               # on a window resize
    view.zoom(1.5, around=(mx - x0, my - y0))         # mouse wheel; view.pan(dx, dy); view.reset_view()

The area shown is the scenario's ``map.bounds``, else a box round its places; the projection
follows from the area (``map_projection.choose``: conic in the middle latitudes, Mercator in
the tropics, equirectangular for half the world), across the date line too. Reference towns
are the scenario's own ``map.reference_places``, else the world's largest towns in view.

Everything that does not change during a match (sea, land, borders, rivers, roads, the
author's own layers, reference towns, the scenario's routes and places with their names, an
inset for places too close together to tell apart, scale bar, data credits) is drawn once
per size and zoom level into a cached surface; ``draw`` blits it and adds the overlay:
control shading, highlight and selection rings, zones, markers and units. No two names
overlap: ``labels()`` lists every name drawn with its rectangle, for tests and tools.

Coordinates: ``to_screen(lat, lon)``, ``place_pos(id)`` and ``route_point(...)`` give pixels in
the map's own frame (0..width, 0..height): add the ``topleft`` you draw at. A place shown in
an inset has its inset position. ``place_at`` takes screen pixels and that ``topleft``;
``to_geo(pos)`` turns map pixels back into (lat, lon).

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

from game.core.model import Scenario
from game.ui import geo
from game.ui import map_overlay as ov
from game.ui import map_style as s
from game.ui.map_inset import Inset, find_insets
from game.ui.map_labels import Placed, Placer
from game.ui.map_layers import Sheet, render_geometry
from game.ui.map_names import place_names
from game.ui.map_overlay import Overlay, Token, Zone, held_areas, person_name, role_colour, tokens_for
from game.ui.map_projection import choose

LAYER_CACHE = 6
"""How many drawn layers (sizes and zoom levels) a view keeps."""
LAND = s.LAND
OCCUPIED_TINT = s.OCCUPIED_TINT


@dataclass
class Layer:
    """A drawn static layer and what the overlay needs to know about it."""

    surface: pygame.Surface
    names: dict[str, pygame.Rect]
    placer: Placer
    insets: list[Inset]
    hidden: set[str]
    places: dict[str, tuple[float, float]]
    """Where each place is drawn: in its inset if it has one, else on the main map."""

    def placers(self) -> list[tuple[pygame.Rect | None, Placer]]:
        """Fresh copies of the placers an overlay works with: each inset's, then the main map's."""
        found: list[tuple[pygame.Rect | None, Placer]] = [(i.rect, i.placer.copy()) for i in self.insets if i.placer]
        return [*found, (None, self.placer.copy())]


def occupation_for(year: int) -> str:
    """Which occupied areas a scenario set in ``year`` should show."""
    if year >= 2022:
        return "2023"
    return "crimea" if year >= 2014 else "none"


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
        """``fonts`` may give any of "place", "city", "country", "small", "water", "tiny"; the
        rest default. ``bounds`` is [west, south, east, north] in degrees (west > east crosses
        the date line); by default the scenario's ``map.bounds``, else a box round its places.
        ``occupation`` is which Russian occupation of Ukraine to show: "2023" (Crimea and the
        June 2023 line), "crimea" or "none"; by default it follows the scenario's start date."""
        self.scenario = scenario
        self.occupation = occupation or occupation_for(scenario.calendar.start.year)
        self._given_fonts = dict(fonts or {})
        self._default_fonts: dict[float, dict[str, pygame.font.Font]] = {}
        self.fonts = self._fonts_for(size)
        self.static_builds = 0
        self._layers: OrderedDict[tuple, Layer] = OrderedDict()
        self._cache: dict[tuple, pygame.Surface] = {}
        self._marker_layout: tuple[tuple, list[ov.Sprite], list] | None = None
        self._token_layout: tuple[tuple, list[ov.Sprite], list[Placed]] | None = None
        self._last_overlay: list[Placed] = []
        given = bounds or scenario.bounds
        if given:
            self.bounds = geo.Bounds.of(*map(float, given))
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
        self._fit(self.size, geo.Bounds.of(*map(float, bounds)))

    def zoom(self, factor: float, around: tuple[float, float] | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the point under ``around`` (map pixels) in place.

        Each zoom level is drawn once and kept (the last few levels and sizes are cached), so
        zooming back and forth costs a blit after the first visit.
        """
        b = self.bounds
        lat0, lon0 = b.centre
        lat_a, lon_a = self.to_geo(around) if around is not None else (lat0, lon0)
        half_lat = min(max((b.north - b.south) / 2 / factor, 0.01), 60.0)
        half_lon = half_lat * (b.east - b.west) / (b.north - b.south)
        shrink = half_lat / ((b.north - b.south) / 2)
        lat_c = lat_a + (lat0 - lat_a) * shrink
        lon_c = lon_a + (lon0 - lon_a) * shrink
        lat_c = min(max(lat_c, -85 + half_lat), 85 - half_lat) if half_lat < 85 else 0.0
        self._fit(self.size, geo.Bounds(lon_c - half_lon, lat_c - half_lat, lon_c + half_lon, lat_c + half_lat))

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by a drag of (dx, dy) map pixels."""
        cx, cy = self.size[0] / 2, self.size[1] / 2
        lat, lon = self.to_geo((cx - dx, cy - dy))
        b = self.bounds
        half_lon, half_lat = (b.east - b.west) / 2, (b.north - b.south) / 2
        lat = min(max(lat, -85 + half_lat), 85 - half_lat) if half_lat < 85 else 0.0
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
        self.projection = choose(bounds, size, pad=min(size) // 24)
        self._main = {pid: self.to_screen(p.lat, p.lon) for pid, p in self.scenario.places.items()}
        self._marker_layout = None

    def _fonts_for(self, size: tuple[int, int]) -> dict[str, pygame.font.Font]:
        """The caller's fonts, with defaults sized to the view for any role they leave out."""
        scale = round(s.font_scale(size) * 10) / 10
        # Kept per view, not per process: fonts die with pygame.quit(), views do too.
        if scale not in self._default_fonts:
            self._default_fonts[scale] = s.default_fonts(scale)
        return {**self._default_fonts[scale], **self._given_fonts}

    @property
    def _key(self) -> tuple:
        return (self.size, self.bounds, self.occupation)

    def to_screen(self, lat: float, lon: float) -> tuple[float, float]:
        """Map pixel coordinates of a point (on the main map, not in an inset)."""
        return self.projection.point(lat, lon)

    def to_geo(self, pos: tuple[float, float]) -> tuple[float, float]:
        """(lat, lon) under a map pixel."""
        return self.projection.inverse(*pos)

    @property
    def _places(self) -> dict[str, tuple[float, float]]:
        """Where each place is drawn: in its inset if it has one, else on the main map."""
        return self._layer().places

    def place_pos(self, place_id: str) -> tuple[float, float]:
        return self._places[place_id]

    def inset_of(self, place_id: str) -> Inset | None:
        """The inset a place is drawn in, if any."""
        return next((i for i in self._layer().insets if place_id in i.positions), None)

    def place_at(self, pos: tuple[float, float], topleft: tuple[int, int] = (0, 0), radius: float = 12) -> str | None:
        """The scenario place whose dot or name is under ``pos`` (screen pixels), or None."""
        x, y = pos[0] - topleft[0], pos[1] - topleft[1]
        layer = self._layer()
        inside = next((i for i in layer.insets if i.rect.collidepoint(x, y)), None)
        candidates = inside.positions if inside else {p: xy for p, xy in self._places.items() if p not in layer.hidden}
        best, best_d = None, radius
        for pid, (px, py) in candidates.items():
            d = math.hypot(px - x, py - y)
            if d <= best_d:
                best, best_d = pid, d
        if best is None:
            for pid, rect in layer.names.items():
                if pid in candidates and rect.collidepoint(x, y):
                    return pid
        return best

    def route_point(self, route_id: str, from_place: str, to_place: str, t: float) -> tuple[float, float]:
        """The point ``t`` (0..1) of the way from one stop to another along a route, by km.

        Stops may be far apart or in either direction along the route. When the route is
        unknown or does not hold both places, the point lies on the straight line between them.
        Between a place in an inset and one outside, the point runs on the main map.
        """
        places = self._places if self._same_frame(from_place, to_place) else self._main
        t = min(max(float(t), 0.0), 1.0)
        route = self.scenario.routes.get(route_id)
        if route is None or from_place not in route.stops or to_place not in route.stops:
            return _lerp(places[from_place], places[to_place], t)
        i, j = route.stops.index(from_place), route.stops.index(to_place)
        step = 1 if j >= i else -1
        legs = [(route.stops[k], route.stops[k + step], route.km[min(k, k + step)]) for k in range(i, j, step)]
        total = sum(km for _, _, km in legs)
        if total <= 0:
            return places[to_place] if t >= 1 else places[from_place]
        want = t * total
        for a, b, km in legs:
            if want <= km or (a, b, km) == legs[-1]:
                frame = self._places if self._same_frame(a, b) else self._main
                return _lerp(frame[a], frame[b], want / km if km else 1.0)
            want -= km
        return places[to_place]

    def _same_frame(self, a: str, b: str) -> bool:
        return self.inset_of(a) is self.inset_of(b)

    # -- drawing --------------------------------------------------------------------------

    def static_layer(self) -> pygame.Surface:
        """The cached base map and scenario layer for the current size and view."""
        return self._layer().surface

    def labels(self) -> list[Placed]:
        """Every name drawn on the map (the static layer's and the last overlay's), with its rectangle."""
        return [*self._layer().placer.placed, *self._last_overlay]

    def _layer(self) -> Layer:
        key = self._key
        layer = self._layers.get(key)
        if layer is None:
            layer = self._layers[key] = self._build()
            self.static_builds += 1
            if len(self._layers) > LAYER_CACHE:
                self._layers.popitem(last=False)
        else:
            self._layers.move_to_end(key)
        return layer

    def _build(self) -> Layer:
        insets = find_insets(self.scenario, self.size, self.projection, self._main, self.fonts)
        hidden = {pid for inset in insets for pid in inset.members}
        sheet = Sheet(self.scenario, self.size, self.projection, self.bounds, self.fonts, self.occupation, self._main)
        sheet.hidden = hidden
        surface, painter = render_geometry(sheet)
        if pygame.display.get_surface() is not None:
            # The window's own pixel format makes every later blit of this layer a plain copy.
            surface = surface.convert()
        placer = Placer(self.size)
        for inset in insets:
            inset.draw(surface, sheet, placer, self.occupation)
        names = place_names(surface, sheet, painter, placer)
        shown = dict(self._main)
        for inset in insets:
            names.update(inset.names)
            shown.update(inset.positions)
        return Layer(surface, names, placer, insets, hidden, shown)

    def draw(self, surface: pygame.Surface, topleft: tuple[int, int] = (0, 0), overlay: Overlay | None = None) -> None:
        """Blit the cached map at ``topleft`` and draw ``overlay`` on top of it."""
        layer = self._layer()
        surface.blit(layer.surface, topleft)
        self._last_overlay = []
        if overlay is None:
            return
        ox, oy = topleft
        places = self._places
        for area_id in overlay.held:
            self._draw_held(surface, area_id, ox, oy)
        for pid, colour in ((overlay.selected, s.SELECTED), (overlay.highlight, s.HIGHLIGHT)):
            if pid in places:
                self._draw_highlight(surface, pid, colour, ox, oy)
        for zone in overlay.zones:
            self._draw_zone(surface, zone, ox, oy)
        sprites, frames = self._markers(overlay, layer)
        for sprite in sprites:
            sprite.draw(surface, ox, oy)
        for sprite in self._tokens(overlay, layer, frames):
            sprite.draw(surface, ox, oy)

    def _tokens(self, overlay: Overlay, layer: Layer, frames: list) -> list[ov.Sprite]:
        """Units with their names, laid out again only when one has moved a pixel (they glide)."""
        items = self._token_items(overlay.tokens)
        key = (id(frames), tuple((k, round(x), round(y)) for k, (x, y), _, _ in items))
        if self._token_layout is not None and self._token_layout[0] == key:
            self._last_overlay = self._token_layout[2]
            return self._token_layout[1]
        frames = [(rect, placer.copy()) for rect, placer in frames]
        names = list(layer.names.values())
        sprites = []
        for _, placer in frames:
            mine = [it for it in items if _frame_of(frames, it[1]) is placer]
            sprites += ov.token_names(placer, mine, names)
        self._last_overlay = [pl for _, placer in frames for pl in placer.placed if pl.kind in ov.OVERLAY_KINDS]
        self._token_layout = (key, sprites, self._last_overlay)
        return sprites

    def _markers(self, overlay: Overlay, layer: Layer) -> tuple[list[ov.Sprite], list]:
        """The markers' layout, worked out once per set of markers and view: each in its own frame."""
        key = (self._key, overlay.markers, overlay.recent, overlay.marker_labels, overlay.held)
        if self._marker_layout is None or self._marker_layout[0] != key:
            frames = layer.placers()
            big = max(16, round(22 * s.font_scale(self.size)))
            sprites = []
            places = self._places
            for _, placer in frames:
                here = {pid: xy for pid, xy in places.items() if _frame_of(frames, xy) is placer}
                mine = tuple(m for m in overlay.markers if m.place in here)
                sprites += ov.layout_markers(
                    placer, here, mine, overlay.recent, big, self.fonts["small"], overlay.marker_labels
                )
            sprites += self._held_names(overlay.held, frames)
            self._marker_layout = (key, sprites, frames)
        return self._marker_layout[1], self._marker_layout[2]

    def _held_names(self, held: tuple[str, ...], frames: list) -> list[ov.Sprite]:
        """ "Held by ..." beside each shaded area, in the holder's colour, where there is room."""
        sprites = []
        for area in self.scenario.control:
            if area.id not in held:
                continue
            pts = self._held_points(area)
            if not pts:
                continue
            top = min(pts, key=lambda p: p[1])
            role = self.scenario.roles.get(area.holder)
            words = f"Held by {role.name if role else area.holder}"
            text = self._cached(
                ("heldl", area.id),
                lambda w=words, a=area: s.pill(self.fonts["small"], w, role_colour(self.scenario, a.holder)),
            )
            found = _frame_of(frames, top).point(text.get_size(), top, 2, "held", area.id, leader=True, trim=0)
            if found is not None:
                sprites.append(ov.Sprite(text, found[0].topleft, found[1].leader))
        return sprites

    def _token_items(self, tokens: Sequence[Token]) -> list:
        items = []
        places = self._places
        for i, token in enumerate(tokens):
            if token.from_place not in places or token.to_place not in places:
                continue
            at = self.route_point(token.route, token.from_place, token.to_place, token.t)
            if token.shape == "person":
                icon = self._cached(
                    ("person", token.label[:1], token.colour),
                    lambda tk=token: ov.person_symbol(tk.label[:1], tk.colour, self.fonts["small"]),
                )
            else:
                icon = self._cached(("tok", token.colour), lambda tk=token: ov.unit_symbol(tk.colour))
            name = self._cached(
                ("tokl", token.label, token.colour), lambda tk=token: s.pill(self.fonts["small"], tk.label, tk.colour)
            )
            items.append((f"{i}:{token.label}", at, icon, name))
        return items

    def _draw_highlight(self, surface: pygame.Surface, pid: str, colour, ox: int, oy: int) -> None:
        x, y = self._places[pid]
        pygame.draw.circle(surface, colour, (ox + x, oy + y), 11, 3)
        label = self._cached(
            ("hl", pid, colour), lambda: s.pill(self.fonts["place"], self.scenario.places[pid].name, colour)
        )
        rect = self._layer().names.get(pid)
        at = (rect.x - 6, rect.y - 4) if rect else (x + 12, y - label.get_height() // 2)
        surface.blit(label, (ox + at[0], oy + at[1]))

    def _draw_zone(self, surface: pygame.Surface, zone: Zone, ox: int, oy: int) -> None:
        if zone.place not in self._places:
            return
        place = self.scenario.places[zone.place]
        inset = self.inset_of(zone.place)
        proj = inset.projection if inset else self.projection
        # A ring far larger than the view shows nothing of itself: it is capped at that size.
        radius = min(max(round(zone.km * proj.local_px_per_km(place.lat, place.lon)), 4), 2 * max(self.size))
        ring = self._cached(("zone", radius, zone.colour), lambda: ov.dashed_ring(radius, zone.colour))
        x, y = self._places[zone.place]
        surface.blit(ring, (ox + x - ring.get_width() / 2, oy + y - ring.get_height() / 2))
        if zone.label:
            text = self._cached(
                ("zonel", zone.label, zone.colour), lambda: s.pill(self.fonts["small"], zone.label, zone.colour)
            )
            surface.blit(text, (ox + x - text.get_width() / 2, oy + y - radius - text.get_height() - 2))

    def _draw_held(self, surface: pygame.Surface, area_id: str, ox: int, oy: int) -> None:
        """An area someone holds, shaded in the holder's colour (drawn once per view and cached)."""
        area = next((a for a in self.scenario.control if a.id == area_id), None)
        if area is None:
            return
        image, at = self._cached(("held", area_id, self._key), lambda: self._held_image(area))
        if image is not None:
            surface.blit(image, (ox + at[0], oy + at[1]))

    def _held_image(self, area):
        pts = self._held_points(area)
        if not pts:
            return None, (0, 0)
        return ov.shade(pts, role_colour(self.scenario, area.holder), self.size)

    def _held_points(self, area) -> list[tuple[float, float]]:
        """The outline of a control area in map pixels (a circle of 48 points round a place)."""
        if area.shape is not None:
            return [self.projection.point(lat, lon) for lon, lat in area.shape.rings[0]]
        if area.place not in self._places:
            return []
        place = self.scenario.places[area.place]
        inset = self.inset_of(area.place)
        proj = inset.projection if inset else self.projection
        r = min(max(area.km * proj.local_px_per_km(place.lat, place.lon), 6), 2 * max(self.size))
        x, y = self._places[area.place]
        return [(x + r * math.cos(a * math.pi / 24), y + r * math.sin(a * math.pi / 24)) for a in range(48)]

    def _cached(self, key: tuple, make):
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = make()
        return found


def _frame_of(frames: list, at: tuple[float, float]) -> Placer:
    """The placer of the inset a point lies in, else the main map's (always the last)."""
    for rect, placer in frames:
        if rect is not None and rect.collidepoint(at):
            return placer
    return frames[-1][1]


def _lerp(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def default_fonts(scale: float = 1.0) -> dict[str, pygame.font.Font]:
    return s.default_fonts(scale)


__all__ = [
    "MapView",
    "Overlay",
    "Token",
    "Zone",
    "default_fonts",
    "held_areas",
    "occupation_for",
    "person_name",
    "role_colour",
    "tokens_for",
]
