"""A balance run as figures a designer reads: a dict (for JSON), text tables and CSV rows."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from game.analysis import causes
from game.analysis.plan import Plan
from game.analysis.stats import two_proportions, wilson
from game.analysis.summary import Summary
from game.core.model import BalanceCheck, Expectation


def build(plan: Plan, summary: Summary, seed: int, policies: dict[str, str], audit: dict | None = None) -> dict:
    """The report of one run, shaped as the JSON output; ``audit`` is game.analysis.audit.as_dict's."""
    n = summary.games
    endings = {}
    for k, ending in enumerate(plan.ending_ids):
        count = int(summary.endings[k])
        endings[ending] = {"count": count, "share": _share(count, n), "ci95": list(wilson(count, n))}
    roles = {
        role: {"mean_score": _mean(summary.score_sum[r], n), "win_rate": _share(int(summary.wins[r]), n)}
        for r, role in enumerate(plan.roles)
    }
    actions = {}
    for a, action in enumerate(plan.action_ids):
        games = int(summary.picked[a])
        actions[action] = {
            "role": plan.roles[plan.action_role[a]],
            "picked": games,
            "pick_rate": _share(games, n),
            "times": int(summary.times[a]),
            "mean_score_when_picked": _mean(summary.picked_score[a], games),
        }
        if audit is not None:
            actions[action]["audit"] = audit["options"][action]
    out = {
        "scenario": plan.scenario.meta.id,
        "games": n,
        "seed": seed,
        "policies": dict(policies),
        "endings": endings,
        "roles": roles,
        "actions": actions,
        "length": _length(summary, plan.scenario.calendar.turn_limit),
        "options": flag_options(plan, summary, audit),
        "audit": None if audit is None else {k: v for k, v in audit.items() if k != "options"},
        "assertions": [],
    }
    if summary.causes is not None:
        out["causes"] = causes.report(plan, summary.causes)
    return out


def _share(count: int, n: int) -> float:
    return count / n if n else 0.0


def _mean(total: float, n: int) -> float | None:
    return float(total) / n if n else None


def _length(summary: Summary, turn_limit: int) -> dict:
    n = summary.games
    turns = {str(t): int(c) for t, c in enumerate(summary.turns) if c}
    mean = sum(t * int(c) for t, c in enumerate(summary.turns)) / n if n else 0.0
    return {"mean_turns": mean, "mean_steps": summary.steps / n if n else 0.0, "turns": turns, "turn_limit": turn_limit}


def _turn_name(turn: str, limit: int | None) -> str:
    """A turn as the report names it: the turn after the last is when the turns ran out."""
    return f"after turn {limit}" if limit is not None and int(turn) > limit else f"turn {turn}"


def flag_options(plan: Plan, summary: Summary, audit: dict | None = None) -> list[dict]:
    """Options never chosen, and options the audit found dominated (game.analysis.audit)."""
    flags = []
    for a, action in enumerate(plan.action_ids):
        if summary.games == 0:
            break
        if int(summary.picked[a]) == 0:
            flags.append({"action": action, "problem": "never chosen"})
        elif audit is not None and audit["options"][action]["dominated"]:
            flags.append({"action": action, "problem": "dominated", **audit["options"][action]})
    return flags


# assertions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    text: str
    ok: bool
    observed: float
    miss: float  # how far outside the bounds, 0 when ok


def check(check: BalanceCheck, report: dict) -> list[Verdict]:
    """Each expectation of a balance check against a report of its games."""
    out = []
    for expect in check.expect:
        for name, observed in _observed(expect, report):
            miss = max(expect.at_least - observed, observed - expect.at_most, 0.0)
            text = f"{check.name}: {name} {_bounds(expect)}"
            out.append(Verdict(text, miss == 0, observed, miss))
    return out


def _observed(expect: Expectation, report: dict) -> list[tuple[str, float]]:
    if expect.win_rate:
        return [(f"win rate of {expect.win_rate}", report["roles"][expect.win_rate]["win_rate"])]
    names = list(report["endings"]) if expect.ending == "*" else [expect.ending]
    return [(f"share of ending {e}", report["endings"][e]["share"]) for e in names]


def _bounds(expect: Expectation) -> str:
    parts = []
    if expect.at_least > 0:
        parts.append(f">= {expect.at_least:g}")
    if expect.at_most < 1:
        parts.append(f"<= {expect.at_most:g}")
    return " and ".join(parts) or "within 0..1"


def verdict_line(v: Verdict) -> str:
    if v.ok:
        return f"  ok    {v.text} (observed {v.observed:.4f})"
    return f"  FAIL  {v.text}: observed {v.observed:.4f}, off by {v.miss:.4f}"


# text ------------------------------------------------------------------------------------------


def text(report: dict) -> str:
    """The report as tables for a terminal."""
    n = report["games"]
    lines = [f"{report['scenario']}: {n:,} games, seed {report['seed']}, " + _policies(report["policies"]), ""]
    lines += ["Endings                    games     share   95% interval"]
    for ending, e in report["endings"].items():
        low, high = e["ci95"]
        lines.append(f"  {ending:<22} {e['count']:>9,}  {e['share']:>7.2%}   {low:.2%} .. {high:.2%}")
    lines += ["", "Roles                 mean score   win rate"]
    for role, r in report["roles"].items():
        lines.append(f"  {role:<20} {_num(r['mean_score']):>10}   {r['win_rate']:>7.2%}")
    lines += ["", "Actions                 role         picked in     times  mean score when picked  beaten when open"]
    for action, a in report["actions"].items():
        audited = a.get("audit")
        beaten = "-" if not audited or not audited["open_in"] else f"{audited['beaten_in']}/{audited['open_in']}"
        lines.append(
            f"  {action:<21} {a['role']:<12} {a['pick_rate']:>9.2%} {a['times']:>9,}  "
            f"{_num(a['mean_score_when_picked']):>22}  {beaten:>16}"
        )
    length = report["length"]
    limit = length.get("turn_limit")
    spread = ", ".join(f"{_turn_name(t, limit)}: {c / n:.1%}" for t, c in length["turns"].items()) if n else ""
    lines += ["", f"Game length: {length['mean_turns']:.2f} turns, {length['mean_steps']:.1f} steps on average"]
    if spread:
        lines.append(f"  ended on {spread}")
    if report.get("audit"):
        lines += ["", _audit_line(report["audit"])]
    if report["options"]:
        lines += ["", "Options to look at:", *(_flag(f) for f in report["options"])]
    else:
        none = "none dominated" if report.get("audit") else "no audit of dominated options"
        lines += ["", f"Options to look at: none (every option was chosen; {none})"]
    shares = {ending: e["share"] for ending, e in report["endings"].items()}
    lines += causes.text(report.get("causes", {}), shares)
    return "\n".join(lines)


def _audit_line(audit: dict) -> str:
    lineup = ", ".join(f"{role}={name}" for role, name in audit["lineup"].items())
    return (
        f"Beaten when open: in {audit['states']} decision states sampled from {audit['games']} games ({lineup}), "
        f"each open option played {audit['playouts']} times to the end on shared random streams; beaten = some "
        f"alternative did better for the role at {audit['confidence']:.0%} confidence"
    )


def _policies(policies: dict[str, str]) -> str:
    return ", ".join(f"{role}={name}" for role, name in policies.items())


def _num(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _flag(flag: dict) -> str:
    if flag["problem"] == "never chosen":
        return f"  {flag['action']}: never chosen"
    turns = flag["turns"]
    when = f"turn {turns[0]}" if len(turns) == 1 else f"turns {turns[0]}-{turns[-1]}"
    return (
        f"  {flag['action']}: dominated (open in {flag['open_in']} sampled states, {when}; beaten in every one, "
        f"losing {flag['mean_loss']:.1f} points on average to the best alternative, "
        f"{flag['least_loss']:.1f} to {flag['most_loss']:.1f})"
    )


def csv_text(report: dict) -> str:
    """The report as CSV: one row per ending, role and action."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "count", "share", "ci95_low", "ci95_high", "mean_score", "win_rate"])
    for ending, e in report["endings"].items():
        writer.writerow(
            ["ending", ending, e["count"], f"{e['share']:.6f}", f"{e['ci95'][0]:.6f}", f"{e['ci95'][1]:.6f}"]
        )
    for role, r in report["roles"].items():
        writer.writerow(["role", role, report["games"], "", "", "", _csv_num(r["mean_score"]), f"{r['win_rate']:.6f}"])
    for action, a in report["actions"].items():
        writer.writerow(
            ["action", action, a["picked"], f"{a['pick_rate']:.6f}", "", "", _csv_num(a["mean_score_when_picked"]), ""]
        )
    for row in causes.csv_rows(report.get("causes", {})):
        writer.writerow([*row, "", ""])
    return out.getvalue()


def _csv_num(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


# comparing two versions ----------------------------------------------------------------------


def compare(old: dict, new: dict, alpha: float = 0.05) -> list[dict]:
    """How each ending's share moved between two reports, with a two-proportion z-test."""
    rows = []
    n_old, n_new = old["games"], new["games"]
    for ending in dict.fromkeys([*old["endings"], *new["endings"]]):
        a = old["endings"].get(ending, {"count": 0})["count"]
        b = new["endings"].get(ending, {"count": 0})["count"]
        z, p = two_proportions(a, n_old, b, n_new)
        rows.append(
            {
                "ending": ending,
                "old": _share(a, n_old),
                "new": _share(b, n_new),
                "change": _share(b, n_new) - _share(a, n_old),
                "z": z,
                "p": p,
                "significant": p < alpha,
            }
        )
    return rows


def compare_text(rows: list[dict], old_name: str, new_name: str) -> str:
    width = max([len(r["ending"]) for r in rows] + [22])
    lines = [
        f"Ending shares, {old_name} -> {new_name}",
        f"  {'ending':<{width}} {'old':>7} {'new':>9} {'change':>9} {'z':>7}   p-value",
    ]
    for r in rows:
        mark = "  *" if r["significant"] else ""
        lines.append(
            f"  {r['ending']:<{width}} {r['old']:>7.2%} {r['new']:>9.2%} {r['change']:>+9.2%} {r['z']:>7.2f}   {r['p']:.4f}{mark}"
        )
    lines.append("  * significant at the 5% level (two-sided two-proportion z-test, each ending on its own)")
    return "\n".join(lines)


def sweep_csv(name: str, points: list[dict]) -> str:
    """A sweep as CSV: one row per value and ending."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name, "ending", "count", "share", "ci95_low", "ci95_high"])
    for point in points:
        for ending, e in point["endings"].items():
            low, high = e["ci95"]
            writer.writerow(
                [f"{point['value']:g}", ending, e["count"], f"{e['share']:.6f}", f"{low:.6f}", f"{high:.6f}"]
            )
    return out.getvalue()


def compare_csv(rows: list[dict]) -> str:
    """A comparison as CSV: one row per ending."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ending", "old_share", "new_share", "change", "z", "p_value", "significant"])
    for r in rows:
        writer.writerow(
            [
                r["ending"],
                f"{r['old']:.6f}",
                f"{r['new']:.6f}",
                f"{r['change']:+.6f}",
                f"{r['z']:.4f}",
                f"{r['p']:.6f}",
                r["significant"],
            ]
        )
    return out.getvalue()
