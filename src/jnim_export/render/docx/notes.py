"""Real Word footnotes or endnotes: the notes part, its separators, its references in the text.

Each note of the model becomes one `w:footnote` (or `w:endnote`) whose `w:id` is its number; its
first callout is a `w:footnoteReference` (Word numbers notes by the order of these, which is the
model's reading order, so Word shows the PDF's numbers), later callouts of the same note a NOTEREF
field to a bookmark on the first, formatted as a note mark. Adjacent callouts are separated by a
superscript comma, as in the PDF ("4,5"). The part is related from the document part, listed in
the content types, and its separator notes (ids -1 and 0) are named in the settings, with the
numbering decimal.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import OxmlElement

from ...model import Document
from . import opc
from .opc import RT, w
from .runs import Runs, run, text_run

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# settings children that come after w:footnotePr / w:endnotePr in the schema's sequence
_AFTER_NOTE_PROPS = ("compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                     "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
                     "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                     "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


class Notes:
    """The notes of one document, as footnotes or endnotes (`kind`)."""

    def __init__(self, document, doc: Document, kind: str, styles, warnings: list[str]):
        self.kind = "footnote" if kind == "footnotes" else "endnote"
        self.doc = doc
        self.style_ref = styles[f"{self.kind}_ref"]  # the style ids (`styles.StyleIds`) of its marks and texts
        self.style_text = styles[f"{self.kind}_text"]
        self.warnings = warnings
        doc_part = document.part
        for reltype in (RT.FOOTNOTES, RT.ENDNOTES):  # a reference document's own notes go
            opc.drop_relationships(doc_part, reltype)
        plural = self.kind + "s"
        xml = (f'<w:{plural} xmlns:w="{_W}" xmlns:r="{_R}">'
               + "".join(self._separator(i, t) for i, t in ((-1, "separator"), (0, "continuationSeparator")))
               + f"</w:{plural}>").encode("utf-8")
        content_type = CT.WML_FOOTNOTES if self.kind == "footnote" else CT.WML_ENDNOTES
        reltype = RT.FOOTNOTES if self.kind == "footnote" else RT.ENDNOTES
        self.part = opc.add_xml_part(doc_part, f"/word/{plural}.xml", content_type, xml, reltype)
        self.root = self.part.element
        self.runs = Runs(self.part, None, warnings)
        self.bookmark_ids = iter(range(10_000, 1_000_000))
        self.placed: dict[int, str] = {}  # note number -> bookmark on its first callout
        self._settings(document)

    def _separator(self, ident: int, what: str) -> str:
        return (f'<w:{self.kind} w:type="{what}" w:id="{ident}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                f'w:lineRule="auto"/></w:pPr><w:r><w:{what}/></w:r></w:p></w:{self.kind}>')

    def _settings(self, document) -> None:
        settings = opc.settings_element(document)
        for tag in ("w:footnotePr", "w:endnotePr"):
            for old in settings.findall(w(tag)):
                settings.remove(old)
        props = []
        for kind in ("footnote", "endnote"):
            pr = OxmlElement(f"w:{kind}Pr")
            if kind == "endnote":
                _child(pr, "w:pos", "docEnd")
            _child(pr, "w:numFmt", "decimal")
            for ident in ("-1", "0"):
                sep = OxmlElement(f"w:{kind}")
                sep.set(w("w:id"), ident)
                pr.append(sep)
            props.append(pr)
        anchor = next((c for c in settings if c.tag.rpartition("}")[2] in _AFTER_NOTE_PROPS), None)
        for pr in props:
            if anchor is not None:
                anchor.addprevious(pr)
            else:
                settings.append(pr)
        # the section's own note properties: decimal numbers (endnotes default to roman ones)
        sect = document.sections[-1]._sectPr
        for tag in ("w:footnotePr", "w:endnotePr"):
            for old in sect.findall(w(tag)):
                sect.remove(old)
        refs = [c for c in sect if c.tag in (w("w:headerReference"), w("w:footerReference"))]
        at = refs[-1] if refs else None
        for kind in ("endnote", "footnote"):
            pr = OxmlElement(f"w:{kind}Pr")
            _child(pr, "w:numFmt", "decimal")
            if at is not None:
                at.addnext(pr)
            else:
                sect.insert(0, pr)

    # ------------------------------------------------------------------ callouts

    def reference(self, p, number: int, *, after_another: bool = False) -> None:
        """A callout of note `number` at the end of paragraph `p`."""
        if after_another:
            p.append(text_run(",", style=self.style_ref))
        if number in self.placed:
            self._field_ref(p, number)
            return
        name = f"_RefNote{number}"
        self.placed[number] = name
        ident = str(next(self.bookmark_ids))
        p.append(_bookmark("w:bookmarkStart", ident, name))
        r = run(style=self.style_ref)
        ref = OxmlElement(f"w:{self.kind}Reference")
        ref.set(w("w:id"), str(number))
        r.append(ref)
        p.append(r)
        p.append(_bookmark("w:bookmarkEnd", ident))
        self._note(number)

    def _field_ref(self, p, number: int) -> None:
        field = OxmlElement("w:fldSimple")
        field.set(w("w:instr"), f" NOTEREF {self.placed[number]} \\f \\h ")
        field.append(text_run(str(number), style=self.style_ref))
        p.append(field)

    def _note(self, number: int) -> None:
        note = OxmlElement(f"w:{self.kind}")
        note.set(w("w:id"), str(number))
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        _child(ppr, "w:pStyle", self.style_text)
        p.append(ppr)
        mark = run(style=self.style_ref)
        mark.append(OxmlElement(f"w:{self.kind}Ref"))
        p.append(mark)
        p.append(text_run(" "))
        self.runs.add(p, self.doc.note(number).text, where=f"note {number}")
        note.append(p)
        self.root.append(note)

    @property
    def count(self) -> int:
        return len(self.placed)


def _child(parent, tag: str, val: str):
    el = OxmlElement(tag)
    el.set(w("w:val"), val)
    parent.append(el)
    return el


def _bookmark(tag: str, ident: str, name: str | None = None):
    el = OxmlElement(tag)
    el.set(w("w:id"), ident)
    if name is not None:
        el.set(w("w:name"), name)
    return el
