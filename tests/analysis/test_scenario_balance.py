"""Every scenario's own balance assertions hold (the same check ``crisis balance`` makes)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from game.analysis import report
from game.analysis.runner import Spec, executor_for, plan_of, simulate
from game.analysis.vpolicies import VECTORISED
from game.scenario.loader import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
CHECKS = [(path, i) for path in SCENARIOS for i in range(len(load_scenario(path).balance))]
SLOW = "CRISIS_SLOW_BALANCE"  # set it to also run the checks that need the one-game engine


@pytest.mark.parametrize("path,index", CHECKS, ids=[f"{p.stem}-{i}" for p, i in CHECKS])
def test_balance_assertion_holds(path: Path, index: int):
    scenario = load_scenario(path)
    check = scenario.balance[index]
    given = dict(check.policies)
    if not set(given.values()) <= set(VECTORISED) and not os.environ.get(SLOW):
        pytest.skip(
            f"'{check.name}' plays {', '.join(sorted(set(given.values()) - set(VECTORISED)))} one game at a time; set {SLOW}=1 to run it"
        )
    policies = tuple((role, given.get(role, "random")) for role in scenario.roles)
    spec = Spec(path.read_bytes(), str(path), policies, check.games, check.seed)
    with executor_for(1) as executor:
        summary = simulate([spec], executor).summaries[0]
    figures = report.build(plan_of(replace(spec)), summary, check.seed, dict(policies))
    failed = [report.verdict_line(v) for v in report.check(check, figures) if not v.ok]
    assert not failed, "\n".join(failed)
