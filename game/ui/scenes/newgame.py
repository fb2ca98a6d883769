"""The new-game screen: scenario, seat, opponent strength, odds display and seed.

Up and down pick a row, left and right change it, digits type a seed, Enter starts. A scenario
that does not load is listed with its problems, and cannot be started until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.core.model import Scenario
from game.paths import scenario_files
from game.scenario.loader import load_scenario
from game.scenario.problems import ScenarioError
from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.scenes.flow import start_game
from game.ui.scenes.message import MessageScene, problems_lines
from game.ui.session import BOTH, DEFAULT_STRENGTH, NOBODY, STRENGTH_NAMES, STRENGTHS, Settings
from game.ui.widgets.panel import heading, hints, label, lines_that_fit, panel, paragraph
from game.ui.worker import Task

ROWS = ("scenario", "seat", "opponent", "odds", "seed", "start")
ROW_NAMES = {
    "scenario": "Scenario",
    "seat": "Play as",
    "opponent": "Opponent",
    "odds": "Odds",
    "seed": "Seed",
    "start": "",
}
STRENGTH_NOTES = {
    "easy": "plays at random",
    "normal": "plays plausibly, as the author suggests",
    "hard": "takes the best next step",
    "expert": "plays every option out to the end",
}


@dataclass(frozen=True)
class Entry:
    """A scenario on offer, loaded or with the reason it would not load."""

    path: Path
    scenario: Scenario | None
    error: ScenarioError | None = None

    @property
    def title(self) -> str:
        if self.scenario:
            return self.scenario.meta.title
        return f"{self.path.name} ({'cannot be loaded' if self.error else 'reading…'})"


def load_entry(path: Path) -> Entry:
    try:
        return Entry(path, load_scenario(path))
    except ScenarioError as exc:
        return Entry(path, None, exc)


class NewGameScene(Scene):
    name = "new_game"

    def __init__(self, app):
        super().__init__(app)
        options = app.options
        paths = scenario_files()
        if options.scenario not in paths:
            paths.insert(0, options.scenario)
        # scenario files are read on a thread, so the screen opens at once
        self.entries = [Entry(p, None) for p in paths]
        self.loading: Task | None = Task(lambda: [load_entry(p) for p in paths], name="crisis-scenarios")
        self.index = next((i for i, e in enumerate(self.entries) if e.path == options.scenario), 0)
        self.row = ROWS.index("start")
        self.seat = options.seat or ""
        self.strength = options.opponent if options.opponent in STRENGTHS else DEFAULT_STRENGTH
        self.odds = app.odds
        self.seed_text = "" if options.seed is None else str(options.seed)
        self.wait = 0.0
        self.rects: dict[str, pygame.Rect] = {}

    # choices ---------------------------------------------------------------------------

    @property
    def entry(self) -> Entry:
        return self.entries[self.index]

    def seats(self) -> list[tuple[str, str]]:
        scenario = self.entry.scenario
        if scenario is None:
            return [(NOBODY, "—")]
        seats = [
            (r.id, f"{r.name}" + (f", {r.title}" if r.title else "")) for r in scenario.roles.values() if r.playable
        ]
        if len(seats) > 1:
            seats.append((BOTH, "Both sides, at one screen"))
        seats.append((NOBODY, "Watch the AI play itself"))
        return seats

    def _fix_seat(self) -> None:
        if self.entry.scenario is None:
            return
        ids = [s for s, _ in self.seats()]
        if self.seat not in ids:
            self.seat = ids[0]

    def change(self, row: str, step: int) -> None:
        if row == "scenario":
            self.index = (self.index + step) % len(self.entries)
            self._fix_seat()
        elif row == "seat":
            ids = [s for s, _ in self.seats()]
            at = ids.index(self.seat) if self.seat in ids else -step if step > 0 else 0
            self.seat = ids[(at + step) % len(ids)]
        elif row == "opponent":
            self.strength = STRENGTH_NAMES[(STRENGTH_NAMES.index(self.strength) + step) % len(STRENGTH_NAMES)]
        elif row == "odds":
            self.odds = odds_text.MODES[(odds_text.MODES.index(self.odds) + step) % len(odds_text.MODES)]
        elif row == "seed" and step:
            self.seed_text = ""

    def start(self) -> None:
        entry = self.entry
        if entry.scenario is None and entry.error is None:
            return
        if entry.scenario is None:
            self.app.push(MessageScene(self.app, "This scenario has problems", problems_lines(entry.error)))
            return
        self.app.odds = self.odds
        settings = Settings(
            scenario_path=entry.path,
            seat=self.seat,
            opponent=self.strength,
            seed=int(self.seed_text) if self.seed_text else None,
            odds=self.odds,
        )
        start_game(self.app, settings, scenario=entry.scenario)

    # input -----------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._click(event.pos)
        elif event.type == pygame.MOUSEMOTION:
            for i, row in enumerate(ROWS):
                if row in self.rects and self.rects[row].collidepoint(event.pos):
                    self.row = i

    def _key(self, event: pygame.event.Event) -> None:
        row = ROWS[self.row]
        key = event.key
        if key == pygame.K_ESCAPE:
            self.app.pop()
        elif key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB):
            self.row = (self.row + (-1 if key == pygame.K_UP else 1)) % len(ROWS)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.change(row, -1 if key == pygame.K_LEFT else 1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
        elif key == pygame.K_SPACE and row != "start":
            self.change(row, 1)
        elif key == pygame.K_SPACE:
            self.start()
        elif row == "seed" and key == pygame.K_BACKSPACE:
            self.seed_text = self.seed_text[:-1]
        elif row == "seed" and event.unicode.isascii() and event.unicode.isdigit() and len(self.seed_text) < 12:
            self.seed_text += event.unicode

    def _click(self, pos: tuple[int, int]) -> None:
        for i, row in enumerate(ROWS):
            rect = self.rects.get(row)
            if rect is None or not rect.collidepoint(pos):
                continue
            self.row = i
            if row == "start":
                self.start()
            else:
                self.change(row, -1 if pos[0] < rect.x + rect.width // 3 else 1)

    def update(self, dt: float) -> None:
        if self.loading is not None and self.loading.done:
            self.entries = self.loading.result()
            self.loading = None
            self._fix_seat()
            self.app.record(self.name)  # the screen as it is once the scenarios are read
        if self.app.options.auto and self.loading is None:
            self.wait += dt
            if self.wait > self.app.options.pace * 3:
                self.wait = -1e9
                self.start()

    # drawing ---------------------------------------------------------------------------

    def value_text(self, row: str) -> str:
        if row == "scenario":
            return self.entry.title
        if row == "seat":
            return dict(self.seats()).get(self.seat, self.seat)
        if row == "opponent":
            return f"{self.strength.capitalize()}: {STRENGTH_NOTES.get(self.strength, '')}"
        if row == "odds":
            return odds_text.MODE_NAMES[self.odds]
        if row == "seed":
            return self.seed_text or "Random (a new game each time)"
        return "Start the game"

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        margin = min(theme.px(60), w // 16)
        top = theme.px(30)
        label(surface, theme, "New game", "serif-bold", 36, w - 2 * margin, t.TEXT, (margin, top))
        form_w = min(theme.px(620), w // 2)
        y = top + theme.line_height("serif-bold", 36) + theme.px(14)
        hint_h = theme.px(40)
        gap = theme.px(8)
        row_h = max(theme.px(30), min(theme.px(58), (h - y - hint_h) // len(ROWS) - gap))
        for i, row in enumerate(ROWS):
            y = self._draw_row(surface, row, i == self.row, pygame.Rect(margin, y, form_w, row_h)) + gap
        x = margin + form_w + theme.px(30)
        side = pygame.Rect(x, top + theme.px(60), max(0, w - x - margin), max(0, h - top - theme.px(60) - hint_h))
        self._draw_scenario(surface, side)
        hints(
            surface,
            theme,
            [("↑↓", "row"), ("←→", "change"), ("0–9", "seed"), ("Enter", "start"), ("Esc", "back")],
            pygame.Rect(0, h - theme.px(36), w, theme.px(28)),
        )

    def _draw_row(self, surface, row: str, focused: bool, rect: pygame.Rect) -> int:
        theme = self.theme
        self.rects[row] = rect
        if row == "start":
            button = pygame.Rect(
                rect.x, rect.y + theme.px(4), min(rect.width, theme.px(260)), min(rect.height, theme.px(48))
            )
            self.rects[row] = button
            pygame.draw.rect(surface, t.ORANGE if self.entry.scenario else t.EDGE, button, border_radius=8)
            if focused:
                pygame.draw.rect(surface, t.TEXT, button, width=3, border_radius=8)
            text = theme.text("Start the game  ⏎", "bold", 18, t.BACKGROUND)
            surface.blit(text, text.get_rect(center=button.center))
            return button.bottom
        panel(surface, rect, t.PANEL_HIGH if focused else t.PANEL, t.FOCUS if focused else t.EDGE, theme=theme)
        small = theme.line_height("bold", 11)
        big = theme.line_height("bold", 17)
        pad = max(2, (rect.height - small - big) // 3)
        label(
            surface,
            theme,
            ROW_NAMES[row].upper(),
            "bold",
            11,
            rect.width - theme.px(28),
            t.MUTED,
            (rect.x + theme.px(14), rect.y + pad),
        )
        value_y = rect.y + pad + small + pad // 2
        room = rect.width - theme.px(80)
        label(
            surface,
            theme,
            self.value_text(row),
            "bold" if focused else "sans",
            17,
            room,
            t.TEXT,
            (rect.x + theme.px(14), value_y),
        )
        if row != "seed":
            arrows = theme.text("◀  ▶", "sans", 15, t.FOCUS if focused else t.FAINT)
            surface.blit(arrows, (rect.right - arrows.get_width() - theme.px(14), value_y + theme.px(2)))
        elif focused:
            caret = theme.text("type digits · ← random", "sans", 12, t.MUTED)
            if caret.get_width() < rect.width // 2:
                surface.blit(caret, (rect.right - caret.get_width() - theme.px(14), rect.y + pad))
        return rect.bottom

    def _draw_scenario(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        if area.width < theme.px(120) or area.height < theme.px(80):
            return
        panel(surface, area, theme=theme)
        x, y = area.x + theme.px(24), area.y + theme.px(20)
        width = area.width - theme.px(48)
        bottom = area.bottom - theme.px(12)
        entry = self.entry
        scenario = entry.scenario
        y = paragraph(
            surface, theme, entry.title, "serif-bold", 22, width, t.TEXT, (x, y), max_lines=2
        ).bottom + theme.px(10)
        if scenario is None and entry.error is None:
            label(surface, theme, "Reading the scenario…", "italic", 15, width, t.MUTED, (x, y))
            return
        if scenario is None:
            found = getattr(entry.error, "problems", [])
            text = "\n".join(f"line {p.line}: {p.message}" for p in found[:10]) or str(entry.error)
            lines = lines_that_fit(theme, "sans", 13, bottom - y)
            paragraph(surface, theme, text, "sans", 13, width, t.ORANGE, (x, y), max_lines=lines)
            return
        lines = min(7, lines_that_fit(theme, "serif", 15, (bottom - y) // 2))
        y = paragraph(
            surface, theme, scenario.meta.summary.strip(), "serif", 15, width, t.TEXT, (x, y), max_lines=lines
        ).bottom
        y += theme.px(12)
        cal = scenario.calendar
        facts = f"{cal.start:%d %B %Y, %H:%M} · {cal.turn_limit} turns of {cal.hours_per_turn:g} hours"
        y = label(surface, theme, facts, "sans", 14, width, t.MUTED, (x, y)).bottom + theme.px(12)
        if y + theme.px(40) > bottom:
            return
        y = heading(surface, theme, "The sides", (x, y), width=width)
        for role in scenario.roles.values():
            line = role.name + (f" — {role.title}" if role.title else "") + ("" if role.playable else " (AI only)")
            rows = min(2, theme.lines_of(line, "bold", 14, width - theme.px(20)))
            if y + rows * theme.line_height("bold", 14) > bottom:
                break
            colour = t.hex_colour(role.color)
            pygame.draw.circle(surface, colour, (x + theme.px(6), y + theme.px(9)), theme.px(6))
            y = paragraph(
                surface, theme, line, "bold", 14, width - theme.px(20), t.TEXT, (x + theme.px(20), y), max_lines=2
            ).bottom
            y += theme.px(6)
        sources = [s.title for s in scenario.meta.sources]
        if sources and y < bottom - theme.px(50):
            y = heading(surface, theme, "Sources", (x, y + theme.px(8)), width=width)
            lines = lines_that_fit(theme, "sans", 12, bottom - y)
            paragraph(surface, theme, "; ".join(sources), "sans", 12, width, t.MUTED, (x, y), max_lines=lines)
