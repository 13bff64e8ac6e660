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
from dataclasses import dataclass
from pathlib import Path

from ...kinds import KINDS
from ...model import Document
from ..writer import Artwork, Context, Rendered, Writer


@dataclass(frozen=True)
class HtmlOptions:
    """The web edition has no settings yet."""


def view(doc: Document) -> Document:
    """What the page shows: no slide bullets, facts, leaders, origins, allegiance, or notes only
    the slides cite."""
    sections = tuple(dataclasses.replace(s, bullets=()) for s in doc.sections)
    return dataclasses.replace(
        doc, sections=sections, notes=doc.text_notes, leaders=(), facts=(),
        origins=None, allegiance=(), warnings=(),
    )


def render(doc: Document, dest: Path, options: HtmlOptions, context: Context) -> Rendered:
    """Write the page for `doc` to `dest`."""
    from .page import build_page

    html, warnings = build_page(doc, context.figure_cache, force=context.redraw_figures,
                                fresh=context.no_cache)
    Path(dest).write_bytes(html.encode("utf-8"))
    return Rendered(units=len(doc.sections), warnings=tuple(warnings))


def artwork(doc: Document, options: HtmlOptions) -> list[Artwork]:
    """Every figure drawn from data, as SVGs: wide (the shared print size) and compact."""
    from .figures import artwork_sizes

    return [(f, "svg", size) for f in doc.figures if f.data is not None and KINDS[f.kind].drawn
            for _, size in artwork_sizes(f.kind)]


WRITER = Writer(name="html", title="the web edition, one self-contained page", suffix=".html", unit="sections",
                options=HtmlOptions, view=view, render=render, artwork=artwork,
                libraries=("jnim_export.render.html.page",))
