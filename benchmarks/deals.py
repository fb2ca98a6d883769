"""How the deals go: how often one is struck, through which channel, with which terms, and which
terms are broken afterwards, for one pair of policies.

Usage: .venv/bin/python benchmarks/deals.py [SCENARIO] [--policy ROLE=NAME ...] [--games N] [--seed S]

Plays ``N`` games one at a time (game *i* from seed ``S`` + *i*) with the one-game engine and
counts from each final state: the terms agreed, the channel that carried them, the terms broken
and the ending. Figures are shares of all games, with a 95% Wilson interval for the deal share.
"""

from __future__ import annotations

import argparse
from collections import Counter

from game.ai import make_policy
from game.analysis.stats import wilson
from game.core import negotiation as deals
from game.core.match import Match
from game.paths import default_scenario, find_scenario
from game.scenario.loader import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--policy", action="append", default=[], metavar="ROLE=NAME")
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = find_scenario(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path)
    if scenario.negotiation is None:
        raise SystemExit(f"{path}: the scenario has no bargaining")
    names = {role: "random" for role in scenario.roles}
    names.update(dict(p.split("=", 1) for p in args.policy))
    struck, channels, terms, broken, endings = 0, Counter(), Counter(), Counter(), Counter()
    for i in range(args.games):
        policies = {role: make_policy(name) for role, name in names.items()}
        match = Match(scenario, seed=args.seed + i, policies=policies)
        match.run()
        state = match.state
        endings[state.ending] += 1
        agreed = deals.agreed(state)
        if not agreed:
            continue
        struck += 1
        channels[deals.carried_by(state, agreed[0]).id] += 1
        terms.update(agreed)
        broken.update(deals.broken(state))
    n = args.games
    lo, hi = wilson(struck, n)
    lineup = ", ".join(f"{role}={name}" for role, name in names.items())
    print(f"{scenario.meta.id}: {n} games ({lineup}; seeds {args.seed}..{args.seed + n - 1})")
    print(f"deal struck    {struck:6d}  {100 * struck / n:6.2f}%   95% interval {100 * lo:.2f}% .. {100 * hi:.2f}%")
    for title, counts in (("through", channels), ("term agreed", terms), ("term broken", broken), ("ending", endings)):
        for key, count in counts.most_common():
            print(f"{title:14s} {key:20s} {count:6d}  {100 * count / n:6.2f}%")


if __name__ == "__main__":
    main()
