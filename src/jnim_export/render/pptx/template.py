"""The template a deck is built on: its layouts chosen by kind, its theme read or restyled."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from ..writer import RenderError
from .theme import LAYOUTS

# What a template may hold: a real one is a few hundred members and a few megabytes
MAX_MEMBERS = 2_000
MAX_UNPACKED = 200 * 2**20  # bytes, all members together
MAX_RATIO = 200  # unpacked / packed size of one member; a zip bomb is in the thousands


def open_template(path: Path | None):
    """The presentation a deck is built on: python-pptx's default, or `path` checked first.

    A template is a zip archive that python-pptx unpacks in memory: one that would unpack
    to gigabytes, or is no PowerPoint file, or has no slide layout, is refused with a message.
    """
    if path is None:
        return Presentation()
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise RenderError(f"template {path}: {len(members):,} files inside; at most {MAX_MEMBERS:,}")
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED:
                raise RenderError(f"template {path} unpacks to {unpacked / 2**20:,.0f} MB; at most "
                                  f"{MAX_UNPACKED // 2**20} MB")
            for m in members:
                if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise RenderError(f"template {path}: {m.filename} is compressed {m.file_size // max(m.compress_size, 1):,} "
                                      "to 1, as no real template is (a zip bomb?)")
        prs = Presentation(str(path))
    except RenderError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise RenderError(f"template {path} is not a PowerPoint file python-pptx can read ({exc})") from None
    if not len(prs.slide_layouts):
        raise RenderError(f"template {path} has no slide layout to build slides on")
    return prs


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
