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
    monkeypatch.setattr(expert_module, "worlds", lambda given, role, samples=1, every=0: (World(1.0, other),))
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
        ({"games": 0}, "expert games must be a whole number from 1"),
        ({"games": 10**8}, "expert games must be a whole number from 1"),
        ({"every": 0}, "expert every must be a whole number from 1"),
        ({"every": 65}, "expert every must be a whole number from 1"),
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


def _last_turn_decisions(scenario, seed: int) -> list[State]:
    """The decisions of the last turn in a game of the peeking lookahead on both sides."""
    lookahead = make_policy("lookahead")
    match = Match(scenario, seed, {r: lookahead for r in scenario.roles})
    found = []
    while not match.is_over():
        state = match.state
        if state.turn == scenario.calendar.turn_limit and state.current_role() != WORLD:
            if len(state.legal_actions()) > 1:
                found.append(state)
        match.play()
    return found


def test_on_wagners_last_turn_it_makes_the_exact_best_move_where_lookahead_does_not():
    """Leaves on the objective's scale make lookahead miss last-turn moves the expert gets right."""
    from game.analysis import backward
    from game.analysis.plan import Plan
    from game.paths import find_scenario
    from game.scenario.loader import load_scenario

    wagner = load_scenario(find_scenario("wagner_mutiny"))
    plan, expert, lookahead = Plan(wagner), make_policy("expert"), make_policy("lookahead")
    roles = list(wagner.roles)
    checked = missed = 0
    for seed in (1, 7):  # games of lookahead on both sides that reach the last turn undecided
        for state in _last_turn_decisions(wagner, seed):
            role, ids = state.current_role(), [m.id for m in state.legal_actions()]
            solved = backward.solve(plan, state, 200_000)
            index = roles.index(role)
            best = max(v.key(index) for v in solved.options)
            assert solved.options[ids.index(expert.choose(state, make_rng(0)).id)].key(index) == best
            checked += 1
            taken = solved.options[ids.index(lookahead.choose(state, make_rng(0)).id)]
            missed += taken.key(index) < best
    assert checked >= 4 and missed >= 1


def test_solving_some_root_moves_gives_their_values_in_the_whole_solution(tutorial):
    import numpy as np

    from game.ai.plans import plan_for
    from game.analysis import backward

    plan = plan_for(tutorial)
    for state in _decisions(tutorial, seed=4)[:4]:
        moves = state.legal_actions()
        whole = backward.solve(plan, state, 10**6)
        keep = {moves[-1].id}
        root = np.array([m.id in keep for m in plan.moves_of[state.current_role()]])
        part = backward.solve(plan, state, 10**6, root)
        assert part.options == (whole.options[-1],) and part.states < whole.states


def test_it_does_not_try_to_solve_a_game_far_too_big_for_its_budget(monkeypatch):
    from game.ai.plans import plan_for
    from game.analysis import backward
    from game.paths import find_scenario
    from game.scenario.loader import load_scenario

    wagner = load_scenario(find_scenario("wagner_mutiny"))
    state = _decisions(wagner, seed=1)[0]
    assert expert_module.rough_size(plan_for(wagner), state, len(state.legal_actions()), 10**6) > 10**6

    def refuse(*args, **kwargs):
        raise AssertionError("the solver was tried")

    monkeypatch.setattr(backward, "solve", refuse)
    finding = ExpertPolicy(playouts=2).find(state)  # the default budget: far too small for turn 1
    assert not finding.exact and finding.playouts > 0


def test_the_second_round_plays_the_best_options_on_further_streams(tutorial):
    state = State.initial(tutorial)
    index = list(tutorial.roles).index(state.current_role())
    first = ExpertPolicy(playouts=4, focus=0, exact=0).find(state)
    both = ExpertPolicy(playouts=4, focus=1, more=4, exact=0).find(state)
    longer = ExpertPolicy(playouts=8, focus=0, exact=0).find(state)
    leader = max(first.options, key=lambda o: o[1].value.key(index))[0]
    assert both.playouts > first.playouts
    for move, _ in first.options:
        if move.id == leader.id:  # its leaves' playouts on streams 0..7, as one round of eight gives
            assert both.estimate(move).value == longer.estimate(move).value
        else:
            assert both.estimate(move).value == first.estimate(move).value


def test_a_round_past_its_games_plays_fewer_playouts_per_leaf_on_the_first_streams(tutorial):
    state = State.initial(tutorial)
    full = ExpertPolicy(playouts=8, focus=0, exact=0).find(state)
    leaves = full.playouts // 8
    capped = ExpertPolicy(playouts=8, focus=0, exact=0, games=3 * leaves).find(state)
    three = ExpertPolicy(playouts=3, focus=0, exact=0).find(state)
    assert capped.playouts == 3 * leaves < full.playouts
    for (move, got), (_, want) in zip(capped.options, three.options):  # streams 0..2, as three playouts give
        assert got.value == want.value, move.id
    assert ExpertPolicy(playouts=8, focus=0, exact=0, games=1).find(state).playouts == leaves  # one each at least


def _watch_lineups(monkeypatch) -> list[dict[str, str]]:
    """The policy of every role in each batch of playouts the expert asks for, as it asks."""
    from game.analysis import rollouts

    seen = []
    real = rollouts.playouts

    def watched(plan, lineup, *rest):
        seen.append({role: policy.name for role, policy in lineup.items()})
        return real(plan, lineup, *rest)

    monkeypatch.setattr(rollouts, "playouts", watched)
    return seen


def test_the_other_roles_play_out_as_others_says(monkeypatch, tutorial):
    seen = _watch_lineups(monkeypatch)
    state = State.initial(tutorial)
    me = state.current_role()
    ExpertPolicy(playouts=2, focus=0, exact=0, others="weighted").find(state)
    ExpertPolicy(playouts=2, focus=0, exact=0, others="greedy").find(state)
    assert seen[0] == {role: "greedy" if role == me else "weighted" for role in tutorial.roles}
    assert seen[1] == dict.fromkeys(tutorial.roles, "greedy")


def test_a_mixed_other_side_plays_greedy_on_even_streams_and_weighted_on_odd(monkeypatch, tutorial):
    from game.analysis import rollouts

    seen = []
    real = rollouts.playouts

    def watched(plan, lineup, starts, streams, seed):
        seen.append(({role: policy.name for role, policy in lineup.items()}, [int(s) for s in streams]))
        return real(plan, lineup, starts, streams, seed)

    monkeypatch.setattr(rollouts, "playouts", watched)
    state = State.initial(tutorial)
    me = state.current_role()
    mixed = ExpertPolicy(playouts=4, focus=0, exact=0, others="mixed").find(state)
    assert seen == [
        ({role: "greedy" for role in tutorial.roles}, [0, 2]),
        ({role: "greedy" if role == me else "weighted" for role in tutorial.roles}, [1, 3]),
    ]
    again = ExpertPolicy(playouts=4, focus=0, exact=0, others="mixed").find(state)
    assert again.options == mixed.options  # the same state, the same values


def test_a_mixed_other_side_plays_each_stream_as_its_own_model_would(tutorial):
    import numpy as np

    starts = _decisions(tutorial, seed=1)[:3]
    state = starts[0]
    seed, streams = (1, 2, 3, 4), np.arange(6)
    mixed = ExpertPolicy(others="mixed")._play(state, starts, seed, streams)
    for parity, others in enumerate(("greedy", "weighted")):
        alone = ExpertPolicy(others=others)._play(state, starts, seed, streams[parity::2])
        assert np.array_equal(mixed.scores[:, parity::2], alone.scores)
        assert np.array_equal(mixed.wins[:, parity::2], alone.wins)


def test_by_default_each_other_role_plays_out_as_the_file_pictures_it(monkeypatch):
    from game.scenario.loader import load_bytes
    from tests.conftest import ROOT

    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    union = '    objective: "30 + 0.5 * solidarity - 0.2 * money + 4 * turn"\n'
    assert text.count(union) == 1
    scenario = load_bytes(text.replace(union, union + "    modelled_as: weighted\n").encode("utf-8"), "t.yaml")
    seen = _watch_lineups(monkeypatch)
    decisions = _decisions(scenario, seed=3)
    harbour_turn = next(s for s in decisions if s.current_role() == "harbour")
    ExpertPolicy(playouts=2, focus=0, exact=0).find(harbour_turn)
    assert seen[-1] == {"harbour": "greedy", "union": "weighted"}  # the union as the file pictures it
    ExpertPolicy(playouts=2, focus=0, exact=0, others="greedy").find(harbour_turn)
    assert seen[-1] == {"harbour": "greedy", "union": "greedy"}  # an explicit choice wins
    union_turn = next(s for s in decisions if s.current_role() == "union")
    ExpertPolicy(playouts=2, focus=0, exact=0).find(union_turn)
    assert seen[-1] == {"harbour": "greedy", "union": "greedy"}  # its own playouts follow its rollout


def test_on_wagner_the_default_expert_pictures_each_side_by_its_hints():
    from game.scenario.loader import load_scenario
    from tests.conftest import ROOT

    wagner = load_scenario(ROOT / "scenarios" / "wagner_mutiny.yaml")
    assert {r.modelled_as for r in wagner.roles.values()} == {"weighted"}
    decisions = _decisions(wagner, seed=5)
    for role in wagner.roles:
        state = next(s for s in decisions if s.current_role() == role)
        default = ExpertPolicy(**FAST).find(state)
        assert default.options == ExpertPolicy(others="weighted", **FAST).find(state).options


@pytest.fixture(scope="module")
def wagner():
    from game.paths import find_scenario
    from game.scenario.loader import load_scenario

    return load_scenario(find_scenario("wagner_mutiny"))


def _last_turn_decision(scenario, seed: int) -> State:
    return next(s for s in _decisions(scenario, seed) if s.turn == scenario.calendar.turn_limit)


def _exact_over_its_truths(state: State, samples: int = expert_module.DEFAULT_SAMPLES, every: int = 0) -> list:
    """Every legal move's exact value, weighed over the truths the expert samples (solved directly)."""
    import numpy as np

    from game.ai import exact
    from game.ai.plans import plan_for
    from game.ai.worlds import worlds
    from game.analysis import backward

    scores, wins = 0.0, 0.0
    for world in worlds(state, state.current_role(), samples, every):
        found = backward.solve(plan_for(state.scenario), world.state, 10**6)
        scores = scores + world.weight * np.array([v.scores for v in found.options])
        wins = wins + world.weight * np.array([v.wins for v in found.options])
    return [exact.Value(tuple(s), tuple(w)) for s, w in zip(scores, wins)]


def test_in_the_last_turn_it_takes_every_offer_where_the_cut_ones_were_cheap(monkeypatch, wagner):
    from game.ai import exact

    state = _last_turn_decision(wagner, seed=50)
    moves = state.legal_actions()
    index = list(wagner.roles).index(state.current_role())
    # every truth of its belief: where more than the four sampled fit the budget, it solves them all
    values = _exact_over_its_truths(state, expert_module.MAX_SAMPLES, expert_module.MAX_SAMPLES)
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


def _fake_solved(calls: list, states):
    """A stand-in for ExpertPolicy._solved: records each call's moves and truths, and says each
    solve took ``states(moves, truths)`` states (exact values of 0 for every move)."""
    from game.ai import exact

    def solved(self, state, possible, moves, budget):
        calls.append((tuple(m.id for m in moves), len(possible)))
        zero = exact.Value((0.0, 0.0), (0.0, 0.0))
        return [zero] * len(moves), states(len(moves), len(possible))

    return solved


def test_in_the_last_turn_a_root_too_big_for_every_move_takes_more_offers_a_channel(monkeypatch, wagner):
    state = _last_turn_decision(wagner, seed=50)
    role, moves = state.current_role(), state.legal_actions()
    cut = expert_module.solvable(state, role, moves)
    wider = expert_module.solvable(state, role, moves, expert_module.WIDER_PER_CHANNEL)
    assert len(cut) < len(wider) < len(moves)
    budget = 100_000
    per_move = budget // len(wider)  # so that the wider root fits the budget and every move does not
    calls: list = []
    monkeypatch.setattr(expert_module.ExpertPolicy, "_solved", _fake_solved(calls, lambda m, t: per_move * m))
    monkeypatch.setattr(expert_module, "worlds", lambda given, r, samples=4, every=0: (World(1.0, given),))
    found = ExpertPolicy(playouts=2, exact=1000, last_exact=budget).find(state)
    assert [c[0] for c in calls] == [tuple(m.id for m in cut), tuple(m.id for m in wider)]
    assert [m.id for m, _ in found.options] == [m.id for m in wider]


def test_in_the_last_turn_it_solves_every_truth_where_that_fits_and_not_where_it_does_not(monkeypatch, wagner):
    state = _last_turn_decision(wagner, seed=50)
    sampled = (World(0.5, state), World(0.5, state))
    whole = tuple(World(0.125, state) for _ in range(8))
    monkeypatch.setattr(
        expert_module,
        "worlds",
        lambda given, r, samples=4, every=0: whole if samples == expert_module.MAX_SAMPLES else sampled,
    )
    n = len(state.legal_actions())
    # 2,000 states a move and a truth: every move on the two sampled truths takes 4,000 n states,
    # on all eight 16,000 n
    for budget, most in ((16_000 * n, 8), (16_000 * n - 1, 2)):
        calls: list = []
        monkeypatch.setattr(expert_module.ExpertPolicy, "_solved", _fake_solved(calls, lambda m, t: 2_000 * m * t))
        ExpertPolicy(playouts=2, exact=1000, last_exact=budget).find(state)
        assert [(len(m), t) for m, t in calls[1:]] == [(n, 2)] + ([(n, 8)] if most == 8 else [])
