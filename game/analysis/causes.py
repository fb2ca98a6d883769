"""What led to each ending: counted game by game in the batch engine, merged chunk by chunk.

While a batch plays, a :class:`Tracer` hears of every outcome drawn (an action's or an event's
that happened; an event that stayed quiet is no move). It keeps, for each game, which outcomes
and moves it held and the last :data:`LAST` outcomes in order. When the chunk is over those are
counted against the ending each game reached, into a :class:`Causes` of plain counts that merges
like the rest of a :class:`~game.analysis.summary.Summary`.

From the counts, for every ending:

- **ended by**: the outcome of the game's last step, the one after which the game was over (an
  outcome with ``end:``, or the step after which an ending's condition held);
- **last moves**: the outcomes among the last :data:`LAST` steps before the end;
- **raised by**: the moves and outcomes whose presence in a game raises the ending's share most
  (leaving out the outcomes that bring the ending about at once, which "ended by" already shows):
  the share among games that held it against the share among games that did not, with a 95%
  interval for the difference (Newcombe's method from two Wilson intervals).

These are correlations over the games played, not proofs: a move that is only open late in
the crisis will "raise" the endings that come late. They tell the designer where to look.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.analysis.plan import MoveRule, Plan
from game.analysis.stats import difference_interval

LAST = 3  # how many of the last outcomes of a game are counted as its lead-up
TOP = 3  # how many causes of each kind the report lists
MIN_GAMES = 30  # a move held (or not held) in fewer games than this says too little


@dataclass(frozen=True)
class Codes:
    """Every outcome of the plan numbered once: code -> (move index, outcome id), and move ids."""

    move_of: np.ndarray  # int64[codes]: the move each outcome belongs to
    ends: np.ndarray  # int64[codes]: the ending the outcome brings about at once, -1 for none
    outcome_ids: tuple[str, ...]
    move_ids: tuple[str, ...]
    move_roles: tuple[str, ...]
    first: dict[str, int]  # move id -> its first outcome's code
    origins: tuple[str, ...] = ()  # per move: for one the loader made, the part of the file it plays

    @classmethod
    def of(cls, plan: Plan) -> Codes:
        moves: list[tuple[MoveRule, str]] = [(m, r) for r in plan.roles for m in plan.moves_of[r]]
        moves += [(e, "world") for e in plan.events]
        move_of, ends, outcome_ids, first = [], [], [], {}
        for index, (move, _) in enumerate(moves):
            first[move.id] = len(outcome_ids)
            for outcome in move.outcomes:
                move_of.append(index)
                ends.append(outcome.end)
                outcome_ids.append(outcome.id)
        return cls(
            np.asarray(move_of, dtype=np.int64),
            np.asarray(ends, dtype=np.int64),
            tuple(outcome_ids),
            tuple(m.id for m, _ in moves),
            tuple(role for _, role in moves),
            first,
            tuple(_origin(plan, m.id) for m, _ in moves),
        )

    @property
    def size(self) -> int:
        return len(self.outcome_ids)


class Tracer:
    """Hears every outcome drawn in a batch of ``n`` games and keeps what :class:`Causes` counts.

    Which outcomes and moves a game held are kept as 0/1 matrices of float32 (one row per outcome
    or move, one column per game), so that counting them by ending is one matrix product.
    """

    def __init__(self, codes: Codes, n: int):
        self.codes = codes
        self.n = n
        self.held = np.zeros((codes.size, n), dtype=np.float32)
        self.held_moves = np.zeros((len(codes.move_ids), n), dtype=np.float32)
        self.last = [np.full(n, -1, dtype=np.int64) for _ in range(LAST)]  # the latest first

    def record(self, move: MoveRule, gid: np.ndarray, picked: np.ndarray) -> None:
        """Games ``gid`` drew outcome ``picked`` of ``move`` (an index past the last is quiet)."""
        drawn = picked < len(move.outcomes)
        if not drawn.all():
            gid, picked = gid[drawn], picked[drawn]
        if gid.size == 0:
            return
        first = self.codes.first[move.id]
        code = first + picked.astype(np.int64)
        self.held.reshape(-1)[code * self.n + gid] = 1.0  # a view: the matrix is C-contiguous
        self.held_moves[self.codes.move_of[first]][gid] = 1.0
        for k in range(LAST - 1, 0, -1):
            self.last[k][gid] = self.last[k - 1][gid]
        self.last[0][gid] = code


@dataclass
class Causes:
    """Counts by ending: games whose last outcome, lead-up and whole game held each outcome or move."""

    games: np.ndarray  # int64[endings]
    ended: np.ndarray  # int64[endings, codes]: the game's last outcome
    lead: np.ndarray  # int64[endings, codes]: among its last LAST outcomes
    held: np.ndarray  # int64[endings, codes]: anywhere in the game
    moves: np.ndarray  # int64[endings, moves]: any outcome of the move, anywhere in the game

    def merge(self, other: Causes) -> Causes:
        return Causes(
            self.games + other.games,
            self.ended + other.ended,
            self.lead + other.lead,
            self.held + other.held,
            self.moves + other.moves,
        )


def count(tracer: Tracer, ending: np.ndarray, n_endings: int) -> Causes:
    """The counts of one chunk, once every game in it has ended (``ending`` indexes the endings)."""
    size = tracer.codes.size
    onehot = np.zeros((tracer.n, n_endings), dtype=np.float32)
    onehot[np.arange(tracer.n), ending] = 1.0
    lead = np.zeros((n_endings, size), dtype=np.int64)
    for k, code in enumerate(tracer.last):  # an outcome twice among the last ones counts once
        fresh = code >= 0
        for earlier in tracer.last[:k]:
            fresh &= code != earlier
        lead += _tally(np.where(fresh, code, -1), ending, n_endings, size)
    return Causes(
        np.bincount(ending, minlength=n_endings).astype(np.int64),
        _tally(tracer.last[0], ending, n_endings, size),
        lead,
        _by_ending(tracer.held, onehot),
        _by_ending(tracer.held_moves, onehot),
    )


def _by_ending(held: np.ndarray, onehot: np.ndarray) -> np.ndarray:
    """Games that held each row, by ending: exact, as float32 counts whole numbers up to 2**24."""
    return np.rint(held @ onehot).T.astype(np.int64)


def _tally(code: np.ndarray, ending: np.ndarray, n_endings: int, size: int) -> np.ndarray:
    """Games by ending and outcome code (a code below 0 counts nowhere)."""
    ok = code >= 0
    flat = np.bincount(ending[ok] * size + code[ok], minlength=n_endings * size)
    return flat.reshape(n_endings, size).astype(np.int64)


# the report ------------------------------------------------------------------------------------


def report(plan: Plan, causes: Causes) -> dict:
    """For each ending reached: what ended its games, their last moves, and what raised its share."""
    codes = Codes.of(plan)
    n = int(causes.games.sum())
    out = {}
    for e, ending in enumerate(plan.ending_ids):
        games = int(causes.games[e])
        if games == 0:
            continue
        out[ending] = {
            "games": games,
            "at_turn_limit": e == plan.limit_ending,
            "ended_by": _top(codes, causes.ended[e], games),
            "last_moves": _top(codes, causes.lead[e], games),
            "raised_by": _raised(codes, causes, e, n),
        }
    return out


def _origin(plan: Plan, move_id: str) -> str:
    """The file's part that a move the loader made plays out ('' for a move of the file's own)."""
    if not move_id.startswith("_"):
        return ""
    made = plan.scenario.events.get(move_id) or plan.scenario.actions.get(move_id)
    return getattr(made, "origin", "") or ""


def _label(codes: Codes, code: int) -> dict:
    move = int(codes.move_of[code])
    if codes.origins and codes.origins[move]:  # the loader's own move, named by what it plays out
        return {"role": codes.move_roles[move], "move": f"({codes.origins[move]})", "outcome": ""}
    return {"role": codes.move_roles[move], "move": codes.move_ids[move], "outcome": codes.outcome_ids[code]}


def _shown(codes: Codes, code: int) -> bool:
    """Whether an outcome can be named in 'ended by' and 'last moves': the file's own, or one of a
    move the loader made for a part of the file (a delay, the deal settling it)."""
    return _authored(codes, code) or bool(codes.origins and codes.origins[codes.move_of[code]])


def _authored(codes: Codes, code: int) -> bool:
    """Whether the outcome is the file's own (ids from '_' are moves the loader makes, e.g. for delays)."""
    return not codes.move_ids[codes.move_of[code]].startswith("_")


def _top(codes: Codes, counts: np.ndarray, games: int) -> list[dict]:
    ranked = [int(c) for c in np.argsort(-counts, kind="stable") if counts[c] > 0 and _shown(codes, int(c))]
    order = ranked[:TOP]
    return [{**_label(codes, c), "games": int(counts[c]), "share": counts[c] / games} for c in order]


def _raised(codes: Codes, causes: Causes, e: int, n: int) -> list[dict]:
    """The moves and outcomes whose presence raises the ending's share most (the interval above 0)."""
    rows = []
    held_total = causes.held.sum(axis=0)
    move_total = causes.moves.sum(axis=0)
    candidates = [  # an outcome that ends the game this way is its own cause: 'ended by' shows it
        (_label(codes, c), int(causes.held[e, c]), int(held_total[c]))
        for c in range(codes.size)
        if codes.ends[c] != e and _authored(codes, c)
    ]
    for m, move in enumerate(codes.move_ids):
        if (
            not move.startswith("_") and sum(1 for c in range(codes.size) if codes.move_of[c] == m) > 1
        ):  # a one-outcome move is its outcome
            label = {"role": codes.move_roles[m], "move": move, "outcome": None}
            candidates.append((label, int(causes.moves[e, m]), int(move_total[m])))
    ending_games = int(causes.games[e])
    for label, hits, holders in candidates:
        if holders < MIN_GAMES or n - holders < MIN_GAMES:
            continue
        with_it, without = hits / holders, (ending_games - hits) / (n - holders)
        low, high = difference_interval(hits, holders, ending_games - hits, n - holders)
        if low > 0:
            rows.append(
                {
                    **label,
                    "games": holders,
                    "with": with_it,
                    "without": without,
                    "lift": with_it - without,
                    "ci95": [low, high],
                }
            )
    rows.sort(key=lambda r: -r["lift"])
    return rows[:TOP]


def named(row: dict) -> str:
    """A cause as people read it: 'union picket / held' or, for a whole move, 'union picket'."""
    who = "" if row["role"] == "world" else f"{row['role']} "
    return f"{who}{row['move']}" + (f" / {row['outcome']}" if row.get("outcome") else "")


def text(report: dict, shares: dict) -> list[str]:
    """The causes as lines of the balance report."""
    if not report:
        return []
    lines = [
        "",
        f"What led to each ending (the last {LAST} moves count as the lead-up; 'raised by' compares games with and without)",
    ]
    for ending, c in report.items():
        lines.append(f"  {ending} ({shares[ending]:.1%} of games)")
        lines += _listed("final move" if c["at_turn_limit"] else "ended by", c["ended_by"])
        lines += _listed("last moves", c["last_moves"])
        if c["raised_by"]:
            for i, r in enumerate(c["raised_by"]):
                head = "raised by" if i == 0 else ""
                low, high = r["ci95"]
                lines.append(
                    f"    {head:<11} {named(r)}: {100 * r['lift']:+.1f} points ({100 * low:+.1f} .. {100 * high:+.1f}); "
                    f"{r['with']:.1%} of games with it, {r['without']:.1%} without"
                )
        else:
            lines.append(f"    {'raised by':<11} nothing stands out")
    return lines


def _listed(head: str, rows: list[dict]) -> list[str]:
    if not rows:
        return [f"    {head:<11} -"]
    return [f"    {head if i == 0 else '':<11} {named(r)} ({r['share']:.1%})" for i, r in enumerate(rows)]


def csv_rows(report: dict) -> list[list]:
    """The causes as rows of the balance CSV (kind, id, count, share, ci95_low, ci95_high).

    ``id`` is ``ending:move/outcome`` (``ending:move`` for a whole move). For ``ended_by`` and
    ``last_moves`` the count and share are of the ending's games; for ``raised_by`` the count is
    the games that held the move and the share is the rise in the ending's share, with its interval.
    """
    rows = []
    for ending, c in report.items():
        for kind in ("ended_by", "last_moves"):
            rows += [[kind, _csv_id(ending, r), r["games"], f"{r['share']:.6f}", "", ""] for r in c[kind]]
        for r in c["raised_by"]:
            low, high = r["ci95"]
            rows.append(["raised_by", _csv_id(ending, r), r["games"], f"{r['lift']:.6f}", f"{low:.6f}", f"{high:.6f}"])
    return rows


def _csv_id(ending: str, row: dict) -> str:
    return f"{ending}:{row['move']}" + (f"/{row['outcome']}" if row.get("outcome") else "")
