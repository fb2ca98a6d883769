"""Fixtures for the policy tests: every bundled scenario, and a way to play whole games."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from game.ai import make_policy
from game.core.match import Match
from game.core.model import Scenario
from game.scenario.loader import load_bytes, load_scenario

ROOT = Path(__file__).resolve().parents[2]
# The policies' own tests start from each scenario's first decision, so they play the bundled
# scenarios as they were in format 1 (no starting draws); tests/ai/test_ai_policies.py also plays
# the format 2 ones to the end.
BUNDLED = sorted((ROOT / "tests" / "fixtures" / "format1").glob("*.yaml"))


@pytest.fixture(scope="session", params=BUNDLED, ids=[path.stem for path in BUNDLED])
def bundled(request) -> Scenario:
    return load_scenario(request.param)


@pytest.fixture(scope="session")
def tutorial_text() -> str:
    return (ROOT / "tests" / "fixtures" / "format1" / "tutorial.yaml").read_text(encoding="utf-8")


@pytest.fixture
def variant(tutorial_text) -> Callable[[str, str], Scenario]:
    """The tutorial with one piece of its text replaced (the piece must be there)."""

    def build(old: str, new: str) -> Scenario:
        assert old in tutorial_text
        return load_bytes(tutorial_text.replace(old, new, 1).encode(), "variant.yaml")

    return build


def play(scenario: Scenario, policies: Mapping[str, str], seed: int, **options) -> Match:
    """A whole game with the named policy for each role."""
    match = Match(scenario, seed, {role: make_policy(name, **options) for role, name in policies.items()})
    match.run()
    assert match.is_over()
    return match


@pytest.fixture
def player() -> Callable[..., Match]:
    return play


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    """The tutorial as it was in format 1 (the policy tests start at its first decision)."""
    return load_scenario(ROOT / "tests" / "fixtures" / "format1" / "tutorial.yaml")
