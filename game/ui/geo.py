"""Geography for the map: the bundled base map, the place list, and a Lambert conformal conic
projection fitted to a view. No pygame here, so it can be tested and reused without a display.

The base map (``assets/map/basemap.json``) is built by ``assets/map/build.py`` from Natural
Earth and GeoNames data; coordinates are integer thousandths of a degree in flat
``[lon, lat, lon, lat, ...]`` lists. Its borders are the internationally recognised ones, and
Russian-occupied Ukraine (June 2023) is a layer of its own.
"""

from __future__ import annotations

import csv
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
MIN_SPAN_KM = 160.0
"""A view is never smaller than this, so a scenario set in one town still shows its region."""


@dataclass(frozen=True)
class City:
    """A reference place from ``assets/map/places.csv`` (drawn on the base map, not clickable)."""

    name: str
    lat: float
    lon: float
    kind: str
    population: int
    country: str


@dataclass(frozen=True)
class Bounds:
    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box."""
        return ((self.south + self.north) / 2, (self.west + self.east) / 2)


@cache
def basemap(path: Path = MAP_DIR / "basemap.json") -> dict:
    """The base map's layers, read once per process."""
    return json.loads(path.read_text())


@cache
def cities(path: Path = MAP_DIR / "places.csv") -> tuple[City, ...]:
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        City(r["name"], float(r["lat"]), float(r["lon"]), r["kind"], int(r["population"]), r["country"]) for r in rows
    )


def ring_lonlat(flat: list[int], scale: float) -> tuple[np.ndarray, np.ndarray]:
    """A flat stored ring or line as (lon, lat) arrays in degrees."""
    a = np.asarray(flat, dtype=np.float64) / scale
    return a[0::2], a[1::2]


def fit_bounds(points: Iterable[tuple[float, float]], margin: float = 0.12) -> Bounds:
    """A box around (lat, lon) points with a margin (a share of the span), never below MIN_SPAN_KM."""
    pts = list(points)
    if not pts:
        return Bounds(36.0, 46.5, 42.5, 56.5)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    mid_lat = (min(lats) + max(lats)) / 2
    min_lat_span = MIN_SPAN_KM / 111.2
    min_lon_span = min_lat_span / max(math.cos(math.radians(mid_lat)), 0.2)
    lat_span = max(max(lats) - min(lats), min_lat_span)
    lon_span = max(max(lons) - min(lons), min_lon_span)
    mid_lon = (min(lons) + max(lons)) / 2
    half_lat = lat_span * (0.5 + margin)
    half_lon = lon_span * (0.5 + margin)
    return Bounds(mid_lon - half_lon, mid_lat - half_lat, mid_lon + half_lon, mid_lat + half_lat)


class Projection:
    """Lambert conformal conic (sphere) fitted so that ``bounds`` fills a ``size`` in pixels.

    The standard parallels sit a sixth of the way in from the box's south and north edges, so
    the scale error inside the view is a fraction of a percent; the central meridian runs
    through the middle of the box and stays vertical on screen.
    """

    def __init__(self, bounds: Bounds, size: tuple[int, int], pad: int = 0) -> None:
        self.bounds = bounds
        self.size = size
        span = bounds.north - bounds.south
        phi1 = math.radians(bounds.south + span / 6)
        phi2 = math.radians(bounds.north - span / 6)
        if abs(phi2 - phi1) < 1e-6:
            self.n = math.sin(phi1)
        else:
            self.n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
                math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
            )
        # At the equator the cone flattens into a cylinder (n = 0); a shallow cone stands in.
        if abs(self.n) < 0.01:
            self.n = math.copysign(0.01, self.n) if self.n else 0.01
        self.f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** self.n / self.n
        self.lon0 = (bounds.west + bounds.east) / 2
        lat0 = (bounds.south + bounds.north) / 2
        self.rho0 = self._rho(np.array([lat0]))[0]
        self._fit(size, pad)

    def _rho(self, lat: np.ndarray) -> np.ndarray:
        return EARTH_RADIUS_KM * self.f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** self.n

    def km(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Projected km east and north of the view's centre."""
        rho = self._rho(lat)
        theta = self.n * np.radians(lon - self.lon0)
        return rho * np.sin(theta), self.rho0 - rho * np.cos(theta)

    def _fit(self, size: tuple[int, int], pad: int) -> None:
        b = self.bounds
        t = np.linspace(0.0, 1.0, 9)
        lons = np.concatenate(
            [b.west + (b.east - b.west) * t, np.full(9, b.east), b.west + (b.east - b.west) * t, np.full(9, b.west)]
        )
        lats = np.concatenate(
            [
                np.full(9, b.south),
                b.south + (b.north - b.south) * t,
                np.full(9, b.north),
                b.south + (b.north - b.south) * t,
            ]
        )
        x, y = self.km(lons, lats)
        width, height = max(size[0] - 2 * pad, 1), max(size[1] - 2 * pad, 1)
        self.px_per_km = min(width / (x.max() - x.min()), height / (y.max() - y.min()))
        self.cx = size[0] / 2 - (x.max() + x.min()) / 2 * self.px_per_km
        self.cy = size[1] / 2 + (y.max() + y.min()) / 2 * self.px_per_km

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (floats) of arrays of longitudes and latitudes."""
        x, y = self.km(lon, lat)
        return self.cx + x * self.px_per_km, self.cy - y * self.px_per_km

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self.project(np.array([lon], dtype=np.float64), np.array([lat], dtype=np.float64))
        return float(x[0]), float(y[0])

    def inverse(self, px: float, py: float) -> tuple[float, float]:
        """(lat, lon) under a pixel."""
        x = (px - self.cx) / self.px_per_km
        y = (self.cy - py) / self.px_per_km
        dy = self.rho0 - y
        rho = math.copysign(math.hypot(x, dy), self.n)
        # South of the equator the cone opens the other way (n < 0), and so do the angles.
        theta = math.atan2(x, dy) if self.n > 0 else math.atan2(-x, -dy)
        lat = 2 * math.atan((EARTH_RADIUS_KM * self.f / rho) ** (1 / self.n)) - math.pi / 2
        return math.degrees(lat), self.lon0 + math.degrees(theta / self.n)


def _in_ring(flat: list[int], scale: float, lon: float, lat: float) -> bool:
    """Even-odd ray casting: is the point inside one stored ring?"""
    xs, ys = ring_lonlat(flat, scale)
    x0, y0 = xs, ys
    x1, y1 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(crosses & (lon < at)) % 2)


def in_polygons(polys: list[list[list[int]]], lat: float, lon: float, scale: float = 1000.0) -> bool:
    """Whether a point lies inside stored polygons (holes respected)."""
    for rings in polys:
        if _in_ring(rings[0], scale, lon, lat) and not any(_in_ring(r, scale, lon, lat) for r in rings[1:]):
            return True
    return False


def country_at(lat: float, lon: float) -> str | None:
    """The ISO 3166 alpha-3 code of the country (recognised borders) at a point, if any."""
    data = basemap()
    for country in data["land"]:
        if in_polygons(country["polys"], lat, lon, data["scale"]):
            return country["iso"]
    return None


def occupied_at(lat: float, lon: float) -> str | None:
    """The id of the Russian-occupied area of Ukraine at a point ("crimea", "mainland"), if any."""
    data = basemap()
    for area in data["occupied"]:
        if in_polygons(area["polys"], lat, lon, data["scale"]):
            return area["id"]
    return None
