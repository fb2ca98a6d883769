"""Figures for the campaign map: building the cached layer, blitting it, and a full frame.

    SDL_VIDEODRIVER=dummy python benchmarks/map.py [--frames N]

For every file in scenarios/ and two window sizes, prints the median time to build the static
layer (once per size or zoom level), to blit the cached layer alone, and to draw a whole frame
(layer plus overlay: a highlighted place, every routed unit mid-way along its route and a
marker at every place). Software rendering into a display-format surface. Times are the
process's CPU time, so a busy machine does not inflate them; wall time is the same when idle.
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

SIZES = ((1280, 720), (1920, 1080))


def median_ms(action, repeats: int) -> float:
    """Median CPU time of this process per call: steady even when other work shares the cores."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


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
    return Overlay(tokens=tokens_for(scenario, values, after, 0.5), markers=markers, highlight=scenario.place_ids[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--builds", type=int, default=5)
    args = parser.parse_args()
    pygame.init()
    print(f"{'scenario':<18} {'size':>10} {'build ms':>9} {'blit ms':>8} {'frame ms':>9} {'markers':>8}")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        for size in SIZES:
            screen = pygame.display.set_mode(size)
            view = MapView(scenario, size)
            build = median_ms(lambda v=view: (v._layers.clear(), v.static_layer()), args.builds)
            overlay = busy_overlay(scenario)
            view.draw(screen, (0, 0), overlay)
            blit = median_ms(lambda v=view, s=screen: v.draw(s, (0, 0)), args.frames)
            frame = median_ms(lambda v=view, s=screen, o=overlay: v.draw(s, (0, 0), o), args.frames)
            label = f"{size[0]}x{size[1]}"
            print(f"{path.stem:<18} {label:>10} {build:>9.1f} {blit:>8.2f} {frame:>9.2f} {len(overlay.markers):>8}")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
