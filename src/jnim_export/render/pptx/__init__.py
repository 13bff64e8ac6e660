"""The briefing deck: the document as a PowerPoint file of native, editable slides (python-pptx), 16:9
in the house style or on a template of any size."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ...kinds import KINDS, print_size
from ...model import Document, PullQuote
from ..writer import Artwork, Context, Rendered, Writer


@dataclass(frozen=True)
class DeckOptions:
    citations: Literal["notes", "footer"] = field(
        default="notes", metadata={"help": "Each slide's note texts in its speaker notes or in a footer."}
    )
    template: Path | None = field(
        default=None, metadata={"help": "A .pptx whose master, theme and layouts the deck uses."}
    )


def view(doc: Document) -> Document:
    """The deck shows no body paragraphs (see `deck`'s docstring for all it leaves out): of a
    section's blocks only its pull quotes; its figures are in `doc.figures`."""
    sections = tuple(replace(s, blocks=tuple(b for b in s.blocks if isinstance(b, PullQuote))) for s in doc.sections)
    return replace(doc, sections=sections, warnings=())


def render(doc: Document, dest: Path, options: DeckOptions, context: Context) -> Rendered:
    from .deck import render_deck

    return render_deck(doc, dest, options, context)


def prepare(doc: Document, options: DeckOptions) -> None:
    """python-pptx and the deck's modules imported."""
    from .deck import render_deck  # noqa: F401


def artwork(doc: Document, options: DeckOptions) -> list[Artwork]:
    """The figures of points (maps), as PNGs at the shared print size (charts are native charts)."""
    return [(f, "png", print_size(f.kind)) for f in doc.figures if KINDS[f.kind].shape == "points" and f.data is not None]


WRITER = Writer(title="the briefing slide deck", name="slides", suffix=".pptx", unit="slides", options=DeckOptions,
                view=view, render=render, artwork=artwork, prepare=prepare,
                libraries=("jnim_export.render.pptx.deck",), shows_body=False)
