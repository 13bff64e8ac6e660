"""The embedded typefaces (Noto Serif, Noto Sans, Noto Naskh Arabic; SIL OFL 1.1) and what they can draw."""

from __future__ import annotations

import functools
from pathlib import Path

FONT_DIR = Path(__file__).parent

FAMILIES = {
    "Noto Serif": "NotoSerif",
    "Noto Sans": "NotoSans",
}
# The face every writer sets Arabic script in (it has no italic: its regular stands in)
ARABIC = "Noto Naskh Arabic"

_FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}


def font_path(family: str, *, bold: bool = False, italic: bool = False) -> Path:
    """The TrueType file of `family` in the given face."""
    if family == ARABIC:
        return FONT_DIR / f"NotoNaskhArabic-{'Bold' if bold else 'Regular'}.ttf"
    try:
        stem = FAMILIES[family]
    except KeyError:
        raise ValueError(f"unknown font family {family!r}; available: {', '.join(FAMILIES)}") from None
    return FONT_DIR / f"{stem}-{_FACES[bold, italic]}.ttf"


def read_charset(path: Path) -> frozenset[int]:
    """The characters a font file maps (read from the file: see `_coverage`)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def read_latin() -> frozenset[int]:
    """What every face of the text families can draw (read from the files)."""
    sets = [read_charset(font_path(f, bold=b, italic=i)) for f in FAMILIES for b in (False, True) for i in (False, True)]
    return frozenset.intersection(*sets)


@functools.lru_cache(maxsize=None)
def _coverage_file() -> dict:
    """coverage.json: tools/font_coverage.py writes it from the fonts; a test checks it against them."""
    import json

    return json.loads((FONT_DIR / "coverage.json").read_text(encoding="utf-8"))


def _codes(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(c for a, b in ranges for c in range(a, b + 1))


@functools.lru_cache(maxsize=None)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """(what the text faces all draw, what the Arabic face draws)."""
    data = _coverage_file()
    return _codes(data["latin"]), _codes(data["arabic"])


@functools.lru_cache(maxsize=None)
def charset(family: str, *, bold: bool = False, italic: bool = False) -> frozenset[int]:
    """The characters one face draws."""
    return _codes(_coverage_file()["faces"][font_path(family, bold=bold, italic=italic).stem])


def missing_character(text: str, *, arabic: bool = True) -> str | None:
    """The first character of `text` the shipped faces cannot draw, or None.

    Arabic script is drawn in its own face (`ARABIC`) where a writer sets it (`arabic=True`);
    white space is never drawn.
    """
    from .. import scripts

    latin, arabic_face = _coverage()
    arabic_set = arabic_face if arabic else frozenset()
    for piece, is_arabic in scripts.runs(text) if arabic else [(text, False)]:
        have = arabic_set | latin if is_arabic else latin
        if all(ord(ch) in have for ch in set(piece)):  # most text: each distinct character once
            continue
        for ch in piece:
            if not ch.isspace() and ord(ch) not in have:
                return ch
    return None


# --------------------------------------------------------------------------- metrics


def read_metrics(path: Path) -> dict:
    """A face's metrics read from its file, as metrics/<face>.json keeps them: units per em, the
    .notdef advance, the line's ascent and descent, and the advances as runs of consecutive
    code points of one width ([first, last, advance])."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    hmtx = font["hmtx"].metrics
    runs: list[list[int]] = []
    for cp, name in sorted(font.getBestCmap().items()):
        if name not in hmtx:
            continue
        width = hmtx[name][0]
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] == width:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, width])
    return {"upem": font["head"].unitsPerEm, "notdef": hmtx[".notdef"][0], "ascent": font["hhea"].ascent,
            "descent": font["hhea"].descent, "advances": runs}


@functools.lru_cache(maxsize=None)
def _face_metrics(family: str, bold: bool, italic: bool) -> dict:
    """metrics/<face>.json: tools/font_coverage.py writes them from the fonts (reading a font
    file takes fontTools, about 0.1 s of a validation; a test checks them against the files)."""
    import json

    stem = font_path(family, bold=bold, italic=italic).stem
    return json.loads((FONT_DIR / "metrics" / f"{stem}.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _metrics(family: str, bold: bool, italic: bool) -> tuple[dict[int, int], int, int]:
    """(advance width per code point, fallback advance, units per em) of one face."""
    face = _face_metrics(family, bold, italic)
    advances = {cp: width for first, last, width in face["advances"] for cp in range(first, last + 1)}
    return advances, face["notdef"], face["upem"]


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
    face = _face_metrics(family, bold, italic)
    return face["ascent"] / face["upem"], -face["descent"] / face["upem"]
