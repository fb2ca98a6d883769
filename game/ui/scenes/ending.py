"""The ending: the epilogue, the scores, this run beside what really happened, and how common
this ending is over many simulated games (worked out in the background while the screen shows).
"""

from __future__ import annotations

import os

import pygame

from game.ui import odds as odds_text
from game.ui import theme as t
from game.ui.readings import outcome_title
from game.ui.scenes.base import Scene
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import chip, heading, hints, panel
from game.ui.worker import EndingSimulation

SIMULATED_GAMES = 2000
WAIT_FOR_SIMULATION = 8.0  # seconds an unattended ending waits for the share before it leaves


def simulated_games() -> int:
    """How many games the share is taken over (``CRISIS_UI_SIM_GAMES`` sizes it down for tests)."""
    try:
        return max(1, int(os.environ.get("CRISIS_UI_SIM_GAMES", SIMULATED_GAMES)))
    except ValueError:
        return SIMULATED_GAMES


class EndingScene(Scene):
    name = "ending"

    def __init__(self, app, session, feed=None):
        super().__init__(app)
        self.session = session
        self.state = session.state
        self.ending = session.scenario.endings[self.state.ending]
        self.simulation = EndingSimulation(session.scenario, simulated_games(), seed=1)
        self.clock = 0.0
        self.recorded_share = False
        self.menu = Menu(
            [
                Item("Play again", self.again, note="same sides, new dice"),
                Item("Read the whole story", self.story, note="epilogue and history"),
                Item("New game", self.new_game),
                Item("Title screen", self.to_title),
                Item("Quit", self.leave),
            ],
            size=16,
        )

    def story(self) -> None:
        """The epilogue and what really happened, in full, in a scrollable box."""
        from game.ui.scenes.message import POINT, WHERE, MessageScene

        scenario = self.session.scenario
        lines = [self.state.render(self.ending.epilogue).strip()]
        if scenario.meta.history:
            lines += ["", POINT + "What really happened", scenario.meta.history.strip()]
        moves = [*scenario.actions.values(), *scenario.events.values()]
        for move in sorted((m for m in moves if m.history), key=lambda m: m.history.turns or (99,)):
            lines += ["", WHERE + move.history.when, POINT + move.title, move.history.note]
        self.app.push(MessageScene(self.app, self.ending.title, lines))

    def again(self) -> None:
        """The same scenario, sides and opponent, with a fresh seed."""
        from dataclasses import replace

        from game.ui.scenes.flow import start_game

        self.finish()
        start_game(self.app, replace(self.session.settings, seed=None), scenario=self.session.scenario)

    def new_game(self) -> None:
        from game.ui.scenes.newgame import NewGameScene
        from game.ui.scenes.title import TitleScene

        self.finish()
        self.app.reset(TitleScene(self.app))
        self.app.push(NewGameScene(self.app))

    def to_title(self) -> None:
        from game.ui.scenes.title import TitleScene

        if self.app.options.exit_at_end:
            self.leave()
            return
        self.finish()
        self.app.reset(TitleScene(self.app))

    def leave(self) -> None:
        self.finish()
        self.app.quit(0)

    def finish(self) -> None:
        self.simulation.stop()
        self.app.session = None

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.to_title()
        else:
            self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.clock += dt
        if self.simulation.ready and not self.recorded_share:
            self.recorded_share = True
            self.app.record("ending share")
        if self.app.options.auto and self.app.options.exit_at_end:
            waited = self.simulation.ready or self.clock > WAIT_FOR_SIMULATION
            if waited and self.clock > self.app.options.pace * 3:
                self.leave()

    # drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        margin = theme.px(50)
        y = theme.px(30)
        surface.blit(theme.text("THE ENDING", "bold", 13, t.ORANGE), (margin, y))
        if self.ending.historical:
            chip(surface, theme, "How it really ended", t.YELLOW, (margin + theme.px(110), y - theme.px(2)), size=12)
        y += theme.px(24)
        title = theme.text(self.ending.title, "serif-bold", 36, t.TEXT)
        surface.blit(title, (margin, y))
        y += title.get_height() + theme.px(8)
        epilogue = theme.block(
            self.state.render(self.ending.epilogue).strip(),
            "serif",
            17,
            w - 2 * margin,
            t.TEXT,
            max_lines=4,
            spacing=1.2,
        )
        surface.blit(epilogue, (margin, y))
        y += epilogue.get_height() + theme.px(18)
        gap = theme.px(16)
        col = (w - 2 * margin - 2 * gap) // 3
        height = h - y - theme.px(50)
        left = pygame.Rect(margin, y, col, height)
        self.draw_scores(surface, left)
        self.draw_run(surface, pygame.Rect(margin + col + gap, y, col, height))
        self.draw_history(surface, pygame.Rect(margin + 2 * (col + gap), y, col, height))
        hints(
            surface,
            theme,
            [("↑↓", "choose"), ("Enter", "confirm"), ("Esc", "title screen")],
            pygame.Rect(0, h - theme.px(36), w, theme.px(28)),
        )

    def draw_scores(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area)
        x, y, width = area.x + theme.px(18), area.y + theme.px(14), area.width - theme.px(36)
        y = heading(surface, theme, "Scores", (x, y))
        scores = self.state.scores()
        best = max(scores.values()) if scores else 0
        winners = [r for r, s in scores.items() if s == best]
        for role_id, score in scores.items():
            role = self.session.scenario.roles[role_id]
            colour = t.hex_colour(role.color)
            pygame.draw.circle(surface, colour, (x + theme.px(6), y + theme.px(10)), theme.px(6))
            you = " (you)" if role_id in self.session.humans else ""
            surface.blit(theme.fit(role.name + you, "bold", 15, width - theme.px(90), t.TEXT), (x + theme.px(20), y))
            value = theme.text(
                f"{score:.0f}", "bold", 18, t.YELLOW if role_id in winners and len(winners) == 1 else t.TEXT
            )
            surface.blit(value, (x + width - value.get_width(), y - 2))
            y += theme.px(28)
        verdict = self.verdict(winners)
        surface.blit(theme.block(verdict, "italic", 14, width, t.MUTED), (x, y + theme.px(4)))
        y += theme.px(50)
        y = heading(surface, theme, "How often it ends this way", (x, y))
        self.draw_shares(surface, pygame.Rect(x, y, width, area.bottom - y - theme.px(8)))

    def verdict(self, winners: list[str]) -> str:
        humans = self.session.humans
        if len(winners) != 1:
            return "Nobody comes out ahead."
        name = self.session.role_name(winners[0])
        if len(humans) == 1:
            return "You come out ahead." if winners[0] in humans else f"{name} comes out ahead."
        return f"{name} comes out ahead."

    def draw_shares(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        sim = self.simulation
        if not sim.ready:
            text = f"Simulating {sim.games:,} games of random play… {sim.played:,}"
            surface.blit(theme.block(text, "sans", 13, area.width, t.MUTED), area.topleft)
            return
        share = sim.share(self.ending.id)
        text = f"{odds_text.percent(share)} of {sum(sim.counts.values()):,} games with both sides playing at random end like this."
        block = theme.block(text, "sans", 13, area.width, t.TEXT)
        surface.blit(block, area.topleft)
        y = area.y + block.get_height() + theme.px(8)
        row = theme.px(20)
        for ending in self.session.scenario.endings.values():
            if y + row > area.bottom:
                break
            mine = ending.id == self.ending.id
            p = sim.share(ending.id)
            label = theme.fit(
                ending.title, "bold" if mine else "sans", 12, area.width - theme.px(130), t.TEXT if mine else t.MUTED
            )
            surface.blit(label, (area.x, y))
            bar = pygame.Rect(area.right - theme.px(120), y + theme.px(4), theme.px(80), theme.px(9))
            pygame.draw.rect(surface, t.PANEL_HIGH, bar, border_radius=3)
            pygame.draw.rect(
                surface,
                t.ORANGE if mine else t.SKY,
                (bar.x, bar.y, max(1, int(bar.width * p)), bar.height),
                border_radius=3,
            )
            pct = theme.text(odds_text.percent(p), "sans", 12, t.TEXT)
            surface.blit(pct, (area.right - pct.get_width(), y))
            y += row

    def draw_run(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area)
        x, y, width = area.x + theme.px(18), area.y + theme.px(14), area.width - theme.px(36)
        y = heading(surface, theme, "Your crisis" if self.session.humans else "This game", (x, y))
        menu_h = self.menu.height(theme)
        self.menu.layout(theme, pygame.Rect(x, area.bottom - menu_h - theme.px(4), width, menu_h))
        self.menu.draw(surface, theme)
        moves = [r for r in self.session.match.reports if not r.quiet]
        step = theme.px(19)
        room = max(2, (area.bottom - menu_h - y - theme.px(16)) // step)
        if len(moves) > room:
            surface.blit(theme.text(f"… {len(moves) - room + 1} earlier moves", "italic", 12, t.MUTED), (x, y))
            y += step
            moves = moves[-(room - 1) :]
        for report in moves:
            self._draw_move(surface, report, x, y, width)
            y += step

    def _draw_move(self, surface, report, x: int, y: int, width: int) -> None:
        """One line of the run: a dot in the side's colour, the turn, the move and how it went."""
        theme = self.theme
        roles = self.session.scenario.roles
        colour = t.hex_colour(roles[report.role].color) if report.role in roles else t.MUTED
        pygame.draw.circle(surface, colour, (x + theme.px(4), y + theme.px(9)), theme.px(4))
        ink = t.YELLOW if report.history else t.TEXT
        label = f"T{report.turn}  {report.title}"
        move = self.session.scenario.actions.get(report.action) or self.session.scenario.events.get(report.action)
        outcome = outcome_title(move, report.outcome) if move is not None and len(move.outcomes) > 1 else ""
        room = width - theme.px(14)
        gap = theme.px(10)
        head_w = theme.text(label, "sans", 13, ink).get_width()
        tail_w = theme.text(outcome, "italic", 12, t.MUTED).get_width() if outcome else 0
        if head_w + gap + tail_w > room:  # share the line: the outcome keeps up to 45% of it
            tail_w = min(tail_w, int(room * 0.45))
            head_w = room - gap - tail_w
        surface.blit(theme.fit(label, "sans", 13, head_w, ink), (x + theme.px(14), y))
        if outcome:
            tail = theme.fit(outcome, "italic", 12, tail_w, t.MUTED)
            surface.blit(tail, (x + width - tail.get_width(), y + 1))

    def draw_history(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        scenario = self.session.scenario
        panel(surface, area)
        x, y, width = area.x + theme.px(18), area.y + theme.px(14), area.width - theme.px(36)
        y = heading(surface, theme, "What really happened", (x, y))
        real = next((e for e in scenario.endings.values() if e.historical), None)
        if real is not None and real.id != self.ending.id:
            line = theme.fit(f"History's ending: {real.title}", "bold", 13, width, t.YELLOW)
            surface.blit(line, (x, y))
            y += line.get_height() + theme.px(6)
        if scenario.meta.history:
            body = theme.block(scenario.meta.history.strip(), "serif", 14, width, t.TEXT, max_lines=5)
            surface.blit(body, (x, y))
            y += body.get_height() + theme.px(10)
        taken = {r.action for r in self.session.match.reports if not r.quiet}
        legend = theme.text("✓ and yellow: also happened in your game", "sans", 11, t.MUTED)
        legend_top = area.bottom - legend.get_height() - theme.px(8)
        for move in (*scenario.actions.values(), *scenario.events.values()):
            if move.history is None:
                continue
            mark = "✓ " if move.id in taken else "· "
            head = theme.fit(
                f"{mark}{move.history.when}: {move.title}", "bold", 12, width, t.YELLOW if move.id in taken else t.TEXT
            )
            note = None
            if move.history.note:
                note = theme.block(move.history.note, "sans", 12, width - theme.px(14), t.MUTED, max_lines=2)
            needed = head.get_height() + theme.px(1) + (note.get_height() if note else 0)
            if y + needed > legend_top - theme.px(4):
                break  # the rest is in "Read the whole story"
            surface.blit(head, (x, y))
            y += head.get_height() + theme.px(1)
            if note is not None:
                surface.blit(note, (x + theme.px(14), y))
                y += note.get_height()
            y += theme.px(5)
        surface.blit(legend, (x, legend_top))
