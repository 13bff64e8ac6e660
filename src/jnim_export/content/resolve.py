"""Validate content and resolve it into a `Document`: the reader's entry points and the resolver core.

The resolver's parts: `validate` (schema, fonts), then functions over one `state.State` (what
resolving accumulates, and how a problem is reported): `notes` (inline text, notes, citations),
`figures` (placing, kinds, map frames), `assets` (files, images, events data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from .. import colours
from .. import model as m
from . import assets, figures, notes
from .checks import shown
from .diagnostics import ContentError, Diagnostic
from .inline import link_is_allowed
from .spec import AttackSpec, FigureRef, LeaderSpec, ParagraphBlock, Quote, SectionSpec
from .sections import SectionCheck, WriterSection, take_sections
from .state import State
from .validate import undrawable, validate
from .writerlimits import writer_limits
from .yamlsource import read_yaml


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
    state = State(file, positions, spec, problems, broken_ids, kept)
    try:
        document = _document(state)
    except ContentError as exc:
        raise ContentError(exc.diagnostics + section_problems) from None
    if section_problems:
        raise ContentError(state.problems + section_problems)
    return Content(document, sections)


def load(file: str | Path) -> m.Document:
    """The document of a content file (see `read`)."""
    return read(file).document


# ------------------------------------------------------------------ the whole document


def _document(st: State) -> m.Document:
    spec = st.spec
    _check_ids(st)
    if spec.bibliography is not None:
        from . import bibliography  # about 20 ms of imports that content without one never pays

        bibliography.attach(st)
    notes.check_sources(st)
    notes.check_notes(st)
    # The text first (sections, then the closing credit), so that its notes are 1..N in
    # reading order; then what only the slides show, whose citations continue after them.
    texts = [_section(st, i, s) for i, s in enumerate(spec.sections)]
    meta = _meta(st) if "meta" in spec.model_fields_set else None
    st.in_text = False
    facts = tuple(
        m.Fact(f.label, notes.parse_text(st, f.text, ("facts", i, "text"))) for i, f in enumerate(spec.facts)
    )
    leaders = tuple(_leader(st, i, x) for i, x in enumerate(spec.leaders))
    origins = _origins(st)
    sections = tuple(replace(section, bullets=_bullets(st, i, spec.sections[i]))
                     for i, section in enumerate(texts))
    attacks = tuple(_attack(st, i, a) for i, a in enumerate(spec.attacks))
    placed_all = not any(d.severity == "error" for d in st.problems)  # else a broken block may place it
    for i, f in enumerate(spec.figures):
        if f.id not in st.figures:
            if placed_all:
                st.warn(("figures", i, "id"), f"figure {f.id!r} is not placed in any section")
            figures.resolve_figure(st, f, ("figures", i))
    figures.check_maps(st, attacks)
    notes.report_unused(st)
    style = _style(st)
    if meta is None or any(d.severity == "error" for d in st.problems):
        raise ContentError(st.problems)
    return m.Document(
        source=st.file,
        root=st.root,
        meta=meta,
        style=style,
        sections=sections,
        figures=tuple(sorted(st.figures.values(), key=lambda f: f.number)),
        notes=tuple(st.notes),
        sources=tuple(notes.model_source(s) for s in [*spec.sources, *st.bibliography]),
        leaders=leaders,
        facts=facts,
        origins=origins,
        allegiance=tuple(m.Allegiance(a.group, a.leader, a.title, a.kind, a.date, a.label)
                         for a in spec.allegiance),
        attacks=attacks,
        places=tuple(m.Place(p.name, p.latitude, p.longitude, p.capital) for p in spec.places),
        warnings=tuple(str(d) for d in sorted(st.problems)),
        inputs=tuple(sorted(st.inputs)),
    )


def _check_ids(st: State) -> None:
    spec = st.spec
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
                line = st.pos.of(st.source_path(first[ident])).line
                st.error((key, i, "id"), f"duplicate {what} id {ident!r} (first defined on line {line})")
            else:
                first[ident] = (key, i, "id")


# ------------------------------------------------------------------ sections


def _section(st: State, i: int, s: SectionSpec) -> m.Section:
    blocks: list[m.Block] = []
    for j, block in enumerate(s.blocks):
        path = ("sections", i, "blocks", j)
        if isinstance(block, str):
            blocks.append(m.Paragraph(notes.parse_text(st, block, path, body=True)))
        elif isinstance(block, ParagraphBlock):
            blocks.append(m.Paragraph(notes.parse_text(st, block.paragraph, path + ("paragraph",), body=True)))
        elif isinstance(block, Quote):
            blocks.append(m.PullQuote(notes.parse_text(st, block.quote, path + ("quote",), body=True)))
        elif isinstance(block, FigureRef):
            figure = figures.place_figure(st, block.figure, path + ("figure",))
            if figure:
                blocks.append(m.FigureBlock(figure))
    return m.Section(s.id, s.title, tuple(blocks), ())


def _bullets(st: State, i: int, s: SectionSpec) -> tuple[m.Inlines, ...]:
    return tuple(notes.parse_text(st, b, ("sections", i, "bullets", k)) for k, b in enumerate(s.bullets))


# ------------------------------------------------------------------ meta, style, origins, leaders, attacks


def _meta(st: State) -> m.Meta:
    x = st.spec.meta
    if x.url is not None and not link_is_allowed(x.url):
        st.error(("meta", "url"), f"link {shown(x.url)!r} is not allowed: use http, https or mailto")
    return m.Meta(
        x.title, x.short_title, x.slug, x.series, x.publisher, x.publisher_short, tuple(x.authors),
        tuple(x.contributors), x.date, notes.parse_text(st, x.credit, ("meta", "credit"), body=True), x.copyright,
        x.language, x.subject, tuple(x.keywords), x.native_title, x.native_title_lang, x.url,
    )


def _style(st: State) -> m.Style:
    s = st.spec.style
    logo = assets.image(st, s.logo, ("style", "logo")) if s.logo else None
    palette = tuple(s.palette) if s.palette else colours.palette_from_accent(s.accent)
    style = m.Style(s.serif, s.sans, s.body_size, s.accent, s.ink, s.muted, s.tint, palette, logo,
                    tuple(sorted(s.model_fields_set)))
    for key, message in colours.style_warnings(style, s.model_fields_set):  # text hard to read
        st.warn(("style", key) if key else ("style",), message)
    return style


def _origins(st: State) -> m.Origins | None:
    """`origins`, or the older `merger` (a merger's); both at once is an error."""
    spec = st.spec
    groups = lambda items: tuple(m.Group(g.name, g.note) for g in items)  # noqa: E731
    if spec.merger and spec.origins:
        st.error(("merger",), "'merger' is the older form of 'origins' (kind: merger): give one of them")
    if spec.merger and not spec.origins:
        mg = spec.merger
        return m.Origins("merger", mg.date, groups(mg.members), groups(mg.absorbed), None,
                         notes.cites(st, mg.cite, ("merger", "cite")))
    o = spec.origins
    if o is None:
        return None
    if o.absorbed and o.kind in ("rebranding", "absorption"):
        what = ("a rebranding renames one group; it absorbs none" if o.kind == "rebranding" else
                "an absorption lists the groups it took in under 'groups'")
        st.error(("origins", "absorbed"), what)
    if o.kind == "rebranding" and len(o.groups) > 1:
        st.error(("origins", "groups", 1), "a rebranding has one former name: the group it was before")
    return m.Origins(o.kind, o.date, groups(o.groups), groups(o.absorbed), o.label,
                     notes.cites(st, o.cite, ("origins", "cite")))


def _leader(st: State, i: int, x: LeaderSpec) -> m.Leader:
    photo = assets.image(st, x.photo, ("leaders", i, "photo"), optional=True) if x.photo else None
    cites = notes.cites(st, x.cite, ("leaders", i, "cite"))
    return m.Leader(x.id, x.name, tuple(x.aliases), x.role, tuple(x.former), photo, x.photo_credit, cites)


def _attack(st: State, i: int, a: AttackSpec) -> m.Attack:
    path = ("attacks", i)
    summary = notes.parse_text(st, a.summary, path + ("summary",))
    cites = notes.cites(st, a.cite, path + ("cite",))
    return m.Attack(a.id, a.date, a.place, a.country, a.latitude, a.longitude, summary, cites)

