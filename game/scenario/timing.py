"""Format 2's timing and knowledge, built from ordinary variables and events.

Everything that changes over time in format 2 becomes state the engines already play: what a
role knows of a variable is an internal number (its level: exact, a band width, or hidden); an
event that can happen once keeps an internal flag; a delayed effect keeps the turn it is due in
an internal number and takes hold as an internal event at the end of the turn before; an effect
that lasts a number of turns remembers what it changed and is undone by such an event. The
one-game engine, the batch engine, saves and state hashes therefore need no special cases, and
agree on these features for the same reasons they agree on everything else.

Internal names start with ``_``, which no id in a file can, and the expressions a file writes
cannot read them: only the ones made here do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.core.information import EXACT, HIDDEN

LEVELS = {"reveal": EXACT, "conceal": HIDDEN}


@dataclass
class Internal:
    """An internal variable: its id, type, starting value and what in the file it serves."""

    id: str
    type: str
    initial: float
    origin: str


@dataclass
class Delay:
    """A delayed effect or an undo: the internal event that carries it out when it is due."""

    due: str  # the internal variable holding the turn it takes hold in (0: nothing pending)
    where: str  # the path of its block in the file, or of the outcome whose effects it undoes
    turns: int
    block: dict  # the delayed effect as the file writes it (for an undo: built here)
    trigger: str  # path of the outcome that sets it off
    undo: bool = False


@dataclass
class Internals:
    """The internal variables and delayed events a file needs, worked out before anything is built."""

    variables: dict[str, Internal] = field(default_factory=dict)
    knowledge: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, variable) -> internal id
    once: dict[str, str] = field(default_factory=dict)  # event id -> internal flag
    delays: dict[str, list[Delay]] = field(default_factory=dict)  # outcome path -> its delays
    remembered: dict[tuple[str, str], str] = field(default_factory=dict)  # (outcome path, name) -> internal id

    def add(self, name: str, kind: str, initial: float, origin: str) -> str:
        if name not in self.variables:
            self.variables[name] = Internal(name, kind, initial, origin)
        return name


def plan(data: dict, base_level) -> Internals:
    """The internals of a checked format 2 file; ``base_level(variable, role)`` gives a declared level.

    Unknown roles and variables are skipped here: the builder reports them where they are.
    """
    found = Internals()
    roles = data.get("roles", {})
    variables = data.get("variables", {})

    def knowledge(block: dict, origin: str) -> None:
        for verb in ("reveal", "estimate", "conceal"):
            for var, who in (block.get(verb) or {}).items():
                if var not in variables:
                    continue
                for role in who if isinstance(who, (list, dict)) else ():
                    if role in roles and (role, var) not in found.knowledge:
                        name = found.add(f"_know_{role}_{var}", "number", base_level(var, role), origin)
                        found.knowledge[(role, var)] = name

    def outcomes(owner: str, raw: dict) -> None:
        for oid, o in (raw.get("outcomes") or {}).items():
            path = f"{owner}.outcomes.{oid}"
            knowledge(o, path)
            blocks = o.get("later") or []
            for i, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
                where = f"{path}.later" if not isinstance(blocks, list) else f"{path}.later.{i}"
                knowledge(block, where)
                due = found.add(f"_due_{len(found.variables)}", "number", 0.0, where)
                found.delays.setdefault(path, []).append(Delay(due, where, int(block.get("turns", 1)), block, path))
            if o.get("lasts") is not None:
                _lasting(found, path, o, int(o["lasts"]))

    for aid, a in data.get("actions", {}).items():
        outcomes(f"actions.{aid}", a)
    for eid, e in data.get("events", {}).items():
        outcomes(f"events.{eid}", e)
        if e.get("once"):
            found.once[eid] = found.add(f"_once_{eid}", "boolean", 0.0, f"events.{eid}.once")
    for cid, c in (data.get("channels") or {}).items():  # bargaining: see game.scenario.negotiation
        outcomes(f"channels.{cid}", c)
        for part in ("agreed", "rejected", "broken"):
            if isinstance(c.get(part), dict):
                knowledge(c[part], f"channels.{cid}.{part}")
    for tid, t in (data.get("terms") or {}).items():
        if isinstance(t.get("agreed"), dict):
            knowledge(t["agreed"], f"terms.{tid}.agreed")
        if isinstance(t.get("broken"), dict):
            outcomes(f"terms.{tid}.broken", t["broken"])
    rules = data.get("negotiation") or {}
    for part in ("agreed", "rejected", "lapsed"):
        if isinstance(rules.get(part), dict):
            knowledge(rules[part], f"negotiation.{part}")
    return found


def _lasting(found: Internals, path: str, o: dict, turns: int) -> None:
    """Remember what an outcome with ``lasts`` changes, and plan the event that undoes it."""
    undo: dict = {"set": {}, "add": {}}
    for var in o.get("set") or {}:
        was = found.add(f"_was_{len(found.variables)}_{var}", "number", 0.0, f"{path}.lasts")
        found.remembered[(path, var)] = was
        undo["set"][var] = was
    for var in o.get("add") or {}:
        amount = found.add(f"_amt_{len(found.variables)}_{var}", "number", 0.0, f"{path}.lasts")
        found.remembered[(path, "+" + var)] = amount
        undo["add"][var] = f"-{amount}"
    for (role, var), name in list(found.knowledge.items()):
        if any(role in (o.get(verb) or {}).get(var, ()) for verb in ("reveal", "estimate", "conceal")):
            was = found.add(f"_was_{len(found.variables)}{name}", "number", 0.0, f"{path}.lasts")
            found.remembered[(path, name)] = was
            undo["set"][name] = was
    due = found.add(f"_due_{len(found.variables)}", "number", 0.0, f"{path}.lasts")
    found.delays.setdefault(path, []).append(Delay(due, f"{path}.lasts", turns, undo, path, undo=True))


def due_condition(delay: Delay) -> str:
    """The internal event's chance: it happens in the world phase just before its turn begins."""
    return f"1 if {delay.due} == turn + 1 else 0"
