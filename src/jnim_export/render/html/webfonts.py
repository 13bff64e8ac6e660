"""The shipped Noto faces as small WOFF subsets in data URLs, so the page needs no font server.

Each face ships ready subset (`fonts/*.woff`, made by tools/web_fonts.py) to the Latin
scripts, punctuation and symbols a backgrounder uses (BASE; the Arabic face to the Arabic
blocks): a page whose text stays within them costs no font work at all. A page using other
characters a face has gets a subset made for it (BASE plus those characters), cached in the
figure cache folder under a hash of the font and the characters, and in memory.
WOFF (zlib) rather than WOFF2 keeps brotli out of the dependencies; at these sizes the
difference is a few kilobytes per face.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
from pathlib import Path

from ... import atomic, fonts

__all__ = ["BASE", "Face", "font_face_css"]

VERSION = "2"  # of the subsetting options below: part of every cache key

BASE = frozenset(
    list(range(0x20, 0x7F)) + list(range(0xA0, 0x250)) + list(range(0x2B0, 0x300)) + list(range(0x1E00, 0x1F00))
    + list(range(0x2000, 0x2070)) + list(range(0x20A0, 0x20C0)) + [0x2122, 0x2190, 0x2192, 0x21A9, 0x2212]
)
# The Arabic blocks, and BASE too: the face also has digits, punctuation and joiners, which every
# page uses, so without them nearly every page would need a subset of its own (0.5 s a face)
ARABIC_BASE = frozenset(list(range(0x600, 0x700)) + list(range(0x750, 0x780))) | BASE
SHIPPED = Path(__file__).parent / "fonts"


def shipped_subset(family: str, bold: bool, italic: bool) -> Path:
    """Where the ready subset of a face lies (tools/web_fonts.py writes it)."""
    return SHIPPED / f"{fonts.font_path(family, bold=bold, italic=italic).stem}.woff"


def base_of(family: str) -> frozenset[int]:
    return ARABIC_BASE if family == fonts.ARABIC else BASE

Face = tuple[str, bool, bool]  # (family, bold, italic)

# kept beside fontTools' default features (which hold Arabic joining: init, medi, fina, isol, rlig):
# the figure styles a stylesheet may ask for
_FIGURE_FEATURES = ["lnum", "pnum", "onum", "tnum"]


def _key(path: Path, chars: frozenset[int]) -> str:
    st = path.stat()
    h = hashlib.sha256(f"{VERSION}|{path.name}|{st.st_size}|".encode())
    h.update(",".join(map(str, sorted(chars))).encode())
    return h.hexdigest()


def _subset(path: Path, chars: frozenset[int]) -> bytes:
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = subset.Options().layout_features + _FIGURE_FEATURES
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence names
    opts.name_languages = [0x409]
    font = subset.load_font(str(path), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(chars))
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, opts)
    return buf.getvalue()


@functools.lru_cache(maxsize=64)
def _woff(path_s: str, chars: frozenset[int], cache_dir_s: str) -> bytes:
    path, cache_dir = Path(path_s), Path(cache_dir_s)
    out = cache_dir / f"font-{path.stem}-{_key(path, chars)[:24]}.woff"
    try:
        return out.read_bytes()
    except OSError:
        pass
    blob = _subset(path, chars)
    cache_dir.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(out, blob)
    return blob


def font_face_css(faces: list[Face], text: str, cache_dir: Path) -> str:
    """@font-face rules for `faces`: the shipped subset, or one with the other characters of `text`."""
    wanted = {ord(ch) for ch in set(text)}
    rules = []
    for family, bold, italic in sorted(set(faces)):
        path = fonts.font_path(family, bold=bold, italic=italic)
        base = base_of(family)
        extra = (wanted - base) & fonts.charset(family, bold=bold, italic=italic)
        if extra:
            blob = _woff(str(path), frozenset(base | extra), str(cache_dir))
        else:
            blob = shipped_subset(family, bold, italic).read_bytes()
        data = base64.b64encode(blob).decode("ascii")
        rules.append(
            f'@font-face{{font-family:"{family}";font-style:{"italic" if italic else "normal"};'
            f'font-weight:{700 if bold else 400};font-display:swap;'
            f'src:url(data:font/woff;base64,{data}) format("woff")}}'
        )
    return "\n".join(rules)
