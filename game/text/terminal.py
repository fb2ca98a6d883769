"""The terminal front end: numbered choices on standard input, reports on standard output.

It reads one line per choice, so a game can be scripted (``yes first | crisis play --text``).
Every action keeps its number for the whole game (closed ones are listed as closed), in the
groups the window shows, with its id beside it; offers and the answers to them, one move per
package of terms, are not numbered. An offer is composed instead: ``o`` shows the channels
and terms, ``o 1 3 4`` what sending terms 3 and 4 through channel 1 would cost, be worth and how
likely it is to be accepted (from the side's own belief, in the odds setting), and asks before it
is sent; ``a`` and ``r`` answer an offer that waits, ``o`` counters it. A turn is shown compactly; ``d 3`` reads
choice 3 in full, ``s`` the situation in full, ``n`` the news, ``?`` the whole help, ``q``
stops. When a save file was given, the game is saved after every step, before the step's news
is printed.

Everything it prints comes from the information model: one person reads their own side's feed,
values and odds; two people at one terminal each read their own feed when the game hands over to
them; with nobody playing, the terminal watches as the spectator and says so. At the end it shows
each person what they did not know.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TextIO

from game import talks
from game.core import aim, foresight, information
from game.core import belief as beliefs
from game.core import negotiation as deals
from game.core.information import SPECTATOR, Entry
from game.core.match import Match
from game.core.model import WORLD, Action
from game.core.state import Seen, State
from game.scenario.groups import numbered
from game.scenario.lint_ranges import Interval
from game.scenario.stakes import signed, stakes_of
from game.ui import odds as odds_text

WIDTH = 78
RECENT = 10  # feed entries "n" shows

HELP = """\
Commands (type one and press Enter):
  3, ID         play choice 3, or the action whose id is ID
  first          play the first open choice (for scripts: yes first | crisis play --text)
  d 3, 3?        read choice 3 in full: what it does, its outcomes and odds, its history
  o              the channels and terms you can offer; o 1 3 4 offers terms 3 and 4
                 through channel 1 (what it costs, is worth, how likely it is taken; then y sends)
  a, r           accept or reject the offer waiting for you (o makes a counter-offer)
  s              the situation in full, and the lines where the game ends
  n              the news: the last {recent} things you heard
  ?, help        this help
  q              stop (the game is saved first when a save file was given)
Numbers stay the same all game; a closed choice keeps its number (d tells why)."""


class TextGame:
    """Plays one match in a terminal for the roles in ``people``."""

    def __init__(
        self,
        match: Match,
        people: set[str],
        read: TextIO,
        write: TextIO,
        saved: Callable[[Match], object] | None = None,
        odds: str = "exact",
    ):
        self.match = match
        self.mode = odds  # how chances are told: "exact", "bands" or "hidden"
        self.saved = saved  # called after every step (the game's save file, when it has one)
        self.people = people
        self.read = read
        self.write = write
        self.readers = sorted(people) or [SPECTATOR]
        self.printed = {reader: len(match.state.observe(reader).feed) for reader in self.readers}
        self.beliefs = {role: beliefs.Belief(match.scenario, role) for role in people}
        self.last_reader: str | None = None
        self.stakes = stakes_of(match.scenario)
        self.heard: dict[tuple, int] = {}  # remark -> last turn it was said
        self.headed: dict[str, int] = {}  # reader -> the last turn whose heading it was shown

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
            if len(self.readers) > 1:  # hot-seat: the mover reads what came of it before handing over
                self.news(role)
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
            self.say(
                "You win when your score at the ending is higher than every other side's; equal top scores draw. "
                "Type s during the game for the lines where it ends.",
                "  ",
            )
        if not self.people:
            self.say()
            self.say("You are watching as a spectator: you see every side's moves and every hidden value.")
        if self.people:  # the seed foretells every draw: a player learns it when the game is over
            self.say("(type ? at a choice for help; the game's seed is shown at the end)")
        else:
            self.say(f"(seed {self.match.seed}; type ? at a choice for help)")

    # choosing -----------------------------------------------------------------------------

    def listing(self, role: str) -> list[tuple[str, Action]]:
        """The role's actions as (group, action), numbered from 1 in this order all game."""
        return numbered(self.match.scenario, role)

    def ask(self, role: str) -> str:
        state = self.match.state
        self.situation(state, role)
        listed = [action for _, action in self.listing(role)]
        open_ids = {a.id for a in state.legal_actions()}
        name = state.scenario.roles[role].name
        while True:
            answer = read_answer(
                self.read, self.say, f"{name}, your move (a number or an id; d 3 reads choice 3; ? for help):"
            )
            if answer in (EOF, QUIT):
                return "eof" if answer == EOF else "quit"
            chosen = self._command(answer, state, role, listed, open_ids)
            if chosen:
                return chosen

    def _command(self, answer: str, state: State, role: str, listed: list[Action], open_ids: set[str]) -> str:
        """The action ``answer`` plays, or "" after answering a question or refusing it."""
        if answer in ("?", "h", "help"):
            print(HELP.format(recent=RECENT), file=self.write)
        elif answer in ("s", "status"):
            self.full_situation(state, role)
        elif answer in ("n", "news"):
            self.recent(role)
        elif answer == "o" or answer.startswith("o "):
            return self.compose(state, role, answer[1:].split())
        elif answer in ("a", "accept", "r", "reject") and talks.incoming(state.scenario, state.observe(role)):
            waiting = talks.incoming(state.scenario, state.observe(role))
            chosen = waiting.accept if answer.startswith("a") else waiting.reject
            if chosen is None:
                self.say("That offer cannot be rejected now.")
                return ""
            return chosen.id
        elif answer in ("a", "accept", "r", "reject"):
            self.say("No offer waits for your answer (o makes one).")
        elif answer == "first":
            return next(a.id for a in listed if a.id in open_ids)
        elif answer.startswith("d ") or answer.endswith("?"):
            action = self._find(answer.removeprefix("d ").removesuffix("?").strip(), listed)
            if action is None:
                self.say(f"There is no choice '{shortened(answer)}'; type a number from the list.")
            else:
                self.details(state, role, action, listed.index(action) + 1, action.id in open_ids)
        else:
            action = self._find(answer, listed)
            if action is None:
                self.say(f"'{shortened(answer)}' is not one of the choices (? lists the commands).")
            elif action.id not in open_ids:
                reason = state.render(action.unavailable, role).rstrip(". ") or "not possible now"
                self.say(f"{action.title} is closed: {reason}.")
            else:
                return action.id
        return ""

    @staticmethod
    def _find(answer: str, listed: list[Action]) -> Action | None:
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(listed):
            return listed[int(answer) - 1]
        return next((a for a in listed if a.id == answer), None)

    # showing the state --------------------------------------------------------------------

    def situation(self, state: State, role: str) -> None:
        """The turn in a few lines: the values, warnings, new advice, and the numbered choices."""
        scenario = state.scenario
        self.say()
        self.say(f"--- {state.clock():%d %B %Y, %H:%M} · turn {state.turn} of {scenario.calendar.turn_limit} ---")
        self.headed[role] = state.turn
        numbers, facts = [], []
        for seen in state.observe(role).seen:
            var = scenario.variables[seen.variable]
            if var.type == "boolean":
                if seen.value:
                    facts.append(var.label)
            elif var.type in ("place", "case"):
                facts.append(f"{var.label}: {self.value(state, seen)}")
            else:
                numbers.append(f"{var.label} {self.value(state, seen)}")
        self.say(" · ".join(numbers), "  ", "  ")
        if facts:
            self.say("Facts: " + "; ".join(facts) + ".", "  ", "    ")
        for warning in self.warnings(state, role):
            self.say(warning, "  ⚠ ", "    ")
        self.advice(state, role)
        self.choices(state, role)

    def odds(self, state: State, role: str, move: Action) -> list[beliefs.Odds]:
        """The outcomes of a move with the odds the role can work out from what it has seen."""
        return beliefs.odds(self.beliefs[role].follow(state.observe(role)), move)

    def choices(self, state: State, role: str) -> None:
        open_ids = {a.id for a in state.legal_actions()}
        deal = state.scenario.negotiation
        group = None
        for number, (name, action) in enumerate(self.listing(role), 1):
            if action.id not in open_ids and deal is not None and deal.generated(action.id):
                continue  # keeping to a deal or breaking a term: listed once a deal makes it open
            if name != group:  # a group's heading only above a choice it lists
                group = name
                self.say(name, " ")
            if action.id in open_ids:
                found = self.odds(state, role, action)
                # the likeliest outcome beside the move, unless odds are hidden: naming it would
                # tell what the hidden odds are meant to keep back
                several = len(found) > 1 and self.mode != "hidden"
                top = max(range(len(found)), key=lambda i: found[i].chance) if several else None
                shares = odds_text.percents([odds.chance for odds in found])
                likely = f" · {self.chance(found[top], shares[top])}" if top is not None else ""
                self.say(f"{number:>2}. {action.title} [{action.id}]{likely}", "  ", "      ")
            else:
                self.say(f"{number:>2}. (closed) {action.title} [{action.id}]", "  ", "      ")
        if deal is not None:
            self.table(state, role)

    def details(self, state: State, role: str, action: Action, number: int, available: bool) -> None:
        """One choice in full: its description, every outcome with its odds, why it is closed, history."""
        self.say()
        self.say(f"{number}. {action.title} [{action.id}]" + (f" · {action.group}" if action.group else ""))
        if action.description:
            self.say(state.render(action.description, role), "   ")
        if available:
            found = self.odds(state, role, action)
            shares = odds_text.percents([odds.chance for odds in found])
            for odds, share in zip(found, shares, strict=True):
                self.say(self.chance(odds, share), "   ", "     ")
                does = foresight.summary(state, role, action.outcome(odds.outcome))
                if does:
                    self.say(does, "     = ", "       ")
        else:
            self.say(f"Closed: {state.render(action.unavailable, role) or 'not possible now'}", "   ")
        if action.history is not None:
            self.say(f"In history ({action.history.when}): {action.history.note}", "   * ", "     ")

    def full_situation(self, state: State, role: str) -> None:
        """Every value the role can see, one a line, with the lines on it where the game ends."""
        scenario = state.scenario
        self.say()
        for seen in state.observe(role).seen:
            var = scenario.variables[seen.variable]
            self.say(f"{var.label}: {self.value(state, seen)}", "  ", "      ")
            for line in self.stakes.lines_of(var.id):
                ending = scenario.endings[line.ending]
                joined = f" (with {line.also})" if line.also else ""
                self.say(f"{_where(line)}{joined}: {ending.title}", "      ", "        ")

    def warnings(self, state: State, role: str) -> list[str]:
        """A line for each value near a line where an ending fires, and what that ending would mean."""
        found = []
        ranges = self._ranges(state, role)
        for seen in state.observe(role).seen:
            for line in self.stakes.lines_of(seen.variable):
                closest = seen.low if line.below else seen.high
                if line.also or not self.stakes.near(line, closest):
                    continue
                ending = state.scenario.endings[line.ending]
                result = {aim.WON: ", and you would win", aim.LOST: ", and you would lose"}.get(
                    self.stakes.outlook(ending, role, ranges), ""
                )
                label = state.scenario.variables[seen.variable].label
                found.append(f"{label} is {self.value(state, seen)}: {_where(line)}, {ending.title}{result}.")
        return found

    def _ranges(self, state: State, role: str) -> dict[str, Interval]:
        """Where the role knows each value to lie, with the clock, which everyone knows."""
        env, slots = state.env, state.scenario.slots
        ranges = {name: Interval(env[slots[name]], env[slots[name]]) for name in ("turn", "hour", "elapsed")}
        for seen in state.observe(role).seen:
            ranges[seen.variable] = Interval(seen.low, seen.high)
        return ranges

    def advice(self, state: State, role: str) -> None:
        """New remarks in full; remarks already made on the turn before, only by who keeps making them."""
        again = []
        for advice in state.advice(role):
            key = (role, advice.speaker, advice.text)
            last = self.heard.get(key)
            self.heard[key] = state.turn
            if last is not None and last >= state.turn - 1:
                again.append(advice.speaker)
                continue
            self.say(f'{advice.speaker}: "{state.render(advice.text, role)}"', "  > ", "    ")
        if again:
            self.say("Still saying the same: " + "; ".join(again) + ".", "  > ", "    ")

    def recent(self, role: str) -> None:
        """The last things the role heard, from its own feed."""
        feed = self.match.state.observe(role).feed[-RECENT:]
        if not feed:
            self.say("Nothing has happened yet.")
        for entry in feed:
            self.show(entry, role)

    def chance(self, odds: beliefs.Odds, share: str) -> str:
        """An outcome's odds as the role can work them out (``share``: its chance as a whole
        percentage among the move's others); a range where hidden values decide."""
        title = odds.title or odds.outcome
        if self.mode == "hidden":
            return title
        if self.mode == "bands":
            return f"{title} {self.told(odds.chance, odds.low, odds.high)}"
        return f"{title} {share}{odds_text.spread(odds)}"

    @staticmethod
    def value(state: State, seen: Seen) -> str:
        if seen.kind == "estimate":
            return (
                f"about {state.format_value(seen.variable, seen.low)} to {state.format_value(seen.variable, seen.high)}"
            )
        return state.format_value(seen.variable, seen.value)

    # bargaining ---------------------------------------------------------------------------

    def table(self, state: State, role: str) -> None:
        """The offer waiting for the side, and the channels it can offer through now."""
        scenario, observation = state.scenario, state.observe(role)
        belief = self.beliefs[role].follow(observation)
        waiting = talks.incoming(scenario, observation, belief)
        if waiting is not None:
            terms = "; ".join(scenario.negotiation.terms[t].title for t in waiting.terms)
            via = talks.channel_words(waiting.channel.title if waiting.channel else "")
            self.say(f"An offer waits for your answer {via}: {terms}.", "  > ", "    ")
            self.say(
                f"Worth to you if you accept: {talks.worth_words(waiting.worth)} points. a accepts, r rejects, o counters.",
                "    ",
            )
        mine = deals.standing(scenario, observation)
        if mine is not None:
            terms = "; ".join(scenario.negotiation.terms[t].title for t in mine.terms)
            via = talks.channel_words(scenario.negotiation.channels[mine.channel].title)
            self.say(f"Your offer {via} waits for an answer: {terms}.", "  > ", "    ")
        open_now = [c.title for c, open_ in talks.Composer(scenario, observation).channels() if open_]
        if open_now:
            self.say("Offers: o composes one (open now: " + "; ".join(open_now) + ").", "  > ", "    ")

    def compose(self, state: State, role: str, words: list[str]) -> str:
        """``o``: the channels and terms; ``o C T T``: that offer's preview, sent on a yes."""
        found = talks.Composer(state.scenario, state.observe(role)).command(words)
        if isinstance(found, list):
            for line in found:
                self.say(line, "", "     ")
            return ""
        return self.confirm(state, role, found)

    def confirm(self, state: State, role: str, offer) -> str:
        """What sending ``offer`` would cost and be worth and how likely it is taken; sent on y."""
        scenario = state.scenario
        belief = self.beliefs[role].follow(state.observe(role))
        found = talks.preview(state, belief, offer)
        channel = scenario.negotiation.channels[offer.channel]
        self.say()
        self.say(
            f"Offer {talks.channel_words(channel.title)}: "
            + "; ".join(scenario.negotiation.terms[t].title for t in offer.terms)
        )
        if talks.too_late(state, offer):
            self.say(talks.too_late_words(scenario.roles[offer.recipient].name), "   ", "     ")
        took = found.acceptance
        self.say(f"Accepted: {self.told(took.chance, took.low, took.high)} (by what you know)", "   ")
        self.say(f"Worth to you if agreed: {talks.worth_words(found.worth)} points", "   ")
        parts = talks.worth_parts(belief, role, offer.terms, channel)
        if len(parts) > 1:
            self.say(f"made of: {talks.parts_words(parts)}", "     ", "       ")
        for effect in found.effects:
            odds = effect.odds
            chance = "" if self.mode == "hidden" else f" {self.told(odds.chance, odds.low, odds.high)}"
            changes = f" ({', '.join(effect.changes)})" if effect.changes else ""
            self.say(f"{effect.title}{chance}{changes}", "   - ", "     ")
        return offer.id if confirmed(self.read, self.say) else ""

    def told(self, p: float, low: float, high: float) -> str:
        """A chance in the odds setting, with its range where the side cannot tell it exactly."""
        return odds_text.told(p, low, high, self.mode)

    # what happened ------------------------------------------------------------------------

    def show(self, entry: Entry, reader: str) -> None:
        scenario = self.match.scenario
        who = "Events" if entry.role == WORLD else scenario.roles[entry.role].name
        if entry.seen == "none" and not entry.changes:
            return  # only the game's end, which the ending tells
        if self.headed.get(reader, 0) < entry.turn:  # news of a turn before its situation: say which
            self.headed[reader] = entry.turn
            self.say()
            self.say(f"=== {entry.clock:%d %B %Y} · turn {entry.turn} of {scenario.calendar.turn_limit} ===")
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

    def deal_terms(self, state: State) -> None:
        """At the end, the terms agreed and which of them were kept (the end shows every secret)."""
        agreed = deals.agreed(state)
        if not agreed:
            return
        terms = state.scenario.negotiation.terms
        broken = set(deals.broken(state))
        channel = deals.carried_by(state, agreed[0])
        self.say()
        self.say(f"Terms agreed (by: {channel.title}):" if channel else "Terms agreed:")
        for tid in agreed:
            self.say(f"{terms[tid].title}: {'broken' if tid in broken else 'kept'}", "  - ", "    ")

    def ending(self) -> None:
        """The ending, why it came, each side's score and result (yours taken apart), what you did not know."""
        state = self.match.state
        scenario = state.scenario
        ending = scenario.endings[state.ending]
        scores = state.scores()
        self.say()
        self.say(f"=== {ending.title} ===")
        self.say(state.render(ending.epilogue))
        self.say(self.stakes.why(state, self.match.reports[-1] if self.match.reports else None))
        self.say()
        for role, score in scores.items():
            you = " (you)" if role in self.people else ""
            self.say(f"{scenario.roles[role].name}{you}: {score:.0f}, {aim.result(scores, role)}", "  score  ")
            if role in self.people:
                parts = [(p.label, p.expr(state.env)) for p in self.stakes.parts(state.ending, role)]
                self.say("; ".join(f"{label} {signed(value)}" for label, value in parts), "         ")
        self.deal_terms(state)
        for role in sorted(self.people):
            self.hidden_truth(state, role)
        if self.people:
            self.say()
            self.say(f"(seed {self.match.seed}: the same seed and the same choices play this game again)")
        if scenario.meta.history:
            self.say()
            self.say("What really happened:")
            self.say(scenario.meta.history, "  ")


EOF = "\x04"  # what read_answer gives when input ends
QUIT = "\x1b"  # ... and when the player stops


MAX_ANSWER = 1_000  # characters of one answer that are read; the rest of a longer line is skipped


def read_line(read: TextIO) -> str:
    """One line of input, cut to :data:`MAX_ANSWER` characters (the rest skipped, a piece at a
    time): a line of many megabytes is neither held nor echoed back whole."""
    line = read.readline(MAX_ANSWER)
    rest = line
    while rest and not rest.endswith("\n"):
        rest = read.readline(65_536)
    return line


def read_answer(read: TextIO, say: Callable[[str], None], prompt: str) -> str:
    """One answer typed at ``prompt``, stripped and lowered: EOF when input ended (which it says),
    QUIT for q, quit or exit."""
    say(prompt)
    line = read_line(read)
    if not line:
        say("Input ended before the game did.")
        return EOF
    answer = line.strip().lower()
    return QUIT if answer in ("q", "quit", "exit") else answer


def shortened(answer: str) -> str:
    """An answer as echoed back in a message: at most 60 characters."""
    return answer if len(answer) <= 60 else answer[:59] + "…"


def confirmed(read: TextIO, say: Callable[[str], None]) -> bool:
    """Whether the player answers yes to sending the offer just shown (says so when not)."""
    say("Send it? (y/n)")
    if read_line(read).strip().lower() in ("y", "yes"):
        return True
    say("Not sent (only y sends it; type your command again).")
    return False


def _where(line) -> str:
    value = f"{line.value:g}"
    return {"<=": f"at {value} or below", "<": f"below {value}", ">=": f"at {value} or above"}.get(
        line.op, f"above {value}"
    )
