"""A template's look: its colour scheme, the background a layout really shows, and the deck's
colour keys made from them so that text reads (WCAG, `jnim_export.colours`) on that background.

The rule: a colour the content's `style:` sets wins where it reads on the template's background
(text colours at 4.5:1; a tint that is a shade near the background); otherwise the template's:
text in the scheme's text colour that reads best, the accent from accent 1, the muted and rule
colours and the tint mixed from them and the background (or, if no text could read on that, a
shade of the background). Then every text colour is moved, as little as it takes, until it reads
at 4.5:1 on the background and on the tint. Charts use the
content's palette, as the PDF does.
"""

from __future__ import annotations

import colorsys

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from . import internals

from ...colours import BLACK, MIN_CONTRAST, TARGET, WHITE, contrast, mix, readable, rgb, to_hex

TINT_NEAR = 1.5  # a tint this close to the background in contrast is a shade of it
CLR_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}  # when the master has none


def scheme(prs) -> dict[str, str]:
    """The theme's colour scheme by name (dk1, lt1, accent1...), each #rrggbb, and the master's map."""
    root = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    out: dict[str, str] = {}
    clr = root.find(".//" + qn("a:clrScheme"))
    for el in clr if clr is not None else ():
        c = el.find(qn("a:srgbClr"))
        s = el.find(qn("a:sysClr"))
        val = c.get("val") if c is not None else s.get("lastClr") if s is not None else None
        if val:
            out[etree.QName(el).localname] = "#" + val.lower()
    cmap = prs.slide_master.element.find(qn("p:clrMap"))
    mapping = dict(cmap.attrib) if cmap is not None else CLR_MAP
    for name, to in mapping.items():
        if to in out:
            out[name] = out[to]
    return out


def colour_of(el, colours: dict[str, str]) -> str | None:
    """The #rrggbb of a colour element (a:srgbClr, a:schemeClr, a:sysClr), its lumMod, lumOff,
    tint and shade applied; None for one it cannot tell."""
    tag = etree.QName(el).localname
    if tag == "srgbClr":
        base = "#" + el.get("val", "").lower()
    elif tag == "schemeClr":
        base = colours.get(el.get("val", ""))
    elif tag == "sysClr":
        base = "#" + el.get("lastClr", "").lower() if el.get("lastClr") else None
    else:
        return None
    if base is None or len(base) != 7:
        return None
    h, l, s = colorsys.rgb_to_hls(*rgb(base))
    for mod in el:
        v = int(mod.get("val", "100000")) / 100000
        name = etree.QName(mod).localname
        if name == "lumMod":
            l *= v
        elif name == "lumOff":
            l += v
        elif name == "tint":
            base_t = to_hex(colorsys.hls_to_rgb(h, l, s))
            h, l, s = colorsys.rgb_to_hls(*rgb(mix(WHITE, base_t, v)))
        elif name == "shade":
            base_t = to_hex(colorsys.hls_to_rgb(h, l, s))
            h, l, s = colorsys.rgb_to_hls(*rgb(mix(BLACK, base_t, v)))
    return to_hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, l)), s))


def _fill_colour(parent, colours) -> str | None:
    """The colour of a solid fill, or the mean of a gradient's stops, under `parent`."""
    if parent is None:
        return None
    solid = parent.find(qn("a:solidFill"))
    if solid is not None and len(solid):
        return colour_of(solid[0], colours)
    grad = parent.find(qn("a:gradFill"))
    if grad is not None:
        found = [colour_of(gs[0], colours) for gs in grad.iter(qn("a:gs")) if len(gs)]
        stops = [c for c in found if c is not None]
        if stops:
            out = stops[0]
            for k, c in enumerate(stops[1:], 2):
                out = mix(out, c, 1 / k)
            return out
    return None


def background(parts, colours: dict[str, str]) -> str:
    """The background the first of `parts` (slide, layout, master elements) that sets one shows,
    else the scheme's bg1; a picture background counts as bg1."""
    for el in parts:
        bg = el.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if bg is None:
            continue
        pr = bg.find(qn("p:bgPr"))
        if pr is not None:
            return _fill_colour(pr, colours) or colours.get("bg1", WHITE)
        ref = bg.find(qn("p:bgRef"))
        if ref is not None and len(ref):
            return colour_of(ref[0], colours) or colours.get("bg1", WHITE)
    return colours.get("bg1", WHITE)


def layout_background(prs, layout) -> str:
    return background([layout.element, prs.slide_master.element], scheme(prs))


def template_colours(style, given: tuple[str, ...], colours: dict[str, str], bg: str) -> dict[str, str]:
    """The deck's colour keys on a template slide whose background is `bg` (the rule in the docstring)."""
    dark = contrast(bg, WHITE) > contrast(bg, BLACK)
    towards = WHITE if dark else BLACK

    def content(key: str) -> str | None:  # the content's colour, if it sets one that reads on `bg`
        c = getattr(style, key)
        return c if key in given and contrast(c, bg) >= MIN_CONTRAST else None

    texts = [colours[k] for k in ("tx1", "dk1", "lt1", "tx2", "dk2", "lt2") if k in colours]
    ink = content("ink") or max(texts or [towards], key=lambda c: contrast(c, bg))
    accent = content("accent") or colours.get("accent1", style.accent)
    # the content's tint if it is a shade near the background (a light one on a light slide)
    tint = style.tint if "tint" in given and contrast(style.tint, bg) < TINT_NEAR else mix(bg, accent, 0.1)
    away = BLACK if towards == WHITE else WHITE
    if contrast(towards, tint) < TARGET:  # a tint no text reads on: a shade of the background away from it
        tint = mix(bg, away, 0.06)
    backs = (bg, tint)
    ink = readable(ink, backs, towards=towards)
    muted = content("muted") or mix(ink, bg, 0.3)
    return {"ink": ink, "accent": readable(accent, backs, towards=towards),
            "muted": readable(muted, backs, towards=towards), "tint": tint, "rule": mix(ink, bg, 0.7),
            "white": bg}


def readable_links(prs, backgrounds: tuple[str, ...]) -> None:
    """The theme's link colour, in which PowerPoint may draw a hyperlink whatever its run says,
    moved until it reads on every background the deck's slides show."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    el = root.find(f".//{qn('a:clrScheme')}/{qn('a:hlink')}")
    colours = scheme(prs)
    if el is None or not len(el) or not backgrounds:
        return
    now = colour_of(el[0], colours) or "#0000ff"
    dark = contrast(backgrounds[0], WHITE) > contrast(backgrounds[0], BLACK)
    new = readable(now, backgrounds, towards=WHITE if dark else BLACK)
    if new != now:
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, qn("a:srgbClr")).set("val", new.lstrip("#").upper())
        internals.set_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
