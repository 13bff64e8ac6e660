"""Inline text and notes: the markup budget, note references, numbering and citations."""

from __future__ import annotations

import re

from .. import limits
from .. import model as m
from .citations import cite
from .inline import RefMarker, link_is_allowed, parse_inline
from .schema import shown
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


class NotesMixin:
    """The resolver's text and notes; mixed into it, it uses the resolver's state and `error`/`warn`/`_hint`."""

    def _check_sources(self) -> None:
        for i, s in enumerate(self.spec.sources):
            if s.url is not None and not link_is_allowed(s.url):
                self.error(("sources", i, "url"), f"link {shown(s.url)!r} is not allowed: use http, https or mailto")
            if not (s.author or s.title):
                self.error(("sources", i), f"source {s.id!r} needs an author or a title")

    def _check_notes(self) -> None:
        for i, n in enumerate(self.spec.notes):
            if (n.text is None) == (not n.cite):
                self.error(("notes", i), f"note {n.id!r} needs either 'cite' (source ids) or 'text', not both")
            if n.prefix and n.text:
                self.error(("notes", i, "prefix"), "a free-text note has no prefix; write it into 'text'")
            for j, sid in enumerate(n.cite):
                if sid not in self.sources and sid not in self.broken_ids:
                    self.error(("notes", i, "cite", j), f"undefined source {sid!r}" + self._hint(sid, self.sources))

    def _text(self, source: str, path: Path_, *, body: bool = False) -> m.Inlines:
        """Parse an inline text field, resolving note references (numbering them if `body`)."""
        if not self._within_markup_budget(source, path):
            return ()
        parsed = parse_inline(source)
        if parsed.depth > limits.MARKUP_DEPTH:
            self.error(path, f"emphasis and links nested {parsed.depth} deep; text is limited to {limits.MARKUP_DEPTH}")
            return ()
        for href in parsed.links:
            if not link_is_allowed(href):
                self.error(path, f"link {shown(href)!r} is not allowed: use http, https or mailto", needle=href)
        return self._resolve(parsed.inlines, path, body)

    def _within_markup_budget(self, source: str, path: Path_) -> bool:
        """Count what makes inline parsing slow; past a limit, report once and parse no more text.

        The Markdown parser's cost grows with links, brackets and emphasis marks (and, for
        web addresses, with the length of the text around them), not just with length.
        """
        if self.markup_exhausted:
            return False
        used = self.markup_used
        used[0] += 1
        used[1] += source.count("://")
        used[2] += sum(source.count(c) for c in _MARKUP_CHARS) + len(_LINK_LIKE.findall(source))
        over = [
            f"over {limit:,} {what}; a document is limited to {limit:,}"
            for n, (limit, what) in zip(used, _MARKUP_LIMITS)
            if n > limit
        ]
        if over:
            self.markup_exhausted = True
            self.error(path, over[0] + " (text from here on is not checked)")
            return False
        return True

    def _resolve(self, inlines: tuple, path: Path_, body: bool) -> m.Inlines:
        out: list[m.Inline] = []
        for node in inlines:
            if isinstance(node, RefMarker):
                number = self._ref(node.id, path, body, needle=f"[^{node.id}]")
                if number:
                    out.append(m.NoteRef(number))
            elif isinstance(node, (m.Emph, m.Strong)):
                out.append(type(node)(self._resolve(node.children, path, body)))
            elif isinstance(node, m.Link):
                out.append(m.Link(node.href, self._resolve(node.children, path, body)))
            else:
                out.append(node)
        return tuple(out)

    def _ref(self, ident: str, path: Path_, body: bool, needle: str | None = None) -> int | None:
        """The note number a reference to `ident` (a note or a source id) stands for.

        In the text (`body`) every citation of a source is a note of its own (a short form or
        "Ibid." when repeated); elsewhere a source the notes already cite takes that note's number.
        """
        if ident in self.note_specs:
            return self.note_number.get(ident) or self._new_note(ident, self.note_specs[ident].cite, path)
        if ident in self.sources:
            if not body and ident in self.first_note_of:
                return self.first_note_of[ident]
            return self._new_note(ident, [ident], path, implicit=True)
        if ident in self.broken_ids:
            return None  # its own definition is already reported
        choices = list(self.note_specs) + list(self.sources)
        self.error(path, f"undefined note or source {shown(ident)!r}" + self._hint(ident, choices), needle=needle)
        return None

    def _new_note(self, ident: str, source_ids: list[str], path: Path_, implicit: bool = False) -> int | None:
        number = len(self.notes) + 1
        if number > MAX_NOTES:
            if not self.too_many_notes:
                self.too_many_notes = True
                self.error(path, f"over {MAX_NOTES:,} notes; a document is limited to {MAX_NOTES:,}")
            return None
        spec = None if implicit else self.note_specs[ident]
        cited = [self.sources[s] for s in source_ids if s in self.sources]
        if self.in_text:
            previous, seen = (self.notes[-1].sources if self.notes else None), self.seen_sources
        else:  # a slide-only note stands alone: the full form, never "Ibid."
            previous, seen = None, set()
            self._cited_on_slides_only(ident, path)
        if spec is not None and spec.text is not None:
            i = self.note_index[ident]
            text = self._text(spec.text, ("notes", i, "text"))
            if any(isinstance(x, m.NoteRef) for x in text):
                self.error(("notes", i, "text"), "a note cannot cite another note")
            sources: tuple[str, ...] = ()
        else:
            punct = {s.id: (s.after_author, s.after_title) for s in cited}
            text = cite([self._source(s) for s in cited], spec.prefix if spec else None, seen, previous, punct)
            sources = tuple(s.id for s in cited)
        self.cited_sources.update(sources)
        for s in sources:
            self.first_note_of.setdefault(s, number)
        self.notes.append(m.Note(number, ident, text, sources, self.in_text))
        if not implicit:
            self.note_number[ident] = number
        return number

    def _cited_on_slides_only(self, ident: str, path: Path_) -> None:
        what = "note" if ident in self.note_specs else "source"
        self.warn(path, f"{what} {ident!r} is cited only on slides: the deck numbers it after the text's notes, "
                        "and the PDF and the web page have no note for it")

    def _cites(self, ids: list[str], path: Path_) -> tuple[int, ...]:
        numbers = [self._ref(ident, path + (i,), body=False) for i, ident in enumerate(ids)]
        return tuple(dict.fromkeys(n for n in numbers if n))

    def _report_unused(self) -> None:
        if any(d.severity == "error" for d in self.problems):
            return  # a broken item may hold the citation: the warning would only add noise
        for i, n in enumerate(self.spec.notes):
            if n.id not in self.note_number:
                self.warn(("notes", i, "id"), f"note {n.id!r} is never cited")
        for i, s in enumerate(self.spec.sources):
            if s.id not in self.cited_sources:
                self.warn(("sources", i, "id"), f"source {s.id!r} is never cited")

    @staticmethod
    def _source(s) -> m.Source:
        return m.Source(s.id, s.author, s.title, s.container, s.date, s.url, s.short_title, s.short_author)
