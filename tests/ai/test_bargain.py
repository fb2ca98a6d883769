"""Every policy bargains through the ordinary action path, by its aim, without an illegal move."""

from __future__ import annotations

from collections import Counter

import pytest

from game.ai import bargain, make_policy
from game.ai.random import pick_choice
from game.ai.value import value
from game.ai.weighted import odds
from game.core import negotiation as deals
from game.core.belief import Belief
from game.core.match import Match
from game.core.state import State
from game.scenario.loader import load_scenario, with_overrides
from tests.conftest import ROOT

SIEGE = ROOT / "tests" / "fixtures" / "format2" / "siege.yaml"
POLICIES = {"random": 60, "weighted": 60, "greedy": 20, "historical": 20, "lookahead": 3}
QUICK = {"lookahead": {"budget": 300, "depth": 3}}


@pytest.fixture(scope="module")
def siege():
    return load_scenario(SIEGE)


@pytest.fixture(scope="module")
def fed(siege):
    return with_overrides(siege, initial={"food": 50})


def _games(scenario, name: str, games: int):
    """Seeded games with ``name`` on both sides; Match refuses any illegal move."""
    made = Counter()
    for seed in range(games):
        policies = {r: make_policy(name, **QUICK.get(name, {})) for r in scenario.roles}
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        assert match.is_over()
        for step in match.steps:
            kind = deals.answer_of(scenario, step.action)
            made[kind.kind if kind else "offer" if deals.offer_of(scenario, step.action) else "other"] += 1
        made[match.state.ending] += 1
    return made


@pytest.mark.parametrize("name", POLICIES)
def test_every_policy_makes_offers_and_answers_them(siege, name):
    made = _games(siege, name, POLICIES[name])
    assert made["offer"] > 0, made
    if name in ("random", "weighted"):
        assert made["accept"] > 0 and made["capitulation"] > 0 and made["break"] > 0, made
    if name == "random":
        assert made["reject"] > 0 and made["keep"] > 0, made


def test_the_random_policy_treats_a_channels_offers_as_one_choice(fed):
    state = State.initial(fed)
    moves = state.legal_actions()
    groups = bargain.choices(state, moves)
    assert [len(g) for g in groups] == [1, 1, 8, 2]  # hold, sortie, the bishop's eight, the parley's two
    picked = Counter(pick_choice(groups, (i + 0.5) / 4000) for i in range(4000))
    by_group = [sum(picked[m] for m in g) for g in groups]
    assert by_group == [1000, 1000, 1000, 1000]
    assert all(picked[m] == 125 for m in groups[2])


def test_the_weighted_policy_splits_a_channels_weight_among_offers_worth_making(fed):
    state = State.initial(fed).apply("hold", "held")[0]  # the general to move
    pairs = odds(state)
    assert sum(p for _, p in pairs) == pytest.approx(1.0)
    herald = [(m, p) for m, p in pairs if m.id.startswith("offer:herald")]
    # the herald's weight 1 out of bombard's 1 and its own: half the draws, among good offers only
    assert sum(p for _, p in herald) == pytest.approx(0.5)
    for move, _ in herald:
        assert bargain.worth_making(state, deals.offer_of(fed, move.id))
    assert len(herald) < 8


def test_an_acceptable_offer_on_the_table_counts_for_its_sender(fed):
    state = State.initial(fed).apply("hold", "held")[0]
    good = "offer:herald:surrender+free_garrison+spare_town"
    assert bargain.worth_making(state, deals.offer_of(fed, good))
    after = state.apply(good, "delivered")[0]
    worth = bargain.worth_to(after, "general", deals.offer_of(fed, good))
    assert worth == pytest.approx(30 * 0.7 - 5 - 8)  # the council's promise is only as good as the herald's word
    assert value(after, "general") == pytest.approx(after.objective("general") + worth)
    assert value(after, "council") == after.objective("council")  # the recipient counts nothing yet
    poor = state.apply("offer:herald:surrender+ransom", "delivered")[0]
    assert not deals.acceptable(fed.negotiation, poor.env, ("surrender", "ransom"), fed.negotiation.channels["herald"])
    assert value(poor, "general") == poor.objective("general")


def test_a_settled_deal_is_worth_its_endings_score(fed):
    state = State.initial(fed).apply("hold", "held")[0].apply("offer:herald:surrender+spare_town", "delivered")[0]
    while state.current_role() == "world":
        state = state.apply(state.legal_actions()[0], "quiet")[0]
    state = state.apply("accept:general:council:surrender+spare_town", "accepted")[0]
    assert deals.settled(state) and not state.is_over()
    assert value(state, "council") == pytest.approx(25 + 15)
    assert value(state, "general") == pytest.approx(55 - 6)


def test_greedy_puts_the_best_acceptable_terms_to_the_other_side(fed):
    from game.ai.greedy import best_move

    state = State.initial(fed).apply("hold", "held")[0]
    move, _ = best_move(state)
    offer = deals.offer_of(fed, move.id)
    assert offer is not None and bargain.worth_making(state, offer)
    rivals = [deals.offer_of(fed, m.id) for m in state.legal_actions() if deals.offer_of(fed, m.id)]
    best = max(bargain.worth_to(state, "general", o) for o in rivals if bargain.worth_making(state, o))
    assert bargain.worth_to(state, "general", offer) == best


def test_a_search_weighs_only_each_channels_best_offers(fed):
    state = State.initial(fed).apply("hold", "held")[0]
    kept = bargain.considered(state, state.legal_actions())
    assert [m.id for m in kept if not m.id.startswith("offer:")] == ["bombard"]
    herald = [m for m in kept if m.id.startswith("offer:herald")]
    assert len(herald) == bargain.KEEP_PER_CHANNEL
    assert all(bargain.worth_making(state, deals.offer_of(fed, m.id)) for m in herald)


def test_the_chance_of_acceptance_comes_from_the_senders_belief(siege):
    """The general does not know how much food the town has: the council's gain, and so whether it
    would accept, depends on it, and the odds say so with a range."""
    state = State.initial(siege)
    while state.in_setup():
        state = state.apply(state.legal_actions()[0], "40")[0]
    state = state.apply("hold", "held")[0]  # food 30: the general sees only that it is 30 to 60
    belief = Belief(siege, "general").follow(state.observe("general"))
    assert belief.setups() == {(40.0,), (50.0,)}  # so the town had 40 or 50 to start with
    move = siege.actions["offer:herald:surrender+free_garrison+ransom"]  # taken with under 35 food
    odds_ = bargain.acceptance(belief, move)
    assert odds_.arrives == 1.0
    assert (odds_.low, odds_.high) == (0.0, 1.0) and odds_.chance == pytest.approx(1 / 2)
    ransom = bargain.acceptance(belief, siege.actions["offer:herald:surrender+ransom"])
    assert ransom.exact and ransom.chance == 0.0  # no town the general can imagine would pay as well
    with pytest.raises(ValueError):
        bargain.acceptance(belief, siege.actions["bombard"])


def _expert_decisions(scenario, games: int):
    """(state, role, move) at each of the expert's decisions in seeded games against weighted."""
    from game.ai.expert import ExpertPolicy

    expert = ExpertPolicy(playouts=6, exact=0, samples=2)
    for seed in range(games):
        for seat in scenario.roles:
            lineup = {r: expert if r == seat else make_policy("weighted") for r in scenario.roles}
            match = Match(scenario, seed=seed, policies=lineup)
            while not match.is_over():
                state = match.state
                role = state.current_role()
                if role == seat and len(state.legal_actions()) > 1:
                    move = expert.choose(state, match.rng)
                    yield state, role, move, expert
                    match.play(move)
                else:
                    match.play()


def test_the_expert_makes_no_offer_its_belief_says_would_be_refused(siege):
    from game.ai.worlds import belief

    offers = 0
    for state, role, move, _ in _expert_decisions(siege, 6):
        if deals.offer_of(siege, move.id) is not None:
            offers += 1
            assert bargain.acceptance(belief(state, role), move).high > 0, (move.id, state.turn)
    assert offers > 0


def test_the_expert_answers_an_offer_by_weighing_it_against_playing_on(siege):
    """At an offer on the table the expert values accepting, refusing and its other moves alike and
    takes the best by its aim: not simply the first offer worth something to it."""
    from game.core import aim
    from game.core.information import apparent

    answered = refused = 0
    for state, role, move, expert in _expert_decisions(siege, 6):
        answers = [m for m in state.legal_actions() if deals.answer_of(siege, m.id) is not None]
        if not any(deals.answer_of(siege, m.id).kind == "accept" for m in answers):
            continue
        finding = expert.find(state)
        index = finding.roles.index(role)
        assert len(finding.options) > 1 and finding.move.id == move.id
        best = max(aim.key(e.value.scores[index], e.value.wins[index]) for _, e in finding.options)
        chosen = finding.estimate(move).value
        assert aim.key(chosen.scores[index], chosen.wins[index]) == best
        answered += 1
        table = deals.pending(state)  # the offer it answers (it sees the offer made to it)
        worth = deals.worth(siege.negotiation, apparent(state, role), role, table.terms, table.channel)
        taken = deals.answer_of(siege, move.id)
        refused += worth > deals.bottom_line(siege.negotiation, apparent(state, role), role) and (
            taken is None or taken.kind != "accept"
        )
    assert answered > 0 and refused > 0  # some offers worth taking were turned down for something better
