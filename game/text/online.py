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
from typing import TextIO

from game.core.errors import CrisisError
from game.server.client import Client, ClientError, store_save

WIDTH = 78
CONNECT_SECONDS = 15.0
ODDS_SECONDS = 10.0


class OnlineText:
    """One seat of an online game, played in the terminal."""

    def __init__(self, client: Client, read: TextIO, write: TextIO):
        self.client = client
        self.read = read
        self.write = write
        self.printed = 0
        self.errors = 0
        self.status = ""

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

    def show(self, entry: dict) -> None:
        if entry["seen"] == "none" and not entry["changes"]:
            return
        clock = entry["clock"][11:16]
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

    def situation(self, view: dict) -> None:
        self.say()
        self.say(f"--- {view['clock'][:10]} {view['clock'][11:16]} · turn {view['turn']} of {view['turn_limit']} ---")
        facts = []
        for seen in view["values"]:
            if seen["type"] == "boolean":
                if seen.get("value"):
                    facts.append(seen["label"])
                continue
            self.say(f"{seen['label']}: {seen['shown']}", "  ")
        if facts:
            self.say("Facts: " + "; ".join(facts) + ".", "  ", "    ")
        for advice in view["advice"]:
            self.say(f'{advice["speaker"]}: "{advice["text"]}"', "  > ", "    ")
        self.say()
        for number, move in enumerate(view["moves"], 1):
            self.say(f"{number}. {move['title']}: {move['description']}", "  ", "      ")
            if move["odds"]:
                self.say("odds: " + ", ".join(f"{o['title']} {o['shown']}" for o in move["odds"]), "      ")
        for move in view["closed"]:
            self.say(f"-  {move['title']} (closed: {move['reason']})", "  ")
        if view.get("deadline") is not None:
            self.say(f"(about {view['deadline']:.0f} seconds left on the clock)")

    def ask(self, view: dict) -> str:
        step = view["step"]
        self.client.wait(  # the odds follow the view; wait a moment for them (the game goes on without)
            lambda s: s.view["step"] != step or all(m["odds"] is not None for m in s.view["moves"]), ODDS_SECONDS
        )
        self.situation(view)
        moves = view["moves"]
        while True:
            self.say(f"Your move (1-{len(moves)}, ? for help, q to stop):")
            line = self.read.readline()
            if not line:
                self.say("Input ended before the game did.")
                return "eof"
            answer = line.strip().lower()
            if answer in ("q", "quit", "exit"):
                return "quit"
            if answer in ("?", "h", "help"):
                self.say("Type the number of an action (or its id) and press Enter; q leaves (rejoin with your code).")
                continue
            _, _, now, _ = self.client.snapshot()
            if now["step"] != view["step"] or not now["your_move"]:
                self.say("(too late: the game moved on while you chose)")
                return ""
            if answer.isdigit() and 1 <= int(answer) <= len(moves):
                return moves[int(answer) - 1]["id"]
            if answer in [m["id"] for m in moves]:
                return answer
            self.say(f"'{answer}' is not one of the choices.")

    def ending(self, view: dict, save: str | None) -> None:
        over = view["over"]
        _, welcome, _, _ = self.client.snapshot()
        names = {r["id"]: r["name"] for r in welcome["scenario"]["roles"]}
        self.say()
        self.say(f"=== {over['title']} ===")
        self.say(over["epilogue"])
        self.say()
        for role, score in over["scores"].items():
            self.say(f"{names.get(role, role)}: {score:.0f}", "  score  ")
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
                self.say(f"turn {move['turn']}, {move['by_name']}: {move['title']} - {move['outcome_title']}", "  - ")
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
