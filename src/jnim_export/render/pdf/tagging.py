"""Tagged PDF (PDF/UA-1): the structure tree, built while the pages are drawn.

ReportLab's open-source canvas writes no structure.  This module adds it at the source:
the flowables say *what* they draw (``tree.tag("P")``, ``tree.artifact()``), a canvas
subclass wraps *how* it is drawn in marked content, and just before ReportLab formats
the file the structure tree is added as PDF objects of its own document.  No second
pass over the file, no parser, no dependency beyond ReportLab.  Every build is tagged;
`ENABLED` exists only so that ``bench/pdf_tagging.py`` can time the same render without.

What the writer tags (the hooks, by module)
-------------------------------------------
==================  ====================================================================
``story``           the tree (`tree_for`): Document, ``/Lang`` from the content, XMP
                    (dc:title, dc:creator, dc:description, pdfuaid:part 1); title
                    ``H1``, native title ``P /Lang ar``, byline ``P``, pull quote
                    ``BlockQuote``, closing credit and copyright ``P``, Notes heading
``flowables``       `Block`: its element (``P`` by default) made once and shared by the
                    pieces `split` returns; tint and bar an artifact.  `Heading`: ``H2``.
                    `Rule`: artifact.  `NoteItem`: endnotes ``L > LI > Lbl + LBody >
                    Note``, footnotes ``Note > Lbl + P``
``markup``          each Arabic run a ``Span`` with ``/Lang ar`` and ``/ActualText`` (the
                    logical text: what is drawn is shaped and in visual order); links need
                    no markup (see `link_tags`: callouts ``Reference > Link`` to their
                    ``Note``, URLs and back-links ``Link``, each with its annotation)
``artwork``         `FigureBox`: ``Div > Caption (P caption, P credit) + Figure`` (``/Alt``,
                    ``/BBox``); the drawing (an SVG's text with it) or photo is the
                    Figure's content; accent rule, placeholder frame: artifacts
``placement``       a figure moved to the next page keeps its place in the reading order
``layout``          footnotes: each ``Note`` is placed right after what first cites it
``pages``           masthead band, running footer, page numbers, footnote rule: artifacts
                    (``/Pagination /Header``, ``/Footer``)
==================  ====================================================================

Usage
-----
::

    tree = StructureTree(lang="en-US", title=..., author=..., subject=..., link_tags=policy)
    doc.build(story, canvasmaker=tree.canvasmaker())

    # in a flowable's draw():
    with tree.tag(self.struct):          # an element made once (tree.element), shared by split pieces
        self.para.drawOn(self.canv, 0, 0)
    with tree.artifact():                # rules, tints; artifact("Pagination", "Footer")
        canv.line(...)
    with tree.tag("Figure", alt="..."), tree.content():
        renderPDF.draw(drawing, canv, 0, 0)   # everything inside is the figure's content

    # links in Paragraph markup need nothing: <a href> becomes what policy(href) says,
    # e.g. a note callout ("#note-3") a Reference holding a Link.  Other inline elements
    # (a span in another language) are zero-width markers in the markup:
    "the " + span("Span", "Jamāʿat Nuṣrat al-Islām", lang="ar-Latn") + " group"

Why at the source
-----------------
Tagging afterwards (parse the content streams, guess what each run of text belongs to)
throws away what the writer knows: which flowable drew a run, which paragraph a page
break split, which superscript is a note callout.  Here every marked-content sequence is
emitted by the code that knows.  The structure is kept as small Python objects while
drawing and serialised once at save (``finish``), after ReportLab has numbered pages and
annotations: straight to PDF syntax (``_Raw`` objects registered with
``canv._doc.Reference``), because ReportLab's generic dictionary formatter would cost
more than the rest of the tagging together.  Object numbers follow the drawing, so an
invariant-mode build stays byte-identical.  (pikepdf would do the same as a post-pass,
at the price of re-reading and re-writing every object of the file and of a second
dependency; the checker uses it, the writer does not need it.)

Two levels of marked content
----------------------------
*Canvas level* (``content()``, ``artifact()``): ``BDC``/``BMC`` appended to ``canv._code``
before the drawing, ``EMC`` after it.  Used for graphics (figures, images, rules) and
artifacts.  Opening and closing must happen at the same graphics-state depth (the canvas
``q`` stack is checked), and a canvas-level sequence never straddles ``BT``/``ET``
because ReportLab appends a text object to the page in one piece at ``drawText``.
Nested contexts do not nest sequences: entering one closes the outer sequence, leaving
it reopens the outer one (a placeholder's frame is an artifact between two pieces of
its figure).

*Text-object level* (automatic): a text object begun while a structure element is
current and no canvas-level sequence is open gets ``/Tag <</MCID n>> BDC`` right after
``BT`` and ``EMC`` right before ``ET``.  A Paragraph draws each of its pieces as one text
object, so a paragraph's marked content always nests inside ``BT``/``ET`` inside its
``q``/``Q``.  Inline elements switch sequences *inside the same text object*: the
current sequence is closed and one for the inline element opened (and back for its
parent at its end).  Sequences are therefore flat: an MCID sequence never contains
another one, nor an artifact, nor is inside one.  Text inside canvas-level content
(an SVG figure's labels, a placeholder's text) is part of that content: no sequences.

Where inline elements come from: links through ReportLab's own ``_linkRecord`` hook,
which Paragraph's line drawing (``_putFragLine``) calls with the link ``(n, href)`` right
after the text of a link's first fragment on a line ("start": the switch is inserted
before that last entry) and before anything of the text after it ("end").  Other inline
elements through ``<ondraw name="_tag" label="+Span;lang=fr"/>`` markers, which
ReportLab calls as a named canvas callback at their place in the line.  Superscript note
numbers are links, so each callout is its own Reference > Link with its own MCID: no
digit is ever glued into the sequence of the word before it.

MCIDs and the ParentTree
------------------------
MCIDs are counted per page (``canv.getPageNumber()``); ``self._pages[page]`` is the list
of structure elements owning MCID 0, 1, 2...  Content items are recorded in drawing
order in one list, ``(owner, kind, a, b)``: a child element placed, an MCID on a page, an
annotation (OBJR).  At ``finish`` they are grouped by owner into each element's ``/K``;
page *i* gets ``/StructParents i-1`` and the ParentTree maps it to the array of its MCID
owners; annotations get the keys after the pages.  A sequence that showed nothing is
removed again and its MCID given back (it is always the page's last one), so the
per-page arrays have no holes.  Elements are int handles into columns (tag, attributes,
parent), not objects: a tree of objects alive for the whole build made Python's garbage
collector run full collections over the document's heap.

Links and OBJR
--------------
ReportLab draws a paragraph's link annotations after each line (``_do_post_text``), when
the link's sequence is already closed.  Each "start" records ``(n, href)`` and its Link
element; the line's annotations then arrive through ``linkURL``/``linkRect`` ->
``_addAnnotation`` and each is matched to the first pending record of its href.  The
annotation gets ``/StructParent`` and ``/Contents`` (the policy's ``contents``, else a
description of the destination), and its Link element an ``OBJR`` kid.  A link broken
over two lines is the same ``(n, href)`` in the same paragraph: one Link element with two
sequences and two annotations.  Pages get ``/Tabs /S``.

Split paragraphs
----------------
A flowable makes its element once (``tree.element("P")``) and hands it to the pieces its
``split`` returns; each piece's draw ``tag``s the same element, so a paragraph continued
on the next page is one ``P`` with marked content on both pages (``MCR`` kids carry their
page).  A link continued there is found again by its key.  Marker spans still open when
a piece's text object ends are suspended on the element and resumed by its next one.

Placement
---------
An element is placed in the tree where it is first begun, under the element current
then.  ``place(elem)`` puts it there without drawing (a footnote's Note right after the
paragraph citing it, although its text is drawn by ``afterPage``; a figure moved to the
next page keeps its place in the reading order).

Limits
------
Text that Paragraph draws through the canvas while its text object is open
(underline, strike, ``backColor``) is not marked: the styles used must not need it.
Content drawn with no element current raises ``TaggingError`` (``strict=True``) so a
missing hook is found at build time, not by a checker.  Relies on ReportLab internals
that have been stable for years but are not API: ``canv._code``, ``tx._code``,
``tx._linkRecord``, ``canv._addAnnotation``, ``state_stack``, ``doc.Pages.pages``.
"""

from __future__ import annotations

import contextlib
import gc
import html
import urllib.parse

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

__all__ = ["ENABLED", "Elem", "NullTree", "StructureTree", "TaggedCanvas", "TaggingError", "close_tag",
           "foreign", "open_tag", "open_tags", "span", "tree_for"]

#: Every build is tagged.  Off only for ``bench/pdf_tagging.py``, which times the same
#: render without the structure (read when a render starts: `tree_for`, `foreign`).
ENABLED = True

MARKER = "_tag"  # the named canvas callback the <ondraw> markers call

#: Tags whose elements hold inline content (the rest group blocks).
INLINE = frozenset({"Span", "Link", "Reference", "Lbl", "Quote", "Note", "Code", "BibEntry"})


class TaggingError(RuntimeError):
    """Content was drawn in a way the structure tree cannot account for."""


# ----------------------------------------------------------------------------- markup


def open_tag(tag: str, **attrs) -> str:
    """Paragraph markup that opens inline element `tag` here (zero width).

    attrs: ``lang``, ``alt``, ``actual_text``, ``contents`` (a Link's annotation text),
    ``id``, ``ref`` (the ``id`` of the element this one refers to), ``title``.
    """
    return f'<ondraw name="{MARKER}" label="{html.escape(_label(tag, attrs))}"/>'


def open_tags(*tags: tuple[str, dict]) -> str:
    """One marker opening several nested inline elements (outermost first): fewer frags."""
    return f'<ondraw name="{MARKER}" label="{html.escape("".join(_label(t, a) for t, a in tags))}"/>'


def _label(tag: str, attrs: dict) -> str:
    return ";".join(["+" + tag] + [f"{k}={urllib.parse.quote(str(v), safe='')}" for k, v in sorted(attrs.items())])


def close_tag(count: int = 1) -> str:
    """Paragraph markup that closes the `count` innermost inline elements opened by `open_tag(s)`."""
    return f'<ondraw name="{MARKER}" label="-{count if count > 1 else ""}"/>'


def span(tag: str, markup: str, **attrs) -> str:
    return open_tag(tag, **attrs) + markup + close_tag()


def _parse_label(label: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for group in label[1:].split("+"):  # values are quoted: '+' only starts a tag
        head, *rest = group.split(";")
        attrs = {}
        for item in rest:
            k, _, v = item.partition("=")
            attrs[k] = urllib.parse.unquote(v)
        out.append((head, attrs))
    return out


# ----------------------------------------------------------------------------- tree


Elem = int  # a structure element is a handle: its index in the tree's columns

_UNPLACED = -1


class _Tag:
    __slots__ = ("tree", "tag", "attrs", "elem")

    def __init__(self, tree, tag, attrs):
        self.tree, self.tag, self.attrs = tree, tag, attrs

    def __enter__(self) -> Elem:
        self.elem = self.tree.begin(self.tag, **self.attrs)
        return self.elem

    def __exit__(self, *exc) -> None:
        self.tree.end(self.elem)


class _Ctx:
    __slots__ = ("tree", "ctx")

    def __init__(self, tree, ctx):
        self.tree, self.ctx = tree, ctx

    def __enter__(self) -> None:
        self.tree._ctx_enter(self.ctx)

    def __exit__(self, *exc) -> None:
        self.tree._ctx_exit()


class _MC:
    """An open marked-content sequence."""

    __slots__ = ("elem", "sink", "index", "page", "mcid", "depth", "item")

    def __init__(self, elem, sink, index, page, mcid, depth, item):
        self.elem, self.sink, self.index, self.page, self.mcid, self.depth, self.item = (
            elem, sink, index, page, mcid, depth, item)


class StructureTree:
    """The document's structure, filled while drawing; written by `finish`.

    Storage is columnar (element handles are ints; tag, attributes and parent are lists
    indexed by them; the content items of all elements one list of tuples of ints, in
    drawing order).  A tree of Python objects kept alive for the whole build made the
    garbage collector run full collections over the document's heap: on a link-dense
    50-page document that alone cost more than the tagging.  Tuples of ints are not
    tracked by the collector; the columns are a handful of lists.
    """

    ROOT: Elem = 0

    def __init__(self, *, lang: str, title: str = "", author: str = "", subject: str = "",
                 keywords: str = "", strict: bool = True, link_tags=None):
        """`link_tags(href)` -> the inline elements a paragraph link becomes, outermost first, as
        ``(tag, attrs)`` pairs ending with the Link (its ``contents`` is the annotation's /Contents);
        e.g. ``(("Reference", {}), ("Link", {"contents": "Note 3"}))`` for a note callout."""
        self.lang = lang
        self.title, self.author, self.subject, self.keywords = title, author, subject, keywords
        self.strict = strict
        self.link_tags = link_tags or (lambda href: (("Link", {}),))
        self._link_specs: dict[str, tuple] = {}
        self.canv: TaggedCanvas | None = None
        # columns, by element
        self._tag: list[str] = ["Document"]
        self._attrs: list[dict | None] = [None]
        self._parent: list[int] = [0]  # the root is its own parent; _UNPLACED until placed
        self._bbox: dict[Elem, tuple] = {}
        self._links: dict[Elem, dict] = {}  # a text block's links: ReportLab's (n, href) -> elements
        self._link_inner: dict[tuple, tuple] = {}  # spans open inside a link where its line ended
        self._suspended: dict[Elem, list[Elem]] = {}
        # content items in drawing order: (owner, 0, child, 0) | (owner, 1, page, mcid) |
        # (owner, 2, page, annotation index); None where a sequence was dropped
        self._items: list = []
        self._stack: list[Elem] = [0]
        self._ctx: list[tuple] = []  # canvas-level contexts: ("content", elem) / ("artifact", props)
        self._open: _MC | None = None  # the open canvas-level sequence
        self._tx = None  # the text object being built, if it is marked
        self._tx_base = 0
        self._tx_mc: _MC | None = None
        self._line_links: list[tuple] = []
        self._pages: dict[int, list[Elem]] = {}  # page -> owner of MCID 0, 1, 2...
        self._annots: list[tuple] = []  # (annotation, page, ref, owner, target)
        self.warnings: list[str] = []

    enabled = True

    @staticmethod
    def open_tag(tag: str, **attrs) -> str:
        return open_tag(tag, **attrs)

    @staticmethod
    def open_tags(*tags) -> str:
        return open_tags(*tags)

    @staticmethod
    def close_tag(count: int = 1) -> str:
        return close_tag(count)

    # ------------------------------------------------------------------ elements

    def element(self, tag: str, **attrs) -> Elem:
        """A new element, not yet in the tree (placed where first begun or `place`d)."""
        return self._new(tag, {k: v for k, v in attrs.items() if v is not None} or None)

    def _new(self, tag: str, attrs: dict | None) -> Elem:
        self._tag.append(tag)
        self._attrs.append(attrs)
        self._parent.append(_UNPLACED)
        return len(self._tag) - 1

    def is_placed(self, elem: Elem) -> bool:
        return self._parent[elem] != _UNPLACED

    def place(self, elem: Elem) -> Elem:
        """Put `elem` into the tree here (under the current element) if it is not there yet."""
        if self._parent[elem] == _UNPLACED:
            parent = self._stack[-1]
            self._parent[elem] = parent
            self._items.append((parent, 0, elem, 0))
        return elem

    def begin(self, tag: str | Elem, **attrs) -> Elem:
        if self._open is not None or self._tx is not None:
            raise TaggingError(f"begin({tag!r}) inside marked content: end the content/text first")
        elem = tag if isinstance(tag, int) else self.element(tag, **attrs)
        self.place(elem)
        self._stack.append(elem)
        return elem

    def end(self, elem: Elem | None = None) -> None:
        stack = self._stack
        if len(stack) < 2:
            raise TaggingError("end() without begin()")
        if elem is not None and stack[-1] != elem:
            raise TaggingError(f"end({self._tag[elem]}) but {self._tag[stack[-1]]} is open")
        if self._open is not None and self._open.elem == stack[-1]:
            raise TaggingError("end() while its content() is open")
        stack.pop()

    def tag(self, tag: str | Elem, **attrs) -> _Tag:
        """``with tree.tag("P"):`` / ``with tree.tag(elem):`` -- begin ... end."""
        return _Tag(self, tag, attrs)

    @property
    def current(self) -> Elem:
        return self._stack[-1]

    def tag_of(self, elem: Elem) -> str:
        return self._tag[elem]

    def set_bbox(self, canv, x: float, y: float, w: float, h: float, elem: Elem | None = None) -> None:
        """Record the page-space bounding box of a figure drawn at (x, y, w, h) in current user space."""
        elem = self.current if elem is None else elem
        pts = [canv.absolutePosition(px, py) for px in (x, x + w) for py in (y, y + h)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        self._bbox[elem] = (canv.getPageNumber(),
                            [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)])

    # ------------------------------------------------------------------ canvas-level content

    def content(self) -> _Ctx:
        """Everything drawn inside is one piece of content of the current element."""
        elem = self.current
        if elem == self.ROOT:
            raise TaggingError("content() needs an element: use tag(...)")
        return _Ctx(self, ("content", elem))

    def artifact(self, type: str | None = None, subtype: str | None = None) -> _Ctx:
        """Everything drawn inside is an artifact (``type`` e.g. "Pagination", subtype "Footer")."""
        props = None
        if type:
            props = f"<</Type /{type}" + (f" /Subtype /{subtype}" if subtype else "") + ">>"
        return _Ctx(self, ("artifact", props))

    def _ctx_enter(self, ctx) -> None:
        if self._tx is not None:
            raise TaggingError("content()/artifact() while a text object is being built")
        self._close_canvas()
        self._ctx.append(ctx)
        self._open_canvas()

    def _ctx_exit(self) -> None:
        self._close_canvas()
        self._ctx.pop()
        if self._ctx:
            self._open_canvas()

    def _open_canvas(self) -> None:
        canv = self.canv
        kind, what = self._ctx[-1]
        code = canv._code
        if kind == "artifact":
            code.append("/Artifact BMC" if what is None else f"/Artifact {what} BDC")
            self._open = _MC(None, code, len(code) - 1, canv._pageNumber, None, len(canv.state_stack), None)
        else:
            self._open = self._open_mc(what, code)

    def _close_canvas(self) -> None:
        mc = self._open
        if mc is None:
            return
        self._open = None
        canv = self.canv
        if mc.sink is not canv._code or mc.page != canv._pageNumber:
            raise TaggingError("marked content left open across a page break")
        if len(canv.state_stack) != mc.depth:
            raise TaggingError("marked content and saveState/restoreState do not nest")
        if len(mc.sink) == mc.index + 1:  # nothing drawn: drop the sequence
            self._drop_mc(mc)
        else:
            mc.sink.append("EMC")

    # ------------------------------------------------------------------ sequences

    def _open_mc(self, elem: Elem, sink: list, at: int | None = None) -> _MC:
        page = self.canv._pageNumber
        owners = self._pages.get(page)
        if owners is None:
            owners = self._pages[page] = []
        mcid = len(owners)
        owners.append(elem)
        self._items.append((elem, 1, page, mcid))
        bdc = f"/{self._tag[elem]} <</MCID {mcid}>> BDC"
        if at is None:
            sink.append(bdc)
            at = len(sink) - 1
        else:
            sink.insert(at, bdc)
        return _MC(elem, sink, at, page, mcid, len(self.canv.state_stack), len(self._items) - 1)

    def _drop_mc(self, mc: _MC) -> None:
        del mc.sink[mc.index]
        if mc.elem is not None:  # give the MCID back: it is the page's last one
            owners = self._pages[mc.page]
            assert len(owners) == mc.mcid + 1 and owners[-1] == mc.elem
            owners.pop()
            self._items[mc.item] = None

    # ------------------------------------------------------------------ text objects (called by the canvas)

    def _tx_begin(self, tx) -> None:
        if self._ctx:  # inside canvas-level content or an artifact: already marked
            return
        if self._tx is not None:
            raise TaggingError("nested text objects")
        top = self._stack[-1]
        if top == self.ROOT:
            if self.strict:
                raise TaggingError("text drawn outside any structure element or artifact")
            self.warnings.append("text drawn outside any element: marked as an artifact")
            tx._code.append("/Artifact BMC")
            tx._tag_artifact = True
            return
        self._tx = tx
        self._tx_base = len(self._stack)
        if top in self._suspended:
            self._stack.extend(self._suspended.pop(top))
        tx._linkRecord = self._link_record
        self._tx_mc = self._open_mc(self._stack[-1], tx._code)

    def _tx_end(self, tx) -> None:
        if getattr(tx, "_tag_artifact", False):
            tx._code.append("EMC")
            return
        if tx is not self._tx:
            return
        self._tx_close()
        base = self._tx_base
        if len(self._stack) > base:  # marker spans broken by the end of the text (page break)
            self._suspended[self._stack[base - 1]] = self._stack[base:]
            del self._stack[base:]
        self._tx = None
        self._line_links = []

    def _tx_close(self, at: int | None = None) -> int:
        """Close the text object's open sequence before entry `at` (default: at the end).

        A sequence that showed no text is removed instead.  Returns the position where
        the next sequence should open.
        """
        mc = self._tx_mc
        self._tx_mc = None
        code = self._tx._code
        end = len(code) if at is None else at
        if mc is None:
            return end
        for i in range(mc.index + 1, end):
            if "Tj" in code[i] or "TJ" in code[i]:  # some text was shown
                code.insert(end, "EMC")
                return end + 1
        mc.sink = code
        self._drop_mc(mc)
        return end - 1

    def _inline_open(self, elems, at: int | None = None) -> None:
        """Open the chain `elems` (each inside the previous) here; place those not placed yet."""
        pos = self._tx_close(at)
        parent = self._stack[-1]
        parents, items = self._parent, self._items
        for elem in elems:
            if parents[elem] == _UNPLACED:
                parents[elem] = parent
                items.append((parent, 0, elem, 0))
            parent = elem
        self._stack.extend(elems)
        self._tx_mc = self._open_mc(elems[-1], self._tx._code, None if at is None else pos)

    def _inline_close(self, count: int) -> None:
        self._tx_close()
        del self._stack[-count:]
        self._tx_mc = self._open_mc(self._stack[-1], self._tx._code)

    def _marker(self, label: str) -> None:
        """An <ondraw> marker (open_tag/close_tag) was reached inside a paragraph line."""
        if self._tx is None:
            return  # the paragraph is inside canvas-level content: one piece, no inline elements
        if label[:1] == "-":
            count = int(label[1:] or 1)
            if len(self._stack) - count < self._tx_base:
                raise TaggingError("close_tag() without open_tag() in the same element")
            self._inline_close(count)
        else:
            self._inline_open([self.element(tag, **attrs) for tag, attrs in _parse_label(label)])

    def _link_record(self, key, what) -> None:
        """ReportLab's hook in Paragraph line drawing: link `key` = (n, href) starts or ends here.

        "start" comes right after the text of the link's first fragment on a line was added,
        so the sequence switch goes in before that last entry; "end" comes before anything
        of the following text.  A link continued on the next line (or page) is the same key
        in the same paragraph, so its elements are found again and get another sequence.

        A marker span inside the link (an Arabic run in link text) may still be open when
        the link's line ends: a zero-width marker after a space goes with the line before.
        The span is closed with the link and reopened inside it where the link resumes.
        """
        if self._tx is None:
            return
        block = self._stack[self._tx_base - 1]
        if what == "start":
            links = self._links.get(block)
            if links is None:
                links = self._links[block] = {}
            elems = links.get(key)
            if elems is None:
                href = key[1] if isinstance(key, tuple) else key
                spec = self._link_specs.get(href)
                if spec is None:  # attrs dicts are shared by all links to the same href
                    spec = self._link_specs[href] = tuple((t, a or None) for t, a in self.link_tags(href))
                elems = links[key] = tuple(self._new(t, a) for t, a in spec)
            inner = self._link_inner.pop((block, key), ())
            self._inline_open(elems + inner, at=len(self._tx._code) - 1)
            self._line_links.append((key, elems[-1]))
        else:
            links = self._links.get(block)
            elems = links.get(key) if links else None
            stack = self._stack
            if not elems or elems[-1] not in stack[self._tx_base:]:
                return
            at = len(stack) - 1 - stack[::-1].index(elems[0])
            inner = tuple(stack[at + len(elems):])
            if inner:
                self._link_inner[block, key] = inner
            self._inline_close(len(stack) - at)

    # ------------------------------------------------------------------ annotations (called by the canvas)

    def _annotation(self, annotation, ref, target) -> None:
        owner = None
        if self._tx is not None and target is not None:
            href = target[1] if target[0] == "uri" else None
            dest = target[1] if target[0] == "dest" else None
            for i, (key, elem) in enumerate(self._line_links):
                h = key[1] if isinstance(key, tuple) else key
                if h == href or (dest is not None and h in ("#" + dest, "document:" + dest)):
                    owner = elem
                    del self._line_links[i]
                    break
        if owner is None:
            for elem in reversed(self._stack):
                if self._tag[elem] == "Link":
                    owner = elem
                    break
        if owner is None:
            if self.strict:
                raise TaggingError(f"link annotation {target!r} outside a Link element")
            owner = self.place(self.element("Link"))
        page = self.canv._pageNumber
        self._items.append((owner, 2, page, len(self._annots)))
        self._annots.append((annotation, page, ref, owner, target))

    # ------------------------------------------------------------------ output

    def canvasmaker(self, **extra):
        """A `canvasmaker` for DocTemplate.build: a TaggedCanvas bound to this tree."""

        def make(*args, **kw):
            kw.update(extra)
            kw.setdefault("pdfVersion", (1, 7))
            return TaggedCanvas(*args, tree=self, **kw)

        return make

    def finish(self, canv) -> None:
        """Write the structure: see `_finish`.

        The garbage collector is held off meanwhile: `_finish` makes a few objects per
        element in one go, which otherwise sets off full collections over the whole heap of
        the document being written (two thirds of its time on a 50-page document).
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._finish(canv)
        finally:
            if enabled:
                gc.enable()

    def _finish(self, canv) -> None:
        """Write StructTreeRoot, ParentTree, IDTree, MarkInfo, Lang, XMP, page/annotation keys.

        The structure elements and the ParentTree are serialised here, directly to PDF
        syntax (`_Raw`): every object they refer to (pages, annotations, each other) has its
        number once registered, and ReportLab's generic formatter would cost more than the
        rest of the tagging together.
        """
        if len(self._stack) != 1 or self._ctx or self._tx is not None:
            raise TaggingError(f"unclosed structure at save: {[self._tag[e] for e in self._stack[1:]]}")
        doc = canv._doc
        if doc.encrypt.info():
            raise TaggingError("the structure is written as plain PDF syntax: it cannot be encrypted")
        pages = doc.Pages.pages
        numbers = doc.idToObjectNumberAndVersion
        tags, attrs_of = self._tag, self._attrs

        def r(name: str) -> str:
            return "%d %d R" % numbers[name]

        page_ref = {i: r("Page%d" % i) for i in range(1, len(pages) + 1)}

        # kids of every element, in drawing order
        kids: dict[Elem, list] = {}
        for item in self._items:
            if item is not None:
                owner = item[0]
                k = kids.get(owner)
                if k is None:
                    kids[owner] = [item]
                else:
                    k.append(item)

        # keep the elements holding some content (depth first, in reading order)
        keep: dict[Elem, bool] = {}

        def holds(e: Elem) -> bool:
            found = False
            for item in kids.get(e, ()):
                if item[1] == 0:
                    found = holds(item[2]) or found
                else:
                    found = True
            keep[e] = found
            return found

        holds(self.ROOT)
        order: list[Elem] = []
        todo = [self.ROOT]
        while todo:
            e = todo.pop()
            order.append(e)
            todo.extend(it[2] for it in reversed(kids.get(e, ())) if it[1] == 0 and keep[it[2]])

        raws = {e: _Raw() for e in order}
        refs = {e: r(doc.Reference(raw).name) for e, raw in raws.items()}
        root_raw = _Raw()
        root_ref = r(doc.Reference(root_raw).name)
        npages = len(pages)
        annot_ref = [r(a[2].name) for a in self._annots]
        ids: dict[str, str] = {}
        for e in order:
            a = attrs_of[e]
            if a and "id" in a:
                if a["id"] in ids:
                    raise TaggingError(f"duplicate structure element ID {a['id']!r}")
                ids[a["id"]] = refs[e]

        for e in order:
            items = [it for it in kids.get(e, ()) if it[1] != 0 or keep[it[2]]]
            first_page = next((it[2] for it in items if it[1] != 0), None)
            parts = ["<</Type /StructElem /S /%s /P %s" % (tags[e], root_ref if e == self.ROOT else refs[self._parent[e]])]
            if first_page is not None:
                parts.append(" /Pg " + page_ref[first_page])
            out = []
            for it in items:
                kind = it[1]
                if kind == 0:
                    out.append(refs[it[2]])
                elif kind == 1:
                    out.append(str(it[3]) if it[2] == first_page else
                               "<</Type /MCR /Pg %s /MCID %d>>" % (page_ref[it[2]], it[3]))
                else:
                    out.append("<</Type /OBJR /Pg %s /Obj %s>>" % (page_ref[it[2]], annot_ref[it[3]]))
            parts.append(" /K " + (out[0] if len(out) == 1 else "[" + " ".join(out) + "]"))
            a = attrs_of[e] or _NO_ATTRS
            for key, pdf in _STRING_ATTRS:
                if key in a:
                    parts.append(f" /{pdf} {_pdf_string(str(a[key]))}")
            if "ref" in a and a["ref"] in ids:
                parts.append(" /Ref [%s]" % ids[a["ref"]])
            bbox = self._bbox.get(e)
            if bbox is not None or "placement" in a:
                parts.append(" /A <</O /Layout")
                if bbox is not None:
                    parts.append(" /BBox [%s]" % " ".join(fp_str(v) for v in bbox[1]))
                if "placement" in a:
                    parts.append(" /Placement /" + a["placement"])
                parts.append(">>")
            elif "numbering" in a:
                parts.append(" /A <</O /List /ListNumbering /%s>>" % a["numbering"])
            parts.append(">>")
            raws[e].data = "".join(parts).encode("latin-1")

        nums = []
        for page in sorted(self._pages):
            owners = self._pages[page]
            if owners:
                nums.append("%d [%s]" % (page - 1, " ".join(refs[o] for o in owners)))
        for i, a in enumerate(self._annots):
            nums.append("%d %s" % (npages + i, refs[a[3]]))
        parent_tree = _Raw("<</Nums [\n" + "\n".join(nums) + "\n]>>")
        root_parts = ["<</Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d"
                      % (refs[self.ROOT], r(doc.Reference(parent_tree).name), npages + len(self._annots))]
        if ids:
            root_parts.append(" /IDTree <</Names [")
            for key in sorted(ids):  # ASCII ids: string order is byte order
                root_parts.append("%s %s " % (_pdf_string(key), ids[key]))
            root_parts.append("]>>")
        root_parts.append(">>")
        root_raw.data = "".join(root_parts).encode("latin-1")

        # pages: key into the ParentTree, tab order follows the structure
        for i, page in enumerate(pages, 1):
            extra = [k for k in ("StructParents", "Tabs") if k not in page.__NoDefault__]
            if extra:
                page.__NoDefault__ = list(page.__NoDefault__) + extra
            if self._pages.get(i):
                page.StructParents = i - 1
            page.Tabs = PDFName("S")

        # annotations: key and a description of the destination
        for i, (ann, _, _, owner, target) in enumerate(self._annots):
            a = attrs_of[owner]
            text = (a or {}).get("contents") or _describe(target)
            if isinstance(ann, PDFDictionary):
                ann["StructParent"] = npages + i
                ann["Contents"] = PDFString(text)
            else:  # pdfdoc.LinkAnnotation
                ann.permitted = tuple(ann.permitted) + ("StructParent",)
                ann.otherkw["StructParent"] = npages + i
                ann.Contents = text

        cat = doc.Catalog
        cat.StructTreeRoot = root_raw
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
        if not getattr(cat, "Lang", None):
            cat.Lang = PDFString(self.lang)
        canv.setViewerPreference("DisplayDocTitle", "true")
        cat.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                 content=self._xmp(doc).encode("utf-8"), filters=[])

    def _xmp(self, doc) -> str:
        info = doc.info
        title = self.title or info.title
        author = self.author or info.author
        subject = self.subject or info.subject
        keywords = self.keywords or info.keywords
        ts = doc._timeStamp
        y, mo, d, h, mi, s = ts.YMDhms
        tz = "Z" if not (ts.dhh or ts.dmm) else f"{ts.dhh:+03d}:{abs(ts.dmm):02d}"
        date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{tz}"
        e = html.escape
        lang = e(self.lang)
        return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq>{''.join(f'<rdf:li>{e(a.strip())}</rdf:li>' for a in author.split(',') if a.strip())}</rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(keywords)}</pdf:Keywords>
   <pdf:Producer>{e(info.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


class _Raw(PDFObject):
    """An object already in PDF syntax (ASCII: strings are written by `_pdf_string`)."""

    __RefOnly__ = 1

    def __init__(self, text: str = ""):
        self.data = text.encode("latin-1")

    def format(self, document):
        return self.data


_NO_ATTRS: dict = {}
_STRING_ATTRS = (("alt", "Alt"), ("actual_text", "ActualText"), ("lang", "Lang"), ("id", "ID"), ("title", "T"),
                 ("expansion", "E"))


def _pdf_string(text: str) -> str:
    """A PDF text string in ASCII syntax: literal if printable ASCII, else UTF-16BE in hex."""
    if text.isascii() and text.isprintable():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<feff" + text.encode("utf-16-be").hex() + ">"


def _describe(target) -> str:
    if target is None:
        return "Link"
    if target[0] == "uri":
        return f"Link to {target[1]}"
    return f"Go to {target[1]}"


class NullTree:
    """StructureTree's interface doing nothing: the untagged build (and the timing baseline)."""

    enabled = False
    warnings: list[str] = []

    def element(self, tag, **attrs):
        return None

    def place(self, elem):
        return elem

    def is_placed(self, elem):
        return False

    def tag(self, tag, **attrs):
        return contextlib.nullcontext()

    def content(self):
        return contextlib.nullcontext()

    def artifact(self, type=None, subtype=None):
        return contextlib.nullcontext()

    def set_bbox(self, *args, **kw):
        pass

    @staticmethod
    def open_tag(tag, **attrs):
        return ""

    @staticmethod
    def open_tags(*tags):
        return ""

    @staticmethod
    def close_tag(count=1):
        return ""

    def canvasmaker(self, **extra):
        def make(*args, **kw):
            kw.update(extra)
            return Canvas(*args, **kw)

        return make


# ----------------------------------------------------------------------------- canvas


class TaggedCanvas(Canvas):
    """A Canvas that reports text objects and annotations to its StructureTree."""

    def __init__(self, *args, tree: StructureTree, **kw):
        super().__init__(*args, **kw)
        self._tag_tree = tree
        self._tag_target = None
        tree.canv = self
        self.setNamedCB(MARKER, self._tag_marker)

    def _tag_marker(self, canv, kind, label):
        self._tag_tree._marker(label or "")

    def beginText(self, x=0, y=0, direction=None):
        tx = super().beginText(x, y, direction=direction)
        self._tag_tree._tx_begin(tx)
        return tx

    def drawText(self, aTextObject):
        self._tag_tree._tx_end(aTextObject)
        super().drawText(aTextObject)

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        self._tag_target = ("uri", url)
        try:
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        finally:
            self._tag_target = None

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        self._tag_target = ("dest", destinationname)
        try:
            return super().linkRect(contents, destinationname, Rect, addtopage, name, relative,
                                    thickness, color, dashArray, **kw)
        finally:
            self._tag_target = None

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        super()._addAnnotation(annotation, name, addtopage)
        if addtopage:
            self._tag_tree._annotation(annotation, self._annotationrefs[-1], self._tag_target)

    def _tag_finish(self):
        if len(self._code):
            self.showPage()
        self._tag_tree.finish(self)

    def save(self):
        self._tag_finish()
        super().save()

    def getpdfdata(self):
        self._tag_finish()
        return super().getpdfdata()


# ----------------------------------------------------------------------------- the backgrounder


def tree_for(doc) -> StructureTree | NullTree:
    """The structure tree of a render of `doc` (a NullTree when `ENABLED` is off)."""
    if not ENABLED:
        return NullTree()
    m = doc.meta
    return StructureTree(lang=m.language, title=m.title, author=", ".join(m.authors), subject=m.subject,
                         keywords=", ".join(m.keywords), link_tags=link_tags(link_texts(doc)))


def foreign(drawn: str, logical: str, lang: str) -> str:
    """Paragraph markup `drawn` (text in language `lang`) as a Span with ``/Lang`` and ``/ActualText``.

    `logical` is the text as written: what is drawn may be shaped and reordered (Arabic), so
    extraction reads the ActualText instead of the glyphs.
    """
    if not ENABLED:
        return drawn
    return open_tag("Span", lang=lang, actual_text=logical) + drawn + close_tag()


def link_texts(doc) -> dict[str, str]:
    """Each URL's link text in the content (its first one), for the annotations' /Contents."""
    from ...model import FigureBlock, Link, NoteRef, Paragraph, PullQuote, Text, plain_text

    out: dict[str, str] = {}

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Link):
                out.setdefault(node.href, plain_text(node.children).strip())
            if not isinstance(node, (Text, NoteRef)):
                walk(node.children)

    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, PullQuote)):
                walk(block.text)
            elif isinstance(block, FigureBlock):
                walk(block.figure.caption)
                walk(block.figure.credit)
    walk(doc.meta.credit)
    for note in doc.notes:
        walk(note.text)
    return out


def link_tags(texts: dict[str, str]):
    """What a paragraph link becomes in the structure (see StructureTree's `link_tags`).

    ``#note-N`` (a callout): Reference (``/Ref`` to Note ``note-N``) > Link "Note N";
    ``#ref-N`` (a note's number): Link back to the text; a URL: Link "its text (link to URL)".
    """

    def tags(href: str):
        if href.startswith("#note-"):
            n = href[6:]
            return (("Reference", {"ref": f"note-{n}"}), ("Link", {"contents": f"Note {n}"}))
        if href.startswith("#ref-"):
            return (("Link", {"contents": f"Back to the text citing note {href[5:]}"}),)
        text = texts.get(href, "")
        if text and text != href:
            return (("Link", {"contents": f"{text} (link to {href})"}),)
        return (("Link", {"contents": f"Link to {href}"}),)

    return tags
