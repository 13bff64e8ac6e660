"""The writers' sections of a content file (`pdf:`, `slides:` …): taken out as written, with where they stand.

The content reader knows no writer: the caller names the writers there are, each with the check
of its section (the build checks them against the writers' options). A top-level key that is
neither a content field nor a writer is an unknown field (`validate`), its message naming the writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .diagnostics import Diagnostic
from .spec import ContentSpec
from .yamlsource import Positions


@dataclass(frozen=True)
class WriterSection:
    """A writer's section of the content file as written: its values unchecked (a mapping, if
    well-formed) and `problem` to pin a message about it, or one of its keys, to FILE:LINE:COLUMN."""

    file: Path
    name: str
    values: Any
    positions: Positions = field(repr=False, compare=False)

    @property
    def root(self) -> Path:
        """The content file's folder: paths in the section are relative to it."""
        return self.file.resolve().parent

    def problem(self, key: str | None, message: str, *, on_key: bool = False) -> Diagnostic:
        path = (self.name,) if key is None else (self.name, key)
        mark = self.positions.key_of(path) if on_key else self.positions.of(path)
        return Diagnostic(self.file, mark.line, mark.column, ".".join(map(str, path)), message)


#: the check of one writer's section: every problem in it
SectionCheck = Callable[[WriterSection], Iterable[Diagnostic]]


def take_sections(file: Path, positions: Positions, data: dict,
                  writers: Mapping[str, SectionCheck] | None) -> tuple[dict[str, WriterSection], list[Diagnostic]]:
    """Take the writers' sections out of `data`, checked, with every problem in them.

    `writers` None: every top-level key the schema does not know is taken as a writer's section,
    unchecked (reading a document alone, as the tests and benchmarks do).
    """
    fields = ContentSpec.FIELDS
    names = [k for k in data if k not in fields and (writers is None or k in writers)]
    sections = {str(k): WriterSection(file, str(k), data.pop(k), positions) for k in names}
    problems: list[Diagnostic] = []
    if writers is not None:
        for name, section in sections.items():
            problems += writers[name](section)
    return sections, problems
