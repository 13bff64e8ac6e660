"""Page flow of the PDF, checked on the reopened file: no page but the last with a large empty
band, figures near their anchors and inside their sections, pull quotes whole, panoramas across
the column (and on the web page), running heads within their bands, URLs within the measure.

Every document here is built in the test; its photos are synthetic (flat colours drawn here).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTTextContainer, LTTextLine

from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render import Context
from jnim_export.render.pdf import PdfOptions, render as render_pdf
from jnim_export.render.pdf.theme import theme_for

ROOT = Path(__file__).resolve().parents[1]
STYLE = m.Style("Noto Serif", "Noto Sans", 10, "#8c1d18", "#1f2328", "#5d6670", "#f3efe8", ("#8c1d18",), None)
GAP = 0.15  # of the page height: the largest empty band a page but the last may have
WORDS = ("the group and its forces attacked the border region again in the north while the army held "
         "the towns and the roads between them").split()


# --------------------------------------------------------------------------- documents


def filler(n: int, seed: int = 0) -> str:
    """`n` words of plain prose (no callouts)."""
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(n)).capitalize() + "."


def photo(folder: Path, name: str, size: tuple[int, int], colour=(120, 90, 60)) -> Path:
    """A synthetic photo: a flat colour, `size` pixels."""
    from PIL import Image

    path = folder / f"{name}.png"
    Image.new("RGB", size, colour).save(path)
    return path


def photo_figure(number: int, image: Path, caption: str = "") -> m.Figure:
    text = caption or f"Synthetic photo {number}."
    return m.Figure(f"photo-{number}", number, "photo", (m.Text(text),), (), text, image, None, None, None, False)


def document(sections: list[tuple[str, list]], *, notes=(), meta: dict | None = None) -> m.Document:
    """A document of `sections` (title, blocks); block strings are paragraphs."""
    fields = dict(title="A Flow Test", short_title="Flow Test", slug="flow-test", series="Test Series",
                  publisher="Test Publisher", publisher_short="TP", authors=("A. Author",), contributors=(),
                  date="2020-05-04", credit=(m.Text("Compiled for a test."),), copyright="© 2020 Test Publisher",
                  language="en-GB", subject="A subject", keywords=())
    fields.update(meta or {})
    out, figures = [], []
    for k, (title, blocks) in enumerate(sections):
        made = []
        for b in blocks:
            if isinstance(b, str):
                made.append(m.Paragraph((m.Text(b),)))
            else:
                made.append(b)
                if isinstance(b, m.FigureBlock):
                    figures.append(b.figure)
        out.append(m.Section(f"s{k}", title, tuple(made), ()))
    return m.Document(
        source=Path("/nonexistent/content.yaml"), root=Path("/nonexistent"), meta=m.Meta(**fields), style=STYLE,
        sections=tuple(out), figures=tuple(figures), notes=tuple(notes), sources=(), leaders=(), facts=(),
        origins=None, allegiance=(), attacks=(), places=(),
    )


def build(doc: m.Document, out: Path, cache: Path, *, paper="a4", notes="footnotes"):
    return render_pdf(doc, out, PdfOptions(paper=paper, notes=notes), Context(cache))


# --------------------------------------------------------------------------- reading the PDF


def _marks(node):
    """What a page shows, as (kind, box, text): every glyph, image and vector shape."""
    for x in node:
        if isinstance(x, LTTextContainer):
            for line in x:
                if isinstance(line, LTTextLine):
                    for c in line:
                        if isinstance(c, LTChar) and c.get_text().strip():
                            yield "char", c.bbox, c.get_text()
        elif isinstance(x, LTFigure):
            yield "figure", x.bbox, ""
            yield from _marks(x)
        elif isinstance(x, LTImage):
            yield "image", x.bbox, ""
        elif isinstance(x, LTCurve):
            yield "shape", x.bbox, ""
        elif isinstance(x, LTChar) and x.get_text().strip():
            yield "char", x.bbox, x.get_text()


def pages(pdf: Path) -> list:
    """The laid-out pages of `pdf` (pdfminer's, read-only): read once however many checks ask."""
    st = pdf.stat()
    return _pages(str(pdf), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _pages(path: str, size: int, mtime_ns: int) -> list:
    return list(extract_pages(path))


def largest_band(page, index: int, theme) -> float:
    """The tallest band with nothing in it between the masthead (page 1) or top margin and the
    footer's top (the bottom margin), as a share of the page height."""
    h = page.height
    top = h - theme.band - theme.below_band if index == 0 else h - theme.margin_top
    bottom = theme.margin_bottom
    spans = sorted(((max(b[1], bottom), min(b[3], top)) for _, b, _ in _marks(page) if b[3] > bottom and b[1] < top),
                   key=lambda s: -s[1])
    gap, cursor = 0.0, top
    for y0, y1 in spans:
        if y1 < cursor:
            gap = max(gap, cursor - y1)
        cursor = min(cursor, y0)
    return max(gap, cursor - bottom) / h


def bands(pdf: Path, paper: str) -> list[float]:
    theme = theme_for(paper)
    return [largest_band(p, i, theme) for i, p in enumerate(pages(pdf))]


def lines(page) -> list[LTTextLine]:
    out = []

    def walk(node):
        for x in node:
            if isinstance(x, LTTextLine):
                out.append(x)
            elif isinstance(x, (LTTextContainer, LTFigure)):
                walk(x)

    walk(page)
    return out


def page_of(pdf_pages, needle: str) -> list[int]:
    """The pages (0-based) whose text holds `needle`."""
    return [i for i, p in enumerate(pdf_pages) if needle in " ".join(ln.get_text() for ln in lines(p))]


def assert_pages_filled(pdf: Path, paper: str) -> list[float]:
    found = bands(pdf, paper)
    for i, g in enumerate(found[:-1]):
        assert g <= GAP, f"page {i + 1} of {len(found)} has an empty band of {g:.1%} of the page"
    return found


# --------------------------------------------------------------------------- pull quotes


def quote_document(lead_words: int) -> m.Document:
    quote = m.PullQuote((m.Text("QUOTESTART where the borders of Mali, Niger & Burkina Faso meet, the group "
                                 "holds the roads and the markets between them QUOTEEND"),))
    body = [filler(120, s) for s in range(3)]
    return document([("First", [filler(lead_words), *body, quote, *[filler(140, s) for s in range(6)]]),
                     ("Second", [filler(200, 9), filler(150, 4)])])


@pytest.mark.parametrize("lead", [186, 192, *(pytest.param(x, marks=pytest.mark.slow) for x in range(0, 240, 12))])
def test_a_pull_quote_is_kept_whole_and_the_text_flows_before_it(tmp_path, lead):
    """At 186-198 words of lead the quote once split: two lines at the foot of page 1, one overleaf."""
    out = tmp_path / "quote.pdf"
    build(quote_document(lead), out, tmp_path / "cache")
    got = pages(out)
    start, end = page_of(got, "QUOTESTART"), page_of(got, "QUOTEEND")
    assert start == end and len(start) == 1, f"the quote is split: starts on {start}, ends on {end}"
    assert_pages_filled(out, "a4")


# --------------------------------------------------------------------------- panoramas


def test_a_panorama_spans_the_column_in_the_pdf_and_on_the_page(tmp_path):
    from jnim_export.render import html as web

    pano = photo_figure(1, photo(tmp_path, "pano", (1200, 200)), "A synthetic 6:1 panorama.")
    portrait = photo_figure(2, photo(tmp_path, "portrait", (300, 400)))
    doc = document([("Only", [m.FigureBlock(pano), filler(120), m.FigureBlock(portrait), filler(200, 3)])])
    out = tmp_path / "pano.pdf"
    build(doc, out, tmp_path / "cache", paper="letter")
    theme = theme_for("letter")
    images = sorted((b for p in pages(out) for kind, b, _ in _marks(p) if kind == "image"), key=lambda b: -b[3])
    assert len(images) == 2
    wide, tall = images
    assert wide[0] == pytest.approx(theme.margin_x, abs=0.5)
    assert wide[2] == pytest.approx(theme.page[0] - theme.margin_x, abs=0.5)  # the column's width
    assert tall[2] - tall[0] < 0.4 * theme.width  # a portrait still floats narrow beside its text

    page = tmp_path / "pano.html"
    web.render(doc, page, web.HtmlOptions(), Context(tmp_path / "cache"))
    html = page.read_text(encoding="utf-8")
    by_number = {n: c.split() for c, n in re.findall(r'<figure class="([^"]*)" id="fig-(\d)"', html)}
    assert "fig-pano" in by_number["1"] and "fig-float" not in by_number["1"]
    assert "fig-float" in by_number["2"]
    css = (ROOT / "src/jnim_export/render/html/style.css").read_text(encoding="utf-8")
    assert ".fig-photo.fig-pano{max-width:none}" in css  # the photo cap (20rem) does not hold a panorama


# --------------------------------------------------------------------------- running heads


def _band_chars(pdf_pages, theme):
    """Per page, the glyphs above the top margin (page 1: in the band) and below the bottom margin."""
    out = []
    for p in pdf_pages:
        h = p.height
        marks = [(b, t) for kind, b, t in _marks(p) if kind == "char"]
        out.append(([x for x in marks if x[0][1] > h - theme.margin_top], [x for x in marks if x[0][3] < theme.margin_bottom]))
    return out


@pytest.mark.parametrize("length", [60, 300])
def test_headers_and_footers_fit_their_bands_at_any_length(tmp_path, length):
    series = ("Sahel and Lake Chad Basin Armed Group Profiles " * 8)[: length // 2].strip()
    publisher = ("Institute for the Comparative Study of Conflict and Security Policy " * 5)[: length - length // 2].strip()
    doc = document([("Only", [filler(300, s) for s in range(6)])],
                   meta=dict(series=series, publisher=publisher, short_title="The Northern Front " * (length // 60)))
    out = tmp_path / "heads.pdf"
    result = build(doc, out, tmp_path / "cache", paper="a4")
    theme = theme_for("a4")
    got = pages(out)
    assert len(got) >= 2
    w, h = theme.page
    for i, (head, foot) in enumerate(_band_chars(got, theme)):
        if i == 0:
            assert head, "the masthead is printed"
            for box, _ in head:
                assert theme.margin_x - 1 <= box[0] and box[2] <= w - theme.margin_x + 1, f"header glyph at {box}"
                assert box[1] >= h - theme.band - 0.5 and box[3] <= h + 0.5, f"header glyph off the band: {box}"
            top = [b for b, _ in head if b[0] < w / 2]
            right = [b for b, _ in head if b[0] >= w / 2]
            assert not any(a[2] > b[0] and a[0] < b[2] and a[3] > b[1] and a[1] < b[3] for a in top for b in right
                           if a[0] < b[0]), "series and publisher overprint each other"
        else:
            assert foot, f"page {i + 1} has its footer"
            for box, _ in foot:
                assert theme.margin_x - 1 <= box[0] and box[2] <= w - theme.margin_x + 1, f"footer glyph at {box}"
                assert box[1] >= 0.4 * 72 - 1, f"footer glyph near the paper's edge: {box}"
    text = re.sub(r"\s", "", "".join(ln.get_text() for ln in lines(got[0])))  # the series is letter-spaced
    cut = [x for x in result.warnings if "cut to" in x]
    if length <= 60:
        assert not cut and re.sub(r"\s", "", series.upper() + publisher) in text  # shrunk at most: set whole
    else:
        assert cut, "a header cut short says so"
        assert "\u2026" in text


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize("notes", ["endnotes", "footnotes"])
def test_a_url_without_break_points_breaks_inside_the_measure(tmp_path, notes):
    url = "https://example.org/" + "abcdefghij" * 21  # 230 characters, one break point after the host
    assert len(url) == 230
    para = m.Paragraph((m.Text("See "), m.Link(url, (m.Text(url),)), m.Text(" for more."), m.NoteRef(1)))
    note = m.Note(1, "n1", (m.Text(f"Agency, \u201cReport,\u201d <{url}>."),), ())
    out = tmp_path / "url.pdf"
    build(document([("Only", [para])], notes=(note,)), out, tmp_path / "cache", paper="a4", notes=notes)
    theme = theme_for("a4")
    right = theme.page[0] - theme.margin_x
    got = pages(out)
    for p in got:
        for kind, box, _ in _marks(p):
            if box[1] >= p.height - theme.band - 0.5:
                continue  # the masthead band runs across the page
            assert box[2] <= right + 0.5, f"{kind} at {box} runs past the right margin ({right:.1f})"
    text = "".join(ln.get_text().strip() for p in got for ln in lines(p))
    assert text.count(url) == 2, "the URL reads whole across its lines, in the text and in the note"


# --------------------------------------------------------------------------- figures and page fill


def photos_document(folder: Path, lead: int) -> m.Document:
    sizes = [(300, 400), (800, 500), (1200, 200), (400, 400), (300, 500), (900, 600)]
    figs = [photo_figure(k + 1, photo(folder, f"p{k}", size, (40 * k, 90, 60))) for k, size in enumerate(sizes)]
    return document([
        ("First", [filler(lead), m.FigureBlock(figs[0]), filler(160, 1), filler(120, 2), m.FigureBlock(figs[1]),
                   filler(140, 3)]),
        ("Second", [filler(100, 4), m.FigureBlock(figs[2]), filler(150, 5), m.FigureBlock(figs[3]), filler(170, 6),
                    filler(90, 7)]),
        ("Third", [m.FigureBlock(figs[4]), filler(130, 8), filler(110, 9), m.FigureBlock(figs[5]), filler(160, 10)]),
    ])


def figure_pages(pdf_pages) -> dict[int, int]:
    return {int(n): i for i, p in enumerate(pdf_pages) for ln in lines(p)
            for n in re.findall(r"^Figure (\d+)", ln.get_text().strip())}


@pytest.mark.slow
@pytest.mark.parametrize("paper, notes", [("a4", "footnotes"), ("letter", "endnotes")])
@pytest.mark.parametrize("lead", [20, 90, 160, 230])
def test_many_photos_fill_their_pages_and_stay_in_their_sections(tmp_path, paper, notes, lead):
    import pdfcheck

    doc = photos_document(tmp_path, lead)
    out = tmp_path / "photos.pdf"
    build(doc, out, tmp_path / "cache", paper=paper, notes=notes)
    assert_pages_filled(out, paper)
    got = pages(out)
    at = figure_pages(got)
    heads = {t: page_of(got, t.upper())[0] for t in ("First", "Second", "Third")}
    for section, nxt in (("First", "Second"), ("Second", "Third"), ("Third", None)):
        for block in (b for s in doc.sections if s.title == section for b in s.blocks):
            if isinstance(block, m.FigureBlock):
                n = block.figure.number
                assert heads[section] <= at[n] <= heads[section] + 10
                if nxt is not None:
                    assert at[n] <= heads[nxt], f"figure {n} comes after the section that follows its own"
    findings = pdfcheck.check(out)
    assert not findings["4 layout"], pdfcheck.report(findings)


@pytest.fixture(scope="module")
def default_doc() -> m.Document:
    return load(ROOT / "content.yaml")


def chart_document(doc: m.Document, words: int) -> m.Document:
    """The default content with a plain paragraph of `words` words ending its first section (which
    moves the map and the chart down the pages) and a short section after the chart's."""
    first, *rest = doc.sections
    fill = (m.Paragraph((m.Text(filler(words, 3)),)),) if words else ()
    first = dataclasses.replace(first, blocks=first.blocks + fill)
    after = m.Section("after", "Outlook", (m.Paragraph((m.Text(filler(200, 5)),)),), ())
    return dataclasses.replace(doc, sections=(first, *rest, after))


@pytest.mark.slow
@pytest.mark.parametrize("words", [0, 150, 300, 450, 600, 625, 650, 675])
def test_a_tall_chart_near_a_section_end_on_a4_with_footnotes(tmp_path, figure_cache, default_doc, words):
    """At 600-675 words the map (its caption cites a note, as does the text after it) once moved
    on alone, leaving a third of page 3 empty: it is now drawn smaller, its type as large."""
    import pdfcheck

    doc = chart_document(default_doc, words)
    out = tmp_path / "chart.pdf"
    build(doc, out, figure_cache, paper="a4", notes="footnotes")
    assert_pages_filled(out, "a4")
    got = pages(out)
    chart = next(f.number for f in doc.figures if f.kind == "chart")
    at = figure_pages(got)[chart]
    outlook = page_of(got, "OUTLOOK")[0]
    assert at <= outlook, "the chart comes before the section after its own"
    anchor = page_of(got, "continues to conduct attacks")[0]  # the paragraph the chart follows
    assert at - anchor in (-1, 0, 1), f"the chart is on page {at + 1}, its anchor on page {anchor + 1}"
    findings = pdfcheck.check(out)
    assert not any(findings.values()), pdfcheck.report(findings)
