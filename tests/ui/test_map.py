"""The campaign map: projection, caching, hit-testing, routes, recognised borders, and a screenshot."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.core.model import Marker, Place, Route
from game.ui import geo
from game.ui.map import LAND, OCCUPIED_TINT, MapView, Overlay, Token, Zone, occupation_for, person_name, tokens_for
from game.ui.map_projection import Conic, Equirectangular, Mercator, choose, kind_for
from tests.conftest import SCENARIOS

REFERENCE = Path(__file__).with_name("map_reference.png")
WAGNER_PLACES = {
    "rostov": ("Rostov-on-Don", 47.2346, 39.7127, "city"),
    "voronezh": ("Voronezh", 51.73, 39.27, "city"),
    "tula": ("Tula", 54.2, 37.63, "city"),
    "moscow": ("Moscow", 55.7522, 37.6155, "capital"),
}


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.init()


@pytest.fixture(scope="module")
def fonts():
    # pygame's own font, so the screenshot does not depend on which fonts are bundled.
    return {
        role: pygame.font.Font(None, size)
        for role, size in (("place", 18), ("city", 14), ("country", 16), ("small", 13), ("water", 14))
    }


@pytest.fixture(scope="module")
def wagner(tutorial):
    places = {k: Place(k, n, lat, lon, kind=kind) for k, (n, lat, lon, kind) in WAGNER_PLACES.items()}
    route = Route("m4", "M4", ("rostov", "voronezh", "tula", "moscow"), (570.0, 440.0, 180.0))
    return dataclasses.replace(tutorial, places=places, routes={"m4": route})


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_place_is_inside_the_view(path, fonts):
    from game.scenario.loader import load_scenario

    scenario = load_scenario(path)
    view = MapView(scenario, (640, 360), fonts=fonts)
    for place in scenario.places.values():
        x, y = view.to_screen(place.lat, place.lon)
        assert 0 < x < 640 and 0 < y < 360, place.id


def test_north_is_up_and_east_is_right(wagner, fonts):
    view = MapView(wagner, (640, 360), fonts=fonts)
    rostov, moscow = view.place_pos("rostov"), view.place_pos("moscow")
    assert moscow[1] < rostov[1]
    assert view.to_screen(50, 40)[0] > view.to_screen(50, 38)[0]


def test_to_geo_inverts_to_screen(wagner, fonts):
    view = MapView(wagner, (640, 360), fonts=fonts)
    lat, lon = view.to_geo(view.to_screen(51.73, 39.27))
    assert lat == pytest.approx(51.73, abs=1e-6) and lon == pytest.approx(39.27, abs=1e-6)


BOXES = [
    (30, 45, 40, 55),
    (140, -40, 155, -30),
    (-10, -5, 10, 5),
    (20, 69, 35, 72),
    (-90, 10, -60, 28),
    (170, 40, 200, 60),
    (-170, -60, 170, 70),
]


@pytest.mark.parametrize("box", BOXES)
def test_projection_round_trips_anywhere_on_earth(box):
    projection = choose(geo.Bounds(*box), (640, 360))
    west, south, east, north = box
    for lat, lon in ((south + 0.5, west + 0.5), (north - 0.5, east - 0.5), ((south + north) / 2, (west + east) / 2)):
        x, y = projection.point(lat, lon)
        assert 0 <= x <= 640 and 0 <= y <= 360
        assert projection.inverse(x, y) == pytest.approx((lat, lon), abs=1e-6)


@pytest.mark.parametrize(
    ("box", "kind"),
    [
        ((22, 43, 50, 61), Conic),  # the Wagner mutiny
        ((115, 20, 150, 46), Conic),  # East Asia
        ((-100, 10, 45, 65), Conic),  # the Cuban crisis from Washington to Moscow
        ((-88, 14, -64, 28), Mercator),  # the Caribbean
        ((95, -10, 130, 20), Mercator),  # South-East Asia, across the equator
        ((-180, -60, 180, 80), Equirectangular),  # the world
    ],
)
def test_the_projection_suits_the_area(box, kind):
    assert kind_for(geo.Bounds(*box)) is kind


def test_a_box_across_the_date_line_is_one_box():
    bounds = geo.Bounds.of(170, 50, -170, 66)
    assert (bounds.west, bounds.east) == (170, 190)
    projection = choose(bounds, (640, 360))
    west_x, _ = projection.point(58, 175)
    east_x, _ = projection.point(58, -175)  # 185 E
    assert 0 < west_x < east_x < 640


def test_default_bounds_hold_places_on_both_sides_of_the_date_line():
    bounds = geo.fit_bounds([(64.7, 177.5), (64.5, -165.4)])  # Anadyr, Nome
    assert bounds.east - bounds.west < 40
    assert bounds.west < 177.5 and bounds.east > 194.6


def test_static_layer_is_built_once_per_size(wagner, fonts):
    view = MapView(wagner, (320, 180), fonts=fonts)
    screen = pygame.Surface((320, 180))
    view.draw(screen, (0, 0), Overlay(highlight="tula"))
    view.draw(screen, (0, 0), Overlay(markers=(Marker("moscow", "defence", "Defences"),)))
    assert view.static_builds == 1
    view.resize((320, 180))
    view.draw(screen)
    assert view.static_builds == 1
    view.resize((400, 200))
    view.draw(pygame.Surface((400, 200)))
    assert view.static_builds == 2


def test_place_at_finds_the_place_under_the_pointer(wagner, fonts):
    view = MapView(wagner, (640, 360), fonts=fonts)
    topleft = (30, 40)
    for pid in wagner.places:
        x, y = view.place_pos(pid)
        assert view.place_at((x + topleft[0] + 2, y + topleft[1] - 2), topleft) == pid
    assert view.place_at((5, 5)) is None


def test_route_point_moves_along_the_route_by_km(wagner, fonts):
    view = MapView(wagner, (640, 360), fonts=fonts)
    assert view.route_point("m4", "rostov", "moscow", 0.0) == pytest.approx(view.place_pos("rostov"))
    assert view.route_point("m4", "rostov", "moscow", 1.0) == pytest.approx(view.place_pos("moscow"))
    # 570 of 1190 km: just past Voronezh, on the leg to Tula.
    x, y = view.route_point("m4", "rostov", "moscow", 600 / 1190)
    vx, vy = view.place_pos("voronezh")
    tx, ty = view.place_pos("tula")
    share = 30 / 440
    assert (x, y) == pytest.approx((vx + (tx - vx) * share, vy + (ty - vy) * share))
    assert view.route_point("m4", "tula", "voronezh", 0.5) == pytest.approx(((vx + tx) / 2, (vy + ty) / 2))


def test_people_without_a_route_get_round_badges_when_asked(tutorial, fonts):
    values = tutorial.initial_values()
    assert all(tok.route for tok in tokens_for(tutorial, values, values))
    everyone = tokens_for(tutorial, values, values, routed_only=False)
    assert {tok.shape for tok in everyone} == {"unit"}  # the tutorial's only place variable has a route
    assert person_name("Where Putin is") == "Putin"
    assert person_name("Wagner's column") == "Wagner's column"
    view = MapView(tutorial, (320, 180), fonts=fonts)
    view.draw(pygame.Surface((320, 180)), (0, 0), Overlay(tokens=(Token("Putin", "hall", "hall", shape="person"),)))


def test_a_zone_is_a_ring_of_its_radius_in_km(wagner, fonts):
    view = MapView(wagner, (640, 360), fonts=fonts)
    plain, ringed = pygame.Surface((640, 360)), pygame.Surface((640, 360))
    view.draw(plain)
    view.draw(ringed, (0, 0), Overlay(zones=(Zone("voronezh", 100),)))
    x, y = view.place_pos("voronezh")
    r = 100 * view.projection.px_per_km
    changed = np.argwhere(
        np.abs(pygame.surfarray.array3d(ringed).astype(int) - pygame.surfarray.array3d(plain)).sum(axis=2) > 150
    )
    distances = np.hypot(changed[:, 0] - x, changed[:, 1] - y)
    assert len(distances) > 20
    assert np.median(distances) == pytest.approx(r, abs=2.0)


def test_tokens_follow_place_variables(tutorial, fonts):
    before = tutorial.initial_values()
    after = list(before)
    slot = tutorial.variable_ids.index("marchers")
    after[slot] = float(tutorial.place_ids.index("bridge"))
    (token,) = tokens_for(tutorial, before, after, 0.5)
    assert (token.from_place, token.to_place, token.route) == ("halvik", "bridge", "high_street")
    view = MapView(tutorial, (320, 180), fonts=fonts)
    view.draw(pygame.Surface((320, 180)), (0, 0), Overlay(tokens=(token,)))


def test_zoom_keeps_the_point_under_the_pointer_and_caches_each_level(wagner, fonts):
    view = MapView(wagner, (320, 180), fonts=fonts)
    view.static_layer()
    at = view.place_pos("voronezh")
    view.zoom(2.0, around=at)
    assert view.place_pos("voronezh") == pytest.approx(at, abs=1.0)
    assert view.projection.px_per_km > 0
    view.static_layer()
    view.reset_view()
    view.static_layer()
    assert view.static_builds == 2


def test_occupation_follows_the_scenario_date():
    assert occupation_for(1991) == "none"
    assert occupation_for(2015) == "crimea"
    assert occupation_for(2023) == "2023"


def test_crimea_is_ukraine_under_occupation_in_the_data():
    simferopol = (44.95, 34.10)
    assert geo.country_at(*simferopol) == "UKR"
    assert geo.occupied_at(*simferopol) == "crimea"
    assert geo.occupied_at(47.10, 37.55) == "mainland"  # Mariupol
    assert geo.occupied_at(49.99, 36.23) is None  # Kharkiv
    assert geo.country_at(47.23, 39.71) == "RUS"  # Rostov-on-Don


@pytest.mark.parametrize(
    ("name", "lat", "lon", "occupied"),
    [
        ("Kupiansk", 49.71, 37.61, False),
        ("Svatove", 49.41, 38.15, True),
        ("Siversk", 48.87, 38.10, False),
        ("Bakhmut", 48.595, 38.00, True),
        ("Avdiivka", 48.14, 37.75, False),
        ("Vuhledar", 47.78, 37.25, False),
        ("Orikhiv", 47.57, 35.78, False),
        ("Tokmak", 47.25, 35.71, True),
        ("Kherson", 46.64, 32.61, False),
        ("Oleshky", 46.62, 32.72, True),
    ],
)
def test_line_of_contact_puts_june_2023_positions_on_the_right_side(name, lat, lon, occupied):
    assert geo.country_at(lat, lon) == "UKR", name
    assert (geo.occupied_at(lat, lon) == "mainland") is occupied, name


def _patch(surface: pygame.Surface, x: float, y: float) -> np.ndarray:
    """The 21 x 21 pixels round a point, as rows of RGB."""
    pixels = pygame.surfarray.array3d(surface).astype(int)
    return pixels[int(x) - 10 : int(x) + 11, int(y) - 10 : int(y) + 11].reshape(-1, 3)


def _hatched(patch: np.ndarray) -> float:
    """The share of reddish pixels: the occupation hatching."""
    return float(np.mean((patch[:, 0] - patch[:, 2] > 60) & (patch[:, 0] - patch[:, 1] > 45)))


def _commonest(patch: np.ndarray) -> np.ndarray:
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return colours[counts.argmax()]


CRIMEA_VIEW = (30.5, 42.5, 41.5, 48.5)


def test_crimea_is_drawn_as_occupied_ukraine_not_russia(wagner, fonts):
    view = MapView(wagner, (400, 300), fonts=fonts, bounds=CRIMEA_VIEW)
    layer = view.static_layer()
    crimea = _patch(layer, *view.to_screen(44.8, 34.0))
    russia = _patch(layer, *view.to_screen(45.3, 38.6))
    assert _hatched(crimea) > 0.05 and _hatched(russia) == 0
    assert np.abs(_commonest(crimea) - OCCUPIED_TINT).max() < 12
    assert np.abs(_commonest(russia) - LAND["RUS"]).max() < 12


def test_crimea_is_plain_ukraine_before_2014(wagner, fonts):
    view = MapView(wagner, (400, 300), fonts=fonts, bounds=CRIMEA_VIEW, occupation="none")
    crimea = _patch(view.static_layer(), *view.to_screen(44.8, 34.0))
    assert _hatched(crimea) == 0
    assert np.abs(_commonest(crimea) - LAND["UKR"]).max() < 12


def test_screenshot_matches_the_reference(wagner, fonts):
    view = MapView(wagner, (320, 200), fonts=fonts)
    screen = pygame.Surface((320, 200))
    token = Token("Column", "voronezh", "tula", 0.5, "m4")
    view.draw(screen, (0, 0), Overlay(tokens=(token,), markers=(Marker("moscow", "defence"),), highlight="rostov"))
    if os.environ.get("CRISIS_UPDATE_SCREENSHOTS"):
        pygame.image.save(screen, REFERENCE)
        pytest.skip("reference screenshot written; check it by eye and commit it")
    got = pygame.surfarray.array3d(screen).astype(int)
    want = pygame.surfarray.array3d(pygame.image.load(REFERENCE)).astype(int)
    diff = np.abs(got - want).max(axis=2)
    assert diff.mean() < 3.0 and (diff > 60).mean() < 0.01, f"mean {diff.mean():.2f}, far {(diff > 60).mean():.3%}"


def test_every_marker_kind_of_the_format_has_its_own_icon():
    from game.scenario.spec import MARKER_KINDS
    from game.ui.map_icons import GLYPHS, marker_icon

    assert set(GLYPHS) == set(MARKER_KINDS)
    drawn = {kind: pygame.image.tobytes(marker_icon(kind, 22), "RGBA") for kind in MARKER_KINDS}
    assert len(set(drawn.values())) == len(MARKER_KINDS)


def test_the_map_modules_import_one_way():
    """map.py puts the pieces together; no piece imports it back (nor pygame in geo or the projections)."""
    import ast

    folder = Path(__file__).resolve().parents[2] / "game" / "ui"
    for path in [*folder.glob("map_*.py"), folder / "geo.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names = {f"{n.module}.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert "game.ui.map" not in imported and "game.ui.map" not in names, path.name
        if path.name in ("geo.py", "map_projection.py"):
            assert "pygame" not in imported, path.name
