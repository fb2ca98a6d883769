"""The equilibrium of a small scenario's whole game: known games solved, information sets from the core."""

from __future__ import annotations

import re

import numpy as np
import pytest

from game.analysis import equilibrium, gametree
from game.cli import main
from game.core.model import WORLD
from game.core.state import State
from game.scenario.loader import load_scenario
from tests.conftest import ROOT

GAMES = ROOT / "tests" / "fixtures" / "games"


@pytest.fixture(scope="module")
def kuhn():
    return load_scenario(GAMES / "kuhn.yaml")


@pytest.fixture(scope="module")
def pennies():
    return load_scenario(GAMES / "pennies.yaml")


def _solved(scenario, iterations):
    tree = gametree.build(scenario, 10_000)
    sets = equilibrium.infosets(tree)
    return tree, sets, equilibrium.solve(tree, sets, iterations, (10, 100, iterations))


def test_kuhn_poker_has_its_known_value_and_its_nash_conv_falls(kuhn):
    tree, sets, found = _solved(kuhn, 400)
    assert len(sets.width) == 12 and set(sets.width) == {2}  # 2 x 6 information sets of two options
    assert found.values[0] == pytest.approx(-1 / 18, abs=2e-3)
    assert found.values[1] == pytest.approx(1 / 18, abs=2e-3)
    marks = [m.nash_conv for m in found.checkpoints]
    assert marks[0] > marks[1] > marks[2]
    assert found.nash_conv < 2e-3
    assert equilibrium.constant_sum(tree)


def test_kuhn_equilibrium_strategy_is_one_of_the_known_family(kuhn):
    """With a 1 the first player bets with some alpha up to 1/3, with a 3 three times as often, never with a 2."""
    tree, sets, found = _solved(kuhn, 400)
    opening = {}
    for s in range(sets.count):
        node = int(sets.example[s])
        values, turn, *_ = tree.graph.sig[int(tree.graph_node[node])]
        if sets.role_of[s] == 0 and turn == 2:
            card = values[kuhn.slots["card1"]]
            opening[card] = found.strategy[sets.first[s] + 1]  # bet
    alpha = opening[1.0]
    assert 0 <= alpha <= 1 / 3 + 0.02
    assert opening[2.0] < 0.02
    assert opening[3.0] == pytest.approx(3 * alpha, abs=0.05)


def test_uneven_pennies_mix_one_in_three(pennies):
    _, sets, found = _solved(pennies, 2000)
    assert found.values[0] == pytest.approx(1 / 3, abs=5e-3)
    for s in range(sets.count):
        assert found.strategy[sets.first[s]] == pytest.approx(1 / 3, abs=0.02)  # heads
    assert found.nash_conv < 5e-3


def test_the_same_run_gives_the_same_strategy(kuhn):
    first = _solved(kuhn, 50)[2]
    again = _solved(kuhn, 50)[2]
    assert np.array_equal(first.strategy, again.strategy) and first.values == again.values


def _walk(scenario):
    """Every decision node of the tree, walked with the core alone: (role, key, legal ids) in tree order."""
    found = []

    def visit(state):
        if state.is_over():
            return
        role = state.current_role()
        if role != WORLD:
            found.append((role, state.observe(role).key, tuple(m.id for m in state.legal_actions())))
        for move in state.legal_actions():
            for _, _, after in state.successors(move):
                visit(after)

    visit(State.initial(scenario))
    return found


@pytest.mark.parametrize("name", ["kuhn", "pennies"])
def test_information_sets_are_the_core_keys(name, request):
    """Two decisions share an information set exactly when the core gives their role the same key."""
    scenario = request.getfixturevalue(name)
    walked = _walk(scenario)
    tree = gametree.build(scenario, 10_000)
    sets = equilibrium.infosets(tree)
    decisions = np.flatnonzero(tree.kind == gametree.DECISION)
    assert len(decisions) == len(walked)
    ours = {}
    for node in decisions:
        values, turn, step, ending = tree.graph.sig[int(tree.graph_node[node])]
        state = State(scenario, values, turn, step, ending)
        ours.setdefault(int(sets.node_set[node]), set()).add(tuple(m.id for m in state.legal_actions()))
    assert all(len(legal) == 1 for legal in ours.values())
    keys = {(role, key) for role, key, _ in walked}
    assert len(keys) == sets.count
    # the same partition: the number of nodes in each set matches the number with each key
    sizes = sorted(np.bincount(sets.node_set[decisions]).tolist())
    counted = {}
    for role, key, _ in walked:
        counted[(role, key)] = counted.get((role, key), 0) + 1
    assert sizes == sorted(counted.values())


def test_secret_move_is_not_seen_by_the_other_role(pennies):
    tree = gametree.build(pennies, 100)
    sets = equilibrium.infosets(tree)
    second = np.flatnonzero((tree.kind == gametree.DECISION) & (tree.player == 1))
    assert len(second) == 2 and len(set(sets.node_set[second])) == 1


def test_the_state_graph_agrees_with_the_core_on_size(kuhn):
    tree = gametree.build(kuhn, 10_000)
    walked = []

    def count(state):
        walked.append(state)
        if state.is_over():
            return
        for move in state.legal_actions():
            following = state.successors(move)
            if state.current_role() != WORLD and len(following) > 1:
                walked.append(None)  # the chance node after the choice
            for _, _, after in following:
                count(after)

    count(State.initial(kuhn))
    assert tree.nodes == len(walked)
    assert int((tree.kind == gametree.ENDING).sum()) == sum(1 for s in walked if s is not None and s.is_over())


def test_a_tree_past_the_cap_is_refused(kuhn):
    with pytest.raises(gametree.TooBig, match="more than"):
        gametree.build(kuhn, 50)


def test_the_command_prints_what_it_computed(capsys):
    assert main(["solve", str(GAMES / "kuhn.yaml"), "--equilibrium", "--iterations", "300"]) == 0
    out = capsys.readouterr().out
    assert equilibrium.CONCEPT in out and "300 iterations" in out
    assert "Game tree: 70 nodes" in out and "12 information sets" in out
    value = re.search(r"^First player\s+(-?\d+\.\d+)\s", out, re.M)
    assert float(value.group(1)) == pytest.approx(-1 / 18, abs=2e-3)
    assert "zero-sum" in out and "NashConv by iterations: 1: 0.9167" in out
    assert "seeing First player's card 2 (chance 33.3%): Check 100.0%, Bet 0.0%" in out


@pytest.mark.parametrize(
    "argv, said",
    [
        (["tutorial", "--max-nodes", "1000"], "far more than --max-nodes 1,000"),
        (["tutorial", "--turn", "2"], "takes no --save or --turn"),
        ([str(GAMES / "kuhn.yaml"), "--max-nodes", "50"], "more than 50 nodes"),
        (["tutorial", "--max-nodes", "40000000"], "from 1 to 30,000,000"),
        (["tutorial", "--iterations", "0"], "from 1 to 100,000"),
        (["wagner_mutiny"], "far more than --max-nodes 10,000,000"),
        (["august_1991"], "far more than --max-nodes 10,000,000"),
    ],
)
def test_bad_requests_get_one_line_and_exit_2(argv, said, capsys):
    assert main(["solve", *argv, "--equilibrium"]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1


def test_estimate_is_near_the_true_size(kuhn):
    tree = gametree.build(kuhn, 10_000)
    assert gametree.estimate(kuhn, lines=400) == pytest.approx(tree.nodes, rel=0.15)


def test_the_best_reply_is_one_option_per_information_set_and_scores_what_it_says(kuhn):
    tree = gametree.build(kuhn, 10_000)
    sets = equilibrium.infosets(tree)
    passes = equilibrium.Passes(tree, sets)
    weights = passes.edge_weights(equilibrium.uniform(sets))
    for role in range(len(tree.roles)):
        score, played = equilibrium.best_reply(passes, weights, role)
        assert score == equilibrium.best_response(passes, weights, role)
        mine = sets.decisions[role]
        assert set(np.unique(played[mine])) <= {0.0, 1.0}
        per_node = np.bincount(tree.parent[mine], played[mine], minlength=tree.nodes)
        assert set(np.unique(per_node[tree.parent[mine]])) == {1.0}  # one option at every decision
        chosen = {}
        for edge in mine[played[mine] == 1.0]:
            chosen.setdefault(int(sets.node_set[tree.parent[edge]]), set()).add(int(sets.edge_option[edge]))
        assert all(len(options) == 1 for options in chosen.values())  # the same in nodes it cannot tell apart
        others = np.where(np.isin(np.arange(len(played)), mine), played, weights)
        assert float(passes.values(others, role)[0]) == pytest.approx(score)
        assert score > float(passes.values(weights, role)[0])  # uniform play is beaten
