"""What resolving one content file accumulates, and how it reports a problem.

`resolve`, `notes`, `figures` and `assets` are plain functions over one `State`: every field
they share is declared here, so each part's use of it can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

from .. import model as m
from .diagnostics import Diagnostic
from .spec import ContentSpec, FigureSpec, NoteSpec, SourceSpec
from .validate import MAX_HINTS, did_you_mean
from .yamlsource import Path_, Positions


@dataclass(eq=False)
class State:
    """A validated spec being resolved into a `Document`, and every problem found on the way."""

    file: Path
    pos: Positions
    spec: ContentSpec
    problems: list[Diagnostic]
    broken_ids: set[str]
    kept: dict[str, list[int]] = field(default_factory=dict)  # list name -> source index of each item of spec's list

    root: Path = field(init=False)
    sources: dict[str, SourceSpec] = field(init=False)
    bibliography: list[SourceSpec] = field(init=False, default_factory=list)  # its entries, as sources
    note_specs: dict[str, NoteSpec] = field(init=False)
    note_index: dict[str, int] = field(init=False)  # as note_specs: the last of an id
    figure_specs: dict[str, FigureSpec] = field(init=False)
    figure_index: dict[str, int] = field(init=False)
    first_note_of: dict[str, int] = field(init=False, default_factory=dict)  # source id -> number of the first note citing it
    notes: list[m.Note] = field(init=False, default_factory=list)  # numbered so far
    in_text: bool = field(init=False, default=True)  # numbering the text's notes; then those cited only on slides
    note_number: dict[str, int] = field(init=False, default_factory=dict)  # note id -> number
    cited_sources: set[str] = field(init=False, default_factory=set)
    seen_sources: set[str] = field(init=False, default_factory=set)  # for short forms
    citation_forms: dict[str, m.Citation] = field(init=False, default_factory=dict)  # source id -> its forms
    figures: dict[str, m.Figure] = field(init=False, default_factory=dict)
    data_cache: dict[Path, m.EventData | None] = field(init=False, default_factory=dict)
    missing_optional: set[Path] = field(init=False, default_factory=set)
    inputs: set[Path] = field(init=False)  # every file the document was read from
    image_problems: dict[Path, str | None] = field(init=False, default_factory=dict)
    too_many_notes: bool = field(init=False, default=False)
    # text fields, web addresses, markup marks (see notes._MARKUP_LIMITS)
    markup_used: list[int] = field(init=False, default_factory=lambda: [0, 0, 0])
    markup_exhausted: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        spec = self.spec
        self.root = self.file.resolve().parent
        self.sources = {s.id: s for s in spec.sources}
        self.note_specs = {n.id: n for n in spec.notes}
        self.note_index = {n.id: i for i, n in enumerate(spec.notes)}
        self.figure_specs = {f.id: f for f in spec.figures}
        self.figure_index = {f.id: i for i, f in enumerate(spec.figures)}
        self.inputs = {self.file.resolve()}

    def source_path(self, path: Path_) -> Path_:
        """`path` as it stands in the file: ("leaders", 0) is ("leaders", 1) if leader 0 failed validation."""
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int) and path[1] < len(self.kept[path[0]]):
            return (path[0], self.kept[path[0]][path[1]]) + tuple(path[2:])
        return tuple(path)

    def error(self, path: Path_, message: str, *, needle: str | None = None,
              severity: Literal["error", "warning"] = "error") -> None:
        path = self.source_path(path)
        mark = self.pos.find_in_value(path, needle) if needle else self.pos.of(path)
        self.problems.append(Diagnostic(self.file, mark.line, mark.column, ".".join(map(str, path)), message, severity))

    def warn(self, path: Path_, message: str) -> None:
        self.error(path, message, severity="warning")

    def hint(self, word: str, choices: Iterable[str]) -> str:
        return did_you_mean(word, choices) if len(self.problems) < MAX_HINTS else ""
