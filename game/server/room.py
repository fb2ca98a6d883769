"""One game on the server: its match, its seats and what each reader has been shown.

A room holds the match (and so the game's one generator), plays the world's and the AI's steps,
checks a person's move against the seat, the expected step and the core's legal moves, and
keeps, per reader, its feed as sent data (odds are worked out apart, by
:mod:`game.server.odds`). It knows nothing of sockets: the server (:mod:`game.server.server`)
carries its messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.core.errors import IllegalAction
from game.core.match import Match, Policy
from game.core.model import WORLD, Scenario
from game.saves import Save, replay, save_data
from game.server import views
from game.server.journal import GameRow, StepRow
from game.server.protocol import Refusal

SPECTATE = "spectator"  # the seat name of a spectator code


def ai_policy(name: str) -> Policy:
    from game.ai import STRENGTHS, make_policy

    return make_policy(STRENGTHS.get(name, name))


@dataclass
class Room:
    """A game being played (or finished) on the server."""

    id: str
    scenario: Scenario
    config: dict[str, Any]
    match: Match
    moves: dict[tuple[str, str], int] = field(default_factory=dict)  # (seat, move id) -> step it was played at
    feeds: dict[str, list[dict]] = field(default_factory=dict)  # reader -> its feed as data
    journaled: int = 0  # steps already in the journal
    clients: set = field(default_factory=set)
    busy: bool = False  # an AI is thinking on a worker thread
    deadline: float | None = None  # loop time by which the person to move must move
    timer: Any = None
    shown: Any = None  # (state, step) as last settled on the server's loop: what views are made from

    def __post_init__(self) -> None:
        self.settle()

    def settle(self) -> None:
        """Take the match's present as what readers are shown (never while a worker plays)."""
        self.shown = (self.match.state, len(self.match.steps))

    @classmethod
    def new(cls, game: str, scenario: Scenario, config: dict[str, Any], seed: int) -> Room:
        match = Match(scenario, seed=seed, policies=_policies(scenario, config))
        return cls(game, scenario, config, match)

    @classmethod
    def restore(cls, row: GameRow, scenario: Scenario, steps: list[StepRow]) -> Room:
        """The room as the journal left it: its steps replayed from the seed, each one checked."""
        save = Save(
            row.scenario,
            row.digest,
            row.path,
            row.seed,
            row.numpy,
            (),
            tuple(s.step for s in steps),
            row.over,
        )
        match = replay(save, scenario)
        match.policies = _policies(scenario, row.config)
        room = cls(row.id, scenario, row.config, match)
        room.journaled = len(steps)
        for index, step in enumerate(steps):
            if step.move:
                room.moves[(step.step.role, step.move)] = index
        return room

    # reading -------------------------------------------------------------------------------

    @property
    def step(self) -> int:
        return self.shown[1]

    @property
    def over(self) -> bool:
        return self.match.is_over()

    def seats(self) -> dict[str, str]:
        return dict(self.config["seats"])

    def person_to_move(self) -> str | None:
        return None if self.busy else self.match.waiting_for_person()

    def auto_to_move(self) -> str | None:
        """The world or an AI seat, when one of them is to move (and nobody is thinking yet)."""
        if self.busy or self.match.is_over():
            return None
        role = self.match.state.current_role()
        if role is None or self.match.waiting_for_person() is not None:
            return None
        return role

    def feed(self, reader: str, observation=None) -> list[dict]:
        """The reader's feed as data, extended with what is new since it was last asked for."""
        state = self.shown[0]
        done = self.feeds.setdefault(reader, [])
        entries = (observation or state.observe(reader)).feed
        for entry in entries[len(done) :]:
            done.append(views.entry_data(state, entry))
        return done

    def view(self, reader: str, start: int) -> dict[str, Any]:
        """A ``view`` message for ``reader``, with its feed from item ``start`` on."""
        state = self.shown[0]
        observation = state.observe(reader)
        if self.busy:
            out = views.situation(state, views.PUBLIC, "hidden")  # while an AI thinks no moves are open
            out["values"] = [views.seen_data(state, s) for s in observation.seen]
        else:
            out = views.situation(state, reader, self.config["odds"], observation)
        feed = self.feed(reader, observation)
        out.update(type="view", game=self.id, step=self.step, feed_start=start, feed=feed[start:])
        out["seat"] = reader if reader != views.PUBLIC else SPECTATE
        return out

    def wants_odds(self, reader: str, step: int) -> bool:
        """Whether odds for ``reader`` at ``step`` are still of use: the step is the present and
        the reader is to move at it."""
        state, now = self.shown
        return now == step and not self.busy and reader in self.scenario.roles and state.current_role() == reader

    def save(self) -> dict[str, Any]:
        if not self.over:
            raise Refusal("not_over", "the game is still on: its save holds every secret, so it is given after the end")
        return {"type": "save", "game": self.id, "save": save_data(self.match)}

    def reveal(self, reader: str) -> dict[str, Any]:
        if not self.over:
            raise Refusal("not_over", "what each side did not know is told once the game has ended")
        out = views.reveal(self.match.state, reader)
        out["game"] = self.id
        return out

    # moving --------------------------------------------------------------------------------

    def check_move(self, seat: str, move_id: str, step: int, action: str) -> int | None:
        """Refuse a move that cannot be played; the step it was already played at if it is a repeat."""
        known = self.moves.get((seat, move_id))
        if known is not None:
            return known
        if seat == SPECTATE:
            raise Refusal("spectator", "a spectator cannot move", move_id)
        if self.over:
            raise Refusal("game_over", "the game has ended", move_id)
        if self.person_to_move() != seat:
            raise Refusal("not_your_turn", f"it is not {seat}'s move now", move_id)
        if step != self.step:
            raise Refusal(
                "stale_step", f"the move was meant for step {step}, but the game is at step {self.step}", move_id
            )
        if action not in {m.id for m in self.match.state.legal_actions()}:
            raise Refusal("illegal_move", f"'{action}' is not one of {seat}'s open moves now", move_id)
        return None

    def play_person(self, seat: str, move_id: str, action: str) -> None:
        try:
            self.match.play(action)
        except IllegalAction as exc:  # checked above; kept as a refusal if the core disagrees
            raise Refusal("illegal_move", str(exc), move_id) from None
        self.moves[(seat, move_id)] = len(self.match.steps) - 1
        self.settle()

    def play_world(self) -> None:
        self.match.play()
        self.settle()

    def play_for(self, role: str, policy: Policy) -> None:
        """A seat's move chosen by ``policy`` (the AI's, or the clock's when time ran out)."""
        mine = role in self.match.policies
        self.match.policies[role] = policy
        try:
            self.match.play()
        finally:
            if not mine:
                del self.match.policies[role]

    def unjournaled(self) -> tuple[int, list[StepRow]]:
        """The steps not yet journaled (with the move ids of people's moves), and where they start."""
        first = self.journaled
        by_step = {index: move for (_, move), index in self.moves.items() if index >= first}
        rows = [StepRow(step, by_step.get(first + i, "")) for i, step in enumerate(self.match.steps[first:])]
        return first, rows


def _policies(scenario: Scenario, config: Mapping[str, Any]) -> dict[str, Policy]:
    seats = config["seats"]
    return {role: ai_policy(config["ai"]) for role in scenario.roles if seats.get(role) != "person" and role != WORLD}
