"""Random YAML and random bytes never make the loader raise anything but ScenarioError."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError
from tests.conftest import TUTORIAL

BASE = TUTORIAL.read_bytes()
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["yes", "off", "1:30", "2023-06-23", "~", "a + b", "{x}", "solidarity"]),
)
KEYS = st.sampled_from(
    ["format", "meta", "calendar", "roles", "map", "variables", "actions", "endings", "turn_order", "id", "title", "x"]
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=20,
)


def _load(raw: bytes) -> None:
    try:
        load_bytes(raw, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems and all(p.line >= 1 and p.col >= 1 for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_random_yaml_documents(value):
    _load(yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(raw):
    _load(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BASE) - 1), st.binary(min_size=1, max_size=8), st.integers(0, 12))
def test_mutated_scenario(position, insert, cut):
    _load(BASE[:position] + insert + BASE[position + cut :])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASE.decode().splitlines()), st.integers(0, 3))
def test_a_line_removed_or_reindented(line, spaces):
    text = BASE.decode()
    _load(text.replace(line + "\n", " " * spaces + line.lstrip() + "\n", 1).encode())
    _load(text.replace(line + "\n", "", 1).encode())
