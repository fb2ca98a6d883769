"""The ending: how you did by your side's aim, why the game ended, where the points came from,
the whole game move by move with a chart of its main meters, this run beside what really
happened, and how common this ending is over many simulated games (worked out in the
background while the screen shows).

The game being over, the screen reveals what each side at the screen did not know: the values it
never saw exactly (the truth beside what it saw, and where a drawn value started) and the moves
it never saw in full, marked in the move list (:mod:`game.ui.reveal`).

The verdict reads :mod:`game.core.aim`, the same definition the AI and the balance report use:
a side wins with a score higher than every other side's; equal top scores are a draw.
"""

from __future__ import annotations

import pygame

from game.core import aim
from game.core import negotiation as deals
from game.flags import from_env
from game.scenario.stakes import signed, stakes_of
from game.ui import odds as odds_text
from game.ui import reveal
from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.widgets.chart import Series, draw_chart
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import chip, heading, hints, label, lines_that_fit, panel, paragraph
from game.ui.worker import EndingSimulation

SIMULATED_GAMES = 2000
MAX_SIMULATED_GAMES = 100_000  # the most the knob may ask for
WAIT_FOR_SIMULATION = 8.0  # seconds an unattended ending waits for the share before it leaves
CHARTED = 4  # meters on the chart


def simulated_games() -> int:
    """How many games the share is taken over (``CRISIS_UI_SIM_GAMES`` sizes it down for tests)."""
    return int(from_env("CRISIS_UI_SIM_GAMES", SIMULATED_GAMES, 1, MAX_SIMULATED_GAMES))


class EndingScene(Scene):
    name = "ending"

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session
        self.state = session.state
        self.moves = reveal.moves(self.state, session.humans)
        self.truths = {role: reveal.truths(self.state, role) for role in session.humans}
        self.ending = session.scenario.endings[self.state.ending]
        self.stakes = stakes_of(session.scenario)
        self.simulation = EndingSimulation(session.scenario, simulated_games(), seed=1)
        self.clock = 0.0
        self.recorded_share = False
        self.sounded = False
        self.scroll = 0  # moves scrolled past at the top of the move list
        self.moves_rect = pygame.Rect(0, 0, 0, 0)
        self.last_scroll = 0
        self.menu = Menu(
            [
                Item("Play again", self.again, note="same sides, new dice"),
                Item("Read the whole story", self.story, note="epilogue and history"),
                Item("New game", self.new_game),
                Item("Title screen", self.to_title),
                Item("Quit", self.ask_to_quit),
            ],
            size=15,
            across=True,
        )

    # what the screen says ---------------------------------------------------------------------

    @property
    def you(self) -> str | None:
        """The side the verdict speaks to: the one person at the screen, else nobody."""
        humans = self.session.humans
        return humans[0] if len(humans) == 1 else None

    def verdict(self) -> tuple[str, tuple[int, int, int]]:
        """The result in plain words, by the sides' aim, and its colour."""
        scores = self.state.scores()
        names = self.session.role_name
        top = aim.winners(scores)
        first = self.you if self.you is not None else (top[0] if top else None)
        order = sorted(scores, key=lambda r: (r != first, -scores[r]))  # yours (or the winner's) first
        score_line = " to ".join(f"{scores[r]:.0f}" for r in order)
        if self.you is not None:
            result = aim.result(scores, self.you)
            words = {aim.WON: "You won", aim.DRAWN: "A draw", aim.LOST: "You lost"}[result]
            colour = {aim.WON: t.GOOD, aim.DRAWN: t.EITHER, aim.LOST: t.BAD}[result]
            return f"{words}, {score_line}.", colour
        if len(top) == 1:
            return f"{names(top[0])} won, {score_line}.", t.readable(self._colour(top[0]))
        return f"A draw between {' and '.join(names(r) for r in top)}, {score_line}.", t.EITHER

    def why(self) -> str:
        reports = self.session.match.reports
        return self.stakes.why(self.state, reports[-1] if reports else None)

    def parts(self, role: str) -> list[tuple[str, float]]:
        """The role's score as the terms it adds up, with their values."""
        env = self.state.env
        return [(part.label, part.expr(env)) for part in self.stakes.parts(self.ending.id, role)]

    def charted(self) -> list[Series]:
        """The main meters over the game: those the side saw exactly that moved most."""
        scenario = self.session.scenario
        values = list(scenario.initial_values())
        slots = scenario.slots
        reports = self.session.match.reports
        per_turn: dict[int, int] = {}
        for report in reports:
            per_turn[report.turn] = per_turn.get(report.turn, 0) + 1
        history = [(1.0, tuple(values))]
        seen: dict[int, int] = {}
        for report in reports:  # a turn's steps spread across it, in order
            for change in report.changes:
                values[slots[change.variable]] = change.after
            seen[report.turn] = seen.get(report.turn, 0) + 1
            history.append((report.turn + seen[report.turn] / per_turn[report.turn], tuple(values)))
        visible = self._seen_exactly()
        found = []
        for vid in visible:
            var = scenario.variables[vid]
            if var.type != "number" or not (var.max > var.min) or var.max - var.min == float("inf"):
                continue
            slot = slots[vid]
            series = [(turn, v[slot]) for turn, v in history]
            moved = sum(abs(b[1] - a[1]) for a, b in zip(series, series[1:])) / (var.max - var.min)
            lined = bool(self.stakes.lines_of(vid))
            if moved > 0:
                span = f"{self.state.format_value(vid, series[0][1])} → {self.state.format_value(vid, series[-1][1])}"
                found.append(((lined, moved), Series(var.label, var.min, var.max, tuple(series), span)))
        found.sort(key=lambda pair: pair[0], reverse=True)
        return [series for _, series in found[:CHARTED]]

    def hidden_words(self, move: reveal.Told) -> str:
        """Whom a move was hidden from, in words ("" for a move every side at the screen saw)."""
        if not move.hidden_from:
            return ""
        if move.hidden_from == (self.you,):
            return "you did not see this"
        return "hidden from " + " and ".join(self.session.role_name(r) for r in move.hidden_from)

    def turns_played(self) -> int:
        reports = self.session.match.reports
        return reports[-1].turn if reports else 1

    def _seen_exactly(self) -> list[str]:
        """The variables the side watching saw exactly (every variable for a spectator)."""
        scenario = self.session.scenario
        viewers = self.session.humans
        if not viewers:
            return [vid for vid, var in scenario.variables.items() if not var.internal]
        seen = set()
        for role in viewers:
            seen |= {s.variable for s in self.state.observe(role).seen if s.kind == "exact"}
        return [v for v in scenario.variables if v in seen]

    def _colour(self, role: str):
        found = self.session.scenario.roles.get(role)
        return t.hex_colour(found.color) if found else t.MUTED

    # actions -----------------------------------------------------------------------------------

    def story(self) -> None:
        """The epilogue and what really happened, in full, in a scrollable box."""
        from game.ui.scenes.message import POINT, WHERE, MessageScene

        scenario = self.session.scenario
        lines = [self.state.render(self.ending.epilogue).strip()]
        if scenario.meta.history:
            lines += ["", POINT + "What really happened", scenario.meta.history.strip()]
        for move in scenario.noted():
            lines += ["", WHERE + move.history.when, POINT + move.title, move.history.note]
        for role, truths in self.truths.items():
            secret = [m for m in self.moves if role in m.hidden_from]
            if not truths and not secret:
                continue
            lines += ["", POINT + f"What {self.session.role_name(role)} did not know"]
            lines += [self.truth_words(truth) for truth in truths]
            lines += [f"Turn {m.turn}, {self.session.role_name(m.role)}: {self.move_words(m)}" for m in secret]
        self.app.push(MessageScene(self.app, self.ending.title, lines))

    @staticmethod
    def truth_words(truth: reveal.Truth) -> str:
        started = f", drawn at the start as {truth.started}" if truth.started else ""
        return f"{truth.label}: {truth.truth}{started} (you saw {truth.saw})"

    @staticmethod
    def move_words(move: reveal.Told) -> str:
        return f"{move.title}: {move.outcome}" if move.outcome else move.title

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

    def ask_to_quit(self) -> None:
        from game.ui.scenes.message import ConfirmScene

        self.app.push(ConfirmScene(self.app, "Quit the game?", self.leave))

    def leave(self) -> None:
        self.finish()
        self.app.quit(0)

    def finish(self) -> None:
        self.simulation.stop()
        self.app.session = None

    def enter(self) -> None:
        if not self.sounded:
            self.sounded = True
            scores = self.state.scores()
            if self.you is not None:
                self.app.sound.play(aim.result(scores, self.you))
            else:
                self.app.sound.play(aim.WON if len(aim.winners(scores)) == 1 else aim.DRAWN)

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.to_title()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.scroll_moves(-8 if event.key == pygame.K_PAGEUP else 8)
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll_moves(-2 * event.y)
        else:
            self.menu.handle_event(event)

    def scroll_moves(self, rows: int) -> None:
        self.scroll = min(max(0, self.scroll + rows), self.last_scroll)

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
        margin = min(theme.px(40), w // 30)
        width = w - 2 * margin
        y = theme.px(22)
        surface.blit(theme.text("THE ENDING", "bold", 13, t.ORANGE), (margin, y))
        if self.ending.historical:
            chip(surface, theme, "How it really ended", t.YELLOW, (margin + theme.px(110), y - theme.px(2)), size=12)
        y += theme.px(22)
        y = paragraph(
            surface, theme, self.ending.title, "serif-bold", 32, width, t.TEXT, (margin, y), max_lines=2
        ).bottom
        verdict, colour = self.verdict()
        y = label(surface, theme, verdict, "bold", 20, width, colour, (margin, y + theme.px(4))).bottom
        y = paragraph(
            surface, theme, self.why(), "sans", 14, width, t.TEXT, (margin, y + theme.px(2)), max_lines=2
        ).bottom
        epilogue = self.state.render(self.ending.epilogue).strip()
        tip = epilogue + "\n(all of it under “Read the whole story”)"
        y = paragraph(
            surface, theme, epilogue, "serif", 15, width, t.MUTED, (margin, y + theme.px(6)), max_lines=2, tip=tip
        ).bottom
        y += theme.px(12)
        menu_h = self.menu.height(theme)
        hint_h = theme.px(30)
        bottom = h - hint_h - menu_h - theme.px(12)
        gap = theme.px(14)
        col = max(0, (width - 2 * gap) // 3)
        height = max(0, bottom - y)
        self.draw_scores(surface, pygame.Rect(margin, y, col, height))
        self.draw_run(surface, pygame.Rect(margin + col + gap, y, col, height))
        self.draw_history(surface, pygame.Rect(margin + 2 * (col + gap), y, col, height))
        self.menu.layout(theme, pygame.Rect(margin, bottom + theme.px(8), width, menu_h))
        self.menu.draw(surface, theme)
        keys = [("←→", "choose"), ("Enter", "confirm"), ("PgUp/PgDn", "the moves"), ("Esc", "title screen")]
        hints(surface, theme, keys, pygame.Rect(0, h - hint_h, w, theme.px(26)))

    def draw_scores(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area, theme=theme)
        x, y, width = area.x + theme.px(16), area.y + theme.px(12), max(1, area.width - theme.px(32))
        scores = self.state.scores()
        role = self.you or (aim.winners(scores) or tuple(scores))[0]
        name = "Your score" if role == self.you else f"{self.session.role_name(role)}'s score"
        y = heading(surface, theme, name, (x, y), width=width)
        rows = self.parts(role)
        row = theme.px(18)
        room = max(0, (area.bottom - y - theme.px(120)) // row)
        shown = rows if len(rows) <= room else rows[: max(0, room - 1)]
        for text, value in shown:
            self._score_row(surface, text, value, x, y, width, t.TEXT)
            y += row
        if len(shown) < len(rows):
            rest = "\n".join(f"{text}: {signed(value)}" for text, value in rows[len(shown) :])
            label(
                surface, theme, f"… {len(rows) - len(shown)} more parts", "italic", 12, width, t.MUTED, (x, y), tip=rest
            )
            y += row
        pygame.draw.line(surface, t.EDGE, (x, y + theme.px(2)), (x + width, y + theme.px(2)))
        self._score_row(surface, "Total", scores.get(role, 0.0), x, y + theme.px(5), width, t.YELLOW, total=True)
        y += row + theme.px(10)
        for other, score in scores.items():
            if other == role:
                continue
            pygame.draw.circle(surface, self._colour(other), (x + theme.px(5), y + theme.px(8)), theme.px(5))
            self._score_row(
                surface,
                self.session.role_name(other),
                score,
                x + theme.px(16),
                y,
                width - theme.px(16),
                t.MUTED,
                total=True,
            )
            y += row
        y = heading(surface, theme, "How often it ends this way", (x, y + theme.px(8)), width=width)
        self.draw_shares(surface, pygame.Rect(x, y, width, max(0, area.bottom - y - theme.px(8))))

    def _score_row(
        self, surface, text: str, value: float, x: int, y: int, width: int, ink, total: bool = False
    ) -> None:
        theme = self.theme
        number = theme.text(f"{value:.0f}" if total else signed(value), "bold", 13, ink)
        surface.blit(number, (x + width - number.get_width(), y))
        label(
            surface,
            theme,
            text,
            "bold" if total else "sans",
            13,
            width - number.get_width() - theme.px(10),
            ink,
            (x, y),
        )

    def draw_shares(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        sim = self.simulation
        if not sim.ready:
            text = f"Simulating {sim.games:,} games of random play… {sim.played:,}"
            paragraph(surface, theme, text, "sans", 12, area.width, t.MUTED, area.topleft, max_lines=2)
            return
        share = odds_text.percent(sim.share(self.ending.id))
        text = f"{share} of {sum(sim.counts.values()):,} games with both sides playing at random end like this."
        endings = list(self.session.scenario.endings.values())
        every = "\n".join(f"{e.title}: {odds_text.percent(sim.share(e.id))}" for e in endings)
        lines = min(3, lines_that_fit(theme, "sans", 12, area.height))
        at = area.topleft
        y = paragraph(
            surface, theme, text, "sans", 12, area.width, t.TEXT, at, max_lines=lines, tip=f"{text}\n{every}"
        ).bottom
        y += theme.px(6)
        row = theme.px(18)
        for i, ending in enumerate(endings):
            if y + row > area.bottom:
                break  # no room even to say so: the line above lists them all on pointing at it
            if y + row * (1 if i == len(endings) - 1 else 2) > area.bottom:  # room for the line that says so
                rest = "\n".join(f"{e.title}: {odds_text.percent(sim.share(e.id))}" for e in endings[i:])
                more = f"… {len(endings) - i} more"
                label(surface, theme, more, "italic", 11, area.width, t.MUTED, (area.x, y), tip=rest)
                break
            self._share_row(surface, ending, sim.share(ending.id), pygame.Rect(area.x, y, area.width, row))
            y += row

    def _share_row(self, surface, ending, p: float, row: pygame.Rect) -> None:
        theme = self.theme
        mine = ending.id == self.ending.id
        ink = t.TEXT if mine else t.MUTED
        label(surface, theme, ending.title, "bold" if mine else "sans", 11, row.width - theme.px(120), ink, row.topleft)
        bar = pygame.Rect(row.right - theme.px(110), row.y + theme.px(4), theme.px(70), theme.px(8))
        pygame.draw.rect(surface, t.PANEL_HIGH, bar, border_radius=3)
        fill = (bar.x, bar.y, max(1, int(bar.width * p)), bar.height)
        pygame.draw.rect(surface, t.ORANGE if mine else t.SKY, fill, border_radius=3)
        pct = theme.text(odds_text.percent(p), "sans", 11, t.TEXT)
        surface.blit(pct, (row.right - pct.get_width(), row.y))

    def draw_run(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        panel(surface, area, theme=theme)
        x, y, width = area.x + theme.px(16), area.y + theme.px(12), max(1, area.width - theme.px(32))
        series = self.charted()
        if series:
            y = heading(surface, theme, "The main meters", (x, y), width=width)
            chart_h = min(theme.px(150), max(0, (area.bottom - y) // 2))
            draw_chart(surface, theme, pygame.Rect(x, y, width, chart_h), series, self.turns_played())
            y += chart_h + theme.px(8)
        y = self.draw_deal(surface, x, y, width, area.bottom)
        y = self.draw_truths(surface, x, y, width, area.bottom)
        title = "Your crisis, move by move" if self.session.humans else "The game, move by move"
        y = heading(surface, theme, title, (x, y), width=width)
        moves = self.moves
        step = theme.px(18)
        room = max(1, (area.bottom - y - theme.px(8)) // step)
        self.last_scroll = max(0, len(moves) - room)
        self.scroll = min(self.scroll, self.last_scroll)
        self.moves_rect = pygame.Rect(x, y, width, room * step)
        if self.scroll:
            room -= 1
            label(surface, theme, f"▲ {self.scroll} earlier (Page Up)", "italic", 11, width, t.MUTED, (x, y))
            y += step
        shown = moves[self.scroll : self.scroll + room]
        if self.scroll + room < len(moves):
            shown = shown[:-1]
        for move in shown:
            self._draw_move(surface, move, x, y, width)
            y += step
        if self.scroll + len(shown) < len(moves):
            more = len(moves) - self.scroll - len(shown)
            label(surface, theme, f"▼ {more} later (Page Down)", "italic", 11, width, t.MUTED, (x, y))

    def deal_rows(self) -> tuple[str, list[tuple[str, bool]]]:
        """The channel a deal was struck through and each agreed term with whether it was kept
        (the ending shows every secret, so this is the truth)."""
        agreed = deals.agreed(self.state)
        if not agreed:
            return "", []
        terms = self.session.scenario.negotiation.terms
        broken = set(deals.broken(self.state))
        channel = deals.carried_by(self.state, agreed[0])
        return (channel.title if channel else ""), [(terms[tid].title, tid not in broken) for tid in agreed]

    def draw_deal(self, surface, x: int, y: int, width: int, bottom: int) -> int:
        """The terms agreed, each kept or broken, under the channel that carried them."""
        channel, rows = self.deal_rows()
        if not rows:
            return y
        theme = self.theme
        y = heading(surface, theme, "The deal", (x, y), width=width)
        if channel:
            y = label(surface, theme, f"By: {channel}", "sans", 12, width, t.MUTED, (x, y)).bottom + theme.px(2)
        row = theme.px(17)
        room = max(1, min(len(rows), (bottom - y - theme.px(120)) // row))
        shown = rows if len(rows) <= room else rows[: max(0, room - 1)]
        for title, kept in shown:
            text = f"{'✓ kept' if kept else '✗ broken'}: {title}"
            y = label(surface, theme, text, "sans", 12, width, t.GOOD if kept else t.BAD, (x, y)).bottom + theme.px(2)
        if len(shown) < len(rows):
            rest = "\n".join(f"{title}: {'kept' if kept else 'broken'}" for title, kept in rows[len(shown) :])
            y = label(
                surface, theme, f"… {len(rows) - len(shown)} more terms", "italic", 11, width, t.MUTED, (x, y), tip=rest
            ).bottom
        return y + theme.px(8)

    def draw_truths(self, surface, x: int, y: int, width: int, bottom: int) -> int:
        """The values the side(s) at the screen never saw exactly, the truth beside what they saw."""
        theme = self.theme
        rows = [(role, truth) for role, truths in self.truths.items() for truth in truths]
        secret = sum(1 for m in self.moves if m.hidden_from)
        if not rows and not secret:
            return y
        who = "you" if self.you is not None else " and ".join(self.session.role_name(r) for r in self.truths)
        y = heading(surface, theme, f"What {who} did not know", (x, y), width=width)
        row = theme.px(17)
        room = max(1, min(4, (bottom - y - theme.px(90)) // row))
        shown = rows if len(rows) <= room else rows[: room - 1]
        for role, truth in shown:
            name = "" if self.you is not None else f"{self.session.role_name(role)}: "
            text = f"{name}{self.truth_words(truth)}"
            y = label(surface, theme, text, "sans", 12, width, t.SKY, (x, y), tip=text).bottom + theme.px(2)
        rest = rows[len(shown) :]
        if rest:
            tip = "\n".join(self.truth_words(truth) for _, truth in rest)
            y = label(
                surface,
                theme,
                f"… {len(rest)} more value{'s' if len(rest) > 1 else ''}",
                "italic",
                11,
                width,
                t.MUTED,
                (x, y),
                tip=tip,
            ).bottom
        if secret:
            words = (
                f"◆ {secret} moves below were hidden from {who}: they show now"
                if secret > 1
                else f"◆ the move marked so below was hidden from {who}: it shows now"
            )
            y = label(surface, theme, words, "italic", 11, width, t.MUTED, (x, y)).bottom
        return y + theme.px(8)

    def _draw_move(self, surface, move: reveal.Told, x: int, y: int, width: int) -> None:
        """One line of the run: a dot in the side's colour (a diamond for a move hidden from a side
        at the screen), the turn, the move and how it went."""
        theme = self.theme
        centre = (x + theme.px(4), y + theme.px(8))
        if move.hidden_from:
            r = theme.px(5)
            points = [
                (centre[0], centre[1] - r),
                (centre[0] + r, centre[1]),
                (centre[0], centre[1] + r),
                (centre[0] - r, centre[1]),
            ]
            pygame.draw.polygon(surface, self._colour(move.role), points)
        else:
            pygame.draw.circle(surface, self._colour(move.role), centre, theme.px(4))
        found = self.session.scenario.actions.get(move.action) or self.session.scenario.events.get(move.action)
        ink = t.SKY if move.hidden_from else t.YELLOW if found is not None and found.history else t.TEXT
        text = f"T{move.turn}  {move.title}"
        outcome = move.outcome
        hidden = self.hidden_words(move)
        room = width - theme.px(14)
        gap = theme.px(10)
        head_w = theme._width(text, "sans", 12)
        tail_w = theme._width(outcome, "italic", 11) if outcome else 0
        if head_w + gap + tail_w > room:  # share the line: the outcome keeps up to 45% of it
            tail_w = min(tail_w, int(room * 0.45))
            head_w = room - gap - tail_w
        whole = f"{text}: {outcome}" if outcome else text
        if hidden:
            whole += f" ({hidden})"
        label(
            surface,
            theme,
            text,
            "sans",
            12,
            head_w,
            ink,
            (x + theme.px(14), y),
            tip=whole if hidden or not theme.fits(text, "sans", 12, head_w) else "",
        )
        if outcome:
            tail = theme.fit(outcome, "italic", 11, max(1, tail_w), t.MUTED)
            at = (x + width - tail.get_width(), y + 1)
            surface.blit(tail, at)
            theme.notes.box(pygame.Rect(at, tail.get_size()), outcome)
            if not theme.fits(outcome, "italic", 11, max(1, tail_w)):
                theme.notes.tip(pygame.Rect(at, tail.get_size()), whole)

    def draw_history(self, surface, area: pygame.Rect) -> None:
        theme = self.theme
        scenario = self.session.scenario
        panel(surface, area, theme=theme)
        x, y, width = area.x + theme.px(16), area.y + theme.px(12), max(1, area.width - theme.px(32))
        y = heading(surface, theme, "What really happened", (x, y), width=width)
        real = next((e for e in scenario.endings.values() if e.historical), None)
        if real is not None and real.id != self.ending.id:
            y = label(
                surface, theme, f"History's ending: {real.title}", "bold", 12, width, t.YELLOW, (x, y)
            ).bottom + theme.px(6)
        legend = theme.text("✓ and yellow: also happened in your game", "sans", 10, t.MUTED)
        legend_top = area.bottom - legend.get_height() - theme.px(8)
        if scenario.meta.history:
            lines = min(5, lines_that_fit(theme, "serif", 13, max(0, legend_top - y) // 2))
            history = scenario.meta.history.strip()
            y = paragraph(
                surface, theme, history, "serif", 13, width, t.TEXT, (x, y), max_lines=lines
            ).bottom + theme.px(8)
        taken = {m.action for m in self.moves}
        for move in scenario.noted():
            mark = "✓ " if move.id in taken else "· "
            head = f"{mark}{move.history.when}: {move.title}"
            needed = theme.line_height("bold", 11) + (2 * theme.line_height("sans", 11) if move.history.note else 0)
            if y + needed > legend_top - theme.px(4):
                break  # the rest is in "Read the whole story"
            whole = f"{head}\n{move.history.note}" if move.history.note else head
            ink = t.YELLOW if move.id in taken else t.TEXT
            y = label(surface, theme, head, "bold", 11, width, ink, (x, y), tip=whole).bottom + theme.px(1)
            if move.history.note:
                note = move.history.note
                y = paragraph(
                    surface,
                    theme,
                    note,
                    "sans",
                    11,
                    width - theme.px(14),
                    t.MUTED,
                    (x + theme.px(14), y),
                    max_lines=2,
                    tip=whole,
                ).bottom
            y += theme.px(4)
        surface.blit(legend, (x, legend_top))
