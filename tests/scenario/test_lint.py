"""crisis lint: every rule finds its planted fault at the right line; bundled scenarios lint clean.

Each file in tests/fixtures/lint marks its faults with a ``# FAULT: code`` comment on the line
where lint must report them.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.lint import RULES, lint
from game.scenario.lint_play import simulate
from game.scenario.lint_ranges import Interval, variable_ranges
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lint"
FAULTY = sorted(p for p in FIXTURES.glob("*.yaml") if p.stem != "clean")
_MARKER = re.compile(r"#\s*FAULT:\s*([a-z-]+)")
_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|note): .+ \[(?P<code>[a-z-]+)\]$"
)


def planted(path: Path) -> set[tuple[int, str]]:
    """(line, code) of every fault marked in a fixture."""
    found = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found.update((number, code) for code in _MARKER.findall(text))
    return found


@cache
def findings(path: Path) -> tuple[tuple[int, str, str], ...]:
    report = lint(load_scenario(path), games=1000, seed=1)
    return tuple((p.line, p.code, p.severity) for p in report.problems)


@pytest.mark.parametrize("path", FAULTY, ids=lambda p: p.stem)
def test_each_planted_fault_is_found_at_its_line(path):
    marked = planted(path)
    assert marked, f"{path.name} marks no fault"
    found = {(line, code) for line, code, _ in findings(path)}
    assert marked <= found, f"missed: {sorted(marked - found)}; found: {sorted(found)}"


@pytest.mark.parametrize("path", FAULTY, ids=lambda p: p.stem)
def test_rules_report_nothing_besides_the_planted_faults(path):
    marked = planted(path)
    codes = {code for _, code in marked}
    stray = {(line, code) for line, code, _ in findings(path) if code in codes} - marked
    assert not stray


def test_every_rule_has_a_planted_fault():
    covered = {code for path in FAULTY for _, code in planted(path)}
    assert covered == set(RULES)


def test_the_clean_fixture_has_no_findings():
    assert findings(FIXTURES / "clean.yaml") == ()


def test_proofs_are_errors_and_observations_warnings():
    by_line = {line: severity for line, _, severity in findings(FIXTURES / "action-never-open.yaml")}
    assert by_line[34] == "error"  # calm > 150 against max 100: proved
    assert by_line[40] == "warning"  # noise > 90 is possible, but no game got there


def test_the_same_seed_gives_the_same_simulation(tutorial):
    first, second = simulate(tutorial, 50, seed=7), simulate(tutorial, 50, seed=7)
    assert first == second
    assert simulate(tutorial, 50, seed=8).outcomes != first.outcomes
    assert sum(first.endings.values()) == 50


def test_ranges_follow_the_effects(tutorial):
    ranges = variable_ranges(tutorial)
    assert ranges["money"] == Interval(0, 60)  # drawn from 40..60, then only ever spent
    assert ranges["contract_offer"] == Interval(0, 10)
    assert ranges["fleet_patience"] == Interval(3, 3)
    assert ranges["turn"] == Interval(1, 5)


def test_summary_counts_the_content(tutorial):
    summary = lint(tutorial, games=200).summary
    assert (summary.actions, summary.outcomes, summary.endings, summary.events) == (6, 12, 5, 2)
    assert summary.words > 300
    assert {c.kind: c.total for c in summary.coverage} == {"actions": 6, "outcomes": 12, "endings": 5, "events": 2}


def test_command_prints_findings_in_the_agreed_form(capsys):
    path = FIXTURES / "weight-negative.yaml"
    assert main(["lint", str(path), "--games", "200"]) == 1
    lines = capsys.readouterr().out.splitlines()
    parsed = [m.groupdict() for m in map(_LINE.match, lines) if m]
    assert {(int(p["line"]), p["code"]) for p in parsed} == planted(path)
    assert all(Path(p["path"]) == path for p in parsed)
    assert any("1 error, 1 warning" in line for line in lines)
    assert any("reached actions 2/2" in line for line in lines)


def test_warnings_fail_only_when_asked(capsys):
    path = str(FIXTURES / "role-idle.yaml")
    assert main(["lint", path, "--games", "100"]) == 0
    assert main(["lint", path, "--games", "100", "--error-on", "warning"]) == 1


def test_a_file_that_does_not_validate_gets_its_errors_only(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    text = (FIXTURES / "clean.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace('objective: "calm"', 'objective: "clam"'), encoding="utf-8")
    assert main(["lint", str(broken)]) == 1
    out = capsys.readouterr()
    assert "unknown name 'clam'" in out.out and "error" in out.out
    assert "does not validate" in out.err
    assert "random games" not in out.out


def test_lint_finds_scenarios_by_name(capsys):
    assert main(["lint", "tutorial", "--games", "200"]) == 0
    assert "tutorial.yaml: 0 errors, 0 warnings;" in capsys.readouterr().out


# Findings in bundled scenarios that their authors have been told about: (code, id named in the message).
# Anything else fails the test below; an entry that no longer occurs does no harm and should be removed.
KNOWN = {
    "wagner_mutiny": {
        ("ending-never-reached", "bloodbath"),
    },
}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_lint_clean(path, capsys):
    code = main(["lint", str(path), "--error-on", "warning"])
    printed = capsys.readouterr().out
    found = [m.groupdict() | {"text": m.group(0)} for m in map(_LINE.match, printed.splitlines()) if m]
    known = KNOWN.get(path.stem, set())
    unknown = [f["text"] for f in found if not any(c == f["code"] and f"'{i}'" in f["text"] for c, i in known)]
    assert not unknown, "\n".join(unknown)
    assert code == (1 if found else 0)


def _messages(name: str, code: str) -> list[str]:
    report = lint(load_scenario(FIXTURES / name), games=200, seed=1)
    return [p.message for p in report.problems if p.code == code]


def test_a_shadowed_ending_names_the_ending_that_shadows_it():
    riot, walkout = _messages("ending-shadowed.yaml", "ending-shadowed")
    assert "'riot' is never reached" in riot and "the condition of 'uproar' holds too" in riot
    assert "'walkout' never decides a game" in walkout and "'resign/gone'" in walkout


def test_a_dead_condition_is_reported_though_an_outcome_reaches_its_ending():
    (message,) = _messages("ending-condition-dead.yaml", "ending-condition-dead")
    assert "can never be true" in message and "'end: walkout' in 'resign/gone'" in message


def test_the_reason_replaces_the_finding_it_explains():
    report = lint(load_scenario(FIXTURES / "boolean-compared.yaml"), games=0)
    spots = [(p.line, p.col) for p in report.problems]
    assert len(spots) == len(set(spots))
    assert {p.code for p in report.problems} == {"boolean-compared"}


def test_a_note_never_fails_the_command(capsys):
    path = str(FIXTURES / "weights-not-shares.yaml")
    assert main(["lint", path, "--games", "100", "--error-on", "warning"]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings, 1 note" in out and "'heard' has 67%, not 60%" in out
