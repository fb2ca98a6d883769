"""Insets: a magnified corner of the map for places too close together to tell apart.

When several of a scenario's places fall within a few pixels of each other on the main map
(the sites of central Moscow on a map reaching from Leningrad to Crimea), they are drawn in
an inset instead: a framed panel in a free corner at a scale that spreads them out, with its
own scale bar and title, tied by a line to a small box where they lie on the main map.

Which places go in: three or more joined by chains of near neighbours (``NEAR_PX``; two close
places are left to the names' leader lines). The inset's scale puts the closest pair
``SPREAD_PX`` apart, or less if the group would not fit the panel; if the closest pair is then
nearer than ``LEAST_PX``, the outlying member goes back to the main map, until the rest fits.
What is left close together on the main map may form a second inset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from game.core.model import Scenario
from game.ui import geo
from game.ui import map_style as s
from game.ui.map_labels import Placer
from game.ui.map_layers import Sheet, render_geometry
from game.ui.map_names import place_names
from game.ui.map_projection import Projection, choose

NEAR_PX = 16
SPREAD_PX = 44
LEAST_PX = 14
"""The closest two places of an inset may be on it; outliers leave the inset until this holds."""
MARGIN_PX = 34
MAX_SHARE = (0.42, 0.5)
"""The largest inset, as shares of the map's width and height."""


@dataclass
class Inset:
    """A magnified panel: where it stands, what it shows, and where its places are drawn."""

    rect: pygame.Rect
    source: pygame.Rect
    projection: Projection
    members: tuple[str, ...]
    title: str
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    names: dict[str, pygame.Rect] = field(default_factory=dict)
    placer: Placer | None = None

    def draw(self, surface: pygame.Surface, main, placer: Placer, occupation: str) -> None:
        """Draw the panel onto the main layer and block it (and its source box) for the main names."""
        scenario = main.scenario
        local = {pid: self.projection.point(p.lat, p.lon) for pid, p in scenario.places.items()}
        hidden = set(scenario.places) - set(self.members)
        sheet = Sheet(scenario, self.rect.size, self.projection, self.bounds, main.fonts, occupation, local, hidden)
        sheet.inset = True
        image, painter = render_geometry(sheet)
        inner = Placer(self.rect.size)
        title = s.pill(main.fonts["small"], self.title, s.FRAME)
        inner.take(title.get_rect(topleft=(6, 6)), "inset", self.title)
        names = place_names(image, sheet, painter, inner)
        image.blit(title, (6, 6))
        surface.blit(image, self.rect)
        pygame.draw.rect(surface, s.FRAME, self.rect, 2)
        pygame.draw.rect(surface, s.HALO, self.source.inflate(2, 2), 3)
        pygame.draw.rect(surface, s.FRAME, self.source, 1)
        start = _nearest_corner(self.rect, self.source.center)
        end = _nearest_corner(self.source, start)
        pygame.draw.line(surface, s.HALO, start, end, 3)
        pygame.draw.aaline(surface, s.FRAME, start, end)
        dx, dy = self.rect.topleft
        self.positions = {pid: (local[pid][0] + dx, local[pid][1] + dy) for pid in self.members}
        self.names = {pid: rect.move(dx, dy) for pid, rect in names.items()}
        inner.shift(dx, dy)
        self.placer = inner
        placer.block(self.rect.inflate(4, 4))
        placer.block(self.source.inflate(2, 2))
        placer.placed.extend(inner.placed)

    @property
    def bounds(self) -> geo.Bounds:
        return self.projection.bounds


def _nearest_corner(rect: pygame.Rect, to: tuple[float, float]) -> tuple[int, int]:
    corners = (rect.topleft, rect.topright, rect.bottomleft, rect.bottomright)
    return min(corners, key=lambda c: math.hypot(c[0] - to[0], c[1] - to[1]))


def _km(a, b) -> float:
    """Distance in km between two places (a flat approximation, plenty for a few tens of km)."""
    mid = math.radians((a.lat + b.lat) / 2)
    dx = (b.lon - a.lon) * math.cos(mid)
    return math.hypot(dx, b.lat - a.lat) * math.pi * geo.EARTH_RADIUS_KM / 180


def clusters(positions: dict[str, tuple[float, float]]) -> list[list[str]]:
    """Groups of places joined by chains of neighbours nearer than ``NEAR_PX``."""
    ids = list(positions)
    parent = {p: p for p in ids}

    def root(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            (xa, ya), (xb, yb) = positions[a], positions[b]
            if math.hypot(xa - xb, ya - yb) < NEAR_PX:
                parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for p in ids:
        groups.setdefault(root(p), []).append(p)
    return [g for g in groups.values() if len(g) >= 2]


def _qualifies(group: list[str], positions) -> bool:
    return len(group) >= 3


def _fit(scenario: Scenario, group: list[str], room: tuple[int, int]) -> tuple[list[str], float, tuple[int, int]]:
    """The members that fit a panel at most ``room``, its px per km and its size."""
    members = list(group)
    while len(members) >= 2:
        places = [scenario.places[p] for p in members]
        closest = min(_km(a, b) for i, a in enumerate(places) for b in places[i + 1 :])
        lat = sum(p.lat for p in places) / len(places)
        kx = math.cos(math.radians(lat)) * math.pi * geo.EARTH_RADIUS_KM / 180
        ky = math.pi * geo.EARTH_RADIUS_KM / 180
        width_km = max((max(p.lon for p in places) - min(p.lon for p in places)) * kx, 0.05)
        height_km = max((max(p.lat for p in places) - min(p.lat for p in places)) * ky, 0.05)
        ppk = SPREAD_PX / max(closest, 0.01)
        ppk = min(ppk, (room[0] - 2 * MARGIN_PX) / width_km, (room[1] - 2 * MARGIN_PX) / height_km)
        if ppk * closest >= LEAST_PX:
            w = min(room[0], round(width_km * ppk + 2 * MARGIN_PX + 120))
            h = min(room[1], round(height_km * ppk + 2 * MARGIN_PX + 60))
            return members, ppk, (max(w, 160), max(h, 120))
        mid_lat, mid_lon = lat, sum(p.lon for p in places) / len(places)
        far = max(
            members, key=lambda p: (scenario.places[p].lat - mid_lat) ** 2 + (scenario.places[p].lon - mid_lon) ** 2
        )
        members.remove(far)
    return members, 0.0, (0, 0)


def _corner(
    size: tuple[int, int], box: tuple[int, int], source: pygame.Rect, avoid: list[tuple[float, float]], used: list
) -> pygame.Rect:
    """The free corner for a panel of ``box``: covering the fewest places, then nearest its source."""
    w, h = size
    m = 8
    low = 34  # room for the scale bar and the credits along the bottom edge
    spots = [(m, m), (w - box[0] - m, m), (m, h - box[1] - low), (w - box[0] - m, h - box[1] - low)]
    rects = [pygame.Rect(x, y, *box) for x, y in spots]

    def cost(r: pygame.Rect) -> tuple[int, float]:
        covered = sum(1 for x, y in avoid if r.inflate(20, 20).collidepoint(x, y)) + (9 if r.colliderect(source) else 0)
        covered += 99 * sum(1 for u in used if r.inflate(8, 8).colliderect(u))
        return covered, math.hypot(r.centerx - source.centerx, r.centery - source.centery)

    return min(rects, key=cost)


def find_insets(
    scenario: Scenario, size: tuple[int, int], projection: Projection, positions: dict[str, tuple[float, float]], fonts
) -> list[Inset]:
    """The insets a view needs (usually none)."""
    found = []
    taken: set[str] = set()
    room = (int(size[0] * MAX_SHARE[0]), int(size[1] * MAX_SHARE[1]))
    if room[0] < 160 or room[1] < 120:
        return []
    groups = sorted(clusters(positions), key=len, reverse=True)
    while groups:
        group = groups.pop(0)
        if not _qualifies(group, positions) or taken & set(group) or len(found) >= 2:
            continue
        members, ppk, box = _fit(scenario, group, room)
        if ppk <= 0 or not _qualifies(members, positions):
            continue
        pts = [positions[p] for p in members]
        source = pygame.Rect(0, 0, 0, 0)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        source = pygame.Rect(
            round(min(xs)) - 5, round(min(ys)) - 5, round(max(xs) - min(xs)) + 10, round(max(ys) - min(ys)) + 10
        )
        others = [xy for pid, xy in positions.items() if pid not in members and pid not in taken]
        rect = _corner(size, box, source, others, [i.rect for i in found])
        places = [scenario.places[p] for p in members]
        lat = (max(p.lat for p in places) + min(p.lat for p in places)) / 2
        lon = (max(p.lon for p in places) + min(p.lon for p in places)) / 2
        half_lat = rect.h / 2 / ppk / (math.pi * geo.EARTH_RADIUS_KM / 180)
        half_lon = rect.w / 2 / ppk / (math.cos(math.radians(lat)) * math.pi * geo.EARTH_RADIUS_KM / 180)
        bounds = geo.Bounds(lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)
        inset_projection = choose(bounds, rect.size)
        title = _title(scenario, members, bounds, [i.title for i in found])
        found.append(Inset(rect, source, inset_projection, tuple(members), title))
        taken |= set(members)
        rest = [p for p in group if p not in members]
        groups += clusters({p: positions[p] for p in rest})
    return found


def _title(scenario: Scenario, members: list[str], bounds: geo.Bounds, used: list[str]) -> str:
    """The inset's title: the largest town of the base data in it ("Near ..." if another inset
    has that name already), else its first place."""
    near = geo.cities_in(bounds)
    if not near:
        return scenario.places[members[0]].name
    name = near[0].name
    return f"Near {name}" if name in used else name
