"""Drawing the turn screen: where each panel goes and how it is painted (reads the scene, never changes it)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.core.model import WORLD
from game.ui import theme as t
from game.ui.errorlog import log_error
from game.ui.scenes.consequence_view import ConsequencePanel
from game.ui.widgets.panel import chip, heading, hints, label, lines_that_fit, panel, paragraph

try:
    from game.ui.map import MapView, Overlay, held_areas, tokens_for
except ImportError:  # the map is drawn by its own module; without it a plain panel stands in
    MapView = None


@dataclass(frozen=True)
class Layout:
    top: pygame.Rect
    meters: pygame.Rect
    advice: pygame.Rect
    map: pygame.Rect
    feed: pygame.Rect
    side: pygame.Rect
    bottom: pygame.Rect


def make_layout(size: tuple[int, int], theme) -> Layout:
    """The panels of the turn screen; every one within the window, none of negative size."""
    w, h = size
    gap = min(theme.px(10), max(2, w // 80))
    top = pygame.Rect(0, 0, w, min(theme.px(56), h // 7))
    bottom = pygame.Rect(0, h - min(theme.px(32), h // 12), w, min(theme.px(32), h // 12))
    body_y = top.bottom + gap
    body_h = max(0, bottom.y - gap - body_y)
    left_w = min(max(theme.px(270), int(w * 0.21)), int(w * 0.27))
    side_w = min(max(theme.px(380), int(w * 0.30)), int(w * 0.36))
    centre_x = gap + left_w + gap
    centre_w = max(0, w - centre_x - gap - side_w - gap)
    map_h = int(body_h * 0.62)
    lower_y = body_y + map_h + gap
    lower_h = max(0, body_h - map_h - gap)
    feed_w = int(max(0, centre_w - gap) * 0.55)
    return Layout(
        top=top,
        meters=pygame.Rect(gap, body_y, left_w, body_h),
        advice=pygame.Rect(centre_x + feed_w + gap, lower_y, max(0, centre_w - feed_w - gap), lower_h),
        map=pygame.Rect(centre_x, body_y, centre_w, map_h),
        feed=pygame.Rect(centre_x, lower_y, feed_w, lower_h),
        side=pygame.Rect(w - gap - side_w, body_y, side_w, body_h),
        bottom=bottom,
    )


class TurnView:
    """Paints a :class:`TurnScene`; keeps only drawing caches (the map's layers, the layout)."""

    def __init__(self, scene):
        self.scene = scene
        self.theme = scene.app.theme
        self.layout = make_layout(scene.app.size, self.theme)
        self.map = None
        self.map_error = ""
        self.consequence = ConsequencePanel(scene)
        inner = self.map_inner
        if MapView is not None:
            try:
                self.map = MapView(scene.session.scenario, (max(16, inner.width), max(16, inner.height)))
            except Exception as exc:  # a map that cannot be drawn must not stop the game
                self.map_error = f"The map could not be drawn ({type(exc).__name__}: {exc})."

    @property
    def map_inner(self) -> pygame.Rect:
        rect = self.layout.map.inflate(-4, -4)
        return pygame.Rect(rect.topleft, (max(0, rect.width), max(0, rect.height)))

    def place_under(self, pos: tuple[int, int]) -> str | None:
        inner = self.map_inner
        if self.map is None or not inner.collidepoint(pos):
            return None
        return self.map.place_at(pos, inner.topleft)

    @property
    def continue_rect(self) -> pygame.Rect:
        return self.consequence.continue_rect

    def on_map(self, pos: tuple[int, int]) -> bool:
        return self.map is not None and self.map_inner.collidepoint(pos)

    def zoom_map(self, factor: float, pos: tuple[int, int] | None = None) -> bool:
        """Zoom around ``pos`` (the map's centre when None); False when ``pos`` is off the map."""
        inner = self.map_inner
        if self.map is None or (pos is not None and not inner.collidepoint(pos)):
            return False
        around = (pos[0] - inner.x, pos[1] - inner.y) if pos is not None else None
        self.map.zoom(factor, around=around)
        return True

    def pan_map(self, dx: int, dy: int) -> None:
        if self.map is not None:
            self.map.pan(dx, dy)

    def reset_map(self) -> None:
        if self.map is not None:
            self.map.reset_view()

    # the whole screen ---------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(t.BACKGROUND)
        self.draw_top(surface)
        self.draw_meters(surface)
        self.draw_advice(surface)
        self.draw_map(surface)
        self.draw_feed(surface)
        self.draw_side(surface)
        self.draw_hints(surface)
        if self.scene.banner > 0:
            self.draw_banner(surface)

    def draw_banner(self, surface: pygame.Surface) -> None:
        """The new turn's number and hour across the map, fading out."""
        theme, state = self.theme, self.scene.shown
        area = self.layout.map
        title = theme.text(f"Turn {state.turn}", "serif-bold", 30, t.TEXT)
        when = theme.text(f"{state.clock():%A %H:%M}", "sans", 15, t.MUTED)
        box = pygame.Rect(0, 0, max(title.get_width(), when.get_width()) + theme.px(60), theme.px(86))
        box.center = area.center
        strip = pygame.Surface(box.size, pygame.SRCALPHA)
        strip.fill((*t.BACKGROUND, 215))
        strip.blit(title, title.get_rect(midtop=(box.width // 2, theme.px(10))))
        strip.blit(when, when.get_rect(midtop=(box.width // 2, theme.px(52))))
        strip.set_alpha(int(255 * min(1.0, self.scene.banner / 0.5)))
        surface.blit(strip, box)
        pygame.draw.rect(surface, t.ORANGE, (box.x, box.bottom - 3, box.width, 3))

    def draw_top(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        rect = self.layout.top
        pygame.draw.rect(surface, t.PANEL, rect)
        pygame.draw.line(surface, t.EDGE, rect.bottomleft, rect.bottomright)
        state = scene.shown
        clock = state.clock()
        when = theme.text(f"{clock:%a %d %b %Y}  {clock:%H:%M}", "bold", 20, t.TEXT)
        when_rect = when.get_rect(center=(rect.centerx, rect.centery - theme.px(7)))
        surface.blit(when, when_rect)
        limit = scene.session.scenario.calendar.turn_limit
        turn = theme.text(f"Turn {min(state.turn, limit)} of {limit}", "sans", 12, t.MUTED)
        surface.blit(turn, turn.get_rect(center=(rect.centerx, rect.centery + theme.px(14))))
        self._draw_turn_bar(
            surface, pygame.Rect(rect.centerx - theme.px(120), rect.bottom - 4, theme.px(240), 3), state.turn, limit
        )
        status, colour = self.status()
        image = theme.text(status, "bold", 13, t.BACKGROUND)
        room = max(0, rect.right - when_rect.right - theme.px(50))
        shown = theme.fit(status, "bold", 13, room)
        x = rect.right - shown.get_width() - theme.px(30)
        box = chip(
            surface,
            theme,
            shown_text(theme, status, room),
            colour,
            (x, rect.centery - image.get_height() // 2 - theme.px(2)),
        )
        if not theme.fits(status, "bold", 13, room):
            theme.notes.tip(box, status)
        title_room = max(0, when_rect.x - theme.px(16) - theme.px(20))
        title = scene.session.scenario.meta.title
        height = theme.line_height("serif-bold", 17)
        label(surface, theme, title, "serif-bold", 17, title_room, t.TEXT, (theme.px(16), rect.centery - height // 2))

    def _draw_turn_bar(self, surface, rect: pygame.Rect, turn: int, limit: int) -> None:
        pygame.draw.rect(surface, t.PANEL_HIGH, rect)
        share = min(1.0, (turn - 1) / max(1, limit))
        pygame.draw.rect(surface, t.ORANGE, (rect.x, rect.y, int(rect.width * share), rect.height))

    def status(self) -> tuple[str, tuple[int, int, int]]:
        """The chip at the top right: whose move it is, in words."""
        scene = self.scene
        session = scene.session
        if session.match.is_over() and not scene.queue and scene.current is None:
            return "The crisis is over", t.YELLOW
        role = scene.shown.current_role()
        if role is None or scene.current is not None:
            return "What happened", t.YELLOW
        if role == WORLD:
            return "Events unfold…", t.MUTED
        name = session.role_name(role)
        if role in session.humans:  # a recording plays the seats, but shows them as the player sees them
            return ("Your move" if not session.hotseat else f"{name}: your move"), scene.role_colour(role)
        return f"{name} is deciding…", scene.role_colour(role)

    # left column --------------------------------------------------------------------------

    def draw_meters(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        area = self.layout.meters
        panel(surface, area, theme=theme)
        x, y = area.x + theme.px(14), area.y + theme.px(12)
        width = max(0, area.width - theme.px(28))
        viewer = scene.viewer
        title = "Everything (spectating)" if viewer is None else f"What {scene.session.role_name(viewer)} knows"
        more = theme.text("▲ more above", "sans", 11, t.MUTED)
        room = width - (more.get_width() + theme.px(8) if scene.meter_scroll else 0)
        y = heading(surface, theme, title, (x, y), width=max(1, room))
        if scene.meter_scroll:
            surface.blit(more, (area.right - theme.px(14) - more.get_width(), area.y + theme.px(12)))
        bottom = area.bottom - theme.px(8)
        rows = self.meter_rows()[scene.meter_scroll :]
        more_h = theme.line_height("italic", 12)
        for i, (kind, meter) in enumerate(rows):
            height = self.row_height(kind, meter, width)
            last = i == len(rows) - 1
            if y + height + (0 if last else more_h) > bottom:  # room is kept for the line that says so
                self._more(surface, x, y, width, sum(1 for k, _ in rows[i:] if k != "heading"))
                return
            if kind == "bar":
                meter.draw(surface, theme, pygame.Rect(x, y, width, height))
            elif kind == "fact":
                meter.draw_fact(surface, theme, pygame.Rect(x, y, width, height))
            else:
                heading(surface, theme, "Facts", (x, y + theme.px(4)))
            y += height

    def row_height(self, kind: str, meter, width: int) -> int:
        if kind == "bar":
            return meter.height(self.theme, width) + self.theme.px(3)
        if kind == "fact":
            return meter.height(self.theme, width)
        return self.theme.px(26)

    def meter_rows(self) -> list[tuple[str, object]]:
        """The left column's rows in order: the numbers with bars, then the facts under a heading."""
        meters = self.scene.meters.values()
        facts = [("fact", m) for m in meters if not m.has_bar and m.worth_showing]
        return [("bar", m) for m in meters if m.has_bar] + ([("heading", None)] + facts if facts else [])

    def _more(self, surface, x: int, y: int, width: int, count: int) -> None:
        label(surface, self.theme, f"… and {count} more (scroll or Page Down)", "italic", 12, width, t.MUTED, (x, y))

    def on_meters(self, pos: tuple[int, int]) -> bool:
        return self.layout.meters.collidepoint(pos)

    def on_feed(self, pos: tuple[int, int]) -> bool:
        return self.layout.feed.collidepoint(pos)

    def on_side(self, pos: tuple[int, int]) -> bool:
        return self.layout.side.collidepoint(pos)

    def draw_advice(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        area = self.layout.advice
        panel(surface, area, theme=theme)
        x, y = area.x + theme.px(14), area.y + theme.px(12)
        width = max(1, area.width - theme.px(28))
        bottom = area.bottom - theme.px(8)
        y = heading(surface, theme, "Advisors", (x, y), width=width)
        remarks = scene.advisors.remarks(scene)
        if not remarks:
            label(surface, theme, "Nobody has anything to add.", "italic", 13, width, t.MUTED, (x, y))
            return
        more_h = theme.line_height("italic", 12)
        for i, remark in enumerate(remarks):
            last = i == len(remarks) - 1
            if y + self._remark_least(remark, width) + (0 if last else more_h) > bottom:
                rest = remarks[i:]
                if y + more_h <= bottom:
                    tip = "\n".join(r.whole for r in rest)
                    label(surface, theme, f"… {len(rest)} more", "italic", 12, width, t.MUTED, (x, y), tip=tip)
                break
            y = self._draw_remark(surface, remark, x, y, width, bottom - (0 if last else more_h)) + theme.px(6)

    def _remark_least(self, remark, width: int) -> int:
        """The height a remark needs at the least: its speaker and one line of what they say."""
        theme = self.theme
        speaker = min(2, theme.lines_of(remark.speaker, "bold", 12, width)) * theme.line_height("bold", 12)
        face, size = ("italic", 12) if remark.repeated else ("italic", 13)
        return speaker + theme.px(1) + int(theme.line_height(face, size) * 1.15)

    def _draw_remark(self, surface, remark, x: int, y: int, width: int, bottom: int) -> int:
        theme = self.theme
        at = (x, y)
        speaker = paragraph(
            surface, theme, remark.speaker, "bold", 12, width, remark.colour, at, max_lines=2, spacing=1.0
        )
        y = speaker.bottom + theme.px(1)
        text, tip = remark.text, remark.whole
        if remark.repeated:  # said before: quieter and shorter, the whole remark on pointing at it
            lines = min(2, lines_that_fit(theme, "italic", 12, bottom - y))
            return paragraph(
                surface, theme, text, "italic", 12, width, t.MUTED, (x, y), max_lines=lines, tip=tip
            ).bottom
        lines = min(4, lines_that_fit(theme, "italic", 13, bottom - y))
        return paragraph(surface, theme, text, "italic", 13, width, t.TEXT, (x, y), max_lines=lines, tip=tip).bottom

    # centre -------------------------------------------------------------------------------

    def draw_map(self, surface: pygame.Surface) -> None:
        scene = self.scene
        area = self.layout.map
        panel(surface, area, t.PANEL, t.EDGE, radius=4, theme=self.theme)
        inner = self.map_inner
        if self.map is None or inner.width < 16 or inner.height < 16:
            self._draw_map_stand_in(surface, inner)
            return
        clip = surface.get_clip()
        surface.set_clip(inner)
        try:
            overlay = Overlay(
                tokens=self.tokens(),
                markers=tuple(scene.markers),
                highlight=scene.hover,
                selected=scene.selected,
                held=held_areas(scene.shown, scene.viewer),
            )
            self.map.draw(surface, inner.topleft, overlay)
        except Exception as exc:  # a broken map is logged and put aside; the game goes on without it
            log_error(exc)
            self.map, self.map_error = None, f"The map could not be drawn ({type(exc).__name__}: {exc})."
        finally:
            surface.set_clip(clip)
        place = scene.selected or scene.hover
        if place:
            self._draw_place_card(surface, inner, place)

    def tokens(self):
        """Units and people on the map, gliding between their last two places; only those the viewer sees."""
        scene = self.scene
        scenario = scene.session.scenario
        tokens = tokens_for(scenario, scene.previous_values, scene.shown.values, _ease(scene.travel), routed_only=False)
        # tokens_for makes one token per place variable, in file order
        places = [v.id for v in scenario.variables.values() if v.type == "place"]
        return tuple(tok for var, tok in zip(places, tokens) if var in scene.meters)

    def _draw_place_card(self, surface, inner: pygame.Rect, place_id: str) -> None:
        theme, scene = self.theme, self.scene
        place = scene.session.scenario.places.get(place_id)
        if place is None:
            return
        lines = [place.note] if place.note else []
        lines += [f"{m.label or m.kind.capitalize()}" for m in scene.markers if m.place == place_id]
        width = min(theme.px(260), inner.width - theme.px(16))
        if width < theme.px(60):
            return
        text = "\n".join(lines) or place.kind.capitalize()
        rows = min(6, lines_that_fit(theme, "sans", 13, inner.height - theme.px(60)))
        body = theme.block(text, "sans", 13, width - theme.px(20), t.TEXT, max_lines=rows)
        box = pygame.Rect(inner.x + theme.px(8), 0, width, body.get_height() + theme.px(38))
        box.bottom = inner.bottom - theme.px(8)
        box.top = max(box.top, inner.top)
        panel(surface, box, t.PANEL, t.FOCUS, theme=theme)
        label(
            surface,
            theme,
            place.name,
            "bold",
            15,
            width - theme.px(20),
            t.TEXT,
            (box.x + theme.px(10), box.y + theme.px(8)),
        )
        paragraph(
            surface,
            theme,
            text,
            "sans",
            13,
            width - theme.px(20),
            t.TEXT,
            (box.x + theme.px(10), box.y + theme.px(30)),
            max_lines=rows,
        )

    def _draw_map_stand_in(self, surface, inner: pygame.Rect) -> None:
        theme = self.theme
        if inner.width < theme.px(40) or inner.height < theme.px(30):
            return
        surface.blit(theme.text("Map", "bold", 14, t.MUTED), (inner.x + theme.px(12), inner.y + theme.px(10)))
        if self.map_error:
            lines = lines_that_fit(theme, "sans", 12, inner.height - theme.px(40))
            paragraph(
                surface,
                theme,
                self.map_error,
                "sans",
                12,
                inner.width - 24,
                t.ORANGE,
                (inner.x + 12, inner.y + theme.px(36)),
                max_lines=lines,
            )

    def draw_feed(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        area = self.layout.feed
        panel(surface, area, theme=theme)
        x, y = area.x + theme.px(14), area.y + theme.px(10)
        width = max(0, area.width - theme.px(28))
        viewer = scene.viewer
        title = "All the news: spectating, you see everything" if viewer is None else "The news you hear"
        if viewer is not None and scene.session.hotseat:
            title = f"The news {scene.session.role_name(viewer)} hears"
        y = heading(surface, theme, title, (x, y), width=max(1, width))
        scene.feed.draw(surface, theme, pygame.Rect(x, y, width, max(0, area.bottom - y - theme.px(8))))

    # right column -------------------------------------------------------------------------

    def draw_side(self, surface: pygame.Surface) -> None:
        scene = self.scene
        area = self.layout.side
        if scene.current is not None:
            self.consequence.draw(surface, area)
        elif scene.cards is not None and not scene.session.match.is_over():
            self.draw_cards(surface, area)
        else:
            self.draw_waiting(surface, area)

    def draw_cards(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        theme, scene = self.theme, self.scene
        role = scene.shown.current_role()
        name = scene.session.role_name(role) if role else ""
        head = label(
            surface,
            theme,
            f"{name}: choose a move".upper(),
            "bold",
            12,
            area.width,
            t.MUTED,
            (area.x + theme.px(2), area.y + theme.px(2)),
        )
        top = head.bottom + theme.px(6)
        scene.cards.draw(surface, theme, pygame.Rect(area.x, top, area.width, max(0, area.bottom - top)))

    def draw_waiting(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        theme, scene = self.theme, self.scene
        panel(surface, area, theme=theme)
        status, colour = self.status()
        width = max(1, area.width - theme.px(24))
        lines = theme.lines_of(status, "serif-bold", 20, width)
        height = lines * int(theme.line_height("serif-bold", 20) * 1.15)
        paragraph(
            surface,
            theme,
            status,
            "serif-bold",
            20,
            width,
            t.TEXT,
            (area.x + theme.px(12), area.centery - theme.px(24) - height // 2),
            max_lines=3,
        )
        phase = scene.clock * 3
        for i in range(3):
            r = theme.px(5) if int(phase) % 3 == i else theme.px(3)
            pygame.draw.circle(
                surface, colour, (area.centerx - theme.px(20) + i * theme.px(20), area.centery + theme.px(16)), r
            )

    def draw_hints(self, surface: pygame.Surface) -> None:
        scene = self.scene
        if scene.current is not None:
            items = [("Enter", "continue"), ("Shift+Enter", "skim to your move")]
            if scene.can_take_back():
                items.insert(0, ("Backspace", "take back"))
        elif scene.cards is not None and scene.shown.current_role() in scene.session.humans:
            keys = [c.key for c in scene.cards.cards if c.key]
            items = [
                (f"{keys[0]}–{keys[-1]}" if len(keys) > 1 else "key", "pick"),
                ("again/Enter", "play"),
                ("↑↓", "browse"),
            ]
        else:
            items = []
        items += [
            ("[ ]", "places"),
            ("Esc", "menu"),
            ("F5", "save"),
            ("F9", "load"),
            ("F6", "reload"),
            ("F11", "full screen"),
        ]
        hints(surface, self.theme, items, self.layout.bottom)


def shown_text(theme, text: str, width: int) -> str:
    """``text`` as :meth:`Theme.fit` would shorten it for ``width`` (for a chip, which draws its own)."""
    if theme.fits(text, "bold", 13, width):
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if theme.fits(text[:middle] + "…", "bold", 13, width):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _ease(x: float) -> float:
    return 0.5 - math.cos(math.pi * min(max(x, 0.0), 1.0)) / 2
