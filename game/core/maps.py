"""What a scenario adds to its map beyond places and routes: its own base layers, its own
reference places, and areas whose control follows the state.

Plain values: the loader reads and checks the files they come from (the core reads none).
Points are (lon, lat) in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.expr import Expr

LAYER_STYLES = ("land", "water", "area", "road", "rail", "river", "border")
"""How an author's layer is drawn: filled shapes (land, water, area) or lines (the rest)."""
AREA_STYLES = ("land", "water", "area")


@dataclass(frozen=True)
class Shape:
    """A polygon (its outline first, then its holes) or a line, with an optional name to print."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    closed: bool
    name: str = ""


@dataclass(frozen=True)
class MapLayer:
    """One of the author's base layers, read from a GeoJSON file beside the scenario."""

    id: str
    style: str
    shapes: tuple[Shape, ...]
    color: str = ""
    width: float = 1.2
    file: str = ""


@dataclass(frozen=True)
class ReferencePlace:
    """A town drawn for orientation only: not a place of the game, never clickable."""

    name: str
    lat: float
    lon: float
    kind: str = "town"


@dataclass(frozen=True)
class ControlArea:
    """An area shaded in a role's colour while ``when`` holds: who holds a city, a region, a building.

    The area is a ring of ``km`` round ``place``, or the polygon ``shape``.
    """

    id: str
    name: str
    holder: str
    when: Expr
    place: str = ""
    km: float = 0.0
    shape: Shape | None = None
