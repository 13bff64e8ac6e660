"""A figure as a picture on a slide: a photo, or a map or chart drawn from data, or a labelled
placeholder when there is none."""

from __future__ import annotations

from typing import Any

from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR

from ... import images
from ...model import Figure, plain_text
from ..writer import unreadable_photo
from .geometry import Box, inch
from .kit import alt_text, unstyled
from .textfit import Seg, inline_segs, paragraph
from .textset import write


def caption_segs(fig: Figure) -> list[Seg]:
    """The caption's lead (Figure N:) and its text."""
    return [Seg(f"Figure {fig.number}: ", bold=True)] + inline_segs(fig.caption)


def picture(deck, slide, fig: Figure, box: Box) -> tuple[Any, list[str]]:
    """A photo, or a figure drawn from data as a picture, as large as fits `box`, top and centre;
    a labelled placeholder when there is none. Returns the picture (None: the placeholder) and
    the warnings about it."""
    path = None
    warnings: list[str] = []
    if fig.kind == "photo":
        path = fig.image  # None: missing, which the content reported, once
    else:
        try:
            from ... import figures
        except ModuleNotFoundError as exc:
            if exc.name not in ("jnim_export.figures",):
                raise
            warnings.append(f"slides: figure {fig.number} ({fig.kind}) is a placeholder: no figure renderer")
        else:
            art: dict[str, Any] = dict(attacks=deck.doc.attacks, places=deck.doc.places, style=deck.doc.style,
                                       fmt="png", size=figures.print_size(fig.kind), cache_dir=deck.cache_dir)
            # the print size: the PDF and the web page share the drawing, and what it reports
            path = figures.figure_file(fig, **art, force=deck.force_figures)
            warnings += [f"figure {fig.number} ({fig.id}): {note}" for note in figures.figure_notes(fig, **art)]
    try:
        source = (images.prepared(path).stream() if fig.kind == "photo" else str(path)) if path is not None else None
        pic = slide.shapes.add_picture(source, box.x, box.y) if source is not None else None  # photos upright
    except OSError:  # a photo gone or unreadable since it was checked (PIL's errors are OSErrors)
        if fig.kind != "photo":
            raise
        warnings.append(unreadable_photo(fig))
        pic = None
    if pic is not None:
        iw, ih = pic.width, pic.height
        scale = min(box.w / iw, box.h / ih)
        pic.width, pic.height = int(iw * scale), int(ih * scale)
        pic.left = box.x + (box.w - pic.width) // 2
        pic.top = box.y
        pic.name = f"Figure {fig.number}"
        alt_text(pic, fig.alt)
        return pic, warnings
    ph = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.x, box.y, box.w, box.h)
    ph.name = f"Figure {fig.number} placeholder"
    deck.fill(ph, "tint")
    deck.outline(ph, "rule", 1.0, MSO_LINE_DASH_STYLE.DASH)
    unstyled(ph)
    what = "Photo not included" if fig.kind == "photo" else f"Figure {fig.number}: {fig.kind}"
    paras = [paragraph(what, 20, bold=True, color="muted", align="c", after=6),
             paragraph(plain_text(fig.caption), 16, color="muted", align="c")]
    write(deck, ph.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE, insets=(inch(0.3),) * 4)
    alt_text(ph, fig.alt)
    return None, warnings
