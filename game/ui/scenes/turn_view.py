"""Drawing the turn screen: where each panel goes and how it is painted (reads the scene, never changes it)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.core.model import WORLD
from game.ui import theme as t
from game.ui.errorlog import log_error
from game.ui.scenes.consequence_view import ConsequencePanel
from game.ui.widgets.panel import chip, heading, hints, panel

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
    w, h = size
    gap = theme.px(10)
    top = pygame.Rect(0, 0, w, theme.px(56))
    bottom = pygame.Rect(0, h - theme.px(32), w, theme.px(32))
    body_y, body_h = top.bottom + gap, bottom.y - top.bottom - 2 * gap
    left_w = max(theme.px(270), int(w * 0.21))
    side_w = max(theme.px(380), int(w * 0.30))
    centre_x = gap + left_w + gap
    centre_w = w - centre_x - gap - side_w - gap
    map_h = int(body_h * 0.62)
    lower_y, lower_h = body_y + map_h + gap, body_h - map_h - gap
    feed_w = int((centre_w - gap) * 0.58)
    return Layout(
        top=top,
        meters=pygame.Rect(gap, body_y, left_w, body_h),
        advice=pygame.Rect(centre_x + feed_w + gap, lower_y, centre_w - feed_w - gap, lower_h),
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
        inner = self.layout.map.inflate(-4, -4)
        if MapView is not None:
            try:
                self.map = MapView(scene.session.scenario, inner.size)
            except Exception as exc:  # a map that cannot be drawn must not stop the game
                self.map_error = f"The map could not be drawn ({type(exc).__name__}: {exc})."

    def place_under(self, pos: tuple[int, int]) -> str | None:
        inner = self.layout.map.inflate(-4, -4)
        if self.map is None or not inner.collidepoint(pos):
            return None
        return self.map.place_at(pos, inner.topleft)

    @property
    def continue_rect(self) -> pygame.Rect:
        return self.consequence.continue_rect

    def on_map(self, pos: tuple[int, int]) -> bool:
        return self.map is not None and self.layout.map.inflate(-4, -4).collidepoint(pos)

    def zoom_map(self, factor: float, pos: tuple[int, int] | None = None) -> bool:
        """Zoom around ``pos`` (the map's centre when None); False when ``pos`` is off the map."""
        inner = self.layout.map.inflate(-4, -4)
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
        title = theme.fit(scene.session.scenario.meta.title, "serif-bold", 17, rect.centerx - theme.px(170), t.TEXT)
        surface.blit(title, (theme.px(16), rect.centery - title.get_height() // 2))
        clock = state.clock()
        when = theme.text(f"{clock:%a %d %b %Y}  {clock:%H:%M}", "bold", 20, t.TEXT)
        surface.blit(when, when.get_rect(center=(rect.centerx, rect.centery - theme.px(7))))
        limit = scene.session.scenario.calendar.turn_limit
        turn = theme.text(f"Turn {min(state.turn, limit)} of {limit}", "sans", 12, t.MUTED)
        surface.blit(turn, turn.get_rect(center=(rect.centerx, rect.centery + theme.px(14))))
        self._draw_turn_bar(
            surface, pygame.Rect(rect.centerx - theme.px(120), rect.bottom - 4, theme.px(240), 3), state.turn, limit
        )
        status, colour = self.status()
        image = theme.text(status, "bold", 13, t.BACKGROUND)
        x = rect.right - image.get_width() - theme.px(30)
        chip(surface, theme, status, colour, (x, rect.centery - image.get_height() // 2 - theme.px(2)))

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
        panel(surface, area)
        x, y = area.x + theme.px(14), area.y + theme.px(12)
        viewer = scene.viewer
        label = "The situation" if viewer is None else f"What {scene.session.role_name(viewer)} knows"
        room = area.width - theme.px(28) - (theme.px(90) if scene.meter_scroll else 0)
        y = heading(surface, theme, label, (x, y), width=room)
        width = area.width - theme.px(28)
        bottom = area.bottom - theme.px(8)
        rows = self.meter_rows()[scene.meter_scroll :]
        if scene.meter_scroll:
            surface.blit(
                theme.text("▲ more above", "sans", 11, t.MUTED), (area.right - theme.px(90), area.y + theme.px(12))
            )
        for i, (kind, meter) in enumerate(rows):
            height = theme.px({"bar": 27, "fact": 19, "heading": 26}[kind])
            if y + height > bottom:
                return self._more(surface, x, y, sum(1 for k, _ in rows[i:] if k != "heading"))
            if kind == "bar":
                meter.draw(surface, theme, pygame.Rect(x, y, width, height))
            elif kind == "fact":
                meter.draw_fact(surface, theme, pygame.Rect(x, y, width, height))
            else:
                heading(surface, theme, "Facts", (x, y + theme.px(4)))
            y += height

    def meter_rows(self) -> list[tuple[str, object]]:
        """The left column's rows in order: the numbers with bars, then the facts under a heading."""
        meters = self.scene.meters.values()
        facts = [("fact", m) for m in meters if not m.has_bar and m.worth_showing]
        return [("bar", m) for m in meters if m.has_bar] + ([("heading", None)] + facts if facts else [])

    def _more(self, surface, x: int, y: int, count: int) -> None:
        surface.blit(self.theme.text(f"… and {count} more (scroll or Page Down)", "italic", 12, t.MUTED), (x, y))

    def on_meters(self, pos: tuple[int, int]) -> bool:
        return self.layout.meters.collidepoint(pos)

    def draw_advice(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        area = self.layout.advice
        panel(surface, area)
        x, y = area.x + theme.px(14), area.y + theme.px(12)
        y = heading(surface, theme, "Advisors", (x, y))
        viewer = scene.viewer
        # a spectator hears every side's advisors, each in its side's colour
        roles = (viewer,) if viewer else tuple(scene.session.scenario.roles)
        remarks = [remark for role in roles for remark in scene.shown.advice(role)]
        if not remarks:
            surface.blit(theme.text("Nobody has anything to add.", "italic", 13, t.MUTED), (x, y))
            return
        width = area.width - theme.px(28)
        for remark in remarks:
            colour = t.ORANGE if viewer else t.readable(scene.role_colour(remark.role))
            speaker = theme.fit(remark.speaker, "bold", 13, width, colour)
            surface.blit(speaker, (x, y))
            y += speaker.get_height() + theme.px(2)
            lines = max(1, (area.bottom - y - theme.px(8)) // theme.line_height("italic", 13))
            body = theme.block(
                f"“{scene.shown.render(remark.text)}”", "italic", 13, width, t.TEXT, max_lines=min(lines, 4)
            )
            surface.blit(body, (x, y))
            y += body.get_height() + theme.px(8)
            if y > area.bottom - theme.px(30):
                break

    # centre -------------------------------------------------------------------------------

    def draw_map(self, surface: pygame.Surface) -> None:
        scene = self.scene
        area = self.layout.map
        panel(surface, area, t.PANEL, t.EDGE, radius=4)
        inner = area.inflate(-4, -4)
        if self.map is None:
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
        width = theme.px(260)
        body = theme.block(
            "\n".join(lines) or place.kind.capitalize(), "sans", 13, width - theme.px(20), t.TEXT, max_lines=6
        )
        box = pygame.Rect(
            inner.x + theme.px(8),
            inner.bottom - body.get_height() - theme.px(46),
            width,
            body.get_height() + theme.px(38),
        )
        panel(surface, box, t.PANEL, t.FOCUS)
        surface.blit(
            theme.fit(place.name, "bold", 15, width - theme.px(20), t.TEXT), (box.x + theme.px(10), box.y + theme.px(8))
        )
        surface.blit(body, (box.x + theme.px(10), box.y + theme.px(30)))

    def _draw_map_stand_in(self, surface, inner: pygame.Rect) -> None:
        theme = self.theme
        surface.blit(theme.text("Map", "bold", 14, t.MUTED), (inner.x + theme.px(12), inner.y + theme.px(10)))
        if self.map_error:
            surface.blit(
                theme.block(self.map_error, "sans", 12, inner.width - 24, t.ORANGE), (inner.x + 12, inner.y + 36)
            )

    def draw_feed(self, surface: pygame.Surface) -> None:
        theme, scene = self.theme, self.scene
        area = self.layout.feed
        panel(surface, area)
        x, y = area.x + theme.px(14), area.y + theme.px(10)
        y = heading(surface, theme, "News", (x, y))
        scene.feed.draw(surface, theme, pygame.Rect(x, y, area.width - theme.px(28), area.bottom - y - theme.px(8)))

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
        y = area.y + theme.px(2)
        name = scene.session.role_name(role) if role else ""
        surface.blit(theme.text(f"{name}: choose a move".upper(), "bold", 12, t.MUTED), (area.x + theme.px(2), y))
        y += theme.px(22)
        scene.cards.draw(surface, theme, pygame.Rect(area.x, y, area.width, area.bottom - y))

    def draw_waiting(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        theme, scene = self.theme, self.scene
        panel(surface, area)
        status, colour = self.status()
        text = theme.text(status, "serif-bold", 20, t.TEXT)
        surface.blit(text, text.get_rect(center=(area.centerx, area.centery - theme.px(24))))
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
        elif scene.cards is not None and scene.session.person_to_move():
            items = [("1–0", "pick"), ("↑↓", "focus"), ("Enter", "confirm")]
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


def _ease(x: float) -> float:
    return 0.5 - math.cos(math.pi * min(max(x, 0.0), 1.0)) / 2
