"""The player's error log: unexpected errors are appended to ``crisis.log`` in the player's folder."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from game.paths import user_dir


def log_error(exc: BaseException) -> Path:
    """Append ``exc`` with its traceback to crisis.log in the player's folder; return the path."""
    path = user_dir() / "crisis.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            handle.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    return path
