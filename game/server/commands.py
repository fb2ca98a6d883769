"""``crisis serve``: host online games (see docs/online.md)."""

from __future__ import annotations

import argparse

from game import flags
from game.core.errors import CrisisError

MAX_PORT = 65_535
MAX_ODDS_WORKERS = 16  # processes that work out odds (one or two per core is plenty)
MAX_KEPT_GAMES = 100_000  # ended games a journal may be asked to keep (pruning at this size: about 5 ms per create)


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="host online games for players on other machines",
        description="Run a game server: people join its games with a code from 'crisis play --join CODE "
        "--server ws://HOST:PORT' or the window's 'Join a game'. Games are journaled in DIR and survive a restart.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine)")
    serve.add_argument(
        "--port",
        type=flags.whole(0, 65535),
        default=8765,
        metavar="N",
        help="the port (default 8765; 0 picks a free one)",
    )
    serve.add_argument(
        "--data", metavar="DIR", type=flags.path, help="where games are journaled (default: the user folder's 'server')"
    )
    serve.add_argument(
        "--odds-workers",
        type=flags.whole(1, MAX_ODDS_WORKERS),
        default=1,
        metavar="N",
        help="processes that work out the players' odds, apart from the one that carries the moves (default 1)",
    )
    serve.add_argument(
        "--keep",
        type=flags.whole(1, MAX_KEPT_GAMES),
        default=10_000,
        metavar="N",
        help="ended games the journal keeps for late viewers and replays; the oldest past N are forgotten "
        "(default 10,000)",
    )
    serve.add_argument(
        "--seeds",
        action="store_true",
        help="let a game's creator choose its seed (for tests and for playing a known game again: the seed "
        "tells its chooser every hidden starting value, so leave it off for real games)",
    )
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    if not 0 <= args.port <= MAX_PORT:
        raise CrisisError(f"--port must be between 0 and {MAX_PORT}")
    try:
        import websockets  # noqa: F401
    except ImportError:
        raise CrisisError("online play needs the websockets package: pip install 'crisis[online]'") from None
    from game import paths
    from game.server.server import Limits, run

    data = Path(args.data) if args.data else paths.user_dir() / "server"
    try:
        run(args.host, args.port, data, Limits(odds_workers=args.odds_workers, kept=args.keep, seeds=args.seeds))
    except OSError as exc:
        raise CrisisError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0
