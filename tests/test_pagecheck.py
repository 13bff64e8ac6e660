"""The page-flow and note-typography checks of `pagecheck`, each on hand-drawn PDFs it must flag
(so it can fail) and on ones it must pass.  The PDFs are drawn with ReportLab's canvas in the
page frame `pdfcheck` assumes; nothing here uses the PDF writer."""

from __future__ import annotations

from pathlib import Path

import pytest

import drawnpdf
import pagecheck
import pdfcheck

W, H = 612.0, 792.0  # letter
LEFT, RIGHT = 79.2, W - 79.2
TOP = H - 0.8 * 72  # the text frame's top
FOOT = 0.95 * 72  # and foot


def _pdf(path: Path, *pages) -> Path:
    return drawnpdf.pdf(path, *pages, size=(W, H))


_text = drawnpdf.text


def _lines(c, top, bottom, words="Body text of the backgrounder, set line after line."):
    y = top - 10
    while y >= bottom:
        _text(c, LEFT, y, words)
        y -= 14


def _footer(c, n):
    _text(c, LEFT, FOOT * 0.5, "Case \u00b7 Test", size=7.4)
    _text(c, RIGHT - 6, FOOT * 0.5, str(n), size=8)


def _read(tmp_path, *pages) -> pdfcheck.Reading:
    return pdfcheck.read(_pdf(tmp_path / "case.pdf", *pages))


# =========================================================================== page fill


def test_page_fill_flags_an_empty_band_on_any_page_but_the_last(tmp_path):
    def gap(c):  # text to half way, then nothing: 50 % of the page empty
        _lines(c, TOP, H / 2)
        _footer(c, 1)

    def full(c):
        _lines(c, TOP, FOOT + 4)
        _footer(c, 2)

    def last(c):  # the last page may end early
        _lines(c, TOP, TOP - 100)
        _footer(c, 3)

    reading = _read(tmp_path, gap, full, last)
    problems = pagecheck.check_page_fill(reading)
    assert len(problems) == 1 and problems[0].startswith("page 1: an empty band of"), problems
    assert "of the page)" in problems[0]
    assert pagecheck.check_page_fill(_read(tmp_path, full, full, last)) == []


def test_page_fill_measures_to_the_footnote_rule(tmp_path):
    """Footnotes are not the body's fill: the band above the footnote rule counts as empty."""

    def footnoted(c):
        _lines(c, TOP, 420)
        c.setLineWidth(0.5)
        c.line(LEFT, 300, LEFT + 100, 300)  # the footnote rule
        _lines(c, 290, FOOT + 4, "1. A footnote with its text, line after line.")
        _footer(c, 1)

    problems = pagecheck.check_page_fill(_read(tmp_path, footnoted, lambda c: _lines(c, TOP, TOP - 20)))
    assert len(problems) == 1 and "page 1: an empty band of 1" in problems[0], problems


# =========================================================================== pull quotes


def _panel(c, y0, lines, *, mcid=None):
    c.setFillColorRGB(0.95, 0.93, 0.9)
    c.rect(LEFT, y0, RIGHT - LEFT, 18 * len(lines) + 12, stroke=0, fill=1)
    c.setFillColorRGB(0.5, 0.1, 0.1)
    y = y0 + 18 * len(lines) - 8
    for line in lines:
        if mcid is not None:
            c._code.append(f"/P <</MCID {mcid}>> BDC")
        _text(c, LEFT + 24, y, line, size=13.5)
        if mcid is not None:
            c._code.append("EMC")
        y -= 18
    c.setFillColorRGB(0, 0, 0)


def test_pull_quote_split_over_a_page_break_is_flagged(tmp_path):
    """The issue's case: "…where Mali, Niger" at the foot of page 1, "& Burkina Faso meet." on page 2."""

    def one(c):
        _lines(c, TOP, 200)
        _panel(c, FOOT, ["The border zone is the heart of it, where Mali, Niger"])

    def two(c):
        _panel(c, TOP - 40, ["& Burkina Faso meet."])
        _lines(c, TOP - 60, FOOT + 4)

    problems = pagecheck.check_pull_quotes(_read(tmp_path, one, two))
    assert problems == [
        "page 1: a quote panel holds part of a quote: \u201cThe border zone is the heart of it, where Mali, Niger\u201d",
        "page 2: a quote panel holds part of a quote: \u201c& Burkina Faso meet.\u201d",
    ]

    def whole(c):
        _lines(c, TOP, 300)
        _panel(c, 200, ["The border zone is the heart of it, where Mali, Niger", "and Burkina Faso meet."])

    assert pagecheck.check_pull_quotes(_read(tmp_path, whole)) == []


def _tag_quotes(path: Path, quotes: list[list[tuple[int, int]]]) -> Path:
    """Give `path` a structure tree: one BlockQuote per item of `quotes`, owning (page, MCID) pairs."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        doc = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root))
        kids = []
        for marks in quotes:
            refs = [pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pdf.pages[p].obj, MCID=m) for p, m in marks]
            kids.append(pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.BlockQuote, P=doc, K=pikepdf.Array(refs))))
        doc.K = pikepdf.Array(kids)
        root.K = doc
        pdf.Root.StructTreeRoot = root
        pdf.save(path)
    return path


def test_a_tagged_quote_on_two_pages_is_flagged_even_when_each_part_reads_whole(tmp_path):
    """Each part looks like a sentence; the tag tree says they are one BlockQuote on two pages."""

    def one(c):
        _lines(c, TOP, 200)
        _panel(c, FOOT, ["The border zone is where it began."], mcid=0)

    def two(c):
        _panel(c, TOP - 40, ["And it is where it will end."], mcid=0)
        _lines(c, TOP - 60, FOOT + 4)

    path = _tag_quotes(_pdf(tmp_path / "split.pdf", one, two), [[(0, 0), (1, 0)]])
    reading = pdfcheck.read(path)
    assert [(t.kind, t.content) for t in reading.tagged] == [("BlockQuote", {0: {0}, 1: {0}})]
    assert pagecheck.check_pull_quotes(reading) == [
        "pull quote 1 is split over 2 pages: page 1: \u201cThe border zone is where it began.\u201d / "
        "page 2: \u201cAnd it is where it will end.\u201d"]

    def whole(c):
        _lines(c, TOP, 300)
        _panel(c, 200, ["The border zone is where it began.", "And it is where it will end."], mcid=0)

    path = _tag_quotes(_pdf(tmp_path / "whole.pdf", whole), [[(0, 0)]])
    assert pagecheck.check_pull_quotes(pdfcheck.read(path)) == []


# =========================================================================== panoramas


@pytest.fixture
def panorama(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "panorama.png"
    Image.new("RGB", (600, 100), (120, 140, 90)).save(path)  # synthetic, 6:1
    return path


def _figure(c, image, x0, x1, top, *, height=None):
    height = height if height is not None else (x1 - x0) / 6
    c.drawImage(str(image), x0, top - height, x1 - x0, height)
    _text(c, x0, top - height - 12, "Figure 1  A panorama", size=8.5)


def test_a_panorama_set_narrow_or_beside_text_is_flagged(tmp_path, panorama):
    def narrow(c):  # the case: a 6:1 picture as a side float, text beside it
        _figure(c, panorama, RIGHT - 150, RIGHT, 700)
        for y in range(690, 640, -14):
            _text(c, LEFT, y, "Text set beside it.")

    problems = pagecheck.check_panoramas(_read(tmp_path, narrow))
    assert problems == [
        "page 1: Figure 1, a 6.0:1 picture, is 150 pt wide, not the column's 454 pt",
        "page 1: text \u201cText set beside it.\u201d is set beside Figure 1, a 6.0:1 picture",
    ], problems

    def squashed(c):
        _figure(c, panorama, LEFT, RIGHT, 700, height=120)

    assert pagecheck.check_panoramas(_read(tmp_path, squashed)) == [
        "page 1: Figure 1 is distorted: set at 3.78:1, drawn at 6.00:1"]
    assert pagecheck.check_panoramas(_read(tmp_path, lambda c: _figure(c, panorama, LEFT, RIGHT, 700))) == []


# =========================================================================== figures and anchors


def _captioned_drawing(c, top, label="Figure 1  A chart"):
    c.setFillColorRGB(0.9, 0.9, 0.95)
    c.rect(LEFT, top - 200, RIGHT - LEFT, 200, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    _text(c, LEFT, top - 212, label, size=8.5)


def test_a_figure_two_pages_from_its_mention_is_flagged(tmp_path):
    def mention(c):
        _lines(c, TOP, 300)
        _text(c, LEFT, 280, "The attacks rose in the dry season (see Figure 1).")
        _lines(c, 270, FOOT + 4)

    def text(c):
        _lines(c, TOP, FOOT + 4)

    def figure(c):
        _captioned_drawing(c, TOP)
        _lines(c, TOP - 230, FOOT + 4)

    problems = pagecheck.check_figure_anchors(_read(tmp_path, mention, text, figure))
    assert problems == ["Figure 1 is on page 3, its anchor paragraph (\u201cFigure 1\u201d) on page 1"]
    assert pagecheck.check_figure_anchors(_read(tmp_path, mention, figure)) == []

    def mention_overleaf(c, gap):  # the paragraph runs on from page 2, or starts after a gap
        _lines(c, TOP, TOP - 40)
        _text(c, LEFT, TOP - 52 - gap, "so the attacks rose in the dry season (see Figure 1).")
        _lines(c, TOP - 70 - gap, FOOT + 4)

    runs_on = _read(tmp_path, text, figure, lambda c: mention_overleaf(c, 0))
    assert pagecheck.check_figure_anchors(runs_on) == []  # the paragraph starts on page 2, the figure's
    starts_later = _read(tmp_path, text, figure, lambda c: mention_overleaf(c, 14))
    assert pagecheck.check_figure_anchors(starts_later) == [
        "Figure 1 is on page 2, its anchor paragraph (\u201cFigure 1\u201d) on page 3"]


def test_a_figure_mention_broken_over_a_page_counts_where_it_starts(tmp_path):
    def mention(c):
        _lines(c, TOP, FOOT + 20)
        _text(c, LEFT, FOOT + 4, "The attacks rose (Figure")

    def figure(c):
        _text(c, LEFT, TOP - 10, "2) in the dry season.")
        _captioned_drawing(c, TOP - 30, "Figure 2  A chart")

    assert pagecheck.mentions(_read(tmp_path, mention, figure)) == {2: (0, 0, False)}


# =========================================================================== the header


def _band(c, left_text, right_text):
    c.setFillColorRGB(0.5, 0.1, 0.1)
    c.rect(0, H - 44.6, W, 44.6, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    _text(c, LEFT, H - 26, left_text, size=9.5)
    c.setFont("CheckSerif", 9)
    c.drawRightString(RIGHT, H - 26, right_text)
    c.setFillColorRGB(0, 0, 0)
    _lines(c, H - 100, FOOT + 4)


def test_a_header_too_long_for_its_band_is_flagged(tmp_path):
    series = "OCCASIONAL PAPERS OF THE PROGRAMME ON SAHEL SECURITY, GOVERNANCE AND ARMED GROUPS: A SERIES"
    problems = pagecheck.check_header(_read(tmp_path, lambda c: _band(c, series, "Institute for Regional Security")))
    assert any("runs" in p and "past the right margin" in p and "OCCASIONAL" in p for p in problems), problems
    assert any("overprint" in p for p in problems), problems
    assert pagecheck.check_header(_read(tmp_path, lambda c: _band(c, "TERRORISM BACKGROUNDER", "CSIS"))) == []


# =========================================================================== notes


def _endnotes(notes):
    def draw(c):
        y = TOP - 10
        for n in range(1, len(notes) + 1):
            _text(c, LEFT, y, f"Sentence {n}.")
            c.setFont("CheckSerif", 6.6)
            c.drawString(LEFT + c.stringWidth(f"Sentence {n}.", "CheckSerif", 10), y + 3.6, str(n))
            y -= 20
        y -= 20
        _text(c, LEFT, y, "NOTES", size=10.2)
        for n, text in enumerate(notes, 1):
            y -= 14
            _text(c, LEFT + 20, y, text, size=8.2)
            c.drawRightString(LEFT + 17, y, f"{n}.")

    return draw


def test_note_punctuation_is_flagged(tmp_path):
    wrong = ["Ann Alpha, \u201cFacing the Challenge.\u201d; Reuters, \u201cA Report.\u201d",
             "Bob Beta, \u201cA Title,\u201d; more, 2019.",
             "Ann Alpha, \u201cFacing the Challenge,\u201d 2018..",
             "Ann Alpha, \u201cFacing the Challenge,\u201d 2018",
             "See <https://example.org/a..b>.",
             "Ann Alpha, \u201cFacing the Challenge\u201d, 2018."]
    problems = pagecheck.check_note_punctuation(_read(tmp_path, _endnotes(wrong)))
    assert [p.split(": \u201c")[0] for p in problems] == [
        "note 1: . inside the quotation marks, then ; (.\u201d;)",
        "note 2: , inside the quotation marks, then ; (,\u201d;)",
        "note 3: a doubled period",
        "note 3: does not end with one period",
        "note 4: does not end with one period",
        "note 6: , outside the closing quotation mark (\u201d,; US style sets it inside)",
    ], problems
    right = ["Ann Alpha, \u201cFacing the Challenge\u201d; Reuters, \u201cA Report.\u201d",
             "Ann Alpha, \u201cWho Leads?\u201d",
             "See <https://example.org/a..b>."]
    assert pagecheck.check_note_punctuation(_read(tmp_path, _endnotes(right))) == []


def test_an_arabic_titles_own_double_dot_is_not_a_doubled_period():
    """Arabic headlines write "مالي.." (Mali: …); the checker reads the note's text as extracted,
    in presentation forms, and leaves the title's own dots alone, but not a Latin "..". """
    from types import SimpleNamespace

    def notes(*texts):
        return SimpleNamespace(notes=[pdfcheck.Note(i, t, 0, "endnote") for i, t in enumerate(texts, 1)])

    arabic = "Al Jazeera Net, \u201c\ufe95\ufe8e\ufedb ..\ufef2\ufedf\ufe8e\ufee3,\u201d July 12, 2017."
    assert pagecheck.check_note_punctuation(notes(arabic)) == []
    assert pagecheck.check_note_punctuation(notes("Ann Alpha, \u201cMali.. Clashes,\u201d 2017.")) == [
        "note 1: a doubled period: \u201cAnn Alpha, \u201cMali.. Clashes,\u201d 2017.\u201d"]



def test_the_thin_space_between_two_closing_marks_is_not_a_missing_period():
    """The notes set a narrow no-break space between marks that meet (CMOS 6.11), which the reading
    gives back as a space: the note still ends with its period, inside both marks."""
    from types import SimpleNamespace

    def notes(*texts):
        return SimpleNamespace(notes=[pdfcheck.Note(i, t, 0, "endnote") for i, t in enumerate(texts, 1)])

    for gap in ("\u202f", " "):
        met = f"Lacher, \u201cDer \u2018Islamische Staat.\u2019{gap}\u201d"
        assert pagecheck.check_note_punctuation(notes(met)) == []
        assert pagecheck.check_note_punctuation(notes(met.replace(".", ""))) == [
            f"note 1: does not end with one period: \u201c{met.replace('.', '')}\u201d"]

def test_quote_nesting_is_flagged(tmp_path):
    wrong = ["SWP, \u201cDer \u201eIslamische Staat Westafrikaprovinz\u2018 und die Lage,\u201d 2019.",
             "Ann Alpha, \u201cThe \u201cGreater Sahara\u201d Branch,\u201d 2019.",
             "Ann Alpha, \u201cThe \u2018Greater Sahara\u201d Branch,\u201d 2019.",
             "Ann Alpha, \u201cLa \u00abprovince\u00bb du Sahel,\u201d 2019.",
             "Ann Alpha, \u201cUnclosed title, 2019."]
    problems = pagecheck.check_quote_nesting(_read(tmp_path, _endnotes(wrong)))
    kinds = [p.split(": \u201c")[0] for p in problems]
    assert kinds == [
        "note 1: quotation marks \u201e (US style has only double and single curly ones)",
        "note 1: a closing double quotation mark ends a single quotation",  # the issue's „…‘
        "note 2: double quotation marks inside double ones",
        "note 3: a closing double quotation mark ends a single quotation",
        "note 3: a closing double quotation mark without an opening one",
        "note 4: quotation marks \u00ab \u00bb (US style has only double and single curly ones)",
        "note 5: an opening double quotation mark never closed",
    ], kinds
    assert "single quotation marks outside double ones" in pagecheck.check_quote_nesting(
        _read(tmp_path, _endnotes(["Ann Alpha, \u2018A Title,\u2019 2019."])))[0]
    right = ["SWP, \u201cDer \u2018Islamische Staat Westafrikaprovinz\u2019 und die Lage,\u201d 2019.",
             "Ann Alpha, \u201cThe \u2018Greater Sahara\u2019 Branch\u2019s Leaders,\u201d 2019.",
             "The analysts\u2019 view, in Jama\u2019at Nasr al-Islam\u2019s words."]
    assert pagecheck.check_quote_nesting(_read(tmp_path, _endnotes(right))) == []


def test_a_footnote_broken_off_before_the_next_is_flagged(tmp_path):
    """Several long footnotes each cut at the page's foot, their rests overleaf: the reader meets
    note 2 before note 1 ends. Only the last footnote of a page may run on."""

    def footnotes(c, notes):
        _lines(c, TOP, 400)
        c.setLineWidth(0.5)
        c.line(LEFT, 380, LEFT + 100, 380)
        y = 366
        for number, lines in notes:
            _text(c, LEFT + 20, y, lines[0], size=7.8)  # text first, then its hanging number
            c.drawRightString(LEFT + 17, y, f"{number}.")
            y -= 10
            for line in lines[1:]:
                _text(c, LEFT + 20, y, line, size=7.8)
                y -= 10
        _footer(c, 1)

    broken = [(1, ["Agency One, \u201cA Report on the Border and"]),
              (2, ["Agency Two, \u201cAnother Report,\u201d 2019."]),
              (3, ["Agency Three, \u201cA Third Report on the"])]
    problems = pagecheck.check_footnote_breaks(_read(tmp_path, lambda c: footnotes(c, broken)))
    assert problems == [
        "page 1: footnote 1 breaks off (\u201c\u2026e, \u201cA Report on the Border and\u201d) and footnote 2 starts below "
        "it: only the page's last note may run on overleaf"], problems
    whole = [(1, ["Agency One, \u201cA Report on the Border,\u201d", "Regional Bulletin, 2018."]), *broken[1:]]
    assert pagecheck.check_footnote_breaks(_read(tmp_path, lambda c: footnotes(c, whole))) == []


# =========================================================================== headings


def _heading(c, y, title):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from jnim_export.fonts import font_path

    if "CheckSansBold" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("CheckSansBold", str(font_path("Noto Sans", bold=True))))
    c.setFont("CheckSansBold", 10.5)
    c.drawString(LEFT, y, title)


def test_a_heading_at_the_foot_of_a_page_is_flagged(tmp_path):
    """A section heading with nothing of its section below it on the page is stranded; one with a
    line of text (or a figure or quote) below it is not, nor is a bold word or a capitalised line."""

    def stranded(c):
        _lines(c, TOP, 160)
        _heading(c, 110, "OUTLOOK")
        _footer(c, 1)

    def kept(c):
        _lines(c, TOP, 200)
        _heading(c, 150, "OUTLOOK")
        _text(c, LEFT, 130, "The section starts here, on the page of its heading.")
        _text(c, LEFT, 116, "AN ACRONYM LINE IN THE REGULAR FACE")
        _footer(c, 2)

    def bold_word(c):
        _lines(c, TOP, 160)
        _heading(c, 110, "Figure")
        _footer(c, 3)

    reading = _read(tmp_path, stranded, kept, bold_word)
    assert [h.text for page in reading.pages for h in pagecheck.headings(page)] == ["OUTLOOK", "OUTLOOK"]
    assert pagecheck.check_headings(reading) == [
        "page 1: the heading \u201cOUTLOOK\u201d ends the page; what it heads starts on page 2"]
