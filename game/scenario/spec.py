"""The shape of a scenario file, written once: the validator checks files against it and the
JSON Schema that editors read is generated from it (``crisis schema`` writes it).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Any

from game.core.errors import did_you_mean
from game.core.limits import MAX_ID, MAX_TEXT
from game.core.maps import LAYER_STYLES
from game.core.numeric import LIMIT
from game.scenario.problems import Problem

ID_PATTERN = r"^[a-z][a-z0-9_]*$"  # for JSON Schema, where $ is the very end of the text
_ID = re.compile(r"[a-z][a-z0-9_]*")  # matched whole (in Python, $ also matches before a final newline)
MARKER_KINDS = (
    "aircraft",
    "fire",
    "roadblock",
    "bridge",
    "defence",
    "clash",
    "deal",
    "flag",
    "death",
    "speech",
    "generic",
)
VARIABLE_TYPES = ("number", "boolean", "place", "case")
POLICY_NAMES = ("random", "weighted", "greedy", "lookahead", "historical", "expert")
MODEL_NAMES = ("greedy", "weighted")  # how the expert may picture another role in its playouts
SCHEMA_ID = "https://crisis.invalid/schema/scenario-2.json"


@dataclass(frozen=True)
class T:
    """A type in the file format: a scalar kind, a list, a map of ids, or an object with fields."""

    kind: str
    item: T | None = None
    fields: tuple[tuple[str, F], ...] = ()
    values: tuple[str, ...] = ()
    what: str = ""
    options: tuple[T, ...] = ()  # for "one of": the shapes a value may take


@dataclass(frozen=True)
class F:
    type: T
    doc: str
    required: bool = False
    since: int = 1  # the first format version that has this field


TEXT = T("text")
NUM = T("number")
INT = T("integer")
BOOL = T("boolean")
EXPR = T("expr")
ID = T("id")
SCALAR = T("scalar")


def LIST(item: T) -> T:
    return T("list", item=item)


def MAP(item: T, what: str = "") -> T:
    return T("map", item=item, what=what)


def OBJ(what: str, **fields: F) -> T:
    return T("object", fields=tuple(fields.items()), what=what)


def ENUM(*values: str) -> T:
    return T("enum", values=values)


def ONE_OF(*options: T, what: str = "") -> T:
    """A value of one of several shapes, told apart by what it is (a mapping, a list or a scalar)."""
    return T("one_of", options=options, what=what)


def F2(type_: T, doc: str, required: bool = False) -> F:
    """A field that format 2 introduced."""
    return F(type_, doc, required, since=2)


ROLES = LIST(ID)


HISTORY = OBJ(
    "history note",
    when=F(TEXT, "When it happened, as players read it (e.g. '24 June, 10:00').", True),
    note=F(TEXT, "What happened, in a sentence or two."),
    turns=F(LIST(INT), "Turns in which the historical policy picks this option."),
)
MARKER = OBJ(
    "map marker",
    place=F(ID, "The place the marker stands at, or a place variable (the marker goes where it is).", True),
    kind=F(ENUM(*MARKER_KINDS), "The marker's symbol.", True),
    label=F(TEXT, "A short caption."),
)
COVER = ONE_OF(
    TEXT,
    OBJ(
        "cover",
        title=F(TEXT, "What it is called in the feed. Default 'Unconfirmed report'."),
        text=F(TEXT, "What the roles who may not see the real thing read instead.", True),
        marker=F(MARKER, "Something for their map to show."),
    ),
    what="cover",
)
VISIBLE_TO = "Roles besides the one that moves who see this (default: every role; [] keeps it secret)."
COVER_DOC = "What the roles who may not see it are shown instead (a text, or title/text/marker); none: nothing."
KNOWLEDGE = {
    "reveal": F2(MAP(ROLES, "variable"), "Variables these roles see exactly from now on: variable -> [roles]."),
    "estimate": F2(
        MAP(MAP(NUM, "role"), "variable"),
        "Variables these roles see as a band of the given width from now on: variable -> {role: width}.",
    ),
    "conceal": F2(MAP(ROLES, "variable"), "Variables hidden from these roles from now on: variable -> [roles]."),
}
EFFECTS = {
    "set": F(MAP(EXPR, "variable"), "Variables to set: variable -> expression (or place or case id)."),
    "add": F(MAP(EXPR, "variable"), "Numbers to add to: variable -> expression."),
    "move": F(MAP(EXPR, "variable"), "Place variables to move along their route: variable -> stops."),
    **KNOWLEDGE,
    "end": F(ID, "An ending that this outcome brings about at once."),
    "marker": F(MARKER, "Something for the map to show."),
}
LATER = OBJ(
    "delayed effect",
    turns=F(INT, "How many turns later it takes hold (1: at the start of the next turn).", True),
    title=F(TEXT, "Its name in the feed."),
    text=F(TEXT, "What the roles who see it read when it takes hold."),
    visible_to=F(ROLES, "Who sees it take hold (default: those who saw what set it off)."),
    cover=F(COVER, COVER_DOC),
    **EFFECTS,
)
OUTCOME = OBJ(
    "outcome",
    title=F(TEXT, "A short name for the outcome (the id is used when absent)."),
    weight=F(EXPR, "Relative weight (expression); negative counts as 0. Default 1."),
    text=F(TEXT, "What players read; {variable} inserts a value, {if ...}...{end} chooses.", True),
    **EFFECTS,
    visible_to=F2(ROLES, "Who sees this outcome, instead of the move's own visible_to."),
    cover=F2(COVER, COVER_DOC),
    later=F2(ONE_OF(LATER, LIST(LATER), what="delayed effect"), "Effects that take hold some turns later."),
    lasts=F2(INT, "After this many turns, the outcome's set, add and knowledge effects are undone."),
)
ACTION = OBJ(
    "action",
    role=F(ID, "The role that may take this action.", True),
    title=F(TEXT, "The action's name on its card.", True),
    group=F(TEXT, "What kind of move it is (e.g. Force, Talks); the window lists a role's cards by group."),
    description=F(TEXT, "What the action means, in a sentence or two."),
    when=F(EXPR, "Condition under which the action is open. Default true."),
    unavailable=F(TEXT, "Why the action is closed, shown when 'when' is false."),
    ai_weight=F(EXPR, "A designer's hint for the weighted AI policy. Default 1."),
    history=F(HISTORY, "What really happened, if this option was taken in history."),
    outcomes=F(MAP(OUTCOME, "outcome"), "The possible outcomes, by id.", True),
    visible_to=F2(ROLES, VISIBLE_TO),
    cover=F2(COVER, COVER_DOC),
)
EVENT = OBJ(
    "event",
    title=F(TEXT, "The event's name.", True),
    chance=F(EXPR, "Chance (0..1) that it happens at the end of a turn; an expression. Default 1 with on_turns."),
    history=F(HISTORY, "What really happened, if it happened in history."),
    outcomes=F(MAP(OUTCOME, "outcome"), "What may come of it when it happens, by id.", True),
    visible_to=F2(ROLES, "Roles who see it (default: every role; [] keeps it secret)."),
    cover=F2(COVER, COVER_DOC),
    once=F2(BOOL, "It can happen only once in a game."),
    on_turns=F2(LIST(INT), "The only turns on which it can happen."),
)
AGREED_EFFECTS = {k: EFFECTS[k] for k in ("set", "add", "move", "reveal", "estimate", "conceal", "marker")}
AGREED = OBJ(
    "effects of an agreement",
    text=F(TEXT, "What the parties read when it is agreed (added to the deal's own text)."),
    **AGREED_EFFECTS,
)
BREACH = OBJ(
    "move that breaks a term",
    title=F(TEXT, "The move's name on its card (e.g. 'Reopen the case').", True),
    description=F(TEXT, "What breaking the term means."),
    when=F(EXPR, "When it can be broken, besides having been agreed. Default true."),
    unavailable=F(TEXT, "Why the move is closed, shown when it cannot be taken."),
    ai_weight=F(EXPR, "A designer's hint for the weighted AI policy. Default 1."),
    history=F(HISTORY, "What really happened, if the term was broken in history."),
    outcomes=F(MAP(OUTCOME, "outcome"), "What may come of breaking it, by id.", True),
    visible_to=F(ROLES, VISIBLE_TO),
    cover=F(COVER, COVER_DOC),
)
TERM = OBJ(
    "term",
    title=F(TEXT, "The term as players read it (e.g. 'The criminal case dropped').", True),
    short=F(TEXT, "A few words for lists and cards. Default: the title."),
    description=F(TEXT, "What the term means, in a sentence or two."),
    owed_by=F(ID, "The role that must keep the term once it is agreed (and that can break it).", True),
    worth=F(
        MAP(EXPR, "role"),
        "What the term is worth to each role if agreed, in score points (an expression); 0 for a role not named.",
    ),
    required=F(BOOL, "Part of every offer: the core of any deal."),
    when=F(EXPR, "When the term can be put in an offer. Default true."),
    agreed=F(AGREED, "What agreeing to it does at once."),
    broken=F(BREACH, "A move for the role that owes the term, to break it once agreed."),
)
CHANNEL_OUTCOME = OBJ(
    "channel outcome",
    **dict(OUTCOME.fields),
    delivered=F(BOOL, "Whether the offer reaches the other side this way. Default true."),
)
OFFER_HISTORY = OBJ(
    "history of an offer",
    when=F(TEXT, "When it happened, as players read it.", True),
    note=F(TEXT, "What happened, in a sentence or two."),
    turns=F(LIST(INT), "Turns in which the historical policy makes this offer."),
    terms=F(LIST(ID), "The terms that were really offered this way.", True),
    accepted=F(HISTORY, "When and how the other side accepted them, if it did."),
)
CHANNEL = OBJ(
    "channel",
    title=F(TEXT, "What using it is called (e.g. 'Ask Lukashenko to carry terms').", True),
    description=F(TEXT, "Who carries the offer and what it costs, in a sentence or two."),
    **{"from": F(ID, "The role that sends offers this way.", True)},
    to=F(ID, "The role the offer goes to.", True),
    when=F(EXPR, "When the channel can be used. Default true."),
    unavailable=F(TEXT, "Why the channel is closed, shown when it cannot be used."),
    terms=F(LIST(ID), "The terms it can carry (default: every term that one of the two owes)."),
    guarantee=F(
        EXPR,
        "How far promises carried this way can be trusted, 0..1 (default 1): the worth of the "
        "other side's terms is multiplied by it.",
    ),
    worth=F(
        MAP(EXPR, "role"),
        "What a deal struck through this channel is worth to each role besides its terms (score points).",
    ),
    answer_hours=F(NUM, "How long an offer sent this way stands, in hours (default: the negotiation's)."),
    silence=F(ENUM("reject", "accept"), "What an unanswered offer comes to (default: the negotiation's)."),
    ai_weight=F(EXPR, "A designer's hint for the weighted AI policy: how readily it uses the channel. Default 1."),
    history=F(OFFER_HISTORY, "The offer that really went this way, if one did."),
    visible_to=F(ROLES, "Roles besides the sender who learn the channel was used (default: every role)."),
    cover=F(COVER, COVER_DOC),
    outcomes=F(
        MAP(CHANNEL_OUTCOME, "outcome"),
        "How sending goes: its costs, and whether the offer arrives. Default: it arrives, at no cost.",
    ),
    agreed=F(AGREED, "What a deal struck through this channel does besides its terms' own effects."),
    rejected=F(AGREED, "What turning down an offer sent this way does, besides the negotiation's own."),
    broken=F(
        OBJ(
            "breach of a guarantee",
            title=F(TEXT, "Its name in the feed."),
            text=F(TEXT, "What the roles who see it read."),
            visible_to=F(ROLES, VISIBLE_TO),
            **EFFECTS,
        ),
        "What follows, at the end of the turn, when a term agreed through this channel is broken.",
    ),
)
KEEP = OBJ(
    "keeping the deal",
    title=F(TEXT, "The move's name. Default 'Keep to the deal'."),
    text=F(TEXT, "What players read when a side keeps its word."),
    history=F(MAP(HISTORY, "role"), "What really happened, by role, if a side kept its word in history."),
)
NEGOTIATION = OBJ(
    "negotiation rules",
    answer_hours=F(
        NUM,
        "How long an offer stands, in hours: the recipient may answer on each of its moves until then. "
        "Default: its next move only.",
    ),
    silence=F(ENUM("reject", "accept"), "What an unanswered offer comes to when its time runs out. Default reject."),
    max_terms=F(INT, "The most terms besides the required ones that one offer may hold."),
    bottom_line=F(
        MAP(EXPR, "role"),
        "The least a deal must be worth to a role (score points) before it is worth accepting. Default 0.",
    ),
    agreed=F(
        OBJ("agreement", text=F(TEXT, "What everyone reads when a deal is struck."), **EFFECTS),
        "What every deal does when it is struck.",
    ),
    rejected=F(AGREED, "What turning an offer down does."),
    lapsed=F(AGREED, "What an offer left unanswered does when its time runs out (with silence: reject)."),
    settles=F(
        ID,
        "An ending: once a deal is struck, the rest of the crisis stops, each side keeps its terms or "
        "breaks one, and the game ends this way.",
    ),
    keep=F(KEEP, "The move that keeps to a struck deal (with settles)."),
    ai_weight=F(
        MAP(EXPR, "role"),
        "A designer's hint for the weighted AI policy, by role: how readily it accepts a deal worth accepting.",
    ),
    group=F(TEXT, "What the faces call the bargaining moves. Default 'Bargaining'."),
)
ENDING = OBJ(
    "ending",
    title=F(TEXT, "The ending's title.", True),
    epilogue=F(TEXT, "What happens next, told after the game.", True),
    scores=F(MAP(EXPR, "role"), "Each role's score for this ending (expressions).", True),
    when=F(EXPR, "The game ends this way as soon as this holds (checked in file order)."),
    at_turn_limit=F(BOOL, "This is the ending when the turns run out."),
    historical=F(BOOL, "This is how it really ended."),
)
ROLE = OBJ(
    "role",
    name=F(TEXT, "Who plays this role.", True),
    title=F(TEXT, "Their office or position."),
    brief=F(TEXT, "What the role knows and wants at the start.", True),
    objective=F(EXPR, "How well the role is doing (higher is better); used by the AI.", True),
    playable=F(BOOL, "Whether a person may play this role. Default true."),
    color=F(TEXT, "The role's colour on screen, as #RRGGBB."),
    modelled_as=F2(
        ENUM(*MODEL_NAMES),
        "How the expert AI pictures this role when it plays against it: greedy (default) or weighted.",
    ),
)
PLACE = OBJ(
    "place",
    name=F(TEXT, "The place's name.", True),
    lat=F(NUM, "Latitude in degrees north.", True),
    lon=F(NUM, "Longitude in degrees east.", True),
    kind=F(TEXT, "capital, city, town, base or site."),
    note=F(TEXT, "A line about the place, shown when a player points at it."),
)
ROUTE = OBJ(
    "route",
    name=F(TEXT, "The route's name.", True),
    stops=F(LIST(ID), "The places along the route, in order.", True),
    km=F(LIST(NUM), "Distances in km between consecutive stops.", True),
)
CHOICE = OBJ(
    "choice",
    value=F(SCALAR, "A possible starting value.", True),
    weight=F(NUM, "How likely it is, relative to the others. Default 1."),
)
DRAW = OBJ(
    "starting draw",
    range=F(LIST(NUM), "[low, high]: drawn evenly from low, low + step, ... up to high."),
    step=F(NUM, "The step of a range. Default 1."),
    choose=F(
        ONE_OF(MAP(NUM, "case or place"), LIST(CHOICE), what="choices"),
        "Weighted choices: {id: weight} for cases and places, or a list of {value, weight}.",
    ),
)
REFERENCE_PLACE = OBJ(
    "reference place",
    name=F(TEXT, "The town's name.", True),
    lat=F(NUM, "Latitude in degrees north.", True),
    lon=F(NUM, "Longitude in degrees east.", True),
    kind=F(ENUM("capital", "city", "town"), "capital, city or town: the size of its dot. Default town."),
)
MAP_LAYER = OBJ(
    "map layer",
    file=F(TEXT, "A GeoJSON file beside the scenario (a path relative to the scenario's folder).", True),
    style=F(ENUM(*LAYER_STYLES), "How it is drawn: land, water or area (filled), road, rail, river or border.", True),
    color=F(TEXT, "Its colour, as #RRGGBB (the style's own colour by default)."),
    width=F(NUM, "Line width in pixels, for line styles. Default 1.2."),
)
CONTROL_AREA = OBJ(
    "control area",
    name=F(TEXT, "What the area is, as players read it.", True),
    holder=F(ID, "The role that holds it while 'when' is true; shaded in that role's colour.", True),
    when=F(EXPR, "When the holder holds it (a condition).", True),
    place=F(ID, "A place at the centre of the area (with km)."),
    km=F(NUM, "The radius of the area round 'place', in km."),
    polygon=F(LIST(LIST(NUM)), "The area's outline as [lon, lat] points (instead of place and km)."),
    layer=F(ID, "A layer whose feature is the area (with 'feature', instead of place or polygon)."),
    feature=F(TEXT, "The name (properties.name) of the layer's feature that is the area."),
)
VARIABLE = OBJ(
    "variable",
    type=F(ENUM(*VARIABLE_TYPES), "number, boolean, place or case.", True),
    initial=F(
        ONE_OF(SCALAR, DRAW, what="starting value"),
        "The starting value: a number, true/false, a place or case id, or a draw (range or choose).",
        True,
    ),
    cases=F2(MAP(TEXT, "case"), "For a case variable: its cases in order, id -> what players read."),
    label=F(TEXT, "The name players see.", True),
    min=F(NUM, "Lower bound; values are clamped to it."),
    max=F(NUM, "Upper bound; values are clamped to it."),
    unit=F(TEXT, "Unit shown after the value (e.g. km, %)."),
    description=F(TEXT, "What the variable means."),
    visible_to=F(LIST(ID), "Roles that see the true value (default: every role)."),
    estimated_by=F(LIST(ID), "Roles that see only an estimate (a band)."),
    estimate_step=F(NUM, "Width of the band an estimate shows. Default 10."),
    route=F(ID, "For a place variable: the route it moves along."),
)
ADVISOR = OBJ(
    "advisor remark",
    role=F(ID, "The role who hears it.", True),
    speaker=F(TEXT, "Who says it.", True),
    text=F(TEXT, "The remark.", True),
    when=F(EXPR, "When the remark applies. Default true."),
)
EXPECT = OBJ(
    "expectation",
    ending=F(TEXT, "An ending id, or * for every ending."),
    win_rate=F(ID, "A role whose win rate is bounded."),
    at_least=F(NUM, "Lowest acceptable share (0..1)."),
    at_most=F(NUM, "Highest acceptable share (0..1)."),
)
BALANCE = OBJ(
    "balance check",
    name=F(TEXT, "What the check is about.", True),
    policies=F(MAP(ENUM(*POLICY_NAMES), "role"), "The policy that plays each role.", True),
    games=F(INT, "How many games to simulate. Default 2000."),
    seed=F(INT, "The seed of the run. Default 1."),
    expect=F(LIST(EXPECT), "What must hold.", True),
)
SCENARIO = OBJ(
    "scenario",
    format=F(INT, "The format version: 2 (format 1 files are read as before).", True),
    meta=F(
        OBJ(
            "meta",
            id=F(ID, "The scenario's id.", True),
            title=F(TEXT, "Its title.", True),
            summary=F(TEXT, "A paragraph for the scenario list.", True),
            authors=F(LIST(TEXT), "Who wrote it."),
            sources=F(LIST(OBJ("source", title=F(TEXT, "Title.", True), url=F(TEXT, "Address."))), "Sources."),
            history=F(TEXT, "What really happened, shown after the game."),
        ),
        "About the scenario.",
        True,
    ),
    calendar=F(
        OBJ(
            "calendar",
            start=F(TEXT, "Date and time of the first turn, 'YYYY-MM-DD HH:MM'.", True),
            hours_per_turn=F(NUM, "Hours that pass each turn.", True),
            turn_limit=F(INT, "The last turn; after it the turn-limit ending applies.", True),
        ),
        "The crisis clock.",
        True,
    ),
    roles=F(MAP(ROLE, "role"), "The sides, by id.", True),
    map=F(
        OBJ(
            "map",
            places=F(MAP(PLACE, "place"), "Places by id.", True),
            routes=F(MAP(ROUTE, "route"), "Routes by id."),
            bounds=F(
                LIST(NUM),
                "Area to show: [west, south, east, north] in degrees; west above east crosses the date line.",
            ),
            reference_places=F(
                LIST(REFERENCE_PLACE),
                "Towns drawn for orientation (not places of the game); by default the world's largest in view.",
            ),
            layers=F(MAP(MAP_LAYER, "layer"), "The scenario's own base layers, drawn over the world map in order."),
            control=F(MAP(CONTROL_AREA, "control area"), "Areas shaded in the colour of the role holding them."),
        ),
        "Places, routes, and what the map shows.",
        True,
    ),
    constants=F(MAP(NUM, "constant"), "Named numbers that expressions may use."),
    variables=F(MAP(VARIABLE, "variable"), "The state of the crisis, by id.", True),
    turn_order=F(LIST(ID), "The roles in the order they act each turn.", True),
    actions=F(MAP(ACTION, "action"), "Every role's options, by id.", True),
    events=F(MAP(EVENT, "event"), "Things that may happen at the end of each turn, by id."),
    endings=F(MAP(ENDING, "ending"), "How the game can end, by id, checked in order.", True),
    terms=F2(MAP(TERM, "term"), "What a deal can settle, by id: each term is also a boolean, true once agreed."),
    channels=F2(MAP(CHANNEL, "channel"), "The ways one role can put terms to another, by id."),
    negotiation=F2(NEGOTIATION, "The rules of bargaining: answers, silence, what a deal does."),
    advisors=F(LIST(ADVISOR), "Remarks that advisors make."),
    balance=F(LIST(BALANCE), "Balance assertions checked by 'crisis balance' and the tests."),
)

_NAMES = {
    "one_of": "one of several shapes",
    "text": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "expr": "an expression (text, a number or true/false)",
    "id": "an id",
    "scalar": "a number, true/false or a place id",
    "list": "a list",
    "map": "a mapping of ids",
    "object": "a mapping",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text '{shown}'" if shown.isprintable() else f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing"


_MAP_EXAMPLES = {
    "estimate": "write it as {variable: {role: width}}, e.g. estimate: {readiness: {kennedy: 10}}",
}


def _looks_numeric(key: object) -> bool:
    try:
        float(str(key))
    except ValueError:
        return str(key) in ("True", "False")
    return True


def _fragment(doc: str) -> str:
    """A field's description as a hint after a semicolon: lower case first, unless it is a name."""
    if doc[:2].isupper() or not doc:
        return doc
    return doc[:1].lower() + doc[1:]


def id_problem(value: str) -> str:
    """Why ``value`` is not a valid id, or '' when it is."""
    if len(value) > MAX_ID:
        return f"'{value[:24]}...' is too long for an id ({len(value)} characters; at most {MAX_ID})"
    if not _ID.fullmatch(value):
        return f"{value!r} is not a valid id: use lowercase letters, digits and _, starting with a letter"
    if keyword.iskeyword(value) or value in ("true", "false"):
        return f"'{value}' is a reserved word and cannot be an id"
    return ""


class Checker:
    """Checks plain data against a :class:`T`, collecting problems with their marks."""

    def __init__(self, path: str, marks: dict, version: int = 2):
        self.path = path
        self.marks = marks
        self.version = version
        self.problems: list[Problem] = []

    def at(self, where: str, message: str, hint: str = "") -> None:
        mark = self.marks.get(where)
        while mark is None and where:
            where = where.rpartition(".")[0]
            mark = self.marks.get(where)
        line, col = (mark.line, mark.col) if mark else (1, 1)
        self.problems.append(Problem(self.path, line, col, message, hint))

    def check(self, value: Any, t: T, where: str) -> bool:
        ok = self._scalar_ok(value, t)
        if ok is not None:
            if not ok and t.kind == "text" and isinstance(value, str):
                self.at(where, f"the text is {len(value):,} characters long; the limit is {MAX_TEXT:,}", "shorten it")
            elif not ok:
                hint = ""
                if t.kind == "id" and isinstance(value, str):
                    fixed = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
                    hint = "an id is lower-case letters, digits and _, starting with a letter"
                    if _ID.fullmatch(fixed) and fixed != value and len(fixed) <= 40:  # a short id, not a text
                        hint += f": '{fixed}'?"
                self.at(where, f"expected {_NAMES.get(t.kind, t.kind)}, found {_kind_of(value)}", hint)
            return ok
        if t.kind == "enum":
            if value not in t.values:
                hint = did_you_mean(str(value), t.values).strip(" ()") or "one of: " + ", ".join(t.values)
                self.at(where, f"{_kind_of(value)} is not allowed here", hint)
                return False
            return True
        if t.kind == "list":
            if not isinstance(value, list):
                one = isinstance(value, (str, int, float)) and not isinstance(value, bool)
                hint = f"a list of one is written in brackets: [{value}]" if one and str(value).strip() else ""
                self.at(where, f"expected a list, found {_kind_of(value)}", hint)
                return False
            return all([self.check(v, t.item, f"{where}.{i}") for i, v in enumerate(value)])
        if t.kind == "map":
            return self._map(value, t, where)
        if t.kind == "one_of":
            return self._one_of(value, t, where)
        return self._object(value, t, where)

    def _one_of(self, value: Any, t: T, where: str) -> bool:
        for option in t.options:
            shape = option.kind
            fits = (
                isinstance(value, dict)
                if shape in ("object", "map")
                else isinstance(value, list)
                if shape == "list"
                else not isinstance(value, (dict, list))
            )
            if fits:
                return self.check(value, option, where)
        names = " or ".join(_NAMES.get(o.kind, o.kind) for o in t.options)
        self.at(where, f"expected {names} for this {t.what or 'value'}, found {_kind_of(value)}")
        return False

    @staticmethod
    def _scalar_ok(value: Any, t: T) -> bool | None:
        kind = t.kind
        if kind == "text":
            return isinstance(value, str) and len(value) <= MAX_TEXT
        if kind == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind in ("expr", "scalar"):
            return isinstance(value, (str, int, float, bool))
        if kind == "id":
            return isinstance(value, str) and not id_problem(value)
        return None

    def _map(self, value: Any, t: T, where: str) -> bool:
        if not isinstance(value, dict):
            example = _MAP_EXAMPLES.get(where.rsplit(".", 2)[-2] if where.count(".") >= 2 else "", "")
            self.at(where, f"expected a mapping of {t.what or 'id'}s, found {_kind_of(value)}", example)
            return False
        ok = True
        for key, item in value.items():
            problem = id_problem(key)
            if problem:
                hint = ""
                if where.endswith(".choose") and _looks_numeric(key):
                    hint = "a number's or a boolean's choices take the list form: choose: [{value: 20, weight: 1}, ...]"
                self.at(f"{where}.{key}.__key__", problem, hint)
                ok = False
            ok = self.check(item, t.item, f"{where}.{key}") and ok
        return ok

    def _object(self, value: Any, t: T, where: str) -> bool:
        if not isinstance(value, dict):
            self.at(where, f"expected a mapping for this {t.what}, found {_kind_of(value)}")
            return False
        fields = dict(t.fields)
        ok = True
        for key in value:
            if key not in fields:
                hint = did_you_mean(key, fields).strip(" ()") or "allowed: " + ", ".join(fields)
                self.at(
                    f"{where}.{key}.__key__" if where else f"{key}.__key__",
                    f"unknown field '{key}' in {_a(t.what)}",
                    hint,
                )
                ok = False
        for name, f in t.fields:
            if name not in value:
                if f.required:
                    misspelt = any(key not in fields and did_you_mean(str(key), [name]) for key in value)
                    if not misspelt:  # a near miss is reported once, as the unknown field
                        self.at(where, f"{_a(t.what)} needs the field '{name}'", _fragment(f.doc))
                    ok = False
                continue
            path = f"{where}.{name}" if where else name
            if f.since > self.version:
                self.at(
                    f"{path}.__key__",
                    f"'{name}' needs format: {f.since} (this file says format: {self.version})",
                    f"change 'format: {self.version}' at the top of the file to 'format: {f.since}'",
                )
                ok = False
                continue
            ok = self.check(value[name], f.type, path) and ok
        return ok


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


def json_schema() -> dict:
    """The draft-07 JSON Schema of the format, for editors with YAML language-server support."""
    schema = _json(SCENARIO)
    schema["title"] = "crisis scenario, format 2"
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": SCHEMA_ID, **schema}


def _json(t: T, doc: str = "") -> dict:
    out: dict[str, Any]
    if t.kind == "text":
        out = {"type": "string", "maxLength": MAX_TEXT}
    elif t.kind == "number":
        out = {"type": "number", "minimum": -LIMIT, "maximum": LIMIT}
    elif t.kind == "integer":
        out = {"type": "integer", "minimum": -int(LIMIT), "maximum": int(LIMIT)}
    elif t.kind == "boolean":
        out = {"type": "boolean"}
    elif t.kind in ("expr", "scalar"):
        out = {"type": ["string", "number", "boolean"]}
    elif t.kind == "id":
        out = {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID}
    elif t.kind == "enum":
        out = {"enum": list(t.values)}
    elif t.kind == "list":
        out = {"type": "array", "items": _json(t.item)}
    elif t.kind == "map":
        out = {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN, "maxLength": MAX_ID},
            "additionalProperties": _json(t.item),
        }
    elif t.kind == "one_of":
        out = {"anyOf": [_json(option) for option in t.options]}
    else:
        out = {
            "type": "object",
            "properties": {name: _json(f.type, f.doc) for name, f in t.fields},
            "additionalProperties": False,
        }
        required = [name for name, f in t.fields if f.required]
        if required:
            out["required"] = required
    if doc:
        out["description"] = doc
    return out
