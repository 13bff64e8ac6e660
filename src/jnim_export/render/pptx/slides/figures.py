"""Every figure on a slide of its own, in content order, titled from the figure.

Which slide a figure gets follows its kind's shape in the registry (`jnim_export.kinds`):
maps (``points``) and photos are pictures beside their caption; the others are native,
editable PowerPoint charts holding the figure's table (`Figure.table`; Edit Data opens it):
``monthly`` kinds as columns (stacked by category or not) or a line, the key attacks marked
above the plot; ``ranked`` ones as horizontal bars. A photo that is a leader's photo is on
the leader's card instead (slides/leaders.py).

Key-attack labels are shapes placed here, not chart text: the plot area is pinned to a
manual layout (`pin_plot`), so where each month's column stands is known; the labels take
rows reserved above the plot, under the slide's title (the chart has no title of its own),
each row clear of the others' labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn

from .... import dates, images
from ....fonts import text_width
from ....kinds import KINDS
from ....model import Attack, Figure, note_numbers, plain_text
from ....tables import Row, Table, source_line
from ..citations import note_paras
from ..geometry import EMU_PER_IN, Box, inch, pt, to_pt
from ..kit import decorative, unstyled
from ..pictures import caption_segs, picture
from ..regions import region
from ..textfit import WRAP_SLACK, Para, Seg, inline_segs, paragraph
from ..textset import fit_size, textbox
from ..theme import FIGURE_SHARE, FIGURES, FOOTNOTE_SIZES
from . import Shown

LABEL_SIZE = 14  # pt, the key-attack labels
MARKER_BAND = 0.3  # inches above the plot for the markers, under the label rows
ROW_GAP = 0.06  # inches between two rows of labels
LABEL_GAP = 0.1  # inches between two labels in a row


def add(deck) -> Shown:
    """A slide per figure, in content order; a leader's photo goes on their card instead."""
    leaders = {ld.id for ld in deck.doc.leaders}
    shown, warnings = set(), []
    for fig in deck.doc.figures:
        shown.add(fig.id)
        if fig.kind == "photo" and fig.leader in leaders:
            continue  # on the leader's card
        # by the registry's shape (a chart's numbers: `Figure.table`, never empty, the content checks)
        make = {"photo": picture_slide, "points": picture_slide, "ranked": regions_slide, "monthly": monthly_slide}
        warnings += make[KINDS[fig.kind].shape](deck, fig)
    return Shown(figures=frozenset(shown), warnings=tuple(warnings))


def figure_cites(fig: Figure) -> list[int]:
    return list(note_numbers(fig.caption)) + [n for n in note_numbers(fig.credit) if n not in note_numbers(fig.caption)]


def picture_slide(deck, fig: Figure) -> list[str]:
    """A map or a photo, its caption and credit beside it; where that leaves the picture under
    `FIGURE_SHARE` of the slide, the arrangement that shows it largest: a narrower caption column,
    or the caption under it. Footer citations go with the caption, not under the picture.
    Returns the warnings about the picture."""
    cites = figure_cites(fig)
    slide = deck.new_slide("title_only", fig.title)
    notes = sorted(set(cites)) if deck.citations == "footer" else []
    reg = region(deck, "title_only", [] if notes else cites)
    gap = FIGURES.gap
    aspect = _aspect(fig)

    def make(s, notes_size=FOOTNOTE_SIZES[0]):
        out = [paragraph(caption_segs(fig), s + 2, after=10)]
        if fig.credit:
            out.append(paragraph(inline_segs(fig.credit), s, color="muted", after=8 if notes else 0))
        return out + (note_paras(deck.doc, notes, notes_size) if notes else [])

    def text_fit(w, h):
        """(caption size, notes size, height) of the caption and notes in a column `w` by at most `h`."""
        for ns in FOOTNOTE_SIZES if notes else FOOTNOTE_SIZES[:1]:
            size = fit_size(deck, (16, 15, 14, 13, 12), lambda s: make(s, ns), w, h)
            if size:
                return size, ns, pt(deck.measure.total(make(size, ns), to_pt(w))) + 1
        return 12, FOOTNOTE_SIZES[-1], h

    arrangements: list[tuple[Box, Box | None, float, float]] = []  # (picture, text, sizes), the usual first
    for side_w in (min(FIGURES.side_w, reg.w // 3), min(FIGURES.side_w_narrow, reg.w // 4)):
        size, ns, _ = text_fit(side_w, reg.h)
        pic = Box(reg.x, reg.y, reg.w - side_w - gap, reg.h)
        arrangements.append((pic, Box(pic.right + gap, reg.y, side_w, reg.h), size, ns))
    size, ns, under_h = text_fit(reg.w, reg.h // 3)
    arrangements.append((Box(reg.x, reg.y, reg.w, reg.h - under_h - gap // 2), None, size, ns))
    chosen = arrangements[0]
    if aspect is not None and _shown_area(chosen[0], aspect) < FIGURE_SHARE * deck.W * deck.H:
        chosen = max(arrangements, key=lambda a: _shown_area(a[0], aspect))
    pic_box, side, size, ns = chosen
    shown, warnings = picture(deck, slide, fig, pic_box)
    if side is None:  # under the picture as drawn
        bottom = shown.top + shown.height if shown is not None else pic_box.bottom
        side = Box(reg.x, bottom + gap // 2, reg.w, reg.bottom - bottom - gap // 2)
    caption = make(size, ns)[:len(make(size, ns)) - len(notes)]
    ch = min(side.h, pt(deck.measure.total(caption, to_pt(side.w))) + 1)
    textbox(deck, slide, Box(side.x, side.y, side.w, ch), caption, name="Caption")
    if notes:
        paras = note_paras(deck.doc, notes, ns)
        nh = min(side.h - ch, pt(deck.measure.total(paras, to_pt(side.w))) + 1)
        textbox(deck, slide, Box(side.x, side.y + ch, side.w, nh), paras, name="Citations")
    deck.finish(slide, "title_only", cites, placed=bool(notes))
    return warnings


def _aspect(fig: Figure) -> float | None:
    """Height over width of the picture a figure shows, or None if it is not known before drawing."""
    if fig.kind == "photo":
        if fig.image is None or not Path(fig.image).exists():
            return None
        try:  # upright, as the deck embeds it (the same cached preparation)
            shown = images.prepared(fig.image)
        except OSError:  # unreadable: the deck shows a placeholder and warns (pictures.picture)
            return None
        return shown.height / shown.width
    try:
        from .... import figures as drawings  # the figure kinds' print sizes, without matplotlib
    except ModuleNotFoundError as exc:  # no figure renderer: a placeholder fills the box
        if exc.name != "jnim_export.figures":
            raise
        return None
    w, h = drawings.print_size(fig.kind)
    return h / w


def _shown_area(box: Box, aspect: float) -> float:
    """The area of a picture of `aspect` as large as fits `box`."""
    w = min(box.w, box.h / aspect)
    return w * w * aspect


def caption_paras(deck, fig: Figure, size: float = 12) -> list[Para]:
    """Under a chart: "Figure N: caption" with its notes, then the credit line and the data's (a native
    chart has no artwork to carry it)."""
    out = [paragraph(caption_segs(fig), size, after=2)]
    if fig.credit:
        out.append(paragraph(inline_segs(fig.credit), size, color="muted"))
    if source_line(fig):
        out.append(paragraph([Seg(source_line(fig))], size, color="muted"))
    return out


def monthly_slide(deck, fig: Figure) -> list[str]:
    """A monthly figure's numbers as a native column chart (or line), the key attacks marked over it."""
    table = fig.table()
    assert table is not None  # the content checks a monthly figure has numbers to show
    months = table.rows
    marked = list(fig.marked_attacks(deck.doc.attacks))
    cites = figure_cites(fig)  # the attacks' sources are on the key attacks slides
    slide = deck.new_slide("title_only", fig.title)
    reg = region(deck, "title_only", cites)
    width = to_pt(reg.w)
    key = []
    if marked:
        text = "; ".join(f"{a.place}, {dates.short_date(a.date)}" for a in marked)
        key = [paragraph([Seg("Key attacks: ", bold=True), Seg(text)], 14, after=4)]
    foot = key + caption_paras(deck, fig)
    foot_h = pt(deck.measure.total(foot, width)) + 1
    chart_box = Box(reg.x, reg.y, reg.w, reg.h - foot_h - FIGURES.source_gap)
    monthly_chart(deck, slide, fig, months, chart_box, marked)
    textbox(deck, slide, Box(reg.x, chart_box.bottom + FIGURES.source_gap, reg.w, foot_h), foot, name="Chart source")
    deck.finish(slide, "title_only", cites)
    return []  # a native chart: nothing drawn, nothing to warn of


def regions_slide(deck, fig: Figure) -> list[str]:
    """Events or fatalities by region as native horizontal bars, largest on top."""
    cites = figure_cites(fig)
    slide = deck.new_slide("title_only", fig.title)
    reg = region(deck, "title_only", cites)
    foot = caption_paras(deck, fig)
    foot_h = pt(deck.measure.total(foot, to_pt(reg.w))) + 1
    chart_box = Box(reg.x, reg.y, reg.w, reg.h - foot_h - FIGURES.source_gap)
    regions_chart(deck, slide, fig, chart_box)
    textbox(deck, slide, Box(reg.x, chart_box.bottom + FIGURES.source_gap, reg.w, foot_h), foot, name="Chart source")
    deck.finish(slide, "title_only", cites)
    return []  # a native chart: nothing drawn, nothing to warn of


# --------------------------------------------------------------------------- native charts


def _frame(deck, slide, fig: Figure, kind, box: Box, data: CategoryChartData):
    """A chart frame named and described for the figure, without a chart title (the slide's is)."""
    frame = slide.shapes.add_chart(kind, box.x, box.y, box.w, box.h, data)
    deck._charts.append(frame)
    frame.name = f"Figure {fig.number}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", fig.alt)
    frame._element.nvGraphicFramePr.cNvPr.set("title", plain_text(fig.caption))
    chart = frame.chart
    chart.has_title = False  # and no automatic title from a single series' name
    chart.font.size = FIGURES.text
    if deck.text_family:
        chart.font.name = deck.text_family
    deck.paint(chart.font.color, "ink")
    return frame, chart


def _colour(deck, fill, colour: str, slot: int) -> None:
    """A chart's colour from the content's palette, as in the PDF, on a template too."""
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def _value_axis(deck, axis, title: str) -> None:
    axis.has_major_gridlines = True
    deck.paint(axis.major_gridlines.format.line.color, "rule")
    axis.major_gridlines.format.line.width = FIGURES.gridline
    axis.format.line.fill.background()
    axis.tick_labels.font.size = FIGURES.text
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.has_title = True
    axis.axis_title.text_frame.text = title
    run = axis.axis_title.text_frame.paragraphs[0].runs[0]
    run.font.size = FIGURES.text
    run.font.bold = False


def value_title(table: Table) -> str:
    """The value axis's title: the one drawn column's name, or what stacked columns count."""
    return table.columns[0] if table.drawn == 1 else table.units[0].capitalize()


def monthly_chart(deck, slide, fig: Figure, months: Sequence[Row], box: Box, marked: Sequence[Attack]) -> None:
    table = fig.table()
    assert table is not None
    data = CategoryChartData(number_format="0")
    data.categories = [row.label for row in table.rows]
    series = table.series()  # a category with no events in the window is no column of the table
    for name, values, _ in series:
        data.add_series(name, values)
    stacked = len(series) > 1
    line = KINDS[fig.kind].line
    kind = XL_CHART_TYPE.LINE_MARKERS if line else XL_CHART_TYPE.COLUMN_STACKED if stacked else \
        XL_CHART_TYPE.COLUMN_CLUSTERED
    _, chart = _frame(deck, slide, fig, kind, box, data)
    plot = chart.plots[0]
    if not line:
        plot.gap_width = 45
    if stacked:
        plot.overlap = 100
    pal = deck.doc.style.palette or (deck.doc.style.accent,)
    for s, (_, _, slot) in zip(plot.series, series, strict=True):
        # a category keeps its colour whichever others are absent, as in the drawn chart
        colour = pal[slot % len(pal)] if stacked else deck.doc.style.accent
        if line:
            s.smooth = False
            deck.paint(s.format.line.color, "accent")  # a line is one series, in the accent
            s.format.line.width = FIGURES.line_w
            s.marker.format.fill.solid()
            _colour(deck, s.marker.format.fill, colour, slot)
        else:
            _colour(deck, s.format.fill, colour, slot)
    chart.has_legend = stacked
    if stacked:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = FIGURES.text
    _value_axis(deck, chart.value_axis, value_title(table))
    ca = chart.category_axis
    ca.tick_labels.font.size = FIGURES.small_ticks if len(months) > 12 else FIGURES.text
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    deck.paint(ca.format.line.color, "rule")
    legend = [name for name, _, _ in series] if stacked else []
    labels = label_rows(deck, box, months, marked) if months else []
    rows = max((lb.row + 1 for lb in labels), default=0)
    row_h = max((lb.box.h for lb in labels), default=0)
    top = (rows * (row_h + inch(ROW_GAP))) / EMU_PER_IN + MARKER_BAND + 0.05 if labels else 0.25
    plot = pin_plot(deck, chart, box, top, legend)
    if labels:
        mark_months(deck, slide, plot, labels, len(months))


def regions_chart(deck, slide, fig: Figure, box: Box) -> None:
    # a bar chart draws its first category at the bottom: listed smallest first, so that the
    # largest is on top (reversing the axis instead moves the value axis to the top in some viewers)
    table = fig.table()
    assert table is not None
    bars = tuple(reversed(table.rows))
    data = CategoryChartData(number_format="#,##0")
    data.categories = [b.name for b in bars]
    what = value_title(table)
    data.add_series(what, [b.values[0] for b in bars])
    _, chart = _frame(deck, slide, fig, XL_CHART_TYPE.BAR_CLUSTERED, box, data)
    plot = chart.plots[0]
    plot.gap_width = 40
    series = plot.series[0]
    _colour(deck, series.format.fill, deck.doc.style.accent, 0)
    for k, b in enumerate(bars):
        if b.rest:  # "Other" in a lighter colour, as in the PDF chart
            fill = series.points[k].format.fill
            fill.solid()
            fill.fore_color.rgb = RGBColor.from_string(_tint(deck.doc.style.accent))
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = "#,##0"
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = FIGURES.text
    chart.has_legend = False
    _value_axis(deck, chart.value_axis, what)
    ca = chart.category_axis
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.tick_labels.font.size = FIGURES.text
    deck.paint(ca.format.line.color, "rule")


def _tint(colour: str) -> str:
    c = colour.lstrip("#")
    rgb = [int(c[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(v + (255 - v) * 0.45):02X}" for v in rgb)


# --------------------------------------------------------------------------- the plot and its labels


@dataclass(frozen=True)
class PlotBox:
    """The plot area (inner) as fractions of the chart frame, and on the slide (EMU)."""

    x: float
    y: float
    w: float
    h: float
    box: Box


def pin_plot(deck, chart, box: Box, top: float, legend: Sequence[str]) -> PlotBox:
    """Pin the plot area (inner) to known fractions of the frame, `top` inches below its top edge,
    so that marks can be placed over it; below is room for two-line month labels and the legend,
    on the left for the value labels and the axis title."""
    bw, bh = box.w / EMU_PER_IN, box.h / EMU_PER_IN
    rows, used = (1, 0.0) if legend else (0, 0.0)
    for name in legend:  # legend entries wrap like words: key, name, gap
        entry = (text_width(name, deck.measure.family, 14) * deck.measure.width_factor + 22) / 72
        if used and used + entry > bw - 0.4:
            rows, used = rows + 1, 0.0
        used += entry
    left, right = 0.85, 0.15
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
    # the box as the file states it (four decimals)
    x0, y0, w, h = (round(v, 4) for v in (x0, y0, w, h))
    return PlotBox(x0, y0, w, h, Box(box.x + int(box.w * x0), box.y + int(box.h * y0), int(box.w * w), int(box.h * h)))


@dataclass(frozen=True)
class MonthLabel:
    attacks: tuple[Attack, ...]  # the key attacks of one month
    month: int  # index in the chart's months
    row: int  # 0: just above the markers
    paras: tuple[Para, ...]
    box: Box  # x and size final; y set by `mark_months`


def label_rows(deck, frame: Box, months, marked: Sequence[Attack]) -> list[MonthLabel]:
    """A label per marked month, centred over its column (as the plot will be pinned) within the
    chart's width, in the lowest row where it keeps clear of the labels already there."""
    index = {m.month: i for i, m in enumerate(months)}
    by_month: dict[int, list[Attack]] = {}
    for a in marked:
        by_month.setdefault(index[a.month], []).append(a)
    # the plot's horizontal extent does not depend on the rows (see pin_plot)
    bw = frame.w / EMU_PER_IN
    x0, w = round(0.85 / bw, 4), round(max(0.2, 1 - (0.85 + 0.15) / bw), 4)
    n = len(months)
    gap = inch(LABEL_GAP)
    rows: list[list[tuple[int, int]]] = []  # per row, the (left, right) of its labels
    out = []
    for i, attacks in sorted(by_month.items()):
        places = list(dict.fromkeys(a.place for a in attacks))
        para = paragraph(" / ".join(places), LABEL_SIZE, bold=True, color="accent", align="c", spacing=0.9)
        lw = min(frame.w, pt(deck.measure.longest_line(para) / WRAP_SLACK) + FIGURES.label_pad)
        lh = pt(deck.measure.total([para], 1e9)) + 1
        cx = frame.x + int(frame.w * (x0 + w * (i + 0.5) / n))
        lx = max(frame.x, min(cx - lw // 2, frame.right - lw))
        row = 0
        while row < len(rows) and any(lx < right + gap and left < lx + lw + gap for left, right in rows[row]):
            row += 1
        if row == len(rows):
            rows.append([])
        rows[row].append((lx, lx + lw))
        out.append(MonthLabel(tuple(attacks), i, row, (para,), Box(lx, 0, lw, lh)))
    return out


def mark_months(deck, slide, plot: PlotBox, labels: Sequence[MonthLabel], n: int) -> None:
    """An accent marker above each marked month's column, its label in its row above the markers."""
    plot_top = plot.box.y
    row_h = max(lb.box.h for lb in labels) + inch(ROW_GAP)
    # read top row first: a label is never read after one below it (a narrow chart stacks rows)
    for lb in sorted(labels, key=lambda lb: -lb.row):
        cx = plot.box.x + int(plot.box.w * (lb.month + 0.5) / n)
        ly = plot_top - inch(MARKER_BAND) - lb.box.h - lb.row * row_h
        names = "-".join(a.id for a in lb.attacks)
        textbox(deck, slide, Box(lb.box.x, ly, lb.box.w, lb.box.h), list(lb.paras), name=f"Chart label {names}",
                     anchor=MSO_ANCHOR.BOTTOM)
        tri = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, cx - FIGURES.marker_w // 2,
                                     plot_top - FIGURES.marker_top, FIGURES.marker_w, FIGURES.marker_h)
        tri.rotation = 180
        tri.name = f"Chart marker {names}"
        deck.fill(tri, "accent")
        deck.outline(tri, None)
        unstyled(tri)
        decorative(tri)
