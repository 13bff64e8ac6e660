"""Problems found in content, each pinned to a file, line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MAX_SHOWN = 200  # problems printed; a file with more is not worth reading line by line

# Characters a message must not print as they are: controls, lone surrogates, line and paragraph
# separators, and bidirectional controls (which could make a terminal line read other than it is).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` with characters that must not reach a terminal written as escapes (\\x01, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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
        path = self.path if len(self.path) <= 200 else self.path[:199] + "…"
        field = f" {path}:" if path else ""
        label = "warning: " if self.severity == "warning" else ""
        return printable(f"{where}:{field} {label}{self.message}")


class ContentError(Exception):
    """Content that cannot be built; carries every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (str(d.file), d.line, d.column, d.path, d.message))
        lines = [str(d) for d in self.diagnostics[:MAX_SHOWN]]
        if len(self.diagnostics) > MAX_SHOWN:
            rest = len(self.diagnostics) - MAX_SHOWN
            lines.append(printable(f"{self.diagnostics[0].file}: {rest:,} more problem{'s' * (rest != 1)} not shown"))
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]
