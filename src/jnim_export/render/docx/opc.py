"""The one module that reaches past python-docx's public API: new parts, relationships, settings.

python-docx has no footnotes, endnotes or custom XML parts; the writer adds them through the
package layer (`docx.opc`): an XML part under a part name, related from the document part, its
content type written by python-docx's own package writer. Everything private is used here only,
so a python-docx upgrade that moves it breaks one small file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ... import dates

__all__ = ["RT", "add_xml_part", "describe", "drop_relationships", "element", "fixed_zip", "replace_package_part",
           "settings_element",
           "styles_element", "w"]


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML tag ("w:p")."""
    return qn(tag)


def drop_relationships(part, reltype: str, which=lambda target: True) -> None:
    """Remove the relationships of `reltype` from `part` (a reference document's own notes, a
    template's thumbnail), those to a part `which` accepts: that part is then no longer written."""
    for rid in [rid for rid, rel in part.rels.items() if rel.reltype == reltype
                and (rel.is_external or which(rel.target_part))]:
        part.rels.pop(rid)


def add_xml_part(source, partname_template: str, content_type: str, xml: bytes, reltype: str) -> XmlPart:
    """A new XML part (the first free name of `partname_template`, e.g. "/word/footnotes%d.xml"),
    related from `source` (a part or the package) by `reltype`."""
    package = source.package if hasattr(source, "package") and source.package is not None else source
    name = partname_template
    if "%d" in partname_template:
        name = str(package.next_partname(partname_template))
    part = XmlPart(PackURI(name), content_type, parse_xml(xml), package)
    source.relate_to(part, reltype)
    return part


def replace_package_part(document, partname: str, blob: bytes) -> bool:
    """Give the package's part `partname` (e.g. "/docProps/app.xml") new bytes; False if it has none."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == partname and hasattr(part, "_blob"):
            part._blob = blob
            return True
    return False


def settings_element(document):
    """The settings part's root (`w:settings`)."""
    return document.settings.element


def styles_element(document):
    return document.styles.element


def fixed_zip(document, when: dt.datetime) -> bytes:
    """The saved document as a zip whose every member carries `when` and one compression: the same
    document gives the same bytes (python-docx stamps members with the clock)."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    stamp = dates.zip_stamp(when)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def element(obj):
    """The XML element behind a python-docx paragraph, table or row."""
    for attr in ("_p", "_tbl", "_tr"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    raise TypeError(f"no element behind {type(obj).__name__}")


def describe(shape, *, name: str, alt: str) -> None:
    """An inline picture's name and alternative text (`wp:docPr/@name`, `@descr`)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("name", name)
    doc_pr.set("descr", alt)
