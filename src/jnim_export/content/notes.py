"""Inline text and notes: the markup budget, note references, numbering and citations."""

from __future__ import annotations

import re

from .. import dates, limits
from .. import model as m
from ..quotes import spaced_inlines
from . import assets
from .checks import shown
from .citations import OPTIONAL_PARTS, PRINTED_PARTS, citation_forms
from .inline import RefMarker, link_is_allowed, parse_inline
from .spec import SourceSpec
from .state import State
from .yamlsource import Path_

MAX_NOTES = limits.NOTES  # numbered notes; the default content has 16
# What inline text may hold in a whole document (the default content: 38 text fields,
# one web address and 41 marks), so that parsing it stays well within a second.
_MARKUP_LIMITS = (  # a 200-page report of 1,300 paragraphs and 1,000 sources needs about a third of each
    (10_000, "paragraphs, bullets, captions and other text fields"),
    (500, "web addresses ('://') in text (a source's address belongs in its url)"),
    (15_000, "markup marks in text (brackets, *, _, <, `, @ and domain names)"),
)
_MARKUP_CHARS = "[*_<`@"
_LINK_LIKE = re.compile(r"www\.|[\w-]\.[a-z]{2,}\b")  # what linkify may take for a web address


def check_sources(st: State) -> None:
    for i, s in enumerate(st.spec.sources):
        if s.url is not None and not link_is_allowed(s.url):
            st.error(("sources", i, "url"), f"link {shown(s.url)!r} is not allowed: use http, https or mailto")
        if not (s.author or s.authors or s.title):
            st.error(("sources", i), f"source {s.id!r} needs an author or a title")
        if s.author is not None and s.authors is not None:
            st.error(("sources", i, "authors"), f"source {s.id!r} has both 'author' and 'authors': keep one "
                     "('author' for one name as written, 'authors' for a list)")
        if s.organisation and s.author is None:
            st.error(("sources", i, "organisation"), "'organisation: true' says that 'author' is an organisation, "
                     "but there is no 'author'" + (" (in 'authors', write it as {literal: …})" if s.authors else ""))
        _check_form(st, i, s)
        for j, a in enumerate(s.authors or ()):
            if a.literal is not None and (a.family is not None or a.given is not None):
                st.error(("sources", i, "authors", j), "an author is a person (family, given) or an organisation "
                         "(literal), not both")
            elif a.literal is None and a.family is None:
                st.error(("sources", i, "authors", j), "a person needs 'family' (an organisation: 'literal')")


def _check_form(st: State, i: int, s: SourceSpec) -> None:
    """Warn of parts the source's form would leave out, and of what a web page or article lacks."""
    printed = PRINTED_PARTS[s.type]
    kind = f"{'an' if (s.type or ' ')[0] in 'aeiou' else 'a'} {s.type}"
    for part in OPTIONAL_PARTS:
        if getattr(s, part) and part not in printed:
            form = f"{kind}'s note" if s.type else "a note without a 'type'"
            st.warn(("sources", i, part), f"{form} does not print '{part}'; give the source a type that does "
                    "(article, report, webpage, book or chapter) or leave it out")
    if s.type in ("article", "chapter") and not s.container:
        st.warn(("sources", i, "type"), f"{kind}'s note names the {'journal' if s.type == 'article' else 'book'}"
                " it appeared in: add 'container'")
    if s.type == "webpage" and not (s.date or s.accessed):
        st.warn(("sources", i, "type"), "a web page with no date needs the date it was read: add 'accessed' "
                "(Chicago Manual 14.12)")


def check_notes(st: State) -> None:
    for i, n in enumerate(st.spec.notes):
        if [n.text is not None, bool(n.cite), n.data is not None].count(True) != 1:
            st.error(("notes", i), f"note {n.id!r} needs one of 'cite' (source ids), 'text' or 'data' "
                                   "(an events aggregate)")
        if n.prefix and n.text:
            st.error(("notes", i, "prefix"), "a free-text note has no prefix; write it into 'text'")
        for j, sid in enumerate(n.cite):
            if sid not in st.sources and sid not in st.broken_ids:
                st.error(("notes", i, "cite", j), f"undefined source {sid!r}" + st.hint(sid, st.sources))


def parse_text(st: State, source: str, path: Path_, *, body: bool = False) -> m.Inlines:
    """Parse an inline text field, resolving note references (numbering them if `body`)."""
    if not _within_markup_budget(st, source, path):
        return ()
    parsed = parse_inline(source)
    if parsed.depth > limits.MARKUP_DEPTH:
        st.error(path, f"emphasis and links nested {parsed.depth} deep; text is limited to {limits.MARKUP_DEPTH}")
        return ()
    for href in parsed.links:
        if not link_is_allowed(href):
            st.error(path, f"link {shown(href)!r} is not allowed: use http, https or mailto", needle=href)
    return _resolve(st, parsed.inlines, path, body)


def _within_markup_budget(st: State, source: str, path: Path_) -> bool:
    """Count what makes inline parsing slow; past a limit, report once and parse no more text.

    The Markdown parser's cost grows with links, brackets and emphasis marks (and, for
    web addresses, with the length of the text around them), not just with length.
    """
    if st.markup_exhausted:
        return False
    used = st.markup_used
    used[0] += 1
    used[1] += source.count("://")
    used[2] += sum(source.count(c) for c in _MARKUP_CHARS) + len(_LINK_LIKE.findall(source))
    over = [
        f"over {limit:,} {what}; a document is limited to {limit:,}"
        for n, (limit, what) in zip(used, _MARKUP_LIMITS)
        if n > limit
    ]
    if over:
        st.markup_exhausted = True
        st.error(path, over[0] + " (text from here on is not checked)")
        return False
    return True


def _resolve(st: State, inlines: tuple, path: Path_, body: bool) -> m.Inlines:
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, RefMarker):
            number = _ref(st, node.id, path, body, needle=f"[^{node.id}]")
            if number:
                out.append(m.NoteRef(number))
        elif isinstance(node, (m.Emph, m.Strong)):
            out.append(type(node)(_resolve(st, node.children, path, body)))
        elif isinstance(node, m.Link):
            out.append(m.Link(node.href, _resolve(st, node.children, path, body)))
        else:
            out.append(node)
    return tuple(out)


def _ref(st: State, ident: str, path: Path_, body: bool, needle: str | None = None) -> int | None:
    """The note number a reference to `ident` (a note or a source id) stands for.

    In the text (`body`) every citation of a source is a note of its own (a short form or
    "Ibid." when repeated); elsewhere a source the notes already cite takes that note's number.
    """
    if ident in st.note_specs:
        return st.note_number.get(ident) or _new_note(st, ident, st.note_specs[ident].cite, path)
    if ident in st.sources:
        if not body and ident in st.first_note_of:
            return st.first_note_of[ident]
        return _new_note(st, ident, [ident], path, implicit=True)
    if ident in st.broken_ids:
        return None  # its own definition is already reported
    choices = list(st.note_specs) + list(st.sources)
    st.error(path, f"undefined note or source {shown(ident)!r}" + st.hint(ident, choices), needle=needle)
    return None


def _new_note(st: State, ident: str, source_ids: list[str], path: Path_, implicit: bool = False) -> int | None:
    number = len(st.notes) + 1
    if number > MAX_NOTES:
        if not st.too_many_notes:
            st.too_many_notes = True
            st.error(path, f"over {MAX_NOTES:,} notes; a document is limited to {MAX_NOTES:,}")
        return None
    spec = None if implicit else st.note_specs[ident]
    cited = [st.sources[s] for s in source_ids if s in st.sources]
    if st.in_text:
        previous, seen = (st.notes[-1].sources if st.notes else None), st.seen_sources
    else:  # a slide-only note stands alone: the full form, never "Ibid."
        previous, seen = None, set()
        _cited_on_slides_only(st, ident, path)
    prefix: str | None = None
    forms: tuple[m.Citation, ...] = ()
    if spec is not None and spec.data is not None:
        data = assets.data(st, spec.data, ("notes", st.note_index[ident], "data"))
        text = data_note(spec.prefix, data) if data else ()
        sources: tuple[str, ...] = ()
    elif spec is not None and spec.text is not None:
        i = st.note_index[ident]
        text = spaced_inlines(parse_text(st, spec.text, ("notes", i, "text")))  # as a citation's marks
        if any(isinstance(x, m.NoteRef) for x in text):
            st.error(("notes", i, "text"), "a note cannot cite another note")
        sources = ()
    else:
        prefix = spec.prefix if spec else None
        sources = tuple(s.id for s in cited)
        forms = tuple(_citation(st, s) for s in cited)  # each source's, made once
        text = m.Note(number, ident, (), sources, prefix=prefix, citations=forms).worded(number, seen, previous).text
    st.cited_sources.update(sources)
    for s in sources:
        st.first_note_of.setdefault(s, number)
    st.notes.append(m.Note(number, ident, text, sources, st.in_text, prefix, forms))
    if not implicit:
        st.note_number[ident] = number
    return number


def _citation(st: State, source: SourceSpec) -> m.Citation:
    """`source`'s full and short forms (made once per source): what its notes are worded from, in
    the content's order of notes or an edition's."""
    made = st.citation_forms.get(source.id)
    if made is None:
        made = st.citation_forms[source.id] = citation_forms(model_source(source), (source.after_author,
                                                                                    source.after_title))
    return made


def data_note(prefix: str | None, data: m.EventData) -> m.Inlines:
    """A note crediting an aggregate's dataset from its provenance: who publishes it, its name, the
    export and its hash, the query, the access date and the address."""
    ds, provenance = data.dataset, dict(data.provenance)
    export, sha = provenance.get("source_file", ""), provenance.get("sha256", "")
    parts = [x for x in (ds.publisher, ds.name if ds.name not in ds.publisher else "") if x]
    words = ", ".join(parts)
    if export:
        words += f", export \u201c{export}\u201d" + (f" (SHA-256 {sha[:12]}\u2026)" if len(sha) == 64 else "")
    if ds.query:
        words += f", {ds.query}"
    if ds.accessed:
        words += f", accessed {dates.long_date(ds.accessed)}"
    head = f"{prefix.strip()} " if prefix and prefix.strip() else ""
    if not ds.url or not link_is_allowed(ds.url):
        return (m.Text(f"{head}{words}."),)
    return (m.Text(f"{head}{words}, <"), m.Link(ds.url, (m.Text(ds.url),)), m.Text(">."))  # as the sources' URLs


def _cited_on_slides_only(st: State, ident: str, path: Path_) -> None:
    what = "note" if ident in st.note_specs else "source"
    st.warn(path, f"{what} {ident!r} is cited only on slides: the deck numbers it after the text's notes, "
                    "and the PDF and the web page have no note for it")


def cites(st: State, ids: list[str], path: Path_) -> tuple[int, ...]:
    numbers = [_ref(st, ident, path + (i,), body=False) for i, ident in enumerate(ids)]
    return tuple(dict.fromkeys(n for n in numbers if n))


def report_unused(st: State) -> None:
    if any(d.severity == "error" for d in st.problems):
        return  # a broken item may hold the citation: the warning would only add noise
    for i, n in enumerate(st.spec.notes):
        if n.id not in st.note_number:
            st.warn(("notes", i, "id"), f"note {n.id!r} is never cited")
    for i, s in enumerate(st.spec.sources):
        if s.id not in st.cited_sources:
            st.warn(("sources", i, "id"), f"source {s.id!r} is never cited")


def model_source(s: SourceSpec) -> m.Source:
    """The model's form of a source."""
    return m.Source(
        s.id, s.author, s.title, s.container, s.date, s.url, s.short_title, s.short_author,
        type=s.type, organisation=s.organisation,
        authors=tuple(m.Name(a.family, a.given, a.literal) for a in s.authors or ()),
        volume=s.volume, issue=s.issue, pages=s.pages, number=s.number, publisher=s.publisher,
        place=s.place, accessed=s.accessed,
    )
