"""The dominated-option audit: paired playouts, judged with confidence, reported by state."""

from __future__ import annotations

import numpy as np

from game.analysis import report as rep
from game.analysis.audit import as_dict, audit_options, judge
from game.analysis.plan import Plan
from game.analysis.runner import InlineExecutor, Spec, plan_of, simulate
from game.scenario.loader import load_bytes

# An investment that costs now and pays at the end, a rash move that pays now and costs 40
# later, and a safe small gain. By its objective (savings) one step ahead the investment looks
# worst and the rash move best; by the ending's score it is the other way round.
BUILT = b"""
format: 1
meta: {id: built, title: "Built example", summary: "Three ways to spend a budget."}
calendar: {start: "2024-01-01 00:00", hours_per_turn: 1, turn_limit: 3}
map:
  places: {bank: {name: "Bank", lat: 50.0, lon: 10.0}}
roles:
  saver: {name: "Saver", brief: "Grow the savings.", objective: "savings"}
  clerk: {name: "Clerk", brief: "Watch.", objective: "0"}
variables:
  savings: {type: number, initial: 20, min: -100, max: 100, label: "Savings"}
  invested: {type: boolean, initial: false, label: "Invested"}
  rash: {type: boolean, initial: false, label: "Rash"}
turn_order: [saver, clerk]
actions:
  invest:
    role: saver
    title: "Invest"
    description: "Pay now, be paid at the end."
    when: "not invested"
    outcomes: {paid: {text: "Invested.", add: {savings: -5}, set: {invested: true}}}
  spend:
    role: saver
    title: "Spend a little"
    description: "A small sure gain."
    outcomes: {gained: {text: "Gained.", add: {savings: 2}}}
  gamble:
    role: saver
    title: "Gamble"
    description: "A gain now; a debt later."
    when: "not rash"
    outcomes: {won: {text: "Won.", add: {savings: 3}, set: {rash: true}}}
  watch:
    role: clerk
    title: "Watch"
    description: "Nothing."
    outcomes: {watched: {text: "Watched."}}
endings:
  end:
    title: "The year ends"
    at_turn_limit: true
    epilogue: "The books close."
    scores: {saver: "savings + 15 * invested - 40 * rash", clerk: 0}
"""


def _built() -> Plan:
    return Plan(load_bytes(BUILT, "built.yaml"))


def test_the_investment_is_kept_and_the_rash_move_is_flagged():
    found = audit_options(_built(), {"saver": "random", "clerk": "random"}, games=30, states=20, playouts=16)
    verdicts = {v.action: v for v in found.verdicts}
    assert [v.action for v in found.dominated()] == ["gamble"]
    gamble = verdicts["gamble"]
    assert gamble.open_in == gamble.beaten_in >= 5
    # at most 40 less 3; less where the random continuation of the alternatives gambles too
    assert 5 < gamble.least_loss <= gamble.mean_loss <= gamble.most_loss <= 47
    assert not verdicts["invest"].dominated and verdicts["invest"].beaten_in == 0
    assert not verdicts["spend"].dominated


def test_the_report_says_where_and_by_how_much(capsys):
    spec = Spec(BUILT, "built.yaml", (("saver", "random"), ("clerk", "random")), 500, 1)
    summary = simulate([spec], InlineExecutor()).summaries[0]
    audited = as_dict(audit_options(plan_of(spec), dict(spec.policies), games=30, states=20, playouts=16))
    report = rep.build(plan_of(spec), summary, 1, dict(spec.policies), audited)
    assert [f["action"] for f in report["options"] if f["problem"] == "dominated"] == ["gamble"]
    text = rep.text(report)
    line = next(line for line in text.splitlines() if line.strip().startswith("gamble: dominated"))
    assert "sampled states" in line and "turns 1-3" in line and "points on average" in line
    assert "shared random streams" in text and "95% confidence" in text


def test_paired_streams_judge_a_small_sure_gap_that_independent_noise_would_hide():
    rng = np.random.default_rng(5)
    luck = rng.normal(0, 30, size=64)  # the same luck on both options' streams
    streams = np.vstack([luck + 1.0, luck])  # the first is better by exactly one point
    beaten, loss = judge(streams, 0.95)
    assert list(beaten) == [False, True]
    assert loss[1] == np.float64(1.0) or abs(loss[1] - 1.0) < 1e-9


def test_options_within_the_noise_are_rarely_beaten():
    rng = np.random.default_rng(6)
    wrongly = sum(judge(rng.normal(0, 10, size=(3, 40)), 0.95)[0].sum() for _ in range(400))
    assert wrongly / (3 * 400) < 0.05


def test_a_state_with_more_open_options_than_the_cap_is_not_audited():
    """Every open option is played out and compared with every other: a file of thousands of
    actions open at once kept `crisis balance` auditing for more than five minutes."""
    from game.analysis.audit import MAX_OPTIONS

    many = "".join(
        f"  many_{i}:\n    role: clerk\n    title: 'Watch {i}'\n    description: 'Nothing.'\n"
        f"    outcomes: {{watched_{i}: {{text: 'Watched.'}}}}\n"
        for i in range(MAX_OPTIONS)
    )
    text = BUILT.decode().replace("actions:\n", "actions:\n" + many, 1)
    found = audit_options(Plan(load_bytes(text.encode(), "many.yaml")), {"saver": "random", "clerk": "random"},
                          games=3, states=10, playouts=4)  # fmt: skip
    verdicts = {v.action: v for v in found.verdicts}
    assert verdicts["watch"].open_in == 0 and verdicts["many_0"].open_in == 0  # the clerk had 201 open
    assert verdicts["spend"].open_in > 0  # the saver's states, with three open, are audited still
