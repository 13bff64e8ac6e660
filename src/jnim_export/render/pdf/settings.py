"""The settings of the document: with its notes numbered as its pages set them, and figures moved
to leave no gap and stay near their mentions (see `render_pdf`)."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...model import Document
from ..writer import Context, Rendered
from . import PdfOptions
from .edition import in_order, renumbered
from .fonts import Faces, check_glyphs, register_fonts
from .rl import narrow_spaces_kept
from .story import Story
from .theme import theme_for

ORDER_PASSES = 4  # settings tried for notes numbered in the order set, before the content's order
PULL_ROUNDS = 3  # settings tried with a figure that left a gap set a paragraph earlier each time


def render_pdf(doc: Document, dest: Path, options: PdfOptions, context: Context) -> Rendered:
    """Write `doc` as a PDF to `dest`.

    Map and chart figures come from `jnim_export.figures.figure_file` (SVG, cached in the
    context's figure cache).  Raises MissingGlyphError when the content holds a character
    the fonts lack.  The creation date is the build time (see `jnim_export.dates`); two
    renders of the same content are identical.

    Text may pass a figure waiting for the next page, so the pages may meet the notes in
    another order than the content's: then the notes are numbered in the order set (`edition`)
    and the document set again, until the order set is the numbering (a few passes at most:
    a note's new wording or number may move lines); failing that, it is set as the content
    numbers its notes, text never passing a figure's notes not yet met, with a warning.
    """
    with narrow_spaces_kept():  # from the first Paragraph made (which cleans its spaces) to the last set
        return _settings(doc, dest, options, context)


def _settings(doc: Document, dest: Path, options: PdfOptions, context: Context) -> Rendered:
    faces = register_fonts(doc.style)
    check_glyphs(doc)
    dest = Path(dest)
    setting = functools.partial(_set, dest=dest, context=context, options=options, faces=faces)
    sequence = [n.number for n in doc.text_notes]  # the content's numbers, in the edition's order
    tried = {tuple(sequence)}
    placing = Placing()
    for attempt in range(ORDER_PASSES):
        edition = renumbered(doc, sequence) if attempt else doc
        story, data, placing = setting(edition, first=not attempt, placing=placing)
        order = story.layout.notes.order
        if in_order(edition, order):
            return _kept(story, data, dest)
        sequence = [sequence[n - 1] for n in dict.fromkeys(order)]
        sequence += [n for n in (x.number for x in doc.text_notes) if n not in sequence]
        if tuple(sequence) in tried:
            break
        tried.add(tuple(sequence))
    story, data, _ = setting(doc, first=False, placing=Placing(), strict=True)
    warning = ("the notes are numbered in the content's order: the pages set in any other order moved on "
               "each time they were numbered so, and a page may be left with a gap")
    story.rendered = replace(story.rendered, warnings=story.rendered.warnings + (warning,))
    return _kept(story, data, dest)


def _kept(story: Story, data: io.BytesIO | None, dest: Path) -> Rendered:
    if data is not None:  # set in memory: it replaces what a setting before it wrote
        dest.write_bytes(data.getvalue())
    return story.rendered


@dataclass(frozen=True)
class Placing:
    """Figures placed otherwise than the flow would: `pull`, figure -> how many paragraphs (or
    quotes) before it it is set (see `Story._blocks`); `keep`, figures that may not wait for the
    next page (set smaller where they stand, if need be)."""

    pull: dict[str, int] = field(default_factory=dict)
    keep: frozenset[str] = frozenset()


def _set(doc: Document, *, dest: Path, context: Context, options: PdfOptions, faces: Faces, first: bool,
         placing: Placing, strict: bool = False) -> tuple[Story, io.BytesIO | None, Placing]:
    """Set `doc` (into `dest` if `first`, else in memory, returned) placing figures as `placing`
    says; if `first` (or `strict`), while a figure moves on leaving a gap, again with it set a
    paragraph earlier (in a strict setting once, one paragraph or its last lines), and while
    figures waiting together run on more than a page past their mentions, with the first of them
    kept where it stands: the setting with the fewest figures away from their mentions, then the
    smallest gap, is kept."""
    out: Path | io.BytesIO = dest if first else io.BytesIO()
    theme = theme_for(options.paper)
    best = Story(doc, out, context, options.notes, theme, faces, pull=placing.pull, keep=placing.keep,
                 strict=strict)
    best.write(options.pdfa)
    kept: io.BytesIO | None = out if isinstance(out, io.BytesIO) else None
    trial, tried = best, placing
    for _ in range(1 if strict else PULL_ROUNDS if first else 0):
        stranded, held = trial.layout.stranded, trial.layout.held_back()
        more = Placing({**tried.pull, **{f: tried.pull.get(f, 0) + 1 for f in stranded}}, tried.keep | held)
        if more == tried:
            break
        data, tried = io.BytesIO(), more
        trial = Story(doc, data, context, options.notes, theme, faces, pull=tried.pull, keep=tried.keep,
                      strict=strict)
        trial.write(options.pdfa)
        if _flaws(trial) < _flaws(best):
            best, kept, placing = trial, data, tried
    return best, kept, placing


def _flaws(story: Story) -> tuple[int, float]:
    """What a setting is judged by: its faults (figures away from their mentions, a page but the
    last with a gap at its foot over the theme's most), then the largest gap left."""
    lay = story.layout
    gap = lay.gap()
    return lay.misplaced() + (gap > lay.theme.page_gap * lay.theme.page[1]), gap
