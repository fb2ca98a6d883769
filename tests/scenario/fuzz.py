"""A structure-aware scenario fuzzer: mutations of valid files at the level of YAML nodes.

Byte-level mutations almost never get past the shape checks. These keep the file well-formed
YAML and change what it says: values swapped between fields, numbers at and past the edges of
the value domain, expressions that overflow, long and strange texts, keys removed and repeated,
one section's ids used in another, subtrees copied where they do not belong, unknown tags.

:func:`run` loads a mutant and, when it validates, lints it, plays a few games through the
one-game engine and the same games through the batch engine, and checks that both end every game
with the same values to the bit, within the value domain. Refusals must be the project's own
errors (:class:`~game.core.errors.CrisisError`) and point into the file; anything else is a
finding.
"""

from __future__ import annotations

import copy
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from game.ai import make_policy
from game.analysis.batch import play
from game.analysis.plan import Plan
from game.analysis.vpolicies import VECTORISED
from game.core.errors import CrisisError
from game.core.match import Match, make_rng
from game.core.numeric import LIMIT
from game.scenario.lint import lint
from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError

RESOLVER = yaml.resolver.Resolver()
ID_SECTIONS = ("roles", "actions", "events", "endings", "variables", "constants")
NUMBERS = [
    "0", "-0.0", "1", "-1", "0.5", "1e15", "-1e15", "1e16", "-1e16", "1e308", "-1e308", "1e-300", "5e-324",
    "999999999999999", "1000000000000001", "9223372036854775807", "18446744073709551616", "1" + "0" * 400,
    "-" + "9" * 5000, "0x" + "f" * 40, ".nan", ".inf", "-.inf", "1_000", "2147483648", "1000", "100000",
]  # fmt: skip
TEXTS = [
    "", " ", "x" * 25_000, "y" * 3_000, "ｍorale", "order\n", "a\x00b", "{money}", "{nothing}", "{{", "}}{",
    "true", "yes", "null", "~", "1:30", "2023-06-23", "9999-12-31 23:00", "0001-01-01 00:00", "world", "quiet",
    "turn", "hour", "distance", "__import__('os')", "lambda: 1", "a" * 65,
]  # fmt: skip
TAGS = ["!foo", "!!binary", "!!python/object:os.system", "!!set", "!!timestamp", "!!str", "!!float"]
# fields that hold expressions: expression mutations aim at them, so that most mutants validate and play
FORMULAS = frozenset({"weight", "chance", "when", "objective", "ai_weight", "set", "add", "move", "scores"})
# fields whose values the engines compute with: half of the value mutations aim at them
MEANINGFUL = frozenset(
    {"weight", "chance", "initial", "min", "max", "set", "add", "move", "scores", "when", "objective", "ai_weight",
     "km", "lat", "lon", "hours_per_turn", "turn_limit", "start", "games", "seed", "estimate_step", "constants",
     "turns", "at_least", "at_most", "end", "stops", "route", "turn_order", "role"}
)  # fmt: skip


@dataclass
class Outcome:
    """What one mutant did: refused, or played; and anything that went wrong."""

    refused: bool = False
    played: int = 0
    problem: str = ""


@dataclass
class Tally:
    """The sum of many mutants' outcomes."""

    tried: int = 0
    refused: int = 0
    valid: int = 0
    games: int = 0
    findings: list[str] = field(default_factory=list)


# mutating -----------------------------------------------------------------------------------------


def compose(raw: bytes) -> yaml.Node:
    return yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)


def serialise(node: yaml.Node) -> bytes:
    return yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True, width=1_000_000).encode("utf-8")


def _nodes(node: yaml.Node, path: tuple = ()) -> list[tuple[tuple, yaml.Node]]:
    found = [(path, node)]
    if isinstance(node, yaml.MappingNode):
        for i, (key, value) in enumerate(node.value):
            found += _nodes(value, (*path, getattr(key, "value", i)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += _nodes(item, (*path, i))
    return found


def _scalar(value: str) -> yaml.ScalarNode:
    """A plain scalar that YAML reads back as ``value`` would be read when typed in a file."""
    tag = RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return yaml.ScalarNode(tag, value)


def _names(root: yaml.Node) -> list[str]:
    """The ids the file declares, so that mutated expressions can read real names."""
    out = []
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value in ("variables", "constants") and isinstance(value, yaml.MappingNode):
            out += [k.value for k, _ in value.value if isinstance(k, yaml.ScalarNode)]
    return out or ["turn"]


def _expression(rng: random.Random, names: list[str]) -> str:
    x, y = rng.choice(names), rng.choice(names)
    return rng.choice(
        [
            f"{x} * 1e15 * 1e15",
            f"{x} / 1e-300",
            f"-{x} / 0",
            f"1e15 * {x} - 1e15 * {y}",
            f"round({x} - 0.5)",
            f"min({x}, -{x}) * -1",
            f"({x} * 1e15) / ({y} * 1e15)",
            f"clamp({x}, 1e15, -1e15)",
            f"{x} if {y} else -{x}",
            f"abs({x}) * 1e15 + 1e15",
            f"{x} * {y} * {x} * {y} * {x} * {y}",
            "1e15 * 1e15 * 1e15",
            "-(1e15 * 10)",
            "0 * -1",
            f"not {x}",
            f"{x} * (1 > 0) * -0.0",
        ]
    )


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """One to three node-level mutations of a valid scenario's text."""
    root = compose(raw)
    for _ in range(rng.choice((1, 1, 2, 3))):
        _one(root, rng)
    return serialise(root)


def _one(root: yaml.Node, rng: random.Random) -> None:
    everything = _nodes(root)
    scalars = [n for _, n in everything if isinstance(n, yaml.ScalarNode)]
    meaningful = [n for path, n in everything if isinstance(n, yaml.ScalarNode) and MEANINGFUL & set(map(str, path))]
    if meaningful and rng.random() < 0.5:
        scalars = meaningful
    mappings = [n for _, n in everything if isinstance(n, yaml.MappingNode) and n.value]
    kind = rng.choice(
        ["swap", "number", "number", "expression", "expression", "text", "remove", "repeat", "cross", "copy",
         "retype", "tag", "empty", "nudge", "rename"]
    )  # fmt: skip
    if kind == "swap" and len(scalars) > 1:
        a, b = rng.sample(scalars, 2)
        a.value, b.value, a.tag, b.tag, a.style, b.style = b.value, a.value, b.tag, a.tag, b.style, a.style
    elif kind == "number" and scalars:
        _replace(rng.choice(scalars), _scalar(rng.choice(NUMBERS)))
    elif kind == "expression" and scalars:
        formulas = [n for path, n in everything if isinstance(n, yaml.ScalarNode) and FORMULAS & set(map(str, path))]
        target = rng.choice(formulas or scalars)
        _replace(target, yaml.ScalarNode("tag:yaml.org,2002:str", _expression(rng, _names(root)), style='"'))
    elif kind == "text" and scalars:
        _replace(rng.choice(scalars), yaml.ScalarNode("tag:yaml.org,2002:str", rng.choice(TEXTS), style='"'))
    elif kind == "remove" and mappings:
        owner = rng.choice(mappings)
        owner.value.pop(rng.randrange(len(owner.value)))
    elif kind == "repeat" and mappings:
        owner = rng.choice(mappings)
        owner.value.append(copy.deepcopy(rng.choice(owner.value)))
    elif kind == "cross":
        _cross(root, rng)
    elif kind == "copy" and len(everything) > 2:
        (_, source), (_, target) = rng.sample(everything[1:], 2)
        _replace(target, copy.deepcopy(source))
    elif kind == "retype" and scalars:
        target = rng.choice(scalars)
        _replace(target, rng.choice([yaml.SequenceNode("tag:yaml.org,2002:seq", [copy.deepcopy(target)]),
                                     yaml.MappingNode("tag:yaml.org,2002:map", [])]))  # fmt: skip
    elif kind == "tag" and len(everything) > 1:
        rng.choice(everything[1:])[1].tag = rng.choice(TAGS)
    elif kind == "empty" and mappings:
        rng.choice(mappings).value = []
    elif kind == "nudge":
        numbers = [n for n in scalars if n.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
        if numbers:
            target = rng.choice(numbers)
            factor = rng.choice(["-1", "0", "1e6", "1e12", "1e-12", "1e20"])
            try:
                value = float(target.value) * float(factor)
            except ValueError:
                return
            _replace(target, _scalar(repr(value) if math.isfinite(value) else ".inf"))
    elif kind == "rename" and mappings:
        owner = rng.choice(mappings)
        key, _ = rng.choice(owner.value)
        if isinstance(key, yaml.ScalarNode):
            key.value = rng.choice(["when", "weight", "chance", "end", "set", "add", "move", "quiet", "world",
                                    key.value + "\n", key.value.upper(), "ｘ", "turn"])  # fmt: skip


def _replace(target: yaml.Node, new: yaml.Node) -> None:
    """Make ``target`` into ``new`` in place (parents keep pointing at the same object)."""
    target.__class__ = new.__class__
    target.__dict__.update({k: v for k, v in new.__dict__.items() if k not in ("start_mark", "end_mark")})


def _cross(root: yaml.Node, rng: random.Random) -> None:
    """Give one section an entry whose id already belongs to another section."""
    sections = {
        key.value: value
        for key, value in root.value
        if key.value in ID_SECTIONS and isinstance(value, yaml.MappingNode) and value.value
    }
    if len(sections) < 2:
        return
    source, target = rng.sample(sorted(sections), 2)
    key, _ = rng.choice(sections[source].value)
    donor_key, donor_value = rng.choice(sections[target].value)
    sections[target].value.append((copy.deepcopy(key), copy.deepcopy(donor_value)))


# running ------------------------------------------------------------------------------------------


def run(raw: bytes, name: str, seeds: range = range(3), lint_games: int = 3) -> Outcome:
    """Load, lint and play one mutant; a problem is any failure that is not the project's own error."""
    try:
        scenario = load_bytes(raw, name)
    except ScenarioError as exc:
        bad = [p for p in exc.problems if p.line < 1 or p.col < 1 or p.path != name]
        return Outcome(refused=True, problem=f"a problem points nowhere: {bad[0]}" if bad else "")
    except CrisisError:
        return Outcome(refused=True)
    try:
        lint(scenario, lint_games, 1)
        plan = Plan(scenario)
        played = 0
        for policy in ("random", "weighted"):
            for seed in seeds:
                problem = _agree(plan, policy, seed)
                if problem:
                    return Outcome(played=played, problem=problem)
                played += 1
        games = play(plan, {r: VECTORISED["random"]() for r in plan.roles}, 64, make_rng(99), keep_values=True)
        if not (np.isfinite(games.values).all() and (np.abs(games.values) <= LIMIT).all()):
            return Outcome(played=played, problem="a batch game left the value domain")
        return Outcome(played=played + 64)
    except CrisisError:
        return Outcome()


def _agree(plan: Plan, policy: str, seed: int) -> str:
    """'' when one game from ``seed`` ends the same, to the bit, in both engines and stays in the domain."""
    scenario = plan.scenario
    match = Match(scenario, seed=seed, policies={r: make_policy(policy) for r in scenario.roles})
    match.run()
    state = match.state
    values = (*state.values, *state.scores().values())
    if not all(math.isfinite(v) and -LIMIT <= v <= LIMIT for v in values):
        return f"seed {seed}: a value left the domain: {values}"
    games = play(plan, {r: VECTORISED[policy]() for r in plan.roles}, 1, make_rng(seed), keep_values=True)
    if plan.ending_ids[games.ending[0]] != state.ending:
        return f"{policy} seed {seed}: the engines reach different endings"
    if [float(v).hex() for v in games.values[0]] != [v.hex() for v in state.values]:
        return f"{policy} seed {seed}: the engines end with different values"
    if [float(v).hex() for v in games.scores[0]] != [state.scores()[r].hex() for r in plan.roles]:
        return f"{policy} seed {seed}: the engines give different scores"
    return ""


def mutants(sources: list[Path], count: int, seed: int):
    """The mutants a campaign from ``seed`` tries, as (index, source path, text or None)."""
    rng = random.Random(seed)
    originals = [(path, path.read_bytes()) for path in sources]
    for index in range(count):
        path, raw = originals[index % len(originals)]
        mutant_rng = random.Random(rng.getrandbits(64))
        try:
            yield index, path, mutate(raw, mutant_rng)
        except yaml.YAMLError:
            yield index, path, None  # a mutation the YAML emitter itself refuses to write


def replay_mutant(sources: list[Path], seed: int, index: int) -> bytes:
    """The text of mutant ``index`` of a campaign from ``seed`` (to study a finding)."""
    for i, _, text in mutants(sources, index + 1, seed):
        if i == index:
            return text
    raise IndexError(index)


def campaign(sources: list[Path], count: int, seed: int) -> Tally:
    """``count`` mutants of the ``sources``, drawn from ``seed``; every finding is kept, with how to repeat it."""
    tally = Tally()
    for index, path, text in mutants(sources, count, seed):
        if text is None:
            continue
        tally.tried += 1
        try:
            outcome = run(text, f"{path.stem}-mutant-{index}.yaml")
        except Exception as exc:  # the finding: a failure that is not the project's own
            outcome = Outcome(problem=f"{type(exc).__name__}: {exc}"[:300])
        tally.refused += outcome.refused
        tally.valid += not outcome.refused
        tally.games += outcome.played
        if outcome.problem:
            tally.findings.append(f"{path.name}, mutant {index} of seed {seed}: {outcome.problem}")
    return tally
