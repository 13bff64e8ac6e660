"""The web edition: a `Document` as one self-contained, accessible HTML5 page.

One file that works offline and makes no request: CSS, fonts (WOFF subsets of the shipped
Noto faces), the map and chart (inline SVG, the PDF's own artwork) and photos (data URLs)
are all inside it.  Notes are superscript callouts linked both ways to a notes list, with a
CSS-only preview on hover and focus; each chart and the map carry a data table.  Light and
dark colour schemes (contrast checked), a print stylesheet, Open Graph and schema.org
metadata.  Text is text: every content string is escaped and only http, https and mailto
links are made.  Same content, same bytes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ...model import Document, FigureBlock, Paragraph, PullQuote, note_numbers
from .page import build_page

__all__ = ["NAME", "SUFFIX", "UNIT", "render", "view"]

NAME = "html"
SUFFIX = ".html"
UNIT = "sections"


def _cited(doc: Document) -> set[int]:
    numbers: set[int] = set(note_numbers(doc.meta.credit))
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, PullQuote)):
                numbers.update(note_numbers(block.text))
            elif isinstance(block, FigureBlock):
                numbers.update(note_numbers(block.figure.caption))
                numbers.update(note_numbers(block.figure.credit))
    return numbers


def view(doc: Document) -> object:
    """What the page shows: no slide bullets, facts, leaders, merger, allegiance, options, or
    notes only the slides cite; figures are kept where the sections place them."""
    cited = _cited(doc)
    sections = tuple(dataclasses.replace(s, bullets=()) for s in doc.sections)
    return dataclasses.replace(
        doc, sections=sections, figures=(), notes=tuple(n for n in doc.notes if n.number in cited), sources=(),
        leaders=(), facts=(), merger=None, allegiance=(), pdf=None, slides=None, warnings=(),
    )


def render(doc: Document, dest: Path, *, cache_dir: Path, force_figures: bool = False) -> tuple[int, tuple[str, ...]]:
    """Write the page for `doc` to `dest`; return (number of sections, warnings)."""
    html, warnings = build_page(doc, Path(cache_dir), force=force_figures)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(html.encode("utf-8"))
    return len(doc.sections), warnings
