"""Resampling a belief down to its limit keeps every kind of truth in proportion; the open actions a
scenario remembers are the ones its conditions give."""

from __future__ import annotations

import numpy as np
import pytest

from game.core import model
from game.core.belief import Particle, resample
from game.core.match import Match
from game.core.model import WORLD
from game.paths import SCENARIOS
from game.scenario.loader import load_scenario


def _particles(weights):
    return [Particle(state=i, weight=w) for i, w in enumerate(weights)]


def test_resampling_keeps_the_total_weight_and_the_limit():
    particles = _particles([5, 1, 1, 1, 0.1, 0.1, 2])
    kept = resample(particles, 4)
    assert len(kept) <= 4
    assert sum(p.weight for p in kept) == pytest.approx(10.2)
    assert kept[0].state == 0  # the heaviest is kept first, in the order found


def test_every_particle_heavier_than_the_spacing_survives():
    weights = [0.3, 0.01, 0.2, 0.01, 0.01, 0.25, 0.01, 0.21]
    kept = {p.state for p in resample(_particles(weights), 5)}
    spacing = sum(weights) / 5
    assert {i for i, w in enumerate(weights) if w >= spacing} <= kept


def test_a_rare_kind_of_truth_keeps_its_share_instead_of_being_cut_off():
    # 600 truths of a common kind at weight 5, and 600 of a rare kind at weight 1: cutting off the
    # lightest would keep only the common kind; resampling keeps the rare one at about 1/6.
    common = [5.0] * 600
    rare = [1.0] * 600
    particles = _particles(common + rare)
    kept = resample(particles, 120)
    rare_share = sum(p.weight for p in kept if p.state >= 600) / sum(p.weight for p in kept)
    assert rare_share == pytest.approx(1 / 6, abs=0.01)


def test_a_draw_repeated_at_a_stride_keeps_every_value():
    # a belief lists its truths draw by draw: here a three-way draw repeated at a stride of three,
    # 1,200 truths of equal weight brought down to 400 (a spacing of three). Evenly spaced points
    # over the list in its own order would all land on the same value of that draw.
    particles = [Particle(state=(i % 3, i), weight=1.0) for i in range(1200)]
    kept = resample(particles, 400)
    shares = [sum(p.weight for p in kept if p.state[0] == case) / 1200 for case in range(3)]
    assert shares == pytest.approx([1 / 3] * 3, abs=0.05)
    assert [p.state[1] for p in kept] == sorted(p.state[1] for p in kept)  # in the list's order


def test_resampling_is_a_function_of_the_list_alone():
    particles = _particles([0.5, 0.25, 0.125, 0.0625, 0.0625] * 40)
    assert resample(particles, 17) == resample(list(particles), 17)


def test_a_list_within_the_limit_is_kept_whole():
    particles = _particles([3, 1, 2])
    kept = resample(particles, 3)
    assert [p.state for p in kept] == [0, 1, 2]
    assert [p.weight for p in kept] == pytest.approx([3, 1, 2])


def test_the_open_actions_remembered_are_the_ones_the_conditions_give():
    """A scenario remembers the open actions by the values its conditions read: at every state of
    random games the remembered answer is the one evaluating every condition gives."""

    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        rng = np.random.default_rng(7)
        checked = 0
        for seed in range(6):
            match = Match(scenario, seed=seed)
            match.start()
            while not match.is_over():
                state = match.state
                role = state.current_role()
                if role != WORLD:
                    direct = tuple(a for a in scenario.actions_of(role) if a.when.truth(state.env))
                    assert scenario.open_actions(role, state.env) == direct
                    assert state.legal_actions() == direct
                    checked += 1
                    legal = state.legal_actions()
                    match.play(legal[int(rng.integers(len(legal)))])
                else:
                    match.play()
        assert checked > 20, path
        assert scenario._reads and all(r is not False for r in scenario._reads.values()), path


def test_the_remembered_open_actions_stay_within_their_cap(monkeypatch):

    monkeypatch.setattr(model, "MAX_OPEN_KEPT", 5)
    scenario = load_scenario(SCENARIOS / "wagner_mutiny.yaml")
    for seed in range(4):
        match = Match(scenario, seed=seed)
        match.start()
        while not match.is_over():
            match.play(match.state.legal_actions()[0] if match.waiting_for_person() else None)
            assert len(scenario._open) <= 5
