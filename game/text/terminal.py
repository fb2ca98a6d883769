"""The terminal front end: numbered choices on standard input, reports on standard output.

It reads one line per choice, so a game can be scripted (``yes 1 | crisis play --text``).
A line is a number from the list, an action id, ``?`` for help, or ``q`` to stop. When a save
file was given, the game is saved after every step, before the step's news is printed.

Everything it prints comes from the information model: one person reads their own side's feed,
values and odds; two people at one terminal each read their own feed when the game hands over to
them; with nobody playing, the terminal watches as the spectator and says so. At the end it shows
each person what they did not know.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TextIO

from game.core import belief as beliefs
from game.core import information
from game.core.information import SPECTATOR, Entry
from game.core.match import Match
from game.core.model import WORLD
from game.core.state import Seen, State

WIDTH = 78


class TextGame:
    """Plays one match in a terminal for the roles in ``people``."""

    def __init__(
        self,
        match: Match,
        people: set[str],
        read: TextIO,
        write: TextIO,
        saved: Callable[[Match], object] | None = None,
    ):
        self.match = match
        self.saved = saved  # called after every step (the game's save file, when it has one)
        self.people = people
        self.read = read
        self.write = write
        self.readers = sorted(people) or [SPECTATOR]
        self.printed = {reader: len(match.state.observe(reader).feed) for reader in self.readers}
        self.beliefs = {role: beliefs.Belief(match.scenario, role) for role in people}
        self.last_reader: str | None = None

    def say(self, text: str = "", indent: str = "", hanging: str | None = None) -> None:
        """Print wrapped text; ``hanging`` indents the continuation lines (default: as the first)."""
        if not text:
            print(file=self.write)
            return
        rest = indent if hanging is None else hanging
        for paragraph in text.split("\n"):
            print(textwrap.fill(paragraph, WIDTH, initial_indent=indent, subsequent_indent=rest), file=self.write)

    def play(self) -> str:
        """Play until the ending ("ended"), a quit ("quit") or the end of input ("eof")."""
        self.match.start()
        self.keep()
        self.briefing()
        while not self.match.is_over():
            role = self.match.waiting_for_person()
            if role is None:
                self.step()
                continue
            self.hand_over(role)
            chosen = self.ask(role)
            if chosen in ("quit", "eof"):
                return chosen
            self.step(chosen)
        for reader in self.readers:
            self.news(reader, force=True)
        self.ending()
        return "ended"

    def step(self, move: str | None = None) -> None:
        """One step of the match, saved (when there is a save file) before its news is printed."""
        self.match.play(move)
        self.keep()
        self.news()

    def keep(self) -> None:
        if self.saved is not None:
            self.saved(self.match)

    def news(self, reader: str | None = None, force: bool = False) -> None:
        """Print what is new in a reader's feed: the one person's, or the spectator's. With several
        people at the terminal each reads their own when the game hands over to them."""
        if reader is None:
            if len(self.readers) > 1:
                return
            reader = self.readers[0]
        feed = self.match.state.observe(reader).feed
        for entry in feed[self.printed[reader] :]:
            self.show(entry, reader)
        self.printed[reader] = len(feed)

    def hand_over(self, role: str) -> None:
        """In hot-seat, announce whose turn it is and show them their own news since last time."""
        if len(self.readers) < 2:
            return
        if self.last_reader != role:
            self.say()
            self.say(f"=== Over to {self.match.scenario.roles[role].name}. (The other side should look away.) ===")
            self.last_reader = role
        self.news(role, force=True)

    def briefing(self) -> None:
        scenario = self.match.scenario
        self.say(f"== {scenario.meta.title} ==")
        self.say(scenario.meta.summary)
        for role in sorted(self.people):
            r = scenario.roles[role]
            self.say()
            self.say(f"You play {r.name}" + (f", {r.title}" if r.title else "") + ".")
            self.say(r.brief, "  ")
        if not self.people:
            self.say()
            self.say("You are watching as a spectator: you see every side's moves and every hidden value.")
        self.say(f"(seed {self.match.seed})")

    def ask(self, role: str) -> str:
        state = self.match.state
        self.situation(state, role)
        moves = state.legal_actions()
        while True:
            self.say(f"{state.scenario.roles[role].name}, your move (1-{len(moves)}, ? for help, q to stop):")
            line = self.read.readline()
            if not line:
                self.say("Input ended before the game did.")
                return "eof"
            answer = line.strip().lower()
            if answer in ("q", "quit", "exit"):
                return "quit"
            if answer in ("?", "h", "help"):
                self.say("Type the number of an action (or its id) and press Enter; q stops the game.")
                continue
            if answer.isdigit() and 1 <= int(answer) <= len(moves):
                return moves[int(answer) - 1].id
            ids = [m.id for m in moves]
            if answer in ids:
                return answer
            self.say(f"'{answer}' is not one of the choices.")

    def situation(self, state: State, role: str) -> None:
        scenario = state.scenario
        self.say()
        self.say(f"--- {state.clock():%d %B %Y, %H:%M} · turn {state.turn} of {scenario.calendar.turn_limit} ---")
        facts = []
        for seen in state.observe(role).seen:
            var = scenario.variables[seen.variable]
            if var.type == "boolean":
                if seen.value:
                    facts.append(var.label)
                continue
            self.say(f"{var.label}: {self.value(state, seen)}", "  ")
        if facts:
            self.say("Facts: " + "; ".join(facts) + ".", "  ", "    ")
        for advice in state.advice(role):
            self.say(f'{advice.speaker}: "{advice.text}"', "  > ", "    ")
        self.say()
        belief = self.beliefs[role].follow(state.observe(role))
        for number, move in enumerate(state.legal_actions(), 1):
            odds = ", ".join(self.chance(o) for o in beliefs.odds(belief, move))
            self.say(f"{number}. {move.title}: {state.render(move.description, role)}", "  ", "      ")
            self.say(f"odds: {odds}", "      ")
        for move in state.unavailable_actions():
            self.say(f"-  {move.title} (closed: {move.unavailable or 'not possible now'})", "  ")

    @staticmethod
    def chance(odds: beliefs.Odds) -> str:
        """An outcome's odds as the role can work them out; a range where hidden values decide."""
        title = odds.title or odds.outcome
        if odds.exact or round(odds.low * 100) == round(odds.high * 100):
            return f"{title} {odds.chance:.0%}"
        return f"{title} {odds.chance:.0%} ({odds.low:.0%}-{odds.high:.0%})"

    @staticmethod
    def value(state: State, seen: Seen) -> str:
        if seen.kind == "estimate":
            return (
                f"about {state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
            )
        return state.format_value(seen.variable, seen.value)

    def show(self, entry: Entry, reader: str) -> None:
        scenario = self.match.scenario
        who = "Events" if entry.role == WORLD else scenario.roles[entry.role].name
        if entry.seen == "none" and not entry.changes:
            return  # only the game's end, which the ending tells
        self.say()
        if entry.seen == "none":
            self.say(f"[{entry.clock:%H:%M}] (no word of what happened)")
        elif entry.seen == "cover":
            self.say(f"[{entry.clock:%H:%M}] {entry.title}")
        else:
            outcome = f" - {entry.outcome_title}" if entry.outcome_title else ""
            self.say(f"[{entry.clock:%H:%M}] {who}: {entry.title}{outcome}")
        if entry.text:
            self.say(entry.text, "  ")
        parts = [self.shift(c) for c in entry.changes]
        if parts:
            self.say("; ".join(parts), "  ~ ", "    ")
        if entry.history is not None and entry.history.note:
            self.say(f"In history ({entry.history.when}): {entry.history.note}", "  * ", "    ")

    def shift(self, change) -> str:
        state = self.match.state
        label = state.scenario.variables[change.variable].label

        def shown(seen: Seen | None) -> str:
            return "?" if seen is None else self.value(state, seen)

        return f"{label} {shown(change.before)} -> {shown(change.after)}"

    def hidden_truth(self, state: State, role: str) -> None:
        """What ``role`` did not know: the values it never saw exactly, and the moves it never saw."""
        scenario = state.scenario
        values = information.unseen(state, role)
        moves = information.secrets(state, role)
        if not values and not moves:
            return
        self.say()
        self.say(f"What {scenario.roles[role].name} did not know:")
        for variable, mine, truth in values:
            label = scenario.variables[variable].label
            guess = "nothing" if mine is None else self.value(state, mine)
            self.say(f"{label}: {state.format_value(variable, truth)} (you saw {guess})", "  - ", "    ")
        for _, entry in moves:
            who = "Events" if entry.role == WORLD else scenario.roles[entry.role].name
            self.say(f"turn {entry.turn}, {who}: {entry.title} - {entry.outcome_title}", "  - ", "    ")

    def ending(self) -> None:
        state = self.match.state
        scenario = state.scenario
        ending = scenario.endings[state.ending]
        self.say()
        self.say(f"=== {ending.title} ===")
        self.say(state.render(ending.epilogue))
        self.say()
        for role, score in state.scores().items():
            self.say(f"{scenario.roles[role].name}: {score:.0f}", "  score  ")
        for role in sorted(self.people):
            self.hidden_truth(state, role)
        if scenario.meta.history:
            self.say()
            self.say("What really happened:")
            self.say(scenario.meta.history, "  ")
