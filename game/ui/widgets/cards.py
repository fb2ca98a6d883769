"""Action cards: the focused card opens to show its description and odds, the rest stay compact.

Digits pick a card, arrows move the focus, Enter (or a second click) confirms. Closed actions
stay in the list, greyed, with the scenario's reason, so the player sees what is not possible.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.theme import Theme


def digit_index(key: int) -> int | None:
    """The card a digit key stands for: 1–9 the first nine, 0 the tenth."""
    for first, zero in ((pygame.K_1, pygame.K_0), (pygame.K_KP1, pygame.K_KP0)):
        if key == zero:
            return 9
        if first <= key < first + 9:
            return key - first
    return None


@dataclass(frozen=True)
class Card:
    action: str
    title: str
    description: str
    outcomes: tuple[tuple[str, float], ...]  # (outcome title, probability)
    available: bool = True
    reason: str = ""
    history: str = ""  # when it was done in history, for actions that were


class CardList:
    """The cards of the role to move, with keyboard focus and mouse hover."""

    def __init__(self, cards: list[Card], mode: str, colour=t.SKY):
        self.cards = cards
        self.mode = mode
        self.colour = colour
        self.focus = next((i for i, c in enumerate(cards) if c.available), 0)
        self.rects: list[pygame.Rect] = []
        self.chosen: int | None = None

    def handle_event(self, event: pygame.event.Event) -> str | None:
        """The action id confirmed by ``event``, if any."""
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key in (pygame.K_UP, pygame.K_LEFT):
                self.focus = (self.focus - 1) % len(self.cards)
            elif key in (pygame.K_DOWN, pygame.K_RIGHT, pygame.K_TAB):
                self.focus = (self.focus + 1) % len(self.cards)
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                return self._confirm(self.focus)
            elif (index := digit_index(key)) is not None:
                if index < len(self.cards):
                    if index == self.focus:
                        return self._confirm(index)
                    self.focus = index
        elif event.type == pygame.MOUSEMOTION:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos):
                    self.focus = i
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos):
                    return self._confirm(i)
        return None

    def _confirm(self, index: int) -> str | None:
        card = self.cards[index]
        self.focus = index
        if not card.available:
            return None
        self.chosen = index
        return card.action

    def draw(self, surface: pygame.Surface, theme: Theme, area: pygame.Rect) -> None:
        """The cards top to bottom, scrolled so that the focused one is always in full view."""
        gap = theme.px(4)
        compact = theme.px(38)
        opened = max(compact, min(self._open_height(theme, self.cards[self.focus], area.width), area.height))
        heights = [opened if i == self.focus else compact for i in range(len(self.cards))]
        tops = [sum(heights[:i]) + i * gap for i in range(len(self.cards))]
        shift = 0
        if tops[-1] + heights[-1] > area.height:
            shift = max(0, min(tops[self.focus] + opened - area.height, tops[self.focus] - compact - gap))
        self.rects = [pygame.Rect(area.x, area.y + top - shift, area.width, h) for top, h in zip(tops, heights)]
        clip = surface.get_clip()
        surface.set_clip(area)
        for i, (card, rect) in enumerate(zip(self.cards, self.rects)):
            if rect.bottom >= area.y and rect.y <= area.bottom:
                self._draw_card(surface, theme, card, i, rect, i == self.focus)
        surface.set_clip(clip)
        if self.rects[-1].bottom > area.bottom:
            more = theme.text("▼ more", "bold", 11, t.MUTED)
            surface.blit(more, (area.right - more.get_width() - theme.px(6), area.bottom + theme.px(2)))

    def _open_height(self, theme: Theme, card: Card, width: int) -> int:
        inner = width - theme.px(54)
        desc = theme.block(card.description, "sans", 14, inner, t.TEXT).get_height() if card.description else 0
        rows = (len(card.outcomes) if card.available else 1) + (1 if card.history else 0)
        return theme.px(40) + desc + theme.px(12) + rows * theme.px(22) + theme.px(8)

    def _draw_card(self, surface, theme: Theme, card: Card, index: int, rect: pygame.Rect, focused: bool) -> None:
        chosen = self.chosen == index
        fill = t.PANEL_HIGH if focused else t.PANEL
        pygame.draw.rect(surface, fill, rect, border_radius=6)
        edge = t.ORANGE if chosen else (t.FOCUS if focused else t.EDGE)
        pygame.draw.rect(surface, edge, rect, width=2 if focused or chosen else 1, border_radius=6)
        ink = t.TEXT if card.available else t.FAINT
        badge = pygame.Rect(rect.x + theme.px(10), rect.y + theme.px(8), theme.px(24), theme.px(22))
        pygame.draw.rect(surface, self.colour if card.available else t.EDGE, badge, border_radius=4)
        number = theme.text(
            str((index + 1) % 10) if index < 10 else "·",
            "bold",
            14,
            t.ink_on(self.colour) if card.available else t.BACKGROUND,
        )
        surface.blit(number, number.get_rect(center=badge.center))
        x = badge.right + theme.px(10)
        width = rect.right - x - theme.px(10)
        title = theme.fit(card.title, "bold", 16, width, ink)
        surface.blit(title, (x, rect.y + theme.px(9)))
        if not focused:
            summary = self._summary(card)
            if summary:
                line = theme.fit(summary, "sans", 12, width, t.MUTED)
                right = rect.right - theme.px(10) - line.get_width()
                if right > x + title.get_width() + theme.px(12):
                    surface.blit(line, (right, rect.y + theme.px(12)))
            return
        y = rect.y + theme.px(36)
        if card.description:
            block = theme.block(card.description, "sans", 14, width, t.TEXT if card.available else t.MUTED)
            surface.blit(block, (x, y), area=pygame.Rect(0, 0, width, max(0, rect.bottom - y - theme.px(6))))
            y += block.get_height() + theme.px(8)
        if not card.available:
            surface.blit(
                theme.fit(f"Closed: {card.reason or 'not possible now'}", "italic", 14, width, t.ORANGE), (x, y)
            )
            y += theme.px(22)
        else:
            for name, p in card.outcomes:
                if y + theme.px(20) > rect.bottom:
                    break
                self._draw_odds_row(surface, theme, name, p, pygame.Rect(x, y, width, theme.px(20)))
                y += theme.px(22)
        if card.history and y + theme.px(18) <= rect.bottom:
            surface.blit(theme.fit(f"★ In history: {card.history}", "sans", 12, width, t.MUTED), (x, y + theme.px(2)))

    def _draw_odds_row(self, surface, theme: Theme, name: str, p: float, row: pygame.Rect) -> None:
        bar_w = theme.px(90)
        label = theme.fit(name, "sans", 13, row.width - bar_w - theme.px(110), t.TEXT)
        surface.blit(label, (row.x, row.y + 2))
        if self.mode == "hidden":  # what may happen, but not how likely it is
            unknown = theme.text("odds unknown", "italic", 12, t.MUTED)
            surface.blit(unknown, (row.right - unknown.get_width(), row.y + 2))
            return
        words = theme.text(odds_text.describe(p, self.mode), "bold", 13, t.YELLOW)
        bar = pygame.Rect(row.right - bar_w, row.y + theme.px(6), bar_w, theme.px(8))
        surface.blit(words, (bar.x - words.get_width() - theme.px(8), row.y + 2))
        pygame.draw.rect(surface, t.BACKGROUND, bar, border_radius=3)
        if self.mode == "exact":
            pygame.draw.rect(surface, t.YELLOW, (bar.x, bar.y, max(2, int(bar.width * p)), bar.height), border_radius=3)
        else:
            steps = [edge for edge, _ in odds_text.BANDS]
            filled = next(i for i, edge in enumerate(steps) if p < edge or i == len(steps) - 1) + 1
            cell = bar.width // len(steps)
            for i in range(filled):
                pygame.draw.rect(
                    surface, t.YELLOW, (bar.x + i * cell + 1, bar.y, cell - 2, bar.height), border_radius=2
                )

    def _summary(self, card: Card) -> str:
        if not card.available:
            return "closed"
        if self.mode == "hidden" or not card.outcomes:
            return ""
        best = max(card.outcomes, key=lambda pair: pair[1])
        return f"{best[0]}: {odds_text.describe(best[1], self.mode)}"
