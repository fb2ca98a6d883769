"""Frame times of the window over spectated games, and the time from start-up to the first frame.

Prints figures; asserts nothing. Software rendering at 1280x720 on SDL's dummy video driver, so
the figures count only the game's own drawing and logic (no display, no vsync):

    SDL_VIDEODRIVER=dummy .venv/bin/python benchmarks/frames.py [--games 3] [--scenario FILE] [--seat putin]
                                                                [--opponent NAME]

With ``--seat`` the games show that side's cards before its policy plays them (as ``--record``
does), so the frames include the list of moves, the picked card's pane and the meters' ending
lines. ``--opponent expert`` has the strongest AI play, whose thinking runs on the worker thread
while the window keeps drawing.

Goals: median frame <= 4 ms, 99th percentile <= 12 ms, first frame <= 1 s after start-up.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTUP = """
import time
started, cpu = time.perf_counter(), time.process_time()
import pygame
from game.ui.app import App, Options, open_first
from game.paths import default_scenario
pygame.init()
app = App(Options(scenario=default_scenario()))
open_first(app)
app.frame(1 / 60)
print(time.perf_counter() - started, time.process_time() - cpu)
"""


def startup_seconds(runs: int = 5) -> tuple[list[float], list[float]]:
    """Seconds from the first import to the first frame on screen, each in a fresh interpreter:
    wall time, and the process's own processor time (which other work on the machine does not inflate)."""
    wall, cpu = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True, cwd=ROOT)
        seconds, processor = out.stdout.strip().splitlines()[-1].split()
        wall.append(float(seconds))
        cpu.append(float(processor))
    return wall, cpu


def spectated_frames(
    scenario: Path, games: int, pace: float, seat: str = "none", opponent: str | None = None
) -> tuple[list[float], list[float], list[float]]:
    """Frame times (events, update, draw and flip) over whole spectated games, title to ending.

    Returns wall times, the window thread's processor times, and the wall times of the frames
    in which no new screen was opened (opening one reads files or builds the map once).
    """
    import pygame

    from game.ui.app import App, Options, open_first

    times: list[float] = []
    cpu: list[float] = []
    steady: list[float] = []
    for seed in range(1, games + 1):
        pygame.init()
        options = Options(
            scenario=scenario, seat=seat, opponent=opponent, spectate=True, exit_at_end=True, seed=seed, pace=pace
        )
        app = App(options)
        open_first(app)
        clock = pygame.time.Clock()
        while app.running:
            before = app.top
            app.frame(min(clock.tick(60) / 1000, 0.1))
            if app.top is before and app.frame_times:
                steady.append(app.frame_times[-1])
        times += app.frame_times
        cpu += app.frame_cpu
        pygame.quit()
    return times, cpu, steady


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    from game.paths import default_scenario

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=3)
    parser.add_argument("--pace", type=float, default=0.15, help="seconds per step of the spectated game")
    parser.add_argument("--scenario", type=Path, default=default_scenario())
    parser.add_argument("--seat", default="none", help="a side whose cards show before its policy plays them")
    parser.add_argument("--opponent", default=None, help="the AI that plays every side (a strength or policy)")
    args = parser.parse_args()
    started = time.perf_counter()
    frames, cpu, steady = spectated_frames(args.scenario, args.games, args.pace, args.seat, args.opponent)
    seen = "spectated" if args.seat == "none" else f"{args.seat}'s cards shown"
    who = f", {args.opponent} on every side" if args.opponent else ""
    print(
        f"scenario {args.scenario.name}, {args.games} games ({seen}{who}), {len(frames)} frames at 1280x720 (software)"
    )
    print(f"machine load average (1 min) while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    lines = (
        ("frame time (wall)", frames),
        ("frame time (window thread CPU)", cpu),
        ("frame time (wall, no new screen)", steady),
    )
    for label, values in lines:
        ms = [v * 1000 for v in values]
        print(
            f"{label}: median {percentile(ms, 0.5):.2f} ms, p90 {percentile(ms, 0.9):.2f} ms, "
            f"p99 {percentile(ms, 0.99):.2f} ms, max {max(ms):.1f} ms  (goals: median <= 4, p99 <= 12)"
        )
    boot, boot_cpu = startup_seconds()
    print(
        f"start-up to first frame: median {percentile(boot, 0.5):.2f} s, worst {max(boot):.2f} s of {len(boot)} runs  (goal <= 1 s)"
    )
    print(f"start-up processor time: median {percentile(boot_cpu, 0.5):.2f} s, worst {max(boot_cpu):.2f} s")
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
