"""A meter for one variable as a role sees it: a bar that glides to new values and shows the change.

Exact values are a filled bar; estimates are a hatched band from low to high with "≈". A change
flashes its size with an arrow and a sign, coloured by whether it is good or bad for the side
watching (never by colour alone). The lines where an ending fires are marked on the bar, with
the stretch beyond them shaded, and the meter warns (⚠) as its value comes near one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from game.core.aim import LOST, WON
from game.core.model import Variable
from game.ui import theme as t
from game.ui.theme import Theme
from game.ui.widgets.panel import label, paragraph

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


@dataclass(frozen=True)
class Line:
    """An ending's threshold on this meter, as the watching side reads it."""

    value: float
    below: bool  # the ending fires at or under the line (rather than at or over it)
    words: str  # "At 20 or below: Putin's system fractures"
    outlook: str = ""  # what that ending would mean for the side watching: won, lost, ...
    alone: bool = True  # reaching the line is enough by itself
    near: bool = False  # the value has come close to the line


@dataclass
class Stakes:
    """What a meter knows of the stakes: whether rising is good for the side watching, and its lines."""

    lean: int = 0  # +1 rising is good, -1 falling is good, 0 neither or nobody's view
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def warning(self) -> Line | None:
        return next((line for line in self.lines if line.near), None)


class Meter:
    """One variable's meter; :meth:`show` sets a new reading, :meth:`update` animates towards it."""

    def __init__(self, variable: Variable, reading: Reading, stakes: Stakes | None = None):
        self.variable = variable
        self.reading = reading
        self.stakes = stakes or Stakes()
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

    # reading the meter -----------------------------------------------------------------------

    def tip(self) -> str:
        """Everything about the meter in words: label, value, meaning and the lines on it."""
        var = self.variable
        parts = [f"{self._label_text()}: {self.reading.text}"]
        if var.description:
            parts.append(var.description.strip())
        for line in self.stakes.lines:
            result = {WON: " (you would win)", LOST: " (you would lose)"}.get(line.outlook, "")
            parts.append(f"{'⚠ ' if line.near else ''}{line.words}{result}")
        return "\n".join(parts)

    def good(self) -> int:
        """+1 when the last change was good for the side watching, -1 when bad, 0 when neither."""
        if self.variable.type == "place" or not self.delta:
            return 0
        return self.stakes.lean * (1 if self.delta > 0 else -1)

    def change_colour(self):
        return t.change_colour(self.good())

    # drawing ---------------------------------------------------------------------------------

    def height(self, theme: Theme, width: int) -> int:
        """The meter's height at ``width``: its label takes two lines when one is not enough."""
        if not self.has_bar:
            lines = min(2, theme.lines_of(self._fact_text(), "sans", 13, width))
            return lines * theme.line_height("sans", 13) + theme.px(4)
        lines = 2 if self._label_room(theme, width) < theme._width(self._label_text(), "sans", 13) else 1
        return lines * theme.line_height("sans", 13) + theme.px(9)

    def _label_text(self) -> str:
        return ("⚠ " if self.stakes.warning else "") + self.variable.label

    def _label_room(self, theme: Theme, width: int) -> int:
        value = theme._width(self.reading.text, "bold", 13)
        change = self._delta_text()
        delta = theme._width(change, "bold", 12) + theme.px(8) if self.flash > 0 and change else 0
        return width - value - delta - theme.px(8)

    def _delta_text(self) -> str:
        """The change as it is written beside the value: "▲ +5", "▼ −12", "● new" ("" for none)."""
        if self.variable.type == "number" and self.delta:
            size = abs(self.delta)
            amount = f"{size:.0f}" if size >= 1 or size == 0 else f"{size:.1f}"
            return f"{'▲ +' if self.delta > 0 else '▼ −'}{amount}"
        return "● new" if self.changed_text else ""

    def draw(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> None:
        """A number: label, value and a bar below them, the ending lines marked on the bar."""
        warning = self.stakes.warning
        colour = self.change_colour()
        ink = colour if self.flash > 0 else (t.ORANGE if warning else t.TEXT)
        value = theme.text(self.reading.text, "bold", 13, ink)
        vx = rect.right - value.get_width()
        surface.blit(value, (vx, rect.y))
        room = vx - rect.x - theme.px(8)
        if self.flash > 0:
            room -= self._draw_delta(surface, theme, vx, rect.y, colour)
        text = self._label_text()
        line_h = theme.line_height("sans", 13)
        bar_y = rect.bottom - theme.px(7)
        if theme.fits(text, "sans", 13, room) or bar_y - rect.y < 2 * line_h:
            label(surface, theme, text, "sans", 13, room, t.ORANGE if warning else t.TEXT, rect.topleft, tip=self.tip())
        else:
            block = theme.block(text, "sans", 13, room, t.ORANGE if warning else t.TEXT, max_lines=2, spacing=1.0)
            surface.blit(block, rect.topleft)
            theme.notes.box(pygame.Rect(rect.topleft, block.get_size()), text)
            theme.notes.tip(pygame.Rect(rect.x, rect.y, rect.width, rect.height), self.tip())
        if self.has_bar:
            self._draw_bar(surface, pygame.Rect(rect.x, bar_y, rect.width, theme.px(5)))
        theme.notes.tip(rect, self.tip())

    def draw_fact(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> None:
        """A yes/no or a place, on one line (two when it is long)."""
        ink = self.change_colour() if self.flash > 0 else t.TEXT
        tip = self.tip() if self.variable.description else ""
        paragraph(
            surface,
            theme,
            self._fact_text(),
            "sans",
            13,
            rect.width,
            ink,
            rect.topleft,
            max_lines=2,
            spacing=1.0,
            tip=tip,
        )

    def _fact_text(self) -> str:
        var = self.variable
        if var.type == "boolean":
            return f"{'✓' if self.reading.value else '✗'} {var.label}"
        return f"{var.label}: {self.reading.text}"

    def _draw_delta(self, surface: pygame.Surface, theme: Theme, right: int, y: int, colour) -> int:
        """The change written left of the value; returns the width it took."""
        text = self._delta_text()
        if not text:
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

        for line in self.stakes.lines:  # the stretch where an ending fires, shaded
            if line.alone:
                x = x_of(line.value)
                zone = (
                    pygame.Rect(bar.x, bar.y, x - bar.x, bar.height)
                    if line.below
                    else pygame.Rect(x, bar.y, bar.right - x, bar.height)
                )
                pygame.draw.rect(surface, t.shade(t.outlook_colour(line.outlook)), zone, border_radius=3)
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
            moving = self.flash > 0 and self.good() < 0
            pygame.draw.rect(surface, t.VERMILLION if moving else t.SKY, fill, border_radius=3)
        for line in self.stakes.lines:
            x = x_of(line.value)
            colour = t.outlook_colour(line.outlook)
            top, bottom = (bar.y - 3, bar.bottom + 2) if line.alone else (bar.y - 1, bar.bottom)
            pygame.draw.line(surface, colour, (x, top), (x, bottom), 2)
