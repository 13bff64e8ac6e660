"""The slide deck: reopened with python-pptx and checked against the document model."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.text.text import _Run
from pptx.util import Inches

from jnim_export.content import load
from jnim_export.fonts import text_width
from jnim_export.model import Attack, Emph, Fact, Leader, Link, NoteRef, PullQuote, Text, plain_text
from jnim_export.dates import short_date as month_label
from jnim_export.render import Context, Rendered
from jnim_export.render.pptx import DeckOptions
from jnim_export.render.pptx import render as render_deck
from jnim_export.render.pptx.slides.leaders import initials


def render_slides(doc, dest, *, cache_dir, **options) -> Rendered:
    return render_deck(doc, dest, DeckOptions(**options), Context(cache_dir))

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def doc():
    """The project's own content.yaml, on its committed event aggregates."""
    return load(ROOT / "content.yaml")


@pytest.fixture(scope="module")
def cache(figure_cache):
    return figure_cache


@pytest.fixture(scope="module")
def built(doc, cache, tmp_path_factory):
    dest = tmp_path_factory.mktemp("deck") / "deck.pptx"
    result = render_slides(doc, dest, cache_dir=cache)
    return dest, result


def build(doc, path: Path, cache: Path, **kw):
    result = render_slides(doc, path, cache_dir=cache, **kw)
    prs = Presentation(str(path))
    assert result.units == len(prs.slides)
    return prs, result


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def slide_by_title(prs, title):
    return next(s for s in prs.slides if title_of(s) == title)


def cited_numbers(slide) -> set[int]:
    """Note numbers shown as superscripts anywhere on the slide."""
    out: set[int] = set()
    for r in slide.shapes._spTree.iter(qn("a:r")):
        rpr = r.find(qn("a:rPr"))
        if rpr is not None and rpr.get("baseline", "0").lstrip("-") not in ("0", ""):
            out.update(int(n) for n in re.findall(r"\d+", r.findtext(qn("a:t"))))
    return out


def resolved_inlines(doc, n: int):
    """The note a reader needs: "Ibid." stands for the note before it."""
    while n > 1 and plain_text(doc.note(n).text).strip() == "Ibid.":
        n -= 1
    return doc.note(n).text


def resolved_note(doc, n: int) -> str:
    return plain_text(resolved_inlines(doc, n))


def _emphasised(inlines) -> list[str]:
    """The texts set in italics, in order."""
    out: list[str] = []
    for x in inlines:
        if isinstance(x, Emph):
            out.append(plain_text(x.children))
        elif hasattr(x, "children"):
            out += _emphasised(x.children)
    return out


def _links(inlines) -> set[str]:
    return {x.href for x in inlines if isinstance(x, Link)} | {h for x in inlines for h in _links(getattr(x, "children", ()))}


# --------------------------------------------------------------------------- fit, measured independently

LINE = 1.2  # PowerPoint's single line spacing, in font sizes


def _lines(pieces, width):
    """Greedy word wrap of (text, link, family, size, bold, italic) pieces into lines `width` pt wide.

    Words break at spaces; a hyperlink is a word of its own (LibreOffice lays it out as one
    block, and starts a new line after one it had to break); "\v" is a line break.
    """
    words, cur, space, prev_link = [], [], False, False
    for text, link, *font in pieces:
        if link != prev_link and cur:
            words.append((cur, prev_link))
            cur, space = [], False
        prev_link = link
        for chunk in re.findall(r" +|\v|[^ \v]+", text):
            if chunk == "\v":  # a line break
                if cur:
                    words.append((cur, link))
                words.append((None, None))
                cur, space = [], False
                continue
            if chunk[0] == " ":
                space = True
                continue
            if space and cur:
                words.append((cur, link))
                cur = []
            space = False
            cur.append((chunk, font))
    if cur:
        words.append((cur, prev_link))
    n, used, space_w = 1, 0.0, 0.0
    for word, link in words:
        if word is None:
            n, used, space_w = n + 1, 0.0, 0.0
            continue
        w = sum(text_width(t, *font) for t, font in word)
        if used and used + space_w + w > width:
            n, used = n + 1, 0.0
        if not used and w > width:  # a word wider than the line breaks between characters
            for t, font in word:
                for ch in t:
                    cw = text_width(ch, *font)
                    if used + cw > width and used:
                        n, used = n + 1, 0.0
                    used += cw
            if link:
                used = width
        else:
            used += (space_w if used else 0) + w
        space_w = text_width(" ", *word[-1][1])
    return n


def needed_height(shape) -> tuple[float, float]:
    """(points the text needs, points the shape offers), both inside the insets."""
    tf = shape.text_frame
    assert tf.auto_size == MSO_AUTO_SIZE.NONE, shape.name
    assert tf.word_wrap is True, shape.name
    width = (shape.width - tf.margin_left - tf.margin_right) / 12700
    need = 0.0
    for p in tf.paragraphs:
        pPr = p._p.pPr
        indent = int(pPr.get("marL", "0")) / 12700 if pPr is not None else 0.0
        pieces, sizes = [], []
        tabbed = any("\t" in r.text for r in p.runs)
        for el in p._p.iterchildren(qn("a:r"), qn("a:br")):
            if el.tag == qn("a:br"):
                pieces.append(("\v", False, "Noto Sans", 10.0, False, False))
                continue
            r = _Run(el, p)
            assert r.font.size is not None, f"{shape.name}: a run without an explicit size"
            sizes.append(r.font.size.pt)
            text = r.text
            if tabbed:  # the label before the tab sits in the hanging indent
                text, tabbed = (text.split("\t", 1)[1], False) if "\t" in text else ("", True)
            link = r.hyperlink.address is not None
            pieces.append((text, link, r.font.name or "Noto Sans", r.font.size.pt, bool(r.font.bold), bool(r.font.italic)))
        if not sizes:
            end = p._p.find(qn("a:endParaRPr"))
            sizes = [int(end.get("sz")) / 100]
        spacing = p.line_spacing if isinstance(p.line_spacing, float) else 1.0
        need += _lines(pieces, width - indent) * spacing * LINE * max(sizes)
        need += p.space_after.pt if p.space_after is not None else 0.0
    offer = (shape.height - tf.margin_top - tf.margin_bottom) / 12700
    return need, offer


def assert_fits(prs):
    checked = 0
    for i, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                need, offer = needed_height(shape)
                assert need <= offer + 0.5, f"slide {i} {title_of(slide)!r}: {shape.name!r} needs {need:.1f} pt, has {offer:.1f}"
                checked += 1
    assert checked


# --------------------------------------------------------------------------- the default deck


def expected_titles(doc):
    quote = "“Like its ideological forefathers, the group's ultimate goal is for the entire region to be ruled under shariah law.”"
    return [doc.meta.title, "At a glance", "Leadership", "Organization", *[s.title for s in doc.sections],
            "Key attacks", doc.figure("map").title, doc.figure("chart").title, quote, "Sources"]


def test_slide_titles_in_order(built, doc):
    dest, result = built
    prs = Presentation(str(dest))
    assert [title_of(s) for s in prs.slides] == expected_titles(doc)
    assert result.units == len(prs.slides) == 12
    assert prs.slide_width * 9 == prs.slide_height * 16 or abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01


def test_every_slide_has_a_title_first(built):
    prs = Presentation(str(built[0]))
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text_frame.text.strip()
        # reading order: the title is the first shape of the slide
        assert next(iter(slide.shapes)).shape_id == title.shape_id


def test_title_slide(built, doc):
    prs = Presentation(str(built[0]))
    text = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    for part in (doc.meta.title, doc.meta.series.upper(), doc.meta.publisher, doc.meta.date, *doc.meta.authors):
        assert part in text


def test_title_slide_names_the_group_in_its_own_script(built, doc):
    """Under the title, as in the PDF and on the page: one paragraph of Arabic runs that
    PowerPoint shapes and orders (language ar-SA, the Arabic face for complex scripts)."""
    prs = Presentation(str(built[0]))
    paragraphs = [p for sh in prs.slides[0].shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
    native = [p for p in paragraphs if p.text == doc.meta.native_title]
    assert len(native) == 1 and doc.meta.native_title
    runs = [r._r.get_or_add_rPr() for r in native[0].runs]
    assert {r.get("lang") for r in runs} == {"ar-SA"}
    assert {r.find(qn("a:cs")).get("typeface") for r in runs} == {"Noto Naskh Arabic"}
    assert_fits(prs)


def test_at_a_glance_and_leaders(built, doc):
    prs = Presentation(str(built[0]))
    text = " ".join(sh.text_frame.text for sh in slide_by_title(prs, "At a glance").shapes if sh.has_text_frame)
    for fact in doc.facts:
        assert fact.label.upper() in text and plain_text(fact.text) in text
    leaders = slide_by_title(prs, "Leadership")
    text = " ".join(sh.text_frame.text for sh in leaders.shapes if sh.has_text_frame)
    for ld in doc.leaders:
        assert ld.name in text and ld.role in text
        for alias in ld.aliases:
            assert f"aka {alias}" in text
        for former in ld.former:
            assert former in text
    # no photographs in the repository: an initials avatar per leader
    avatars = [sh for sh in leaders.shapes if sh.name.startswith("Initials ")]
    assert sorted(sh.text_frame.text for sh in avatars) == sorted(initials(ld.name) for ld in doc.leaders)


def test_native_chart_matches_the_model(built, doc):
    prs = Presentation(str(built[0]))
    slide = slide_by_title(prs, doc.figure("chart").title)
    frames = [sh for sh in slide.shapes if sh.has_chart]
    assert len(frames) == 1 and not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    chart = frames[0].chart
    fig = doc.figure("chart")
    months = fig.months()
    assert months
    plot = chart.plots[0]
    assert list(plot.categories) == [month_label(m.month) for m in months]
    assert chart.chart_type == (XL_CHART_TYPE.COLUMN_STACKED if fig.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED)
    series = {s.name: list(s.values) for s in plot.series}
    assert fig.stacked, "content.yaml stacks the chart by event type"
    assert len(series) >= 2
    for cat in fig.data.categories:
        expected = [dict(m.counts).get(cat, 0) for m in months]
        # a category with no events in the window is left out of the legend
        assert series.get(cat, [0] * len(months)) == expected
    totals = [sum(vals[i] for vals in series.values()) for i in range(len(months))]
    assert totals == [m.total for m in months]
    # Edit Data works: the data travels in an embedded workbook
    assert chart.part.chart_workbook.xlsx_part is not None
    assert not chart.has_title  # the slide's title is the figure's
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert f"Figure {fig.number}: {plain_text(fig.caption)}" in text and plain_text(fig.credit) in text


def test_unstacked_chart_is_one_series_of_monthly_totals(doc, cache, tmp_path):
    """The content stacks its chart; the other setting, on a deck with only the chart slide."""
    fig = dataclasses.replace(doc.figure("chart"), stacked=False)
    bare = dataclasses.replace(doc, leaders=(), origins=None, allegiance=(), attacks=(), facts=(), figures=(fig,))
    prs, _ = build(bare, tmp_path / "unstacked.pptx", cache)
    (frame,) = [sh for sh in slide_by_title(prs, fig.title).shapes if sh.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert {s.name: list(s.values) for s in chart.plots[0].series} == {"Events": [m.total for m in fig.months()]}


def test_organisation_is_shapes_and_connectors(built, doc):
    prs = Presentation(str(built[0]))
    slide = slide_by_title(prs, "Organization")
    # one group, the diagram, described by its alt text
    (diagram,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.GROUP]
    assert diagram.element.nvGrpSpPr.cNvPr.get("descr", "").startswith("Diagram.")
    shapes = list(diagram.shapes)
    assert not [sh for sh in shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    by_id = {sh.shape_id: sh for sh in shapes}
    groups = {sh.text_frame.paragraphs[0].text: sh for sh in shapes
              if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and sh.has_text_frame and sh.text_frame.text}
    assert doc.meta.short_title in groups
    connectors = [sh for sh in shapes if sh.shape_type == MSO_SHAPE_TYPE.LINE or sh.element.tag == qn("p:cxnSp")]
    links = []
    for c in connectors:
        nv = c.element.nvCxnSpPr.cNvCxnSpPr
        st, end = nv.find(qn("a:stCxn")), nv.find(qn("a:endCxn"))
        assert st is not None and end is not None, "every connector is glued at both ends"
        a, b = by_id[int(st.get("id"))], by_id[int(end.get("id"))]
        links.append((a.text_frame.paragraphs[0].text, b.text_frame.paragraphs[0].text))
        assert c.element.spPr.find(qn("a:ln")).find(qn("a:tailEnd")).get("type") == "triangle"
    merged = [g.name for g in doc.origins.groups + doc.origins.absorbed]
    chain = [doc.meta.short_title] + [a.group for a in doc.allegiance]
    assert sorted(links) == sorted([(g, doc.meta.short_title) for g in merged] + list(zip(chain, chain[1:])))
    for a in doc.allegiance:
        assert f"{a.title}: {a.leader}" in groups[a.group].text_frame.text


def test_section_slides_carry_note_numbers(built, doc):
    prs = Presentation(str(built[0]))
    for section in doc.sections:
        slide = slide_by_title(prs, section.title)
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title)
        for bullet in section.bullets:
            assert plain_text(bullet) in text
        cites = {n.number for b in section.bullets for n in b if isinstance(n, NoteRef)}
        assert cited_numbers(slide) == cites


def test_speaker_notes_hold_the_cited_notes(built, doc):
    prs = Presentation(str(built[0]))
    all_cited: set[int] = set()
    styled = []  # (slide, note number) of every note in the speaker notes
    for slide in prs.slides:
        if title_of(slide).startswith("Sources"):
            continue
        cites = cited_numbers(slide)
        all_cited |= cites
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        for n in cites:
            assert f"{n}. {resolved_note(doc, n)}" in notes, (title_of(slide), n)
            styled.append((slide, n))
    assert all_cited, "the deck cites its sources"
    # each note's paragraph keeps its inline runs: italic titles italic, links linked, the rest plain
    for slide, n in styled:
        para = next(p for p in slide.notes_slide.notes_text_frame.paragraphs if p.text.startswith(f"{n}. "))
        italic = [r.text for r in para.runs if r.font.italic]
        assert italic == _emphasised(resolved_inlines(doc, n)), (title_of(slide), n)
        links = {r.hyperlink.address for r in para.runs if r.hyperlink.address}
        assert links == _links(resolved_inlines(doc, n)), (title_of(slide), n)
    assert any(_emphasised(resolved_inlines(doc, n)) for _, n in styled), "a note with an italic title is checked"
    # the sources slides list exactly the notes the deck cites, in order, in full
    listed = []
    for slide in prs.slides:
        if title_of(slide).startswith("Sources"):
            body = [sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title and sh.name == "Sources"]
            for p in body[0].text_frame.paragraphs:
                number, text = p.text.replace("\v", "").split("\t", 1)  # a line break inside a URL aside
                listed.append(int(number.rstrip(".")))
                assert text == resolved_note(doc, listed[-1])
    assert listed == sorted(all_cited)


def test_alt_text_on_every_picture_and_chart(built):
    prs = Presentation(str(built[0]))
    seen = 0
    for slide in prs.slides:
        for el in slide.shapes._spTree.iter(qn("p:pic"), qn("p:graphicFrame")):
            cnv = el.find(".//" + qn("p:cNvPr"))
            assert cnv.get("descr", "").strip(), cnv.get("name")
            seen += 1
    assert seen >= 1


def test_map_slide(built, doc):
    prs = Presentation(str(built[0]))
    fig = doc.figure("map")
    slide = slide_by_title(prs, fig.title)
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert f"Figure {fig.number}: {plain_text(fig.caption)}" in text
    pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert not [sh for sh in slide.shapes if sh.name.endswith("placeholder")]
    (shape,) = pics  # the map is drawn (the placeholder has its own test below)
    assert shape.element.find(".//" + qn("p:cNvPr")).get("descr") == fig.alt
    assert shape.width > prs.slide_width // 2


def test_default_deck_fits_and_uses_the_house_style(built, doc):
    prs = Presentation(str(built[0]))
    assert_fits(prs)
    sizes, fonts = set(), set()
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                for p in sh.text_frame.paragraphs:
                    for r in p.runs:
                        sizes.add(r.font.size.pt)
                        fonts.add(r.font.name)
    assert fonts <= {doc.style.sans, doc.style.serif}
    title = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert title.font.color.rgb == RGBColor.from_string(doc.style.ink.lstrip("#").upper())


@pytest.mark.slow
def test_core_properties_and_reproducible_bytes(doc, cache, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1536105600")  # 2018-09-05
    a, b = tmp_path / "a.pptx", tmp_path / "b.pptx"
    render_slides(doc, a, cache_dir=cache)
    render_slides(doc, b, cache_dir=cache)
    assert a.read_bytes() == b.read_bytes()
    cp = Presentation(str(a)).core_properties
    assert cp.created == cp.modified == dt.datetime(2018, 9, 5)
    assert cp.title == doc.meta.title and cp.author == "; ".join(doc.meta.authors)
    assert cp.subject == doc.meta.subject and cp.language == doc.meta.language
    assert all(k in cp.keywords for k in doc.meta.keywords)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    render_slides(doc, a, cache_dir=cache)
    assert Presentation(str(a)).core_properties.created == dt.datetime(int(doc.meta.date[:4]), 1, 1)


# --------------------------------------------------------------------------- citations in a footer


@pytest.mark.slow
def test_footer_citations(doc, cache, tmp_path):
    prs, _ = build(doc, tmp_path / "f.pptx", cache, citations="footer")
    assert [title_of(s) for s in prs.slides][:4] == expected_titles(doc)[:4]
    footers = 0
    for slide in prs.slides:
        cites = cited_numbers(slide)
        foot = [sh for sh in slide.shapes if sh.name == "Citations"]
        if not cites or title_of(slide).startswith("Sources"):
            continue
        assert len(foot) == 1, title_of(slide)
        footers += 1
        for n in cites:
            assert f"{n}.\t{resolved_note(doc, n)}" in foot[0].text_frame.text.replace("\v", "")
        # at the bottom, under everything else in its column but the running footer (beside a
        # picture, under its caption: the picture keeps the slide's height)
        f = foot[0]
        others = [sh for sh in slide.shapes if sh.name not in ("Citations", "Footer", "Slide number")
                  and sh.left < f.left + f.width and f.left < sh.left + sh.width]
        assert all(sh.top + sh.height <= f.top + 12700 for sh in others), title_of(slide)
        assert not (slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip())
    assert footers >= 5, "most slides cite sources"
    assert_fits(prs)


# --------------------------------------------------------------------------- long content


def _long_doc(doc):
    words = ("Regional security forces reported sustained pressure on supply routes while negotiations "
             "over local ceasefires stalled again across the central regions").split()
    long_bullet = lambda n, k: (Text(" ".join(words[(i + k) % len(words)] for i in range(n))), NoteRef(1))  # noqa: E731
    bullets = tuple(long_bullet(45, k) for k in range(7)) + (long_bullet(900, 3),)
    sections = (dataclasses.replace(doc.sections[0], bullets=bullets),) + doc.sections[1:]
    leaders = tuple(
        Leader(id=f"l{i}", name=f"Commander Number{i} Exampleson", aliases=("Abu Example al-Testi", "The Long Alias"),
               role="Senior member responsible for logistics and finance across the northern regions",
               former=("Emir of a battalion in the central region", "Spokesman of a predecessor group"),
               photo=None, photo_credit=None, cites=(7,))
        for i in range(9)
    )
    facts = doc.facts + tuple(Fact(label=f"Extra fact {i}", text=(Text(" ".join(words)), NoteRef(5))) for i in range(8))
    attacks = doc.attacks + tuple(
        Attack(id=f"a{i}", date=f"2018-{i + 8:02d}", place="Somewhere", country="Mali", latitude=15.0,
               longitude=-2.0, summary=(Text(" ".join(words[: 10 + i])),), cites=(14,))
        for i in range(3)
    )
    return dataclasses.replace(doc, sections=sections, leaders=leaders, facts=facts, attacks=attacks, figures=())


@pytest.mark.slow
def test_long_content_shrinks_then_continues(doc, cache, tmp_path):
    long = _long_doc(doc)
    prs, result = build(long, tmp_path / "long.pptx", cache)
    titles = [title_of(s) for s in prs.slides]
    # each slide's title its own: continuation slides say so, and which
    assert len(set(titles)) == len(titles)
    assert titles.count("Leadership") == 1 and "Leadership (cont.)" in titles and "Leadership (cont. 2)" in titles
    assert "At a glance (cont.)" in titles
    assert f"{long.sections[0].title} (cont.)" in titles
    assert "Key attacks (cont.)" in titles
    assert_fits(prs)
    assert not [w for w in result.warnings if "fit" in w]
    # nothing lost: every word of every bullet is on the section's slides, in order
    sec = long.sections[0].title
    body = " ".join(
        sh.text_frame.text for s in prs.slides if re.fullmatch(re.escape(sec) + r"( \(cont\.( \d+)?\))?", title_of(s))
        for sh in s.shapes if sh.name == "Bullets"
    )
    all_words = " ".join(plain_text(b) for b in long.sections[0].bullets).split()
    assert re.sub(r"\d", "", body).split() == all_words
    # body text stays readable
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.name in ("Bullets",) or sh.name.startswith(("Leader ", "Fact ")):
                for p in sh.text_frame.paragraphs:
                    for r in p.runs:
                        assert r.font.size.pt >= 14, (title_of(slide), sh.name)


def test_document_without_optional_parts(doc, cache, tmp_path):
    bare = dataclasses.replace(doc, leaders=(), origins=None, allegiance=(), attacks=(), figures=(), facts=())
    prs, _ = build(bare, tmp_path / "bare.pptx", cache)
    titles = [title_of(s) for s in prs.slides]
    assert titles[0] == doc.meta.title
    for skipped in ("At a glance", "Leadership", "Organization", "Key attacks", doc.figure("map").title,
                    doc.figure("chart").title):
        assert skipped not in titles
    assert [s.title for s in doc.sections] == titles[1:1 + len(doc.sections)]
    assert titles[-1] == "Sources"
    assert_fits(prs)
    # and with nothing cited at all, no sources slide
    plain = dataclasses.replace(bare, sections=tuple(
        dataclasses.replace(s, bullets=tuple(tuple(n for n in b if not isinstance(n, NoteRef)) for b in s.bullets),
                            blocks=()) for s in doc.sections))
    prs, _ = build(plain, tmp_path / "plain.pptx", cache)
    assert [title_of(s) for s in prs.slides] == [doc.meta.title] + [s.title for s in doc.sections]


# --------------------------------------------------------------------------- templates


def _template(path: Path, *, wide: bool, rename: dict[str, str]) -> Path:
    prs = Presentation()
    if wide:  # a 16:9 template: its placeholders spread to the new width
        k = Inches(13.333) / prs.slide_width
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
        for part in [prs.slide_master, *prs.slide_layouts]:
            for ph in part.placeholders:
                if ph.element.spPr.find(qn("a:xfrm")) is not None:
                    ph.left, ph.width = int(ph.left * k), int(ph.width * k)
    assert set(rename) <= {layout.name for layout in prs.slide_layouts}, "renames only layouts that exist"
    for layout in prs.slide_layouts:
        if layout.name in rename:
            layout.name = rename[layout.name]
    fill = prs.slide_master.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(0xEE, 0xF4, 0xFA)
    old = prs.slides.add_slide(prs.slide_layouts[0])
    old.shapes.title.text = "A slide of the template"
    prs.save(str(path))
    return path


@pytest.mark.slow
def test_template_master_and_layouts(doc, cache, tmp_path):
    tpl = _template(tmp_path / "corporate.pptx", wide=True, rename={"Title Only": "Corporate Title"})
    prs, result = build(doc, tmp_path / "t.pptx", cache, template=tpl)
    assert [title_of(s) for s in prs.slides] == expected_titles(doc)  # the template's own slide is gone
    assert len(prs.slide_masters) == 1
    master_bg = prs.slide_master.element.find(".//" + qn("p:bg"))
    assert master_bg.find(".//" + qn("a:srgbClr")).get("val") == "EEF4FA"
    names = {lo.name for lo in prs.slide_layouts}
    used = [s.slide_layout.name for s in prs.slides]
    assert set(used) <= names
    assert used[0] == "Title Slide"
    assert "Corporate Title" in used and "Title Only" not in names  # chosen by what it is, not its name
    assert slide_by_title(prs, doc.sections[0].title).slide_layout.name == "Title and Content"
    assert not any("layout" in w for w in result.warnings)
    # text in the content's colours where they read on the template's background, set explicitly
    run = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert run.font.name is None and str(run.font.color.rgb) == doc.style.ink.lstrip("#").upper()
    assert_fits(prs)


@pytest.mark.slow
def test_template_without_any_known_layout_name(doc, cache, tmp_path):
    rename = {n: f"Layout {i}" for i, n in enumerate(
        ["Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only", "Blank"])}
    tpl = _template(tmp_path / "odd.pptx", wide=False, rename=rename)
    prs, result = build(doc, tmp_path / "odd-deck.pptx", cache, template=tpl)
    assert abs(prs.slide_width / prs.slide_height - 4 / 3) < 0.01  # the template's size is kept
    titles = [title_of(s) for s in prs.slides]
    assert titles[0] == doc.meta.title and titles[-1].startswith("Sources") and all(titles)
    used = [s.slide_layout.name for s in prs.slides]
    assert used[0] == "Layout 0" and "Layout 0" not in used[1:]  # the cover for the title slide only
    assert set(used[1:]) == {"Layout 1", "Layout 5"}  # "Title and Content" and "Title Only", found by shape
    assert_fits(prs)


# --------------------------------------------------------------------------- measuring


def test_text_width():
    assert text_width("") == 0
    a = text_width("Timbuktu", "Noto Sans", 20)
    assert 70 < a < 110
    assert text_width("Timbuktu", "Noto Sans", 40) == pytest.approx(2 * a)
    assert text_width("Timbuktu", "Noto Sans", 20, bold=True) > a
    assert text_width("Timbuktu", size_pt=20) == a
    assert text_width("iiii", size_pt=20) < text_width("WWWW", size_pt=20)
    with pytest.raises(ValueError):
        text_width("x", "Comic Sans", 12)


def test_month_label():
    assert month_label("2018-03") == "Mar 2018"
    assert month_label("2018-03-03") == "3 Mar 2018"
    assert month_label("2018") == "2018"


def test_leader_photo_is_a_cropped_picture_with_alt_text(doc, cache, tmp_path):
    from PIL import Image

    photo = tmp_path / "portrait.png"
    Image.new("RGB", (300, 400), (120, 90, 60)).save(photo)
    first = dataclasses.replace(doc.leaders[0], photo=photo)
    prs, _ = build(dataclasses.replace(doc, leaders=(first,) + doc.leaders[1:]), tmp_path / "p.pptx", cache)
    slide = slide_by_title(prs, "Leadership")
    pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == 1
    assert pics[0].element.nvPicPr.cNvPr.get("descr").startswith(f"Photograph of {first.name}")
    assert pics[0].width == pics[0].height and pics[0].crop_top + pics[0].crop_bottom == pytest.approx(0.25)
    assert first.photo_credit, "content.yaml credits the first leader's photo"
    assert any(f"Photo: {first.photo_credit}" in sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert len([sh for sh in slide.shapes if sh.name.startswith("Initials ")]) == len(doc.leaders) - 1


def test_map_placeholder_without_the_figure_renderer(doc, cache, tmp_path, monkeypatch):
    import sys

    import jnim_export

    monkeypatch.setitem(sys.modules, "jnim_export.figures", None)
    monkeypatch.delattr(jnim_export, "figures", raising=False)
    prs, result = build(doc, tmp_path / "ph.pptx", cache)
    slide = slide_by_title(prs, doc.figure("map").title)
    (holder,) = [sh for sh in slide.shapes if sh.name.endswith("placeholder")]
    assert holder.element.nvSpPr.cNvPr.get("descr") == doc.figure("map").alt
    assert any("placeholder" in w for w in result.warnings)


# --------------------------------------------------------------------------- initials

# Leaders of JNIM, ISGS, al-Shabaab, AQIM, Boko Haram and their allies, as the field writes them.
INITIALS = [
    ("ʿAbd al-Hakim al-Sahrawi", "AS"),
    ("Abdel Hakim al-Sahrawi", "AS"),
    ("Iyad Ag Ghaly", "IG"),
    ("Adnan Abu Walid al-Sahrawi", "AS"),
    ("ʿAdnan Abu Walid al-Sahrawi", "AS"),
    ("Ahmad Umar Diriye", "AD"),
    ("Ahmed Diriye", "AD"),
    ("Ahmed Abdi Godane", "AG"),
    ("Mukhtar Robow", "MR"),
    ("Ali Mohamed Rage", "AR"),
    ("Mahad Karate", "MK"),
    ("Hassan Dahir Aweys", "HA"),
    ("Amadou Koufa", "AK"),
    ("Djamel Okacha", "DO"),
    ("Yahya Abu al-Hammam", "YH"),
    ("Mokhtar Belmokhtar", "MB"),
    ("Abdelmalek Droukdel", "AD"),
    ("Abu Musab Abdul Wadud", "MW"),
    ("Abu Ubaydah Yusuf al-Annabi", "UA"),
    ("Abubakar Shekau", "AS"),
    ("Abu Musab al-Barnawi", "MB"),
    ("Mohammed Yusuf", "MY"),
    ("Abu Bakr al-Baghdadi", "BB"),
    ("Ayman al-Zawahiri", "AZ"),
    ("El Hadj Ag Gamou", "HG"),
    ("Fahad Ag Almahmoud", "FA"),
    ("Sidi Mohamed Ould Bouamama", "SB"),
    ("Mohamed Ould Nouini", "MN"),
    ("Doundoun Cheffou", "DC"),
    ("Haibatullah Akhundzada", "HA"),
    ("Nasr ad-Din", "ND"),
    ("Abu Ubaidah", "U"),
    ("ʾAbu ʿUbayda", "U"),
    ("Jama'at", "J"),
    ("", "?"),
    ("al- ibn", "?"),
]


@pytest.mark.parametrize("name, expected", INITIALS)
def test_initials_skip_particles_and_marks(name, expected):
    assert initials(name) == expected


# --------------------------------------------------------------------------- document properties


def test_app_properties_name_the_tool_the_slide_size_and_the_slides(built, doc):
    import zipfile

    import jnim_export
    from lxml import etree

    with zipfile.ZipFile(built[0]) as z:
        app = etree.fromstring(z.read("docProps/app.xml"))
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
          "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
    prs = Presentation(str(built[0]))
    assert app.findtext("ep:Application", namespaces=ns) == f"jnim-export {jnim_export.__version__}"
    assert app.findtext("ep:PresentationFormat", namespaces=ns) == "Widescreen"
    assert app.findtext("ep:Slides", namespaces=ns) == str(len(prs.slides))
    assert app.findtext("ep:Company", namespaces=ns) == doc.meta.publisher
    titles = [t.text for t in app.findall("ep:TitlesOfParts/vt:vector/vt:lpstr", ns)]
    assert titles[1:] == [" ".join(title_of(s).split()) for s in prs.slides]
    cp = prs.core_properties
    assert cp.title == doc.meta.title and cp.subject == doc.meta.subject
    assert cp.author == "; ".join(doc.meta.authors) and cp.keywords == ", ".join(doc.meta.keywords)


def test_presentation_format_names():
    from jnim_export.render.pptx.package import presentation_format

    assert presentation_format(12192000, 6858000) == "Widescreen"
    assert presentation_format(9144000, 6858000) == "On-screen Show (4:3)"
    assert presentation_format(9144000, 5715000) == "On-screen Show (16:10)"
    assert presentation_format(9144000, 9144000) == "Custom"


# --------------------------------------------------------------------------- what each kind returns


def test_slide_kinds_return_the_figures_they_showed(doc, cache):
    """Each kind returns what it showed; the leader's photo counts as shown (on the card), every
    other figure on a slide of its own, and the deck keeps no tally of its own."""
    from jnim_export.render.pptx.deck import SLIDE_KINDS
    from jnim_export.render.pptx.kit import Deck
    from jnim_export.render.pptx.slides import Shown, figures

    deck = Deck(doc, template=None, citations="notes", cache_dir=cache, force_figures=False)
    shown = {kind: kind.add(deck) for kind in SLIDE_KINDS}
    assert all(isinstance(s, Shown) for s in shown.values())
    assert shown[figures].figures == {f.id for f in doc.figures}
    assert not any(s.figures for kind, s in shown.items() if kind is not figures)
    assert not hasattr(deck, "figures_shown")


def test_an_unreadable_photo_is_warned_of_by_the_figure_slides_once(doc, cache, tmp_path):
    """A photo that cannot be read is a placeholder; the figure slides return the warning and the
    deck reports it once."""
    from jnim_export.render.pptx.kit import Deck
    from jnim_export.render.pptx.slides import figures
    from jnim_export.render.writer import unreadable_photo

    bad = tmp_path / "portrait.jpg"
    bad.write_bytes(b"not a picture")
    fig = dataclasses.replace(doc.figures[0], image=bad, leader=None)
    broken = dataclasses.replace(doc, figures=(fig,))
    deck = Deck(broken, template=None, citations="notes", cache_dir=cache, force_figures=False)
    assert figures.add(deck).warnings == (unreadable_photo(fig),)
    assert unreadable_photo(fig) not in deck.warnings
    result = render_slides(broken, tmp_path / "deck.pptx", cache_dir=cache)
    assert list(result.warnings).count(unreadable_photo(fig)) == 1


@pytest.mark.slow
def test_a_quote_that_opens_and_ends_with_a_quotation_keeps_a_thin_space_from_the_marks_added(doc, cache, tmp_path):
    """The quote slide sets the quote in “…”; where the quote's own quotation meets them, a narrow
    no-break space stands between the marks (CMOS 17, 6.11; see tests/test_chicago.py)."""
    quote = PullQuote((Text("\u2018Victory\u2019 is near, they say, and \u2018soon\u2019"),))
    section = dataclasses.replace(doc.sections[0], blocks=(*doc.sections[0].blocks, quote))
    prs, _ = build(dataclasses.replace(doc, sections=(section, *doc.sections[1:])), tmp_path / "q.pptx", cache)
    shown = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame and "Victory" in sh.text_frame.text]
    assert shown == ["\u201c\u202f\u2018Victory\u2019 is near, they say, and \u2018soon\u2019\u202f\u201d"]
