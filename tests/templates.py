"""A corpus of PowerPoint templates such as institutes bring, made with python-pptx for the tests.

Synthetic: each starts from python-pptx's own default template and changes what real templates
change — the slide size, the layouts' names (in French, German, Arabic), layouts removed, the
title moved, a dark background (on every slide, or on the cover only), the theme's fonts and
colours — and keeps a slide of its own,
which a deck built on it must drop. `make(name, folder)` writes one; `NAMES` lists them.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Mm

DEFAULT_NAMES = ("Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only",
                 "Blank", "Content with Caption", "Picture with Caption", "Title and Vertical Text",
                 "Vertical Title and Text")
FRENCH = ("Diapositive de titre", "Titre et contenu", "Titre de section", "Deux contenus", "Comparaison",
          "Titre seul", "Vide", "Contenu avec légende", "Image avec légende", "Titre et texte vertical",
          "Titre vertical et texte")
GERMAN = ("Titelfolie", "Titel und Inhalt", "Abschnittsüberschrift", "Zwei Inhalte", "Vergleich", "Nur Titel",
          "Leer", "Inhalt mit Überschrift", "Bild mit Überschrift", "Titel und vertikaler Text",
          "Vertikaler Titel und Text")
ARABIC = ("شريحة عنوان", "عنوان ومحتوى", "عنوان المقطع", "محتويان", "مقارنة", "عنوان فقط", "فارغ",
          "محتوى مع تسمية توضيحية", "صورة مع تسمية توضيحية", "عنوان ونص عمودي", "عنوان عمودي ونص")

# name: (width, height, layout names, layouts removed (by default name), options)
CORPUS = {
    "wide-fr": (Inches(13.333), Inches(7.5), FRENCH, (), {}),
    "standard-fr": (Inches(10), Inches(7.5), FRENCH, (), {}),
    "dark-de": (Inches(13.333), Inches(7.5), GERMAN, ("Title Only", "Blank"), {"background": "1B2230"}),
    "a4-ar": (Mm(297), Mm(210), ARABIC, (), {}),
    "portrait": (Inches(7.5), Inches(10), DEFAULT_NAMES, (), {}),
    "moved-title": (Inches(13.333), Inches(7.5), DEFAULT_NAMES, ("Title Only",), {"move_title": True}),
    "brand-16x10": (Inches(10), Inches(6.25), DEFAULT_NAMES, (), {"brand": True, "cover_background": "0B2A4A"}),
    "cover-and-blank": (Inches(13.333), Inches(7.5), DEFAULT_NAMES,
                        tuple(n for n in DEFAULT_NAMES if n not in ("Title Slide", "Blank")), {}),
}
NAMES = tuple(CORPUS)


def make(name: str, folder: Path) -> Path:
    """Write template `name` of `CORPUS` to `folder` and return its path."""
    width, height, names, removed, opts = CORPUS[name]
    prs = Presentation()
    _resize(prs, width, height)
    by_default = dict(zip(DEFAULT_NAMES, prs.slide_layouts))
    for default, new in zip(DEFAULT_NAMES, names):
        by_default[default].name = new
    if opts.get("move_title"):
        _move_title(prs)
    if opts.get("background"):
        fill = prs.slide_master.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(opts["background"])
    if opts.get("brand"):
        _brand(prs)
    if opts.get("cover_background"):  # a dark title slide, light slides after it
        fill = by_default["Title Slide"].background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(opts["cover_background"])
    own = prs.slides.add_slide(prs.slide_layouts[0])
    own.shapes.title.text = "A slide of the template"
    for default in removed:
        prs.slide_layouts.remove(by_default[default])
    path = Path(folder) / f"{name}.pptx"
    prs.save(str(path))
    return path


def _scaled(prs, kx: float, ky: float):
    for part in [prs.slide_master, *prs.slide_layouts]:
        for ph in part.placeholders:
            if ph.element.spPr.find(qn("a:xfrm")) is not None:
                yield ph


def _resize(prs, width: int, height: int) -> None:
    """The slide size, every placeholder moved and stretched with it."""
    kx, ky = width / prs.slide_width, height / prs.slide_height
    for ph in list(_scaled(prs, kx, ky)):
        ph.left, ph.width = Emu(int(ph.left * kx)), Emu(int(ph.width * kx))
        ph.top, ph.height = Emu(int(ph.top * ky)), Emu(int(ph.height * ky))
    prs.slide_width, prs.slide_height = Emu(int(width)), Emu(int(height))


def _move_title(prs) -> None:
    """Titles indented and lower than the default's, in a shorter box; the bodies under them shortened."""
    W, H = prs.slide_width, prs.slide_height
    for part in [prs.slide_master, *prs.slide_layouts]:
        phs = [ph for ph in part.placeholders if ph.element.spPr.find(qn("a:xfrm")) is not None]
        title = next((ph for ph in phs if ph.placeholder_format.type == 1), None)  # TITLE
        if title is None or title.top > H * 0.3:
            continue
        title.left, title.top, title.width, title.height = int(W * 0.18), int(H * 0.1), int(W * 0.75), int(H * 0.12)
        for ph in phs:
            if ph.placeholder_format.type in (2, 7) and ph.top < H * 0.4:  # BODY, OBJECT under it
                bottom = ph.top + ph.height
                ph.top = int(H * 0.26)
                ph.height = bottom - ph.top


def _brand(prs) -> None:
    """A brand's theme: its own colour scheme and fonts (Noto Serif for headings, Noto Sans for text)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(".//" + qn("a:clrScheme"))
    scheme.set("name", "Brand")
    colours = {"dk1": "102A43", "lt1": "FFFFFF", "dk2": "243B53", "lt2": "E6F0F7", "accent1": "0B7A75",
               "accent2": "D9822B", "accent3": "7B61A8", "accent4": "C2185B", "accent5": "2E7D32",
               "accent6": "546E7A", "hlink": "0B7A75", "folHlink": "7B61A8"}
    for tag, val in colours.items():
        el = scheme.find(qn(f"a:{tag}"))
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, qn("a:srgbClr")).set("val", val)
    for which, face in (("a:majorFont", "Noto Serif"), ("a:minorFont", "Noto Sans")):
        root.find(".//" + qn(which) + "/" + qn("a:latin")).set("typeface", face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
