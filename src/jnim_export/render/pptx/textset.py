"""Setting text on a slide: fitted text boxes written from measured paragraphs, the sizes that
fit, and shapes made once and added again as they are (the running footer, the rules)."""

from __future__ import annotations

import copy
from typing import Callable, Sequence

from pptx.enum.text import MSO_ANCHOR
from pptx.shapes.shapetree import SlideShapeFactory

from . import xml
from .geometry import Box, to_pt
from .textfit import Para


def write(deck, tf, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, insets=(0, 0, 0, 0)) -> None:
    """Write `paras` to text frame `tf`: explicit sizes, spacing and indents, no autofit."""
    xml.write(deck, tf, paras, anchor=anchor, insets=insets)


def textbox(deck, slide, box: Box, paras: Sequence[Para], *, name: str, anchor=MSO_ANCHOR.TOP,
            insets=(0, 0, 0, 0)):
    """A text box of `paras` in `box`, warned of if they do not fit it."""
    paras = url_breaks(deck, paras, box.w - insets[0] - insets[2])
    # a text box met before on another slide (the running footer) is a copy of that one
    key = None if any(seg.href for para in paras for seg in para.segs) else \
        ("textbox", box, tuple(paras), name, anchor, tuple(insets))
    shape = stamped(deck, slide, key)
    if shape is None:
        shape = slide.shapes.add_textbox(box.x, box.y, box.w, box.h)
        shape.name = name
        write(deck, shape.text_frame, paras, anchor=anchor, insets=insets)
        keep_stamp(deck, key, shape)
    check_fit(deck, paras, box, insets, name)
    return shape


def url_breaks(deck, paras: Sequence[Para], width: int) -> list[Para]:
    """`paras` with their URLs broken where the measured lines break them (`Measure.with_breaks`)."""
    return [deck.measure.with_breaks(p, to_pt(width)) for p in paras]


def stamped(deck, slide, key):
    """A copy of the shape kept under `key` (see `keep_stamp`) added to `slide`, or None."""
    tmpl = deck.stamps.get((key, _palette(deck))) if key is not None else None
    if tmpl is None:
        return None
    shapes = slide.shapes
    el = copy.deepcopy(tmpl)
    el[0][0].set("id", str(shapes._next_shape_id))  # nvXxPr/cNvPr
    shapes._spTree.insert_element_before(el, "p:extLst")
    return SlideShapeFactory(el, shapes)


def keep_stamp(deck, key, shape) -> None:
    """Keep a copy of a just-made `shape` (no relationships, nothing slide-specific but its id)
    to add again as it is."""
    if key is not None:
        deck.stamps[key, _palette(deck)] = copy.deepcopy(shape._element)


def _palette(deck) -> tuple[str, ...]:
    """The colours in use (a template's layouts may differ in background, and so in colours)."""
    return tuple(deck.colours.values())


def check_fit(deck, paras: Sequence[Para], box: Box, insets, name: str) -> None:
    """A warning on the deck if `paras` are taller than `box` within its insets."""
    width = to_pt(box.w - insets[0] - insets[2])
    need = deck.measure.total(paras, width)
    if need > to_pt(box.h - insets[1] - insets[3]) + 0.01:
        deck.warnings.append(f"slides: text of {name!r} may not fit its box ({need:.0f} pt needed)")


def fit_size(deck, sizes: Sequence[float], make: Callable[..., Sequence[Para]], width_emu: int,
             height_emu: int) -> float | None:
    """The largest size at which `make(size)` fits the box, or None."""
    for s in sizes:
        if deck.measure.total(make(s), to_pt(width_emu)) <= to_pt(height_emu):
            return s
    return None
