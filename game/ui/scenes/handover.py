"""The hand-over screen of a hot-seat game: it hides one side's private view from the other."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.scenes.base import Scene
from game.ui.widgets.panel import hints


class HandoverScene(Scene):
    """An opaque screen naming who plays next; nothing of the game shows until they press Enter."""

    name = "handover"

    def __init__(self, app, session, role: str):
        super().__init__(app)
        self.session = session
        self.role = role
        self.wait = 0.0

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.app.pop()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.app.pop()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            from game.ui.scenes.pause import PauseScene

            self.app.push(PauseScene(self.app, hide_game=True))

    def update(self, dt: float) -> None:
        if self.app.options.auto:
            self.wait += dt
            if self.wait > self.app.options.pace * 2:
                self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w, h = surface.get_size()
        surface.fill(t.BACKGROUND)
        role = self.session.scenario.roles[self.role]
        colour = t.readable(t.hex_colour(role.color))
        pygame.draw.rect(surface, colour, (0, h // 2 - theme.px(120), w, theme.px(4)))
        pygame.draw.rect(surface, colour, (0, h // 2 + theme.px(116), w, theme.px(4)))
        lines = [
            (theme.text("PASS THE SCREEN TO", "bold", 15, t.MUTED), 0),
            (theme.text(role.name, "serif-bold", 48, colour), theme.px(30)),
            (theme.text(role.title or " ", "italic", 18, t.TEXT), theme.px(96)),
            (theme.text("The other side should look away now.", "sans", 15, t.MUTED), theme.px(140)),
        ]
        top = h // 2 - theme.px(90)
        for image, dy in lines:
            surface.blit(image, image.get_rect(midtop=(w // 2, top + dy)))
        hints(surface, theme, [("Enter", f"{role.name} is ready")], pygame.Rect(0, h - theme.px(60), w, theme.px(28)))
