"""Helpers for tests of what the checker refuses: load a text expecting problems, find one, place it."""

from __future__ import annotations

import pytest

from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError


def problems_of(text: str | bytes, **kwargs):
    """Every problem the loader finds in ``text`` (which must not load)."""
    with pytest.raises(ScenarioError) as caught:
        load_bytes(text.encode("utf-8") if isinstance(text, str) else text, "bad.yaml", **kwargs)
    return caught.value.problems


def at(text: str, needle: str) -> tuple[int, int]:
    """The line and column (from 1) where ``needle`` first stands in ``text``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def only(problems, fragment: str):
    """The first problem whose message or hint holds ``fragment`` (there must be one)."""
    found = [p for p in problems if fragment in p.message or fragment in p.hint]
    assert found, [str(p) for p in problems]
    return found[0]
