"""Build ``world.npz``, the game's base map of the whole world, from the shared base data.

Not part of the game at run time: it needs shapely, which the game does not. Run it from a
throwaway virtual environment::

    python3 -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install shapely==2.2.0 numpy
    /tmp/mapvenv/bin/python assets/map/build.py --src /work/shared/data/map

Two data sets go in, one map comes out:

* the **world** (``world/world.geojson`` and ``world/places.csv``): countries, the states and
  provinces of the USA, Canada, Brazil and Australia, lakes, rivers, sea names and populated
  places, at about 3 km detail;
* the **region** of the Wagner mutiny (``region.geojson``, lon 22-50 E, lat 43-61 N): the same
  kinds of layers in more detail, plus Russia's regions, the M4 and the occupied parts of
  Ukraine. Inside its box the map is drawn from it; the world's layers are cut away there, so
  the two meet along the box's edge without drawing anything twice.

What it changes on the way, beyond making the file compact:

* Borders follow international law, not the 2017 facts on the ground the sources draw:
  Crimea and Sevastopol are taken out of Russia and given back to Ukraine.
* Russian-occupied Ukraine as of late June 2023 becomes its own layer (``occupied``): Crimea
  and Sevastopol, and the parts of Luhansk, Donetsk, Zaporizhzhia and Kherson oblasts east and
  south of an approximate front line (``FRONT_JUNE_2023``) that we drew ourselves from well-known
  front positions. The line ends on the Dnieper, which the occupation line follows to its mouth.
* The Ukrainian capital is spelled Kyiv; Natural Earth 4.0.0 writes Kiev.
* Coordinates are stored as integer thousandths of a degree, delta-coded per ring, in numpy
  arrays (``np.savez_compressed``); the layers' names and properties are one JSON text in the
  same file. ``game/ui/geo.py`` reads it.

The output is deterministic: two runs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely import line_merge as linemerge
from shapely.geometry import LineString, MultiLineString, Polygon, box, shape
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
SCALE = 1000
REGION_BOX = (22.0, 43.0, 50.0, 61.0)
EDGE = 0.0005
"""Half the width of the strip along a cut that is not drawn as a coast or a border."""

# The approximate line of contact in late June 2023, north to south, as (lon, lat). It starts
# inside Russia so that it crosses the border, runs south past Kupiansk, Svatove and Kreminna,
# east of Bilohorivka and Siversk, west of Soledar and Bakhmut, east of Avdiivka, past Marinka
# and south of Vuhledar, then west along the Zaporizhzhia front south of Velyka Novosilka,
# Huliaipole and Orikhiv to the Kakhovka Reservoir. Our own approximation (a few km either way),
# not surveyed data.
FRONT_JUNE_2023 = (
    (38.40, 50.60),
    (37.90, 50.05),
    (37.78, 49.85),
    (37.74, 49.72),
    (37.80, 49.56),
    (37.93, 49.42),
    (38.07, 49.16),
    (38.10, 49.05),
    (38.20, 48.99),
    (38.30, 48.93),
    (38.24, 48.85),
    (38.15, 48.77),
    (38.03, 48.70),
    (37.92, 48.62),
    (37.94, 48.52),
    (37.92, 48.41),
    (37.86, 48.30),
    (37.80, 48.17),
    (37.68, 48.08),
    (37.53, 47.95),
    (37.41, 47.83),
    (37.25, 47.735),
    (37.02, 47.74),
    (36.83, 47.73),
    (36.55, 47.60),
    (36.26, 47.57),
    (35.97, 47.50),
    (35.81, 47.48),
    (35.57, 47.50),
    (35.38, 47.53),
)
# The rest of the occupation line: down the Kakhovka Reservoir and the Dnieper (following the
# source's own centre line of the reservoir and the river), through the delta to the estuary.
DNIEPER_TO_SEA = (
    (35.150, 47.545),
    (35.063, 47.505),
    (34.594, 47.569),
    (34.008, 47.463),
    (33.965, 47.255),
    (33.706, 47.028),
    (33.603, 46.853),
    (33.540, 46.831),
    (33.438, 46.833),
    (33.317, 46.765),
    (33.187, 46.791),
    (33.000, 46.758),
    (32.646, 46.650),
    (32.500, 46.600),
    (32.350, 46.560),
    (32.100, 46.560),
    (31.600, 46.590),
)
# Closes the area to the south and east over sea and Russia; only its intersection with
# Ukraine is kept, so these points need only lie outside Ukraine.
CLOSE_OVER_SEA_AND_RUSSIA = ((31.30, 46.50), (31.00, 45.50), (31.00, 43.50), (40.60, 43.50), (40.60, 50.60))
CRIMEA_REGIONS = ("Crimea", "Sevastopol")
# Where each occupied area's name may stand, best first; the map uses the first that fits.
OCCUPIED_LABELS = {
    "crimea": ((34.2, 45.35), (34.4, 45.0), (33.9, 45.6)),
    "mainland": ((38.35, 48.25), (35.6, 46.95), (34.6, 46.85), (37.0, 47.35), (38.9, 48.7)),
}
# Sea names the world's label points lack, inside the region.
REGION_SEA_LABELS = (("Sea of Azov", 36.7, 46.15, 2),)
PLACE_RENAME = {"Kiev": "Kyiv"}
REGION_NAME = {"Kiev Reservoir": "Kyiv Reservoir"}
SHORT_NAMES = {"United States of America": "United States", "Dem. Rep. Congo": "DR Congo"}


class Store:
    """Rings and lines as delta-coded integer points, and the features that refer to them."""

    def __init__(self) -> None:
        self.points: list[np.ndarray] = []
        self.count = 0

    def ring(self, coords) -> int:
        """Store one ring or line; returns its index."""
        q = np.round(densify(np.asarray(coords, dtype=np.float64)[:, :2]) * SCALE).astype(np.int64)
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)  # repeated points after rounding say nothing
        q = q[keep]
        delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        self.points.append(delta.astype(np.int32))
        self.count += 1
        return self.count - 1

    def polygons(self, geom) -> list[list[int]]:
        """Every polygon of a geometry as ring indices, the exterior first."""
        out = []
        for p in _parts(geom, "Polygon"):
            rings = [p.exterior, *p.interiors]
            if len(p.exterior.coords) >= 4:
                out.append([self.ring(r.coords) for r in rings if len(r.coords) >= 4])
        return out

    def lines(self, geom) -> list[int]:
        return [self.ring(g.coords) for g in _parts(geom, "LineString") if len(g.coords) >= 2]

    def arrays(self) -> dict[str, np.ndarray]:
        """``first``: each ring's first point; ``steps``: the steps from point to point, as the
        low and the high bytes of int16 in two rows (which compresses a third better);
        ``starts``: where each ring's points begin, counting the first point."""
        lengths = np.array([len(p) for p in self.points], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
        first = np.array([p[0] for p in self.points], dtype=np.int32)
        steps = np.concatenate([p[1:] for p in self.points]).astype(np.int64)
        assert np.abs(steps).max() < 2**15, "densify() keeps every step within int16"
        planes = steps.astype(np.int16).reshape(-1).view(np.uint8).reshape(-1, 2).T.copy()
        return {"first": first, "steps": planes, "starts": starts}


def densify(coords: np.ndarray, most: float = 1.0) -> np.ndarray:
    """Points added along steps longer than ``most`` degrees, so that long straight edges (the
    cut along the antimeridian, Antarctica's edge) bend as the projection bends them."""
    out = [coords[:1]]
    for a, b in zip(coords[:-1], coords[1:]):
        n = int(np.ceil(np.abs(b - a).max() / most))
        if n > 1:
            out.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
        else:
            out.append(b[None, :])
    return np.concatenate(out)


def _parts(geom, kind: str) -> list:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == kind:
        return [geom]
    found = []
    for g in getattr(geom, "geoms", []):
        found += _parts(g, kind)
    return found


def clean(geom):
    """Snap to the source's grid and drop slivers that boolean operations leave behind."""
    geom = shapely.set_precision(geom.buffer(0), 1 / SCALE)
    if geom.geom_type == "GeometryCollection":
        geom = unary_union([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def short_name(props: dict) -> str:
    name = props["name"]
    return SHORT_NAMES.get(name, name)


def world_layers(src: Path, store: Store) -> dict:
    """The world's layers, less what lies inside the region's box."""
    features = json.loads((src / "world" / "world.geojson").read_text())["features"]
    by_kind: dict[str, list[dict]] = {}
    for f in features:
        by_kind.setdefault(f["properties"]["kind"], []).append(f)
    cut = box(*REGION_BOX)
    countries = [(f["properties"], shape(f["geometry"])) for f in by_kind["country"]]
    land_all = shapely.union_all([g for _, g in countries])
    # The antimeridian and the south pole's edge are where the data is cut, not coasts.
    seams = unary_union(
        [LineString([(x, -90), (x, 90)]) for x in (-180, 180)] + [LineString([(-180, -89.999), (180, -89.999)])]
    ).buffer(EDGE)
    coast = land_all.boundary.difference(seams)
    outline = land_all.boundary.buffer(EDGE)
    borders = shapely.union_all([g.boundary for _, g in countries]).difference(outline)
    regions = [(f["properties"], shape(f["geometry"])) for f in by_kind["region"]]
    region_lines = shapely.union_all([g.boundary for _, g in regions]).difference(
        shapely.union_all(
            [g.boundary for p, g in countries if p["adm0_a3"] in {r["country"] for r, _ in regions}]
        ).buffer(EDGE)
    )
    land = []
    for props, geom in countries:
        rest = clean(geom.difference(cut))
        if rest.is_empty:
            continue
        land.append({"id": props["adm0_a3"], "name": short_name(props), "polys": store.polygons(rest)})
    water = []
    for f in by_kind["water"]:
        geom = clean(shape(f["geometry"]).difference(cut))
        if not geom.is_empty:
            p = f["properties"]
            water.append({"name": p["name"] or "", "rank": int(p["scalerank"]), "polys": store.polygons(geom)})
    rivers = []
    for f in by_kind["river"]:
        geom = shape(f["geometry"]).difference(cut)
        if not geom.is_empty:
            p = f["properties"]
            rivers.append({"name": p["name"] or "", "rank": int(p["scalerank"]), "lines": store.lines(geom)})
    labels = [
        {"name": f["properties"]["name"], "rank": int(f["properties"]["scalerank"]), "at": f["geometry"]["coordinates"]}
        for f in by_kind["label"]
        if f["properties"]["featurecla"] not in ("river",)
    ]
    return {
        "land": land,
        "water": water,
        "rivers": rivers,
        "coasts": store.lines(linemerge(coast.difference(cut))),
        "borders": store.lines(linemerge(borders.difference(cut))),
        "region_lines": store.lines(linemerge(region_lines.difference(cut))),
        "labels": labels,
    }


def occupation_area() -> Polygon:
    return Polygon([*FRONT_JUNE_2023, *DNIEPER_TO_SEA, *CLOSE_OVER_SEA_AND_RUSSIA])


def region_layers(src: Path, store: Store) -> dict:
    """The region's layers, with recognised borders and the occupation of June 2023."""
    features = json.loads((src / "region.geojson").read_text())["features"]
    by_kind: dict[str, list[dict]] = {}
    for f in features:
        by_kind.setdefault(f["properties"]["kind"], []).append(f)
    crimea = unary_union([shape(f["geometry"]) for f in by_kind["region"] if f["properties"]["name"] in CRIMEA_REGIONS])
    shapes = {}
    names = {}
    for f in by_kind["country"]:
        iso = f["properties"]["iso_a3"]
        geom = shape(f["geometry"])
        if iso == "RUS":
            geom = clean(geom.difference(crimea))
        elif iso == "UKR":
            geom = clean(unary_union([geom, crimea]))
        shapes[iso] = geom
        names[iso] = f["properties"]["name"]
    land_all = unary_union(list(shapes.values()))
    box_edge = box(*REGION_BOX).exterior.buffer(EDGE)
    outline = land_all.boundary.buffer(EDGE)
    borders = linemerge(unary_union([g.boundary for g in shapes.values()]).difference(outline))
    coasts = linemerge(land_all.boundary.difference(box_edge))
    region_lines = linemerge(
        unary_union(
            [shape(f["geometry"]).boundary for f in by_kind["region"] if f["properties"]["name"] not in CRIMEA_REGIONS]
        ).difference(shapes["RUS"].boundary.buffer(EDGE))
    )
    occupied = clean(shapes["UKR"].intersection(occupation_area()))
    mainland = clean(occupied.difference(crimea.buffer(0.001)))
    mainland = unary_union([g for g in _parts(mainland, "Polygon") if g.area > 0.01])
    front = shapes["UKR"].intersection(LineString([*FRONT_JUNE_2023, *DNIEPER_TO_SEA]))
    if isinstance(front, MultiLineString):
        front = unary_union(front)
    water = []
    for f in by_kind["water"]:
        p = f["properties"]
        if p["water"] == "sea":  # the background is sea; the region's sea polygons add nothing
            continue
        name = REGION_NAME.get(p["name"] or "", p["name"] or "")
        water.append({"name": name, "rank": int(p["scalerank"]), "polys": store.polygons(shape(f["geometry"]))})
    return {
        "land": [{"id": iso, "name": names[iso], "polys": store.polygons(g)} for iso, g in shapes.items()],
        "water": water,
        "rivers": [
            {
                "name": f["properties"]["name"] or "",
                "rank": int(f["properties"]["scalerank"]),
                "lines": store.lines(shape(f["geometry"])),
            }
            for f in by_kind["river"]
        ],
        "coasts": store.lines(coasts),
        "borders": store.lines(borders),
        "region_lines": store.lines(region_lines),
        "occupied": [
            {"id": "crimea", "name": "Crimea", "polys": store.polygons(crimea), "spots": OCCUPIED_LABELS["crimea"]},
            {
                "id": "mainland",
                "name": "Occupied",
                "polys": store.polygons(mainland),
                "spots": OCCUPIED_LABELS["mainland"],
            },
        ],
        "front": store.lines(front),
        "roads": [
            {"name": f["properties"]["name"], "lines": store.lines(shape(f["geometry"]))} for f in by_kind["road"]
        ],
        "labels": [{"name": n, "rank": r, "at": [lon, lat]} for n, lon, lat, r in REGION_SEA_LABELS],
    }


def places(src: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The world's populated places, largest first: names and classes as JSON, numbers as arrays."""
    with (src / "world" / "places.csv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["population"]]
    rows.sort(key=lambda r: (-int(r["population"]), r["name"]))
    meta = {
        "names": [PLACE_RENAME.get(r["name"], r["name"]) for r in rows],
        "kinds": [r["kind"] for r in rows],
        "countries": [r["country"] or r["adm0_a3"] for r in rows],
        "capitals": [r["capital"] for r in rows],
    }
    arrays = {
        "place_latlon": np.array(
            [[round(float(r["lat"]) * 10000), round(float(r["lon"]) * 10000)] for r in rows], np.int32
        ),
        "place_population": np.array([int(r["population"]) for r in rows], np.int32),
    }
    return meta, arrays


def build(src: Path) -> tuple[dict, dict[str, np.ndarray]]:
    store = Store()
    world = world_layers(src, store)
    region = region_layers(src, store)
    place_meta, place_arrays = places(src)
    meta = {
        "format": 2,
        "about": "Built by assets/map/build.py; see ATTRIBUTION.md. Points: thousandths of a degree, lon/lat, "
        "delta-coded per ring.",
        "scale": SCALE,
        "region_box": list(REGION_BOX),
        "world": world,
        "region": region,
        "places": place_meta,
    }
    return meta, {**store.arrays(), **place_arrays}


def write(meta: dict, arrays: dict[str, np.ndarray], dest: Path) -> None:
    """A deterministic .npz: fixed member order and timestamps, so two builds give the same bytes."""
    members = {"meta": np.frombuffer(json.dumps(meta, separators=(",", ":")).encode(), dtype=np.uint8), **arrays}
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(members):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(members[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue(), compresslevel=9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("/work/shared/data/map"))
    parser.add_argument("--out", type=Path, default=HERE / "world.npz")
    args = parser.parse_args()
    meta, arrays = build(args.src)
    write(meta, arrays, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(arrays['starts']) - 1:,} rings and lines)")


if __name__ == "__main__":
    main()
