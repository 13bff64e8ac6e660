"""The shipped faces registered with ReportLab and svglib, and the check that the content has glyphs in them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import reportlab.platypus.paragraph as rl_paragraph
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ... import fonts as shipped
from ...model import Document, Emph, Inlines, Link, Paragraph, PullQuote, Strong, Text
from ..writer import RenderError


class MissingGlyphError(RenderError):
    """The content holds a character the embedded fonts cannot show."""


@dataclass(frozen=True)
class Faces:
    """ReportLab font names of the two families, by (bold, italic)."""

    serif: dict[tuple[bool, bool], str]
    sans: dict[tuple[bool, bool], str]
    serif_family: str
    sans_family: str


_SUFFIX = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic", (True, True): "-BoldItalic"}
_SVG_FONTS_DONE: set[str] = set()


def _register_family(family: str) -> tuple[str, dict[tuple[bool, bool], str]]:
    base = family.replace(" ", "")
    names = {}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for (bold, italic), suffix in _SUFFIX.items():
        name = base + suffix
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(shipped.font_path(family, bold=bold, italic=italic))))
        names[bold, italic] = name
    for (bold, italic), name in names.items():
        addMapping(base, int(bold), int(italic), name)
    return base, names


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


def register_fonts(style) -> Faces:
    sans_base, sans = _register_family(style.sans)
    # svglib's registration maps a family's italic to its regular face: ours are set after it,
    # so the first render in a process sets italics as every later one does
    _register_svg_fonts(style.sans, sans)
    serif_base, serif = _register_family(style.serif)
    sans_base, sans = _register_family(style.sans)
    return Faces(serif, sans, serif_base, sans_base)


def _charset(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


_BREAKS = frozenset(rl_paragraph._wsc)  # characters ReportLab sets as word breaks, never drawn


def check_glyphs(doc: Document, faces: Faces) -> None:
    """Raise MissingGlyphError for the first character (in reading order) a face lacks."""
    cache: dict[str, frozenset[int]] = {}

    def check(text: str, font: str, where: str) -> None:
        have = cache.get(font)
        if have is None:
            have = cache[font] = _charset(font)
        for ch in text:
            if ch in _BREAKS or ord(ch) in have:
                continue
            name = unicodedata.name(ch, "unnamed character")
            raise MissingGlyphError(
                f"U+{ord(ch):04X} {ch!r} ({name}) in {where} is not in the font {font}; "
                "replace it or remove it from the content"
            )

    def inlines(nodes: Inlines, family: dict, where: str, bold: bool = False, italic: bool = False) -> None:
        for node in nodes:
            if isinstance(node, Text):
                check(node.text, family[bold, italic], where)
            elif isinstance(node, Emph):
                inlines(node.children, family, where, bold, True)
            elif isinstance(node, Strong):
                inlines(node.children, family, where, True, italic)
            elif isinstance(node, Link):
                inlines(node.children, family, where, bold, italic)

    m = doc.meta
    check(m.series.upper(), faces.sans[True, False], "the series name (meta.series)")
    check(m.publisher, faces.sans[False, False], "the publisher (meta.publisher)")
    check(m.title, faces.serif[True, False], "the title (meta.title)")
    check(m.short_title + m.series + m.publisher_short, faces.sans[False, False], "the running footer (meta)")
    check(" ".join(m.authors), faces.sans[False, False], "the byline (meta.authors)")
    for s_index, section in enumerate(doc.sections, 1):
        check(section.title.upper(), faces.sans[True, False], f"the title of section {s_index} ({section.title!r})")
        para = 0
        for block in section.blocks:
            if isinstance(block, Paragraph):
                para += 1
                inlines(block.text, faces.serif, f"paragraph {para} of section {s_index} ({section.title!r})")
            elif isinstance(block, PullQuote):
                inlines(block.text, faces.serif, f"the pull quote of section {s_index} ({section.title!r})", italic=True)
    for figure in doc.figures:
        where = f"the caption of figure {figure.number} ({figure.id})"
        inlines(figure.caption, faces.sans, where)
        inlines(figure.credit, faces.sans, f"the credit line of figure {figure.number} ({figure.id})")
        if figure.data_credit:  # drawn inside the artwork, in the same family
            check(figure.data_credit, faces.sans[False, False], f"the data credit of figure {figure.number} ({figure.id})")
        if figure.kind == "photo" and figure.image is None:
            check(figure.alt, faces.sans[False, True], f"the alt text of figure {figure.number} ({figure.id})")
    inlines(m.credit, faces.serif, "the closing credit (meta.credit)", italic=True)
    check(m.copyright, faces.sans[False, False], "the copyright line (meta.copyright)")
    for note in doc.text_notes:
        inlines(note.text, faces.serif, f"note {note.number}")
