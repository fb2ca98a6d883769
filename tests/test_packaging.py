"""What a wheel carries: every package of the game, and the scenarios and assets inside it."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "game").rglob("__init__.py")
        if "bundled" not in init.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    data = {name: path for name, path in config["package-dir"].items()}
    for folder in ("scenarios", "assets/map", "assets/fonts"):
        assert folder in data.values(), folder
    for name, path in data.items():
        assert name in listed and (ROOT / path).is_dir()
