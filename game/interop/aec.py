"""Any scenario as a PettingZoo AEC environment, with action masks.

``CrisisEnv(scenario)``: the agents are the scenario's roles; the role to move is the selected
agent. An action is the index of one of the scenario's actions (the same numbering for every
agent); the observation is a dict with ``observation``, what the role is shown now
(:func:`game.interop.encoding.observation_tensor`, from ``state.observe(role)``), and
``action_mask``, 1 for the moves open to it (all 0 for an agent not to move). After a role's
move the outcome and the world's rolls are drawn by the match's generator, seeded by
``reset(seed=...)``, so the same seed and actions give the same game. At the end every agent's
reward is its ending score (the game's aim) and every agent is terminated.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces
from pettingzoo import AECEnv

from game.core.match import Match, new_seed
from game.core.model import Scenario
from game.interop.encoding import Layout, observation_string, observation_tensor


class CrisisEnv(AECEnv):
    """A scenario as an agent-environment-cycle environment."""

    metadata = {"render_modes": ["ansi"], "name": "crisis", "is_parallelizable": False}

    def __init__(self, scenario: Scenario, render_mode: str | None = None):
        super().__init__()
        self.scenario = scenario
        self.layout = Layout.of(scenario)
        self.action_ids = tuple(scenario.actions)
        self.render_mode = render_mode
        self.possible_agents = list(scenario.roles)
        self.metadata = {**self.metadata, "name": f"crisis_{scenario.meta.id}"}
        size = self.layout.observation_size
        self.observation_spaces = {
            role: spaces.Dict(
                {
                    "observation": spaces.Box(-np.inf, np.inf, shape=(size,), dtype=np.float32),
                    "action_mask": spaces.Box(0, 1, shape=(len(self.action_ids),), dtype=np.int8),
                }
            )
            for role in self.possible_agents
        }
        self.action_spaces = {role: spaces.Discrete(len(self.action_ids)) for role in self.possible_agents}
        self.match: Match | None = None

    def observation_space(self, agent: str) -> spaces.Space:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self.action_spaces[agent]

    def reset(self, seed: int | None = None, options: dict | None = None) -> None:
        self.match = Match(self.scenario, seed=new_seed() if seed is None else seed)
        self.agents = list(self.possible_agents)
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        self.infos = {role: {} for role in self.agents}
        self._roll()

    def observe(self, agent: str) -> dict:
        state = self.match.state
        mask = np.zeros(len(self.action_ids), dtype=np.int8)
        if agent == self.agent_selection and not state.is_over():
            for move in state.legal_actions():
                mask[self.action_ids.index(move.id)] = 1
        return {"observation": observation_tensor(self.layout, state, agent), "action_mask": mask}

    def step(self, action: int | None) -> None:
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        legal = {m.id for m in self.match.state.legal_actions()}
        if action is None or not 0 <= int(action) < len(self.action_ids) or self.action_ids[int(action)] not in legal:
            raise ValueError(f"action {action!r} is not open to {agent} now (see the action mask)")
        self._cumulative_rewards[agent] = 0.0
        self.match.play(self.action_ids[int(action)])
        self._roll()

    def _roll(self) -> None:
        """Let the world roll until a role must choose or the game ends, then select that role."""
        match = self.match
        while not match.is_over() and match.waiting_for_person() is None:
            match.play()
        self.rewards = dict.fromkeys(self.agents, 0.0)
        if match.is_over():
            scores = match.state.scores()
            self.rewards = {role: float(scores[role]) for role in self.agents}
            self.terminations = dict.fromkeys(self.agents, True)
            self.agent_selection = self.agents[0]
        else:
            self.agent_selection = match.state.current_role()
        self._accumulate_rewards()

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        return observation_string(self.match.state, self.agent_selection)

    def close(self) -> None:
        self.match = None
