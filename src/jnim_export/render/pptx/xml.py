"""Text written into a slide's XML: explicit sizes, spacing and indents, no autofit; fast by copying."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt
from ... import fonts, scripts
from . import internals
from .geometry import pt
from .textfit import Para, Seg


if TYPE_CHECKING:
    pass

_A_P, _A_PPR, _A_END, _A_BODYPR = qn("a:p"), qn("a:pPr"), qn("a:endParaRPr"), qn("a:bodyPr")
_P_CONTENT = frozenset(qn(t) for t in ("a:r", "a:br", "a:fld"))
_P_CHILDREN = _P_CONTENT | {_A_PPR, _A_END}
_TXBODY_CHILDREN = frozenset((_A_BODYPR, qn("a:lstStyle"), _A_P))
_escape_ctrl_chars = internals.escape_ctrl_chars

# XML made once through python-pptx and copied from then on (see `write`), keyed by
# everything that shapes it; shared by the decks of a process (`jnim-export watch`).
_TEMPLATES: dict[tuple, object] = {}
ARABIC_LANG = "ar-SA"  # a run in Arabic script inside the deck's language

def write(deck, tf, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, insets=(0, 0, 0, 0)) -> None:
    """Write `paras` to text frame `tf`: explicit sizes, spacing and indents, no autofit.

    The XML is what `_write_api` makes, property by property, through python-pptx; here
    each distinct body, paragraph and run property set is made that way once (see
    `_template`) and copied, which is many times faster for a deck's hundreds of runs.
    """
    txBody = tf._txBody
    ps = txBody.findall(_A_P)
    bodyPr = txBody.find(_A_BODYPR)
    if (not ps or bodyPr is None or any(c.tag not in _P_CHILDREN for c in ps[0])
            or any(c.tag not in _TXBODY_CHILDREN for c in txBody)):
        write_api(deck, tf, paras, anchor=anchor, insets=insets)
        return
    # tf.clear(): one paragraph left, emptied of runs, breaks and fields
    for p in ps[1:]:
        txBody.remove(p)
    first = ps[0]
    for c in [c for c in first if c.tag in _P_CONTENT]:
        first.remove(c)
    # the body properties
    insets = tuple(int(v) for v in insets)
    key: tuple = ("body", etree.tostring(bodyPr), insets, anchor)
    txBody.replace(bodyPr, copy.deepcopy(_template(key, lambda: _body_template(deck, bodyPr, insets, anchor))))
    lang = deck.doc.meta.language
    for i, para in enumerate(paras):
        p = first if i == 0 else etree.SubElement(txBody, _A_P)
        pPr = p.find(_A_PPR) if i == 0 else None
        key = ("para", etree.tostring(pPr) if pPr is not None else None, para.align, para.spacing,
               para.after, para.hang, para.bullet, any("\t" in s.text for s in para.segs),
               deck.hex("accent"), deck.measure.family)
        tmpl = copy.deepcopy(_template(key, lambda pPr=pPr, para=para: _para_template(deck, pPr, para)))
        if pPr is not None:
            p.replace(pPr, tmpl)
        else:
            p.insert(0, tmpl)
        end = p.find(_A_END)
        fam = para.family or deck.text_family
        for seg, seg_lang in _runs(para.segs, lang):
            if seg.text == "\v":  # a line break, as tall as the paragraph's text
                br = etree.Element(qn("a:br"))
                etree.SubElement(br, qn("a:rPr"), sz=str(int(round(para.size * 100))), lang=seg_lang)
                if end is not None:
                    end.addprevious(br)
                else:
                    p.append(br)
                continue
            bold, italic = para.bold or seg.bold, para.italic or seg.italic
            color = seg.color or para.color
            key = ("run", para.size, bold, italic, fam, deck.hex(color), seg_lang, seg.sup)
            r = copy.deepcopy(_template(key, lambda para=para, seg=seg, seg_lang=seg_lang:
                                        _run_template(deck, para, seg, seg_lang)))
            r[-1].text = _escape_ctrl_chars(seg.text)
            if end is not None:
                end.addprevious(r)
            else:
                p.append(r)
            if seg.href:  # through python-pptx, which relates the link to the slide
                internals.add_hyperlink(r, p, tf, seg.href)
        # the empty-paragraph mark carries the size too, so an empty line measures the same
        if end is None:
            end = etree.SubElement(p, _A_END)
        end.set("sz", str(int(round(para.size * 100))))
        end.set("lang", lang)


def _template(key, make):
    tmpl = _TEMPLATES.get(key)
    if tmpl is None:
        if len(_TEMPLATES) > 4096:
            _TEMPLATES.clear()
        tmpl = _TEMPLATES[key] = make()
    return tmpl


def _scratch_tf(bodyPr):
    txBody = parse_xml(f'<p:txBody {nsdecls("a", "p")}><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>')
    if bodyPr is not None:
        txBody.replace(txBody[0], copy.deepcopy(bodyPr))
    return TextFrame(txBody, None)  # type: ignore[arg-type]  # a scratch frame: no part, only its XML is used


def _body_template(deck, bodyPr, insets, anchor):
    tf = _scratch_tf(bodyPr)
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Emu(v) for v in insets)
    tf.vertical_anchor = anchor
    return tf._txBody.find(_A_BODYPR)


def _para_template(deck, pPr, para: Para):
    tf = _scratch_tf(None)
    p = tf.paragraphs[0]
    if pPr is not None:
        p._p.insert(0, copy.deepcopy(pPr))
    p.alignment = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[para.align]
    p.line_spacing = para.spacing
    p.space_before = Pt(0)
    p.space_after = Pt(para.after)
    pPr = p._p.get_or_add_pPr()
    para_marks(deck, pPr, para)
    return pPr


def _run_template(deck, para: Para, seg: Seg, lang: str):
    tf = _scratch_tf(None)
    r = tf.paragraphs[0].add_run()
    r.text = ""
    _run_props(deck, r, para, seg, lang)
    return r._r


def para_marks(deck, pPr, para: Para) -> None:
    """Indents, bullet and tab stop of a paragraph, replacing any it had."""
    pPr.set("marL", str(pt(para.hang)))
    pPr.set("indent", str(-pt(para.hang)))
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buAutoNum", "a:tabLst"):
        for el in pPr.findall(qn(tag)):
            pPr.remove(el)
    marks = []
    if para.bullet:
        clr = etree.Element(qn("a:buClr"))
        etree.SubElement(clr, qn("a:srgbClr")).set("val", deck.hex("accent").lstrip("#").upper())
        font = etree.Element(qn("a:buFont"))
        font.set("typeface", deck.measure.family)
        char = etree.Element(qn("a:buChar"))
        char.set("char", "•")
        marks += [clr, font, char]
    else:
        marks.append(etree.Element(qn("a:buNone")))
    if para.hang and any("\t" in s.text for s in para.segs):
        tabs = etree.Element(qn("a:tabLst"))
        tab = etree.SubElement(tabs, qn("a:tab"))
        tab.set("pos", str(pt(para.hang)))
        tab.set("algn", "l")
        marks.append(tabs)
    # schema order: spacing first, then the bullet, then the tab stops, then defRPr and extLst
    after = next((el for el in pPr if el.tag in (qn("a:defRPr"), qn("a:extLst"))), None)
    for el in marks:
        if after is None:
            pPr.append(el)
        else:
            after.addprevious(el)


def _run_props(deck, r, para: Para, seg: Seg, lang: str) -> None:
    """Size, weight, slant, family, colour, language and baseline of a run."""
    f = r.font
    f.size = Pt(para.size)
    f.bold = para.bold or seg.bold
    f.italic = para.italic or seg.italic
    fam = para.family or deck.text_family
    if fam:
        f.name = fam
    deck.paint(f.color, seg.color or para.color)
    rPr = r._r.get_or_add_rPr()
    rPr.set("lang", lang)
    if seg.sup:
        rPr.set("baseline", "30000")
    if lang == ARABIC_LANG:  # PowerPoint shapes and orders it; it needs the face for complex scripts
        cs = rPr.find(qn("a:cs"))
        if cs is None:
            cs = etree.SubElement(rPr, qn("a:cs"))
        cs.set("typeface", fonts.ARABIC)


def _runs(segs: Sequence[Seg], lang: str) -> list[tuple[Seg, str]]:
    """A paragraph's runs, those in Arabic script apart and marked with their language."""
    out = []
    for seg in segs:
        for piece, arabic in scripts.runs(seg.text) if seg.text else [(seg.text, False)]:
            out.append((replace(seg, text=piece) if piece != seg.text else seg, ARABIC_LANG if arabic else lang))
    return out


def write_notes(deck, tf, paras: Sequence[Sequence[Seg]]) -> None:
    """`paras` (each a paragraph's runs) as speaker notes in text frame `tf`: each run's slant,
    weight, baseline, language and link, and nothing else, so the notes page's master gives their
    size, face and colour."""
    tf.clear()
    lang = deck.doc.meta.language
    for i, segs in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        for seg, seg_lang in _runs(segs, lang):
            r = p.add_run()
            r.text = seg.text
            if seg.italic:
                r.font.italic = True
            if seg.bold:
                r.font.bold = True
            rPr = r._r.get_or_add_rPr()
            rPr.set("lang", seg_lang)
            if seg.sup:
                rPr.set("baseline", "30000")
            if seg_lang == ARABIC_LANG:
                etree.SubElement(rPr, qn("a:cs")).set("typeface", fonts.ARABIC)
            if seg.href:
                r.hyperlink.address = seg.href


def write_api(deck, tf, paras: Sequence[Para], *, anchor=MSO_ANCHOR.TOP, insets=(0, 0, 0, 0)) -> None:
    """`write` through python-pptx's text API, one property at a time: the reference for what
    `write` produces, and its path for a text frame of an unexpected shape."""
    tf.clear()
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Emu(int(v)) for v in insets)
    tf.vertical_anchor = anchor
    lang = deck.doc.meta.language
    for i, para in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[para.align]
        p.line_spacing = para.spacing
        p.space_before = Pt(0)
        p.space_after = Pt(para.after)
        para_marks(deck, p._p.get_or_add_pPr(), para)
        for seg, seg_lang in _runs(para.segs, lang):
            if seg.text == "\v":
                p.add_line_break()
                br = p._p.findall(qn("a:br"))[-1]
                rpr = br.get_or_add_rPr()
                rpr.set("sz", str(int(round(para.size * 100))))
                rpr.set("lang", seg_lang)
                continue
            r = p.add_run()
            r.text = seg.text
            _run_props(deck, r, para, seg, seg_lang)
            if seg.href:
                r.hyperlink.address = seg.href
        # the empty-paragraph mark carries the size too, so an empty line measures the same
        end = p._p.get_or_add_endParaRPr()
        end.set("sz", str(int(round(para.size * 100))))
        end.set("lang", lang)
