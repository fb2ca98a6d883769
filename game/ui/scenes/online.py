"""The window's online games: host one, join one, and play a seat of it.

The network lives on the client's own thread (:class:`game.server.client.Client`); these scenes
only read its snapshot each frame, so frames keep drawing whatever the connection does. Every
thing shown on the table comes from the server, which sends this seat only its own side.
"""

from __future__ import annotations

import threading

import pygame

from game import talks
from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.scenes.talks import OfferPanel
from game.ui.widgets.panel import hints

DEFAULT_SERVER = "ws://127.0.0.1:8765"
FIELD_LIMIT = 80


class Field:
    """One line of text typed by the player."""

    def __init__(self, label: str, value: str = ""):
        self.label = label
        self.value = value

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT:
            typed = "".join(c for c in event.text if c.isprintable())  # no control characters, no NUL
            self.value = (self.value + typed)[:FIELD_LIMIT]
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE:
            self.value = self.value[:-1]


class FormScene(Scene):
    """Fields in a column, Tab or arrows between them, Enter to go on, Esc to go back."""

    title = ""
    action = ""

    def __init__(self, app, fields: list[Field]):
        super().__init__(app)
        self.fields = fields
        self.focus = 0
        self.note = ""
        self.lines: list[str] = []

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_TAB, pygame.K_DOWN):
            self.focus = (self.focus + 1) % len(self.fields)
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_UP:
            self.focus = (self.focus - 1) % len(self.fields)
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.submit()
        else:
            self.fields[self.focus].handle(event)

    def submit(self) -> None:
        """Go on with the fields' values."""

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        x, y = theme.px(110), theme.px(90)
        surface.blit(theme.text(self.title, "serif-bold", 40, t.TEXT), (x, y))
        y += theme.px(80)
        for index, field in enumerate(self.fields):
            surface.blit(theme.text(field.label, "sans", 16, t.MUTED), (x, y))
            box = pygame.Rect(x, y + theme.px(24), theme.px(520), theme.px(40))
            pygame.draw.rect(surface, t.PANEL_HIGH if index == self.focus else t.PANEL, box, border_radius=4)
            pygame.draw.rect(surface, t.FOCUS if index == self.focus else t.EDGE, box, width=2, border_radius=4)
            cursor = "|" if index == self.focus else ""
            surface.blit(
                theme.fit(field.value + cursor, "mono", 18, box.width - theme.px(20)),
                (box.x + theme.px(10), box.y + theme.px(9)),
            )
            y += theme.px(84)
        if self.note:
            surface.blit(theme.text(self.note, "sans", 16, t.ORANGE), (x, y))
            y += theme.px(30)
        for line in self.lines:
            surface.blit(theme.text(line, "mono", 18, t.TEXT), (x, y))
            y += theme.px(28)
        hints(
            surface,
            theme,
            [("Tab", "next field"), ("Enter", self.action), ("Esc", "back")],
            pygame.Rect(0, h - theme.px(36), w, theme.px(28)),
        )


class JoinScene(FormScene):
    """Join a game: the server's address and the code the host gave."""

    name = "online_join"
    title = "Join a game"
    action = "join"

    def __init__(self, app, server: str = DEFAULT_SERVER, code: str = ""):
        super().__init__(app, [Field("Server", server), Field("Join code", code)])
        self.focus = 1

    def submit(self) -> None:
        server, code = (f.value.strip() for f in self.fields)
        if not server or not code:
            self.note = "Both the server and the code are needed."
            return
        self.app.push(OnlineScene(self.app, server, code))


class HostScene(FormScene):
    """Host a game: which server, which scenario, which side is played by a person here."""

    name = "online_host"
    title = "Host a game online"
    action = "create the game"

    def __init__(self, app, server: str = DEFAULT_SERVER):
        fields = [
            Field("Server", server),
            Field("Scenario", "wagner_mutiny"),
            Field("Your side (a role id)", "putin"),
            Field("The other side: person or ai", "person"),
        ]
        super().__init__(app, fields)
        self.created: dict | None = None
        self.worker: threading.Thread | None = None

    def submit(self) -> None:
        if self.created is not None:
            server = self.fields[0].value.strip()
            mine = self.fields[2].value.strip()
            self.app.push(OnlineScene(self.app, server, self.created["codes"][mine]))
            return
        if self.worker is not None and self.worker.is_alive():
            return
        self.note = "Creating the game..."
        self.worker = threading.Thread(target=self._create, daemon=True)
        self.worker.start()

    def _create(self) -> None:
        import json

        from websockets.sync.client import connect

        from game.server import protocol

        server, scenario, mine, other = (f.value.strip() for f in self.fields)
        try:
            with connect(server, open_timeout=5) as ws:
                ws.send(json.dumps({"type": "scenarios", "version": protocol.VERSION}))
                offered = json.loads(ws.recv(timeout=10))
                card = next((s for s in offered.get("scenarios", []) if s["id"] == scenario), None)
                if card is None:
                    self.note = f"The server offers no scenario '{scenario}'."
                    return
                roles = [r["id"] for r in card["roles"] if r["playable"]]
                if mine not in roles:
                    self.note = f"Your side must be one of: {', '.join(roles)}."
                    return
                seats = {r: ("person" if r == mine or other != "ai" else "ai") for r in roles}
                ws.send(
                    json.dumps({"type": "create", "version": protocol.VERSION, "scenario": scenario, "seats": seats})
                )
                created = json.loads(ws.recv(timeout=10))
        except Exception as exc:  # unreachable server, bad address, refused handshake
            self.note = f"Cannot reach {server}: {exc}"
            return
        if created.get("type") != "created":
            self.note = created.get("message", "the server refused")
            return
        self.created = created
        self.note = "Created. Give each player their code; Enter takes your own seat."
        self.lines = [f"{role}: {code}" for role, code in created["codes"].items()]
        self.lines.append(f"spectators: {created['spectator']}")


class OnlineScene(Scene):
    """One seat of an online game: the seat's own feed, values and moves, all from the server."""

    name = "online_game"

    def __init__(self, app, server: str, code: str):
        super().__init__(app)
        from game.server.client import Client

        self.client = Client(server, code).start()
        self.asked_reveal = False

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            threading.Thread(target=self.client.close, daemon=True).start()
            self.app.pop()
            return
        if event.type != pygame.KEYDOWN:
            return
        _, welcome, view, _ = self.client.snapshot()
        if not (view and view["your_move"] and self.client.pending is None):
            return
        if pygame.K_1 <= event.key <= pygame.K_9:
            index = event.key - pygame.K_1
            moves = talks.listed(view)
            if index < len(moves):
                self.choose(moves[index]["id"])
        elif event.key == pygame.K_o and view.get("talks") and any(m.get("offer") for m in view["moves"]):
            try:
                self.app.push(OnlineOfferPanel(self.app, self, view, welcome["seat"]))
            except ValueError:  # a view not as the protocol says: there is no table to show
                pass
        elif event.key in (pygame.K_a, pygame.K_r) and view.get("talks") and view["talks"]["waiting"]:
            move = talks.answer_in(view, "accept" if event.key == pygame.K_a else "reject")
            if move is not None:
                self.choose(move["id"])

    def choose(self, move: str) -> None:
        try:
            self.client.move(move)
        except Exception:  # the view moved on between the frame and the key
            pass

    def update(self, dt: float) -> None:
        _, _, view, _ = self.client.snapshot()
        if view and view["over"] and not self.asked_reveal:
            self.asked_reveal = True
            self.client.request("reveal")

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        _, welcome, view, feed = self.client.snapshot()
        x, y = theme.px(40), theme.px(30)
        if self.client.fatal:
            surface.blit(theme.text(f"Refused: {self.client.fatal}", "sans", 20, t.VERMILLION), (x, y))
            return
        if welcome is None or view is None:
            surface.blit(theme.text(f"Connecting to {self.client.url}...", "sans", 20, t.MUTED), (x, y))
            return
        status = "" if self.client.seat.status == "connected" else f"  ({self.client.seat.status})"
        head = f"{welcome['scenario']['title']} · {welcome['name']} · turn {min(view['turn'], view['turn_limit'])} of {view['turn_limit']}"
        surface.blit(theme.fit(head + status, "serif-bold", 22, w - 2 * x), (x, y))
        y += theme.px(44)
        left = pygame.Rect(x, y, theme.px(360), h - y - theme.px(50))
        right = pygame.Rect(left.right + theme.px(30), y, w - left.right - theme.px(70), left.height)
        row, bottom = left.y, left.bottom
        for seen in view["values"]:
            if seen["type"] == "boolean" and not seen.get("value"):
                continue  # facts that hold are listed; the rest would crowd the column
            if row + theme.px(22) > bottom:
                break
            text = seen["label"] if seen["type"] == "boolean" else f"{seen['label']}: {seen['shown']}"
            surface.blit(theme.fit(text, "sans", 15, left.width, t.TEXT), (left.x, row))
            row += theme.px(22)
        if view["over"]:
            self._ending(surface, right, view, welcome)
        else:
            self._moves(surface, right, view)
            self._feed(surface, right, feed)
        keys = [] if view["over"] else [("1-9", "choose")]
        if view.get("talks") and any(m.get("offer") for m in view["moves"]):
            keys.append(("O", "make an offer"))
        if view.get("talks") and view["talks"]["waiting"]:
            keys.append(("A / R", "accept / reject"))
        hints(surface, theme, [*keys, ("Esc", "leave (rejoin with your code)")],
              pygame.Rect(0, h - theme.px(36), w, theme.px(28)))  # fmt: skip

    def _feed(self, surface, right: pygame.Rect, feed: list[dict]) -> None:
        theme = self.theme
        feed_top = right.y + theme.px(250)
        lines = []
        for entry in feed[-12:]:
            if entry["seen"] == "none" and not entry["changes"]:
                continue
            told = entry["title"] if entry["seen"] == "cover" else f"{entry['by_name']}: {entry['title']}"
            lines.append((f"[{entry['clock'][11:16]}] {told} - {entry['outcome_title']}", t.TEXT))
        row = feed_top
        for text, colour in lines[-8:]:
            surface.blit(theme.fit(text, "sans", 15, right.width, colour), (right.x, row))
            row += theme.px(22)

    def _moves(self, surface, area: pygame.Rect, view: dict) -> None:
        theme = self.theme
        y = area.y
        if not view["your_move"]:
            surface.blit(theme.text("Waiting for the other side...", "italic", 18, t.MUTED), (area.x, y))
            return
        if self.client.pending is not None:
            surface.blit(theme.text("Move sent.", "italic", 18, t.MUTED), (area.x, y))
            return
        table = view.get("talks")
        if table and table["waiting"]:
            titles = {term["id"]: term["title"] for term in table["terms"]}
            via = f" {talks.channel_words(table['waiting']['channel'])}" if table["waiting"]["channel"] else ""
            worth = ((talks.answer_in(view, "accept") or {}).get("deal") or {}).get("worth", {}).get("shown", "?")
            told = f"An offer waits{via}: " + "; ".join(titles[x] for x in table["waiting"]["terms"])
            surface.blit(theme.fit(told, "bold", 15, area.width, t.YELLOW), (area.x, y))
            said = f"worth {worth} points to you · A accepts, R rejects, O counters"
            surface.blit(theme.fit(said, "sans", 13, area.width, t.MUTED), (area.x, y + theme.px(20)))
            y += theme.px(44)
        for number, move in enumerate(talks.listed(view)[:9], 1):
            odds = move["odds"]
            said = "working out the odds..." if odds is None else ", ".join(f"{o['title']} {o['shown']}" for o in odds)
            surface.blit(theme.fit(f"{number}. {move['title']}", "bold", 16, area.width, t.TEXT), (area.x, y))
            surface.blit(
                theme.fit(said, "sans", 13, area.width - theme.px(20), t.MUTED),
                (area.x + theme.px(20), y + theme.px(20)),
            )
            y += theme.px(44)  # fmt: skip
        own = table.get("standing") if table else None
        if own:
            said = f"Your offer {talks.channel_words(own['channel'])} waits for an answer"
            surface.blit(theme.fit(said, "italic", 15, area.width, t.MUTED), (area.x, y))
            y += theme.px(26)
        open_now = [c["title"] for c in table["channels"] if c["open"]] if table else []
        if open_now:
            said = "O: make an offer (open now: " + "; ".join(open_now) + ")"
            surface.blit(theme.fit(said, "sans", 15, area.width, t.TEXT), (area.x, y))
            y += theme.px(26)
        if view.get("deadline") is not None:
            surface.blit(theme.text(f"{view['deadline']:.0f} s on the clock", "sans", 15, t.ORANGE), (area.x, y))

    def _ending(self, surface, area: pygame.Rect, view: dict, welcome: dict) -> None:
        """The ending, the scores by name, and what this side did not know (once the server says)."""
        theme = self.theme
        over = view["over"]
        y = area.y
        surface.blit(theme.fit(over["title"], "serif-bold", 24, area.width, t.ORANGE), (area.x, y))
        y += theme.px(36)
        for line in theme.wrap(over["epilogue"], "sans", 15, area.width)[:8]:
            surface.blit(theme.text(line, "sans", 15, t.TEXT), (area.x, y))
            y += theme.px(20)
        names = {r["id"]: r["name"] for r in welcome["scenario"]["roles"]}
        scores = " · ".join(f"{names.get(role, role)} {score:.0f}" for role, score in over["scores"].items())
        surface.blit(theme.fit(f"Scores: {scores}", "bold", 15, area.width, t.TEXT), (area.x, y + theme.px(6)))
        y += theme.px(40)
        reveal = self.client.seat.reveal
        if reveal is None:
            surface.blit(theme.text("Asking what you did not know…", "italic", 13, t.MUTED), (area.x, y))
            return
        told = [f"{v['label']}: {v['truth']} (you saw {v['you_saw'] or 'nothing'})" for v in reveal["values"]]
        told += [f"Turn {m['turn']}, {m['by_name']}: {m['title']} - {m['outcome_title']}" for m in reveal["moves"]]
        if not told:
            return
        surface.blit(theme.text("What you did not know", "bold", 15, t.YELLOW), (area.x, y))
        y += theme.px(24)
        room = max(0, (area.bottom - y) // theme.px(18))
        shown = told if len(told) <= room else told[: max(0, room - 1)]
        for text in shown:
            surface.blit(theme.fit(text, "sans", 13, area.width, t.MUTED), (area.x, y))
            y += theme.px(18)
        if len(shown) < len(told):
            rest = f"… and {len(told) - len(shown)} more"
            surface.blit(theme.fit(rest, "italic", 13, area.width, t.MUTED), (area.x, y))


class OnlineOfferPanel(OfferPanel):
    """The offer panel over an online seat: the channels, terms and open offers the server sent
    it, and the figures its odds worker worked out from the seat's own belief."""

    def __init__(self, app, scene: OnlineScene, view: dict, role: str):
        Scene.__init__(self, app)
        self.scene = scene
        self.view = view
        table, offers = talks.table_of(view["talks"], view["moves"], role)
        self.channels = {c["id"]: c for c in view["talks"]["channels"]}
        self.moves = {m["id"]: m for m in view["moves"]}
        self.compose(talks.Composer.of(table, role, offers), role, view["talks"]["waiting"] is not None)

    def update(self, dt: float) -> None:
        _, _, view, _ = self.scene.client.snapshot()
        if view is None or view["step"] != self.view["step"] or not view["your_move"]:
            self.app.pop()  # the game moved on (the clock ran out): this table is gone
        else:
            self.moves = {m["id"]: m for m in view["moves"]}  # the figures may have come since

    def title(self) -> str:
        if not self.composer.channel:
            return "No offer can be made now"
        other = self.channels[self.composer.channel]["to"]
        return ("Counter-offer to " if self.counter else "An offer to ") + other

    def about(self, channel) -> str:
        return self.channels[channel.id]["description"]

    def preview_rows(self):
        offer = self.composer.offer
        if offer is None:
            return "These terms cannot go together."
        move = self.moves[offer.id]
        figures = move.get("deal")
        if figures is None:
            return "Working out what you know…"
        rows = [(f"Accepted: {figures['accepted']['shown']}", "bold", t.YELLOW)]
        late = talks.sent_too_late(move, self.view["talks"]["channels"], offer.channel)
        if late:
            heading, line = talks.too_late_rows(late)
            rows = [(heading, "bold", t.BAD), (line, "sans", t.MUTED)]
        rows.append((f"Worth to you if agreed: {figures['worth']['shown']} points", "sans", t.TEXT))
        parts = talks.sent_parts(figures)
        if len(parts) > 1:
            rows += [(f"   {title} {value:+.0f}", "sans", t.MUTED) for title, value in parts]
        for odds in move["odds"] or []:
            rows.append((f"{odds['title']} · {odds['shown']}", "sans", t.TEXT))
        return rows

    def send(self) -> None:
        offer = self.composer.offer
        if offer is None:
            return
        self.app.pop()
        self.scene.choose(offer.id)
