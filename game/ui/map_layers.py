"""The map's static layer: everything a ``MapView`` draws once per size.

Geometry (water, land, occupied areas, lines, routes, dots) is drawn at ``SUPERSAMPLE`` times
the size and scaled down once, which gives smooth edges without an antialiasing rasteriser;
text is drawn afterwards at the final size so it stays crisp. Labels are placed greedily, most
important first, and a label that would overlap another is left out rather than cluttering.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.ui import geo
from game.ui import map as m

if TYPE_CHECKING:
    from game.ui.map import MapView

RIVER_LABELS = ("Volga", "Don", "Dnieper", "Oka", "Seversky Donets", "Desna", "Khoper", "Moskva")
AREA_NUDGES = ((0, 0), (0, -22), (0, 22), (-36, 0), (36, 0))
LABEL_OFFSETS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))


class Painter:
    """Projects stored geometry and draws it on the supersampled canvas."""

    def __init__(self, view: MapView) -> None:
        self.view = view
        self.k = m.SUPERSAMPLE
        w, h = view.size
        self.canvas = pygame.Surface((w * self.k, h * self.k))
        self.data = geo.basemap()
        self.scale = float(self.data["scale"])
        self.view_rect = pygame.Rect(0, 0, w * self.k, h * self.k)

    def points(self, flat: list[int]) -> np.ndarray | None:
        """Canvas points of a stored ring or line, or None when wholly outside the view."""
        lon, lat = geo.ring_lonlat(flat, self.scale)
        x, y = self.view.projection.project(lon, lat)
        x *= self.k
        y *= self.k
        pad = 8 * self.k
        if x.max() < -pad or y.max() < -pad or x.min() > self.view_rect.w + pad or y.min() > self.view_rect.h + pad:
            return None
        return np.column_stack((x, y))

    def fill(self, polys: list[list[list[int]]], colour, target: pygame.Surface | None = None, origin=(0, 0)) -> None:
        """Fill polygons; on a ``target`` whose top left corner sits at ``origin`` on the canvas."""
        for rings in polys:
            pts = self.points(rings[0])
            if pts is not None and len(pts) >= 3:
                pygame.draw.polygon(target or self.canvas, colour, (pts - origin).tolist())

    def extent(self, polys: list[list[list[int]]]) -> pygame.Rect:
        """The canvas rectangle the polygons cover (clipped to the canvas)."""
        boxes = []
        for rings in polys:
            pts = self.points(rings[0])
            if pts is not None:
                lo, hi = pts.min(axis=0), pts.max(axis=0)
                boxes.append(
                    pygame.Rect(int(lo[0]) - 2, int(lo[1]) - 2, int(hi[0] - lo[0]) + 4, int(hi[1] - lo[1]) + 4)
                )
        if not boxes:
            return pygame.Rect(0, 0, 0, 0)
        return boxes[0].unionall(boxes[1:]).clip(self.view_rect)

    def stroke(self, lines: list[list[int]], colour, width: float, target: pygame.Surface | None = None) -> None:
        w = max(1, round(width * self.k))
        for line in lines:
            pts = self.points(line)
            if pts is not None and len(pts) >= 2:
                _thick_line(target or self.canvas, colour, pts, w)


def _thick_line(surface: pygame.Surface, colour, pts: np.ndarray, width: int) -> None:
    """A polyline with round joins (pygame's wide lines leave notches at corners)."""
    points = pts.tolist()
    pygame.draw.lines(surface, colour, False, points, width)
    if width > 2:
        r = width / 2
        for p in points:
            pygame.draw.circle(surface, colour, p, r)


def _dashed(
    surface: pygame.Surface, colour, points: list[tuple[float, float]], width: int, dash: float, gap: float
) -> None:
    """A dashed polyline whose pattern runs on across corners."""
    on, left = True, dash
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < seg:
            step = min(left, seg - pos)
            if on:
                a = (x0 + (x1 - x0) * pos / seg, y0 + (y1 - y0) * pos / seg)
                b = (x0 + (x1 - x0) * (pos + step) / seg, y0 + (y1 - y0) * (pos + step) / seg)
                pygame.draw.line(surface, colour, a, b, width)
                pygame.draw.circle(surface, colour, a, width / 2)
                pygame.draw.circle(surface, colour, b, width / 2)
            pos += step
            left -= step
            if left <= 1e-9:
                on = not on
                left = dash if on else gap


def render_static(view: MapView) -> tuple[pygame.Surface, dict[str, pygame.Rect]]:
    """The whole static layer at ``view.size`` and the rectangles of the places' names."""
    p = Painter(view)
    _base(p)
    _occupied(p)
    _lines(p)
    _graticule(p)
    # The shading is smooth, so a quarter-size one scaled up looks the same and costs little.
    small = (max(view.size[0] // 4, 2), max(view.size[1] // 4, 2))
    p.canvas.blit(pygame.transform.smoothscale(_vignette(small), p.canvas.get_size()), (0, 0))
    _beyond(p)
    _scenario(p)
    surface = pygame.transform.smoothscale(p.canvas, view.size)
    if pygame.display.get_surface() is not None:
        # The window's own pixel format makes every later blit of this layer a plain copy.
        surface = surface.convert()
    labels = Labels(view)
    labels.taken += [_scale_bar(surface, view), _credits(surface, view)]
    rects = labels.places(surface)
    labels.cities(surface)
    labels.areas(surface, p.data)
    labels.rivers(surface, p.data)
    labels.waters(surface, p.data)
    return surface, rects


def _sheet_outline(p: Painter) -> list[tuple[float, float]]:
    """The edge of the data's lon/lat box on the canvas (a curved trapezoid in this projection)."""
    west, south, east, north = p.data["bbox"]
    t = np.linspace(0.0, 1.0, 40)
    lons = np.concatenate([west + (east - west) * t, np.full(40, east), east - (east - west) * t, np.full(40, west)])
    lats = np.concatenate(
        [np.full(40, south), south + (north - south) * t, np.full(40, north), north - (north - south) * t]
    )
    x, y = p.view.projection.project(lons, lats)
    return np.column_stack((x * p.k, y * p.k)).tolist()


def _vignette(size: tuple[int, int]) -> pygame.Surface:
    """A faint darkening towards the corners that draws the eye to the middle of the map."""
    w, h = size
    x = (np.arange(w) - w / 2) / (w / 2)
    y = (np.arange(h) - h / 2) / (h / 2)
    r = np.sqrt(x[:, None] ** 2 + y[None, :] ** 2) / math.sqrt(2)
    alpha = (np.clip((r - 0.45) / 0.55, 0.0, 1.0) ** 2 * m.VIGNETTE).astype(np.uint8)
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill((20, 16, 10, 0))
    pygame.surfarray.pixels_alpha(shade)[:] = alpha
    return shade


def _beyond(p: Painter) -> None:
    """Paint over whatever strayed past the sheet's edge (round line ends, shore bands).

    One polygon runs round the canvas and back round the sheet the other way: a frame with a
    sheet-shaped hole.
    """
    w, h = p.canvas.get_size()
    sheet = _sheet_outline(p)
    frame = [(-4, -4), (w + 4, -4), (w + 4, h + 4), (-4, h + 4), (-4, -4), *sheet, sheet[0], (-4, -4)]
    pygame.draw.polygon(p.canvas, m.BEYOND, frame)


def _base(p: Painter) -> None:
    """Beyond the data's box the map is the panel's colour; the box is a sheet.

    The sea is the box less the land, so the sheet is filled with sea and the land drawn on it.
    """
    p.canvas.fill(m.BEYOND)
    pygame.draw.polygon(p.canvas, m.SEA, _sheet_outline(p))
    d = p.data
    # Light bands along the shore, half of them hidden under the land: the classic waterline.
    p.stroke(d["coasts"], m.WATERLINE[0], 7.0)
    p.stroke(d["coasts"], m.WATERLINE[1], 3.5)
    for country in d["land"]:
        p.fill(country["polys"], m.LAND.get(country["iso"], m.LAND_OTHER))


def occupied_areas(view: MapView, data: dict) -> list[dict]:
    """The occupied areas this view shows (none before 2014, Crimea alone until 2022)."""
    if view.occupation == "none":
        return []
    return [a for a in data["occupied"] if view.occupation == "2023" or a["id"] == "crimea"]


def _occupied(p: Painter) -> None:
    """Occupied Ukraine: a warm tint under diagonal hatching, bounded by the line of contact."""
    areas = occupied_areas(p.view, p.data)
    if not areas:
        return
    for area in areas:
        p.fill(area["polys"], m.OCCUPIED_TINT)
    # Only the rectangle the areas cover gets the (costly) alpha surfaces.
    box = p.extent([poly for area in areas for poly in area["polys"]])
    if box.w <= 0 or box.h <= 0:
        return
    w, h = box.size
    hatch = pygame.Surface((w, h), pygame.SRCALPHA)
    gap = 7 * p.k
    shift = (box.x + box.y) % gap  # keeps the stripes in step with the canvas, whatever the box
    for x in range(-h - shift, w, gap):
        pygame.draw.line(hatch, m.HATCH, (x, h), (x + h, 0), p.k)
    mask = pygame.Surface((w, h), pygame.SRCALPHA)
    mask.fill((0, 0, 0, 0))
    for area in areas:
        p.fill(area["polys"], (255, 255, 255, 255), target=mask, origin=box.topleft)
    hatch.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
    p.canvas.blit(hatch, box)


def _lines(p: Painter) -> None:
    d = p.data
    for water in d["water"]:
        if water["water"] != "sea":
            p.fill(water["polys"], m.SEA)
    for river in d["rivers"]:
        p.stroke(river["lines"], m.RIVER, 1.6 if river["rank"] <= 5 else 1.0)
    p.stroke(d["coasts"], m.COAST, 0.8)
    p.stroke(d["region_lines"], m.REGION_LINE, 0.7)
    p.stroke(d["borders"], m.BORDER_CASING, 3.2)
    p.stroke(d["borders"], m.BORDER, 1.3)
    if p.view.occupation == "2023":
        for front in d["front"]:
            p.stroke(front["lines"], m.FRONT, 1.6)
    for road in d["roads"]:
        p.stroke(road["lines"], m.HALO, 2.4)
        p.stroke(road["lines"], m.ROAD, 1.2)


def _graticule(p: Painter) -> None:
    """Faint parallels and meridians every few degrees, on the data's sheet only."""
    b = p.view.bounds
    span = max(b.east - b.west, b.north - b.south)
    step = 1 if span < 9 else 2 if span < 18 else 5
    west, south, east, north = p.data["bbox"]
    layer = pygame.Surface(p.canvas.get_size(), pygame.SRCALPHA)
    proj = p.view.projection
    t = np.linspace(0, 1, 60)
    for lon in range(math.ceil(west / step) * step, east + 1, step):
        x, y = proj.project(np.full(60, float(lon)), south + (north - south) * t)
        pygame.draw.lines(layer, m.GRATICULE, False, np.column_stack((x * p.k, y * p.k)).tolist(), p.k)
    for lat in range(math.ceil(south / step) * step, north + 1, step):
        x, y = proj.project(west + (east - west) * t, np.full(60, float(lat)))
        pygame.draw.lines(layer, m.GRATICULE, False, np.column_stack((x * p.k, y * p.k)).tolist(), p.k)
    p.canvas.blit(layer, (0, 0))


def _scenario(p: Painter) -> None:
    """The scenario's routes (dashed) and places (dots by kind)."""
    view = p.view
    k = p.k
    for route in view.scenario.routes.values():
        pts = [(view.place_pos(s)[0] * k, view.place_pos(s)[1] * k) for s in route.stops]
        if len(pts) >= 2:
            pygame.draw.lines(p.canvas, m.HALO, False, pts, 5 * k)
            for q in pts:
                pygame.draw.circle(p.canvas, m.HALO, q, 2.5 * k)
            _dashed(p.canvas, m.ROUTE, pts, 2 * k, 7 * k, 4 * k)
    for pid, place in view.scenario.places.items():
        x, y = view.place_pos(pid)
        _place_dot(p.canvas, place.kind, x * k, y * k, k)


def _place_dot(surface: pygame.Surface, kind: str, x: float, y: float, k: int) -> None:
    """Capital: ringed dot; base: square; site: diamond; city and town: dots of two sizes."""
    if kind == "capital":
        pygame.draw.circle(surface, m.HALO, (x, y), 8 * k)
        pygame.draw.circle(surface, m.INK, (x, y), 7 * k, int(1.5 * k))
        pygame.draw.circle(surface, m.INK, (x, y), 4 * k)
    elif kind == "base":
        pygame.draw.rect(surface, m.HALO, pygame.Rect(x - 6 * k, y - 6 * k, 12 * k, 12 * k))
        pygame.draw.rect(surface, m.INK, pygame.Rect(x - 4.5 * k, y - 4.5 * k, 9 * k, 9 * k))
    elif kind == "site":
        r = 6 * k
        pygame.draw.polygon(surface, m.HALO, [(x, y - r - k), (x + r + k, y), (x, y + r + k), (x - r - k, y)])
        pygame.draw.polygon(surface, m.INK, [(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
    else:
        r = 5 * k if kind == "city" else 4 * k
        pygame.draw.circle(surface, m.HALO, (x, y), r + 1.5 * k)
        pygame.draw.circle(surface, m.INK, (x, y), r)


class Labels:
    """Greedy label placement at the final size: each label takes the first free spot."""

    def __init__(self, view: MapView) -> None:
        self.view = view
        self.taken: list[pygame.Rect] = []
        self.bounds = pygame.Rect(0, 0, *view.size).inflate(-8, -8)
        for x, y in view._places.values():
            self.taken.append(pygame.Rect(x - 6, y - 6, 12, 12))

    def free(self, rect: pygame.Rect) -> bool:
        return self.bounds.contains(rect) and rect.collidelist(self.taken) < 0

    def put(self, surface: pygame.Surface, text: pygame.Surface, x: float, y: float, gap: float) -> pygame.Rect | None:
        w, h = text.get_size()
        for dx, dy in LABEL_OFFSETS:
            cx = x + dx * (gap + w / 2)
            cy = y + dy * (gap + h / 2 - 3)
            rect = pygame.Rect(round(cx - w / 2), round(cy - h / 2), w, h)
            if self.free(rect.inflate(-4, -4)):
                surface.blit(text, rect)
                self.taken.append(rect.inflate(-4, -4))
                return rect
        return None

    def places(self, surface: pygame.Surface) -> dict[str, pygame.Rect]:
        view = self.view
        order = sorted(view.scenario.places.values(), key=lambda pl: m.KIND_RANK.get(pl.kind, 5))
        rects = {}
        for place in order:
            x, y = view.place_pos(place.id)
            text = m.halo_text(view.fonts["place"], place.name, m.INK)
            rect = self.put(surface, text, x, y, 7)
            if rect is not None:
                rects[place.id] = rect
        return rects

    def cities(self, surface: pygame.Surface) -> None:
        """Reference towns from the base data that the scenario does not name itself."""
        view = self.view
        own = [(p.name.lower(), view.place_pos(pid)) for pid, p in view.scenario.places.items()]
        for city in sorted(geo.cities(), key=lambda c: -c.population):
            x, y = view.to_screen(city.lat, city.lon)
            if not self.bounds.collidepoint(x, y):
                continue
            if any(name == city.name.lower() or math.hypot(px - x, py - y) < 14 for name, (px, py) in own):
                continue
            dot = pygame.Rect(x - 3, y - 3, 6, 6)
            if dot.collidelist(self.taken) >= 0:
                continue
            r = 3.5 if city.kind == "national_capital" else 2.5
            pygame.draw.circle(surface, m.HALO, (x, y), r + 1.2)
            pygame.draw.circle(surface, m.CITY_INK, (x, y), r)
            self.taken.append(dot)
            self.put(surface, m.halo_text(view.fonts["city"], city.name, m.CITY_INK), x, y, 4)

    def areas(self, surface: pygame.Surface, data: dict) -> None:
        """Country names, and the occupied areas' names, where the view has room."""
        view = self.view
        names = data["country_names"]
        for iso, spots in data["country_labels"].items():
            name = names.get(iso) or next(c["name"] for c in data["land"] if c["iso"] == iso)
            text = m.spaced_caps(view.fonts["country"], name, m.COUNTRY_INK)
            for lon, lat in spots:
                if self._centred(surface, text, lat / data["scale"], lon / data["scale"]):
                    break
        shown = {a["id"] for a in occupied_areas(view, data)}
        for spot in data["occupied_labels"]:
            if spot["id"] not in shown:
                continue
            crimea = spot["id"] == "crimea"
            title, line2 = ("CRIMEA", "occupied by Russia") if crimea else ("RUSSIAN-OCCUPIED", "Ukraine")
            text = _two_lines(view.fonts["small"], title, line2, m.OCCUPIED_INK)
            for lon, lat in spot["spots"]:
                if self._centred(surface, text, lat / data["scale"], lon / data["scale"]):
                    break

    def rivers(self, surface: pygame.Surface, data: dict) -> None:
        """Names of the big rivers, along their course, near the middle of their visible part."""
        view = self.view
        font = view.fonts["water"]
        for name in RIVER_LABELS:
            pts = self._visible_river(data, name)
            if len(pts) < 5:
                continue
            text = m.halo_text(font, name, m.WATER_INK)
            mid = len(pts) // 2
            for i in sorted(range(2, len(pts) - 2), key=lambda j: abs(j - mid))[:12]:
                (x0, y0), (x1, y1) = pts[i - 2], pts[i + 2]
                angle = math.degrees(math.atan2(-(y1 - y0), x1 - x0))
                angle = (angle + 90) % 180 - 90
                if abs(angle) > 60:
                    continue
                turned = pygame.transform.rotozoom(text, angle, 1.0)
                rect = turned.get_rect(center=(round(pts[i][0]), round(pts[i][1])))
                if self.free(rect.inflate(-6, -6)) and self.on_sheet(rect):
                    surface.blit(turned, rect)
                    self.taken.append(rect.inflate(-6, -6))
                    break

    def _visible_river(self, data: dict, name: str) -> list[tuple[float, float]]:
        """The screen points of a river's longest visible piece, at least 8 px apart."""
        best: list[tuple[float, float]] = []
        for river in data["rivers"]:
            if river["name"] != name:
                continue
            for line in river["lines"]:
                lon, lat = geo.ring_lonlat(line, data["scale"])
                xs, ys = self.view.projection.project(lon, lat)
                run: list[tuple[float, float]] = []
                for x, y in zip(xs.tolist(), ys.tolist()):
                    if self.bounds.inflate(-40, -40).collidepoint(x, y):
                        if not run or math.hypot(x - run[-1][0], y - run[-1][1]) >= 8:
                            run.append((x, y))
                    else:
                        best = max(best, run, key=len)
                        run = []
                best = max(best, run, key=len)
        return best

    def waters(self, surface: pygame.Surface, data: dict) -> None:
        seas = {"Sea of Azov": (36.7, 46.15), "Black Sea": (34.0, 43.9), "Caspian Sea": (48.6, 45.2)}
        for name, (lon, lat) in seas.items():
            self._centred(surface, m.halo_text(self.view.fonts["water"], name, m.WATER_INK, halo=m.SEA), lat, lon)

    def on_sheet(self, rect: pygame.Rect) -> bool:
        """Whether a rectangle lies wholly inside the base data's box."""
        west, south, east, north = geo.basemap()["bbox"]
        for corner in (rect.topleft, rect.topright, rect.bottomleft, rect.bottomright):
            lat, lon = self.view.to_geo(corner)
            if not (west < lon < east and south < lat < north):
                return False
        return True

    def _centred(self, surface: pygame.Surface, text: pygame.Surface, lat: float, lon: float) -> bool:
        """Put a label centred on a point, or nudged a little when something is in the way."""
        x, y = self.view.to_screen(lat, lon)
        for dx, dy in AREA_NUDGES:
            rect = text.get_rect(center=(round(x + dx), round(y + dy)))
            if self.free(rect.inflate(12, 6)) and self.on_sheet(rect):
                surface.blit(text, rect)
                self.taken.append(rect)
                return True
        return False


def _two_lines(font: pygame.font.Font, first: str, second: str, colour) -> pygame.Surface:
    a = m.halo_text(font, first, colour)
    b = m.halo_text(font, second, colour)
    out = pygame.Surface((max(a.get_width(), b.get_width()), a.get_height() + b.get_height() - 6), pygame.SRCALPHA)
    out.blit(a, a.get_rect(midtop=(out.get_width() // 2, 0)))
    out.blit(b, b.get_rect(midtop=(out.get_width() // 2, a.get_height() - 6)))
    return out


def _nice_km(km: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``km``."""
    base = 10 ** math.floor(math.log10(km))
    return max(b * base for b in (1, 2, 5) if b * base <= km)


def _scale_bar(surface: pygame.Surface, view: MapView) -> pygame.Rect:
    """A two-part bar in the lower left corner with its length in km."""
    ppk = view.projection.px_per_km
    km = _nice_km(min(150, view.size[0] / 5) / ppk)
    length = round(km * ppk)
    font = view.fonts["tiny"]
    label = font.render(f"{km:g} km", True, m.INK)
    zero = font.render("0", True, m.INK)
    x0, y0 = 14, view.size[1] - 12
    plate = pygame.Rect(
        x0 - 8, y0 - label.get_height() - 6, length + label.get_width() // 2 + 16, label.get_height() + 14
    )
    back = pygame.Surface(plate.size, pygame.SRCALPHA)
    pygame.draw.rect(back, (*m.HALO, 200), back.get_rect(), border_radius=5)
    surface.blit(back, plate)
    pygame.draw.rect(surface, m.INK, pygame.Rect(x0, y0, length, 5), 1)
    pygame.draw.rect(surface, m.INK, pygame.Rect(x0, y0, length // 2, 5))
    surface.blit(zero, (x0 - zero.get_width() // 2, y0 - label.get_height() - 1))
    surface.blit(label, (x0 + length - label.get_width() // 2, y0 - label.get_height() - 1))
    return plate


def _credits(surface: pygame.Surface, view: MapView) -> pygame.Rect:
    """The data credits the licences ask for, small in the lower right corner."""
    text = view.fonts["tiny"].render(m.CREDITS, True, m.CITY_INK)
    rect = text.get_rect(bottomright=(view.size[0] - 8, view.size[1] - 4))
    plate = rect.inflate(10, 2)
    back = pygame.Surface(plate.size, pygame.SRCALPHA)
    pygame.draw.rect(back, (*m.HALO, 170), back.get_rect(), border_radius=4)
    surface.blit(back, plate)
    surface.blit(text, rect)
    return plate
