"""The expert: exact when the game fits, played out otherwise, one determinizer, one state one move."""

from __future__ import annotations

import pytest

from game.ai import expert as expert_module
from game.ai import make_policy
from game.ai.exact import score_bounds, solve
from game.ai.expert import ExpertPolicy
from game.ai.worlds import World
from game.core.errors import CrisisError
from game.core.match import Match, make_rng
from game.core.model import WORLD
from game.core.state import State

FAST = {"playouts": 8, "exact": 2000}


def _decisions(scenario, seed: int) -> list[State]:
    match = Match(scenario, seed, {r: make_policy("random") for r in scenario.roles})
    found = []
    while not match.is_over():
        if match.state.current_role() != WORLD and len(match.state.legal_actions()) > 1:
            found.append(match.state)
        match.play()
    return found


def test_the_same_state_gives_the_same_move_fresh_or_warm(bundled):
    warm = ExpertPolicy(**FAST)
    for state in _decisions(bundled, seed=2)[:6]:
        assert warm.choose(state, make_rng(1)) == ExpertPolicy(**FAST).choose(state, make_rng(99))


def test_where_the_rest_of_the_game_fits_it_plays_the_exact_best(tutorial):
    policy = ExpertPolicy(playouts=8, exact=10**6)
    for state in _decisions(tutorial, seed=3):
        finding = policy.find(state)
        assert finding.exact
        assert finding.move == solve(state, 10**6).move


def test_where_it_does_not_fit_it_estimates_by_playouts_on_the_score_scale(bundled):
    state = State.initial(bundled)
    finding = ExpertPolicy(playouts=16, exact=0).find(state)
    assert not finding.exact and finding.playouts > 0
    index = finding.roles.index(state.current_role())
    values = [estimate.value.scores[index] for _, estimate in finding.options]
    assert finding.estimate(finding.move).value.scores[index] == max(values)
    low, high = score_bounds(bundled)
    assert all(low <= v <= high for v in values)  # expected ending scores, whatever the objectives


def test_the_states_it_searches_come_from_the_determinizer(monkeypatch, tutorial):
    state = State.initial(tutorial)
    values = list(state.values)
    values[tutorial.slots["solidarity"]] = 20.0  # a world the role might be in instead
    other = State(tutorial, tuple(values), state.turn, state.step, "")
    policy = ExpertPolicy(playouts=8, exact=0)
    monkeypatch.setattr(expert_module, "seed_of", lambda given, role: (1, 2, 3, 4))  # the same luck for both
    monkeypatch.setattr(expert_module, "worlds", lambda given, role, samples=1: (World(1.0, other),))
    alone = policy.find(other)
    searched = policy.find(state)  # deciding at the true state, it searches only what worlds() gave
    assert [e.value.scores for _, e in searched.options] == [e.value.scores for _, e in alone.options]


def test_explanations_say_what_was_computed(tutorial):
    state = State.initial(tutorial)
    assert "has solved the rest of the game" in ExpertPolicy(exact=10**6).explain(state)
    assert "games to the end" in ExpertPolicy(playouts=4, exact=0).explain(state)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"playouts": 0}, "expert playouts must be a whole number from 1"),
        ({"playouts": 10**9}, "expert playouts must be a whole number from 1"),
        ({"exact": -1}, "expert exact must be a whole number from 0"),
        ({"depth": "deep"}, "expert depth must be a whole number"),
        ({"rollout": "lookahead"}, "expert rollout must be one of"),
        ({"others": "expert"}, "expert others must be one of"),
    ],
)
def test_bad_options_are_one_clear_error(options, message):
    with pytest.raises(CrisisError, match=message):
        make_policy("expert", **options)


def test_it_draws_nothing_from_the_match(tutorial):
    rng = make_rng(5)
    before = rng.bit_generator.state
    ExpertPolicy(**FAST).choose(State.initial(tutorial), rng)
    assert rng.bit_generator.state == before


@pytest.fixture(scope="module")
def wagner():
    from game.paths import find_scenario
    from game.scenario.loader import load_scenario

    return load_scenario(find_scenario("wagner_mutiny"))


def _last_turn_decision(scenario, seed: int) -> State:
    return next(s for s in _decisions(scenario, seed) if s.turn == scenario.calendar.turn_limit)


def _exact_over_its_truths(state: State) -> list:
    """Every legal move's exact value, weighed over the truths the expert samples (solved directly)."""
    import numpy as np

    from game.ai import exact
    from game.ai.plans import plan_for
    from game.ai.worlds import worlds
    from game.analysis import backward

    scores, wins = 0.0, 0.0
    for world in worlds(state, state.current_role(), expert_module.DEFAULT_SAMPLES):
        found = backward.solve(plan_for(state.scenario), world.state, 10**6)
        scores = scores + world.weight * np.array([v.scores for v in found.options])
        wins = wins + world.weight * np.array([v.wins for v in found.options])
    return [exact.Value(tuple(s), tuple(w)) for s, w in zip(scores, wins)]


def test_in_the_last_turn_it_takes_every_offer_where_the_cut_ones_were_cheap(monkeypatch, wagner):
    from game.ai import exact

    state = _last_turn_decision(wagner, seed=50)
    moves = state.legal_actions()
    index = list(wagner.roles).index(state.current_role())
    values = _exact_over_its_truths(state)
    best = moves[exact.best(values, index)]
    assert best.id.startswith("offer:")  # an offer, so a cut of its channel can leave it out
    real = expert_module.considered

    def without_the_best(state, moves, keep=2, env=None):  # a ranking that puts the best offer past the cut
        return real(state, [m for m in moves if m.id != best.id], keep=keep, env=env)

    monkeypatch.setattr(expert_module, "considered", without_the_best)
    before = ExpertPolicy(playouts=2, last_exact=0).find(state)  # the last turn like any other
    assert before.exact and best.id not in {m.id for m, _ in before.options}
    finding = ExpertPolicy(playouts=2).find(state)
    assert finding.exact and [m.id for m, _ in finding.options] == [m.id for m in moves]
    assert finding.move.id == best.id
    for (_, estimate), value in zip(finding.options, values):
        assert estimate.value.scores == pytest.approx(value.scores)


def test_the_last_turn_solves_with_its_own_budget(monkeypatch, wagner):
    from game.analysis import backward

    decisions = _decisions(wagner, seed=12)
    last = next(s for s in decisions if s.turn == wagner.calendar.turn_limit)
    before = next(s for s in reversed(decisions) if s.turn == wagner.calendar.turn_limit - 1)
    budgets = []
    real = backward.solve

    def counted(plan, world, budget, root=None):
        budgets.append(budget)
        return real(plan, world, budget, root)

    monkeypatch.setattr(backward, "solve", counted)
    monkeypatch.setattr(expert_module, "rough_size", lambda *args: 0.0)  # let it try, whatever the size
    policy = ExpertPolicy(playouts=2, focus=0, exact=1000, last_exact=8000)  # too small: tried, given up
    for state, budget in ((before, 1000), (last, 8000)):
        budgets.clear()
        policy.find(state)
        share = budget // len(expert_module.worlds(state, state.current_role(), expert_module.DEFAULT_SAMPLES))
        assert budgets and set(budgets) == {share}
