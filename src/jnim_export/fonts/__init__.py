"""The embedded typefaces (Noto Serif and Noto Sans, SIL OFL 1.1) shipped with the package."""

from __future__ import annotations

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
