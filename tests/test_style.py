"""The code base stays lint-clean (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    try:
        result = subprocess.run([ruff, "check", "--no-cache", "game", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "game", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    if "No module named ruff" in result.stderr:
        pytest.fail("ruff is not installed; install the test extra: pip install -e '.[test]'")
    assert result.returncode == 0, result.stdout[-3000:]
