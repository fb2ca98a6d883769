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
        line = "".join(c if c.isprintable() else " " for c in lines[self.line - 1])
        col = max(1, self.col)
        if len(line) > 2 * EXCERPT:  # a window around the column, never a whole long line
            start = max(0, min(col - 1 - EXCERPT, len(line) - 2 * EXCERPT))
            head = "..." if start > 0 else ""
            tail = "..." if start + 2 * EXCERPT < len(line) else ""
            line, col = head + line[start : start + 2 * EXCERPT] + tail, col - start + len(head)
        return f"    {line}\n    {' ' * (col - 1)}^"


EXCERPT = 60  # characters of a long line shown on each side of a problem's column


class ScenarioError(CrisisError):
    """A scenario file that cannot be used; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        first = str(self.problems[0]) if self.problems else "unknown problem"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))
