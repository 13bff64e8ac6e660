"""Inline text as WordprocessingML runs: emphasis, strong, live links, note callouts, Arabic marked.

`Runs.add(paragraph, inlines)` appends to a `w:p` element. Text is always a `w:t`'s text (never
markup); a link is a `w:hyperlink` to an external relationship, and only for http, https and
mailto; a note reference is handed to the notes (`notes.Notes.reference`); runs of Arabic script
carry `w:rtl` and `w:lang w:bidi`, so Word shapes and orders them and proofs them as Arabic.
"""

from __future__ import annotations

from docx.oxml import OxmlElement

from ... import scripts
from ...model import Emph, Inlines, Link, NoteRef, Strong, Text
from ...urls import link_allowed
from .opc import RT, w

__all__ = ["Runs", "run", "text_run"]


def run(*, style: str | None = None, italic: bool = False, bold: bool = False, rtl: bool = False,
        lang: str | None = None):
    """An empty `w:r` with its properties (in the schema's order)."""
    r = OxmlElement("w:r")
    props = []
    if style:
        props.append(("w:rStyle", {"w:val": style}))
    if bold:
        props += [("w:b", {}), ("w:bCs", {})]
    if italic:
        props += [("w:i", {}), ("w:iCs", {})]
    if rtl:
        props.append(("w:rtl", {}))
    if lang:
        props.append(("w:lang", {"w:bidi": lang}))
    if props:
        rpr = OxmlElement("w:rPr")
        for tag, attrs in props:
            el = OxmlElement(tag)
            for k, v in attrs.items():
                el.set(w(k), v)
            rpr.append(el)
        r.append(rpr)
    return r


def text_run(text: str, **props):
    r = run(**props)
    t = OxmlElement("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def script_runs(text: str, **props) -> list:
    """`text` as runs, each run of Arabic script marked right-to-left in Arabic."""
    return [text_run(piece, rtl=True, lang=scripts.LANG, **props) if arabic else text_run(piece, **props)
            for piece, arabic in scripts.runs(text)]


class Runs:
    """Appends inline text to paragraphs of one part (the document, or a notes part: each has its
    own hyperlink relationships)."""

    def __init__(self, part, notes=None, warnings: list[str] | None = None):
        self.part = part
        self.notes = notes
        self.warnings = warnings if warnings is not None else []

    def add(self, p, inlines: Inlines, *, italic: bool = False, bold: bool = False, where: str = "") -> None:
        prev_ref = False
        for node in inlines:
            if isinstance(node, NoteRef):
                if self.notes is not None:
                    self.notes.reference(p, node.number, after_another=prev_ref)
                prev_ref = True
                continue
            prev_ref = False
            if isinstance(node, Text):
                for r in script_runs(node.text, italic=italic, bold=bold):
                    p.append(r)
            elif isinstance(node, Emph):
                self.add(p, node.children, italic=not italic, bold=bold, where=where)
            elif isinstance(node, Strong):
                self.add(p, node.children, italic=italic, bold=True, where=where)
            elif isinstance(node, Link):
                self._link(p, node, italic, bold, where)

    def _link(self, p, node: Link, italic: bool, bold: bool, where: str) -> None:
        inner = tuple(n for n in node.children if not isinstance(n, NoteRef))
        if link_allowed(node.href):
            link = OxmlElement("w:hyperlink")
            link.set(w("r:id"), self.part.relate_to(node.href, RT.HYPERLINK, is_external=True))
            sink = _Collect()
            Runs(self.part, None, self.warnings).add(sink, inner, italic=italic, bold=bold, where=where)
            for r in sink.items:
                rpr = r.find(w("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    r.insert(0, rpr)
                style = OxmlElement("w:rStyle")
                style.set(w("w:val"), "Hyperlink")
                rpr.insert(0, style)
                link.append(r)
            p.append(link)
        else:
            self.warnings.append(f"{where}: link {node.href!r} is not http, https or mailto; shown as text")
            self.add(p, inner, italic=italic, bold=bold, where=where)
        refs = [n for n in node.children if isinstance(n, NoteRef)]
        for k, ref in enumerate(refs):
            if self.notes is not None:
                self.notes.reference(p, ref.number, after_another=k > 0)


class _Collect:
    """Stands in for a paragraph to gather runs (a link's)."""

    def __init__(self):
        self.items: list = []

    def append(self, el) -> None:
        self.items.append(el)
