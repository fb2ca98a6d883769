"""Format 2's new fields: each one read, and each mistake refused at its line and column."""

from __future__ import annotations

import pytest

from game.scenario.loader import load_bytes
from tests.conftest import FORMAT1, ROOT
from tests.scenario.problems import at, only, problems_of

ENVOY = ROOT / "tests" / "fixtures" / "format2" / "envoy.yaml"
BASE = ENVOY.read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_the_fixture_uses_every_feature_and_loads():
    scenario = load_bytes(BASE.encode(), str(ENVOY))
    assert scenario.meta.format == 2
    assert [d.variable for d in scenario.draws] == ["mole", "resolve", "where_envoy"]
    assert scenario.variables["mole"].cases == (
        ("none", "no mole"),
        ("clerk", "a clerk"),
        ("secretary", "the private secretary"),
    )
    assert [v for v, _ in scenario.variables["resolve"].draw] == [20, 30, 40, 50, 60, 70, 80]
    assert scenario.actions["bribe"].sight.viewers == ()
    assert scenario.actions["watch"].sight.cover.title == "A feeling of being watched"
    assert scenario.events["gossip"].once
    internal = [e for e in scenario.events.values() if e.internal]
    assert {e.origin for e in internal} == {
        "actions.double_guard.outcomes.ordered.later",
        "actions.watch.outcomes.seen.lasts",
        "actions.curfew.outcomes.declared.lasts",
    }
    assert set(scenario.knowledge) == {("envoy", "mole"), ("minister", "where_envoy"), ("minister", "resolve")}


@pytest.mark.parametrize(
    "old,new,fragment,needle",
    [
        ("    visible_to: []\n    when:", "    visible_to: [spy]\n    when:", "unknown role 'spy'", "spy]"),
        ("{range: [20, 80], step: 10}", "{range: [80, 20], step: 10}", "is empty", "[80, 20]"),
        ("{range: [20, 80], step: 10}", "{range: [20, 80], step: 0}", "must be a number above 0", "step: 0"),
        ("{range: [20, 80], step: 10}", "{range: [20, 180], step: 10}", "outside the bounds", "[20, 180]"),
        ("{none: 2, clerk: 2, secretary: 1}", "{none: 2, clerk: -2, secretary: 1}", "cannot be negative", "clerk: -2"),
        ("{none: 2, clerk: 2, secretary: 1}", "{none: 2, clerks: 2, secretary: 1}", "unknown case 'clerks'", "clerks"),
        (
            "{none: 2, clerk: 2, secretary: 1}",
            "{none: 0, clerk: 0, secretary: 0}",
            "every choice has weight 0",
            "{none: 0",
        ),
        ("          turns: 1\n", "          turns: 5\n", "past the game's last turn", "turns: 5"),
        ("          turns: 1\n", "          turns: 0\n", "at least 1 turn later", "turns: 0"),
        (
            "reveal: {mole: [envoy]}",
            "reveal: {mule: [envoy]}",
            "unknown variable 'mule' (did you mean 'mole'?)",
            "mule",
        ),
        ("reveal: {mole: [envoy]}", "reveal: {mole: [king]}", "unknown role 'king'", "king"),
        (
            "estimate: {resolve: {minister: 10}}",
            "estimate: {resolve: {minister: 0}}",
            "must be more than 0",
            "minister: 0",
        ),
        (
            "estimate: {resolve: {minister: 10}}",
            "estimate: {treaty: {minister: 10}}",
            "only numbers can be estimated",
            "treaty: {minister",
        ),
        ("{if mole == secretary}", "{if mole === secretary}", "cannot read this expression", "{if mole ==="),
        ("{if mole == secretary}", "{if mole == chancellor}", "unknown name 'chancellor'", "{if mole == chancellor"),
        (
            "{else}A clerk pockets the money.{end}",
            "{else}A clerk pockets the money.",
            "without its '{end}'",
            "{if mole",
        ),
        ("{if mole == none}, though", "{if mole + 1}, though", "cannot be used with +", "{if mole + 1}"),
        ("{if mole == none}, though", "{if resolve}, though", "is a number, not a condition", "{if resolve}"),
        (
            "reveal: {mole: [envoy]}",
            "reveal: {mole: [envoy, envoy]}",
            "what 'envoy' knows of 'mole' is set twice here",
            "reveal: {mole: [envoy, envoy]}",
        ),
        (
            "    estimated_by: [minister]\n",
            "    estimated_by: [minister, minister]\n",
            "'minister' is named twice",
            "estimated_by: [minister, minister]",
        ),
        ("{if mole == none}, though", "{if mole == none}{elif}, though", "'{elif}' needs a condition", "{elif}"),
        ("{if mole == none}, though", "{if mole == none, though", "a lone '{'", "{if mole == none, though"),
        ("{if mole == none}, though", "{if mole == none}}, though", "a lone '}'", "}}, though"),
        ("    on_turns: [3]\n", "    on_turns: [9]\n", "turn 9 is not a turn of this game", "[9]"),
        ("    on_turns: [3]\n", "    on_turns: []\n", "lists no turn", "on_turns: []"),
        ("    on_turns: [3]\n", "    on_turns: [3, 3]\n", "turn 3 is listed twice", "on_turns: [3, 3]"),
    ],
    ids=lambda v: v if len(v) < 30 else v[:30],
)
def test_each_mistake_is_refused_where_it_is(old, new, fragment, needle):
    text = edit(old, new)
    problem = only(problems_of(text), fragment)
    line, col = at(text, needle)
    assert problem.line == line, str(problem)
    assert col <= problem.col <= col + len(needle), str(problem)  # the caret is on the mistake


def test_a_case_variable_needs_its_cases():
    text = edit('    cases: {none: "no mole", clerk: "a clerk", secretary: "the private secretary"}\n', "")
    only(problems_of(text), "a case variable needs its cases")


def test_a_case_compares_only_with_its_own_cases():
    text = edit('weight: "3 if mole != none else 1"', 'weight: "3 if mole != palace else 1"')
    only(problems_of(text), "can only be compared with another case of the same variable")
    text = edit('weight: "3 if mole != none else 1"', 'weight: "3 if mole > 1 else 1"')
    only(problems_of(text), "can only be compared with another case of the same variable")


def test_a_case_name_cannot_also_be_a_place():
    text = edit("    palace: {name:", "    clerk: {name: 'The clerk house', lat: 48.3, lon: 16.3}\n    palace: {name:")
    only(problems_of(text), "'clerk' is already the id of a place")


def test_a_cover_that_nobody_would_see_is_refused():
    text = edit(
        '        text: "The envoy loses your men in the market."\n',
        '        text: "The envoy loses your men in the market."\n        visible_to: [envoy, minister]\n'
        '        cover: "Nothing to see."\n',
    )
    only(problems_of(text), "this cover is never shown: every role sees the real thing")  # both named
    text = edit("    visible_to: []\n    cover: {title", "    cover: {title")
    only(problems_of(text), "this cover is never shown")


def test_a_cover_of_a_move_seen_by_everyone_but_its_mover_is_refused():
    shout = (
        "\nactions:\n  shout:\n    role: envoy\n    title: Shout\n    visible_to: [minister]\n"
        "    cover: Someone shouts.\n    outcomes:\n      heard: {text: Heard.}\n"
    )
    found = only(problems_of(edit("\nactions:\n", shout)), "this cover is never shown")
    assert "'envoy' sees its own move" in found.message


def test_an_event_without_a_chance_needs_on_turns():
    text = edit("    on_turns: [3]\n", "")
    only(problems_of(text), "an event needs the field 'chance'")


@pytest.mark.parametrize("path", FORMAT1, ids=lambda p: p.stem)
def test_format_2_fields_in_a_format_1_file_are_refused_with_what_to_do(path):
    text = path.read_text(encoding="utf-8")
    assert "format: 1" in text
    marker = "    outcomes:\n"
    text = text.replace(marker, "    visible_to: []\n" + marker, 1)
    problem = only(problems_of(text), "'visible_to' needs format: 2")
    assert problem.line == at(text, "    visible_to: []")[0]
    assert "format: 2" in problem.hint


def test_format_1_texts_cannot_use_conditions():
    path = FORMAT1[0]
    text = path.read_text(encoding="utf-8")
    needle = 'text: "'
    text = text.replace(needle, 'text: "{if true}x{end}', 1)
    only(problems_of(text), "needs format: 2")


def test_internal_names_cannot_be_written_in_a_file():
    text = edit('weight: "3 if mole != none else 1"', 'weight: "3 if _once_gossip else 1"')
    only(problems_of(text), "unknown name '_once_gossip'")


def test_lasts_of_0_is_refused_and_a_lasts_past_the_end_is_kept_for_good():
    spot = "        reveal: {where_envoy: [minister]}\n        lasts: 2\n"
    text = edit(spot, spot.replace("lasts: 2", "lasts: 0"))
    problem = only(problems_of(text), "it must last at least 1 turn")
    assert problem.line == at(text, "        lasts: 0")[0]
    kept = load_bytes(edit(spot, spot.replace("lasts: 2", "lasts: 40")).encode("utf-8"), "ok.yaml")
    assert len(kept.events) == len(load_bytes(BASE.encode("utf-8"), "ok.yaml").events) - 1  # no undoing to plan


def test_a_misspelt_required_field_is_one_problem_not_two():
    problems = problems_of(edit("          turns: 1\n", "          turn: 1\n"))
    assert len(problems) == 1 and "did you mean 'turns'" in problems[0].hint


def test_the_hints_show_the_form_that_was_meant():
    numbers = only(
        problems_of(edit("initial: {range: [20, 80], step: 10}", "initial: {choose: {20: 1, 40: 2}}")), "valid id"
    )
    assert "list form" in numbers.hint
    estimate = only(
        problems_of(edit("estimate: {resolve: {minister: 10}}", "estimate: {resolve: [minister]}")), "mapping"
    )
    assert "{role: width}" in estimate.hint
    spread = only(
        problems_of(edit("initial: {range: [20, 80], step: 10}", "initial: {range: [20, 150], step: 30}")), "range"
    )
    assert "20..150" in spread.message and "bounds" in spread.message


def test_how_the_expert_pictures_a_role_is_one_of_its_models():
    text = BASE.replace(
        '    objective: "treaty * 50 + suspicion * -0.5"\n',
        '    objective: "treaty * 50 + suspicion * -0.5"\n    modelled_as: lookahead\n',
        1,
    )
    problem = only(problems_of(text), "lookahead")
    assert problem.line == at(text, "modelled_as: lookahead")[0]
    assert "greedy" in problem.message + problem.hint and "weighted" in problem.message + problem.hint
    fine = text.replace("modelled_as: lookahead", "modelled_as: weighted")
    scenario = load_bytes(fine.encode("utf-8"), "fine.yaml")
    assert [r.modelled_as for r in scenario.roles.values()] == ["weighted", ""]


def test_a_closed_cards_reason_is_checked_as_a_template():
    """The reason on a closed card is filled in for its reader like a description, so a name in
    it that does not exist is refused, not shown in braces."""
    text = edit('    when: "guard < 40"\n', '    when: "guard < 40"\n    unavailable: "The guard is {gaurd} strong."\n')
    problem = only(problems_of(text), "gaurd")
    assert (problem.line, problem.col) == at(text, "{gaurd}")
    assert "did you mean 'guard'" in problem.message


def test_an_id_written_with_capitals_gets_the_id_it_should_be():
    found = only(problems_of(edit("    estimated_by: [minister]", "    estimated_by: [Minister]")), "expected an id")
    assert "found the text 'Minister'" in found.message and "'minister'?" in found.hint


def test_a_turn_limit_ending_with_a_condition_is_told_what_to_do():
    text = edit("    at_turn_limit: true\n", '    at_turn_limit: true\n    when: "turn > 1"\n')
    found = only(problems_of(text), "an ending with at_turn_limit may not have a 'when'")
    assert "leave out at_turn_limit" in found.hint
