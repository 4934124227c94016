"""Problems found in facts, kept as values until the CLI prints them."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in a facts file; ``line`` and ``column`` count from 1."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}: {self.message}"


class FactsError(Exception):
    """Raised when facts cannot become a valid graph; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: str) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative
