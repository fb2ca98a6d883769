"""The choices of the role to move: a compact list in groups, and the chosen card read in full below.

Every action has a key for the whole game (1–9, 0, then letters, in listing order), shown on
its row. A move is made in two deliberate steps: a key, a click or the arrows pick a card, which
opens it in the detail pane; the same key again, Enter, a second click or the Play button plays
it. Nothing is picked when the choices appear, so an Enter meant for the screen before never
plays a card. Closed actions stay in the list, shorter and greyed, and open with their reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.theme import Theme
from game.ui.widgets.panel import label, lines_that_fit, panel, paragraph

KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"
_KEYPAD = {getattr(pygame, f"K_KP{d}"): str(d) for d in range(10)}


def key_char(event: pygame.event.Event) -> str | None:
    """The card key a key press stands for (a digit or a letter without Ctrl or Alt), or None."""
    if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
        return None
    if event.key in _KEYPAD:
        return _KEYPAD[event.key]
    if pygame.K_0 <= event.key <= pygame.K_9 or pygame.K_a <= event.key <= pygame.K_z:
        return chr(event.key)
    return None


@dataclass(frozen=True)
class Card:
    action: str
    title: str
    description: str
    outcomes: tuple[tuple[str, float, float, float], ...]  # (outcome title, chance, lowest, highest)
    available: bool = True
    reason: str = ""
    history: str = ""  # when it was done in history, for actions that were
    group: str = ""
    key: str = ""  # the key that picks it, for the whole game
    reckoning: bool = False  # its odds are still being worked out
    effects: tuple[str, ...] = ()  # beside ``outcomes``: what each does to the values the side sees ("" none)


@dataclass(frozen=True)
class Row:
    """One line of the list: a group's heading (card None) or a card."""

    card: int | None
    top: int
    height: int
    text: str = ""


class CardList:
    """The cards of the role to move, the one picked, and the one under the pointer."""

    def __init__(self, cards: list[Card], mode: str, colour=t.SKY):
        self.cards = cards
        self.mode = mode
        self.colour = colour
        self.picked: int | None = None
        self.hover: int | None = None
        self.scroll = 0
        self.dense = False  # a layout cache: the rows drawn closer together to keep the list whole
        self.rects: dict[int, pygame.Rect] = {}
        self.play_rect = pygame.Rect(0, 0, 0, 0)
        self.by_key = {card.key: i for i, card in enumerate(cards) if card.key}

    # input ---------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> str | None:
        """The action id ``event`` plays, if it plays one."""
        if event.type == pygame.KEYDOWN:
            return self._key(event)
        if event.type == pygame.MOUSEMOTION:
            self.hover = next((i for i, r in self.rects.items() if r.collidepoint(event.pos)), None)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.picked is not None and self.play_rect.collidepoint(event.pos):
                return self._play(self.picked)
            for i, rect in self.rects.items():
                if rect.collidepoint(event.pos):
                    if self.picked == i:
                        return self._play(i)
                    self.picked = i
                    return None
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, self.scroll - event.y)
        return None

    def _key(self, event: pygame.event.Event) -> str | None:
        key = event.key
        if key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB):
            back = key == pygame.K_UP or (key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT)
            self._move(-1 if back else 1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            return self._play(self.picked) if self.picked is not None else None
        elif (char := key_char(event)) in self.by_key:
            index = self.by_key[char]
            if self.picked == index:
                return self._play(index)
            self.picked = index
        return None

    def _move(self, step: int) -> None:
        """Pick the next card up or down the list (the first or last when none is picked)."""
        if not self.cards:
            return
        if self.picked is None:
            self.picked = 0 if step > 0 else len(self.cards) - 1
        else:
            self.picked = min(max(self.picked + step, 0), len(self.cards) - 1)

    def _play(self, index: int) -> str | None:
        if not 0 <= index < len(self.cards) or not self.cards[index].available:
            return None
        return self.cards[index].action

    @property
    def shown(self) -> int | None:
        """The card the detail pane reads: the one picked, else the one under the pointer."""
        return self.picked if self.picked is not None else self.hover

    # layout --------------------------------------------------------------------------------

    def rows(self, theme: Theme, dense: bool | None = None) -> list[Row]:
        """Headings and cards from the top of the list, in pixels (closer together when ``dense``)."""
        dense = self.dense if dense is None else dense
        head, open_, closed = (16, 22, 18) if dense else (18, 25, 20)
        rows, y, group = [], 0, None
        for i, card in enumerate(self.cards):
            if card.group and card.group != group:
                group = card.group
                rows.append(Row(None, y, theme.px(head), card.group))
                y += theme.px(head)
            height = theme.px(open_ if card.available else closed)
            rows.append(Row(i, y, height))
            y += height + theme.px(3)
        return rows

    def split(self, theme: Theme, area: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect]:
        """The list's rectangle and the detail pane's.

        The whole list shows while the pane keeps its room; a picked card that needs more room
        to be read in full grows the pane over the list, which then scrolls to keep it in view.
        """
        gap = theme.px(8)
        least = min(theme.px(190), area.height // 2)
        if self.picked is not None:
            least = max(least, min(self.detail_height(theme, area.width, self.picked), int(area.height * 0.62)))
        wanted = 0
        for dense in (False, True):  # rows closer together before the list has to scroll
            rows = self.rows(theme, dense)
            wanted = rows[-1].top + rows[-1].height if rows else 0
            self.dense = dense
            if wanted + least + gap <= area.height:
                break
        height = max(0, min(wanted, area.height - least - gap))
        top = pygame.Rect(area.x, area.y, area.width, height)
        bottom = pygame.Rect(area.x, top.bottom + gap, area.width, max(0, area.bottom - top.bottom - gap))
        return top, bottom

    def detail_height(self, theme: Theme, width: int, index: int) -> int:
        """The detail pane's height that shows the card at ``index`` in full."""
        card = self.cards[index]
        inner = width - theme.px(28)
        title = min(2, theme.lines_of(card.title, "serif-bold", 16, inner - self._button_room(theme)))
        height = theme.px(24) + title * int(theme.line_height("serif-bold", 16) * 1.15) + theme.px(22)
        if not card.available:
            height += theme.lines_of(self._closed(card), "italic", 13, inner) * int(
                theme.line_height("italic", 13) * 1.15
            )
        if card.description:
            height += theme.lines_of(card.description, "sans", 13, inner) * int(theme.line_height("sans", 13) * 1.15)
            height += theme.px(8)
        height += sum(row[-1] for row in self._outcome_rows(theme, card, inner))
        height += theme.px(20) if card.reckoning else 0
        return height + (theme.px(20) if card.history else 0) + theme.px(6)

    def _button_room(self, theme: Theme) -> int:
        return theme._width("Play  ⏎", "bold", 15) + theme.px(34)

    @staticmethod
    def _closed(card: Card) -> str:
        return f"Closed: {card.reason or 'not possible now'}"

    # drawing -------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, theme: Theme, area: pygame.Rect) -> None:
        """The list at the top of ``area``, scrolled to keep the picked card in view, and the detail below."""
        top, bottom = self.split(theme, area)
        self._draw_list(surface, theme, top)
        if bottom.height > theme.px(40):
            self._draw_detail(surface, theme, bottom)

    def _draw_list(self, surface: pygame.Surface, theme: Theme, area: pygame.Rect) -> None:
        rows = self.rows(theme)
        total = rows[-1].top + rows[-1].height if rows else 0
        whole = area
        if total > area.height:  # a strip at the bottom says there is more
            area = pygame.Rect(area.x, area.y, area.width, max(0, area.height - theme.px(14)))
        self.scroll = self._scrolled(rows, total, area.height)
        self.rects = {}
        clip = surface.get_clip()
        surface.set_clip(area.clip(clip) if clip else area)
        for row in rows:
            rect = pygame.Rect(area.x, area.y + row.top - self.scroll, area.width, row.height)
            if rect.bottom <= area.y or rect.y >= area.bottom:
                continue
            if row.card is None:
                label(
                    surface,
                    theme,
                    row.text.upper(),
                    "bold",
                    11,
                    rect.width - theme.px(8),
                    t.MUTED,
                    (rect.x + theme.px(2), rect.y + theme.px(5)),
                )
                continue
            if area.contains(rect):
                self.rects[row.card] = rect
            self._draw_row(surface, theme, row.card, rect)
        surface.set_clip(clip)
        if self.scroll > 0:
            self._more(surface, theme, "▲ more", (area.right, area.y - theme.px(16)))
        if total - self.scroll > area.height:
            self._more(surface, theme, "▼ more", (whole.right, area.bottom + 1))

    def _scrolled(self, rows: list[Row], total: int, height: int) -> int:
        """The scroll that keeps the picked card in full view, within the list's ends."""
        scroll = min(self.scroll, max(0, total - height))
        if self.picked is not None:
            row = next((r for r in rows if r.card == self.picked), None)
            if row is not None:
                if row.top < scroll:
                    scroll = max(0, row.top - row.height)
                elif row.top + row.height > scroll + height:
                    scroll = row.top + row.height - height
        return max(0, scroll)

    def _more(self, surface, theme: Theme, text: str, at: tuple[int, int]) -> None:
        image = theme.text(text, "bold", 11, t.MUTED)
        surface.blit(image, (at[0] - image.get_width() - theme.px(4), at[1]))

    def _draw_row(self, surface, theme: Theme, index: int, rect: pygame.Rect) -> None:
        card = self.cards[index]
        picked, hovered = index == self.picked, index == self.hover
        fill = t.PANEL_HIGH if picked or hovered else t.PANEL
        pygame.draw.rect(surface, fill, rect, border_radius=5)
        edge = t.FOCUS if picked else t.EDGE
        pygame.draw.rect(surface, edge, rect, width=2 if picked else 1, border_radius=5)
        badge = pygame.Rect(
            rect.x + theme.px(6), rect.y + (rect.height - theme.px(19)) // 2, theme.px(22), theme.px(19)
        )
        pygame.draw.rect(surface, self.colour if card.available else t.EDGE, badge, border_radius=4)
        if card.key:
            ink = t.ink_on(self.colour) if card.available else t.BACKGROUND
            number = theme.text(card.key, "bold", 13, ink)
            surface.blit(number, number.get_rect(center=badge.center))
        x = badge.right + theme.px(8)
        right = rect.right - theme.px(8)
        note = "closed" if not card.available else ("★" if card.history else "")
        if note:
            image = theme.text(
                note, "italic" if not card.available else "sans", 11, t.FAINT if not card.available else t.YELLOW
            )
            right -= image.get_width()
            surface.blit(image, (right, rect.centery - image.get_height() // 2))
            right -= theme.px(8)
        face, size = ("bold", 14) if card.available else ("sans", 12)
        ink = t.TEXT if card.available else t.FAINT
        height = theme.line_height(face, size)
        label(surface, theme, card.title, face, size, right - x, ink, (x, rect.centery - height // 2))

    def _draw_detail(self, surface, theme: Theme, area: pygame.Rect) -> None:
        index = self.shown
        panel(surface, area, t.PANEL, t.FOCUS if self.picked is not None else t.EDGE, theme=theme)
        inner = area.inflate(-theme.px(28), -theme.px(24))
        self.play_rect = pygame.Rect(0, 0, 0, 0)
        if index is None:
            self._draw_help(surface, theme, inner)
            return
        card = self.cards[index]
        picked = index == self.picked
        title_w = inner.width - (self._button_room(theme) if picked and card.available else 0)
        y = paragraph(surface, theme, card.title, "serif-bold", 16, title_w, t.TEXT, inner.topleft, max_lines=2).bottom
        if picked:
            self._draw_play(surface, theme, card, inner)
        how = f"press {card.key} again or Enter to play" if card.key else "Enter plays it"
        note = " · ".join(p for p in (card.group, how if picked and card.available else "") if p)
        if note:
            y = label(surface, theme, note, "sans", 12, inner.width, t.MUTED, (inner.x, y + theme.px(2))).bottom
        y += theme.px(6)
        if not card.available:
            closed = self._closed(card)
            y = paragraph(surface, theme, closed, "italic", 13, inner.width, t.ORANGE, (inner.x, y), max_lines=3).bottom
            y += theme.px(4)
        rows = self._outcome_rows(theme, card, inner.width)
        needed = sum(row[-1] for row in rows) + (theme.px(20) if card.history else 0)
        needed += theme.px(20) if card.reckoning else 0
        room = max(0, inner.bottom - y - needed - theme.px(6))
        if card.description and room > 0:
            lines = lines_that_fit(theme, "sans", 13, room)
            ink = t.TEXT if card.available else t.MUTED
            y = paragraph(
                surface, theme, card.description, "sans", 13, inner.width, ink, (inner.x, y), max_lines=lines
            ).bottom
            y += theme.px(8)
        if card.reckoning and y + theme.px(18) <= inner.bottom:
            text = "Working out the odds from what you know…"
            y = label(surface, theme, text, "italic", 13, inner.width, t.MUTED, (inner.x, y)).bottom + theme.px(4)
        shares = odds_text.percents([row[1] for row in rows])  # whole percentages that add up to 100
        for i, ((name, p, low, high, height), share) in enumerate(zip(rows, shares, strict=True)):
            if y + height > inner.bottom:
                break
            row = pygame.Rect(inner.x, y, inner.width, height)
            self._draw_odds_row(surface, theme, name, (p, low, high), share, row)
            does = _effects_of(card, i)
            if does:  # one line under the outcome's name; the whole of it as a tooltip
                below = row.bottom - int(theme.line_height("sans", 12) * 1.1) - theme.px(3)
                label(surface, theme, does, "sans", 12, inner.width, t.MUTED, (inner.x + theme.px(10), below))
            y += height
        if card.history and y + theme.px(18) <= inner.bottom:
            text = f"★ In history: {card.history}"
            label(surface, theme, text, "sans", 12, inner.width, t.YELLOW, (inner.x, y + theme.px(4)))

    def _draw_help(self, surface, theme: Theme, inner: pygame.Rect) -> None:
        keys = [c.key for c in self.cards if c.key]  # the same span as the footer: a closed card reads too
        span = f"{keys[0]}–{keys[-1]}" if len(keys) > 1 else (keys[0] if keys else "")
        text = (
            f"Press a card's key ({span}) or click it to read it in full here; the same key again, "
            "Enter or the Play button plays it. ↑↓ go through the list."
        )
        lines = lines_that_fit(theme, "sans", 14, inner.height)
        paragraph(surface, theme, text, "sans", 14, inner.width, t.MUTED, inner.topleft, max_lines=lines)

    def _draw_play(self, surface, theme: Theme, card: Card, inner: pygame.Rect) -> None:
        if not card.available:
            return
        words = theme.text("Play  ⏎", "bold", 15, t.BACKGROUND)
        button = words.get_rect().inflate(theme.px(24), theme.px(12))
        button.topright = inner.topright
        self.play_rect = button
        pygame.draw.rect(surface, t.ORANGE, button, border_radius=7)
        surface.blit(words, words.get_rect(center=button.center))

    def _outcome_rows(self, theme: Theme, card: Card, width: int) -> list[tuple[str, float, float, float, int]]:
        """Each outcome with its height: a name too long for its room wraps onto a second line."""
        room = self._name_room(theme, width)
        rows = []
        for i, (name, p, low, high) in enumerate(card.outcomes):
            lines = min(2, theme.lines_of(name, "sans", 13, room))
            height = theme.px(6) + lines * int(theme.line_height("sans", 13) * 1.15)
            if _effects_of(card, i):
                height += int(theme.line_height("sans", 12) * 1.1)
            rows.append((name, p, low, high, height))
        return rows

    def _name_room(self, theme: Theme, width: int) -> int:
        return max(theme.px(60), width - theme.px(90) - theme.px(70))

    def _draw_odds_row(self, surface, theme: Theme, name: str, chance: tuple, share: str, row: pygame.Rect) -> None:
        """An outcome, its odds in words and as a bar; a range where what the side cannot see decides
        (``share``: its chance as a whole percentage among the move's others)."""
        p, low, high = chance
        bar_w = theme.px(90)
        paragraph(
            surface, theme, name, "sans", 13, self._name_room(theme, row.width), t.TEXT, (row.x, row.y + 2), max_lines=2
        )
        if self.mode == "hidden":  # what may happen, but not how likely it is
            unknown = theme.text("odds unknown", "italic", 12, t.MUTED)
            surface.blit(unknown, (row.right - unknown.get_width(), row.y + 2))
            return
        told = share if self.mode == "exact" else odds_text.describe(p, self.mode)
        spread = odds_text.describe(low, self.mode), odds_text.describe(high, self.mode)
        if spread[0] != spread[1]:
            told = f"{spread[0]}–{spread[1]}"
        words = theme.text(told, "bold", 13, t.YELLOW)
        bar = pygame.Rect(row.right - bar_w, row.y + theme.px(6), bar_w, theme.px(8))
        surface.blit(words, (bar.x - words.get_width() - theme.px(8), row.y + 2))
        pygame.draw.rect(surface, t.BACKGROUND, bar, border_radius=3)
        if self.mode == "exact":
            pygame.draw.rect(surface, t.YELLOW, (bar.x, bar.y, max(2, int(bar.width * p)), bar.height), border_radius=3)
            if high > low:  # the range the truths the side cannot rule out allow
                lo, hi = bar.x + int(bar.width * low), bar.x + int(bar.width * high)
                pygame.draw.line(surface, t.TEXT, (lo, bar.bottom + 1), (max(lo + 1, hi), bar.bottom + 1))
        else:
            steps = [edge for edge, _ in odds_text.BANDS]
            filled = next(i for i, edge in enumerate(steps) if p < edge or i == len(steps) - 1) + 1
            cell = bar.width // len(steps)
            for i in range(filled):
                pygame.draw.rect(
                    surface, t.YELLOW, (bar.x + i * cell + 1, bar.y, cell - 2, bar.height), border_radius=2
                )


def _effects_of(card: Card, index: int) -> str:
    """What the card's ``index``-th outcome does, as the side reads it ("" nothing it sees)."""
    return card.effects[index] if index < len(card.effects) else ""
