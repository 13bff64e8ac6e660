"""The template a deck is built on: its layouts chosen by kind, its theme read or restyled."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from . import templatefile
from .theme import LAYOUTS

def open_template(path: Path | None, warnings: list[str] | None = None):
    """The presentation a deck is built on: python-pptx's default, or `path` checked and without
    its links to outside (`templatefile`; what was removed is added to `warnings`)."""
    if path is None:
        return Presentation()
    return templatefile.load(path, warnings if warnings is not None else [])


def drop_slides(deck) -> None:
    sld_ids = deck.prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        deck.prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)


def theme_part(deck):
    return deck.prs.slide_master.part.part_related_by(RT.THEME)


def theme_font(deck) -> str:
    try:
        root = etree.fromstring(theme_part(deck).blob)
        latin = root.find(".//" + qn("a:minorFont") + "/" + qn("a:latin"))
        return latin.get("typeface") if latin is not None else "Noto Sans"
    except Exception:  # a theme we cannot read: measure as Noto Sans
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
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def choose_layout(deck, kind: str):
    if kind in deck._layout_cache:
        return deck._layout_cache[kind]
    layouts = list(deck.prs.slide_layouts)
    by_name = {lo.name.strip().lower(): lo for lo in layouts}
    chosen = None
    for name in LAYOUTS[kind]:
        if name.lower() in by_name:
            chosen = by_name[name.lower()]
            break
    if chosen is None:
        # the layout with a title and the fewest other placeholders, else the first
        def score(lo):
            types = [ph.placeholder_format.type for ph in lo.placeholders]
            has_title = any(t in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) for t in types)
            body = sum(1 for t in types if t in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE))
            wanted_body = 1 if kind in ("content", "title") else 0
            return (not has_title, abs(body - wanted_body), len(types))

        chosen = min(layouts, key=score)
        deck.warnings.append(
            f"slides: the template has no layout named {' or '.join(repr(n) for n in LAYOUTS[kind])}; "
            f"using {chosen.name!r}"
        )
    deck._layout_cache[kind] = chosen
    return chosen
