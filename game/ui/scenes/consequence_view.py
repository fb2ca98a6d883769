"""The consequence of a step, as the turn screen's right column shows it: who did what, what came
of it, how likely that was, and every change the viewer can see, coloured by whether it is good
or bad for them. All of it is the item the step added to the viewer's own feed.
"""

from __future__ import annotations

import pygame

from game.core.model import WORLD
from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.readings import reading_of
from game.ui.widgets.meter import Reading
from game.ui.widgets.panel import chip, heading, label, lines_that_fit, panel, paragraph

UNSEEN = Reading(0.0, 0.0, 0.0, "?")  # a value out of the viewer's sight before or after a step


class ConsequencePanel:
    """Draws the scene's current step; keeps only caches (the changes of the step on show)."""

    def __init__(self, scene):
        self.scene = scene
        self.theme = scene.app.theme
        self.continue_rect = pygame.Rect(0, 0, 0, 0)
        self.take_back_rect = pygame.Rect(0, 0, 0, 0)
        self._changes_key: tuple = ()
        self._changes: list[tuple] = []

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The step on show, its odds and changes, and the Continue button."""
        theme, scene = self.theme, self.scene
        entry = scene.current.entry
        seen = entry.seen in ("full", "move")
        colour = scene.role_colour(entry.role) if seen else t.MUTED
        panel(surface, area, t.PANEL, colour, theme=theme)
        x, y, width = area.x + theme.px(20), area.y + theme.px(18), max(1, area.width - theme.px(40))
        button = self._draw_continue(surface, area)
        bottom = button.y - theme.px(10)
        who, title = scene.told(entry)
        marked = colour if seen and entry.role != WORLD else t.MUTED
        y = chip(surface, theme, who, marked, (x, y)).bottom + theme.px(8)
        y = paragraph(surface, theme, title, "serif-bold", 21, width, t.TEXT, (x, y), max_lines=3).bottom
        y += theme.px(4)
        outcome = ""
        if entry.seen == "full" and scene._outcomes(entry) > 1:
            odds = odds_text.describe(scene.chance, scene.app.odds) if scene.chance is not None else ""
            outcome = entry.outcome_title + (f"  ·  odds were {odds}" if odds else "")
        elif entry.seen == "move":
            outcome = entry.outcome_title or "How it went is not known to you"
        if outcome:
            y = paragraph(surface, theme, outcome, "bold", 15, width, t.ORANGE, (x, y), max_lines=2).bottom + theme.px(
                6
            )
        ending_h = theme.px(48) if entry.ending else 0
        rows = self.changes(scene.current)
        changes_h = (theme.px(26) + len(rows) * theme.px(22)) if rows else 0
        room = bottom - y - ending_h - min(changes_h, theme.px(26) + 3 * theme.px(22))
        lines = lines_that_fit(theme, "serif", 16, max(0, room), spacing=1.3)
        y = paragraph(
            surface, theme, entry.text, "serif", 16, width, t.TEXT, (x, y), max_lines=lines, spacing=1.3
        ).bottom
        y = self._draw_changes(surface, rows, x, y + theme.px(12), width, bottom - ending_h)
        if entry.ending:
            ending = scene.session.scenario.endings[entry.ending]
            paragraph(
                surface,
                theme,
                f"The crisis ends: {ending.title}",
                "bold",
                16,
                width,
                t.YELLOW,
                (x, y + theme.px(6)),
                max_lines=2,
            )

    def changes(self, step) -> list[tuple]:
        """The changes of a step the viewer can see, as (shift, old reading, new reading); kept per step.

        They are the shifts of the viewer's own feed item: a value that moved where the viewer can
        see it, a band that narrowed, a value that came into sight ("?" before) or went out of it.
        """
        key = (id(step), self.scene.viewer)
        if self._changes_key != key:
            scene = self.scene
            before = reading_of(step.state.prev, scene.viewer) if step.state.prev is not None else {}
            after = reading_of(step.state, scene.viewer)
            rows = []
            for shift in step.entry.changes:
                old, new = before.get(shift.variable, UNSEEN), after.get(shift.variable, UNSEEN)
                if old.text != new.text:
                    rows.append((shift, old, new))
            self._changes_key, self._changes = key, rows
        return self._changes

    def _draw_changes(self, surface, rows, x: int, y: int, width: int, bottom: int) -> int:
        theme, scene = self.theme, self.scene
        if not rows or y + theme.px(40) > bottom:
            return y
        y = heading(surface, theme, "What changed", (x, y), width=width)
        lean = scene.leaning()
        for i, (change, old, new) in enumerate(rows):
            if y + theme.px(20) > bottom:
                rest = "; ".join(
                    f"{scene.session.scenario.variables[c.variable].label}: {o.text} → {n.text}" for c, o, n in rows[i:]
                )
                label(
                    surface,
                    theme,
                    f"… and {len(rows) - i} more",
                    "italic",
                    13,
                    width,
                    t.MUTED,
                    (x, y - theme.px(2)),
                    tip=rest,
                )
                return y + theme.px(18)
            var = scene.session.scenario.variables[change.variable]
            moved = change.before is not None and change.after is not None and change.after.value != change.before.value
            up = moved and change.after.value > change.before.value
            sign = ("▲" if up else "▼") if var.type == "number" and moved else "●"
            good = lean.get(change.variable, 0) * (1 if up else -1) if var.type != "place" and moved else 0
            colour = t.change_colour(good)
            value = theme.text(f"{old.text} → {new.text}  {sign}", "bold", 14, colour)
            if value.get_width() > width:
                value = theme.fit(f"{old.text} → {new.text}  {sign}", "bold", 14, width, colour)
            room = width - value.get_width() - theme.px(12)
            if room < theme.px(80) or not theme.fits(var.label, "sans", 14, room):
                label(surface, theme, var.label, "sans", 14, width, t.TEXT, (x, y))
                y += theme.px(20)  # too long for one line: the values go on a line of their own
            else:
                label(surface, theme, var.label, "sans", 14, room, t.TEXT, (x, y))
            surface.blit(value, (x + width - value.get_width(), y))
            theme.notes.tip(pygame.Rect(x, y, width, theme.px(20)), f"{var.label}: {old.text} → {new.text}")
            y += theme.px(22)
        return y

    def _draw_continue(self, surface, area: pygame.Rect) -> pygame.Rect:
        theme = self.theme
        label_image = theme.text("Continue  ⏎", "bold", 16, t.BACKGROUND)
        rect = label_image.get_rect(bottomright=(area.right - theme.px(20), area.bottom - theme.px(18))).inflate(
            theme.px(28), theme.px(14)
        )
        self.continue_rect = rect
        self.take_back_rect = pygame.Rect(0, 0, 0, 0)
        pygame.draw.rect(surface, t.ORANGE, rect, border_radius=8)
        surface.blit(label_image, label_image.get_rect(center=rect.center))
        if self.scene.can_take_back():
            words = theme.text("⌫ Take back", "bold", 14, t.TEXT)
            back = words.get_rect(midright=(rect.x - theme.px(14), rect.centery)).inflate(theme.px(20), theme.px(12))
            back.right = rect.x - theme.px(12)
            if back.x > area.x + theme.px(10):
                self.take_back_rect = back
                pygame.draw.rect(surface, t.PANEL_HIGH, back, border_radius=8)
                pygame.draw.rect(surface, t.EDGE, back, width=1, border_radius=8)
                surface.blit(words, words.get_rect(center=back.center))
                theme.notes.tip(
                    back,
                    "Take back this move (Backspace): the dice stay as they were, so the same move again ends the same way. A move can be taken back once.",
                )
        return rect
