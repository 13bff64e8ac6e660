"""The structure tree written into the file at save: elements, ParentTree, IDTree, page and annotation keys.

Written once ReportLab has numbered pages and annotations, straight to PDF syntax (`_Raw`
objects registered with ``doc.Reference``): ReportLab's generic dictionary formatter would
cost more than the rest of the tagging together.  Objects are registered in reading order,
which follows the drawing, so an invariant-mode build stays byte-identical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFString

from .. import rl
from .errors import TaggingError

if TYPE_CHECKING:
    from .tree import Elem, StructureTree


class _Raw(PDFObject):
    """An object already in PDF syntax (ASCII: strings are written by `_pdf_string`)."""

    __RefOnly__ = 1

    def __init__(self, text: str = ""):
        self.data = text.encode("latin-1")

    def format(self, document):
        return self.data


class _Refs(NamedTuple):
    """The references the element dictionaries point to, all registered before the first is written."""

    elements: dict  # Elem -> "n 0 R"
    root: str  # the StructTreeRoot
    pages: dict  # page number (from 1) -> its reference
    annotations: list  # in the order the tree recorded them
    ids: dict  # an element's ``id`` attribute -> its reference


_NO_ATTRS: dict = {}
_STRING_ATTRS = (("alt", "Alt"), ("actual_text", "ActualText"), ("lang", "Lang"), ("id", "ID"), ("title", "T"),
                 ("expansion", "E"))


def write_structure(tree: StructureTree, canv) -> None:
    """Write StructTreeRoot, ParentTree, IDTree, MarkInfo, Lang, page/annotation keys.

    The structure elements and the ParentTree are serialised here, directly to PDF
    syntax (`_Raw`): every object they refer to (pages, annotations, each other) has its
    number once registered.
    """
    if len(tree._stack) != 1 or tree._ctx or tree._tx is not None:
        raise TaggingError(f"unclosed structure at save: {[tree._tag[e] for e in tree._stack[1:]]}")
    doc = rl.document(canv)
    if doc.encrypt.info():
        raise TaggingError("the structure is written as plain PDF syntax: it cannot be encrypted")
    pages = rl.pages(doc)

    def r(name: str) -> str:
        return rl.reference(doc, name)

    page_ref = {i: r("Page%d" % i) for i in range(1, len(pages) + 1)}
    kids = _kids(tree._items)
    keep: dict[Elem, bool] = {}
    _holds(tree.ROOT, kids, keep)
    order = _reading_order(tree.ROOT, kids, keep)

    raws = {e: _Raw() for e in order}
    elem_ref = {e: r(doc.Reference(raw).name) for e, raw in raws.items()}
    root_raw = _Raw()
    root_ref = r(doc.Reference(root_raw).name)
    npages = len(pages)
    annot_ref = [r(a[2].name) for a in tree._annots]
    refs = _Refs(elem_ref, root_ref, page_ref, annot_ref, _ids(tree, order, elem_ref))
    for e in order:
        items = [it for it in kids.get(e, ()) if it[1] != 0 or keep[it[2]]]
        raws[e].data = _element(tree, e, items, refs)

    parent_tree = _Raw(_parent_tree(tree, elem_ref, npages))
    root_raw.data = _root(tree, refs, r(doc.Reference(parent_tree).name), npages)
    _key_pages(tree, pages)
    _key_annotations(tree, npages)
    _mark_catalog(tree, canv, doc, root_raw)


def _kids(items: list) -> dict[Elem, list]:
    """The content items of every element, in drawing order."""
    kids: dict[Elem, list] = {}
    for item in items:
        if item is not None:
            owner = item[0]
            k = kids.get(owner)
            if k is None:
                kids[owner] = [item]
            else:
                k.append(item)
    return kids


def _holds(e: Elem, kids: dict[Elem, list], keep: dict[Elem, bool]) -> bool:
    """Whether `e` holds some content, recorded in `keep` for it and every element under it."""
    found = False
    for item in kids.get(e, ()):
        if item[1] == 0:
            found = _holds(item[2], kids, keep) or found
        else:
            found = True
    keep[e] = found
    return found


def _reading_order(root: Elem, kids: dict[Elem, list], keep: dict[Elem, bool]) -> list[Elem]:
    """The elements kept, depth first in reading order: the order their objects are registered."""
    order: list[Elem] = []
    todo = [root]
    while todo:
        e = todo.pop()
        order.append(e)
        todo.extend(it[2] for it in reversed(kids.get(e, ())) if it[1] == 0 and keep[it[2]])
    return order


def _ids(tree: StructureTree, order: list[Elem], elem_ref: dict[Elem, str]) -> dict[str, str]:
    """Each element ``id`` -> the reference of its element (for ``/Ref`` and the IDTree)."""
    ids: dict[str, str] = {}
    attrs_of = tree._attrs
    for e in order:
        a = attrs_of[e]
        if a and "id" in a:
            if a["id"] in ids:
                raise TaggingError(f"duplicate structure element ID {a['id']!r}")
            ids[a["id"]] = elem_ref[e]
    return ids


def _element(tree: StructureTree, e: Elem, items: list, refs: _Refs) -> bytes:
    """The StructElem dictionary of `e`, whose kept content items are `items`."""
    first_page = next((it[2] for it in items if it[1] != 0), None)
    page_ref = refs.pages
    parent = refs.root if e == tree.ROOT else refs.elements[tree._parent[e]]
    parts = ["<</Type /StructElem /S /%s /P %s" % (tree._tag[e], parent)]
    if first_page is not None:
        parts.append(" /Pg " + page_ref[first_page])
    out = []
    for it in items:
        kind = it[1]
        if kind == 0:
            out.append(refs.elements[it[2]])
        elif kind == 1:
            out.append(str(it[3]) if it[2] == first_page else
                       "<</Type /MCR /Pg %s /MCID %d>>" % (page_ref[it[2]], it[3]))
        else:
            out.append("<</Type /OBJR /Pg %s /Obj %s>>" % (page_ref[it[2]], refs.annotations[it[3]]))
    parts.append(" /K " + (out[0] if len(out) == 1 else "[" + " ".join(out) + "]"))
    a = tree._attrs[e] or _NO_ATTRS
    for key, pdf in _STRING_ATTRS:
        if key in a:
            parts.append(f" /{pdf} {_pdf_string(str(a[key]))}")
    if "ref" in a and a["ref"] in refs.ids:
        parts.append(" /Ref [%s]" % refs.ids[a["ref"]])
    bbox = tree._bbox.get(e)
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
    return "".join(parts).encode("latin-1")


def _parent_tree(tree: StructureTree, elem_ref: dict[Elem, str], npages: int) -> str:
    """The ParentTree: each page's MCID owners, then each annotation's Link, keyed after the pages."""
    nums = []
    for page in sorted(tree._pages):
        owners = tree._pages[page]
        if owners:
            nums.append("%d [%s]" % (page - 1, " ".join(elem_ref[o] for o in owners)))
    for i, a in enumerate(tree._annots):
        nums.append("%d %s" % (npages + i, elem_ref[a[3]]))
    return "<</Nums [\n" + "\n".join(nums) + "\n]>>"


def _root(tree: StructureTree, refs: _Refs, parent_tree_ref: str, npages: int) -> bytes:
    """The StructTreeRoot dictionary, with the IDTree if any element has an ``id``."""
    root_parts = ["<</Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d"
                  % (refs.elements[tree.ROOT], parent_tree_ref, npages + len(tree._annots))]
    if refs.ids:
        root_parts.append(" /IDTree <</Names [")
        for key in sorted(refs.ids):  # ASCII ids: string order is byte order
            root_parts.append("%s %s " % (_pdf_string(key), refs.ids[key]))
        root_parts.append("]>>")
    root_parts.append(">>")
    return "".join(root_parts).encode("latin-1")


def _key_pages(tree: StructureTree, pages: list) -> None:
    """Pages: their key into the ParentTree; tab order follows the structure."""
    for i, page in enumerate(pages, 1):
        if tree._pages.get(i):
            rl.set_key(page, "StructParents", i - 1)
        rl.set_key(page, "Tabs", PDFName("S"))


def _key_annotations(tree: StructureTree, npages: int) -> None:
    """Annotations: their key into the ParentTree and a description of the destination."""
    for i, (ann, _, _, owner, target) in enumerate(tree._annots):
        a = tree._attrs[owner]
        text = (a or {}).get("contents") or _describe(target)
        rl.set_key(ann, "StructParent", npages + i)
        rl.set_key(ann, "Contents", PDFString(text) if isinstance(ann, PDFDictionary) else text)


def _mark_catalog(tree: StructureTree, canv, doc, root: _Raw) -> None:
    """The catalog: the structure, MarkInfo, the language, the title shown."""
    cat = doc.Catalog
    cat.StructTreeRoot = root
    cat.MarkInfo = PDFDictionary({"Marked": "true"})
    if not getattr(cat, "Lang", None):
        cat.Lang = PDFString(tree.lang)
    canv.setViewerPreference("DisplayDocTitle", "true")


def _pdf_string(text: str) -> str:
    """A PDF text string in ASCII syntax: literal if printable ASCII, else UTF-16BE in hex."""
    if text.isascii() and text.isprintable():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<feff" + text.encode("utf-16-be").hex() + ">"


def _describe(target) -> str:
    """An annotation's /Contents when its Link says none: where it goes."""
    if target is None:
        return "Link"
    if target[0] == "uri":
        return f"Link to {target[1]}"
    return f"Go to {target[1]}"
