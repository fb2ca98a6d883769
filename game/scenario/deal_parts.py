"""Names and small helpers shared by the builders of bargaining (negotiation.py, answers.py)."""

from __future__ import annotations

from dataclasses import replace

from game.core.expr import Expr
from game.core.model import History, Outcome

PENDING = {
    "package": "_deal_package",
    "sender": "_deal_from",
    "recipient": "_deal_to",
    "channel": "_deal_via",
    "due": "_deal_due",
}
SETTLED = "_deal_settled"
BREACH = "_deal_breach"


def broken_name(term: str) -> str:
    return f"_deal_broken_{term}"


def via_name(term: str) -> str:
    return f"_deal_via_{term}"


def done_name(role: str) -> str:
    return f"_deal_done_{role}"


def braces(text: str) -> str:
    """Text made here, safe to join to a template (a literal brace doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def listing(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def source_of(expr: Expr) -> str:
    """An expression's text on one line, to be built into another."""
    return " ".join(expr.source.split()) if expr.constant is None else expr.source


def with_sets(outcome: Outcome, extra: tuple) -> Outcome:
    return replace(outcome, set=outcome.set + extra) if extra else outcome


def history_of(h: dict | None) -> History | None:
    if h is None:
        return None
    return History(h["when"], h.get("note", "").strip(), tuple(h.get("turns", ())))
