"""The .pptx archive, written the same byte for byte every build: fixed dates, one compression pass."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Sequence


from ... import dates

if TYPE_CHECKING:
    pass


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
    try:
        from pptx.opc.serialized import PackageWriter

        package = deck.prs.part.package
        members: list[tuple[str, bytes]] = []

        class _Collect:
            def write(deck, pack_uri, blob: bytes) -> None:
                members.append((pack_uri.membername, blob))

        writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
        sink = _Collect()
        writer._write_content_types_stream(sink)
        writer._write_pkg_rels(sink)
        writer._write_parts(sink)
        return members
    except (ImportError, AttributeError, TypeError):
        return None


def _normalise_zip(blob: bytes, when: dt.datetime) -> bytes:
    """The same archive with fixed member timestamps and workbook dates: the same bytes every build."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zin:
        return _write_zip([(name, zin.read(name)) for name in zin.namelist()], when)


_PACKED = (".png", ".jpg", ".jpeg", ".gif")


def _write_zip(members: Sequence[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip archive of `members` with fixed timestamps and core-property dates: the same bytes every build."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
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
