"""Pictures of balance runs, drawn with pygame on an offscreen surface and saved as PNG.

Pictures: a run's ending shares (bars with their 95% intervals) beside each role's win rate and
mean score, and what led to each ending; a sweep's ending shares against the swept number (lines
with bands); two versions' ending shares side by side.
"""

from __future__ import annotations

import io
import os

from game import files

PALETTE = (
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
    (117, 112, 179),
    (140, 140, 140),
    (166, 118, 29),
)
INK = (30, 30, 36)
MUTED = (110, 110, 120)
PAPER = (250, 249, 245)
GRID = (222, 220, 212)
WIDTH = 1000


def _pygame():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    pygame.font.init()
    return pygame


class _Canvas:
    def __init__(self, height: int):
        self.pg = _pygame()
        self.surface = self.pg.Surface((WIDTH, height))
        self.surface.fill(PAPER)
        self.fonts = {size: self.pg.font.Font(None, size) for size in (18, 22, 26, 34)}

    def text(self, words: str, x: int, y: int, size: int = 22, color=INK, right: bool = False) -> int:
        image = self.fonts[size].render(words, True, color)
        self.surface.blit(image, (x - image.get_width() if right else x, y))
        return image.get_width()

    def rect(self, color, x: float, y: float, w: float, h: float) -> None:
        self.pg.draw.rect(self.surface, color, self.pg.Rect(round(x), round(y), max(round(w), 1), round(h)))

    def line(self, color, a, b, width: int = 1) -> None:
        self.pg.draw.line(self.surface, color, a, b, width)

    def save(self, path: str) -> None:
        """Write the picture as PNG, atomically (see game.files): never onto a device or a pipe."""
        buffer = io.BytesIO()
        self.pg.image.save(self.surface, buffer, "picture.png")
        files.write_atomic(path, buffer.getvalue())


def _shares_axis(c: _Canvas, left: int, right: int, top: int, bottom: int) -> None:
    for tick in range(0, 101, 20):
        x = left + (right - left) * tick / 100
        c.line(GRID, (x, top), (x, bottom))
        c.text(f"{tick}%", int(x), bottom + 4, 18, MUTED)


def draw_report(report: dict, path: str) -> None:
    """Ending shares with 95% intervals, then each role's win rate and mean score."""
    endings, roles = report["endings"], report["roles"]
    causes = report.get("causes", {})
    row = 34
    height = 150 + row * len(endings) + 90 + row * len(roles) + 40
    height += (70 + CAUSE_ROW * 2 * len(causes)) if causes else 0
    c = _Canvas(height)
    c.text(f"{report['scenario']}: how {report['games']:,} games end", 30, 22, 34)
    policies = ", ".join(f"{r} plays {p}" for r, p in report["policies"].items())
    c.text(f"seed {report['seed']}; {policies}; bars are shares, whiskers 95% Wilson intervals", 30, 56, 18, MUTED)
    left, right = 200, WIDTH - 250
    top = 95
    _shares_axis(c, left, right, top - 8, top + row * len(endings))
    for i, (name, e) in enumerate(endings.items()):
        y = top + i * row
        color = PALETTE[i % len(PALETTE)]
        c.text(name, left - 12, y + 6, 22, INK, right=True)
        c.rect(color, left, y + 4, (right - left) * e["share"], row - 10)
        low, high = e["ci95"]
        xl, xh = left + (right - left) * low, left + (right - left) * high
        mid = y + row // 2 - 1
        c.line(INK, (xl, mid), (xh, mid), 2)
        c.line(INK, (xl, mid - 5), (xl, mid + 5), 1)
        c.line(INK, (xh, mid - 5), (xh, mid + 5), 1)
        c.text(f"{e['share']:.1%}", right + 16, y + 6, 22)
        c.text(f"{low:.2%} .. {high:.2%}", right + 90, y + 8, 18, MUTED)
    top += row * len(endings) + 50
    c.text("Roles: win rate (bar) and mean score", 30, top - 8, 26)
    top += 30
    _shares_axis(c, left, right, top - 4, top + row * len(roles))
    for i, (name, r) in enumerate(roles.items()):
        y = top + i * row
        c.text(name, left - 12, y + 6, 22, INK, right=True)
        c.rect(PALETTE[(i + 3) % len(PALETTE)], left, y + 4, (right - left) * r["win_rate"], row - 10)
        score = "-" if r["mean_score"] is None else f"{r['mean_score']:.1f}"
        c.text(f"{r['win_rate']:.1%}", right + 16, y + 6, 22)
        c.text(f"mean score {score}", right + 90, y + 8, 18, MUTED)
    if causes:
        _draw_causes(c, report, top + row * len(roles) + 50)
    c.save(path)


CAUSE_ROW = 26


def _draw_causes(c: _Canvas, report: dict, top: int) -> None:
    """Per ending: the share of its games that one outcome ended, and the move that raised it most."""
    c.text("What led to each ending", 30, top - 8, 26)
    c.text(
        "upper bar: share of its games this outcome ended; lower bar: rise in its share where this move "
        "was made (95% interval)",
        30,
        top + 20,
        18,
        MUTED,
    )
    top += 50
    left, width = 200, 300
    order = list(report["endings"])
    for i, (ending, cause) in enumerate(report["causes"].items()):
        y = top + i * 2 * CAUSE_ROW
        color = PALETTE[order.index(ending) % len(PALETTE)]
        c.text(ending, left - 12, y + 4, 22, INK, right=True)
        c.line(GRID, (left, y), (left, y + 2 * CAUSE_ROW - 4))
        ended = cause["ended_by"][0] if cause["ended_by"] else None
        if ended:
            c.rect(color, left, y + 3, width * ended["share"], CAUSE_ROW - 8)
            word = "final move" if cause["at_turn_limit"] else "ended by"
            c.text(f"{word} {_cause_name(ended)}: {ended['share']:.0%}", left + width + 14, y + 4, 18)
        raised = cause["raised_by"][0] if cause["raised_by"] else None
        yy = y + CAUSE_ROW
        if raised:
            light = tuple(255 - (255 - ch) // 2 for ch in color)
            c.rect(light, left, yy + 3, width * max(raised["lift"], 0.0), CAUSE_ROW - 8)
            low, high = raised["ci95"]
            mid = yy + CAUSE_ROW // 2 - 1
            c.line(INK, (left + width * max(low, 0.0), mid), (left + width * min(high, 1.0), mid), 2)
            c.text(
                f"raised by {_cause_name(raised)}: {100 * raised['lift']:+.1f} points",
                left + width + 14,
                yy + 4,
                18,
                MUTED,
            )
        else:
            c.text("no move stands out", left + width + 14, yy + 4, 18, MUTED)


def _cause_name(row: dict) -> str:
    who = "" if row["role"] == "world" else f"{row['role']} "
    return f"{who}{row['move']}" + (f" / {row['outcome']}" if row.get("outcome") else "")


def draw_sweep(name: str, points: list[dict], path: str) -> None:
    """Each ending's share (with its 95% band) against the swept number."""
    if not points:
        return
    endings = list(points[0]["endings"])
    height = 560 + 26 * ((len(endings) + 2) // 3)
    c = _Canvas(height)
    c.text(f"{points[0]['scenario']}: ending shares as {name} varies", 30, 22, 34)
    c.text(f"{points[0]['games']:,} games per value, seed {points[0]['seed']}; bands are 95% intervals", 30, 56, 18)
    left, right, top, bottom = 90, WIDTH - 40, 100, 480
    values = [p["value"] for p in points]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0

    def x_of(v: float) -> float:
        return left + (right - left) * ((v - lo) / span if hi > lo else 0.5)

    def y_of(share: float) -> float:
        return bottom - (bottom - top) * share

    for tick in range(0, 101, 20):
        y = y_of(tick / 100)
        c.line(GRID, (left, y), (right, y))
        c.text(f"{tick}%", left - 10, int(y) - 8, 18, MUTED, right=True)
    for v in values:
        c.text(f"{v:g}", int(x_of(v)) - 10, bottom + 8, 18, MUTED)
    c.text(name, (left + right) // 2 - 30, bottom + 30, 22)
    for i, ending in enumerate(endings):
        color = PALETTE[i % len(PALETTE)]
        band = [(x_of(p["value"]), y_of(p["endings"][ending]["ci95"][1])) for p in points]
        band += [(x_of(p["value"]), y_of(p["endings"][ending]["ci95"][0])) for p in reversed(points)]
        if len(points) > 1:
            light = tuple(255 - (255 - ch) // 4 for ch in color)
            c.pg.draw.polygon(c.surface, light, band)
        line = [(x_of(p["value"]), y_of(p["endings"][ending]["share"])) for p in points]
        if len(line) > 1:
            c.pg.draw.lines(c.surface, color, False, line, 3)
        for x, y in line:
            c.pg.draw.circle(c.surface, color, (round(x), round(y)), 4)
        lx, ly = 90 + (i % 3) * 300, bottom + 62 + 26 * (i // 3)
        c.rect(color, lx, ly + 3, 18, 12)
        c.text(ending, lx + 26, ly, 22)
    c.save(path)


def draw_compare(old: dict, new: dict, names: tuple[str, str], path: str) -> None:
    """Each ending's share in two versions, side by side, with 95% intervals."""
    endings = list(dict.fromkeys([*old["endings"], *new["endings"]]))
    row = 46
    c = _Canvas(150 + row * len(endings) + 60)
    c.text(f"{new['scenario']}: ending shares, {names[0]} against {names[1]}", 30, 22, 34)
    c.text(f"{old['games']:,} games each, seed {old['seed']}; whiskers are 95% Wilson intervals", 30, 56, 18, MUTED)
    left, right, top = 200, WIDTH - 250, 95
    _shares_axis(c, left, right, top - 8, top + row * len(endings))
    for i, ending in enumerate(endings):
        y = top + i * row
        c.text(ending, left - 12, y + 12, 22, INK, right=True)
        for j, (report, color) in enumerate(((old, (150, 150, 160)), (new, PALETTE[0]))):
            e = report["endings"].get(ending, {"share": 0.0, "ci95": [0.0, 0.0]})
            yy = y + 3 + j * 19
            c.rect(color, left, yy, (right - left) * e["share"], 16)
            low, high = e["ci95"]
            mid = yy + 8
            c.line(INK, (left + (right - left) * low, mid), (left + (right - left) * high, mid), 1)
            c.text(f"{e['share']:.2%}", right + 16 + 90 * j, y + 12, 22, color if j == 0 else INK)
    c.text(names[0], right + 16, top - 30, 18, MUTED)
    c.text(names[1], right + 106, top - 30, 18, MUTED)
    c.save(path)


TORNADO_ROWS = 8  # numbers shown per output
TORNADO_ROW = 20
LOW_COLOR, HIGH_COLOR = PALETTE[4], PALETTE[5]


def draw_tornado(scenario: str, found: dict, path: str) -> None:
    """A tornado chart per output: the numbers that move it most, bars to their low and high values."""
    rows = found["parameters"]
    outputs = [("endings", e, f"ending {e}") for e in found["base"]["endings"]]
    outputs += [("scores", r, f"mean score of {r}") for r in found["base"]["scores"]]
    panel = 44 + TORNADO_ROW * TORNADO_ROWS
    c = _Canvas(120 + panel * len(outputs))
    morris = found.get("method") == "morris"
    c.text(f"{scenario}: which numbers matter" + (" across their ranges" if morris else ""), 30, 22, 34)
    if morris:
        words = (
            f"Morris screening (SALib), {found['trajectories']} trajectories, {found['games']:,} games per version, "
            "common random numbers; bar: mu*, tick: sigma"
        )
    else:
        words = (
            f"each number lowered and raised by {found['step']:.0%}; {found['games']:,} games per version, "
            "common random numbers; at the right: the swing, low to high, with its 95% margin"
        )
    c.text(words, 30, 56, 18, MUTED)
    first, second = ("mu*", "sigma") if morris else ("lowered", "raised")
    c.rect(LOW_COLOR, 30, 80, 14, 12)
    c.text(first, 50, 78, 18, MUTED)
    c.rect(INK if morris else HIGH_COLOR, 120, 80, 14, 12)
    c.text(second, 140, 78, 18, MUTED)
    for i, (part, key, title) in enumerate(outputs):
        if morris:
            best = sorted(rows, key=lambda r: -r[part][key]["mu_star"])[:TORNADO_ROWS]
            _screening_panel(c, 120 + i * panel, title, part, key, best)
        else:
            best = sorted(rows, key=lambda r: -abs(r[part][key]["swing"]))[:TORNADO_ROWS]
            _tornado_panel(c, 120 + i * panel, title, part, key, best)
    c.save(path)


def _screening_panel(c: _Canvas, top: int, title: str, part: str, key: str, rows: list[dict]) -> None:
    c.text(title, 30, top, 26)
    left, width = 480, 360
    reach = max([max(r[part][key]["mu_star"], r[part][key]["sigma"]) for r in rows] + [1e-12])
    scale = width / reach
    y0 = top + 32
    c.line(GRID, (left, y0 - 4), (left, y0 + TORNADO_ROW * TORNADO_ROWS))
    unit = (lambda v: f"{100 * v:.1f} pts") if part == "endings" else (lambda v: f"{v:.2f}")
    c.text(unit(reach), left + width, top + 8, 18, MUTED, right=True)
    for j, row in enumerate(rows):
        effect = row[part][key]
        y = y0 + j * TORNADO_ROW
        c.text(f"{row['id']} (line {row['line']})", left - 16, y + 2, 18, INK, right=True)
        c.rect(LOW_COLOR, left, y + 2, effect["mu_star"] * scale, TORNADO_ROW - 6)
        x = left + effect["sigma"] * scale
        c.line(INK, (x, y + 1), (x, y + TORNADO_ROW - 3), 2)
        margin = f"{100 * effect['conf']:.1f}" if part == "endings" else f"{effect['conf']:.2f}"
        c.text(f"{unit(effect['mu_star'])} ±{margin}", left + width + 14, y + 2, 18, MUTED)


def _tornado_panel(c: _Canvas, top: int, title: str, part: str, key: str, rows: list[dict]) -> None:
    c.text(title, 30, top, 26)
    centre, half = 660, 180
    reach = max([abs(r[part][key][side]) for r in rows for side in ("low", "high")] + [1e-12])
    scale = half / reach
    y0 = top + 32
    c.line(GRID, (centre, y0 - 4), (centre, y0 + TORNADO_ROW * TORNADO_ROWS))
    unit = (lambda v: f"{100 * v:+.1f} pts") if part == "endings" else (lambda v: f"{v:+.2f}")
    c.text(unit(-reach), centre - half, top + 8, 18, MUTED)
    c.text(unit(reach), centre + half, top + 8, 18, MUTED, right=True)
    for j, row in enumerate(rows):
        effect = row[part][key]
        y = y0 + j * TORNADO_ROW
        c.text(f"{row['id']} (line {row['line']})", centre - half - 16, y + 2, 18, INK, right=True)
        for side, color in (("low", LOW_COLOR), ("high", HIGH_COLOR)):
            v = effect[side]
            x = centre + min(v, 0.0) * scale
            c.rect(color, x, y + 2, abs(v) * scale, TORNADO_ROW - 6)
        low, high = effect["ci95"]
        margin = (high - low) / 2
        plus = f"{100 * margin:.1f}" if part == "endings" else f"{margin:.2f}"
        c.text(f"{unit(effect['swing'])} ±{plus}", centre + half + 14, y + 2, 18, MUTED)
