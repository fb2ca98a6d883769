"""What ``crisis play`` asked of the window: the command line's choices, checked, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game.core.errors import CrisisError
from game.core.limits import MAX_WINDOW
from game.flags import from_env
from game.paths import default_scenario, find_scenario
from game.ui.session import NOBODY, Settings

DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (960, 540)
MAX_PACE = 10.0  # seconds a step may be asked to take when the game runs by itself


@dataclass(frozen=True)
class Options:
    """The command line's choices, with the defaults a bare ``crisis`` uses."""

    scenario: Path
    seat: str | None = None
    opponent: str | None = None
    seed: int | None = None
    save: Path | None = None
    load: Path | None = None
    record: Path | None = None
    spectate: bool = False
    exit_at_end: bool = False
    fullscreen: bool = False
    scale: float = 1.0
    odds: str | None = None
    size: tuple[int, int] = DEFAULT_SIZE
    pace: float = 0.35  # seconds per step when the game advances by itself

    @property
    def auto(self) -> bool:
        """The game plays on without waiting for input (spectating or recording)."""
        return self.spectate or self.record is not None


def options_from(args) -> Options:
    """Options from the ``crisis play`` namespace (missing attributes take their defaults)."""
    scenario = getattr(args, "scenario", None)
    seat = getattr(args, "as_role", None)
    spectate = bool(getattr(args, "spectate", False))
    if spectate and seat is None:
        seat = NOBODY
    path = lambda name: Path(getattr(args, name)) if getattr(args, name, None) else None  # noqa: E731
    return Options(
        scenario=find_scenario(scenario) if scenario else default_scenario(),
        seat=seat,
        opponent=getattr(args, "opponent", None),
        seed=getattr(args, "seed", None),
        save=path("save"),
        load=path("load"),
        record=path("record"),
        spectate=spectate,
        exit_at_end=bool(getattr(args, "exit_at_end", False)),
        fullscreen=bool(getattr(args, "fullscreen", False)),
        scale=float(getattr(args, "scale", None) or 1.0),
        odds=getattr(args, "odds", None),
        size=parse_size(getattr(args, "size", None)),
        pace=default_pace(),
    )


def default_pace() -> float:
    """Seconds per step when the game runs by itself: watchable in a window, brisk when headless."""
    headless = os.environ.get("SDL_VIDEODRIVER") == "dummy"
    return from_env("CRISIS_UI_PACE", 0.03 if headless else 0.4, 0.0, MAX_PACE, float)


def parse_size(text: str | None) -> tuple[int, int]:
    """``"1600x900"`` as a pair; the default size for nothing; CrisisError for nonsense."""
    if not text:
        return DEFAULT_SIZE
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise CrisisError(f"--size must look like 1280x720, not '{text[:40]}'") from None
    if w > MAX_WINDOW[0] or h > MAX_WINDOW[1]:
        raise CrisisError(f"--size can be at most {MAX_WINDOW[0]}x{MAX_WINDOW[1]}, not {w}x{h}")
    return max(MIN_SIZE[0], w), max(MIN_SIZE[1], h)


def default_settings(options: Options) -> Settings:
    """The new-game choices the command line implies."""
    return Settings(
        scenario_path=options.scenario,
        seat=options.seat or "",
        opponent=options.opponent or "normal",
        seed=options.seed,
        odds=options.odds or "exact",
    )
