"""Bargaining in play: offers, answers, silence, counter-offers, deals struck, kept and broken.

Everything is played on the siege fixture through the ordinary engine: an offer is a move, what is
on the table is state, and the rules' answers and deadlines are moves and events like any other.
"""

from __future__ import annotations

import pytest

from game.core import negotiation as deals
from game.core.errors import IllegalAction
from game.core.match import Match
from game.core.state import State
from game.scenario.loader import load_scenario, with_overrides
from tests.conftest import ROOT

SIEGE = ROOT / "tests" / "fixtures" / "format2" / "siege.yaml"
HERALD_ALL = "offer:herald:surrender+free_garrison+spare_town+ransom"
HERALD_TWO = "offer:herald:surrender+free_garrison"
BISHOP_TWO = "offer:bishop:surrender+free_garrison+spare_town"
PARLEY = "offer:parley:surrender"


@pytest.fixture(scope="module")
def siege():
    return with_overrides(load_scenario(SIEGE), initial={"food": 50})


def start(scenario) -> State:
    return State.initial(scenario)


def play(state: State, *steps: tuple[str, str]) -> State:
    """Play the given (move, outcome) steps; the world's steps in between roll quiet or as given."""
    for move, outcome in steps:
        state = state.apply(move, outcome)[0]
    return state


def world(state: State, **chosen: str) -> State:
    """Roll the world's steps of this turn: an event named in ``chosen`` with that outcome, the
    others by their only possible outcome, or quiet."""
    while state.current_role() == "world":
        move = state.legal_actions()[0]
        certain = [o.id for o, p in state.outcomes(move) if p == 1.0]
        state = state.apply(move, chosen.get(move.id) or (certain[0] if certain else "quiet"))[0]
    return state


def legal(state: State) -> set[str]:
    return {m.id for m in state.legal_actions()}


def test_an_offer_that_arrives_is_on_the_table_for_the_other_side_only(siege):
    state = play(start(siege), ("hold", "held"), (HERALD_TWO, "delivered"))
    table = deals.pending(state)
    assert (table.sender, table.recipient, table.channel.id) == ("general", "council", "herald")
    assert table.terms == ("surrender", "free_garrison")
    state = world(state)
    assert state.current_role() == "council"
    assert "accept:general:council:surrender+free_garrison" in legal(state)
    assert "reject:council" in legal(state)
    assert not any(m.startswith("accept:council") for m in legal(state))


def test_accepting_applies_every_terms_effects_and_clears_the_table(siege):
    state = world(play(start(siege), ("hold", "held"), (HERALD_TWO, "delivered")))
    after, report = state.apply("accept:general:council:surrender+free_garrison", "accepted")
    assert deals.agreed(after) == ("surrender", "free_garrison")
    assert after.value("surrender") and after.value("free_garrison") and not after.value("ransom")
    assert after.value("garrison_free") == 1.0  # the term's own effect
    assert "Terms are agreed, and the guns fall silent." in report.text
    assert "drums beating" in report.text  # the term's text follows the rules' own
    assert deals.pending(after) is None
    assert deals.carried_by(after, "free_garrison").id == "herald"


def test_a_counter_offer_takes_the_place_of_the_one_on_the_table(siege):
    state = play(start(siege), (PARLEY, "delivered"))
    assert deals.pending(state).sender == "council"
    assert "accept:council:general:surrender" in legal(state)
    state = play(state, (HERALD_ALL, "delivered"))
    table = deals.pending(state)
    assert (table.sender, len(table.terms)) == ("general", 4)
    # the proposer of what is on the table cannot offer again until it is answered
    state = world(state)
    state = play(state, ("hold", "held"))
    assert not any(m.startswith("offer:") for m in legal(state))


def test_turning_an_offer_down_clears_the_table(siege):
    state = play(start(siege), (PARLEY, "delivered"))
    after, report = state.apply("reject:general", "rejected")
    assert deals.pending(after) is None
    assert report.text == "The general turns the offer down."
    assert deals.agreed(after) == ()


def test_silence_rejects_when_the_offer_has_stood_its_hours(siege):
    # the herald's terms stand 8 hours: two of the council's moves, the turns after the offer
    state = world(play(start(siege), ("hold", "held"), (HERALD_TWO, "delivered")))
    assert deals.due(state) == 3
    state = world(play(state, ("hold", "held"), ("bombard", "little")))
    assert deals.pending(state) is not None, "still standing after the council's first silence"
    state = play(state, ("hold", "held"), ("bombard", "little"))
    lapse = siege.events["_deal_lapse"]
    assert state.outcomes(lapse) == [(lapse.outcomes[0], 1.0)]
    state = world(state)
    assert deals.pending(state) is None and deals.agreed(state) == ()
    assert state.observe("council").feed[-1].text == "The offer lapses unanswered."


def test_silence_accepts_what_came_through_the_bishop(siege):
    state = play(start(siege), (BISHOP_TWO, "carried"), ("bombard", "little"))
    lapse = siege.events["_deal_lapse"]
    (outcome, chance), *rest = [(o, p) for o, p in state.outcomes(lapse) if p > 0 and o.id != "quiet"]
    assert rest == [] and chance == 1.0 and outcome.title == "Silence means consent"
    state = world(state, _deal_lapse=outcome.id)
    assert deals.agreed(state) == ("surrender", "free_garrison", "spare_town")


def test_an_offer_stopped_on_the_way_never_reaches_the_table(siege):
    state = play(start(siege), (BISHOP_TWO, "stopped"))
    assert deals.pending(state) is None
    assert not any(m.startswith("accept:") for m in legal(state))


def test_the_answer_comes_in_the_same_turn_when_the_recipient_moves_later(siege):
    state = play(start(siege), (PARLEY, "delivered"))
    assert state.turn == 1 and state.current_role() == "general"
    assert deals.due(state) == 1  # four hours: the general's one move, this turn


def test_a_settled_deal_stops_the_crisis_and_leaves_one_last_move_to_the_side_that_owes(siege):
    state = world(play(start(siege), ("hold", "held"), (HERALD_ALL, "delivered")))
    state = play(state, ("accept:general:council:surrender+free_garrison+spare_town+ransom", "accepted"))
    assert deals.settled(state)
    assert state.current_role() == "general"
    assert legal(state) == {"break:free_garrison", "break:spare_town", "keep:general"}
    hunger = siege.events["hunger"]
    starving = with_overrides(siege, initial={"food": 10})
    assert State.initial(starving).outcomes(hunger)[0][1] == 1.0  # the event would happen ...
    state = play(state, ("keep:general", "kept"))
    assert not any(p > 0 for o, p in state.outcomes(hunger) if o.id != "quiet")  # ... but stops now
    state = world(state)
    assert state.ending == "capitulation"
    scores = state.scores()
    assert scores["council"] == 25 + 12 + 15  # the garrison free, the town spared
    assert deals.broken(state) == ()


def test_a_broken_term_has_its_consequences_and_the_guarantee_its_own(siege):
    state = world(play(start(siege), (BISHOP_TWO, "carried"), ("bombard", "little")))
    assert legal(state) == {"break:free_garrison", "break:spare_town", "keep:general"}
    losses = state.value("losses")
    state, report = state.apply("break:spare_town", "sack")
    assert report.text == "The army sacks the town."
    assert deals.broken(state) == ("spare_town",)
    state = world(state)  # the bishop's guarantee was broken: it has its say at the end of the turn
    texts = [e.text for e in state.observe("council").feed]
    assert "The bishop denounces the general from every pulpit." in texts
    assert state.value("losses") == losses + 5
    assert state.ending == "capitulation" and state.scores()["council"] == 25 - 20 + 12


def test_a_term_agreed_through_a_channel_without_a_guarantee_is_broken_quietly(siege):
    state = world(play(start(siege), ("hold", "held"), (HERALD_ALL, "delivered")))
    state = play(state, ("accept:general:council:surrender+free_garrison+spare_town+ransom", "accepted"))
    state = play(state, ("break:spare_town", "sack"))
    breach = siege.events["_deal_breach"]
    assert [(o.id, p) for o, p in state.outcomes(breach)] == [("quiet", 1.0)]


def test_only_the_legal_answers_can_be_played(siege):
    state = start(siege)
    with pytest.raises(IllegalAction):
        state.apply("accept:general:council:surrender", "accepted")
    with pytest.raises(IllegalAction):
        state.apply("reject:council", "rejected")


def test_a_secret_channel_shows_the_other_side_only_what_it_may_see(siege):
    sent = play(start(siege), (BISHOP_TWO, "carried"))
    general = sent.observe("general").feed[-1]
    assert (general.seen, general.outcome) == ("full", "carried")
    stopped = play(start(siege), (BISHOP_TWO, "stopped"))
    assert len(stopped.observe("general").feed) == 0
    # the general cannot tell a stopped letter from a council that did nothing worth telling
    assert stopped.observe("general").key != sent.observe("general").key


def test_what_the_recipient_knows_is_on_the_table_comes_from_its_own_moves(siege):
    state = world(play(start(siege), ("hold", "held"), (HERALD_TWO, "delivered")))
    seen = deals.offer_to(siege, state.observe("council"))
    assert seen.terms == ("surrender", "free_garrison") and seen.sender == "general"
    assert deals.offer_to(siege, state.observe("general")) is None
    (made,) = deals.offers_from(siege, state.observe("general"))
    assert made.id == HERALD_TWO


def test_games_with_offers_replay_exactly_from_their_seed(siege):
    from game.ai import make_policy

    for seed in range(30):
        policies = {r: make_policy("random") for r in siege.roles}
        first = Match(siege, seed=seed, policies=policies)
        first.run()
        again = Match(siege, seed=seed)
        for step in first.steps:
            again.force(step.action, step.outcome)
        assert again.state.digest() == first.state.digest()
        assert [s.digest for s in again.steps] == [s.digest for s in first.steps]


@pytest.mark.parametrize("path", [SIEGE, ROOT / "scenarios" / "wagner_mutiny.yaml"], ids=["siege", "wagner"])
def test_a_side_knows_from_its_own_feed_when_its_offer_stands(path):
    """``standing`` reads only the role's observation, and it says exactly what the truth says: the
    role's offer got through and is still on the table, through that channel, with those terms."""
    from game.ai import make_policy

    scenario = load_scenario(path)
    seen_standing = 0
    for seed in range(12):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.start()
        while not match.is_over():
            match.play()
            state = match.state
            truth = deals.pending(state)
            for role in scenario.roles:
                mine = deals.standing(scenario, state.observe(role))
                if truth is None or truth.sender != role:
                    assert mine is None, (seed, role, mine)
                else:
                    assert mine is not None and mine.channel == truth.channel.id, (seed, role)
                    assert set(mine.terms) == set(truth.package.terms)
                    seen_standing += 1
    assert seen_standing > 20


def test_a_delayed_effect_set_off_before_a_settling_deal_never_takes_hold():
    from game.core.model import WORLD

    scenario = load_scenario(ROOT / "tests" / "fixtures" / "secrets" / "settle_later.yaml")
    match = Match(scenario, seed=1)
    match.force("fuse", "lit")  # the bang is due two turns on
    match.force("idle", "idle")
    while match.state.current_role() == WORLD:
        event = match.state.legal_actions()[0]
        match.force(event, match.state.outcomes(event)[0][0].id)
    match.force("offer:talk:peace", "delivered")
    answers = [a.id for a in match.state.legal_actions() if a.id.startswith("accept")]
    match.force(answers[0], "accepted")
    match.run()
    assert match.state.ending == "peace_ending"
    assert match.state.value("bomb") == 0
    assert "It goes off." not in [r.text for r in match.reports]
