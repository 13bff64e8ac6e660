"""Problems found in content, each pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: Path
    line: int  # 1-based
    column: int  # 1-based
    path: str  # dotted field path, e.g. "sections.0.blocks.2"
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.path}:" if self.path else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {label}{self.message}"


class ContentError(Exception):
    """Content that cannot be built; carries every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (str(d.file), d.line, d.column, d.path, d.message))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]
