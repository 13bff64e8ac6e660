"""svglib's drawings of cached figure files, kept on disk beside them, so that a fresh process
neither imports svglib nor converts an SVG it has converted before.

A drawing is a tree of ReportLab shapes, stored with pickle and read back by an unpickler that
can construct only those shapes and their attribute values (`_ALLOWED`): no other class or
function is reachable from the file, so a planted or damaged entry cannot run code, only fail
to load. A file that fails its checksum or its load is ignored and made again. The entry's
name holds a hash of the SVG's bytes, the two libraries' versions, the faces svglib measured
text with and this module's format: whatever changes the drawing names another entry.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Callable

from reportlab.graphics.shapes import Drawing, Path as Path_

from ... import atomic, files, machine

FORMAT = b"jnim-export drawing 1\n"
LIMIT = 64 * 2**20  # a kept drawing is a few hundred KB; a larger file is not one

# (module, name) -> where the unpickler finds it; svglib's two path kinds are read as this
# module's equivalents, so that loading a drawing never imports svglib
_ALLOWED = {
    **{("reportlab.graphics.shapes", n): ("reportlab.graphics.shapes", n) for n in (
        "Drawing", "Group", "Path", "String", "Rect", "Line", "PolyLine", "Polygon", "Circle", "Ellipse",
        "Wedge")},
    **{("reportlab.lib.attrmap", n): ("reportlab.lib.attrmap", n) for n in ("AttrMap", "AttrMapValue")},
    **{("reportlab.lib.colors", n): ("reportlab.lib.colors", n) for n in ("Color", "CMYKColor", "CMYKColorSep")},
    **{("reportlab.lib.validators", n): ("reportlab.lib.validators", n) for n in (
        "NoneOr", "OneOf", "SequenceOf", "EitherOr", "isInstanceOf", "_isAnything", "_isBoolean",
        "_isListOfShapes", "_isNumber", "_isNumberOrNone", "_isString", "_isTransform", "_isValidChildOrNone",
        "_isValidChild", "_isColorOrNone", "_isColor", "_isStrokeDashArray", "_isInt", "_isNumberInRange",
        "_isListOfNumbersOrNone", "_isListOfNumbers", "_isStringOrNone", "Auto", "_isAuto", "_isBoxAnchor",
        "_isTextAnchor", "_isListOfStrings", "_isListOfStringsOrNone", "_isSubclassOf", "_isCallable")},
    ("svglib.svglib", "NoStrokePath"): (__name__, "NoStrokePath"),
    ("svglib.svglib", "ClippingPath"): (__name__, "ClippingPath"),
}


# what a damaged or planted entry may raise while it is read (the checksum stops most before)
_UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError, TypeError,
               ValueError, RecursionError, MemoryError)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a drawing's part")
        module, name = _ALLOWED[module, name]
        return super().find_class(module, name)


class NoStrokePath(Path_):
    """svglib's filled shape from an unclosed path: never stroked (as svglib's own class)."""

    def getProperties(self, *args, **kwargs):
        props = super().getProperties(*args, **kwargs)
        if "strokeWidth" in props:
            props["strokeWidth"] = 0
        if "strokeColor" in props:
            props["strokeColor"] = None
        return props


class ClippingPath(Path_):
    """svglib's clipping region: neither filled nor stroked (as svglib's own class)."""

    def getProperties(self, *args, **kwargs):
        props = super().getProperties(*args, **kwargs)
        if "fillColor" in props:
            props["fillColor"] = None
        if "strokeColor" in props:
            props["strokeColor"] = None
        return props


def entry(svg: Path, fonts: tuple[Path, ...]) -> Path:
    """Where the drawing of `svg`, measured with the faces in `fonts`, is kept."""
    h = hashlib.sha256(FORMAT)
    h.update(f"{machine.library_version('reportlab')}|{machine.library_version('svglib')}\0".encode())
    for f in (svg, *fonts):
        h.update(files.sha256(f, what="the figure cache").encode())
    return svg.with_name(f"{svg.name}.{h.hexdigest()[:24]}.drawing")


def load(path: Path):
    """The drawing kept at `path`, or None when there is none or it is damaged."""
    try:
        data = files.read_bytes(path, LIMIT, "the figure cache")
    except OSError:  # none, or not a regular file
        return None
    head = len(FORMAT) + 64
    if not data.startswith(FORMAT) or len(data) < head + 1:
        return None
    body = data[head:]
    if hashlib.sha256(body).hexdigest().encode() != data[len(FORMAT):head]:
        return None
    try:
        drawing = _Unpickler(io.BytesIO(body)).load()
    except _UNREADABLE:
        return None
    return drawing if isinstance(drawing, Drawing) else None


def save(path: Path, drawing) -> None:
    """Keep `drawing` at `path`; a cache that cannot be written only costs the next process time."""
    body = pickle.dumps(drawing, protocol=5)
    try:
        atomic.write_bytes(path, FORMAT + hashlib.sha256(body).hexdigest().encode() + body)
    except OSError:
        pass


def drawing(svg: Path, fonts: tuple[Path, ...], convert: Callable[[Path], object]):
    """The drawing of `svg`: kept from an earlier process, or `convert`ed now and kept."""
    where = entry(svg, fonts)
    kept = load(where)
    if kept is not None:
        return kept
    made = convert(svg)
    if made is not None:
        save(where, made)
    return made
