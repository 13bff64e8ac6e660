"""The Word styles the document uses: found by name in the template (a reference document's, when
given, whose look is then kept), added when missing, and given the house look otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.shared import Pt, RGBColor

from ... import fonts
from ...model import Style
from .opc import w
from .theme import THEME, DocxTheme

P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE

# role: (Word's name for it, type, the id Word gives it, based on)
ROLES: dict[str, tuple[str, WD_STYLE_TYPE, str, str | None]] = {
    "normal": ("Normal", P, "Normal", None),
    "title": ("Title", P, "Title", "Normal"),
    "native": ("Subtitle", P, "Subtitle", "Normal"),
    "byline": ("Byline", P, "Byline", "Normal"),
    "heading1": ("Heading 1", P, "Heading1", "Normal"),
    "heading2": ("Heading 2", P, "Heading2", "Normal"),
    "quote": ("Quote", P, "Quote", "Normal"),
    "bullet": ("List Bullet", P, "ListBullet", "Normal"),
    "figure": ("Figure", P, "Figure", "Normal"),
    "caption": ("Caption", P, "Caption", "Normal"),
    "credit": ("Figure Credit", P, "FigureCredit", "Normal"),
    "table_text": ("Table Text", P, "TableText", "Normal"),
    "footnote_text": ("footnote text", P, "FootnoteText", "Normal"),
    "endnote_text": ("endnote text", P, "EndnoteText", "Normal"),
    "footnote_ref": ("footnote reference", C, "FootnoteReference", None),
    "endnote_ref": ("endnote reference", C, "EndnoteReference", None),
    "hyperlink": ("Hyperlink", C, "Hyperlink", None),
    "table": ("Table Grid", T, "TableGrid", None),
}


@dataclass(frozen=True)
class StyleIds:
    """Role → the style id paragraphs and runs name."""

    ids: dict[str, str]

    def __getitem__(self, role: str) -> str:
        return self.ids[role]


def prepare_styles(document, style: Style, *, house: bool, theme: DocxTheme = THEME) -> StyleIds:
    """Every role's style present; with `house`, styled from the content's `style` (a reference
    document's styles are left as they are, only missing ones added)."""
    styles = document.styles
    # each style's name and type read once: python-docx makes them from the XML on every read, and
    # looking every role up among the template's 160 styles that way was a third of the render
    listed = [(st.name, st.type, st) for st in styles]
    ids: dict[str, str] = {}
    added: set[str] = set()
    for role, (name, kind, canonical, based) in ROLES.items():
        found = next((st for n, t, st in listed if n is not None and n.lower() == name.lower() and t == kind), None)
        if found is None:
            found = styles.add_style(name, kind)
            found.element.set(w("w:styleId"), canonical)
            if based is not None:
                found.base_style = styles[based] if based in [n for n, _, _ in listed] else None
            listed.append((found.name, found.type, found))
            added.add(role)
        ids[role] = found.style_id
    if house:
        _house(document, style, ids, theme)
        added |= {"footnote_ref", "endnote_ref", "hyperlink"}
    _minimal(document, ids, added)
    return StyleIds(ids)


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _font(s, family: str | None, size: float | None, *, colour: str | None = None, bold: bool | None = None,
          italic: bool | None = None) -> None:
    if family:
        s.font.name = family
        rpr = s.element.get_or_add_rPr()
        fonts = rpr.find(w("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(w(attr), family)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(w(attr), None)
    if size:
        s.font.size = Pt(size)
    if colour:
        s.font.color.rgb = _colour(colour)
    if bold is not None:
        s.font.bold = bold
    if italic is not None:
        s.font.italic = italic
        s.font.cs_italic = italic


def _house(document, style: Style, ids: dict[str, str], t: DocxTheme) -> None:
    """The house look: serif text, sans headings in the accent colour, as the PDF."""
    by_id = {s.style_id: s for s in document.styles}

    def get(role: str):
        return by_id[ids[role]]

    body = style.body_size + t.body_step
    _font(get("normal"), style.serif, body, colour=style.ink)
    get("normal").paragraph_format.space_after = Pt(t.space_after)
    get("normal").paragraph_format.line_spacing = t.line_spacing
    _font(get("title"), style.sans, t.title_size, colour=style.accent, bold=True)
    _font(get("native"), None, t.native_size, colour=style.ink, italic=False)
    _font(get("byline"), style.sans, body - 1, colour=style.muted)
    _font(get("heading1"), style.sans, t.heading1_size, colour=style.accent, bold=True)
    _font(get("heading2"), style.sans, t.heading2_size, colour=style.ink, bold=True)
    _font(get("quote"), style.serif, body + t.quote_step, colour=style.accent, italic=True)
    _font(get("caption"), style.sans, body - 1.5, colour=style.ink, bold=False, italic=False)
    _font(get("credit"), style.sans, body - 2.5, colour=style.muted)
    _font(get("table_text"), style.sans, body - 1.5, colour=style.ink)
    get("table_text").paragraph_format.space_after = Pt(0)
    for role in ("footnote_text", "endnote_text"):
        _font(get(role), style.serif, body - 2, colour=style.ink)
        get(role).paragraph_format.space_after = Pt(t.note_space_after)
    get("figure").paragraph_format.keep_with_next = True
    get("caption").paragraph_format.keep_with_next = True
    # Arabic runs (complex script) in the shipped Naskh face
    get("normal").element.get_or_add_rPr().find(w("w:rFonts")).set(w("w:cs"), fonts.ARABIC)


def _minimal(document, ids: dict[str, str], added: set[str]) -> None:
    """What the styles this writer added need to work: superscript note marks, blue underlined links."""
    by_id = {s.style_id: s for s in document.styles}
    for role in ("footnote_ref", "endnote_ref"):
        if role in added:
            by_id[ids[role]].font.superscript = True
    if "hyperlink" in added:
        link = by_id[ids["hyperlink"]]
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
    if "table" in added:
        tbl = by_id[ids["table"]].element
        ppr = tbl.find(w("w:tblPr"))
        if ppr is None:
            ppr = OxmlElement("w:tblPr")
            tbl.append(ppr)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            b = OxmlElement(f"w:{edge}")
            for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")):
                b.set(w(k), v)
            borders.append(b)
        ppr.append(borders)
