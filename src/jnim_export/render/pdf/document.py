"""The PDF writer: a `Document` as a footnoted, print-ready backgrounder (ReportLab).

Layout
    US Letter (or A4), one text column.  Page 1 opens with a masthead band (series and
    publisher, or the style's logo), the title and a byline; later pages carry a running
    footer (short title · series · publisher) and the page number.  Sections get a
    heading (and an outline entry), the pull quote is set apart on a tint with an accent
    bar, figures are numbered by `Figure.number` with caption and credit line; a photo
    figure that precedes a paragraph floats right beside the text that follows it.  A map
    or chart that does not fit the rest of a page moves to the top of the next one while
    the text after it fills the page (never past the end of its section, and not when its
    caption cites a footnote, which would then follow later notes).  Headings never end
    a page.  Body text is set ragged right without hyphenation; URLs break after a slash.

Notes
    Note references are superscript links to their note; every note's number links
    back to the first place that cites it; URLs are live links.  As *endnotes* the notes
    follow the closing credit under a "Notes" heading.  As *footnotes* each note is set
    at the foot of the page holding its first citation: every text block is split line by
    line, each line knows the notes it cites, and the body frame is shortened by the
    height of the notes its lines bring onto the page (a line that would not fit together
    with its notes moves to the next page, notes and all).  A note cited again on a later
    page is not repeated there; its superscript links to it.

Type
    Only the shipped Noto Serif / Noto Sans TrueType faces are used (embedded, subset),
    also for the canvas' initial font and for the text of the SVG figures (converted to
    vector drawings by svglib).  Content holding a character the font lacks raises
    `MissingGlyphError` before anything is drawn.  Every `Text` is escaped: content is
    never markup.

Reproducibility
    Same content, same bytes: ReportLab's invariant mode fixes the document id, and the
    creation/modification date is ``SOURCE_DATE_EPOCH`` when that is set, otherwise
    midnight UTC of the content's ``meta.date`` (``YYYY`` -> January 1st), never the clock.
"""

from __future__ import annotations

import functools
import math
import os
import re
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal
from xml.sax.saxutils import escape

import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from ... import dates
from ... import fonts as _fonts
from ..writer import Context, Rendered, RenderError
from . import PdfOptions
from ...model import (
    Document,
    Emph,
    Figure,
    FigureBlock,
    Inlines,
    Link,
    NoteRef,
    Paragraph as ParagraphBlock,
    PullQuote,
    Strong,
    Text,
    plain_text,
)

__all__ = ["MissingGlyphError", "render_pdf"]

Notes = Literal["endnotes", "footnotes"]
Paper = Literal["letter", "a4"]

CREATOR = "jnim-export"
_PAPER = {"letter": LETTER, "a4": A4}
_FUZZ = 1e-6
_INCH = 72.0


class MissingGlyphError(RenderError):
    """The content holds a character the embedded fonts cannot show."""


def render_pdf(doc: Document, dest: Path, options: PdfOptions, context: Context) -> Rendered:
    """Write `doc` as a PDF to `dest`.

    Map and chart figures come from `jnim_export.figures.figure_file` (SVG, cached in the
    context's figure cache).  Raises MissingGlyphError when the content holds a character
    the fonts lack.  The creation date is the build time (see `jnim_export.dates`); two
    renders of the same content are identical.
    """
    faces = _register_fonts(doc.style)
    _check_glyphs(doc, faces)
    writer = _Writer(doc, Path(dest), context.figure_cache, options.notes, options.paper, context.redraw_figures,
                     faces)
    return writer.write()


# =========================================================================== fonts


@dataclass(frozen=True)
class _Faces:
    """ReportLab font names of the two families, by (bold, italic)."""

    serif: dict[tuple[bool, bool], str]
    sans: dict[tuple[bool, bool], str]
    serif_family: str
    sans_family: str


_SUFFIX = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic", (True, True): "-BoldItalic"}
_SVG_FONTS_DONE: set[str] = set()


def _register_family(family: str) -> tuple[str, dict[tuple[bool, bool], str]]:
    base = family.replace(" ", "")
    names = {}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for (bold, italic), suffix in _SUFFIX.items():
        name = base + suffix
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(_fonts.font_path(family, bold=bold, italic=italic))))
        names[bold, italic] = name
    for (bold, italic), name in names.items():
        addMapping(base, int(bold), int(italic), name)
    return base, names


def _register_svg_fonts(family: str, names: dict[tuple[bool, bool], str]) -> None:
    """Map the SVG font requests svglib makes (see figures.figure_file) to our faces.

    Done once per family and process, and only for the faces the figures use (regular and
    bold): svglib's register_font re-reads the TrueType file on every call.
    """
    if family in _SVG_FONTS_DONE:
        return
    from svglib.fonts import register_font

    for weight, bold in (("normal", False), ("bold", True), ("700", True)):
        path = _fonts.font_path(family, bold=bold)
        register_font(family, str(path), weight=weight, style="normal", rlgFontName=names[bold, False])
    _SVG_FONTS_DONE.add(family)


@functools.lru_cache(maxsize=16)
def _svg_drawing(path: str):
    """svglib's drawing of a cached figure file, kept for the process (watch mode rebuilds).

    Cached figure files are named by the hash of their inputs, so a path never changes meaning;
    drawings are only read afterwards, never changed.
    """
    from svglib.svglib import svg2rlg

    return svg2rlg(path)


def _register_fonts(style) -> _Faces:
    serif_base, serif = _register_family(style.serif)
    sans_base, sans = _register_family(style.sans)
    _register_svg_fonts(style.sans, sans)
    return _Faces(serif, sans, serif_base, sans_base)


def _charset(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


_BREAKS = frozenset(_rl_paragraph._wsc)  # characters ReportLab sets as word breaks, never drawn


def _check_glyphs(doc: Document, faces: _Faces) -> None:
    """Raise MissingGlyphError for the first character (in reading order) a face lacks."""
    cache: dict[str, frozenset[int]] = {}

    def check(text: str, font: str, where: str) -> None:
        have = cache.get(font)
        if have is None:
            have = cache[font] = _charset(font)
        for ch in text:
            if ch in _BREAKS or ord(ch) in have:
                continue
            name = unicodedata.name(ch, "unnamed character")
            raise MissingGlyphError(
                f"U+{ord(ch):04X} {ch!r} ({name}) in {where} is not in the font {font}; "
                "replace it or remove it from the content"
            )

    def inlines(nodes: Inlines, family: dict, where: str, bold: bool = False, italic: bool = False) -> None:
        for node in nodes:
            if isinstance(node, Text):
                check(node.text, family[bold, italic], where)
            elif isinstance(node, Emph):
                inlines(node.children, family, where, bold, True)
            elif isinstance(node, Strong):
                inlines(node.children, family, where, True, italic)
            elif isinstance(node, Link):
                inlines(node.children, family, where, bold, italic)

    m = doc.meta
    check(m.series.upper(), faces.sans[True, False], "the series name (meta.series)")
    check(m.publisher, faces.sans[False, False], "the publisher (meta.publisher)")
    check(m.title, faces.serif[True, False], "the title (meta.title)")
    check(m.short_title + m.series + m.publisher_short, faces.sans[False, False], "the running footer (meta)")
    check(" ".join(m.authors), faces.sans[False, False], "the byline (meta.authors)")
    for s_index, section in enumerate(doc.sections, 1):
        check(section.title.upper(), faces.sans[True, False], f"the title of section {s_index} ({section.title!r})")
        para = 0
        for block in section.blocks:
            if isinstance(block, ParagraphBlock):
                para += 1
                inlines(block.text, faces.serif, f"paragraph {para} of section {s_index} ({section.title!r})")
            elif isinstance(block, PullQuote):
                inlines(block.text, faces.serif, f"the pull quote of section {s_index} ({section.title!r})", italic=True)
    for figure in doc.figures:
        where = f"the caption of figure {figure.number} ({figure.id})"
        inlines(figure.caption, faces.sans, where)
        inlines(figure.credit, faces.sans, f"the credit line of figure {figure.number} ({figure.id})")
        if figure.kind == "photo" and figure.image is None:
            check(figure.alt, faces.sans[False, True], f"the alt text of figure {figure.number} ({figure.id})")
    inlines(m.credit, faces.serif, "the closing credit (meta.credit)", italic=True)
    check(m.copyright, faces.sans[False, False], "the copyright line (meta.copyright)")
    for note in doc.notes:
        inlines(note.text, faces.serif, f"note {note.number}")


# =========================================================================== inline markup


@dataclass
class _Refs:
    """Which notes the rendered text cites, and which citation is the first (the back-link target)."""

    cited: set[int]
    anchored: set[int]


def _cited_numbers(nodes: Inlines) -> Iterator[int]:
    for node in nodes:
        if isinstance(node, NoteRef):
            yield node.number
        elif not isinstance(node, Text):
            yield from _cited_numbers(node.children)


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _markup(nodes: Inlines, refs: _Refs, accent: str, *, sup_size: float, in_link: bool = False) -> str:
    """ReportLab paragraph markup for `nodes`; every Text is escaped (text is text)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text))
        elif isinstance(node, Emph):
            out.append(f"<i>{_markup(node.children, refs, accent, sup_size=sup_size, in_link=in_link)}</i>")
        elif isinstance(node, Strong):
            out.append(f"<b>{_markup(node.children, refs, accent, sup_size=sup_size, in_link=in_link)}</b>")
        elif isinstance(node, Link):
            # Link by link child, so a note reference inside link text keeps its own link.
            for child in node.children:
                inner = _markup((child,), refs, accent, sup_size=sup_size, in_link=True)
                if in_link or isinstance(child, NoteRef):
                    out.append(inner)
                else:
                    out.append(f'<a href="{_attr(node.href)}" color="{accent}">{inner}</a>')
        elif isinstance(node, NoteRef):
            n = node.number
            if n not in refs.anchored:
                refs.anchored.add(n)
                out.append(f'<a name="ref-{n}"/>')
            sup = f'<super rise="{sup_size * 0.55:.2f}" size="{sup_size:.2f}">{n}</super>'
            out.append(f'<a href="#note-{n}" color="{accent}">{sup}</a>')
    return "".join(out)


def _line_cites(para: Paragraph) -> list[tuple[int, ...]]:
    """For each line of a wrapped paragraph, the note numbers its superscripts link to."""
    bl = para.blPara
    if bl.kind != 1:
        return [()] * len(bl.lines)
    out = []
    for line in bl.lines:
        found: list[int] = []
        for frag in getattr(line, "words", ()):
            for item in getattr(frag, "link", None) or ():
                href = item[-1] if isinstance(item, tuple) else getattr(item, "link", item)
                if isinstance(href, str) and href.startswith("#note-"):
                    found.append(int(href[6:]))
        out.append(tuple(found))
    return out


@contextmanager
def _url_breaks() -> Iterator[None]:
    """Let ReportLab break a URL after a slash also when it is written <like this>.

    ReportLab splits a long URI at its slashes (style.uriWasteReduce) but only recognises
    it when no '<' precedes it / no '>' follows it; notes print URLs in angle brackets.
    The patterns are module globals read at line-breaking time: swapped for the build only.
    """
    pfx, sfx = _rl_paragraph._hy_pfx_pat, _rl_paragraph._hy_sfx_pat
    try:
        if pfx.pattern.startswith("^[") and sfx.pattern.startswith("[]"):
            _rl_paragraph._hy_pfx_pat = re.compile("^[<" + pfx.pattern[2:])
            _rl_paragraph._hy_sfx_pat = re.compile("[]>" + sfx.pattern[2:])
        yield
    finally:
        _rl_paragraph._hy_pfx_pat, _rl_paragraph._hy_sfx_pat = pfx, sfx


# =========================================================================== layout state


class _Layout:
    """Per-page state shared by the flowables: footnotes set on the page, an active float.

    A footnote is set whole at the foot of the page citing it, unless it is taller than
    `cap` (a share of the page): then the page takes what fits in `cap` and the rest
    continues at the foot of the next page(s), before that page's own notes.
    """

    RULE_SPACE = 14.0  # space above the footnote rule + the rule + space below it
    NOTE_GAP = 2.5
    CAP = 0.45  # the most of a page one footnote takes before it continues overleaf

    def __init__(self, mode: Notes, width: float):
        self.mode = mode
        self.width = width
        self.doc: _DocTemplate | None = None
        self.page: list[int] = []  # footnotes first set on the current page, in order
        self.pieces: list[_NoteItem] = []  # what the foot of the current page shows, in order
        self.carry: list[_NoteItem] = []  # rests of long footnotes, for the next page
        self.placed: set[int] = set()  # footnotes already set on some page
        self.items: dict[int, _NoteItem] = {}
        self._heights: dict[int, float] = {}
        self.float_bottom: float | None = None  # absolute y below which a float no longer cuts lines
        self.float_cut = 0.0
        self.deferred: list[_FigureFlowable] = []  # figures waiting for the top of the next page
        self.warnings: list[str] = []

    @property
    def footnotes(self) -> bool:
        return self.mode == "footnotes"

    @property
    def frame(self) -> Frame:
        assert self.doc is not None
        return self.doc.frame

    @property
    def cap(self) -> float:
        assert self.doc is not None
        return self.CAP * self.doc.pageTemplate.frames[0]._height

    def new_page(self) -> None:
        self.page = []
        self.pieces = []
        self.float_bottom = None
        self.float_cut = 0.0
        if self.doc is None:
            return
        for frame in self.doc.pageTemplate.frames:
            frame.bottomPadding = 0
        carry, self.carry = self.carry, []
        for piece in carry:
            self._add_piece(piece)
        if self.pieces:
            self.doc.pageTemplate.frames[0].bottomPadding = self._area(self._piece_heights())

    def note_height(self, n: int) -> float:
        h = self._heights.get(n)
        if h is None:
            h = self._heights[n] = self.items[n].wrap(self.width, 10_000)[1]
        return h

    def new_notes(self, numbers: Iterable[int]) -> list[int]:
        if not self.footnotes:
            return []
        out: list[int] = []
        for n in numbers:
            if n in self.items and n not in self.placed and n not in self.page and n not in out:
                out.append(n)
        return out

    def _area(self, heights: list[float]) -> float:
        if not heights:
            return 0.0
        return self.RULE_SPACE + sum(heights) + self.NOTE_GAP * (len(heights) - 1)

    def _piece_heights(self) -> list[float]:
        return [p.wrap(self.width, 10_000)[1] for p in self.pieces]

    def extra(self, numbers: Iterable[int]) -> float:
        """How much the foot-of-page note area grows if `numbers` are cited on this page."""
        new = self.new_notes(numbers)
        if not new:
            return 0.0
        now = self._piece_heights()
        cap = self.cap
        return self._area(now + [min(self.note_height(n), cap) for n in new]) - self._area(now)

    def _add_piece(self, item: _NoteItem) -> None:
        """Set `item` on this page, or as much of it as `cap` allows, carrying the rest over."""
        h = item.wrap(self.width, 10_000)[1]
        if h > self.cap + _FUZZ:
            parts = item.split(self.width, self.cap)
            if len(parts) == 2:
                self.pieces.append(parts[0])
                self.carry.append(parts[1])
                return
        self.pieces.append(item)

    def commit(self, numbers: Iterable[int]) -> None:
        """The flowable citing `numbers` is being drawn: reserve room for its notes."""
        new = self.new_notes(numbers)
        if not new:
            return
        self.page.extend(new)
        self.placed.update(new)
        for n in new:
            self._add_piece(self.items[n])
        self.frame.bottomPadding = self._area(self._piece_heights())

    def foot_area(self) -> float:
        return self._area(self._piece_heights())

    def top(self, aH: float) -> float:
        """Absolute y of the top of a flowable offered height `aH` in the current frame."""
        return aH + self.frame._y1p

    def clearance(self, aH: float) -> float:
        """How far below the current position a float still reaches (what a figure must skip)."""
        if self.float_bottom is None:
            return 0.0
        return max(0.0, self.top(aH) - self.float_bottom)

    def narrow_lines(self, aH: float, leading: float) -> int:
        if self.float_bottom is None:
            return 0
        span = self.top(aH) - self.float_bottom
        return max(0, math.ceil(span / leading - 1e-6))

    def at_top(self) -> bool:
        return bool(getattr(self.frame, "_atTop", False))


# =========================================================================== flowables


class _Para(Paragraph):
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
        self._wrapWidths = widths
        self.blPara = self.breakLines(widths)
        self.height = len(self.blPara.lines) * style.leading
        return self.width, self.height


class _Block(Flowable):
    """A text block: keeps its footnotes on its page, splits line by line, flows beside a float."""

    def __init__(self, para: _Para, layout: _Layout, *, decorate: Callable | None = None, force: bool = False):
        super().__init__()
        self.para = para
        self.layout = layout
        self.decorate = decorate  # draws behind the text (pull quote tint), gets (canv, w, h)
        self.force = force  # set even if its notes overflow (a single line on an empty page)
        self.cites: list[tuple[int, ...]] = []
        self.width = self.height = 0.0

    @property
    def leading(self) -> float:
        return self.para.style.leading

    def getSpaceBefore(self):
        return self.para.style.spaceBefore

    def getSpaceAfter(self):
        return self.para.style.spaceAfter

    def _layout_para(self, aW: float, aH: float) -> float:
        para = self.para
        para.narrow = self.layout.narrow_lines(aH, self.leading)
        para.cut = self.layout.float_cut
        _, h = para.wrap(aW, aH)
        self.cites = _line_cites(para)
        return h

    def all_cites(self, lines: int | None = None) -> list[int]:
        return [n for line in self.cites[:lines] for n in line]

    def wrap(self, aW, aH):
        h = self._layout_para(aW, aH)
        self.width, self.height = aW, h
        need = h + self.layout.extra(self.all_cites())
        if need > aH + _FUZZ and not self.force:
            return aW, need
        return aW, h

    def min_height(self, aW: float, aH: float) -> float:
        """The least this block needs on a page: two lines (or all, if fewer) and their notes."""
        self._layout_para(aW, aH)
        k = min(2, len(self.cites))
        return k * self.leading + self.layout.extra(self.all_cites(k))

    def split(self, aW, aH):
        self._layout_para(aW, aH)
        n = len(self.cites)
        lay = self.layout
        best = 0
        for k in range(1, n + 1):
            if k * self.leading + lay.extra(self.all_cites(k)) <= aH + _FUZZ:
                best = k
            else:
                break
        if best >= n:
            return [self]
        if best == 1 and n > 1:
            best = 0  # no orphan: a lone first line at the foot of a page
        if n - best == 1 and best >= 3:
            best -= 1  # no widow: give the last line company
        force = False
        if best == 0:
            if not (lay.at_top() and not lay.pieces):
                return []
            # An empty page cannot hold even one line with its notes: set what fits anyway.
            best = max(1, int((aH + _FUZZ) // self.leading))
            force = True
            lay.warnings.append(
                f"footnotes of page {lay.doc.page if lay.doc else '?'} are longer than the page; "
                "they overlap the text"
            )
            if best >= n:
                return [_Block(self.para, lay, decorate=self.decorate, force=True)]
        pieces = self.para.split(aW, best * self.leading + 1e-3)
        if len(pieces) != 2:
            return [] if not pieces else [self]
        first, rest = pieces
        return [
            _Block(first, lay, decorate=self.decorate, force=force),
            _Block(rest, lay, decorate=self.decorate),
        ]

    def draw(self):
        self.layout.commit(self.all_cites())
        if self.decorate:
            self.decorate(self.canv, self.width, self.height)
        self.para.drawOn(self.canv, 0, 0)


class _Heading(_Block):
    """A section heading: never alone at the foot of a page; an outline entry and destination."""

    def __init__(self, para: _Para, layout: _Layout, *, key: str, title: str, level: int = 0):
        super().__init__(para, layout)
        self.key = key
        self.title = title
        self.level = level
        self.follow: Flowable | None = None

    def wrap(self, aW, aH):
        w, h = super().wrap(aW, aH)
        if h > aH or self.follow is None or self.layout.at_top():
            return w, h
        rest = aH - h - max(self.getSpaceAfter(), self.follow.getSpaceBefore())
        need = getattr(self.follow, "min_height", lambda *_: 0.0)(aW, rest)
        if need > rest + _FUZZ:
            return w, h + need
        return w, h

    def split(self, aW, aH):
        return []

    def draw(self):
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + self.para.style.fontSize * 0.6)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        super().draw()


class _Rule(Flowable):
    """A horizontal rule across the column."""

    def __init__(self, thickness: float, color, *, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.thickness = thickness
        self.color = color
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def wrap(self, aW, aH):
        self.width = aW
        return aW, self.thickness

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        y = self.thickness / 2
        self.canv.line(0, y, self.width, y)


class _Graphic:
    """What a figure shows: a vector drawing, a photo, or a labelled placeholder."""

    def __init__(self, *, drawing=None, image: Path | None = None, placeholder: tuple[Paragraph, Paragraph] | None = None,
                 aspect: float = 1.25, tint=None, border=None):
        self.drawing = drawing
        self.image = image
        self.placeholder = placeholder
        self.aspect = aspect  # height / width
        self.tint = tint
        self.border = border
        if drawing is not None:
            self.aspect = drawing.height / drawing.width
        elif image is not None:
            iw, ih = ImageReader(str(image)).getSize()
            self.aspect = ih / iw

    def height(self, width: float) -> float:
        return width * self.aspect

    def draw(self, canv, x: float, y: float, width: float) -> None:
        h = self.height(width)
        if self.drawing is not None:
            d = self.drawing
            s = width / d.width
            canv.saveState()
            canv.translate(x, y)
            canv.scale(s, s)
            renderPDF.draw(d, canv, 0, 0, showBoundary=False)
            canv.restoreState()
        elif self.image is not None:
            canv.drawImage(str(self.image), x, y, width, h, mask="auto")
        else:
            canv.saveState()
            canv.setFillColor(self.tint)
            canv.setStrokeColor(self.border)
            canv.setLineWidth(0.6)
            canv.setDash(3, 2)
            canv.rect(x, y, width, h, stroke=1, fill=1)
            canv.restoreState()
            head, body = self.placeholder
            pad = 10
            _, hh = head.wrap(width - 2 * pad, h)
            _, bh = body.wrap(width - 2 * pad, h)
            top = y + h / 2 + (hh + 4 + bh) / 2
            head.drawOn(canv, x + pad, top - hh)
            body.drawOn(canv, x + pad, top - hh - 4 - bh)


class _FigureBox:
    """A figure's parts stacked: caption above (map/chart) or below (photo), graphic, credit."""

    GAP = 5.0

    def __init__(self, figure: Figure, graphic: _Graphic, caption: Paragraph, credit: Paragraph | None,
                 cites: list[int], *, caption_above: bool, accent):
        self.figure = figure
        self.graphic = graphic
        self.caption = caption
        self.credit = credit
        self.cites = cites
        self.caption_above = caption_above
        self.accent = accent
        self.width = 0.0

    def wrap(self, width: float) -> float:
        self.width = width
        self._gh = self.graphic.height(width)
        self._ch = self.caption.wrap(width, 10_000)[1]
        self._rh = self.credit.wrap(width, 10_000)[1] if self.credit else 0.0
        self.height = 2.5 + self.GAP + self._ch + self.GAP + self._gh + (self.GAP + self._rh if self.credit else 0)
        return self.height

    def draw(self, canv, x: float, top: float) -> None:
        w = self.width
        canv.saveState()
        canv.setStrokeColor(self.accent)
        canv.setLineWidth(1.2)
        canv.line(x, top - 0.6, x + w, top - 0.6)
        canv.restoreState()
        y = top - 2.5 - self.GAP
        if self.caption_above:
            self.caption.drawOn(canv, x, y - self._ch)
            y -= self._ch + self.GAP
            self.graphic.draw(canv, x, y - self._gh, w)
            y -= self._gh
        else:
            self.graphic.draw(canv, x, y - self._gh, w)
            y -= self._gh + self.GAP
            self.caption.drawOn(canv, x, y - self._ch)
            y -= self._ch
        if self.credit:
            y -= self.GAP
            self.credit.drawOn(canv, x, y - self._rh)


class _FigureFlowable(Flowable):
    """A figure in the text column (never split); clears an active float.

    When it does not fit and the page still has room for a few lines of text, it is
    deferred to the top of the next page and the text that follows fills the page (as a
    typesetter would); a `_Barrier` before the next heading and before the closing matter
    sets deferred figures at the latest there, so a figure never leaves its section.
    """

    MIN_FILL_LINES = 4

    def __init__(self, box: _FigureBox, layout: _Layout, *, fraction: float = 1.0, space: float = 8.0,
                 leading: float = 14.0):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.spaceBefore = space
        self.spaceAfter = space + 2
        self.leading = leading
        self.no_defer = False

    def _measure(self, aW, aH) -> float:
        self._clear = self.layout.clearance(aH)
        return self._clear + self.box.wrap(aW * self.fraction)

    def wrap(self, aW, aH):
        h = self._measure(aW, aH)
        self.width, self.height = aW, h
        need = h + self.layout.extra(self.box.cites)
        queue = self.layout.deferred
        if need > aH + _FUZZ or (queue and self not in queue and not self.no_defer):
            return aW, max(need, aH + 1)
        return aW, h

    def min_height(self, aW, aH):
        return self._measure(aW, aH) + self.layout.extra(self.box.cites)

    def split(self, aW, aH):
        lay = self.layout
        if self.no_defer or lay.at_top():
            return []
        if lay.footnotes and self.box.cites:
            return []  # its notes would come after those of the text set before it ("Ibid." chains)
        if lay.deferred or aH >= self.MIN_FILL_LINES * self.leading:
            lay.deferred.append(self)
            return [_Zero()]
        return []

    def draw(self):
        self.layout.commit(self.box.cites)
        x = (self.width - self.box.width) / 2
        self.box.draw(self.canv, x, self.height - self._clear)


class _FlushNotes(Flowable):
    """At the end of the story: pages until the rests of long footnotes are all set."""

    def __init__(self, layout: _Layout):
        super().__init__()
        self.layout = layout

    def wrap(self, aW, aH):
        return (aW, aH + 1) if self.layout.carry else (0, 0)

    def split(self, aW, aH):
        from reportlab.platypus import PageBreak

        return [PageBreak(), self] if self.layout.carry else []

    def draw(self):
        pass


class _Zero(Flowable):
    """Nothing, taking no room (what remains of a deferred figure in the flow)."""

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self):
        pass


class _Barrier(Flowable):
    """Figures deferred so far are set here at the latest (before a heading, before the closing)."""

    def wrap(self, aW, aH):
        return (aW, aH + 1) if self.layout.deferred else (0, 0)

    def __init__(self, layout: _Layout):
        super().__init__()
        self.layout = layout

    def split(self, aW, aH):
        from reportlab.platypus.doctemplate import NullActionFlowable

        figures, self.layout.deferred = self.layout.deferred, []
        for f in figures:
            f.no_defer = True
        return [NullActionFlowable(), *figures]  # an action first: each figure is then placed as usual

    def draw(self):
        pass


class _Float(Flowable):
    """A figure floated right: no height in the flow, the text beside it runs narrower.

    (Below an earlier float still reaching down, it starts where that one ends.)
    """

    def __init__(self, box: _FigureBox, layout: _Layout, *, fraction: float, gutter: float, leading: float):
        super().__init__()
        self.box = box
        self.layout = layout
        self.fraction = fraction
        self.gutter = gutter
        self.leading = leading

    def min_height(self, aW, aH):
        return self.box.wrap(aW * self.fraction) + self.layout.extra(self.box.cites)

    def wrap(self, aW, aH):
        self.width = aW
        self.height = self.layout.clearance(aH)
        need = self.height + self.min_height(aW, aH) + 2 * self.leading
        if need > aH + _FUZZ:
            return aW, need
        return aW, self.height

    def split(self, aW, aH):
        return []

    def draw(self):
        lay = self.layout
        lay.commit(self.box.cites)
        canv = self.canv
        bw = self.box.width
        self.box.draw(canv, self.width - bw, 0)
        _, top = canv.absolutePosition(0, 0)
        lay.float_bottom = top - self.box.height - self.gutter * 0.6
        lay.float_cut = bw + self.gutter


class _NoteItem(Flowable):
    """A note: hanging number (linked back to its first citation), then the text."""

    def __init__(self, number_para: Paragraph | None, text_para: Paragraph, indent: float):
        super().__init__()
        self.number_para = number_para
        self.text_para = text_para
        self.indent = indent

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
        return [_NoteItem(self.number_para, pieces[0], self.indent), _NoteItem(None, pieces[1], self.indent)]

    def draw(self):
        h = self.height
        self.text_para.drawOn(self.canv, self.indent, 0)
        if self.number_para is not None:
            nh = self.number_para.height
            self.number_para.drawOn(self.canv, 0, h - nh)


# =========================================================================== document template


class _DocTemplate(BaseDocTemplate):
    """Pages with footnotes set at their foot, deferred figures set at their top, a fixed date."""

    def __init__(self, filename: str, layout: _Layout, *, stamp, rule_color, **kw):
        self.layout = layout
        self._stamp = stamp
        self._rule_color = rule_color
        super().__init__(filename, **kw)
        layout.doc = self

    def beforeDocument(self):
        self.canv._doc._timeStamp = self._stamp  # creation and modification date
        self.canv.showOutline()

    def beforePage(self):
        self.layout.new_page()

    def handle_frameBegin(self, resume=0, pageTopFlowables=None):
        super().handle_frameBegin(resume, pageTopFlowables)
        lay = self.layout
        if lay.deferred and self.frame._atTop:
            figures, lay.deferred = lay.deferred, []
            for f in figures:
                f.no_defer = True
            self._hanging.extend(figures)

    def afterPage(self):
        lay = self.layout
        if not lay.pieces:
            return
        canv = self.canv
        frame = self.pageTemplate.frames[0]
        x = frame._x1 + frame._leftPadding
        top = frame._y1 + lay.foot_area()
        canv.saveState()
        canv.setStrokeColor(self._rule_color)
        canv.setLineWidth(0.5)
        rule_y = top - lay.RULE_SPACE + 6
        canv.line(x, rule_y, x + 1.4 * _INCH, rule_y)
        canv.restoreState()
        y = top - lay.RULE_SPACE
        for item in lay.pieces:
            h = item.wrap(lay.width, 10_000)[1]
            item.drawOn(canv, x, y - h)
            y -= h + lay.NOTE_GAP


def _stamp_for(doc: Document):
    """The build's fixed timestamp, as ReportLab's invariant mode wants it."""
    from reportlab.lib.utils import TimeStamp

    seconds = int(dates.build_time(doc.meta.date).timestamp())
    stamp = TimeStamp(invariant=1)
    lt = time.gmtime(seconds)
    stamp.t, stamp.lt, stamp.YMDhms = seconds, lt, tuple(lt)[:6]
    stamp.dhh = stamp.dmm = 0
    return stamp


# =========================================================================== the writer


class _Writer:
    def __init__(self, doc: Document, dest: Path, cache_dir: Path, notes: Notes, paper: Paper, force: bool,
                 faces: _Faces):
        self.doc = doc
        self.dest = dest
        self.cache_dir = cache_dir
        self.notes_mode = notes
        self.paper = paper
        self.force = force
        self.faces = faces
        self.warnings: list[str] = []
        st = doc.style
        self.accent = colors.HexColor(st.accent)
        self.ink = colors.HexColor(st.ink)
        self.muted = colors.HexColor(st.muted)
        self.tint = colors.HexColor(st.tint)
        self.accent_hex = st.accent
        self.page_w, self.page_h = _PAPER[paper]
        self.margin_x = 1.1 * _INCH
        self.margin_top = 0.8 * _INCH
        self.margin_bottom = 0.95 * _INCH
        self.band_h = 0.62 * _INCH
        self.width = self.page_w - 2 * self.margin_x
        self.layout = _Layout(notes, self.width)
        self.refs = _Refs(cited=set(), anchored=set())
        self._styles()

    # ------------------------------------------------------------------ styles

    def _styles(self) -> None:
        f, s = self.faces.serif, self.faces.sans
        size = float(self.doc.style.body_size)
        lead = round(size * 1.45, 2)
        self.body_size = size
        base = dict(textColor=self.ink, allowOrphans=1, allowWidows=1, uriWasteReduce=0.3, splitLongWords=1,
                    spaceShrinkage=0.04)
        P = ParagraphStyle
        self.st_body = P("body", fontName=f[False, False], fontSize=size, leading=lead, alignment=TA_LEFT,
                         spaceBefore=0, spaceAfter=lead * 0.5, **base)
        self.st_title = P("title", fontName=f[True, False], fontSize=size * 2.5, leading=size * 2.95,
                          spaceAfter=0, **base)
        self.st_byline = P("byline", fontName=s[False, False], fontSize=size * 0.85, leading=size * 1.2,
                           **{**base, "textColor": self.muted})
        self.st_heading = P("heading", fontName=s[True, False], fontSize=size * 1.02, leading=size * 1.4,
                            spaceBefore=size * 1.5, spaceAfter=size * 0.5, **{**base, "textColor": self.accent})
        self.st_quote = P("quote", fontName=f[False, True], fontSize=size * 1.35, leading=size * 1.85,
                          spaceBefore=size * 0.6, spaceAfter=size * 1.3, leftIndent=size * 1.8,
                          rightIndent=size * 1.2, **{**base, "textColor": self.accent})
        self.st_caption = P("caption", fontName=s[False, False], fontSize=size * 0.85, leading=size * 1.12,
                            **base)
        self.st_credit = P("credit", fontName=s[False, False], fontSize=size * 0.72, leading=size * 0.95,
                           **{**base, "textColor": self.muted})
        self.st_ph_head = P("ph-head", fontName=s[True, False], fontSize=size * 0.8, leading=size * 1.05,
                            alignment=TA_CENTER, **{**base, "textColor": self.muted})
        self.st_ph_body = P("ph-body", fontName=s[False, True], fontSize=size * 0.72, leading=size * 0.95,
                            alignment=TA_CENTER, **{**base, "textColor": self.muted})
        self.st_closing = P("closing", fontName=f[False, True], fontSize=size * 0.88, leading=size * 1.25,
                            spaceBefore=size * 0.6, spaceAfter=size * 0.3, **{**base, "textColor": self.muted})
        self.st_copyright = P("copyright", fontName=s[False, False], fontSize=size * 0.72, leading=size * 1.0,
                              spaceBefore=size * 0.4, **{**base, "textColor": self.muted})
        note_size = size * (0.78 if self.notes_mode == "footnotes" else 0.82)
        # A URL breaks after a slash on a line of its own rather than letter by letter.
        self.st_note = P("note", fontName=f[False, False], fontSize=note_size, leading=note_size * 1.3,
                         spaceAfter=note_size * 0.45,
                         **{**base, "splitLongWords": 0, "allowOrphans": 0, "allowWidows": 0})
        self.st_note_num = P("note-num", fontName=f[False, False], fontSize=note_size, leading=note_size * 1.3,
                             alignment=TA_RIGHT, **base)
        self.note_indent = note_size * 2.4

    def _para(self, nodes: Inlines, style: ParagraphStyle, *, prefix: str = "") -> _Para:
        sup = max(5.0, style.fontSize * 0.66)
        return _Para(prefix + _markup(nodes, self.refs, self.accent_hex, sup_size=sup), style)

    # ------------------------------------------------------------------ figures

    def _graphic(self, figure: Figure, width: float) -> _Graphic:
        if figure.kind == "photo":
            if figure.image is not None:
                try:
                    return _Graphic(image=figure.image)
                except Exception as exc:  # unreadable image: say so, draw the placeholder
                    self.warnings.append(f"figure {figure.number} ({figure.id}): cannot read {figure.image.name}: {exc}")
            else:
                self.warnings.append(
                    f"figure {figure.number} ({figure.id}): photo not included; a labelled placeholder is printed"
                )
            return self._placeholder("Photo not included", figure.alt, aspect=1.1)
        if figure.data is None:
            self.warnings.append(f"figure {figure.number} ({figure.id}): no event data; a placeholder is printed")
            return self._placeholder(f"{figure.kind.capitalize()} not available", figure.alt, aspect=0.55)
        aspect = 0.62 if figure.kind == "map" else 0.46
        size = (round(width / _INCH, 3), round(width * aspect / _INCH, 3))
        try:
            from ...figures import figure_file
            path = figure_file(figure, attacks=self.doc.attacks, places=self.doc.places, style=self.doc.style,
                               fmt="svg", size=size, cache_dir=self.cache_dir, force=self.force)
            drawing = _svg_drawing(str(path))
            if drawing is None:
                raise ValueError(f"svglib could not read {path.name}")
            drawing.initialFontName = self.faces.sans[False, False]  # never the standard-14 default
            return _Graphic(drawing=drawing)
        except Exception as exc:  # the figure cannot be drawn: keep the document, say what is missing
            self.warnings.append(f"figure {figure.number} ({figure.id}): not drawn ({exc}); a placeholder is printed")
            return self._placeholder(f"{figure.kind.capitalize()} not available", figure.alt, aspect=aspect)

    def _placeholder(self, head: str, alt: str, *, aspect: float) -> _Graphic:
        return _Graphic(
            placeholder=(Paragraph(escape(head), self.st_ph_head), Paragraph(escape(alt), self.st_ph_body)),
            aspect=aspect, tint=self.tint, border=self.muted,
        )

    def _figure_box(self, figure: Figure, width: float) -> _FigureBox:
        graphic = self._graphic(figure, width)
        label = f'<font name="{self.faces.sans[True, False]}" color="{self.accent_hex}">Figure {figure.number}</font>'
        caption = self._para(figure.caption, self.st_caption, prefix=label + "&#160;&#160;")
        credit = self._para(figure.credit, self.st_credit) if figure.credit else None
        cites = list(_cited_numbers(figure.caption)) + list(_cited_numbers(figure.credit))
        return _FigureBox(figure, graphic, caption, credit, cites, caption_above=figure.kind != "photo",
                          accent=self.accent)

    # ------------------------------------------------------------------ story

    def _story(self) -> list[Flowable]:
        doc, lay = self.doc, self.layout
        story: list[Flowable] = []
        story.append(_Para(escape(doc.meta.title), self.st_title))
        byline = " · ".join(x for x in (", ".join(doc.meta.authors), dates.long_date(doc.meta.date)) if x)
        story.append(_Rule(0.8, self.ink, space_before=self.body_size * 0.9, space_after=self.body_size * 0.55))
        if byline:
            story.append(_Para(escape(byline), self.st_byline))
        for index, section in enumerate(doc.sections):
            heading = _Heading(_Para(escape(section.title.upper()), self.st_heading), lay,
                               key=f"section-{index + 1}", title=section.title)
            story.append(_Barrier(lay))
            story.append(heading)
            first = True
            blocks = list(section.blocks)
            i = 0
            while i < len(blocks):
                block = blocks[i]
                if isinstance(block, FigureBlock):
                    fig = block.figure
                    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                    if fig.kind == "photo" and isinstance(nxt, ParagraphBlock):
                        frac = 0.32
                        box = self._figure_box(fig, self.width * frac)
                        story.append(_Float(box, lay, fraction=frac, gutter=self.body_size * 2.0,
                                            leading=self.st_body.leading))
                    else:
                        frac = 0.5 if fig.kind == "photo" else 1.0
                        story.append(_FigureFlowable(self._figure_box(fig, self.width * frac), lay, fraction=frac,
                                                     leading=self.st_body.leading))
                elif isinstance(block, ParagraphBlock):
                    story.append(_Block(self._para(block.text, self.st_body), lay))
                elif isinstance(block, PullQuote):
                    story.append(_Block(self._para(block.text, self.st_quote), lay, decorate=self._quote_deco))
                if first:
                    heading.follow = story[-1]
                    first = False
                i += 1
        # closing credit and copyright
        story.append(_Barrier(lay))
        story.append(_Rule(0.5, self.muted, space_before=self.body_size * 1.2, space_after=self.body_size * 0.2))
        story.append(_Block(self._para(doc.meta.credit, self.st_closing), lay))
        if doc.meta.copyright and doc.meta.copyright not in plain_text(doc.meta.credit):
            story.append(_Block(_Para(escape(doc.meta.copyright), self.st_copyright), lay))
        # notes
        self._note_items()
        listed = [n.number for n in doc.notes]
        if self.notes_mode == "footnotes":
            listed = [n for n in listed if n not in self.refs.cited]
            if listed:
                self.warnings.append(
                    "notes " + ", ".join(map(str, listed)) + " are cited nowhere in the PDF text; listed under Notes"
                )
        if listed:
            heading = _Heading(_Para("NOTES", self.st_heading), lay, key="notes", title="Notes")
            story.append(heading)
            for j, n in enumerate(listed):
                story.append(lay.items[n])
                if j == 0:
                    heading.follow = _FirstNote(lay.items[n])
        story.append(_FlushNotes(lay))
        return story

    def _quote_deco(self, canv, w: float, h: float) -> None:
        st = self.st_quote
        pad = st.fontSize * 0.55
        canv.saveState()
        canv.setFillColor(self.tint)
        canv.rect(0, -pad, w, h + 2 * pad - st.fontSize * 0.2, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, -pad, 3, h + 2 * pad - st.fontSize * 0.2, stroke=0, fill=1)
        canv.restoreState()

    def _collect_refs(self) -> None:
        doc = self.doc
        cited = self.refs.cited
        for section in doc.sections:
            for block in section.blocks:
                if isinstance(block, (ParagraphBlock, PullQuote)):
                    cited.update(_cited_numbers(block.text))
                elif isinstance(block, FigureBlock):
                    cited.update(_cited_numbers(block.figure.caption))
                    cited.update(_cited_numbers(block.figure.credit))
        cited.update(_cited_numbers(doc.meta.credit))

    def _note_items(self) -> None:
        for note in self.doc.notes:
            n = note.number
            number = f'<a name="note-{n}"/>'
            if n in self.refs.cited:
                number += f'<a href="#ref-{n}" color="{self.accent_hex}">{n}.</a>'
            else:
                number += f"{n}."
            text = _markup(note.text, _Refs(set(), set(range(1, len(self.doc.notes) + 1))), self.accent_hex,
                           sup_size=5)
            self.layout.items[n] = _NoteItem(Paragraph(number, self.st_note_num), _Para(text, self.st_note),
                                             self.note_indent)

    # ------------------------------------------------------------------ pages

    def _first_page(self, canv, doc) -> None:
        m = self.doc.meta
        w, h = self.page_w, self.page_h
        band = self.band_h
        canv.saveState()
        canv.setFillColor(self.accent)
        canv.rect(0, h - band, w, band, stroke=0, fill=1)
        base = h - band / 2 - self.body_size * 0.32
        canv.setFillColor(colors.white)
        canv.setFont(self.faces.sans[True, False], self.body_size * 0.95)
        tx = canv.beginText(self.margin_x, base)
        tx.setCharSpace(1.4)
        tx.textOut(m.series.upper())
        tx.setCharSpace(0)
        canv.drawText(tx)
        right = w - self.margin_x
        logo = self.doc.style.logo
        canv.setFont(self.faces.sans[False, False], self.body_size * 0.9)
        if logo is not None:
            lh = band * 0.56
            try:
                self._draw_logo(canv, logo, right, h - band / 2 - lh / 2, lh)
                right -= self._logo_width + self.body_size
            except Exception as exc:
                self.warnings.append(f"logo {logo.name} not drawn: {exc}")
        canv.drawRightString(right, base, m.publisher)
        canv.restoreState()

    _logo_width = 0.0

    def _draw_logo(self, canv, path: Path, right: float, y: float, height: float) -> None:
        if path.suffix.lower() == ".svg":
            from svglib.svglib import svg2rlg

            d = svg2rlg(str(path))
            d.initialFontName = self.faces.sans[False, False]
            s = height / d.height
            self._logo_width = d.width * s
            canv.saveState()
            canv.translate(right - self._logo_width, y)
            canv.scale(s, s)
            renderPDF.draw(d, canv, 0, 0)
            canv.restoreState()
        else:
            iw, ih = ImageReader(str(path)).getSize()
            self._logo_width = height * iw / ih
            canv.drawImage(str(path), right - self._logo_width, y, self._logo_width, height, mask="auto")

    def _later_page(self, canv, doc) -> None:
        m = self.doc.meta
        y = self.margin_bottom * 0.5
        x0, x1 = self.margin_x, self.page_w - self.margin_x
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

    # ------------------------------------------------------------------ build

    def write(self) -> Rendered:
        doc = self.doc
        self._collect_refs()
        story = self._story()
        first_top = self.page_h - self.band_h - 0.42 * _INCH
        first = Frame(self.margin_x, self.margin_bottom, self.width, first_top - self.margin_bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
        later = Frame(self.margin_x, self.margin_bottom, self.width,
                      self.page_h - self.margin_top - self.margin_bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later")
        m = doc.meta
        template = _DocTemplate(
            str(self.dest),
            self.layout,
            pagesize=(self.page_w, self.page_h),
            leftMargin=self.margin_x, rightMargin=self.margin_x,
            topMargin=self.margin_top, bottomMargin=self.margin_bottom,
            title=m.title, author=", ".join(m.authors), subject=m.subject, keywords=", ".join(m.keywords),
            creator=CREATOR, lang=m.language, invariant=1, displayDocTitle=1,
            initialFontName=self.faces.serif[False, False], initialFontSize=self.body_size,
            initialLeading=self.body_size * 1.2, stamp=_stamp_for(doc), rule_color=self.muted,
            pageTemplates=[
                PageTemplate("first", [first], onPage=self._first_page, autoNextPageTemplate="later"),
                PageTemplate("later", [later], onPage=self._later_page),
            ],
        )
        with _url_breaks():
            template.build(story)
        return Rendered(units=template.page, warnings=tuple(self.warnings + self.layout.warnings))


class _FirstNote:
    """Look-ahead for the Notes heading: the first note must fit below it."""

    def __init__(self, item: _NoteItem):
        self.item = item

    def getSpaceBefore(self):
        return 0

    def min_height(self, aW, aH):
        _, h = self.item.wrap(aW, aH)
        return min(h, 3 * self.item.text_para.style.leading)
