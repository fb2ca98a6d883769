"""From a scenario file to a checked :class:`~game.core.model.Scenario`.

``load_scenario(path)`` reads, checks the shape against :mod:`game.scenario.spec`, then checks
meaning (every name an expression, a template or a reference uses must exist; weights and
chances that are constant must make sense) and compiles every expression once. Every problem
is collected; if there are any, :class:`ScenarioError` carries them all.
"""

from __future__ import annotations

import gc
import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.core.errors import CrisisError, ExprError, did_you_mean
from game.core.expr import (
    BOOL,
    NUM,
    PLACE,
    Expr,
    Symbols,
    case_type,
    compile_expr,
    conjunction,
    describe_type,
    is_token,
    literal,
    unknown_place,
)
from game.core.limits import (
    MAX_CHECK_GAMES,
    MAX_FILE_CHECK_GAMES,
    MAX_FILE_SEED,
    MAX_HOURS_PER_TURN,
    MAX_KM,
    MAX_TURN_LIMIT,
)
from game.core.model import (
    FORMAT_VERSION,
    FORMATS,
    SPECIAL_NAMES,
    WORLD,
    Advice,
    BalanceCheck,
    Calendar,
    Ending,
    Expectation,
    Marker,
    Meta,
    Place,
    Role,
    Route,
    Scenario,
    Source,
    Variable,
    build_symbols,
    route_distances,
)
from game.core.numeric import LIMIT, LIMIT_TEXT, within
from game.core.text import TemplateError, parse
from game.files import read_regular
from game.scenario import map_section, negotiation, timing
from game.scenario import moves as moves_section
from game.scenario import variables as variables_section
from game.scenario.problems import Problem, ScenarioError
from game.scenario.spec import SCENARIO, Checker
from game.scenario.yamlread import MAX_BYTES, Document, read_yaml

_FUNCTIONS = ("min", "max", "clamp", "abs", "round", "distance")


def load_scenario(path: str | Path, max_bytes: int = MAX_BYTES) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` listing every problem."""
    name = str(path)
    try:
        raw = read_regular(path, max_bytes)
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, 1, 1, f"cannot read the file: {exc.strerror or exc}", "check the path")]
        ) from None
    return load_bytes(raw, name, max_bytes)


def load_bytes(raw: bytes, path: str = "<scenario>", max_bytes: int = MAX_BYTES) -> Scenario:
    """Like :func:`load_scenario`, from the file's bytes."""
    with collector_paused():
        doc = read_yaml(raw, path, max_bytes)
        if doc.data is None and doc.problems:
            raise ScenarioError(doc.problems)
        builder = _Builder(doc, path, hashlib.sha256(raw).hexdigest())
        scenario = builder.build()
    if builder.problems or scenario is None:
        raise ScenarioError(
            one_per_spot(builder.problems, len(doc.problems))
            or [Problem(path, 1, 1, "the scenario could not be built")]
        )
    return scenario


_PAUSING = threading.Lock()
_paused = [0, False]  # loads under way, and whether the collector ran before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector off while a scenario is read and built.

    A load makes tens of thousands of objects that live as long as the scenario and makes no
    reference cycles (a test checks it), so each pass the collector would make over them during
    the load, several over the young ones and now and then one over the whole heap, finds
    nothing; nor would the young passes after it. When the last load under way ends, every
    object the collector tracks goes to its oldest generation (``gc.freeze`` then
    ``gc.unfreeze``), where full collections still go over them, and the collector runs again.
    In a program that has frozen objects of its own (the server freezes what survives each full
    collection, :mod:`game.server.collector`) the load's objects join those instead, so nothing
    it froze is let go.
    """
    with _PAUSING:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _PAUSING:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                frozen = gc.get_freeze_count()
                gc.freeze()  # what the load made, with the rest, goes to the oldest generation
                if not frozen:  # a program that freezes (the server) keeps what it froze frozen
                    gc.unfreeze()
                gc.enable()


def one_per_spot(problems: list[Problem], read: int = 0) -> list[Problem]:
    """The problems less those that only repeat another at the same spot.

    The first ``read`` problems are the YAML reader's: when it has said what is wrong with a value (``yes`` is an
    ambiguous boolean, ``21:00`` a base-60 number), that the value then has the wrong type is
    the same fault again. Two other problems at one spot are both kept unless they say the same.
    """
    kept: list[Problem] = []
    explained = {(p.line, p.col) for p in problems[:read]}
    said: set[tuple[int, int, str]] = set()
    for i, problem in enumerate(problems):
        spot = (problem.line, problem.col)
        if (i >= read and spot in explained) or (*spot, problem.message) in said:
            continue
        said.add((*spot, problem.message))
        kept.append(problem)
    return kept


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file (an empty list when it is clean)."""
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc.problems
    return []


class _Builder:
    """Turns checked data into model objects, collecting problems instead of stopping."""

    def __init__(self, doc: Document, path: str, digest: str):
        self.doc = doc
        self.path = path
        self.digest = digest
        self.problems: list[Problem] = list(doc.problems)
        self.data: dict = doc.data if isinstance(doc.data, dict) else {}
        self.symbols: Symbols | None = None  # the names a file's expressions may use
        self.full: Symbols | None = None  # those and the internal names
        self.kinds: dict[str, str] = {}
        self.version = FORMAT_VERSION
        self.internals = timing.Internals()
        self.templates: dict = {}
        self.allowed: frozenset[str] | None = None  # the names a text may insert

    # where problems are --------------------------------------------------------------

    def at(self, where: str, message: str, hint: str = "", col_shift: int | None = None) -> None:
        mark = self.doc.marks.get(where)
        probe = where
        while mark is None and probe:
            probe = probe.rpartition(".")[0]
            mark = self.doc.marks.get(probe)
        line, col = (mark.line, mark.col) if mark else (1, 1)
        if mark is not None and probe == where and col_shift is not None:
            if mark.style in ("", "'", '"'):
                col += col_shift + (1 if mark.style else 0)
        self.problems.append(Problem(self.path, line, col, message, hint))

    # the whole file ----------------------------------------------------------------------

    def build(self) -> Scenario | None:
        if not isinstance(self.doc.data, dict):
            self.at(
                "",
                "a scenario file must be a mapping of sections (format, meta, calendar, ...)",
                "start from 'crisis new'",
            )
            return None
        fmt = self.data.get("format")
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt not in FORMATS:
            known = " and ".join(str(f) for f in FORMATS)
            self.at("format", f"this game reads scenario formats {known}, not {fmt}", "update the game or the file")
            return None
        if isinstance(fmt, int) and not isinstance(fmt, bool):
            self.version = fmt
        checker = Checker(self.path, self.doc.marks, self.version)
        shape_ok = checker.check(self.data, SCENARIO, "")
        self.problems.extend(checker.problems)
        if not shape_ok:
            return None
        return self._semantic()

    def _semantic(self) -> Scenario | None:
        d = self.data
        roles_raw = d["roles"]
        places_raw = d["map"]["places"]
        places = {
            pid: Place(pid, p["name"], float(p["lat"]), float(p["lon"]), p.get("note", ""), p.get("kind", "town"))
            for pid, p in places_raw.items()
        }
        for pid, place in places.items():
            if not -90 <= place.lat <= 90:
                self.at(f"map.places.{pid}.lat", f"a latitude lies between -90 and 90, not {place.lat:g}")
            if not -180 <= place.lon <= 180:
                self.at(f"map.places.{pid}.lon", f"a longitude lies between -180 and 180, not {place.lon:g}")
        routes = self._routes(places)
        constants = {k: float(v) for k, v in d.get("constants", {}).items()}
        self.kinds, cases = variables_section.kinds_and_cases(d["variables"])
        self.kinds.update(negotiation.term_kinds(d))
        self._names_unique(places, constants, cases)
        if self.version >= 2:
            self.internals = timing.plan(d, lambda var, role: variables_section.base_level(d["variables"], var, role))
            negotiation.plan(d, self.internals)
        internal_kinds = {name: v.type for name, v in self.internals.variables.items()}
        place_ids = tuple(places)
        distances = route_distances(place_ids, routes) if routes else ()
        bounds = {
            vid: (float(v.get("min", -LIMIT)), float(v.get("max", LIMIT)))
            for vid, v in d["variables"].items()
            if v["type"] == "number"
        }
        full, slots = build_symbols({**self.kinds, **internal_kinds}, constants, place_ids, distances, cases, bounds)
        self.full = full
        self.symbols = Symbols(
            MappingProxyType({k: v for k, v in full.names.items() if not k.startswith("_")}), full.distances
        )
        variables, draws = variables_section.build(self, roles_raw, places, routes)
        variables.update(negotiation.term_variables(d))
        for name, v in self.internals.variables.items():
            variables[name] = Variable(name, v.type, v.initial, name, internal=True, origin=v.origin)
        roles = {
            rid: Role(
                rid,
                r["name"],
                r["brief"],
                self.expr(r["objective"], f"roles.{rid}.objective", NUM),
                r.get("playable", True),
                r.get("color", ""),
                r.get("title", ""),
                r.get("modelled_as", ""),
            )
            for rid, r in roles_raw.items()
        }
        self._colors(roles_raw)
        if WORLD in roles:
            self.at(
                f"roles.{WORLD}.__key__",
                f"'{WORLD}' is reserved: it names the events' step of a turn",
                "rename the role",
            )
        turn_order = self._turn_order(roles)
        endings = self._endings(roles)
        self.places = places
        builder = moves_section.Moves(self, roles, endings, places)
        actions = {aid: builder.action(aid, a) for aid, a in d["actions"].items()}
        events = {eid: builder.event(eid, e) for eid, e in d.get("events", {}).items()}
        for eid in events:
            if eid in actions:
                self.at(
                    f"events.{eid}.__key__",
                    f"'{eid}' is already the id of an action",
                    "actions and events share one set of ids (saves and reports name a move by its id)",
                )
        bargaining = negotiation.Bargaining(self, builder, roles, endings)
        try:
            deal = bargaining.build()
            actions = {aid: bargaining.settled_action(a) for aid, a in actions.items()}
            events = {eid: bargaining.settled_event(e) for eid, e in events.items()}
        except ExprError as exc:  # what the loader writes from the file's blocks grew past the limits
            self.at(
                "channels" if "channels" in d else "negotiation",
                f"the bargaining moves built from these sections are too large ({exc.message})",
                "use fewer channels, or shorter expressions in their agreed, rejected and broken blocks",
            )
            return None
        actions.update(bargaining.actions)
        # what was set off to take hold later, or to wear off, stops with the rest of the world
        events.update({e.id: bargaining.settled_event(e) for e in builder.extra})
        events.update({e.id: e for e in bargaining.events})
        advice = tuple(self._advice(a, i, roles) for i, a in enumerate(d.get("advisors", [])))
        advice = tuple(a for a in advice if a is not None)
        balance = self._balance(roles, endings)
        calendar = self._calendar()
        meta = self._meta()
        map_layers = map_section.layers(self)
        reference_places = map_section.reference_places(self)
        control = map_section.control(self, roles, places, map_layers)
        if self.problems or calendar is None:
            return None
        return Scenario(
            meta=meta,
            calendar=calendar,
            roles=roles,
            places=places,
            routes=routes,
            variables=variables,
            constants=constants,
            turn_order=turn_order,
            actions=actions,
            events=events,
            endings=endings,
            advice=advice,
            balance=balance,
            digest=self.digest,
            path=self.path,
            marks=self.doc.marks.spots(),
            slots=slots,
            distances=full.distances,
            bounds=self._bounds(),
            draws=draws,
            knowledge={key: slots[name] for key, name in self.internals.knowledge.items()},
            templates=self.templates,
            map_layers=map_layers,
            reference_places=reference_places,
            control=control,
            negotiation=deal,
        )

    def _advice(self, a: dict, i: int, roles: dict) -> Advice | None:
        if not self.ref(a["role"], roles, f"advisors.{i}.role", "role"):
            return None
        if self.version >= 2:
            self.template(a["text"], f"advisors.{i}.text")
        return Advice(a["role"], a["speaker"], a["text"], self.expr(a.get("when", True), f"advisors.{i}.when", BOOL))

    # sections ----------------------------------------------------------------------------

    def _meta(self) -> Meta:
        m = self.data["meta"]
        return Meta(
            id=m["id"],
            title=m["title"],
            summary=m["summary"].strip(),
            format=self.data["format"],
            sources=tuple(Source(s["title"], s.get("url", "")) for s in m.get("sources", [])),
            authors=tuple(m.get("authors", [])),
            history=m.get("history", "").strip(),
        )

    def _calendar(self) -> Calendar | None:
        c = self.data["calendar"]
        start = _plain_date(str(c["start"]).strip())
        for fmt in () if start is not None else _DATE_FORMATS:
            try:
                start = datetime.strptime(str(c["start"]).strip(), fmt)
                break
            except ValueError:
                continue
        if start is None:
            self.at("calendar.start", f"cannot read the date '{c['start']}'", "write it as YYYY-MM-DD HH:MM")
        hours, turns = c["hours_per_turn"], c["turn_limit"]
        ok = True
        if not 0 < hours <= MAX_HOURS_PER_TURN:
            self.at("calendar.hours_per_turn", f"hours per turn must be more than 0 and at most {MAX_HOURS_PER_TURN:g}")
            ok = False
        if not 1 <= turns <= MAX_TURN_LIMIT:
            self.at("calendar.turn_limit", f"the turn limit must be from 1 to {MAX_TURN_LIMIT:,}")
            ok = False
        if start is None:
            return None
        if ok and not _clock_fits(start, turns * float(hours)):
            self.at(
                "calendar.start",
                "the calendar runs past the year 9999 before the last turn is over",
                "start earlier, or take fewer or shorter turns",
            )
        return Calendar(start, float(hours), int(turns))

    def _names_unique(self, places: dict, constants: dict, cases: dict) -> None:
        seen: dict[str, str] = {}
        groups = [("map.places", places), ("constants", constants), ("variables", self.data["variables"])]
        groups.append(("terms", self.data.get("terms") or {}))
        groups += [(f"variables.{var}.cases", dict.fromkeys(ids)) for var, ids in cases.items()]
        for section, names in groups:
            for name in names:
                where = f"{section}.{name}.__key__"
                if name in SPECIAL_NAMES or name in _FUNCTIONS:
                    self.at(where, f"'{name}' is a reserved name in expressions", "choose another id")
                elif name in seen:
                    self.at(
                        where,
                        f"'{name}' is already the id of a {seen[name]}",
                        "a term is a variable too: give the term another id"
                        if section == "terms"
                        else "places, constants and variables share one set of names",
                    )
                else:
                    seen[name] = "case" if section.endswith(".cases") else section.split(".")[-1].rstrip("s")

    def _bounds(self) -> tuple[float, float, float, float] | None:
        raw = self.data["map"].get("bounds")
        if raw is None:
            return None
        if len(raw) != 4:
            self.at("map.bounds", f"bounds take 4 numbers [west, south, east, north], found {len(raw)}")
            return None
        west, south, east, north = (float(v) for v in raw)
        across = west > east and (east + 360 - west) <= 180  # a box across the date line
        if not (-180 <= west <= 180 and -180 <= east <= 180 and (west < east or across) and -90 <= south < north <= 90):
            self.at(
                "map.bounds",
                "bounds must be [west, south, east, north] with west < east and south < north",
                "a box across the date line has west > east and is at most 180 degrees wide",
            )
            return None
        return (west, south, east, north)

    def _colors(self, roles_raw: dict) -> None:
        for rid, r in roles_raw.items():
            color = r.get("color", "")
            if color and not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
                self.at(f"roles.{rid}.color", f"'{color}' is not a colour", "write it as #RRGGBB")

    def _routes(self, places: dict) -> dict[str, Route]:
        routes = {}
        for rid, r in self.data["map"].get("routes", {}).items():
            where = f"map.routes.{rid}"
            stops = r["stops"]
            ok = all(self.ref(s, places, f"{where}.stops.{i}", "place") for i, s in enumerate(stops))
            if len(stops) < 2:
                self.at(f"{where}.stops", "a route needs at least two stops")
                ok = False
            if len(r["km"]) != len(stops) - 1:
                self.at(
                    f"{where}.km", f"{len(stops)} stops need {max(len(stops) - 1, 0)} distances, found {len(r['km'])}"
                )
                ok = False
            for i, km in enumerate(r["km"]):
                if not 0 < km <= MAX_KM:
                    self.at(f"{where}.km.{i}", f"a distance must be more than 0 km and at most {MAX_KM:,.0f} km")
                    ok = False
            if ok:
                routes[rid] = Route(rid, r["name"], tuple(stops), tuple(float(k) for k in r["km"]))
        return routes

    def _turn_order(self, roles: dict) -> tuple[str, ...]:
        order = self.data["turn_order"]
        seen = set()
        for i, role in enumerate(order):
            self.ref(role, roles, f"turn_order.{i}", "role")
            if role in seen:
                self.at(f"turn_order.{i}", f"'{role}' appears twice in the turn order")
            seen.add(role)
        if not order:
            self.at("turn_order", "the turn order needs at least one role")
        return tuple(order)

    def _endings(self, roles: dict) -> dict[str, Ending]:
        out = {}
        limit = []
        for eid, e in self.data["endings"].items():
            where = f"endings.{eid}"
            scores = []
            for role, value in e["scores"].items():
                if self.ref(role, roles, f"{where}.scores.{role}.__key__", "role"):
                    scores.append((role, self.expr(value, f"{where}.scores.{role}", NUM)))
            when = self.expr(e["when"], f"{where}.when", BOOL) if "when" in e else None
            if e.get("at_turn_limit"):
                limit.append(eid)
                if when is not None:
                    self.at(
                        f"{where}.when",
                        "an ending with at_turn_limit may not have a 'when': it is the ending when time runs out",
                        "move the condition to an ending of its own, or leave out at_turn_limit",
                    )
            self.template(e["epilogue"], f"{where}.epilogue")
            out[eid] = Ending(
                eid,
                e["title"],
                e["epilogue"].strip(),
                tuple(scores),
                when,
                bool(e.get("at_turn_limit")),
                bool(e.get("historical")),
            )
        if not limit:
            self.at("endings", "no ending has at_turn_limit: true", "add an ending for when the turns run out")
        for extra in limit[1:]:
            self.at(f"endings.{extra}.at_turn_limit", "only one ending can be the turn-limit ending")
        return out

    def effects(self, raw: dict, where: str, verb: str) -> tuple[tuple[str, Expr], ...]:
        out = []
        variables = self.data["variables"]
        for var, value in raw.items():
            key = f"{where}.{var}.__key__"
            if not self.ref(var, variables, key, "variable"):
                continue
            kind = self.kinds[var]
            if verb == "add" and kind != "number":
                self.at(key, f"'{var}' is a {kind}; only numbers can be added to", "use set")
                continue
            if verb == "move" and not (kind == "place" and variables[var].get("route")):
                self.at(key, f"'{var}' is not a place variable with a route", "give the variable a route, or use set")
                continue
            types = {"number": NUM, "boolean": BOOL, "place": PLACE, "case": case_type(var)}
            want = types[kind] if verb == "set" else NUM
            out.append((var, self.expr(value, f"{where}.{var}", want, var if verb != "move" else "")))
        return tuple(out)

    def marker(self, m: dict | None, where: str) -> Marker | None:
        return moves_section.marker_of(self, m, where, self.places)

    def _balance(self, roles: dict, endings: dict) -> tuple[BalanceCheck, ...]:
        out = []
        for i, b in enumerate(self.data.get("balance", [])):
            where = f"balance.{i}"
            for role in b["policies"]:
                self.ref(role, roles, f"{where}.policies.{role}.__key__", "role")
            expects = []
            for j, x in enumerate(b["expect"]):
                xw = f"{where}.expect.{j}"
                if bool(x.get("ending")) == bool(x.get("win_rate")):
                    self.at(xw, "an expectation names either an ending or a win_rate")
                    continue
                if x.get("ending") and x["ending"] != "*":
                    self.ref(x["ending"], endings, f"{xw}.ending", "ending")
                if x.get("win_rate"):
                    self.ref(x["win_rate"], roles, f"{xw}.win_rate", "role")
                lo, hi = float(x.get("at_least", 0.0)), float(x.get("at_most", 1.0))
                if not 0 <= lo <= hi <= 1:
                    self.at(xw, f"the bounds {lo:g}..{hi:g} are not shares between 0 and 1")
                expects.append(Expectation(x.get("ending", ""), x.get("win_rate", ""), lo, hi))
            games, seed = b.get("games", 2000), b.get("seed", 1)
            if not 1 <= games <= MAX_CHECK_GAMES:
                self.at(f"{where}.games", f"a balance check plays from 1 to {MAX_CHECK_GAMES:,} games, not {games:,}")
            if not 0 <= seed <= MAX_FILE_SEED:
                self.at(f"{where}.seed", f"a seed is a whole number from 0 to {MAX_FILE_SEED:,}, not {seed:,}")
            out.append(BalanceCheck(b["name"], tuple(b["policies"].items()), tuple(expects), games, seed))
        total = sum(check.games for check in out)
        if total > MAX_FILE_CHECK_GAMES:  # each run of `crisis balance` plays them all
            self.at(
                "balance",
                f"the balance checks play {total:,} games in all; the limit is {MAX_FILE_CHECK_GAMES:,}",
                "play fewer games in some checks, or merge checks that play the same policies",
            )
        return tuple(out)

    # references, expressions, templates ----------------------------------------------------

    def ref(self, name: Any, known: dict, where: str, what: str) -> bool:
        if name in known:
            return True
        self.at(
            where, f"unknown {what} '{name}'" + did_you_mean(str(name), known), f"the {what}s are: {_listing(known)}"
        )
        return False

    def expr(self, value: Any, where: str, want: str, what: str = "") -> Expr:
        """Compile ``value`` where a ``want`` is needed; ``what`` names the variable it is set to."""
        assert self.symbols is not None
        shown = value
        if isinstance(value, bool) or isinstance(value, (int, float)):
            compiled = literal(value)
            shown = compiled.source
        else:
            try:
                compiled = compile_expr(value, self.symbols)
            except ExprError as exc:
                if want == PLACE and exc.name and exc.name == str(value).strip():
                    exc = unknown_place(exc.name, self.symbols.names, exc.column)
                self.at(where, exc.message, exc.hint, exc.column)
                return literal(0.0)
        if want == PLACE and compiled.type != PLACE:
            self.at(where, f"'{value}' is not a place", "give a place id or a place variable")
        elif is_token(want) and compiled.type != want:
            self.at(where, f"'{value}' is not {describe_type(want)}", "give one of its case ids")
        elif not is_token(want) and is_token(compiled.type):
            need = "condition" if want == BOOL else "number"
            self.at(where, f"'{value}' is {describe_type(compiled.type)}, but a {need} is needed here")
        elif want == BOOL and compiled.type == NUM:
            if what:
                self.at(
                    where,
                    f"'{what}' is a boolean, but '{shown}' is a number (any number but 0 would count as true)",
                    f"set it to true or false, or to a condition such as '{_compared(shown)}'",
                )
            else:
                self.at(
                    where,
                    f"a condition (true or false) is needed here, but '{shown}' is a number",
                    f"compare it with something, e.g. '{_compared(shown)}'",
                )
        elif want == NUM and what and compiled.type == BOOL and compiled.constant is not None:
            self.at(
                where,
                f"'{what}' is a number, but '{shown}' is true or false",
                "give a number (true and false would count as 1 and 0)",
            )
        return compiled

    def internal_expr(self, source: str) -> Expr:
        """An expression the loader writes itself, over internal names too (never a file's text)."""
        assert self.full is not None
        return compile_expr(source, self.full)

    def internal_all(self, parts: list[str]) -> Expr:
        """Like :meth:`internal_expr` of the parts joined by ``and``, made from the parts compiled
        once each (a file's offers join the same few conditions in many ways)."""
        assert self.full is not None
        return conjunction(parts, self.full)

    def template(self, text: str, where: str, checked: bool = True) -> None:
        """Check a text's inserts (and, in format 2, its conditions) and keep it compiled."""
        if self.allowed is None:
            allowed = set(self.data["variables"]) | set(self.data.get("constants", {})) | set(SPECIAL_NAMES)
            self.allowed = frozenset(allowed | set(self.data.get("terms") or {}))
        allowed = self.allowed
        symbols = self.symbols if self.version >= 2 else None
        try:
            for form in dict.fromkeys((text, text.strip())):
                if form not in self.templates:  # a text parses the same wherever it stands
                    self.templates[form] = parse(form, symbols, allowed)
        except TemplateError as exc:
            if not checked:
                return
            # braces around something that is not a name may have been meant as text
            hint = "write {{ and }} for braces shown as text" if "not a variable" in exc.message else ""
            message = exc.message
            if exc.name:
                message += did_you_mean(exc.name, allowed)
            self.at(where, message, hint, exc.column)


_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


def _plain_date(text: str) -> datetime | None:
    """A start written the usual way (2023-06-23 21:00, with a T, seconds or no time), read as
    ``strptime`` reads it with :data:`_DATE_FORMATS`; None for any other text, which is left to
    ``strptime`` (whose first use imports and compiles more than a whole load of the file)."""
    found = _PLAIN_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _compared(expression: Any) -> str:
    text = str(expression).strip()
    return f"{text} > 0" if text.isidentifier() else f"({text}) > 0"


def _clock_fits(start: datetime, hours: float) -> bool:
    """Whether every turn's clock, up to ``hours`` after the start, is a date Python can hold."""
    try:
        start + timedelta(hours=hours)
    except OverflowError:
        return False
    return True


def _listing(known: dict) -> str:
    names = list(known)
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "") if names else "(none)"


def with_overrides(
    scenario: Scenario, initial: dict[str, float] | None = None, constants: dict[str, float] | None = None
) -> Scenario:
    """A copy of ``scenario`` with other starting values or constants (for parameter sweeps).

    Every value must lie in the value domain, and a number within its variable's bounds: the
    compiled expressions rely on both (see :mod:`game.core.numeric`).
    """
    variables = dict(scenario.variables)
    for name, value in (initial or {}).items():
        var, value = variables[name], float(value)
        if not (within(value) and var.min <= value <= var.max):
            raise CrisisError(f"'{name}' cannot start at {value:g}: its values lie within {var.min:g}..{var.max:g}")
        variables[name] = replace(var, initial=value + 0.0, draw=())  # a fixed start replaces a draw
    draws = tuple(d for d in scenario.draws if d.variable not in (initial or {}))
    merged = dict(scenario.constants)
    for name, value in (constants or {}).items():
        if not within(float(value)):
            raise CrisisError(f"the constant '{name}' cannot be {float(value):g}: numbers lie within ±{LIMIT_TEXT}")
        merged[name] = float(value) + 0.0
    tag = hashlib.sha256(
        repr((sorted((initial or {}).items()), sorted((constants or {}).items()))).encode()
    ).hexdigest()[:16]
    return replace(scenario, variables=variables, constants=merged, draws=draws, digest=f"{scenario.digest}+{tag}")
