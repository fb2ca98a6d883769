"""The window: command-line options in, a scene stack run at a steady frame rate, errors caught.

``main(args)`` is what ``crisis play`` calls without ``--text``. Nothing that goes wrong reaches
the desktop as a traceback: an unexpected error is written to ``crisis.log`` in the player's folder
and shown in a dialog; a person-facing error (a broken scenario, a damaged save) is shown as a
message in plain words.
"""

from __future__ import annotations

import sys
import time
import weakref

import pygame

from game.core.errors import CrisisError
from game.ui import theme as t
from game.ui.errorlog import log_error
from game.ui.options import DEFAULT_SIZE, MIN_SIZE, Options, default_settings, options_from
from game.ui.preferences import Preferences, load_preferences, save_preferences
from game.ui.recorder import Recorder
from game.ui.scenes.base import Scene
from game.ui.session import BOTH, NOBODY, Session
from game.ui.sound import Sounds
from game.ui.theme import Theme
from game.ui.widgets.panel import draw_tip
from game.ui.worker import Worker

FPS = 60
MAX_FAILURES = 5
LARGEST = (7680, 4320)  # a window asked to grow past this (by resizing) stays at it
FIT = 0.9  # the scale that fits a 1280x720 window; larger windows scale up with their size


def fitted_scale(size: tuple[int, int]) -> float:
    """The text and panel scale that suits a window of ``size`` at the player's 100%."""
    w, h = size
    return min(max(FIT * min(w / DEFAULT_SIZE[0], h / DEFAULT_SIZE[1]), 0.7), 2.0)


class App:
    """Owns the window, the theme, the scene stack and the current game session."""

    def __init__(self, options: Options):
        self.options = options
        saved = load_preferences()
        self.odds = options.odds or saved.odds
        # the player's setting (the command line's first); the theme's grows with large windows
        self.scale = options.scale if options.scale != 1.0 else saved.scale
        self.stack: list[Scene] = []
        self._session: Session | None = None
        self.running = True
        self.exit_code = 0
        self.failures = 0
        self.fullscreen = options.fullscreen or (saved.fullscreen and not options.auto)
        self.sound = Sounds(saved.volume, saved.muted, saved.ambient)
        self.recorder = Recorder(options.record) if options.record else None
        self.worker = Worker()
        weakref.finalize(self, self.worker.close)  # a window that is gone (in tests: many) takes its thread along
        # a thread thinking about a move hands the interpreter back to the window within a millisecond
        sys.setswitchinterval(0.001)
        forget_stale_fonts()
        self.screen = self._open_window(options.size)
        self.theme = Theme(self.effective_scale())
        self.frame_times: list[float] = []  # wall-clock seconds per frame (for benchmarks)
        self.frame_cpu: list[float] = []  # the window thread's own processor time per frame
        self.toast_text = ""
        self.toast_time = 0.0
        self.pointer: tuple[int, int] | None = None  # where the mouse last moved; None before it has

    # window --------------------------------------------------------------------------

    def _open_window(self, size: tuple[int, int]) -> pygame.Surface:
        pygame.display.set_caption("Crisis")
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if self.fullscreen else 0)
        return pygame.display.set_mode((0, 0) if self.fullscreen else size, flags)

    def toggle_fullscreen(self) -> None:
        self.fullscreen = not self.fullscreen
        self.screen = self._open_window(self.options.size)
        self._resized()

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self._resized()

    def remember_settings(self) -> None:
        """Keep the odds display, text size, full screen and sound for the next game."""
        sound = self.sound
        save_preferences(
            Preferences(self.odds, self.scale, self.fullscreen, sound.volume, sound.muted, sound.ambient_on)
        )

    def effective_scale(self) -> float:
        """The player's scale times the one that fits the window (text keeps its share of the screen)."""
        return self.scale * fitted_scale(self.screen.get_size())

    def _resized(self) -> None:
        if abs(self.effective_scale() - self.theme.scale) > 1e-6:
            self.theme = Theme(self.effective_scale())
        for scene in self.stack:
            scene.resize()

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    # stack ---------------------------------------------------------------------------

    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    def push(self, scene: Scene) -> None:
        self.stack.append(scene)
        scene.enter()
        if self.recorder:
            self.recorder.request(scene.name, scene=True)

    def pop(self) -> None:
        if self.stack:
            self.stack.pop()
        if self.stack:
            self.stack[-1].enter()
            if self.recorder and self.stack[-1].opaque and self.stack[-1].recorded_on_return:
                self.recorder.request(self.stack[-1].name, scene=True)

    def replace(self, scene: Scene) -> None:
        if self.stack:
            self.stack.pop()
        self.push(scene)

    def reset(self, scene: Scene) -> None:
        """Empty the stack and show ``scene`` (back to the title, into a new game)."""
        self.stack = []
        self.push(scene)

    @property
    def session(self) -> Session | None:
        """The game on show; a game replaced or closed lets go of the save file it held."""
        return self._session

    @session.setter
    def session(self, session: Session | None) -> None:
        old, self._session = self._session, session
        if old is not None and old is not session:
            old.release()

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    def record(self, label: str) -> None:
        """Ask for a screenshot of the next frame (only with ``--record``)."""
        if self.recorder:
            self.recorder.request(label)

    def toast(self, text: str, seconds: float = 3.0) -> None:
        """A short message at the bottom of the window (saved, loaded, reloaded)."""
        self.toast_text, self.toast_time = text, seconds

    # loop ----------------------------------------------------------------------------

    def run(self) -> int:
        clock = pygame.time.Clock()
        while self.running:
            dt = min(clock.tick(FPS) / 1000.0, 0.1)
            self.frame(dt)
        return self.exit_code

    def frame(self, dt: float) -> None:
        """One frame: events, update, draw; an unexpected error becomes a dialog, not a crash."""
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            self.theme.notes.clear()
            for event in pygame.event.get():
                self.dispatch(event)
            if self.top:
                self.top.update(dt)
            self.toast_time = max(0.0, self.toast_time - dt)
            self.draw(self.screen)
            pygame.display.flip()
            self.frame_times.append(time.perf_counter() - started)
            self.frame_cpu.append(time.thread_time() - cpu)
            if self.recorder:
                self.recorder.capture(self.screen)
            self.failures = 0
        except Exception as exc:  # the last line of defence: log it, show it, carry on
            self.fail(exc)

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit(0)
        elif event.type == pygame.VIDEORESIZE and not self.fullscreen:
            size = (min(max(MIN_SIZE[0], event.w), LARGEST[0]), min(max(MIN_SIZE[1], event.h), LARGEST[1]))
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
            self._resized()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
        elif self.top:
            if event.type == pygame.MOUSEMOTION:
                self.pointer = event.pos
            self.top.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        surface.set_clip(None)  # a scene that failed half-way may have left a clip behind
        # the screen under the overlays, then only the topmost overlay: menus opened from menus
        # replace each other on screen rather than pile up
        first = max((i for i, s in enumerate(self.stack) if s.opaque), default=0)
        if self.stack:
            self.stack[first].draw(surface)
            if first < len(self.stack) - 1:
                self.stack[-1].draw(surface)
        if self.toast_time > 0:
            self._draw_toast(surface)
        tip = self.theme.notes.tip_at(self.pointer) if self.pointer else None
        if tip:
            draw_tip(surface, self.theme, tip, self.pointer)

    def _draw_toast(self, surface: pygame.Surface) -> None:
        image = self.theme.text(self.toast_text, "bold", 15, t.BACKGROUND)
        box = image.get_rect(midbottom=(surface.get_width() // 2, surface.get_height() - self.theme.px(44)))
        box = box.inflate(self.theme.px(28), self.theme.px(14))
        pygame.draw.rect(surface, t.YELLOW, box, border_radius=box.height // 2)
        surface.blit(image, image.get_rect(center=box.center))

    def fail(self, exc: BaseException) -> None:
        """Log an unexpected error and show it; give up only if it keeps happening."""
        path = log_error(exc)
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            print(f"crisis: the game stopped after an unexpected error (details in {path})", file=sys.stderr)
            self.quit(1)
            return
        from game.ui.scenes.message import MessageScene

        if isinstance(self.top, MessageScene) and self.top.fatal:
            return
        lines = [f"{type(exc).__name__}: {exc}", "", f"The details are in {path}."]
        self.push(MessageScene(self, "Something went wrong", lines, fatal=True))


def forget_stale_fonts() -> None:
    """Drop fonts that modules keep between windows: they die with ``pygame.quit()``."""
    try:
        from game.ui import map as campaign_map
    except ImportError:
        return
    clear = getattr(getattr(campaign_map, "default_fonts", None), "cache_clear", None)
    if clear:
        clear()


def open_first(app: App) -> None:
    """Where the game opens: a loaded save, straight into a game when a seat is given, or the title."""
    from game.ui.scenes import flow
    from game.ui.scenes.title import TitleScene

    options = app.options
    app.push(TitleScene(app))
    if options.load:
        flow.open_save(app, options.load)
    elif options.seat and not options.auto:
        flow.start_game(app, default_settings(options))


def main(args) -> int:
    """Open the window and play; returns the process exit code."""
    options = options_from(args)
    if options.seat not in (None, BOTH, NOBODY) and not options.seat:
        raise CrisisError("--as needs a role id, 'both' or 'none'")
    app = None
    try:
        try:
            # only what the window needs at once: the mixer is opened by the first sound to be heard
            pygame.display.init()
            pygame.font.init()
            app = App(options)
        except pygame.error as exc:
            raise CrisisError(
                f"cannot open the game window ({exc}); 'crisis play --text' plays in the terminal"
            ) from None
        try:
            open_first(app)
        except Exception as exc:  # shown in the window like any other unexpected error
            app.fail(exc)
        return app.run()
    finally:
        if app is not None:
            app.session = None  # the save file the game held is let go
        pygame.quit()
