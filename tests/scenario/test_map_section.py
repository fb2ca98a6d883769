"""The map section's own parts: reference places, an author's GeoJSON layers and control areas,
and every bad layer file refused at the line and column of its fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.scenario.geojson import MAX_LAYER_BYTES, MAX_RING_POINTS
from game.scenario.loader import check_file, load_scenario
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "map"
BAD = FIXTURES / "bad"

SCENARIO = """\
format: 1
meta: {id: layered, title: "Layered", summary: "A test."}
calendar: {start: "2024-01-01 06:00", hours_per_turn: 6, turn_limit: 2}
roles:
  a: {name: "A", brief: "A.", objective: "x"}
  b: {name: "B", brief: "B.", objective: "0 - x"}
map:
  places:
    port: {name: "Port", lat: 60.1, lon: 24.9}
  layers:
    extra: {file: FILE, style: STYLE}
variables:
  x: {type: number, initial: 0, label: "X"}
turn_order: [a, b]
actions:
  go: {role: a, title: "Go", outcomes: {done: {text: "Done.", add: {x: 1}}}}
endings:
  end: {title: "End", epilogue: "The end.", scores: {a: "x", b: "0 - x"}, at_turn_limit: true}
"""
LAYERS_LINE = 11


def scenario_with(tmp_path: Path, layer: str, style: str, name: str = "extra.geojson") -> Path:
    path = tmp_path / "layered.yaml"
    path.write_text(SCENARIO.replace("FILE", name).replace("STYLE", style), encoding="utf-8")
    if layer:
        (tmp_path / name).write_text(layer, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fixture", "style", "line", "col", "words"),
    [
        ("open_ring.geojson", "area", 10, 11, "a ring must end where it starts"),
        ("crossing.geojson", "land", 11, 11, "the ring crosses itself"),
        ("swapped.geojson", "road", 5, 115, "latitude 125 is outside -90..90"),
        ("wrong_kind.geojson", "area", 7, 28, "an area layer draws polygons; this geometry is 'Point'"),
        ("broken.geojson", "road", 4, 107, "JSON syntax"),
        ("not_collection.geojson", "water", 1, 10, "expected a FeatureCollection or a Feature"),
    ],
)
def test_a_bad_layer_is_refused_at_its_fault(tmp_path, fixture, style, line, col, words):
    shutil.copy(BAD / fixture, tmp_path / fixture)
    problems = check_file(scenario_with(tmp_path, "", style, fixture))
    assert len(problems) == 1, problems
    (problem,) = problems
    assert Path(problem.path).name == fixture
    assert (problem.line, problem.col) == (line, col), str(problem)
    assert words in problem.message


def test_a_missing_layer_file_is_named_at_the_scenario_line(tmp_path):
    (problem,) = check_file(scenario_with(tmp_path, "", "road", "nowhere.geojson"))
    assert Path(problem.path).name == "layered.yaml"
    assert problem.line == LAYERS_LINE and "there is no file 'nowhere.geojson'" in problem.message


@pytest.mark.parametrize("name", ["../outside.geojson", "/etc/passwd"])
def test_a_layer_file_must_lie_inside_the_scenario_folder(tmp_path, name):
    (problem,) = check_file(scenario_with(tmp_path, "", "road", name))
    assert problem.line == LAYERS_LINE and "not a path inside the scenario's folder" in problem.message


def test_a_layer_file_over_the_size_cap_is_refused(tmp_path):
    filler = " " * (MAX_LAYER_BYTES + 10)
    (problem,) = check_file(scenario_with(tmp_path, '{"type": "FeatureCollection", "features": []}' + filler, "road"))
    assert "limit is 1,000,000" in problem.message and Path(problem.path).name == "extra.geojson"


def test_a_ring_with_too_many_points_is_refused(tmp_path):
    pts = ", ".join(f"[{24 + i / 10000:.4f}, 60.0]" for i in range(MAX_RING_POINTS + 1))
    layer = '{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [' + pts + "]}}"
    (problem,) = check_file(scenario_with(tmp_path, layer, "road"))
    assert "points in one line or ring" in problem.message and problem.line == 1


def test_a_good_layer_loads_its_shapes_and_names():
    scenario = load_scenario(FIXTURES / "east_asia.yaml")
    zone, lane = scenario.map_layers
    assert (zone.style, zone.color, lane.style) == ("area", "#CC79A7", "road")
    (shape,) = zone.shapes
    assert shape.closed and shape.name == "Exclusion zone" and shape.rings[0][0] == (119.0, 23.2)
    assert not lane.shapes[0].closed and len(lane.shapes[0].rings[0]) == 3
    (area,) = scenario.control
    assert (area.holder, area.shape) == ("mainland", shape)


def test_reference_places_keep_their_order_and_kinds():
    places = load_scenario(FIXTURES / "caribbean.yaml").reference_places
    assert [(p.name, p.kind) for p in places] == [
        ("Miami", "city"),
        ("Santiago de Cuba", "city"),
        ("Nassau", "capital"),
    ]
    assert load_scenario(ROOT / "scenarios" / "tutorial.yaml").reference_places is None


def test_control_areas_name_a_role_and_one_shape(tmp_path):
    text = SCENARIO.replace(
        "  layers:\n    extra: {file: FILE, style: STYLE}\n",
        '  control:\n    hold: {name: "Port", holder: c, when: "x > 1", place: port}\n'
        '    both: {name: "Both", holder: a, when: "x > 1", place: port, km: 3, polygon: [[1, 1], [2, 2], [2, 1]]}\n',
    )
    path = tmp_path / "control.yaml"
    path.write_text(text, encoding="utf-8")
    messages = sorted(p.message for p in check_file(path))
    assert any("unknown role 'c'" in m for m in messages)
    assert any("needs km above 0" in m for m in messages)
    assert any("one of: place with km, polygon, or layer with feature" in m for m in messages)


def test_bounds_across_the_date_line_are_accepted(tmp_path):
    text = SCENARIO.replace("  layers:\n    extra: {file: FILE, style: STYLE}\n", "  bounds: [170, 50, -170, 66]\n")
    path = tmp_path / "pacific.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).bounds == (170.0, 50.0, -170.0, 66.0)


def test_lint_counts_a_control_areas_condition_as_a_read():
    from game.scenario.lint import lint

    report = lint(load_scenario(FIXTURES / "east_asia.yaml"), games=20)
    assert not [p for p in report.problems if p.code == "variable-unread"], report.problems


def test_a_layer_that_is_a_pipe_is_refused_at_once(tmp_path):
    """The check for a file comes before the read; a pipe put there in between was waited on for good."""
    import os
    import threading

    from game.scenario.geojson import read_layer

    pipe = tmp_path / "extra.geojson"
    os.mkfifo(pipe)
    found: list = []
    reader = threading.Thread(target=lambda: found.append(read_layer(pipe, str(pipe), "road")), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # let the old code's open() go before failing
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert found, "the read waited on the pipe"
    ((shapes, (problem,)),) = found
    assert shapes == () and "named pipe" in problem.message
