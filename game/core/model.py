"""The scenario model: immutable values that the loader builds and the engine reads.

Everything with an id lives in an ordered mapping keyed by that id; the order is the file's
order and it matters (turn order, which ending is checked first, how outcomes are listed).
Variable values are kept as floats: booleans as 0.0/1.0 and places as their index in
``Scenario.places``, so that one state is a tuple of floats and many states are a numpy matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from game.core.expr import Expr, literal
from game.core.limits import MAX_HOURS_PER_TURN, MAX_TURN_LIMIT
from game.core.maps import ControlArea, MapLayer, ReferencePlace
from game.core.numeric import settle

FORMAT_VERSION = 2  # the newest scenario format this game reads
FORMATS = (1, 2)
WORLD = "world"
QUIET = "quiet"
DELAYED_PREFIX = "_event_"  # the ids of the events that carry out delayed and lasting effects
SPECIAL_NAMES = ("turn", "hour", "elapsed")
MAX_OPEN_KEPT = 50_000  # sets of open actions a scenario remembers (then it starts again)


@dataclass(frozen=True)
class Source:
    """A published source the scenario's facts rest on."""

    title: str
    url: str = ""


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    summary: str
    format: int = FORMAT_VERSION
    sources: tuple[Source, ...] = ()
    authors: tuple[str, ...] = ()
    history: str = ""


@dataclass(frozen=True)
class Calendar:
    start: datetime
    hours_per_turn: float
    turn_limit: int


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    brief: str
    objective: Expr
    playable: bool = True
    color: str = ""
    title: str = ""
    modelled_as: str = ""  # how the expert pictures this role in its playouts ("": its own default)


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    lat: float
    lon: float
    note: str = ""
    kind: str = "town"


@dataclass(frozen=True)
class Route:
    """A chain of places; ``km[i]`` is the distance from ``stops[i]`` to ``stops[i + 1]``."""

    id: str
    name: str
    stops: tuple[str, ...]
    km: tuple[float, ...]


@dataclass(frozen=True)
class Variable:
    id: str
    type: str  # "number", "boolean" or "place"
    initial: float
    label: str
    min: float = float("-inf")
    max: float = float("inf")
    unit: str = ""
    description: str = ""
    visible_to: tuple[str, ...] | None = None  # None: every role
    estimated_by: tuple[str, ...] = ()
    estimate_step: float = 10.0
    route: str = ""
    cases: tuple[tuple[str, str], ...] = ()  # a case variable's (id, label) pairs, in order
    draw: tuple[tuple[float, float], ...] = ()  # possible starting values with their weights; () when fixed
    internal: bool = False  # made by the loader for timing or knowledge; never shown to anyone
    origin: str = ""  # for an internal variable: what in the file it serves


@dataclass(frozen=True)
class Marker:
    """Something for the map to show where an outcome happened."""

    place: str
    kind: str
    label: str = ""


@dataclass(frozen=True)
class Cover:
    """What the roles that may not see a move or an outcome are shown in its place."""

    id: str
    title: str
    text: str
    marker: Marker | None = None


@dataclass(frozen=True)
class Sight:
    """Who sees a move or an outcome: ``viewers`` (None: everyone), and the cover for the rest.

    The role that moves always sees its own move and what came of it. A role outside
    ``viewers`` is shown the cover, or nothing at all when there is none.
    """

    viewers: tuple[str, ...] | None = None
    cover: Cover | None = None

    def sees(self, role: str) -> bool:
        return self.viewers is None or role in self.viewers


PUBLIC = Sight()


@dataclass(frozen=True)
class History:
    """What really happened, for options and events that happened in history."""

    when: str
    note: str = ""
    turns: tuple[int, ...] = ()


@dataclass(frozen=True)
class Outcome:
    id: str
    weight: Expr
    text: str
    set: tuple[tuple[str, Expr], ...] = ()
    add: tuple[tuple[str, Expr], ...] = ()
    move: tuple[tuple[str, Expr], ...] = ()
    end: str = ""
    marker: Marker | None = None
    title: str = ""
    sight: Sight | None = None  # None: as its move is seen


QUIET_OUTCOME = Outcome(id=QUIET, weight=literal(1.0), text="")
"""The outcome of an event that does not happen this turn."""


def find_outcome(outcomes: tuple[Outcome, ...], outcome_id: str) -> Outcome:
    """The outcome of a move with the id ``outcome_id``; KeyError when it has none."""
    for outcome in outcomes:
        if outcome.id == outcome_id:
            return outcome
    raise KeyError(outcome_id)


@dataclass(frozen=True)
class Action:
    id: str
    role: str
    title: str
    description: str
    when: Expr
    outcomes: tuple[Outcome, ...]
    unavailable: str = ""
    ai_weight: Expr | None = None
    history: History | None = None
    sight: Sight = PUBLIC
    group: str = ""  # what kind of move it is, for listing; never read by the rules
    origin: str = ""  # for a move the loader made (an offer, an answer): the path of what it is built from

    def outcome(self, outcome_id: str) -> Outcome:
        return find_outcome(self.outcomes, outcome_id)


@dataclass(frozen=True)
class Event:
    """A thing that may happen to both sides at the end of every turn."""

    id: str
    title: str
    chance: Expr
    outcomes: tuple[Outcome, ...]
    history: History | None = None
    sight: Sight = PUBLIC
    internal: bool = False  # made by the loader (a delayed effect); its origin says what for
    origin: str = ""
    once: bool = False
    on_turns: tuple[int, ...] = ()  # the file's on_turns: ``chance`` then holds the file's own chance inside

    @property
    def role(self) -> str:
        return WORLD

    @property
    def description(self) -> str:
        return self.title

    def outcome(self, outcome_id: str) -> Outcome:
        if outcome_id == QUIET:
            return QUIET_OUTCOME
        return find_outcome(self.outcomes, outcome_id)


@dataclass(frozen=True)
class Draw:
    """The drawing of one variable's starting value: a chance step of the world before turn 1."""

    id: str
    variable: str
    outcomes: tuple[Outcome, ...]
    sight: Sight = Sight(viewers=())

    @property
    def role(self) -> str:
        return WORLD

    @property
    def title(self) -> str:
        return "The situation is set"

    @property
    def description(self) -> str:
        return self.title

    @property
    def history(self) -> None:
        return None

    def outcome(self, outcome_id: str) -> Outcome:
        return find_outcome(self.outcomes, outcome_id)


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    epilogue: str
    scores: tuple[tuple[str, Expr], ...]
    when: Expr | None = None
    at_turn_limit: bool = False
    historical: bool = False


@dataclass(frozen=True)
class Advice:
    """A remark an advisor makes to a role while ``when`` holds."""

    role: str
    speaker: str
    text: str
    when: Expr


@dataclass(frozen=True)
class Expectation:
    """One balance assertion: an ending's share, or a role's win rate, within bounds."""

    ending: str = ""
    win_rate: str = ""
    at_least: float = 0.0
    at_most: float = 1.0


@dataclass(frozen=True)
class BalanceCheck:
    name: str
    policies: tuple[tuple[str, str], ...]
    expect: tuple[Expectation, ...]
    games: int = 2000
    seed: int = 1


@dataclass(frozen=True)
class Term:
    """One thing a deal can settle: who owes it, and what it is worth to each role (score points)."""

    id: str
    title: str
    short: str
    description: str
    owed_by: str
    worth: tuple[tuple[str, Expr], ...] = ()
    required: bool = False
    breakable: bool = False  # the role that owes it has a move to break it once agreed
    acts: bool = False  # agreeing to it has effects of its own

    def worth_to(self, role: str) -> Expr | None:
        for who, expr in self.worth:
            if who == role:
                return expr
        return None


@dataclass(frozen=True)
class Channel:
    """A way for one role to put terms to another: its guarantee, its answer rules, its number.

    ``number`` is what the pending offer records as the channel it came by (1, 2, ...).
    ``answer_moves`` is how many of the recipient's moves the offer stands for.
    """

    id: str
    title: str
    description: str
    sender: str
    recipient: str
    number: int
    guarantee: Expr
    answer_moves: int = 1
    silence: str = "reject"  # what an unanswered offer comes to: "reject" or "accept"
    terms: tuple[str, ...] = ()  # the terms it can carry
    ai_weight: Expr | None = None
    delivers: tuple[str, ...] = ()  # the outcomes of sending that put the offer on the table
    when: Expr | None = None  # the file's own condition for using it
    worth: tuple[tuple[str, Expr], ...] = ()  # what a deal through it is worth to each role besides its terms

    def worth_to(self, role: str) -> Expr | None:
        for who, expr in self.worth:
            if who == role:
                return expr
        return None


@dataclass(frozen=True)
class Offer:
    """A move that puts a package of terms to the other side through a channel."""

    id: str
    channel: str
    sender: str
    recipient: str
    terms: tuple[str, ...]
    package: int  # the number the pending offer records for these terms (shared by every channel)


@dataclass(frozen=True)
class Answer:
    """A move the loader made for bargaining: accept or reject what is on the table, keep to a
    struck deal, or break one of its terms."""

    id: str
    kind: str  # "accept", "reject", "keep" or "break"
    role: str
    package: int = 0  # for "accept": the package it agrees to
    terms: tuple[str, ...] = ()  # for "accept": its terms; for "break": the term broken
    sender: str = ""  # for "accept": who made the offer


@dataclass(frozen=True)
class Package:
    """A set of terms one role can put to another; ``number`` is its number in the pending offer."""

    number: int
    sender: str
    recipient: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Negotiation:
    """Everything the loader built for bargaining, for the engines, the AI and the faces.

    The pending offer lives in internal variables: ``pending`` names them (``package``,
    ``sender``, ``recipient``, ``channel``, ``due``; ``settled`` when a deal settles the game).
    Each term's agreed flag is a variable with the term's id; ``broken`` and ``via`` name the
    internal variables that say whether it was broken and which channel carried it.
    """

    terms: Mapping[str, Term]
    channels: Mapping[str, Channel]
    offers: Mapping[str, Offer]
    answers: Mapping[str, Answer]
    packages: tuple[Package, ...]
    pending: Mapping[str, str]
    broken: Mapping[str, str]
    via: Mapping[str, str]
    bottom_line: tuple[tuple[str, Expr], ...] = ()
    settles: str = ""
    parties: tuple[str, ...] = ()
    group: str = "Bargaining"
    accept_weight: tuple[tuple[str, Expr], ...] = ()  # the weighted policy's hint for accepting, by role
    agreed_reads: tuple[
        tuple[str, frozenset[str]], ...
    ] = ()  # each ``agreed`` block's path and the names its effects read

    def __post_init__(self) -> None:
        for name in ("terms", "channels", "offers", "answers", "pending", "broken", "via"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def package(self, number: int) -> Package | None:
        return self.packages[number - 1] if 0 < number <= len(self.packages) else None

    def channel_numbered(self, number: int) -> Channel | None:
        for channel in self.channels.values():
            if channel.number == number:
                return channel
        return None

    def bottom_line_of(self, role: str) -> Expr | None:
        for who, expr in self.bottom_line:
            if who == role:
                return expr
        return None

    def accept_weight_of(self, role: str) -> Expr | None:
        for who, expr in self.accept_weight:
            if who == role:
                return expr
        return None

    def generated(self, move_id: str) -> bool:
        """Whether a move is one the loader made for bargaining."""
        return move_id in self.offers or move_id in self.answers


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Scenario:
    """A whole scenario, ready for the engine. Build it with the loader, not by hand."""

    meta: Meta
    calendar: Calendar
    roles: Mapping[str, Role]
    places: Mapping[str, Place]
    routes: Mapping[str, Route]
    variables: Mapping[str, Variable]
    constants: Mapping[str, float]
    turn_order: tuple[str, ...]
    actions: Mapping[str, Action]
    events: Mapping[str, Event]
    endings: Mapping[str, Ending]
    advice: tuple[Advice, ...] = ()
    balance: tuple[BalanceCheck, ...] = ()
    digest: str = ""
    path: str = ""
    marks: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    slots: Mapping[str, int] = field(default_factory=dict)
    distances: tuple[tuple[float, ...], ...] = ()
    bounds: tuple[float, float, float, float] | None = None  # west, south, east, north
    draws: tuple[Draw, ...] = ()
    knowledge: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (role, variable) -> slot of its level
    templates: Mapping[str, object] = field(default_factory=dict)  # text -> compiled Template
    map_layers: tuple[MapLayer, ...] = ()
    reference_places: tuple[ReferencePlace, ...] | None = None  # None: the world's towns in view
    control: tuple[ControlArea, ...] = ()
    negotiation: Negotiation | None = None  # the terms, channels and moves of bargaining, if any

    def __post_init__(self) -> None:
        for name in (
            "roles",
            "places",
            "routes",
            "variables",
            "constants",
            "actions",
            "events",
            "endings",
            "knowledge",
        ):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        by_role: dict[str, list[Action]] = {role: [] for role in self.roles}
        for action in self.actions.values():
            by_role.setdefault(action.role, []).append(action)
        object.__setattr__(self, "_by_role", {k: tuple(v) for k, v in by_role.items()})
        object.__setattr__(self, "_place_ids", tuple(self.places))
        object.__setattr__(self, "_var_ids", tuple(self.variables))
        object.__setattr__(self, "_event_list", tuple(self.events.values()))
        object.__setattr__(self, "_draw_ids", {d.id: d for d in self.draws})
        object.__setattr__(self, "sights", {})  # role -> how it sees each variable (game.core.information)
        object.__setattr__(self, "_reads", {})  # role -> the env slots its actions' conditions read
        object.__setattr__(self, "_open", {})  # (role, those slots' values) -> the actions open

    def open_actions(self, role: str, env: Sequence[float]) -> tuple[Action, ...]:
        """The role's actions whose ``when`` holds in ``env``, in file order.

        A condition is a function of the slots of ``env`` it names and nothing else, so the answer
        is remembered by the values of the slots the role's conditions read: states that differ
        only in what no condition reads (a hidden number, the score) share one answer.
        """
        reads = self._reads.get(role)
        if reads is None:
            reads = self._reads[role] = self._slots_read(role)
        actions = self.actions_of(role)
        if reads is False:
            return tuple(a for a in actions if a.when.truth(env))
        key = (role, *[env[i] for i in reads])
        found = self._open.get(key)
        if found is None:
            if len(self._open) >= MAX_OPEN_KEPT:
                self._open.clear()
            found = self._open[key] = tuple(a for a in actions if a.when.truth(env))
        return found

    def _slots_read(self, role: str) -> tuple[int, ...] | bool:
        """The env slots the role's conditions name (False when a name cannot be placed)."""
        values = len(self.variables)
        slot = {name: i for i, name in enumerate(self.variables)}
        slot |= {name: values + i for i, name in enumerate(self.constants)}
        extra = values + len(self.constants)
        slot |= {name: extra + i for i, name in enumerate(SPECIAL_NAMES)}
        read: set[int] = set()
        for action in self.actions_of(role):
            for name in action.when.names:
                if name in slot:
                    read.add(slot[name])
                elif name not in self.places:  # a place's name is a constant, built into the code
                    return False
        return tuple(sorted(read))

    def actions_of(self, role: str) -> tuple[Action, ...]:
        """The role's actions in file order."""
        return self._by_role.get(role, ())

    @property
    def variable_ids(self) -> tuple[str, ...]:
        return self._var_ids

    @property
    def place_ids(self) -> tuple[str, ...]:
        return self._place_ids

    @property
    def event_list(self) -> tuple[Event, ...]:
        return self._event_list

    def draw(self, draw_id: str) -> Draw | None:
        return self._draw_ids.get(draw_id)

    def noted(self) -> list[Action | Event]:
        """The actions and events with a history note, by their first turn (notes without turns
        last; the file's order among equals), as the ending's account of what happened lists them."""
        moves = [m for m in (*self.actions.values(), *self.events.values()) if m.history is not None]
        return sorted(moves, key=lambda m: min(m.history.turns) if m.history.turns else float("inf"))

    def place_at(self, index: float) -> Place:
        return self.places[self._place_ids[int(index)]]

    def initial_values(self) -> tuple[float, ...]:
        """The starting values, numbers settled as every later state's are (never -0.0, within
        the bounds and the limit): a step settles only the values its outcome touches."""
        return tuple(
            settle(v.initial, v.min, v.max) if v.type == "number" else v.initial for v in self.variables.values()
        )

    def turn_limit_ending(self) -> Ending | None:
        for ending in self.endings.values():
            if ending.at_turn_limit:
                return ending
        return None

    def mark(self, path: str) -> tuple[int, int]:
        """The (line, column) in the scenario file of a dotted path, or of its nearest parent."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path.rpartition(".")[0]
        return (1, 1)


def build_symbols(
    variables: Mapping[str, str],
    constants: Mapping[str, float],
    places: tuple[str, ...],
    distances: tuple[tuple[float, ...], ...] = (),
    cases: Mapping[str, tuple[str, ...]] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
):
    """The expression symbol table and slot layout for a scenario.

    ``variables`` maps ids to types in file order; ``cases`` gives a case variable's case ids,
    each of which becomes a name that stands for its index. The environment an expression sees is
    the variables' values, then the constants, then ``turn``, ``hour`` and ``elapsed``.
    ``bounds`` gives number variables' (min, max), which tells the compiler where arithmetic
    cannot leave the value domain. Returns ``(symbols, slots)``.
    """
    from game.core.expr import BOOL, NUM, PLACE, Symbol, Symbols, case_type

    names: dict[str, Symbol] = {}
    slots: dict[str, int] = {}
    for place_index, place in enumerate(places):
        names[place] = Symbol(PLACE, value=float(place_index))
    for var, ids in (cases or {}).items():
        for index, case in enumerate(ids):
            names[case] = Symbol(case_type(var), value=float(index))
    kinds = {"number": NUM, "boolean": BOOL, "place": PLACE}
    for name in (*variables, *constants, *SPECIAL_NAMES):
        slots[name] = len(slots)
    for name, kind in variables.items():
        low, high = (bounds or {}).get(name, (None, None))
        kind_of = case_type(name) if kind == "case" else kinds[kind]
        names[name] = Symbol(kind_of, slot=slots[name], low=low, high=high)
    for name in constants:
        names[name] = Symbol(NUM, slot=slots[name])
    for name in SPECIAL_NAMES:
        names[name] = Symbol(NUM, slot=slots[name], low=_CLOCK_SPANS[name][0], high=_CLOCK_SPANS[name][1])
    return Symbols(MappingProxyType(names), distances), MappingProxyType(slots)


# what the clock can read, whatever the calendar (within its limits): no arithmetic on it can leave the
# value domain, so the compiler adds no saturation to expressions such as 'turn + 2'
_CLOCK_SPANS = {
    "turn": (0.0, MAX_TURN_LIMIT + 1.0),
    "hour": (0.0, 24.0),
    "elapsed": (-MAX_HOURS_PER_TURN, MAX_TURN_LIMIT * MAX_HOURS_PER_TURN),
}


def scenario_symbols(scenario: Scenario):
    """The symbol table of a built scenario (internal names included)."""
    kinds = {v: var.type for v, var in scenario.variables.items()}
    cases = {v: tuple(c for c, _ in var.cases) for v, var in scenario.variables.items() if var.cases}
    distances = route_distances(scenario.place_ids, scenario.routes) if scenario.routes else ()
    bounds = {v: (var.min, var.max) for v, var in scenario.variables.items() if var.type == "number"}
    return build_symbols(kinds, scenario.constants, scenario.place_ids, distances, cases, bounds)[0]


def route_distances(places: tuple[str, ...], routes: Mapping[str, Route]) -> tuple[tuple[float, ...], ...]:
    """Shortest distances in km between every pair of places over the routes (Floyd-Warshall).

    Places that no route joins are 0 km from themselves and ``1e9`` km from everything else.
    """
    index = {p: i for i, p in enumerate(places)}
    n = len(places)
    far = 1e9
    d = [[0.0 if i == j else far for j in range(n)] for i in range(n)]
    for route in routes.values():
        for a, b, km in zip(route.stops, route.stops[1:], route.km):
            i, j = index[a], index[b]
            if km < d[i][j]:
                d[i][j] = d[j][i] = float(km)
    for k in range(n):
        dk = d[k]
        for i in range(n):
            dik = d[i][k]
            if dik >= far:
                continue
            di = d[i]
            for j in range(n):
                alt = dik + dk[j]
                if alt < di[j]:
                    di[j] = alt
    return tuple(tuple(row) for row in d)
