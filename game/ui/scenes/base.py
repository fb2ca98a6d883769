"""The scene protocol: each screen handles events, updates with time, and draws without changing state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.ui.app import App


class Scene:
    """One screen on the app's stack. ``opaque`` scenes hide the ones under them."""

    name = "scene"
    opaque = True
    recorded_on_return = True  # with --record, a screenshot when the scene shows again

    def __init__(self, app: App):
        self.app = app

    @property
    def theme(self):
        return self.app.theme

    def enter(self) -> None:
        """Called when the scene becomes the top of the stack (again)."""

    def resize(self) -> None:
        """Called when the window's size or the UI scale changed: drop cached layouts."""

    def handle_event(self, event: pygame.event.Event) -> None:
        """React to one input event."""

    def update(self, dt: float) -> None:
        """Advance animations and background work by ``dt`` seconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the scene; never changes any state but caches."""
