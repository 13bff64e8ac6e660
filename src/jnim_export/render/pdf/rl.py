"""Every use of ReportLab's internals, in one place.

The PDF writer reaches below ReportLab's API where the API has no door: the page's and a
text object's operator lists (marked content), Paragraph's link hook, the annotations a
canvas adds, the page and catalog dictionaries written at save, platypus's frame state,
and module globals swapped for the build (URL breaking, the spaces lines break at, the
ToUnicode maps, the stream syntax).  All of it is here, so that a ReportLab upgrade breaks
this file only; ``pyproject.toml`` keeps ReportLab below its next major version for the same
reason.
Written against ReportLab 5.1; ``tests/test_architecture.py`` finds any internal used elsewhere.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import paragraph as _rl_paragraph

rl_paragraph: Any = _rl_paragraph  # the line-breaking globals swapped below are not in its stubs

# --------------------------------------------------------------------------- the canvas


def page_code(canv) -> list[str]:
    """The operators of the page being drawn (a list the canvas appends to)."""
    return canv._code


def page_number(canv) -> int:
    return canv._pageNumber


def graphics_depth(canv) -> int:
    """How many saveState()s are open."""
    return len(canv.state_stack)


def text_code(tx) -> list[str]:
    """The operators of a text object being built (written at drawText, inside BT ... ET)."""
    return tx._code


def on_links(tx, hook: Callable[[object, str], None]) -> None:
    """Have Paragraph's line drawing call `hook((n, href), "start" | "end")` at each link of `tx`."""
    tx._linkRecord = hook


def set_time_stamp(canv, stamp) -> None:
    """The creation and modification date the document writes (see `pages.stamp_for`)."""
    canv._doc._timeStamp = stamp


def time_stamp(document):
    return document._timeStamp


class Canvas(rl_canvas.Canvas):
    """A canvas that keeps the annotations it puts on pages and runs `before_save` once at save.

    `finish(canvas)`, if given, is called by `before_save`: the last page is finished then,
    nothing is formatted yet.  Subclasses may override `annotation_added(annotation, ref)`.
    """

    # the internals used here, which ReportLab's stubs leave out
    _code: list[str]  # the page's operators
    _annotationrefs: list

    def __init__(self, *args, finish: Callable[[Canvas], None] | None = None, **kw):
        super().__init__(*args, **kw)
        self.annotations: list = []
        self._finish_hook = finish
        self._saving = False

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]  # not in the stubs
        if addtopage:
            self.annotations.append(annotation)
            self.annotation_added(annotation, self._annotationrefs[-1])

    def annotation_added(self, annotation, ref) -> None:
        pass

    def before_save(self) -> None:
        if self._finish_hook is not None:
            self._finish_hook(self)

    def _finish(self) -> None:
        if self._saving:
            return
        self._saving = True
        if len(self._code):
            self.showPage()
        self.before_save()

    def save(self):
        self._finish()
        super().save()

    def getpdfdata(self):
        self._finish()
        return super().getpdfdata()


# --------------------------------------------------------------------------- the document's objects


def document(canv):
    """The canvas's PDFDocument (objects are registered with its public ``Reference``)."""
    return canv._doc


def pages(document) -> list:
    """The PDFPage objects, in order."""
    return document.Pages.pages


def reference(document, name: str) -> str:
    """The ``n 0 R`` of an object registered under `name`."""
    return "%d %d R" % document.idToObjectNumberAndVersion[name]


def set_key(obj, key: str, value) -> None:
    """Write ``/key value`` into a page, the catalog or an annotation, whichever class it is."""
    if isinstance(obj, pdfdoc.PDFDictionary):
        obj[key] = value
    elif isinstance(obj, pdfdoc.Annotation):
        if key not in obj.permitted:
            obj.permitted = tuple(obj.permitted) + (key,)
        if key in ("Contents", "Rect"):
            setattr(obj, key, value)
        else:
            obj.otherkw[key] = value  # type: ignore[attr-defined]  # not in the stubs
    else:  # PDFCatalog, PDFPage: attributes named in __NoDefault__ are written
        if key not in obj.__NoDefault__:
            obj.__NoDefault__ = list(obj.__NoDefault__) + [key]
        setattr(obj, key, value)


# --------------------------------------------------------------------------- platypus


def frame_at_top(frame) -> bool:
    """Whether nothing has been set in `frame` yet."""
    return bool(getattr(frame, "_atTop", False))


def frame_inner_left(frame) -> float:
    return frame._x1 + frame._leftPadding


def frame_bottom(frame) -> float:
    return frame._y1


def frame_height(frame) -> float:
    return frame._height


def frame_room(frame) -> float:
    """The height left in the frame from its current position down to its cursor's floor."""
    return frame._y - frame._y1p


def frame_cursor(frame) -> float:
    """The lowest y the next flowable may reach (the frame's bottom above its padding)."""
    return frame._y1p


def moved_once(flowable) -> bool:
    """Whether platypus already moved `flowable` to a new frame because it did not fit."""
    return bool(getattr(flowable, "_postponed", False))


def forget_move(flowable) -> None:
    if hasattr(flowable, "_postponed"):
        del flowable._postponed


def begin_page_first(template, flowables: list) -> None:
    """If platypus ended the page while flowables set from the page's top still wait in
    `flowables` (one put back there because it did not fit), begin the next page before them:
    platypus queued its start behind them, and would set them with no frame."""
    from reportlab.platypus.doctemplate import PageBegin

    if getattr(template, "frame", None) is None and PageBegin in flowables[1:]:
        flowables.remove(PageBegin)
        flowables.insert(0, PageBegin)


def hang(template, flowables: list) -> None:
    """Set `flowables` first in the frame just begun."""
    template._hanging.extend(flowables)


def set_line_widths(para, widths: list[float]) -> None:
    """Paragraph's own per-line widths, read by its split and draw."""
    para._wrapWidths = widths


@contextmanager
def url_breaks(split_pairs: Callable[[str], list | None]) -> Iterator[None]:
    """Let Paragraph break URLs by `split_pairs`, also URLs written <like this>.

    Paragraph splits a long URI only at its slashes (style.uriWasteReduce), and recognises it
    only when no '<' precedes it / no '>' follows it. The patterns and the splitter are module
    globals read at line-breaking time: swapped for the build only.
    """
    pfx, sfx, split = rl_paragraph._hy_pfx_pat, rl_paragraph._hy_sfx_pat, rl_paragraph._uri_split_pairs
    try:
        if pfx.pattern.startswith("^[") and sfx.pattern.startswith("[]"):
            rl_paragraph._hy_pfx_pat = re.compile("^[<" + pfx.pattern[2:])
            rl_paragraph._hy_sfx_pat = re.compile("[]>" + sfx.pattern[2:])
        rl_paragraph._uri_split_pairs = split_pairs
        yield
    finally:
        rl_paragraph._hy_pfx_pat, rl_paragraph._hy_sfx_pat, rl_paragraph._uri_split_pairs = pfx, sfx, split


NARROW_NO_BREAK = "\u202f"


@contextmanager
def narrow_spaces_kept() -> Iterator[None]:
    """Let Paragraph keep U+202F NARROW NO-BREAK SPACE inside a word, as it keeps U+00A0.

    ReportLab counts U+202F among the spaces it breaks lines at, and sets each as a word space:
    the thin space between two quotation marks (`jnim_export.quotes`) would print as a full
    space, and a line could break there. Its word splitting and stripping read the module's
    space characters and splitters at line-breaking time: swapped for the build only.
    """
    names = ("_wsc", "_wsc_re_split", "_wsc_end_search", "split")
    saved = {name: getattr(rl_paragraph, name) for name in names}
    spaces = saved["_wsc"].replace(NARROW_NO_BREAK, "")
    breaking = re.compile("[%s]+" % re.escape(spaces)).split
    words = saved["split"]

    def split(text, delim=None):
        # as ReportLab splits a text holding U+00A0: at the spaces that break, and only there
        if delim is None and isinstance(text, str) and NARROW_NO_BREAK in text:
            return breaking(text)
        return words(text, delim)

    try:
        rl_paragraph._wsc, rl_paragraph._wsc_re_split = spaces, breaking
        rl_paragraph._wsc_end_search = re.compile("[%s]+$" % re.escape(spaces)).search
        rl_paragraph.split = split
        yield
    finally:
        for name, value in saved.items():
            setattr(rl_paragraph, name, value)


# --------------------------------------------------------------------------- what the file says


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A subset's ToUnicode CMap listing only the codes that stand for a character.

    ReportLab fills the codes of a subset it has not used (and code 0, its .notdef) with
    U+0000, which PDF/UA-1 and PDF/A-2 forbid: such codes are never shown, so they are left
    out.  At most 100 entries per ``beginbfchar``, as the CMap format says.
    """
    pairs = ["<%02X> <%04X>" % (i, v) for i, v in enumerate(subset) if v]
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
            "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1), "endcodespacerange"]
    body = []
    for at in range(0, len(pairs), 100):
        chunk = pairs[at:at + 100]
        body += ["%d beginbfchar" % len(chunk), *chunk, "endbfchar"]
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


def _format_stream(self, document) -> bytes:
    """PDFStream.format with an exact /Length, an end-of-line before ``endstream``, no empty /Filter."""
    dictionary = pdfdoc.PDFDictionary(self.dictionary.dict.copy())
    content = self.content
    if content is None:
        raise ValueError("stream content not set")
    filters = document.defaultStreamFilters if self.filters is None else self.filters
    if filters and "Filter" not in dictionary.dict:
        for f in reversed(filters):
            content = f.encode(content)
        dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(f.pdfname) for f in filters])
    data = pdfdoc.format(document.encrypt.encode(content), document)
    dictionary["Length"] = len(data)
    # data ending in CR followed by LF would read as a CRLF end of line, one byte short of /Length
    eol = b"\r\n" if data.endswith(b"\r") else b"\n"
    return pdfdoc.format(dictionary, document) + b"\nstream\n" + data + eol + b"endstream\n"


@contextmanager
def exact_output() -> Iterator[None]:
    """ToUnicode maps without U+0000 and exact streams, for the files written inside."""
    cmap, stream = ttfonts.makeToUnicodeCMap, pdfdoc.PDFStream.format
    # the stream's format method is replaced on its class on purpose (hence the ignores)
    ttfonts.makeToUnicodeCMap, pdfdoc.PDFStream.format = _to_unicode_cmap, _format_stream  # type: ignore[method-assign]
    try:
        yield
    finally:
        ttfonts.makeToUnicodeCMap, pdfdoc.PDFStream.format = cmap, stream  # type: ignore[method-assign]


# --------------------------------------------------------------------------- faces kept parsed


def face_state(font: ttfonts.TTFont) -> dict:
    """What parsing its TrueType file left on a face, as plain data `marshal` writes (for
    `kept_font`): all but the file's bytes and the scaling function, which are made again."""
    state: dict[str, Any] = {}
    names = []
    for key, value in vars(font.face).items():
        if key in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(value, ttfonts.TTFNameBytes):
            names.append(key)
            value = bytes(value)
        state[key] = value
    state["_names"] = names
    return state


def kept_font(name: str, filename: str, state: dict, data: bytes) -> ttfonts.TTFont:
    """The font `TTFont(name, filename)` makes, its face filled from `face_state` (of that file)
    instead of parsing the file again; `data` is the file's bytes, which subsetting reads."""
    parse = ttfonts.TTFontFace

    def face(filename, validate=0, subfontIndex=0):
        made = parse.__new__(parse)
        made.__dict__.update({k: ttfonts.TTFNameBytes(v) if k in state["_names"] else v
                              for k, v in state.items() if k != "_names"})
        scale = 1000 / state["unitsPerEm"]
        made.__dict__.update(_ttf_data=data,  # as parsing leaves them: the file's bytes, the scale to PDF units
                             _pdfScale=(lambda x: x) if state["unitsPerEm"] == 1000 else (lambda x: x * scale))
        return made

    ttfonts.TTFontFace = face  # type: ignore[misc,assignment]  # what TTFont makes its face with
    try:
        return ttfonts.TTFont(name, filename)
    finally:
        ttfonts.TTFontFace = parse  # type: ignore[misc]
