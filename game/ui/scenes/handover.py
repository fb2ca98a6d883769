"""The hand-over screen of a hot-seat game: it hides one side's private view from the other."""

from __future__ import annotations

import pygame

from game.ui import theme as t
from game.ui.scenes.base import ReadingScene
from game.ui.widgets.panel import hints


class HandoverScene(ReadingScene):
    """An opaque screen naming who plays next; nothing of the game shows until they press Enter."""

    name = "handover"
    paces = 2.0
    pause_hides_game = True

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
