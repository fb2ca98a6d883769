"""The loader refuses every kind of broken file with the right line and column."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game.scenario.loader import check_file, load_bytes, load_scenario
from game.scenario.problems import ScenarioError
from tests.conftest import ROOT, SCENARIOS, TUTORIAL
from tests.scenario.problems import only, problems_of

BASE = TUTORIAL.read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert BASE.count(old) >= 1, old
    return BASE.replace(old, new, 1)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def col_of(text: str, needle: str, nth: int = 1) -> int:
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_are_clean(path):
    assert check_file(path) == []


def test_duplicate_key():
    text = edit("  anger:\n", "  anger:\n    type: number\n")
    p = only(problems_of(text), "duplicate key 'type'")
    assert p.line == line_of(text, "    type: number", 3)
    assert "first given on line" in p.message


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "OFF"])
def test_ambiguous_boolean(word):
    text = edit("    initial: false\n", f"    initial: {word}\n")
    p = only(problems_of(text), "ambiguous boolean")
    assert (p.line, p.col) == (line_of(text, f"initial: {word}"), col_of(text, f"initial: {word}") + 9)
    assert "true or false" in p.hint


def test_sexagesimal_number():
    text = edit("  hours_per_turn: 6\n", "  hours_per_turn: 1:30\n")
    p = only(problems_of(text), "base-60")
    assert p.line == line_of(text, "1:30")


def test_alias_budget():
    anchors = "".join(f"  c{i}: *n\n" for i in range(60))
    text = edit("constants:\n  fleet_patience: 3\n", "constants:\n  fleet_patience: &n 3\n" + anchors)
    p = only(problems_of(text), "aliases")
    assert p.line == line_of(text, "&n 3")


def test_billion_laughs_is_refused_quickly():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    problems = problems_of("\n".join(levels) + "\n")
    only(problems, "aliases")


def test_depth_limit():
    text = "format: 1\nmeta: " + "[" * 40 + "]" * 40 + "\n"
    p = only(problems_of(text), "nested")
    assert p.line == 2


def test_size_cap():
    p = only(problems_of(BASE, max_bytes=1000), "limit is 1,000 bytes")
    assert (p.line, p.col) == (1, 1)


def test_not_utf8():
    raw = BASE.encode("utf-8").replace(b"Halvik docks", b"Halvik d\xffcks", 1)
    p = only(problems_of(raw), "not UTF-8")
    assert p.line == line_of(BASE, "Halvik docks")


def test_yaml_syntax_error_points_at_the_line():
    text = edit('    name: "Harbour master"\n', '    name: "Harbour master\n')
    p = only(problems_of(text), "YAML syntax")
    assert p.line >= line_of(text, 'name: "Harbour master')


def test_tabs_get_a_hint():
    text = edit("  harbour:\n    name:", "  harbour:\n\tname:")
    only(problems_of(text), "not tabs")


def test_unknown_field_with_suggestion():
    text = edit('    title: "Call the police"\n', '    titel: "Call the police"\n')
    p = only(problems_of(text), "unknown field 'titel'")
    assert p.hint == "did you mean 'title'?"
    assert (p.line, p.col) == (line_of(text, "titel:"), 5)


def test_missing_field():
    text = edit('    title: "Call the police"\n', "")
    p = only(problems_of(text), "needs the field 'title'")
    assert p.line == line_of(text, '    role: harbour\n    description: "Clear')


def test_wrong_type():
    text = edit("  turn_limit: 4\n", "  turn_limit: four\n")
    p = only(problems_of(text), "expected a whole number")
    assert (p.line, p.col) == (line_of(text, "turn_limit: four"), 15)


def test_bad_id():
    text = edit("  wait:\n", "  Wait It Out:\n")
    only(problems_of(text), "not a valid id")


def test_unknown_name_in_expression_points_into_it():
    text = edit('weight: "100 - solidarity"', 'weight: "100 - solidarty"')
    p = only(problems_of(text), "unknown name 'solidarty'")
    assert "did you mean 'solidarity'" in p.message
    assert (p.line, p.col) == (line_of(text, "solidarty"), col_of(text, "solidarty"))


def test_forbidden_expression():
    text = edit('when: "not police_called"', 'when: "police_called.__class__"')
    p = only(problems_of(text), "attribute access")
    assert p.line == line_of(text, "__class__")


@pytest.mark.parametrize(
    "old, new, fragment, where",
    [
        (
            '    role: harbour\n    title: "Call',
            '    role: harbor\n    title: "Call',
            "unknown role 'harbor'",
            "role: harbor",
        ),
        ("stops: [halvik, bridge, hall]", "stops: [halvik, brige, hall]", "unknown place 'brige'", "brige"),
        ("        end: broken\n", "        end: brokn\n", "unknown ending 'brokn'", "end: brokn"),
        ("add: {anger: 20}", "add: {angr: 20}", "unknown variable 'angr'", "angr"),
        ("turn_order: [union, harbour]", "turn_order: [union, harbor]", "unknown role 'harbor'", "harbor]"),
        ("route: high_street", "route: highstreet", "unknown route 'highstreet'", "highstreet"),
        ("{place: bridge, kind: flag", "{place: bridj, kind: flag", "unknown marker place 'bridj'", "bridj"),
    ],
)
def test_unknown_references(old, new, fragment, where):
    text = edit(old, new)
    p = only(problems_of(text), fragment)
    assert p.line == line_of(text, where)


def test_unknown_name_in_text_template():
    text = edit("Anger is at {anger}.", "Anger is at {angr}.")
    p = only(problems_of(text), "'{angr}'")
    assert "did you mean 'anger'" in p.message and p.line == line_of(text, "{angr}")


def test_empty_outcome_list():
    text = edit(
        '    outcomes:\n      waits:\n        text: "The port waits. The strikers\' pantries empty."\n        add: {solidarity: -6, money: -4}\n',
        "    outcomes: {}\n",
    )
    p = only(problems_of(text), "outcome list is empty")
    assert p.line == line_of(text, "outcomes: {}")


def test_constant_negative_weight():
    text = edit("        weight: 2\n", "        weight: -2\n")
    p = only(problems_of(text), "always negative")
    assert p.line == line_of(text, "weight: -2")


def test_constant_chance_out_of_range():
    text = edit("    chance: 0.3\n", "    chance: 1.5\n")
    only(problems_of(text), "between 0 and 1")


def test_place_where_a_number_is_needed():
    harbour = '"70 - 0.5 * solidarity + 0.2 * money - 4 * turn"'
    text = edit(f"objective: {harbour}", 'objective: "marchers"')
    only(problems_of(text), "is a place")


def test_add_to_a_boolean():
    text = edit("set: {police_called: true}\n        add: {anger: 20}", "add: {police_called: 1, anger: 20}")
    only(problems_of(text), "only numbers can be added to")


def test_turn_limit_ending_required():
    text = edit("    at_turn_limit: true\n", "")
    only(problems_of(text), "no ending has at_turn_limit")


def test_route_distances_must_match_stops():
    text = edit("km: [4, 3]", "km: [4]")
    p = only(problems_of(text), "need 2 distances")
    assert p.line == line_of(text, "km: [4]")


def test_initial_outside_bounds():
    text = edit("    initial: 70\n", "    initial: 170\n")
    only(problems_of(text), "outside its bounds")


def test_format_version():
    text = edit("format: 2\n", "format: 3\n")
    only(problems_of(text), "reads scenario formats 1 and 2, not 3")


def test_all_problems_reported_in_one_run():
    text = edit('    title: "Call the police"\n', '    titel: "Call the police"\n')
    text = text.replace("  turn_limit: 4\n", "  turn_limit: four\n").replace("initial: false", "initial: yes")
    problems = problems_of(text)
    assert len(problems) >= 3
    assert problems == sorted(problems, key=lambda p: (p.line, p.col))


def test_semantic_problems_are_all_reported():
    text = edit("add: {anger: 20}", "add: {angr: 20}").replace("        end: broken\n", "        end: brokn\n")
    text = text.replace('weight: "100 - solidarity"', 'weight: "100 - solidarty"', 1)
    assert len(problems_of(text)) == 3


def test_missing_file():
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(ROOT / "no_such_file.yaml")


def test_problem_prints_file_line_col_and_hint():
    text = edit('    title: "Call the police"\n', '    titel: "Call the police"\n')
    p = only(problems_of(text), "titel")
    assert str(p) == f"bad.yaml:{p.line}:5: error: unknown field 'titel' in an action; did you mean 'title'?"
    assert p.excerpt(text).endswith("    " + " " * 4 + "^")


def test_a_long_line_is_shown_as_a_window_around_the_column():
    from game.scenario.problems import EXCERPT, Problem

    line = "x" * 5000 + "\x00" + "y" * 5000
    shown, caret = Problem("f.yaml", 1, 5001, "error", "a NUL").excerpt(line).split("\n")
    assert len(shown) <= 4 + 2 * EXCERPT + 6 and "\x00" not in shown
    assert shown[len(caret) - 1] == " " and shown[len(caret) - 2] == "x"  # the caret under the NUL's place
    assert Problem("f.yaml", 1, 3, "error", "near the start").excerpt(line).split("\n")[1] == "      ^"


def test_validate_command_exit_codes_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(edit("  turn_limit: 4\n", "  turn_limit: four\n"), encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "game", "validate", str(TUTORIAL)], capture_output=True, text=True)
    assert ok.returncode == 0 and "ok" in ok.stdout
    broken = subprocess.run(
        [sys.executable, "-m", "game", "validate", str(bad), str(TUTORIAL)], capture_output=True, text=True
    )
    assert broken.returncode == 1
    assert f"{bad}:{line_of(bad.read_text(), 'turn_limit')}:15: error: expected a whole number" in broken.stdout
    assert "Traceback" not in broken.stdout + broken.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "game", "validate", str(tmp_path / "none.yaml"), str(TUTORIAL)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "no scenario" in missing.stderr  # as every command answers it


def test_map_bounds_are_kept_and_checked():
    text = edit("  routes:\n    high_street:", "  bounds: [24, 59, 26, 61]\n  routes:\n    high_street:")
    assert load_bytes(text.encode(), "ok.yaml").bounds == (24.0, 59.0, 26.0, 61.0)
    bad = edit("  routes:\n    high_street:", "  bounds: [26, 59, 24, 61]\n  routes:\n    high_street:")
    p = only(problems_of(bad), "west < east")
    assert p.line == line_of(bad, "bounds:")


def test_marker_place_may_be_a_place_variable_and_a_typo_is_named():
    text = edit("{place: bridge, kind: flag", "{place: marchrs, kind: flag")
    p = only(problems_of(text), "unknown marker place 'marchrs'")
    assert "did you mean 'marchers'" in p.message and p.line == line_of(text, "marchrs")
    assert "marchers" in p.hint and "halvik" in p.hint
