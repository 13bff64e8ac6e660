"""A user's template read as data: a bounded zip of well-formed XML, its links to outside removed.

A .pptx is a zip of XML parts joined by relationships. A template is opened from its bytes
(read once, bounded, through `jnim_export.files`) and checked before python-pptx sees it:
no zip bomb, no part twice, every XML part well-formed and free of DOCTYPEs (entities),
every internal relationship pointing at a part that exists, a theme, a sane slide size.
A relationship to outside the file (`TargetMode="External"`: a `file:///etc/passwd`, an
image on a web server) would be copied into the deck and followed when it is opened, so it
is removed, with the attributes that used it, and a warning names it.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ... import files
from ..writer import RenderError

MAX_BYTES = 100 * 2**20  # the file; a real template is a few megabytes
MAX_MEMBERS = 2_000
MAX_UNPACKED = 200 * 2**20  # bytes, all members together
MAX_RATIO = 200  # unpacked / packed size of one member; a zip bomb is in the thousands
# Slide sides PowerPoint allows are 1 to 56 inches; the deck's furniture needs a screen's worth
MIN_SIDE, MAX_SIDE = 4 * 914_400, 56 * 914_400  # EMU
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def load(path: Path, warnings: list[str]):
    """The presentation in `path`, checked and without external links (each removed is a warning).

    Raises RenderError naming the file, and the part and line where a part is wrong.
    """
    try:
        data = files.read_bytes(path, MAX_BYTES, "templates")
    except OSError as exc:
        raise RenderError(f"template {path}: {exc.strerror or exc}") from None
    try:
        parts = _unpack(path, data)
    except zipfile.BadZipFile as exc:
        raise RenderError(f"template {path} is not a PowerPoint file (not a zip archive: {exc})") from None
    _check_parts(path, parts)
    removed = _drop_external(parts)
    for part, target in removed:
        warnings.append(f"slides: template {Path(path).name}: the link to {target!r} in {part} was removed; "
                        "a template's links to outside it are not followed")
    return _open(path, parts)


def _fail(path: Path, message: str) -> RenderError:
    return RenderError(f"template {path}: {message}")


def _unpack(path: Path, data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = z.infolist()
        if len(members) > MAX_MEMBERS:
            raise _fail(path, f"{len(members):,} files inside; at most {MAX_MEMBERS:,}")
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED:
            raise _fail(path, f"unpacks to {unpacked / 2**20:,.0f} MB; at most {MAX_UNPACKED // 2**20} MB")
        parts: dict[str, bytes] = {}
        for m in members:
            if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                raise _fail(path, f"{m.filename} is compressed {m.file_size // max(m.compress_size, 1):,} to 1, "
                                  "as no real template is (a zip bomb?)")
            if m.filename in parts:
                raise _fail(path, f"holds {m.filename} twice")
            if m.is_dir():
                continue
            try:
                parts[m.filename] = z.read(m)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
                raise _fail(path, f"{m.filename} cannot be unpacked ({exc})") from None
    return parts


def _xml(path: Path, name: str, blob: bytes):
    if b"<!DOCTYPE" in blob[:4096].upper() or b"<!ENTITY" in blob.upper():
        raise _fail(path, f"{name} declares a DOCTYPE or entities, which no PowerPoint part has")
    try:
        return etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise _fail(path, f"{name}:{line}:{column}: not well-formed XML ({exc.msg})") from None


def _rels_of(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


def _source_of(rels: str) -> str:
    folder = posixpath.dirname(posixpath.dirname(rels))
    return posixpath.join(folder, posixpath.basename(rels)[: -len(".rels")])


def _check_parts(path: Path, parts: dict[str, bytes]) -> None:
    for required in ("[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels"):
        if required not in parts:
            raise _fail(path, f"has no {required}; it is not a PowerPoint presentation")
    trees = {name: _xml(path, name, blob) for name, blob in parts.items() if name.endswith((".xml", ".rels"))}
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        base = posixpath.dirname(_source_of(name))
        for rel in tree.iter(f"{{{_REL_NS}}}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if member not in parts:
                raise _fail(path, f"{name} refers to {target!r}, which is not in the file")
    _check_slide_size(path, trees["ppt/presentation.xml"])
    masters = [n for n in parts if n.startswith("ppt/slideMasters/") and n.endswith(".xml")]
    if not masters:
        raise _fail(path, "has no slide master")
    for master in masters:
        rels = trees.get(_rels_of(master))
        if rels is None or not any(r.get("Type") == _THEME for r in rels.iter(f"{{{_REL_NS}}}Relationship")):
            raise _fail(path, f"{master} has no theme")


def _check_slide_size(path: Path, presentation) -> None:
    size = presentation.find(f"{{{_P_NS}}}sldSz")
    if size is None:
        raise _fail(path, "ppt/presentation.xml gives no slide size (p:sldSz)")
    try:
        cx, cy = int(size.get("cx", "")), int(size.get("cy", ""))
    except ValueError:
        raise _fail(path, "ppt/presentation.xml: the slide size is not two whole numbers") from None
    if not (MIN_SIDE <= cx <= MAX_SIDE and MIN_SIDE <= cy <= MAX_SIDE):
        raise _fail(path, f"its slides are {cx / 914_400:g} × {cy / 914_400:g} inches; each side must be "
                          f"{MIN_SIDE // 914_400} to {MAX_SIDE // 914_400} inches")


def _drop_external(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """Remove every external relationship, and the attributes of its part that name it."""
    removed: list[tuple[str, str]] = []
    for name in sorted(n for n in parts if n.endswith(".rels")):
        tree = etree.fromstring(parts[name], _PARSER)
        gone = {}
        for rel in list(tree.iter(f"{{{_REL_NS}}}Relationship")):
            if rel.get("TargetMode") == "External":
                gone[rel.get("Id")] = rel.get("Target") or ""
                parent = rel.getparent()
                assert parent is not None  # a relationship stands in its part's Relationships
                parent.remove(rel)
        if not gone:
            continue
        parts[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        source = _source_of(name)
        removed += [(source, target) for target in gone.values()]
        if source in parts:
            root = etree.fromstring(parts[source], _PARSER)
            for el in root.iter():
                for attr in [a for a in el.attrib if a.startswith(f"{{{_DOC_REL_NS}}}") and el.get(a) in gone]:
                    del el.attrib[attr]
            parts[source] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return removed


def _open(path: Path, parts: dict[str, bytes]):
    from pptx import Presentation

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    try:
        prs = Presentation(io.BytesIO(buf.getvalue()))
        layouts = len(prs.slide_layouts)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, NotImplementedError, zipfile.BadZipFile,
            etree.LxmlError, OSError) as exc:  # python-pptx reads a package it did not write
        raise _fail(path, f"not a PowerPoint file python-pptx can read ({' '.join(str(exc).split())[:200]})") from None
    if not layouts:
        raise _fail(path, "has no slide layout to build slides on")
    return prs
