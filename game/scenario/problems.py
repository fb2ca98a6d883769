"""Problems found in a scenario file, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from game.core.errors import CrisisError


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) at a place in a file."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"
    code: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        if self.code:
            text += f" [{self.code}]"
        return text

    def excerpt(self, source: str) -> str:
        """The offending line of ``source`` with a caret under the column, for terminals."""
        lines = source.splitlines()
        if not 1 <= self.line <= len(lines):
            return ""
        line = lines[self.line - 1].replace("\t", " ")
        return f"    {line}\n    {' ' * (self.col - 1)}^"


class ScenarioError(CrisisError):
    """A scenario file that cannot be used; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        first = str(self.problems[0]) if self.problems else "unknown problem"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))
