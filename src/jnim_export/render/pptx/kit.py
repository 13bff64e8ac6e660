"""The deck being built and the furniture of every slide: new slides and their titles, colours, rules, footers."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.oxml.shapes import ShapeElement
from pptx.text.text import TextFrame
from pptx.util import Inches, Pt

from ...colours import BLACK, MIN_CONTRAST, WHITE, contrast, light_tint, readable
from ...fonts import FAMILIES
from ...model import Document
from .citations import footnote_size, note_paras, speaker_notes
from .geometry import Box, inch, pt, to_pt
from .layouts import Layouts
from .regions import content_left_right, title_box
from .look import background, readable_links, scheme, template_colours
from .template import drop_slides, open_template, restyle_theme
from .template import theme_font as template_font
from .textfit import Measure, Para, Seg, paragraph
from .textset import check_fit, fit_size, keep_stamp, stamped, textbox, url_breaks, write
from .theme import FOOTER_BAND, RULE_GREY, TITLE_SIZES

NV_PH = qn("p:nvPr") + "/" + qn("p:ph")  # a placeholder's p:ph, under its first child
P_SP = qn("p:sp")


def unstyled(shape) -> None:
    """Drop the theme style python-pptx gives new shapes (its shadow and colours): fill, line and
    text colours are set explicitly, and a plain shape renders alike everywhere."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def decorative(shape) -> None:
    """Mark `shape` decorative (Office's extension in its cNvPr): screen readers pass over it, and
    accessibility checkers ask no alt text of it. For rules, bands, markers and backgrounds."""
    cNvPr = shape._element[0][0]  # nvSpPr / nvPicPr / nvCxnSpPr / nvGrpSpPr, then cNvPr
    ext_lst = cNvPr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(cNvPr, qn("a:extLst"))
    if ext_lst.find(f"{qn('a:ext')}[@uri='{DECORATIVE_EXT}']") is None:
        ext = etree.SubElement(ext_lst, qn("a:ext"))
        ext.set("uri", DECORATIVE_EXT)
        etree.SubElement(ext, f"{{{ADEC}}}decorative", nsmap={"adec": ADEC}).set("val", "1")


def alt_text(shape, descr: str) -> None:
    """What a picture, chart or diagram shows, for those who cannot see it (cNvPr's descr)."""
    shape._element[0][0].set("descr", descr)


def house_colours(style) -> dict[str, str]:
    """The house style's colours by key: the content's, each text colour that would read below
    4.5:1 on white or on the tint moved darker until it reads (as the web page does; `validate`
    warns), a dark tint lightened."""
    tint = light_tint(style.tint)
    backs = (WHITE, tint)

    def text(c: str) -> str:
        return c if all(contrast(c, bg) >= MIN_CONTRAST for bg in backs) else readable(c, backs, towards=BLACK)

    # the accent is also the fill behind white text (the group's box): white on it reads as it does on white
    return {"accent": text(style.accent), "ink": text(style.ink), "muted": text(style.muted), "tint": tint,
            "rule": RULE_GREY, "white": WHITE}


class Deck:
    """A deck being built: the presentation, its house style or template, and the furniture every slide uses."""

    def __init__(self, doc: Document, *, template: Path | None, citations: str, cache_dir: Path,
                 force_figures: bool):
        self.doc = doc
        self.citations = citations
        self.cache_dir = cache_dir
        self.force_figures = force_figures
        self.warnings: list[str] = []
        self.cited: set[int] = set()
        self.house = template is None
        self.colours = house_colours(doc.style)
        self.prs = open_template(template, self.warnings)
        if self.house:
            self.prs.slide_width = Inches(13.333)
            self.prs.slide_height = Inches(7.5)
            restyle_theme(self)
            self.text_family: str | None = doc.style.sans if doc.style.sans in FAMILIES else "Noto Sans"
            self.measure = Measure(self.text_family)
        else:
            drop_slides(self)
            theme_font = template_font(self)
            self.text_family = None  # inherit the template's theme font
            known = theme_font in FAMILIES
            # a font we have no metrics for is measured as Noto Sans, which is wide, plus a margin
            self.measure = Measure(theme_font if known else "Noto Sans", 1.0 if known else 1.08)
        self.layouts = Layouts(self.prs)
        if not self.house:
            self._scheme = scheme(self.prs)
            # links are on text and other slides (sources, footers), not on the title slide
            readable_links(self.prs, tuple(self._background(kind) for kind in ("content", "title_only")))
        self.W = int(self.prs.slide_width)
        self.H = int(self.prs.slide_height)
        self._charts: list = []  # the chart frames added, for their workbooks at save time
        self.stamps: dict[tuple, ShapeElement] = {}  # shapes to add again as they are (see textset.stamped)
        self.titles: set[str] = set()  # the slides' titles so far (casefolded), each once: see unique
        self._run_titles: dict[str, str] = {}  # a run of slides' title as asked -> as its first slide has it

    def hex(self, key: str) -> str:
        return self.colours[key]

    def paint(self, color_format, key: str) -> None:
        color_format.rgb = RGBColor.from_string(self.hex(key).lstrip("#").upper())

    def fill(self, shape, key: str | None) -> None:
        if key is None:
            shape.fill.background()
        else:
            shape.fill.solid()
            self.paint(shape.fill.fore_color, key)

    def outline(self, shape, key: str | None, width_pt: float = 1.0, dash=None) -> None:
        if key is None:
            shape.line.fill.background()
            return
        shape.line.width = Pt(width_pt)
        self.paint(shape.line.color, key)
        if dash is not None:
            shape.line.dash_style = dash

    def finish(self, slide, kind: str, cites: Sequence[int], *, footer: bool = True, placed: bool = False) -> None:
        """Citations (speaker notes or footer, unless `placed` on the slide already), the running
        footer, and tidy placeholders."""
        cites = sorted(set(cites))
        self.cited.update(cites)
        left, right = content_left_right(self, kind)
        if placed:
            pass
        elif cites and self.citations == "footer":
            size = footnote_size(self, cites, right - left)
            paras = note_paras(self.doc, cites, size)
            h = pt(self.measure.total(paras, to_pt(right - left))) + 1
            textbox(self, slide, Box(left, self.H - FOOTER_BAND - h, right - left, h), paras, name="Citations")
        elif cites:
            speaker_notes(self, slide.notes_slide.notes_text_frame, cites)
        if footer:
            self.running_footer(slide, left, right)
        # placeholders the layout brought but nothing filled would show "Click to add text"
        # (read from the XML as python-pptx reads it, without a proxy object per shape)
        tree = slide.shapes._spTree
        phs = [(el, el[0].find(NV_PH)) for el in tree.iter_shape_elms() if len(el)]
        phs = [(el, ph) for el, ph in phs if ph is not None]
        for el, ph in phs:
            if ph.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                continue
            # only the placeholder's XML is read: its frame needs no part
            if el.tag == P_SP and not TextFrame(el.get_or_add_txBody(), None).text.strip():  # type: ignore[arg-type]
                tree.remove(el)
        # the title (the placeholder of idx 0) comes first in reading order
        title = next((el for el, ph in phs if ph.idx == 0 and el.getparent() is tree), None)
        if title is not None:
            tree.remove(title)
            tree.insert(2, title)

    def running_footer(self, slide, left: int, right: int) -> None:
        meta = self.doc.meta
        y, h = self.H - inch(0.5), inch(0.3)
        label = f"{meta.publisher_short}  |  {meta.series}: {meta.short_title}"
        size = 10
        textbox(self, slide, Box(left, y, right - left - inch(1.0), h), [paragraph(label, size, color="muted")],
                name="Footer")
        num = textbox(self, slide, Box(right - inch(1.0), y, inch(1.0), h),
                      [paragraph("0", size, color="muted", align="r")], name="Slide number")
        # a live slide-number field in place of the static text
        p = num.text_frame.paragraphs[0]._p
        r = p.find(qn("a:r"))
        fld = etree.Element(qn("a:fld"))
        fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
        fld.set("type", "slidenum")
        for child in list(r):
            fld.append(child)
        text = fld.find(qn("a:t"))
        assert text is not None  # the run moved into the field holds its text
        text.text = str(len(self.prs.slides))
        p.replace(r, fld)

    def rule(self, slide, x: int, y: int, w: int, h: int, key: str, name: str):
        stamp = ("rule", x, y, w, h, key, name)
        shape = stamped(self, slide, stamp)
        if shape is None:
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
            shape.name = name
            self.fill(shape, key)
            self.outline(shape, None)
            unstyled(shape)
            decorative(shape)
            keep_stamp(self, stamp, shape)
        return shape

    def unique(self, title: str) -> str:
        """`title`, or "title (2)", "(3)"... if a slide of the deck has that title already (two
        sections of one name): every slide's title tells it from the others. Reserves it."""
        out, n = title, 1
        while out.casefold() in self.titles:
            n += 1
            out = f"{title} ({n})"
        self.titles.add(out.casefold())
        return out

    @staticmethod
    def continued(title: str, i: int) -> str:
        """The title of slide `i` (from 0) of a run of slides: "title", "title (cont.)", "title (cont. 2)"."""
        return title if i == 0 else f"{title} (cont.)" if i == 1 else f"{title} (cont. {i})"

    def new_slide(self, kind: str, title: str | Sequence[Seg], *, sizes: Sequence[float] = TITLE_SIZES, cont: int = 0):
        """A slide of layout `kind` with its title placeholder filled and fitted; its title unique.

        `cont`: the slide continues the `cont` slides before it, made with the same `title`
        (which the first may have had to make unique): its title says so.
        """
        if isinstance(title, str):
            if cont:
                title = self.unique(self.continued(self._run_titles[title], cont))
            else:
                first = self.unique(title)
                self._run_titles[title] = first
                title = first
        else:
            text = "".join(s.text for s in title)
            if text != self.unique(text):
                raise ValueError(f"slide title {text!r} twice")
        slide = self._add_slide(kind)
        ph = slide.shapes.title
        if ph is None:
            ph = self._add_title_placeholder(slide)
        box = title_box(self, kind)
        ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
        segs = (Seg(title),) if isinstance(title, str) else tuple(title)

        def make(s):
            return [paragraph(segs, s, bold=True, spacing=0.9)]

        size = fit_size(self, sizes, make, box.w, box.h) or sizes[-1]
        write(self, ph.text_frame, make(size), anchor=MSO_ANCHOR.BOTTOM)
        check_fit(self, make(size), box, (0, 0, 0, 0), "Title")
        if self.house and kind != "title":
            self.rule(slide, box.x, box.bottom + inch(0.1), inch(0.8), inch(0.06), "accent", "Title rule")
        return slide

    def _add_slide(self, kind: str):
        layout = self.layouts.choose(kind).layout
        if not self.house:
            # the colours that read on this layout's background
            self.colours = template_colours(self.doc.style, self.doc.style.given, self._scheme, self._background(kind))
        slide = self.prs.slides.add_slide(layout)
        # shapes are only added to a slide from here on, each with the next id: python-pptx
        # may count on from the highest id instead of searching the slide for it every time
        slide.shapes.turbo_add_enabled = True
        return slide

    def _background(self, kind: str) -> str:
        layout = self.layouts.choose(kind).layout
        return background([layout.element, self.prs.slide_master.element], self._scheme)

    def _add_title_placeholder(self, slide):
        """A title placeholder for a layout that lacks one, so the slide still has a title."""
        sp = slide.shapes._spTree.add_autoshape(slide.shapes._next_shape_id, "Title", "rect", 0, 0, 0, 0)
        nvPr = sp.nvSpPr.nvPr
        etree.SubElement(nvPr, qn("p:ph")).set("type", "title")
        sp.spPr.remove(sp.spPr.find(qn("a:prstGeom")))
        style = sp.find(qn("p:style"))
        if style is not None:
            sp.remove(style)
        return slide.shapes.title

    def body_placeholder(self, slide):
        for ph in slide.placeholders:
            if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
                return ph
        return None

    def body_text(self, slide, box: Box, paras: Sequence[Para], name: str):
        """Body text in the layout's content placeholder (so the outline shows it), else a text box."""
        ph = self.body_placeholder(slide)
        if ph is None:
            return textbox(self, slide, box, paras, name=name)
        ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
        ph.name = name
        paras = url_breaks(self, paras, box.w)
        write(self, ph.text_frame, paras)
        check_fit(self, paras, box, (0, 0, 0, 0), name)
        return ph
