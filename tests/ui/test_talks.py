"""Bargaining in the window: the offer panel composes the one move a channel and terms make, the
dialog answers an offer, and what both show comes from the side's own belief, in the odds setting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game import talks
from game.ai import bargain, make_policy
from game.core import belief as beliefs
from game.core.match import Match
from game.core.state import State
from game.scenario.loader import load_scenario
from game.ui import odds as odds_text
from game.ui.choices import ANSWER, COMPOSE
from game.ui.scenes.talks import AnswerDialog, OfferPanel
from game.ui.scenes.turn import TurnScene
from game.ui.session import Session, Settings
from tests.conftest import ROOT
from tests.ui.driver import key, make_app, to_turn_screen, top_name, until

BAZAAR = Path(__file__).with_name("bazaar.yaml")
WAGNER = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")


def _wagner_at(seat: str, turn: int, seed: int = 4) -> Match:
    """A Wagner game in which ``seat`` is to move at ``turn`` or later with offers open."""
    match = Match(WAGNER, seed=seed, policies={r: make_policy("weighted") for r in WAGNER.roles if r != seat})
    match.start()
    while True:
        state = match.state
        role = state.current_role()
        if role == seat and state.turn >= turn and talks.open_offers(WAGNER, state.observe(role)):
            return match
        legal = [m.id for m in state.legal_actions()]
        quiet = [m for m in legal if not WAGNER.negotiation.generated(m)]
        match.play(quiet[0] if role == seat and quiet else None)


# the composer ------------------------------------------------------------------------------


def test_a_channel_and_ticked_terms_make_the_one_open_offer_move_of_that_package():
    state = _wagner_at("putin", 3).state
    observation = state.observe("putin")
    composer = talks.Composer(WAGNER, observation)
    assert composer.pick("lukashenko") and composer.ticked == {"halt"}
    assert composer.toggle("exile") and composer.toggle("amnesty")
    offer = composer.offer
    assert offer.channel == "lukashenko" and set(offer.terms) == {"halt", "exile", "amnesty"}
    assert offer.id in observation.legal
    assert composer.toggle("exile") and set(composer.offer.terms) == {"halt", "amnesty"}
    # a channel that cannot carry a ticked term drops it, and keeps the rest
    composer.toggle("drop_case") if "drop_case" in {c.id for c in composer.terms() if c.open} else None
    assert composer.pick("ministry")
    assert composer.ticked <= set(WAGNER.negotiation.channels["ministry"].terms)
    assert composer.offer is not None and composer.offer.channel == "ministry"


def test_terms_that_cannot_change_are_disabled_with_their_reason():
    state = _wagner_at("putin", 3).state
    composer = talks.Composer(WAGNER, state.observe("putin"))
    composer.pick("ministry")
    terms = {c.id: c for c in composer.terms()}
    assert not terms["drop_case"].open and terms["drop_case"].reason == "this channel cannot carry it"
    assert not terms["ministers_go"].open  # the ministry does not pass on its minister's head
    assert terms["halt"].ticked and not terms["halt"].open and terms["halt"].reason == "every offer includes it"
    assert not composer.toggle("halt") and not composer.toggle("drop_case")
    assert composer.ticked == {"halt"}
    # a term whose condition does not hold yet is on no open package
    early = Match(WAGNER, seed=4)
    early.start()  # Prigozhin moves first
    first = talks.Composer(WAGNER, early.state.observe("prigozhin"))
    assert {c.id: c.reason for c in first.terms()}["drop_case"] == "not on the table now"


def test_channels_closed_now_are_listed_but_cannot_be_picked():
    early = Match(WAGNER, seed=4)
    early.start()
    composer = talks.Composer(WAGNER, early.state.observe("prigozhin"))
    channels = {c.id: open_ for c, open_ in composer.channels()}
    assert channels == {"generals": False, "kremlin": True, "minsk": False}
    assert not composer.pick("minsk") and composer.channel == "kremlin"


# the panel ---------------------------------------------------------------------------------


def _buyer_app(**options):
    app = make_app(scenario=BAZAAR, seat="buyer", opponent="easy", seed=0, **options)
    assert to_turn_screen(app, cards=True)
    return app


def _open_panel(app) -> OfferPanel:
    card = next(c for c in app.top.cards.cards if c.action == COMPOSE)
    assert card.available and card.title == "Make an offer…"
    key(app, ord(card.key))
    key(app, pygame.K_RETURN)
    panel = app.top
    assert isinstance(panel, OfferPanel)
    assert until(app, lambda: panel.preview() is not None, 30)
    return panel


def test_the_talks_group_shows_two_cards_instead_of_every_package():
    app = _buyer_app()
    cards = app.top.cards.cards
    talk = [c for c in cards if c.group == "Talks"]
    assert [c.action for c in talk] == [ANSWER, COMPOSE]
    assert not talk[0].available and talk[0].reason == "no offer is waiting for you"
    assert not any(c.action.startswith(("offer:", "accept:", "reject:")) for c in cards)


def test_the_panel_by_keyboard_sends_the_offer_it_composed():
    app = _buyer_app()
    panel = _open_panel(app)
    assert panel.composer.offer.id == "offer:zebra:carpet"
    key(app, pygame.K_2)  # tick the tea
    assert panel.composer.offer.id == "offer:zebra:carpet+tea"
    key(app, pygame.K_1)  # the carpet is in every offer: it stays, and the cursor is on it
    assert panel.composer.offer.id == "offer:zebra:carpet+tea" and panel.cursor == 0
    key(app, pygame.K_DOWN)
    key(app, pygame.K_SPACE)  # the cursor on the tea: untick it
    assert panel.composer.offer.id == "offer:zebra:carpet"
    key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)
    assert app.session.match.steps[-1].action == "offer:zebra:carpet+tea"
    assert top_name(app) == "TurnScene"


def test_the_panel_by_mouse_and_escape_sends_nothing():
    app = _buyer_app()
    panel = _open_panel(app)
    app.frame(1 / 60)
    steps = len(app.session.match.steps)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=panel.term_rects["tea"].center))
    app.frame(1 / 60)
    assert panel.composer.ticked == {"carpet", "tea"}
    key(app, pygame.K_ESCAPE)
    assert top_name(app) == "TurnScene" and len(app.session.match.steps) == steps
    panel = _open_panel(app)
    app.frame(1 / 60)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=panel.send_rect.center))
    app.frame(1 / 60)
    assert app.session.match.steps[-1].action == "offer:zebra:carpet"


def _drawn(app) -> str:
    app.frame(1 / 60)
    return " | ".join(text for _, text in app.theme.notes.boxes)


@pytest.mark.parametrize("mode", ["exact", "bands", "hidden"])
def test_the_acceptance_is_told_in_the_odds_setting_and_hidden_when_it_hides_them(mode):
    app = _buyer_app()
    app.odds = mode
    app.frame(1 / 60)  # the cards are made again in the new setting
    panel = _open_panel(app)
    drawn = _drawn(app)
    assert "Worth to you if agreed: +30 points" in drawn
    chance = panel.preview().acceptance
    assert (chance.chance, chance.low, chance.high) == (0.375, 0.0, 0.75)
    if mode == "exact":
        assert "Accepted: 0%–75%" in drawn and "The ZEBRA boy runs off · 75%" in drawn
    elif mode == "bands":
        assert "Accepted: remote–likely" in drawn and "%" not in drawn.split("Accepted")[1]
    else:
        assert "Accepted: odds hidden" in drawn and "%" not in drawn.split("Accepted")[1]
        assert not any(word in drawn for _, word in odds_text.BANDS)


def test_the_figures_come_from_the_belief_so_both_truths_show_the_same():
    shown = set()
    for seed in range(4):  # the reserve is 4180 in the first two and 4120 in the others
        match = Match(load_scenario(BAZAAR), seed=seed)
        match.start()
        state = match.state
        observation = state.observe("buyer")
        belief = beliefs.consistent(state.scenario, observation)
        preview = talks.preview(state, belief, talks.Composer(state.scenario, observation).offer)
        shown.add((state.value("reserve"), preview.acceptance.chance, preview.worth.mean))
    assert {truth for truth, _, _ in shown} == {4120.0, 4180.0}
    assert len({(chance, worth) for _, chance, worth in shown}) == 1


# the dialog --------------------------------------------------------------------------------


def _seller_app(**options):
    """The seller to move with the buyer's offer of the carpet waiting (sent by a secret channel)."""
    app = make_app(scenario=BAZAAR, seat="seller", opponent="easy", seed=0, **options)
    for seed in range(10):
        session = Session(load_scenario(BAZAAR), Settings(BAZAAR, "seller", "easy", seed=seed))
        session.match.play("offer:zebra:carpet")  # the buyer's move, forced
        if session.match.steps[-1].outcome == "whispered":
            break
    app.session = session
    app.reset(TurnScene(app, session))
    assert until(app, lambda: top_name(app) == "AnswerDialog", 30, on_frame=lambda: _through(app))
    return app


def _through(app) -> None:
    if top_name(app) in ("BriefingScene", "HandoverScene") or (top_name(app) == "TurnScene" and app.top.current):
        key(app, pygame.K_RETURN)


def test_an_offer_opens_the_dialog_and_a_accepts_it():
    app = _seller_app()
    dialog = app.top
    drawn = _drawn(app)
    assert "An offer from The buyer" in drawn and "The carpet changes hands (you give)" in drawn
    assert "Whisper through the ZEBRA boy" in drawn  # a delivered offer is seen with its channel
    key(app, pygame.K_RETURN)  # the focus starts on "Decide later": Enter agrees to nothing
    assert top_name(app) == "TurnScene" and app.session.match.steps[-1].action == "offer:zebra:carpet"
    answer = next(c for c in app.top.cards.cards if c.action == ANSWER)
    assert answer.available
    key(app, ord(answer.key))
    key(app, pygame.K_RETURN)
    assert isinstance(app.top, AnswerDialog) and app.top is not dialog
    key(app, pygame.K_a)
    accepted = app.session.match.steps[-1]
    assert accepted.action == "accept:buyer:seller:carpet" and accepted.role == "seller"
    assert app.session.state.value("carpet")


def test_r_rejects_and_c_counters_through_the_panel():
    app = _seller_app()
    key(app, pygame.K_r)
    assert app.session.match.steps[-1].action == "reject:seller"
    app = _seller_app()
    key(app, pygame.K_c)
    panel = app.top
    assert isinstance(panel, OfferPanel) and panel.counter
    assert panel.composer.channel == "okapi"
    assert until(app, lambda: panel.preview() is not None, 30)
    assert "Counter-offer to The buyer" in _drawn(app)
    key(app, pygame.K_RETURN)
    assert app.session.match.steps[-1].action == "offer:okapi:carpet"


@pytest.mark.parametrize("seat,turn,seed", [("putin", 2, 4), ("prigozhin", 3, 4), ("putin", 5, 9), ("prigozhin", 1, 2)])
def test_the_figures_of_many_offers_at_once_are_those_of_each_offer_alone(seat, turn, seed):
    """What the server's odds worker sends for every open offer equals, bit for bit, what the
    preview works out for one: the same chance of acceptance and the same worth."""
    match = _wagner_at(seat, turn, seed)
    observation = match.state.observe(seat)
    belief = beliefs.Belief(WAGNER, seat).follow(observation)
    offers = list(talks.open_offers(WAGNER, observation))
    assert len(offers) > 3 and len(belief.particles) > 1
    found = talks.figures(belief, offers)
    assert list(found) == [o.id for o in offers]
    for offer in offers:
        channel = WAGNER.negotiation.channels[offer.channel]
        alone = (
            bargain.acceptance(belief, WAGNER.actions[offer.id]),
            talks.worth_spread(belief, seat, offer.terms, channel),
        )
        assert found[offer.id] == alone, offer.id
    assert len({found[o.id][1].mean for o in offers}) > 1  # packages differ in worth: the test sees them


def test_a_deals_parts_add_up_to_its_worth():
    match = _wagner_at("putin", 2)
    observation = match.state.observe("putin")
    belief = beliefs.Belief(WAGNER, "putin").follow(observation)
    offers = list(talks.open_offers(WAGNER, observation))
    several = 0
    for offer in offers:
        channel = WAGNER.negotiation.channels[offer.channel]
        parts = talks.worth_parts(belief, "putin", offer.terms, channel)
        whole = talks.worth_spread(belief, "putin", offer.terms, channel).mean
        assert sum(v for _, v in parts) == pytest.approx(whole, abs=1e-9)
        several += len(parts) > 1
    assert several > 3


def test_a_servers_parts_are_shown_only_when_well_formed():
    good = {"worth": {"parts": [{"title": "Belarus", "worth": 4.5}, {"title": "Amnesty", "worth": -2}]}}
    assert talks.sent_parts(good) == [("Belarus", 4.5), ("Amnesty", -2.0)]
    hostile = {
        "worth": {
            "parts": [
                {"title": "fine", "worth": 1.0},
                {"title": 7, "worth": 1.0},
                {"title": "nan", "worth": float("nan")},
                {"title": "inf", "worth": float("inf")},
                {"title": "yes", "worth": True},
                {"title": "text", "worth": "3"},
                "not a part",
                {"title": "x" * 500, "worth": 2},
            ]
        }
    }
    assert talks.sent_parts(hostile) == [("fine", 1.0), ("x" * 80, 2.0)]
    for broken in (None, [], {"worth": None}, {"worth": {"parts": "all"}}, {"worth": []}):
        assert talks.sent_parts(broken) == []


def _last_turn(scenario, role: str):
    """A state of the last turn with ``role`` to move and an offer open to it."""
    for seed in range(40):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.start()
        while not match.is_over():
            state = match.state
            if state.turn == scenario.calendar.turn_limit and state.current_role() == role:
                if talks.open_offers(scenario, state.observe(role)):
                    return state
            match.play()
    raise AssertionError(f"no game reached the last turn with an offer open to {role}")


def test_an_offer_nobody_is_left_to_answer_is_said_to_be_too_late():
    siege = load_scenario(ROOT / "tests" / "fixtures" / "format2" / "siege.yaml")
    assert siege.turn_order == ("council", "general")
    general = _last_turn(siege, "general")  # the council has moved: nobody answers the herald
    herald = [o for o in talks.open_offers(siege, general.observe("general")) if o.channel == "herald"]
    assert herald and all(talks.too_late(general, o) for o in herald)
    council = _last_turn(siege, "council")  # the general still moves this turn
    assert not any(talks.too_late(council, o) for o in talks.open_offers(siege, council.observe("council")))
    earlier = [s for s in _states(siege) if s.current_role() == "general" and s.turn < siege.calendar.turn_limit]
    assert earlier and not any(
        talks.too_late(s, o) for s in earlier for o in talks.open_offers(siege, s.observe("general"))
    )
    # where silence accepts, the end of the turn may still make it a deal: no warning
    deal = siege.negotiation
    quiet = replace(deal, channels={**deal.channels, "herald": replace(deal.channels["herald"], silence="accept")})
    same = State(replace(siege, negotiation=quiet), general.values, general.turn, general.step, general.ending)
    assert not any(talks.too_late(same, o) for o in herald)
    words = talks.too_late_words(siege.roles["council"].name)
    assert siege.roles["council"].name in words and "cannot become a deal" in words


def _states(scenario):
    match = Match(scenario, seed=3, policies={r: make_policy("random") for r in scenario.roles})
    match.start()
    while not match.is_over():
        yield match.state
        match.play()


def test_a_servers_too_late_mark_is_told_only_when_well_formed():
    channels = [{"id": "herald", "to": "The town council"}]
    marked = {"offer": {"channel": "herald", "too_late": True}}
    assert talks.sent_too_late(marked, channels, "herald") == "The town council"
    assert talks.sent_too_late(marked, [], "herald") == "the other side"
    for move in ({"offer": {"too_late": False}}, {"offer": {"too_late": "yes"}}, {"offer": []}, {}, None, "x"):
        assert talks.sent_too_late(move, channels, "herald") == ""
    assert talks.sent_too_late(marked, "not a list", "herald") == "the other side"
    assert talks.sent_too_late(marked, [{"id": "herald", "to": 5}], "herald") == "the other side"


def test_two_channels_alike_but_for_what_arrives_keep_their_own_odds(tmp_path):
    """Two channels between the same sides with the same outcomes and weights, where what
    arrives through one is lost through the other: the many-offer figures keep them apart."""
    text = (ROOT / "tests" / "fixtures" / "format2" / "cuba_deal.yaml").read_text(encoding="utf-8")
    mirror = """  back_channel:
    title: "A word through the embassy"
    from: khrushchev
    to: kennedy
    terms: [missiles_out, no_invasion, inspection]
    guarantee: 0.7
    outcomes:
      broadcast:
        weight: 3
        delivered: false
        text: "The word goes astray."
      garbled:
        weight: 1
        text: "The word reaches the White House."
"""
    text = text.replace("  u_thant:\n", mirror + "  u_thant:\n", 1)
    path = tmp_path / "cuba_mirror.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    match = Match(scenario, seed=3)
    while match.state.current_role() != "khrushchev":
        match.play()
    observation = match.state.observe("khrushchev")
    belief = beliefs.Belief(scenario, "khrushchev").follow(observation)
    offers = [
        o for o in talks.open_offers(scenario, observation) if o.channel in ("letter_to_washington", "back_channel")
    ]
    assert {o.channel for o in offers} == {"letter_to_washington", "back_channel"}
    found = talks.figures(belief, offers)
    for offer in offers:
        alone = bargain.acceptance(belief, scenario.actions[offer.id])
        assert found[offer.id][0] == alone, offer.id
    arrives = {o.channel: found[o.id][0].arrives for o in offers}
    assert arrives == {"letter_to_washington": 0.75, "back_channel": 0.25}


def test_the_moves_after_a_deal_are_not_listed_until_a_deal_opens_them():
    """Keeping to a deal and breaking its terms take no room on the card list before a deal
    (Putin's list at 1280x720 had run past the panel); each card keeps the key of its place."""
    from game.scenario.loader import load_scenario
    from game.ui.choices import listing, make_cards
    from game.ui.widgets.cards import KEYS
    from tests.conftest import ROOT

    scenario = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    match = Match(scenario, seed=3)
    match.start()
    while match.state.current_role() != "putin":
        match.play(match.state.legal_actions()[0].id)
    cards = make_cards(match.state, "putin", None)
    ids = [c.action for c in cards]
    assert not any(i.startswith(("keep:", "break:")) for i in ids)
    assert "assassinate" in ids
    every = [getattr(a, "id", "") for _, a in listing(match.state, "putin")]
    keys = {c.action: c.key for c in cards}
    assert keys["assassinate"] == KEYS[every.index("assassinate")]


def test_each_outcome_on_a_card_says_what_it_does_to_what_the_side_sees():
    from game.core import belief as beliefs
    from game.scenario.loader import load_scenario
    from game.ui.choices import make_cards, side_odds
    from tests.conftest import ROOT

    scenario = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    match = Match(scenario, seed=3)
    match.start()
    match.play("seize_rostov")  # Prigozhin in Rostov, where an attempt on him is open
    belief = beliefs.Belief(scenario, "putin").follow(match.state.observe("putin"))
    cards = {c.action: c for c in make_cards(match.state, "putin", side_odds(belief, match.state, "putin"))}
    killed = cards["assassinate"]
    assert len(killed.effects) == len(killed.outcomes)
    by_title = dict(zip((o[0] for o in killed.outcomes), killed.effects, strict=True))
    assert by_title["Killed; Wagner breaks"].startswith("Ends the game: The mutiny crushed")
    assert "Guard around Prigozhin +30" in by_title["The attempt misses"]
    assert cards["secure_moscow"].effects[0].startswith("Moscow's defences +15")
