"""The .pptx archive, written the same byte for byte every build: fixed dates, one compression pass."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Sequence


from lxml import etree

from ... import __version__, dates
from . import internals

if TYPE_CHECKING:
    pass

APPLICATION = f"jnim-export {__version__}"
_THEME_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def fixed_time(deck) -> dt.datetime:
    return dates.build_time(deck.doc.meta.date).replace(tzinfo=None)


def save(deck) -> bytes:
    meta = deck.doc.meta
    when = fixed_time(deck)
    cp = deck.prs.core_properties
    cp.title = meta.title
    cp.author = "; ".join(meta.authors)
    cp.last_modified_by = "; ".join(meta.authors)
    cp.subject = meta.subject
    cp.keywords = ", ".join(meta.keywords)
    cp.language = meta.language
    set_language(deck, meta.language)
    cp.category = meta.series
    cp.comments = meta.copyright
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    _app_properties(deck)
    # the chart workbooks XlsxWriter wrote carry the time of the build
    for frame in deck._charts:
        wb = frame.chart.part.chart_workbook
        if wb.xlsx_part is not None:
            wb.update_from_xlsx_blob(_normalise_zip(wb.xlsx_part.blob, when))
    members = package_members(deck)
    if members is None:  # python-pptx's writer has changed: save, then rewrite the archive
        buf = io.BytesIO()
        deck.prs.save(buf)
        return _normalise_zip(buf.getvalue(), when)
    return _write_zip(members, when)


def presentation_format(width: int, height: int) -> str:
    """The name PowerPoint gives a slide size (docProps/app.xml `PresentationFormat`)."""
    ratio = width / height if height else 0
    for name, r in (("Widescreen", 16 / 9), ("On-screen Show (4:3)", 4 / 3), ("On-screen Show (16:10)", 16 / 10)):
        if abs(ratio - r) < 0.01:
            return name
    return "Custom"


def _app_properties(deck) -> None:
    """docProps/app.xml as it is for this deck: the tool and its version, the slide size's name,
    the counts and the slide titles (python-pptx leaves its template's, a 4:3 show of no slides)."""
    part = next((p for p in deck.prs.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml"), None)
    if part is None or not hasattr(part, "_blob"):
        return
    slides = list(deck.prs.slides)
    titles = [(s.shapes.title.text_frame.text if s.shapes.title is not None else "") for s in slides]
    theme = deck.prs.slide_master.part.part_related_by(_THEME_RT)
    theme_name = etree.fromstring(theme.blob).get("name") or "Office Theme"
    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP, "vt": _VT})

    def add(tag: str, text: str):
        el = etree.SubElement(root, f"{{{_EP}}}{tag}")
        el.text = text
        return el

    add("TotalTime", "0")
    add("Application", APPLICATION)
    add("PresentationFormat", presentation_format(int(deck.prs.slide_width), int(deck.prs.slide_height)))
    add("Slides", str(len(slides)))
    add("Notes", str(sum(1 for s in slides if s.has_notes_slide)))
    add("HiddenSlides", "0")
    add("ScaleCrop", "false")
    pairs = etree.SubElement(add("HeadingPairs", ""), f"{{{_VT}}}vector", size="4", baseType="variant")
    for label, count in (("Theme", 1), ("Slide Titles", len(slides))):
        etree.SubElement(etree.SubElement(pairs, f"{{{_VT}}}variant"), f"{{{_VT}}}lpstr").text = label
        etree.SubElement(etree.SubElement(pairs, f"{{{_VT}}}variant"), f"{{{_VT}}}i4").text = str(count)
    parts = etree.SubElement(add("TitlesOfParts", ""), f"{{{_VT}}}vector", size=str(1 + len(slides)),
                             baseType="lpstr")
    for title in [theme_name, *titles]:
        etree.SubElement(parts, f"{{{_VT}}}lpstr").text = " ".join(title.split())
    add("Company", deck.doc.meta.publisher)
    add("LinksUpToDate", "false")
    add("SharedDoc", "false")
    add("HyperlinksChanged", "false")
    internals.set_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def set_language(deck, lang: str) -> None:
    """The presentation's language: its default text style's (what new text and the proofing tools
    take), as the document properties and every run say."""
    from pptx.oxml.ns import qn

    style = deck.prs.part._element.find(qn("p:defaultTextStyle"))
    if style is None:
        return
    for props in style.iter(qn("a:defRPr")):
        props.set("lang", lang)


def package_members(deck) -> list[tuple[str, bytes]] | None:
    """The members `Presentation.save` would write, in its order, unzipped, so that the archive
    is compressed once (by `_write_zip`, with fixed dates); None if python-pptx cannot be asked."""
    return internals.package_members(deck.prs)


def _normalise_zip(blob: bytes, when: dt.datetime) -> bytes:
    """The same archive with fixed member timestamps and workbook dates: the same bytes every build."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zin:
        return _write_zip([(name, zin.read(name)) for name in zin.namelist()], when)


_PACKED = (".png", ".jpg", ".jpeg", ".gif")


def _write_zip(members: Sequence[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip archive of `members` with fixed timestamps and core-property dates: the same bytes every build."""
    stamp = dates.zip_stamp(when)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              lambda m: m.group(1) + iso.encode() + m.group(2), data)
            info = zipfile.ZipInfo(name, date_time=stamp)
            # pictures are compressed already: deflating them again costs time and saves nothing
            info.compress_type = zipfile.ZIP_STORED if name.endswith(_PACKED) else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, data)
    return out.getvalue()
