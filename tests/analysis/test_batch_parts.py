"""The batch engine's building blocks against their one-game counterparts, on awkward numbers."""

from __future__ import annotations

import math

import numpy as np

from game.analysis.batch import choose, fsum
from game.core.model import QUIET_OUTCOME, Outcome
from game.core.state import pick


def test_fsum_is_math_fsum_row_by_row():
    rng = np.random.default_rng(3)
    for parts in (3, 4, 7):
        columns = [
            rng.choice([0.1, 0.2, 0.3, 1e16, -1e16, 1.0, 2.5e-17, 7.0], size=4000) * rng.random(4000)
            for _ in range(parts)
        ]
        columns.append(np.full(4000, 0.1))
        got = fsum(columns)
        want = [math.fsum(float(c[i]) for c in columns) for i in range(4000)]
        assert got.tolist() == want


def test_choose_is_pick_including_left_out_and_fallback_entries():
    rng = np.random.default_rng(4)
    outcomes = [Outcome(id=f"o{i}", weight=QUIET_OUTCOME.weight, text="") for i in range(4)]
    for _ in range(300):
        weights = rng.choice([0.0, 0.0, 1.0, 0.3, 2.7, 1e-9], size=4)
        if weights.sum() == 0:
            weights[2] = 1.0
        probs = [float(w / math.fsum(weights)) for w in weights]
        u = np.concatenate([rng.random(50), [0.0, 0.999999999999, np.nextafter(1.0, 0.0)]])
        included = [p > 0 for p in probs]
        pairs = [(o, p) for o, p in zip(outcomes, probs) if p > 0]
        want = [outcomes.index(pick(pairs, float(x))) for x in u]
        assert choose(probs, included, u).tolist() == want  # the same for every game (floats)
        arrays = [np.full(u.shape, p) for p in probs]
        masks = [np.full(u.shape, inc) for inc in included]
        assert choose(arrays, masks, u).tolist() == want  # game by game (arrays)
