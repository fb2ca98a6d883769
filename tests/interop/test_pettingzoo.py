"""Every bundled scenario as a PettingZoo AEC environment: PettingZoo's own checks, masks, seeds."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pettingzoo", reason="the research extra is not installed")

from pettingzoo.test import api_test, seed_test  # noqa: E402

from game.interop.aec import CrisisEnv  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from tests.conftest import SCENARIOS  # noqa: E402


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def scenario(request):
    return load_scenario(request.param)


def test_pettingzoos_api_test_passes(scenario):
    api_test(CrisisEnv(scenario), num_cycles=200)


def test_pettingzoos_seed_test_passes(scenario):
    seed_test(lambda: CrisisEnv(scenario), num_cycles=200)


def _play(env: CrisisEnv, seed: int) -> list:
    env.reset(seed=seed)
    rng = np.random.default_rng(seed)
    taken = []
    for agent in env.agent_iter():
        observation, _, terminated, truncated, _ = env.last()
        if terminated or truncated:
            env.step(None)
            continue
        action = int(rng.choice(np.flatnonzero(observation["action_mask"])))
        taken.append((agent, action))
        env.step(action)
    return taken


def test_masks_open_exactly_the_legal_moves_and_games_end_with_the_scores(scenario):
    env = CrisisEnv(scenario)
    env.reset(seed=1)
    state = env.match.state
    mask = env.observe(env.agent_selection)["action_mask"]
    assert {env.action_ids[i] for i in np.flatnonzero(mask)} == {m.id for m in state.legal_actions()}
    other = next(a for a in env.agents if a != env.agent_selection)
    assert not env.observe(other)["action_mask"].any()
    _play(env, 1)
    assert env.match.is_over()
    assert not env.agents


def test_a_closed_move_is_refused(scenario):
    env = CrisisEnv(scenario)
    env.reset(seed=2)
    mask = env.observe(env.agent_selection)["action_mask"]
    closed = np.flatnonzero(mask == 0)
    if closed.size:
        with pytest.raises(ValueError, match="not open"):
            env.step(int(closed[0]))
    with pytest.raises(ValueError, match="not open"):
        env.step(len(env.action_ids))


def test_the_same_seed_and_actions_give_the_same_game(scenario):
    first, second = CrisisEnv(scenario), CrisisEnv(scenario)
    assert _play(first, 9) == _play(second, 9)
    assert first.match.steps == second.match.steps
