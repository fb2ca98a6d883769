"""The structure-aware fuzzer over every bundled scenario and every test fixture.

The default run is seeded and small (it takes seconds). A longer one:

    CRISIS_FUZZ=5000 python -m pytest tests/scenario/test_structure_fuzz.py -s

runs that many mutants (seed from CRISIS_FUZZ_SEED, default 1) and prints what it tried.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError
from tests.conftest import ROOT, SCENARIOS, knob
from tests.scenario.fuzz import campaign, compose, mutate, serialise


def _valid(path) -> bool:
    try:
        load_bytes(path.read_bytes(), str(path))
    except ScenarioError:
        return False
    return True


# every scenario that validates: the bundled ones and the fixtures (those made to fail are left out)
SOURCES = [p for p in (*SCENARIOS, *sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))) if _valid(p)]
FAST_MUTANTS = 150


def test_the_sources_survive_a_round_trip_through_nodes():
    """Without mutations the fuzzer's output is the same scenario, so every finding is the mutation's."""
    for path in SOURCES[:4]:
        again = load_bytes(serialise(compose(path.read_bytes())), str(path))
        assert again.meta.id == load_bytes(path.read_bytes(), str(path)).meta.id


def test_mutants_differ_and_repeat_from_their_seed():
    raw = SCENARIOS[0].read_bytes()
    one = [mutate(raw, random.Random(i)) for i in range(5)]
    assert one == [mutate(raw, random.Random(i)) for i in range(5)]
    assert len(set(one)) == 5


def test_seeded_mutants_meet_only_the_projects_own_errors():
    tally = campaign(SOURCES, FAST_MUTANTS, seed=20230623)
    assert tally.findings == []
    assert tally.tried >= FAST_MUTANTS * 0.95
    assert tally.valid >= tally.tried // 10, "too few mutants validate to exercise lint and the engines"


@pytest.mark.skipif(not os.environ.get("CRISIS_FUZZ"), reason="the long fuzz run: set CRISIS_FUZZ=N mutants")
def test_long_fuzz_run():
    mutants, seed = knob("CRISIS_FUZZ", 0, 10_000_000), knob("CRISIS_FUZZ_SEED", 1, 2**63 - 1, 0)
    start = time.perf_counter()
    tally = campaign(SOURCES, mutants, seed)
    took = time.perf_counter() - start
    print(
        f"\n{tally.tried} mutants of {len(SOURCES)} files (seed {seed}) in {took:.0f} s: {tally.refused} refused, "
        f"{tally.valid} validated and ran ({tally.games} games), {len(tally.findings)} findings"
    )
    for finding in tally.findings:
        print("  " + finding)
    assert tally.findings == []
