"""The pages: masthead of page 1, running footer, footnotes at the foot, the document template."""

from __future__ import annotations

import time
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate

from ... import dates, images
from ...model import Document
from . import rl
from .fonts import Faces
from .layout import Layout
from .placement import share_page
from .tagging import NullTree
from .theme import Theme


class PageDecor:
    """What every page carries besides the text: the masthead band on page 1, the footer on the others.

    All of it is pagination (artifacts): the title block and the text say the same.
    """

    def __init__(self, doc: Document, theme: Theme, faces: Faces, body_size: float, tree=None):
        self.tree = tree if tree is not None else NullTree()
        self.doc = doc
        self.theme = theme
        self.faces = faces
        self.body_size = body_size
        self.accent = colors.HexColor(doc.style.accent)
        self.ink = colors.HexColor(doc.style.ink)
        self.muted = colors.HexColor(doc.style.muted)
        self.warnings: list[str] = []

    def first(self, canv, doc) -> None:
        with self.tree.artifact("Pagination", "Header"):
            self._masthead(canv)

    def _masthead(self, canv) -> None:
        m = self.doc.meta
        w, h = self.theme.page[0], self.theme.page[1]
        band = self.theme.band
        canv.saveState()
        canv.setFillColor(self.accent)
        canv.rect(0, h - band, w, band, stroke=0, fill=1)
        right = w - self.theme.margin_x
        logo = self.doc.style.logo
        if logo is not None:
            lh = band * 0.56
            try:
                self._draw_logo(canv, logo, right, h - band / 2 - lh / 2, lh)
                right -= self._logo_width + self.body_size
            except OSError as exc:  # gone or unreadable since it was checked (PIL's errors are OSErrors)
                self.warnings.append(f"logo {logo.name} not drawn: {exc}")
        series = Line(m.series.upper(), self.faces.sans[True, False], self.body_size * 0.95, spacing=1.4)
        publisher = Line(m.publisher, self.faces.sans[False, False], self.body_size * 0.9)
        left, gap = self.theme.margin_x, self.body_size * 1.5
        floor = self.body_size * self.theme.furniture_floor
        scale = fit_together((series, publisher), right - left - gap, floor)
        canv.setFillColor(colors.white)
        if scale is not None:  # both on one line
            widths = [x.width(scale) for x in (series, publisher)]
        else:
            widths = _shares([x.width(floor / x.size) for x in (series, publisher)], right - left - gap)
        for line, width, edge in ((series, widths[0], left), (publisher, widths[1], right)):
            size, lines, cut = line.fit(width, floor, self.theme.furniture_lines)
            if cut:
                self._warn(f"the header's {'series' if line is series else 'publisher'} name is too long for "
                           f"the band and is cut to \u201c{lines[-1]}\u201d")
            lead = size * 1.2
            base = h - band / 2 - self.body_size * 0.32 * size / line.size + lead * (len(lines) - 1) / 2
            for k, text in enumerate(lines):
                line.draw(canv, text, size, edge, base - k * lead, right_aligned=line is publisher)
        canv.restoreState()

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    _logo_width = 0.0

    def _draw_logo(self, canv, path: Path, right: float, y: float, height: float) -> None:
        """The logo (a PNG or JPEG: validating refuses anything else), upright, `height` high."""
        picture = ImageReader(images.prepared(path).stream())
        iw, ih = picture.getSize()
        self._logo_width = height * iw / ih
        canv.drawImage(picture, right - self._logo_width, y, self._logo_width, height, mask="auto")

    def later(self, canv, doc) -> None:
        with self.tree.artifact("Pagination", "Footer"):
            self._footer(canv, doc)

    def _footer(self, canv, doc) -> None:
        m = self.doc.meta
        y = self.theme.margin_bottom * 0.5
        x0, x1 = self.theme.margin_x, self.theme.page[0] - self.theme.margin_x
        canv.saveState()
        canv.setStrokeColor(self.muted)
        canv.setLineWidth(0.4)
        canv.line(x0, y + self.body_size * 1.15, x1, y + self.body_size * 1.15)
        number = Line(str(doc.page), self.faces.sans[True, False], self.body_size * 0.8)
        canv.setFillColor(self.ink)
        number.draw(canv, number.text, number.size, x1, y, right_aligned=True)
        label = Line(" · ".join(x for x in (m.short_title, m.series, m.publisher_short) if x),
                     self.faces.sans[False, False], self.body_size * 0.74)
        room = x1 - x0 - number.width() - self.body_size * 1.5
        size, lines, cut = label.fit(room, self.body_size * self.theme.furniture_floor, self.theme.furniture_lines)
        if cut:
            self._warn(f"the running footer is too long for its line and is cut to \u201c{lines[-1]}\u201d")
        canv.setFillColor(self.muted)
        lead = size * 1.2
        for k, text in enumerate(lines):
            label.draw(canv, text, size, x0, y + lead * ((len(lines) - 1) / 2 - k))
        canv.restoreState()


class Line:
    """A line of running text (header or footer): its width at a scale, and how it fits a width.

    It fits by shrinking (down to a floor size), then wrapping (up to a number of lines), then
    cutting its last line with an ellipsis.
    """

    def __init__(self, text: str, font: str, size: float, *, spacing: float = 0.0):
        self.text = text
        self.font = font
        self.size = size
        self.spacing = spacing  # letter spacing at `size`, scaled with it

    def measure(self, text: str, size: float) -> float:
        return stringWidth(text, self.font, size) + self.spacing * size / self.size * len(text)

    def width(self, scale: float = 1.0) -> float:
        return self.measure(self.text, self.size * scale)

    def fit(self, width: float, floor: float, most: int) -> tuple[float, list[str], bool]:
        """(size, lines, cut): the text set within `width`."""
        size = self.size
        while size > floor and self.measure(self.text, size) > width:
            size = max(floor, size - 0.25)
        if self.measure(self.text, size) <= width:
            return size, [self.text], False
        lines: list[str] = []
        for word in self.text.split():
            if lines and self.measure(f"{lines[-1]} {word}", size) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        cut = len(lines) > most or any(self.measure(x, size) > width for x in lines)
        if cut:
            lines = lines[:most - 1] + [self._shorten(" ".join(lines[most - 1:]), size, width)]
        return size, lines, cut

    def _shorten(self, text: str, size: float, width: float) -> str:
        if self.measure(text, size) <= width:
            return text
        while text and self.measure(text.rstrip() + "\u2026", size) > width:
            text = text[:-1]
        return text.rstrip() + "\u2026"

    def draw(self, canv, text: str, size: float, x: float, y: float, *, right_aligned: bool = False) -> None:
        canv.setFont(self.font, size)
        if not self.spacing:
            (canv.drawRightString if right_aligned else canv.drawString)(x, y, text)
            return
        if right_aligned:
            x -= self.measure(text, size)
        tx = canv.beginText(x, y)
        tx.setCharSpace(self.spacing * size / self.size)
        tx.textOut(text)
        tx.setCharSpace(0)  # the text state outlives the text object
        canv.drawText(tx)


def fit_together(lines: tuple[Line, ...], width: float, floor: float) -> float | None:
    """The largest scale (1 at most) at which `lines` side by side fit `width`, no type below `floor`; None if none."""
    scale = 1.0
    while sum(x.width(scale) for x in lines) > width:
        scale -= 0.02
        if any(x.size * scale < floor - 1e-9 for x in lines):
            return None
    return scale


def _shares(widths: list[float], room: float) -> list[float]:
    """`room` shared between texts of natural `widths`: one that fits in half keeps its width."""
    a, b = widths
    if a <= room / 2:
        return [a, room - a]
    if b <= room / 2:
        return [room - b, b]
    return [room / 2, room / 2]


class DocTemplate(BaseDocTemplate):
    """Pages with footnotes set at their foot, deferred figures set at their top, a fixed date."""

    def __init__(self, filename, layout: Layout, *, stamp, rule_color, **kw):  # a path, or a file object
        self.layout = layout
        self._stamp = stamp
        self._rule_color = rule_color
        super().__init__(filename, **kw)
        layout.doc = self

    def beforeDocument(self):
        rl.set_time_stamp(self.canv, self._stamp)  # creation and modification date
        self.canv.showOutline()

    def handle_flowable(self, flowables):
        rl.begin_page_first(self, flowables)
        f = flowables[0] if flowables else None
        frame = getattr(self, "frame", None)
        if rl.moved_once(f) and frame is not None and not rl.frame_at_top(frame):
            # moved to this page, it found figures waiting for the page's top set first: it may
            # wait again (ReportLab gives up on a flowable moved twice, taking it for one larger
            # than a page); at the top of an empty page every flowable here fits or splits
            rl.forget_move(f)
        super().handle_flowable(flowables)

    def beforePage(self):
        self.layout.new_page()

    def handle_frameBegin(self, resume=0, pageTopFlowables=None):
        super().handle_frameBegin(resume, pageTopFlowables)
        lay = self.layout
        if lay.floats.deferred and rl.frame_at_top(self.frame):
            figures, lay.floats.deferred = lay.floats.deferred, []
            cites = [n for f in figures for n in getattr(getattr(f, "box", None), "cites", None) or ()]
            room = rl.frame_room(self.frame) - lay.notes.extra(cites)
            share_page(figures, lay.notes.width, room, lay.theme.figure_scales)
            lay.waited(figures)
            for f in figures:
                f.no_defer = True
            rl.hang(self, figures)

    def afterPage(self):
        self.layout.page_ends(rl.frame_room(self.frame))
        notes = self.layout.notes
        if not notes.pieces:
            return
        canv = self.canv
        frame = self.pageTemplate.frames[0]
        x = rl.frame_inner_left(frame)
        theme = self.layout.theme
        top = rl.frame_bottom(frame) + notes.foot_area()
        with self.layout.tree.artifact():  # the footnote rule
            canv.saveState()
            canv.setStrokeColor(self._rule_color)
            canv.setLineWidth(0.5)
            rule_y = top - theme.footnote_rule_space + 6
            canv.line(x, rule_y, x + theme.footnote_rule_length, rule_y)
            canv.restoreState()
        y = top - theme.footnote_rule_space
        for item in notes.pieces:
            h = item.wrap(notes.width, 10_000)[1]
            item.drawOn(canv, x, y - h)
            y -= h + theme.footnote_gap


def stamp_for(doc: Document):
    """The build's fixed timestamp, as ReportLab's invariant mode wants it."""
    from reportlab.lib.utils import TimeStamp

    seconds = int(dates.build_time(doc.meta.date).timestamp())
    stamp = TimeStamp(invariant=1)
    lt = time.gmtime(seconds)
    stamp.t, stamp.lt, stamp.YMDhms = seconds, lt, tuple(lt)[:6]
    stamp.dhh = stamp.dmm = 0
    return stamp
