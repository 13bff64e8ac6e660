"""The whole .docx: template or reference document, styles, body, notes, properties, the content
map, and bytes that depend on the content alone."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from lxml import etree
from docx.oxml import OxmlElement

from ... import __version__, dates, files
from ...model import Document
from ..writer import Context, Rendered, RenderError
from . import opc
from .body import Body
from .notes import Notes
from .opc import RT, w
from .paths import NS, PathMap, read_map
from .runs import Runs, text_run
from .styles import prepare_styles

MAX_REFERENCE = 100 * 1024 * 1024  # a reference document is styles and perhaps a few pages
_ITEM_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_ITEM_PROPS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def render_docx(doc: Document, dest: Path, options, context: Context) -> Rendered:
    """Write `doc` as a .docx to `dest`; the same content and options give the same bytes."""
    document = _open(options.reference_doc)
    warnings: list[str] = []
    styles = prepare_styles(document, doc.style, house=options.reference_doc is None)
    notes = Notes(document, doc, options.notes, styles, warnings)
    paths = PathMap()
    paths.note_styles = (styles["footnote_ref"], styles["endnote_ref"])
    paths.slug = doc.meta.slug
    body = Body(document, doc, styles, Runs(document.part, notes, warnings), paths,
                cache_dir=Path(context.figure_cache), force=context.redraw_figures)
    body.write()
    if notes.kind == "endnote" and notes.count:
        # the endnotes follow the last paragraph: this heading introduces them
        body.para("heading1").append(text_run("Notes"))
    _map_part(document, paths, doc)
    _properties(document, doc)
    data = opc.fixed_zip(document, dates.build_time(doc.meta.date))
    Path(dest).write_bytes(data)
    return Rendered(units=len(doc.sections), warnings=tuple(dict.fromkeys(warnings)))


def _open(reference: Path | None):
    """python-docx's template, or the user's reference document emptied of its text."""
    if reference is None:
        document = docx.Document()
    else:
        try:
            document = docx.Document(io.BytesIO(files.read_bytes(reference, MAX_REFERENCE, "reference documents")))
        except (OpcError, KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise RenderError(f"{reference}: not a Word document to take styles from ({exc})") from None
    body = document.element.body
    for child in list(body):
        if child.tag != w("w:sectPr"):
            body.remove(child)
    opc.drop_relationships(document.part.package, RT.THUMBNAIL)  # a picture of the template's page
    opc.drop_relationships(document.part, RT.COMMENTS)  # a reference document's comments went with its text
    opc.drop_relationships(document.part, RT.CUSTOM_XML, lambda part: read_map(part.blob) is not None)  # its map
    return document


def _map_part(document, paths: PathMap, doc: Document) -> None:
    """The content map as a custom XML part (with its properties part, as Word keeps them)."""
    item = opc.add_xml_part(document.part, "/customXml/item%d.xml", "application/xml", paths.xml(), RT.CUSTOM_XML)
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{NS}/{doc.meta.slug}")
    props = (f'<ds:datastoreItem xmlns:ds="{_DS}" ds:itemID="{{{str(guid).upper()}}}"><ds:schemaRefs>'
             f'<ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")
    number = str(item.partname).rsplit("item", 1)[1].split(".")[0]
    opc.add_xml_part(item, f"/customXml/itemProps{number}.xml", _ITEM_PROPS_CT, props, _ITEM_PROPS_RT)


def _app_properties(document, doc: Document) -> None:
    """docProps/app.xml for this file: the tool that wrote it and the publisher (the template's
    names another application and counts an empty page)."""
    ep = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ep}}}Properties", nsmap={None: ep})
    for tag, text in (("Application", f"jnim-export {__version__}"), ("DocSecurity", "0"),
                      ("Company", doc.meta.publisher), ("LinksUpToDate", "false"), ("SharedDoc", "false"),
                      ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{ep}}}{tag}").text = text
    opc.replace_package_part(document, "/docProps/app.xml",
                             etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _properties(document, doc: Document) -> None:
    """Core properties from the content, stamped with the build time; the text's language."""
    m = doc.meta
    when = dates.build_time(m.date).replace(tzinfo=None)
    cp = document.core_properties
    cp.title = m.title
    cp.author = "; ".join(m.authors)
    cp.last_modified_by = "; ".join(m.authors)
    cp.subject = " ".join(m.subject.split())
    cp.keywords = ", ".join(m.keywords)
    cp.language = m.language
    cp.category = m.series
    cp.comments = m.copyright
    cp.content_status = ""
    cp.identifier = ""
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    cp.version = __version__
    _app_properties(document, doc)
    defaults = opc.styles_element(document).find(w("w:docDefaults"))
    rpr_default = defaults.find(w("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(w("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        lang = rpr.find(w("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(w("w:val"), m.language)
        lang.set(w("w:bidi"), m.native_title_lang or "ar")
