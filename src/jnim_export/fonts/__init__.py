"""The embedded typefaces (Noto Serif and Noto Sans, SIL OFL 1.1) shipped with the package."""

from __future__ import annotations

import functools
from pathlib import Path

FONT_DIR = Path(__file__).parent

FAMILIES = {
    "Noto Serif": "NotoSerif",
    "Noto Sans": "NotoSans",
}

_FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}


def font_path(family: str, *, bold: bool = False, italic: bool = False) -> Path:
    """The TrueType file of `family` in the given face."""
    try:
        stem = FAMILIES[family]
    except KeyError:
        raise ValueError(f"unknown font family {family!r}; available: {', '.join(FAMILIES)}") from None
    return FONT_DIR / f"{stem}-{_FACES[bold, italic]}.ttf"


# --------------------------------------------------------------------------- metrics


@functools.lru_cache(maxsize=None)
def _metrics(family: str, bold: bool, italic: bool) -> tuple[dict[int, int], int, int]:
    """(advance width per code point, fallback advance, units per em) of one face."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(family, bold=bold, italic=italic), lazy=True)
    hmtx = font["hmtx"].metrics
    advances = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items() if name in hmtx}
    return advances, hmtx[".notdef"][0], font["head"].unitsPerEm


@functools.lru_cache(maxsize=65536)
def text_width(text: str, family: str = "Noto Sans", size_pt: float = 12.0, bold: bool = False, italic: bool = False) -> float:
    """The advance width of `text` set on one line in `family` at `size_pt`, in points.

    Sums the font's horizontal advances (no kerning, which only narrows a line, so a
    measurement never comes out short). A character the font lacks counts as .notdef.
    """
    advances, fallback, upem = _metrics(family, bold, italic)
    return sum(advances.get(ord(ch), fallback) for ch in text) * size_pt / upem



@functools.lru_cache(maxsize=None)
def line_extent(family: str = "Noto Sans", bold: bool = False, italic: bool = False) -> tuple[float, float]:
    """(ascent, descent) of a line of `family`, in ems: the font's ascender and descender, which
    hold every glyph, accents included. A text's box is its width by (ascent + descent) × size."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(family, bold=bold, italic=italic), lazy=True)
    upem = font["head"].unitsPerEm
    return font["hhea"].ascent / upem, -font["hhea"].descent / upem
