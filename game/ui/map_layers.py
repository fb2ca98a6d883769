"""The map's static layer: everything drawn once per size and view, names excepted.

Geometry (sea, land, lakes, lines, the occupied areas, an author's own layers, routes and
dots) is drawn at ``SUPERSAMPLE`` times the size and scaled down once, which gives smooth
edges without an antialiasing rasteriser; the names are put on afterwards at the final size
(``map_names``) so they stay crisp.

Every point of the base map is projected once per build (one numpy call); each ring is then
a slice, skipped when it falls outside the view or is smaller than a pixel. Rings are shifted
by whole turns of 360 degrees towards the view's central meridian, so a view across the date
line draws both sides of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pygame

from game.core.model import Scenario
from game.ui import geo
from game.ui import map_style as s
from game.ui.map_projection import Projection


@dataclass
class Sheet:
    """One drawing of the map: what to show, where, and how large."""

    scenario: Scenario
    size: tuple[int, int]
    projection: Projection
    bounds: geo.Bounds
    fonts: dict
    occupation: str
    positions: dict[str, tuple[float, float]]
    """Where each scenario place is drawn, in pixels."""
    hidden: set[str] = field(default_factory=set)
    """Places not drawn here (they are drawn in an inset instead)."""
    inset: bool = False
    """An inset's sheet: only the scenario's places are named, with a scale bar."""

    @property
    def span_km(self) -> float:
        return max(self.size) / max(self.projection.px_per_km, 1e-9)


class Painter:
    """Projects the base map once and draws its rings on the supersampled canvas."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.k = s.SUPERSAMPLE
        w, h = sheet.size
        self.canvas = pygame.Surface((w * self.k, h * self.k))
        self.data = geo.basemap()
        d = self.data
        proj = sheet.projection
        centre = (d.lon_min + d.lon_max) / 2
        shift = 360.0 * np.round((proj.lon0 - centre) / 360.0)
        lengths = np.diff(d.starts)
        # Only rings whose box meets the view's (with a margin) are projected; the rest lie far off.
        (south, north), (west, east) = view_extent(sheet)
        margin = max(north - south, 1.0) * 0.25
        near = (d.lat_max > south - margin) & (d.lat_min < north + margin)
        wide = east - west > 300
        near &= wide | ((d.lon_max + shift > west - margin) & (d.lon_min + shift < east + margin))
        chosen = np.repeat(near, lengths)
        x = np.full(len(d.lon), -1e9)
        y = np.full(len(d.lon), -1e9)
        x[chosen], y[chosen] = proj.project((d.lon + np.repeat(shift, lengths))[chosen], d.lat[chosen])
        self.x, self.y = x * self.k, y * self.k
        firsts = d.starts[:-1]
        pad = 8 * self.k
        wk, hk = w * self.k, h * self.k
        x_lo, x_hi = np.minimum.reduceat(self.x, firsts), np.maximum.reduceat(self.x, firsts)
        y_lo, y_hi = np.minimum.reduceat(self.y, firsts), np.maximum.reduceat(self.y, firsts)
        self.visible = (x_hi > -pad) & (y_hi > -pad) & (x_lo < wk + pad) & (y_lo < hk + pad)
        self.extent = np.maximum(x_hi - x_lo, y_hi - y_lo)
        self._points: dict[tuple[int, bool], list] = {}

    def points(self, ring: int, least: float = 0.0, closed: bool = False) -> list | None:
        """Canvas points of a stored ring or line, or None when it is out of view or too small.

        Points that fall within a pixel of the last one kept are dropped (a country seen whole
        needs a fraction of its points). A closed ring reaching far past the canvas is clipped to
        it first: pygame fills a polygon row by row over its whole height, which for a country
        seen from a few km away runs to millions of rows. Each ring is worked out once per build.
        """
        if not self.visible[ring] or self.extent[ring] < least:
            return None
        key = (ring, closed)
        found = self._points.get(key)
        if found is None:
            a, b = self.data.starts[ring], self.data.starts[ring + 1]
            pts = np.column_stack((self.x[a:b], self.y[a:b]))
            if len(pts) > 8:
                cell = np.floor(pts / (1.5 * self.k))
                keep = np.ones(len(pts), dtype=bool)
                keep[1:] = np.any(cell[1:] != cell[:-1], axis=1)
                keep[-1] = True
                pts = pts[keep]
            if closed and self.extent[ring] > 3 * max(self.canvas.get_size()):
                pts = clip_polygon(pts, self.canvas.get_rect().inflate(8 * self.k, 8 * self.k))
            found = self._points[key] = pts.tolist()
        return found

    def fill(self, polys: list[list[int]], colour, target: pygame.Surface | None = None, origin=(0, 0)) -> None:
        """Fill polygons (holes are drawn over by what lies in them, lakes by the lake layer)."""
        for rings in polys:
            pts = self.points(rings[0], least=self.k, closed=True)
            if pts is not None and len(pts) >= 3:
                if origin != (0, 0):
                    pts = [(px - origin[0], py - origin[1]) for px, py in pts]
                pygame.draw.polygon(target or self.canvas, colour, pts)

    def box(self, polys: list[list[int]]) -> pygame.Rect:
        """The canvas rectangle the polygons cover (clipped to the canvas)."""
        boxes = []
        for rings in polys:
            pts = self.points(rings[0])
            if pts is not None:
                a = np.asarray(pts)
                lo, hi = a.min(axis=0), a.max(axis=0)
                boxes.append(
                    pygame.Rect(int(lo[0]) - 2, int(lo[1]) - 2, int(hi[0] - lo[0]) + 4, int(hi[1] - lo[1]) + 4)
                )
        if not boxes:
            return pygame.Rect(0, 0, 0, 0)
        return boxes[0].unionall(boxes[1:]).clip(self.canvas.get_rect())

    def stroke(self, lines: list[int], colour, width: float, target: pygame.Surface | None = None) -> None:
        w = max(1, round(width * self.k))
        big = 3 * max(self.canvas.get_size())
        for line in lines:
            pts = self.points(line, least=self.k / 2)
            if pts is None or len(pts) < 2:
                continue
            # Wide lines are filled like polygons: a line reaching far past the canvas is cut first.
            runs = (
                clip_line(np.asarray(pts), self.canvas.get_rect().inflate(8 * self.k, 8 * self.k))
                if self.extent[line] > big
                else [pts]
            )
            for run in runs:
                if len(run) >= 2:
                    thick_line(target or self.canvas, colour, run, w)


def clip_polygon(pts: np.ndarray, rect: pygame.Rect) -> np.ndarray:
    """A polygon cut to a rectangle (Sutherland-Hodgman, one numpy pass per edge)."""
    for axis, bound, keep_above in (
        (0, rect.left, True),
        (0, rect.right, False),
        (1, rect.top, True),
        (1, rect.bottom, False),
    ):
        if len(pts) < 3:
            return pts
        q = np.roll(pts, -1, axis=0)
        side_p = pts[:, axis] >= bound if keep_above else pts[:, axis] <= bound
        side_q = q[:, axis] >= bound if keep_above else q[:, axis] <= bound
        run = q[:, axis] - pts[:, axis]
        t = (bound - pts[:, axis]) / np.where(run == 0, 1.0, run)
        cut = pts + (q - pts) * np.where(run == 0, 0.0, t)[:, None]
        # Each edge gives at most two points: where it crosses the bound, then its end if inside.
        out = np.stack((cut, q), axis=1).reshape(-1, 2)
        mask = np.stack((side_p != side_q, side_q), axis=1).reshape(-1)
        pts = out[mask]
    return pts


def clip_line(pts: np.ndarray, rect: pygame.Rect) -> list[list]:
    """The pieces of a polyline inside a rectangle (Liang-Barsky on every segment at once)."""
    p, q = pts[:-1], pts[1:]
    d = q - p
    t0, t1 = np.zeros(len(p)), np.ones(len(p))
    for axis, lo, hi in ((0, rect.left, rect.right), (1, rect.top, rect.bottom)):
        dd = d[:, axis]
        flat = dd == 0
        outside = flat & ((p[:, axis] < lo) | (p[:, axis] > hi))
        t1[outside] = -1.0
        safe = np.where(flat, 1.0, dd)
        ta, tb = (lo - p[:, axis]) / safe, (hi - p[:, axis]) / safe
        near, far = np.minimum(ta, tb), np.maximum(ta, tb)
        t0 = np.where(flat, t0, np.maximum(t0, near))
        t1 = np.where(flat, t1, np.minimum(t1, far))
    shown = t0 <= t1
    a = p + d * t0[:, None]
    b = p + d * t1[:, None]
    runs: list[list] = []
    current: list = []
    for i in np.flatnonzero(shown).tolist():
        start, end = a[i].tolist(), b[i].tolist()
        if current and t0[i] == 0.0 and i > 0 and shown[i - 1] and t1[i - 1] == 1.0:
            current.append(end)
        else:
            if current:
                runs.append(current)
            current = [start, end]
    if current:
        runs.append(current)
    return runs


def thick_line(surface: pygame.Surface, colour, points: list, width: int) -> None:
    """A polyline with round joins (pygame's wide lines leave notches at corners)."""
    pygame.draw.lines(surface, colour, False, points, width)
    if width > 2:
        r = width / 2
        for p in points:
            pygame.draw.circle(surface, colour, p, r)


def dashed(surface: pygame.Surface, colour, points: list, width: int, dash: float, gap: float) -> None:
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


def render_geometry(sheet: Sheet) -> tuple[pygame.Surface, Painter]:
    """Everything but the names, at ``sheet.size``."""
    p = Painter(sheet)
    base(p)
    occupied(p)
    lines(p)
    author_layers(p)
    graticule(p)
    # The shading is smooth, so a quarter-size one scaled up looks the same and costs little.
    small = (max(sheet.size[0] // 4, 2), max(sheet.size[1] // 4, 2))
    p.canvas.blit(pygame.transform.smoothscale(vignette(small), p.canvas.get_size()), (0, 0))
    scenario_layer(p)
    return pygame.transform.smoothscale(p.canvas, sheet.size), p


def river_rank(sheet: Sheet) -> int:
    """The least important river (by Natural Earth's rank) worth drawing at this scale."""
    span = sheet.span_km
    return 12 if span < 1800 else 5 if span < 4000 else 3 if span < 9000 else 1


def base(p: Painter) -> None:
    """Sea, the light bands along the shore (half hidden under the land), the land."""
    p.canvas.fill(s.SEA)
    coasts = p.data.layer("coasts")
    p.stroke(coasts, s.WATERLINE[0], 7.0)
    p.stroke(coasts, s.WATERLINE[1], 3.5)
    for country in p.data.layer("land"):
        p.fill(country["polys"], s.land_colour(country["id"]))


def occupied_areas(sheet: Sheet) -> list[dict]:
    """The occupied areas this sheet shows (none before 2014, Crimea alone until 2022)."""
    if sheet.occupation == "none":
        return []
    return [a for a in geo.basemap().region["occupied"] if sheet.occupation == "2023" or a["id"] == "crimea"]


def occupied(p: Painter) -> None:
    """Occupied Ukraine: a warm tint under diagonal hatching, bounded by the line of contact."""
    areas = occupied_areas(p.sheet)
    if not areas:
        return
    for area in areas:
        p.fill(area["polys"], s.OCCUPIED_TINT)
    # Only the rectangle the areas cover gets the (costly) alpha surfaces.
    box = p.box([poly for area in areas for poly in area["polys"]])
    if box.w <= 0 or box.h <= 0:
        return
    w, h = box.size
    hatch = pygame.Surface((w, h), pygame.SRCALPHA)
    gap = 7 * p.k
    shift = (box.x + box.y) % gap  # keeps the stripes in step with the canvas, whatever the box
    for x in range(-h - shift, w, gap):
        pygame.draw.line(hatch, s.HATCH, (x, h), (x + h, 0), p.k)
    mask = pygame.Surface((w, h), pygame.SRCALPHA)
    mask.fill((0, 0, 0, 0))
    for area in areas:
        p.fill(area["polys"], (255, 255, 255, 255), target=mask, origin=box.topleft)
    hatch.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
    p.canvas.blit(hatch, box)


def lines(p: Painter) -> None:
    d = p.data
    sheet = p.sheet
    lakes = 12 if sheet.span_km < 2500 else 3
    for water in d.layer("water"):
        if water["rank"] <= lakes:
            p.fill(water["polys"], s.SEA)
    most = river_rank(sheet)
    for river in d.layer("rivers"):
        if river["rank"] <= most:
            p.stroke(river["lines"], s.RIVER, 1.6 if river["rank"] <= 5 else 1.0)
    p.stroke(d.layer("coasts"), s.COAST, 0.8)
    if sheet.span_km < 6000:
        p.stroke(d.layer("region_lines"), s.REGION_LINE, 0.7)
    p.stroke(d.layer("borders"), s.BORDER_CASING, 3.2)
    p.stroke(d.layer("borders"), s.BORDER, 1.3)
    if sheet.occupation == "2023":
        p.stroke(d.region["front"], s.FRONT, 1.6)
    for road in d.region["roads"]:
        p.stroke(road["lines"], s.HALO, 2.4)
        p.stroke(road["lines"], s.ROAD, 1.2)


def author_layers(p: Painter) -> None:
    """The scenario's own base layers, in the order it lists them, over the base map."""
    proj = p.sheet.projection
    k = p.k
    for layer in p.sheet.scenario.map_layers:
        style = s.AUTHOR_STYLES.get(layer.style, s.AUTHOR_STYLES["area"])
        fill = s.hex_colour(layer.color, style.get("fill", style.get("line")))
        line = s.hex_colour(layer.color, style.get("line", fill)) if "fill" not in style else style["line"]
        width = max(1, round(layer.width * k))
        for shape in layer.shapes:
            for ring_index, ring in enumerate(shape.rings):
                lon = np.array([proj.unwrap(pt[0]) if i == 0 else pt[0] for i, pt in enumerate(ring)], dtype=float)
                lon = np.concatenate([[lon[0]], lon[0] + np.cumsum(((np.diff(lon) + 180) % 360) - 180)])
                lat = np.array([pt[1] for pt in ring], dtype=float)
                x, y = proj.project(lon, lat)
                pts = np.column_stack((x * k, y * k)).tolist()
                if shape.closed and len(pts) >= 3:
                    colour = fill if ring_index == 0 else s.SEA if layer.style != "water" else s.LAND_OTHER
                    pygame.draw.polygon(p.canvas, colour, pts)
                    pygame.draw.lines(p.canvas, line, True, pts, max(1, k))
                elif len(pts) >= 2:
                    if layer.style == "road":
                        thick_line(p.canvas, s.HALO, pts, width + 2 * k)
                    if layer.style == "rail":
                        dashed(p.canvas, line, pts, width, 6 * k, 3 * k)
                    else:
                        thick_line(p.canvas, line, pts, width)


def graticule(p: Painter) -> None:
    """Faint parallels and meridians every few degrees."""
    sheet = p.sheet
    span = sheet.span_km / 111.0
    step = next((st for st in (1, 2, 5, 10, 15, 30) if span / st < 12), 30)
    (south, north), (west, east) = view_extent(sheet)
    layer = pygame.Surface(p.canvas.get_size(), pygame.SRCALPHA)
    proj = sheet.projection
    t = np.linspace(0, 1, 90)
    lat_lo, lat_hi = max(south, -85.0), min(north, 85.0)
    for lon in range(math.floor(west / step) * step, math.ceil(east) + 1, step):
        x, y = proj.project(np.full(90, float(lon)), lat_lo + (lat_hi - lat_lo) * t)
        pygame.draw.lines(layer, s.GRATICULE, False, np.column_stack((x * p.k, y * p.k)).tolist(), p.k)
    for lat in range(math.floor(lat_lo / step) * step, math.ceil(lat_hi) + 1, step):
        x, y = proj.project(west + (east - west) * t, np.full(90, float(lat)))
        pygame.draw.lines(layer, s.GRATICULE, False, np.column_stack((x * p.k, y * p.k)).tolist(), p.k)
    p.canvas.blit(layer, (0, 0))


def view_extent(sheet: Sheet) -> tuple[tuple[float, float], tuple[float, float]]:
    """((south, north), (west, east)) of what the sheet shows, from its edges, in degrees."""
    w, h = sheet.size
    t = np.linspace(0, 1, 24)
    edge = [(w * a, 0) for a in t] + [(w * a, h) for a in t] + [(0, h * a) for a in t] + [(w, h * a) for a in t]
    pts = [sheet.projection.inverse(x, y) for x, y in edge]
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    return (max(min(lats), -89.0), min(max(lats), 89.0)), (min(lons), max(lons))


def vignette(size: tuple[int, int]) -> pygame.Surface:
    """A faint darkening towards the corners that draws the eye to the middle of the map."""
    w, h = size
    x = (np.arange(w) - w / 2) / (w / 2)
    y = (np.arange(h) - h / 2) / (h / 2)
    r = np.sqrt(x[:, None] ** 2 + y[None, :] ** 2) / math.sqrt(2)
    alpha = (np.clip((r - 0.45) / 0.55, 0.0, 1.0) ** 2 * s.VIGNETTE).astype(np.uint8)
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill((20, 16, 10, 0))
    pygame.surfarray.pixels_alpha(shade)[:] = alpha
    return shade


def scenario_layer(p: Painter) -> None:
    """The scenario's routes (dashed) and places (dots by kind)."""
    sheet = p.sheet
    k = p.k
    for route in sheet.scenario.routes.values():
        pts = [(sheet.positions[st][0] * k, sheet.positions[st][1] * k) for st in route.stops]
        if len(pts) >= 2:
            pygame.draw.lines(p.canvas, s.HALO, False, pts, 5 * k)
            for q in pts:
                pygame.draw.circle(p.canvas, s.HALO, q, 2.5 * k)
            dashed(p.canvas, s.ROUTE, pts, 2 * k, 7 * k, 4 * k)
    for pid, place in sheet.scenario.places.items():
        if pid not in sheet.hidden:
            x, y = sheet.positions[pid]
            place_dot(p.canvas, place.kind, x * k, y * k, k)


DOT_RADIUS = {"capital": 8, "base": 6, "site": 7, "city": 6.5, "town": 5.5}
"""How far each kind of dot reaches (with its halo), in pixels at the final size."""


def place_dot(surface: pygame.Surface, kind: str, x: float, y: float, k: int) -> None:
    """Capital: ringed dot; base: square; site: diamond; city and town: dots of two sizes."""
    if kind == "capital":
        pygame.draw.circle(surface, s.HALO, (x, y), 8 * k)
        pygame.draw.circle(surface, s.INK, (x, y), 7 * k, int(1.5 * k))
        pygame.draw.circle(surface, s.INK, (x, y), 4 * k)
    elif kind == "base":
        pygame.draw.rect(surface, s.HALO, pygame.Rect(x - 6 * k, y - 6 * k, 12 * k, 12 * k))
        pygame.draw.rect(surface, s.INK, pygame.Rect(x - 4.5 * k, y - 4.5 * k, 9 * k, 9 * k))
    elif kind == "site":
        r = 6 * k
        pygame.draw.polygon(surface, s.HALO, [(x, y - r - k), (x + r + k, y), (x, y + r + k), (x - r - k, y)])
        pygame.draw.polygon(surface, s.INK, [(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
    else:
        r = 5 * k if kind == "city" else 4 * k
        pygame.draw.circle(surface, s.HALO, (x, y), r + 1.5 * k)
        pygame.draw.circle(surface, s.INK, (x, y), r)
