"""Check a built backgrounder from its PDF alone: callouts, notes, citation forms, page layout.

(`check` also runs the page-flow and note-typography rules of `pagecheck`, on this reading.)

Nothing here reads the content file or the document model.  The PDF is read with
pdfminer.six without layout analysis, so every glyph and every graphic comes in the order
it was drawn, and lines are rebuilt from that order (glyphs drawn one after another on one
baseline): text that overprints other text stays a separate line instead of being merged
into it.

What a reader sees, and how it is recognised here:

callouts
    digits set smaller than their line (at most 0.8 of its type size) and raised above its
    baseline, in the body, figure captions and credits and the closing credit.  Adjacent
    callouts that print as one number ("12" for 1 and 2) are split by their link
    annotations and reported.
notes
    endnotes: the lines after a "NOTES" heading; footnotes: the lines below a short rule
    at the foot of a page (a horizontal rule at the left margin, at most half the column
    wide).  A note starts with its number ("12.") hanging left of its text; lines without
    a number continue the note before them (also from the previous page).
sources
    a note names a source by a tag ``Q<digits>`` (the corpus generator gives every source
    one): in its author's name (outside quotation marks), and in its title (inside curly
    quotation marks).  Without tags the citation-form checks have nothing to say.
drawings
    an image, or an area graphic (at least 8 pt each way: a map's or chart's background,
    a placeholder frame, a pull-quote panel, the masthead band) together with everything
    drawn right after it inside its box (a map's shapes and labels).  A "Figure N" caption
    and credit line drawn just above/below a drawing within its width make a figure unit.

The page frame was read off the default content's PDF (both papers): text column 1.1 in
from either edge, body from 0.95 in above the bottom to 0.8 in below the top, running
footer below the frame, masthead band (full width, at the top edge) on page 1 only.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

INCH = 72.0
MARGIN_X = 1.1 * INCH
MARGIN_TOP = 0.8 * INCH
MARGIN_BOTTOM = 0.95 * INCH
PAGE_INSET = 0.4 * INCH  # nothing but the masthead band comes nearer the paper's edge
FOOTER_TOP = MARGIN_BOTTOM - 10  # the running footer lies wholly below this
TOL = 1.0  # pt: rounding in positions
OVERLAP = 1.0  # pt: overlaps smaller than this (both ways) are ink touching, not overprinting
AREA = 8.0  # pt: a graphic at least this wide and high starts a drawing

TAG = re.compile(r"(?<![A-Za-z0-9])Q(\d+)(?![0-9])")


# =========================================================================== what the PDF holds


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: "Box") -> tuple[float, float]:
        return (min(self.x1, other.x1) - max(self.x0, other.x0), min(self.y1, other.y1) - max(self.y0, other.y0))

    def overlaps(self, other: "Box", margin: float = OVERLAP) -> bool:
        w, h = self.overlap(other)
        return w > margin and h > margin

    def inside(self, other: "Box", tol: float = 2.0) -> bool:
        return (self.x0 >= other.x0 - tol and self.x1 <= other.x1 + tol
                and self.y0 >= other.y0 - tol and self.y1 <= other.y1 + tol)

    def union(self, other: "Box") -> "Box":
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def __str__(self) -> str:
        return f"({self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


@dataclass
class Run:
    """A text line as drawn: glyphs drawn one after another on one baseline, left to right."""

    page: int
    index: int  # drawing order on the page
    chars: list[LTChar]
    box: Box = None  # glyph boxes of the visible characters
    size: float = 0.0  # the line's type size (most of its glyphs)
    baseline: float = 0.0
    bottom: float = 0.0  # glyph-box bottom of the line's main-size glyphs
    owner: "Drawing | None" = None  # drawn as part of a drawing (a map label, a pull-quote line)
    unit: "Drawing | None" = None  # a figure's caption or credit line
    role: str = "body"  # body | endnote | footnote | footer | masthead | figure

    @property
    def text(self) -> str:
        return "".join(c.get_text() for c in self.chars)

    @property
    def mcids(self) -> set[int]:
        """The marked-content ids its glyphs were drawn in (empty in an untagged PDF)."""
        return {c.mcid for c in self.chars if getattr(c, "mcid", None) is not None}

    def __repr__(self) -> str:
        return f"Run(page {self.page + 1}, {self.role}, {self.text[:40]!r})"

    def finish(self) -> "Run":
        ink = [c for c in self.chars if c.get_text().strip()] or self.chars
        self.box = Box(min(c.x0 for c in ink), min(c.y0 for c in ink), max(c.x1 for c in ink), max(c.y1 for c in ink))
        # the line's size is its words' size: a short line ("and⁴⁶,⁴⁷") may have more callout glyphs than letters
        words = [c for c in ink if c.get_text() not in "0123456789,"] or ink
        sizes = [round(c.size, 1) for c in words]
        self.size = max(set(sizes), key=lambda s: (sizes.count(s), s))
        main = [c for c in ink if abs(c.size - self.size) < 0.15] or ink
        self.baseline = statistics.median(c.matrix[5] for c in main)
        self.bottom = statistics.median(c.y0 for c in main)
        return self


@dataclass
class Graphic:
    page: int
    index: int
    box: Box
    kind: str  # image | rect | curve | line
    owner: "Drawing | None" = None
    pixels: tuple[int, int] | None = None  # an image's own width and height, as stored

    def __repr__(self) -> str:
        return f"Graphic(page {self.page + 1}, {self.kind} {self.box})"


@dataclass
class Drawing:
    """An image or an area graphic with what is drawn right after it inside its box."""

    page: int
    index: int
    box: Box
    kind: str  # image | vector
    graphics: list[Graphic] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)  # text drawn as part of it
    caption: list[Run] = field(default_factory=list)  # caption and credit lines, if a figure
    unit_box: Box | None = None  # the figure's whole box: top rule, graphic, caption, credit
    rule: Graphic | None = None  # the figure's own top rule
    masthead: bool = False

    @property
    def is_figure(self) -> bool:
        return bool(self.caption)

    def __repr__(self) -> str:
        return f"Drawing(page {self.page + 1}, {self.label()})"

    def label(self) -> str:
        if self.caption:
            m = re.match(r"\s*(Figure\s+\d+)", self.caption[0].text)
            if m:
                return m.group(1)
        return f"{'image' if self.kind == 'image' else 'drawing'} at {self.box}"


@dataclass
class Link:
    page: int
    box: Box
    internal: bool


@dataclass
class Page:
    index: int
    width: float
    height: float
    runs: list[Run]
    graphics: list[Graphic]
    drawings: list[Drawing]
    links: list[Link]
    items: list  # runs and graphics in drawing order
    pageid: int = 0  # the page object's number, as the structure tree names it
    rule_y: float | None = None  # the footnote rule's height, if the page has footnotes

    def __repr__(self) -> str:
        return f"Page({self.index + 1}, {len(self.runs)} lines, {len(self.drawings)} drawings)"


@dataclass
class Callout:
    number: int
    page: int
    context: str  # the text just before it
    run: Run

    def where(self) -> str:
        return f"page {self.page + 1}, after \u2026{self.context}"


@dataclass
class Note:
    number: int | None
    text: str
    page: int
    where: str  # endnote | footnote


@dataclass
class Citation:
    """One source named in a note."""

    tag: str
    author: bool  # the tag stands outside quotation marks (the author's name)
    title: str | None  # the quoted title, if any
    more: bool  # anything after the title (or author): container, date, URL — the full form


@dataclass
class Tagged:
    """A structure element of the PDF's tag tree and the marked content it owns, page by page."""

    kind: str  # BlockQuote, Figure, P, ...
    number: int  # its place among the elements of its kind, from 1
    content: dict[int, set[int]]  # page index -> marked-content ids


@dataclass
class Reading:
    path: Path
    pages: list[Page]
    callouts: list[Callout]
    notes: list[Note]
    merged: list[str]  # adjacent callouts that print as one number
    modes: set[str]  # {"endnotes"}, {"footnotes"} or both (footnotes plus a list of uncited notes)
    tagged: list[Tagged] = field(default_factory=list)  # BlockQuote and Figure elements, if tagged

    def __repr__(self) -> str:
        return f"Reading({self.path.name}, {len(self.pages)} pages, {len(self.notes)} notes)"


# =========================================================================== reading


class _Aggregator(PDFPageAggregator):
    """pdfminer's aggregator, also noting on each glyph the marked-content id it is drawn in."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._marks: list[int | None] = []

    def begin_tag(self, tag, props=None) -> None:
        props = resolve1(props)
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self._marks.append(resolve1(mcid) if mcid is not None else None)

    def end_tag(self) -> None:
        if self._marks:
            self._marks.pop()

    def render_char(self, *args, **kw) -> float:
        adv = super().render_char(*args, **kw)
        char = self.cur_item._objs[-1]
        char.mcid = next((m for m in reversed(self._marks) if m is not None), None)
        return adv


def _raw_pages(document):
    manager = PDFResourceManager()
    device = _Aggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        yield page, device.get_result()


def _name(obj) -> str:
    obj = resolve1(obj)
    return getattr(obj, "name", obj if isinstance(obj, str) else "")


def _links(pdfpage, index: int) -> list[Link]:
    out = []
    for ref in resolve1(pdfpage.annots) or []:
        annot = resolve1(ref)
        if not isinstance(annot, dict) or _name(annot.get("Subtype")) != "Link" or "Rect" not in annot:
            continue
        x0, y0, x1, y1 = (float(resolve1(v)) for v in resolve1(annot["Rect"]))
        action = resolve1(annot.get("A")) or {}
        internal = "Dest" in annot or _name(action.get("S")) == "GoTo"
        out.append(Link(index, Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), internal))
    return out


def _same_run(run: list[LTChar], c: LTChar) -> bool:
    last = run[-1]
    size = max(c.size, last.size)
    if abs(c.matrix[5] - run[0].matrix[5]) > 0.5 * size and abs(c.matrix[5] - last.matrix[5]) > 0.5 * size:
        return False
    if abs(c.matrix[1]) > 1e-3 or abs(c.matrix[2]) > 1e-3:  # rotated text: one glyph per run is fine
        return False
    return last.x1 - 0.5 * size <= c.x0 <= last.x1 + 2.5 * size


def _read_page(pdfpage, layout, index: int) -> Page:
    runs: list[Run] = []
    graphics: list[Graphic] = []
    items: list = []
    current: list[LTChar] = []

    def flush():
        if current:
            run = Run(index, len(items), list(current)).finish()
            if run.text.strip():
                runs.append(run)
                items.append(run)
            current.clear()

    for obj in layout:
        if isinstance(obj, LTChar):
            if current and not _same_run(current, obj):
                flush()
            current.append(obj)
            continue
        flush()
        pixels = None
        if isinstance(obj, LTFigure):
            images = [x for x in obj if isinstance(x, LTImage)]
            kind = "image" if images else "form"
            pixels = tuple(images[0].srcsize) if images else None
        elif isinstance(obj, LTImage):
            kind = "image"
            pixels = tuple(obj.srcsize)
        elif isinstance(obj, LTCurve):
            kind = type(obj).__name__[2:].lower()
        else:
            continue
        g = Graphic(index, len(items), Box(*obj.bbox), kind, pixels=pixels)
        graphics.append(g)
        items.append(g)
    flush()
    x0, y0, x1, y1 = layout.bbox
    page = Page(index, x1 - x0, y1 - y0, runs, graphics, [], _links(pdfpage, index), items, pdfpage.pageid)
    _find_drawings(page)
    return page


def _find_drawings(page: Page) -> None:
    """Drawings: an area graphic and what follows it inside its box; then figure captions."""
    open_: Drawing | None = None
    for item in page.items:
        if open_ is not None and item.box.inside(open_.box):
            if isinstance(item, Graphic):
                open_.graphics.append(item)
                item.owner = open_
                continue
            if open_.kind != "image":
                open_.runs.append(item)
                item.owner = open_
                continue
        open_ = None
        if isinstance(item, Graphic) and (item.kind in ("image", "form") or (item.box.width >= AREA and item.box.height >= AREA)):
            open_ = Drawing(page.index, item.index, item.box, "image" if item.kind in ("image", "form") else "vector",
                            [item])
            item.owner = open_
            page.drawings.append(open_)
    for d in page.drawings:
        d.masthead = (page.index == 0 and d.box.y1 >= page.height - TOL and d.box.x0 <= TOL
                      and d.box.x1 >= page.width - TOL)
        if not d.masthead:
            _attach_caption(page, d)


def _attach_caption(page: Page, d: Drawing) -> None:
    """Caption and credit lines drawn just before (above) or just after (below) a drawing."""
    items = page.items
    first = min(g.index for g in d.graphics)
    last = max([g.index for g in d.graphics] + [r.index for r in d.runs])
    within = lambda b: b.x0 >= d.box.x0 - 2 and b.x1 <= d.box.x1 + 2  # noqa: E731
    above: list[Run] = []
    top = d.box.y1
    rule = None
    for item in reversed(items[:first]):
        if not within(item.box) or item.box.y0 < top - TOL or item.box.y0 - top > 14:
            break
        if isinstance(item, Run) and (item.unit is not None or item.owner is not None):
            break  # another figure's caption (a panel set right below a photo)
        if isinstance(item, Graphic):
            if item.box.height < 3:  # the figure's top rule
                top = item.box.y1
                rule = item
            break
        above.append(item)
        top = item.box.y1
    below: list[Run] = []
    bottom = d.box.y0
    for item in items[last + 1:]:
        if not isinstance(item, Run) or item.owner is not None or item.unit is not None or not within(item.box):
            break
        if item.box.y1 > bottom + TOL or bottom - item.box.y1 > 8:
            break
        below.append(item)
        bottom = item.box.y0
    caption = list(reversed(above)) + below
    # the label starts the caption (above the drawing or below it); body text that names a
    # figure ("Figure 4, above, shows…") and happens to stand next to a panel is not a caption
    ends = [x for x in (above[-1] if above else None, below[0] if below else None) if x is not None]
    if any(re.match(r"\s*Figure\s+\d+(?![\d,.;:])", r.text) for r in ends):
        d.caption = caption
        d.unit_box = Box(d.box.x0, bottom, d.box.x1, top)
        d.rule = rule
        for r in caption:
            r.unit = d


def _classify(pages: list[Page]) -> set[str]:
    """Mark furniture, figure text, endnotes (after the NOTES heading) and footnotes (below a short rule)."""
    modes: set[str] = set()
    in_endnotes = False
    for page in pages:
        column = page.width - 2 * MARGIN_X
        rule_y = None
        for g in page.graphics:
            if g.owner is None and g.box.height < 3 and abs(g.box.x0 - MARGIN_X) <= 2 and 0.5 * INCH <= g.box.width <= column / 2:
                if g.box.y0 > FOOTER_TOP and (rule_y is None or g.box.y0 < rule_y):
                    rule_y = g.box.y0
        page.rule_y = rule_y
        for run in _reading_order(page.runs):
            if run.owner is not None:
                run.role = "masthead" if run.owner.masthead else "figure"
            elif run.box.y1 <= FOOTER_TOP:
                run.role = "footer"
            elif rule_y is not None and run.box.y1 <= rule_y + TOL:
                run.role = "footnote"
                modes.add("footnotes")
            elif in_endnotes:
                run.role = "endnote"
            elif run.text.strip() == "NOTES" and run.unit is None:
                run.role = "heading"
                in_endnotes = True
                modes.add("endnotes")
    return modes


def _order_key(run: Run):
    top = run.unit.unit_box.y1 if run.unit is not None else run.box.y1
    return (run.page, -round(top, 1), run.unit.index if run.unit is not None else -1, -round(run.box.y1, 1), run.box.x0)


def _reading_order(runs: Iterable[Run]) -> list[Run]:
    """Top to bottom, left to right; a figure's caption and credit at the figure's top edge.

    So a photo floated beside a paragraph (and its caption) comes before that paragraph.
    """
    return sorted(runs, key=_order_key)


# --------------------------------------------------------------------------- callouts


def _callouts(pages: list[Page]) -> tuple[list[Callout], list[str]]:
    out: list[Callout] = []
    merged: list[str] = []
    for page in pages:
        internal = [l for l in page.links if l.internal]
        # text drawn on a drawing counts too: a pull quote's lines sit on its panel
        for run in _reading_order(r for r in page.runs if r.role in ("body", "figure")):
            groups: list[list[LTChar]] = []
            previous = False
            for c in run.chars:
                raised = (c.size <= 0.8 * run.size and c.y0 - run.bottom >= 0.2 * run.size
                          and c.get_text() in "0123456789,")
                if raised:
                    if not previous:
                        groups.append([])
                    groups[-1].append(c)
                previous = raised
            for group in groups:
                text = "".join(c.get_text() for c in group)
                context = _context(run, group[0])
                pieces = _split_by_links(group, internal)
                numbers = [int(p) for piece in pieces for p in re.findall(r"\d+", piece)]
                if len(pieces) > 1 and "," not in text:
                    merged.append(
                        f"page {page.index + 1}: callouts {', '.join(pieces)} print as one number "
                        f"\u201c{text}\u201d after \u2026{context}"
                    )
                for n in numbers:
                    out.append(Callout(n, page.index, context, run))
    return out, merged


def _context(run: Run, first: LTChar) -> str:
    at = run.chars.index(first)
    return "".join(c.get_text() for c in run.chars[:at])[-32:].lstrip()


def _split_by_links(group: list[LTChar], links: list[Link]) -> list[str]:
    """The group's digits as the link annotations partition them (each callout is its own link)."""
    pieces: list[str] = []
    owner_of = []
    for c in group:
        cx, cy = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2
        hit = next((i for i, l in enumerate(links) if l.box.x0 - 0.3 <= cx <= l.box.x1 + 0.3
                    and l.box.y0 - 0.5 <= cy <= l.box.y1 + 0.5), None)
        owner_of.append(hit)
    for c, hit, prev in zip(group, owner_of, [object()] + owner_of[:-1]):
        if c.get_text() == ",":
            pieces.append("")
            continue
        if not pieces or hit != prev:
            pieces.append("")
        pieces[-1] += c.get_text()
    return [p for p in pieces if p]


# --------------------------------------------------------------------------- notes


def _notes(pages: list[Page]) -> list[Note]:
    """Footnotes page by page, then the notes listed under NOTES (with footnotes: the uncited ones)."""
    notes: list[Note] = []
    for role in ("footnote", "endnote"):
        for page in pages:
            runs = [r for r in page.runs if r.role == role]
            if not runs:
                continue
            for line in _visual_lines(runs):
                first = line[0]
                m = re.fullmatch(r"\s*(\d+)\.\s*", first.text)
                if m and len(line) > 1 and line[1].box.x0 > first.box.x1 + 1:
                    text = _join(line[1:])
                    notes.append(Note(int(m.group(1)), text, page.index, role))
                elif notes and notes[-1].where == role:
                    notes[-1].text += " " + _join(line)
                else:
                    notes.append(Note(None, _join(line), page.index, role))
    for note in notes:
        note.text = re.sub(r"\s+", " ", note.text).strip()
    return notes


def _visual_lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.baseline, r.box.x0)):
        if lines and abs(lines[-1][0].baseline - run.baseline) <= 1.0:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.box.x0) for line in lines]


def _join(runs: list[Run]) -> str:
    return " ".join(r.text.strip() for r in runs)


def citations(text: str) -> list[Citation]:
    """The sources a note names, in order, with the form each is given in."""
    if re.fullmatch(r"\s*Ibid\.?\s*", text):
        return []
    out: list[Citation] = []
    for chunk in text.split("; "):
        plain = re.sub(r"<[^<>]*>", "<>", chunk)  # URLs in angle brackets carry no tags
        quoted = re.search(r"\u201c([^\u201d]*)\u201d", plain)
        qspan = quoted.span() if quoted else (len(plain), len(plain))
        tags = list(dict.fromkeys(m.group(1) for m in TAG.finditer(plain)))
        for tag in tags:
            in_title = bool(quoted) and any(qspan[0] <= m.start() < qspan[1] for m in TAG.finditer(plain)
                                             if m.group(1) == tag)
            outside = [m for m in TAG.finditer(plain) if m.group(1) == tag and not qspan[0] <= m.start() < qspan[1]]
            title = None
            if in_title:
                title = re.sub(r"\s+", " ", quoted.group(1)).strip().rstrip(".,")
                rest = plain[qspan[1]:]
            elif outside:
                rest = plain[outside[-1].end():]
            else:
                rest = ""
            more = bool(re.sub(r"[\s.,;:\u201d\"]", "", rest))
            out.append(Citation(tag, bool(outside), title, more))
    return out


# --------------------------------------------------------------------------- entry point


def _tagged(document, pages: list[Page], kinds=("BlockQuote", "Figure")) -> list[Tagged]:
    """The tag tree's elements of `kinds`, in tree order, with the marked content each owns."""
    by_id = {p.pageid: p.index for p in pages}
    out: list[Tagged] = []
    root = resolve1(document.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return out

    def page_of(obj, inherited):
        ref = obj.get("Pg") if isinstance(obj, dict) else None
        return by_id.get(getattr(ref, "objid", None), inherited)

    def content(kid, page, into):
        kid = resolve1(kid)
        if isinstance(kid, int):
            if page is not None:
                into.setdefault(page, set()).add(kid)
        elif isinstance(kid, list):
            for k in kid:
                content(k, page, into)
        elif isinstance(kid, dict) and _name(kid.get("Type")) == "MCR":
            at = page_of(kid, page)
            if at is not None:
                into.setdefault(at, set()).add(resolve1(kid.get("MCID")))
        elif isinstance(kid, dict) and "S" in kid:
            content(kid.get("K"), page_of(kid, page), into)

    def walk(node, page, depth=0):
        node = resolve1(node)
        if isinstance(node, list):
            for k in node:
                walk(k, page, depth)
            return
        if not isinstance(node, dict) or depth > 200:
            return
        page = page_of(node, page)
        kind = _name(node.get("S"))
        if kind in kinds:
            into: dict[int, set[int]] = {}
            content(node.get("K"), page, into)
            out.append(Tagged(kind, sum(t.kind == kind for t in out) + 1, into))
            return
        walk(node.get("K"), page, depth + 1)

    walk(root.get("K"), None)
    return out


def read(path: str | Path) -> Reading:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    path = Path(path)
    with open(path, "rb") as fh:  # one parse for the pages and the tag tree
        document = PDFDocument(PDFParser(fh))
        pages = [_read_page(p, layout, i) for i, (p, layout) in enumerate(_raw_pages(document))]
        tagged = _tagged(document, pages)
    modes = _classify(pages)
    callouts, merged = _callouts(pages)
    return Reading(path, pages, callouts, _notes(pages), merged, modes, tagged)


# =========================================================================== the checks


def check_callout_order(r: Reading) -> list[str]:
    """Rule 1: callouts first appear as 1, 2, 3, … in reading order (repeats of earlier numbers are fine)."""
    problems = list(r.merged)
    highest = 0
    for c in r.callouts:
        if c.number == highest + 1:
            highest = c.number
        elif c.number > highest + 1:
            missing = f"{highest + 1}" if c.number == highest + 2 else f"{highest + 1}\u2013{c.number - 1}"
            jump = f"callouts jump from {highest} to {c.number}" if highest else f"the first callout is {c.number}"
            problems.append(f"{jump} ({c.where()}): {missing} not seen yet")
            highest = c.number
    seen: set[int] = set()
    for c in r.callouts:
        if c.number not in seen and c.number < max(seen, default=0):
            problems.append(f"callout {c.number} first appears after {max(seen)} ({c.where()})")
        seen.add(c.number)
    return problems


def check_notes_match(r: Reading) -> list[str]:
    """Rule 2: the notes listed are exactly 1..N, and each has a callout and each callout a note."""
    problems: list[str] = []
    listed = [n.number for n in r.notes if n.number is not None]
    stray = [n for n in r.notes if n.number is None]
    for n in stray:
        problems.append(f"page {n.page + 1}: {n.where} text without a number: \u201c{n.text[:60]}\u201d")
    if not listed and not r.callouts:
        return problems
    if listed != list(range(1, len(listed) + 1)):
        problems.append(f"notes are not listed as 1\u2013{len(listed)} in order: {_span(listed)}")
    called = {c.number for c in r.callouts}
    text = {n.number: n.text for n in r.notes if n.number is not None}
    for n in sorted(set(listed) - called):
        problems.append(f"note {n} has no callout: \u201c{text[n][:70]}\u201d")
    for n in sorted(called - set(listed)):
        first = next(c for c in r.callouts if c.number == n)
        problems.append(f"callout {n} ({first.where()}) has no note")
    if "footnotes" in r.modes:
        first_page = {}
        for c in r.callouts:
            first_page.setdefault(c.number, c.page)
        for n in r.notes:
            if n.where == "footnote" and n.number in first_page and n.page != first_page[n.number]:
                problems.append(
                    f"footnote {n.number} is on page {n.page + 1}, first cited on page {first_page[n.number] + 1}"
                )
    return problems


def _span(numbers: list[int]) -> str:
    """The listing around the first place it goes wrong: '… 3, 5, 6, 4, 7 …'."""
    at = next((i for i, n in enumerate(numbers) if n != i + 1), len(numbers))
    lo, hi = max(0, at - 2), min(len(numbers), at + 5)
    return ("\u2026 " if lo else "") + ", ".join(map(str, numbers[lo:hi])) + (" \u2026" if hi < len(numbers) else "")


def check_citation_forms(r: Reading) -> list[str]:
    """Rule 3: "Ibid." only after a note with exactly the same sources; full form first, short form later.

    Sources are known by their tags; notes without tags (free text) cite nothing. The full title
    of a source is the longest title any note gives it; the full form is that title followed by
    more (container, date, URL); the short form is the author and a title with nothing after it,
    never the title alone when the source has an author.
    """
    problems: list[str] = []
    notes = sorted({n.number: n for n in r.notes if n.number is not None}.values(), key=lambda n: n.number)
    called = {c.number for c in r.callouts}
    parsed = {n.number: citations(n.text) for n in notes}
    longest: dict[str, str] = {}
    has_author: set[str] = set()
    for cites in parsed.values():
        for c in cites:
            if c.title and len(c.title) > len(longest.get(c.tag, "")):
                longest[c.tag] = c.title
            if c.author:
                has_author.add(c.tag)
    if not longest and not has_author:
        return problems  # no tagged sources: nothing to check
    sources: dict[int, tuple[str, ...]] = {}
    first_seen: dict[str, int] = {}
    first_read: dict[str, int] = {}  # the first note with a callout that names the source
    for n in notes:
        cites = parsed[n.number]
        ibid = bool(re.fullmatch(r"\s*Ibid\.?\s*", n.text))
        if ibid:
            before = sources.get(n.number - 1)
            if n.number - 1 not in sources:
                problems.append(f"note {n.number} is \u201cIbid.\u201d but there is no note {n.number - 1} before it")
            elif not before:
                problems.append(f"note {n.number} is \u201cIbid.\u201d but note {n.number - 1} cites no source")
            elif called and n.number - 1 not in called:
                problems.append(
                    f"note {n.number} is \u201cIbid.\u201d of note {n.number - 1}, which no callout points to: "
                    "the reader never saw it"
                )
            sources[n.number] = before or ()
            continue
        sources[n.number] = tuple(dict.fromkeys(c.tag for c in cites))
        for c in cites:
            tag = c.tag
            full = c.more and (c.title is None or c.title == longest.get(tag))
            if tag not in first_seen:
                first_seen[tag] = n.number
                if not full:
                    problems.append(f"note {n.number}: first note citing Q{tag} is not the full form: \u201c{_cut(n.text)}\u201d")
            else:
                if c.more:
                    problems.append(
                        f"note {n.number}: Q{tag} is given in full again (first cited in note {first_seen[tag]}): "
                        f"\u201c{_cut(n.text)}\u201d"
                    )
                if tag in has_author and not c.author:
                    problems.append(f"note {n.number}: short form of Q{tag} has the title alone, no author: \u201c{_cut(n.text)}\u201d")
            if called and n.number in called and tag not in first_read:
                first_read[tag] = n.number
                if first_seen[tag] != n.number:
                    problems.append(
                        f"note {n.number}: the reader first meets Q{tag} here in short form; its full form is in "
                        f"note {first_seen[tag]}, which no callout points to"
                    )
    return problems


def _cut(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def check_layout(r: Reading, *, limit: int = 6) -> list[str]:
    """Rule 4: no overprinting (text on text, text on a drawing, drawings on drawings), nothing past the margins."""
    problems: list[str] = []
    for page in r.pages:
        found: list[str] = []
        p = f"page {page.index + 1}"
        runs = page.runs
        free = [x for x in runs if x.owner is None]
        for i, a in enumerate(runs):
            for b in runs[i + 1:]:
                if a.owner is not None and a.owner is b.owner:
                    continue  # labels inside one drawing are the drawing's own business
                if a.box.overlaps(b.box):
                    found.append(f"{p}: text \u201c{_snip(a)}\u201d and \u201c{_snip(b)}\u201d overprint each other")
        for d in page.drawings:
            if d.masthead:
                continue
            for x in free:
                if x.box.overlaps(d.box):
                    found.append(f"{p}: text \u201c{_snip(x)}\u201d is printed over {d.label()}")
                elif d.unit_box and x.unit is not d and x.box.overlaps(d.unit_box):
                    found.append(f"{p}: text \u201c{_snip(x)}\u201d is printed over the caption area of {d.label()}")
        for i, a in enumerate(page.drawings):
            for b in page.drawings[i + 1:]:
                if a.box.overlaps(b.box) and not (a.masthead or b.masthead):
                    found.append(f"{p}: {a.label()} and {b.label()} overprint each other")
        for g in page.graphics:
            if g.owner is None and g.box.height < 3:  # a rule (drawings are checked above)
                mid = (g.box.y0 + g.box.y1) / 2
                for x in free:
                    w, _ = x.box.overlap(g.box)
                    if w > OVERLAP and x.box.y0 + 1.5 < mid < x.box.y1 - 1.5:
                        found.append(f"{p}: a rule at y={mid:.1f} runs through \u201c{_snip(x)}\u201d")
                for d in page.drawings:
                    box = d.unit_box or d.box
                    w, _ = box.overlap(g.box)
                    if not d.masthead and g is not d.rule and w > OVERLAP and box.y0 + 1 < mid < box.y1 - 1:
                        found.append(f"{p}: a rule at y={mid:.1f} crosses {d.label()}")
        found += _margins(page)
        if len(found) > limit:
            found = found[:limit] + [f"{p}: \u2026 and {len(found) - limit} more layout problems"]
        problems += found
    return problems


def _margins(page: Page) -> list[str]:
    out = []
    p = f"page {page.index + 1}"
    left, right = MARGIN_X, page.width - MARGIN_X
    top = page.height - MARGIN_TOP
    for item in page.items:
        owner = item.owner
        if owner is not None and owner.masthead:
            continue
        b = item.box
        what = f"text \u201c{_snip(item)}\u201d" if isinstance(item, Run) else f"a graphic {b}"
        if b.x1 > right + TOL:
            out.append(f"{p}: {what} runs {b.x1 - right:.1f} pt past the right margin")
        if b.x0 < left - TOL:
            out.append(f"{p}: {what} starts {left - b.x0:.1f} pt left of the left margin")
        if page.index > 0 and b.y1 > top + TOL:
            out.append(f"{p}: {what} reaches {b.y1 - top:.1f} pt into the top margin")
        elif b.y1 > page.height - PAGE_INSET + TOL:
            out.append(f"{p}: {what} is within {PAGE_INSET / INCH:.1f} in of the top edge")
        if b.y0 < PAGE_INSET - TOL:
            out.append(f"{p}: {what} is within {PAGE_INSET / INCH:.1f} in of the bottom edge")
        elif b.y0 < MARGIN_BOTTOM - 3 and b.y1 > FOOTER_TOP:
            out.append(f"{p}: {what} runs {MARGIN_BOTTOM - b.y0:.1f} pt into the bottom margin")
    return out


def _snip(run: Run, limit: int = 40) -> str:
    text = re.sub(r"\s+", " ", run.text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


RULES = {
    "1 callout order": check_callout_order,
    "2 notes and callouts": check_notes_match,
    "3 citation forms": check_citation_forms,
    "4 layout": check_layout,
}


def all_rules() -> dict:
    """These rules and the page-flow and note-typography rules of `pagecheck`."""
    import pagecheck

    return {**RULES, **pagecheck.RULES}


def check(path: str | Path) -> dict[str, list[str]]:
    """Every check on one PDF: {rule: problems}; all lists empty means the PDF is right."""
    reading = read(path)
    return {name: fn(reading) for name, fn in all_rules().items()}


def report(findings: dict[str, list[str]]) -> str:
    lines = []
    for rule, problems in findings.items():
        for p in problems:
            lines.append(f"[rule {rule}] {p}")
    return "\n".join(lines)


if __name__ == "__main__":  # python tests/pdfcheck.py FILE.pdf ...
    import sys

    for name in sys.argv[1:]:
        print(f"== {name}")
        print(report(check(name)) or "no problems")
