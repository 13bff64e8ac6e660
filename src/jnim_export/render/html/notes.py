"""Inline text and notes as readers expect them on the web.

A note reference becomes a superscript callout ``<a href="#note-N" id="ref-N-k">`` (k counts
the citations of note N in reading order) described by the note's text in the list
(``aria-describedby``), with a preview of that text shown on hover and keyboard focus by
CSS alone.  The notes list holds exactly the notes the page cites, numbered as in the model,
each with a back-link to every one of its callouts.
"""

from __future__ import annotations

from string import ascii_lowercase

from ... import scripts
from ...urls import link_allowed
from ...model import Document, Emph, Inlines, Link, NoteRef, Strong, Text
from .dom import El, Node

__all__ = ["Citations"]

# A return arrow (U+21A9 is in neither Noto face): drawn, so it looks the same everywhere.
_BACK_ICON = "M3.5 10.5h7a3 3 0 0 0 0-6H8.5M6.5 7.5l-3 3 3 3"


def _refs_in(nodes: Inlines) -> list[int]:
    out: list[int] = []
    for node in nodes:
        if isinstance(node, NoteRef):
            out.append(node.number)
        elif not isinstance(node, Text):
            out.extend(_refs_in(node.children))
    return out


def back_icon() -> El:
    return El("svg", {"class": "ico", "viewBox": "0 0 16 16", "aria-hidden": "true", "focusable": "false"},
              El("path", {"d": _BACK_ICON}))


def text_nodes(text: str) -> list[Node]:
    """Plain text as nodes: runs of Arabic script marked with their language and direction."""
    return [El("span", {"lang": scripts.LANG, "dir": "rtl"}, piece) if arabic else piece
            for piece, arabic in scripts.runs(text)]


class Citations:
    """Renders inline text for one page, recording every callout for the notes list."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.calls: dict[int, list[str]] = {}  # note number -> callout ids, in reading order
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ inline text

    def inline(self, nodes: Inlines, where: str) -> list[Node]:
        """`nodes` as HTML: text escaped, em/strong/a, note callouts (separated by commas)."""
        out: list[Node] = []
        prev_ref = False
        for node in nodes:
            if isinstance(node, Text):
                out.extend(text_nodes(node.text))
            elif isinstance(node, Emph):
                out.append(El("em", None, self.inline(node.children, where)))
            elif isinstance(node, Strong):
                out.append(El("strong", None, self.inline(node.children, where)))
            elif isinstance(node, Link):
                out.extend(self._link(node, where))
            elif isinstance(node, NoteRef):
                if prev_ref:
                    out.append(El("sup", {"class": "fn-sep"}, ","))
                out.append(self.callout(node.number))
            prev_ref = isinstance(node, NoteRef)
        return out

    def _link(self, node: Link, where: str) -> list[Node]:
        # A callout inside link text would nest links: callouts follow the link instead.
        inner = _strip_refs(node.children)
        if link_allowed(node.href):
            out: list[Node] = [El("a", {"href": node.href}, self.inline(inner, where))]
        else:
            self.warnings.append(f"{where}: link {node.href!r} is not http, https or mailto; shown as text")
            out = list(self.inline(inner, where))
        for n in _refs_in(node.children):
            out.append(self.callout(n))
        return out

    def callout(self, number: int) -> El:
        ids = self.calls.setdefault(number, [])
        ref_id = f"ref-{number}-{len(ids) + 1}"
        ids.append(ref_id)
        note = self.doc.note(number)
        link = El("a", {"class": "fn-ref", "href": f"#note-{number}", "id": ref_id,
                        "aria-describedby": f"note-{number}-text", "aria-label": f"Note {number}"}, str(number))
        preview = El("span", {"class": "fn-pop", "aria-hidden": "true"},
                     El("span", {"class": "fn-pop-n"}, f"{number}."), " ", self._preview(note.text))
        return El("span", {"class": "fn"}, El("sup", None, link), preview)

    def _preview(self, nodes: Inlines) -> list[Node]:
        """A note's text for the hover preview: no links in it (the list has them)."""
        out: list[Node] = []
        for node in nodes:
            if isinstance(node, Text):
                out.extend(text_nodes(node.text))
            elif isinstance(node, Emph):
                out.append(El("em", None, self._preview(node.children)))
            elif isinstance(node, Strong):
                out.append(El("strong", None, self._preview(node.children)))
            elif isinstance(node, Link):
                out.append(El("span", {"class": "fn-url"}, self._preview(node.children)))
        return out

    # ------------------------------------------------------------------ the notes list

    def notes_section(self) -> El | None:
        """The "Notes" section: the cited notes, in number order, each with its back-links."""
        numbers = sorted(self.calls)
        if not numbers:
            return None
        items = []
        for position, n in enumerate(numbers, 1):
            note = self.doc.note(n)
            refs = self.calls[n]
            text = El("span", {"class": "note-text", "id": f"note-{n}-text"}, self._note_text(note.text, n))
            backs: list[Node] = []
            for k, ref_id in enumerate(refs):
                letter = ascii_lowercase[k] if k < 26 else str(k + 1)
                label = f"Back to reference {n}" + (f" ({letter})" if len(refs) > 1 else "")
                mark = [back_icon()] + ([El("sup", None, letter)] if len(refs) > 1 else [])
                backs += [" ", El("a", {"class": "back", "href": f"#{ref_id}", "aria-label": label}, mark)]
            attrs = {"id": f"note-{n}", "value": n if n != position else None}
            items.append(El("li", attrs, text, El("span", {"class": "backs"}, backs)))
        return El("section", {"class": "bg-notes", "aria-labelledby": "notes"},
                  El("h2", {"id": "notes"}, "Notes"), El("ol", {"class": "notes"}, items))

    def _note_text(self, nodes: Inlines, number: int) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            if isinstance(node, Text):
                out.extend(text_nodes(node.text))
            elif isinstance(node, Emph):
                out.append(El("em", None, self._note_text(node.children, number)))
            elif isinstance(node, Strong):
                out.append(El("strong", None, self._note_text(node.children, number)))
            elif isinstance(node, Link):
                inner = self._note_text(_strip_refs(node.children), number)
                if link_allowed(node.href):
                    out.append(El("a", {"href": node.href}, inner))
                else:
                    self.warnings.append(f"note {number}: link {node.href!r} is not http, https or mailto; shown as text")
                    out.extend(inner)
        return out


def _strip_refs(nodes: Inlines) -> Inlines:
    """`nodes` without note references, and without links (their text stays): link text."""
    out: list = []
    for node in nodes:
        if isinstance(node, NoteRef):
            continue
        if isinstance(node, (Emph, Strong)):
            out.append(type(node)(_strip_refs(node.children)))
        elif isinstance(node, Link):
            out.extend(_strip_refs(node.children))
        else:
            out.append(node)
    return tuple(out)
