"""The greedy policy: the move with the best expected value one step ahead, as its role sees it.

The role's view is the state as it can make it out (exact values where it sees them, the middle
of a band where it estimates, the publicly known start where it sees nothing:
:func:`game.core.information.apparent`); each open move's outcomes, their odds and the value of
the state after them (the score where the game ends, the objective where it goes on) are worked
out on that view. The arithmetic is the batch engine's own (:mod:`game.analysis.vpolicies`), run
on one game, so a balance run and a single game choose alike. No chance draws are taken.
"""

from __future__ import annotations

import numpy as np

from game.ai.plans import plan_for
from game.core.errors import IllegalAction
from game.core.state import Move, State


def best_move(state: State) -> tuple[Move, float]:
    """The current role's best move by one-step expected value as it sees the state, and that value.

    Ties go to the first move in file order (strict comparison), as the batch engine breaks them.
    """
    from game.analysis.batch import Context, env_at, legal
    from game.analysis.rollouts import position_of
    from game.analysis.vpolicies import apparent, expected_values

    role = state.current_role()
    if not state.legal_actions() or role is None or role not in state.scenario.roles:
        raise IllegalAction(f"{role or 'nobody'} has no move to choose from")
    plan = plan_for(state.scenario)
    rows = np.asarray(state.values, dtype=np.float64)[:, None]
    pos = position_of(plan, state)
    env = env_at(plan, rows, pos)
    ctx = apparent(Context(plan, role, pos, rows, env, legal(plan, role, env, 1), None))
    best, best_value = -1, 0.0
    for j, value in enumerate(expected_values(ctx)):
        if ctx.legal[j, 0] and (best < 0 or value[0] > best_value):
            best, best_value = j, float(value[0])
    return state.scenario.actions[plan.moves_of[role][best].id], best_value


class GreedyPolicy:
    """Maximises the expected value of the next state, as the role to move sees the state."""

    name = "greedy"

    def choose(self, state: State, rng: np.random.Generator) -> Move:
        return best_move(state)[0]

    def explain(self, state: State) -> str:
        move, expected = best_move(state)
        return f"expects '{move.title}' to leave it at {expected:.1f} by its objective, the best one step ahead"
