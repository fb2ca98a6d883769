"""Chunked runs: the figures depend on the seed and the games only, not on who played them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.analysis.runner import Spec, executor_for, simulate
from game.analysis.summary import Summary

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
POLICIES = (("harbour", "random"), ("union", "weighted"))


def _spec(**changes) -> Spec:
    base = dict(raw=TUTORIAL.read_bytes(), path=str(TUTORIAL), policies=POLICIES, games=3_000, seed=5, chunk=700)
    base.update(changes)
    return Spec(**base)


def _same(a: Summary, b: Summary) -> None:
    for name in ("endings", "score_sum", "wins", "picked", "times", "picked_score", "turns"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.games, a.steps) == (b.games, b.steps)


def _run(workers: int, *specs: Spec) -> list[Summary]:
    with executor_for(workers) as executor:
        outcome = simulate(list(specs), executor)
    assert not outcome.interrupted
    return outcome.summaries


def test_one_worker_and_two_give_identical_figures():
    one = _run(1, _spec())
    two = _run(2, _spec())
    _same(one[0], two[0])
    assert one[0].games == 3_000


def test_a_different_seed_gives_different_games():
    a, b = _run(1, _spec(), _spec(seed=6))
    assert not np.array_equal(a.endings, b.endings)


def test_a_sweep_overrides_a_constant():
    """fleet_patience past the last turn means the fleet never leaves, so no game goes bankrupt that way."""
    low, high = _run(1, _spec(constants=(("fleet_patience", 1.0),)), _spec(constants=(("fleet_patience", 9.0),)))
    bankrupt = 3  # the tutorial's endings: contract, broken, riot, bankrupt, stalemate
    assert low.endings[bankrupt] > 5 * high.endings[bankrupt]


def test_a_local_dask_cluster_gives_exactly_the_local_figures():
    distributed = pytest.importorskip("dask.distributed")
    specs = [_spec(), _spec(constants=(("fleet_patience", 2.0),))]
    local = _run(1, *specs)
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            outcome = simulate(specs, client.get_executor())
    for a, b in zip(local, outcome.summaries):
        _same(a, b)


def test_policies_without_a_batched_version_play_one_game_at_a_time():
    (summary,) = _run(1, _spec(policies=(("harbour", "lookahead"), ("union", "random")), games=12, chunk=5))
    assert summary.games == 12 == int(summary.endings.sum())
    assert summary.times.sum() >= 12  # every game has at least one decision
