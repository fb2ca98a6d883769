"""A line chart of a few meters over a game, each as a share of its range, with a legend.

The series come from the match's record: the starting values, then the values after every step.
Colours are taken from the Okabe–Ito palette, and each line also has its own mark in the legend
and at its end, so the chart reads without telling colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import theme as t
from game.ui.theme import Theme
from game.ui.widgets.panel import label

COLOURS = (t.SKY, t.ORANGE, t.GREEN, t.PURPLE, t.YELLOW, t.VERMILLION)
MARKS = ("●", "■", "▲", "◆", "▼", "★")


@dataclass(frozen=True)
class Series:
    label: str
    low: float
    high: float
    points: tuple[tuple[float, float], ...]  # (turn, value)
    span: str = ""  # the first and last value as players read them, "70 → 18"


def draw_chart(surface: pygame.Surface, theme: Theme, area: pygame.Rect, series: list[Series], turns: int) -> None:
    """The series in ``area``: the plot on top, the legend below it."""
    if area.width < theme.px(80) or area.height < theme.px(60) or not series:
        return
    legend_h = theme.line_height("sans", 11) * ((len(series) + 1) // 2) + theme.px(4)
    plot = pygame.Rect(
        area.x + theme.px(4), area.y + theme.px(4), area.width - theme.px(8), area.height - legend_h - theme.px(14)
    )
    if plot.height < theme.px(20):
        return
    pygame.draw.rect(surface, t.BACKGROUND, plot, border_radius=3)
    for share in (0.25, 0.5, 0.75):
        y = plot.bottom - int(plot.height * share)
        pygame.draw.line(surface, t.PANEL_HIGH, (plot.x, y), (plot.right - 1, y))
    span = max(1.0, float(turns))  # from the start of turn 1 to the end of the last turn

    def at(turn: float, value: float, s: Series) -> tuple[int, int]:
        share = (min(max(value, s.low), s.high) - s.low) / (s.high - s.low) if s.high > s.low else 0.5
        x = plot.x + int(min(max(turn - 1, 0.0), span) / span * (plot.width - 1))
        return x, plot.bottom - 1 - int(share * (plot.height - 2))

    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = [at(turn, value, s) for turn, value in s.points]
        if len(points) > 1:
            pygame.draw.lines(surface, colour, False, points, max(1, theme.px(2)))
        mark = theme.text(MARKS[i % len(MARKS)], "sans", 10, colour)
        surface.blit(mark, mark.get_rect(center=points[-1]))
    first = theme.text("turn 1", "sans", 10, t.FAINT)
    last = theme.text(f"turn {turns}", "sans", 10, t.FAINT)
    surface.blit(first, (plot.x, plot.bottom + theme.px(1)))
    surface.blit(last, (plot.right - last.get_width(), plot.bottom + theme.px(1)))
    y0 = plot.bottom + theme.px(14)
    half = area.width // 2
    for i, s in enumerate(series):
        x = area.x + (i % 2) * half
        y = y0 + (i // 2) * theme.line_height("sans", 11)
        colour = COLOURS[i % len(COLOURS)]
        text = f"{MARKS[i % len(MARKS)]} {s.label}"
        label(surface, theme, text, "sans", 11, half - theme.px(6), colour, (x, y), tip=f"{text}: {s.span}")
