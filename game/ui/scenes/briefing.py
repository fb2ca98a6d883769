"""The briefing before the first turn: the situation, the role's brief, what it can see."""

from __future__ import annotations

import pygame

from game.core.aim import DRAWN, LOST, WON
from game.scenario.lint_ranges import Interval
from game.scenario.stakes import OPEN, stakes_of
from game.ui import theme as t
from game.ui.readings import known_ranges, reading_of
from game.ui.scenes.base import ReadingScene, Scene
from game.ui.scenes.handover import HandoverScene
from game.ui.widgets.panel import heading, hints, label, lines_that_fit, panel, paragraph

OUTLOOK_MARKS = {WON: ("✓", t.GOOD), LOST: ("✗", t.BAD), DRAWN: ("=", t.EITHER), OPEN: ("~", t.EITHER)}


def _band(band: Interval) -> str:
    """A score range as a player reads it: "6", "45 to 80"."""
    lo, hi = round(band.lo), round(band.hi)
    return f"{lo}" if lo == hi else f"{lo} to {hi}"


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
        margin = min(theme.px(70), w // 20)
        y = theme.px(30)
        surface.blit(theme.text("BRIEFING", "bold", 13, t.ORANGE), (margin, y))
        y += theme.px(24)
        title = scenario.meta.title
        y = paragraph(surface, theme, title, "serif-bold", 34, w - 2 * margin, t.TEXT, (margin, y), max_lines=2).bottom
        y += theme.px(6)
        start = scenario.calendar.start
        when = f"{start:%A %d %B %Y, %H:%M} · {scenario.calendar.turn_limit} turns of {scenario.calendar.hours_per_turn:g} hours each"
        y = label(surface, theme, when, "sans", 15, w - 2 * margin, t.MUTED, (margin, y)).bottom + theme.px(18)
        col = max(0, (w - 2 * margin - theme.px(30)) // 2)
        left = pygame.Rect(margin, y, col, max(0, h - y - theme.px(60)))
        right = pygame.Rect(margin + col + theme.px(30), y, col, left.height)
        self._draw_situation(surface, left)
        if self.role:
            self._draw_role(surface, right, self.role)
        else:
            self._draw_sides(surface, right)
        hints(surface, theme, [("Enter", "begin"), ("Esc", "menu")], pygame.Rect(0, h - theme.px(40), w, theme.px(28)))

    def _draw_situation(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area, theme=theme)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), max(1, area.width - theme.px(44))
        y = heading(surface, theme, "The situation", (x, y), width=width)
        summary = self.session.scenario.meta.summary.strip()
        endings = list(self.session.scenario.endings.values())
        ending_h = len(endings) * (theme.line_height("bold", 13) + theme.line_height("sans", 11) + theme.px(4))
        room = max(theme.px(60), area.bottom - y - ending_h - theme.px(50))
        lines = lines_that_fit(theme, "serif", 16, room, spacing=1.25)
        y = paragraph(surface, theme, summary, "serif", 16, width, t.TEXT, (x, y), max_lines=lines, spacing=1.25).bottom
        y += theme.px(16)
        if y + theme.px(40) < area.bottom:
            y = heading(surface, theme, "How it can end", (x, y), width=width)
            self._draw_endings(surface, endings, x, y, width, area.bottom - theme.px(10))

    def _draw_endings(self, surface, endings, x: int, y: int, width: int, bottom: int) -> None:
        """Each ending, how it comes about, and (for a side) what it would mean for that side."""
        theme = self.theme
        stakes = stakes_of(self.session.scenario)
        for i, ending in enumerate(endings):
            head_h = theme.line_height("bold", 13)
            needed = head_h + theme.line_height("sans", 11) + theme.px(4)
            if y + needed + (0 if i == len(endings) - 1 else theme.line_height("italic", 12)) > bottom:
                rest = "\n".join(f"{e.title}: {stakes.condition(e)}" for e in endings[i:])
                label(surface, theme, f"… and {len(endings) - i} more", "italic", 12, width, t.MUTED, (x, y), tip=rest)
                return
            outlook = stakes.outlook(ending, self.role, self.ranges()) if self.role else ""
            mark, colour = OUTLOOK_MARKS.get(outlook, ("·", t.TEXT))
            scores = self._scores(stakes, ending)
            whole = f"{ending.title}: {stakes.condition(ending)}.\n{scores}"
            label(surface, theme, mark, "bold", 13, theme.px(16), colour, (x, y))
            label(
                surface, theme, ending.title, "bold", 13, width - theme.px(18), t.TEXT, (x + theme.px(18), y), tip=whole
            )
            y += head_h
            how = stakes.condition(ending)
            label(surface, theme, how, "sans", 11, width - theme.px(18), t.MUTED, (x + theme.px(18), y), tip=whole)
            y += theme.line_height("sans", 11) + theme.px(4)

    def ranges(self) -> dict:
        """Where the side being briefed knows the values to lie now (everything, for a spectator)."""
        state = self.session.state
        return known_ranges(state, reading_of(state, self.role))

    def _scores(self, stakes, ending) -> str:
        """What an ending would score each side if the game ended so now, as far as the side can tell."""
        ranges = self.ranges()
        parts = [
            f"{role.name} {_band(stakes.score_range(ending, role.id, ranges))}"
            for role in self.session.scenario.roles.values()
        ]
        return "Scores if it ended so now: " + "; ".join(parts)

    def _draw_role(self, surface, area: pygame.Rect, role_id: str) -> None:
        theme = self.theme
        role = self.session.scenario.roles[role_id]
        colour = t.readable(t.hex_colour(role.color))
        panel(surface, area, t.PANEL, colour)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), area.width - theme.px(44)
        y = heading(surface, theme, "You are", (x, y))
        y = label(surface, theme, role.name, "serif-bold", 26, width, colour, (x, y)).bottom + theme.px(2)
        if role.title:
            y = label(surface, theme, role.title, "italic", 15, width, t.MUTED, (x, y)).bottom + theme.px(8)
        lines = lines_that_fit(theme, "serif", 16, max(0, area.bottom - y - theme.px(200)), spacing=1.25)
        y = paragraph(
            surface, theme, role.brief.strip(), "serif", 16, width, t.TEXT, (x, y), max_lines=lines, spacing=1.25
        ).bottom
        y += theme.px(14)
        opponents = [r for r in self.session.scenario.roles if r not in self.session.humans]
        if opponents and y < area.bottom - theme.px(60):
            y = heading(surface, theme, "Your opponent", (x, y))
            names = ", ".join(self.session.role_name(r) for r in opponents)
            line = f"{names}, played by the computer: {self._strength()}"
            y = paragraph(surface, theme, line, "sans", 14, width, t.TEXT, (x, y), max_lines=2).bottom + theme.px(14)
        if y < area.bottom - theme.px(60):
            y = heading(surface, theme, "How you win", (x, y))
            lines = lines_that_fit(theme, "sans", 14, area.bottom - y - theme.px(70))
            text = self._how_to_win(role_id)
            y = paragraph(surface, theme, text, "sans", 14, width, t.TEXT, (x, y), max_lines=min(6, lines)).bottom
            y += theme.px(14)
        if y < area.bottom - theme.px(50):
            hidden = self._hidden_from(role_id)
            if hidden:
                y = heading(surface, theme, "Beyond your sight", (x, y))
                lines = lines_that_fit(theme, "sans", 14, area.bottom - y - theme.px(10))
                paragraph(surface, theme, hidden, "sans", 14, width, t.MUTED, (x, y), max_lines=min(4, lines))

    def _how_to_win(self, role_id: str) -> str:
        """The aim in words, with this side's best and worst endings by what they can score."""
        stakes = stakes_of(self.session.scenario)
        endings = list(self.session.scenario.endings.values())
        ranges = self.ranges()
        bands = {e.id: stakes.score_range(e, role_id, ranges) for e in endings}
        middle = {e.id: (bands[e.id].lo + bands[e.id].hi) / 2 for e in endings}
        ranked = sorted(endings, key=lambda e: -middle[e.id])
        named = lambda chosen: " or ".join(f"{e.title} ({_band(bands[e.id])})" for e in chosen)  # noqa: E731
        return (
            "Every ending scores each side. You win when your score is higher than every other side's; "
            f"equal top scores are a draw. Were it to end now, your best would be {named(ranked[:2])}, "
            f"your worst {named(ranked[-1:])}. On the left, ✓ marks an ending you would win, ✗ one you would "
            "lose, ~ one that depends on how you get there; the meters mark the lines where endings fire."
        )

    def _strength(self) -> str:
        from game.ui.scenes.newgame import STRENGTH_NOTES

        strength = self.session.settings.opponent
        note = STRENGTH_NOTES.get(strength)
        return f"{strength} ({note})" if note else strength

    def _hidden_from(self, role_id: str) -> str:
        seen = {s.variable: s.kind for s in self.session.state.observe(role_id).seen}
        variables = [v for v in self.session.scenario.variables.values() if not v.internal]
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
        panel(surface, area, theme=theme)
        x, y, width = area.x + theme.px(22), area.y + theme.px(18), max(1, area.width - theme.px(44))
        y = heading(surface, theme, "You are watching", (x, y), width=width)
        roles = list(self.session.scenario.roles.values())
        for i, role in enumerate(roles):
            if y > area.bottom - theme.px(60):
                break
            colour = t.readable(t.hex_colour(role.color))
            y = label(surface, theme, role.name, "serif-bold", 20, width, colour, (x, y)).bottom + theme.px(4)
            share = (area.bottom - y - theme.px(40) * (len(roles) - i - 1)) // (len(roles) - i)
            lines = max(2, lines_that_fit(theme, "serif", 14, share))
            y = paragraph(
                surface, theme, role.brief.strip(), "serif", 14, width, t.TEXT, (x, y), max_lines=lines
            ).bottom
            y += theme.px(16)
