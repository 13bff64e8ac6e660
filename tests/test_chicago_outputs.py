"""Chicago notes as a reader meets them in every output: the PDF, the deck, the page and the Word file.

The default content plus a section citing synthetic sources of every type (written here; the
records are invented, shaped like real ones), built once with footnotes and slide footers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html
from pptx import Presentation

from jnim_export.cli import main

ROOT = Path(__file__).resolve().parents[1]

SECTION = """\
  - id: sources-demo
    title: Recent Reporting
    bullets:
      - Analysts disagree on the group's reach[^many]
      - Its history is older than the group[^times-book]
    blocks:
      - >-
        A journal article,[^smith-2019] a German study,[^lacher-2022] a report,[^icg-2019] a
        web page,[^post-page] and a book.[^times-book] The study again,[^lacher-2022] and
        several at once.[^many]
"""
SOURCES = """\
  - id: smith-2019
    type: article
    authors: [{family: Smith, given: Jane}]
    title: "Facing the Challenge: Mali's \\"Long War\\""
    container: Journal of Sahel Studies
    volume: 42
    issue: 3
    pages: 1–25
    date: 2019
    url: https://example.org/jss/42/3/smith
  - id: lacher-2022
    type: article
    author: Wolfram Lacher
    title: Der „Islamische Staat Westafrikaprovinz“ und die Dschihadisten im Tschadseebecken
    container: SWP-Aktuell
    issue: 45
    date: 2022-07
  - id: icg-2019
    type: report
    authors: [{literal: International Crisis Group}]
    title: "Speaking with the \\"Bad Guys\\": Toward Dialogue with Central Mali's Jihadists"
    number: Africa Report No. 276
    place: Brussels
    publisher: International Crisis Group
    date: 2019-05-28
  - id: post-page
    type: webpage
    author: Emily Post
    title: Etiquette in the Sahel
    container: Example Site
    accessed: 2024-05-03
    url: https://example.org/post
  - id: times-book
    type: book
    author: Mark Times
    title: A History of the Desert
    place: Bamako
    publisher: Example Press
"""
NOTES = """\
  - id: many
    prefix: See
    cite: [smith-2019, lacher-2022, reuters-2018]
"""
# What each output must print (its notes' plain text), in reading order; where a single and a double
# quotation mark meet, a narrow no-break space stands between them (CMOS 17, 6.11).
EXPECTED = [
    "Jane Smith, “Facing the Challenge: Mali's ‘Long War,’\u202f” Journal of Sahel Studies 42, no. 3 (2019): 1–25, "
    "https://example.org/jss/42/3/smith.",
    "Wolfram Lacher, “Der ‘Islamische Staat Westafrikaprovinz’ und die Dschihadisten im Tschadseebecken,” "
    "SWP-Aktuell, no. 45 (July 2022).",
    "International Crisis Group, Speaking with the “Bad Guys”: Toward Dialogue with Central Mali's Jihadists, "
    "Africa Report No. 276 (Brussels: International Crisis Group, May 28, 2019).",
    "Emily Post, “Etiquette in the Sahel,” Example Site, accessed May 3, 2024, https://example.org/post.",
    "Mark Times, A History of the Desert (Bamako: Example Press, n.d.).",
    "Lacher, “Der ‘Islamische Staat Westafrikaprovinz.’\u202f”",
    "See Smith, “Facing the Challenge”; Lacher, “Der ‘Islamische Staat Westafrikaprovinz’\u202f”; Reuters, "
    "“Militants in U.N. disguise.”",
]


def demo_content(folder: Path) -> Path:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    text = text.replace("\nfigures:\n", "\n" + SECTION + "\nfigures:\n", 1)
    text = text.replace("\nnotes:\n", "\n" + SOURCES + "\nnotes:\n" + NOTES, 1)
    shutil.copytree(ROOT / "assets", folder / "assets")
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    return folder / "content.yaml"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, default_figures) -> Path:
    folder = tmp_path_factory.mktemp("chicago")
    content = demo_content(folder)
    shutil.copytree(default_figures, folder / "output" / ".jnim-export" / "figures")  # the default content's figures
    result = CliRunner().invoke(main, ["build", str(content), "--notes", "footnotes", "--citations", "footer",
                                       "--no-pdfa", "-q"])
    assert result.exit_code == 0, result.output
    return folder / "output"


def _one(folder: Path, suffix: str) -> Path:
    (found,) = folder.glob(f"*{suffix}")
    return found


def _flat(text: str) -> str:
    """Runs of white space as one space; the narrow no-break space between marks is kept."""
    return re.sub(r"[^\S\u202f]+", " ", text.replace("\u00ad", "")).strip()


def _assert_in_order(text: str, what: str) -> None:
    at = 0
    for expected in EXPECTED:
        found = text.find(expected, at)
        assert found >= 0, f"{what} lacks (after {at}): {expected}\n---\n{text[at:at + 3000]}"
        at = found + len(expected)


@pytest.mark.slow
def test_pdf_footnotes_read_as_the_manual_prints_them(outputs):
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler's pdftotext")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(_one(outputs, ".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    # Footnotes run over lines and pages; the page furniture between them is not a note's.
    flat = _flat(re.sub(r"(?<=[a-z/])-\n", "-", text))
    # pdftotext writes no space character of the PDF's: it infers spaces from the gaps between
    # glyphs, so the thin space between two marks may come out as a space or as nothing
    flat = re.sub("(?<=[\u2018\u2019\u201c\u201d]) (?=[\u2018\u2019\u201c\u201d])", "", flat)
    for expected in (e.replace("\u202f", "") for e in EXPECTED):
        assert expected in flat or _flat(expected.replace("https://", "")) in flat.replace("https://", ""), expected


@pytest.mark.slow
def test_web_page_notes_in_order_with_italic_titles(outputs):
    raw = _one(outputs, ".html").read_bytes()
    # the narrow no-break space is the character itself, never a reference to it
    assert "\u202f".encode() in raw and not re.search(rb"&#(8239|x202f);", raw, re.I)
    page = html.fromstring(raw)
    notes = page.xpath("//*[contains(@class,'notes') or @role='doc-endnotes']//li")
    _assert_in_order(_flat(" ".join(n.text_content() for n in notes)), "the page's notes")
    italics = {_flat(e.text_content()) for e in page.xpath("//li//em")}
    assert {"Journal of Sahel Studies", "A History of the Desert", "SWP-Aktuell"} <= italics


@pytest.mark.slow
def test_word_file_notes_in_order_with_italic_titles(outputs):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(_one(outputs, ".docx")) as z:
        names = [n for n in z.namelist() if n in ("word/footnotes.xml", "word/endnotes.xml")]
        root = etree.fromstring(z.read(names[0]))
    notes = ["".join(t.text or "" for t in n.iter(w + "t")) for n in root if n.get(w + "type") is None]
    _assert_in_order(_flat(" ".join(notes)), "the Word file's notes")
    italic_runs = {"".join(t.text or "" for t in r.iter(w + "t")) for r in root.iter(w + "r")
                   if r.find(f"{w}rPr/{w}i") is not None}
    assert "Journal of Sahel Studies" in {x.strip() for x in italic_runs}


@pytest.mark.slow
def test_deck_footer_and_sources_read_right(outputs):
    deck = Presentation(str(_one(outputs, ".pptx")))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    flat = _flat(" ".join(texts))
    assert EXPECTED[-1] in flat or EXPECTED[-1].replace("See ", "") in flat, flat[-3000:]
    assert ".”;" not in flat and ",”;" not in flat
    assert EXPECTED[4] in flat
    italic = {r.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
              for p in shape.text_frame.paragraphs for r in p.runs if r.font.italic}
    assert "A History of the Desert" in italic


# ----------------------------------------------------------------------------- marks that meet

MARKS = "\u2018\u2019\u201c\u201d"
MET = len(re.findall(f"[{MARKS}]\u202f[{MARKS}]", " ".join(EXPECTED)))  # 3: notes 17, 22 and 23


@pytest.mark.slow
def test_pdf_sets_the_narrow_space_as_a_thin_glyph_between_the_marks(outputs):
    """The PDF draws U+202F from the embedded face (its ToUnicode says so, which pdftotext does not
    show: it prints no space character of a PDF's), 1/6 em wide: a thin space, not a word space."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines = [line for page in extract_pages(str(_one(outputs, ".pdf"))) for box in page
             if isinstance(box, LTTextContainer) for line in box if isinstance(line, LTTextLine)]
    text = "".join(line.get_text() for line in lines)
    assert len(re.findall(f"[{MARKS}]\u202f[{MARKS}]", text)) == MET, text
    assert not re.search(f"[{MARKS}][{MARKS}]", text)
    thin = [c for line in lines for c in line if isinstance(c, LTChar) and c.get_text() == "\u202f"]
    assert len(thin) == MET and all(0.15 < c.adv / c.size < 0.18 for c in thin), [(c.adv, c.size) for c in thin]


def test_no_line_of_the_pdf_breaks_between_two_marks():
    """At every measure, the narrow no-break space keeps the marks on one line (ReportLab itself
    counts U+202F among the spaces it may break at; the writer makes it keep it in the word)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    from jnim_export.render.pdf.rl import narrow_spaces_kept

    source = "Lacher, \u201cDer \u2018Islamische Staat Westafrikaprovinz.\u2019\u202f\u201d See \u201c\u202f\u2018Long\u2019 War.\u201d"
    style = ParagraphStyle("n", fontName="Helvetica", fontSize=10, leading=12)
    # from the longest word's width (narrower, ReportLab cuts any word, as it must) to one line
    longest = max(stringWidth(w, "Helvetica", 10) for w in source.split(" "))
    with narrow_spaces_kept():
        for width in range(int(longest) + 1, 400, 4):
            para = Paragraph(source, style)
            para.wrap(width, 1000)
            lines = ["".join(w.text for w in line.words) if hasattr(line, "words") else " ".join(line[1])
                     for line in para.blPara.lines]
            joined = "\n".join(lines)
            assert "\u202f" in joined and not re.search(f"[{MARKS}]\u202f?\n\u202f?[{MARKS}]", joined), (width, lines)
            assert joined.count("\u202f") == 2, (width, lines)
