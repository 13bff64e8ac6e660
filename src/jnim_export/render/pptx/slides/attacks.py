"""Key attacks on a time line."""

from __future__ import annotations


from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR

from .... import dates
from ....model import (
    Attack, note_numbers,
)
from ..geometry import Box, pt, to_pt
from ..kit import decorative, unstyled
from ..regions import region
from ..textfit import Para, inline_segs, paragraph, ref_segs
from ..textset import fit_size, textbox
from ..theme import TIMELINE, TIMELINE_SIZES
from . import NOTHING, Shown


def add(deck) -> Shown:
    if deck.doc.attacks:
        _attack_slides(deck)
    return NOTHING


def _attack_slides(deck) -> None:
    attacks = sorted(deck.doc.attacks, key=lambda a: a.date)
    reg0 = region(deck, "title_only", [c for a in attacks for c in a.cites])
    line_y_off = TIMELINE.line_y
    for per in range(min(4, len(attacks)), 0, -1):
        col_w = reg0.w // per
        text_h = reg0.h - line_y_off - TIMELINE.text_below
        if all(fit_size(deck, TIMELINE_SIZES, lambda s, a=a: attack_paras(deck, a, s), col_w - TIMELINE.text_gap, text_h)
               and deck.measure.whole_words(attack_paras(deck, a, TIMELINE_SIZES[-1]), to_pt(col_w - TIMELINE.text_gap))
               for a in attacks):
            break
    chunks = [attacks[i:i + per] for i in range(0, len(attacks), per)]
    for i, chunk in enumerate(chunks):
        cites = [c for a in chunk for c in a.cites]
        slide = deck.new_slide("title_only", "Key attacks", cont=i)
        reg = region(deck, "title_only", cites)
        col_w = reg.w // per
        line_y = reg.y + line_y_off
        text_h = reg.bottom - (line_y + TIMELINE.text_below)
        size = min((fit_size(deck, TIMELINE_SIZES, lambda s, a=a: attack_paras(deck, a, s), col_w - TIMELINE.text_gap, text_h)
                    or TIMELINE_SIZES[-1]) for a in chunk)
        dot = TIMELINE.dot
        for j, a in enumerate(chunk):
            x = reg.x + j * col_w
            textbox(deck, slide, Box(x, reg.y, col_w - TIMELINE.date_gap, line_y - reg.y - TIMELINE.date_above),
                         [paragraph(dates.short_date(a.date), 22, bold=True, color="accent", spacing=0.9)],
                         name=f"Date {a.id}", anchor=MSO_ANCHOR.BOTTOM)
            paras = attack_paras(deck, a, size)
            th = min(text_h, pt(deck.measure.total(paras, to_pt(col_w - TIMELINE.text_gap))) + 1)
            textbox(deck, slide, Box(x, line_y + TIMELINE.text_below, col_w - TIMELINE.text_gap, th), paras, name=f"Attack {a.id}")
        # the time line and its markers, drawn after the text they mark
        deck.rule(slide, reg.x, line_y - TIMELINE.line // 2, reg.w, TIMELINE.line, "muted", "Time line")
        for j, a in enumerate(chunk):
            x = reg.x + j * col_w
            m = slide.shapes.add_shape(MSO_SHAPE.OVAL, x, line_y - dot // 2, dot, dot)
            m.name = f"Marker {a.id}"
            deck.fill(m, "accent")
            deck.outline(m, "white", 2.0)
            unstyled(m)
            decorative(m)
        deck.finish(slide, "title_only", cites)


def attack_paras(deck, a: Attack, s: float) -> list[Para]:
    return [
        paragraph(f"{a.place}, {a.country}", s + 3, bold=True, spacing=0.9, after=4),
        paragraph(inline_segs(a.summary) + ref_segs([c for c in a.cites if c not in note_numbers(a.summary)]), s),
    ]
