"""The consequence of a step, as the turn screen's right column shows it: who did what, what came
of it, how likely that was, and every change the viewer can see.
"""

from __future__ import annotations

import pygame

from game.core.model import WORLD
from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.readings import outcome_title, reading_of, with_values
from game.ui.widgets.panel import chip, heading, panel


class ConsequencePanel:
    """Draws the scene's current step; keeps only caches (the changes of the step on show)."""

    def __init__(self, scene):
        self.scene = scene
        self.theme = scene.app.theme
        self.continue_rect = pygame.Rect(0, 0, 0, 0)
        self._changes_key: tuple = ()
        self._changes: list[tuple] = []

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The step on show, its odds and changes, and the Continue button."""
        theme, scene = self.theme, self.scene
        step = scene.current
        report = step.report
        colour = scene.role_colour(report.role)
        panel(surface, area, t.PANEL, colour)
        x, y, width = area.x + theme.px(20), area.y + theme.px(18), area.width - theme.px(40)
        who = "Events" if report.role == WORLD else scene.session.role_name(report.role)
        chip(surface, theme, who, colour if report.role != WORLD else t.MUTED, (x, y))
        y += theme.px(32)
        title = theme.block(report.title, "serif-bold", 21, width, t.TEXT)
        surface.blit(title, (x, y))
        y += title.get_height() + theme.px(4)
        move = scene.move_of(report)
        if move is not None and len(move.outcomes) > 1:
            outcome = theme.fit(outcome_title(move, report.outcome), "bold", 15, width, t.ORANGE)
            surface.blit(outcome, (x, y))
            odds = odds_text.describe(scene.chance, scene.app.odds) if scene.chance is not None else ""
            if odds:
                note = theme.text(f"   odds were {odds}", "sans", 13, t.MUTED)
                surface.blit(note, (x + outcome.get_width(), y + theme.px(2)))
            y += theme.px(26)
        body = theme.block(report.text, "serif", 16, width, t.TEXT, spacing=1.3)
        surface.blit(body, (x, y))
        y += body.get_height() + theme.px(14)
        y = self._draw_changes(surface, report, x, y, width)
        if report.ending:
            ending = scene.session.scenario.endings[report.ending]
            surface.blit(
                theme.fit(f"The crisis ends: {ending.title}", "bold", 16, width, t.YELLOW), (x, y + theme.px(6))
            )
        self._draw_continue(surface, area)

    def changes(self, step) -> list[tuple]:
        """The changes of a step the viewer can see, as (change, old reading, new reading); kept per step."""
        key = (id(step), self.scene.viewer)
        if self._changes_key != key:
            scene = self.scene
            before = reading_of(with_values(step.state, scene.previous_values), scene.viewer)
            after = reading_of(step.state, scene.viewer)
            rows = []
            for change in step.report.changes:
                old, new = before.get(change.variable), after.get(change.variable)
                if old is not None and new is not None and old.text != new.text:
                    rows.append((change, old, new))
            self._changes_key, self._changes = key, rows
        return self._changes

    def _draw_changes(self, surface, report, x: int, y: int, width: int) -> int:
        theme, scene = self.theme, self.scene
        rows = self.changes(scene.current)
        if not rows:
            return y
        y = heading(surface, theme, "What changed", (x, y))
        for change, old, new in rows:
            var = scene.session.scenario.variables[change.variable]
            up = change.after > change.before
            sign = ("▲" if up else "▼") if var.type == "number" else "●"
            colour = (t.RISE if up else t.FALL) if var.type == "number" else t.YELLOW
            value = theme.fit(f"{old.text} → {new.text}  {sign}", "bold", 14, width, colour)
            label = theme.fit(var.label, "sans", 14, width, t.TEXT)
            surface.blit(label, (x, y))
            if label.get_width() + value.get_width() + theme.px(12) > width:
                y += theme.px(20)  # too long for one line: the values go on a line of their own
            surface.blit(value, (x + width - value.get_width(), y))
            y += theme.px(22)
        return y

    def _draw_continue(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        label = theme.text("Continue  ⏎", "bold", 16, t.BACKGROUND)
        rect = label.get_rect(bottomright=(area.right - theme.px(20), area.bottom - theme.px(18))).inflate(
            theme.px(28), theme.px(14)
        )
        self.continue_rect = rect
        pygame.draw.rect(surface, t.ORANGE, rect, border_radius=8)
        surface.blit(label, label.get_rect(center=rect.center))
