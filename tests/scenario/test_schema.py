"""The packaged JSON Schema: kept in step with the format, and in agreement with our validator."""

from __future__ import annotations

import json

import jsonschema
import pytest

import game.scenario.lint_command as command
from game.cli import main
from game.scenario.lint_command import SCHEMA_PATH, schema_text
from game.scenario.loader import load_bytes
from game.scenario.problems import ScenarioError
from game.scenario.spec import json_schema
from game.scenario.yamlread import read_yaml
from tests.conftest import SCENARIOS, TUTORIAL

VALIDATOR = jsonschema.Draft7Validator(json_schema())

# (what is wrong, text in the tutorial, what replaces it)
FAULTS = [
    ("unknown field", '    color: "#0072B2"\n', '    color: "#0072B2"\n    colour: "#0072B2"\n'),
    ("wrong type", "  turn_limit: 4\n", '  turn_limit: "four"\n'),
    ("missing required", '    title: "Hold the picket line"\n', ""),
    ("value not in the list", "kind: flag,", "kind: banner,"),
    ("id that is not an id", "  picket:\n", "  Picket:\n"),
    ("list where a number goes", "  hours_per_turn: 6\n", "  hours_per_turn: [6]\n"),
]


def test_packaged_schema_is_in_step_with_the_format():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()
    assert json.loads(schema_text()) == json_schema()


def test_schema_command_prints_the_packaged_schema(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_PATH.read_text(encoding="utf-8")


def test_the_schema_is_a_valid_draft_07_schema():
    jsonschema.Draft7Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_satisfy_the_schema(path):
    data = read_yaml(path.read_bytes(), str(path)).data
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []


@pytest.mark.parametrize(("fault", "old", "new"), FAULTS, ids=[f[0] for f in FAULTS])
def test_schema_and_validator_refuse_the_same_faults(fault, old, new):
    text = TUTORIAL.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    data = read_yaml(broken.encode(), "broken.yaml").data
    assert len(list(VALIDATOR.iter_errors(data))) == 1, f"the schema does not see one fault: {fault}"
    with pytest.raises(ScenarioError) as refused:
        load_bytes(broken.encode(), "broken.yaml")
    assert len(refused.value.problems) == 1


def test_schema_write_rewrites_the_packaged_file(tmp_path, monkeypatch, capsys):
    target = tmp_path / "schema.json"
    target.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(command, "SCHEMA_PATH", target)
    assert main(["schema", "--write"]) == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert str(target) in capsys.readouterr().out
