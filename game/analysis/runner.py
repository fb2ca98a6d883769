"""Running many games in chunks, on this machine's processes or on a Dask cluster.

A run is cut into chunks of a fixed size whatever the number of workers; chunk ``i`` draws from
its own stream, ``SeedSequence(seed).spawn(...)[i]``, and the chunks' summaries are merged in
chunk order. So the figures depend on the seed and the number of games only, never on how many
processes (or machines) played them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from game import flags
from game.analysis.batch import Games, play
from game.analysis.causes import Codes, Tracer, count
from game.analysis.plan import Plan
from game.analysis.summary import Summary, empty, summarise
from game.analysis.vpolicies import VECTORISED
from game.core.errors import CrisisError
from game.core.match import Match
from game.core.model import QUIET, Scenario
from game.scenario.loader import load_bytes, with_overrides

CHUNK = 1 << 16


@dataclass(frozen=True)
class Spec:
    """One set of games to play: a scenario (as its file's bytes), policies, size and seed."""

    raw: bytes = field(repr=False)
    path: str
    policies: tuple[tuple[str, str], ...]
    games: int
    seed: int
    initial: tuple[tuple[str, float], ...] = ()
    constants: tuple[tuple[str, float], ...] = ()
    causes: bool = False  # also count what led to each ending (game.analysis.causes)
    chunk: int = CHUNK  # games per chunk: part of the run's definition, like the seed


@dataclass(frozen=True)
class Job:
    spec: Spec
    index: int
    games: int


_PLANS: dict[tuple, Plan] = {}


def scenario_of(spec: Spec) -> Scenario:
    return plan_of(spec).scenario


def plan_of(spec: Spec) -> Plan:
    """The spec's compiled scenario, built once per process."""
    key = (spec.raw, spec.path, spec.initial, spec.constants)
    if key not in _PLANS:
        scenario = load_bytes(spec.raw, spec.path)
        if spec.initial or spec.constants:
            scenario = with_overrides(scenario, dict(spec.initial), dict(spec.constants))
        _PLANS.clear()
        _PLANS[key] = Plan(scenario)
    return _PLANS[key]


def jobs(spec: Spec) -> list[Job]:
    size = spec.chunk
    return [Job(spec, i, min(size, spec.games - start)) for i, start in enumerate(range(0, spec.games, size))]


def chunk_rng(seed: int, index: int) -> np.random.Generator:
    """Chunk ``index``'s generator: the index-th child of the run's seed sequence."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


def run_chunk(job: Job) -> Summary:
    """Play one chunk and sum it up (runs in a worker process or on a cluster)."""
    plan = plan_of(job.spec)
    rng = chunk_rng(job.spec.seed, job.index)
    policies = dict(job.spec.policies)
    tracer = Tracer(Codes.of(plan), job.games) if job.spec.causes else None
    if not all(name in VECTORISED for name in policies.values()):
        games = play_one_by_one(plan, policies, job.games, rng, tracer)
        return _traced(summarise(games, len(plan.ending_ids), plan.action_role), tracer, games, plan)
    made = {role: VECTORISED[name]() for role, name in policies.items()}
    games = play(plan, made, job.games, rng, tracer=tracer)
    return _traced(summarise(games, len(plan.ending_ids), plan.action_role), tracer, games, plan)


def _traced(summary: Summary, tracer: Tracer | None, games: Games, plan: Plan) -> Summary:
    if tracer is not None:
        summary.causes = count(tracer, games.ending, len(plan.ending_ids))
    return summary


def play_one_by_one(
    plan: Plan, policies: dict[str, str], n: int, rng: np.random.Generator, tracer: Tracer | None = None
) -> Games:
    """Games through the one-game engine, for policies without a vectorised version."""
    from game.ai import make_policy

    rules = {m.id: m for role in plan.roles for m in plan.moves_of[role]} | {e.id: e for e in plan.events}
    made = {role: make_policy(name) for role, name in policies.items()}
    index = {a: i for i, a in enumerate(plan.action_ids)}
    seeds = rng.integers(0, 2**63, size=n)
    games = Games(
        ending=np.zeros(n, dtype=np.int64),
        scores=np.zeros((n, len(plan.roles))),
        turns=np.zeros(n, dtype=np.int64),
        steps=np.zeros(n, dtype=np.int64),
        picked=np.zeros((len(plan.action_ids), n), dtype=bool),
        times=np.zeros(len(plan.action_ids), dtype=np.int64),
    )
    for g, seed in enumerate(seeds):
        match = Match(plan.scenario, seed=int(seed), policies=made)
        match.run()
        state = match.state
        games.ending[g] = plan.ending_index[state.ending]
        scores = state.scores()
        games.scores[g] = [scores[r] for r in plan.roles]
        games.turns[g], games.steps[g] = state.turn, len(match.steps)
        for step in match.steps:
            if step.action in index:
                games.picked[index[step.action], g] = True
                games.times[index[step.action]] += 1
            if tracer is not None and step.outcome != QUIET and step.action in rules:  # not the starting draws
                rule = rules[step.action]
                at = [o.id for o in rule.outcomes].index(step.outcome)
                tracer.record(rule, np.array([g]), np.array([at]))
    return games


class InlineExecutor(Executor):
    """Runs each job at once in this process (one worker, no pickling)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future, as a pool would
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


@contextmanager
def executor_for(workers: int = 1, scheduler: str = "") -> Iterator[Executor]:
    """Local processes (``workers``), this process (1 worker), or a Dask cluster (``scheduler``)."""
    if scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise CrisisError("--scheduler needs Dask: pip install 'crisis[dask]'") from None
        wrong = flags.address_problem(scheduler if "://" in scheduler else f"tcp://{scheduler}")
        if wrong:  # refused before any connection is tried
            raise CrisisError(
                f"cannot use the Dask scheduler address '{scheduler}': it {wrong}; it looks like tcp://HOST:8786"
            )
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise CrisisError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        except (ValueError, TypeError, OverflowError) as exc:  # Dask's words for an address it cannot use
            raise CrisisError(
                f"cannot use the Dask scheduler address '{scheduler}': {exc}; "
                "it looks like tcp://HOST:8786 (a tls:// address needs Dask's TLS settings)"
            ) from None
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers <= 1:
        yield InlineExecutor()
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            yield pool
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class RunResult:
    """The summaries of several specs, and whether the run was cut short."""

    summaries: list[Summary]
    interrupted: bool = False


def simulate(
    specs: Sequence[Spec], executor: Executor, progress: Callable[[int, int], None] | None = None
) -> RunResult:
    """Play every spec's chunks on ``executor``; merge each spec's chunks in chunk order.

    On Ctrl-C the chunks already played are kept and the outcome says it was interrupted.
    """
    work = [(s, job) for s, spec in enumerate(specs) for job in jobs(spec)]
    total = sum(spec.games for spec in specs)
    results: dict[tuple[int, int], Summary] = {}
    futures: dict[Future, tuple[int, Job]] = {}
    interrupted = False
    done = 0
    try:
        for s, job in work:
            futures[executor.submit(run_chunk, job)] = (s, job)
        for future in as_completed(futures):
            s, job = futures[future]
            results[(s, job.index)] = future.result()
            done += job.games
            if progress:
                progress(done, total)
    except KeyboardInterrupt:
        interrupted = True
        for future, (s, job) in futures.items():
            if not future.cancel() and future.done() and future.exception() is None:
                results[(s, job.index)] = future.result()
    summaries = []
    for s, spec in enumerate(specs):
        plan = plan_of(spec)
        merged = empty(len(plan.ending_ids), len(plan.roles), len(plan.action_ids))
        for job in jobs(spec):
            if (s, job.index) in results:
                merged = merged.merge(results[(s, job.index)])
        summaries.append(merged)
    return RunResult(summaries, interrupted)
