"""The terms, channels and negotiation sections: what the loader builds, and each mistake refused
at its line and column with a hint."""

from __future__ import annotations

import pytest

from game.scenario.loader import load_bytes
from game.scenario.negotiation import MAX_MOVES, MAX_PACKAGES
from tests.conftest import ROOT
from tests.scenario.problems import at, only, problems_of

SIEGE = ROOT / "tests" / "fixtures" / "format2" / "siege.yaml"
BASE = SIEGE.read_text(encoding="utf-8")


def load(text: str = BASE):
    return load_bytes(text.encode("utf-8"), str(SIEGE))


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_every_package_a_channel_carries_is_an_offer_with_one_answer_per_package():
    scenario = load()
    deal = scenario.negotiation
    # four terms, one of them required: 8 packages from the general, 8 and 2 from the council
    by_channel = {c: sum(1 for o in deal.offers.values() if o.channel == c) for c in deal.channels}
    assert by_channel == {"herald": 8, "bishop": 8, "parley": 2}
    assert all("surrender" in o.terms for o in deal.offers.values())
    assert len(deal.packages) == 16  # the parley's two are among the bishop's
    accepts = [a for a in deal.answers.values() if a.kind == "accept"]
    assert len(accepts) == 16 and {a.role for a in accepts} == {"general", "council"}
    assert {a.id for a in deal.answers.values() if a.kind != "accept"} == {
        "reject:general",
        "reject:council",
        "break:free_garrison",
        "break:spare_town",
        "keep:general",
    }
    assert scenario.actions["offer:parley:surrender"].role == "council"
    assert scenario.actions["offer:herald:surrender"].title == "Send a herald with terms: the gates opened"


def test_each_term_is_a_boolean_the_file_can_read_seen_by_the_sides_that_bargain():
    scenario = load()
    flag = scenario.variables["spare_town"]
    assert (flag.type, flag.internal, flag.visible_to) == ("boolean", False, ("general", "council"))
    assert "spare_town" in scenario.endings["capitulation"].scores[0][1].names


def test_a_channel_records_its_rules_and_which_outcomes_deliver():
    deal = load().negotiation
    herald, bishop, parley = (deal.channels[c] for c in ("herald", "bishop", "parley"))
    assert (herald.answer_moves, herald.silence, herald.guarantee.constant) == (2, "reject", 0.7)
    assert (bishop.answer_moves, bishop.silence, bishop.delivers) == (1, "accept", ("carried",))
    assert parley.terms == ("surrender", "free_garrison") and parley.guarantee.constant == 1.0


def test_a_secret_channel_is_the_offers_own_sight():
    scenario = load()
    offer = scenario.actions["offer:bishop:surrender"]
    assert offer.sight.viewers == ()
    assert offer.outcome("carried").sight.viewers == ("general",)


def test_the_history_of_a_channel_marks_the_offer_of_its_terms():
    text = edit(
        "    silence: accept\n",
        "    silence: accept\n"
        "    history: {when: 'dawn', note: 'The bishop rode out.', turns: [2],"
        " terms: [surrender, spare_town], accepted: {when: 'noon', turns: [2, 3]}}\n",
    )
    scenario = load(text)
    marked = {a.id for a in scenario.actions.values() if a.history is not None}
    assert marked == {"offer:bishop:surrender+spare_town", "accept:council:general:surrender+spare_town"}
    assert scenario.actions["accept:council:general:surrender+spare_town"].history.turns == (2, 3)


@pytest.mark.parametrize(
    "old,new,fragment,needle",
    [
        ("    owed_by: council\n    required", "    owed_by: mayor\n    required", "unknown role 'mayor'", "mayor"),
        (
            "    from: general\n    to: council\n    guarantee: 0.7",
            "    from: general\n    to: general\n    guarantee: 0.7",
            "joins two different roles",
            "to: general\n    guarantee: 0.7",
        ),
        ("guarantee: 0.7", "guarantee: 1.7", "between 0 and 1, not 1.7", "1.7"),
        ("    answer_hours: 8\n", "    answer_hours: 0\n", "more than 0 hours", "answer_hours: 0\n"),
        (
            "terms: [surrender, free_garrison]",
            "terms: [surrender, free_garison]",
            "unknown term 'free_garison' (did you mean 'free_garrison'?)",
            "free_garison",
        ),
        (
            "terms: [surrender, free_garrison]",
            "terms: [free_garrison]",
            "the required term 'surrender' is left out",
            "[free_garrison]",
        ),
        ("settles: capitulation", "settles: capitulaton", "unknown ending 'capitulaton'", "capitulaton"),
        (
            '    text: "Terms are agreed, and the guns fall silent."',
            '    text: "Terms are agreed."\n    end: relieved',
            "ends it after the last moves",
            "end: relieved",
        ),
        ('worth: {general: "30"', 'worth: {generals: "30"', "unknown role 'generals'", 'generals: "30"'),
        (
            'worth: {general: "-8", council: "15"}',
            'worth: {general: "-8 + gold", council: "15"}',
            "unknown name 'gold'",
            "-8 + gold",
        ),
        ("        delivered: false\n", "        delivered: nope\n", "expected true or false", "nope"),
    ],
)
def test_mistakes_are_refused_where_they_are(old, new, fragment, needle):
    text = edit(old, new)
    problem = only(problems_of(text), fragment)
    line, col = at(text, needle)
    assert problem.line == line, str(problem)
    assert problem.col >= col - 8, str(problem)


def test_a_channel_that_delivers_nothing_is_refused():
    text = edit(
        '        weight: 3\n        text: "The bishop rides out',
        '        weight: 3\n        delivered: false\n        text: "The bishop rides out',
    )
    assert "no outcome delivers the offer" in str(only(problems_of(text), "no outcome delivers"))


def test_a_term_is_agreed_by_a_deal_and_not_set_by_an_effect():
    text = edit("        add: {walls: -10}\n", "        add: {walls: -10}\n        set: {ransom: true}\n")
    assert "unknown variable 'ransom'" in only(problems_of(text), "ransom").message


def test_a_term_cannot_share_a_name_with_a_variable():
    text = edit("  ransom:\n    title:", "  walls:\n    title:")
    assert only(problems_of(text), "already the id").message == "'walls' is already the id of a variable"


def test_too_many_packages_are_refused_with_a_way_out():
    extra = "".join(
        f'  extra_{i}:\n    title: "Extra {i}"\n    owed_by: council\n    worth: {{general: "1"}}\n' for i in range(4)
    )
    text = edit("\nchannels:\n", "\n" + extra + "\nchannels:\n")
    problem = only(problems_of(text), "different packages of terms")
    assert f"more than {MAX_PACKAGES}" in problem.message
    assert "max_terms" in problem.hint
    limited = edit("  silence: reject\n  bottom_line", "  silence: reject\n  max_terms: 2\n  bottom_line", text)
    assert load(limited).negotiation.channels["herald"].terms[-1] == "extra_3"


def test_bargaining_needs_format_2():
    text = edit("format: 2\n", "format: 1\n")
    problem = only(problems_of(text), "'terms' needs format: 2")
    assert problem.hint == "change 'format: 1' at the top of the file to 'format: 2'"


def test_terms_without_channels_are_refused():
    start, end = BASE.index("\nchannels:\n"), BASE.index("\nnegotiation:\n")
    text = BASE[:start] + BASE[end:]
    assert "terms need a channel" in only(problems_of(text), "need a channel").message


def test_the_side_an_offer_goes_to_is_told_of_it_through_a_secret_channel():
    # without the outcome's own visible_to, the general would find an answer open and no word
    # in its feed of the offer it answers; an offer that does not arrive stays unseen
    text = edit(
        "        set: {bishop_called: true}\n        visible_to: [general]\n", "        set: {bishop_called: true}\n"
    )
    offer = load(text).actions["offer:bishop:surrender"]
    assert offer.sight.viewers == ()
    assert offer.outcome("carried").sight.viewers == ("general",)
    assert offer.outcome("stopped").sight is None  # as the move: seen by nobody but the council


def test_an_answer_time_longer_than_the_game_is_refused():
    # 4 turns of 4 hours in the fixture: an offer standing 100 hours could never lapse
    text = edit("    answer_hours: 8\n", "    answer_hours: 100\n")
    problem = only(problems_of(text), "outlasts the whole game")
    assert problem.line == at(text, "answer_hours: 100")[0]
    assert "write at most" in problem.hint


def test_an_empty_terms_section_is_named_as_such():
    start, end = BASE.index("\nterms:\n"), BASE.index("\nchannels:\n")
    text = BASE[:start] + "\nterms: {}\n" + BASE[end:]
    problem = only(problems_of(text), "the terms section is empty")
    assert problem.line == at(text, "terms: {}")[0]


def _channels(count: int, block: str = "") -> str:
    extra = "".join(
        f'  extra_{i}:\n    title: "Another way {i}"\n    from: general\n    to: council\n{block}' for i in range(count)
    )
    return edit("\nnegotiation:\n", "\n" + extra + "\nnegotiation:\n")


def test_too_many_offers_over_many_channels_are_refused_before_they_are_built():
    # each extra channel carries the general's seven packages; 100 of them would make 700 offers
    problems = problems_of(_channels(100))
    problem = only(problems, "bargaining moves")
    assert f"more than {MAX_MOVES}" in problem.message and "fewer channels" in problem.hint
    assert len(problems) == 1


def test_bargaining_too_large_for_the_expression_limits_is_one_error_not_a_crash():
    block = '    agreed: {add: {losses: "1 + walls / 100"}}\n    rejected: {add: {losses: 2}}\n'
    problems = problems_of(_channels(60, block))
    problem = only(problems, "too large")
    assert "fewer channels" in problem.hint and problem.line > 0
