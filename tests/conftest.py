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
