"""Read a tagged PDF back: its structure tree, its marked content and its text in structure order.

Nothing here trusts the writer: the tree is walked with pikepdf from the file, the content
streams are parsed with pikepdf, and the text of each marked-content sequence is decoded by
pdfminer.six's interpreter (fonts and ToUnicode maps as a reader would).

`Tagged(path)` holds

``root``
    the structure tree as `Elem` objects (tag, attributes, kids: elements, `MCR` marked
    content references, `OBJR` object references), in the file's order.
``sequences``
    per page, every marked-content sequence of the content streams: ``("mcid", n)`` or
    ``("artifact", None)``, and ``unmarked``: painting operators outside both.
``text(elem)``
    an element's text: its ``/ActualText`` if it has one, else its content's text in order
    (pieces on different lines joined by a space); a ``Reference`` reads ``[n]``.
``blocks()``
    the block-level elements in reading order as ``(tag, text, elem)``: what a screen reader
    reads, one block at a time; a ``Figure`` reads as its ``/Alt``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "INLINE IMAGE"}
BLOCKS = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "Caption", "BlockQuote", "Figure", "LI", "Note"}
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())


@dataclass(frozen=True)
class MCR:
    page: int
    mcid: int


@dataclass(frozen=True)
class OBJR:
    page: int
    objgen: tuple[int, int]


@dataclass(eq=False)
class Elem:
    tag: str
    obj: pikepdf.Dictionary
    parent: Elem | None
    page: int | None
    attrs: dict[str, object] = field(default_factory=dict)
    kids: list = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Elem):
                yield from kid.walk()

    def elements(self) -> list[Elem]:
        return [k for k in self.kids if isinstance(k, Elem)]

    def mcrs(self) -> list[MCR]:
        return [k for k in self.kids if isinstance(k, MCR)]

    def objrs(self) -> list[OBJR]:
        return [k for k in self.kids if isinstance(k, OBJR)]

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs or ''} kids={len(self.kids)}>"


def mc_text(path: Path) -> dict[tuple[int, int], tuple[str, tuple, tuple]]:
    """{(page, mcid): (text, first line, last line)}: the text each sequence shows.

    Within a sequence a new line (another text matrix) becomes a space.
    """
    from pdfminer.pdfdevice import PDFDevice
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    texts: dict = defaultdict(str)
    lines: dict = {}

    class Device(PDFDevice):
        page = 0

        def __init__(self, rsrc):
            super().__init__(rsrc)
            self.stack: list = []

        def begin_tag(self, tag, props=None):
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.stack.append(mcid)

        def end_tag(self):
            self.stack.pop()

        def render_string(self, textstate, seq, ncs, graphicstate):
            font = textstate.font
            s = ""
            for obj in seq:
                if isinstance(obj, bytes):
                    for cid in font.decode(obj):
                        try:
                            s += font.to_unichr(cid)
                        except Exception:
                            s += "\ufffd"
            mcid = next((m for m in reversed(self.stack) if m is not None), None)
            if mcid is None:
                return
            key = (self.page, mcid)
            line = (self.page, tuple(textstate.matrix))
            if key in lines:
                first, last = lines[key]
                if last != line and texts[key] and not texts[key].endswith(" "):
                    texts[key] += " "
                lines[key] = (first, line)
            else:
                lines[key] = (line, line)
            texts[key] += s

    with open(path, "rb") as fp:
        rsrc = PDFResourceManager()
        dev = Device(rsrc)
        interp = PDFPageInterpreter(rsrc, dev)
        for i, page in enumerate(PDFPage.get_pages(fp), 1):
            dev.page = i
            interp.process_page(page)
    return {k: (v, *lines[k]) for k, v in texts.items()}


class Tagged:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.pdf = pikepdf.open(self.path)
        self.page_index = {p.objgen: i for i, p in enumerate(self.pdf.pages, 1)}
        struct = self.pdf.Root.get("/StructTreeRoot")
        assert struct is not None, "no /StructTreeRoot"
        self.struct_root = struct
        self.parent_tree = {int(k): v for k, v in pikepdf.NumberTree(struct.ParentTree).items()}
        self.id_tree = ({str(k): v for k, v in pikepdf.NameTree(struct.IDTree).items()}
                        if "/IDTree" in struct else {})
        top = struct.K
        tops = list(top) if isinstance(top, pikepdf.Array) else [top]
        assert len(tops) == 1, "the StructTreeRoot has one kid, the Document"
        self.root = self._elem(tops[0], None, None)
        self.sequences, self.unmarked, self.nested = self._content()
        self._texts: dict | None = None

    # ------------------------------------------------------------------ reading

    def _page(self, obj, default):
        pg = obj.get("/Pg")
        return self.page_index[pg.objgen] if pg is not None else default

    def _elem(self, obj, parent: Elem | None, page: int | None) -> Elem:
        page = self._page(obj, page)
        e = Elem(str(obj.S)[1:], obj, parent, page)
        for key in ("/Lang", "/Alt", "/ActualText", "/T", "/E"):
            if key in obj:
                e.attrs[key[1:]] = str(obj[key])
        if "/ID" in obj:
            e.attrs["ID"] = bytes(obj.ID).decode("latin-1")
        if "/A" in obj and "/BBox" in obj.A:
            e.attrs["BBox"] = [float(v) for v in obj.A.BBox]
        if "/Ref" in obj:
            e.attrs["Ref"] = list(obj.Ref)
        k = obj.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])):
            if isinstance(kid, int):
                assert page is not None, f"/{e.tag}: an MCID kid without /Pg"
                e.kids.append(MCR(page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                e.kids.append(MCR(self._page(kid, page), int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                e.kids.append(OBJR(self._page(kid, page), kid.Obj.objgen))
            else:
                assert kid.P.objgen == obj.objgen, f"/{kid.get('/S')}: /P is not its parent"
                e.kids.append(self._elem(kid, e, page))
        return e

    def _content(self):
        """Per page: the sequences in drawing order, painting operators outside them, nested MCIDs."""
        sequences: dict[int, list] = {}
        unmarked: dict[int, list[str]] = defaultdict(list)
        nested: dict[int, int] = defaultdict(int)
        for i, page in enumerate(self.pdf.pages, 1):
            seqs, stack = [], []
            for ins in pikepdf.parse_content_stream(page):
                op = str(ins.operator)
                if op in ("BDC", "BMC"):
                    tag = str(ins.operands[0])
                    props = ins.operands[1] if op == "BDC" else None
                    if tag == "/Artifact":
                        kind = ("artifact", None)
                    elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        kind = ("mcid", int(props.MCID))
                    else:
                        kind = ("other", None)
                    if kind[0] != "other" and any(k[0] in ("mcid", "artifact") for k in stack):
                        nested[i] += 1
                    stack.append(kind)
                    if kind[0] != "other":
                        seqs.append(kind)
                elif op == "EMC":
                    stack.pop()
                elif op in PAINT and not any(k[0] in ("mcid", "artifact") for k in stack):
                    unmarked[i].append(op)
            assert not stack, f"page {i}: marked content left open"
            sequences[i] = seqs
        return sequences, unmarked, nested

    # ------------------------------------------------------------------ text

    @property
    def texts(self) -> dict:
        if self._texts is None:
            self._texts = mc_text(self.path)
        return self._texts

    def _pieces(self, elem: Elem) -> list[tuple[str, tuple | None, tuple | None]]:
        if "ActualText" in elem.attrs:
            mcrs = [m for e in elem.walk() for m in e.mcrs()]
            first = self.texts.get((mcrs[0].page, mcrs[0].mcid), ("", None, None)) if mcrs else ("", None, None)
            last = self.texts.get((mcrs[-1].page, mcrs[-1].mcid), ("", None, None)) if mcrs else ("", None, None)
            return [(elem.attrs["ActualText"], first[1], last[2])]
        out = []
        for kid in elem.kids:
            if isinstance(kid, MCR):
                t = self.texts.get((kid.page, kid.mcid))
                if t:
                    out.append(t)
            elif isinstance(kid, Elem):
                t = self.text_and_lines(kid)
                if t[0]:
                    out.append(t)
        return out

    def text_and_lines(self, elem: Elem) -> tuple[str, tuple | None, tuple | None]:
        if elem.tag == "Figure":
            return elem.attrs.get("Alt", ""), None, None
        text, first, last = "", None, None
        for t, f, l in self._pieces(elem):
            if text and last is not None and f is not None and last != f and not text.endswith(" ") \
                    and not t.startswith(" "):
                text += " "  # the pieces are on different lines
            text += t
            first = first or f
            last = l if l is not None else last
        if elem.tag == "Reference":
            text = f"[{text}]"
        return text, first, last

    def text(self, elem: Elem) -> str:
        return self.text_and_lines(elem)[0]

    def blocks(self) -> list[tuple[str, str, Elem]]:
        out = []

        def visit(e: Elem) -> None:
            if e.tag in BLOCKS:
                out.append((e.tag, self.text(e), e))
                return
            for kid in e.elements():
                visit(kid)

        visit(self.root)
        return out

    # ------------------------------------------------------------------ checks

    def problems(self) -> list[str]:
        """What a tagged PDF must not have, beyond what pdfua checks (one line each)."""
        errs: list[str] = []
        if self.root.tag != "Document":
            errs.append(f"the root element is /{self.root.tag}, not /Document")
        owners: dict[tuple[int, int], Elem] = {}
        for e in self.root.walk():
            if e.tag not in STANDARD:
                errs.append(f"/{e.tag} is not a standard structure type")
            for m in e.mcrs():
                if (m.page, m.mcid) in owners:
                    errs.append(f"page {m.page} MCID {m.mcid} has two elements")
                owners[m.page, m.mcid] = e
            if e.tag == "Figure" and not e.attrs.get("Alt", "").strip():
                errs.append("a Figure without /Alt")
        # every sequence in the content is in the tree (and its page's ParentTree entry) or an artifact
        for page, seqs in self.sequences.items():
            pobj = self.pdf.pages[page - 1].obj
            mcids = [n for kind, n in seqs if kind == "mcid"]
            if len(set(mcids)) != len(mcids):
                errs.append(f"page {page}: an MCID used twice")
            array = self.parent_tree.get(int(pobj.get("/StructParents", -1))) if mcids else None
            if mcids and array is None:
                errs.append(f"page {page}: marked content but no ParentTree entry")
            for n in mcids:
                owner = owners.get((page, n))
                if owner is None:
                    errs.append(f"page {page}: MCID {n} is in no structure element")
                elif array is None or n >= len(array) or array[n].objgen != owner.obj.objgen:
                    errs.append(f"page {page}: the ParentTree does not map MCID {n} to its element")
            if self.unmarked.get(page):
                errs.append(f"page {page}: {len(self.unmarked[page])} painting operators neither tagged nor "
                            f"artifact ({sorted(set(self.unmarked[page]))})")
            if self.nested.get(page):
                errs.append(f"page {page}: marked content nested in tagged content or an artifact")
        for (page, n), e in owners.items():
            if ("mcid", n) not in self.sequences.get(page, ()):
                errs.append(f"page {page}: /{e.tag} names MCID {n}, the content has none")
        # every annotation: an OBJR of a Link element, keyed in the ParentTree, with /Contents
        objrs = {o.objgen: e for e in self.root.walk() for o in e.objrs()}
        for i, page in enumerate(self.pdf.pages, 1):
            annots = page.obj.get("/Annots") or []
            if len(annots) and page.obj.get("/Tabs") != "/S":
                errs.append(f"page {i}: annotations, but the tab order is not the structure's")
            for a in annots:
                owner = objrs.get(a.objgen)
                if owner is None:
                    errs.append(f"page {i}: a {a.get('/Subtype')} annotation is in no structure element")
                    continue
                if a.get("/Subtype") == "/Link" and owner.tag != "Link":
                    errs.append(f"page {i}: a link annotation inside /{owner.tag}")
                sp = a.get("/StructParent")
                if sp is None or self.parent_tree.get(int(sp), pikepdf.Dictionary()).objgen != owner.obj.objgen:
                    errs.append(f"page {i}: the ParentTree does not map an annotation to its Link")
                if not str(a.get("/Contents", "")).strip():
                    errs.append(f"page {i}: an annotation without /Contents")
        # references point at notes, notes are in the IDTree
        for e in self.root.walk():
            if e.tag == "Note":
                nid = e.attrs.get("ID")
                if not nid or nid not in self.id_tree or self.id_tree[nid].objgen != e.obj.objgen:
                    errs.append(f"Note {nid!r} is not in the IDTree")
            if e.tag == "Reference":
                if [k.tag for k in e.elements()] != ["Link"]:
                    errs.append("a Reference that is not one Link")
                refs = e.attrs.get("Ref") or []
                if len(refs) != 1 or str(refs[0].get("/S")) != "/Note":
                    errs.append("a Reference without /Ref to its Note")
        return errs


def norm(text: str) -> str:
    """Text compared without whitespace (lines may break anywhere in a URL)."""
    return re.sub(r"\s+", "", text)


CALLOUTS = re.compile(r"\[\d+\](?:,\[\d+\])*")


def without_callouts(text: str) -> str:
    """A block's structure text without its note callouts (``[4],[5]``)."""
    return CALLOUTS.sub("", text)
