"""Validate content and resolve it into a `Document`: the reader's entry points and the resolver core.

The resolver's parts: `validate` (schema, fonts), `notes` (inline text, notes, citations),
`figures` (placing, kinds, map frames), `assets` (files, images, events data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

from .. import colours
from .. import model as m
from .assets import AssetsMixin
from .diagnostics import ContentError, Diagnostic
from .figures import FiguresMixin
from .inline import link_is_allowed
from .notes import NotesMixin
from .schema import ContentSpec, FigureRef, ParagraphBlock, Quote, shown
from .sections import SectionCheck, WriterSection, take_sections
from .validate import MAX_HINTS, did_you_mean, undrawable, validate
from .writerlimits import writer_limits
from .yamlsource import Path_, Positions, read_yaml


@dataclass(frozen=True)
class Content:
    """What a content file holds: the document, and each writer's section by the writer's name."""

    document: m.Document
    sections: Mapping[str, WriterSection]


def read(file: str | Path, writers: Mapping[str, SectionCheck] | None = None) -> Content:
    """Read, validate and resolve a content file. Raises ContentError listing every problem.

    `writers`: the writers' names, each with the check of its section (see `sections.py`).
    """
    file = Path(file)
    data, positions = read_yaml(file)
    if not isinstance(data, dict):
        raise ContentError([Diagnostic(file, 1, 1, "", "content must be a mapping with meta, sections, ...")])
    sections, section_problems = take_sections(file, positions, data, writers)
    spec, problems, broken_ids, kept = validate(file, positions, data, writers or ())
    problems += undrawable(file, positions, data) + writer_limits(file, positions, data)
    resolver = _Resolver(file, positions, spec, problems, broken_ids, kept)
    try:
        document = resolver.document()
    except ContentError as exc:
        raise ContentError(exc.diagnostics + section_problems) from None
    if section_problems:
        raise ContentError(resolver.problems + section_problems)
    return Content(document, sections)


def load(file: str | Path) -> m.Document:
    """The document of a content file (see `read`)."""
    return read(file).document


class _Resolver(NotesMixin, FiguresMixin, AssetsMixin):
    """Resolves a validated spec into a `Document`, collecting every problem on the way."""

    def __init__(
        self,
        file: Path,
        positions: Positions,
        spec: ContentSpec,
        problems: list[Diagnostic],
        broken_ids: set[str],
        kept: dict[str, list[int]] | None = None,
    ):
        self.file = file
        self.root = file.resolve().parent
        self.pos = positions
        self.spec = spec
        self.problems = problems
        self.broken_ids = broken_ids
        self.kept = kept or {}  # list name -> source index of each item of spec's list
        self.sources = {s.id: s for s in spec.sources}
        self.note_specs = {n.id: n for n in spec.notes}
        self.note_index = {n.id: i for i, n in enumerate(spec.notes)}  # as note_specs: the last of an id
        self.figure_specs = {f.id: f for f in spec.figures}
        self.figure_index = {f.id: i for i, f in enumerate(spec.figures)}
        self.first_note_of: dict[str, int] = {}  # source id -> number of the first note citing it
        self.notes: list[m.Note] = []  # numbered so far
        self.in_text = True  # numbering the text's notes; then those cited only on slides
        self.note_number: dict[str, int] = {}  # note id -> number
        self.cited_sources: set[str] = set()
        self.seen_sources: set[str] = set()  # for short forms
        self.figures: dict[str, m.Figure] = {}
        self.data_cache: dict[Path, m.EventData | None] = {}
        self.missing_optional: set[Path] = set()
        self.inputs: set[Path] = {file.resolve()}  # every file the document was read from
        self.image_problems: dict[Path, str | None] = {}
        self.too_many_notes = False
        self.markup_used = [0, 0, 0]  # text fields, web addresses, markup marks (see notes._MARKUP_LIMITS)
        self.markup_exhausted = False

    # ------------------------------------------------------------------ reporting

    def _source_path(self, path: Path_) -> Path_:
        """`path` as it stands in the file: ("leaders", 0) is ("leaders", 1) if leader 0 failed validation."""
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int) and path[1] < len(self.kept[path[0]]):
            return (path[0], self.kept[path[0]][path[1]]) + tuple(path[2:])
        return tuple(path)

    def error(self, path: Path_, message: str, *, needle: str | None = None, severity: str = "error") -> None:
        path = self._source_path(path)
        mark = self.pos.find_in_value(path, needle) if needle else self.pos.of(path)
        self.problems.append(
            Diagnostic(self.file, mark.line, mark.column, ".".join(map(str, path)), message, severity)  # type: ignore[arg-type]
        )

    def warn(self, path: Path_, message: str) -> None:
        self.error(path, message, severity="warning")

    def _hint(self, word: str, choices: Iterable[str]) -> str:
        return did_you_mean(word, choices) if len(self.problems) < MAX_HINTS else ""

    # ------------------------------------------------------------------ the whole document

    def document(self) -> m.Document:
        spec = self.spec
        self._check_ids()
        self._check_sources()
        self._check_notes()
        # The text first (sections, then the closing credit), so that its notes are 1..N in
        # reading order; then what only the slides show, whose citations continue after them.
        sections = [self._section(i, s) for i, s in enumerate(spec.sections)]
        meta = self._meta() if "meta" in spec.model_fields_set else None
        self.in_text = False
        facts = tuple(
            m.Fact(f.label, self._text(f.text, ("facts", i, "text"))) for i, f in enumerate(spec.facts)
        )
        leaders = tuple(self._leader(i, x) for i, x in enumerate(spec.leaders))
        origins = self._origins()
        sections = tuple(replace(section, bullets=self._bullets(i, spec.sections[i]))
                         for i, section in enumerate(sections))
        attacks = tuple(self._attack(i, a) for i, a in enumerate(spec.attacks))
        placed_all = not any(d.severity == "error" for d in self.problems)  # else a broken block may place it
        for i, f in enumerate(spec.figures):
            if f.id not in self.figures:
                if placed_all:
                    self.warn(("figures", i, "id"), f"figure {f.id!r} is not placed in any section")
                self._figure(f, ("figures", i))
        self._check_maps(attacks)
        self._report_unused()
        style = self._style()
        if meta is None or any(d.severity == "error" for d in self.problems):
            raise ContentError(self.problems)
        return m.Document(
            source=self.file,
            root=self.root,
            meta=meta,
            style=style,
            sections=sections,
            figures=tuple(sorted(self.figures.values(), key=lambda f: f.number)),
            notes=tuple(self.notes),
            sources=tuple(self._source(s) for s in spec.sources),
            leaders=leaders,
            facts=facts,
            origins=origins,
            allegiance=tuple(m.Allegiance(a.group, a.leader, a.title, a.kind, a.date, a.label)
                             for a in spec.allegiance),
            attacks=attacks,
            places=tuple(m.Place(p.name, p.latitude, p.longitude, p.capital) for p in spec.places),
            warnings=tuple(str(d) for d in sorted(self.problems)),
            inputs=tuple(sorted(self.inputs)),
        )

    def _check_ids(self) -> None:
        spec = self.spec
        groups = {
            "section": [("sections", i, s.id) for i, s in enumerate(spec.sections)],
            "figure": [("figures", i, f.id) for i, f in enumerate(spec.figures)],
            "note or source": [("sources", i, s.id) for i, s in enumerate(spec.sources)]
            + [("notes", i, n.id) for i, n in enumerate(spec.notes)],
            "leader": [("leaders", i, x.id) for i, x in enumerate(spec.leaders)],
            "attack": [("attacks", i, a.id) for i, a in enumerate(spec.attacks)],
        }
        for what, entries in groups.items():
            first: dict[str, tuple] = {}
            for key, i, ident in entries:
                if ident in first:
                    line = self.pos.of(self._source_path(first[ident])).line
                    self.error((key, i, "id"), f"duplicate {what} id {ident!r} (first defined on line {line})")
                else:
                    first[ident] = (key, i, "id")

    # ------------------------------------------------------------------ sections

    def _section(self, i: int, s) -> m.Section:
        blocks: list[m.Block] = []
        for j, block in enumerate(s.blocks):
            path = ("sections", i, "blocks", j)
            if isinstance(block, str):
                blocks.append(m.Paragraph(self._text(block, path, body=True)))
            elif isinstance(block, ParagraphBlock):
                blocks.append(m.Paragraph(self._text(block.paragraph, path + ("paragraph",), body=True)))
            elif isinstance(block, Quote):
                blocks.append(m.PullQuote(self._text(block.quote, path + ("quote",), body=True)))
            elif isinstance(block, FigureRef):
                figure = self._place_figure(block.figure, path + ("figure",))
                if figure:
                    blocks.append(m.FigureBlock(figure))
        return m.Section(s.id, s.title, tuple(blocks), ())

    def _bullets(self, i: int, s) -> tuple[m.Inlines, ...]:
        return tuple(self._text(b, ("sections", i, "bullets", k)) for k, b in enumerate(s.bullets))

    # ------------------------------------------------------------------ meta, style, origins, leaders, attacks

    def _meta(self) -> m.Meta:
        x = self.spec.meta
        if x.url is not None and not link_is_allowed(x.url):
            self.error(("meta", "url"), f"link {shown(x.url)!r} is not allowed: use http, https or mailto")
        return m.Meta(
            x.title, x.short_title, x.slug, x.series, x.publisher, x.publisher_short, tuple(x.authors),
            tuple(x.contributors), x.date, self._text(x.credit, ("meta", "credit"), body=True), x.copyright,
            x.language, x.subject, tuple(x.keywords), x.native_title, x.native_title_lang, x.url,
        )

    def _style(self) -> m.Style:
        s = self.spec.style
        logo = self._image(s.logo, ("style", "logo")) if s.logo else None
        palette = tuple(s.palette) if s.palette else colours.palette_from_accent(s.accent)
        style = m.Style(s.serif, s.sans, s.body_size, s.accent, s.ink, s.muted, s.tint, palette, logo,
                        frozenset(s.model_fields_set))
        for key, message in colours.style_warnings(style, s.model_fields_set):  # text hard to read
            self.warn(("style", key) if key else ("style",), message)
        return style

    def _origins(self) -> m.Origins | None:
        """`origins`, or the older `merger` (a merger's); both at once is an error."""
        spec = self.spec
        groups = lambda items: tuple(m.Group(g.name, g.note) for g in items)  # noqa: E731
        if spec.merger and spec.origins:
            self.error(("merger",), "'merger' is the older form of 'origins' (kind: merger): give one of them")
        if spec.merger and not spec.origins:
            mg = spec.merger
            return m.Origins("merger", mg.date, groups(mg.members), groups(mg.absorbed), None,
                             self._cites(mg.cite, ("merger", "cite")))
        o = spec.origins
        if o is None:
            return None
        if o.absorbed and o.kind in ("rebranding", "absorption"):
            what = ("a rebranding renames one group; it absorbs none" if o.kind == "rebranding" else
                    "an absorption lists the groups it took in under 'groups'")
            self.error(("origins", "absorbed"), what)
        if o.kind == "rebranding" and len(o.groups) > 1:
            self.error(("origins", "groups", 1), "a rebranding has one former name: the group it was before")
        return m.Origins(o.kind, o.date, groups(o.groups), groups(o.absorbed), o.label,
                         self._cites(o.cite, ("origins", "cite")))

    def _leader(self, i: int, x) -> m.Leader:
        photo = self._image(x.photo, ("leaders", i, "photo"), optional=True) if x.photo else None
        cites = self._cites(x.cite, ("leaders", i, "cite"))
        return m.Leader(x.id, x.name, tuple(x.aliases), x.role, tuple(x.former), photo, x.photo_credit, cites)

    def _attack(self, i: int, a) -> m.Attack:
        path = ("attacks", i)
        summary = self._text(a.summary, path + ("summary",))
        cites = self._cites(a.cite, path + ("cite",))
        return m.Attack(a.id, a.date, a.place, a.country, a.latitude, a.longitude, summary, cites)

