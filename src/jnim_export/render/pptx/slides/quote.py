"""Each pull quote on a slide of its own."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.text import MSO_ANCHOR

from .... import dates, quotes
from ....fonts import FAMILIES
from ....model import (
    Inlines, PullQuote, note_numbers,
)
from ..geometry import Box, pt, to_pt
from ..regions import content_left_right, region
from ..textfit import Seg, inline_segs, paragraph
from ..textset import check_fit, fit_size, textbox, write
from ..theme import QUOTE, QUOTE_SIZES
from . import NOTHING, Shown


def add(deck) -> Shown:
    """A slide per pull quote, in content order."""
    for quote in (b for s in deck.doc.sections for b in s.blocks if isinstance(b, PullQuote)):
        _quote_slide(deck, quote.text)
    return NOTHING


def _quote_slide(deck, text: Inlines) -> None:
    segs = inline_segs(text)
    # the quote's own straight quotation marks give way to typographic ones
    if segs and segs[0].text.startswith('"'):
        segs[0] = replace(segs[0], text=segs[0].text[1:])
    if segs and segs[-1].text.endswith('"'):
        segs[-1] = replace(segs[-1], text=segs[-1].text[:-1])
    segs = [Seg("“")] + segs + [Seg("”")]
    # a quotation the quote opens or ends with meets the marks added: a thin space between (CMOS 6.11)
    if len(segs) > 2 and segs[1].text[:1] in quotes.MARKS:
        segs[0] = Seg("“" + quotes.NARROW_SPACE)
    if len(segs) > 2 and segs[-2].text[-1:] in quotes.MARKS:
        segs[-1] = Seg(quotes.NARROW_SPACE + "”")
    slide = deck._add_slide("title_only")
    ph = slide.shapes.title or deck._add_title_placeholder(slide)
    left, right = content_left_right(deck, "title_only")
    if deck.house:
        box = Box(left + QUOTE.indent, QUOTE.top, right - left - 2 * QUOTE.indent, deck.H - QUOTE.cut)
    else:  # the body region, indented for the rule, room left under it for the attribution
        reg = region(deck, "title_only")
        indent = min(QUOTE.indent, reg.w // 8)
        box = Box(reg.x + indent, reg.y, reg.w - 2 * indent, reg.h - QUOTE.attribution_room)
        ph.name = "Quote"  # the slide's title is the quote, placed where the quote is
    ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
    serif = deck.doc.style.serif if deck.house and deck.doc.style.serif in FAMILIES else None

    def make(s):
        return [paragraph(segs, s, italic=True, family=serif, spacing=1.0, align="l")]

    size = fit_size(deck, QUOTE_SIZES, make, box.w, box.h) or QUOTE_SIZES[-1]
    paras = make(size)
    write(deck, ph.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE)
    check_fit(deck, paras, box, (0, 0, 0, 0), "Quote")
    meta = deck.doc.meta
    deck.rule(slide, box.x - QUOTE.rule_left, box.y + QUOTE.rule_inset, QUOTE.rule_w, box.h - 2 * QUOTE.rule_inset,
              "accent", "Quote rule")
    attribution = [paragraph(f"{meta.publisher_short}, {meta.series}: {meta.short_title}, "
                             f"{dates.short_date(meta.date)}", 16, color="muted")]
    h = max(QUOTE.attribution_h, pt(deck.measure.total(attribution, to_pt(box.w))) + 1)
    textbox(deck, slide, Box(box.x, box.bottom + QUOTE.attribution_gap, box.w, h), attribution, name="Attribution")
    if deck.house:
        slide.background.fill.solid()
        deck.paint(slide.background.fill.fore_color, "tint")
    deck.finish(slide, "title_only", note_numbers(text))
