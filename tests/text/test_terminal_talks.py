"""The terminal composes an offer from a channel and terms, tells what it would cost, be worth and
how likely it is taken (from the side's belief, in the odds setting), and answers an offer."""

from __future__ import annotations

import io
import re

from game.ai import make_policy
from game.core.match import Match
from game.scenario.loader import load_scenario
from game.text.terminal import TextGame
from tests.conftest import ROOT

WAGNER = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")


def _played(role: str, lines: list[str], odds: str = "exact", seed: int = 1) -> tuple[str, Match]:
    others = {r: make_policy("weighted") for r in WAGNER.roles if r != role}
    match = Match(WAGNER, seed=seed, policies=others)
    out = io.StringIO()
    TextGame(match, {role}, io.StringIO("\n".join(lines) + "\n"), out, odds=odds).play()
    return out.getvalue(), match


def test_o_lists_the_channels_and_terms_and_o_with_numbers_previews_then_sends_on_yes():
    text, match = _played("putin", ["o", "o 1 3 4", "n", "o 1 3 4", "y", "q"])
    assert "Channels:\n  1. Ask Lukashenko to carry terms" in text
    assert "1. Wagner halts and turns back (they give, always included)" in text
    assert text.count("Offer (channel: Ask Lukashenko to carry terms)") == 2 and "Not sent (only y sends it" in text
    assert re.search(r"Accepted: \d+%", text) and "Worth to you if agreed: " in text
    offers = [s for s in match.steps if s.role == "putin"]
    assert [s.action for s in offers] == ["offer:lukashenko:halt+exile+amnesty"]


def _first_seed_before_rostov() -> int:
    """A seed whose weighted Prigozhin has not taken Rostov by Putin's first move."""
    for seed in range(1, 40):
        match = Match(WAGNER, seed=seed, policies={"prigozhin": make_policy("weighted")})
        while match.waiting_for_person() is None and not match.is_over():
            match.play()
        if not match.state.value("rostov_taken"):
            return seed
    raise AssertionError("no game where Rostov still holds at Putin's first move")


def test_an_offer_that_cannot_go_says_why_and_sends_nothing():
    text, match = _played("putin", ["o 1 6 5 3 2", "o 3", "o 9", "o 1 x", "q"], seed=_first_seed_before_rostov())
    flat = " ".join(text.split())
    assert "The criminal case dropped: not on the table now" in flat  # no case opened yet
    assert "'3' is not a channel open now" in flat  # Yevkurov is not at the HQ yet
    assert "'9' is not a channel open now" in flat and "'x' is not a term" in flat
    assert not any(s.role == "putin" for s in match.steps)


def test_hidden_odds_hide_the_chance_of_acceptance_and_of_every_outcome():
    text, _ = _played("putin", ["o 1 3", "n", "q"], odds="hidden")
    preview = text.split("Offer (channel:")[1].split("Send it?")[0]
    assert "Accepted: odds hidden" in preview and "%" not in preview
    banded, _ = _played("putin", ["o 1 3", "n", "q"], odds="bands")
    assert re.search(r"Accepted: (remote|unlikely|even|likely|almost certain)", banded)
    # the list of moves names no likeliest outcome when odds are hidden; with odds shown it does
    assert not re.search(r"^\s+\d+\. .*\] · ", text, flags=re.M)
    assert re.search(r"^\s+\d+\. .*\] · ", banded, flags=re.M)


def test_an_offer_waiting_is_shown_and_a_accepts_it():
    for seed in range(1, 40):
        text, match = _played("putin", ["a", "q"], seed=seed)
        if "An offer waits for your answer" in text:
            break
    else:
        raise AssertionError("no game with an offer to Putin on his first move")
    assert "a accepts, r rejects, o counters." in " ".join(text.split())
    mine = [s.action for s in match.steps if s.role == "putin"]
    assert mine[-1].startswith("accept:") and match.state.value("halt")  # the deal is struck
    assert "[offer:" not in text and "[accept:" not in text


def test_a_worth_that_rounds_to_nothing_is_0_not_minus_0():
    from game.talks import Spread, worth_words

    assert worth_words(Spread(-0.4, -1.2, 0.3)) == "0 (-1 to 0)"
    assert worth_words(Spread(8.0, 8.0, 8.0)) == "+8"
