"""The deck's citations: the note texts a slide cites, in its speaker notes or in a footer."""

from __future__ import annotations

from typing import Sequence

from ...model import Document, Inlines, plain_text
from . import xml
from .geometry import pt, to_pt
from .textfit import Para, Seg, inline_segs, paragraph
from .theme import FOOTNOTE_SIZES


def note_text(doc: Document, number: int) -> Inlines:
    """A note's text; "Ibid." alone on a slide means nothing, so it becomes the note it repeats."""
    n = number
    while n > 1 and plain_text(doc.note(n).text).strip().rstrip(".").lower() == "ibid":
        n -= 1
    return doc.note(n).text


def note_paras(doc: Document, cites: Sequence[int], size: float, *, spacing: float = 1.0,
               after: float = 0.0) -> list[Para]:
    """The cited notes, numbered, in order, each once."""
    hang = size * 2.0
    return [
        paragraph([Seg(f"{n}.\t")] + inline_segs(note_text(doc, n)), size, color="muted", hang=hang,
                  spacing=spacing, after=after)
        for n in sorted(set(cites))
    ]


def speaker_notes(deck, tf, cites: Sequence[int]) -> None:
    """A slide's speaker notes, written to its notes text frame `tf`: the full text of the notes
    it cites, in the runs the slide's own text has (italic titles, bold, links, which a notes
    page holds as a slide does), in the notes page's own type."""
    paras = [[Seg("Sources cited on this slide:")]]
    paras += [[Seg(f"{n}. ")] + inline_segs(note_text(deck.doc, n)) for n in cites]
    xml.write_notes(deck, tf, paras)


def footnote_size(deck, cites: Sequence[int], width: int) -> float:
    """The largest footnote size at which the notes take at most 30% of the slide's height."""
    limit = to_pt(deck.H) * 0.3
    for s in FOOTNOTE_SIZES:
        if deck.measure.total(note_paras(deck.doc, cites, s), to_pt(width)) <= limit:
            return s
    return FOOTNOTE_SIZES[-1]


def footnote_height(deck, cites: Sequence[int], width: int) -> int:
    """The height (EMU) a slide's footer citations take `width` wide; 0 with citations in the notes."""
    if deck.citations != "footer" or not cites:
        return 0
    size = footnote_size(deck, cites, width)
    return pt(deck.measure.total(note_paras(deck.doc, cites, size), to_pt(width))) + 1
