"""Label placement: every name on the map gets a spot where it covers no other name or dot.

The caller offers labels most important first; each takes the first free spot of its
candidates: the eight positions round its point (right first, as cartographers prefer),
then, if it may, spots further out in sixteen directions, joined to its point by a thin
leader line; a label with no free spot is left out. What is placed stays taken, so a later
(less important) label never covers an earlier one. The same placer then takes the moving
overlay (units' and markers' captions) against what the static layer holds.

Rectangles are the visible ink of a label (its halo trimmed off), so two labels may share
a halo's pixel but never a letter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

NEAR = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))
"""Right, left, above, below, then the corners."""
FAR_DIRECTIONS = 16
FAR_STEPS = (0.4, 0.8, 1.3, 1.9, 2.7, 3.6)
"""How far out, in label heights past the near ring, a displaced label may go."""
HALO_TRIM = 2


@dataclass(frozen=True)
class Placed:
    """A label where it was put: its ink rectangle, what it names, and its leader if displaced."""

    rect: pygame.Rect
    kind: str
    key: str
    leader: tuple[tuple[float, float], tuple[float, float]] | None = None


class Placer:
    """Keeps what is taken and finds free spots for labels, in order of importance."""

    def __init__(self, size: tuple[int, int], margin: int = 4) -> None:
        self.area = pygame.Rect(0, 0, *size).inflate(-2 * margin, -2 * margin)
        self.taken: list[pygame.Rect] = []
        self.placed: list[Placed] = []

    def copy(self) -> Placer:
        """A placer that starts with what this one holds (for a frame's overlay)."""
        other = Placer((1, 1))
        other.area = self.area.copy()
        other.taken = list(self.taken)
        other.placed = list(self.placed)
        return other

    def shift(self, dx: int, dy: int) -> None:
        """Move everything held by (dx, dy): a panel's names into the frame of the map it is set in."""
        self.area.move_ip(dx, dy)
        for rect in self.taken:
            rect.move_ip(dx, dy)
        self.placed = [
            Placed(
                pl.rect, pl.kind, pl.key, None if pl.leader is None else tuple((x + dx, y + dy) for x, y in pl.leader)
            )
            for pl in self.placed
        ]

    def block(self, rect: pygame.Rect) -> None:
        """Mark an area as taken without naming it (a dot, an icon, the scale bar)."""
        self.taken.append(pygame.Rect(rect))

    def dot(self, x: float, y: float, radius: float) -> None:
        r = math.ceil(radius)
        self.block(pygame.Rect(round(x) - r, round(y) - r, 2 * r, 2 * r))

    def free(self, rect: pygame.Rect) -> bool:
        return self.area.contains(rect) and rect.collidelist(self.taken) < 0

    def take(self, rect: pygame.Rect, kind: str, key: str, leader=None) -> Placed:
        placed = Placed(pygame.Rect(rect), kind, key, leader)
        self.taken.append(placed.rect)
        self.placed.append(placed)
        if leader is not None:
            self._block_line(leader)
        return placed

    def _block_line(self, line) -> None:
        """Small squares along a leader line, so that no later label hides it."""
        (x0, y0), (x1, y1) = line
        steps = max(int(math.hypot(x1 - x0, y1 - y0) // 6), 1)
        for i in range(1, steps):
            x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
            self.taken.append(pygame.Rect(round(x) - 1, round(y) - 1, 3, 3))

    def point(
        self,
        size: tuple[int, int],
        at: tuple[float, float],
        gap: float,
        kind: str,
        key: str = "",
        leader: bool = False,
        trim: int = HALO_TRIM,
    ) -> tuple[pygame.Rect, Placed] | None:
        """A spot for a label of ``size`` (with its halo) naming the point ``at``.

        Returns the rectangle to blit the label's image at and the placed ink, or None.
        """
        w, h = size
        x, y = at
        for dx, dy in NEAR:
            cx = x + dx * (gap + w / 2 - trim)
            cy = y + dy * (gap + h / 2 - trim)
            found = self._try(w, h, cx, cy, trim, kind, key, None)
            if found:
                return found
        if not leader:
            return None
        ink_h = h - 2 * trim
        for step in FAR_STEPS:
            for i in range(FAR_DIRECTIONS):
                angle = 2 * math.pi * i / FAR_DIRECTIONS
                ux, uy = math.cos(angle), -math.sin(angle)
                reach = gap + step * ink_h * 1.6
                cx = x + ux * (reach + w / 2 - trim)
                cy = y + uy * (reach + h / 2 - trim)
                box = pygame.Rect(round(cx - w / 2), round(cy - h / 2), w, h)
                ink = box.inflate(-2 * trim, -2 * trim)
                end = _nearest_on_rect(ink, x, y)
                line = ((x + ux * (gap + 1), y + uy * (gap + 1)), end)
                found = self._try(w, h, cx, cy, trim, kind, key, line, (x, y))
                if found:
                    return found
        return None

    def centred(
        self, size: tuple[int, int], spots, kind: str, key: str = "", pad: tuple[int, int] = (0, 0), trim: int = 0
    ) -> tuple[pygame.Rect, Placed] | None:
        """A spot for a label centred on one of ``spots`` (tried in order), with ``pad`` of air round it."""
        w, h = size
        for cx, cy in spots:
            box = pygame.Rect(round(cx - w / 2), round(cy - h / 2), w, h)
            ink = box.inflate(-2 * trim, -2 * trim)
            if self.free(ink.inflate(*pad)):
                return box, self.take(ink, kind, key)
        return None

    def _try(self, w, h, cx, cy, trim, kind, key, line=None, anchor=None) -> tuple[pygame.Rect, Placed] | None:
        box = pygame.Rect(round(cx - w / 2), round(cy - h / 2), w, h)
        ink = box.inflate(-2 * trim, -2 * trim)
        if not self.free(ink):
            return None
        if line is not None and self._crosses(line, anchor):
            return None
        return box, self.take(ink, kind, key, line)

    def _crosses(self, line, anchor) -> bool:
        """Whether a leader line would cross anything taken, bar the dot of the point it names."""
        x, y = anchor
        for rect in self.taken:
            if rect.clipline(line) and not (rect.w <= 20 and rect.h <= 20 and rect.inflate(2, 2).collidepoint(x, y)):
                return True
        return False


def _nearest_on_rect(rect: pygame.Rect, x: float, y: float) -> tuple[float, float]:
    """The point of a rectangle's edge nearest to (x, y) (for a leader line's end)."""
    return (min(max(x, rect.left), rect.right), min(max(y, rect.top), rect.bottom))


def draw_leader(surface: pygame.Surface, line, colour, halo) -> None:
    """A line with a light casing from a point to its displaced label, a dot at the point's end."""
    (x0, y0), (x1, y1) = line
    pygame.draw.line(surface, halo, (x0, y0), (x1, y1), 4)
    pygame.draw.line(surface, colour, (x0, y0), (x1, y1), 2)
    pygame.draw.circle(surface, colour, (x0, y0), 2)


def overlaps(placed: list[Placed]) -> list[tuple[Placed, Placed]]:
    """Every pair of placed labels whose ink overlaps (what a clean map never has)."""
    out = []
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.rect.colliderect(b.rect):
                out.append((a, b))
    return out
