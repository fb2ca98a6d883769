"""The world map: any part of the world drawn with land, sea and coasts, reference towns of the
scenario's own choosing, names that never overlap at the window's sizes, markers at their own
places, insets for crowded places, and control shading that tells no side what it may not know."""

from __future__ import annotations

import dataclasses

import numpy as np
import pygame
import pytest

from game.core.model import Marker
from game.core.state import State
from game.scenario.loader import load_scenario
from game.ui import geo
from game.ui.map import MapView, Overlay, Zone, held_areas, role_colour, tokens_for
from game.ui.map_inset import LEAST_PX
from game.ui.map_labels import overlaps
from game.ui.map_style import COAST, SEA, land_colour
from game.ui.scenes.turn_view import make_layout
from game.ui.theme import Theme
from tests.conftest import ROOT, SCENARIOS

FIXTURES = ROOT / "tests" / "fixtures" / "map"
WORLD_FIXTURES = [FIXTURES / "caribbean.yaml", FIXTURES / "east_asia.yaml"]
WINDOWS = ((960, 540), (1280, 720), (1920, 1080))


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.init()


def map_size(window: tuple[int, int]) -> tuple[int, int]:
    """The map's size on the turn screen in a window of this size, at the window's default scale."""
    theme = Theme(max(1.0, window[1] / 720))
    return make_layout(window, theme).map.inflate(-4, -4).size


def every_marker(scenario) -> tuple[Marker, ...]:
    found: list[Marker] = []
    for move in [*scenario.actions.values(), *scenario.events.values()]:
        for outcome in move.outcomes:
            m = outcome.marker
            if m and m.place in scenario.places and m not in found:
                found.append(m)
    return tuple(found)


def busy_overlay(scenario) -> Overlay:
    """Every unit and person on the map, the scenario's markers (the last few), a zone, every control area."""
    values = scenario.initial_values()
    zones = (Zone(scenario.place_ids[0], 50, "Cordon"),)
    return Overlay(
        tokens=tokens_for(scenario, values, values, routed_only=False),
        markers=every_marker(scenario)[-8:],
        zones=zones,
        held=tuple(a.id for a in scenario.control),
    )


def _colour_share(surface: pygame.Surface, colour, tolerance: int = 6) -> float:
    pixels = pygame.surfarray.array3d(surface).astype(int)
    return float(np.mean(np.abs(pixels - np.array(colour)).max(axis=2) <= tolerance))


def _pixel(surface: pygame.Surface, view: MapView, lat: float, lon: float) -> np.ndarray:
    """The commonest colour of the 7 x 7 pixels round a point (so a line through it does not count)."""
    x, y = (round(v) for v in view.to_screen(lat, lon))
    patch = pygame.surfarray.array3d(surface)[x - 3 : x + 4, y - 3 : y + 4].reshape(-1, 3)
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return colours[counts.argmax()].astype(int)


@pytest.mark.parametrize(
    ("path", "land", "sea", "code", "projection"),
    [
        (WORLD_FIXTURES[0], (22.45, -80.0), (21.0, -85.0), "CUB", "mercator"),  # central Cuba; the Yucatán channel
        (WORLD_FIXTURES[1], (34.5, 113.0), (29.0, 125.0), "CHN", "lambert conformal conic"),  # Henan; East China Sea
    ],
    ids=["caribbean", "east_asia"],
)
def test_a_scenario_anywhere_shows_land_sea_and_coasts(path, land, sea, code, projection):
    scenario = load_scenario(path)
    view = MapView(scenario, map_size((1280, 720)))
    assert view.projection.name == projection
    layer = view.static_layer()
    assert np.abs(_pixel(layer, view, *land) - land_colour(code)).max() < 16
    assert np.abs(_pixel(layer, view, *sea) - SEA).max() < 16
    assert 0.2 < _colour_share(layer, SEA, 10) < 0.9
    assert _colour_share(layer, COAST, 12) > 0.002  # coastlines are drawn
    for place in scenario.places.values():
        x, y = view.to_screen(place.lat, place.lon)
        assert 0 < x < view.size[0] and 0 < y < view.size[1], place.id


def test_a_map_across_the_date_line_draws_both_sides(tutorial):
    view = MapView(tutorial, (640, 400), bounds=(160, 52, -160, 72))
    layer = view.static_layer()
    chukotka, alaska = _pixel(layer, view, 66.5, 172.0), _pixel(layer, view, 65.0, -160.0)
    assert np.abs(chukotka - land_colour("RUS")).max() < 16
    assert np.abs(alaska - land_colour("USA")).max() < 16
    assert np.abs(_pixel(layer, view, 58.0, -178.0) - SEA).max() < 16  # the Bering Sea


@pytest.mark.parametrize("path", [*SCENARIOS, *WORLD_FIXTURES], ids=lambda p: p.stem)
@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: f"{w[0]}x{w[1]}")
def test_no_two_map_labels_overlap(path, window):
    scenario = load_scenario(path)
    view = MapView(scenario, map_size(window))
    view.draw(pygame.Surface(view.size), (0, 0), busy_overlay(scenario))
    labels = view.labels()
    assert labels, "the map names something"
    clashes = overlaps(labels)
    assert not clashes, [(a.kind, a.key, a.rect, b.kind, b.key, b.rect) for a, b in clashes[:5]]
    frame = pygame.Rect(0, 0, *view.size)
    assert all(frame.contains(pl.rect) for pl in labels), [pl for pl in labels if not frame.contains(pl.rect)]


def test_reference_towns_come_from_the_scenario_or_the_world_never_another_scenario():
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    tutorial = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    view = MapView(wagner, map_size((1920, 1080)))
    towns = {pl.key for pl in view.labels() if pl.kind == "town"}
    own = {r.name for r in wagner.reference_places}
    assert towns and towns <= own
    assert {"Kyiv", "Kharkiv", "Kursk"} <= towns
    port = MapView(tutorial, map_size((1920, 1080)))
    near = {pl.key for pl in port.labels() if pl.kind == "town"}
    assert not near & own  # the Wagner towns are nowhere near the tutorial's port
    world = {c.name for c in geo.cities_in(port.bounds.__class__(23.0, 59.0, 27.0, 61.0))}
    assert near and near <= world  # the world's towns round the tutorial's port


def _marker_rects(view: MapView, place: str) -> list[pygame.Rect]:
    return [pl.rect for pl in view.labels() if pl.kind == "marker" and pl.key == place]


@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: f"{w[0]}x{w[1]}")
def test_a_marker_stands_at_its_own_place_not_on_a_neighbour(window):
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    view = MapView(wagner, map_size(window))
    bridge = Marker("serpukhov", "bridge", "Oka bridge blocked")
    view.draw(pygame.Surface(view.size), (0, 0), Overlay(markers=(bridge,)))
    (rect,) = _marker_rects(view, "serpukhov")
    moscow = view.place_pos("moscow")
    assert not rect.inflate(-2, -2).collidepoint(moscow)
    assert not rect.colliderect(view._layer().names["moscow"])
    sx, sy = view.place_pos("serpukhov")
    reach = max(abs(rect.centerx - sx), abs(rect.centery - sy))
    assert reach < 4 * rect.h, "the marker stays near Serpukhov"
    assert any(pl.leader for pl in view.labels() if pl.kind == "marker") or reach < 2 * rect.h


def test_units_and_people_at_one_place_name_themselves_apart():
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    values = wagner.initial_values()
    view = MapView(wagner, map_size((1280, 720)))
    tokens = tokens_for(wagner, values, values, routed_only=False)
    assert {"Wagner's column", "Prigozhin"} <= {t.label for t in tokens}
    view.draw(pygame.Surface(view.size), (0, 0), Overlay(tokens=tokens))
    units = [pl for pl in view.labels() if pl.kind == "unit"]
    assert len(units) == len(tokens)
    assert not overlaps(units)


@pytest.mark.parametrize("window", WINDOWS[1:], ids=lambda w: f"{w[0]}x{w[1]}")
def test_central_moscow_in_1991_gets_an_inset_where_its_sites_stand_apart(window):
    scenario = load_scenario(ROOT / "scenarios" / "august_1991.yaml")
    view = MapView(scenario, map_size(window))
    central = ("white_house", "kremlin", "manezhnaya", "tunnel", "us_embassy", "lubyanka")
    inset = view.inset_of("kremlin")
    assert inset is not None and set(central) <= set(inset.members)
    spots = [inset.positions[p] for p in central]
    closest = min(np.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(spots) for b in spots[i + 1 :])
    assert closest >= LEAST_PX
    assert all(inset.rect.collidepoint(xy) for xy in spots)
    # The pointer finds a place in the inset, and the main map does not draw it twice.
    x, y = inset.positions["white_house"]
    assert view.place_at((x + 10, y + 20), (10, 20)) == "white_house"
    assert (
        "white_house" not in {pl.key for pl in view._layer().placer.placed if pl.kind == "place"} - set(inset.names)
        or inset.names["white_house"]
    )


def test_no_inset_where_places_stand_apart():
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    view = MapView(wagner, map_size((1920, 1080)))
    assert view._layer().insets == []


def test_a_held_area_is_shaded_in_its_holders_colour_only_while_it_holds():
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    state = State.initial(wagner)
    assert held_areas(state, None) == ()
    slot = wagner.variable_ids.index("rostov_taken")
    taken = State(wagner, tuple(1.0 if i == slot else v for i, v in enumerate(state.values)), 2, 0, "")
    assert held_areas(taken, "putin") == ("rostov_hq",)
    view = MapView(wagner, map_size((1280, 720)))
    plain, shaded = pygame.Surface(view.size), pygame.Surface(view.size)
    view.draw(plain, (0, 0), Overlay())
    view.draw(shaded, (0, 0), Overlay(held=("rostov_hq",)))
    x, y = view.place_pos("rostov")
    r = round(30 * view.projection.local_px_per_km(47.2, 39.7))
    edge = np.array(shaded.get_at((round(x), round(y - r)))[:3]).astype(int)
    before = np.array(plain.get_at((round(x), round(y - r)))[:3]).astype(int)
    colour = np.array(role_colour(wagner, "prigozhin"))
    assert np.abs(edge - colour).sum() < np.abs(before - colour).sum()


def test_a_side_that_cannot_see_the_condition_sees_no_shading():
    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    secret = dataclasses.replace(wagner.variables["rostov_taken"], visible_to=("prigozhin",))
    hidden = dataclasses.replace(wagner, variables={**wagner.variables, "rostov_taken": secret})
    slot = hidden.variable_ids.index("rostov_taken")
    values = tuple(1.0 if i == slot else v for i, v in enumerate(hidden.initial_values()))
    state = State(hidden, values, 2, 0, "")
    assert held_areas(state, "prigozhin") == ("rostov_hq",)
    assert held_areas(state, "putin") == ()
    assert held_areas(state, None) == ("rostov_hq",)  # a spectator sees everything


def test_the_authors_layers_are_drawn():
    scenario = load_scenario(FIXTURES / "east_asia.yaml")
    bare = dataclasses.replace(scenario, map_layers=())
    size = map_size((1920, 1080))
    drawn, plain = MapView(scenario, size).static_layer(), MapView(bare, size).static_layer()
    view = MapView(scenario, size)
    zone = _pixel(drawn, view, 24.0, 119.6)
    assert np.abs(_pixel(plain, view, 24.0, 119.6) - SEA).max() < 16
    assert np.abs(zone - SEA).max() > 20  # the zone is filled where the sea was
