"""The player's window settings (odds display, text size, full screen, sound), kept between games.

They live in ``settings.json`` in the player's folder. A missing or damaged file means the
defaults; a file that cannot be written is not worth interrupting a game for.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from game.paths import user_dir
from game.ui.odds import MODES


@dataclass(frozen=True)
class Preferences:
    odds: str = "exact"
    scale: float = 1.0
    fullscreen: bool = False
    volume: float = 0.7
    muted: bool = False
    ambient: bool = True


def preferences_path():
    return user_dir() / "settings.json"


def load_preferences() -> Preferences:
    """The saved settings, each one checked; defaults for anything missing or odd."""
    try:
        data = json.loads(preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    odds = data.get("odds") if data.get("odds") in MODES else "exact"
    scale = data.get("scale")
    scale = float(scale) if isinstance(scale, (int, float)) and 0.5 <= scale <= 3 else 1.0
    volume = data.get("volume")
    volume = float(volume) if isinstance(volume, (int, float)) and 0 <= volume <= 1 else 0.7
    return Preferences(
        odds, scale, data.get("fullscreen") is True, volume, data.get("muted") is True, data.get("ambient") is not False
    )


def save_preferences(preferences: Preferences) -> None:
    path = preferences_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(preferences), indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass
