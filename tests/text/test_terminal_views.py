"""The terminal game shows each person only their own side, and the spectator everything, labelled."""

from __future__ import annotations

import io

from game.ai import make_policy
from game.core import negotiation as deals
from game.core.match import Match
from game.scenario.loader import load_scenario
from game.text.terminal import TextGame
from tests.conftest import ROOT

WAGNER = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
CALL = WAGNER.actions["call_friends"]


class Caller:
    """Prigozhin as a test plays him: Rostov first, then the calls to Moscow, then whatever is first."""

    name = "caller"

    def choose(self, state, rng):
        legal = {m.id: m for m in state.legal_actions()}
        for wanted in ("seize_rostov", "call_friends"):
            if wanted in legal:
                return legal[wanted]
        return state.legal_actions()[0]


class Answers(io.StringIO):
    """Standard input for a person who makes the calls when they can, and picks the first move otherwise."""

    def __init__(self, match: Match):
        super().__init__()
        self.match = match

    def readline(self, *_):
        legal = [m.id for m in self.match.state.legal_actions()]
        for wanted in ("seize_rostov", "call_friends"):
            if wanted in legal:
                return wanted + "\n"
        return "first\n"


def _transcript(people: set[str], seed: int) -> tuple[str, Match]:
    policies = {r: Caller() if r == "prigozhin" else make_policy("weighted") for r in WAGNER.roles if r not in people}
    match = Match(WAGNER, seed=seed, policies=policies)
    out = io.StringIO()
    TextGame(match, people, Answers(match), out).play()
    return out.getvalue(), match


def _called(match: Match) -> str | None:
    """The outcome of Prigozhin's calls to Moscow in a finished game, if he made them."""
    return next((s.outcome for s in match.steps if s.action == "call_friends"), None)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_putin_reads_the_fsb_intercepts_and_never_what_prigozhin_heard():
    found = 0
    for seed in range(12):
        text, match = _transcript({"putin"}, seed)
        outcome = _called(match)
        if outcome is None:
            continue
        found += 1
        during, after = _flat(text).split("did not know:")  # the game, then the reveal at its end
        assert "FSB intercepts" in during
        for told in CALL.outcomes:
            assert _flat(told.text) not in during and told.title not in during
        assert CALL.outcome(outcome).title in after
    assert found >= 3


def test_prigozhin_reads_his_own_calls():
    for seed in range(40):
        text, match = _transcript({"prigozhin"}, seed)
        outcome = _called(match)
        if outcome is not None:
            assert _flat(CALL.outcome(outcome).text) in _flat(text)
            assert "FSB intercepts" not in text
            return
    raise AssertionError("no game with the calls")


def test_the_ending_tells_a_person_what_they_did_not_know():
    text, match = _transcript({"putin"}, 3)
    assert "What Vladimir Putin did not know:" in text
    assert "Prigozhin's friends in Moscow: " + match.state.format_value("friends") in _flat(text)


def test_a_spectator_is_told_it_sees_everything_and_does():
    text, match = _transcript(set(), 5)
    assert "You are watching as a spectator" in text
    assert "What" not in text.split("===")[-1].split("What really happened")[0]  # no reveal: nothing was hidden


def test_hot_seat_hands_over_and_each_side_reads_its_own_feed():
    text, _ = _transcript({"putin", "prigozhin"}, 2)
    assert "=== Over to Yevgeny Prigozhin." in text and "=== Over to Vladimir Putin." in text


def test_the_ending_lists_the_terms_agreed_and_which_were_broken():
    match = Match(WAGNER, seed=5, policies={r: make_policy("historical") for r in WAGNER.roles})
    out = io.StringIO()
    TextGame(match, set(), Answers(match), out).play()
    assert match.state.ending == "deal"
    after = _flat(out.getvalue().split("Terms agreed (by: Ask Lukashenko to carry terms):")[1])
    deal = WAGNER.negotiation
    assert "The criminal case dropped: broken" in after
    for tid in deals.agreed(match.state):
        fate = "broken" if tid in deals.broken(match.state) else "kept"
        assert f"{deal.terms[tid].title}: {fate}" in after


def test_news_of_a_turn_that_comes_before_its_situation_is_headed_with_its_turn():
    """Prigozhin moves first each turn: his move's news comes under the turn's heading, not the last."""
    match = Match(WAGNER, seed=3, policies={"prigozhin": make_policy("random")})
    out = io.StringIO()
    TextGame(match, {"putin"}, io.StringIO("first\n" * 40), out).play()
    lines = out.getvalue().splitlines()
    turns = WAGNER.calendar.turn_limit
    first_news = next(i for i, line in enumerate(lines) if line.startswith("[21:00] Yevgeny Prigozhin"))
    banner = next(i for i, line in enumerate(lines) if line.startswith("==="))
    situation = next(i for i, line in enumerate(lines) if line.startswith("--- "))
    assert lines[banner] == f"=== 23 June 2023 · turn 1 of {turns} ==="
    assert banner < first_news < situation
    headed = [line for line in lines if line.startswith(("=== ", "--- ")) and " · turn " in line]
    numbers = [int(line.split(" · turn ")[1].split()[0]) for line in headed]
    assert numbers == sorted(numbers) and len(set(numbers)) > 3  # each turn headed before its news, in order
    assert all(numbers.count(n) <= 2 for n in numbers)  # the news banner and the situation, at most


THREE_WAYS = """
format: 2
meta: {id: three_ways, title: "Three ways", summary: "One move with three even outcomes."}
calendar: {start: "2024-01-01 00:00", hours_per_turn: 1, turn_limit: 1}
roles:
  a: {name: "Alice", brief: "A.", objective: "s"}
map: {places: {p: {name: "P", lat: 0, lon: 0}}}
variables:
  s: {type: number, initial: 0, min: -10, max: 10, label: "S"}
turn_order: [a]
actions:
  toss:
    role: a
    title: "Toss"
    outcomes:
      one: {title: "One", text: "one", add: {s: 1}}
      two: {title: "Two", text: "two", add: {s: 2}}
      three: {title: "Three", text: "three", add: {s: 3}}
endings:
  done: {title: "Done", at_turn_limit: true, epilogue: "Done.", scores: {a: "s"}}
"""


def test_a_moves_odds_add_up_to_100_and_each_outcome_says_what_it_does_in_the_terminal(tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(THREE_WAYS, encoding="utf-8")
    match = Match(load_scenario(path), seed=1)
    out = io.StringIO()
    TextGame(match, {"a"}, io.StringIO("toss?\nfirst\n"), out).play()
    text = out.getvalue()
    assert "One 34%" in text and "Two 33%" in text and "Three 33%" in text, text
    assert "Toss [toss] · One 34%" in text  # the likeliest beside the move reads as it does in full
    assert "One 34%\n     = S +1\n" in text and "Three 33%\n     = S +3\n" in text  # what each does
