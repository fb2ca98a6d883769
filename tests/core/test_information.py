"""The information model: who sees what, what each role knows, keys, beliefs and timing."""

from __future__ import annotations

import pytest

from game.ai import make_policy
from game.core.belief import Belief, consistent
from game.core.information import SPECTATOR, level
from game.core.match import Match
from game.core.model import WORLD
from game.core.state import State
from game.scenario.loader import load_scenario
from tests.conftest import ROOT

ENVOY = ROOT / "tests" / "fixtures" / "format2" / "envoy.yaml"


@pytest.fixture(scope="module")
def envoy():
    return load_scenario(ENVOY)


def setup(scenario, mole="clerk", resolve="50", where="embassy") -> Match:
    match = Match(scenario, seed=1)
    for draw, value in (("draw.mole", mole), ("draw.resolve", resolve), ("draw.where_envoy", where)):
        match.force(draw, value)
    return match


def roll_quietly(match: Match) -> None:
    """Let the world's events pass without anything happening (or what must happen, happen)."""
    while match.state.current_role() == WORLD and not match.is_over():
        outcomes = match.state.outcomes(match.state.legal_actions()[0])
        quiet = [o for o, _ in outcomes if o.id == "quiet"]
        match.force(match.state.legal_actions()[0], (quiet or [outcomes[0][0]])[0].id)


def texts(match: Match, role: str) -> list[str]:
    return [f"{e.title} / {e.outcome_title}: {e.text}" for e in match.state.observe(role).feed]


def test_starting_draws_are_chance_steps_with_the_files_weights(envoy):
    state = State.initial(envoy)
    assert state.in_setup() and state.current_role() == WORLD
    odds = {o.id: p for o, p in state.outcomes(state.legal_actions()[0])}
    assert odds == pytest.approx({"none": 0.4, "clerk": 0.4, "secretary": 0.2})
    match = setup(envoy)
    assert not match.state.in_setup()
    assert match.state.format_value("mole") == "a clerk"
    assert match.state.current_role() == "envoy"


def test_the_same_seed_draws_the_same_setup_and_shows_the_same(envoy):
    def game(seed):
        match = Match(envoy, seed=seed, policies={r: make_policy("random") for r in envoy.roles})
        match.run()
        return [s.outcome for s in match.steps[:3]], {r: match.state.observe(r).key for r in envoy.roles}

    assert game(5) == game(5)
    setups = {tuple(game(seed)[0]) for seed in range(40)}
    assert len(setups) > 10  # starting values really vary from game to game


def test_a_secret_move_is_absent_from_the_other_feed_and_its_public_outcome_is_not(envoy):
    match = setup(envoy)
    match.force("bribe", "taken")
    assert texts(match, "envoy")[-1].startswith("Bribe someone in the chancery / Taken")
    assert texts(match, "minister") == []
    other = setup(envoy)
    other.force("bribe", "refused")
    assert texts(other, "minister") == [
        "Bribe someone in the chancery / Refused: The clerk refuses and reports the approach."
    ]


def test_a_cover_is_what_the_others_read(envoy):
    match = setup(envoy)
    match.force("charm", "charmed")
    match.force("watch", "lost")
    envoy_feed = match.state.observe("envoy").feed
    assert envoy_feed[-1].seen == "cover"
    assert envoy_feed[-1].title == "A feeling of being watched"
    assert envoy_feed[-1].action == ""  # the envoy is not told which move it was
    assert match.state.observe("minister").feed[-1].title == "Have the envoy followed"


def test_texts_show_each_reader_only_what_it_may_know(envoy):
    match = setup(envoy, resolve="50")
    match.force("charm", "overdone")
    assert texts(match, "envoy")[-1].endswith("he says, is 50.")
    assert texts(match, "minister")[-1].endswith("he says, is about 40 to 80.")
    assert match.state.render(envoy.actions["charm"].outcome("overdone").text).endswith("is 50.")  # the truth


def test_a_condition_the_reader_cannot_know_is_left_out(envoy):
    text = envoy.events["gossip"].outcome("whisper").text
    none = setup(envoy, mole="none")
    clerk = setup(envoy, mole="clerk")
    assert none.state.render(text) == "The court whispers about a mole, though nobody can name one."
    assert clerk.state.render(text) == "The court whispers about a mole."
    # nobody in the game knows whether there is a mole: both read the same sentence
    for role in envoy.roles:
        assert none.state.render(text, role) == clerk.state.render(text, role) == "The court whispers about a mole."


def test_reveal_estimate_and_conceal_change_what_a_role_knows(envoy):
    match = setup(envoy)
    assert level(match.state, "envoy", "mole") < 0
    match.force("bribe", "taken")
    assert level(match.state, "envoy", "mole") == 0
    assert match.state.observe("envoy").get("mole").value == 1.0
    match.force("sound_out", "read")
    assert level(match.state, "minister", "resolve") == 10
    assert match.state.observe("minister").get("resolve").low == 50
    assert match.state.observe("minister").get("resolve").high == 60


def test_what_lasts_is_undone_and_what_is_delayed_takes_hold(envoy):
    match = setup(envoy)
    match.force("charm", "charmed")
    match.force("curfew", "declared")
    assert match.state.value("curfew") == 1.0 and match.state.value("suspicion") == 20
    roll_quietly(match)  # end of turn 1
    for _ in range(2):
        match.force("charm", "charmed")
        match.force("double_guard", "ordered") if match.state.value("guard") < 40 else None
        before = match.state.value("guard")
        roll_quietly(match)
        assert match.state.value("guard") == before + 20  # ordered this turn, there at the next one
    assert match.state.turn == 4
    assert match.state.value("curfew") == 0.0  # two turns on, the curfew is lifted
    assert match.state.value("suspicion") == 20 - 15 + 5 - 5  # three charms; the curfew's 5 taken back


def test_a_one_time_event_happens_once_and_an_event_on_a_turn_only_then(envoy):
    for seed in range(60):
        match = Match(envoy, seed=seed, policies={r: make_policy("random") for r in envoy.roles})
        match.run()
        happened = [(s.action, match.reports[i].turn) for i, s in enumerate(match.steps) if s.outcome not in ("quiet",)]
        assert sum(1 for a, _ in happened if a == "gossip") <= 1
        assert all(turn == 3 for a, turn in happened if a == "audience")


def test_two_truths_the_role_cannot_tell_apart_share_its_key(envoy):
    a, b = setup(envoy, mole="none"), setup(envoy, mole="secretary")
    for match in (a, b):
        match.force("charm", "charmed")
        match.force("sound_out", "read")
    assert a.state.values != b.state.values
    for role in envoy.roles:
        assert a.state.observe(role).key == b.state.observe(role).key
    c = setup(envoy, mole="none", resolve="20")
    c.force("charm", "charmed")
    c.force("sound_out", "read")
    assert c.state.observe("minister").key != a.state.observe("minister").key  # a sharper estimate tells them apart
    assert c.state.observe("envoy").key != a.state.observe("envoy").key  # the envoy sees resolve exactly


def test_the_spectator_sees_everything_and_says_so(envoy):
    match = setup(envoy)
    match.force("bribe", "taken")
    view = match.state.observe(SPECTATOR)
    assert view.omniscient
    assert {s.variable for s in view.seen} >= {"mole", "resolve", "guard", "bribed"}
    assert view.feed[-1].title == "Bribe someone in the chancery"


def test_the_belief_keeps_the_truth_and_drops_what_the_role_saw_rule_out(envoy):
    for seed in range(20):
        match = Match(envoy, seed=seed, policies={r: make_policy("random") for r in envoy.roles})
        match.run()
        truth = (match.state.values, match.state.turn, match.state.step)
        for role in envoy.roles:
            belief = consistent(envoy, match.state.observe(role))
            assert belief.exact
            assert any((p.state.values, p.state.turn, p.state.step) == truth for p in belief.particles)
            assert sum(p.weight for p in belief.particles) == pytest.approx(1.0)
            for particle in belief.particles:  # every truth left would have shown the role the same
                assert particle.state.observe(role).key == match.state.observe(role).key


def test_trying_something_teaches_a_role_about_a_hidden_value(envoy):
    match = setup(envoy, mole="clerk")
    belief = Belief(envoy, "envoy").follow(match.state.observe("envoy"))
    assert len({p.setup[0] for p in belief.particles}) == 3  # no idea whether there is a mole
    match.force("bribe", "taken")
    belief.follow(match.state.observe("envoy"))
    assert {p.setup[0] for p in belief.particles} == {1.0}  # the bribe revealed it


def test_covers_that_read_alike_cannot_be_told_apart(envoy):
    """Two outcomes behind the same cover text give the reader the same item and the same key;
    no id it is sent names the outcome behind the cover."""
    from game.scenario.loader import load_bytes

    same = '        cover: {title: "Footsteps", text: "Someone was on the stairs."}\n'
    text = ENVOY.read_text(encoding="utf-8")
    text = text.replace(
        '        text: "Your men report where the envoy goes: {where_envoy}."\n',
        '        text: "Your men report where the envoy goes: {where_envoy}."\n' + same,
        1,
    )
    text = text.replace(
        '        text: "The envoy loses your men in the market."\n',
        '        text: "The envoy loses your men in the market."\n' + same,
        1,
    )
    scenario = load_bytes(text.encode(), str(ENVOY))
    views = []
    for outcome in ("seen", "lost"):
        match = setup(scenario)
        while match.state.current_role() != "minister":
            match.force(match.state.legal_actions()[0], match.state.outcomes(match.state.legal_actions()[0])[0][0].id)
        match.force("watch", outcome)
        seen = match.state.observe("envoy")
        views.append((seen.feed[-1], seen.key))
    (first, key_a), (second, key_b) = views
    assert first == second and key_a == key_b
    assert first.outcome == "watch~cover2" and "seen" not in first.outcome and "lost" not in first.outcome


def test_an_estimate_at_a_bound_is_still_a_band():
    from game.core.information import band

    var = next(v for v in load_scenario(ENVOY).variables.values() if v.type == "number" and v.max - v.min >= 40)
    for value in (var.min, var.max, var.max - 0.5, (var.min + var.max) / 2):
        low, high = band(var, value, 10)
        assert low <= value <= high and high - low == 10, (value, low, high)


def test_a_band_near_the_largest_values_still_holds_the_value_and_is_a_band():
    from types import SimpleNamespace

    from game.core.information import band

    var = SimpleNamespace(min=-1e15, max=1e15)
    for value, width in ((999999999999999.5, 0.3), (999999999999999.5, 1e-6), (-123456789012345.7, 0.1), (0.7, 0.1)):
        low, high = band(var, value, width)
        assert low <= value <= high and high > low, (value, width, low, high)


RENEWED = b"""format: 2
meta: {id: renewed, title: "Renewed", summary: "Lasting effects set off again before they wear off."}
calendar: {start: "2000-01-01 00:00", hours_per_turn: 1, turn_limit: 8}
roles:
  a: {name: "A", brief: "a", objective: "x"}
  b: {name: "B", brief: "b", objective: "0 - x"}
map:
  places:
    p: {name: "P", lat: 10, lon: 10}
variables:
  x: {type: number, initial: 0, min: 0, max: 25, label: "X"}
  curfew: {type: boolean, initial: false, label: "Curfew"}
turn_order: [a, b]
actions:
  boost:
    role: a
    title: "Boost"
    outcomes:
      up: {text: "Up.", add: {x: 10}, lasts: 2}
  declare:
    role: a
    title: "Declare"
    outcomes:
      declared: {text: "Declared.", set: {curfew: true}, lasts: 2}
  idle:
    role: a
    title: "Idle"
    outcomes:
      idle: {text: "Nothing."}
  wait:
    role: b
    title: "Wait"
    outcomes:
      waits: {text: "B waits."}
endings:
  over: {title: "Over", at_turn_limit: true, epilogue: "Over.", scores: {a: "x", b: "0 - x"}}
"""


def _turns(match: Match, moves: list[str]) -> list[tuple[float, float]]:
    """Play A's ``moves`` one a turn (B waits) and read x and the curfew at each turn's start."""
    seen = []
    for move in moves:
        seen.append((match.state.value("x"), match.state.value("curfew")))
        match.force(move, match.state.outcomes(match.state.scenario.actions[move])[0][0].id)
        match.force("wait", "waits")
        roll_quietly(match)
    return seen


def test_a_lasting_effect_set_off_again_is_renewed_and_then_wholly_undone():
    from game.core.match import Match
    from game.scenario.loader import load_bytes

    scenario = load_bytes(RENEWED, "renewed.yaml")
    # added three times, the third cut to 5 by the bound; each renewal moves the undo to two
    # turns after the latest, and then every amount as it was really added comes off at once
    added = _turns(Match(scenario, seed=1), ["boost", "boost", "boost", "idle", "idle", "idle"])
    assert [x for x, _ in added] == [0, 10, 20, 25, 0, 0]
    # a set renewed: the curfew holds two turns after the last declaration, then is lifted
    declared = _turns(Match(scenario, seed=1), ["declare", "declare", "idle", "idle", "idle"])
    assert [c for _, c in declared] == [0, 1, 1, 0, 0]
    assert [c for _, c in _turns(Match(scenario, seed=1), ["declare", "idle", "idle"])] == [0, 1, 0]
