"""Every bundled scenario as an OpenSpiel game: OpenSpiel's own checks, and one of its algorithms."""

from __future__ import annotations

import numpy as np
import pytest

pyspiel = pytest.importorskip("pyspiel", reason="the research extra is not installed")

from open_spiel.python.algorithms import mcts  # noqa: E402

from game.interop.spiel import game_for, register, utility_bounds  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from tests.conftest import SCENARIOS, TUTORIAL  # noqa: E402


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def game(request):
    return game_for(load_scenario(request.param))


def test_random_simulation_passes_openspiels_checks(game):
    pyspiel.random_sim_test(game, num_sims=4, serialize=False, verbose=False)


def test_chance_nodes_carry_the_rules_exact_odds(game):
    state = game.new_initial_state()
    while state.is_chance_node():  # the starting draws
        odds = dict(state.chance_outcomes())
        assert sum(odds.values()) == pytest.approx(1.0)
        state.apply_action(max(odds, key=odds.get))
    crisis = state.crisis
    move = crisis.legal_actions()[0]
    state.apply_action(game.action_ids.index(move.id))
    assert state.is_chance_node()
    odds = dict(state.chance_outcomes())
    assert sum(odds.values()) == pytest.approx(1.0)
    for outcome, p in crisis.outcomes(move):
        assert odds[game.layout.outcome_index(move.id, outcome.id)] == p


def test_returns_are_the_ending_scores_and_within_the_stated_bounds(game):
    low, high = utility_bounds(game.scenario)
    assert (game.min_utility(), game.max_utility()) == (low, high)
    rng = np.random.default_rng(3)
    for _ in range(5):
        state = game.new_initial_state()
        while not state.is_terminal():
            if state.is_chance_node():
                actions, probs = zip(*state.chance_outcomes())
                state.apply_action(int(rng.choice(actions, p=probs)))
            else:
                state.apply_action(int(rng.choice(state.legal_actions())))
        scores = state.crisis.scores()
        assert state.returns() == [scores[r] for r in game.layout.roles]
        assert all(low <= r <= high for r in state.returns())


def test_information_states_are_per_player_and_tensors_fit_their_shape(game):
    state = game.new_initial_state()
    while state.is_chance_node() or state.current_player() != 0:
        state.apply_action(state.legal_actions()[0])
    texts = [state.information_state_string(p) for p in range(game.num_players())]
    assert len(set(texts)) == game.num_players()  # each role sees its own view of the values
    assert len(state.information_state_tensor(0)) == game.information_state_tensor_size()
    assert len(state.observation_tensor(1)) == game.observation_tensor_size()


def test_a_registered_scenario_loads_by_name():
    name = register(load_scenario(TUTORIAL))
    assert pyspiel.load_game(name).num_players() == 2


def test_openspiels_mcts_bot_outplays_random_on_the_tutorial():
    game = game_for(load_scenario(TUTORIAL))
    harbour = game.layout.roles.index("harbour")

    def mean_score(bot_plays: bool, games: int = 10) -> float:
        rng = np.random.RandomState(7)
        evaluator = mcts.RandomRolloutEvaluator(n_rollouts=2, random_state=rng)
        bot = mcts.MCTSBot(game, uct_c=2.0, max_simulations=40, evaluator=evaluator, random_state=rng)
        total = 0.0
        for _ in range(games):
            state = game.new_initial_state()
            while not state.is_terminal():
                if state.is_chance_node():
                    actions, probs = zip(*state.chance_outcomes())
                    state.apply_action(int(rng.choice(actions, p=probs)))
                elif bot_plays and state.current_player() == harbour:
                    state.apply_action(bot.step(state))
                else:
                    state.apply_action(int(rng.choice(state.legal_actions())))
            total += state.returns()[harbour]
        return total / games

    # the harbour master scores about 5 at random against a random strike leader
    assert mean_score(True) > mean_score(False) + 3


def _blind_pair(game):
    """Two starts that differ in one drawn value, and the players who were shown them alike."""
    state = game.new_initial_state()
    while state.is_chance_node() and state.crisis.in_setup():
        outcomes = [a for a, _ in state.chance_outcomes()]
        for i, a in enumerate(outcomes):
            for b in outcomes[i + 1 :]:
                first, second = state.clone(), state.clone()
                first.apply_action(a)
                second.apply_action(b)
                blind = [
                    p
                    for p, role in enumerate(game.layout.roles)
                    if first.crisis.observe(role).seen == second.crisis.observe(role).seen
                ]
                if blind:
                    return first, second, blind
        state.apply_action(outcomes[0])
    return None


def test_a_player_cannot_tell_apart_what_it_was_not_shown(game):
    """Two starts that differ only in a value hidden from a player give it one information state."""
    found = _blind_pair(game)
    assert found, "every bundled scenario hides a starting value from someone"
    first, second, blind = found
    for p in blind:
        assert first.information_state_string(p) == second.information_state_string(p)
        assert first.information_state_tensor(p) == second.information_state_tensor(p)
    seeing = [p for p in range(game.num_players()) if p not in blind]
    for p in seeing:
        assert first.information_state_string(p) != second.information_state_string(p)
