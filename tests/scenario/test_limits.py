"""Numbers, names and resources in a scenario file: every one past its limit is refused where it stands
(the tutorial as it was in format 1 is the file edited).

Each case edits the tutorial in one place and expects one problem, at the line and column of
the value, that says what the limit is; nothing may reach the engine, and nothing may crash.
"""

from __future__ import annotations

import pytest

from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError
from tests.conftest import TUTORIAL_FORMAT1 as TUTORIAL

TEXT = TUTORIAL.read_text(encoding="utf-8")


def refused(old: str, new: str) -> list:
    assert old in TEXT, old
    with pytest.raises(ScenarioError) as caught:
        load_bytes(TEXT.replace(old, new, 1).encode("utf-8"), "edited.yaml")
    return caught.value.problems


def where(text: str, fragment: str) -> tuple[int, int]:
    """The (line, column) at which ``fragment`` starts in ``text``, 1-based."""
    at = text.index(fragment)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.mark.parametrize(
    "old, new, value, words",
    [
        ("initial: 50\n", "initial: 1" + "0" * 400 + "\n", "1" + "0" * 400, "too large"),
        ("initial: 50\n", "initial: 1e400\n", "1e400", "too large"),
        ("initial: 50\n", "initial: -2e15\n", "-2e15", "too large"),
        ("initial: 50\n", "initial: .nan\n", ".nan", "is not a finite number"),
        ("initial: 50\n", "initial: -.inf\n", "-.inf", "is not a finite number"),
        ("fleet_patience: 3\n", "fleet_patience: 0x" + "f" * 30 + "\n", "0x", "too large"),
        ("lat: 60.10,", "lat: 95,", "95", "a latitude lies between -90 and 90"),
        ("lon: 24.90,", "lon: -400,", "-400", "a longitude lies between -180 and 180"),
        ("km: [4, 3]", "km: [4, 300000]", "300000", "at most 100,000 km"),
        ("turn_limit: 4\n", "turn_limit: 1000000000\n", "1000000000", "the turn limit must be from 1 to 1,000"),
        ("hours_per_turn: 6\n", "hours_per_turn: 1e300\n", "1e300", "too large"),
        ("hours_per_turn: 6\n", "hours_per_turn: 9000\n", "9000", "at most 8784"),
        ('start: "2024-03-04 06:00"', 'start: "9999-12-31 23:00"', '"9999', "runs past the year 9999"),
        ("estimate_step: 20\n", "estimate_step: 1e-9\n", "1e-9", "at least 1e-06"),
        ("games: 2000", "games: 10000000", "10000000", "from 1 to 1,000,000 games"),
        ('weight: "solidarity"', 'weight: "solidarity * 1e16"', '"solidarity', "number is too large"),
        ('objective: "money - 2 * anger"', 'objective: "money - 2 * 1' + "0" * 300 + '"', '"money', "too large"),
    ],
)
def test_numbers_past_their_limits_are_refused_where_they_stand(old, new, value, words):
    problems = refused(old, new)
    edited = TEXT.replace(old, new, 1)
    assert any(words in p.message for p in problems), [str(p) for p in problems]
    first = next(p for p in problems if words in p.message)
    line, col = where(edited, new)
    assert first.line == line and col <= first.col, str(first)
    assert (first.line, first.col) <= where(edited, new[new.index(value) :]) or value.startswith('"')


def test_a_seed_in_a_balance_check_is_a_whole_number_of_the_domain():
    problems = refused("games: 2000", "games: 2000\n    seed: -1")
    assert any("a seed is a whole number from 0" in p.message for p in problems)


def test_the_number_limit_is_written_the_way_authors_write_it():
    """YAML 1.1 reads 1e15 (no dot) as text; the format reads it as the number the messages speak of."""
    scenario = load_bytes(TEXT.replace("fleet_patience: 3\n", "fleet_patience: 1e15\n", 1).encode(), "ok.yaml")
    assert scenario.constants["fleet_patience"] == 1e15


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("  picket:\n", '  "picket\\n":\n', r"'picket\n' is not a valid id"),
        ("    role: union\n", '    role: "union\\n"\n', r"expected an id, found the text 'union\n'"),
        ("  picket:\n", "  " + "p" * 65 + ":\n", "too long for an id (65 characters; at most 64)"),
        ("  union:\n    name:", "  world:\n    name:", "'world' is reserved"),
        ('title: "Strike at the Northern Docks"', 'title: "' + "x" * 20_001 + '"', "20,001 characters long"),
    ],
)
def test_names_are_checked_whole(old, new, words):
    problems = refused(old, new)
    assert any(words in p.message for p in problems), [str(p) for p in problems]


def test_an_event_may_not_share_an_action_id():
    text = TEXT.replace("  rain:\n", "  picket:\n", 1)
    with pytest.raises(ScenarioError) as caught:
        load_bytes(text.encode(), "edited.yaml")
    (problem,) = [p for p in caught.value.problems if "already the id of an action" in p.message]
    assert (problem.line, problem.col) == where(text, "picket:\n    title")


@pytest.mark.parametrize(
    "text, column",
    [("ｍoney - 2 * anger", 0), ("money - 2 * ａnger", 12), ("money - 2 * angér", 15)],
)
def test_expressions_are_plain_ascii(text, column):
    problems = refused('objective: "money - 2 * anger"', f'objective: "{text}"')
    (problem,) = problems
    assert "not a plain ASCII character" in problem.message
    assert (problem.line, problem.col) == (where(TEXT, '"money - 2 * anger"')[0], where(TEXT, '"money')[1] + 1 + column)


@pytest.mark.parametrize(
    "value",
    ["!foo 3", "!!python/object:os.system 3", "!!binary aGVsbG8=", "!!set {a, b}", "!thing {a: 1}", "!!omap [a: 1]"],
)
def test_unknown_yaml_tags_are_refused_where_they_stand(value):
    problems = refused("fleet_patience: 3\n", f"fleet_patience: {value}\n")
    tagged = [p for p in problems if "tag" in p.message]
    assert len(tagged) == 1 and (tagged[0].line, tagged[0].col) == where(TEXT, "3\n\nvariables")


def test_plain_yaml_tags_are_still_read():
    scenario = load_bytes(TEXT.replace("fleet_patience: 3\n", "fleet_patience: !!float 3\n", 1).encode(), "ok.yaml")
    assert scenario.constants["fleet_patience"] == 3.0


def test_a_drawn_start_with_a_step_too_small_to_count_is_refused():
    from tests.conftest import TUTORIAL as FORMAT2_TUTORIAL

    text = FORMAT2_TUTORIAL.read_text(encoding="utf-8")
    assert "{range: [40, 60], step: 10}" in text
    with pytest.raises(ScenarioError, match="the step 4.94066e-324 is too small for the range"):
        load_bytes(text.replace("step: 10}", "step: 5e-324}", 1).encode(), "edited.yaml")


def test_an_estimate_narrower_than_the_limit_is_refused():
    from tests.conftest import TUTORIAL as FORMAT2_TUTORIAL

    text = FORMAT2_TUTORIAL.read_text(encoding="utf-8")
    assert "estimate: {money: {union: 10}}" in text
    with pytest.raises(ScenarioError, match="an estimate's width must be at least 1e-06"):
        load_bytes(
            text.replace("estimate: {money: {union: 10}}", "estimate: {money: {union: 1e-300}}").encode(), "e.yaml"
        )


def test_an_undone_add_of_an_unknown_variable_is_refused_where_it_stands():
    """Found by the fuzzer: the undo of 'lasts' looked the add up and crashed with a KeyError."""
    from tests.conftest import FORMAT2

    path = next(p for p in FORMAT2 if p.stem == "envoy")
    text = path.read_text(encoding="utf-8")
    old = "        add: {suspicion: 5}\n        lasts: 2"
    assert old in text
    with pytest.raises(ScenarioError) as caught:
        load_bytes(text.replace(old, old.replace("suspicion", "nothing")).encode(), "e.yaml")
    assert [p.message for p in caught.value.problems if "unknown variable 'nothing'" in p.message]


def test_a_range_of_countless_values_says_so_in_a_short_line():
    from tests.conftest import TUTORIAL as FORMAT2_TUTORIAL

    text = FORMAT2_TUTORIAL.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_bytes(text.replace("{range: [40, 60], step: 10}", "{range: [0, 100], step: 1e-300}").encode(), "e.yaml")
    (problem,) = caught.value.problems
    assert problem.message == "the range holds about 1e+302 values, more than 1000"


@pytest.mark.parametrize("escape, code", [("\\0", "0000"), ("\\e[31m", "001B"), ("\\x07", "0007"), ("\\N", "0085")])
def test_a_quoted_text_may_not_spell_a_control_character(escape, code):
    """A NUL stops the window's font; an escape would reach a player's terminal as a command."""
    problems = refused('title: "Wait it out"', f'title: "Wait {escape} out"')
    (problem,) = problems
    assert problem.message == f"the text holds the control character U+{code}"
    assert (problem.line, problem.col) == where(TEXT, '"Wait it out"')


def test_quoted_newlines_and_tabs_are_still_text():
    scenario = load_bytes(TEXT.replace('title: "Wait it out"', 'title: "Wait\\tit\\nout"', 1).encode(), "ok.yaml")
    assert scenario.actions["wait"].title == "Wait\tit\nout"


@pytest.mark.parametrize("before", ["", "é😀 "])
def test_a_control_character_in_the_file_is_placed_where_it_stands(before):
    """libyaml counts the position in bytes, PyYAML's reader in characters: both land on the spot."""
    edited = TEXT.replace('title: "Wait it out"', f'title: "{before}Wait \x01 out"', 1)
    with pytest.raises(ScenarioError) as caught:
        load_bytes(edited.encode("utf-8"), "edited.yaml")
    (problem,) = caught.value.problems
    assert problem.message == "the file holds the character U+0001, which YAML does not allow"
    assert (problem.line, problem.col) == where(edited, "\x01")


def test_the_balance_checks_of_a_file_are_capped_together():
    """Each is capped at a million games, but every `crisis balance` run plays them all: 500 of
    them asked for 500 million games of any run, whatever its --games."""
    from tests.conftest import TUTORIAL as FORMAT2_TUTORIAL

    text = FORMAT2_TUTORIAL.read_text(encoding="utf-8")
    check = (
        '  - name: "c{}"\n    policies: {{harbour: random}}\n    games: 1000000\n    expect: [{{ending: contract}}]\n'
    )
    edited = text.replace("balance:\n", "balance:\n" + "".join(check.format(i) for i in range(11)), 1)
    with pytest.raises(ScenarioError) as caught:
        load_bytes(edited.encode(), "e.yaml")
    (problem,) = caught.value.problems
    assert problem.message == "the balance checks play 11,004,000 games in all; the limit is 10,000,000"
    ten = text.replace("balance:\n", "balance:\n" + "".join(check.format(i) for i in range(9)), 1)
    assert len(load_bytes(ten.encode(), "ok.yaml").balance) == 11  # nine at the cap and the file's two
