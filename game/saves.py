"""Saves and replays: a game as its seed and its choices, checked at every step.

A save is JSON: format version, the scenario's id and content hash, the seed, the numpy
version, the policies, and every step (who moved, the move, the drawn outcome, which policy
chose it, and the hash of the state after it), closed by a checksum over the whole.

Writing follows :mod:`game.files`: a :class:`SaveFile` holds its path for one game (a second
writer is refused), removes temporary files a killed writer left, and replaces the file
atomically after every step, keeping its mode and following a symbolic link to its target;
anything at the path that is not a regular file is refused. Reading takes regular files only,
refuses duplicate keys, numbers that are not plain JSON numbers and fields of the wrong type,
and checks the record against a replay, ``over`` included. A save is never half-loaded: every
refusal is a :class:`SaveError` that says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game import __version__, files
from game.core.errors import CrisisError, IllegalAction
from game.core.limits import MAX_ID, MAX_PATH, MAX_SAVE_BYTES, MAX_SEED
from game.core.match import Match, Policy, Step
from game.core.model import WORLD, Scenario

SAVE_FORMAT = "crisis-save"
SAVE_VERSION = 1
MAX_DIGITS = 40  # a whole number in a save: a seed has at most 39 digits
_FIELDS = frozenset({"format", "version", "game", "scenario", "seed", "numpy", "policies", "steps", "over", "checksum"})
_STEP_FIELDS = frozenset({"role", "action", "outcome", "by", "digest"})
_SCENARIO_FIELDS = frozenset({"id", "digest", "path"})
_DIGEST = re.compile(r"[0-9a-f]{64}")
_SCENARIO_ID = re.compile(rf"[a-z][a-z0-9_]{{0,{MAX_ID - 1}}}")  # as a scenario file spells its id


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


def recorded_path(path: str) -> str:
    """The scenario's path as a save records it: absolute, so that the save finds its file again
    from any folder (a name in angle brackets, a scenario read from no file, is kept as it is)."""
    if not path or path.startswith("<"):
        return path
    return os.path.abspath(path)


def save_data(match: Match) -> dict[str, Any]:
    """The JSON-ready content of a save, checksum included."""
    scenario = match.scenario
    body: dict[str, Any] = {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "game": __version__,
        "scenario": {"id": scenario.meta.id, "digest": scenario.digest, "path": recorded_path(scenario.path)},
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


def save_text(match: Match) -> bytes:
    """The bytes of a save of ``match``."""
    return (json.dumps(save_data(match), indent=1, sort_keys=True) + "\n").encode("utf-8")


class SaveFile:
    """A save path held for one game: locked against other writers and rewritten after each step.

    Opening it takes the lock (a path another game is saving to is refused with a message) and
    removes temporary files that a killed writer left beside it. :meth:`write` replaces the file
    atomically; :meth:`close` lets the path go.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.target = files.resolve(self.path)
        self.lock = files.Lock(self.target)
        made: list[Path] = []
        try:
            # the folders named in the path are made, not those a dangling link points into
            files.check_writable(self.target)  # before any folder is made for a path refused anyway
            made = files.make_folders(self.path.parent)
            self.lock.acquire()
            for stale in files.stale_temporaries(self.target):
                stale.unlink(missing_ok=True)
        except OSError as exc:
            self.lock.release()
            files.remove_folders(made)  # a refused path leaves nothing behind
            raise _write_error(self.path, exc) from None

    def write(self, match: Match) -> Path:
        try:
            files.write_atomic(self.target, save_text(match))
        except OSError as exc:
            raise _write_error(self.path, exc) from None
        return self.path

    def close(self) -> None:
        self.lock.release()

    def __enter__(self) -> SaveFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_save(match: Match, path: str | Path) -> Path:
    """Write ``match`` to ``path`` once (locked, atomic); see :class:`SaveFile` for a whole game."""
    with SaveFile(path) as save:
        return save.write(match)


def _write_error(path: Path, exc: OSError) -> SaveError:
    return SaveError(f"cannot write the save {path}: {exc.strerror or exc}")


def read_save(path: str | Path) -> Save:
    """Read and check a save file; raise :class:`SaveError` if anything is wrong with it."""
    try:
        raw = files.read_regular(path, MAX_SAVE_BYTES)
    except OSError as exc:
        raise SaveError(f"cannot read the save {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path} is too large to be a save")
    return parse_save(raw, str(path))


def parse_save(raw: bytes, name: str = "the save") -> Save:
    """A :class:`Save` from a file's bytes, refusing damaged or foreign content."""
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique, parse_int=_whole, parse_constant=_no_constant)
    except _Refused as exc:
        raise SaveError(f"{name} is damaged: {exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SaveError(f"{name} is damaged: it is not readable JSON") from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{name} is not a crisis save")
    version = data.get("version")
    if type(version) is not int or version != SAVE_VERSION:
        raise SaveError(f"{name} is a save of version {version!r}; this game reads version {SAVE_VERSION}")
    if data.get("checksum") != _checksum(data):
        raise SaveError(f"{name} is damaged: its checksum does not match its content")
    try:
        return _from_data(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SaveError(f"{name} is damaged: {_field_problem(exc)}") from None


class _Refused(ValueError):
    """JSON that is readable but not the JSON a save is made of."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {key!r} is given twice")
        out[key] = value
    return out


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"it holds a whole number of {len(text):,} digits")
    return int(text)


def _no_constant(text: str) -> None:
    raise _Refused(f"it holds {text}, which is not a number")


def _field_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing"
    detail = str(exc)
    return detail if detail.startswith("the ") else "a field is missing or of the wrong kind"


def _from_data(data: Mapping[str, Any]) -> Save:
    _exactly(data, _FIELDS, "the save")
    scenario = data["scenario"]
    _exactly(scenario, _SCENARIO_FIELDS, "the scenario field")
    steps = data["steps"]
    if not isinstance(steps, list):
        raise TypeError("the steps are not a list")
    for step in steps:
        _exactly(step, _STEP_FIELDS, "a step")
        if not _DIGEST.fullmatch(_text(step["digest"])):
            raise ValueError("the state hash of a step is not a hash")
    policies = data["policies"]
    if not isinstance(policies, dict):
        raise TypeError("the policies are not a mapping")
    seed = data["seed"]
    if type(seed) is not int or not 0 <= seed <= MAX_SEED:
        raise ValueError("the seed is not a whole number from 0 to 2^128 - 1")
    if type(data["over"]) is not bool:
        raise TypeError("the field 'over' is not true or false")
    _text(data["game"])
    if not _SCENARIO_ID.fullmatch(_text(scenario["id"])):
        raise ValueError("the scenario's id is not an id")
    path = _text(scenario["path"])
    if "\0" in path or len(path) > MAX_PATH:  # it is opened when the replay looks for the scenario
        raise ValueError("the scenario's path is not a path")
    return Save(
        _text(scenario["id"]),
        _text(scenario["digest"]),
        path,
        seed,
        _text(data["numpy"]),
        tuple(sorted((_text(k), _text(v)) for k, v in policies.items())),
        tuple(
            Step(_text(s["role"]), _text(s["action"]), _text(s["outcome"]), _text(s["digest"]), _text(s["by"]))
            for s in steps
        ),
        data["over"],
    )


def _exactly(value: Any, fields: frozenset[str], what: str) -> None:
    if not isinstance(value, dict):
        raise TypeError(f"the {what.removeprefix('the ')} is not a mapping")
    missing, extra = fields - value.keys(), value.keys() - fields
    if missing:
        raise KeyError(sorted(missing)[0])
    if extra:
        raise ValueError(f"the field {sorted(extra)[0]!r} does not belong in {what}")


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
    if save.over != match.is_over():
        said, found = ("over", "goes on") if save.over else ("unfinished", "has ended")
        raise ReplayDivergence(
            max(len(save.steps) - 1, 0), f"the save calls the game {said}, but after it the game {found}"
        )
    return match


def restore(save: Save, scenario: Scenario, policies: Mapping[str, Policy] | None = None) -> Match:
    """A match at the point where the save left off, ready to play on with ``policies``."""
    match = replay(save, scenario)
    match.policies = dict(policies or {})
    return match
