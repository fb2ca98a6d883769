"""Map projections fitted to a view: which one suits an area, and the sums that draw it.

``choose(bounds, size, pad)`` picks, as atlases do, from the area's latitudes and size:

* **Lambert conformal conic** for areas wholly in the middle latitudes of one hemisphere
  (Europe, the United States, East Asia): the standard parallels sit a sixth of the way in
  from the box's edges, so scale hardly varies inside the view;
* **Mercator** for areas in the tropics or across the equator (the Caribbean, South-East
  Asia, Central Africa), where a cone would flatten out; latitudes are cut at 85 degrees;
* **equirectangular** (the parallels at their true spacing, scaled to the middle latitude)
  for views wider than a hemisphere, where the other two stretch the edges.

Every projection maps (lon, lat) to km east and north of the view's centre on a sphere, then
to pixels; longitudes are continuous across the date line (a box from 170 E to 170 W is
``west=170, east=190``), and ``inverse`` gives back degrees in the same continuous range.
No pygame here.
"""

from __future__ import annotations

import math

import numpy as np

from game.ui.geo import EARTH_RADIUS_KM, Bounds

MERCATOR_LAT = 85.0
"""Mercator's latitude limit: past it the map runs off to infinity."""


class Projection:
    """A projection of a sphere fitted so that ``bounds`` fills ``size`` pixels less ``pad``."""

    name = ""

    def __init__(self, bounds: Bounds, size: tuple[int, int], pad: int = 0) -> None:
        self.bounds = bounds
        self.size = size
        self.lon0 = (bounds.west + bounds.east) / 2
        self._setup()
        self._fit(size, pad)

    def _setup(self) -> None:
        """Constants of the projection for this view."""

    def km(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Projected km east and north (of an origin of the projection's choosing)."""
        raise NotImplementedError

    def _km_inverse(self, x: float, y: float) -> tuple[float, float]:
        """(lat, lon) of a point given in projected km."""
        raise NotImplementedError

    def _fit(self, size: tuple[int, int], pad: int) -> None:
        b = self.bounds
        t = np.linspace(0.0, 1.0, 17)
        lons = np.concatenate([b.west + (b.east - b.west) * t, np.full(17, b.east), b.west + (b.east - b.west) * t])
        lats = np.concatenate([np.full(17, b.south), b.south + (b.north - b.south) * t, np.full(17, b.north)])
        lons = np.concatenate([lons, np.full(17, b.west)])
        lats = np.concatenate([lats, b.south + (b.north - b.south) * t])
        x, y = self.km(lons, lats)
        width, height = max(size[0] - 2 * pad, 1), max(size[1] - 2 * pad, 1)
        self.px_per_km = min(width / max(x.max() - x.min(), 1e-9), height / max(y.max() - y.min(), 1e-9))
        self.cx = size[0] / 2 - (x.max() + x.min()) / 2 * self.px_per_km
        self.cy = size[1] / 2 + (y.max() + y.min()) / 2 * self.px_per_km

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (floats) of arrays of longitudes and latitudes."""
        x, y = self.km(lon, lat)
        return self.cx + x * self.px_per_km, self.cy - y * self.px_per_km

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self.project(np.array([self.unwrap(lon)], dtype=np.float64), np.array([lat], dtype=np.float64))
        return float(x[0]), float(y[0])

    def inverse(self, px: float, py: float) -> tuple[float, float]:
        """(lat, lon) under a pixel."""
        return self._km_inverse((px - self.cx) / self.px_per_km, (self.cy - py) / self.px_per_km)

    def unwrap(self, lon: float) -> float:
        """The longitude, plus or minus 360, that lies nearest the view's central meridian."""
        return lon + 360.0 * round((self.lon0 - lon) / 360.0)

    def local_px_per_km(self, lat: float, lon: float) -> float:
        """Pixels per km north-south at a point (the scale of a zone's ring drawn there)."""
        d = 0.05
        lat = min(max(lat, -89.0 + d), 89.0 - d)
        x0, y0 = self.point(lat - d, lon)
        x1, y1 = self.point(lat + d, lon)
        return math.hypot(x1 - x0, y1 - y0) / (2 * d * math.pi * EARTH_RADIUS_KM / 180)


class Conic(Projection):
    """Lambert conformal conic on a sphere, standard parallels a sixth in from the edges."""

    name = "lambert conformal conic"

    def _setup(self) -> None:
        b = self.bounds
        span = b.north - b.south
        phi1 = math.radians(b.south + span / 6)
        phi2 = math.radians(b.north - span / 6)
        if abs(phi2 - phi1) < 1e-6:
            n = math.sin(phi1)
        else:
            n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
                math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
            )
        if abs(n) < 0.05:  # near the equator the cone flattens; choose() sends such areas to Mercator
            n = math.copysign(0.05, n) if n else 0.05
        self.n = n
        self.f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
        self.rho0 = float(self._rho(np.array([(b.south + b.north) / 2]))[0])

    def _rho(self, lat: np.ndarray) -> np.ndarray:
        lat = np.clip(lat, -89.9, 89.9)
        return EARTH_RADIUS_KM * self.f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** self.n

    def km(self, lon, lat):
        rho = self._rho(lat)
        theta = self.n * np.radians(lon - self.lon0)
        return rho * np.sin(theta), self.rho0 - rho * np.cos(theta)

    def _km_inverse(self, x, y):
        dy = self.rho0 - y
        rho = math.copysign(math.hypot(x, dy), self.n)
        # South of the equator the cone opens the other way (n < 0), and so do the angles.
        theta = math.atan2(x, dy) if self.n > 0 else math.atan2(-x, -dy)
        if rho == 0:
            return math.copysign(90.0, self.n), self.lon0
        lat = 2 * math.atan((EARTH_RADIUS_KM * self.f / rho) ** (1 / self.n)) - math.pi / 2
        return math.degrees(lat), self.lon0 + math.degrees(theta / self.n)


class Mercator(Projection):
    """Mercator on a sphere: true shapes, north up, for the tropics."""

    name = "mercator"

    def _setup(self) -> None:
        self.y0 = 0.0

    def km(self, lon, lat):
        phi = np.radians(np.clip(lat, -MERCATOR_LAT, MERCATOR_LAT))
        return EARTH_RADIUS_KM * np.radians(lon - self.lon0), EARTH_RADIUS_KM * np.log(np.tan(np.pi / 4 + phi / 2))

    def _km_inverse(self, x, y):
        lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS_KM)) - math.pi / 2)
        return lat, self.lon0 + math.degrees(x / EARTH_RADIUS_KM)


class Equirectangular(Projection):
    """Parallels and meridians as a square grid, east-west scaled to the middle latitude."""

    name = "equirectangular"

    def _setup(self) -> None:
        mid = (self.bounds.south + self.bounds.north) / 2
        self.k = max(math.cos(math.radians(mid)), 0.2)

    def km(self, lon, lat):
        unit = math.pi * EARTH_RADIUS_KM / 180
        return np.asarray(lon - self.lon0) * unit * self.k, np.asarray(lat) * unit

    def _km_inverse(self, x, y):
        unit = math.pi * EARTH_RADIUS_KM / 180
        return y / unit, self.lon0 + x / unit / self.k


def kind_for(bounds: Bounds) -> type[Projection]:
    """Which projection suits an area (see the module's docstring)."""
    span_lon = bounds.east - bounds.west
    if span_lon > 150 or bounds.north - bounds.south > 100:
        return Equirectangular
    south, north = bounds.south, bounds.north
    one_side = south >= 0 or north <= 0
    low = min(abs(south), abs(north))
    if one_side and low >= 18:
        return Conic
    if one_side and low >= 8 and max(abs(south), abs(north)) >= 35:
        return Conic
    return Mercator


def choose(bounds: Bounds, size: tuple[int, int], pad: int = 0) -> Projection:
    """The projection that suits ``bounds``, fitted to ``size``."""
    return kind_for(bounds)(bounds, size, pad)
