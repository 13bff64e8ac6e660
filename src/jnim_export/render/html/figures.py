"""Figures on the web page: inline SVG maps and charts with data tables, photos as data URLs.

Maps and charts (every kind `jnim_export.figures` draws) are the PDF's own artwork
(`figure_file(..., fmt="svg")`, same size, same cache file) and a compact drawing of each for
narrow screens (a media query shows one), inlined: the XML prolog, doctype, metadata and
stylesheet are dropped, every id is prefixed with the figure's (matplotlib's clip-path and
marker ids repeat between figures), ``xlink:href`` becomes ``href``, and the root gets
``role="img"`` with a <title> and <desc>. Each is converted once and kept beside the SVG, named
by a hash of the SVG's contents. Each has a data table (`tables.py`, from `Figure.table`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import atomic, files, limits
from ...kinds import KINDS, print_size
from ...model import Document, Figure, plain_text
from ..writer import unreadable_photo
from .dom import El, Markup, Node, freeze
from .notes import Citations
from .tables import data_table
from .theme import PANORAMA

__all__ = ["Figures", "image_info"]

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_DROP = {"metadata", "style", "script", "foreignObject"}
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_IMAGE_MAX = 4 * 1024 * 1024  # a photo larger than this is not embedded (the page would be huge)


def artwork_sizes(kind: str) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The drawings of a figure the page inlines: the print size the PDF and the slides share, and a
    narrower one for phones, its type set larger for the width (legend in two rows, fewer month
    labels), so that it reads at 360 px where the wide one would not."""
    return ("wide", print_size(kind)), ("compact", KINDS[kind].compact)


@dataclass(frozen=True)
class _Svg:
    view_box: str
    body: Markup  # the root's children, serialised
    text: str  # the characters the artwork sets in type (for the font subset)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _convert(elem: ET.Element, prefix: str, chars: list[str], ids: set[str]) -> El | None:
    tag = _local(elem.tag)
    if tag in _DROP:
        return None
    attrs: dict[str, str] = {}
    for name, value in elem.attrib.items():
        if name == _XLINK or _local(name) == "href":
            if not value.startswith("#"):
                continue  # only references inside the figure: nothing is fetched
            attrs["href"] = "#" + prefix + value[1:]
            continue
        if name.startswith("{"):
            continue
        if name == "id":
            value = base = prefix + value
            k = 2
            while value in ids:  # matplotlib repeats a gid on every artist given it
                value, k = f"{base}-{k}", k + 1
            ids.add(value)
        elif name == "d" or name == "points":
            value = " ".join(value.split())
        elif name.startswith("on"):
            continue
        if "url(" in value:
            value = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
            if "url(" in _URL_REF.sub("", value):
                continue  # an external url(): never
        attrs[name] = value
    out = El(tag, attrs)
    if elem.text and (elem.text.strip() or tag in ("text", "tspan")):
        out.append(elem.text)
        if tag in ("text", "tspan"):
            chars.append(elem.text)
    for child in elem:
        converted = _convert(child, prefix, chars, ids)
        if converted is not None and not (converted.tag == "defs" and not converted.children):
            out.append(converted)
        if child.tail and child.tail.strip():
            out.append(child.tail)
            chars.append(child.tail)
    return out


def inline_svg(path: Path, prefix: str, *, fresh: bool = False) -> _Svg:
    """The artwork of a cached SVG file, ready to inline, ids prefixed with `prefix`.

    Kept beside the SVG as JSON named by a hash of the SVG's contents (and `prefix`), so a new
    process does not parse and convert the map again and a redrawn SVG is never shown in an
    old form; `fresh` converts it again all the same (and keeps the new form).
    """
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:24]
    kept = Path(path).with_name(f"{digest}.{prefix}inline.json")
    if fresh:
        _kept_svg.cache_clear()
        return _convert_and_keep(data, kept, prefix)
    return _kept_svg(data, kept, prefix)


@functools.lru_cache(maxsize=32)
def _kept_svg(data: bytes, kept: Path, prefix: str) -> _Svg:
    try:
        blob = json.loads(kept.read_text(encoding="utf-8"))
        return _Svg(blob["view_box"], Markup(blob["body"]), blob["text"])
    except (OSError, ValueError, KeyError, TypeError):  # none kept yet, or unreadable: convert again
        return _convert_and_keep(data, kept, prefix)


def _convert_and_keep(data: bytes, kept: Path, prefix: str) -> _Svg:
    svg = _inline_svg(data, prefix)
    blob = json.dumps({"view_box": svg.view_box, "body": str(svg.body), "text": svg.text}, ensure_ascii=False)
    try:
        atomic.write_bytes(kept, blob.encode("utf-8"))
    except OSError:  # a read-only cache only costs time
        pass
    return svg


def _inline_svg(data: bytes, prefix: str) -> _Svg:
    root = ET.fromstring(data)
    if _local(root.tag) != "svg":
        raise ValueError("the figure's artwork is not an SVG file")
    chars: list[str] = []
    ids: set[str] = set()
    body = El("g")
    for child in root:
        converted = _convert(child, prefix, chars, ids)
        if converted is not None and not (converted.tag == "defs" and not converted.children):
            body.append(converted)
    view_box = root.get("viewBox") or f"0 0 {root.get('width', '100').rstrip('pt')} {root.get('height', '100').rstrip('pt')}"
    inner = "".join(freeze(c) for c in body.children)
    return _Svg(" ".join(view_box.split()), Markup(inner), "".join(chars))


# --------------------------------------------------------------------------- photos


def _panorama(img: El) -> bool:
    """A picture at least `PANORAMA` times wider than high: it spans the column, never floats."""
    w, h = img.attrs.get("width"), img.attrs.get("height")
    return isinstance(w, int) and isinstance(h, int) and h > 0 and w >= PANORAMA * h


def image_info(data: bytes) -> tuple[str, int, int] | None:
    """(MIME type, width, height) of a PNG, JPEG, GIF or WebP image, read from its header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return "image/png", w, h
    if data[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", data[6:10])
        return "image/gif", w, h
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8X":
            w = int.from_bytes(data[24:27], "little") + 1
            h = int.from_bytes(data[27:30], "little") + 1
            return "image/webp", w, h
        if chunk == b"VP8L":
            b = data[21:25]
            w = 1 + (((b[1] & 0x3F) << 8) | b[0])
            h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
            return "image/webp", w, h
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", data[26:30])
            return "image/webp", w & 0x3FFF, h & 0x3FFF
        return None
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return "image/jpeg", w, h
            i += 2 + length
    return None


# --------------------------------------------------------------------------- figures


@dataclass
class Figures:
    """Builds <figure> elements; collects warnings and the characters their artwork sets."""

    doc: Document
    cites: Citations
    cache_dir: Path
    force: bool = False  # draw the artwork again
    fresh: bool = False  # convert it to its inline form again (--no-cache)
    warnings: list[str] = field(default_factory=list)
    art_text: list[str] = field(default_factory=list)

    def figure(self, fig: Figure, *, floated: bool = False) -> El:
        art = self._art(fig)
        cap = El("p", {"class": "fig-cap"}, El("span", {"class": "fig-num"}, f"Figure {fig.number}"), " ",
                 self.cites.inline(fig.caption, f"figure {fig.number} caption"))
        caption = El("figcaption", None, cap)
        if fig.credit:
            caption.append(El("p", {"class": "fig-credit"}, self.cites.inline(fig.credit, f"figure {fig.number} credit")))
        table = data_table(fig, self.doc.style.palette)
        if table is not None:
            caption.append(El("details", {"class": "fig-data"},
                              El("summary", None, "Data table", El("span", {"class": "vh"}, f" for figure {fig.number}")),
                              El("div", {"class": "table-wrap", "role": "region", "tabindex": "0",
                                         "aria-label": f"Data table for figure {fig.number}"}, table)))
        wide = isinstance(art, El) and art.tag == "img" and _panorama(art)
        classes = f"fig fig-{fig.kind}" + (" fig-pano" if wide else " fig-float" if floated else "")
        return El("figure", {"class": classes, "id": f"fig-{fig.number}"}, El("div", {"class": "fig-art"}, art), caption)

    # ------------------------------------------------------------------ artwork

    def _art(self, fig: Figure) -> Node | list[Node]:
        if fig.kind == "photo":
            return self._photo(fig)
        if fig.data is None:
            self.warnings.append(f"figure {fig.number} ({fig.id}): no event data; a placeholder is shown")
            return self._placeholder(f"{fig.kind.capitalize()} not available", fig.alt)
        # an error drawing it is a bug in the drawing code, never a placeholder
        return [self._svg(fig, variant, size) for variant, size in artwork_sizes(fig.kind)]

    def _svg(self, fig: Figure, variant: str, size: tuple[float, float]) -> El:
        from ...figures import figure_file, figure_notes

        art: dict[str, Any] = dict(attacks=self.doc.attacks, places=self.doc.places, style=self.doc.style,
                                   fmt="svg", size=size, cache_dir=self.cache_dir)
        path = figure_file(fig, **art, force=self.force)
        if variant == "wide":  # the print drawing's: the phone's is only a smaller view of the same
            self.warnings += [f"figure {fig.number} ({fig.id}): {note}" for note in figure_notes(fig, **art)]
        suffix = "" if variant == "wide" else "c"
        svg = inline_svg(path, f"fig{fig.number}{suffix}-", fresh=self.fresh)
        self.art_text.append(svg.text)
        base = f"fig-{fig.number}" + (f"-{suffix}" if suffix else "")
        return El("svg", {"class": f"fig-svg fig-{variant}", "viewBox": svg.view_box, "role": "img",
                          "aria-labelledby": f"{base}-title", "aria-describedby": f"{base}-desc"},
                  El("title", {"id": f"{base}-title"}, f"Figure {fig.number}: " + plain_text(fig.caption)),
                  El("desc", {"id": f"{base}-desc"}, fig.alt),
                  svg.body)

    def _photo(self, fig: Figure) -> Node:
        if fig.image is None:  # the content reported it, once
            return self._placeholder("Photo not included", fig.alt)
        try:
            data = files.read_bytes(fig.image, limits.IMAGE_BYTES, "images")
        except OSError:  # gone since the content was read (or no longer a regular file)
            data = b""
        info = image_info(data)
        if info is None:  # gone or changed since the content was read and checked
            self.warnings.append(unreadable_photo(fig))
            return self._placeholder("Photo not included", fig.alt)
        if len(data) > _IMAGE_MAX:
            self.warnings.append(f"figure {fig.number} ({fig.id}): {fig.image.name} is {len(data) / 2**20:.1f} MB, "
                                 "over 4 MB; a placeholder is shown (use a smaller copy)")
            return self._placeholder("Photo not included", fig.alt)
        mime, w, h = info
        src = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
        return El("img", {"src": src, "alt": fig.alt, "width": w, "height": h, "loading": "lazy", "decoding": "async"})

    @staticmethod
    def _placeholder(head: str, alt: str) -> El:
        return El("div", {"class": "fig-ph", "role": "img", "aria-label": f"{head}: {alt}"},
                  El("span", {"class": "fig-ph-head"}, head), El("span", {"class": "fig-ph-alt"}, alt))
