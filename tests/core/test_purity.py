"""The core stays pure: it imports without pygame or yaml and never opens files."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "game" / "core"

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('pygame', 'yaml'):
            raise ImportError('blocked: ' + name)
        return None
sys.meta_path.insert(0, Block())
import game.core.expr, game.core.model, game.core.state, game.core.match, game.core.errors
assert not any(m.split('.')[0] in ('pygame', 'yaml') for m in sys.modules)
print('pure')
"""


def test_core_imports_with_pygame_and_yaml_blocked():
    result = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, cwd=CORE.parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pure"


def test_core_source_has_no_file_or_display_access():
    forbidden_modules = {"pygame", "yaml", "os", "pathlib", "io", "shutil", "tempfile", "socket", "subprocess"}
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            else:
                names = []
            assert not set(names) & forbidden_modules, f"{path.name} imports {names}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "eval", "exec", "compile", "__import__"), (
                    f"{path.name} calls {node.func.id}"
                )
