"""The map and the monthly chart: a picture, and a native PowerPoint chart with key attacks marked."""

from __future__ import annotations

from typing import Sequence

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Pt

from .... import dates
from ....fonts import text_width
from ....model import (
    Attack, Figure, note_numbers, plain_text,
)
from ..geometry import EMU_PER_IN, Box, inch, pt, to_pt
from ..kit import decorative, unstyled
from ..textfit import WRAP_SLACK, Seg, inline_segs, paragraph, ref_segs


def add(deck) -> None:
    """The first map and the first chart, each on a slide of its own."""
    fig = deck.doc.figure("map")
    if fig is not None:
        map_slide(deck, fig)
    fig = deck.doc.figure("chart")
    if fig is not None:
        chart_slide(deck, fig)


def map_slide(deck, fig: Figure) -> None:
    cites = list(note_numbers(fig.caption)) + list(note_numbers(fig.credit))
    slide = deck.new_slide("title_only", "Activity map")
    reg = deck.region("title_only", cites)
    side_w = min(inch(3.6), reg.w // 3)
    gap = inch(0.35)
    pic_box = Box(reg.x, reg.y, reg.w - side_w - gap, reg.h)
    deck.picture(slide, fig, pic_box)
    side = Box(pic_box.right + gap, reg.y, side_w, reg.h)

    def make(s):
        out = [paragraph(deck.caption_segs(fig), s + 2, after=10)]
        out.append(paragraph(inline_segs(fig.credit), s, color="muted"))
        return out

    size = deck.fit_size((16, 15, 14, 13, 12), make, side.w, side.h) or 12
    paras = make(size)
    h = min(side.h, pt(deck.measure.total(paras, to_pt(side.w))) + 1)
    deck.textbox(slide, Box(side.x, side.y, side.w, h), paras, name="Caption")
    deck.finish(slide, "title_only", cites)


def chart_slide(deck, fig: Figure) -> None:
    months = fig.months()
    cites = list(note_numbers(fig.caption)) + list(note_numbers(fig.credit))
    in_scope = {loc.country for loc in fig.data.locations} if fig.data else set()
    window = {m.month for m in months}
    marked = [a for a in sorted(deck.doc.attacks, key=lambda a: a.date)
              if a.month in window and (not in_scope or a.country in in_scope)]
    cites += [c for a in marked for c in a.cites]
    slide = deck.new_slide("title_only", "Attacks per month")
    reg = deck.region("title_only", cites)
    width = to_pt(reg.w)
    source = [paragraph(inline_segs(fig.credit) + ref_segs([n for n in note_numbers(fig.caption)
                                                      if n not in note_numbers(fig.credit)]),
                 12, color="muted")]
    key = []
    if marked:
        segs = [Seg("Key attacks: ", bold=True)]
        for k, a in enumerate(marked):
            segs += [Seg(("; " if k else "") + f"{a.place}, {dates.short_date(a.date)}")] + ref_segs(a.cites)
        key = [paragraph(segs, 14, after=4)]
    foot = key + source
    foot_h = pt(deck.measure.total(foot, width)) + 1
    chart_box = Box(reg.x, reg.y, reg.w, reg.h - foot_h - inch(0.15))
    native_chart(deck, slide, fig, months, chart_box, marked)
    deck.textbox(slide, Box(reg.x, chart_box.bottom + inch(0.15), reg.w, foot_h), foot, name="Chart source")
    deck.finish(slide, "title_only", cites)


def native_chart(deck, slide, fig: Figure, months, box: Box, marked: Sequence[Attack]) -> None:
    data = CategoryChartData(number_format="0")
    data.categories = [dates.short_date(m.month) for m in months]
    cats = fig.data.categories if fig.data else ()
    if fig.stacked and cats:
        # a category with no events in the window would only add an empty legend entry
        shown = [c for c in cats if any(dict(m.counts).get(c, 0) for m in months)] or list(cats[:1])
        for c in shown:
            data.add_series(c, [dict(m.counts).get(c, 0) for m in months])
        kind = XL_CHART_TYPE.COLUMN_STACKED
    else:
        shown = ["Events"]
        data.add_series("Events", [m.total for m in months])
        kind = XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, box.x, box.y, box.w, box.h, data)
    deck._charts.append(frame)
    frame.name = f"Figure {fig.number}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", fig.alt)
    frame._element.nvGraphicFramePr.cNvPr.set("title", plain_text(fig.caption))
    chart = frame.chart
    chart.has_title = True
    title_tf = chart.chart_title.text_frame
    title_tf.clear()
    p = title_tf.paragraphs[0]
    # chart text has no superscript in every renderer: the caption's note goes on the source line
    for seg in (s for s in deck.caption_segs(fig) if not s.sup):
        r = p.add_run()
        r.text = seg.text
        r.font.size = Pt(16)
        r.font.bold = True
        if deck.text_family:
            r.font.name = deck.text_family
        deck.paint(r.font.color, "ink")
    chart.font.size = Pt(14)
    if deck.text_family:
        chart.font.name = deck.text_family
    deck.paint(chart.font.color, "ink")
    plot = chart.plots[0]
    plot.gap_width = 45
    if kind == XL_CHART_TYPE.COLUMN_STACKED:
        plot.overlap = 100
    for k, series in enumerate(plot.series):
        series.format.fill.solid()
        # a category keeps its colour whichever others are absent, as in the PDF chart
        slot = cats.index(shown[k]) if shown[k] in cats else k
        if deck.house:
            pal = deck.doc.style.palette or (deck.doc.style.accent,)
            color = pal[slot % len(pal)] if len(shown) > 1 else deck.doc.style.accent
            series.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        else:
            series.format.fill.fore_color.theme_color = (
                MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_2, MSO_THEME_COLOR.ACCENT_3,
                MSO_THEME_COLOR.ACCENT_4, MSO_THEME_COLOR.ACCENT_5, MSO_THEME_COLOR.ACCENT_6)[slot % 6]
    chart.has_legend = len(shown) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
    va = chart.value_axis
    va.has_major_gridlines = True
    deck.paint(va.major_gridlines.format.line.color, "rule")
    va.major_gridlines.format.line.width = Pt(0.75)
    va.format.line.fill.background()
    va.tick_labels.font.size = Pt(14)
    va.major_tick_mark = XL_TICK_MARK.NONE
    va.has_title = True
    va.axis_title.text_frame.text = "Events"
    va.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    va.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    ca = chart.category_axis
    ca.tick_labels.font.size = Pt(12 if len(months) > 12 else 14)
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    deck.paint(ca.format.line.color, "rule")
    # where each key attack falls: an accent marker under its month's label
    x0, y0, w, h = pin_plot(deck, chart, box, bool(marked and months), shown if chart.has_legend else [])
    if marked and months:
        mark_months(deck, slide, box, months, marked, x0, y0, w)


def pin_plot(deck, chart, box: Box, marks: bool, legend: Sequence[str]) -> tuple[float, float, float, float]:
    """Pin the plot area (inner) to known fractions of the frame, so marks can be placed over it."""
    # room in inches: above for the chart title and the markers, below for two-line month
    # labels and the legend, left for the value labels and axis title
    bw, bh = box.w / EMU_PER_IN, box.h / EMU_PER_IN
    rows, used = (1, 0.0) if legend else (0, 0.0)
    for name in legend:  # legend entries wrap like words: key, name, gap
        entry = (text_width(name, deck.measure.family, 14) * deck.measure.width_factor + 22) / 72
        if used and used + entry > bw - 0.4:
            rows, used = rows + 1, 0.0
        used += entry
    top, left, right = 0.95 if marks else 0.55, 0.85, 0.15
    bottom = 0.6 + 0.32 * rows + (0.1 if rows else 0)
    x0, y0 = left / bw, top / bh
    w, h = max(0.2, 1 - (left + right) / bw), max(0.2, 1 - (top + bottom) / bh)
    plot_area = chart._chartSpace.chart.plotArea
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    ml = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, val in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge"),
                     ("x", x0), ("y", y0), ("w", w), ("h", h)):
        etree.SubElement(ml, qn(f"c:{tag}")).set("val", f"{val:.4f}" if isinstance(val, float) else val)
    return x0, y0, w, h


def mark_months(deck, slide, box: Box, months, marked, x0: float, y0: float, w: float) -> None:
    """An accent marker and label above each key attack's month."""
    n = len(months)
    idx = {m.month: i for i, m in enumerate(months)}
    plot_top = box.y + int(box.h * y0)
    placed: list[tuple[int, int, int]] = []  # (x, right, row)
    for a in marked:
        cx = box.x + int(box.w * (x0 + w * (idx[a.month] + 0.5) / n))
        label = [paragraph(a.place, 14, bold=True, color="accent", align="c", spacing=0.9)]
        lw = pt(deck.measure.longest_line(label[0]) / WRAP_SLACK) + inch(0.1)
        lx = cx - lw // 2
        row = 0
        while any(r == row and not (lx >= right or lx + lw <= x) for x, right, r in placed):
            row += 1
        placed.append((lx, lx + lw, row))
        lh = pt(deck.measure.total(label, 1e9)) + 1
        ly = plot_top - inch(0.22) - lh * (row + 1)
        deck.textbox(slide, Box(lx, ly, lw, lh), label, name=f"Chart label {a.id}", anchor=MSO_ANCHOR.BOTTOM)
        tri = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, cx - inch(0.09), plot_top - inch(0.2),
                                     inch(0.18), inch(0.15))
        tri.rotation = 180
        tri.name = f"Chart marker {a.id}"
        deck.fill(tri, "accent")
        deck.outline(tri, None)
        unstyled(tri)
        decorative(tri)
