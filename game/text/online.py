"""The terminal's online game: ``crisis play --text --join CODE --server URL``.

Everything it prints came from the server, which sends this seat only what the seat may know:
its own feed, the values it sees, its own moves with the odds it can work out. It reads one line
per choice, as the local terminal game does, so an online game can be scripted too. A dropped
connection is resumed by itself; after the ending it shows what this side did not know and,
with ``--save``, downloads the game as an ordinary save that ``crisis replay`` checks.
"""

from __future__ import annotations

import textwrap
import threading
from datetime import datetime
from typing import TextIO

from game import talks
from game.core import aim
from game.core.errors import CrisisError
from game.server.client import Client, ClientError, store_save
from game.text.terminal import EOF, QUIT, confirmed, read_answer, shortened

WIDTH = 78
CONNECT_SECONDS = 15.0
ODDS_SECONDS = 10.0
RECENT = 5
HELP = """\
Commands (type one and press Enter):
  3, ID     play choice 3, or the action whose id is ID
  first      play the first open choice
  d 3, 3?    read choice 3 in full: what it does and its odds, or why it is closed
  o          the channels and terms you can offer; o 1 3 4 offers terms 3 and 4 through
             channel 1 (what it costs, is worth, how likely it is taken; then y sends)
  a, r       accept or reject the offer waiting for you (o makes a counter-offer)
  s          the situation again
  n          the news: the last {recent} things you heard
  q          leave (rejoin with your code)
Numbers stay the same all game; a closed choice keeps its number."""


def board(view: dict) -> list[dict]:
    """The seat's numbered choices, open and closed, in the order of their numbers (which the
    server gives, the same all game); offers and answers to one are not among them."""
    rows = [m for m in view["moves"] if "number" in m] + list(view["closed"])
    return sorted(rows, key=lambda m: m["number"])


def _date(clock: str) -> str:
    """An ISO clock as the local game writes its date: 23 June 2023."""
    try:
        return f"{datetime.fromisoformat(clock):%d %B %Y}"
    except ValueError:
        return clock[:10]


class OnlineText:
    """One seat of an online game, played in the terminal."""

    def __init__(self, client: Client, read: TextIO, write: TextIO):
        self.client = client
        self.read = read
        self.write = write
        self.printed = 0
        self.errors = 0
        self.status = ""
        self.headed = 0  # the last turn whose heading was printed
        self.heard: dict[tuple[str, str], int] = {}  # remark -> last turn it was said
        self.turns = 0  # the scenario's turn limit, from the first view

    def say(self, text: str = "", indent: str = "", hanging: str | None = None) -> None:
        if not text:
            print(file=self.write, flush=True)
            return
        rest = indent if hanging is None else hanging
        for paragraph in text.split("\n"):
            print(textwrap.fill(paragraph, WIDTH, initial_indent=indent, subsequent_indent=rest), file=self.write)
        self.write.flush()

    def play(self, save: str | None = None) -> str:
        """Play the seat to the end ("ended"), a quit ("quit") or the end of input ("eof")."""
        client = self.client
        if not client.wait(lambda s: s.welcome is not None and s.view is not None, CONNECT_SECONDS):
            raise CrisisError(f"no answer from {client.url} (is 'crisis serve' running there?)")
        _, welcome, _, _ = client.snapshot()
        self.briefing(welcome)
        asked = -1
        while True:
            version, _, view, feed = client.snapshot()
            self.turns = view["turn_limit"]
            self.news(feed)
            if self.notes():
                asked = -1  # the move was refused: ask again
            if view["over"]:
                self.ending(view, save)
                return "ended"
            if view["your_move"] and client.pending is None and view["step"] != asked:
                asked = view["step"]
                chosen = self.ask(view)
                if chosen in ("quit", "eof"):
                    return chosen
                if chosen:
                    try:
                        client.move(chosen)
                    except ClientError as exc:
                        self.say(f"({exc})")
                continue
            client.changed_since(version, timeout=1.0)

    def notes(self) -> bool:
        """Print the server's refusals and the connection's changes; True when something was refused."""
        seat = self.client.seat
        errors = seat.errors[self.errors :]
        for error in errors:
            self.say(f"(the server refused that: {error.get('message', error.get('code'))})")
        self.errors += len(errors)
        if seat.status != self.status:
            if seat.status == "reconnecting":
                self.say("(connection lost; reconnecting...)")
            elif seat.status == "connected" and self.status == "reconnecting":
                self.say("(reconnected)")
            self.status = seat.status
        return bool(errors)

    def briefing(self, welcome: dict) -> None:
        scenario = welcome["scenario"]
        self.say(f"== {scenario['title']} ==  (online)")
        self.say(scenario["summary"])
        self.say()
        if welcome["seat"] == "spectator":
            self.say("You are watching as a spectator: you see what every side is shown in public, until the end.")
        else:
            self.say(f"You play {welcome['name']}" + (f", {welcome['title']}" if welcome["title"] else "") + ".")
            self.say(welcome["brief"], "  ")
        if welcome.get("clock"):
            self.say(f"Each move has a clock of {welcome['clock']} seconds; when it runs out the AI moves for you.")

    def news(self, feed: list[dict]) -> None:
        for entry in feed[self.printed :]:
            self.show(entry)
        self.printed = len(feed)

    def show(self, entry: dict, banner: bool = True) -> None:
        if entry["seen"] == "none" and not entry["changes"]:
            return
        clock = entry["clock"][11:16]
        if banner and self.headed < entry["turn"]:  # news of a turn before its situation: say which
            self.headed = entry["turn"]
            self.say()
            self.say(f"=== {_date(entry['clock'])} · turn {entry['turn']} of {self.turns} ===")
        self.say()
        if entry["seen"] == "none":
            self.say(f"[{clock}] (no word of what happened)")
        elif entry["seen"] == "cover":
            self.say(f"[{clock}] {entry['title']}")
        else:
            outcome = f" - {entry['outcome_title']}" if entry["outcome_title"] else ""
            self.say(f"[{clock}] {entry['by_name']}: {entry['title']}{outcome}")
        if entry["text"]:
            self.say(entry["text"], "  ")
        parts = [f"{c['label']} {c['before'] or '?'} -> {c['after'] or '?'}" for c in entry["changes"]]
        if parts:
            self.say("; ".join(parts), "  ~ ", "    ")
        if entry.get("history"):
            self.say(f"In history ({entry['history_when']}): {entry['history']}", "  * ", "    ")

    def situation(self, view: dict, again: bool = False) -> None:
        """The turn in a few lines; ``again`` (the ``s`` command) repeats every remark in full."""
        self.say()
        self.say(
            f"--- {_date(view['clock'])}, {view['clock'][11:16]} · turn {view['turn']} of {view['turn_limit']} ---"
        )
        self.headed = view["turn"]
        facts = []
        for seen in view["values"]:
            if seen["type"] == "boolean":
                if seen.get("value"):
                    facts.append(seen["label"])
                continue
            self.say(f"{seen['label']}: {seen['shown']}", "  ")
        if facts:
            self.say("Facts: " + "; ".join(facts) + ".", "  ", "    ")
        again = []
        for advice in view["advice"]:
            key = (advice["speaker"], advice["text"])
            last = self.heard.get(key)
            self.heard[key] = view["turn"]
            if last is not None and last >= view["turn"] - 1 and not again:
                again.append(advice["speaker"])
                continue
            self.say(f'{advice["speaker"]}: "{advice["text"]}"', "  > ", "    ")
        if again:
            self.say("Still saying the same: " + "; ".join(again) + ".", "  > ", "    ")
        self.choices(view)
        if view.get("deadline") is not None:
            self.say(f"(about {view['deadline']:.0f} seconds left on the clock)")

    def choices(self, view: dict) -> None:
        """The seat's numbered choices by group, open and closed, and the bargaining table."""
        group = None
        for move in board(view):
            if move.get("group") != group:
                group = move.get("group")
                self.say(group or "Moves", " ")
            odds = move.get("odds")
            if "reason" in move:
                self.say(f"{move['number']:>2}. (closed) {move['title']}", "  ", "      ")
                continue
            top = max(odds, key=lambda o: o.get("chance", 0)) if odds and len(odds) > 1 else None
            likely = f" · {top['title']} {top['shown']}" if top is not None else ""
            self.say(f"{move['number']:>2}. {move['title']}{likely}", "  ", "      ")
        if view.get("talks"):
            self.table(view)

    def details(self, move: dict) -> None:
        """One choice in full: what it does and its odds, or why it is closed."""
        self.say()
        self.say(f"{move['number']}. {move['title']}" + (f" · {move['group']}" if move.get("group") else ""))
        if "reason" in move:
            self.say(f"Closed: {move['reason']}", "   ")
            return
        if move["description"]:
            self.say(move["description"], "   ")
        for odds in move["odds"] or []:
            self.say(f"{odds['title']} {odds['shown']}", "   ", "     ")

    def ask(self, view: dict) -> str:
        # the odds (and the deal figures) follow each view: wait a moment for those of the view that
        # is shown, which may be a newer one than the view this began with (the game goes on without)
        self.client.wait(lambda s: all(m["odds"] is not None for m in s.view["moves"]), ODDS_SECONDS)
        _, _, view, _ = self.client.snapshot()
        self.situation(view)
        while True:
            answer = read_answer(self.read, self.say, "Your move (a number or an id; d 3 reads choice 3; ? for help):")
            if answer in (EOF, QUIT):
                return "eof" if answer == EOF else "quit"
            if answer in ("?", "h", "help"):
                print(HELP.format(recent=RECENT), file=self.write, flush=True)
                continue
            _, _, now, feed = self.client.snapshot()
            if now["step"] != view["step"] or not now["your_move"]:
                self.say("(too late: the game moved on while you chose)")
                return ""
            view = now  # the same step, perhaps with its odds and figures come since
            chosen = self.command(answer, view, feed)
            if chosen:
                return chosen

    def command(self, answer: str, view: dict, feed: list[dict]) -> str:
        """The move ``answer`` plays, or "" after answering a question or refusing it."""
        listed = board(view)
        by_number = {str(m["number"]): m for m in listed}
        if answer in ("s", "status"):
            self.situation(view, again=True)
        elif answer in ("n", "news"):
            if not feed:
                self.say("Nothing has happened yet.")
            for entry in feed[-RECENT:]:
                self.show(entry, banner=False)
        elif answer == "o" or answer.startswith("o "):
            return self.compose(view, answer[1:].split())
        elif answer in ("a", "accept", "r", "reject") and view.get("talks") and view["talks"]["waiting"]:
            move = talks.answer_in(view, "accept" if answer.startswith("a") else "reject")
            if move is not None:
                return move["id"]
            self.say("That offer cannot be rejected now.")
        elif answer == "first":
            return next((m["id"] for m in listed if "reason" not in m), "")
        elif answer.startswith("d ") or answer.endswith("?"):
            word = answer.removeprefix("d ").removesuffix("?").strip()
            move = by_number.get(word) or next((m for m in listed if m["id"] == word), None)
            if move is None:
                self.say(f"There is no choice '{shortened(word)}'; type a number from the list.")
            else:
                self.details(move)
        elif answer in by_number or answer in {m["id"] for m in listed}:
            move = by_number.get(answer) or next(m for m in listed if m["id"] == answer)
            if "reason" not in move:
                return move["id"]
            self.say(f"{move['number']}. {move['title']} is closed now: {move['reason']}")
        else:
            self.say(f"'{shortened(answer)}' is not one of the choices (? lists the commands).")
        return ""

    # bargaining ---------------------------------------------------------------------------

    def table(self, view: dict) -> None:
        """The offer waiting for the seat, and the channels it can offer through now."""
        table = view["talks"]
        titles = {t["id"]: t["title"] for t in table["terms"]}
        waiting = table["waiting"]
        if waiting is not None:
            terms = "; ".join(titles[t] for t in waiting["terms"])
            via = talks.channel_words(waiting["channel"])
            self.say(f"An offer waits for your answer {via}: {terms}.", "  > ", "    ")
            accept = talks.answer_in(view, "accept")
            figures = (accept or {}).get("deal")
            if figures is None:  # the figures follow the view from the server's odds worker
                worth = "not worked out yet (s shows it again)" if accept is not None else "?"
            else:
                worth = f"{figures.get('worth', {}).get('shown', '?')} points"
            self.say(f"Worth to you if you accept: {worth}. a accepts, r rejects, o counters.", "    ")
        own = table.get("standing")
        if own:
            terms = "; ".join(titles.get(t, t) for t in own["terms"])
            self.say(f"Your offer {talks.channel_words(own['channel'])} waits for an answer: {terms}.", "  > ", "    ")
        open_now = [c["title"] for c in table["channels"] if c["open"]]
        if open_now:
            self.say("Offers: o composes one (open now: " + "; ".join(open_now) + ").", "  > ", "    ")

    def compose(self, view: dict, words: list[str]) -> str:
        """``o``: the channels and terms; ``o C T T``: that offer's preview, sent on a yes."""
        _, welcome, _, _ = self.client.snapshot()
        if not view.get("talks"):
            self.say("No offer can be made now.")
            return ""
        try:
            table, offers = talks.table_of(view["talks"], view["moves"], welcome["seat"])
        except ValueError as exc:
            self.say(f"(the server's offer table cannot be read: {exc})")
            return ""
        found = talks.Composer.of(table, welcome["seat"], offers).command(words)
        if isinstance(found, list):
            for line in found:
                self.say(line, "", "     ")
            return ""
        return self.confirm(view, table, found)

    def confirm(self, view: dict, table: talks.Table, offer) -> str:
        """The offer's cost, worth and chance of acceptance as the server worked them out from this
        side's belief; sent on y."""
        move = next(m for m in view["moves"] if m["id"] == offer.id)
        figures = move.get("deal") or {}
        self.say()
        self.say(
            f"Offer {talks.channel_words(table.channels[offer.channel].title)}: "
            + "; ".join(table.terms[t].title for t in offer.terms)
        )
        late = talks.sent_too_late(move, (view.get("talks") or {}).get("channels"), offer.channel)
        if late:
            self.say(talks.too_late_words(late), "   ", "     ")
        self.say(f"Accepted: {figures.get('accepted', {}).get('shown', '?')} (by what you know)", "   ")
        self.say(f"Worth to you if agreed: {figures.get('worth', {}).get('shown', '?')} points", "   ")
        parts = talks.sent_parts(figures)
        if len(parts) > 1:
            self.say(f"made of: {talks.parts_words(parts)}", "     ", "       ")
        for odds in move["odds"] or []:
            self.say(f"{odds['title']} {odds['shown']}", "   - ", "     ")
        return offer.id if confirmed(self.read, self.say) else ""

    def ending(self, view: dict, save: str | None) -> None:
        over = view["over"]
        _, welcome, _, _ = self.client.snapshot()
        names = {r["id"]: r["name"] for r in welcome["scenario"]["roles"]}
        self.say()
        self.say(f"=== {over['title']} ===")
        self.say(over["epilogue"])
        self.say()
        seat = welcome["seat"]
        for role, score in over["scores"].items():
            mine = f" (you): {score:.0f}, {aim.result(over['scores'], role)}" if role == seat else f": {score:.0f}"
            self.say(f"{names.get(role, role)}{mine}", "  score  ")
        self.client.request("reveal")
        if self.client.wait(lambda s: s.reveal is not None, CONNECT_SECONDS):
            reveal = self.client.seat.reveal
            if reveal["values"] or reveal["moves"]:
                self.say()
                self.say("What you did not know:")
            for value in reveal["values"]:
                self.say(
                    f"{value['label']}: {value['truth']} (you saw {value['you_saw'] or 'nothing'})", "  - ", "    "
                )
            for move in reveal["moves"]:
                told = f"turn {move['turn']}, {move['by_name']}: {move['title']} - {move['outcome_title']}"
                self.say(told, "  - ", "    ")
        if save:
            self.client.request("download")
            if not self.client.wait(lambda s: s.save is not None, CONNECT_SECONDS):
                raise CrisisError("the server did not send the game's save")
            store_save(self.client.seat.save, save)
            self.say()
            self.say(f"saved to {save}; verify it with: crisis replay {save}")


def play_online(url: str, code: str, read: TextIO, write: TextIO, save: str | None = None) -> str:
    """Join the seat of ``code`` on the server at ``url`` and play it in the terminal."""
    try:
        import websockets  # noqa: F401
    except ImportError:
        raise CrisisError("online play needs the websockets package: pip install 'crisis[online]'") from None
    client = Client(url, code).start()
    try:
        return OnlineText(client, read, write).play(save)
    except ClientError as exc:
        raise CrisisError(f"the server refused: {exc}") from None
    finally:
        threading.Thread(target=client.close, daemon=True).start()
