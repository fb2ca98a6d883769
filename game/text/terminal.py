"""The terminal front end: numbered choices on standard input, reports on standard output.

It reads one line per choice, so a game can be scripted (``yes 1 | crisis play --text``).
A line is a number from the list, an action id, ``?`` for help, or ``q`` to stop (the game is
saved first when a save file was given).
"""

from __future__ import annotations

import textwrap
from typing import TextIO

from game.core.match import Match
from game.core.model import WORLD
from game.core.state import Report, Seen, State

WIDTH = 78


class TextGame:
    """Plays one match in a terminal for the roles in ``people``."""

    def __init__(self, match: Match, people: set[str], read: TextIO, write: TextIO):
        self.match = match
        self.people = people
        self.read = read
        self.write = write

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
        self.briefing()
        while not self.match.is_over():
            role = self.match.waiting_for_person()
            if role is None:
                self.show(self.match.play())
                continue
            chosen = self.ask(role)
            if chosen in ("quit", "eof"):
                return chosen
            self.show(self.match.play(chosen))
        self.ending()
        return "ended"

    def briefing(self) -> None:
        scenario = self.match.scenario
        self.say(f"== {scenario.meta.title} ==")
        self.say(scenario.meta.summary)
        for role in sorted(self.people):
            r = scenario.roles[role]
            self.say()
            self.say(f"You play {r.name}" + (f", {r.title}" if r.title else "") + ".")
            self.say(r.brief, "  ")
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
        for number, move in enumerate(state.legal_actions(), 1):
            odds = ", ".join(f"{o.title or o.id} {p:.0%}" for o, p in state.outcomes(move))
            self.say(f"{number}. {move.title}: {move.description}", "  ", "      ")
            self.say(f"odds: {odds}", "      ")
        for move in state.unavailable_actions():
            self.say(f"-  {move.title} (closed: {move.unavailable or 'not possible now'})", "  ")

    @staticmethod
    def value(state: State, seen: Seen) -> str:
        if seen.kind == "estimate":
            return (
                f"about {state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
            )
        return state.format_value(seen.variable, seen.value)

    def show(self, report: Report) -> None:
        if report.quiet:
            return
        scenario = self.match.scenario
        who = "Events" if report.role == WORLD else scenario.roles[report.role].name
        self.say()
        self.say(f"[{report.clock:%H:%M}] {who}: {report.title}")
        self.say(report.text, "  ")
        visible = {s.variable for role in self.people for s in self.match.state.observe(role).seen if s.kind == "exact"}
        shown = [c for c in report.changes if c.variable in visible or not self.people]
        if shown:
            parts = [
                f"{scenario.variables[c.variable].label} {self.match.state.format_value(c.variable, c.before)}"
                f" -> {self.match.state.format_value(c.variable, c.after)}"
                for c in shown
            ]
            self.say("; ".join(parts), "  ~ ", "    ")
        if report.history is not None and report.history.note:
            self.say(f"In history ({report.history.when}): {report.history.note}", "  * ", "    ")

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
        if scenario.meta.history:
            self.say()
            self.say("What really happened:")
            self.say(scenario.meta.history, "  ")
