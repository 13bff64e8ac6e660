"""The files a content file names: assets kept inside its folder, images checked before they are
embedded, and events aggregates read once each."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from .. import files, fonts, limits
from .. import model as m
from ..events import AggregateError, read_aggregate
from .checks import bad_character, shown
from .state import State
from .yamlsource import Path_

MAX_IMAGE_BYTES = limits.IMAGE_BYTES
MAX_IMAGE_SIDE = limits.IMAGE_SIDE
MAX_IMAGE_PIXELS = limits.IMAGE_PIXELS
MAX_IMAGE_ASPECT = limits.IMAGE_ASPECT


def _check_event_texts(data: m.EventData) -> None:
    """Refuse an aggregate whose names a figure could not print (its shape is checked on reading)."""
    ds = data.dataset
    texts = [*data.categories, data.attribution, data.scope, ds.name, ds.publisher, ds.url, ds.query]
    texts += [t for place in data.locations for t in (place.name, place.country, place.admin1)]
    for text in texts:
        if bad_character(text, single_line=False):
            raise AggregateError(f"unusable text {shown(text)!r}")
        ch = fonts.missing_character(text, arabic=False)
        if ch is not None:
            raise AggregateError(f"{shown(text)!r} holds U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}), "
                                 "which the figures' font cannot draw")


def image_problem(file: Path) -> str | None:
    """What keeps `file` from being embedded as a PNG or JPEG image, or None if nothing does."""
    try:
        data = files.read_bytes(file, MAX_IMAGE_BYTES, "images")
    except files.FileProblem as exc:
        return f"cannot be used: {exc.strerror}"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not data:
        return "is an empty file; use a PNG or JPEG image"
    head = data[:512]
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if file.suffix.lower() == ".svg" or sniff.startswith((b"<svg", b"<?xml", b"<!doctype svg")):
        return "is an SVG drawing, which may load files from outside the content folder; use a PNG or JPEG image"

    import struct
    import warnings
    import zlib

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as img:
                width, height = img.size
                kind = img.format
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    return f"is {width:,} × {height:,} pixels; each side is limited to {MAX_IMAGE_SIDE:,}"
                if width * height > MAX_IMAGE_PIXELS:
                    return f"is {width:,} × {height:,} pixels; images are limited to {MAX_IMAGE_PIXELS // 10**6} megapixels"
                if kind == "PNG" and width * height > limits.PNG_PIXELS:
                    return (f"is {width:,} × {height:,} pixels; PNGs are limited to {limits.PNG_PIXELS // 10**6} "
                            "megapixels (a JPEG may have 40)")
                if min(width, height) < 1 or max(width, height) > MAX_IMAGE_ASPECT * min(width, height):
                    return f"is {width:,} × {height:,} pixels; one side is over {MAX_IMAGE_ASPECT} times the other"
                if kind == "PNG":
                    img.verify()  # every chunk present, with its checksum
                else:
                    img.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decode at 1/8 scale: cheap
                    img.load()
            if kind == "PNG":
                with Image.open(io.BytesIO(data), formats=("PNG",)) as img:
                    img.load()
    except UnidentifiedImageError:
        return "is not a PNG or JPEG image"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "has too many pixels to open safely (a decompression bomb?)"
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error) as exc:
        # how Pillow says the bytes are broken (SyntaxError: a malformed PNG chunk); anything else is a bug
        return f"cannot be read as an image: {shown(' '.join(str(exc).split()) or type(exc).__name__, 200)}"
    return None


def where(st: State, name: str) -> Path | None:
    """Where an asset path points (whether or not the file exists), or None if it cannot be resolved."""
    try:
        return (st.root / Path(name)).resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def asset(st: State, name: str, path: Path_, *, optional: bool = False) -> Path | None:
    """Resolve an asset path inside the content folder, reporting escapes and missing files."""
    candidate = Path(name)
    try:
        resolved = (st.root / candidate).resolve()
        inside = not candidate.is_absolute() and resolved.is_relative_to(st.root)
        is_file = inside and resolved.is_file()
        is_dir = inside and not is_file and resolved.is_dir()
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a symlink loop, a name too long
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        st.error(path, f"asset path {shown(name)!r} cannot be used: {shown(reason)}")
        return None
    if not inside:
        st.error(path, f"asset path {shown(name)!r} leaves the content folder; use a path inside {st.root.name}/")
        return None
    st.inputs.add(resolved)  # looked for, found or not: adding it later changes the outputs
    if is_dir:
        st.error(path, f"asset {shown(name)!r} is a folder, not a file")
        return None
    if not is_file and (kind := files.not_regular(resolved)):
        st.error(path, f"asset {shown(name)!r} is {kind}, not a regular file")
        return None
    if not is_file:
        if not optional:
            st.error(path, f"asset {shown(name)!r} not found")
        elif resolved not in st.missing_optional:  # one warning per file, however often it is used
            st.missing_optional.add(resolved)
            st.warn(path, f"asset {shown(name)!r} not found; a labelled placeholder is used instead")
        return None
    return resolved


def image(st: State, name: str, path: Path_, *, optional: bool = False) -> Path | None:
    """An asset that must be a PNG or JPEG image both writers can embed."""
    file = asset(st, name, path, optional=optional)
    if file is None:
        return None
    if file not in st.image_problems:
        st.image_problems[file] = image_problem(file)
    problem = st.image_problems[file]
    if problem:
        st.error(path, f"image {shown(name)!r} {problem}")
        return None
    return file


def data(st: State, name: str, path: Path_) -> m.EventData | None:
    file = asset(st, name, path)
    if file is None:
        return None
    if file not in st.data_cache:
        st.data_cache[file] = _read_events(st, file, path)
    return st.data_cache[file]


def _read_events(st: State, file: Path, path: Path_) -> m.EventData | None:
    try:
        data = read_aggregate(file)
        _check_event_texts(data)
        return data
    except (AggregateError, OSError) as exc:
        st.error(path, f"cannot read events aggregate {shown(file.name)}: {shown(str(exc), 200)}")
        return None
