"""Golden playthroughs: a recorded game per scenario, with every legal move and its exact odds.

Format 2 playthroughs also record the starting draws and what each step showed each role (its
feed's new item, or nothing), so a change to who sees what shows up too. The bargaining moves the
loader makes are listed when open; when closed they are only counted. The format 1 files of
tests/fixtures/format1 are the bundled scenarios as they were before format 2: their playthroughs
must never change.

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
from tests.conftest import FORMAT1, FORMAT2, ROOT, SCENARIOS

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
                made = scenario.negotiation.generated if scenario.negotiation else (lambda _: False)
                shut = state.unavailable_actions()
                closed = " ".join(a.id for a in shut if not made(a.id))
                bargaining = sum(1 for a in shut if made(a.id))
                more = f" +{bargaining} bargaining" if bargaining else ""
                lines.append(f"turn {state.turn} {role}: closed [{closed}]{more}")
                for move in state.legal_actions():
                    odds = " ".join(f"{o.id}={p:.6f}" for o, p in state.outcomes(move))
                    lines.append(f"  {move.id}: {odds}")
            report = match.play()
            if report.setup:
                lines.append(f"setup {report.action} = {report.outcome}")
                continue
            if role == WORLD and report.quiet:
                continue
            changes = " ".join(f"{c.variable}={c.after:g}" for c in report.changes)
            lines.append(f"  -> {report.action} / {report.outcome}: {changes}")
            if scenario.meta.format >= 2:
                lines.extend(_shown(match.state, scenario))
        scores = " ".join(f"{r}={v:g}" for r, v in match.state.scores().items())
        lines.append(f"ending {match.state.ending} at turn {match.state.turn}: {scores}")
    return "\n".join(lines) + "\n"


def _shown(state, scenario) -> list[str]:
    """What the last step added to each role's feed."""
    lines = []
    for role in scenario.roles:
        before = len(state.prev.observe(role).feed)
        feed = state.observe(role).feed
        if len(feed) > before:
            item = feed[-1]
            lines.append(f"     {role} sees ({item.seen}) {item.title} / {item.outcome_title}: {item.text}")
    return lines


CASES = [(p, GOLDEN / f"{p.stem}.txt") for p in SCENARIOS]
CASES += [(p, GOLDEN / "format1" / f"{p.stem}.txt") for p in FORMAT1]
CASES += [(p, GOLDEN / "format2" / f"{p.stem}.txt") for p in FORMAT2]


@pytest.mark.parametrize("path,golden", CASES, ids=lambda c: getattr(c, "stem", ""))
def test_golden_playthrough(path, golden):
    text = playthrough(path)
    if os.environ.get("CRISIS_REGEN_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}; run with CRISIS_REGEN_GOLDEN=1 to make it"
    assert text == golden.read_text(encoding="utf-8")
