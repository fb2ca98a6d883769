"""Geography for the map: the bundled world base map, its populated places, and boxes on the
globe. No pygame here, so it can be tested and reused without a display.

The base map (``assets/map/world.npz``) is built by ``assets/map/build.py`` from Natural Earth
data: the world at about 3 km detail, and the region of the Wagner mutiny (lon 22-50 E, lat
43-61 N) in more detail with Russia's regions, the M4 and the occupied parts of Ukraine. Its
borders are the internationally recognised ones. Points are integer thousandths of a degree,
delta-coded per ring; :class:`BaseMap` decodes them once into float arrays.

Longitudes are continuous where a box crosses the date line: ``Bounds(170, 10, 190, 30)`` is
the box from 170 E to 170 W.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from game.paths import ASSETS

MAP_DIR = ASSETS / "map"
EARTH_RADIUS_KM = 6371.0
MIN_SPAN_KM = 80.0
"""A view is never smaller than this, so a scenario set in one town still shows its surroundings."""
DEFAULT_BOUNDS = (36.0, 46.5, 42.5, 56.5)
"""What a scenario with no places at all shows."""


@dataclass(frozen=True)
class Bounds:
    """A box in degrees; ``east`` may pass 180 when the box crosses the date line."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def of(cls, west: float, south: float, east: float, north: float) -> Bounds:
        """A box as a scenario writes it: west greater than east means it crosses the date line."""
        if east < west:
            east += 360.0
        return cls(float(west), float(south), float(east), float(north))

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box."""
        return ((self.south + self.north) / 2, (self.west + self.east) / 2)

    def span_km(self) -> float:
        """The larger of the box's width (at its middle latitude) and height, in km."""
        unit = math.pi * EARTH_RADIUS_KM / 180
        mid = math.radians((self.south + self.north) / 2)
        return max((self.east - self.west) * unit * math.cos(mid), (self.north - self.south) * unit)


@dataclass(frozen=True)
class City:
    """A populated place of the world, for reference on the map (not clickable)."""

    name: str
    lat: float
    lon: float
    kind: str  # capital, city or town
    population: int
    country: str


class BaseMap:
    """The decoded base map: every ring's points, their boxes, and the layers that use them."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            first, planes, starts = data["first"], data["steps"], data["starts"]
            latlon, population = data["place_latlon"], data["place_population"]
        self.scale = float(meta["scale"])
        steps = (planes[1].astype(np.uint16) << 8 | planes[0]).view(np.int16).reshape(-1, 2).astype(np.int64)
        lengths = np.diff(starts)
        xy = np.zeros((int(starts[-1]), 2), dtype=np.int64)
        # Each ring: its first point, then the running sum of its steps.
        firsts = starts[:-1]
        mask = np.ones(len(xy), dtype=bool)
        mask[firsts] = False
        xy[mask] = steps
        xy[firsts] = first
        xy = np.cumsum(xy, axis=0)
        offsets = np.repeat(xy[firsts] - first, lengths, axis=0)
        points = (xy - offsets) / self.scale
        self.lon = np.ascontiguousarray(points[:, 0])
        self.lat = np.ascontiguousarray(points[:, 1])
        self.starts = starts.astype(np.int64)
        self.lon_min = np.minimum.reduceat(self.lon, firsts)
        self.lon_max = np.maximum.reduceat(self.lon, firsts)
        self.lat_min = np.minimum.reduceat(self.lat, firsts)
        self.lat_max = np.maximum.reduceat(self.lat, firsts)
        self.region_box = tuple(meta["region_box"])
        self.world = meta["world"]
        self.region = meta["region"]
        p = meta["places"]
        self.cities = tuple(
            City(name, lat / 10000, lon / 10000, kind, int(pop), country)
            for name, (lat, lon), kind, pop, country in zip(
                p["names"], latlon.tolist(), p["kinds"], population.tolist(), p["countries"]
            )
        )

    def ring(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """A stored ring or line as (lon, lat) arrays in degrees."""
        a, b = self.starts[index], self.starts[index + 1]
        return self.lon[a:b], self.lat[a:b]

    def layer(self, name: str) -> list:
        """A layer of both sets, the world's first (``land``, ``water``, ``rivers``, ``coasts``...)."""
        return [*self.world.get(name, []), *self.region.get(name, [])]


@cache
def basemap(path: Path = MAP_DIR / "world.npz") -> BaseMap:
    """The base map, read once per process."""
    return BaseMap(path)


def cities() -> tuple[City, ...]:
    """Every populated place of the base data, largest first."""
    return basemap().cities


def cities_in(bounds: Bounds) -> list[City]:
    """The populated places inside a box, largest first."""
    out = []
    for city in cities():
        lon = city.lon + 360.0 * round((bounds.west + bounds.east) / 2 / 360.0 - city.lon / 360.0)
        if bounds.south <= city.lat <= bounds.north and bounds.west <= lon <= bounds.east:
            out.append(city)
    return out


def lon_range(lons: Iterable[float]) -> tuple[float, float]:
    """The narrowest (west, east) that holds every longitude, crossing the date line if that is narrower."""
    values = sorted(((v + 180.0) % 360.0) - 180.0 for v in lons)
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    gaps = [(values[(i + 1) % len(values)] - values[i]) % 360.0 for i in range(len(values))]
    widest = max(range(len(values)), key=lambda i: gaps[i])
    west = values[(widest + 1) % len(values)]
    east = values[widest]
    if east < west:
        east += 360.0
    return west, east


def fit_bounds(points: Iterable[tuple[float, float]], margin: float = 0.12) -> Bounds:
    """A box around (lat, lon) points with a margin (a share of the span), never below MIN_SPAN_KM."""
    pts = list(points)
    if not pts:
        return Bounds(*DEFAULT_BOUNDS)
    lats = [p[0] for p in pts]
    west, east = lon_range(p[1] for p in pts)
    mid_lat = (min(lats) + max(lats)) / 2
    min_lat_span = MIN_SPAN_KM / 111.2
    min_lon_span = min_lat_span / max(math.cos(math.radians(mid_lat)), 0.2)
    lat_span = max(max(lats) - min(lats), min_lat_span)
    lon_span = max(east - west, min_lon_span)
    mid_lon = (west + east) / 2
    half_lat = lat_span * (0.5 + margin)
    half_lon = lon_span * (0.5 + margin)
    south, north = max(mid_lat - half_lat, -85.0), min(mid_lat + half_lat, 85.0)
    return Bounds(mid_lon - half_lon, south, mid_lon + half_lon, north)


def _in_ring(lons: np.ndarray, lats: np.ndarray, lon: float, lat: float) -> bool:
    """Even-odd ray casting: is the point inside one ring?"""
    x1, y1 = np.roll(lons, -1), np.roll(lats, -1)
    crosses = (lats > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = lons + (lat - lats) * (x1 - lons) / (y1 - lats)
    return bool(np.count_nonzero(crosses & (lon < at)) % 2)


def in_polygons(data: BaseMap, polys: list[list[int]], lat: float, lon: float) -> bool:
    """Whether a point lies inside stored polygons (holes respected)."""
    for rings in polys:
        if not data.lon_min[rings[0]] <= lon <= data.lon_max[rings[0]]:
            continue
        if not data.lat_min[rings[0]] <= lat <= data.lat_max[rings[0]]:
            continue
        if _in_ring(*data.ring(rings[0]), lon, lat) and not any(_in_ring(*data.ring(r), lon, lat) for r in rings[1:]):
            return True
    return False


def country_at(lat: float, lon: float) -> str | None:
    """The code of the country (recognised borders) at a point, if any (ISO 3166 alpha-3 mostly)."""
    data = basemap()
    lon = ((lon + 180.0) % 360.0) - 180.0
    for country in data.layer("land"):
        if in_polygons(data, country["polys"], lat, lon):
            return country["id"]
    return None


def occupied_at(lat: float, lon: float) -> str | None:
    """The id of the Russian-occupied area of Ukraine at a point ("crimea", "mainland"), if any."""
    data = basemap()
    for area in data.region["occupied"]:
        if in_polygons(data, area["polys"], lat, lon):
            return area["id"]
    return None
