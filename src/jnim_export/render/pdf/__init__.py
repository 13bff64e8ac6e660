"""The PDF backgrounder: the document as a footnoted, print-ready PDF (ReportLab)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ...kinds import KINDS, print_size
from ...model import Document
from ..writer import Artwork, Context, Rendered, Writer


@dataclass(frozen=True)
class PdfOptions:
    paper: Literal["letter", "a4"] = field(default="letter", metadata={"help": "Paper size."})
    notes: Literal["endnotes", "footnotes"] = field(
        default="endnotes", metadata={"help": "Notes after the text, or at the foot of the page citing them."}
    )
    pdfa: bool = field(default=True, metadata={"help": "Claim and meet PDF/A-2a as well as PDF/UA-1 (off: PDF/UA-1 only)."})

    def __post_init__(self) -> None:
        if not isinstance(self.pdfa, bool):  # a text such as "false" would count as on
            raise TypeError(f"pdfa must be true or false, not {self.pdfa!r}")


def view(doc: Document) -> Document:
    """The PDF shows no slide bullets and no slide-only facts, leaders or organisation chart."""
    sections = tuple(replace(s, bullets=()) for s in doc.sections)
    return replace(doc, sections=sections, leaders=(), facts=(), origins=None, allegiance=(), warnings=())


def render(doc: Document, dest: Path, options: PdfOptions, context: Context) -> Rendered:
    from .settings import render_pdf

    return render_pdf(doc, dest, options, context)


def prepare(doc: Document, options: PdfOptions) -> None:
    """ReportLab and svglib imported and the fonts registered: a third of a first render.
    (Called while figures are drawn: their drawings are new, so svglib will convert them.)"""
    from .fonts import register_fonts, svg_fonts
    from .settings import render_pdf  # noqa: F401

    register_fonts(doc.style)
    svg_fonts(doc.style.sans)


def artwork(doc: Document, options: PdfOptions) -> list[Artwork]:
    """Every figure drawn from data, as an SVG at the shared print size."""
    return [(f, "svg", print_size(f.kind)) for f in doc.figures if f.data is not None and KINDS[f.kind].drawn]


WRITER = Writer(title="the footnoted PDF backgrounder", name="pdf", suffix=".pdf", unit="pages", options=PdfOptions,
                view=view, render=render, artwork=artwork, prepare=prepare,
                libraries=("jnim_export.render.pdf.preload",))
