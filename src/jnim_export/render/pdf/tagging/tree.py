"""StructureTree: the structure elements and their marked content, recorded while the pages are drawn.

How the marked content is emitted, and why, is told in the package docstring (`tagging`);
the tree is written into the file at save by `serialise`.
"""

from __future__ import annotations

import gc
from typing import Callable, Sequence

from .. import rl
from .canvas import TaggedCanvas
from .errors import TaggingError
from .markers import close_tag, open_tag, open_tags, parse_label
from .serialise import write_structure

Elem = int  # a structure element is a handle: its index in the tree's columns

_UNPLACED = -1

#: Tags whose elements hold inline content (the rest group blocks).
INLINE = frozenset({"Span", "Link", "Reference", "Lbl", "Quote", "Note", "Code", "BibEntry"})


class _Tag:
    """``with tree.tag(...)``: begins the element on entry, ends it on exit."""

    __slots__ = ("tree", "tag", "attrs", "elem")

    def __init__(self, tree, tag, attrs):
        self.tree, self.tag, self.attrs = tree, tag, attrs

    def __enter__(self) -> Elem:
        self.elem = self.tree.begin(self.tag, **self.attrs)
        return self.elem

    def __exit__(self, *exc) -> None:
        self.tree.end(self.elem)


class _Ctx:
    """``with tree.content()`` / ``with tree.artifact()``: a canvas-level context."""

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

    def __init__(self, *, lang: str, strict: bool = True,
                 link_tags: Callable[[str], Sequence[tuple[str, dict]]] | None = None):
        """`link_tags(href)` -> the inline elements a paragraph link becomes, outermost first, as
        ``(tag, attrs)`` pairs ending with the Link (its ``contents`` is the annotation's /Contents);
        e.g. ``(("Reference", {}), ("Link", {"contents": "Note 3"}))`` for a note callout."""
        self.lang = lang
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
        self._tx_artifact = None  # the text object being built, if it is an artifact
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
        code = rl.page_code(canv)
        if kind == "artifact":
            code.append("/Artifact BMC" if what is None else f"/Artifact {what} BDC")
            self._open = _MC(None, code, len(code) - 1, rl.page_number(canv), None, rl.graphics_depth(canv), None)
        else:
            self._open = self._open_mc(what, code)

    def _close_canvas(self) -> None:
        mc = self._open
        if mc is None:
            return
        self._open = None
        canv = self.canv
        if mc.sink is not rl.page_code(canv) or mc.page != rl.page_number(canv):
            raise TaggingError("marked content left open across a page break")
        if rl.graphics_depth(canv) != mc.depth:
            raise TaggingError("marked content and saveState/restoreState do not nest")
        if len(mc.sink) == mc.index + 1:  # nothing drawn: drop the sequence
            self._drop_mc(mc)
        else:
            mc.sink.append("EMC")

    # ------------------------------------------------------------------ sequences

    def _open_mc(self, elem: Elem, sink: list, at: int | None = None) -> _MC:
        page = rl.page_number(self.canv)
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
        return _MC(elem, sink, at, page, mcid, rl.graphics_depth(self.canv), len(self._items) - 1)

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
            rl.text_code(tx).append("/Artifact BMC")
            self._tx_artifact = tx
            return
        self._tx = tx
        self._tx_base = len(self._stack)
        if top in self._suspended:
            self._stack.extend(self._suspended.pop(top))
        rl.on_links(tx, self._link_record)
        self._tx_mc = self._open_mc(self._stack[-1], rl.text_code(tx))

    def _tx_end(self, tx) -> None:
        if tx is self._tx_artifact:
            rl.text_code(tx).append("EMC")
            self._tx_artifact = None
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
        code = rl.text_code(self._tx)
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
        self._tx_mc = self._open_mc(elems[-1], rl.text_code(self._tx), None if at is None else pos)

    def _inline_close(self, count: int) -> None:
        self._tx_close()
        del self._stack[-count:]
        self._tx_mc = self._open_mc(self._stack[-1], rl.text_code(self._tx))

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
            self._inline_open([self.element(tag, **attrs) for tag, attrs in parse_label(label)])

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
            self._inline_open(elems + inner, at=len(rl.text_code(self._tx)) - 1)
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
        page = rl.page_number(self.canv)
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
        """Write the structure into the file being saved: see `serialise.write_structure`.

        The garbage collector is held off meanwhile: writing makes a few objects per
        element in one go, which otherwise sets off full collections over the whole heap of
        the document being written (two thirds of its time on a 50-page document).
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            write_structure(self, canv)
        finally:
            if enabled:
                gc.enable()
