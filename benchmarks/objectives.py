"""An objective fitted to the ending scores: what each role's score tends to be, state by state.

    python benchmarks/objectives.py SCENARIO [--games N] [--policies random,weighted] [--seed S]

A role's ``objective`` is what the cheap policies (greedy, and lookahead's leaves) maximise one
step or a few steps ahead, so it works best as an estimate of the score the role will end with
from the state it is in. This script plays GAMES one-game matches (seeds S, S+1, ...; the
policies named take the seats in every combination, in turn), keeps the values at every
decision of either role, and fits each role's ending score to them by least squares: one term
per number and true/false variable, one per stop of a place variable but its first, and the
turn. It prints each role's fitted formula (coefficients to two significant figures, a term
left out where it moves the estimate by less than half a point over its spread in the games)
and the share of the score's variance it explains (R²).

The fit reads correlations in the games played, not causes: read the formula as an author
would, and keep what makes sense.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ladder import policy_named  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.core.model import WORLD, Scenario  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402

MAX_GAMES = 100_000


def features(scenario: Scenario) -> list[tuple[str, int, int | None]]:
    """(expression, slot, stop) for each term: the value itself (stop None) or ``place == stop``."""
    out: list[tuple[str, int, int | None]] = []
    for var in scenario.variables.values():
        if var.internal:
            continue
        slot = scenario.slots[var.id]
        if var.type in ("number", "boolean"):
            out.append((var.id, slot, None))
        elif var.type == "place" and var.route:
            stops = scenario.routes[var.route].stops
            out.extend((f"({var.id} == {stop})", slot, k) for k, stop in enumerate(stops) if k > 0)
    return out


def sample(scenario: Scenario, games: int, policies: list[str], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The features at every decision of ``games`` matches, and each role's ending score there."""
    terms = features(scenario)
    roles = list(scenario.roles)
    lineups = list(itertools.product(policies, repeat=len(roles)))
    rows, scores = [], []
    for g in range(games):
        lineup = lineups[g % len(lineups)]
        match = Match(scenario, seed=seed + g, policies={r: policy_named(p) for r, p in zip(roles, lineup)})
        seen = []
        while not match.is_over():
            state = match.state
            if state.current_role() not in (None, WORLD):
                values = state.values
                seen.append([values[s] if k is None else float(values[s] == k) for _, s, k in terms] + [state.turn])
            match.play()
        final = match.state.scores()
        rows += seen
        scores += [[final[r] for r in roles]] * len(seen)
    return np.asarray(rows, dtype=np.float64), np.asarray(scores, dtype=np.float64)


def fit(x: np.ndarray, y: np.ndarray, names: list[str]) -> tuple[str, float]:
    """The least-squares formula for ``y`` in the columns of ``x``, and its R²."""
    spread = x.std(axis=0)
    used = spread > 0
    design = np.column_stack([np.ones(len(x)), x[:, used]])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    r2 = 1.0 - float(residual @ residual) / float(((y - y.mean()) ** 2).sum())
    terms = [f"{coef[0]:.3g}"]
    kept = [(n, c, s) for n, c, s in zip(itertools.compress(names, used), coef[1:], spread[used])]
    for name, c, s in sorted(kept, key=lambda t: -abs(t[1] * t[2])):
        if abs(c * s) >= 0.5:
            terms.append(f"{'+' if c >= 0 else '-'} {abs(c):.2g} * {name}")
    return " ".join(terms), r2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--policies", default="random,weighted")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 10 <= args.games <= MAX_GAMES:
        parser.error(f"--games must be between 10 and {MAX_GAMES:,}")
    scenario = load_scenario(find_scenario(args.scenario))
    policies = args.policies.split(",")
    x, y = sample(scenario, args.games, policies, args.seed)
    names = [name for name, _, _ in features(scenario)] + ["turn"]
    print(f"{args.scenario}: {args.games:,} games ({', '.join(policies)} in every seat), {len(x):,} decisions")
    for i, role in enumerate(scenario.roles):
        formula, r2 = fit(x, y[:, i], names)
        print(f"{role} (R² {r2:.3f}): {formula}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
