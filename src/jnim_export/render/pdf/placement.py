"""Where figures go: in the column, floated beside the text, or moved to the top of the next page."""

from __future__ import annotations

import math

from reportlab.platypus import Flowable

from .artwork import FigureBox
from .flowables import Block
from .layout import Layout
from .theme import FUZZ


class FigureFlowable(Flowable):
    """A figure in the text column (never split); clears an active float.

    When it does not fit and the page still has room for a few lines of text, it is
    deferred to the top of the next page and the text that follows fills the page (as a
    typesetter would); a `Barrier` before the next heading and before the closing matter
    sets deferred figures at the latest there, so a figure never leaves its section.
    """

    def __init__(self, box: FigureBox, layout: Layout, *, fraction: float, leading: float):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.spaceBefore = layout.theme.figure_space
        self.spaceAfter = layout.theme.figure_space + 2
        self.leading = leading
        self.no_defer = False

    def _measure(self, aW, aH, scale: float = 1.0) -> float:
        self._clear = self.layout.floats.clearance(aH)
        return self._clear + self.box.wrap(aW * self.fraction * scale)

    def wrap(self, aW, aH):
        lay = self.layout
        h = self._measure(aW, aH)
        need = h + lay.notes.extra(self.box.cites)
        queue = lay.floats.deferred
        waiting = bool(queue) and self not in queue and not self.no_defer
        if need > aH + FUZZ and self.box.cites and not waiting and not lay.at_top():
            # it may not move below later text (its callouts would come after that text's):
            # set smaller, if that is enough, rather than leave the rest of the page empty
            for scale in lay.theme.figure_scales:
                if not self.box.legible(aW * self.fraction * scale):
                    break  # smaller still, its type would be too small to read
                h = self._measure(aW, aH, scale)
                need = h + lay.notes.extra(self.box.cites)
                if need <= aH + FUZZ:
                    break
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
        return self._measure(aW, aH) + self.layout.notes.extra(self.box.cites)

    def split(self, aW, aH):
        lay = self.layout
        if self.no_defer or lay.at_top():
            return []
        if self.box.cites:
            return []  # moved below later text, its callouts would come after that text's: numbers out of order
        if lay.floats.deferred or aH >= lay.theme.min_fill_lines * self.leading:
            lay.floats.deferred.append(self)
            return [Zero(self.box)]  # keeps the figure's place in the reading order
        return []

    def draw(self):
        new = self.layout.notes.commit(self.box.cites)
        x = (self.width - self.box.width) / 2
        self.box.draw(self.canv, x, self.height - self._clear)
        self.layout.place_notes(new)


class Zero(Flowable):
    """Nothing, taking no room (what remains of a deferred figure in the flow).

    In the structure tree the figure is placed here, where the text refers to it, although
    it is drawn at the top of a later page.
    """

    def __init__(self, box: FigureBox | None = None):
        super().__init__()
        self.box = box

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self):
        if self.box is not None:
            self.box.tree.place(self.box.group)


class Barrier(Flowable):
    """Figures deferred so far are set here at the latest (before a heading, before the closing)."""

    def wrap(self, aW, aH):
        return (aW, aH + 1) if self.layout.floats.deferred else (0, 0)

    def __init__(self, layout: Layout):
        super().__init__()
        self.layout = layout

    def split(self, aW, aH):
        from reportlab.platypus.doctemplate import NullActionFlowable

        figures, self.layout.floats.deferred = self.layout.floats.deferred, []
        for f in figures:
            f.no_defer = True
        return [NullActionFlowable(), *figures]  # an action first: each figure is then placed as usual

    def draw(self):
        pass


class Float(Flowable):
    """A figure floated right: no height in the flow, the text beside it runs narrower.

    It needs room for itself and, below it, for its notes and those of the lines beside it.
    Without that room, an uncited float waits for the top of the next page, set there in the
    column, while the text fills this one (a cited one moves with its text: its callouts keep
    their order).
    (Below an earlier float still reaching down, it starts where that one ends.)
    """

    def __init__(self, box: FigureBox, layout: Layout, *, fraction: float, gutter: float, leading: float):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.gutter = gutter
        self.leading = leading
        self.beside: Block | None = None  # the text block set beside it, once known
        self.no_defer = False

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
        if need > aH + FUZZ:
            return aW, need
        return aW, self.height

    def split(self, aW, aH):
        lay = self.layout
        if lay.at_top():  # too tall beside the text even here: in the column, where it may shrink
            return [FigureFlowable(self.box, lay, fraction=lay.theme.photo_width, leading=self.leading)]
        if self.box.cites or self.no_defer or aH < lay.theme.min_fill_lines * self.leading:
            return []
        # at the top of the next page it stands in the column: text that follows there may be a
        # new section's, which never runs beside a figure of the section before
        lay.floats.deferred.append(FigureFlowable(self.box, lay, fraction=lay.theme.photo_width, leading=self.leading))
        return [Zero(self.box)]  # keeps the figure's place in the reading order

    def draw(self):
        lay = self.layout
        new = lay.notes.commit(self.box.cites)
        canv = self.canv
        bw = self.box.width
        self.box.draw(canv, self.width - bw, 0)
        lay.place_notes(new)
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
