"""Build ``basemap.json`` and ``places.csv`` for the game's map from the shared base data.

Not part of the game at run time: it needs shapely, which the game does not. Run it from a
throwaway virtual environment::

    python3 -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install shapely==2.2.0
    /tmp/mapvenv/bin/python assets/map/build.py --src /work/shared/data/map

What it changes on the way, beyond making the file compact:

* Borders follow international law, not the 2017 facts on the ground the source draws:
  Crimea and Sevastopol are taken out of Russia and given back to Ukraine.
* Russian-occupied Ukraine as of late June 2023 becomes its own layer (``occupied``): Crimea
  and Sevastopol, and the parts of Luhansk, Donetsk, Zaporizhzhia and Kherson oblasts east and
  south of an approximate front line (``FRONT_JUNE_2023``) that we drew ourselves from well-known
  front positions. The line ends on the Dnieper, which the occupation line follows to its mouth.
* Coordinates are stored as integers in thousandths of a degree, as flat ``[lon, lat, ...]``
  lists, which is exactly the source's precision.

The output is deterministic: two runs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from shapely import line_merge as linemerge
from shapely.geometry import LineString, MultiLineString, Polygon, shape
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
SCALE = 1000

# The approximate line of contact in late June 2023, north to south, as (lon, lat). It starts
# inside Russia so that it crosses the border, runs south past Kupiansk, Svatove and Kreminna,
# east of Bilohorivka and Siversk, west of Soledar and Bakhmut, east of Avdiivka, past Marinka and south of Vuhledar, then west along the
# Zaporizhzhia front south of Velyka Novosilka, Huliaipole and Orikhiv to the Kakhovka Reservoir.
# Our own approximation (a few km either way), not surveyed data.
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

# Where each country's name may stand, best first; the map takes the first one inside its view.
COUNTRY_LABELS = {
    "RUS": (
        (43.8, 52.6),
        (44.5, 48.6),
        (45.5, 55.0),
        (42.3, 50.4),
        (46.5, 50.5),
        (36.2, 56.2),
        (34.5, 57.8),
        (40.5, 58.8),
        (42.0, 57.0),
    ),
    "UKR": ((31.0, 49.3), (34.0, 49.6), (28.0, 48.9), (32.5, 50.8)),
    "BLR": ((27.9, 53.0), (29.5, 54.3)),
    "POL": ((23.0, 52.3),),
    "LTU": ((24.2, 55.3),),
    "LVA": ((25.6, 56.8),),
    "EST": ((26.0, 58.7),),
    "FIN": ((27.0, 60.8),),
    "MDA": ((28.5, 47.3),),
    "ROU": ((25.0, 45.8),),
    "GEO": ((43.5, 42.6), (43.8, 43.0)),
    "KAZ": ((49.0, 48.5), (48.5, 50.5)),
}
COUNTRY_NAMES = {"RUS": "Russia", "UKR": "Ukraine", "BLR": "Belarus"}
CRIMEA_REGIONS = ("Crimea", "Sevastopol")
# Where each occupied area's name may stand, best first; the map uses the first that fits.
OCCUPIED_LABELS = {
    "crimea": ("Crimea", ((34.2, 45.35), (34.4, 45.0), (33.9, 45.6))),
    "mainland": ("Occupied", ((38.35, 48.25), (35.6, 46.95), (34.6, 46.85), (37.0, 47.35), (38.9, 48.7))),
}


def flat(coords) -> list[int]:
    """A ring or line as a flat list of integer thousandths of a degree."""
    out: list[int] = []
    for lon, lat in coords:
        out += [round(lon * SCALE), round(lat * SCALE)]
    return out


def polygons(geom) -> list[list[list[int]]]:
    """Every polygon of a geometry as a list of rings, the exterior first."""
    parts = (
        [geom] if geom.geom_type == "Polygon" else [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    )
    return [[flat(p.exterior.coords), *(flat(r.coords) for r in p.interiors)] for p in parts if not p.is_empty]


def _rings(polys: list[list[list[int]]]):
    """Stored polygons back as coordinate rings for shapely."""
    for rings in polys:
        yield [list(zip([v / SCALE for v in r[0::2]], [v / SCALE for v in r[1::2]])) for r in rings]


def lines(geom) -> list[list[int]]:
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [flat(geom.coords)]
    return [flat(g.coords) for g in geom.geoms if g.geom_type == "LineString"]


def clean(geom):
    """Snap to the source's grid and drop slivers that boolean operations leave behind."""
    from shapely import set_precision

    geom = set_precision(geom.buffer(0), 1 / SCALE)
    if geom.geom_type == "GeometryCollection":
        geom = unary_union([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def occupation_area() -> Polygon:
    return Polygon([*FRONT_JUNE_2023, *DNIEPER_TO_SEA, *CLOSE_OVER_SEA_AND_RUSSIA])


def split_occupied(occupied, crimea) -> list[dict]:
    """The occupied area as named pieces: Crimea, and the mainland east and south of the front."""
    mainland = clean(occupied.difference(crimea.buffer(0.001)))
    parts = [g for g in getattr(mainland, "geoms", [mainland]) if g.area > 0.01]
    out = [{"id": "crimea", "name": "Crimea", "polys": polygons(crimea)}]
    out.append({"id": "mainland", "name": "Occupied", "polys": polygons(unary_union(parts))})
    return out


def build(src: Path) -> dict:
    features = json.loads((src / "region.geojson").read_text())["features"]
    by_kind: dict[str, list[dict]] = {}
    for f in features:
        by_kind.setdefault(f["properties"]["kind"], []).append(f)

    crimea = unary_union([shape(f["geometry"]) for f in by_kind["region"] if f["properties"]["name"] in CRIMEA_REGIONS])
    land = []
    for f in by_kind["country"]:
        iso = f["properties"]["iso_a3"]
        geom = shape(f["geometry"])
        if iso == "RUS":
            geom = clean(geom.difference(crimea))
        elif iso == "UKR":
            geom = clean(unary_union([geom, crimea]))
        land.append({"iso": iso, "name": f["properties"]["name"], "polys": polygons(geom)})
    ukraine = next(shape(f["geometry"]) for f in by_kind["country"] if f["properties"]["iso_a3"] == "UKR")
    ukraine = unary_union([ukraine, crimea])
    area = occupation_area()
    occupied = clean(ukraine.intersection(area))
    front = ukraine.intersection(LineString([*FRONT_JUNE_2023, *DNIEPER_TO_SEA]))
    if isinstance(front, MultiLineString):
        front = unary_union(front)

    waters = [
        {
            "name": f["properties"]["name"] or "",
            "water": f["properties"]["water"],
            "polys": polygons(shape(f["geometry"])),
        }
        for f in by_kind["water"]
    ]
    rivers = [
        {
            "name": f["properties"]["name"],
            "rank": int(f["properties"]["scalerank"]),
            "lines": lines(shape(f["geometry"])),
        }
        for f in by_kind["river"]
    ]
    roads = [
        {"name": f["properties"]["name"], "schematic": True, "lines": lines(shape(f["geometry"]))}
        for f in by_kind["road"]
    ]
    labels = {iso: [flat([p])[:2] for p in points] for iso, points in COUNTRY_LABELS.items()}
    shapes = {c["iso"]: unary_union([Polygon(r[0], r[1:]) for r in _rings(c["polys"])]) for c in land}
    land_all = unary_union(list(shapes.values()))
    box_edge = Polygon.from_bounds(22, 43, 50, 61).exterior.buffer(0.0005)
    outline = land_all.boundary.buffer(0.0005)
    borders = linemerge(unary_union([g.boundary for g in shapes.values()]).difference(outline))
    coasts = linemerge(land_all.boundary.difference(box_edge))
    russia = shapes["RUS"]
    region_lines = linemerge(
        unary_union(
            [shape(f["geometry"]).boundary for f in by_kind["region"] if f["properties"]["name"] not in CRIMEA_REGIONS]
        ).difference(russia.boundary.buffer(0.0005))
    )
    return {
        "format": 1,
        "about": "Built by assets/map/build.py; see ATTRIBUTION.md. Coordinates: thousandths of a degree, lon/lat.",
        "scale": SCALE,
        "bbox": [22, 43, 50, 61],
        "land": land,
        "occupied": split_occupied(occupied, crimea),
        "occupied_labels": [
            {"id": k, "name": n, "spots": [flat([p]) for p in spots]} for k, (n, spots) in OCCUPIED_LABELS.items()
        ],
        "front": [{"name": "Line of contact, June 2023 (approximate)", "lines": lines(front)}],
        "borders": lines(borders),
        "coasts": lines(coasts),
        "region_lines": lines(region_lines),
        "water": waters,
        "rivers": rivers,
        "roads": roads,
        "country_labels": labels,
        "country_names": COUNTRY_NAMES,
    }


def copy_places(src: Path, dest: Path) -> None:
    """Keep only the columns the game reads, in the source's order."""
    keep = ("name", "lat", "lon", "kind", "population", "country")
    with (src / "places.csv").open(newline="") as f:
        rows = [{k: row[k] for k in keep} for row in csv.DictReader(f)]
    with dest.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keep, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("/work/shared/data/map"))
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    data = build(args.src)
    (args.out / "basemap.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")
    copy_places(args.src, args.out / "places.csv")
    print(f"wrote {args.out / 'basemap.json'} and {args.out / 'places.csv'}")


if __name__ == "__main__":
    main()
