"""The window's imports run one way: the app imports its scenes and widgets, never the reverse."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

UI = ROOT / "game" / "ui"


def imported(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_scenes_and_widgets_never_import_the_app():
    for folder in ("scenes", "widgets"):
        for path in (UI / folder).glob("*.py"):
            assert "game.ui.app" not in imported(path), path.name
