"""The dominated-option audit: options that never do better than the best alternative.

An option is **dominated** when, in the states where it was open, playing it and then going on
with the lineup's own play is never better, for its role, than the best alternative played and
continued the same way. The audit tests exactly that, by sampling:

1. ``games`` games of the lineup are played (the one-game engine, seeded), and their decision
   states with two or more open options are gathered; at most ``states`` of them, spread evenly
   over the list, are kept;
2. in each kept state, every open option is played: each outcome at its exact probability, then
   ``playouts`` games to the end through the batch engine with the lineup, every option on the
   same random streams (common random numbers), so that option ``a`` and option ``b`` are
   compared stream by stream (paired differences);
3. an option is *beaten* in a state when some alternative's paired advantage over it has a
   lower confidence bound above zero (one-sided, at ``confidence``, with a Bonferroni share of
   the error for each alternative compared). It is flagged dominated when it was open in at
   least ``MIN_STATES`` kept states and was beaten in every one of them.

The result says, for every option, in how many kept states it was open, in how many it was
beaten, the turns of those states, and how much the role loses by it against the best
alternative (mean, least and most, in score points). The lineup must be vectorised (it plays the
playouts through the batch engine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from game.analysis.plan import Plan
from game.core.match import Match, make_rng
from game.core.model import WORLD
from game.core.state import State

DEFAULT_GAMES = 100
DEFAULT_STATES = 40
DEFAULT_PLAYOUTS = 32
DEFAULT_CONFIDENCE = 0.95
MIN_STATES = 5  # an option open in fewer kept states says too little to be judged
# a state with more open options is not audited: every option is played out and compared with
# every other, so a file of 10,500 actions open at once was still auditing after five minutes (the bundled
# scenarios open at most 77 at once)
MAX_OPTIONS = 200


@dataclass(frozen=True)
class Verdict:
    """What the audit found about one option."""

    action: str
    role: str
    open_in: int  # kept states where it was open
    beaten_in: int  # ... where an alternative did better, with confidence
    turns: tuple[int, ...]  # the turns of the states where it was open
    mean_loss: float  # mean over those states of (best alternative) - (this option), score points
    least_loss: float
    most_loss: float

    @property
    def dominated(self) -> bool:
        return self.open_in >= MIN_STATES and self.beaten_in == self.open_in


@dataclass(frozen=True)
class Audit:
    """The verdict on every option, and how the audit was run."""

    verdicts: tuple[Verdict, ...]
    games: int
    states: int
    playouts: int
    confidence: float
    lineup: tuple[tuple[str, str], ...]

    def dominated(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.dominated]


def decision_states(plan: Plan, lineup: dict[str, str], games: int, seed: int) -> list[State]:
    """The decision states (two to :data:`MAX_OPTIONS` options open) of ``games`` seeded games of the lineup."""
    from game.ai import make_policy

    policies = {role: make_policy(name) for role, name in lineup.items()}
    seeds = make_rng(seed).integers(0, 2**63, size=games)
    found = []
    for game_seed in seeds:
        match = Match(plan.scenario, seed=int(game_seed), policies=policies)
        while not match.is_over():
            state = match.state
            if state.current_role() != WORLD and 1 < len(state.legal_actions()) <= MAX_OPTIONS:
                found.append(state)
            match.play()
    return found


def spread(states: list[State], count: int) -> list[State]:
    """At most ``count`` of ``states``, taken evenly over the list (first and last included)."""
    if len(states) <= count:
        return states
    picks = np.linspace(0, len(states) - 1, count).round().astype(int)
    return [states[i] for i in dict.fromkeys(picks.tolist())]


def option_streams(plan: Plan, vectorised: dict, state: State, playouts: int, seed: tuple[int, ...]) -> np.ndarray:
    """Each open option's score for the role to move, stream by stream: (options x playouts)."""
    from game.ai.exact import ending_value
    from game.analysis.rollouts import playouts as play_out

    role = plan.role_index[state.current_role()]
    moves = state.legal_actions()
    out = np.zeros((len(moves), playouts))
    going: list[State] = []
    weights: list[tuple[int, float]] = []
    for m, move in enumerate(moves):
        for _, p, after in state.successors(move):
            if after.is_over():
                out[m] += p * ending_value(after).scores[role]
            else:
                going.append(after)
                weights.append((m, p))
    if going:
        found = play_out(plan, vectorised, going, np.arange(playouts), seed)
        for (m, p), scores in zip(weights, found.scores):
            out[m] += p * scores[:, role]
    return out


def judge(streams: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """For each option: whether some alternative beats it with confidence, and its loss to the best.

    The loss is the best alternative's mean minus the option's mean (negative when the option is
    the best by more than the runner-up).
    """
    options, n = streams.shape
    means = streams.mean(axis=1)
    beaten = np.zeros(options, dtype=bool)
    loss = np.zeros(options)
    if options < 2 or n < 2:
        return beaten, loss
    t = t_quantile(1 - (1 - confidence) / (options - 1), n - 1)
    for a in range(options):
        others = [b for b in range(options) if b != a]
        loss[a] = max(means[b] for b in others) - means[a]
        for b in others:
            gaps = streams[b] - streams[a]
            spread_ = gaps.std(ddof=1) / math.sqrt(n)
            if gaps.mean() - t * spread_ > 0:
                beaten[a] = True
                break
    return beaten, loss


def t_quantile(level: float, dof: int) -> float:
    """Student's t quantile at ``level`` for ``dof`` degrees of freedom (Cornish-Fisher expansion)."""
    z = NormalDist().inv_cdf(level)
    v = float(dof)
    return z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v * v)


def audit_options(
    plan: Plan,
    lineup: dict[str, str],
    seed: int = 1,
    games: int = DEFAULT_GAMES,
    states: int = DEFAULT_STATES,
    playouts: int = DEFAULT_PLAYOUTS,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Audit:
    """Audit every option of ``plan`` under ``lineup`` (role -> vectorised policy name)."""
    from game.analysis.vpolicies import VECTORISED

    vectorised = {role: VECTORISED[name]() for role, name in lineup.items()}
    kept = spread(decision_states(plan, lineup, games, seed), states)
    seen: dict[str, list[tuple[int, bool, float]]] = {a: [] for a in plan.action_ids}
    for k, state in enumerate(kept):
        streams = option_streams(plan, vectorised, state, playouts, (seed, k))
        beaten, loss = judge(streams, confidence)
        for move, was_beaten, lost in zip(state.legal_actions(), beaten, loss):
            seen[move.id].append((state.turn, bool(was_beaten), float(lost)))
    verdicts = []
    for action in plan.action_ids:
        found = seen[action]
        losses = [lost for _, _, lost in found]
        verdicts.append(
            Verdict(
                action=action,
                role=plan.scenario.actions[action].role,
                open_in=len(found),
                beaten_in=sum(1 for _, b, _ in found if b),
                turns=tuple(sorted({t for t, _, _ in found})),
                mean_loss=float(np.mean(losses)) if losses else 0.0,
                least_loss=min(losses, default=0.0),
                most_loss=max(losses, default=0.0),
            )
        )
    return Audit(tuple(verdicts), games, len(kept), playouts, confidence, tuple(lineup.items()))


def as_dict(found: Audit) -> dict:
    """The audit for the JSON report."""
    return {
        "games": found.games,
        "states": found.states,
        "playouts": found.playouts,
        "confidence": found.confidence,
        "lineup": dict(found.lineup),
        "options": {
            v.action: {
                "role": v.role,
                "open_in": v.open_in,
                "beaten_in": v.beaten_in,
                "turns": list(v.turns),
                "mean_loss": v.mean_loss,
                "least_loss": v.least_loss,
                "most_loss": v.most_loss,
                "dominated": v.dominated,
            }
            for v in found.verdicts
        },
    }
