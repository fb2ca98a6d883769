"""Where the game finds its bundled scenarios and assets, and the player's own folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from game.core.errors import CrisisError, did_you_mean

PACKAGE = Path(__file__).resolve().parent
REPOSITORY = PACKAGE.parent
# In a checkout (and an editable install) the scenarios and assets sit beside the package; a
# wheel carries them inside it, under game/bundled/ (see pyproject.toml).
_IN_CHECKOUT = (REPOSITORY / "pyproject.toml").is_file() and (REPOSITORY / "scenarios").is_dir()
ROOT = REPOSITORY if _IN_CHECKOUT else PACKAGE / "bundled"
SCENARIOS = ROOT / "scenarios"
ASSETS = ROOT / "assets"
DEFAULT_SCENARIO = SCENARIOS / "wagner_mutiny.yaml"


def user_dir() -> Path:
    """The platform's per-user data folder for crisis (``CRISIS_HOME`` overrides it)."""
    override = os.environ.get("CRISIS_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "crisis"


def user_scenarios() -> Path:
    return user_dir() / "scenarios"


def scenario_files() -> list[Path]:
    """Every scenario the game offers: the bundled ones, then the player's own."""
    found = sorted(SCENARIOS.glob("*.yaml"))
    folder = user_scenarios()
    if folder.is_dir():
        found += sorted(p for p in folder.glob("*.yaml") if is_file(p))  # no pipe, folder or device
    return found


def default_scenario() -> Path:
    """The Wagner scenario when present, else the first bundled one."""
    if DEFAULT_SCENARIO.exists():
        return DEFAULT_SCENARIO
    files = sorted(SCENARIOS.glob("*.yaml"))
    return files[0] if files else DEFAULT_SCENARIO


class ScenarioNotFound(CrisisError):
    """A scenario named on the command line that is neither a file nor in a scenario folder."""


def find_scenario(name: str | Path) -> Path:
    """A scenario by path, file name or scenario id, looked up in the player's folder, then the bundled one.

    The player's folder comes first so that an edited copy of a bundled scenario wins.
    Raises :class:`ScenarioNotFound` listing every scenario on offer when nothing matches.
    """
    given = Path(name)
    if is_file(given):
        return given
    folders = [user_scenarios(), SCENARIOS]
    text = str(name)
    for folder in folders:
        for candidate in (folder / text, folder / f"{text}.yaml", folder / f"{text}.yml"):
            if is_file(candidate):
                return candidate
    for path in _offered(folders):
        if _scenario_id(path) == text:
            return path
    raise ScenarioNotFound(_not_found_message(text, folders))


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; a path the system cannot even look up (too long) is not."""
    try:
        return path.is_file()
    except OSError:
        return False


def _offered(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found += sorted(p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if is_file(p))
    return found


def _scenario_id(path: Path) -> str:
    """The ``meta.id`` of a scenario file, or "" when it cannot be read (read safely, without the loader)."""
    from game.files import read_regular
    from game.scenario.yamlread import MAX_BYTES, read_yaml

    try:  # a regular file only, and no more of it than a scenario may hold: a pipe or a link to
        raw = read_regular(path, MAX_BYTES)  # /dev/zero in the folder made every look-up hang
    except OSError:
        return ""
    data = read_yaml(raw, str(path)).data
    meta = data.get("meta") if isinstance(data, dict) else None
    return str(meta.get("id", "")) if isinstance(meta, dict) else ""


def _not_found_message(name: str, folders: list[Path]) -> str:
    parts = []
    names: list[str] = []
    for folder, label in zip(folders, ("your folder", "bundled")):
        stems = sorted({p.stem for p in _offered([folder])})
        names += stems
        parts.append(f"{label} ({folder}): {', '.join(stems) or '(none)'}")
    shown = name if len(name) <= 80 else name[:77] + "..."
    return f"no scenario '{shown}': it is not a file and no scenario has that name{did_you_mean(name, names)}; " + (
        "; ".join(parts)
    )
