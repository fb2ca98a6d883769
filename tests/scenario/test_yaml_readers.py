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


MIXED = (
    "a: yes\nb: 0x1F\nc: 1e6\nd: 12:30\ne: .inf\nf: !foo x\nh: &x 1\ni: *x\nj: [1, 1, '1', ~, Null, x, x]\nk: TRUE\n"
    "l: [[a, {b: [c, 'd', !!str 1]}], {e: !!map {f: g}}, !!seq [h]]\nm: \"q\"\nn: |\n  block\n"
)


@pytest.mark.parametrize("path", [*FILES, None], ids=lambda p: "mixed" if p is None else p.name)
def test_the_loader_that_keeps_tags_reads_the_same(path, monkeypatch):
    # the reader's own loader tells each plain text's tag once per file: the same as PyYAML's
    raw = MIXED.encode() if path is None else path.read_bytes()
    own = _read(raw, "x.yaml", yamlread._Loader, monkeypatch)
    assert own == _read(raw, "x.yaml", yaml.SafeLoader, monkeypatch)
    assert issubclass(yamlread._Loader, yaml.SafeLoader) or issubclass(yamlread._Loader, yaml.CSafeLoader)


def test_a_loader_with_path_resolvers_resolves_by_them():
    """The reader's loader answers a node's tag at once only where no path resolver could change
    it; given one, tags follow it as PyYAML's loader does."""

    class Pathed(yamlread._Loader):
        pass

    class PathedSafe(yaml.SafeLoader):
        pass

    for loader in (Pathed, PathedSafe):
        loader.yaml_path_resolvers = {}
        loader.add_path_resolver("!picked", ["a"], yaml.ScalarNode)
    text = "a: 'x'\nb: 'y'\nc: [1]\n"
    own, safe = yaml.compose(text, Loader=Pathed), yaml.compose(text, Loader=PathedSafe)
    assert [(k.value, v.tag) for k, v in own.value] == [(k.value, v.tag) for k, v in safe.value]
    assert own.value[0][1].tag == "!picked"
