"""Golden playthroughs: a recorded game per scenario, with every legal move and its exact odds.

A change to the engine or to a scenario that alters any game shows up here as a diff. When the
change is meant, regenerate the files and review the diff:

    CRISIS_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os

import pytest

from game.ai import make_policy
from game.core.match import Match
from game.core.model import WORLD
from game.scenario.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS

GOLDEN = ROOT / "tests" / "golden"
SEEDS = (20230623, 1991)


def playthrough(path) -> str:
    scenario = load_scenario(path)
    lines = [f"# {scenario.meta.title}: random against random, seeds {SEEDS}"]
    for seed in SEEDS:
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        lines.append(f"== seed {seed}")
        while not match.is_over():
            state = match.state
            role = state.current_role()
            if role != WORLD:
                closed = " ".join(a.id for a in state.unavailable_actions())
                lines.append(f"turn {state.turn} {role}: closed [{closed}]")
                for move in state.legal_actions():
                    odds = " ".join(f"{o.id}={p:.6f}" for o, p in state.outcomes(move))
                    lines.append(f"  {move.id}: {odds}")
            report = match.play()
            if role == WORLD and report.quiet:
                continue
            changes = " ".join(f"{c.variable}={c.after:g}" for c in report.changes)
            lines.append(f"  -> {report.action} / {report.outcome}: {changes}")
        scores = " ".join(f"{r}={v:g}" for r, v in match.state.scores().items())
        lines.append(f"ending {match.state.ending} at turn {match.state.turn}: {scores}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_golden_playthrough(path):
    golden = GOLDEN / f"{path.stem}.txt"
    text = playthrough(path)
    if os.environ.get("CRISIS_REGEN_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}; run with CRISIS_REGEN_GOLDEN=1 to make it"
    assert text == golden.read_text(encoding="utf-8")
