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
# What each output must print (its notes' plain text), in reading order.
EXPECTED = [
    "Jane Smith, “Facing the Challenge: Mali's ‘Long War,’” Journal of Sahel Studies 42, no. 3 (2019): 1–25, "
    "https://example.org/jss/42/3/smith.",
    "Wolfram Lacher, “Der ‘Islamische Staat Westafrikaprovinz’ und die Dschihadisten im Tschadseebecken,” "
    "SWP-Aktuell, no. 45 (July 2022).",
    "International Crisis Group, Speaking with the “Bad Guys”: Toward Dialogue with Central Mali's Jihadists, "
    "Africa Report No. 276 (Brussels: International Crisis Group, May 28, 2019).",
    "Emily Post, “Etiquette in the Sahel,” Example Site, accessed May 3, 2024, https://example.org/post.",
    "Mark Times, A History of the Desert (Bamako: Example Press, n.d.).",
    "Lacher, “Der ‘Islamische Staat Westafrikaprovinz.’”",
    "See Smith, “Facing the Challenge”; Lacher, “Der ‘Islamische Staat Westafrikaprovinz’”; Reuters, "
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
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


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
    for expected in EXPECTED:
        assert expected in flat or _flat(expected.replace("https://", "")) in flat.replace("https://", ""), expected


@pytest.mark.slow
def test_web_page_notes_in_order_with_italic_titles(outputs):
    page = html.fromstring(_one(outputs, ".html").read_bytes())
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
