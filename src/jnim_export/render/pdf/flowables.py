"""The text flowables: paragraphs that keep their footnotes on their page, headings, rules, notes."""

from __future__ import annotations

import contextlib
from typing import Any, Callable

from reportlab.platypus import Flowable, Paragraph

from . import rl
from .layout import Layout, open_lines
from .markup import line_cites
from .tagging import NullTree
from .theme import FUZZ


class Para(Paragraph):
    """A Paragraph whose first `narrow` lines are `cut` points shorter (text beside a float)."""

    narrow = 0
    cut = 0.0

    def wrap(self, availWidth, availHeight):
        if not (self.narrow and self.cut) or availWidth < 1:
            return super().wrap(availWidth, availHeight)
        style = self.style
        self.width = availWidth
        full = availWidth - style.leftIndent - style.rightIndent
        widths = [full - self.cut] * self.narrow + [full]
        widths[0] -= style.firstLineIndent
        rl.set_line_widths(self, widths)
        self.blPara = self.breakLines(widths)
        self.height = len(self.blPara.lines) * style.leading
        return self.width, self.height


class Block(Flowable):
    """A text block: keeps its footnotes on its page, splits line by line, flows beside a float.

    In the structure tree it is one element (`tag`, made once: a block split over two pages
    is one element with content on both), its decoration an artifact.
    """

    def __init__(self, para: Para, layout: Layout, *, decorate: Callable | None = None, force: bool = False,
                 pad: tuple[float, float] = (0.0, 0.0), tag: str = "P", struct=None, **attrs):
        super().__init__()
        self.para = para
        self.layout = layout
        self.struct = struct if struct is not None else layout.tree.element(tag, **attrs)
        self.decorate = decorate  # draws behind the text (pull quote tint), gets (canv, w, h)
        self.pad = pad  # room above and below the text, inside the decoration
        self.force = force  # set even if its notes overflow (a single line on an empty page)
        self.cites: list[tuple[int, ...]] = []
        self.width = self.height = 0.0
        self.runs_on = False  # its paragraph goes on in another block (after a figure): no space after

    @property
    def leading(self) -> float:
        return self.para.style.leading

    def getSpaceBefore(self):
        return self.para.style.spaceBefore

    def getSpaceAfter(self):
        return 0.0 if self.runs_on else self.para.style.spaceAfter

    def _layout_para(self, aW: float, aH: float) -> float:
        para = self.para
        para.narrow = self.layout.floats.narrow_lines(aH, self.leading)
        para.cut = self.layout.floats.cut
        _, h = para.wrap(aW, aH)
        self.cites = line_cites(para)
        return h

    def all_cites(self, lines: int | None = None) -> list[int]:
        return [n for line in self.cites[:lines] for n in line]

    def _fits(self, height: float, cites: list[int], aH: float) -> bool:
        """Whether `height` of text and the notes of `cites` fit in `aH`, the notes below any float."""
        extra = self.layout.notes.extra(cites)
        return height + extra <= aH + FUZZ and extra <= self.layout.floats.note_room() + FUZZ

    def _open_lines(self) -> int:
        """How many lines may be set here: those before the first citing a note after a waiting figure's."""
        return open_lines(self.cites, self.layout.pending())

    def wrap(self, aW, aH):
        h = self._layout_para(aW, aH) + sum(self.pad)
        self.width, self.height = aW, h
        if self._open_lines() < len(self.cites):
            return aW, max(h, aH + 1)
        if not self.force and not self._fits(h, self.all_cites(), aH):
            return aW, max(h + self.layout.notes.extra(self.all_cites()), aH + 1)
        return aW, h

    def cites_beside(self, aW: float, lines: int, cut: float) -> list[int]:
        """The notes cited in the first `lines` lines when they run `cut` points shorter."""
        para = self.para
        para.narrow, para.cut = lines, cut
        para.wrap(aW, 1e6)
        return [n for line in line_cites(para)[:lines] for n in line]

    def min_height(self, aW: float, aH: float) -> float:
        """The least this block needs on a page: two lines (or all, if fewer) and their notes."""
        self._layout_para(aW, aH)
        k = min(2, len(self.cites))
        return k * self.leading + sum(self.pad) + self.layout.notes.extra(self.all_cites(k))

    def split(self, aW, aH):
        self._layout_para(aW, aH)
        n = len(self.cites)
        lay = self.layout
        aH -= sum(self.pad)
        best = 0
        for k in range(1, self._open_lines() + 1):
            if self._fits(k * self.leading, self.all_cites(k), aH):
                best = k
            else:
                break
        if best >= n:
            return [self]
        if best == 1 and n > 1 and not lay.at_top():
            best = 0  # no orphan: a lone first line at the foot of a page
        if n - best == 1 and best >= 3:
            best -= 1  # no widow: give the last line company
        force = False
        if best == 0:
            if not (lay.at_top() and not lay.notes.pieces):
                return []
            # An empty page cannot hold even one line with its notes: set what fits anyway.
            best = max(1, int((aH + FUZZ) // self.leading))
            force = True
            lay.warnings.append(
                f"footnotes of page {lay.doc.page if lay.doc else '?'} are longer than the page; "
                "they overlap the text"
            )
            if best >= n:
                return [Block(self.para, lay, decorate=self.decorate, force=True, pad=self.pad, struct=self.struct)]
        pieces = self.para.split(aW, best * self.leading + 1e-3)
        if len(pieces) != 2:
            return [] if not pieces else [self]
        first, rest = pieces
        assert isinstance(first, Para) and isinstance(rest, Para)  # a paragraph splits into two of its class
        rest_block = Block(rest, lay, decorate=self.decorate, pad=self.pad, struct=self.struct)
        rest_block.runs_on = self.runs_on
        return [Block(first, lay, decorate=self.decorate, force=force, pad=self.pad, struct=self.struct), rest_block]

    def draw(self):
        lay = self.layout
        tree = lay.tree
        new = lay.notes.commit(self.all_cites())
        if self.decorate:
            with tree.artifact():  # the pull quote's tint and bar
                self.decorate(self.canv, self.width, self.height)
        with tree.tag(self.struct):
            self.para.drawOn(self.canv, 0, self.pad[1])
        lay.place_notes(new)
        lay.set_text(self.struct, self.para.getPlainText())


class Heading(Block):
    """A section heading: never alone at the foot of a page; an outline entry and destination."""

    def __init__(self, para: Para, layout: Layout, *, key: str, title: str, level: int = 0):
        super().__init__(para, layout, tag=f"H{level + 2}")  # H1 is the document's title
        self.key = key
        self.title = title
        self.level = level
        self.follow: Flowable | FirstNote | None = None

    def wrap(self, aW, aH):
        w, h = super().wrap(aW, aH)
        if h > aH or self.follow is None or self.layout.at_top():
            return w, h
        rest = aH - h - max(self.getSpaceAfter(), self.follow.getSpaceBefore())
        need = getattr(self.follow, "min_height", lambda *_: 0.0)(aW, rest)
        if need > rest + FUZZ:  # h + need alone may still fit aH: the space between them is not in it
            return w, max(h + need, aH + 1)
        return w, h

    def split(self, aW, aH):
        return []

    def draw(self):
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + self.para.style.fontSize * 0.6)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        super().draw()


class Rule(Flowable):
    """A horizontal rule across the column (an artifact)."""

    def __init__(self, thickness: float, color, *, space_before: float = 0, space_after: float = 0, tree=None):
        super().__init__()
        self.tree = tree if tree is not None else NullTree()
        self.thickness = thickness
        self.color = color
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def wrap(self, aW, aH):
        self.width = aW
        return aW, self.thickness

    def draw(self):
        with self.tree.artifact():
            self.canv.setStrokeColor(self.color)
            self.canv.setLineWidth(self.thickness)
            y = self.thickness / 2
            self.canv.line(0, y, self.width, y)


class FlushNotes(Flowable):
    """At the end of the story: pages until the rests of long footnotes are all set."""

    def __init__(self, layout: Layout):
        super().__init__()
        self.layout = layout

    def wrap(self, aW, aH):
        self.layout.notes.flushing = True
        return (aW, aH + 1) if self.layout.notes.carry else (0, 0)

    def split(self, aW, aH):
        from reportlab.platypus import PageBreak, Spacer

        # the Spacer is this page's content: a page of notes only is not an empty page to ReportLab
        return [Spacer(0, 0), PageBreak(), self] if self.layout.notes.carry else []

    def draw(self):
        pass


class NoteItem(Flowable):
    """A note: hanging number (linked back to its first citation), then the text.

    Structure: an endnote is ``LI > Lbl + LBody > Note`` in the notes' ``L``; a footnote
    ``Note > Lbl + P``, placed after the text that first cites it.  The elements are made
    once and shared by the pieces of a note continued overleaf.
    """

    def __init__(self, number_para: Paragraph | None, text_para: Paragraph, indent: float, *,
                 layout: Layout | None = None, n: int = 0, elems: dict | None = None):
        super().__init__()
        self.number_para = number_para
        self.text_para = text_para
        self.indent = indent
        self.layout = layout
        tree = layout.tree if layout is not None else NullTree()
        self.elems = elems or {
            "li": tree.element("LI"), "lbl": tree.element("Lbl"), "lbody": tree.element("LBody"),
            "p": tree.element("P"), "note": tree.element("Note", id=f"note-{n}"),
        }

    def getSpaceAfter(self):
        return self.text_para.style.spaceAfter

    def wrap(self, aW, aH):
        self.width = aW
        _, h = self.text_para.wrap(aW - self.indent, aH)
        if self.number_para is not None:
            self.number_para.wrap(self.indent - 3, aH)
        self.height = h
        return aW, h

    def split(self, aW, aH):
        pieces = self.text_para.split(aW - self.indent, aH)
        if len(pieces) != 2:
            return [] if not pieces else [self]
        kw: dict[str, Any] = dict(layout=self.layout, elems=self.elems)
        first, rest = pieces
        assert isinstance(first, Paragraph) and isinstance(rest, Paragraph)
        return [NoteItem(self.number_para, first, self.indent, **kw), NoteItem(None, rest, self.indent, **kw)]

    def draw(self):
        lay, e = self.layout, self.elems
        tree = lay.tree if lay is not None else NullTree()
        h = self.height
        # a footnote's Note was placed after the text citing it; the others are the list's items
        footnote = lay is not None and lay.notes.active and tree.is_placed(e["note"])
        with contextlib.ExitStack() as stack:
            enter = stack.enter_context
            if footnote:
                enter(tree.tag(e["note"]))
            else:
                enter(tree.tag(lay.notes_list if lay is not None else "L"))
                enter(tree.tag(e["li"]))
            if self.number_para is not None:
                tree.place(e["lbl"])  # read first, drawn after the text (as readers of the page expect)
            if footnote:
                with tree.tag(e["p"]):
                    self.text_para.drawOn(self.canv, self.indent, 0)
            else:
                with tree.tag(e["lbody"]), tree.tag(e["note"]):
                    self.text_para.drawOn(self.canv, self.indent, 0)
            if self.number_para is not None:
                with tree.tag(e["lbl"]):
                    self.number_para.drawOn(self.canv, 0, h - self.number_para.height)


class FirstNote:
    """Look-ahead for the Notes heading: the first note must fit below it."""

    def __init__(self, item: NoteItem):
        self.item = item

    def getSpaceBefore(self):
        return 0

    def min_height(self, aW, aH):
        _, h = self.item.wrap(aW, aH)
        return min(h, 3 * self.item.text_para.style.leading)
