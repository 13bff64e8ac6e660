"""The PDF numbers its notes in the order its pages set them, read back from the file.

The document here is built in the test; its photo is synthetic (a flat colour drawn here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import pdfcheck
from tagcheck import Tagged
from test_pdf_flow import build, filler
from test_pdf_tagged import reading_order_problems, structure_problems

from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render.pdf.edition import renumbered

ALPHA = {"id": "alpha", "author": "Ann Alpha-Q1", "title": "Title Q1 about the first thing", "date": "2018-01-02",
         "url": "https://example.org/alpha"}
BETA = {"id": "beta", "author": "Bob Beta-Q2", "title": "Title Q2 about the second thing", "date": "2019-03-04",
        "url": "https://example.org/beta"}


def _content(folder: Path, lead: int) -> Path:
    """A photo whose caption cites alpha, after `lead` words, then a paragraph citing beta, then alpha."""
    from PIL import Image

    (folder / "assets").mkdir(parents=True)
    Image.new("RGB", (900, 700), (120, 90, 60)).save(folder / "assets" / "p.png")
    text = ("The border towns changed hands twice.[^beta] " + filler(40, 3) + " The army came back.[^alpha] "
            + filler(500, 5))
    spec = {
        "meta": {"title": "Order Case", "short_title": "Case", "slug": "order", "series": "Test", "publisher": "Test",
                 "publisher_short": "T", "authors": ["A. Author"], "date": "2020", "credit": "Compiled for a test.",
                 "copyright": "None."},
        "sections": [{"id": "one", "title": "One", "blocks": [filler(lead), {"figure": "photo"}, text]}],
        "figures": [{"id": "photo", "kind": "photo", "image": "assets/p.png", "caption": "A synthetic photo.[^alpha]",
                     "credit": "Synthetic test image.", "alt": "A flat colour."}],
        "sources": [ALPHA, BETA],
    }
    file = folder / "content.yaml"
    file.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


@pytest.mark.slow
def test_notes_are_numbered_as_the_pages_set_them(tmp_path):
    """The photo does not fit on page 1 and waits for page 2 while the paragraph after it fills
    page 1: the reader meets that paragraph's notes first, so the PDF numbers them 1 and 2 and
    the photo's 3, and words each for its place (alpha in full at its first mention, now in the
    text; "Ibid." under the photo); callouts, notes, links and tags all agree."""
    doc = load(_content(tmp_path / "c", lead=510))
    assert [m.plain_text(n.text)[:12] for n in doc.text_notes] == ["Ann Alpha-Q1", "Bob Beta-Q2,", "Alpha-Q1, “T"]
    pdf = tmp_path / "order.pdf"
    result = build(doc, pdf, tmp_path / "figures", paper="a4", notes="endnotes")
    assert result.warnings == ()
    reading = pdfcheck.read(pdf)
    findings = {rule: fn(reading) for rule, fn in pdfcheck.all_rules().items()}
    assert not any(findings.values()), pdfcheck.report(findings)
    assert [(c.number, c.page) for c in reading.callouts] == [(1, 0), (2, 0), (3, 1)]
    assert [n.text[:12] for n in reading.notes] == ["Bob Beta-Q2,", "Ann Alpha-Q1", "Ibid."]
    edition = renumbered(doc, [2, 3, 1])
    assert [m.plain_text(n.text) for n in edition.text_notes][2] == "Ibid."
    tagged = Tagged(pdf)
    assert structure_problems(edition, tagged, "endnotes") == []
    assert reading_order_problems(edition, tagged, "endnotes") == []


def test_the_model_words_a_note_for_any_place(tmp_path):
    """`Note.worded` in the content's order gives the content's words; in another order, each
    source is in full at its first mention, short later, and "Ibid." follows the same sources."""
    doc = load(_content(tmp_path / "c", lead=10))
    seen: set[str] = set()
    previous = None
    for note in doc.text_notes:
        assert note.worded(note.number, seen, previous) == note
        previous = note.sources
    edition = renumbered(doc, [2, 1, 3])
    texts = [m.plain_text(n.text) for n in edition.text_notes]
    assert texts[0].startswith("Bob Beta-Q2, “Title Q2") and texts[1].startswith("Ann Alpha-Q1, “Title Q1")
    assert texts[2] == "Ibid."
    cited = [n for s in edition.sections for b in s.blocks
             for n in m.note_numbers(b.figure.caption if isinstance(b, m.FigureBlock) else b.text)]
    assert cited == [2, 1, 3] and m.note_numbers(edition.figures[0].caption) == (2,)


@pytest.mark.parametrize("order", [[1, 2, 3], [3, 2, 1]])
def test_renumbering_keeps_every_citation_of_a_note(tmp_path, order):
    doc = load(_content(tmp_path / "c", lead=10))
    edition = renumbered(doc, order)
    new = {old: k + 1 for k, old in enumerate(order)}
    assert [n.id for n in edition.text_notes] == [doc.note(old).id for old in order]
    assert [n.number for n in edition.notes] == list(range(1, len(doc.notes) + 1))
    assert m.note_numbers(edition.figures[0].caption) == tuple(new[n] for n in m.note_numbers(doc.figures[0].caption))


@pytest.mark.slow
@pytest.mark.parametrize("lead", [340, 430])
def test_tall_photos_after_the_paragraph_naming_them_stay_near_it(tmp_path, lead):
    """Three tall photos after the paragraph naming them, at a section's end, the paragraph ending
    near the foot of page 1: each is set (smaller if need be) within a page of it, no page but the
    last is left with a gap, and each caption still starts "Figure N" on one line, however small
    the photo (the label is never broken from its number)."""
    import pagecheck

    from test_pdf_flow import document, photo, photo_figure

    shots = [m.FigureBlock(photo_figure(k, photo(tmp_path, f"p{k}", (600, 900)))) for k in (1, 2, 3)]
    naming = "The three towns changed hands. See Figure 1. See Figure 2. See Figure 3."
    doc = document([("First", [filler(lead), naming, *shots]), ("Second", [filler(300, 4)])])
    pdf = tmp_path / "three.pdf"
    build(doc, pdf, tmp_path / "figures", paper="letter", notes="endnotes")
    reading = pdfcheck.read(pdf)
    assert pagecheck.check_figure_anchors(reading) == []
    assert pagecheck.check_page_fill(reading) == []
    labels = sorted(d.label() for p in reading.pages[:2] for d in p.drawings if d.is_figure)
    assert labels == ["Figure 1", "Figure 2", "Figure 3"]


@pytest.mark.slow
def test_without_a_fixed_point_the_notes_keep_the_contents_order(tmp_path, monkeypatch):
    """When no setting in the notes' new order sets them in that order (here: no second setting
    allowed), the PDF is set as the content numbers its notes, text never passing the photo's
    note, and says so; every check still passes."""
    from jnim_export.render.pdf import settings

    monkeypatch.setattr(settings, "ORDER_PASSES", 1)
    doc = load(_content(tmp_path / "c", lead=510))
    pdf = tmp_path / "strict.pdf"
    result = build(doc, pdf, tmp_path / "figures", paper="a4", notes="endnotes")
    assert [w for w in result.warnings if "numbered in the content's order" in w]
    reading = pdfcheck.read(pdf)
    findings = {rule: fn(reading) for rule, fn in pdfcheck.RULES.items()}
    assert not any(findings.values()), pdfcheck.report(findings)
    assert [n.text[:12] for n in reading.notes] == ["Ann Alpha-Q1", "Bob Beta-Q2,", "Alpha-Q1, “T"]
