"""The terminal game: numbers that never shift, closed choices shown as closed, details on request."""

from __future__ import annotations

import io
import re

from game.ai import make_policy
from game.core.match import Match
from game.scenario.loader import load_scenario
from game.text.terminal import TextGame, numbered
from tests.conftest import ROOT, TUTORIAL

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def played(path, role: str, lines: list[str], seed: int = 3) -> str:
    scenario = load_scenario(path)
    others = {r: make_policy("random") for r in scenario.roles if r != role}
    out = io.StringIO()
    TextGame(Match(scenario, seed=seed, policies=others), {role}, io.StringIO("\n".join(lines) + "\n"), out).play()
    return out.getvalue()


def test_every_action_keeps_its_number_and_id_all_game_closed_ones_included():
    text = played(WAGNER, "putin", ["first"] * 20)
    scenario = load_scenario(WAGNER)
    expected = {a.id: n for n, a in enumerate((a for _, a in numbered(scenario, "putin")), 1)}
    seen = re.findall(r"^\s+(\d+)\. (?:\(closed\) )?.*?\[([a-z_]+)\]", text, flags=re.M)
    assert seen and all(int(n) == expected[aid] for n, aid in seen)
    assert "(closed) Have Prigozhin killed [assassinate]" in text
    turns = text.count("--- ")
    assert turns > 2 and all(f"[{aid}]" in text for aid in expected if not scenario.negotiation.generated(aid))
    assert "[offer:" not in text and "[accept:" not in text  # composed with o and answered with a or r instead
    assert "Offers: o composes one" in text


def test_a_closed_choice_is_refused_with_its_reason_and_details_come_on_request():
    scenario = load_scenario(WAGNER)
    number = [a.id for _, a in numbered(scenario, "putin")].index("assassinate") + 1
    text = played(WAGNER, "putin", [str(number), f"d {number}", "d 1", "first"] * 3)
    assert "Have Prigozhin killed is closed:" in text
    assert "Closed: " in text and "A strike on his headquarters" in text
    assert re.search(r"^\s+\d+%\s+\S", text, flags=re.M)  # every outcome of choice 1 with its odds


def test_help_lists_every_command_and_a_turn_is_compact():
    text = played(TUTORIAL, "union", ["?", "s", "n", "first"] * 2)
    for command in ("first", "d 3", "q ", "help", "the news"):
        assert command in text
    turn = text.split("--- ")[1].split("your move")[0]
    assert turn.count("\n") < 20
    assert "at 60 or above: The town burns" in text  # s shows where the game ends


def test_the_ending_gives_the_result_why_and_the_score_by_its_parts():
    text = played(TUTORIAL, "union", ["first"] * 40)
    ending = text.split("===")[-1]
    assert re.search(r"\(you\): -?\d+, (won|lost|drawn)", ending)
    assert "It ended" in ending or "The clock ran out" in ending
    assert "Base" in ending or "+" in ending


def test_a_line_of_megabytes_is_cut_and_not_echoed_back_whole():
    """A 20 MB line used to be held whole and echoed, wrapped, in the refusal: over 100 s of work."""
    import time

    start = time.monotonic()
    text = played(TUTORIAL, "harbour", ["x" * 5_000_000, "first", "first", "first", "first"])
    assert time.monotonic() - start < 10
    refusal = next(line for line in text.splitlines() if "is not one of the choices" in line or "xxx" in line)
    assert len(refusal) < 200 and "x" * 59 + "…" in refusal
    assert "Harbour master: " in text  # the next line was read as the next answer


def test_accepting_with_no_offer_waiting_says_so():
    text = played(TUTORIAL, "union", ["a", "first", "first", "first", "first"])
    assert "No offer waits for your answer (o makes one)." in text
    assert "'a' is not one of the choices" not in text
