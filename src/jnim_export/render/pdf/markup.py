"""Inline content as ReportLab paragraph markup: every text escaped, note callouts as linked superscripts."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from xml.sax.saxutils import escape

import reportlab.platypus.paragraph as rl_paragraph
from reportlab.platypus import Paragraph

from ...model import Emph, Inlines, Link, NoteRef, Strong, Text


@dataclass
class Refs:
    """Which notes the rendered text cites, and which citation is the first (the back-link target)."""

    cited: set[int]
    anchored: set[int]


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def markup(nodes: Inlines, refs: Refs, accent: str, *, sup_size: float, in_link: bool = False) -> str:
    """ReportLab paragraph markup for `nodes`; every Text is escaped (text is text)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text))
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
    bl = para.blPara
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


@contextmanager
def url_breaks() -> Iterator[None]:
    """Let ReportLab break a URL after a slash also when it is written <like this>.

    ReportLab splits a long URI at its slashes (style.uriWasteReduce) but only recognises
    it when no '<' precedes it / no '>' follows it; notes print URLs in angle brackets.
    The patterns are module globals read at line-breaking time: swapped for the build only.
    """
    pfx, sfx = rl_paragraph._hy_pfx_pat, rl_paragraph._hy_sfx_pat
    try:
        if pfx.pattern.startswith("^[") and sfx.pattern.startswith("[]"):
            rl_paragraph._hy_pfx_pat = re.compile("^[<" + pfx.pattern[2:])
            rl_paragraph._hy_sfx_pat = re.compile("[]>" + sfx.pattern[2:])
        yield
    finally:
        rl_paragraph._hy_pfx_pat, rl_paragraph._hy_sfx_pat = pfx, sfx
