"""Bargaining over the turn screen: the offer panel and the dialog that answers an offer.

The panel composes an offer from a channel and terms (:class:`game.talks.Composer`): only the
channels and packages the side can send now can be picked, and a preview says what sending
costs (the channel's outcomes with the side's odds and the changes it would see), what the deal
is worth to the side and how likely it is to be accepted, told in the game's odds setting. Every
figure comes from the side's belief, followed on the worker thread by the turn screen; until it
is ready the preview says it is being worked out.

The dialog shows an offer waiting for the side: its terms, the channel if the side saw it, and
what the deal would be worth; accept, reject, counter (the panel, with what can be offered back)
or decide later. Neither scene plays a move itself: each hands the move to the turn screen.
"""

from __future__ import annotations

import pygame

from game import talks
from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import dim, heading, hints, label, lines_that_fit, panel, paragraph

_DIGITS = {getattr(pygame, f"K_{d}"): d for d in range(1, 10)} | {getattr(pygame, f"K_KP{d}"): d for d in range(1, 10)}


def _box(surface: pygame.Surface, theme, most_w: int, most_h: int) -> pygame.Rect:
    w, h = surface.get_size()
    box = pygame.Rect(0, 0, min(w - theme.px(24), theme.px(most_w)), min(h - theme.px(24), theme.px(most_h)))
    box.center = (w // 2, h // 2)
    return box


class OfferPanel(Scene):
    """Compose an offer; Enter or Send hands the one offer move it makes to the turn screen."""

    name = "offer"
    opaque = False

    def __init__(self, app, turn, role: str, counter: bool = False):
        super().__init__(app)
        self.turn = turn
        self.role = role
        self.state = turn.shown
        self.scenario = self.state.scenario
        observation = self.state.observe(role)
        self.previews: dict[str, talks.Preview] = {}
        self.parts: dict[str, list[tuple[str, float]]] = {}
        counter = counter or talks.incoming(self.scenario, observation) is not None
        self.compose(talks.Composer(self.scenario, observation), role, counter)

    def compose(self, composer: talks.Composer, role: str, counter: bool) -> None:
        """The panel's own state: what it composes, for whom, and where its parts were drawn."""
        self.composer = composer
        self.role = role
        self.counter = counter
        self.cursor = 0  # the term the arrows are on
        self.channel_rects: dict[str, pygame.Rect] = {}
        self.term_rects: dict[str, pygame.Rect] = {}
        self.send_rect = pygame.Rect(0, 0, 0, 0)
        self.cancel_rect = pygame.Rect(0, 0, 0, 0)

    # what it shows --------------------------------------------------------------------------

    def belief(self):
        """The side's belief once the turn screen has followed it to this decision, else None."""
        return self.turn.belief_for(self.role)

    def preview(self) -> talks.Preview | None:
        offer = self.composer.offer
        belief = self.belief()
        if offer is None or belief is None:
            return None
        if offer.id not in self.previews:
            self.previews[offer.id] = talks.preview(self.state, belief, offer)
        return self.previews[offer.id]

    # input ----------------------------------------------------------------------------------

    def send(self) -> None:
        offer = self.composer.offer
        if offer is None:
            return
        self.app.pop()
        self.turn.choose(offer.id)

    def cancel(self) -> None:
        self.app.pop()

    def step_channel(self, step: int) -> None:
        """The next open channel up or down the list (it stays put at either end)."""
        open_ids = [c.id for c, open_ in self.composer.channels() if open_]
        if not open_ids:
            return
        at = open_ids.index(self.composer.channel) if self.composer.channel in open_ids else 0
        self.pick(open_ids[min(max(at + step, 0), len(open_ids) - 1)])

    def pick(self, channel: str) -> None:
        if channel != self.composer.channel and self.composer.pick(channel):
            self.app.sound.play("pick")

    def toggle(self, index: int) -> None:
        terms = self.composer.terms()
        if 0 <= index < len(terms):
            self.cursor = index
            if self.composer.toggle(terms[index].id):
                self.app.sound.play("pick")

    def handle_event(self, event: pygame.event.Event) -> None:
        count = len(self.composer.terms())
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                self.cancel()
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.send()
            elif key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_PAGEUP, pygame.K_PAGEDOWN):
                self.step_channel(-1 if key in (pygame.K_LEFT, pygame.K_PAGEUP) else 1)
            elif key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB):
                back = key == pygame.K_UP or (key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT)
                self.cursor = min(max(self.cursor + (-1 if back else 1), 0), max(0, count - 1))
            elif key == pygame.K_SPACE:
                self.toggle(self.cursor)
            elif key in _DIGITS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
                self.toggle(_DIGITS[key] - 1)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._click(event.pos)

    def _click(self, pos) -> None:
        if self.send_rect.collidepoint(pos):
            self.send()
        elif self.cancel_rect.collidepoint(pos):
            self.cancel()
        for cid, rect in self.channel_rects.items():
            if rect.collidepoint(pos):
                self.pick(cid)
        ids = [c.id for c in self.composer.terms()]
        for tid, rect in self.term_rects.items():
            if rect.collidepoint(pos):
                self.toggle(ids.index(tid))

    # drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        dim(surface)
        box = _box(surface, theme, 900, 620)
        panel(surface, box, t.PANEL, t.ORANGE, theme=theme)
        pad = theme.px(18)
        inner = box.inflate(-2 * pad, -2 * pad)
        y = label(surface, theme, self.title(), "serif-bold", 20, inner.width, t.TEXT, inner.topleft).bottom
        y += theme.px(8)
        foot_h = theme.px(40)
        body = pygame.Rect(inner.x, y, inner.width, max(0, inner.bottom - foot_h - y))
        gap = theme.px(16)
        left = pygame.Rect(body.x, body.y, (body.width - gap) * 9 // 20, body.height)
        right = pygame.Rect(left.right + gap, body.y, body.right - left.right - gap, body.height)
        y = self._draw_channels(surface, left)
        self._draw_preview(surface, pygame.Rect(left.x, y, left.width, max(0, left.bottom - y)))
        self._draw_terms(surface, right)
        self._draw_foot(surface, pygame.Rect(inner.x, inner.bottom - foot_h, inner.width, foot_h))

    def title(self) -> str:
        if not self.composer.channel:
            return "No offer can be made now"
        other = self.scenario.roles[self.composer.deal.channels[self.composer.channel].recipient].name
        return ("Counter-offer to " if self.counter else "An offer to ") + other

    def about(self, channel) -> str:
        """The channel's description as the side reads it."""
        return self.state.render(channel.description, self.role).strip()

    def preview_rows(self) -> list[tuple[str, str, tuple]] | str:
        """The preview's lines (text, face, ink), or what to say while there is none."""
        found = self.preview()
        if found is None:
            return (
                "Working out what you know…" if self.composer.offer is not None else "These terms cannot go together."
            )
        mode = self.app.odds
        took = found.acceptance
        rows = [(f"Accepted: {odds_text.told(took.chance, took.low, took.high, mode)}", "bold", t.YELLOW)]
        if talks.too_late(self.state, found.offer):
            heading, line = talks.too_late_rows(self.scenario.roles[found.offer.recipient].name)
            rows = [(heading, "bold", t.BAD), (line, "sans", t.MUTED)]
        rows.append((f"Worth to you if agreed: {talks.worth_words(found.worth)} points", "sans", t.TEXT))
        parts = self.parts.get(found.offer.id)
        if parts is None:  # worked out once per offer, not every frame
            channel = self.composer.deal.channels[found.offer.channel]
            parts = self.parts[found.offer.id] = talks.worth_parts(self.belief(), self.role, found.offer.terms, channel)
        if len(parts) > 1:
            rows += [(f"   {title} {value:+.0f}", "sans", t.MUTED) for title, value in parts]
        for effect in found.effects:
            odds = effect.odds
            chance = odds_text.told(odds.chance, odds.low, odds.high, mode)
            head = f"{effect.title}" + (f" · {chance}" if mode != "hidden" else "")
            rows.append((head, "sans", t.TEXT if effect.delivers else t.MUTED))
            if effect.changes:
                rows.append(("   " + ", ".join(effect.changes), "sans", t.MUTED))
        return rows

    def _draw_channels(self, surface, area: pygame.Rect) -> int:
        theme = self.theme
        y = heading(surface, theme, "Through", (area.x, area.y), width=area.width)
        row = theme.px(24)
        self.channel_rects = {}
        for channel, open_ in self.composer.channels():
            if y + row > area.bottom:
                break
            rect = pygame.Rect(area.x, y, area.width, row - theme.px(3))
            picked = channel.id == self.composer.channel
            if picked:
                pygame.draw.rect(surface, t.PANEL_HIGH, rect, border_radius=5)
                pygame.draw.rect(surface, t.FOCUS, rect, width=2, border_radius=5)
            mark = "●" if picked else ("○" if open_ else "–")
            words = channel.title if open_ else f"{channel.title} (closed)"
            ink = t.TEXT if open_ else t.FAINT
            height = theme.line_height("sans", 13)
            at = (rect.x + theme.px(8), rect.centery - height // 2)
            tip = f"{mark} {words}\n{self.about(channel)}"
            label(
                surface,
                theme,
                f"{mark} {words}",
                "bold" if picked else "sans",
                13,
                rect.width - theme.px(14),
                ink,
                at,
                tip=tip,
            )
            if open_:
                self.channel_rects[channel.id] = rect
            y += row
        return y + theme.px(8)

    def _draw_terms(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        y = heading(surface, theme, "Terms (1–9 or Space to tick)", (area.x, area.y), width=area.width)
        row = theme.px(38)
        self.term_rects = {}
        terms = self.composer.terms()
        for i, term in enumerate(terms):
            if y + row > area.bottom:
                rest = "\n".join(c.title for c in terms[i:])
                label(
                    surface, theme, f"… {len(terms) - i} more", "italic", 12, area.width, t.MUTED, (area.x, y), tip=rest
                )
                break
            rect = pygame.Rect(area.x, y, area.width, row - theme.px(4))
            if i == self.cursor:
                pygame.draw.rect(surface, t.PANEL_HIGH, rect, border_radius=5)
                pygame.draw.rect(surface, t.FOCUS, rect, width=1, border_radius=5)
            tick = pygame.Rect(rect.x + theme.px(6), rect.y + theme.px(5), theme.px(16), theme.px(16))
            pygame.draw.rect(
                surface, t.ORANGE if term.ticked else t.EDGE, tick, width=0 if term.ticked else 2, border_radius=3
            )
            if term.ticked:
                surface.blit(theme.text("✓", "bold", 12, t.BACKGROUND), (tick.x + theme.px(2), tick.y))
            x = tick.right + theme.px(8)
            width = rect.right - x - theme.px(6)
            ink = t.TEXT if term.open or term.ticked else t.FAINT
            owed = self.composer.deal.terms[term.id].owed_by
            who = "you give" if owed == self.role else "they give"
            name = f"{i + 1}. {term.title}" if i < 9 else term.title
            label(surface, theme, name, "bold" if term.ticked else "sans", 13, width, ink, (x, rect.y + theme.px(2)))
            note = who if term.open else f"{who} · {term.reason}"
            label(surface, theme, note, "italic", 11, width, t.MUTED, (x, rect.y + theme.px(19)))
            self.term_rects[term.id] = rect
            y += row

    def _draw_preview(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        if area.height < theme.px(40):
            return
        y = heading(surface, theme, "If you send it", (area.x, area.y), width=area.width)
        line = theme.px(18)
        rows = self.preview_rows()
        if isinstance(rows, str):
            label(surface, theme, rows, "italic", 13, area.width, t.MUTED, (area.x, y))
            return
        for i, (text, face, ink) in enumerate(rows):
            last = i == len(rows) - 1
            if y + line * (1 if last else 2) > area.bottom:  # room is kept for the line that says so
                rest = "\n".join(r[0] for r in rows[i:])
                more = f"… {len(rows) - i} more"
                label(surface, theme, more, "italic", 11, area.width, t.MUTED, (area.x, y), tip=rest)
                return
            size = 13 if i == 0 else 12
            y = label(surface, theme, text, face, size, area.width, ink, (area.x, y), tip=text).bottom + theme.px(3)
        self._draw_about(surface, pygame.Rect(area.x, y + theme.px(8), area.width, area.bottom - y - theme.px(8)))

    def _draw_about(self, surface, area: pygame.Rect) -> None:
        """The channel's own description, in the room the preview leaves."""
        theme = self.theme
        channel = self.composer.deal.channels.get(self.composer.channel)
        about = self.about(channel) if channel else ""
        if not about or area.height < theme.line_height("italic", 12) * 2:
            return
        lines = lines_that_fit(theme, "italic", 12, area.height)
        paragraph(surface, theme, about, "italic", 12, area.width, t.MUTED, area.topleft, max_lines=lines)

    def _draw_foot(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        ready = self.composer.offer is not None
        words = theme.text("Send offer  ⏎", "bold", 15, t.BACKGROUND if ready else t.FAINT)
        self.send_rect = words.get_rect().inflate(theme.px(24), theme.px(12))
        self.send_rect.midright = (area.right, area.centery)
        pygame.draw.rect(surface, t.ORANGE if ready else t.EDGE, self.send_rect, border_radius=7)
        surface.blit(words, words.get_rect(center=self.send_rect.center))
        back = theme.text("Cancel", "sans", 15, t.TEXT)
        self.cancel_rect = back.get_rect().inflate(theme.px(24), theme.px(12))
        self.cancel_rect.midright = (self.send_rect.x - theme.px(10), area.centery)
        pygame.draw.rect(surface, t.EDGE, self.cancel_rect, width=1, border_radius=7)
        surface.blit(back, back.get_rect(center=self.cancel_rect.center))
        room = pygame.Rect(area.x, area.y, max(0, self.cancel_rect.x - area.x - theme.px(10)), area.height)
        hints(surface, theme, [("←→", "channel"), ("↑↓ Space", "tick"), ("Enter", "send"), ("Esc", "cancel")], room)


class AnswerDialog(Scene):
    """An offer waiting for the side: accept, reject, counter, or decide later."""

    name = "answer"
    opaque = False

    def __init__(self, app, turn, role: str):
        super().__init__(app)
        self.turn = turn
        self.role = role
        self.state = turn.shown
        self.scenario = self.state.scenario
        self.observation = self.state.observe(role)
        self.waiting = talks.incoming(self.scenario, self.observation)
        counter = bool(talks.open_offers(self.scenario, self.observation))
        self.menu = Menu(
            [
                Item("Accept", self.accept),
                Item("Reject", self.reject, enabled=self.waiting is not None and self.waiting.reject is not None),
                Item("Counter…", self.counter, enabled=counter),
                Item("Later", self.later),
            ],
            size=15,
            across=True,
        )
        self.menu.focus = 3  # nothing is agreed by an Enter meant for the screen before

    def worth(self) -> talks.Spread | None:
        belief = self.turn.belief_for(self.role)
        if belief is None or self.waiting is None:
            return None
        return talks.incoming(self.scenario, self.observation, belief).worth

    def accept(self) -> None:
        self.app.pop()
        if self.waiting is not None:
            self.turn.choose(self.waiting.accept.id)

    def reject(self) -> None:
        if self.waiting is not None and self.waiting.reject is not None:
            self.app.pop()
            self.turn.choose(self.waiting.reject.id)

    def counter(self) -> None:
        if talks.open_offers(self.scenario, self.observation):
            self.app.pop()
            self.app.push(OfferPanel(self.app, self.turn, self.role, counter=True))

    def later(self) -> None:
        self.app.pop()

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            actions = {pygame.K_a: self.accept, pygame.K_r: self.reject, pygame.K_c: self.counter}
            if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                self.later()
            elif event.key in actions and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
                actions[event.key]()
            elif event.key not in _DIGITS:  # digits would choose a button at once
                self.menu.handle_event(event)
        else:
            self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        dim(surface)
        terms = len(self.waiting.terms) if self.waiting is not None else 0
        box = _box(surface, theme, 640, 0)
        wanted = theme.px(40 + 70 + 28 + 23 * terms + 36 + 40) + self.menu.height(theme)
        box.height = min(surface.get_height() - theme.px(24), wanted)
        box.centery = surface.get_height() // 2
        panel(surface, box, t.PANEL, t.ORANGE, theme=theme)
        pad = theme.px(20)
        inner = box.inflate(-2 * pad, -2 * pad)
        waiting = self.waiting
        if waiting is None:
            label(surface, theme, "No offer is waiting.", "serif-bold", 20, inner.width, t.TEXT, inner.topleft)
            return
        sender = self.scenario.roles[waiting.accept.sender].name
        y = label(
            surface, theme, f"An offer from {sender}", "serif-bold", 20, inner.width, t.TEXT, inner.topleft
        ).bottom
        via = f"Channel: {waiting.channel.title}" if waiting.channel else "You cannot tell which channel carried it."
        y = label(surface, theme, via, "sans", 13, inner.width, t.MUTED, (inner.x, y + theme.px(4))).bottom + theme.px(
            10
        )
        menu_h = self.menu.height(theme)
        bottom = inner.bottom - menu_h - theme.px(40)
        y = heading(surface, theme, "The terms", (inner.x, y), width=inner.width)
        deal = self.scenario.negotiation
        line = theme.px(20)
        for i, tid in enumerate(waiting.terms):
            if y + line > bottom - line:
                rest = "\n".join(deal.terms[x].title for x in waiting.terms[i:])
                label(
                    surface,
                    theme,
                    f"… {len(waiting.terms) - i} more",
                    "italic",
                    12,
                    inner.width,
                    t.MUTED,
                    (inner.x, y),
                    tip=rest,
                )
                y += line
                break
            term = deal.terms[tid]
            who = "you give" if term.owed_by == self.role else "they give"
            text = f"• {term.title} ({who})"
            y = label(
                surface, theme, text, "sans", 14, inner.width, t.TEXT, (inner.x, y), tip=f"{text}\n{term.description}"
            ).bottom + theme.px(3)
        worth = self.worth()
        words = (
            "Working out what it is worth to you…"
            if worth is None
            else f"Worth to you if you accept: {talks.worth_words(worth)} points"
        )
        if y + line <= bottom + line:
            label(surface, theme, words, "bold", 14, inner.width, t.YELLOW, (inner.x, y + theme.px(6)))
        self.menu.layout(theme, pygame.Rect(inner.x, inner.bottom - menu_h - theme.px(30), inner.width, menu_h))
        self.menu.draw(surface, theme)
        hints(
            surface,
            theme,
            [("A", "accept"), ("R", "reject"), ("C", "counter"), ("←→ Enter", "choose"), ("Esc", "later")],
            pygame.Rect(inner.x, inner.bottom - theme.px(24), inner.width, theme.px(24)),
        )
