"""Both engines at the edges of the value domain: the same bits, signed zeros included.

The fixture saturates products, divides by 1e-300, moves a unit by 10^30 stops, gives every
outcome the largest weight and cancels numbers to -0.0. Every game must end with the same
values, to the bit, in the one-game and the batch engine, and no value may leave the domain.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.vpolicies import VECTORISED
from game.core.match import Match, make_rng
from game.core.numeric import LIMIT
from game.scenario.loader import load_scenario
from tests.conftest import ROOT

EXTREMES = ROOT / "tests" / "fixtures" / "extremes.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return Plan(load_scenario(EXTREMES))


def bits(values) -> list[str]:
    return [float(v).hex() for v in values]


@pytest.mark.parametrize("policy", ["random", "weighted", "greedy"])
def test_every_game_ends_with_the_same_bits(plan, policy):
    for seed in range(30):
        match = Match(plan.scenario, seed=seed, policies={r: make_policy(policy) for r in plan.roles})
        match.run()
        games = play(plan, {r: VECTORISED[policy]() for r in plan.roles}, 1, make_rng(seed), keep_values=True)
        state = match.state
        assert plan.ending_ids[games.ending[0]] == state.ending, seed
        assert bits(games.values[0]) == bits(state.values), seed
        assert bits(games.scores[0]) == bits(state.scores()[r] for r in plan.roles), seed
        assert games.steps[0] == len(match.steps), seed


def test_values_stay_in_the_domain_and_zeros_are_unsigned(plan):
    for seed in range(40):
        match = Match(plan.scenario, seed=seed, policies={r: make_policy("random") for r in plan.roles})
        while not match.is_over():
            match.play()
            for value in (*match.state.values, *match.state.scores().values()):
                assert math.isfinite(value) and -LIMIT <= value <= LIMIT
                assert math.copysign(1.0, value) > 0 or value != 0
    games = play(plan, {r: VECTORISED["random"]() for r in plan.roles}, 5000, make_rng(3), keep_values=True)
    assert np.isfinite(games.values).all() and np.isfinite(games.scores).all()
    assert (np.abs(games.values) <= LIMIT).all() and not np.signbit(games.values[games.values == 0]).any()


def test_saturation_is_the_rule_the_fixture_shows(plan):
    scenario = plan.scenario
    growth = scenario.variables["growth"]
    match = Match(scenario, seed=0)
    state = match.state
    weights = {o.id: p for o, p in state.outcomes("multiply")}
    assert weights == {"saturated": 1.0}  # big*10 - big*10 is LIMIT - LIMIT = 0: no weight, no NaN
    after, _ = state.apply("multiply", "saturated")
    assert after.value("growth") == LIMIT and growth.max == math.inf
    assert after.value("zero") == 0.0 and math.copysign(1.0, after.value("zero")) == 1.0
    assert [p for _, p in state.outcomes(scenario.events["flood"])] == [0.5, 0.5]
