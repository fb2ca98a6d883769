"""Several policies in one seat against the same opponent: whose mean score is higher.

    python benchmarks/seat.py SCENARIO SEAT OPPONENT POLICY[,POLICY...] [--games N]

Each policy plays ``SEAT`` in games 0..N-1 (the seeds) against ``OPPONENT`` in every other
seat; the same seeds for every policy, so they meet the same luck. Prints each policy's mean
score in the seat with its standard error and, from the second policy on, its mean difference
from the first policy's score on the same seeds (paired) with that difference's standard error.
Policies are named as in ``benchmarks/ladder.py``
(``expert/exact=0``). The ladder's seat-paired round robin compares two policies that also play
each other; this holds the opponent fixed, which separates a policy's own play from how it makes
the other side play.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ladder import policy_named  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("seat")
    parser.add_argument("opponent")
    parser.add_argument("policies")
    parser.add_argument("--games", type=int, default=100)
    args = parser.parse_args(argv)
    if not 2 <= args.games <= 100_000:
        parser.error("--games must be between 2 and 100,000")
    scenario = load_scenario(find_scenario(args.scenario))
    if args.seat not in scenario.roles:
        parser.error(f"no role '{args.seat}' (roles: {', '.join(scenario.roles)})")
    first: list[float] = []
    for name in args.policies.split(","):
        mine, theirs = policy_named(name), policy_named(args.opponent)
        scores = []
        for seed in range(args.games):
            lineup = {role: mine if role == args.seat else theirs for role in scenario.roles}
            match = Match(scenario, seed=seed, policies=lineup)
            match.run()
            scores.append(match.state.scores()[args.seat])
        spread = statistics.stdev(scores) / len(scores) ** 0.5
        line = f"{args.scenario} {args.seat} against {args.opponent}: {name:<16} {statistics.fmean(scores):6.2f} ± {spread:.2f}"
        if first:
            gaps = [mine - theirs for mine, theirs in zip(scores, first)]
            line += f"  paired gap {statistics.fmean(gaps):+.2f} ± {statistics.stdev(gaps) / len(gaps) ** 0.5:.2f}"
        else:
            first = scores
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
