"""Names on the static layer, placed most important first so that none covers another.

The order is the order of importance: the scale bar and the credits (fixed), the scenario's
places (they may be displaced with a leader line), its own reference towns, the names of
occupied areas, countries and seas, the world's towns inside the view (largest first, when
the scenario names no towns of its own), big rivers, and the names of an author's shapes. A name with no free spot is left out, and
a reference town whose name is left out loses its dot too.

Country names go where the country is widest in view: the land is drawn once more, small,
one colour per country, and each name is centred where its country's colour lies deepest.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game.ui import geo
from game.ui import map_style as s
from game.ui.map_labels import Placer, draw_leader
from game.ui.map_layers import DOT_RADIUS, Painter, Sheet, occupied_areas, river_rank, view_extent

RASTER = 6
"""The country raster is this many times smaller than the sheet."""
AREA_NUDGES = ((0, 0), (0, -18), (0, 18), (-30, 0), (30, 0))
TOWN_CELL = 10000
"""About one reference town per this many square pixels of map."""


def place_names(surface: pygame.Surface, sheet: Sheet, painter: Painter, placer: Placer) -> dict[str, pygame.Rect]:
    """Every name on the static layer; returns the rectangles of the scenario places' names."""
    scale_bar(surface, sheet, placer)
    if not sheet.inset:
        credits(surface, sheet, placer)
    for pid, (x, y) in sheet.positions.items():
        if pid not in sheet.hidden:
            placer.dot(x, y, DOT_RADIUS.get(sheet.scenario.places[pid].kind, 5.5))
    rects = scenario_places(surface, sheet, placer)
    if sheet.inset:
        return rects
    own_towns = sheet.scenario.reference_places is not None
    if own_towns:  # the author's own choice comes before the base map's names
        reference_towns(surface, sheet, placer)
    occupied_names(surface, sheet, placer)
    countries(surface, sheet, painter, placer)
    seas(surface, sheet, placer)
    if not own_towns:
        reference_towns(surface, sheet, placer)
    rivers(surface, sheet, painter, placer)
    shape_names(surface, sheet, placer)
    return rects


def scenario_places(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> dict[str, pygame.Rect]:
    places = sheet.scenario.places
    order = sorted((p for p in places.values() if p.id not in sheet.hidden), key=lambda p: s.KIND_RANK.get(p.kind, 5))
    rects = {}
    for place in order:
        x, y = sheet.positions[place.id]
        font = sheet.fonts.get("inset", sheet.fonts["place"]) if sheet.inset else sheet.fonts["place"]
        text = s.name_text(font, place.name, s.INK)
        found = placer.point(text.get_size(), (x, y), DOT_RADIUS.get(place.kind, 5.5) + 1, "place", place.id, True)
        if found is None:
            continue
        box, placed = found
        if placed.leader:
            draw_leader(surface, placed.leader, s.LEADER, s.HALO)
        surface.blit(text, box)
        rects[place.id] = placed.rect
    return rects


def towns_for(sheet: Sheet) -> list[geo.City]:
    """The scenario's own reference places, or the world's inside the view, largest first."""
    given = sheet.scenario.reference_places
    if given is not None:
        return [geo.City(r.name, r.lat, r.lon, r.kind, 0, "") for r in given]
    (south, north), (west, east) = view_extent(sheet)
    room = sheet.size[0] * sheet.size[1] // TOWN_CELL
    found = geo.cities_in(geo.Bounds(west, south, east, north))
    return found[: room * 3]


def reference_towns(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    """Reference towns the scenario does not name itself, each with its dot only if its name fits."""
    own = [(p.name.lower(), sheet.positions[pid]) for pid, p in sheet.scenario.places.items()]
    font = sheet.fonts["city"]
    room = sheet.size[0] * sheet.size[1] // TOWN_CELL
    shown = 0
    for city in towns_for(sheet):
        if shown >= room:
            break
        x, y = sheet.projection.point(city.lat, city.lon)
        if not placer.area.collidepoint(x, y):
            continue
        if any(name == city.name.lower() or math.hypot(px - x, py - y) < 14 for name, (px, py) in own):
            continue
        r = 3.5 if city.kind == "capital" else 2.5
        dot = pygame.Rect(round(x - r - 1), round(y - r - 1), round(2 * r + 2), round(2 * r + 2))
        if not placer.free(dot):
            continue
        placer.block(dot)
        text = s.halo_text(font, city.name, s.CITY_INK)
        found = placer.point(text.get_size(), (x, y), r + 2, "town", city.name)
        if found is None:
            placer.taken.remove(dot)
            continue
        pygame.draw.circle(surface, s.HALO, (x, y), r + 1.2)
        pygame.draw.circle(surface, s.CITY_INK, (x, y), r)
        surface.blit(text, found[0])
        shown += 1


def occupied_names(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    for area in occupied_areas(sheet):
        crimea = area["id"] == "crimea"
        title, line2 = ("CRIMEA", "occupied by Russia") if crimea else ("RUSSIAN-OCCUPIED", "Ukraine")
        text = s.two_lines(sheet.fonts["small"], title, line2, s.OCCUPIED_INK)
        spots = [sheet.projection.point(lat, lon) for lon, lat in area["spots"]]
        found = placer.centred(text.get_size(), spots, "area", area["id"], pad=(8, 4), trim=2)
        if found:
            surface.blit(text, found[0])


def country_raster(sheet: Sheet, painter: Painter) -> tuple[np.ndarray, list[str]]:
    """The land drawn small, country number i + 1 in colour i + 1 (0 is the sea)."""
    w, h = max(sheet.size[0] // RASTER, 4), max(sheet.size[1] // RASTER, 4)
    small = pygame.Surface((w, h))
    small.fill((0, 0, 0))
    codes: list[str] = []
    index: dict[str, int] = {}
    shrink = painter.k * RASTER
    for country in painter.data.layer("land"):
        code = country["id"]
        if code not in index:
            codes.append(code)
            index[code] = len(codes)
        n = index[code]
        colour = (n & 255, n >> 8, 0)
        for rings in country["polys"]:
            pts = painter.points(rings[0], least=shrink, closed=True)
            if pts is not None and len(pts) >= 3:
                pygame.draw.polygon(small, colour, [(px / shrink, py / shrink) for px, py in pts])
    rgb = pygame.surfarray.array3d(small).astype(np.int32)
    return rgb[:, :, 0] + (rgb[:, :, 1] << 8), codes


def depth(ids: np.ndarray) -> np.ndarray:
    """How many raster cells each cell lies inside its own country (erosion, four neighbours)."""
    inside = ids > 0
    out = np.zeros(ids.shape, dtype=np.int32)
    same = inside.copy()
    for _ in range(max(ids.shape) // 2):
        core = same.copy()
        core[1:, :] &= same[:-1, :] & (ids[1:, :] == ids[:-1, :])
        core[:-1, :] &= same[1:, :] & (ids[:-1, :] == ids[1:, :])
        core[:, 1:] &= same[:, :-1] & (ids[:, 1:] == ids[:, :-1])
        core[:, :-1] &= same[:, 1:] & (ids[:, :-1] == ids[:, 1:])
        core[0, :] = core[-1, :] = core[:, 0] = core[:, -1] = False
        if not core.any():
            break
        out += core
        same = core
    return out + inside


def countries(surface: pygame.Surface, sheet: Sheet, painter: Painter, placer: Placer) -> None:
    """Each country's name where it is widest in view, biggest countries first, if it fits inside."""
    ids, codes = country_raster(sheet, painter)
    deep = depth(ids)
    names = {c["id"]: c["name"] for c in painter.data.layer("land")}
    counts = np.bincount(ids.ravel(), minlength=len(codes) + 1)
    font = sheet.fonts["country"]
    for n in np.argsort(-counts[1:]) + 1:
        if counts[n] < 12:
            break
        mine = np.where(ids == n, deep, 0)
        text = s.spaced_caps(font, names[codes[n - 1]], s.COUNTRY_INK)
        spots = []
        for _ in range(4):
            i = int(mine.argmax())
            if mine.flat[i] < 2:
                break
            cx, cy = divmod(i, ids.shape[1])
            spots.append(((cx + 0.5) * RASTER, (cy + 0.5) * RASTER))
            mine[max(cx - 6, 0) : cx + 7, max(cy - 4, 0) : cy + 5] = 0
        fitting = [p for p in spots if _inside(ids, n, text.get_size(), p)]
        found = placer.centred(text.get_size(), fitting, "country", codes[n - 1], pad=(10, 4), trim=1)
        if found:
            surface.blit(text, found[0])


def _inside(ids: np.ndarray, n: int, size: tuple[int, int], at: tuple[float, float]) -> bool:
    """Whether a label of ``size`` centred at ``at`` lies (nearly) all on country ``n``."""
    w, h = size
    x0, x1 = int((at[0] - w / 2) / RASTER), int(math.ceil((at[0] + w / 2) / RASTER))
    y0, y1 = int((at[1] - h / 2) / RASTER), int(math.ceil((at[1] + h / 2) / RASTER))
    if x0 < 0 or y0 < 0 or x1 > ids.shape[0] or y1 > ids.shape[1]:
        return False
    return float(np.mean(ids[x0:x1, y0:y1] == n)) >= 0.8


def seas(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    """Names of oceans, seas and gulfs in view, the most important (by Natural Earth's rank) first."""
    span = sheet.span_km
    most = 4 if span < 3000 else 2 if span < 8000 else 1
    labels = sorted(geo.basemap().layer("labels"), key=lambda lb: lb["rank"])
    font = sheet.fonts["water"]
    seen = set()
    for label in labels:
        if label["rank"] > most or label["name"] in seen:
            continue
        lon, lat = label["at"]
        x, y = sheet.projection.point(lat, lon)
        if not placer.area.collidepoint(x, y):
            continue
        text = s.halo_text(font, label["name"], s.WATER_INK, halo=s.SEA)
        spots = [(x + dx, y + dy) for dx, dy in AREA_NUDGES]
        if placer.centred(text.get_size(), spots, "water", label["name"], pad=(8, 4), trim=2):
            surface.blit(text, placer.placed[-1].rect.inflate(4, 4))
            seen.add(label["name"])


def rivers(surface: pygame.Surface, sheet: Sheet, painter: Painter, placer: Placer) -> None:
    """Names of the bigger named rivers, along their course, near the middle of their visible part."""
    font = sheet.fonts["water"]
    most = min(river_rank(sheet), 6)
    best: dict[str, list[tuple[float, float]]] = {}
    for river in painter.data.layer("rivers"):
        if not river["name"] or river["rank"] > most:
            continue
        for line in river["lines"]:
            run = _visible_run(painter, line, placer.area.inflate(-40, -40))
            if len(run) > len(best.get(river["name"], [])):
                best[river["name"]] = run
    for name, pts in sorted(best.items(), key=lambda kv: -len(kv[1]))[:10]:
        if len(pts) < 6:
            continue
        text = s.halo_text(font, name, s.WATER_INK)
        mid = len(pts) // 2
        for i in sorted(range(2, len(pts) - 2), key=lambda j: abs(j - mid))[:12]:
            (x0, y0), (x1, y1) = pts[i - 2], pts[i + 2]
            angle = math.degrees(math.atan2(-(y1 - y0), x1 - x0))
            angle = (angle + 90) % 180 - 90
            if abs(angle) > 60:
                continue
            turned = pygame.transform.rotozoom(text, angle, 1.0)
            rect = turned.get_rect(center=(round(pts[i][0]), round(pts[i][1])))
            if placer.free(rect.inflate(-6, -6)):
                surface.blit(turned, rect)
                placer.take(rect.inflate(-6, -6), "river", name)
                break


def _visible_run(painter: Painter, line: int, area: pygame.Rect) -> list[tuple[float, float]]:
    """The screen points of a line's longest piece inside ``area``, at least 8 px apart."""
    pts = painter.points(line)
    if pts is None:
        return []
    k = painter.k
    best: list[tuple[float, float]] = []
    run: list[tuple[float, float]] = []
    for px, py in pts:
        x, y = px / k, py / k
        if area.collidepoint(x, y):
            if not run or math.hypot(x - run[-1][0], y - run[-1][1]) >= 8:
                run.append((x, y))
        else:
            best = max(best, run, key=len)
            run = []
    return max(best, run, key=len)


def shape_names(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    """Names an author gave the shapes of their own layers, at each shape's middle."""
    font = sheet.fonts["small"]
    for layer in sheet.scenario.map_layers:
        for shape in layer.shapes:
            if not shape.name or not shape.rings:
                continue
            ring = shape.rings[0]
            lon = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
            x, y = sheet.projection.point(lat, lon)
            ink = s.WATER_INK if layer.style in ("water", "river") else s.CITY_INK
            text = s.halo_text(font, shape.name, ink)
            spots = [(x + dx, y + dy) for dx, dy in AREA_NUDGES]
            found = placer.centred(text.get_size(), spots, "shape", shape.name, trim=2)
            if found:
                surface.blit(text, found[0])


def _nice_km(km: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``km``."""
    base = 10 ** math.floor(math.log10(km))
    return max(b * base for b in (1, 2, 5) if b * base <= km)


def scale_bar(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    """A two-part bar in the lower left corner with its length in km (true at the view's middle)."""
    lat, lon = sheet.projection.inverse(sheet.size[0] / 2, sheet.size[1] / 2)
    ppk = sheet.projection.local_px_per_km(lat, lon)
    km = _nice_km(max(min(150, sheet.size[0] / 5) / ppk, 1e-3))
    length = round(km * ppk)
    font = sheet.fonts["tiny"]
    label = font.render(f"{km:g} km", True, s.INK)
    zero = font.render("0", True, s.INK)
    x0, y0 = 14, sheet.size[1] - 12
    plate = pygame.Rect(
        x0 - 8, y0 - label.get_height() - 6, length + label.get_width() // 2 + 16, label.get_height() + 14
    )
    back = pygame.Surface(plate.size, pygame.SRCALPHA)
    pygame.draw.rect(back, (*s.HALO, 200), back.get_rect(), border_radius=5)
    surface.blit(back, plate)
    pygame.draw.rect(surface, s.INK, pygame.Rect(x0, y0, length, 5), 1)
    pygame.draw.rect(surface, s.INK, pygame.Rect(x0, y0, length // 2, 5))
    surface.blit(zero, (x0 - zero.get_width() // 2, y0 - label.get_height() - 1))
    surface.blit(label, (x0 + length - label.get_width() // 2, y0 - label.get_height() - 1))
    placer.take(plate, "scale", "")


def credits(surface: pygame.Surface, sheet: Sheet, placer: Placer) -> None:
    """The data credits the licences ask for, small in the lower right corner (shorter, or at the
    top, when the map is narrow)."""
    font = sheet.fonts["tiny"]
    for words, corner in ((s.CREDITS, "bottom"), (s.CREDITS_SHORT, "bottom"), (s.CREDITS_SHORT, "top")):
        text = font.render(words, True, s.CITY_INK)
        if corner == "bottom":
            rect = text.get_rect(bottomright=(sheet.size[0] - 8, sheet.size[1] - 4))
        else:
            rect = text.get_rect(topright=(sheet.size[0] - 8, 4))
        plate = rect.inflate(10, 2)
        if plate.collidelist(placer.taken) < 0:
            break
    back = pygame.Surface(plate.size, pygame.SRCALPHA)
    pygame.draw.rect(back, (*s.HALO, 170), back.get_rect(), border_radius=4)
    surface.blit(back, plate)
    surface.blit(text, rect)
    placer.take(plate, "credits", "")
