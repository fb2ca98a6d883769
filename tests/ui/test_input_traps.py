"""The traps a new player fell into: a card played by an Enter meant for something else, a move that
could not be taken back, cards out of reach, quitting without being asked, focus wrapping onto Quit."""

from __future__ import annotations

import pygame
import pytest

from game.scenario.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS
from tests.ui.driver import first_open, frames, key, make_app, play_card, reader, top_name, until

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def test_up_from_new_game_stays_on_new_game():
    app = make_app()
    frames(app, 1)
    menu = app.top.menu
    assert menu.items[menu.focus].label == "New game"
    for _ in range(3):
        key(app, pygame.K_UP)
    assert menu.items[menu.focus].label == "New game"
    for _ in range(10):
        key(app, pygame.K_DOWN)
    assert menu.items[menu.focus].label == "Quit"  # the bottom stays the bottom
    key(app, pygame.K_DOWN)
    assert menu.items[menu.focus].label == "Quit"


def test_quit_asks_and_no_keeps_the_game_open():
    app = make_app()
    frames(app, 1)
    app.top.menu.choose(len(app.top.menu.items) - 1)  # Quit
    frames(app, 1)
    assert top_name(app) == "ConfirmScene" and app.running
    key(app, pygame.K_RETURN)  # the focus starts on "No, stay"
    assert top_name(app) == "TitleScene" and app.running
    key(app, pygame.K_ESCAPE)  # Esc on the title asks too
    assert top_name(app) == "ConfirmScene"
    key(app, pygame.K_n)
    assert top_name(app) == "TitleScene" and app.running
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_y)
    assert not app.running and app.exit_code == 0


def test_a_shortened_text_shows_whole_in_a_tooltip_where_the_pointer_rests():
    from game.ui.widgets.panel import label

    app = make_app()
    frames(app, 1)
    theme = app.theme
    theme.notes.clear()
    text = "A title far too long to fit into the little room it is given here"
    rect = label(app.screen, theme, text, "sans", 14, 80, (255, 255, 255), (10, 10))
    assert theme.notes.cuts == [text] and theme.notes.untipped() == []
    assert theme.notes.tip_at(rect.center) == text
    assert theme.notes.tip_at((500, 500)) is None
    theme.notes.clear()
    theme.fit(text, "sans", 14, 80)  # drawn short with no tooltip: the layout checks catch it
    assert theme.notes.untipped() == [text]


# the choices ------------------------------------------------------------------------------


def _at_cards(app) -> bool:
    return until(
        app,
        lambda: (
            top_name(app) == "TurnScene"
            and app.top.cards is not None
            and app.top.current is None
            and app.session.person_to_move()
        ),
        on_frame=reader(app),
    )


def test_enter_pressed_again_and_again_never_plays_a_card():
    app = make_app(scenario=WAGNER, seat="putin", opponent="easy")
    # Prigozhin moves first: Enter reads his move's consequence, and goes on being pressed
    assert _at_cards(app)
    steps = len(app.session.match.steps)
    for _ in range(20):
        key(app, pygame.K_RETURN)
        key(app, pygame.K_KP_ENTER)
        key(app, pygame.K_SPACE)
    assert len(app.session.match.steps) == steps and app.top.cards.picked is None


def test_a_card_plays_on_its_key_pressed_twice_or_picked_then_confirmed():
    app = make_app(scenario=WAGNER, seat="putin", opponent="easy")
    assert _at_cards(app)
    cards = app.top.cards
    # past the tenth card the keys are letters (the bargaining cards open a panel: not those)
    card = next(c for c in cards.cards if c.available and c.key.isalpha() and not c.action.startswith("talks:"))
    steps = len(app.session.match.steps)
    key(app, ord(card.key))
    assert cards.picked == cards.cards.index(card) and len(app.session.match.steps) == steps
    key(app, ord(card.key))
    assert app.session.match.steps[-1].action == card.action


def test_a_click_picks_a_card_and_a_second_click_plays_it():
    app = make_app(seat="union", opponent="easy")
    assert _at_cards(app)
    cards = app.top.cards
    index, rect = next((i, r) for i, r in cards.rects.items() if cards.cards[i].available)
    steps = len(app.session.match.steps)
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center)
    app.top.handle_event(click)
    assert cards.picked == index and len(app.session.match.steps) == steps
    app.top.handle_event(click)
    assert app.session.match.steps[-1].action == cards.cards[index].action


def test_a_move_taken_back_comes_back_with_the_same_dice():
    app = make_app(seat="union", opponent="easy")
    assert _at_cards(app)
    before = app.session.state.digest()
    news = len(app.top.feed.items)
    card = first_open(app)
    play_card(app, card)
    frames(app, 1)
    scene = app.top
    first = app.session.match.steps[-1]
    assert scene.current is not None and scene.can_take_back()
    key(app, pygame.K_BACKSPACE)
    assert app.session.state.digest() == before and scene.current is None
    assert len(scene.feed.items) == news  # the news of the move is gone with it
    assert _at_cards(app) and app.top.cards.picked is None  # nothing is picked for the player
    play_card(app, card)
    frames(app, 1)
    assert app.session.match.steps[-1] == first  # the same move, the same outcome
    assert not app.top.can_take_back()  # once only


def test_the_opponents_move_cannot_be_taken_back():
    app = make_app(scenario=WAGNER, seat="putin", opponent="easy")
    assert until(app, lambda: top_name(app) == "TurnScene" and app.top.current is not None, on_frame=reader(app))
    assert app.top.current.report.role == "prigozhin" and not app.top.can_take_back()
    steps = len(app.session.match.steps)
    key(app, pygame.K_BACKSPACE)
    assert len(app.session.match.steps) == steps


SEATS = [(path, role) for path in SCENARIOS for role in load_scenario(path).roles]


@pytest.mark.parametrize("path,role", SEATS, ids=[f"{p.stem}-{r}" for p, r in SEATS])
def test_every_open_card_has_a_key_and_shows_without_scrolling_at_720p(path, role):
    app = make_app(scenario=path, seat=role, opponent="easy")
    assert _at_cards(app)
    frames(app, 1)
    cards = app.top.cards
    open_cards = [i for i, c in enumerate(cards.cards) if c.available]
    assert all(cards.cards[i].key for i in open_cards)
    assert cards.scroll == 0 and set(open_cards) <= set(cards.rects)
    side = app.top.view.layout.side
    assert all(side.contains(cards.rects[i]) for i in open_cards)


def test_the_odds_on_a_card_are_what_the_side_can_work_out_not_the_truth():
    from game.core import belief

    app = make_app(scenario=WAGNER, seat="putin", opponent="easy", seed=3)
    assert _at_cards(app)
    assert until(app, lambda: not any(c.reckoning for c in app.top.cards.cards), seconds=60)
    state = app.session.state
    known = belief.consistent(state.scenario, state.observe("putin"))
    differs = False
    for card in app.top.cards.cards:
        if not card.available or card.action.startswith("talks:"):  # the bargaining cards open a panel
            continue
        expected = [
            x for o in belief.odds(known, state.scenario.actions[card.action]) for x in (o.chance, o.low, o.high)
        ]
        assert [x for row in card.outcomes for x in row[1:]] == pytest.approx(expected)
        truth = [p for _, p in state.outcomes(card.action)]
        differs |= [row[1] for row in card.outcomes] != pytest.approx(truth)
    assert differs  # in this game Wagner's hidden strength moves the odds Putin cannot see
