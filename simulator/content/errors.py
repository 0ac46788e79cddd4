"""Problems found in user files, each pinned to a file, a line and a column.

Every message a trainer sees reads `path:line:column: error|warning: message`, so editors and
terminals can jump straight to the spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator.text import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in one file, at one place. Lines and columns count from 1."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """The problem in one line; what it quotes from the file (a value, a key, the path) shown, never obeyed."""
        return visible(f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}")


class ContentError(Exception):
    """A file could not be used; carries every problem found in it, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
