"""The registry: names in step with the scenario format, options checked, strengths resolvable."""

from __future__ import annotations

import pytest

from game.ai import FACTORIES, STRENGTHS, make_opponent, make_policy
from game.ai.lookahead import LookaheadPolicy
from game.core.errors import CrisisError
from game.scenario.spec import POLICY_NAMES


def test_registry_names_match_the_scenario_format():
    assert set(FACTORIES) == set(POLICY_NAMES)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_each_policy_carries_its_registry_name(name):
    assert make_policy(name).name == name


def test_unknown_policy_is_one_clear_error():
    with pytest.raises(CrisisError, match="unknown policy 'gredy'.*did you mean 'greedy'"):
        make_policy("gredy")


def test_unknown_option_is_one_clear_error():
    with pytest.raises(CrisisError, match="policy 'greedy' does not take depth"):
        make_policy("greedy", depth=3)


def test_lookahead_options_are_taken_and_checked():
    policy = make_policy("lookahead", depth="2", budget=500)
    assert isinstance(policy, LookaheadPolicy)
    assert (policy.depth, policy.budget) == (2, 500)
    for bad in (0, -1, "deep", 2.5, True):
        with pytest.raises(CrisisError, match="lookahead depth must be a whole number"):
            make_policy("lookahead", depth=bad)
    assert make_policy("lookahead", honest="true").honest and not make_policy("lookahead").honest
    with pytest.raises(CrisisError, match="lookahead honest must be true or false"):
        make_policy("lookahead", honest="maybe")


def test_strengths_run_from_random_to_the_expert():
    assert list(STRENGTHS) == ["easy", "normal", "hard", "expert"]
    assert set(STRENGTHS.values()) <= set(FACTORIES)
    assert make_opponent("easy").name == "random"
    assert make_opponent("expert", playouts=8).name == "expert"
    with pytest.raises(CrisisError, match="unknown strength 'hardest'"):
        make_opponent("hardest")
