"""Work that must never hold up a frame: AI moves and background simulations, on threads.

The engine is pure, so a thread that owns its own :class:`~game.core.match.Match` (or works on
the session's match while the window only reads an immutable earlier state) needs no locks.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from game.ai import make_policy
from game.core.match import Match, make_rng
from game.core.model import Scenario


class Task:
    """A function running on a daemon thread; :meth:`result` re-raises whatever it raised."""

    def __init__(self, function: Callable[[], Any] | None, name: str = "crisis-task"):
        self._value: Any = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        if function is not None:
            self._thread = threading.Thread(target=self._run, args=(function,), name=name, daemon=True)
            self._thread.start()

    @classmethod
    def finished(cls, value: Any) -> Task:
        """A task whose work was quick enough to do at once (a world event's roll)."""
        task = cls(None)
        task._value = value
        task._done.set()
        return task

    def _run(self, function: Callable[[], Any]) -> None:
        try:
            self._value = function()
        except BaseException as exc:  # handed to the window's thread, which reports it
            self._error = exc
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value


class Worker:
    """One long-lived thread that runs tasks in order: no thread start-up cost per AI move."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="crisis-moves", daemon=True)
        self._thread.start()

    def submit(self, function: Callable[[], Any]) -> Task:
        task = Task(None)
        self._jobs.put((task, function))
        return task

    def close(self) -> None:
        """Let the thread end once the jobs before this one are done."""
        self._jobs.put((None, None))

    def _serve(self) -> None:
        while True:
            task, function = self._jobs.get()
            if task is None:
                return
            task._run(function)
            # let go of the job while waiting for the next: its closure holds the scene, and so the window
            del task, function


class EndingSimulation:
    """Many random-against-random games in the background, counting how each one ends."""

    def __init__(self, scenario: Scenario, games: int = 2000, seed: int = 1):
        self.scenario = scenario
        self.games = games
        self.played = 0
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self.task = Task(lambda: self._run(seed), name="crisis-simulation")

    def _run(self, seed: int) -> Counter[str]:
        try:
            counts = self._batch(seed)
        except Exception:  # the batch engine is an optimisation; the one-game engine gives the same answer
            counts = self._one_by_one(seed)
        self.counts = counts
        return counts

    def _batch(self, seed: int) -> Counter[str]:
        """All games at once on numpy arrays (a fraction of a second)."""
        import numpy as np

        from game.analysis.batch import play
        from game.analysis.plan import Plan
        from game.analysis.vpolicies import RandomBatch

        plan = Plan(self.scenario)
        games = play(plan, {role: RandomBatch() for role in self.scenario.roles}, self.games, make_rng(seed))
        found = np.bincount(games.ending, minlength=len(plan.ending_ids))
        self.played = self.games
        return Counter({ending: int(n) for ending, n in zip(plan.ending_ids, found) if n})

    def _one_by_one(self, seed: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        policies = {role: make_policy("random") for role in self.scenario.roles}
        for game in range(self.games):
            if self._stop.is_set():
                break
            match = Match(self.scenario, seed=seed + game, policies=policies)
            match.run()
            counts[match.state.ending] += 1
            self.played = game + 1
            # hand the interpreter back to the window often, so frames keep their pace
            time.sleep(0)
        return counts

    @property
    def ready(self) -> bool:
        return self.task.done

    def share(self, ending: str) -> float:
        total = sum(self.counts.values())
        return self.counts.get(ending, 0) / total if total else 0.0

    def stop(self) -> None:
        self._stop.set()
