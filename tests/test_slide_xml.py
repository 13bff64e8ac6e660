"""The slide text XML fast path (render/pptx/xml.py): `write` copies XML made once per property
set, `write_api` writes the same through python-pptx property by property. On random
paragraphs, both must give the same XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn

from jnim_export.content import load
from jnim_export.render.pptx import xml
from jnim_export.render.pptx.kit import Deck
from jnim_export.render.pptx.textfit import Para, Seg

SECOND = Path(__file__).parent / "data" / "second" / "content.yaml"
PROPS = settings(max_examples=25, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# CT_TextParagraphProperties: its children's order in the schema
PPR_ORDER = [qn(t) for t in (
    "a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx", "a:buClr", "a:buSzTx", "a:buSzPct", "a:buSzPts",
    "a:buFontTx", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip", "a:tabLst", "a:defRPr",
    "a:extLst",
)]


@pytest.fixture(scope="module")
def doc():
    return load(SECOND)


@pytest.fixture(scope="module")
def house(doc, tmp_path_factory):
    """A deck in the house style (its own colours and fonts)."""
    return Deck(doc, template=None, citations="notes", cache_dir=tmp_path_factory.mktemp("fig"), force_figures=False)


@pytest.fixture(scope="module")
def templated(doc, tmp_path_factory):
    """A deck on a template: theme colours, the template's font."""
    path = tmp_path_factory.mktemp("tpl") / "plain.pptx"
    Presentation().save(str(path))
    return Deck(doc, template=path, citations="notes", cache_dir=tmp_path_factory.mktemp("fig"), force_figures=False)


@pytest.fixture(scope="module")
def slides(house, templated):
    return {deck: deck.prs.slides.add_slide(deck.prs.slide_layouts[6]) for deck in (house, templated)}


# --------------------------------------------------------------------------- random paragraphs

COLOURS = st.sampled_from(["ink", "muted", "accent", "white", "tint", "rule"])
TEXT = st.text(
    alphabet=st.sampled_from(list("abc XYZ 0123.,;&<>\"'") + ["é", "ʿ", "–", "—", "“", "”", "\u000b", "\u0001"]),
    max_size=12,
)


@st.composite
def segs(draw):
    return Seg(
        draw(TEXT), bold=draw(st.booleans()), italic=draw(st.booleans()), sup=draw(st.booleans()),
        href=draw(st.sampled_from([None, None, None, "https://example.org/a", "https://example.org/b?x=1&y=2"])),
        color=draw(st.one_of(st.none(), COLOURS)),
    )


@st.composite
def paras(draw):
    runs = draw(st.lists(segs(), max_size=5))
    hang = draw(st.sampled_from([0.0, 0.0, 12.0, 24.5]))
    if hang and draw(st.booleans()):  # a numbered note: its label, a tab, then the text
        runs = [Seg(f"{draw(st.integers(1, 99))}.\t")] + runs
    return Para(
        tuple(runs), draw(st.sampled_from([8.0, 10.5, 12.0, 14.0, 18.0, 24.0, 40.0])),
        bold=draw(st.booleans()), italic=draw(st.booleans()), color=draw(COLOURS),
        align=draw(st.sampled_from(["l", "c", "r"])), bullet=draw(st.booleans()), hang=hang,
        after=draw(st.sampled_from([0.0, 3.0, 6.5, 12.0])), spacing=draw(st.sampled_from([0.9, 1.0, 1.15])),
        family=draw(st.sampled_from([None, None, "Noto Serif", "Noto Sans"])),
    )


layouts = st.fixed_dictionaries({
    "anchor": st.sampled_from([MSO_ANCHOR.TOP, MSO_ANCHOR.MIDDLE, MSO_ANCHOR.BOTTOM]),
    "insets": st.sampled_from([(0, 0, 0, 0), (91440, 45720, 91440, 45720), (12700.0, 0, 25400, 3)]),
})


# --------------------------------------------------------------------------- comparing


def body_xml(slide, shape) -> bytes:
    """The text body, hyperlink relationship ids replaced by their targets."""
    body = etree.fromstring(etree.tostring(shape.text_frame._txBody))
    rels = slide.part.rels
    for link in body.iter(qn("a:hlinkClick")):
        rid = link.get(qn("r:id"))
        assert rid in rels, rid
        link.set(qn("r:id"), rels[rid].target_ref)
    return etree.tostring(body)


def both(deck, slide, writes):
    """Two fresh text boxes, one written by `write`, the other by `write_api`, each with `writes` in turn."""
    fast = slide.shapes.add_textbox(0, 0, 914400, 914400)
    ref = slide.shapes.add_textbox(0, 0, 914400, 914400)
    try:
        for paras, kw in writes:
            xml.write(deck, fast.text_frame, paras, **kw)
            xml.write_api(deck, ref.text_frame, paras, **kw)
        return body_xml(slide, fast), body_xml(slide, ref), fast.text_frame._txBody
    finally:
        for shape in (fast, ref):
            slide.shapes._spTree.remove(shape._element)


def assert_schema_order(txBody) -> None:
    for pPr in txBody.iter(qn("a:pPr")):
        ranks = [PPR_ORDER.index(c.tag) for c in pPr]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), [c.tag for c in pPr]


# --------------------------------------------------------------------------- the tests


@PROPS
@given(paras=st.lists(paras(), min_size=1, max_size=5), layout=layouts, which=st.sampled_from(["house", "templated"]))
def test_fast_path_writes_what_the_api_writes(house, templated, slides, paras, layout, which):
    deck = {"house": house, "templated": templated}[which]
    fast, ref, body = both(deck, slides[deck], [(paras, layout)])
    assert fast == ref
    assert_schema_order(body)
    # what was asked for is there: one a:p per paragraph, one run per segment, a segment "\v"
    # alone a line break
    ps = body.findall(qn("a:p"))
    assert len(ps) == len(paras)
    for p, para in zip(ps, paras):
        assert [r.findtext(qn("a:t")) for r in p.findall(qn("a:r"))] == [
            xml._escape_ctrl_chars(s.text) for s in para.segs if s.text != "\v"
        ]
        assert len(p.findall(qn("a:br"))) == sum(s.text == "\v" for s in para.segs)


def test_fast_path_is_taken(house, slides, monkeypatch):
    """`write` on a fresh text box copies templates; it does not fall back to `write_api`."""
    calls = []
    monkeypatch.setattr(xml, "write_api", lambda *a, **k: calls.append(1))
    shape = slides[house].shapes.add_textbox(0, 0, 914400, 914400)
    xml.write(house, shape.text_frame, [Para((Seg("x"),), 12)])
    assert calls == []
    assert shape.text_frame.text == "x"


def test_hyperlinks_are_related_to_the_slide(house, slides):
    url = "https://example.org/only-here"
    fast, ref, body = both(house, slides[house], [([Para((Seg("a"), Seg("link", href=url)), 12)], {})])
    assert fast == ref
    assert fast.count(url.encode()) == 1


@PROPS
@given(first=st.lists(paras(), min_size=1, max_size=3), second=st.lists(paras(), min_size=1, max_size=3))
def test_writing_over_earlier_text_matches_too(house, slides, first, second):
    fast, ref, _ = both(house, slides[house], [(first, {}), (second, {})])
    assert fast == ref


def test_writing_over_a_tabbed_paragraph_leaves_valid_paragraph_properties(house, slides):
    note = Para((Seg("1.\t"), Seg("a note")), 12, hang=24, bullet=True)
    plain = Para((Seg("plain text"),), 12)
    *_, body = both(house, slides[house], [([note], {}), ([plain], {})])
    assert body.find(".//" + qn("a:tabLst")) is None
    assert_schema_order(body)
