"""Which numbers matter: a planted decisive weight ranks first; versions share their random numbers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.ai import make_policy
from game.analysis import sensitivity
from game.analysis.batch import play
from game.analysis.crn import KeyedDraws
from game.analysis.params import parameters, with_values
from game.analysis.plan import Plan
from game.analysis.runner import InlineExecutor
from game.analysis.vpolicies import VECTORISED
from game.cli import main
from game.core.match import Match
from game.scenario.loader import load_bytes, load_scenario
from tests.conftest import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
CLEAN = (ROOT / "tests" / "fixtures" / "lint" / "clean.yaml").read_text(encoding="utf-8")

# the clean lint fixture with a planted decisive weight: how often the mayor backs down when dared
# is the weight of 'backs_down' against a flag (no number), and backing down ends the game; the
# uproar is made hard to reach, so that other numbers matter, but less
PLANTED = (
    CLEAN.replace('when: "noise >= 40"', 'when: "noise >= 45"')
    .replace(
        '  noise: {type: number, initial: 20, min: 0, max: 100, label: "Noise"}\n',
        '  noise: {type: number, initial: 20, min: 0, max: 100, label: "Noise"}\n'
        '  standing: {type: boolean, initial: true, label: "The mayor stands firm"}\n',
    )
    .replace(
        "endings:\n",
        """  dare:
    role: crowd
    title: "Dare the mayor"
    outcomes:
      backs_down: {weight: 0.5, text: "The mayor backs down.", end: surrender}
      stands: {weight: "standing", text: "The mayor stands firm.", set: {standing: true}}
endings:
  surrender:
    title: "The mayor gives in"
    epilogue: "The square is the crowd's."
    scores: {crowd: 20, mayor: 0}
""",
    )
)
POLICIES = (("mayor", "random"), ("crowd", "random"))


def _run(text: str, games: int = 3000) -> dict:
    setup = sensitivity.Setup(text.encode(), "planted.yaml", POLICIES, games, 1)
    return sensitivity.run(setup, InlineExecutor())


def test_a_planted_decisive_weight_ranks_first():
    found = _run(PLANTED)
    first = found["parameters"][0]
    assert first["id"] == "actions.dare.outcomes.backs_down.weight"
    surrender = first["endings"]["surrender"]
    assert surrender["low"] < 0 < surrender["high"]  # more weight, more surrenders
    low, high = surrender["ci95"]
    assert 0 < low <= surrender["swing"] <= high
    assert first["moved"] > 1.5 * found["parameters"][1]["moved"]


def test_a_number_that_only_scores_moves_scores_not_endings():
    found = _run(PLANTED, games=1000)
    row = next(r for r in found["parameters"] if r["id"] == "endings.surrender.scores.crowd")
    assert row["moved"] == 0.0
    crowd = row["scores"]["crowd"]
    share = found["base"]["endings"]["surrender"]
    # 20 -> 16 .. 24 in the games that surrender, the same games in both versions
    assert crowd["swing"] == pytest.approx(8 * share, rel=1e-9)
    assert crowd["ci95"][1] - crowd["ci95"][0] > 0


def test_every_parameter_of_every_scenario_can_be_changed_and_played():
    for path in SCENARIOS:
        scenario = load_scenario(path)
        found = parameters(scenario)
        assert found, path
        changed = with_values(scenario, {p: p.clamp(p.value * 1.2 + 0.1) for p in found})
        plan = Plan(changed)
        play(plan, {r: VECTORISED["random"]() for r in plan.roles}, 50, np.random.default_rng(1))


def test_a_changed_number_plays_the_same_on_both_engines():
    scenario = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    chance = next(p for p in parameters(scenario) if p.id == "events.rain.chance")
    changed = with_values(scenario, {chance: 0.9})
    assert changed.events["rain"].chance.constant == 0.9
    match = Match(changed, seed=3, policies={r: make_policy("random") for r in changed.roles})
    match.run()
    assert match.is_over()


def test_keyed_draws_depend_on_the_game_and_position_only():
    first, second = KeyedDraws(np.random.default_rng(5)), KeyedDraws(np.random.default_rng(5))
    first.at(7, np.array([0, 1, 2, 3]))
    second.at(7, np.array([3, 9, 1]))
    a, b = first.random(4), second.random(3)
    assert a[3] == b[0] and a[1] == b[2]
    assert first.random(4)[3] != a[3]  # the next draw of the position differs
    many = KeyedDraws(np.random.default_rng(5))
    many.at(0, np.arange(200_000))
    u = many.random(200_000)
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.005
    assert np.histogram(u, bins=10, range=(0, 1))[0].min() > 19_000


def test_the_command_prints_a_ranking_and_writes_json_csv_and_a_tornado(capsys, tmp_path):
    path = tmp_path / "planted.yaml"
    path.write_text(PLANTED, encoding="utf-8")
    out = [tmp_path / name for name in ("s.json", "s.csv", "s.png")]
    argv = ["balance", str(path), "--sensitivity", "--sensitivity-games", "1500", "--workers", "1"]
    assert main([*argv, "--json", str(out[0]), "--csv", str(out[1]), "--plot", str(out[2])]) == 0
    text = capsys.readouterr().out
    assert "which numbers matter" in text
    assert "1. actions.dare.outcomes.backs_down.weight (line" in text
    data = json.loads(out[0].read_text())
    assert data["sensitivity"]["parameters"][0]["id"] == "actions.dare.outcomes.backs_down.weight"
    assert out[1].read_text().splitlines()[0].startswith("parameter,line,kind,value,low,high,output")
    assert out[2].read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "argv,words",
    [
        (["--sensitivity-games", "0"], "--sensitivity-games must be"),
        (["--step", "0"], "--step must be"),
        (["--step", "nan"], "--step must be"),
        (["--policy", "union=lookahead"], "needs batched policies"),
        (["--sweep", "fleet_patience=1:2:2"], "without --sweep or --compare"),
        (["--method", "morris", "--trajectories", "0"], "--trajectories must be"),
    ],
)
def test_bad_sensitivity_input_is_one_line(capsys, argv, words):
    code = main(["balance", "tutorial", "--sensitivity", "--workers", "1", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv,words",
    [
        (["--step", "0.5"], "--step goes with --sensitivity"),
        (["--trajectories", "51"], "--trajectories goes with --sensitivity"),
        (["--sensitivity-games", "0"], "--sensitivity-games goes with --sensitivity"),
        (["--sensitivity", "--trajectories", "4"], "--trajectories goes with --method morris"),
    ],
)
def test_a_sensitivity_flag_without_its_run_is_refused(capsys, argv, words):
    code = main(["balance", "tutorial", "--games", "10", "--workers", "1", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


def test_the_planted_file_validates():
    load_bytes(PLANTED.encode(), "planted.yaml")


def test_a_format_2_file_with_drawn_starting_values_and_cases_is_studied():
    path = ROOT / "tests" / "fixtures" / "format2" / "envoy.yaml"
    setup = sensitivity.Setup(path.read_bytes(), str(path), (("envoy", "random"), ("minister", "random")), 300, 1)
    found = sensitivity.run(setup, InlineExecutor())
    assert found["parameters"] and not any("._" in row["id"] for row in found["parameters"])


def test_morris_screening_ranks_the_planted_weight_first_too():
    pytest.importorskip("SALib")
    from game.analysis import morris

    # over the whole ranges the uproar's threshold and the noise come near the dare (they act
    # together), so here the uproar is put out of reach of every version
    text = PLANTED.replace('when: "noise >= 45"', 'when: "noise >= 55"')
    setup = sensitivity.Setup(text.encode(), "planted.yaml", POLICIES, 1500, 1)
    found = morris.run(setup, InlineExecutor(), trajectories=4)
    first = found["parameters"][0]
    assert first["id"] == "actions.dare.outcomes.backs_down.weight"
    assert first["endings"]["surrender"]["mu_star"] > 0.05
    assert found["versions"] == 4 * (len(found["parameters"]) + 1)


def test_the_command_runs_morris_when_asked(capsys, tmp_path):
    pytest.importorskip("SALib")
    target = tmp_path / "m.csv"
    argv = ["balance", "tutorial", "--sensitivity", "--method", "morris", "--sensitivity-games", "300"]
    assert main([*argv, "--trajectories", "2", "--workers", "1", "--csv", str(target)]) == 0
    assert "Morris screening with SALib" in capsys.readouterr().out
    assert target.read_text().splitlines()[0].endswith("output,mu_star,mu_star_conf,sigma")


def test_a_drawn_starting_value_moves_as_a_whole():
    scenario = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    money = next(p for p in parameters(scenario) if p.id == "variables.money.initial")
    (before,) = [d for d in scenario.draws if d.variable == "money"]
    values = [dict(o.set)["money"].constant for o in before.outcomes]
    assert len(values) > 1 and money.value == sum(values) / len(values)  # equally likely values
    changed = with_values(scenario, {money: money.value + 10})
    (after,) = [d for d in changed.draws if d.variable == "money"]
    bounds = scenario.variables["money"]
    assert [dict(o.set)["money"].constant for o in after.outcomes] == [
        min(max(v + 10, bounds.min), bounds.max) for v in values
    ]


def test_processor_time_counts_the_jobs_of_worker_processes():
    """A job that ran in another process brings its processor time back; one that ran here is
    counted once, in this process's own time."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    from game.analysis.cputime import CpuClock, timed

    with ProcessPoolExecutor(max_workers=1) as pool:
        (_, spent, pid) = pool.submit(timed, _spin, 3_000_000).result()
    assert pid[1] != os.getpid() and spent > 0.01
    clock = CpuClock()
    clock.add(spent, pid)
    assert clock.seconds() >= spent
    here = CpuClock()
    _, spent_here, pid_here = timed(_spin, 1_000_000)
    here.add(spent_here, pid_here)
    assert pid_here[1] == os.getpid() and here.seconds() < spent_here * 1.5 + 0.02


def _spin(n: int) -> int:
    return sum(i * i for i in range(n))


TIMED = CLEAN.replace("format: 1", "format: 2").replace(
    "endings:\n",
    """events:
  gossip:
    title: "Gossip"
    once: true
    chance: "noise / 300"
    outcomes:
      spreads: {text: "Word spreads.", add: {noise: 5}}
  market:
    title: "Market day"
    on_turns: [2]
    chance: 0.5
    outcomes:
      busy: {text: "The square fills.", add: {noise: 5}}
endings:
""",
    1,
)


def test_only_the_files_own_numbers_of_a_timed_chance_are_studied():
    """once and on_turns wrap an event's chance in numbers of the loader's (0 if it has happened,
    0 off its turns): moving those would let a one-time event happen twice. The file's own
    numbers are studied, and numbered as the file writes them."""
    found = {p.id: p for p in parameters(load_bytes(TIMED.encode(), "timed.yaml")) if ".chance" in p.id}
    assert set(found) == {"events.gossip.chance", "events.market.chance"}
    assert found["events.market.chance"].value == 0.5
    gossip = found["events.gossip.chance"]
    assert gossip.value == 300
    assert sensitivity.span(gossip, 0.2) == (240, 360)  # a divisor, not a probability held in 0..1
