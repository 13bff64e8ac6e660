"""The title slide: series, title, the group's name in its own script, authors, publisher and date."""

from __future__ import annotations

from pathlib import Path

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR

from .... import dates, images
from ..geometry import Box, pt, to_pt
from ..kit import alt_text
from ..regions import title_box
from ..textfit import paragraph
from ..textset import check_fit, textbox, write
from ..theme import TITLE
from . import NOTHING, Shown


def add(deck) -> Shown:
    meta = deck.doc.meta
    slide = deck.new_slide("title", meta.title, sizes=(44, 40, 36, 34, 32, 30, 28))
    tb = title_box(deck, "title")
    sub_paras = [p for p in (
        paragraph(meta.native_title, 22, color="muted", after=10) if meta.native_title else None,
        paragraph(", ".join(meta.authors), 20, bold=True, after=6) if meta.authors else None,
        paragraph(f"{meta.publisher}  ·  {dates.short_date(meta.date)}", 18, color="muted"),
    ) if p]
    sub_box = Box(tb.x, tb.bottom + TITLE.subtitle_gap, tb.w,
                  TITLE.subtitle_h_native if meta.native_title else TITLE.subtitle_h)
    if not deck.house:
        for ph in slide.placeholders:
            if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE:
                # the template's height for it, aligned with the title
                sub_box = Box(tb.x, max(int(ph.top), tb.bottom), tb.w, max(int(ph.height), TITLE.subtitle_least_h))
    ph = next((p for p in slide.placeholders if p.placeholder_format.type in
               (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)), None)
    if ph is not None:
        ph.left, ph.top, ph.width, ph.height = sub_box.x, sub_box.y, sub_box.w, sub_box.h
        write(deck, ph.text_frame, sub_paras)
        check_fit(deck, sub_paras, sub_box, (0, 0, 0, 0), "Subtitle")
        subtitle = ph
    else:
        subtitle = textbox(deck, slide, sub_box, sub_paras, name="Subtitle")
    # the series as a kicker above the title
    kicker = [paragraph(meta.series.upper(), 16, bold=True, color="accent")]
    size = slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt
    text_h = pt(deck.measure.total([paragraph(meta.title, size, bold=True, spacing=0.9)], to_pt(tb.w)))
    ky = max(TITLE.kicker_least_top, tb.bottom - text_h - TITLE.kicker_gap)
    series = textbox(deck, slide, Box(tb.x, ky, tb.w, TITLE.kicker_h), kicker, name="Series", anchor=MSO_ANCHOR.BOTTOM)
    # reading order: the title (first on every slide), the series above it, then the subtitle below
    subtitle._element.addprevious(series._element)
    if meta.copyright:
        textbox(deck, slide, Box(tb.x, deck.H - TITLE.copyright_rise, tb.w, TITLE.copyright_h),
                     [paragraph(meta.copyright, 12, color="muted")], name="Copyright", anchor=MSO_ANCHOR.BOTTOM)
    if deck.house:
        deck.rule(slide, 0, 0, TITLE.band_w, deck.H, "accent", "Accent band")
        deck.rule(slide, tb.x, tb.bottom + TITLE.rule_gap, TITLE.rule_w, TITLE.rule_h, "accent", "Title rule")
    if deck.doc.style.logo is not None and Path(deck.doc.style.logo).exists():
        pic = slide.shapes.add_picture(images.prepared(deck.doc.style.logo).stream(), 0, 0, height=TITLE.logo_h)
        pic.left, pic.top = deck.W - pic.width - TITLE.logo_right, deck.H - pic.height - TITLE.logo_bottom
        alt_text(pic, f"Logo of the {meta.publisher}")
    deck.finish(slide, "title", [], footer=False)
    return NOTHING
