"""The briefing deck: a 16:9 PowerPoint file built from the `Document` with python-pptx.

Everything on a slide is native and editable: text in placeholders and text boxes, the
organisation diagram as shapes joined by connectors, the monthly chart as a PowerPoint chart
whose data opens with Edit Data. Only the map is a picture.

Text is fitted, not auto-fitted: every paragraph is measured with the embedded font's advance
widths (`jnim_export.fonts.text_width`), wrapped by words to its box, shrunk within set limits
and, if it still does not fit, continued on a "(cont.)" slide. Autofit is switched off and every
run carries an explicit size, so PowerPoint and LibreOffice draw what was measured.

The file is reproducible: fixed zip timestamps, fixed core-property dates (SOURCE_DATE_EPOCH or
the content's date) and a normalised embedded chart workbook.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Literal, Sequence

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_THEME_COLOR
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.text import CT_RegularTextRun
from pptx.shapes.shapetree import SlideShapeFactory
from pptx.text.text import TextFrame, _Paragraph, _Run
from pptx.util import Emu, Inches, Pt

from ... import dates
from ...fonts import FAMILIES, text_width
from ..writer import Context, Rendered
from . import DeckOptions
from ...model import (
    Attack,
    Document,
    Emph,
    Figure,
    Inlines,
    Leader,
    Link,
    NoteRef,
    PullQuote,
    Strong,
    Text,
    note_numbers,
    plain_text,
)

__all__ = ["render_deck"]


def render_deck(doc: Document, dest: Path, options: DeckOptions, context: Context) -> Rendered:
    """Write the briefing deck of `doc` to `dest` (.pptx).

    `options.template`: a .pptx whose slide master, theme and layouts the deck is built on (its
    own slides are dropped); without one the house style of `doc.style` is applied to
    python-pptx's default template. `options.citations`: where each slide's full note texts go,
    its speaker notes or a footer on the slide.
    """
    deck = _Deck(doc, template=options.template, citations=options.citations,
                 cache_dir=context.figure_cache, force_figures=context.redraw_figures)
    deck.build()
    data = deck.save()
    Path(dest).write_bytes(data)
    return Rendered(units=len(deck.prs.slides), warnings=tuple(deck.warnings))


# --------------------------------------------------------------------------- text model

EMU_PER_PT = 12700
EMU_PER_IN = 914400

# PowerPoint sets "single" line spacing at 1.2 times the font size, whatever the font, and
# LibreOffice does the same for .pptx; a paragraph's line spacing is a multiple of that.
LINE_PITCH = 1.2

# The share of a box's width that wrapping may use: renderers differ by a hair (hinting,
# rounding), so lines are broken a little early rather than a little late.
_WRAP_SLACK = 0.98


@dataclass(frozen=True)
class Seg:
    """A run of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False
    href: str | None = None
    color: str | None = None  # a colour key (see _Deck.paint); None: the paragraph's


@dataclass(frozen=True)
class Para:
    """A paragraph as written to a text frame, and as measured."""

    segs: tuple[Seg, ...]
    size: float  # pt
    bold: bool = False
    italic: bool = False
    color: str = "ink"
    align: Literal["l", "c", "r"] = "l"
    bullet: bool = False
    hang: float = 0.0  # pt: hanging indent (bullet or a tab-separated label before the text)
    after: float = 0.0  # pt: space after
    spacing: float = 1.0  # line spacing, a multiple of single spacing (LINE_PITCH)
    family: str | None = None  # None: the deck's text family

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)


def _p(text: str | Sequence[Seg], size: float, **kw) -> Para:
    segs = (Seg(text),) if isinstance(text, str) else tuple(text)
    return Para(segs, size, **kw)


def inline_segs(inlines: Inlines, *, bold: bool = False, italic: bool = False, href: str | None = None) -> list[Seg]:
    """Inline content as styled runs; note references become superscript numbers ("5,6")."""
    out: list[Seg] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Seg(node.text, bold, italic, False, href))
        elif isinstance(node, Emph):
            out.extend(inline_segs(node.children, bold=bold, italic=not italic, href=href))
        elif isinstance(node, Strong):
            out.extend(inline_segs(node.children, bold=True, italic=italic, href=href))
        elif isinstance(node, Link):
            out.extend(inline_segs(node.children, bold=bold, italic=italic, href=node.href))
        elif isinstance(node, NoteRef):
            out.extend(ref_segs((node.number,)))
    return _merge_refs(out)


def ref_segs(numbers: Sequence[int]) -> list[Seg]:
    return [Seg(",".join(str(n) for n in numbers), sup=True)] if numbers else []


def _para_cites(para: Para) -> list[int]:
    """The note numbers a paragraph shows."""
    return [int(n) for s in para.segs if s.sup for n in re.findall(r"\d+", s.text)]


def _merge_refs(segs: list[Seg]) -> list[Seg]:
    out: list[Seg] = []
    for s in segs:
        if s.sup and out and out[-1].sup:
            out[-1] = replace(out[-1], text=f"{out[-1].text},{s.text}")
        else:
            out.append(s)
    return out


# --------------------------------------------------------------------------- measuring


_LINES: dict[tuple, list] = {}  # _Measure.lines, remembered


class _Measure:
    """Line breaking and heights with the embedded fonts' metrics."""

    def __init__(self, family: str, width_factor: float = 1.0):
        self.family = family  # a family fonts.py knows, used for measuring
        self.width_factor = width_factor

    def _family(self, para: Para) -> str:
        fam = para.family or self.family
        return fam if fam in FAMILIES else self.family

    def _w(self, text: str, para: Para, seg: Seg) -> float:
        return self.width_factor * text_width(
            text, self._family(para), para.size, bold=para.bold or seg.bold, italic=para.italic or seg.italic
        )

    def _words(self, para: Para) -> list[list[tuple[str, Seg]]]:
        """The paragraph as words (lists of same-style pieces); a word keeps its trailing spaces.

        A hyperlink is a word of its own: LibreOffice lays a link out as one block, so a line
        may break right before or after it, even without a space.
        """
        words: list[list[tuple[str, Seg]]] = [[]]
        in_space = False
        prev_href: str | None = None
        for seg in para.segs:
            text = seg.text.split("\t", 1)[1] if "\t" in seg.text else seg.text
            if "\t" in seg.text:  # the label before a tab sits in the hanging indent
                words = [[]]
                in_space = False
            if seg.href != prev_href and words[-1]:
                words.append([])
                in_space = False
            prev_href = seg.href
            for chunk in re.findall(r" +|[^ ]+", text):
                if chunk.startswith(" "):
                    words[-1].append((chunk, seg))
                    in_space = True
                else:
                    if in_space:
                        words.append([])
                        in_space = False
                    words[-1].append((chunk, seg))
        return [w for w in words if w]

    def lines(self, para: Para, width_pt: float) -> list[list[tuple[str, Seg]]]:
        """Greedy word wrap of `para` into lines `width_pt` wide (after its hanging indent).

        Remembered per font, paragraph and width (the fitting and packing loops ask again and
        again, and so does the next build in a watching process); the result is not to be changed.
        """
        key = (self.family, self.width_factor, para, width_pt)
        got = _LINES.get(key)
        if got is None:
            if len(_LINES) > 16384:
                _LINES.clear()
            got = _LINES[key] = self._lines(para, width_pt)
        return got

    def _lines(self, para: Para, width_pt: float) -> list[list[tuple[str, Seg]]]:
        avail = width_pt * _WRAP_SLACK - para.hang
        lines: list[list[tuple[str, Seg]]] = [[]]
        used = 0.0  # width of the current line, with trailing spaces
        for word in self._words(para):
            w_ink = sum(self._w(t, para, s) for t, s in word if not t.startswith(" "))
            w_all = sum(self._w(t, para, s) for t, s in word)
            if lines[-1] and used + w_ink <= avail:
                lines[-1].extend(word)
                used += w_all
                continue
            if lines[-1]:
                lines.append([])
                used = 0.0
            if w_ink <= avail:
                lines[-1].extend(word)
                used = w_all
                continue
            # a word longer than a line: it starts a line and breaks between characters
            for t, s in word:
                for ch in t:
                    cw = self._w(ch, para, s)
                    if used + cw > avail and lines[-1] and not ch.isspace():
                        lines.append([])
                        used = 0.0
                    lines[-1].append((ch, s))
                    used += cw
            if any(s.href for _, s in word):
                used = avail  # after a link that broke, LibreOffice starts a new line
        return lines

    def pitch(self, para: Para) -> float:
        return para.spacing * LINE_PITCH * para.size

    def height(self, para: Para, width_pt: float) -> float:
        """Points `para` needs: its lines and the space after it."""
        return len(self.lines(para, width_pt)) * self.pitch(para) + para.after

    def total(self, paras: Sequence[Para], width_pt: float) -> float:
        return sum(self.height(p, width_pt) for p in paras)

    def longest_line(self, para: Para) -> float:
        return sum(self._w(t, para, s) for t, s in (x for w in self._words(para) for x in w)) + para.hang

    def split(self, para: Para, width_pt: float, max_pt: float) -> tuple[Para, Para | None]:
        """Cut `para` after the last line that fits in `max_pt`; the rest continues unbulleted."""
        lines = self.lines(para, width_pt)
        n = max(1, int((max_pt - para.after) // self.pitch(para)))
        if n >= len(lines):
            return para, None
        head_len = sum(len(t) for line in lines[:n] for t, _ in line)
        head: list[Seg] = []
        tail: list[Seg] = []
        pos = 0
        label = ""
        for s in para.segs:
            text = s.text
            if "\t" in text:
                label, text = text.split("\t", 1)
                label += "\t"
            if pos + len(text) <= head_len:
                head.append(replace(s, text=label + text if label else text))
            elif pos >= head_len:
                tail.append(s if not label else replace(s, text=text))
            else:
                cut = head_len - pos
                head.append(replace(s, text=(label + text[:cut]) if label else text[:cut]))
                tail.append(replace(s, text=text[cut:].lstrip(" ")))
            label = ""
            pos += len(text)
        tail = [t for t in tail if t.text]
        if tail:  # the continuation starts at a word, not a space
            tail[0] = replace(tail[0], text=tail[0].text.lstrip(" "))
        return replace(para, segs=tuple(head), after=0.0), replace(para, segs=tuple(tail), bullet=False)


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


def _in(v: float) -> int:
    return int(round(v * EMU_PER_IN))


def _pt(v: float) -> int:
    return int(round(v * EMU_PER_PT))


def _to_pt(emu: int) -> float:
    return emu / EMU_PER_PT


# Layout names tried in order for each kind of slide (the first present in the template wins).
_LAYOUTS = {
    "title": ("Title Slide",),
    "content": ("Title and Content", "Title Only"),
    "title_only": ("Title Only",),
}

# House sizes (pt): largest first; text shrinks step by step down to the last.
_TITLE_SIZES = (30, 28, 26, 24, 22)
_BULLET_SIZES = (24, 22, 20, 19, 18, 17, 16, 15, 14)
_FACT_SIZES = (20, 19, 18, 17, 16, 15, 14)
_CARD_SIZES = (20, 19, 18, 17, 16, 15, 14)
_TIMELINE_SIZES = (20, 19, 18, 17, 16, 15, 14)
_SOURCE_SIZES = (14, 13, 12)
_FOOTNOTE_SIZES = (10, 9, 8)
_QUOTE_SIZES = (36, 34, 32, 30, 28, 26, 24)

def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s]+", name) if w and w[0].isalpha()]
    if not words:
        return "?"
    first, last = words[0], words[-1]
    last = last.split("-")[-1] if "-" in last else last
    return (first[0] + (last[0] if len(words) > 1 else "")).upper()


# --------------------------------------------------------------------------- the deck

_A_P, _A_PPR, _A_END, _A_BODYPR = qn("a:p"), qn("a:pPr"), qn("a:endParaRPr"), qn("a:bodyPr")
_P_CONTENT = frozenset(qn(t) for t in ("a:r", "a:br", "a:fld"))
_P_CHILDREN = _P_CONTENT | {_A_PPR, _A_END}
_TXBODY_CHILDREN = frozenset((_A_BODYPR, qn("a:lstStyle"), _A_P))
_NV_PH = qn("p:nvPr") + "/" + qn("p:ph")  # a placeholder's p:ph, under its first child
_P_SP = qn("p:sp")
_escape_ctrl_chars = CT_RegularTextRun._escape_ctrl_chars

# XML made once through python-pptx and copied from then on (see _Deck.write), keyed by
# everything that shapes it; shared by the decks of a process (`jnim-export watch`).
_TEMPLATES: dict[tuple, object] = {}



class _Deck:
    def __init__(self, doc: Document, *, template: Path | None, citations: str, cache_dir: Path,
                 force_figures: bool):
        self.doc = doc
        self.citations = citations
        self.cache_dir = cache_dir
        self.force_figures = force_figures
        self.warnings: list[str] = []
        self.cited: set[int] = set()
        self.house = template is None
        self.prs = Presentation(str(template)) if template else Presentation()
        if self.house:
            self.prs.slide_width = Inches(13.333)
            self.prs.slide_height = Inches(7.5)
            self._restyle_theme()
            self.text_family = doc.style.sans if doc.style.sans in FAMILIES else "Noto Sans"
            self.measure = _Measure(self.text_family)
        else:
            self._drop_slides()
            theme_font = self._theme_font()
            self.text_family = None  # inherit the template's theme font
            known = theme_font in FAMILIES
            # a font we have no metrics for is measured as Noto Sans, which is wide, plus a margin
            self.measure = _Measure(theme_font if known else "Noto Sans", 1.0 if known else 1.08)
        self.W = int(self.prs.slide_width)
        self.H = int(self.prs.slide_height)
        self._layout_cache: dict[str, object] = {}
        self._charts: list = []  # the chart frames added, for their workbooks at save time
        self._stamps: dict[tuple, object] = {}  # shapes to add again as they are (see _stamp)

    # ------------------------------------------------------------------ template handling

    def _drop_slides(self) -> None:
        sld_ids = self.prs.slides._sldIdLst
        for sld_id in list(sld_ids):
            self.prs.part.drop_rel(sld_id.rId)
            sld_ids.remove(sld_id)

    def _theme_part(self):
        return self.prs.slide_master.part.part_related_by(RT.THEME)

    def _theme_font(self) -> str:
        try:
            root = etree.fromstring(self._theme_part().blob)
            latin = root.find(".//" + qn("a:minorFont") + "/" + qn("a:latin"))
            return latin.get("typeface") if latin is not None else "Noto Sans"
        except Exception:  # a theme we cannot read: measure as Noto Sans
            return "Noto Sans"

    def _restyle_theme(self) -> None:
        """The house colours and fonts as the default template's theme, so new text and the
        chart match the deck."""
        part = self._theme_part()
        root = etree.fromstring(part.blob)
        st = self.doc.style
        scheme = root.find(".//" + qn("a:clrScheme"))
        colors = {"dk2": st.ink, "lt2": st.tint, "hlink": st.accent, "folHlink": st.muted}
        for i, c in enumerate(st.palette[:6]):
            colors[f"accent{i + 1}"] = c
        if scheme is not None:
            scheme.set("name", "House")
            for tag, hexv in colors.items():
                el = scheme.find(qn(f"a:{tag}"))
                if el is None:
                    continue
                for child in list(el):
                    el.remove(child)
                etree.SubElement(el, qn("a:srgbClr")).set("val", hexv.lstrip("#").upper())
        for which in ("a:majorFont", "a:minorFont"):
            latin = root.find(".//" + qn(which) + "/" + qn("a:latin"))
            if latin is not None:
                latin.set("typeface", st.sans)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def layout(self, kind: str):
        if kind in self._layout_cache:
            return self._layout_cache[kind]
        layouts = list(self.prs.slide_layouts)
        by_name = {lo.name.strip().lower(): lo for lo in layouts}
        chosen = None
        for name in _LAYOUTS[kind]:
            if name.lower() in by_name:
                chosen = by_name[name.lower()]
                break
        if chosen is None:
            # the layout with a title and the fewest other placeholders, else the first
            def score(lo):
                types = [ph.placeholder_format.type for ph in lo.placeholders]
                has_title = any(t in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) for t in types)
                body = sum(1 for t in types if t in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE))
                wanted_body = 1 if kind in ("content", "title") else 0
                return (not has_title, abs(body - wanted_body), len(types))

            chosen = min(layouts, key=score)
            self.warnings.append(
                f"slides: the template has no layout named {' or '.join(repr(n) for n in _LAYOUTS[kind])}; "
                f"using {chosen.name!r}"
            )
        self._layout_cache[kind] = chosen
        return chosen

    # ------------------------------------------------------------------ colours and fonts

    _THEME = {
        "accent": (MSO_THEME_COLOR.ACCENT_1, 0.0),
        "ink": (MSO_THEME_COLOR.TEXT_1, 0.0),
        "muted": (MSO_THEME_COLOR.TEXT_1, 0.35),
        "tint": (MSO_THEME_COLOR.BACKGROUND_2, 0.0),
        "rule": (MSO_THEME_COLOR.TEXT_1, 0.75),
        "white": (MSO_THEME_COLOR.BACKGROUND_1, 0.0),
    }

    def hex(self, key: str) -> str:
        st = self.doc.style
        return {"accent": st.accent, "ink": st.ink, "muted": st.muted, "tint": st.tint,
                "rule": "#c9ccd1", "white": "#ffffff"}[key]

    def paint(self, color_format, key: str) -> None:
        if self.house:
            color_format.rgb = RGBColor.from_string(self.hex(key).lstrip("#").upper())
        else:
            theme, brightness = self._THEME[key]
            color_format.theme_color = theme
            if brightness:
                color_format.brightness = brightness

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

    # ------------------------------------------------------------------ text frames

    def write(self, tf, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, insets=(0, 0, 0, 0)) -> None:
        """Write `paras` to text frame `tf`: explicit sizes, spacing and indents, no autofit.

        The XML is what `_write_api` makes, property by property, through python-pptx; here
        each distinct body, paragraph and run property set is made that way once (see
        `_template`) and copied, which is many times faster for a deck's hundreds of runs.
        """
        txBody = tf._txBody
        ps = txBody.findall(_A_P)
        bodyPr = txBody.find(_A_BODYPR)
        if (not ps or bodyPr is None or any(c.tag not in _P_CHILDREN for c in ps[0])
                or any(c.tag not in _TXBODY_CHILDREN for c in txBody)):
            self._write_api(tf, paras, anchor=anchor, insets=insets)
            return
        # tf.clear(): one paragraph left, emptied of runs, breaks and fields
        for p in ps[1:]:
            txBody.remove(p)
        first = ps[0]
        for c in [c for c in first if c.tag in _P_CONTENT]:
            first.remove(c)
        # the body properties
        insets = tuple(int(v) for v in insets)
        key = ("body", etree.tostring(bodyPr), insets, anchor)
        txBody.replace(bodyPr, copy.deepcopy(self._template(key, lambda: self._body_template(bodyPr, insets, anchor))))
        lang = self.doc.meta.language
        for i, para in enumerate(paras):
            p = first if i == 0 else etree.SubElement(txBody, _A_P)
            pPr = p.find(_A_PPR) if i == 0 else None
            key = ("para", etree.tostring(pPr) if pPr is not None else None, para.align, para.spacing,
                   para.after, para.hang, para.bullet, any("\t" in s.text for s in para.segs),
                   self.house, self.hex("accent") if self.house else None, self.measure.family)
            tmpl = copy.deepcopy(self._template(key, lambda pPr=pPr, para=para: self._para_template(pPr, para)))
            if pPr is not None:
                p.replace(pPr, tmpl)
            else:
                p.insert(0, tmpl)
            end = p.find(_A_END)
            fam = para.family or self.text_family
            for seg in para.segs:
                bold, italic = para.bold or seg.bold, para.italic or seg.italic
                color = seg.color or para.color
                key = ("run", para.size, bold, italic, fam, self.house,
                       self.hex(color) if self.house else color, lang, seg.sup)
                r = copy.deepcopy(self._template(key, lambda para=para, seg=seg: self._run_template(para, seg, lang)))
                r[-1].text = _escape_ctrl_chars(seg.text)
                if end is not None:
                    end.addprevious(r)
                else:
                    p.append(r)
                if seg.href:  # through python-pptx, which relates the link to the slide
                    _Run(r, _Paragraph(p, tf)).hyperlink.address = seg.href
            # the empty-paragraph mark carries the size too, so an empty line measures the same
            if end is None:
                end = etree.SubElement(p, _A_END)
            end.set("sz", str(int(round(para.size * 100))))
            end.set("lang", lang)

    def _template(self, key, make):
        tmpl = _TEMPLATES.get(key)
        if tmpl is None:
            if len(_TEMPLATES) > 4096:
                _TEMPLATES.clear()
            tmpl = _TEMPLATES[key] = make()
        return tmpl

    @staticmethod
    def _scratch_tf(bodyPr):
        txBody = parse_xml(f'<p:txBody {nsdecls("a", "p")}><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>')
        if bodyPr is not None:
            txBody.replace(txBody[0], copy.deepcopy(bodyPr))
        return TextFrame(txBody, None)

    def _body_template(self, bodyPr, insets, anchor):
        tf = self._scratch_tf(bodyPr)
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Emu(v) for v in insets)
        tf.vertical_anchor = anchor
        return tf._txBody.find(_A_BODYPR)

    def _para_template(self, pPr, para: Para):
        tf = self._scratch_tf(None)
        p = tf.paragraphs[0]
        if pPr is not None:
            p._p.insert(0, copy.deepcopy(pPr))
        p.alignment = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[para.align]
        p.line_spacing = para.spacing
        p.space_before = Pt(0)
        p.space_after = Pt(para.after)
        pPr = p._p.get_or_add_pPr()
        self._para_marks(pPr, para)
        return pPr

    def _run_template(self, para: Para, seg: Seg, lang: str):
        tf = self._scratch_tf(None)
        r = tf.paragraphs[0].add_run()
        r.text = ""
        self._run_props(r, para, seg, lang)
        return r._r

    def _para_marks(self, pPr, para: Para) -> None:
        """Indents, bullet and tab stop of a paragraph."""
        pPr.set("marL", str(_pt(para.hang)))
        pPr.set("indent", str(-_pt(para.hang)))
        for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buAutoNum"):
            for el in pPr.findall(qn(tag)):
                pPr.remove(el)
        if para.bullet:
            clr = etree.SubElement(pPr, qn("a:buClr"))
            if self.house:
                etree.SubElement(clr, qn("a:srgbClr")).set("val", self.hex("accent").lstrip("#").upper())
            else:
                etree.SubElement(clr, qn("a:schemeClr")).set("val", "accent1")
            etree.SubElement(pPr, qn("a:buFont")).set("typeface", self.measure.family)
            etree.SubElement(pPr, qn("a:buChar")).set("char", "•")
        else:
            etree.SubElement(pPr, qn("a:buNone"))
        if para.hang and any("\t" in s.text for s in para.segs):
            tabs = etree.SubElement(pPr, qn("a:tabLst"))
            tab = etree.SubElement(tabs, qn("a:tab"))
            tab.set("pos", str(_pt(para.hang)))
            tab.set("algn", "l")

    def _run_props(self, r, para: Para, seg: Seg, lang: str) -> None:
        """Size, weight, slant, family, colour, language and baseline of a run."""
        f = r.font
        f.size = Pt(para.size)
        f.bold = para.bold or seg.bold
        f.italic = para.italic or seg.italic
        fam = para.family or self.text_family
        if fam:
            f.name = fam
        self.paint(f.color, seg.color or para.color)
        rPr = r._r.get_or_add_rPr()
        rPr.set("lang", lang)
        if seg.sup:
            rPr.set("baseline", "30000")

    def _write_api(self, tf, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, insets=(0, 0, 0, 0)) -> None:
        """`write` through python-pptx's text API, one property at a time: the reference for what
        `write` produces, and its path for a text frame of an unexpected shape."""
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Emu(int(v)) for v in insets)
        tf.vertical_anchor = anchor
        lang = self.doc.meta.language
        for i, para in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[para.align]
            p.line_spacing = para.spacing
            p.space_before = Pt(0)
            p.space_after = Pt(para.after)
            self._para_marks(p._p.get_or_add_pPr(), para)
            for seg in para.segs:
                r = p.add_run()
                r.text = seg.text
                self._run_props(r, para, seg, lang)
                if seg.href:
                    r.hyperlink.address = seg.href
            # the empty-paragraph mark carries the size too, so an empty line measures the same
            end = p._p.get_or_add_endParaRPr()
            end.set("sz", str(int(round(para.size * 100))))
            end.set("lang", lang)

    def textbox(self, slide, box: Box, paras: Sequence[Para], *, name: str, anchor=MSO_ANCHOR.TOP,
                insets=(0, 0, 0, 0)):
        # a text box met before on another slide (the running footer) is a copy of that one
        key = None if any(seg.href for para in paras for seg in para.segs) else \
            ("textbox", box, tuple(paras), name, anchor, tuple(insets))
        shape = self._stamp(slide, key)
        if shape is None:
            shape = slide.shapes.add_textbox(box.x, box.y, box.w, box.h)
            shape.name = name
            self.write(shape.text_frame, paras, anchor=anchor, insets=insets)
            self._keep(key, shape)
        self.check_fit(paras, box, insets, name)
        return shape

    def _stamp(self, slide, key):
        """A copy of the shape kept under `key` (see `_keep`) added to `slide`, or None."""
        tmpl = self._stamps.get(key) if key is not None else None
        if tmpl is None:
            return None
        shapes = slide.shapes
        el = copy.deepcopy(tmpl)
        el[0][0].set("id", str(shapes._next_shape_id))  # nvXxPr/cNvPr
        shapes._spTree.insert_element_before(el, "p:extLst")
        return SlideShapeFactory(el, shapes)

    def _keep(self, key, shape) -> None:
        """Keep a copy of a just-made `shape` (no relationships, nothing slide-specific but its id)
        to add again as it is."""
        if key is not None:
            self._stamps[key] = copy.deepcopy(shape._element)

    def check_fit(self, paras: Sequence[Para], box: Box, insets, name: str) -> None:
        width = _to_pt(box.w - insets[0] - insets[2])
        need = self.measure.total(paras, width)
        if need > _to_pt(box.h - insets[1] - insets[3]) + 0.01:
            self.warnings.append(f"slides: text of {name!r} may not fit its box ({need:.0f} pt needed)")

    def fit_size(self, sizes: Sequence[float], make: Callable[[float], Sequence[Para]], width_emu: int,
                 height_emu: int) -> float | None:
        """The largest size at which `make(size)` fits the box, or None."""
        for s in sizes:
            if self.measure.total(make(s), _to_pt(width_emu)) <= _to_pt(height_emu):
                return s
        return None

    # ------------------------------------------------------------------ slide furniture

    @property
    def margin(self) -> int:
        return _in(0.6) if self.W >= _in(12) else _in(0.5)

    def title_box(self, kind: str) -> Box:
        house_title = Box(_in(0.9), int(self.H * 0.25), self.W - _in(1.8), int(self.H * 0.32))
        if self.house:
            if kind == "title":
                return house_title
            return Box(self.margin, _in(0.35), self.W - 2 * self.margin, _in(1.05))
        lo = self.layout(kind)
        for ph in lo.placeholders:
            if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                try:
                    if ph.width and ph.height:
                        return Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
                except (AttributeError, TypeError):
                    pass
        if kind == "title":
            return house_title
        return Box(self.margin, _in(0.35), self.W - 2 * self.margin, _in(1.05))

    def content_left_right(self, kind: str = "title_only") -> tuple[int, int]:
        if self.house:
            return self.margin, self.W - self.margin
        tb = self.title_box(kind)
        left = max(tb.x, _in(0.3))
        return left, min(tb.right, self.W - _in(0.3))

    def region(self, kind: str, cites: Sequence[int] = ()) -> Box:
        """The body area of a slide of `kind`, above the footer and any citation footer."""
        left, right = self.content_left_right(kind)
        tb = self.title_box(kind)
        top = tb.bottom + (_in(0.4) if self.house else _in(0.2))
        bottom = self.H - _in(0.7)
        foot = self.footnote_height(cites, right - left)
        if foot:
            bottom -= foot + _in(0.15)
        return Box(left, top, right - left, bottom - top)

    # ------------------------------------------------------------------ notes

    def note_text(self, number: int) -> Inlines:
        """A note's text; "Ibid." alone on a slide means nothing, so it becomes the note it repeats."""
        n = number
        while n > 1 and plain_text(self.doc.note(n).text).strip().rstrip(".").lower() == "ibid":
            n -= 1
        return self.doc.note(n).text

    def note_paras(self, cites: Sequence[int], size: float, *, spacing: float = 1.0, after: float = 0.0) -> list[Para]:
        hang = size * 2.0
        return [
            _p([Seg(f"{n}.\t")] + inline_segs(self.note_text(n)), size, color="muted", hang=hang,
               spacing=spacing, after=after)
            for n in sorted(set(cites))
        ]

    def footnote_height(self, cites: Sequence[int], width: int) -> int:
        if self.citations != "footer" or not cites:
            return 0
        size = self._footnote_size(cites, width)
        return _pt(self.measure.total(self.note_paras(cites, size), _to_pt(width))) + 1

    def _footnote_size(self, cites: Sequence[int], width: int) -> float:
        limit = _to_pt(self.H) * 0.3
        for s in _FOOTNOTE_SIZES:
            if self.measure.total(self.note_paras(cites, s), _to_pt(width)) <= limit:
                return s
        return _FOOTNOTE_SIZES[-1]

    def finish(self, slide, kind: str, cites: Sequence[int], *, footer: bool = True) -> None:
        """Citations (speaker notes or footer), the running footer, and tidy placeholders."""
        cites = sorted(set(cites))
        self.cited.update(cites)
        left, right = self.content_left_right(kind)
        if cites and self.citations == "footer":
            size = self._footnote_size(cites, right - left)
            paras = self.note_paras(cites, size)
            h = _pt(self.measure.total(paras, _to_pt(right - left))) + 1
            self.textbox(slide, Box(left, self.H - _in(0.7) - h, right - left, h), paras, name="Citations")
        elif cites:
            lines = ["Sources cited on this slide:"]
            lines += [f"{n}. {plain_text(self.note_text(n))}" for n in cites]
            tf = slide.notes_slide.notes_text_frame
            tf.text = "\n".join(lines)
        if footer:
            self.running_footer(slide, left, right)
        # placeholders the layout brought but nothing filled would show "Click to add text"
        # (read from the XML as python-pptx reads it, without a proxy object per shape)
        tree = slide.shapes._spTree
        phs = [(el, el[0].find(_NV_PH)) for el in tree.iter_shape_elms() if len(el)]
        phs = [(el, ph) for el, ph in phs if ph is not None]
        for el, ph in phs:
            if ph.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                continue
            if el.tag == _P_SP and not TextFrame(el.get_or_add_txBody(), None).text.strip():
                tree.remove(el)
        # the title (the placeholder of idx 0) comes first in reading order
        title = next((el for el, ph in phs if ph.idx == 0 and el.getparent() is tree), None)
        if title is not None:
            tree.remove(title)
            tree.insert(2, title)

    def running_footer(self, slide, left: int, right: int) -> None:
        meta = self.doc.meta
        y, h = self.H - _in(0.5), _in(0.3)
        label = f"{meta.publisher_short}  |  {meta.series}: {meta.short_title}"
        size = 10
        self.textbox(slide, Box(left, y, right - left - _in(1.0), h), [_p(label, size, color="muted")],
                     name="Footer")
        num = self.textbox(slide, Box(right - _in(1.0), y, _in(1.0), h),
                           [_p("0", size, color="muted", align="r")], name="Slide number")
        # a live slide-number field in place of the static text
        p = num.text_frame.paragraphs[0]._p
        r = p.find(qn("a:r"))
        fld = etree.Element(qn("a:fld"))
        fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
        fld.set("type", "slidenum")
        for child in list(r):
            fld.append(child)
        fld.find(qn("a:t")).text = str(len(self.prs.slides))
        p.replace(r, fld)

    def rule(self, slide, x: int, y: int, w: int, h: int, key: str, name: str):
        stamp = ("rule", x, y, w, h, key, name)
        shape = self._stamp(slide, stamp)
        if shape is None:
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
            shape.name = name
            self.fill(shape, key)
            self.outline(shape, None)
            _unstyled(shape)
            self._keep(stamp, shape)
        return shape

    # ------------------------------------------------------------------ slides

    def new_slide(self, kind: str, title: str | Sequence[Seg], *, sizes: Sequence[float] = _TITLE_SIZES):
        """A slide of layout `kind` with its title placeholder filled and fitted."""
        slide = self._add_slide(kind)
        ph = slide.shapes.title
        if ph is None:
            ph = self._add_title_placeholder(slide)
        box = self.title_box(kind)
        ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
        segs = (Seg(title),) if isinstance(title, str) else tuple(title)

        def make(s):
            return [_p(segs, s, bold=True, spacing=0.9)]

        size = self.fit_size(sizes, make, box.w, box.h) or sizes[-1]
        self.write(ph.text_frame, make(size), anchor=MSO_ANCHOR.BOTTOM)
        self.check_fit(make(size), box, (0, 0, 0, 0), "Title")
        if self.house and kind != "title":
            self.rule(slide, box.x, box.bottom + _in(0.1), _in(0.8), _in(0.06), "accent", "Title rule")
        return slide

    def _add_slide(self, kind: str):
        slide = self.prs.slides.add_slide(self.layout(kind))
        # shapes are only added to a slide from here on, each with the next id: python-pptx
        # may count on from the highest id instead of searching the slide for it every time
        slide.shapes.turbo_add_enabled = True
        return slide

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
            return self.textbox(slide, box, paras, name=name)
        ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
        ph.name = name
        self.write(ph.text_frame, paras)
        self.check_fit(paras, box, (0, 0, 0, 0), name)
        return ph

    # ------------------------------------------------------------------ packing

    def pack(self, kind: str, items: Sequence, height: Callable[[object, float], float], sizes: Sequence[float],
             cites: Callable[[object], Sequence[int]]) -> list[tuple[float, list]]:
        """Spread `items` (kept whole) over slides: all on one slide at the largest size that
        fits, else the fewest slides, at the largest size that keeps that count.

        `height(item, size)` in points, including any gap after the item.
        """

        def greedy(size):
            pages: list[list] = [[]]
            for it in items:
                trial = pages[-1] + [it]
                region = self.region(kind, [c for t in trial for c in cites(t)])
                if sum(height(t, size) for t in trial) <= _to_pt(region.h) or not pages[-1]:
                    pages[-1] = trial
                else:
                    pages.append([it])
            return pages

        fewest = len(greedy(sizes[-1]))
        for size in sizes:
            pages = greedy(size)
            if len(pages) <= fewest:
                return [(size, page) for page in pages]
        return [(sizes[-1], page) for page in greedy(sizes[-1])]

    # ------------------------------------------------------------------ build

    def build(self) -> None:
        doc = self.doc
        self.title_slide()
        if doc.facts:
            self.glance_slides()
        if doc.leaders:
            self.leader_slides()
        if doc.merger or doc.allegiance:
            self.organisation_slide()
        for section in doc.sections:
            if section.bullets:
                self.section_slides(section.title, section.bullets)
        if doc.attacks:
            self.attack_slides()
        fig = doc.figure("map")
        if fig is not None:
            self.map_slide(fig)
        fig = doc.figure("chart")
        if fig is not None:
            self.chart_slide(fig)
        quote = next((b for s in doc.sections for b in s.blocks if isinstance(b, PullQuote)), None)
        if quote is not None:
            self.quote_slide(quote.text)
        if self.cited:
            self.source_slides()

    # title --------------------------------------------------------------

    def title_slide(self) -> None:
        meta = self.doc.meta
        slide = self.new_slide("title", meta.title, sizes=(44, 40, 36, 34, 32, 30, 28))
        tb = self.title_box("title")
        sub_paras = [
            _p(", ".join(meta.authors), 20, bold=True, after=6) if meta.authors else None,
            _p(f"{meta.publisher}  ·  {dates.short_date(meta.date)}", 18, color="muted"),
        ]
        sub_paras = [p for p in sub_paras if p]
        sub_box = Box(tb.x, tb.bottom + _in(0.35), tb.w, _in(1.2))
        if not self.house:
            for ph in slide.placeholders:
                if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE:
                    # the template's height for it, aligned with the title
                    sub_box = Box(tb.x, max(int(ph.top), tb.bottom), tb.w, max(int(ph.height), _in(1.0)))
        ph = next((p for p in slide.placeholders if p.placeholder_format.type in
                   (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)), None)
        if ph is not None:
            ph.left, ph.top, ph.width, ph.height = sub_box.x, sub_box.y, sub_box.w, sub_box.h
            self.write(ph.text_frame, sub_paras)
            self.check_fit(sub_paras, sub_box, (0, 0, 0, 0), "Subtitle")
        else:
            self.textbox(slide, sub_box, sub_paras, name="Subtitle")
        # the series as a kicker above the title
        kicker = [_p(meta.series.upper(), 16, bold=True, color="accent")]
        size = slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt
        text_h = _pt(self.measure.total([_p(meta.title, size, bold=True, spacing=0.9)], _to_pt(tb.w)))
        ky = max(_in(0.2), tb.bottom - text_h - _in(0.6))
        self.textbox(slide, Box(tb.x, ky, tb.w, _in(0.45)), kicker, name="Series", anchor=MSO_ANCHOR.BOTTOM)
        if meta.copyright:
            self.textbox(slide, Box(tb.x, self.H - _in(0.8), tb.w, _in(0.35)),
                         [_p(meta.copyright, 12, color="muted")], name="Copyright", anchor=MSO_ANCHOR.BOTTOM)
        if self.house:
            self.rule(slide, 0, 0, _in(0.28), self.H, "accent", "Accent band")
            self.rule(slide, tb.x, tb.bottom + _in(0.18), _in(1.2), _in(0.06), "accent", "Title rule")
        if self.doc.style.logo is not None and Path(self.doc.style.logo).exists():
            pic = slide.shapes.add_picture(str(self.doc.style.logo), 0, 0, height=_in(0.6))
            pic.left, pic.top = self.W - pic.width - _in(0.6), self.H - pic.height - _in(0.5)
            pic._element.nvPicPr.cNvPr.set("descr", f"Logo of the {meta.publisher}")
        self.finish(slide, "title", [], footer=False)

    # at a glance --------------------------------------------------------

    def glance_slides(self) -> None:
        facts = list(self.doc.facts)
        region = self.region("title_only")
        label_w = min(_in(2.9), region.w // 4)
        gap = _in(0.3)
        text_w = region.w - label_w - gap
        pad = 9.0  # pt above and below a row's text

        def paras(fact, s):
            label = [_p(fact.label.upper(), max(14, s - 4), bold=True, color="muted")]
            text = [_p(inline_segs(fact.text), s)]
            return label, text

        def height(fact, s):
            label, text = paras(fact, s)
            return max(self.measure.total(label, _to_pt(label_w)), self.measure.total(text, _to_pt(text_w))) + 2 * pad

        pages = self.pack("title_only", facts, height, _FACT_SIZES, lambda f: note_numbers(f.text))
        for i, (size, page) in enumerate(pages):
            cites = [c for f in page for c in note_numbers(f.text)]
            slide = self.new_slide("title_only", "At a glance" + (" (cont.)" if i else ""))
            region = self.region("title_only", cites)
            y = region.y
            for j, fact in enumerate(page):
                h = _pt(height(fact, size))
                label, text = paras(fact, size)
                lh = _pt(self.measure.total(label, _to_pt(label_w))) + 1
                th = _pt(self.measure.total(text, _to_pt(text_w))) + 1
                # the label sits on the text's first baseline
                shift = max(0, _pt(self.measure.pitch(text[0]) - self.measure.pitch(label[0])) * 3 // 4)
                self.textbox(slide, Box(region.x, y + _pt(pad) + shift, label_w, lh), label,
                             name=f"Fact label {j + 1}")
                self.textbox(slide, Box(region.x + label_w + gap, y + _pt(pad), text_w, th), text,
                             name=f"Fact {j + 1}")
                if j < len(page) - 1:
                    self.rule(slide, region.x, y + h - _pt(0.75), region.w, _pt(0.75), "rule", f"Fact rule {j + 1}")
                y += h
            self.finish(slide, "title_only", cites)

    # leadership ---------------------------------------------------------

    def leader_paras(self, leader: Leader, s: float) -> list[Para]:
        out = [_p(leader.name, s + 5, bold=True, after=2, spacing=0.9)]
        if leader.aliases:
            out.append(_p("aka " + ", ".join(leader.aliases), s, italic=True, color="muted", after=4))
        role = [Seg(leader.role)]
        if not leader.former:
            role += ref_segs(leader.cites)
        out.append(_p(role, s, bold=True, color="accent", after=6))
        if leader.former:
            out.append(_p("Formerly", s - 1 if s > 14 else s, color="muted", after=1))
            for k, f in enumerate(leader.former):
                segs = [Seg(f)] + (ref_segs(leader.cites) if k == len(leader.former) - 1 else [])
                out.append(_p(segs, s, bullet=True, hang=s * 0.9, after=1))
        if leader.photo is not None and Path(leader.photo).exists() and leader.photo_credit:
            out.append(_p(f"Photo: {leader.photo_credit}", 11, color="muted"))
        return out

    def leader_slides(self) -> None:
        leaders = list(self.doc.leaders)
        region = self.region("title_only", [c for ld in leaders for c in ld.cites])
        gap = _in(0.3)
        pad = _in(0.25)

        def geometry(cols, rows, reg):
            """Card width, the most a card may be high, avatar diameter, text width."""
            w = (reg.w - gap * (cols - 1)) // cols
            h = (reg.h - gap * (rows - 1)) // rows
            avatar = min(_in(1.3), h - 2 * pad, w // 3)
            return w, h, avatar, w - avatar - 3 * pad

        def size_for(ld, tw, h):
            return self.fit_size(_CARD_SIZES, lambda s: self.leader_paras(ld, s), tw, h - 2 * pad)

        # cards per slide: 2x2, else 2 side by side, else one at a time
        for cols, rows in ((2, 2), (2, 1), (1, 1)):
            w, h, avatar, tw = geometry(cols, rows, region)
            if all(size_for(ld, tw, h) for ld in leaders):
                break
        per = cols * rows
        chunks = [leaders[i:i + per] for i in range(0, len(leaders), per)]
        for i, chunk in enumerate(chunks):
            cites = [c for ld in chunk for c in ld.cites]
            slide = self.new_slide("title_only", "Leadership" + (" (cont.)" if i else ""))
            reg = self.region("title_only", cites)
            w, h, avatar, tw = geometry(cols, rows, reg)
            # one size and one card height for the whole slide, so the cards read as a set
            size = min(size_for(ld, tw, h) or _CARD_SIZES[-1] for ld in chunk)
            texts = [self.leader_paras(ld, size) for ld in chunk]
            text_hs = [_pt(self.measure.total(t, _to_pt(tw))) + 1 for t in texts]
            card_h = min(h, max(avatar, *text_hs) + 2 * pad)
            for j, (ld, paras, th) in enumerate(zip(chunk, texts, text_hs)):
                cx = reg.x + (j % cols) * (w + gap)
                cy = reg.y + (j // cols) * (card_h + gap)
                card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, cx, cy, w, card_h)
                card.name = f"Card {ld.name}"
                self.fill(card, "tint")
                self.outline(card, None)
                _unstyled(card)
                self.rule(slide, cx, cy, _in(0.07), card_h, "accent", f"Card rule {ld.name}")
                self.textbox(slide, Box(cx + 2 * pad + avatar, cy + pad, tw, min(th, card_h - 2 * pad)), paras,
                             name=f"Leader {ld.name}")
                self.avatar(slide, ld, cx + pad + _in(0.05), cy + pad, avatar)
            self.finish(slide, "title_only", cites)

    def avatar(self, slide, leader: Leader, x: int, y: int, d: int) -> None:
        photo = leader.photo
        if photo is not None and Path(photo).exists():
            pic = slide.shapes.add_picture(str(photo), x, y, d, d)
            iw, ih = pic.image.size
            if iw and ih:  # crop to a centred square
                if iw > ih:
                    c = (1 - ih / iw) / 2
                    pic.crop_left = pic.crop_right = c
                elif ih > iw:
                    c = (1 - iw / ih) / 2
                    pic.crop_top, pic.crop_bottom = c * 0.5, c * 1.5  # keep the face: crop less at the top
            pic.auto_shape_type = MSO_SHAPE.OVAL
            pic.name = f"Photo {leader.name}"
            descr = f"Photograph of {leader.name}" + (f" ({leader.photo_credit})" if leader.photo_credit else "")
            pic._element.nvPicPr.cNvPr.set("descr", descr)
            return
        circle = slide.shapes.add_shape(MSO_SHAPE.OVAL, x, y, d, d)
        circle.name = f"Initials {leader.name}"
        self.fill(circle, "white")
        self.outline(circle, "accent", 2.0)
        _unstyled(circle)
        size = min(32.0, _to_pt(d) * 0.36)
        self.write(circle.text_frame, [_p(_initials(leader.name), size, bold=True, color="accent", align="c")],
                   anchor=MSO_ANCHOR.MIDDLE)
        circle._element.nvSpPr.cNvPr.set("descr", f"Initials of {leader.name} (no photograph)")

    # organisation ---------------------------------------------------------

    def organisation_slide(self) -> None:
        doc = self.doc
        merger, chain = doc.merger, list(doc.allegiance)
        title = "Organisation" if doc.meta.language.lower() in ("en-gb", "en-au", "en-nz", "en-ie") else "Organization"
        cites = list(merger.cites) if merger else []
        slide = self.new_slide("title_only", title)
        reg = self.region("title_only", cites)
        wide = self.W >= _in(12)
        col_gap = _in(0.9) if wide else _in(0.45)
        n_cols = (1 if merger else 0) + 1 + (1 if chain else 0)
        center_w = _in(2.4) if wide else _in(1.8)
        side_w = (reg.w - center_w - col_gap * (n_cols - 1)) // max(1, n_cols - 1) if n_cols > 1 else reg.w
        side_w = min(side_w, _in(4.0))
        total = center_w + (side_w + col_gap) * (n_cols - 1)
        x = reg.x + (reg.w - total) // 2
        cols = {}
        if merger:
            cols["merger"] = x
            x += side_w + col_gap
        cols["center"] = x
        x += center_w + col_gap
        if chain:
            cols["chain"] = x
        headings = []
        if merger:
            headings.append((cols["merger"], [Seg(f"Merged in {dates.short_date(merger.date)}")] + ref_segs(merger.cites)))
        if chain:
            headings.append((cols["chain"], [Seg("Pledges allegiance ("), Seg("bayat", italic=True),
                                             Seg(") upward to")]))
        head_paras = {x0: [_p(segs, 14, bold=True, color="muted", spacing=0.9)] for x0, segs in headings}
        head_h = max([_pt(self.measure.total(ps, _to_pt(side_w))) + 1 for ps in head_paras.values()] or [0])
        top = reg.y + head_h + _in(0.15)
        avail = reg.bottom - top

        def group_paras(name, note, s, tag=None):
            out = [_p(name, s + 2, bold=True, align="c", spacing=0.9)]
            sub = "; ".join(t for t in (tag, note) if t)
            if sub:
                out.append(_p(sub, s, color="muted", align="c", spacing=0.9))
            return out

        inset = _in(0.12)

        def fit_boxes(items, width):
            """Text size (pt), box height and gap for a column of boxes (`items`: paras makers)."""
            n = len(items)
            for s in (16, 15, 14, 13, 12):
                need = max(_pt(self.measure.total(mk(s), _to_pt(width - 2 * inset))) + 1 for mk in items) + 2 * inset
                for gap in (_in(0.22), _in(0.12)):
                    if need * n + gap * (n - 1) <= avail:
                        box_h = max(need, min(_in(0.95), (avail - gap * (n - 1)) // n))
                        return s, box_h, gap
            gap = _in(0.1)
            return 12, (avail - gap * (n - 1)) // n, gap

        def add_box(name, paras, bx, key_fill, key_line, dash=None, text_color=None):
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, bx.x, bx.y, bx.w, bx.h)
            shape.name = name
            self.fill(shape, key_fill)
            self.outline(shape, key_line, 1.25, dash)
            _unstyled(shape)
            if text_color:
                paras = [replace(p, color=text_color) for p in paras]
            self.write(shape.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE, insets=(inset,) * 4)
            self.check_fit(paras, bx, (inset,) * 4, name)
            return shape

        def heading(x0):
            self.textbox(slide, Box(x0, reg.y, side_w, head_h), head_paras[x0], name="Heading", anchor=MSO_ANCHOR.BOTTOM)

        # reading order: the merger, JNIM, then the chain upwards
        center_box = None
        def jnim(s):
            out = [_p(doc.meta.short_title, s, bold=True, align="c", spacing=0.9)]
            if merger:
                out.append(_p(f"formed {dates.short_date(merger.date)}", 14, align="c", spacing=0.9))
            return out

        jh = _in(1.5)
        jnim_paras = jnim(self.fit_size((28, 26, 24, 22, 20, 18, 16), jnim, center_w - 2 * inset, jh - 2 * inset) or 16)
        center_y = top + (avail - jh) // 2
        member_shapes = []
        if merger:
            groups = [(g, None) for g in merger.members] + [(g, "absorbed") for g in merger.absorbed]
            makers = [lambda s, g=g, t=t: group_paras(g.name, g.note, s, t) for g, t in groups]
            s, bh, gap = fit_boxes(makers, side_w)
            col_h = bh * len(groups) + gap * (len(groups) - 1)
            y0 = top + (avail - col_h) // 2
            heading(cols["merger"])
            for k, (g, tag) in enumerate(groups):
                bx = Box(cols["merger"], y0 + k * (bh + gap), side_w, bh)
                if tag:
                    shp = add_box(f"Absorbed: {g.name}", group_paras(g.name, g.note, s, tag), bx, "white", "muted",
                                  MSO_LINE_DASH_STYLE.DASH)
                else:
                    shp = add_box(f"Member: {g.name}", group_paras(g.name, g.note, s), bx, "tint", None)
                member_shapes.append(shp)
        center_box = add_box(doc.meta.short_title, jnim_paras, Box(cols["center"], center_y, center_w, jh),
                             "accent", None, text_color="white")
        chain_shapes = []
        if chain:
            makers = [lambda s, a=a: [_p(a.group, s + 2, bold=True, align="c", spacing=0.9),
                                      _p(f"{a.title}: {a.leader}", s, color="muted", align="c", spacing=0.9)]
                      for a in chain]
            s, bh, gap = fit_boxes(makers, side_w)
            gap = max(gap, _in(0.35))
            col_h = bh * len(chain) + gap * (len(chain) - 1)
            if col_h > avail:
                gap = _in(0.22)
                col_h = bh * len(chain) + gap * (len(chain) - 1)
            y0 = top + (avail - col_h) // 2
            heading(cols["chain"])
            # bottom (the first link, AQIM) to top
            for k, a in enumerate(chain):
                bx = Box(cols["chain"], y0 + (len(chain) - 1 - k) * (bh + gap), side_w, bh)
                chain_shapes.append(add_box(f"Allegiance: {a.group}", makers[k](s), bx, "white", "ink"))
        # connectors, each glued to the shapes it joins
        for shp in member_shapes:
            self.connect(slide, shp, 3, center_box, 1, elbow=True)
        if chain_shapes:
            self.connect(slide, center_box, 3, chain_shapes[0], 1, elbow=True)
            for lower, upper in zip(chain_shapes, chain_shapes[1:]):
                self.connect(slide, lower, 0, upper, 2)
        self.finish(slide, "title_only", cites)

    def connect(self, slide, a, a_idx: int, b, b_idx: int, *, elbow: bool = False):
        pts = {
            0: lambda s: (s.left + s.width // 2, s.top),
            1: lambda s: (s.left, s.top + s.height // 2),
            2: lambda s: (s.left + s.width // 2, s.top + s.height),
            3: lambda s: (s.left + s.width, s.top + s.height // 2),
        }
        (x1, y1), (x2, y2) = pts[a_idx](a), pts[b_idx](b)
        kind = MSO_CONNECTOR.ELBOW if elbow and y1 != y2 else MSO_CONNECTOR.STRAIGHT
        cxn = slide.shapes.add_connector(kind, x1, y1, x2, y2)
        cxn.begin_connect(a, a_idx)
        cxn.end_connect(b, b_idx)
        cxn.name = f"Arrow {a.name} to {b.name}"
        _unstyled(cxn)
        cxn.line.width = Pt(1.75)
        self.paint(cxn.line.color, "muted")
        ln = cxn.line._get_or_add_ln()
        tail = etree.SubElement(ln, qn("a:tailEnd"))
        tail.set("type", "triangle")
        tail.set("w", "med")
        tail.set("len", "med")
        return cxn

    # sections -----------------------------------------------------------

    def flow(self, kind: str, make: Callable[[float], list[Para]], sizes: Sequence[float]) -> list[tuple[float, list[Para]]]:
        """Paragraphs poured onto as few slides as they need: one slide at the largest size that
        fits, else the fewest slides, at the largest size that keeps that count. A paragraph too
        tall for any slide fills the rest of one and continues, unbulleted, on the next."""
        width = _to_pt(self.region(kind).w)

        def paginate(size):
            queue, pages, used = list(make(size)), [[]], 0.0
            while queue:
                para, page = queue.pop(0), pages[-1]
                avail = _to_pt(self.region(kind, [c for q in page + [para] for c in _para_cites(q)]).h)
                h = self.measure.height(para, width)
                if used + h <= avail:
                    page.append(para)
                    used += h
                    continue
                alone = _to_pt(self.region(kind, _para_cites(para)).h)
                room = avail - used
                if h > alone and room >= 2 * self.measure.pitch(para):
                    head, tail = self.measure.split(para, width, room)
                    page.append(head)
                    if tail is not None:
                        queue.insert(0, tail)
                elif not page:  # cannot happen with a sane slide size: keep it rather than loop
                    page.append(para)
                else:
                    queue.insert(0, para)
                pages.append([])
                used = 0.0
            return [pg for pg in pages if pg]

        for size in sizes:
            pages = paginate(size)
            if len(pages) == 1:
                return [(size, pages[0])]
        fewest = len(paginate(sizes[-1]))
        for size in sizes:
            pages = paginate(size)
            if len(pages) <= fewest:
                return [(size, pg) for pg in pages]
        return [(sizes[-1], pg) for pg in paginate(sizes[-1])]

    def section_slides(self, title: str, bullets: Sequence[Inlines]) -> None:
        def make(size):
            return [_p(inline_segs(b), size, bullet=True, hang=size * 1.1, after=size * 0.55) for b in bullets]

        for i, (size, paras) in enumerate(self.flow("content", make, _BULLET_SIZES)):
            cites = [c for p in paras for c in _para_cites(p)]
            slide = self.new_slide("content", title + (" (cont.)" if i else ""))
            reg = self.region("content", cites)
            h = min(reg.h, _pt(self.measure.total(paras, _to_pt(reg.w))) + 1)
            self.body_text(slide, Box(reg.x, reg.y, reg.w, h), paras, "Bullets")
            self.finish(slide, "content", cites)

    # key attacks --------------------------------------------------------

    def attack_paras(self, a: Attack, s: float) -> list[Para]:
        return [
            _p(f"{a.place}, {a.country}", s + 3, bold=True, spacing=0.9, after=4),
            _p(inline_segs(a.summary) + ref_segs([c for c in a.cites if c not in note_numbers(a.summary)]), s),
        ]

    def attack_slides(self) -> None:
        attacks = sorted(self.doc.attacks, key=lambda a: a.date)
        reg0 = self.region("title_only", [c for a in attacks for c in a.cites])
        line_y_off = _in(0.95)
        for per in range(min(4, len(attacks)), 0, -1):
            col_w = reg0.w // per
            text_h = reg0.h - line_y_off - _in(0.45)
            if all(self.fit_size(_TIMELINE_SIZES, lambda s, a=a: self.attack_paras(a, s), col_w - _in(0.4), text_h)
                   for a in attacks):
                break
        chunks = [attacks[i:i + per] for i in range(0, len(attacks), per)]
        for i, chunk in enumerate(chunks):
            cites = [c for a in chunk for c in a.cites]
            slide = self.new_slide("title_only", "Key attacks" + (" (cont.)" if i else ""))
            reg = self.region("title_only", cites)
            col_w = reg.w // per
            line_y = reg.y + line_y_off
            text_h = reg.bottom - (line_y + _in(0.45))
            size = min((self.fit_size(_TIMELINE_SIZES, lambda s, a=a: self.attack_paras(a, s), col_w - _in(0.4), text_h)
                        or _TIMELINE_SIZES[-1]) for a in chunk)
            dot = _in(0.26)
            for j, a in enumerate(chunk):
                x = reg.x + j * col_w
                self.textbox(slide, Box(x, reg.y, col_w - _in(0.2), line_y - reg.y - _in(0.25)),
                             [_p(dates.short_date(a.date), 22, bold=True, color="accent", spacing=0.9)],
                             name=f"Date {a.id}", anchor=MSO_ANCHOR.BOTTOM)
                paras = self.attack_paras(a, size)
                th = min(text_h, _pt(self.measure.total(paras, _to_pt(col_w - _in(0.4)))) + 1)
                self.textbox(slide, Box(x, line_y + _in(0.45), col_w - _in(0.4), th), paras, name=f"Attack {a.id}")
            # the time line and its markers, drawn after the text they mark
            self.rule(slide, reg.x, line_y - _pt(1), reg.w, _pt(2), "muted", "Time line")
            for j, a in enumerate(chunk):
                x = reg.x + j * col_w
                m = slide.shapes.add_shape(MSO_SHAPE.OVAL, x, line_y - dot // 2, dot, dot)
                m.name = f"Marker {a.id}"
                self.fill(m, "accent")
                self.outline(m, "white", 2.0)
                _unstyled(m)
            self.finish(slide, "title_only", cites)

    # figures ------------------------------------------------------------

    def caption_segs(self, fig: Figure) -> list[Seg]:
        return [Seg(f"Figure {fig.number}: ", bold=True)] + inline_segs(fig.caption)

    def map_slide(self, fig: Figure) -> None:
        cites = list(note_numbers(fig.caption)) + list(note_numbers(fig.credit))
        slide = self.new_slide("title_only", "Activity map")
        reg = self.region("title_only", cites)
        side_w = min(_in(3.6), reg.w // 3)
        gap = _in(0.35)
        pic_box = Box(reg.x, reg.y, reg.w - side_w - gap, reg.h)
        self.picture(slide, fig, pic_box)
        side = Box(pic_box.right + gap, reg.y, side_w, reg.h)

        def make(s):
            out = [_p(self.caption_segs(fig), s + 2, after=10)]
            out.append(_p(inline_segs(fig.credit), s, color="muted"))
            return out

        size = self.fit_size((16, 15, 14, 13, 12), make, side.w, side.h) or 12
        paras = make(size)
        h = min(side.h, _pt(self.measure.total(paras, _to_pt(side.w))) + 1)
        self.textbox(slide, Box(side.x, side.y, side.w, h), paras, name="Caption")
        self.finish(slide, "title_only", cites)

    def picture(self, slide, fig: Figure, box: Box) -> None:
        path = None
        try:
            from ... import figures
        except ModuleNotFoundError as exc:
            if exc.name not in ("jnim_export.figures",):
                raise
            self.warnings.append(f"slides: figure {fig.number} ({fig.kind}) is a placeholder: no figure renderer")
        else:
            path = figures.figure_file(
                fig, attacks=self.doc.attacks, places=self.doc.places, style=self.doc.style, fmt="png",
                size=(box.w / EMU_PER_IN, box.h / EMU_PER_IN), cache_dir=self.cache_dir, force=self.force_figures,
            )
        if path is not None:
            pic = slide.shapes.add_picture(str(path), box.x, box.y)
            iw, ih = pic.width, pic.height
            scale = min(box.w / iw, box.h / ih)
            pic.width, pic.height = int(iw * scale), int(ih * scale)
            pic.left = box.x + (box.w - pic.width) // 2
            pic.top = box.y
            pic.name = f"Figure {fig.number}"
            pic._element.nvPicPr.cNvPr.set("descr", fig.alt)
            return
        ph = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.x, box.y, box.w, box.h)
        ph.name = f"Figure {fig.number} placeholder"
        self.fill(ph, "tint")
        self.outline(ph, "rule", 1.0, MSO_LINE_DASH_STYLE.DASH)
        _unstyled(ph)
        paras = [_p(f"Figure {fig.number}: {fig.kind}", 20, bold=True, color="muted", align="c", after=6),
                 _p(plain_text(fig.caption), 16, color="muted", align="c")]
        self.write(ph.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE, insets=(_in(0.3),) * 4)
        ph._element.nvSpPr.cNvPr.set("descr", fig.alt)

    def chart_slide(self, fig: Figure) -> None:
        months = fig.months()
        cites = list(note_numbers(fig.caption)) + list(note_numbers(fig.credit))
        in_scope = {loc.country for loc in fig.data.locations} if fig.data else set()
        window = {m.month for m in months}
        marked = [a for a in sorted(self.doc.attacks, key=lambda a: a.date)
                  if a.month in window and (not in_scope or a.country in in_scope)]
        cites += [c for a in marked for c in a.cites]
        slide = self.new_slide("title_only", "Attacks per month")
        reg = self.region("title_only", cites)
        width = _to_pt(reg.w)
        source = [_p(inline_segs(fig.credit) + ref_segs([n for n in note_numbers(fig.caption)
                                                          if n not in note_numbers(fig.credit)]),
                     12, color="muted")]
        key = []
        if marked:
            segs = [Seg("Key attacks: ", bold=True)]
            for k, a in enumerate(marked):
                segs += [Seg(("; " if k else "") + f"{a.place}, {dates.short_date(a.date)}")] + ref_segs(a.cites)
            key = [_p(segs, 14, after=4)]
        foot = key + source
        foot_h = _pt(self.measure.total(foot, width)) + 1
        chart_box = Box(reg.x, reg.y, reg.w, reg.h - foot_h - _in(0.15))
        self.native_chart(slide, fig, months, chart_box, marked)
        self.textbox(slide, Box(reg.x, chart_box.bottom + _in(0.15), reg.w, foot_h), foot, name="Chart source")
        self.finish(slide, "title_only", cites)

    def native_chart(self, slide, fig: Figure, months, box: Box, marked: Sequence[Attack]) -> None:
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
        self._charts.append(frame)
        frame.name = f"Figure {fig.number}"
        frame._element.nvGraphicFramePr.cNvPr.set("descr", fig.alt)
        frame._element.nvGraphicFramePr.cNvPr.set("title", plain_text(fig.caption))
        chart = frame.chart
        chart.has_title = True
        title_tf = chart.chart_title.text_frame
        title_tf.clear()
        p = title_tf.paragraphs[0]
        # chart text has no superscript in every renderer: the caption's note goes on the source line
        for seg in (s for s in self.caption_segs(fig) if not s.sup):
            r = p.add_run()
            r.text = seg.text
            r.font.size = Pt(16)
            r.font.bold = True
            if self.text_family:
                r.font.name = self.text_family
            self.paint(r.font.color, "ink")
        chart.font.size = Pt(14)
        if self.text_family:
            chart.font.name = self.text_family
        self.paint(chart.font.color, "ink")
        plot = chart.plots[0]
        plot.gap_width = 45
        if kind == XL_CHART_TYPE.COLUMN_STACKED:
            plot.overlap = 100
        for k, series in enumerate(plot.series):
            series.format.fill.solid()
            # a category keeps its colour whichever others are absent, as in the PDF chart
            slot = cats.index(shown[k]) if shown[k] in cats else k
            if self.house:
                pal = self.doc.style.palette or (self.doc.style.accent,)
                color = pal[slot % len(pal)] if len(shown) > 1 else self.doc.style.accent
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
        self.paint(va.major_gridlines.format.line.color, "rule")
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
        self.paint(ca.format.line.color, "rule")
        # where each key attack falls: an accent marker under its month's label
        x0, y0, w, h = self._pin_plot(chart, box, bool(marked and months), shown if chart.has_legend else [])
        if marked and months:
            self._mark_months(slide, box, months, marked, x0, y0, w)

    def _pin_plot(self, chart, box: Box, marks: bool, legend: Sequence[str]) -> tuple[float, float, float, float]:
        """Pin the plot area (inner) to known fractions of the frame, so marks can be placed over it."""
        # room in inches: above for the chart title and the markers, below for two-line month
        # labels and the legend, left for the value labels and axis title
        bw, bh = box.w / EMU_PER_IN, box.h / EMU_PER_IN
        rows, used = (1, 0.0) if legend else (0, 0.0)
        for name in legend:  # legend entries wrap like words: key, name, gap
            entry = (text_width(name, self.measure.family, 14) * self.measure.width_factor + 22) / 72
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

    def _mark_months(self, slide, box: Box, months, marked, x0: float, y0: float, w: float) -> None:
        """An accent marker and label above each key attack's month."""
        n = len(months)
        idx = {m.month: i for i, m in enumerate(months)}
        plot_top = box.y + int(box.h * y0)
        placed: list[tuple[int, int, int]] = []  # (x, right, row)
        for a in marked:
            cx = box.x + int(box.w * (x0 + w * (idx[a.month] + 0.5) / n))
            label = [_p(a.place, 14, bold=True, color="accent", align="c", spacing=0.9)]
            lw = _pt(self.measure.longest_line(label[0]) / _WRAP_SLACK) + _in(0.1)
            lx = cx - lw // 2
            row = 0
            while any(r == row and not (lx >= right or lx + lw <= x) for x, right, r in placed):
                row += 1
            placed.append((lx, lx + lw, row))
            lh = _pt(self.measure.total(label, 1e9)) + 1
            ly = plot_top - _in(0.22) - lh * (row + 1)
            self.textbox(slide, Box(lx, ly, lw, lh), label, name=f"Chart label {a.id}", anchor=MSO_ANCHOR.BOTTOM)
            tri = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, cx - _in(0.09), plot_top - _in(0.2),
                                         _in(0.18), _in(0.15))
            tri.rotation = 180
            tri.name = f"Chart marker {a.id}"
            self.fill(tri, "accent")
            self.outline(tri, None)
            _unstyled(tri)

    # pull quote ---------------------------------------------------------

    def quote_slide(self, text: Inlines) -> None:
        segs = inline_segs(text)
        # the quote's own straight quotation marks give way to typographic ones
        if segs and segs[0].text.startswith('"'):
            segs[0] = replace(segs[0], text=segs[0].text[1:])
        if segs and segs[-1].text.endswith('"'):
            segs[-1] = replace(segs[-1], text=segs[-1].text[:-1])
        segs = [Seg("“")] + segs + [Seg("”")]
        slide = self._add_slide("title_only")
        ph = slide.shapes.title or self._add_title_placeholder(slide)
        left, right = self.content_left_right("title_only")
        box = Box(left + _in(1.0), _in(1.7), right - left - _in(2.0), self.H - _in(3.5))
        ph.left, ph.top, ph.width, ph.height = box.x, box.y, box.w, box.h
        serif = self.doc.style.serif if self.house and self.doc.style.serif in FAMILIES else None

        def make(s):
            return [_p(segs, s, italic=True, family=serif, spacing=1.0, align="l")]

        size = self.fit_size(_QUOTE_SIZES, make, box.w, box.h) or _QUOTE_SIZES[-1]
        paras = make(size)
        self.write(ph.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE)
        self.check_fit(paras, box, (0, 0, 0, 0), "Quote")
        meta = self.doc.meta
        self.rule(slide, box.x - _in(0.45), box.y + _in(0.2), _in(0.08), box.h - _in(0.4), "accent", "Quote rule")
        self.textbox(slide, Box(box.x, box.bottom + _in(0.2), box.w, _in(0.45)),
                     [_p(f"{meta.publisher_short}, {meta.series}: {meta.short_title}, {dates.short_date(meta.date)}", 16,
                         color="muted")], name="Attribution")
        if self.house:
            slide.background.fill.solid()
            self.paint(slide.background.fill.fore_color, "tint")
        self.finish(slide, "title_only", note_numbers(text))

    # sources ------------------------------------------------------------

    def source_slides(self) -> None:
        numbers = sorted(self.cited)

        def make(size):
            return self.note_paras(numbers, size, after=size * 0.5)

        for i, (size, paras) in enumerate(self.flow("content", make, _SOURCE_SIZES)):
            slide = self.new_slide("content", "Sources" + (" (cont.)" if i else ""))
            reg = self.region("content")
            h = min(reg.h, _pt(self.measure.total(paras, _to_pt(reg.w))) + 1)
            self.body_text(slide, Box(reg.x, reg.y, reg.w, h), paras, "Sources")
            self.finish(slide, "content", [])

    # ------------------------------------------------------------------ output

    def fixed_time(self) -> dt.datetime:
        return dates.build_time(self.doc.meta.date).replace(tzinfo=None)

    def save(self) -> bytes:
        meta = self.doc.meta
        when = self.fixed_time()
        cp = self.prs.core_properties
        cp.title = meta.title
        cp.author = "; ".join(meta.authors)
        cp.last_modified_by = "; ".join(meta.authors)
        cp.subject = meta.subject
        cp.keywords = ", ".join(meta.keywords)
        cp.language = meta.language
        cp.category = meta.series
        cp.comments = meta.copyright
        cp.created = cp.modified = cp.last_printed = when
        cp.revision = 1
        # the chart workbooks XlsxWriter wrote carry the time of the build
        for frame in self._charts:
            wb = frame.chart.part.chart_workbook
            if wb.xlsx_part is not None:
                wb.update_from_xlsx_blob(_normalise_zip(wb.xlsx_part.blob, when))
        members = self._package_members()
        if members is None:  # python-pptx's writer has changed: save, then rewrite the archive
            buf = io.BytesIO()
            self.prs.save(buf)
            return _normalise_zip(buf.getvalue(), when)
        return _write_zip(members, when)

    def _package_members(self) -> list[tuple[str, bytes]] | None:
        """The members `Presentation.save` would write, in its order, unzipped, so that the archive
        is compressed once (by `_write_zip`, with fixed dates); None if python-pptx cannot be asked."""
        try:
            from pptx.opc.serialized import PackageWriter

            package = self.prs.part.package
            members: list[tuple[str, bytes]] = []

            class _Collect:
                def write(self, pack_uri, blob: bytes) -> None:
                    members.append((pack_uri.membername, blob))

            writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
            sink = _Collect()
            writer._write_content_types_stream(sink)
            writer._write_pkg_rels(sink)
            writer._write_parts(sink)
            return members
        except (ImportError, AttributeError, TypeError):
            return None


def _unstyled(shape) -> None:
    """Drop the theme style python-pptx gives new shapes (its shadow and colours): fill, line and
    text colours are set explicitly, and a plain shape renders alike everywhere."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _normalise_zip(blob: bytes, when: dt.datetime) -> bytes:
    """The same archive with fixed member timestamps and workbook dates: the same bytes every build."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zin:
        return _write_zip([(name, zin.read(name)) for name in zin.namelist()], when)


_PACKED = (".png", ".jpg", ".jpeg", ".gif")


def _write_zip(members: Sequence[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip archive of `members` with fixed timestamps and core-property dates: the same bytes every build."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              lambda m: m.group(1) + iso.encode() + m.group(2), data)
            info = zipfile.ZipInfo(name, date_time=stamp)
            # pictures are compressed already: deflating them again costs time and saves nothing
            info.compress_type = zipfile.ZIP_STORED if name.endswith(_PACKED) else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, data)
    return out.getvalue()
