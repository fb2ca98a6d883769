"""The scene protocol: each screen handles events, updates with time, and draws without changing state.

Scenes see the window through :class:`Host`, the little they need of it (the stack, the theme,
the options, the current game), so that they never import the window module that runs them.
"""

from __future__ import annotations

from typing import Any, Protocol

import pygame


class Host(Protocol):
    """What a scene may ask of the window that shows it."""

    options: Any
    session: Any
    stack: list
    odds: str
    scale: float
    fullscreen: bool
    theme: Any
    worker: Any
    sound: Any

    @property
    def top(self) -> Scene | None: ...

    @property
    def size(self) -> tuple[int, int]: ...

    def push(self, scene: Scene) -> None: ...

    def pop(self) -> None: ...

    def replace(self, scene: Scene) -> None: ...

    def reset(self, scene: Scene) -> None: ...

    def quit(self, code: int = 0) -> None: ...

    def record(self, label: str) -> None: ...

    def toast(self, text: str, seconds: float = 3.0) -> None: ...

    def set_scale(self, scale: float) -> None: ...

    def toggle_fullscreen(self) -> None: ...

    def remember_settings(self) -> None: ...


class Scene:
    """One screen on the app's stack. ``opaque`` scenes hide the ones under them."""

    name = "scene"
    opaque = True
    recorded_on_return = True  # with --record, a screenshot when the scene shows again

    def __init__(self, app: Host):
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


class ReadingScene(Scene):
    """A screen that is read and then dismissed: Enter, Space or a click goes on, Esc pauses.

    An unattended game (spectating or recording) goes on by itself after ``paces`` of its pace.
    """

    paces = 3.0
    pause_hides_game = False

    def __init__(self, app: Host, session, role: str | None):
        super().__init__(app)
        self.session = session
        self.role = role
        self.wait = 0.0

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.app.pop()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.app.pop()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            from game.ui.scenes.pause import PauseScene

            self.app.push(PauseScene(self.app, hide_game=self.pause_hides_game))

    def update(self, dt: float) -> None:
        if self.app.options.auto:
            self.wait += dt
            if self.wait > self.app.options.pace * self.paces:
                self.app.pop()
