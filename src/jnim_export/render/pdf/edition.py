"""The PDF's own numbering of the notes: 1..N in the order its pages set them.

The model numbers notes in the reading order of the content. The pages may set a figure (and
the note its caption cites) after text that follows it in the content, when that text fills the
page the figure did not fit on; the PDF then numbers its notes as a reader of its pages meets
them, and words each for its place (full form at its first mention, short form later, "Ibid."
after a note citing the same sources). Only the PDF's copy of the document changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ...model import Document, Emph, FigureBlock, Inline, Inlines, Link, NoteRef, Paragraph, PullQuote, Strong


def in_order(doc: Document, order: Sequence[int]) -> bool:
    """Whether `order` (the notes in the order set) is the document's numbering."""
    return list(order) == [n.number for n in doc.text_notes][: len(order)]


def renumbered(doc: Document, order: Sequence[int]) -> Document:
    """`doc` with its text's notes numbered in `order` (their numbers, in the order the pages set
    them; any not set keep their turn after those), each worded for its new place."""
    text_notes = [n.number for n in doc.text_notes]
    sequence = list(dict.fromkeys([n for n in order if n in text_notes] + text_notes))
    new = {old: k + 1 for k, old in enumerate(sequence)}
    seen: set[str] = set()
    previous: tuple[str, ...] | None = None
    notes = []
    for old in sequence:
        note = doc.note(old)
        notes.append(note.worded(new[old], seen, previous))
        previous = note.sources
    notes += [n for n in doc.notes if not n.in_text]  # the slides' own, after the text's: unchanged
    figures = {f.id: replace(f, caption=_mapped(f.caption, new), credit=_mapped(f.credit, new)) for f in doc.figures}
    sections = tuple(replace(s, blocks=tuple(_block(b, new, figures) for b in s.blocks)) for s in doc.sections)
    meta = replace(doc.meta, credit=_mapped(doc.meta.credit, new))
    return replace(doc, notes=tuple(notes), figures=tuple(figures.values()), sections=sections, meta=meta)


def _block(block, new: dict[int, int], figures: dict):
    if isinstance(block, FigureBlock):
        return FigureBlock(figures[block.figure.id])
    if isinstance(block, (Paragraph, PullQuote)):
        return type(block)(_mapped(block.text, new))
    raise TypeError(f"unknown block {block!r}")


def _mapped(nodes: Inlines, new: dict[int, int]) -> Inlines:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, NoteRef):
            out.append(NoteRef(new.get(node.number, node.number)))
        elif isinstance(node, (Emph, Strong)):
            out.append(type(node)(_mapped(node.children, new)))
        elif isinstance(node, Link):
            out.append(Link(node.href, _mapped(node.children, new)))
        else:
            out.append(node)
    return tuple(out)
