"""``--record DIR``: a numbered PNG of every new scene and every turn, for tests, CI and the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pygame

from game.core.errors import CrisisError


class Recorder:
    """Saves the frame after each request as ``DIR/NNN-label.png``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CrisisError(f"cannot record into {folder}: {exc.strerror or exc}") from None
        self.count = 0
        self.pending: list[str] = []
        self.saved: list[Path] = []
        self.scenes: set[str] = set()

    def request(self, label: str, scene: bool = False) -> None:
        """Capture the next frame; a new scene's label replaces an earlier scene's in the same frame."""
        if scene:
            self.pending = [p for p in self.pending if p not in self.scenes]
            self.scenes.add(label)
        if label not in self.pending:
            self.pending.append(label)

    def capture(self, surface: pygame.Surface) -> None:
        if not self.pending:
            return
        label = "-".join(re.sub(r"[^a-z0-9]+", "_", p.lower()).strip("_") for p in self.pending)
        self.pending = []
        self.count += 1
        path = self.folder / f"{self.count:03d}-{label[:60]}.png"
        pygame.image.save(surface, str(path))
        self.saved.append(path)
