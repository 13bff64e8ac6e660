"""The shipped faces registered with ReportLab and svglib, and the check that the content has glyphs in them."""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ... import fonts as shipped
from ... import kept
from ...model import Document, Paragraph, PullQuote, plain_text
from ..writer import RenderError
from . import rl


class MissingGlyphError(RenderError):
    """The content holds a character the embedded fonts cannot show."""


@dataclass(frozen=True)
class Faces:
    """ReportLab font names of the two families, by (bold, italic)."""

    serif: dict[tuple[bool, bool], str]
    sans: dict[tuple[bool, bool], str]


_SUFFIX = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic", (True, True): "-BoldItalic"}
_SVG_FONTS_DONE: set[str] = set()


_FACES_STAMP = (sys.version, reportlab.Version)
_faces: dict = {}  # font file -> (its size and time, its face's state), as kept
_parsed: list[str] = []  # the files this process parsed, not kept yet


def _font(name: str, path: Path) -> TTFont:
    """`TTFont(name, path)`, its face kept parsed for the next process (`kept.py`; parsing the
    ten shipped faces cost a fresh process 0.06 s of CPU, reading them kept about 0.015 s)."""
    if not _faces:
        _faces.update(kept.read(kept.path(__file__, "faces"), _FACES_STAMP))
    stat = os.stat(path)
    made = (stat.st_size, stat.st_mtime_ns)
    entry = _faces.get(str(path))
    if entry is not None and entry[0] == made:
        return rl.kept_font(name, str(path), entry[1], path.read_bytes())
    font = TTFont(name, str(path))
    _faces[str(path)] = (made, rl.face_state(font))
    _parsed.append(str(path))
    return font


def _keep_faces() -> None:
    if _parsed:
        kept.write(kept.path(__file__, "faces"), _FACES_STAMP, _faces)
        _parsed.clear()


def _register_family(family: str) -> dict[tuple[bool, bool], str]:
    base = family.replace(" ", "")
    names = {}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for (bold, italic), suffix in _SUFFIX.items():
        name = base + suffix
        if name not in registered:
            pdfmetrics.registerFont(_font(name, shipped.font_path(family, bold=bold, italic=italic)))
        names[bold, italic] = name
    for (bold, italic), name in names.items():
        addMapping(base, 1 if bold else 0, 1 if italic else 0, name)
    return names


def _register_svg_fonts(family: str, names: dict[tuple[bool, bool], str]) -> None:
    """Map the SVG font requests svglib makes (see figures.figure_file) to our faces.

    Done once per family and process, and only for the faces the figures use (regular and
    bold): svglib's register_font re-reads the TrueType file on every call.
    """
    if family in _SVG_FONTS_DONE:
        return
    from svglib.fonts import register_font

    for weight, bold in (("normal", False), ("bold", True), ("700", True)):
        path = shipped.font_path(family, bold=bold)
        register_font(family, str(path), weight=weight, style="normal", rlgFontName=names[bold, False])
    _SVG_FONTS_DONE.add(family)


def svg_fonts(family: str) -> None:
    """Ready svglib to convert a figure set in `family` (only when a drawing is not cached:
    importing svglib and reading the faces again cost a fresh process about 0.1 s)."""
    _register_svg_fonts(family, _register_family(family))
    # svglib's registration maps a family's italic to its regular face: ours are set again
    # after it, so italics are set as in a process that converted nothing
    _register_family(family)


def svg_font_files(family: str) -> tuple:
    """The faces svglib measures a figure's text with (a kept drawing depends on them)."""
    return tuple(shipped.font_path(family, bold=bold) for bold in (False, True))


ARABIC_FACE = "NotoNaskhArabic"


def _register_arabic() -> None:
    """The Arabic face and its bold; it has no italic, so its regular and bold stand in."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for bold in (False, True):
        name = ARABIC_FACE + ("-Bold" if bold else "")
        if name not in registered:
            pdfmetrics.registerFont(_font(name, shipped.font_path(shipped.ARABIC, bold=bold)))
        for italic in (False, True):
            addMapping(ARABIC_FACE, 1 if bold else 0, 1 if italic else 0, name)


def register_shipped() -> None:
    """Every shipped face registered, as `register_fonts` would for any style (the process a
    fresh build forks ahead does it while the content is read: 0.06 s of a first render)."""
    for family in shipped.FAMILIES:
        _register_family(family)
    _register_arabic()
    _keep_faces()


def register_fonts(style) -> Faces:
    serif = _register_family(style.serif)
    sans = _register_family(style.sans)
    _register_arabic()
    _keep_faces()
    return Faces(serif, sans)


def check_glyphs(doc: Document) -> None:
    """Raise MissingGlyphError for the first character (in reading order) no shipped face draws.

    Content read from a file has been checked already, with line and column (the same test,
    `fonts.missing_character`); this keeps a document made otherwise from printing blanks.
    """
    m = doc.meta
    texts = [(m.series + m.publisher + m.short_title + m.publisher_short, "the masthead and footer (meta)", False),
             (m.title + (m.native_title or "") + " ".join(m.authors) + m.copyright, "the title block (meta)", True)]
    for s_index, section in enumerate(doc.sections, 1):
        texts.append((section.title, f"the title of section {s_index}", True))
        for b_index, block in enumerate(section.blocks, 1):
            if isinstance(block, (Paragraph, PullQuote)):
                texts.append((plain_text(block.text), f"block {b_index} of section {s_index}", True))
    for figure in doc.figures:
        texts.append((plain_text(figure.caption) + plain_text(figure.credit) + figure.alt,
                      f"figure {figure.number} ({figure.id})", True))
        if figure.data_credit:  # drawn inside the artwork, where no Arabic is set
            texts.append((figure.data_credit, f"the data credit of figure {figure.number} ({figure.id})", False))
    texts.append((plain_text(m.credit), "the closing credit (meta.credit)", True))
    texts += [(plain_text(note.text), f"note {note.number}", True) for note in doc.text_notes]
    for text, where, arabic in texts:
        ch = shipped.missing_character(text, arabic=arabic)
        if ch is not None:
            name = unicodedata.name(ch, "unnamed character")
            raise MissingGlyphError(f"U+{ord(ch):04X} {ch!r} ({name}) in {where} is not in the bundled fonts; "
                                    "replace it or remove it from the content")
