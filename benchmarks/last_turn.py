"""The expert's last-turn decisions under several options, on positions an endgame check saved.

    python benchmarks/last_turn.py CHECK.json [--scenario wagner_mutiny] [--policies expert/last_exact=160000,expert] [--positions N]

``CHECK.json`` is what ``benchmarks/ladder.py --endgame GAMES --out CHECK.json`` writes. Every
last-turn position where the expert moved is rebuilt from its path and decided again by each
policy, from a fresh belief each time (so the times include following the whole trail). For each
policy it prints how often its move is the best by what the mover knows (every truth of its
belief solved exactly, as the ladder's second standard judges it; positions whose belief is too
big for that are left out and counted) and the CPU time of its decisions: median, 95th
percentile and most.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import ladder  # noqa: E402
from game.ai import worlds  # noqa: E402
from game.analysis.plan import Plan  # noqa: E402


def checked_positions(found) -> list[dict]:
    """The expert's checked positions in a ladder JSON, each once."""
    out: dict[tuple, dict] = {}

    def walk(x) -> None:
        if isinstance(x, dict):
            if x.get("policy") == "expert" and "path" in x:
                out.setdefault((x["seed"], len(x["path"])), x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(found)
    return list(out.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", help="the JSON a ladder endgame check wrote (--out)")
    parser.add_argument("--scenario", default="wagner_mutiny")
    parser.add_argument("--policies", default="expert/last_exact=160000,expert", help="policies, comma-separated")
    parser.add_argument("--budget", type=int, default=200_000, help="solver budget for judging (as the ladder's)")
    parser.add_argument("--positions", type=int, default=0, help="only the first N positions (0: all)")
    args = parser.parse_args(argv)
    scenario = ladder._scenario(args.scenario)
    plan, roles = Plan(scenario), list(scenario.roles)
    names = args.policies.split(",")
    policies = {name: ladder.policy_named(name) for name in names}
    judged: dict[str, list[bool]] = {name: [] for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    skipped = 0
    checks = checked_positions(json.loads(Path(args.check).read_text()))
    for check in checks[: args.positions or None]:
        state = ladder.rebuilt(scenario, check["path"])
        role = state.current_role()
        known = ladder.honest_values(plan, state, role, args.budget)
        ids = [m.id for m in state.legal_actions()]
        skipped += isinstance(known, str)
        for name, policy in policies.items():
            worlds._KEPT.clear()  # a fresh belief for every policy alike
            start = time.process_time()
            move = policy.find(state).move
            times[name].append(time.process_time() - start)
            if not isinstance(known, str):
                judged[name].append(ladder._judged(known, roles.index(role), ids.index(move.id))[0])
    for name in names:
        ts = sorted(times[name])
        best = judged[name]
        print(
            f"{name:32} best by what it knows in {sum(best)} of {len(best)}; decisions median "
            f"{statistics.median(ts):.2f} s, p95 {ts[int(0.95 * (len(ts) - 1))]:.2f} s, max {ts[-1]:.2f} s "
            f"({len(ts)} positions, {skipped} too big to judge)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
