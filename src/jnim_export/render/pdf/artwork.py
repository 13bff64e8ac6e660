"""What a figure shows (a vector drawing, a photo or a labelled placeholder) and its box with caption and credit."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Paragraph

from ... import images
from ...model import Figure
from .tagging import NullTree
from .theme import Theme


@functools.lru_cache(maxsize=16)
def svg_drawing(path: str, family: str):
    """svglib's drawing of a cached figure file set in `family`, kept for the process (watch
    mode rebuilds) and on disk beside the file (`drawcache`: a fresh process converts nothing).

    Cached figure files are named by the hash of their inputs, so a path never changes meaning;
    drawings are only read afterwards, never changed.
    """
    from . import drawcache
    from .fonts import svg_font_files

    return drawcache.drawing(Path(path), svg_font_files(family), functools.partial(_convert, family=family))


def _convert(svg: Path, family: str):
    from svglib.svglib import svg2rlg

    from .fonts import svg_fonts

    svg_fonts(family)
    return svg2rlg(str(svg))


def _least_type(node, scale: float = 1.0) -> float:
    """The smallest font size among a drawing's strings, through its groups' transforms."""
    from reportlab.graphics.shapes import String

    if isinstance(node, String):
        return node.fontSize * scale
    transform = getattr(node, "transform", None)
    if transform is not None:
        a, b, c, d = transform[:4]
        scale *= abs(a * d - b * c) ** 0.5
    return min((_least_type(kid, scale) for kid in getattr(node, "contents", ())), default=float("inf"))


class Graphic:
    """What a figure shows: a vector drawing, a photo, or a labelled placeholder."""

    def __init__(self, *, drawing=None, image: Path | None = None, placeholder: tuple[Paragraph, Paragraph] | None = None,
                 aspect: float = 1.25, tint=None, border=None, narrower: float = 1.0):
        self.drawing = drawing
        self.image = image
        self.placeholder = placeholder
        self.aspect = aspect  # height / width
        self.tint = tint
        self.border = border
        self.shorter: Callable[[float], Graphic] | None = None  # the same drawn `ratio` as high
        self.narrower = narrower  # of the width it is set at: a map drawn smaller, its type as large
        self.notes: tuple[str, ...] = ()  # what the drawing asks a reader be told (places left unnamed)
        if drawing is not None:
            self.aspect = drawing.height / drawing.width
        elif image is not None:
            self.picture = ImageReader(images.prepared(image).stream())  # upright, at most print size
            iw, ih = self.picture.getSize()
            self.aspect = ih / iw

    def height(self, width: float) -> float:
        return width * self.aspect

    def least_type(self, width: float) -> float:
        """The size (pt) of the smallest type the drawing sets, drawn `width` wide (no type: infinite)."""
        if self.drawing is None:
            return float("inf")
        return _least_type(self.drawing) * width / self.drawing.width

    def draw(self, canv, x: float, y: float, width: float, tree=None) -> None:
        """Draw inside the figure's structure element: the drawing (an SVG's text with it) or
        the photo is its content; a placeholder's frame is an artifact, its labels content."""
        tree = tree if tree is not None else NullTree()
        h = self.height(width)
        if self.drawing is not None:
            d = self.drawing
            s = width / d.width
            with tree.content():
                canv.saveState()
                canv.translate(x, y)
                canv.scale(s, s)
                renderPDF.draw(d, canv, 0, 0, showBoundary=False)
                canv.restoreState()
        elif self.image is not None:
            with tree.content():
                canv.drawImage(self.picture, x, y, width, h, mask="auto")
        else:
            with tree.artifact():
                canv.saveState()
                canv.setFillColor(self.tint)
                canv.setStrokeColor(self.border)
                canv.setLineWidth(0.6)
                canv.setDash(3, 2)
                canv.rect(x, y, width, h, stroke=1, fill=1)
                canv.restoreState()
            assert self.placeholder is not None  # neither drawing nor image: a Graphic is made with a placeholder
            head, body = self.placeholder
            pad = 10
            _, hh = head.wrap(width - 2 * pad, h)
            _, bh = body.wrap(width - 2 * pad, h)
            top = y + h / 2 + (hh + 4 + bh) / 2
            with tree.content():
                head.drawOn(canv, x + pad, top - hh)
                body.drawOn(canv, x + pad, top - hh - 4 - bh)


class FigureBox:
    """A figure's parts stacked: caption above (map/chart) or below (photo), graphic, credit.

    Structure: ``Div > Caption (P caption, P credit) + Figure`` in drawing order, the Figure
    with the figure's alt text and its bounding box; the accent rule is an artifact.
    """

    def __init__(self, figure: Figure, graphic: Graphic, caption: Paragraph, credit: Paragraph | None,
                 cites: list[int], *, caption_above: bool, accent, theme: Theme, tree=None):
        self.figure = figure
        self.graphic = self._first = graphic
        self.caption = caption
        self.credit = credit
        self.cites = cites
        self.caption_above = caption_above
        self.accent = accent
        self.gap = theme.figure_gap
        self.theme = theme
        self.frame = theme.page[1] - theme.margin_top - theme.margin_bottom
        self.max_graphic = theme.figure_max_height * self.frame
        self.least_type = theme.figure_least_type
        self.rule = theme.figure_rule
        self.head = theme.figure_head
        self.width = 0.0
        self.least_width = 0.0  # the narrowest its caption's first line holds its label and first word
        self.tree = tree = tree if tree is not None else NullTree()
        self.group = tree.element("Div")
        self.caption_elem = tree.element("Caption")
        self.figure_elem = tree.element("Figure", alt=figure.alt, placement="Block")

    def reshape(self, ratio: float) -> bool:
        """Draw the graphic `ratio` as high as drawn first (1: as first drawn); False if it cannot be."""
        first = self._first
        if ratio == 1:
            self.graphic = first
        elif first.shorter is None:
            return False
        else:
            self.graphic = first.shorter(ratio)
        return True

    def legible(self, width: float) -> bool:
        """Is the graphic's type at least the theme's least figure type when the box is `width` wide?"""
        graphic = self.graphic
        if width * graphic.narrower < self.least_width:  # the caption's label would break
            return False
        shown = min(width * graphic.narrower, self.max_graphic / graphic.aspect)
        return graphic.least_type(shown) >= self.least_type - 1e-6

    def wrap(self, width: float, max_height: float | None = None) -> float:
        """The figure's height `width` wide; with `max_height`, its graphic shrinks to keep within it.

        A graphic drawn smaller (`Graphic.narrower`) takes its caption and credit in with it."""
        width *= self.graphic.narrower
        self.width = width
        self._ch = self.caption.wrap(width, 10_000)[1]
        self._rh = self.credit.wrap(width, 10_000)[1] if self.credit else 0.0
        words = self.head + self.gap + self._ch + self.gap + (self.gap + self._rh if self.credit else 0)
        # a tall graphic is set narrower, so that the figure never outgrows a page, its words included
        room = max(self.frame * self.theme.figure_fill - words, self.theme.figure_min_graphic)
        if max_height is not None:
            room = min(room, max(max_height - words, self.theme.figure_least_graphic))
        self._gw = min(width, min(self.max_graphic, room) / self.graphic.aspect)
        self._gh = self.graphic.height(self._gw)
        self.height = words + self._gh
        return self.height

    def crowded(self, width: float) -> bool:
        """Whether, `width` wide, the caption and credit leave the graphic less than its least height."""
        self.wrap(width)
        return self.height - self._gh > self.frame * self.theme.figure_fill - self.theme.figure_min_graphic

    def draw(self, canv, x: float, top: float) -> None:
        with self.tree.tag(self.group):
            self._draw(canv, x, top)

    def _draw(self, canv, x: float, top: float) -> None:
        tree = self.tree
        w = self.width
        with tree.artifact():
            canv.saveState()
            canv.setStrokeColor(self.accent)
            canv.setLineWidth(self.rule)
            canv.line(x, top - self.rule / 2, x + w, top - self.rule / 2)
            canv.restoreState()

        def caption(para, y, h):
            with tree.tag(self.caption_elem), tree.tag("P"):
                para.drawOn(canv, x, y - h)

        def graphic(y):
            gx = x + (w - self._gw) / 2
            with tree.tag(self.figure_elem):
                tree.set_bbox(canv, gx, y - self._gh, self._gw, self._gh)
                self.graphic.draw(canv, gx, y - self._gh, self._gw, tree)

        y = top - self.head - self.gap
        if self.caption_above:
            caption(self.caption, y, self._ch)
            y -= self._ch + self.gap
            graphic(y)
            y -= self._gh
        else:
            graphic(y)
            y -= self._gh + self.gap
            caption(self.caption, y, self._ch)
            y -= self._ch
        if self.credit:
            y -= self.gap
            caption(self.credit, y, self._rh)
