"""The briefing before the first turn: the situation, the role's brief, what it can see."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.scenes.base import ReadingScene, Scene
from game.ui.scenes.handover import HandoverScene
from game.ui.widgets.panel import heading, hints, panel


def briefing_scenes(app, session) -> list[Scene]:
    """The scenes before the first turn, in order (a hand-over before each brief in hot-seat)."""
    if session.hotseat:
        # the side that moves first is briefed last, so the screen is already theirs
        order = session.scenario.turn_order
        humans = sorted(session.humans, key=lambda r: -order.index(r) if r in order else 0)
        scenes: list[Scene] = []
        for role in humans:
            scenes += [HandoverScene(app, session, role), BriefingScene(app, session, role)]
        return scenes
    return [BriefingScene(app, session, session.viewer())]


class BriefingScene(ReadingScene):
    """The situation and the role's brief; a spectator's briefing (role None) names both sides."""

    name = "briefing"

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        scenario = self.session.scenario
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        margin = theme.px(70)
        y = theme.px(40)
        surface.blit(theme.text("BRIEFING", "bold", 13, t.ORANGE), (margin, y))
        y += theme.px(24)
        title = theme.block(scenario.meta.title, "serif-bold", 34, w - 2 * margin, t.TEXT)
        surface.blit(title, (margin, y))
        y += title.get_height() + theme.px(6)
        start = scenario.calendar.start
        when = f"{start:%A %d %B %Y, %H:%M} · {scenario.calendar.turn_limit} turns of {scenario.calendar.hours_per_turn:g} hours each"
        surface.blit(theme.text(when, "sans", 15, t.MUTED), (margin, y))
        y += theme.px(40)
        col = (w - 2 * margin - theme.px(30)) // 2
        left = pygame.Rect(margin, y, col, h - y - theme.px(70))
        right = pygame.Rect(margin + col + theme.px(30), y, col, left.height)
        self._draw_situation(surface, left)
        if self.role:
            self._draw_role(surface, right, self.role)
        else:
            self._draw_sides(surface, right)
        hints(surface, theme, [("Enter", "begin"), ("Esc", "menu")], pygame.Rect(0, h - theme.px(40), w, theme.px(28)))

    def _draw_situation(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), area.width - theme.px(44)
        y = heading(surface, theme, "The situation", (x, y))
        body = theme.block(self.session.scenario.meta.summary.strip(), "serif", 17, width, t.TEXT, spacing=1.3)
        surface.blit(body, (x, y), area=pygame.Rect(0, 0, width, area.bottom - y - theme.px(10)))
        y += body.get_height() + theme.px(22)
        endings = list(self.session.scenario.endings.values())
        row = theme.px(22)
        if y + row * 2 < area.bottom:
            y = heading(surface, theme, "How it can end", (x, y))
            half = (width - theme.px(16)) // 2
            per_column = max(1, (area.bottom - y - theme.px(12)) // row)
            for i, ending in enumerate(endings[: per_column * 2]):
                column, line = divmod(i, (len(endings) + 1) // 2 if len(endings) <= per_column * 2 else per_column)
                at = (x + column * (half + theme.px(16)), y + line * row)
                surface.blit(theme.fit(f"· {ending.title}", "sans", 14, half, t.MUTED), at)

    def _draw_role(self, surface, area: pygame.Rect, role_id: str) -> None:
        theme = self.theme
        role = self.session.scenario.roles[role_id]
        colour = t.readable(t.hex_colour(role.color))
        panel(surface, area, t.PANEL, colour)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), area.width - theme.px(44)
        y = heading(surface, theme, "You are", (x, y))
        surface.blit(theme.text(role.name, "serif-bold", 26, colour), (x, y))
        y += theme.px(36)
        if role.title:
            surface.blit(theme.text(role.title, "italic", 15, t.MUTED), (x, y))
            y += theme.px(28)
        body = theme.block(role.brief.strip(), "serif", 17, width, t.TEXT, spacing=1.3)
        surface.blit(body, (x, y), area=pygame.Rect(0, 0, width, area.bottom - y - theme.px(10)))
        y += body.get_height() + theme.px(18)
        opponents = [r for r in self.session.scenario.roles if r not in self.session.humans]
        if opponents and y < area.bottom - theme.px(60):
            y = heading(surface, theme, "Your opponent", (x, y))
            names = ", ".join(self.session.role_name(r) for r in opponents)
            line = f"{names}, played by the computer: {self._strength()}"
            text = theme.block(line, "sans", 14, width, t.TEXT, max_lines=2)
            surface.blit(text, (x, y))
            y += text.get_height() + theme.px(14)
        if y < area.bottom - theme.px(60):
            hidden = self._hidden_from(role_id)
            if hidden:
                y = heading(surface, theme, "Beyond your sight", (x, y))
                text = theme.block(hidden, "sans", 14, width, t.MUTED, max_lines=3)
                surface.blit(text, (x, y))

    def _strength(self) -> str:
        from game.ui.scenes.newgame import STRENGTH_NOTES

        strength = self.session.settings.opponent
        note = STRENGTH_NOTES.get(strength)
        return f"{strength} ({note})" if note else strength

    def _hidden_from(self, role_id: str) -> str:
        seen = {s.variable: s.kind for s in self.session.state.observe(role_id).seen}
        variables = self.session.scenario.variables.values()
        estimated = [v.label for v in variables if seen.get(v.id) == "estimate"]
        hidden = [v.label for v in variables if v.id not in seen]
        parts = []
        if estimated:
            parts.append("You can only estimate: " + ", ".join(estimated) + ".")
        if hidden:
            parts.append("You cannot see: " + ", ".join(hidden) + ".")
        return " ".join(parts)

    def _draw_sides(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), area.width - theme.px(44)
        y = heading(surface, theme, "You are watching", (x, y))
        for role in self.session.scenario.roles.values():
            if y > area.bottom - theme.px(60):
                break
            colour = t.readable(t.hex_colour(role.color))
            surface.blit(theme.text(role.name, "serif-bold", 20, colour), (x, y))
            y += theme.px(30)
            lines = max(2, (area.bottom - y - theme.px(60)) // theme.line_height("serif", 14) // 2)
            body = theme.block(role.brief.strip(), "serif", 14, width, t.TEXT, max_lines=lines)
            surface.blit(body, (x, y))
            y += body.get_height() + theme.px(16)
