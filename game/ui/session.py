"""One game as the window plays it: the scenario, the match, who sits at the screen, the options.

The session decides who moves next and how (a person at the screen, the opponent's policy, the
world's dice); it never draws. Saves, loads and the author's reload go through here so the scenes
stay about showing things.

Saves go through :class:`game.saves.SaveFile`: the file given with ``--save`` is held by the
session for its whole game (another game saving there is refused at once) and replaced
atomically after every step; a save to another path takes that path's lock for one write. A save
is opened with the scenario :func:`game.saves_commands.find_scenario_for` finds for it: the file
it was made with, or a bundled or player's scenario with its id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from game.ai import make_policy
from game.ai.strengths import DEFAULT_STRENGTH, STRENGTHS
from game.core.errors import CrisisError
from game.core.match import Match, Policy, new_seed
from game.core.model import WORLD, Scenario
from game.core.state import Report, State
from game.files import resolve, same_file
from game.saves import Save, SaveError, SaveFile, read_save, restore, write_save
from game.saves_commands import find_scenario_for
from game.scenario.loader import load_scenario

STRENGTH_NAMES = tuple(STRENGTHS)
BOTH = "both"
NOBODY = "none"


@dataclass(frozen=True)
class Settings:
    """What the new-game screen (or the command line) chose."""

    scenario_path: Path
    seat: str  # a role id, BOTH for hot-seat, NOBODY to watch
    opponent: str = DEFAULT_STRENGTH
    seed: int | None = None
    odds: str = "exact"


def policy_for(opponent: str | None) -> Policy:
    """The policy behind a strength or policy name (CrisisError names the known ones)."""
    return make_policy(STRENGTHS.get(opponent or DEFAULT_STRENGTH, opponent or DEFAULT_STRENGTH))


def human_roles(scenario: Scenario, seat: str) -> tuple[str, ...]:
    """The roles that people at this screen play; CrisisError for a side nobody can play."""
    playable = tuple(r.id for r in scenario.roles.values() if r.playable)
    if seat == BOTH:
        return playable
    if seat in playable:
        return (seat,)
    if seat in (NOBODY, ""):
        return ()
    known = ", ".join((*playable, BOTH, NOBODY))
    raise CrisisError(f"'{seat}' is not a side you can play in {scenario.meta.title} (choose from: {known})")


class Session:
    """A match in progress and the people playing it."""

    def __init__(self, scenario: Scenario, settings: Settings, match: Match | None = None, autopilot: bool = False):
        self.scenario = scenario
        self.settings = settings
        self.humans = human_roles(scenario, settings.seat)
        # in autopilot (spectating, recording) the people's seats are filled by the opponent's policy
        self.autopilot = autopilot or not self.humans
        if match is None:
            seed = new_seed() if settings.seed is None else settings.seed
            match = Match(scenario, seed=seed, policies=self._policies())
            match.start()  # the hidden starting values are where the game begins, not news to show
        else:
            match.policies = self._policies()
        self.match = match
        self.settings = replace(settings, seed=match.seed)
        self.save_path: Path | None = None
        self.journal: SaveFile | None = None  # the --save file, held for the whole game

    def hold(self, path: Path) -> None:
        """Hold ``path`` for this game's saves (SaveError when another game is saving there)."""
        if same_file(path, self.settings.scenario_path):
            raise SaveError(f"cannot write the save {path}: it is the scenario file being played; choose another file")
        if self.journal is None or not _same(self.journal.path, path):
            self.release()
            self.journal = SaveFile(path)

    def release(self) -> None:
        """Let go of the held save file (the game is over for the window, or replaced)."""
        journal, self.journal = self.journal, None
        if journal is not None:
            journal.close()

    def _policies(self) -> dict[str, Policy]:
        people = () if self.autopilot else self.humans
        return {role: policy_for(self.settings.opponent) for role in self.scenario.roles if role not in people}

    # reading --------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self.match.state

    @property
    def hotseat(self) -> bool:
        """Several people share the screen (also when a recording plays their seats for them)."""
        return len(self.humans) > 1

    def person_to_move(self) -> str | None:
        """The role a person at the screen must choose for now, or None."""
        return self.match.waiting_for_person()

    def seat_of_move(self) -> str | None:
        """The human seat whose cards should show now (in autopilot too), or None."""
        role = self.state.current_role()
        return role if role in self.humans else None

    def viewer(self, fallback: str | None = None) -> str | None:
        """Whose eyes the screen shows: the one person, the seat to move in hot-seat, or nobody."""
        if len(self.humans) == 1:
            return self.humans[0]
        if self.hotseat:
            role = self.state.current_role()
            return role if role in self.humans else fallback
        return None

    def role_name(self, role: str) -> str:
        if role == WORLD:
            return "Events"
        found = self.scenario.roles.get(role)
        return found.name if found else role

    # moving ---------------------------------------------------------------------------

    def play(self, action: str | None = None) -> Report:
        """One step: a person's ``action``, or whatever the policy or the world does."""
        return self.match.play(action)

    def can_undo(self) -> bool:
        """Whether a person's last move may be taken back now (nothing has happened since)."""
        return not self.autopilot and self.match.can_undo()

    def undo(self) -> None:
        """Take back the last move of a person at the screen (IllegalAction when it cannot be)."""
        self.match.undo()

    def reload(self) -> tuple[Session, bool]:
        """The scenario read again from disk, with the people's moves so far replayed.

        Returns the new session and whether every move could be replayed (if not, the game
        restarts from the beginning at the same seed). Raises ScenarioError for a broken file.
        """
        scenario = load_scenario(self.settings.scenario_path)
        fresh = Session(scenario, self.settings, autopilot=self.autopilot)
        people = [s.action for s in self.match.steps if s.role != WORLD and not s.by]
        try:
            fresh._replay(people)
        except CrisisError:
            return Session(scenario, self.settings, autopilot=self.autopilot), False
        return fresh, True

    def _replay(self, people: list[str]) -> None:
        moves = iter(people)
        match = self.match
        while not match.is_over():
            if match.waiting_for_person() is None:
                match.play()
                continue
            move = next(moves, None)
            if move is None:
                return
            match.play(move)
        if next(moves, None) is not None:
            raise CrisisError("the game ends earlier now")


def start_session(settings: Settings, autopilot: bool = False, scenario: Scenario | None = None) -> Session:
    """A new session: reads the scenario unless given (ScenarioError tells what is wrong with the file)."""
    return Session(scenario or load_scenario(settings.scenario_path), settings, autopilot=autopilot)


def save_session(session: Session, path: Path) -> Path:
    """Write the session's match to ``path``: through the file it holds when that is ``path``,
    else through a SaveFile taken for this one write (locked, atomic)."""
    journal = session.journal
    if journal is not None and _same(journal.path, path):
        return journal.write(session.match)
    return write_save(session.match, path)


def _same(a: Path, b: Path) -> bool:
    return resolve(a) == resolve(b)


def scenario_for(save: Save, settings: Settings) -> Path:
    """The scenario file to open ``save`` with: the one :func:`find_scenario_for` finds, else the
    window's own scenario when it has the save's id (the save's check then says if it differs)."""
    try:
        return find_scenario_for(save, None)
    except CrisisError as exc:
        own = settings.scenario_path
        if own.stem == save.scenario_id and own.is_file():
            return own
        raise SaveError(f"{exc}".replace("pass it with --scenario PATH", "open the game with that scenario")) from None


def load_session(path: Path, settings: Settings, autopilot: bool = False) -> Session:
    """A session from a save file; SaveError or ScenarioError says what is wrong with it."""
    save = read_save(path)
    scenario_path = scenario_for(save, settings)
    scenario = load_scenario(scenario_path)
    seat = settings.seat
    if seat not in (BOTH, NOBODY) and seat not in scenario.roles:
        seat = _seat_from(save.policies, scenario)
    settings = replace(settings, scenario_path=scenario_path, seat=seat, seed=save.seed)
    match = restore(save, scenario, {})
    session = Session(scenario, settings, match=match, autopilot=autopilot)
    session.save_path = Path(path)
    return session


def _seat_from(policies: tuple[tuple[str, str], ...], scenario: Scenario) -> str:
    """The seat a save was played from: the playable roles no policy played."""
    by_ai = {role for role, _ in policies}
    people = [r.id for r in scenario.roles.values() if r.playable and r.id not in by_ai]
    if len(people) == 1:
        return people[0]
    return BOTH if people else NOBODY
