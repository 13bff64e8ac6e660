"""A slide of bullets per section, continued where they do not fit."""

from __future__ import annotations

from typing import Sequence


from ....model import (
    Inlines,
)
from ..geometry import Box, pt, to_pt
from ..paging import flow
from ..regions import region
from ..textfit import inline_segs, para_cites, paragraph
from ..theme import BULLET_SIZES
from . import NOTHING, Shown


def add(deck) -> Shown:
    for section in deck.doc.sections:
        if section.bullets:
            _bullet_slides(deck, section.title, section.bullets)
    return NOTHING


def _bullet_slides(deck, title: str, bullets: Sequence[Inlines]) -> None:
    def make(size):
        return [paragraph(inline_segs(b), size, bullet=True, hang=size * 1.1, after=size * 0.55) for b in bullets]

    for i, (size, paras) in enumerate(flow(deck, "content", make, BULLET_SIZES)):
        cites = [c for p in paras for c in para_cites(p)]
        slide = deck.new_slide("content", title, cont=i)
        reg = region(deck, "content", cites)
        h = min(reg.h, pt(deck.measure.total(paras, to_pt(reg.w))) + 1)
        deck.body_text(slide, Box(reg.x, reg.y, reg.w, h), paras, "Bullets")
        deck.finish(slide, "content", cites)
