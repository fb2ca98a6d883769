"""``crisis play``: the window by default, the terminal with ``--text``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game import files, flags, paths
from game.core.errors import CrisisError
from game.core.match import Match, Policy
from game.saves import SaveFile, read_save, restore
from game.scenario.loader import load_scenario

ODDS = ("exact", "bands", "hidden")


def register(subparsers: argparse._SubParsersAction) -> None:
    play = subparsers.add_parser(
        "play",
        help="play a scenario (the default command)",
        description="Play a scenario in the window, or in the terminal with --text.",
    )
    play.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        type=flags.path,
        help="scenario file or name (default: the Wagner mutiny)",
    )
    play.add_argument("--text", action="store_true", help="play in the terminal; choices are read from standard input")
    play.add_argument(
        "--as", dest="as_role", metavar="ROLE", help="the role you play; 'both' for hot-seat, 'none' to watch"
    )
    play.add_argument(
        "--opponent",
        metavar="POLICY",
        help="the AI: easy, normal, hard or expert, or a policy (random, weighted, greedy, lookahead, historical)",
    )
    play.add_argument(
        "--seed", type=flags.seed, metavar="N", help="the seed (a new one is chosen and recorded when left out)"
    )
    play.add_argument("--save", metavar="FILE", type=flags.path, help="save the game to FILE as it goes")
    play.add_argument("--load", metavar="FILE", type=flags.path, help="continue a saved game")
    play.add_argument("--record", metavar="DIR", type=flags.path, help="window: save a PNG of every new scene and turn")
    play.add_argument("--spectate", action="store_true", help="window: watch AI against AI")
    play.add_argument("--exit-at-end", action="store_true", help="window: quit after the ending screen")
    play.add_argument("--fullscreen", action="store_true", help="window: start in fullscreen")
    play.add_argument(
        "--scale", type=flags.scale, default=1.0, metavar="X", help="window: UI scale, 0.5 to 3 (default 1.0)"
    )
    play.add_argument("--odds", choices=ODDS, help="how odds are shown: exact, bands or hidden")
    play.add_argument("--size", metavar="WxH", help="window: size, e.g. 1600x900")
    play.add_argument("--join", metavar="CODE", help="join an online game with the code its host gave you")
    play.add_argument(
        "--server", metavar="URL", type=flags.url, help="the game server of --join, e.g. ws://127.0.0.1:8765"
    )
    play.set_defaults(run=run_play)


def scenario_path(name: str | None) -> Path:
    """The scenario named on the command line (a path or a bundled/user scenario name)."""
    if name is None:
        return paths.default_scenario()
    finder = getattr(paths, "find_scenario", None)
    if paths.is_file(Path(name)) or finder is None:
        return Path(name)
    return finder(name)


def opponent(name: str | None) -> Policy:
    """A policy from a policy name or a strength such as 'hard'."""
    from game.ai import DEFAULT_STRENGTH, FACTORIES, STRENGTHS, make_policy

    chosen = STRENGTHS.get(name or DEFAULT_STRENGTH, name or DEFAULT_STRENGTH)
    if chosen not in FACTORIES:
        raise CrisisError(
            f"unknown opponent '{name}' (strengths: {', '.join(STRENGTHS)}; policies: {', '.join(sorted(FACTORIES))})"
        )
    return make_policy(chosen)


def window_only(args: argparse.Namespace) -> list[str]:
    """The window's own flags given on the command line: the terminal game has no use for them."""
    given = {
        "--size": args.size,
        "--fullscreen": args.fullscreen,
        "--record": args.record,
        "--scale": args.scale != 1.0,
    }
    return [flag for flag, value in given.items() if value]


def run_play(args: argparse.Namespace) -> int:
    stray = window_only(args) if args.text else []
    if stray:
        raise CrisisError(f"{', '.join(stray)}: for the window only; leave out --text to use them")
    if args.join or args.server:
        return play_joined(args)
    if args.spectate and args.as_role is None:
        args.as_role = "none"
    if args.opponent:
        opponent(args.opponent)  # an unknown name is refused here, before any window opens
    if args.load and args.seed is not None:
        raise CrisisError("--seed and --load do not go together: a saved game goes on with its own seed")
    if not args.text:
        try:
            from game.ui.app import main as window_main
        except ImportError:
            print("crisis: the window is not available here; playing in the terminal", file=sys.stderr)
        else:
            return window_main(args)
    return play_text(args)


def play_joined(args: argparse.Namespace) -> int:
    """An online game in the terminal (the window joins from its title menu)."""
    from game.text.online import play_online

    if not (args.join and args.server):
        raise CrisisError("an online game needs both --join CODE and --server URL")
    result = play_online(args.server, args.join, sys.stdin, sys.stdout, args.save)
    return 0 if result in ("ended", "quit", "eof") else 1


def play_text(args: argparse.Namespace) -> int:
    from game.text.terminal import TextGame

    save = read_save(args.load) if args.load else None
    if save is not None and not args.scenario:  # the save says which scenario it continues
        from game.saves_commands import find_scenario_for

        try:
            found = find_scenario_for(save, None)
        except CrisisError:
            raise CrisisError(
                f"cannot find the scenario '{save.scenario_id}' this save was made with; "
                f"name its file: crisis play FILE --load {args.load}"
            ) from None
    else:
        found = scenario_path(args.scenario)
    scenario = load_scenario(found)
    playable = [r.id for r in scenario.roles.values() if r.playable]
    role = args.as_role or (playable[0] if playable else "none")
    if role == "both":
        people = set(playable)
    elif role == "none":
        people = set()
    elif role in scenario.roles and scenario.roles[role].playable:
        people = {role}
    else:
        raise CrisisError(f"there is no playable role '{role}' (choose from: {', '.join(playable)}, both, none)")
    policies = {r: opponent(args.opponent) for r in scenario.roles if r not in people}
    if args.save and files.same_file(args.save, found):
        raise CrisisError(
            f"cannot write the save {args.save}: it is the scenario file being played; choose another file"
        )
    journal = SaveFile(args.save) if args.save else None  # refused at once if another game saves there
    try:
        if args.load:
            match = restore(save, scenario, policies)
        else:
            match = Match(scenario, seed=args.seed, policies=policies)
        if journal is not None:
            journal.write(match)
        result = TextGame(
            match, people, sys.stdin, sys.stdout, journal.write if journal else None, odds=args.odds or "exact"
        ).play()
    finally:
        if journal is not None:
            journal.close()
    if args.save:
        print(f"saved to {args.save}; verify it with: crisis replay {args.save}")
    return 0 if result in ("ended", "quit", "eof") else 1
