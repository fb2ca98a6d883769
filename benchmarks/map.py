"""Figures for the campaign map: building the cached layer, blitting it, and a full frame.

    SDL_VIDEODRIVER=dummy python benchmarks/map.py [--frames N]

For every file in scenarios/ and the world-map test scenarios (tests/fixtures/map), at the
map's size on the turn screen of a 1280x720 and a 1920x1080 window, prints the median time to
build the static layer (once per size or zoom level), to blit the cached layer alone, and to
draw a whole frame (layer plus overlay: a highlighted place, every unit and person mid-way to
its next stop, a marker at every place, every control area shaded), with that frame's 99th
percentile. Software rendering into a display-format surface. Times are the process's CPU
time, so a busy machine does not inflate them; wall time is the same when idle.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.core.model import Marker  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.ui.map import MapView, Overlay, tokens_for  # noqa: E402
from game.ui.map_icons import KIND_COLOURS  # noqa: E402
from game.ui.scenes.turn_view import make_layout  # noqa: E402
from game.ui.theme import Theme  # noqa: E402

WINDOWS = ((1280, 720), (1920, 1080))


def map_size(window: tuple[int, int]) -> tuple[int, int]:
    """The map's size on the turn screen of a window (the window's default scale)."""
    return make_layout(window, Theme(max(1.0, window[1] / 720))).map.inflate(-4, -4).size


def times_ms(action, repeats: int) -> list[float]:
    """CPU time of this process per call, in ms: steady even when other work shares the cores."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return times


def median_ms(action, repeats: int) -> float:
    return statistics.median(times_ms(action, repeats))


def busy_overlay(scenario) -> Overlay:
    """Every routed unit half-way to the next stop, and a marker of some kind at every place."""
    values = scenario.initial_values()
    after = list(values)
    for i, var_id in enumerate(scenario.variable_ids):
        var = scenario.variables[var_id]
        if var.route:
            stops = scenario.routes[var.route].stops
            here = scenario.place_at(values[i]).id
            nxt = stops[min(stops.index(here) + 1, len(stops) - 1)] if here in stops else here
            after[i] = float(scenario.place_ids.index(nxt))
    kinds = list(KIND_COLOURS)
    markers = tuple(Marker(pid, kinds[k % len(kinds)], "Something happened") for k, pid in enumerate(scenario.places))
    tokens = tokens_for(scenario, values, after, 0.5, routed_only=False)
    held = tuple(area.id for area in scenario.control)
    return Overlay(tokens=tokens, markers=markers, highlight=scenario.place_ids[0], held=held)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--builds", type=int, default=5)
    args = parser.parse_args()
    pygame.init()
    header = f"{'scenario':<16} {'window':>10} {'map':>8} {'build ms':>9} {'blit ms':>8} {'frame ms':>9} {'p99 ms':>7}"
    print(header + f" {'markers':>8}")
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures" / "map").glob("*.yaml"))
    for path in files:
        scenario = load_scenario(path)
        for window in WINDOWS:
            size = map_size(window)
            screen = pygame.display.set_mode(window)
            view = MapView(scenario, size)
            build = median_ms(lambda v=view: (v._layers.clear(), v.static_layer()), args.builds)
            overlay = busy_overlay(scenario)
            view.draw(screen, (0, 0), overlay)
            blit = median_ms(lambda v=view, s=screen: v.draw(s, (0, 0)), args.frames)
            frames = times_ms(lambda v=view, s=screen, o=overlay: v.draw(s, (0, 0), o), args.frames)
            frame, p99 = statistics.median(frames), statistics.quantiles(frames, n=100)[98]
            label, shown = f"{window[0]}x{window[1]}", f"{size[0]}x{size[1]}"
            print(
                f"{path.stem:<16} {label:>10} {shown:>8} {build:>9.1f} {blit:>8.2f} {frame:>9.2f} {p99:>7.2f}"
                f" {len(overlay.markers):>8}"
            )
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
