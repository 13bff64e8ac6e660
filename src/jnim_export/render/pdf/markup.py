"""Inline content as ReportLab paragraph markup: every text escaped, note callouts as linked superscripts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.platypus import Paragraph

from ... import scripts
from ...urls import split_pairs
from ...model import Emph, Inlines, Link, NoteRef, Strong, Text
from . import tagging
from .fonts import ARABIC_FACE

rl_paragraph: Any = _rl_paragraph  # uri_pat, read here, is not in its stubs


@dataclass
class Refs:
    """Which notes the rendered text cites, and which citation is the first (the back-link target)."""

    cited: set[int]
    anchored: set[int]


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def text(plain: str) -> str:
    """Plain text as paragraph markup: escaped, Arabic runs in the Arabic face in visual order.

    Each Arabic run is a Span in Arabic whose ActualText is the run as written (logical
    order, unshaped), so that the text extracted is the real Arabic (see `tagging.foreign`).
    """
    out = []
    for piece, arabic in scripts.runs(plain):
        if arabic:
            drawn = f'<font name="{ARABIC_FACE}">{escape(scripts.visual(piece))}</font>'
            out.append(tagging.foreign(drawn, piece, scripts.LANG))
        else:
            out.append(escape(piece))
    return "".join(out)


def markup(nodes: Inlines, refs: Refs, accent: str, *, sup_size: float, in_link: bool = False) -> str:
    """ReportLab paragraph markup for `nodes`; every Text is escaped (text is text)."""
    out: list[str] = []
    after_ref = False
    for node in nodes:
        if isinstance(node, NoteRef) and after_ref:
            # two callouts in a row read "4,5", never "45"
            out.append(f'<super rise="{sup_size * 0.55:.2f}" size="{sup_size:.2f}">,</super>')
        after_ref = isinstance(node, NoteRef)
        if isinstance(node, Text):
            out.append(text(node.text))
        elif isinstance(node, Emph):
            out.append(f"<i>{markup(node.children, refs, accent, sup_size=sup_size, in_link=in_link)}</i>")
        elif isinstance(node, Strong):
            out.append(f"<b>{markup(node.children, refs, accent, sup_size=sup_size, in_link=in_link)}</b>")
        elif isinstance(node, Link):
            # Link by link child, so a note reference inside link text keeps its own link.
            for child in node.children:
                inner = markup((child,), refs, accent, sup_size=sup_size, in_link=True)
                if in_link or isinstance(child, NoteRef):
                    out.append(inner)
                else:
                    out.append(f'<a href="{_attr(node.href)}" color="{accent}">{inner}</a>')
        elif isinstance(node, NoteRef):
            n = node.number
            if n not in refs.anchored:
                refs.anchored.add(n)
                out.append(f'<a name="ref-{n}"/>')
            sup = f'<super rise="{sup_size * 0.55:.2f}" size="{sup_size:.2f}">{n}</super>'
            out.append(f'<a href="#note-{n}" color="{accent}">{sup}</a>')
    return "".join(out)


def line_cites(para: Paragraph) -> list[tuple[int, ...]]:
    """For each line of a wrapped paragraph, the note numbers its superscripts link to."""
    bl = para.blPara  # type: ignore[attr-defined]  # set by wrap(), not in the stubs
    if bl.kind != 1:
        return [()] * len(bl.lines)
    out = []
    for line in bl.lines:
        found: list[int] = []
        for frag in getattr(line, "words", ()):
            for item in getattr(frag, "link", None) or ():
                href = item[-1] if isinstance(item, tuple) else getattr(item, "link", item)
                if isinstance(href, str) and href.startswith("#note-"):
                    found.append(int(href[6:]))
        out.append(tuple(found))
    return out


class UrlBreaks:
    """Where a URL may break across lines, for one document's paragraphs (`rl.url_breaks`).

    Called with a word, it gives `jnim_export.urls.split_pairs` (the Chicago Manual's points,
    then anywhere as a last resort), or None when the word is not a URL. A URL's rest carried
    over to the next line is still a URL, although it may look like none (a run of letters):
    so every rest handed out is remembered.
    """

    def __init__(self) -> None:
        self.rests: set[str] = set()

    def __call__(self, uri: str) -> list[tuple[str, str]] | None:
        if not (rl_paragraph.uri_pat.match(uri) or uri in self.rests
                or (len(uri) >= 20 and any(c in uri for c in "/?=&#%"))):
            return None
        pairs = split_pairs(uri)
        self.rests.update(tail for _, tail in pairs)
        return pairs
