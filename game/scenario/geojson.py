"""Reading an author's GeoJSON map layer, checked, with every problem at its line and column.

A layer file is read like a scenario file (as YAML, of which JSON is a part, keeping every
value's mark; see ``yamlread``), capped in size, then checked: a FeatureCollection (or one
Feature) of geometries the layer's style can draw (polygons for land, water and area; lines
for roads, rails, rivers and borders), finite positions inside [-180, 180] x [-90, 90], lines
of two points or more, polygon rings closed, of four points or more, with an area, that do
not cross themselves, and no more points than the caps allow.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from game.core.maps import AREA_STYLES, Shape
from game.files import read_regular
from game.scenario.problems import Problem
from game.scenario.yamlread import Document, read_yaml

MAX_LAYER_BYTES = 1_000_000
"""The largest layer file read."""
MAX_LAYER_POINTS = 50_000
"""The most points one layer may hold (a frame draws them all when the view is built)."""
MAX_RING_POINTS = 2_000
"""The most points in one ring or line: beyond that, simplify it."""
_AREAS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")


class _Layer:
    def __init__(self, doc: Document, path: str, style: str) -> None:
        self.doc = doc
        self.path = path
        self.style = style
        self.problems: list[Problem] = list(doc.problems)
        self.points = 0

    def at(self, where: str, message: str, hint: str = "") -> None:
        probe = where
        mark = self.doc.marks.get(probe)
        while mark is None and probe:
            probe = probe.rpartition(".")[0]
            mark = self.doc.marks.get(probe)
        line, col = (mark.line, mark.col) if mark else (1, 1)
        self.problems.append(Problem(self.path, line, col, message, hint))

    def features(self) -> list[tuple[str, dict]]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.at("", "a layer file holds one GeoJSON object", 'start it with {"type": "FeatureCollection", ...}')
            return []
        kind = data.get("type")
        if kind == "Feature":
            return [("", data)]
        if kind != "FeatureCollection":
            self.at("type" if "type" in data else "", f"expected a FeatureCollection or a Feature, found {kind!r}")
            return []
        features = data.get("features")
        if not isinstance(features, list):
            self.at("features" if "features" in data else "", "a FeatureCollection needs a list of 'features'")
            return []
        return [(f"features.{i}", f) for i, f in enumerate(features)]

    def shapes(self) -> tuple[Shape, ...]:
        out: list[Shape] = []
        for where, feature in self.features():
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                self.at(where, "each item of 'features' must be a Feature")
                continue
            props = feature.get("properties")
            name = props.get("name") if isinstance(props, dict) else None
            name = name if isinstance(name, str) else ""
            geometry = feature.get("geometry")
            gw = f"{where}.geometry" if where else "geometry"
            if not isinstance(geometry, dict):
                self.at(gw if "geometry" in feature else where, "a Feature needs a geometry")
                continue
            out += self.geometry(geometry, gw, name)
        if self.points > MAX_LAYER_POINTS:
            self.at("", f"the layer holds {self.points:,} points; the limit is {MAX_LAYER_POINTS:,}", "simplify it")
        return tuple(out)

    def geometry(self, g: dict, where: str, name: str) -> list[Shape]:
        kind = g.get("type")
        areas = self.style in AREA_STYLES
        allowed = _AREAS if areas else _LINES
        if kind not in allowed:
            what = "polygons" if areas else "lines"
            self.at(
                f"{where}.type" if "type" in g else where,
                f"{'an' if self.style[0] in 'aeiou' else 'a'} {self.style} layer draws {what}; this geometry is {kind!r}",
                "allowed: " + ", ".join(allowed),
            )
            return []
        coords = g.get("coordinates")
        cw = f"{where}.coordinates"
        if not isinstance(coords, list):
            self.at(cw if "coordinates" in g else where, "a geometry needs a list of 'coordinates'")
            return []
        if kind == "LineString":
            line = self.line(coords, cw)
            return [Shape((line,), False, name)] if line else []
        if kind == "Polygon":
            rings = self.polygon(coords, cw)
            return [Shape(rings, True, name)] if rings else []
        out = []
        for i, part in enumerate(coords):
            pw = f"{cw}.{i}"
            if kind == "MultiLineString":
                line = self.line(part, pw)
                if line:
                    out.append(Shape((line,), False, name))
            else:
                rings = self.polygon(part, pw)
                if rings:
                    out.append(Shape(rings, True, name if i == 0 else ""))
        return out

    def positions(self, value: Any, where: str) -> tuple[tuple[float, float], ...] | None:
        if not isinstance(value, list):
            self.at(where, "expected a list of [lon, lat] positions")
            return None
        if len(value) > MAX_RING_POINTS:
            self.at(
                where, f"{len(value):,} points in one line or ring; the limit is {MAX_RING_POINTS:,}", "simplify it"
            )
            return None
        out = []
        for i, pos in enumerate(value):
            pw = f"{where}.{i}"
            if not isinstance(pos, list) or len(pos) < 2:
                self.at(pw, "a position is [lon, lat] (two numbers)")
                return None
            lon, lat = pos[0], pos[1]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
                self.at(pw, "a position is [lon, lat] (two numbers)", "write numbers such as 12.5, not text")
                return None
            if not (math.isfinite(lon) and math.isfinite(lat)):
                self.at(pw, "a position must be finite numbers")
                return None
            if not -180 <= lon <= 180:
                self.at(
                    f"{pw}.0", f"longitude {lon:g} is outside -180..180", "GeoJSON gives [lon, lat]: check the order"
                )
                return None
            if not -90 <= lat <= 90:
                self.at(f"{pw}.1", f"latitude {lat:g} is outside -90..90", "GeoJSON gives [lon, lat]: check the order")
                return None
            out.append((float(lon), float(lat)))
        self.points += len(out)
        return tuple(out)

    def line(self, value: Any, where: str):
        pts = self.positions(value, where)
        if pts is None:
            return None
        if len(pts) < 2:
            self.at(where, f"a line needs at least 2 positions, found {len(pts)}")
            return None
        return pts

    def polygon(self, value: Any, where: str):
        if not isinstance(value, list) or not value:
            self.at(where, "a polygon is a list of rings (the outline, then any holes)")
            return None
        rings = []
        for i, raw in enumerate(value):
            rw = f"{where}.{i}"
            pts = self.positions(raw, rw)
            if pts is None:
                return None
            if len(pts) < 4:
                self.at(rw, f"a ring needs at least 4 positions (the first repeated at the end), found {len(pts)}")
                return None
            if pts[0] != pts[-1]:
                self.at(f"{rw}.{len(pts) - 1}", "a ring must end where it starts", f"add {list(pts[0])} at its end")
                return None
            crossing = _self_crossing(pts)
            if crossing is not None:
                self.at(f"{rw}.{crossing}", "the ring crosses itself here", "redraw it so its edges do not cross")
                return None
            if abs(_area(pts)) < 1e-12:
                self.at(rw, "this ring has no area (its points lie on a line)")
                return None
            rings.append(pts)
        return tuple(rings)


def _area(pts) -> float:
    a = np.asarray(pts)
    x, y = a[:, 0], a[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def _self_crossing(pts) -> int | None:
    """The index of a point whose edge crosses a non-neighbouring edge of the same ring, or None."""
    a = np.asarray(pts, dtype=np.float64)
    p, q = a[:-1], a[1:]
    n = len(p)
    if n < 4:
        return None
    for start in range(0, n, 256):
        i = np.arange(start, min(start + 256, n))[:, None]
        j = np.arange(n)[None, :]
        far = (j > i + 1) & ~((i == 0) & (j == n - 1))
        if not far.any():
            continue
        p1, q1 = p[i[:, 0]][:, None, :], q[i[:, 0]][:, None, :]
        p2, q2 = p[None, :, :], q[None, :, :]
        d1 = _cross(p2, q2, p1)
        d2 = _cross(p2, q2, q1)
        d3 = _cross(p1, q1, p2)
        d4 = _cross(p1, q1, q2)
        hit = far & (d1 * d2 < 0) & (d3 * d4 < 0)
        if hit.any():
            row = int(np.argwhere(hit)[0][0])
            return int(i[row, 0]) + 1
    return None


def _cross(a, b, c):
    return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])


def _as_json(problem: Problem) -> Problem:
    """A syntax problem in the words of JSON, which is what a layer file is written in."""
    if not problem.message.startswith("YAML syntax:"):
        return problem
    message = "JSON syntax:" + problem.message.removeprefix("YAML syntax:")
    return Problem(problem.path, problem.line, problem.col, message, "check the commas and brackets near here")


def read_layer(path: Path, shown: str, style: str) -> tuple[tuple[Shape, ...], list[Problem]]:
    """The shapes of a layer file and every problem found in it (``shown`` names it in messages)."""
    try:  # a regular file only: a pipe put in its place after the check for a file is not waited on
        raw = read_regular(path, MAX_LAYER_BYTES)
    except OSError as exc:
        return (), [Problem(shown, 1, 1, f"cannot read the layer file: {exc.strerror or exc}", "check the path")]
    doc = read_yaml(raw, shown, MAX_LAYER_BYTES)
    if doc.data is None:
        return (), [_as_json(p) for p in doc.problems]
    layer = _Layer(doc, shown, style)
    shapes = layer.shapes()
    return (shapes if not layer.problems else ()), layer.problems
