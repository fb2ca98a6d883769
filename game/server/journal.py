"""The server's journal: every game and every step, in SQLite (WAL mode), as they happen.

A game is its settings, its seed and its steps, exactly what a save holds, so a game is rebuilt
by replaying its journaled steps from its seed (:func:`game.saves.replay`, which checks every
outcome and state hash on the way). Each batch of steps is one transaction, committed before
any seat hears of it: a server killed at any moment restarts with every game at the last step
anyone was told about. ``synchronous=NORMAL`` in WAL mode keeps a commit through a crash of the
server's process (``kill -9``); a power cut may lose the last commits.

Copying the write-ahead log back into the database (a checkpoint) writes and syncs the file,
which can take tens or hundreds of milliseconds on a busy disk; made by the commit that fills
the log, it would stop the server's loop, and every game's moves, that long. So a thread of the
journal's own, on its own connection, checkpoints every ``CHECKPOINT_SECONDS`` (without waiting
for the loop's writes: SQLite's passive checkpoint), and the loop's commits checkpoint only if
that thread has fallen ``FALLBACK_PAGES`` behind.

Join codes are kept only as hashes: the journal cannot hand a seat to whoever reads it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game import files
from game.core.errors import CrisisError
from game.core.match import Step

SCHEMA = """
CREATE TABLE IF NOT EXISTS games (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    scenario TEXT NOT NULL,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,
    seed TEXT NOT NULL,
    numpy TEXT NOT NULL,
    config TEXT NOT NULL,
    over INTEGER NOT NULL DEFAULT 0,
    broken TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS codes (
    hash TEXT PRIMARY KEY,
    game TEXT NOT NULL REFERENCES games(id),
    seat TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    game TEXT NOT NULL REFERENCES games(id),
    n INTEGER NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    digest TEXT NOT NULL,
    by TEXT NOT NULL,
    move TEXT NOT NULL,
    PRIMARY KEY (game, n)
);
CREATE INDEX IF NOT EXISTS games_by_end ON games(over, created, id);
CREATE INDEX IF NOT EXISTS codes_by_game ON codes(game);
"""


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class GameRow:
    id: str
    scenario: str
    path: str
    digest: str
    seed: int
    numpy: str
    config: dict[str, Any]
    over: bool
    broken: str


@dataclass(frozen=True)
class StepRow:
    step: Step
    move: str  # the client's move id for a person's move, "" otherwise


CHECKPOINT_SECONDS = 0.5  # how often the journal's own thread checkpoints the write-ahead log
FALLBACK_PAGES = 16_384  # pages (of 4 kB) in the log past which a commit checkpoints after all
LOG_BYTES = 64 * 1024 * 1024  # the log file is cut back to this after a checkpoint


class Journal:
    """One SQLite file holding every game the server knows."""

    def __init__(self, path: str | Path, checkpoints: float | None = CHECKPOINT_SECONDS):
        self.path = Path(path)
        if self.path.parent.exists() and not self.path.parent.is_dir():
            raise CrisisError(f"cannot keep the games in {self.path.parent}: it is not a folder")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.check_writable(self.path)  # a pipe or a device at the path is not opened
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA journal_size_limit={LOG_BYTES}")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CrisisError(f"cannot keep the games in {self.path}: {reason}") from None
        self._stop = threading.Event()
        self._checkpointer: threading.Thread | None = None
        if checkpoints is not None:
            self.db.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
            self._checkpointer = threading.Thread(
                target=self._checkpoint, args=(checkpoints,), name="crisis-journal", daemon=True
            )
            self._checkpointer.start()

    def _checkpoint(self, every: float) -> None:
        """The checkpoint thread: copy the log into the database now and then, off the loop."""
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        except sqlite3.Error:
            return  # the loop's commits checkpoint on their own (past FALLBACK_PAGES)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            while not self._stop.wait(every):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    continue  # busy or failing now: the next round tries again
        finally:
            db.close()

    def close(self) -> None:
        self._stop.set()
        if self._checkpointer is not None:
            self._checkpointer.join(timeout=30)
        self.db.close()

    def mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])

    def create(
        self,
        game: str,
        scenario: str,
        path: str,
        digest: str,
        seed: int,
        numpy: str,
        config: dict[str, Any],
        codes: dict[str, str],
    ) -> None:
        """Record a new game and its join codes (seat by code) in one transaction."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO games (id, created, scenario, path, digest, seed, numpy, config) VALUES (?,?,?,?,?,?,?,?)",
                (game, time.time(), scenario, path, digest, str(seed), numpy, json.dumps(config, sort_keys=True)),
            )
            self.db.executemany(
                "INSERT INTO codes (hash, game, seat) VALUES (?,?,?)",
                [(code_hash(code), game, seat) for code, seat in codes.items()],
            )

    def append(self, game: str, first: int, rows: Iterable[StepRow], over: bool) -> None:
        """Record steps ``first``, ``first + 1``, ... of a game, and whether it has ended."""
        with self._transaction():
            self.db.executemany(
                "INSERT INTO steps (game, n, role, action, outcome, digest, by, move) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (game, first + i, r.step.role, r.step.action, r.step.outcome, r.step.digest, r.step.by, r.move)
                    for i, r in enumerate(rows)
                ],
            )
            if over:
                self.db.execute("UPDATE games SET over = 1 WHERE id = ?", (game,))

    def prune(self, keep: int) -> int:
        """Forget the oldest ended games (finished or broken) past the newest ``keep``, with their
        steps and join codes, in one transaction; how many were forgotten. Games in play are
        never forgotten: they have their own cap. The finished games are counted and the oldest
        found on the ``games_by_end`` index; broken games not marked over are few (a game breaks
        only when it cannot be restored) and are read whole."""
        with self._transaction():
            (finished,) = self.db.execute("SELECT COUNT(*) FROM games WHERE over = 1").fetchone()
            broken = self.db.execute("SELECT created, id FROM games WHERE over = 0 AND broken != ''").fetchall()
            excess = finished + len(broken) - keep
            if excess <= 0:
                return 0
            oldest = self.db.execute(
                "SELECT created, id FROM games WHERE over = 1 ORDER BY created, id LIMIT ?", (excess,)
            ).fetchall()
            gone = [(game,) for _, game in sorted(oldest + broken)[:excess]]
            self.db.executemany("DELETE FROM steps WHERE game = ?", gone)
            self.db.executemany("DELETE FROM codes WHERE game = ?", gone)
            self.db.executemany("DELETE FROM games WHERE id = ?", gone)
        return len(gone)

    def mark_broken(self, game: str, why: str) -> None:
        with self._transaction():
            self.db.execute("UPDATE games SET broken = ? WHERE id = ?", (why[:500], game))

    def seat_of(self, code: str) -> tuple[str, str] | None:
        """(game, seat) for a join code, or None."""
        row = self.db.execute("SELECT game, seat FROM codes WHERE hash = ?", (code_hash(code),)).fetchone()
        return (row[0], row[1]) if row else None

    def game(self, game: str) -> GameRow | None:
        row = self.db.execute(
            "SELECT id, scenario, path, digest, seed, numpy, config, over, broken FROM games WHERE id = ?", (game,)
        ).fetchone()
        return _game(row) if row else None

    def unfinished(self) -> list[GameRow]:
        rows = self.db.execute(
            "SELECT id, scenario, path, digest, seed, numpy, config, over, broken FROM games "
            "WHERE over = 0 AND broken = '' ORDER BY created"
        ).fetchall()
        return [_game(row) for row in rows]

    def steps(self, game: str) -> list[StepRow]:
        rows = self.db.execute(
            "SELECT role, action, outcome, digest, by, move FROM steps WHERE game = ? ORDER BY n", (game,)
        ).fetchall()
        return [StepRow(Step(r[0], r[1], r[2], r[3], r[4]), r[5]) for r in rows]

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _game(row) -> GameRow:
    return GameRow(row[0], row[1], row[2], row[3], int(row[4]), row[5], json.loads(row[6]), bool(row[7]), row[8])


def iter_games(journal: Journal) -> Iterator[GameRow]:
    for (game,) in journal.db.execute("SELECT id FROM games ORDER BY created").fetchall():
        found = journal.game(game)
        if found is not None:
            yield found
