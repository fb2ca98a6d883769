"""A person's last step can be taken back once, with the dice as they were, before anything else happens."""

from __future__ import annotations

import json

import pytest

from game.ai import make_policy
from game.core.errors import IllegalAction
from game.core.match import Match
from game.saves import parse_save, replay, save_data


def people_match(scenario, seed: int) -> Match:
    """The tutorial with a person as the union and the random AI as the harbour, its setup drawn."""
    match = Match(scenario, seed=seed, policies={"harbour": make_policy("random")})
    match.start()
    assert not match.can_undo()  # drawing the starting values is nobody's move
    return match


def test_the_same_move_again_has_the_same_outcome_and_state(tutorial):
    for seed in range(30):
        match = people_match(tutorial, seed)
        setup = len(match.steps)
        first = match.play("picket")
        draws = match.rng.bit_generator.state
        assert match.can_undo()
        taken = match.undo()
        assert (taken.action, taken.outcome) == ("picket", first.outcome)
        assert match.state.turn == 1 and len(match.steps) == setup == len(match.reports)
        again = match.play("picket")
        assert again == first and match.rng.bit_generator.state == draws


def test_a_game_after_a_take_back_is_the_game_its_choices_make_from_the_seed(tutorial):
    for seed in range(30):
        match = people_match(tutorial, seed)
        match.play("picket")
        match.undo()
        match.play("march")
        match.run()
        fresh = people_match(tutorial, seed)
        fresh.play("march")
        fresh.run()
        assert match.steps == fresh.steps
        assert match.taken_back == 1 and fresh.taken_back == 0
        # the save of the game with a take-back replays exactly
        assert replay(parse_save(_bytes(match)), tutorial).steps == match.steps


def test_a_step_is_taken_back_only_once(tutorial):
    match = people_match(tutorial, 3)
    match.play("picket")
    match.undo()
    match.play("march")
    assert not match.can_undo()
    with pytest.raises(IllegalAction):
        match.undo()


def test_nothing_is_taken_back_once_the_opponent_or_the_world_has_moved(tutorial):
    match = people_match(tutorial, 4)
    assert not match.can_undo()  # nothing played yet
    match.play("picket")
    match.play()  # the harbour answers
    assert not match.can_undo()
    with pytest.raises(IllegalAction):
        match.undo()
    match.run()  # the world's rolls, up to the next person's move
    assert not match.can_undo()


def test_an_ai_step_cannot_be_taken_back(tutorial):
    match = Match(tutorial, seed=5, policies={r: make_policy("random") for r in tutorial.roles})
    match.start()
    match.play()
    assert not match.can_undo()


def _bytes(match: Match) -> bytes:
    return json.dumps(save_data(match)).encode()
