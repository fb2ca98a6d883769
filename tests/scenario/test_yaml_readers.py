"""libyaml and PyYAML's own reader give the same data, marks and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from game.scenario import yamlread

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
BROKEN = [
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 'x\n",
    'a: "x\n',
    "a: *nope\n",
    "a: &x 1\nb: &x 2\n",
    "a:\n\t- 1\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "- a\nb: 1\n",
    "a: b\n  c: d\n",
    "when: && y\n",
    "a: @x\n",
    "a: `x`\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "actions:\n  go:\n    when: not ready\n    title: Go\n  stop\n    title: Stop\n",
]

pytestmark = pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML is built without libyaml")


def _read(raw: bytes, name: str, loader, monkeypatch) -> tuple:
    monkeypatch.setattr(yamlread, "_Loader", loader)
    doc = yamlread.read_yaml(raw, name)
    return doc.data, dict(doc.marks.items()), [(str(p), p.hint) for p in doc.problems]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_same_file_reads_the_same(path, monkeypatch):
    raw = path.read_bytes()
    assert _read(raw, path.name, yaml.CSafeLoader, monkeypatch) == _read(raw, path.name, yaml.SafeLoader, monkeypatch)


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_file_gets_the_same_message(text, monkeypatch):
    fast = _read(text.encode(), "broken.yaml", yaml.CSafeLoader, monkeypatch)
    slow = _read(text.encode(), "broken.yaml", yaml.SafeLoader, monkeypatch)
    assert fast[2], "the text should be refused"
    assert fast == slow
