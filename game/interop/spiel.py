"""Any scenario as an OpenSpiel game (its Python game API).

``game_for(scenario)`` returns a ``pyspiel.Game``. Players are the scenario's roles in file
order. A role's move is two nodes: the role picks an action (OpenSpiel action = the action's
index among all the scenario's actions), then a chance node draws its outcome (chance action =
the outcome's index, with the rules' exact probabilities). Each of the world's event rolls is a
chance node too (its outcomes, then "quiet" last). Returns are the ending's scores; the game is
general-sum with rewards at the end only.

Information-state strings and tensors, and observations, come from
:mod:`game.interop.encoding`, that is from ``state.observe(role)``: its key, its trail, its values. ``register(scenario)`` registers the game under ``crisis_<scenario id>`` so that
``pyspiel.load_game`` finds it.
"""

from __future__ import annotations

import math

import numpy as np
import pyspiel

from game.ai.exact import score_bounds
from game.core.model import WORLD, Scenario
from game.core.state import State
from game.interop.encoding import (
    Layout,
    information_string,
    information_tensor,
    observation_string,
    observation_tensor,
)

FALLBACK_BOUND = 1e6  # a score whose range cannot be bounded is reported within +-1e6


def utility_bounds(scenario: Scenario) -> tuple[float, float]:
    """The lowest and highest score any ending can give any role (finite, as OpenSpiel needs)."""
    low, high = score_bounds(scenario)
    return (low if math.isfinite(low) else -FALLBACK_BOUND, high if math.isfinite(high) else FALLBACK_BOUND)


def game_type(scenario: Scenario) -> pyspiel.GameType:
    players = len(scenario.roles)
    return pyspiel.GameType(
        short_name=f"crisis_{scenario.meta.id}",
        long_name=f"crisis: {scenario.meta.title}",
        dynamics=pyspiel.GameType.Dynamics.SEQUENTIAL,
        chance_mode=pyspiel.GameType.ChanceMode.EXPLICIT_STOCHASTIC,
        information=pyspiel.GameType.Information.IMPERFECT_INFORMATION,
        utility=pyspiel.GameType.Utility.GENERAL_SUM,
        reward_model=pyspiel.GameType.RewardModel.TERMINAL,
        max_num_players=players,
        min_num_players=players,
        provides_information_state_string=True,
        provides_information_state_tensor=True,
        provides_observation_string=True,
        provides_observation_tensor=True,
        parameter_specification={},
    )


def game_info(scenario: Scenario, layout: Layout) -> pyspiel.GameInfo:
    low, high = utility_bounds(scenario)
    # every role's move is a decision and a chance node; every event roll is a chance node
    per_turn = 2 * len(scenario.turn_order) + len(scenario.event_list)
    length = per_turn * scenario.calendar.turn_limit + len(scenario.draws)
    return pyspiel.GameInfo(
        num_distinct_actions=len(scenario.actions),
        max_chance_outcomes=layout.outcomes,
        num_players=len(scenario.roles),
        min_utility=low,
        max_utility=high,
        max_game_length=length,
    )


class CrisisGame(pyspiel.Game):
    """A scenario as an OpenSpiel game."""

    def __init__(self, scenario: Scenario, params=None):
        self.scenario = scenario
        self.layout = Layout.of(scenario)
        self.action_ids = tuple(scenario.actions)
        super().__init__(game_type(scenario), game_info(scenario, self.layout), params or {})

    def new_initial_state(self) -> CrisisState:
        return CrisisState(self)

    def make_py_observer(self, iig_obs_type=None, params=None) -> Observer:
        if params:
            raise ValueError(f"observation parameters are not supported; given {params}")
        perfect = iig_obs_type is None or iig_obs_type.perfect_recall
        return Observer(self.layout, perfect)


class Shared:
    """Holds something immutable that a copied OpenSpiel state may share with its original."""

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo) -> Shared:
        return self


class CrisisState(pyspiel.State):
    """A game in progress: the engine's state, a move waiting for its outcome, the steps so far.

    OpenSpiel copies states with ``copy.deepcopy``; the engine's states and the scenario are
    immutable, so copies share them (:class:`Shared`) and copy only the step record.
    """

    def __init__(self, game: CrisisGame):
        super().__init__(game)
        self._now = Shared(State.initial(game.scenario))
        self._of = Shared(game)
        self.pending: str | None = None  # a role's chosen action before its outcome is drawn
        self.record: list[tuple[str, str]] = []

    @property
    def crisis(self) -> State:
        return self._now.value

    @crisis.setter
    def crisis(self, state: State) -> None:
        self._now = Shared(state)

    @property
    def _game(self) -> CrisisGame:
        return self._of.value

    def current_player(self) -> int:
        if self.crisis.is_over():
            return pyspiel.PlayerId.TERMINAL
        if self.pending is not None or self.crisis.current_role() == WORLD:
            return pyspiel.PlayerId.CHANCE
        return self._game.layout.roles.index(self.crisis.current_role())

    def _legal_actions(self, player: int) -> list[int]:
        ids = self._game.action_ids
        return sorted(ids.index(move.id) for move in self.crisis.legal_actions())

    def chance_outcomes(self) -> list[tuple[int, float]]:
        move = self._chance_move()
        pairs = self.crisis.outcomes(move)
        return [(self._game.layout.outcome_index(move.id, outcome.id), p) for outcome, p in pairs]

    def _chance_move(self):
        if self.pending is not None:
            return self._game.scenario.actions[self.pending]
        return self.crisis.legal_actions()[0]

    def _apply_action(self, action: int) -> None:
        if self.is_chance_node():
            move = self._chance_move()
            outcome = self._outcome(move, action)
            self.crisis = self.crisis.apply(move, outcome)[0]
            self.record.append((move.id, outcome))
            self.pending = None
        else:
            self.pending = self._game.action_ids[action]

    def _outcome(self, move, index: int) -> str:
        for outcome, _ in self.crisis.outcomes(move):
            if self._game.layout.outcome_index(move.id, outcome.id) == index:
                return outcome.id
        raise ValueError(f"chance outcome {index} is not possible for '{move.id}' now")

    def _action_to_string(self, player: int, action: int) -> str:
        if player == pyspiel.PlayerId.CHANCE:
            move = self._chance_move()
            names = [o.id for o in move.outcomes]
            return f"{move.id}:{names[action] if action < len(names) else 'quiet'}"
        return self._game.action_ids[action]

    def is_terminal(self) -> bool:
        return self.crisis.is_over()

    def returns(self) -> list[float]:
        if not self.crisis.is_over():
            return [0.0] * len(self._game.layout.roles)
        scores = self.crisis.scores()
        return [float(scores[role]) for role in self._game.layout.roles]

    def __str__(self) -> str:
        pending = f" ({self.pending} chosen)" if self.pending else ""
        return f"turn {self.crisis.turn} step {self.crisis.step}{pending}: " + " ".join(
            f"{m}:{o}" for m, o in self.record
        )


class Observer:
    """OpenSpiel's observer protocol: one tensor and string per (state, player)."""

    def __init__(self, layout: Layout, perfect_recall: bool):
        self.layout = layout
        self.perfect_recall = perfect_recall
        size = layout.information_size if perfect_recall else layout.observation_size
        self.tensor = np.zeros(size, dtype=np.float32)
        self.dict = {"observation": self.tensor}

    def set_from(self, state: CrisisState, player: int) -> None:
        role = self.layout.roles[player]
        if self.perfect_recall:
            self.tensor[:] = information_tensor(self.layout, state.crisis, role)
        else:
            self.tensor[:] = observation_tensor(self.layout, state.crisis, role)

    def string_from(self, state: CrisisState, player: int) -> str:
        role = self.layout.roles[player]
        if self.perfect_recall:
            return information_string(state.crisis, role) + _pending(state, role)
        return observation_string(state.crisis, role) + _pending(state, role)


def _pending(state: CrisisState, role: str) -> str:
    """A move chosen and waiting for its outcome: only its chooser knows it yet."""
    if state.pending is None or state.crisis.current_role() != role:
        return ""
    return f" chose {state.pending}"


def game_for(scenario: Scenario) -> CrisisGame:
    """The scenario as an OpenSpiel game."""
    return CrisisGame(scenario)


def register(scenario: Scenario) -> str:
    """Register the scenario with OpenSpiel (``pyspiel.load_game(name)``); returns the name.

    OpenSpiel keeps a class per game (a function there would outlive the interpreter's state
    and crash it on exit), so each scenario gets its own small subclass.
    """
    kind = game_type(scenario)

    def __init__(self, params=None):
        CrisisGame.__init__(self, scenario, params)

    pyspiel.register_game(kind, type(f"CrisisGame_{scenario.meta.id}", (CrisisGame,), {"__init__": __init__}))
    return kind.short_name
