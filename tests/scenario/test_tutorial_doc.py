"""The modding tutorial, run as written: every marked block, in order, in a fresh folder.

docs/modding-tutorial.md marks the blocks to run with ``step=N`` in the fence's info string:
``console`` blocks hold one ``$ crisis ...`` command and lines its output must contain, in order
(``exit=N`` when it should fail), run in a process of its own; ``yaml file=F`` blocks replace the top-level sections of F that
they define; ``diff file=F`` blocks replace their ``-`` lines with their ``+`` lines.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from game.cli import main
from tests.conftest import ROOT

DOC = ROOT / "docs" / "modding-tutorial.md"
_FENCE = re.compile(r"^```(?P<kind>\w*)(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
_SECTION = re.compile(r"^[a-z_]+:", re.M)


@dataclass(frozen=True)
class Block:
    kind: str
    info: dict[str, str]
    body: str

    @property
    def step(self) -> int:
        return int(self.info["step"])


def steps() -> list[Block]:
    """The blocks the tutorial marks as steps, in the order they appear."""
    found = []
    for match in _FENCE.finditer(DOC.read_text(encoding="utf-8")):
        info = dict(part.split("=", 1) for part in match["info"].split() if "=" in part)
        if "step" in info:
            found.append(Block(match["kind"], info, match["body"]))
    return found


def sections(text: str) -> dict[str, str]:
    """Top-level sections of a YAML text by key, each from its key line to the next key."""
    starts = [m.start() for m in _SECTION.finditer(text)] + [len(text)]
    return {text[a : text.index(":", a)]: text[a:b] for a, b in zip(starts, starts[1:])}


def replace_sections(text: str, body: str) -> str:
    for key, new in sections(body).items():
        old = sections(text).get(key)
        assert old is not None, f"the file has no '{key}:' section to replace"
        text = text.replace(old, new.rstrip("\n") + "\n\n", 1)
    return text


def apply_diff(text: str, body: str) -> str:
    lines = body.splitlines()
    old = "\n".join(line[1:] for line in lines if line.startswith("-")) + "\n"
    new = "\n".join(line[1:] for line in lines if line.startswith("+")) + "\n"
    assert text.count(old) == 1, f"the change expects exactly one copy of:\n{old}"
    return text.replace(old, new)


def run_console(block: Block, folder: Path) -> None:
    """Run the block's command as a person would, in its own process, and compare the output."""
    lines = block.body.splitlines()
    assert lines[0].startswith("$ crisis "), "a console step holds one crisis command"
    command = [sys.executable, "-m", "game", *shlex.split(lines[0][len("$ crisis ") :])]
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, env=os.environ
    )
    printed = [line.rstrip() for line in (done.stdout + done.stderr).splitlines()]
    shown = f"{lines[0]} exited {done.returncode} and printed:\n" + "\n".join(printed)
    assert done.returncode == int(block.info.get("exit", 0)), shown
    position = 0
    for expected in (line.rstrip() for line in lines[1:]):
        assert expected in printed[position:], f"missing {expected!r}; " + shown
        position = printed.index(expected, position) + 1


def test_steps_are_numbered_in_order():
    numbers = [block.step for block in steps()]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert {block.kind for block in steps()} == {"console", "yaml", "diff"}


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.chdir(tmp_path)
    for block in steps():
        if block.kind == "console":
            run_console(block, tmp_path)
            continue
        path = tmp_path / block.info["file"]
        edit = replace_sections if block.kind == "yaml" else apply_diff
        path.write_text(edit(path.read_text(encoding="utf-8"), block.body), encoding="utf-8")
    assert main(["lint", "isola.yaml", "--error-on", "warning", "--games", "100"]) == 0
