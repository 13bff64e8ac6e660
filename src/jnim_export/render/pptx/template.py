"""The template a deck is built on: opened (`templatefile`), its own slides dropped, its theme read or restyled."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from . import internals, templatefile


def open_template(path: Path | None, warnings: list[str] | None = None):
    """The presentation a deck is built on: python-pptx's default, or `path` checked and without
    its links to outside (`templatefile`; what was removed is added to `warnings`)."""
    if path is None:
        return Presentation()
    return templatefile.load(path, warnings if warnings is not None else [])


def drop_slides(deck) -> None:
    sld_ids = internals.slide_id_list(deck.prs)
    for sld_id in list(sld_ids):
        deck.prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)


def theme_part(deck):
    return deck.prs.slide_master.part.part_related_by(RT.THEME)


def theme_font(deck) -> str:
    try:
        root = etree.fromstring(theme_part(deck).blob)
        latin = root.find(".//" + qn("a:minorFont") + "/" + qn("a:latin"))
        return latin.get("typeface", "Noto Sans") if latin is not None else "Noto Sans"
    except (KeyError, etree.XMLSyntaxError):  # no theme, or one we cannot read: measure as Noto Sans
        return "Noto Sans"


def restyle_theme(deck) -> None:
    """The house colours and fonts as the default template's theme, so new text and the
    chart match the deck."""
    part = theme_part(deck)
    root = etree.fromstring(part.blob)
    st = deck.doc.style
    scheme = root.find(".//" + qn("a:clrScheme"))
    colors = {"dk2": deck.hex("ink"), "lt2": deck.hex("tint"), "hlink": deck.hex("accent"),
              "folHlink": deck.hex("muted")}
    for i, c in enumerate(st.palette[:6]):
        colors[f"accent{i + 1}"] = c
    if scheme is not None:
        scheme.set("name", "House")
        for tag, hexv in colors.items():
            el = scheme.find(qn(f"a:{tag}"))
            if el is None:
                continue
            for child in list(el):
                el.remove(child)
            etree.SubElement(el, qn("a:srgbClr")).set("val", hexv.lstrip("#").upper())
    for which in ("a:majorFont", "a:minorFont"):
        latin = root.find(".//" + qn(which) + "/" + qn("a:latin"))
        if latin is not None:
            latin.set("typeface", st.sans)
    internals.set_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def explain(path: Path) -> list[str]:
    """What a deck on the template at `path` is built on: each layout's role and why, the layout
    each slide kind uses, what was derived, and the colours text gets on each."""
    from .layouts import Layouts
    from .look import background, scheme

    prs = open_template(path)
    layouts = Layouts(prs)
    lines = [f"{path}: {prs.slide_width / 914400:.2f} × {prs.slide_height / 914400:.2f} in, "
             f"{len(prs.slide_layouts)} layouts"] + layouts.explain()
    colours = scheme(prs)
    for kind in ("title", "content", "title_only"):
        lo = layouts.choose(kind).layout
        lines.append(f"  background of {lo.name!r}: {background([lo.element, prs.slide_master.element], colours)}")
    return lines
