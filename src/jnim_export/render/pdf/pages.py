"""The pages: masthead of page 1, running footer, footnotes at the foot, the document template."""

from __future__ import annotations

import time
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate

from ... import dates, images
from ...model import Document
from . import rl
from .fonts import Faces
from .layout import Layout
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
        base = h - band / 2 - self.body_size * 0.32
        canv.setFillColor(colors.white)
        canv.setFont(self.faces.sans[True, False], self.body_size * 0.95)
        tx = canv.beginText(self.theme.margin_x, base)
        tx.setCharSpace(1.4)
        tx.textOut(m.series.upper())
        tx.setCharSpace(0)
        canv.drawText(tx)
        right = w - self.theme.margin_x
        logo = self.doc.style.logo
        canv.setFont(self.faces.sans[False, False], self.body_size * 0.9)
        if logo is not None:
            lh = band * 0.56
            try:
                self._draw_logo(canv, logo, right, h - band / 2 - lh / 2, lh)
                right -= self._logo_width + self.body_size
            except OSError as exc:  # gone or unreadable since it was checked (PIL's errors are OSErrors)
                self.warnings.append(f"logo {logo.name} not drawn: {exc}")
        canv.drawRightString(right, base, m.publisher)
        canv.restoreState()

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
        canv.setFillColor(self.muted)
        canv.setFont(self.faces.sans[False, False], self.body_size * 0.74)
        canv.drawString(x0, y, " · ".join(x for x in (m.short_title, m.series, m.publisher_short) if x))
        canv.setFillColor(self.ink)
        canv.setFont(self.faces.sans[True, False], self.body_size * 0.8)
        canv.drawRightString(x1, y, str(doc.page))
        canv.restoreState()


class DocTemplate(BaseDocTemplate):
    """Pages with footnotes set at their foot, deferred figures set at their top, a fixed date."""

    def __init__(self, filename: str, layout: Layout, *, stamp, rule_color, **kw):
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
            for f in figures:
                f.no_defer = True
            rl.hang(self, figures)

    def afterPage(self):
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
