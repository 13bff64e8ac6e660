"""Where figures go: in the column, floated beside the text, or moved to the top of the next page."""

from __future__ import annotations

import math

from reportlab.platypus import Flowable

from .artwork import FigureBox
from .flowables import Block
from .markup import line_cites
from .layout import Layout, open_lines
from .theme import FUZZ


def fill(after: list, aW: float, layout: Layout, cites) -> float:
    """How much of a page the text `after` a figure citing `cites` can fill before it: all of it, or
    in a strict layout its lines up to the first citing a note after one of the waiting figures'
    not yet met (`open_lines`). The figures and quotes among that text wait with it (their notes
    then too); in a strict layout a quote citing a note stops it (it moves whole with its text)."""
    total = 0.0
    seen: set[int] = set()
    pending = layout.pending(cites)
    for block in after:
        if isinstance(block, (FigureFlowable, Float)):
            pending |= layout.pending(block.box.cites)
            continue
        para = block.block.para if isinstance(block, Quote) else block.para
        para.narrow = 0
        para.wrap(aW, 1e6)
        lines = line_cites(para)
        if isinstance(block, Quote):
            if layout.strict and any(lines):
                return total
            continue
        k = open_lines(lines, pending, seen)
        total += k * block.leading
        if k < len(lines):
            return total
        total += block.getSpaceAfter()
    return total


class FigureFlowable(Flowable):
    """A figure in the text column (never split); clears an active float.

    When it does not fit: if the text that follows (`after`, up to the next figure or
    heading) can fill the rest of the page, the figure waits for the top of the next page
    while that text fills this one, as a typesetter would; failing that it is set smaller
    (while its type stays legible) to fit here; failing that it waits while what text there
    is fills the page. In a strict layout, text set before a waiting figure cites no note
    after the figure's (`Layout.pending`). A `Barrier` before the next heading and before the closing matter
    sets waiting figures at the latest there, so a figure never leaves its section.
    """

    def __init__(self, box: FigureBox, layout: Layout, *, fraction: float, leading: float,
                 after: list[Flowable] | None = None, spans: bool = False):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.spans = spans  # a panorama: the column's width or nothing, so never set smaller
        self.spaceBefore = layout.theme.figure_space
        self.spaceAfter = layout.theme.figure_space + 2
        self.leading = leading
        self.after = after if after is not None else []
        self.no_defer = False
        self.stays = False  # waits for the next page only behind a figure waiting already
        self._defer = False
        self.cap = 1.0  # the most it is set at: less when it shares a page with figures waiting with it

    def _measure(self, aW, aH, scale: float = 1.0) -> float:
        self._clear = self.layout.floats.clearance(aH)
        return self._clear + self.box.wrap(aW * self.fraction * min(scale, self.cap))

    def shrinks(self, aW: float, scale: float) -> bool:
        """Whether it may be set `scale` times as wide (a panorama never: it spans the column)."""
        return scale == 1 or not self.spans and self.box.legible(aW * self.fraction * scale)

    def _fill(self, aW: float) -> float:
        return fill(self.after, aW, self.layout, self.box.cites)

    def _plan(self, aW, aH) -> tuple[float, float]:
        """The height to set and the height needed with its notes; sets whether it would rather wait."""
        lay, theme = self.layout, self.layout.theme
        self.box.reshape(1)
        h = self._measure(aW, aH)
        need = h + lay.notes.extra(self.box.cites)
        self._defer = False
        gap = theme.page_gap * theme.page[1]
        if need <= aH + FUZZ or lay.at_top() or (self.no_defer and aH <= gap):
            return h, need
        lines = theme.min_fill_lines * self.leading
        # one that may not wait (set at a section's end) is set smaller rather than leave a gap
        text = self._fill(aW) if aH >= lines and not (self.no_defer or self.stays) else 0.0
        if text >= aH - gap and not self.no_defer:
            self._defer = True  # the text fills the page: the figure goes overleaf whole
            return h, need
        smaller = self._smaller(aW, aH)  # too little text: smaller, to stay on its page
        if smaller is not None:
            return smaller, smaller + lay.notes.extra(self.box.cites)
        self.box.reshape(1)
        h = self._measure(aW, aH)
        self._defer = text >= lines and not self.no_defer
        return h, need

    def _smaller(self, aW, aH) -> float | None:
        """The height of the figure set smaller to fit `aH` with its notes, or None: narrower while
        its type stays legible, else drawn shorter (type as large), else both; a panorama never."""
        theme = self.layout.theme
        scales = () if self.spans else theme.figure_scales
        tries = [(1.0, s) for s in scales] + [(r, 1.0) for r in theme.figure_shorter]
        tries += [(r, s) for r in theme.figure_shorter for s in scales]
        for ratio, scale in tries:
            if not self.box.reshape(ratio) or (scale < 1 and not self.box.legible(aW * self.fraction * scale)):
                continue
            hs = self._measure(aW, aH, scale)
            if hs + self.layout.notes.extra(self.box.cites) <= aH + FUZZ:
                return hs
        return None

    def wrap(self, aW, aH):
        lay = self.layout
        queue = lay.floats.deferred
        waiting = bool(queue) and self not in queue and not self.no_defer
        h, need = self._plan(aW, aH)
        if need > aH + FUZZ and not waiting and lay.at_top():
            # as empty as a page gets (notes carried over may fill its foot): the graphic shrinks
            extra = lay.notes.extra(self.box.cites)
            h = self._clear + self.box.wrap(aW * self.fraction, max_height=aH - self._clear - extra)
            need = h + extra
        self.width, self.height = aW, h
        if need > aH + FUZZ or waiting:
            return aW, max(need, aH + 1)
        return aW, h

    def min_height(self, aW, aH):
        """What a heading above needs below it: the figure (perhaps smaller), or lines of text if it waits."""
        h, need = self._plan(aW, aH)
        return 2 * self.leading if self._defer else need

    def split(self, aW, aH):
        lay = self.layout
        if lay.at_top():
            return []
        if not self.no_defer and (lay.floats.deferred or self._defer):
            lay.floats.deferred.append(self)
            return [Zero(self.box.tree, self.box.group)]  # keeps the figure's place in the reading order
        if aH > lay.theme.page_gap * lay.theme.page[1]:
            lay.stranded[self.box.figure.id] = aH
        return []

    def draw(self):
        new = self.layout.notes.commit(self.box.cites)
        x = (self.width - self.box.width) / 2
        self.box.draw(self.canv, x, self.height - self._clear)
        self.layout.place_notes(new)
        self.layout.set_figure(self.box.figure)


def share_page(waiting: list, aW: float, room: float, scales) -> None:
    """Figures waiting for the top of a page (`waiting`), more than `room` holds: each set the
    same amount smaller (while its type stays legible, a panorama never), the most at which they
    all fit, so that none moves a page further from its mention; if no amount does, as they are."""
    def height(f, scale: float) -> float:
        if isinstance(f, FigureFlowable):
            f.box.reshape(1)
            shown = scale if f.shrinks(aW, scale) else 1.0
            return f.box.wrap(aW * f.fraction * shown) + f.spaceBefore + f.spaceAfter
        if isinstance(f, Float):
            return f.box.wrap(aW * f.fraction)
        return f.wrap(aW, room)[1] + f.getSpaceBefore() + f.getSpaceAfter()

    if len(waiting) < 2 or sum(height(f, 1.0) for f in waiting) <= room:
        return
    for scale in scales:
        if sum(height(f, scale) for f in waiting) <= room:
            for f in waiting:
                if isinstance(f, FigureFlowable) and f.shrinks(aW, scale):
                    f.cap = scale
            return


class Zero(Flowable):
    """Nothing, taking no room (what remains of a deferred figure or quote in the flow).

    In the structure tree its element is placed here, where the text refers to it, although
    it is drawn at the top of a later page.
    """

    def __init__(self, tree, elem):
        super().__init__()
        self.tree = tree
        self.elem = elem

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self):
        self.tree.place(self.elem)


class Quote(Flowable):
    """A pull quote, kept whole: one box on one page.

    Without room for it here it waits for the top of the next page while the text that
    follows fills this one, as a deferred figure does (in a strict layout a quote citing notes
    moves whole with its text instead: its callouts keep their order). Only a quote taller
    than a page splits.
    """

    def __init__(self, block: Block, layout: Layout, *, leading: float):
        super().__init__()
        self.block = block
        self.layout = layout
        self.leading = leading
        self.no_defer = False

    def getSpaceBefore(self):
        return self.block.getSpaceBefore()

    def getSpaceAfter(self):
        return self.block.getSpaceAfter()

    def min_height(self, aW, aH):
        """What a heading above needs below it: the quote whole with its notes, or two lines of
        the text after it when the quote would wait for the next page (see `split`)."""
        lay = self.layout
        need = self.wrap(aW, aH)[1] + lay.notes.extra(self.block.all_cites())
        waits = not (self.no_defer or self.block.all_cites()) and aH >= lay.theme.min_fill_lines * self.leading
        return 2 * self.leading if need > aH + FUZZ and waits else need

    def wrap(self, aW, aH):
        queue = self.layout.floats.deferred
        # below a float reaching down (one set first at the top of the page this quote moved to)
        clear = self.layout.floats.clearance(aH)
        w, h = self.block.wrap(aW, aH - clear)
        h += clear
        self.width, self.height = w, h
        if queue and self not in queue and not self.no_defer:
            return aW, max(h, aH + 1)  # after a deferred figure or quote, never before it
        return w, h

    def split(self, aW, aH):
        lay = self.layout
        if lay.at_top():
            return self.block.split(aW, aH)
        if self.no_defer or (lay.strict and self.block.all_cites()):
            return []
        if lay.floats.deferred or aH >= lay.theme.min_fill_lines * self.leading:
            lay.floats.deferred.append(self)
            return [Zero(lay.tree, self.block.struct)]
        return []

    def draw(self):
        self.block.drawOn(self.canv, 0, 0)


class Barrier(Flowable):
    """Figures deferred so far are set here at the latest (before a heading, before the closing)."""

    def wrap(self, aW, aH):
        return (aW, aH + 1) if self.layout.floats.deferred else (0, 0)

    def __init__(self, layout: Layout):
        super().__init__()
        self.layout = layout

    def split(self, aW, aH):
        from reportlab.platypus import PageBreak
        from reportlab.platypus.doctemplate import NullActionFlowable

        lay = self.layout
        # a float here would stand beside nothing (the text after it is another section's)
        figures = [f.column() if isinstance(f, Float) else f for f in lay.floats.deferred]
        if not lay.at_top() and aH <= lay.theme.page_gap * lay.theme.page[1]:
            # no room worth a figure here: all set together at the top of the next page, where
            # they may share it (`share_page`) rather than run on over two
            lay.floats.deferred = figures
            return [PageBreak()]  # (the next page's top sets what waits: see `pages.DocTemplate`)
        lay.floats.deferred = []
        lay.waited(figures)
        for f in figures:
            f.no_defer = True
        return [NullActionFlowable(), *figures]  # an action first: each figure is then placed as usual

    def draw(self):
        pass


class Float(Flowable):
    """A figure floated right: no height in the flow, the text beside it runs narrower.

    It needs room for itself and, below it, for its notes and those of the lines beside it.
    Without that room it waits for the top of the next page, floated there beside its text,
    when the text that follows can fill this page (as a column figure, `FigureFlowable`
    decides); at a `Barrier` it is set in the column.
    (Below an earlier float still reaching down, it starts where that one ends.)
    """

    def __init__(self, box: FigureBox, layout: Layout, *, fraction: float, gutter: float, leading: float,
                 after: list[Flowable] | None = None):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.gutter = gutter
        self.leading = leading
        self.after = after if after is not None else []
        self.beside: Block | None = None  # the text block set beside it, once known
        self.no_defer = False
        self.stays = False  # as a column figure's

    def min_height(self, aW, aH):
        h = self.box.wrap(aW * self.fraction)
        cites = list(self.box.cites)
        if self.beside is not None and not self.no_defer:  # once moved, its text block has moved on
            lines = math.ceil((h + self.gutter * 0.6) / self.leading)
            cites += self.beside.cites_beside(aW, lines, self.box.width + self.gutter)
        return h + self.layout.notes.extra(cites)

    def wrap(self, aW, aH):
        self.width = aW
        self.height = self.layout.floats.clearance(aH)
        need = self.height + self.min_height(aW, aH) + 2 * self.leading
        queue = self.layout.floats.deferred
        if need > aH + FUZZ or (queue and self not in queue and not self.no_defer):
            return aW, max(need, aH + 1)
        return aW, self.height

    def column(self) -> FigureFlowable:
        """The same figure set in the column."""
        column = FigureFlowable(self.box, self.layout, fraction=self.layout.theme.photo_width, leading=self.leading,
                                after=self.after)
        column.stays = self.stays
        return column

    def split(self, aW, aH):
        lay = self.layout
        if lay.at_top():  # too tall beside the text even here: in the column, where it may shrink
            return [self.column()]
        if self.no_defer:
            return []
        enough = aH >= lay.theme.min_fill_lines * self.leading and not self.stays
        text = fill(self.after, aW, lay, self.box.cites) if enough else 0.0
        if lay.floats.deferred or text >= aH - lay.theme.page_gap * lay.theme.page[1]:
            lay.floats.deferred.append(self)
            return [Zero(self.box.tree, self.box.group)]  # keeps the figure's place in the reading order
        for scale in lay.theme.figure_scales:  # too little text to fill the page: smaller, beside its text
            smaller = Float(self.box, lay, fraction=self.fraction * scale, gutter=self.gutter, leading=self.leading,
                            after=self.after)
            smaller.beside = self.beside
            if smaller.wrap(aW, aH)[1] <= aH + FUZZ:
                return [smaller]
        self.box.wrap(aW * self.fraction)
        from reportlab.platypus.doctemplate import NullActionFlowable

        # still too little room: in the column, smaller if need be (an action first:
        # the column figure is then placed as usual, fitting or not)
        return [NullActionFlowable(), self.column()]

    def draw(self):
        lay = self.layout
        new = lay.notes.commit(self.box.cites)
        canv = self.canv
        bw = self.box.width
        self.box.draw(canv, self.width - bw, 0)
        lay.place_notes(new)
        lay.set_figure(self.box.figure)
        _, top = canv.absolutePosition(0, 0)
        lay.floats.bottom = top - self.box.height - self.gutter * 0.6
        lay.floats.cut = bw + self.gutter


class Clear(Flowable):
    """Room down to below a float still reaching down: only body text runs beside a float."""

    def __init__(self, layout: Layout):
        super().__init__()
        self.layout = layout

    def wrap(self, aW, aH):
        self.height = self.layout.floats.clearance(aH)
        return aW, self.height

    def split(self, aW, aH):
        return []  # the float ends below this page: go on at the top of the next one

    def draw(self):
        pass
