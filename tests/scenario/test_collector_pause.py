"""The loader holds the cycle collector off while it works and leaves it as it found it."""

from __future__ import annotations

import gc
import threading

import pytest

from game.paths import SCENARIOS
from game.scenario import loader
from game.scenario.problems import ScenarioError

TUTORIAL = SCENARIOS / "tutorial.yaml"


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_off_during_a_load_and_on_again_after(collector, monkeypatch):
    seen = []
    read = loader.read_yaml

    def reading(*args, **kwargs):
        seen.append(gc.isenabled())
        return read(*args, **kwargs)

    monkeypatch.setattr(loader, "read_yaml", reading)
    gc.enable()
    loader.load_scenario(TUTORIAL)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(collector):
    gc.disable()
    loader.load_scenario(TUTORIAL)
    assert not gc.isenabled()


def test_on_again_after_a_broken_file(collector):
    gc.enable()
    with pytest.raises(ScenarioError):
        loader.load_bytes(b"format: 2\nmeta: [", "broken.yaml")
    with pytest.raises(ScenarioError):
        loader.load_bytes(TUTORIAL.read_bytes().replace(b"turn_limit:", b"turn_limits:"), "broken.yaml")
    assert gc.isenabled()


def test_loads_at_once_on_threads(collector):
    gc.enable()
    inside = threading.Barrier(2)
    failures = []

    def load() -> None:
        try:
            with loader.collector_paused():
                inside.wait(timeout=10)  # both are inside before either leaves
                loader.load_scenario(TUTORIAL)
            inside.wait(timeout=10)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    assert gc.isenabled()


def test_a_load_leaves_no_reference_cycles(collector):
    """What the pause rests on: nothing a load makes needs the cycle collector to be freed."""
    for path in sorted(SCENARIOS.glob("*.yaml")):
        loader.load_scenario(path)  # the first load of a file may fill caches that hold cycles
    gc.collect()
    gc.disable()
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = loader.load_scenario(path)
        del scenario
    assert gc.collect() == 0


def test_what_a_program_froze_stays_frozen(collector):
    gc.enable()
    gc.collect()
    gc.freeze()  # as the server does with what survives a full collection
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        scenario = loader.load_scenario(TUTORIAL)
        assert gc.get_freeze_count() >= frozen  # nothing let go; the load's objects joined them
        assert gc.isenabled()
        del scenario
    finally:
        gc.unfreeze()


def test_nothing_is_left_frozen_where_nothing_was(collector):
    gc.enable()
    if gc.get_freeze_count():
        pytest.skip("something in this process has frozen objects")
    loader.load_scenario(TUTORIAL)
    assert gc.get_freeze_count() == 0
