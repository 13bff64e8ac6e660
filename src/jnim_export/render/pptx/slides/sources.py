"""The sources: the full text of every note the deck cites."""

from __future__ import annotations

from ..citations import note_paras
from ..geometry import Box, pt, to_pt
from ..paging import flow
from ..regions import region
from ..theme import SOURCE_SIZES
from . import NOTHING, Shown


def add(deck) -> Shown:
    if deck.cited:
        _source_slides(deck)
    return NOTHING


def _source_slides(deck) -> None:
    numbers = sorted(deck.cited)

    def make(size):
        return note_paras(deck.doc, numbers, size, after=size * 0.5)

    for i, (size, paras) in enumerate(flow(deck, "content", make, SOURCE_SIZES)):
        slide = deck.new_slide("content", "Sources", cont=i)
        reg = region(deck, "content")
        h = min(reg.h, pt(deck.measure.total(paras, to_pt(reg.w))) + 1)
        deck.body_text(slide, Box(reg.x, reg.y, reg.w, h), paras, "Sources")
        deck.finish(slide, "content", [])
