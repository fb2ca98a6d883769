"""Saves and replays: a game as its seed and its choices, checked at every step.

A save is JSON: format version, the scenario's id and content hash, the seed, the numpy
version, the policies, and every step (who moved, the move, the drawn outcome, which policy
chose it, and the hash of the state after it), closed by a checksum over the whole. Saves are
written atomically, so a crash never leaves half a file where a good one was. Loading refuses
anything damaged, foreign or made for another version of the scenario, with a message that says
which; a save is never half-loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game import __version__
from game.core.errors import CrisisError, IllegalAction
from game.core.match import Match, Policy, Step
from game.core.model import WORLD, Scenario

SAVE_FORMAT = "crisis-save"
SAVE_VERSION = 1
MAX_SAVE_BYTES = 20_000_000


class SaveError(CrisisError):
    """A save that cannot be written, read or trusted."""


class ReplayDivergence(SaveError):
    """A replay that does not reproduce the recorded game."""

    def __init__(self, index: int, message: str):
        super().__init__(f"step {index + 1}: {message}")
        self.index = index


@dataclass(frozen=True)
class Save:
    scenario_id: str
    scenario_digest: str
    scenario_path: str
    seed: int
    numpy: str
    policies: tuple[tuple[str, str], ...]
    steps: tuple[Step, ...]
    over: bool


def save_data(match: Match) -> dict[str, Any]:
    """The JSON-ready content of a save, checksum included."""
    scenario = match.scenario
    body: dict[str, Any] = {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "game": __version__,
        "scenario": {"id": scenario.meta.id, "digest": scenario.digest, "path": scenario.path},
        "seed": match.seed,
        "numpy": np.__version__,
        "policies": {role: policy.name for role, policy in sorted(match.policies.items())},
        "steps": [
            {"role": s.role, "action": s.action, "outcome": s.outcome, "by": s.by, "digest": s.digest}
            for s in match.steps
        ],
        "over": match.is_over(),
    }
    body["checksum"] = _checksum(body)
    return body


def write_save(match: Match, path: str | Path) -> Path:
    """Write ``match`` to ``path`` atomically (temp file, flush, fsync, rename)."""
    path = Path(path)
    text = json.dumps(save_data(match), indent=1, sort_keys=True) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", delete=False)
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SaveError(f"cannot write the save {path}: {exc.strerror or exc}") from None
    return path


def read_save(path: str | Path) -> Save:
    """Read and check a save file; raise :class:`SaveError` if anything is wrong with it."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"cannot read the save {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path} is too large to be a save")
    return parse_save(raw, str(path))


def parse_save(raw: bytes, name: str = "the save") -> Save:
    """A :class:`Save` from a file's bytes, refusing damaged or foreign content."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SaveError(f"{name} is damaged: it is not readable JSON") from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{name} is not a crisis save")
    if data.get("version") != SAVE_VERSION:
        raise SaveError(f"{name} is a save of version {data.get('version')!r}; this game reads version {SAVE_VERSION}")
    if data.get("checksum") != _checksum(data):
        raise SaveError(f"{name} is damaged: its checksum does not match its content")
    try:
        return _from_data(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise SaveError(f"{name} is damaged: a field is missing or of the wrong kind") from None


def _from_data(data: Mapping[str, Any]) -> Save:
    scenario = data["scenario"]
    steps = tuple(
        Step(_text(s["role"]), _text(s["action"]), _text(s["outcome"]), _text(s["digest"]), _text(s["by"]))
        for s in data["steps"]
    )
    policies = tuple(sorted((_text(k), _text(v)) for k, v in data["policies"].items()))
    seed = data["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError("seed")
    return Save(
        _text(scenario["id"]),
        _text(scenario["digest"]),
        _text(scenario["path"]),
        seed,
        _text(data["numpy"]),
        policies,
        steps,
        bool(data["over"]),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text expected")
    return value


def _checksum(data: Mapping[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_scenario(save: Save, scenario: Scenario) -> None:
    """Refuse a save made for another scenario, or for another version of this one."""
    if save.scenario_id != scenario.meta.id:
        raise SaveError(f"this save is for the scenario '{save.scenario_id}', not '{scenario.meta.id}'")
    if save.scenario_digest != scenario.digest:
        raise SaveError(
            f"this save was made with another version of the scenario '{scenario.meta.id}' "
            "(its file has changed since), so it cannot be replayed exactly"
        )


def replay(save: Save, scenario: Scenario, make_policy=None) -> Match:
    """Re-run a save step by step, checking every choice, outcome and state hash.

    Steps that a policy chose are chosen again by that policy from the same generator, so the
    replay proves the whole game, not just its record. Raises :class:`ReplayDivergence` at the
    first step that differs.
    """
    check_scenario(save, scenario)
    if make_policy is None:
        from game.ai import make_policy
    match = Match(scenario, seed=save.seed)
    made: dict[str, Policy] = {}
    for index, step in enumerate(save.steps):
        role = match.state.current_role()
        if role is None:
            raise ReplayDivergence(index, "the game had already ended")
        if role != step.role:
            raise ReplayDivergence(index, f"expected {step.role} to move, but it is {role}'s turn")
        try:
            if role == WORLD:
                match.play()
            elif step.by:
                if step.by not in made:
                    made[step.by] = make_policy(step.by)
                match.policies[role] = made[step.by]
                match.play()
                del match.policies[role]
            else:
                match.play(step.action)
        except IllegalAction as exc:
            raise ReplayDivergence(index, str(exc)) from None
        got = match.steps[-1]
        for field in ("action", "outcome", "digest"):
            if getattr(got, field) != getattr(step, field):
                raise ReplayDivergence(
                    index, f"recorded {field} {getattr(step, field)!r}, replay gives {getattr(got, field)!r}"
                )
    return match


def restore(save: Save, scenario: Scenario, policies: Mapping[str, Policy] | None = None) -> Match:
    """A match at the point where the save left off, ready to play on with ``policies``."""
    match = replay(save, scenario)
    match.policies = dict(policies or {})
    return match
