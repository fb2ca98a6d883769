"""Shared test setup: no display or sound, a private user folder, and scenario helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
# Today's bundled scenarios as they were in format 1: they must keep loading and playing exactly.
FORMAT1 = sorted((ROOT / "tests" / "fixtures" / "format1").glob("*.yaml"))
TUTORIAL_FORMAT1 = ROOT / "tests" / "fixtures" / "format1" / "tutorial.yaml"
# Small format 2 scenarios that use every information and timing feature.
FORMAT2 = sorted((ROOT / "tests" / "fixtures" / "format2").glob("*.yaml"))


def knob(name: str, default: int, high: int, low: int = 1) -> int:
    """The size of a long check from the environment variable ``name`` (see README, "Long
    checks"): a whole number from ``low`` to ``high``, or the run stops at once saying so."""
    text = os.environ.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text) if len(text) <= 20 else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise pytest.UsageError(f"{name} takes a whole number from {low:,} to {high:,}, not {text[:40]!r}")
    return value


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CRISIS_HOME", str(tmp_path_factory.mktemp("crisis_home")))


@pytest.fixture(scope="session")
def tutorial():
    from game.scenario.loader import load_scenario

    return load_scenario(TUTORIAL)


@pytest.fixture(scope="session")
def tutorial1():
    """The tutorial as it was in format 1: no starting draws, the same game from every seed."""
    from game.scenario.loader import load_scenario

    return load_scenario(TUTORIAL_FORMAT1)
