"""The Word edition: the document as a .docx for editorial review (python-docx).

Real Word footnotes or endnotes with the PDF's Chicago texts and numbers (`notes`), written
through python-docx's package layer (`opc`, the one module that reaches past its public API);
the title block with the Arabic name marked right-to-left in its language; Heading 1/2, Quote
and Caption styles (the house look, or a reference document's styles, `reference_doc`); the map
and charts as PNG pictures at print resolution and photos from the assets, each with alt text and
a numbered caption (a SEQ field) and its data credit; the at-a-glance facts and the leaders as
tables with header rows, and each section's slide bullets. Every paragraph made from a content text is bookmarked with its content
path (`paths`), so that `jnim-export review` can map an editor's tracked changes and comments back
to `content.yaml`. Same content, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ...kinds import KINDS, print_size
from ...model import Document
from ..writer import Artwork, Context, Rendered, Writer


@dataclass(frozen=True)
class DocxOptions:
    notes: Literal["endnotes", "footnotes"] = field(
        default="endnotes", metadata={"help": "Notes after the text, or at the foot of the page citing them."}
    )
    reference_doc: Path | None = field(
        default=None, metadata={"help": "A .docx whose styles the Word edition uses."}
    )


def view(doc: Document) -> Document:
    """The Word edition shows the PDF's text, then the facts and leaders as tables and the slide
    bullets (for review); not the organisation chart."""
    return replace(doc, origins=None, allegiance=(), warnings=())


def render(doc: Document, dest: Path, options: DocxOptions, context: Context) -> Rendered:
    from .document import render_docx

    return render_docx(doc, dest, options, context)


def prepare(doc: Document, options: DocxOptions) -> None:
    """python-docx and the writer's modules imported."""
    from .document import render_docx  # noqa: F401


def artwork(doc: Document, options: DocxOptions) -> list[Artwork]:
    """Every figure drawn from data, as a PNG at the shared print size."""
    return [(f, "png", print_size(f.kind)) for f in doc.figures if f.data is not None and KINDS[f.kind].drawn]


WRITER = Writer(name="docx", title="the Word edition for editorial review", suffix=".docx", unit="sections",
                options=DocxOptions, view=view, render=render, artwork=artwork, prepare=prepare,
                libraries=("jnim_export.render.docx.document",))
