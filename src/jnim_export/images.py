"""Photos and logos as the writers embed them: upright (EXIF orientation applied), in RGB, and
decoded at most at the size they are printed, so a writer's memory is bounded by the page.

An image that needs none of it is embedded as its own bytes; one that does is re-encoded (JPEG
as an RGB JPEG, anything else as PNG). The file is read through `jnim_export.files`.
"""

from __future__ import annotations

import errno
import functools
import io
import math
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import files, limits


# EXIF orientation -> the turn that sets the picture upright (as PIL.ImageOps.exif_transpose)
_TURNS = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
          7: "TRANSVERSE", 8: "ROTATE_90"}


class ImageProblem(OSError):
    """An image no writer embeds (the writers' `except OSError` report it like a missing file)."""

    def __init__(self, message: str):
        super().__init__(errno.EINVAL, message)

    def __str__(self) -> str:
        return self.strerror or ""  # always given: OSError types it as optional


@dataclass(frozen=True)
class Prepared:
    data: bytes
    width: int
    height: int
    mime: str  # image/png or image/jpeg

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def prepared(path: Path | str, longest: int = limits.PRINT_PIXELS) -> Prepared:
    """The image at `path`, upright and at most `longest` pixels on its longer side.

    Raises OSError: a FileProblem for a special or oversized file, an ImageProblem for one that
    is no PNG or JPEG a writer may decode (checked when validating, so only if it changed since).
    """
    st = os.stat(path)
    return _prepared(str(path), longest, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _prepared(path: str, longest: int, _mtime: int, _size: int) -> Prepared:
    data = files.read_bytes(path, limits.IMAGE_BYTES, "images")
    try:
        return _decoded(data, Path(path).name, longest)
    except ImageProblem:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error) as exc:  # Pillow on bad bytes
        raise ImageProblem(f"{Path(path).name} cannot be read as an image ({type(exc).__name__})") from None


def _decoded(data: bytes, name: str, longest: int) -> Prepared:
    from PIL import Image, UnidentifiedImageError

    try:
        img: Image.Image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
    except UnidentifiedImageError:
        raise ImageProblem(f"{name} is not a PNG or JPEG image") from None
    with img:
        kind = img.format
        if kind not in ("PNG", "JPEG"):  # what `formats` lets through: never None
            raise ImageProblem(f"{name} is not a PNG or JPEG image")
        width, height = img.size
        if width * height > (limits.IMAGE_PIXELS if kind == "JPEG" else limits.PNG_PIXELS):
            raise ImageProblem(f"{name} is {width:,} × {height:,} pixels, over the limit")
        orientation = img.getexif().get(0x0112, 1)
        # CMYK is re-encoded as RGB: the PDF's colours are sRGB (its output intent's)
        if orientation in (None, 1) and max(width, height) <= longest and img.mode != "CMYK":
            return Prepared(data, width, height, f"image/{kind.lower()}")
        if kind == "JPEG":
            scale = min(1.0, longest / max(width, height))
            img.draft(img.mode, (math.ceil(width * scale), math.ceil(height * scale)))  # at 1/2, 1/4 or 1/8
        img.thumbnail((longest, longest), Image.Resampling.LANCZOS)  # in place: no second full-size copy
        if orientation in _TURNS:  # turned when small: cheap
            img = img.transpose(Image.Transpose[_TURNS[orientation]])
        out = io.BytesIO()
        if kind == "JPEG":
            img.convert("RGB" if img.mode not in ("RGB", "L") else img.mode).save(out, "JPEG", quality=90)
        else:
            img.save(out, "PNG", optimize=False)
        return Prepared(out.getvalue(), img.width, img.height, f"image/{kind.lower()}")
