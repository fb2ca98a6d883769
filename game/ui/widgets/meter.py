"""A meter for one variable as a role sees it: a bar that glides to new values and shows the change.

Exact values are a filled bar; estimates are a translucent band from low to high with "≈"; a
change flashes its size with an arrow and a sign, so it never depends on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.core.model import Variable
from game.ui import theme as t
from game.ui.theme import Theme

GLIDE = 0.9  # seconds a bar takes to reach its new value
FLASH = 2.6  # seconds a change stays written next to the meter


@dataclass(frozen=True)
class Reading:
    """What a meter shows: a value (or band) and its text."""

    value: float
    low: float
    high: float
    text: str
    estimate: bool = False


class Meter:
    """One variable's meter; :meth:`show` sets a new reading, :meth:`update` animates towards it."""

    def __init__(self, variable: Variable, reading: Reading):
        self.variable = variable
        self.reading = reading
        self.shown = reading.value
        self.start = reading.value
        self.clock = GLIDE
        self.delta = 0.0
        self.flash = 0.0
        self.changed_text = False

    def show(self, reading: Reading, animate: bool = True) -> None:
        if reading == self.reading:
            return
        before = self.reading
        self.reading = reading
        if not animate:
            self.shown, self.clock, self.flash = reading.value, GLIDE, 0.0
            return
        self.start, self.clock = self.shown, 0.0
        self.delta = reading.value - before.value
        self.changed_text = before.text != reading.text
        self.flash = FLASH

    def update(self, dt: float, speed: float = 1.0) -> None:
        if self.clock < GLIDE:
            self.clock = min(GLIDE, self.clock + dt * speed)
            ease = 1 - (1 - self.clock / GLIDE) ** 3
            self.shown = self.start + (self.reading.value - self.start) * ease
        if self.flash > 0:
            self.flash = max(0.0, self.flash - dt * speed)

    @property
    def moving(self) -> bool:
        return self.clock < GLIDE

    @property
    def has_bar(self) -> bool:
        var = self.variable
        return var.type == "number" and math.isfinite(var.min) and math.isfinite(var.max) and var.max > var.min

    @property
    def worth_showing(self) -> bool:
        """A fact that is false is only news while it has just changed."""
        return self.variable.type != "boolean" or bool(self.reading.value) or self.flash > 0

    def draw(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> None:
        """A number: label, value and a bar below them."""
        colour = self._change_colour()
        value = theme.text(self.reading.text, "bold", 13, colour if self.flash > 0 else t.TEXT)
        vx = rect.right - value.get_width()
        surface.blit(value, (vx, rect.y))
        room = vx - rect.x - theme.px(8)
        if self.flash > 0:
            room -= self._draw_delta(surface, theme, vx, rect.y, colour)
        label = theme.fit(self.variable.label, "sans", 13, room, t.TEXT)
        surface.blit(label, (rect.x, rect.y))
        if self.has_bar:
            bar = pygame.Rect(rect.x, rect.y + label.get_height() + theme.px(2), rect.width, theme.px(6))
            self._draw_bar(surface, bar)

    def draw_fact(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> None:
        """A yes/no or a place, on one line."""
        var = self.variable
        ink = self._change_colour() if self.flash > 0 else t.TEXT
        if var.type == "boolean":
            mark = "✓" if self.reading.value else "✗"
            text = f"{mark} {var.label}"
        else:
            text = f"{var.label}: {self.reading.text}"
        surface.blit(theme.fit(text, "sans", 13, rect.width, ink), rect.topleft)

    def _change_colour(self):
        if self.variable.type != "number" or self.delta == 0:
            return t.YELLOW
        return t.RISE if self.delta > 0 else t.FALL

    def _draw_delta(self, surface: pygame.Surface, theme: Theme, right: int, y: int, colour) -> int:
        """The change written left of the value; returns the width it took."""
        if self.variable.type == "number" and self.delta:
            size = abs(self.delta)
            amount = f"{size:.0f}" if size >= 1 or size == 0 else f"{size:.1f}"
            text = f"{'▲ +' if self.delta > 0 else '▼ −'}{amount}"
        elif self.changed_text:
            text = "● new"
        else:
            return 0
        image = theme.text(text, "bold", 12, colour)
        if self.flash < 0.6:  # fading out; the cached image itself must keep full opacity
            image = image.copy()
            image.set_alpha(int(255 * self.flash / 0.6))
        surface.blit(image, (right - image.get_width() - theme.px(8), y + 1))
        return image.get_width() + theme.px(8)

    def _draw_bar(self, surface: pygame.Surface, bar: pygame.Rect) -> None:
        var, reading = self.variable, self.reading
        pygame.draw.rect(surface, t.PANEL_HIGH, bar, border_radius=3)

        def x_of(value: float) -> int:
            share = (min(max(value, var.min), var.max) - var.min) / (var.max - var.min)
            return bar.x + int(share * bar.width)

        if reading.estimate:
            # a band, not a level: the role only knows the value lies somewhere in here
            shift = self.shown - reading.value
            lo, hi = x_of(reading.low + shift), x_of(reading.high + shift)
            band = pygame.Rect(lo, bar.y, max(3, hi - lo), bar.height)
            pygame.draw.rect(surface, t.ORANGE, band, border_radius=3)
            for x in range(band.x + 3, band.right - 1, 5):
                pygame.draw.line(surface, t.PANEL, (x, band.y + 1), (x - 2, band.bottom - 2))
        else:
            fill = pygame.Rect(bar.x, bar.y, max(0, x_of(self.shown) - bar.x), bar.height)
            pygame.draw.rect(
                surface, t.SKY if self.delta >= 0 or self.flash <= 0 else t.VERMILLION, fill, border_radius=3
            )
