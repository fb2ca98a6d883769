"""What a frame drew that its last part needs: tooltips for shortened texts, and a record for checks.

Whenever a text is drawn shorter than it is (an ellipsis, a paragraph cut after some lines), the
whole text is kept here with the rectangle it was drawn in, and the window shows it as a
tooltip while the pointer rests there. The same notes list every panel and every text box
drawn, which is what the layout checks read: nothing is cut without a tooltip, nothing leaves
its panel. Notes are cleared at the start of every frame.
"""

from __future__ import annotations

import pygame


class Notes:
    """One frame's tooltips, shortened texts, panels and text boxes."""

    def __init__(self) -> None:
        self.tips: list[tuple[pygame.Rect, str]] = []
        self.cuts: list[str] = []
        self.panels: list[pygame.Rect] = []
        self.boxes: list[tuple[pygame.Rect, str]] = []

    def clear(self) -> None:
        self.tips.clear()
        self.cuts.clear()
        self.panels.clear()
        self.boxes.clear()

    def tip(self, rect: pygame.Rect, text: str) -> None:
        """Show ``text`` while the pointer is over ``rect``."""
        self.tips.append((pygame.Rect(rect), text))

    def cut(self, text: str) -> None:
        """``text`` was drawn shortened."""
        self.cuts.append(text)

    def panel(self, rect: pygame.Rect) -> None:
        self.panels.append(pygame.Rect(rect))

    def box(self, rect: pygame.Rect, text: str) -> None:
        self.boxes.append((pygame.Rect(rect), text))

    def tip_at(self, pos: tuple[int, int]) -> str | None:
        """The tooltip under ``pos``: the last one drawn there, as it is drawn on top."""
        for rect, text in reversed(self.tips):
            if rect.collidepoint(pos):
                return text
        return None

    def untipped(self) -> list[str]:
        """Texts drawn shortened with no tooltip that holds them whole (for the layout checks)."""
        tipped = [text for _, text in self.tips]
        return [cut for cut in self.cuts if not any(_holds(tip, cut) for tip in tipped)]


def _holds(tip: str, text: str) -> bool:
    """Whether a tooltip shows all of ``text`` (the same words, maybe among others)."""
    return " ".join(text.split()) in " ".join(tip.split())
