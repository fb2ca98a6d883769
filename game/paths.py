"""Where the game finds its bundled scenarios and assets, and the player's own folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
        found += sorted(folder.glob("*.yaml"))
    return found


def default_scenario() -> Path:
    """The Wagner scenario when present, else the first bundled one."""
    if DEFAULT_SCENARIO.exists():
        return DEFAULT_SCENARIO
    files = sorted(SCENARIOS.glob("*.yaml"))
    return files[0] if files else DEFAULT_SCENARIO
