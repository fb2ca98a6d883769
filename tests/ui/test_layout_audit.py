"""A layout audit: every scene at three window sizes and several text scales, with the longest real
texts of every bundled scenario, must draw no text shortened without a tooltip, and no text box
outside its panel or the window.

The texts come from games the random AI plays: the move with the longest story, the side with the
most choices and the card with the longest description, the longest feed, the ending with the
longest title. (The map's own labels are audited by the map's tests.)
"""

from __future__ import annotations

from functools import cache

import pygame
import pytest

from game import talks
from game.ai import make_policy
from game.core.match import Match
from game.scenario.loader import load_scenario
from game.ui.scenes.briefing import BriefingScene
from game.ui.scenes.ending import EndingScene
from game.ui.scenes.handover import HandoverScene
from game.ui.scenes.message import ConfirmScene, MessageScene
from game.ui.scenes.newgame import NewGameScene
from game.ui.scenes.pause import LoadScene, PauseScene, SettingsScene
from game.ui.scenes.talks import AnswerDialog, OfferPanel
from game.ui.scenes.title import TitleScene
from game.ui.scenes.turn import Step, TurnScene
from game.ui.session import Session, Settings
from tests.conftest import SCENARIOS
from tests.ui.driver import make_app, until

SIZES = ((960, 540), (1280, 720), (1920, 1080))
SCALES = (0.9, 1.2, 1.5)
GAMES = 30


@cache
def _games(path) -> tuple[Match, ...]:
    scenario = load_scenario(path)
    games = []
    for seed in range(GAMES):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.run()
        games.append(match)
    return tuple(games)


@cache
def longest(path):
    """The games of a scenario and the moments in them with the longest texts."""
    scenario = load_scenario(path)
    games = list(_games(path))

    def story(report) -> int:
        move = scenario.actions.get(report.action) or scenario.events.get(report.action)
        title = move.outcome(report.outcome).title if move is not None else ""
        return len(report.text) + len(title) + len(report.title)

    moments = [(g, i) for g in games for i, r in enumerate(g.reports) if not r.quiet]
    told = max(moments, key=lambda m: story(m[0].reports[m[1]]))
    ending = max(games, key=lambda g: len(scenario.endings[g.state.ending].title) + len(g.reports))
    role = max(scenario.roles, key=lambda r: len(scenario.actions_of(r)))
    return scenario, told, ending, role


def session_at(path, seat: str, game: Match, steps: int) -> Session:
    """A session of ``game`` after its first ``steps`` steps."""
    scenario = game.scenario
    session = Session(scenario, Settings(path, seat, "easy", seed=game.seed))
    for step in game.steps[len(session.match.steps) : steps]:  # the setup is drawn already
        session.match.force(step.action, step.outcome)
    return session


def turn_with_cards(app, path):
    """The turn screen of the side with the most choices, its wordiest card open."""
    scenario, _, ending, role = longest(path)
    steps = next(i for i, s in enumerate(ending.steps) if s.role == role)
    session = session_at(path, role, ending, steps)
    app.session = session
    scene = TurnScene(app, session)
    scene._ensure_cards(role)
    scene.reckoner.task.wait(120)  # the odds the side can work out, with their names
    scene._odds_arrived()
    cards = scene.cards.cards
    assert not any(c.reckoning for c in cards)
    scene.cards.picked = max(range(len(cards)), key=lambda i: len(cards[i].description) + len(cards[i].title))
    return scene


def turn_with_story(app, path):
    """The turn screen showing the step with the longest story, the news of the game so far behind it."""
    scenario, (game, index), _, _ = longest(path)
    report = game.reports[index]
    seat = report.role if report.role in scenario.roles else next(iter(scenario.roles))
    session = session_at(path, seat, game, index + 1)
    app.session = session
    scene = TurnScene(app, session)
    scene.current = Step(report, session.state)
    return scene


def ending_of(app, path):
    scenario, _, game, role = longest(path)
    session = session_at(path, role, game, len(game.steps))
    scene = EndingScene(app, session)
    scene.simulation.task.wait(30)
    return scene


def briefing(app, path):
    scenario, _, game, role = longest(path)
    session = session_at(path, role, game, 0)
    longest_brief = max(scenario.roles, key=lambda r: len(scenario.roles[r].brief))
    return BriefingScene(app, session, longest_brief)


def spectator_briefing(app, path):
    scenario, _, game, _ = longest(path)
    return BriefingScene(app, session_at(path, "none", game, 0), None)


def handover(app, path):
    scenario, _, game, role = longest(path)
    return HandoverScene(app, session_at(path, "both", game, 0), role)


def _bargaining_turn(app, path, waiting: bool):
    """The turn screen of a side that can make an offer (and, with ``waiting``, has one to answer),
    from the random games, its belief followed; None for a scenario without bargaining."""
    scenario = load_scenario(path)
    if scenario.negotiation is None:
        return None
    _, _, ending, _ = longest(path)
    for game in [ending, *_games(path)]:
        replay = Match(scenario, seed=game.seed)
        for index, step in enumerate(game.steps):
            state = replay.state
            role = state.current_role()
            if role in scenario.roles:
                observation = state.observe(role)
                ready = talks.incoming(scenario, observation) is not None if waiting else True
                if ready and talks.open_offers(scenario, observation):
                    session = session_at(path, role, game, index)
                    app.session = session
                    scene = TurnScene(app, session)
                    scene._ensure_cards(role)
                    scene.reckoner.task.wait(120)
                    return scene
            replay.force(step.action, step.outcome)
    return None


def offer_panel(app, path):
    """The offer panel with the most terms ticked the side can send."""
    turn = _bargaining_turn(app, path, waiting=False)
    if turn is None:
        return None
    panel = OfferPanel(app, turn, turn.shown.current_role())
    best = max(panel.composer.offers, key=lambda o: len(o.terms))
    panel.composer.pick(best.channel)
    panel.composer.ticked = frozenset(best.terms)
    return panel


def answer_dialog(app, path):
    turn = _bargaining_turn(app, path, waiting=True)
    return None if turn is None else AnswerDialog(app, turn, turn.shown.current_role())


SCENES = {
    "title": lambda app, path: TitleScene(app),
    "new_game": lambda app, path: NewGameScene(app),
    "briefing": briefing,
    "briefing_spectator": spectator_briefing,
    "handover": handover,
    "turn_cards": turn_with_cards,
    "turn_story": turn_with_story,
    "ending": ending_of,
    "pause": lambda app, path: PauseScene(app),
    "settings": lambda app, path: SettingsScene(app),
    "load": lambda app, path: LoadScene(app),
    "message": lambda app, path: MessageScene(app, "A message", ["A line " * 40, "", "Another line"] * 8),
    "confirm": lambda app, path: ConfirmScene(app, "Quit the game?", lambda: None),
    "offer_panel": offer_panel,
    "answer_dialog": answer_dialog,
}


def problems(app, screen: pygame.Rect) -> list[str]:
    """What the last frame drew wrongly: shortened texts with no tooltip, text boxes out of place."""
    notes = app.theme.notes
    found = [f"shortened without a tooltip: {text!r}" for text in notes.untipped()]
    for box, text in notes.boxes:
        if not screen.inflate(2, 2).contains(box):
            found.append(f"outside the window: {text!r} at {box}")
            continue
        holders = [p for p in notes.panels if p.inflate(2, 2).collidepoint(box.topleft)]
        if holders:
            panel = min(holders, key=lambda p: p.width * p.height)
            if not panel.inflate(2, 2).contains(box):
                found.append(f"leaves its panel {panel}: {text!r} at {box}")
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{int(s * 100)}%")
def test_every_scene_keeps_its_texts_whole_or_tipped_and_inside_its_panels(size, scale):
    found = []
    for path in SCENARIOS:
        app = make_app(scenario=path, size=size, scale=scale)
        screen = app.screen.get_rect()
        for name, make in SCENES.items():
            scene = make(app, path)
            if scene is None:  # a scene this scenario has no use for (bargaining without a deal)
                continue
            app.reset(scene)
            if name == "new_game":
                assert until(app, lambda scene=app.top: scene.loading is None)
            app.frame(1 / 60)
            app.frame(1 / 60)
            found += [f"{path.stem} {name}: {p}" for p in problems(app, screen)]
    assert not found, "\n".join(found[:40])
