"""The batch engine against the one-game engine: exactly for one game, statistically for many.

Game by game, on every bundled scenario, on the format 1 files as they were and on the format 2
fixtures that use every information and timing feature. Continuous integration sets
``CRISIS_AGREEMENT_SEEDS=2000``: that many seeds for each lineup of quick policies, a tenth of it
for the lineups that follow history, a twentieth for greedy's (each of greedy's decisions runs
the batch engine's arithmetic on one game, about 5 ms on Wagner, so its games cost a few hundred
times more). The format 1 copies of the old files take at most the tenth.

A file that bargains with many packages of terms (the Wagner scenario: 140 offers among its 233
moves) makes every policy that weighs moves slow, the batch engine's included: one game there
cost, one-game and batch together, about 0.07 s under random play, 0.34 s weighted, 0.08 s
historical, 0.36 s greedy against random, 1 s random against history (whose Prigozhin falls back
on greedy) and 7.7 s greedy against greedy (a loaded 2-core machine). Such a file takes a share
of each lineup's seeds (``MANY_OFFERS``), so that at 2,000 seeds its lineups cost about three
minutes in all: a quarter for random play, a twentieth for weighted and history, a hundredth for
random against history and 1 in 400 for greedy's (at least one seed each).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.stats import chi_square, chi_square_p
from game.analysis.vpolicies import VECTORISED
from game.core.match import Match, make_rng
from game.scenario.loader import load_bytes, load_scenario
from tests.conftest import knob

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
EVERY = [*SCENARIOS, *sorted((ROOT / "tests" / "fixtures" / "format2").glob("*.yaml"))]
EVERY += sorted((ROOT / "tests" / "fixtures" / "format1").glob("*.yaml"))
IDS = [f"{p.parent.name}/{p.stem}" for p in EVERY]
QUICK = knob("CRISIS_AGREEMENT_SEEDS", 40, 1_000_000)
SLOW = max(QUICK // 10, 10)
SEARCH = max(QUICK // 20, 10)

# A file with more offers than this takes MANY_OFFERS' share of each lineup's seeds.
OFFERS = 100
MANY_OFFERS = {
    ("random", "random"): 4,
    ("weighted", "weighted"): 20,
    ("greedy", "greedy"): 400,
    ("historical", "historical"): 20,
    ("greedy", "random"): 20,
    ("random", "historical"): 100,
}

# (policy for the first role, policy for the others, seeds): greedy looks ahead, so fewer seeds
LINEUPS = [
    ("random", "random", QUICK),
    ("weighted", "weighted", QUICK),
    ("greedy", "greedy", SEARCH),
    ("historical", "historical", SLOW),
    ("greedy", "random", SEARCH),
    ("random", "historical", SLOW),
]


@pytest.fixture(scope="module", params=EVERY, ids=IDS)
def plan(request) -> Plan:
    return Plan(load_scenario(request.param))


def _lineup(plan: Plan, first: str, rest: str) -> dict[str, str]:
    return {role: first if i == 0 else rest for i, role in enumerate(plan.roles)}


def _one_game(plan: Plan, names: dict[str, str], seed: int) -> Match:
    match = Match(plan.scenario, seed=seed, policies={r: make_policy(n) for r, n in names.items()})
    match.run()
    return match


@pytest.mark.parametrize("first,rest,seeds", LINEUPS, ids=[f"{a}-{b}" for a, b, _ in LINEUPS])
def test_one_game_is_exactly_the_one_game_engines(plan, first, rest, seeds):
    if plan.scenario.meta.format == 1:
        seeds = min(seeds, SLOW)  # the old files' engines agreed before format 2; its features are what need the seeds
    deal = plan.scenario.negotiation
    if deal is not None and len(deal.offers) > OFFERS:
        seeds = max(QUICK // MANY_OFFERS[first, rest], 1)
    names = _lineup(plan, first, rest)
    for seed in range(seeds):
        match = _one_game(plan, names, seed)
        games = play(plan, {r: VECTORISED[n]() for r, n in names.items()}, 1, make_rng(seed), keep_values=True)
        state = match.state
        where = f"seed {seed}"
        assert plan.ending_ids[games.ending[0]] == state.ending, where
        assert tuple(games.values[0]) == state.values, where  # same floats, bit for bit
        assert games.turns[0] == state.turn, where
        assert games.steps[0] == len(match.steps), where
        assert [state.scores()[r] for r in plan.roles] == list(games.scores[0]), where
        taken = {s.action for s in match.steps}
        chance = {e.id for e in plan.events} | {d.id for d in plan.scenario.draws}
        assert {a for i, a in enumerate(plan.action_ids) if games.picked[i, 0]} == taken - chance


def _agreement_p(plan: Plan, single_plan: Plan, one_game_runs: int = 300) -> float:
    """The p-value of a chi-square test that one-game and batch ending counts share a distribution."""
    names = _lineup(plan, "random", "random")
    single = np.zeros(len(plan.ending_ids))
    for seed in range(one_game_runs):
        single[plan.ending_index[_one_game(single_plan, names, 10_000 + seed).state.ending]] += 1
    games = play(plan, {r: VECTORISED[n]() for r, n in names.items()}, 20_000, make_rng(7))
    batch = np.bincount(games.ending, minlength=len(plan.ending_ids)).astype(float)
    table = np.vstack([single, batch])
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    keep = expected.min(axis=0) > 0
    statistic, _ = chi_square(table[:, keep].ravel(), expected[:, keep].ravel())
    return chi_square_p(statistic, max(int(keep.sum()) - 1, 1))


def test_many_games_end_like_the_one_game_engine(plan):
    """Seeded on both sides, so it cannot flake."""
    assert _agreement_p(plan, plan) > 0.001


def test_the_chi_square_catches_a_planted_difference():
    """The test above has teeth: one-game runs of a changed scenario are told apart."""
    path = SCENARIOS[0].parent / "tutorial.yaml"
    raw = path.read_bytes()
    assert b"end: broken" in raw
    changed = Plan(load_bytes(raw.replace(b"end: broken", b"end: riot"), str(path)))
    assert _agreement_p(Plan(load_scenario(path)), changed, 200) < 0.001
