"""Moving between games: start, save, load, reload the scenario; failures become messages."""

from __future__ import annotations

from pathlib import Path

from game.core.errors import CrisisError
from game.paths import user_dir
from game.scenario.problems import ScenarioError
from game.ui.options import default_settings
from game.ui.scenes.message import MessageScene, problems_lines
from game.ui.session import Session, Settings, load_session, save_session, start_session


def saves_folder() -> Path:
    return user_dir() / "saves"


def quick_save_path(app) -> Path:
    return app.options.save or saves_folder() / "quick.json"


def start_game(app, settings: Settings, scenario=None) -> bool:
    """Begin a new game: the briefing, then the turns. False (with a message shown) if it cannot."""
    session = opened(
        app,
        lambda: start_session(settings, autopilot=app.options.auto, scenario=scenario),
        "The scenario has problems",
        "The game cannot start",
    )
    if session is None:
        return False
    begin(app, session, briefing=True)
    return True


def opened(app, make, problems_title: str, error_title: str) -> Session | None:
    """The session ``make()`` gives, or None after a message that says why there is none."""
    try:
        return make()
    except ScenarioError as exc:
        app.push(MessageScene(app, problems_title, problems_lines(exc)))
    except CrisisError as exc:
        app.push(MessageScene(app, error_title, [str(exc)]))
    return None


def begin(app, session: Session, briefing: bool) -> None:
    """Show ``session``: its briefing first for a new game, the turn screen for a loaded one."""
    from game.ui.scenes.briefing import briefing_scenes
    from game.ui.scenes.turn import TurnScene

    app.session = session  # the game it replaces lets go of its save file first
    refused = None
    if app.options.save is not None:
        try:
            session.hold(app.options.save)
        except CrisisError as exc:
            refused = str(exc)
    turn = TurnScene(app, session)
    app.reset(turn)
    if briefing:
        for scene in reversed(briefing_scenes(app, session)):
            app.push(scene)
    elif session.hotseat:
        # a hot-seat game opened from a save starts behind a hand-over screen, like every move
        from game.ui.scenes.handover import HandoverScene

        app.push(HandoverScene(app, session, turn.viewer))
    if refused is not None:  # said once, on top; the game goes on unsaved
        turn.save_failed = True
        app.push(MessageScene(app, "The game is not being saved", [refused]))


def save_game(app, path: Path | None = None) -> None:
    """Save the current game (F5 or the pause menu); the outcome is told in a toast or a message."""
    session = app.session
    if session is None:
        return
    path = path or session.save_path or quick_save_path(app)
    wait_for_moves(app)
    try:
        save_session(session, path)
    except CrisisError as exc:
        app.push(MessageScene(app, "The game was not saved", [str(exc)]))
        return
    session.save_path = path
    app.toast(f"Saved to {path}")


def load_game(app, path: Path) -> bool:
    """Open a save in place of the current game; a damaged save leaves the game as it was."""
    scene = open_save(app, path)
    if scene is None:
        return False
    app.toast(f"Loaded {Path(path).name}")
    return True


def open_save(app, path: Path):
    """The turn scene of a save, already on the stack; None (and a message) if it cannot be read."""
    wait_for_moves(app)
    session = opened(
        app,
        lambda: load_session(Path(path), default_settings(app.options), autopilot=app.options.auto),
        "The save's scenario has problems",
        "This save cannot be loaded",
    )
    if session is None:
        return None
    begin(app, session, briefing=False)
    return app.top


def reload_scenario(app) -> None:
    """F6 / Ctrl+R: read the scenario file again and carry on at the same seed."""
    session = app.session
    if session is None:
        return
    wait_for_moves(app)
    try:
        fresh, kept = session.reload()
    except ScenarioError as exc:
        lines = [*problems_lines(exc), "Fix the file and press F6 again; the game goes on as it was."]
        app.push(MessageScene(app, "The scenario file has problems", lines))
        return
    except CrisisError as exc:
        app.push(MessageScene(app, "The scenario could not be reloaded", [str(exc)]))
        return
    fresh.save_path = session.save_path
    begin(app, fresh, briefing=False)
    app.toast(
        "Scenario reloaded; moves replayed" if kept else "Scenario reloaded; the moves no longer fit, so it restarts"
    )


def wait_for_moves(app) -> None:
    """Let an AI move that is being thought about finish before the match is read or replaced."""
    for scene in app.stack:
        for name in ("task", "saving"):
            task = getattr(scene, name, None)
            if task is not None:
                task.wait(30)
