"""At a glance: the facts as labelled rows, over as many slides as they need."""

from __future__ import annotations



from ....model import (
    note_numbers,
)
from ..geometry import Box, pt, to_pt
from ..paging import pack
from ..regions import region
from ..textfit import inline_segs, paragraph
from ..textset import textbox
from ..theme import FACT_SIZES, GLANCE
from . import NOTHING, Shown


def add(deck) -> Shown:
    if deck.doc.facts:
        _glance_slides(deck)
    return NOTHING


def _glance_slides(deck) -> None:
    facts = list(deck.doc.facts)
    area = region(deck, "title_only")
    label_w = min(GLANCE.label_w, area.w // 4)
    gap = GLANCE.gap
    text_w = area.w - label_w - gap
    pad = 9.0  # pt above and below a row's text

    def paras(fact, s):
        label = [paragraph(fact.label.upper(), max(14, s - 4), bold=True, color="muted")]
        text = [paragraph(inline_segs(fact.text), s)]
        return label, text

    def height(fact, s):
        label, text = paras(fact, s)
        return max(deck.measure.total(label, to_pt(label_w)), deck.measure.total(text, to_pt(text_w))) + 2 * pad

    pages = pack(deck, "title_only", facts, height, FACT_SIZES, lambda f: note_numbers(f.text))
    for i, (size, page) in enumerate(pages):
        cites = [c for f in page for c in note_numbers(f.text)]
        slide = deck.new_slide("title_only", "At a glance", cont=i)
        area = region(deck, "title_only", cites)
        y = area.y
        for j, fact in enumerate(page):
            h = pt(height(fact, size))
            label, text = paras(fact, size)
            lh = pt(deck.measure.total(label, to_pt(label_w))) + 1
            th = pt(deck.measure.total(text, to_pt(text_w))) + 1
            # the label sits on the text's first baseline
            shift = max(0, pt(deck.measure.pitch(text[0]) - deck.measure.pitch(label[0])) * 3 // 4)
            textbox(deck, slide, Box(area.x, y + pt(pad) + shift, label_w, lh), label,
                         name=f"Fact label {j + 1}")
            textbox(deck, slide, Box(area.x + label_w + gap, y + pt(pad), text_w, th), text,
                         name=f"Fact {j + 1}")
            if j < len(page) - 1:
                deck.rule(slide, area.x, y + h - GLANCE.rule, area.w, GLANCE.rule, "rule", f"Fact rule {j + 1}")
            y += h
        deck.finish(slide, "title_only", cites)
