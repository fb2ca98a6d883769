"""The optional parts of a scenario's ``map:`` section: its own base layers (GeoJSON files
beside the scenario, see ``geojson``), its own reference places, and areas whose control
follows the state. Called by the loader with its builder, whose ``at``, ``ref`` and ``expr``
place every problem.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from game.core.expr import BOOL
from game.core.maps import AREA_STYLES, ControlArea, MapLayer, ReferencePlace, Shape
from game.scenario.geojson import read_layer

MAX_LAYERS = 12
MAX_LAYER_TOTAL_POINTS = 150_000
MAX_REFERENCE_PLACES = 400
MAX_CONTROL_AREAS = 64


def reference_places(builder) -> tuple[ReferencePlace, ...] | None:
    raw = builder.data["map"].get("reference_places")
    if raw is None:
        return None
    if len(raw) > MAX_REFERENCE_PLACES:
        builder.at("map.reference_places", f"{len(raw)} reference places; the limit is {MAX_REFERENCE_PLACES}")
        return ()
    out = []
    for i, r in enumerate(raw):
        where = f"map.reference_places.{i}"
        if not (-90 <= r["lat"] <= 90):
            builder.at(f"{where}.lat", f"latitude {r['lat']:g} is outside -90..90")
            continue
        if not (-180 <= r["lon"] <= 180):
            builder.at(f"{where}.lon", f"longitude {r['lon']:g} is outside -180..180")
            continue
        out.append(ReferencePlace(r["name"], float(r["lat"]), float(r["lon"]), r.get("kind", "town")))
    return tuple(out)


def layers(builder) -> tuple[MapLayer, ...]:
    raw = builder.data["map"].get("layers", {})
    if not raw:
        return ()
    if len(raw) > MAX_LAYERS:
        builder.at("map.layers", f"{len(raw)} layers; the limit is {MAX_LAYERS}", "merge some of them")
        return ()
    folder = _folder(builder.path)
    out = []
    total = 0
    for lid, spec in raw.items():
        where = f"map.layers.{lid}"
        file = spec["file"]
        relative = PurePosixPath(file.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            builder.at(f"{where}.file", f"'{file}' is not a path inside the scenario's folder", "give a relative path")
            continue
        if folder is None:
            builder.at(
                f"{where}.file", "layer files are read beside the scenario file", "load the scenario from a file"
            )
            continue
        if spec.get("width", 1.2) <= 0 or spec.get("width", 1.2) > 20:
            builder.at(f"{where}.width", "a line width is more than 0 and at most 20 pixels")
        color = spec.get("color", "")
        if color and not _is_colour(color):
            builder.at(f"{where}.color", f"'{color}' is not a colour", "write it as #RRGGBB")
        path = folder / Path(*relative.parts)
        if not path.is_file():
            builder.at(f"{where}.file", f"there is no file '{file}' beside the scenario", f"looked for {path}")
            continue
        shapes, problems = read_layer(path, str(path), spec["style"])
        builder.problems.extend(problems)
        total += sum(len(r) for sh in shapes for r in sh.rings)
        out.append(MapLayer(lid, spec["style"], shapes, color, float(spec.get("width", 1.2)), file))
    if total > MAX_LAYER_TOTAL_POINTS:
        builder.at("map.layers", f"the layers hold {total:,} points; the limit is {MAX_LAYER_TOTAL_POINTS:,}")
    return tuple(out)


def control(builder, roles: dict, places: dict, drawn: tuple[MapLayer, ...]) -> tuple[ControlArea, ...]:
    raw = builder.data["map"].get("control", {})
    if len(raw) > MAX_CONTROL_AREAS:
        builder.at("map.control", f"{len(raw)} control areas; the limit is {MAX_CONTROL_AREAS}")
        return ()
    out = []
    by_id = {layer.id: layer for layer in drawn}
    for aid, a in raw.items():
        where = f"map.control.{aid}"
        builder.ref(a["holder"], roles, f"{where}.holder", "role")
        when = builder.expr(a["when"], f"{where}.when", BOOL)
        kinds = [k for k in ("place", "polygon", "layer") if k in a]
        if len(kinds) != 1:
            builder.at(where, "a control area is one of: place with km, polygon, or layer with feature")
            continue
        area = None
        if "place" in a:
            if "km" not in a or a["km"] <= 0:
                builder.at(f"{where}.km" if "km" in a else where, "an area round a place needs km above 0")
            elif builder.ref(a["place"], places, f"{where}.place", "place"):
                area = ControlArea(aid, a["name"], a["holder"], when, place=a["place"], km=float(a["km"]))
        elif "polygon" in a:
            shape = _polygon(builder, a["polygon"], f"{where}.polygon")
            if shape is not None:
                area = ControlArea(aid, a["name"], a["holder"], when, shape=shape)
        else:
            shape = _feature(builder, a, by_id, where)
            if shape is not None:
                area = ControlArea(aid, a["name"], a["holder"], when, shape=shape)
        if area is not None:
            out.append(area)
    return tuple(out)


def _polygon(builder, points: list, where: str) -> Shape | None:
    if len(points) < 3:
        builder.at(where, f"an outline needs at least 3 points, found {len(points)}")
        return None
    ring = []
    for i, pt in enumerate(points):
        if len(pt) != 2 or not (-180 <= pt[0] <= 180 and -90 <= pt[1] <= 90):
            builder.at(f"{where}.{i}", "a point is [lon, lat] with lon in -180..180 and lat in -90..90")
            return None
        ring.append((float(pt[0]), float(pt[1])))
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return Shape((tuple(ring),), True)


def _feature(builder, a: dict, by_id: dict, where: str) -> Shape | None:
    if not builder.ref(a["layer"], by_id, f"{where}.layer", "layer"):
        return None
    layer = by_id[a["layer"]]
    if layer.style not in AREA_STYLES:
        builder.at(f"{where}.layer", f"the layer '{layer.id}' draws lines; a control area needs a polygon layer")
        return None
    name = a.get("feature", "")
    named = {sh.name: sh for sh in layer.shapes if sh.name}
    if name not in named:
        known = ", ".join(list(named)[:12]) or "(none)"
        builder.at(
            f"{where}.feature" if "feature" in a else where,
            f"the layer has no feature named '{name}'",
            f"named: {known}",
        )
        return None
    return named[name]


def _folder(path: str) -> Path | None:
    p = Path(path)
    return p.parent if p.is_file() else None


def _is_colour(text: str) -> bool:
    return len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])
