"""Every policy and strength decides from what its role knows.

At decisions of seeded games of every bundled scenario (format 2: hidden starting values, secret
moves), the role's belief (the core's: every truth consistent with what it was shown) gives other
true states it cannot tell from the real one. Each policy must choose the same move in all of
them. The peeking baseline, lookahead, is the control: it reads the truth, and the same check
catches it.
"""

from __future__ import annotations

import copy

import pytest

from game.ai import STRENGTHS, make_opponent, make_policy
from game.ai.expert import ExpertPolicy
from game.core.belief import consistent
from game.core.match import Match, make_rng
from game.core.model import WORLD
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

HONEST = ("random", "weighted", "greedy", "historical", "expert")
SMALL = {"expert": {"playouts": 4, "exact": 2000, "samples": 2}}


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def pairs(request):
    """(truth, another truth the role cannot tell from it) at decisions of a few seeded games."""
    scenario = load_scenario(request.param)
    found = []
    for seed in range(4):
        match = Match(scenario, seed, {r: make_policy("random") for r in scenario.roles})
        while not match.is_over() and len(found) < 4 * (seed + 1):
            state = match.state
            role = state.current_role()
            if role != WORLD and not state.in_setup() and len(state.legal_actions()) > 1:
                belief = consistent(scenario, state.observe(role))
                others = [p.state for p in belief.particles if p.state.values != state.values]
                if others:
                    found.append((state, others[len(others) // 2]))
            match.play()
    assert found, "the scenario should hide something from someone"
    return found


def _choice(policy, state, seed: int):
    return policy.choose(state, make_rng(seed)).id


@pytest.mark.parametrize("name", HONEST)
def test_a_policy_chooses_alike_in_states_its_role_cannot_tell_apart(pairs, name):
    policy = make_policy(name, **SMALL.get(name, {}))
    for k, (truth, other) in enumerate(pairs):
        role = truth.current_role()
        assert other.observe(role).key == truth.observe(role).key  # the role sees the two alike
        assert _choice(policy, other, k) == _choice(policy, truth, k), (truth, role)


@pytest.mark.parametrize("strength", list(STRENGTHS))
def test_every_strength_is_honest(pairs, strength):
    options = SMALL.get(STRENGTHS[strength], {})
    for k, (truth, other) in enumerate(pairs[:3]):
        fresh = make_opponent(strength, **options)
        assert _choice(fresh, other, k) == _choice(copy.deepcopy(fresh), truth, k)


def test_lookahead_made_honest_chooses_alike_too(pairs):
    policy = make_policy("lookahead", budget=400, honest=True)
    for k, (truth, other) in enumerate(pairs[:3]):
        assert _choice(policy, other, k) == _choice(policy, truth, k)


def test_the_expert_with_another_model_of_the_other_side_chooses_alike_too(pairs):
    policy = make_policy("expert", others="weighted", **SMALL["expert"])
    for k, (truth, other) in enumerate(pairs[:3]):
        assert _choice(policy, other, k) == _choice(policy, truth, k)


def test_the_check_catches_a_policy_that_peeks():
    """Lookahead reads the truth: somewhere the hidden part changes its move."""
    differs = 0
    for path in SCENARIOS:
        scenario = load_scenario(path)
        for seed in range(6):
            match = Match(scenario, seed, {r: make_policy("random") for r in scenario.roles})
            while not match.is_over() and not differs:
                state = match.state
                role = state.current_role()
                if role != WORLD and not state.in_setup() and len(state.legal_actions()) > 1:
                    for particle in consistent(scenario, state.observe(role)).particles:
                        peek = make_policy("lookahead", budget=400)
                        if _choice(peek, particle.state, 0) != _choice(peek, state, 0):
                            differs += 1
                            break
                match.play()
    assert differs


def test_the_expert_searches_the_states_its_belief_allows(pairs):
    truth, _ = pairs[0]
    role = truth.current_role()
    allowed = {p.state.values for p in consistent(truth.scenario, truth.observe(role)).particles}
    from game.ai.worlds import worlds

    searched = worlds(truth, role, samples=ExpertPolicy().samples)
    assert searched and all(w.state.values in allowed for w in searched)
    assert sum(w.weight for w in searched) == pytest.approx(1.0)


def test_a_belief_no_larger_than_every_is_searched_whole_and_a_larger_one_sampled():
    """``every`` lets a small belief be searched truth by truth while a large one is still sampled."""
    from game.ai.worlds import worlds

    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "wagner_mutiny"))
    match = Match(scenario, seed=3)
    match.start()
    while match.state.current_role() != "prigozhin":
        match.play()
    truths = [p for p in consistent(scenario, match.state.observe("prigozhin")).particles if p.weight > 0]
    assert len(truths) > 4
    whole = worlds(match.state, "prigozhin", samples=4, every=len(truths))
    assert len(whole) == len(truths)
    assert sorted(w.weight for w in whole) == pytest.approx(
        sorted(p.weight / sum(t.weight for t in truths) for p in truths)
    )
    assert len(worlds(match.state, "prigozhin", samples=4, every=len(truths) - 1)) <= 4


def test_the_sampled_states_spread_over_every_hidden_draw():
    """Four states sampled from Prigozhin's first belief in Wagner (48 truths, listed draw by draw)
    do not all share one case of his friends in Moscow: evenly spaced points over the list in its
    own order did, in every game."""
    from game.ai.worlds import worlds

    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "wagner_mutiny"))
    friends = list(scenario.variables).index("friends")
    alike = 0
    for seed in range(12):
        match = Match(scenario, seed=seed)
        match.start()
        while match.state.current_role() != "prigozhin":
            match.play()
        cases = {w.state.values[friends] for w in worlds(match.state, "prigozhin", samples=4)}
        alike += len(cases) == 1
    assert alike <= 4
