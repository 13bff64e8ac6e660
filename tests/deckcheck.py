"""Check a slide deck as assistive technology meets it, from the .pptx alone (python-pptx and its XML).

`problems(path)` lists, one line each, what a reader of the deck with a screen reader or
low vision would stumble on:

titles
    every slide has a title placeholder holding text, no two slides the same title (ignoring
    case); a title ending "(cont.)" or "(cont. N)" follows a slide of the title it continues.
alt text
    every picture, chart (graphic frame) and group has ``descr`` unless it is marked
    decorative; every other shape holds text, has ``descr`` or is decorative; shapes the
    deck draws as decoration (rules, bands, markers, card backgrounds, connectors in a
    described diagram) carry the decorative mark.
reading order
    the order of the shape tree: the title first; the running footer and slide number last,
    the citations footer right before them; between them no shape entirely above the one
    read before it in the same column (shapes side by side read left to right, columns top
    to bottom).  A group (a diagram) counts as one shape.
contrast
    every run of text against what lies behind it (its shape's fill, else the topmost filled
    shape under it, else the background the slide shows: its own, its layout's or its master's),
    4.5:1, or 3:1 for large text (18 pt, 14 pt bold); a hyperlink in the theme's link colour
    too; chart text against the slide.
language
    the document properties, the default text style and every run say the deck's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from jnim_export import colours

DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
DECORATION = re.compile(r"^(Title rule|Accent band|Fact rule|Time line|Quote rule|Card rule|Card |Marker |"
                        r"Chart marker |Arrow )")
CONT = re.compile(r"^(?P<base>.*) \(cont\.(?: \d+)?\)$")
RUN_TAGS = (qn("a:r"), qn("a:fld"))


@dataclass
class Shape:
    el: etree._Element
    kind: str  # sp, pic, graphicFrame, grpSp, cxnSp
    name: str
    descr: str
    decorative: bool
    placeholder: str | None  # the p:ph type ("title", "body", ...), "obj" if untyped
    box: tuple[int, int, int, int] | None  # x, y, w, h on the slide
    fill: str | None  # #rrggbb of a solid fill
    text: str

    @property
    def top(self):
        return self.box[1]

    @property
    def bottom(self):
        return self.box[1] + self.box[3]


def _cnvpr(el):
    return el[0][0]


def _is_decorative(cnvpr) -> bool:
    for ext in cnvpr.iterfind(f"{qn('a:extLst')}/{qn('a:ext')}"):
        if ext.get("uri") == DECORATIVE_EXT:
            dec = ext.find(ADEC)
            return dec is not None and dec.get("val") in ("1", "true")
    return False


def _xfrm(el):
    for path in (f"{qn('p:spPr')}/{qn('a:xfrm')}", f"{qn('p:grpSpPr')}/{qn('a:xfrm')}", qn("p:xfrm")):
        x = el.find(path)
        if x is not None:
            return x
    return None


def _box(el, offset=(0, 0, 1.0, 1.0)):
    x = _xfrm(el)
    if x is None or x.find(qn("a:off")) is None:
        return None
    ox, oy, sx, sy = offset
    off, ext = x.find(qn("a:off")), x.find(qn("a:ext"))
    return (int(ox + int(off.get("x")) * sx), int(oy + int(off.get("y")) * sy),
            int(int(ext.get("cx")) * sx), int(int(ext.get("cy")) * sy))


def _solid(parent) -> str | None:
    fill = parent.find(qn("a:solidFill")) if parent is not None else None
    if fill is None:
        return None
    srgb = fill.find(qn("a:srgbClr"))
    return "#" + srgb.get("val").lower() if srgb is not None else None


def shapes_of(tree, offset=(0, 0, 1.0, 1.0)) -> list[Shape]:
    """The shapes of a shape tree (or group), in tree order, with boxes on the slide."""
    out = []
    for el in tree:
        kind = etree.QName(el).localname
        if kind not in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp"):
            continue
        cnv = _cnvpr(el)
        ph = el[0].find(f"{qn('p:nvPr')}/{qn('p:ph')}")
        sp_pr = el.find(qn("p:spPr"))
        text = "".join(t.text or "" for t in el.iter(qn("a:t"))) if kind != "graphicFrame" else ""
        out.append(Shape(el, kind, cnv.get("name", ""), (cnv.get("descr") or "").strip(), _is_decorative(cnv),
                         (ph.get("type") or "obj") if ph is not None else None, _box(el, offset),
                         _solid(sp_pr), text))
    return out


def group_offset(el, offset):
    """The transform of a group's children to slide coordinates."""
    x = el.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
    ox, oy, sx, sy = offset
    off, ext = x.find(qn("a:off")), x.find(qn("a:ext"))
    choff, chext = x.find(qn("a:chOff")), x.find(qn("a:chExt"))
    gsx = int(ext.get("cx")) / max(1, int(chext.get("cx"))) * sx
    gsy = int(ext.get("cy")) / max(1, int(chext.get("cy"))) * sy
    return (ox + int(off.get("x")) * sx - int(choff.get("x")) * gsx,
            oy + int(off.get("y")) * sy - int(choff.get("y")) * gsy, gsx, gsy)


def all_shapes(tree, offset=(0, 0, 1.0, 1.0)) -> list[Shape]:
    """Every shape, groups' children after their group (z-order: later is on top)."""
    out = []
    for sh in shapes_of(tree, offset):
        out.append(sh)
        if sh.kind == "grpSp":
            out += all_shapes(sh.el, group_offset(sh.el, offset))
    return out


def _overlaps_x(a: Shape, b: Shape) -> bool:
    return a.box[0] < b.box[0] + b.box[2] and b.box[0] < a.box[0] + a.box[2]


def _contains(outer, inner) -> bool:
    cx, cy = inner[0] + inner[2] / 2, inner[1] + inner[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


class Deck:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.prs = Presentation(str(path))
        theme = etree.fromstring(self.prs.slide_master.part.part_related_by(RT.THEME).blob)
        hl = theme.find(f".//{qn('a:clrScheme')}/{qn('a:hlink')}/{qn('a:srgbClr')}")
        self.hlink = "#" + hl.get("val").lower() if hl is not None else None
        self.errors: list[str] = []
        self.scheme = {}
        for el in theme.find(f".//{qn('a:clrScheme')}"):
            c = el.find(qn("a:srgbClr"))
            s = el.find(qn("a:sysClr"))
            val = c.get("val") if c is not None else (s.get("lastClr") if s is not None else None)
            if val:
                self.scheme[etree.QName(el).localname] = "#" + val.lower()
        cmap = self.prs.slide_master.element.find(qn("p:clrMap"))
        for k, v in (cmap.attrib if cmap is not None else {"bg1": "lt1", "tx1": "dk1"}).items():
            if v in self.scheme:
                self.scheme[k] = self.scheme[v]

    def background(self, slide) -> str:
        """The colour the slide shows behind its shapes: its own, its layout's or its master's."""
        for el in (slide._element, slide.slide_layout.element, self.prs.slide_master.element):
            bg = el.find(f"{qn('p:cSld')}/{qn('p:bg')}")
            if bg is None:
                continue
            for c in bg.iter(qn("a:srgbClr"), qn("a:schemeClr")):
                if c.tag == qn("a:srgbClr"):
                    return "#" + c.get("val").lower()
                if c.get("val") in self.scheme:
                    return self.scheme[c.get("val")]
        return self.scheme.get("bg1", "#ffffff")

    def err(self, slide_no: int, title: str, msg: str) -> None:
        self.errors.append(f"slide {slide_no} ({title[:40]!r}): {msg}")

    # ------------------------------------------------------------------ checks

    def titles(self) -> list[str]:
        out = []
        for i, slide in enumerate(self.prs.slides, 1):
            t = slide.shapes.title
            text = t.text_frame.text.strip() if t is not None else ""
            if not text:
                self.err(i, "", "no title")
            out.append(text)
        seen: dict[str, int] = {}
        for i, text in enumerate(out, 1):
            key = text.casefold()
            if key in seen:
                self.err(i, text, f"the same title as slide {seen[key]}")
            seen.setdefault(key, i)
            m = CONT.match(text)
            if m:
                base = m.group("base")
                before = out[i - 2] if i > 1 else ""
                if not (before == base or (CONT.match(before) and CONT.match(before).group("base") == base)):
                    self.err(i, text, f"continues {base!r}, but follows {before!r}")
        return out

    def alt_and_decoration(self, i: int, title: str, shapes: list[Shape]) -> None:
        for sh in shapes:
            what = f"{sh.kind} {sh.name!r}"
            if DECORATION.match(sh.name) and not sh.decorative:
                self.err(i, title, f"{what} is decoration but not marked decorative")
            if sh.decorative and (sh.text.strip() or sh.descr):
                self.err(i, title, f"{what} is marked decorative but has text or alt text")
            if sh.decorative:
                continue
            if sh.kind in ("pic", "graphicFrame", "grpSp"):
                if not sh.descr:
                    self.err(i, title, f"{what} has no alt text")
            elif not sh.text.strip() and not sh.descr and sh.placeholder is None:
                self.err(i, title, f"{what} has neither text, alt text nor the decorative mark")

    def reading_order(self, i: int, title: str, top: list[Shape]) -> None:
        read = [sh for sh in top if not sh.decorative]
        if not read or read[0].placeholder not in ("title", "ctrTitle"):
            self.err(i, title, f"the title is not read first: {[s.name for s in read[:2]]}")
            return
        names = [sh.name for sh in read]
        tail = [n for n in ("Footer", "Slide number") if n in names]
        if tail and names[-len(tail):] != tail:
            self.err(i, title, f"the running footer is not read last: {names[-3:]}")
        if "Citations" in names and names[len(names) - len(tail) - 1] != "Citations":
            self.err(i, title, "the citations are not read right before the footer")
        body = [sh for sh in read[1:] if sh.name not in ("Footer", "Slide number", "Citations") and sh.box]
        for a, b in zip(body, body[1:]):
            if b.bottom <= a.top and _overlaps_x(a, b):
                self.err(i, title, f"{b.name!r} is read after {a.name!r} but lies above it")

    def contrast(self, i: int, title: str, slide, everything: list[Shape], background: str | None = None,
                 strict: bool = False) -> None:
        if background is None:
            background = self.background(slide)
        for k, sh in enumerate(everything):
            if sh.kind not in ("sp",) or not sh.text.strip():
                continue
            behind = sh.fill
            if behind is None:
                for under in reversed(everything[:k]):
                    if under.fill and under.box and sh.box and _contains(under.box, sh.box):
                        behind = under.fill
                        break
            behind = behind or background
            for run in sh.el.iter(*RUN_TAGS):
                text = "".join(t.text or "" for t in run.iter(qn("a:t")))
                if not text.strip():
                    continue
                rpr = run.find(qn("a:rPr"))
                fg = _solid(rpr)
                if fg is None:
                    self.err(i, title, f"{sh.name!r}: a run without an explicit colour: {text[:30]!r}")
                    continue
                size = int(rpr.get("sz", "1800")) / 100
                bold = rpr.get("b") in ("1", "true")
                need = colours.MIN_CONTRAST if strict else colours.required(size, bold)
                shown = [fg]
                if rpr.find(qn("a:hlinkClick")) is not None and self.hlink:
                    shown.append(self.hlink)  # PowerPoint may draw links in the theme's link colour
                for c in shown:
                    ratio = colours.contrast(c, behind)
                    if ratio < need:
                        self.err(i, title, f"{sh.name!r}: {c} on {behind} is {ratio:.2f}:1 at {size:g} pt"
                                           f"{' bold' if bold else ''}, needs {need}: {text[:30]!r}")
        # chart text: against the slide behind the (unfilled) chart
        for sh in everything:
            if sh.kind == "graphicFrame" and sh.el.find(".//{*}chart") is not None:
                chart = next(s for s in slide.shapes if s.shape_id == int(_cnvpr(sh.el).get("id"))).chart
                space = chart._chartSpace
                for fill in space.iter(qn("a:solidFill")):
                    parent = fill.getparent()
                    if parent.tag not in (qn("a:defRPr"), qn("a:rPr")):
                        continue
                    c = _solid(parent)
                    size = int(parent.get("sz", "1000")) / 100
                    if c and colours.contrast(c, background) < colours.required(size, parent.get("b") == "1"):
                        self.err(i, title, f"chart text {c} on {background} at {size:g} pt")

    def language(self) -> None:
        lang = self.prs.core_properties.language
        if not lang:
            self.errors.append("the document properties name no language")
            return
        style = self.prs.part._element.find(qn("p:defaultTextStyle"))
        langs = {r.get("lang") for r in style.iter(qn("a:defRPr"))} if style is not None else set()
        if langs != {lang}:
            self.errors.append(f"the default text style's language is {langs}, not {lang!r}")
        for i, slide in enumerate(self.prs.slides, 1):
            for rpr in slide._element.iter(qn("a:rPr")):
                if not rpr.get("lang"):
                    self.errors.append(f"slide {i}: a run without a language")
                    break

    def run(self) -> list[str]:
        titles = self.titles()
        for i, (slide, title) in enumerate(zip(self.prs.slides, titles), 1):
            tree = slide.shapes._spTree
            top = shapes_of(tree)
            everything = all_shapes(tree)
            self.alt_and_decoration(i, title, everything)
            self.reading_order(i, title, top)
            self.contrast(i, title, slide, everything)
        self.language()
        return self.errors


def problems(path: Path) -> list[str]:
    return Deck(path).run()


# --------------------------------------------------------------------------- a deck on a template


COVER_TYPES = ("ctrTitle", "subTitle")
FIGURE_NAME = re.compile(r"^Figure \d+$")
MIN_FIGURE = 0.30  # of the slide's area, on a figure's slide
MIN_SOURCES_FILL = 0.60  # of the room under the title, on every sources slide but the last
FOOTER_NAMES = ("Footer", "Slide number")


def _ph_boxes(part) -> dict[str, tuple[int, int, int, int]]:
    """A layout's or master's placeholders' boxes by type (the first of each)."""
    out = {}
    for sh in shapes_of(part.shapes._spTree):
        if sh.placeholder and sh.box and sh.placeholder not in out:
            out[sh.placeholder] = sh.box
    return out


def _title_of_part(part):
    boxes = _ph_boxes(part)
    return boxes.get("title") or boxes.get("ctrTitle")


class TemplateDeck(Deck):
    """The checks of a deck built on a template, from the .pptx alone (see `layout_problems`)."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.W, self.H = self.prs.slide_width, self.prs.slide_height
        theme = etree.fromstring(self.prs.slide_master.part.part_related_by(RT.THEME).blob)
        fonts = theme.find(f".//{qn('a:minorFont')}/{qn('a:latin')}")
        self.font = fonts.get("typeface") if fonts is not None else "Noto Sans"

    def text_height(self, sh: Shape) -> float:
        """Points the text of a shape needs, wrapped greedily by words to its box at its runs' sizes
        (PowerPoint's single spacing is 1.2 times the size)."""
        from jnim_export.fonts import FAMILIES, text_width

        body = sh.el.find(qn("p:txBody"))
        pr = body.find(qn("a:bodyPr"))
        ins = [int(pr.get(k, d)) for k, d in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720))]
        width = (sh.box[2] - ins[0] - ins[2]) / 12700 * 1.01  # renderers' widths differ by a hair
        total = (ins[1] + ins[3]) / 12700
        for p in body.iter(qn("a:p")):
            ppr = p.find(qn("a:pPr"))
            indent = int(ppr.get("marL", "0")) / 12700 if ppr is not None else 0
            spacing = 1.0
            ln = ppr.find(f"{qn('a:lnSpc')}/{qn('a:spcPct')}") if ppr is not None else None
            if ln is not None:
                spacing = int(ln.get("val")) / 100000
            after = ppr.find(f"{qn('a:spcAft')}/{qn('a:spcPts')}") if ppr is not None else None
            runs = [(r.findtext(qn("a:t")) or "", r.find(qn("a:rPr"))) for r in p if r.tag in RUN_TAGS]
            size = max([int(rp.get("sz", "1800")) / 100 for _, rp in runs if rp is not None] or
                       [int((p.find(qn("a:endParaRPr")) if p.find(qn("a:endParaRPr")) is not None else p).get("sz", "1800")) / 100])
            lines, used = 1, 0.0
            for text, rp in runs:
                fam = rp.find(qn("a:latin")).get("typeface") if rp is not None and rp.find(qn("a:latin")) is not None else self.font
                fam = fam if fam in FAMILIES else "Noto Sans"
                sz = int(rp.get("sz", "1800")) / 100 if rp is not None else 18
                bold = rp is not None and rp.get("b") == "1"
                italic = rp is not None and rp.get("i") == "1"
                text = text.split("\t", 1)[-1]
                for word in re.findall(r"[^ \u200b]+[ \u200b]*|[ \u200b]+", text):
                    w = text_width(word.rstrip(" \u200b"), fam, sz, bold=bold, italic=italic)
                    full = text_width(word.replace("\u200b", ""), fam, sz, bold=bold, italic=italic)
                    if used and used + w > width - indent:
                        lines += 1
                        used = 0.0
                    while w > width - indent:  # a word longer than a line breaks anywhere
                        lines += 1
                        w -= width - indent
                        full -= width - indent
                    used += full
            total += lines * 1.2 * size * spacing + (int(after.get("val")) / 100 if after is not None else 0)
        return total

    def slide_checks(self, i: int, title: str, slide, last_sources: bool) -> None:
        W, H = self.W, self.H
        layout = slide.slide_layout
        types = {sh.placeholder for sh in shapes_of(layout.shapes._spTree)}
        if i > 1 and types & set(COVER_TYPES):
            self.err(i, title, f"on the cover layout {layout.name!r}")
        top = shapes_of(slide.shapes._spTree)
        title_sh = next((sh for sh in top if sh.placeholder in ("title", "ctrTitle")), None)
        want = _title_of_part(layout) or _title_of_part(self.prs.slide_master)
        if title_sh is not None and title_sh.name != "Quote" and want is not None:
            got = title_sh.box or want
            if max(abs(a - b) for a, b in zip(got, want)) > W // 100:
                self.err(i, title, f"the title at {got}, the layout has it at {want}")
        everything = all_shapes(slide.shapes._spTree)
        for sh in everything:
            if sh.box and (sh.box[0] < 0 or sh.box[1] < 0 or sh.box[0] + sh.box[2] > W + 1
                           or sh.box[1] + sh.box[3] > H + 1):
                self.err(i, title, f"{sh.name!r} reaches outside the slide: {sh.box}")
            if sh.kind == "sp" and sh.box and sh.text.strip():
                need = self.text_height(sh)
                if need > sh.box[3] / 12700 * 1.02 + 1:
                    self.err(i, title, f"the text of {sh.name!r} overflows its box ({need:.0f} pt in "
                                       f"{sh.box[3] / 12700:.0f} pt)")
        figures = [sh for sh in top if FIGURE_NAME.match(sh.name) and sh.box]
        foot_top = min([sh.top for sh in top if sh.name in FOOTER_NAMES + ("Citations",) and sh.box] or [H])
        for sh in figures:
            # a tall picture may be under the share if it takes the whole height under the title
            room = foot_top - (title_sh.bottom if title_sh is not None and title_sh.box else 0)
            if sh.box[2] * sh.box[3] < MIN_FIGURE * W * H and sh.box[3] < 0.9 * room:
                self.err(i, title, f"{sh.name!r} is {sh.box[2] * sh.box[3] / (W * H):.0%} of the slide")
        if title.startswith("Sources") and not last_sources:
            src = next((sh for sh in top if sh.name == "Sources"), None)
            foot = min([sh.top for sh in top if sh.name in FOOTER_NAMES and sh.box] or [H])
            if src is None or self.text_height(src) * 12700 < MIN_SOURCES_FILL * (foot - src.top):
                filled = self.text_height(src) * 12700 / (foot - src.top) if src is not None else 0
                self.err(i, title, f"a sources slide {filled:.0%} filled")
        labels = [sh for sh in everything if sh.name.startswith("Link: ") and sh.box]
        boxes = [sh for sh in everything if sh.kind == "sp" and sh.box and sh.name.split(":")[0] in
                 ("Allegiance", "Member", "Split from", "Former name", "Absorbed")]
        for lb in labels:
            for bx in boxes:
                a, b = lb.box, bx.box
                if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]:
                    self.err(i, title, f"{lb.name!r} crosses the box {bx.name!r}")

    def run(self) -> list[str]:
        titles = self.titles()
        sources = [k for k, t in enumerate(titles, 1) if t.startswith("Sources")]
        for i, (slide, title) in enumerate(zip(self.prs.slides, titles), 1):
            self.slide_checks(i, title, slide, last_sources=bool(sources) and i == sources[-1])
            self.contrast(i, title, slide, all_shapes(slide.shapes._spTree), self.background(slide),
                          strict=True)
        return self.errors


def layout_problems(path: Path) -> list[str]:
    """What a deck on a template gets wrong, slide by slide: the cover layout on any slide but the
    first; a title away from its layout's title position (a pull quote, titled by the quote, may
    be); a shape reaching outside the slide; text overflowing its box (measured with the fonts'
    metrics); a figure under 30 % of the slide, unless it is as tall as 90 % of the room between
    the title and the footer (a square photo on a wide slide cannot be larger); a sources slide, but the last, under 60 % filled
    (its text's height over the room from its top to the footer); a link label of the
    organisation diagram crossing a box; and text under 4.5:1 (any size) against the colour
    the slide really shows behind it (its own background, else its layout's, else its master's)."""
    return TemplateDeck(path).run()
