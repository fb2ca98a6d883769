"""A message over the current screen: a damaged save, a broken scenario file, an unexpected error."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.widgets.menu import Item, Menu
from game.ui.widgets.panel import dim, hints, label, panel


class MessageScene(Scene):
    """Lines of text in a box, scrollable with the arrows; Enter or Esc closes it.

    A ``fatal`` message (an unexpected error) offers the way back to the title screen or out.
    """

    name = "message"
    opaque = False

    def __init__(self, app, title: str, lines: list[str], fatal: bool = False):
        super().__init__(app)
        self.title = title
        self.lines = lines
        self.fatal = fatal
        # after an unexpected error the screens below may be what fails, so they are not drawn
        self.opaque = fatal
        self.scroll = 0
        self.last_row = 0
        self.waited = 0.0
        items = [Item("Continue", self.close)]
        if fatal:
            items += [Item("Back to the title screen", self.to_title), Item("Quit", lambda: app.quit(1))]
        self.menu = Menu(items, size=16)

    def update(self, dt: float) -> None:
        # an unattended game (--spectate or --record with --exit-at-end) must not wait for ever
        options = self.app.options
        if self.fatal and options.auto and options.exit_at_end:
            self.waited += dt
            if self.waited > 1.0:
                self.app.quit(1)

    def close(self) -> None:
        self.app.pop()

    def to_title(self) -> None:
        from game.ui.scenes.title import TitleScene

        self.app.session = None
        self.app.reset(TitleScene(self.app))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEDOWN, pygame.K_RIGHT):
            self.scroll = min(self.scroll + 5, self.last_row)
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_LEFT):
            self.scroll = max(0, self.scroll - 5)
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll = min(max(0, self.scroll - event.y * 2), self.last_row)
        else:
            self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        if self.fatal:
            surface.fill(t.BACKGROUND)
        else:
            dim(surface)
        w, h = surface.get_size()
        box = pygame.Rect(0, 0, min(w - theme.px(80), theme.px(900)), min(h - theme.px(80), theme.px(560)))
        box.center = (w // 2, h // 2)
        panel(surface, box, t.PANEL, t.ORANGE if self.fatal else t.EDGE)
        x, y = box.x + theme.px(28), box.y + theme.px(22)
        surface.blit(theme.text(self.title, "serif-bold", 26, t.TEXT), (x, y))
        y += theme.px(48)
        menu_h = self.menu.height(theme)
        bottom = box.bottom - menu_h - theme.px(40)
        width = box.width - theme.px(56)
        rows = []
        for line in self.lines:
            face, size, colour, text = style_of(line)
            wrapped = [text] if face == "mono" else theme.wrap(text, face, size, width)
            rows += [(face, size, colour, part) for part in wrapped or [""]]
        self.last_row = max(0, len(rows) - 3)  # a layout cache: how far scrolling can go at this size
        for face, size, colour, row in rows[self.scroll :]:
            step = theme.line_height(face, size)
            if y + step > bottom:
                surface.blit(theme.text("… more below (Page Down)", "italic", 13, t.MUTED), (x, y))
                break
            if row:
                surface.blit(theme.fit(row, face, size, width, colour), (x, y))
            y += step
        self.menu.layout(theme, pygame.Rect(x, bottom + theme.px(8), theme.px(320), menu_h))
        self.menu.draw(surface, theme)
        hints(
            surface,
            theme,
            [("Enter", "choose"), ("Esc", "close"), ("PgUp/PgDn", "scroll")],
            pygame.Rect(box.x, box.bottom - theme.px(30), box.width, theme.px(24)),
        )


class ConfirmScene(Scene):
    """A yes-or-no question over the screen; the safe answer has the focus, Esc and N take it."""

    name = "confirm"
    opaque = False

    def __init__(self, app, question: str, yes, yes_label: str = "Yes, quit", no_label: str = "No, stay"):
        super().__init__(app)
        self.question = question
        self.yes = yes
        self.menu = Menu([Item(no_label, self.no), Item(yes_label, self.confirm)], size=16)

    def no(self) -> None:
        self.app.pop()

    def confirm(self) -> None:
        self.app.pop()
        self.yes()

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_n, pygame.K_BACKSPACE):
            self.no()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_y:
            self.confirm()
        else:
            self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        dim(surface)
        w, h = surface.get_size()
        menu_h = self.menu.height(theme)
        box = pygame.Rect(0, 0, min(w - theme.px(40), theme.px(420)), menu_h + theme.px(120))
        box.center = (w // 2, h // 2)
        panel(surface, box, t.PANEL, t.ORANGE, theme=theme)
        x = box.x + theme.px(24)
        width = box.width - theme.px(48)
        label(surface, theme, self.question, "serif-bold", 22, width, t.TEXT, (x, box.y + theme.px(20)))
        self.menu.layout(theme, pygame.Rect(x, box.y + theme.px(68), width, menu_h))
        self.menu.draw(surface, theme)
        hints(
            surface,
            theme,
            [("Y", "yes"), ("N / Esc", "no")],
            pygame.Rect(box.x, box.bottom - theme.px(30), box.width, theme.px(24)),
        )


# Lines of a message may start with a marker that sets their style.
WHERE, POINT, HINT, CODE = "\x01", "\x02", "\x03", "\x04"
STYLES = {
    WHERE: ("sans", 12, t.MUTED),
    POINT: ("bold", 15, t.TEXT),
    HINT: ("sans", 14, t.SKY),
    CODE: ("mono", 13, t.YELLOW),
}


def style_of(line: str) -> tuple[str, int, tuple[int, int, int], str]:
    """The face, size and colour a message line asks for, and its text."""
    if line[:1] in STYLES:
        return (*STYLES[line[0]], line[1:])
    return ("sans", 15, t.TEXT, line)


def problems_lines(error) -> list[str]:
    """A scenario error's problems, each as its place, the message, the hint and the offending line."""
    sources: dict[str, list[str]] = {}
    lines = []
    for problem in getattr(error, "problems", []) or []:
        path = getattr(problem, "path", "")
        lines.append(f"{WHERE}{path}, line {problem.line}, column {problem.col}")
        lines.append(f"{POINT}{problem.message}")
        if problem.hint:
            lines.append(f"{HINT}{problem.hint}")
        source = _source_line(sources, path, problem.line)
        if source:
            lines += [f"{CODE}{source}", f"{CODE}{' ' * max(0, problem.col - 1)}^"]
        lines.append("")
    return lines or [str(error)]


def _source_line(cache: dict[str, list[str]], path: str, number: int) -> str:
    """Line ``number`` of the file at ``path`` (tabs as spaces), or "" when it cannot be read."""
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read().splitlines()
        except OSError:
            cache[path] = []
    found = cache[path]
    return found[number - 1].replace("\t", " ").rstrip() if 1 <= number <= len(found) else ""
