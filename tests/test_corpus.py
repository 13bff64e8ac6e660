"""Notes and pages checked from the PDF alone, on generated backgrounders and on hand-made cases.

The corpus test (slow) generates CORPUS_N backgrounders (default 100; CORPUS_SEED picks the
corpus, CORPUS_JOBS the worker processes, default 2), renders each PDF in turn as endnotes and
footnotes on letter and A4, and runs every check of `pdfcheck` and `pagecheck` on it (every fifth also
through page-validation, PDF/UA-1 and PDF/A-2a: `conformcheck`); one failure report
lists every problem of every document.  It also fails when the corpus no longer holds a case
issue #23 asks for (`corpus.COVERAGE`: photo essays, panoramas, pull quotes at a page's foot
and opening a page, drawings closing a section…), read from the generator and the pages.  Set CORPUS_KEEP=DIR to keep the contents, PDFs and
report there, CORPUS_RUNNER=cli to build through the command line instead of in-process.
Figures are drawn once into pytest's cache folder and reused by later runs.  By hand, on
more documents: ``python -m tests.corpus --count 1000 --keep DIR`` (tests/corpus.py).  The
other tests check the checker: it must pass correct PDFs and catch the faults it is for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

import conformcheck
import drawnpdf
import pdfcheck
from corpus import MODES, _share_figure_cache, build_pdf, coverage, run_corpus, summarise

ROOT = Path(__file__).resolve().parents[1]


# =========================================================================== building


@pytest.fixture(scope="session")
def figure_cache(request, tmp_path_factory) -> Path:
    """Drawn maps and charts, kept between runs (pytest's cache folder) when it is available."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("jnim-export-figures"))
    return tmp_path_factory.mktemp("figures")


def _render(content: Path, tmp: Path, cache: Path, notes: str, paper: str) -> Path:
    out = tmp / f"out-{notes}-{paper}"
    _share_figure_cache(out, cache)
    return build_pdf(content, out, notes, paper)


@pytest.mark.slow
def test_corpus(tmp_path, figure_cache):
    n = int(os.environ.get("CORPUS_N", "100"))
    seed = int(os.environ.get("CORPUS_SEED", "20261125"))
    jobs = int(os.environ.get("CORPUS_JOBS", "2"))
    keep = os.environ.get("CORPUS_KEEP")
    base = Path(keep) if keep else tmp_path / "corpus"
    if keep and base.exists():
        shutil.rmtree(base)
    started = time.perf_counter()
    results = run_corpus(n, seed, base, figure_cache, jobs)
    summary = summarise(results)
    cpu = sum(sum(r.get("cpu", {}).values()) for r in results)
    summary += f"\n{n} documents in {time.perf_counter() - started:.1f} s with {jobs} worker(s), {cpu:.1f} s CPU"
    (base / "report.txt").write_text(summary + "\n", encoding="utf-8")
    (base / "findings.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(summary)
    assert not any(r["error"] for r in results), summary
    assert {f"{r['notes']}/{r['paper']}" for r in results} == {f"{n}/{p}" for n, p in MODES}
    assert all(coverage(results).values()), f"a case the corpus must hold is missing: {coverage(results)}"
    unexpected = [f"document {r['i']}: {rule}" for r in results for rule, found in r["findings"].items()
                  if found and r["i"] not in _known_failures(n, seed).get(rule, ())]
    assert not unexpected, "\n".join(unexpected) + "\n\n" + summary


def _known_failures(n: int, seed: int) -> dict[str, list[int]]:
    """The CI corpus's pages still failing a rule, each named (tests/data/corpus_known.json); none
    for any other corpus, whose every finding fails the test."""
    known = json.loads((ROOT / "tests" / "data" / "corpus_known.json").read_text(encoding="utf-8"))
    return known["known"] if (known["documents"], known["seed"]) == (n, seed) else {}


# =========================================================================== the checker on built PDFs


def _content(tmp: Path, spec: dict) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    file = tmp / "content.yaml"
    file.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def _meta(slug: str) -> dict:
    return {"title": "Checker Case", "short_title": "Case", "slug": slug, "series": "Test", "publisher": "Test",
            "publisher_short": "T", "authors": ["A. Author"], "date": "2020", "credit": "Compiled for a test.",
            "copyright": "None."}


ALPHA = {"id": "alpha", "author": "Ann Alpha-Q1", "title": "Title Q1 about the first thing", "date": "2018-01-02",
         "url": "https://example.org/alpha"}
BETA = {"id": "beta", "author": "Bob Beta-Q2", "title": "Title Q2 about the second thing", "date": "2019-03-04",
        "url": "https://example.org/beta"}


@pytest.mark.parametrize("notes", ["endnotes", "footnotes"])
def test_minimal_unseen_note(tmp_path, figure_cache, notes):
    """A bullet cites a source before the body does: the PDF's notes are still numbered as a reader
    meets them in the text, "1 … 2" (the bullet's citation is the slides' alone), and every check passes.

    The old numbering read "1 … 3", listed a note 2 no callout pointed to and made note 3 "Ibid."
    of it; `pdfcheck` has tests of its own for finding each of those.
    """
    spec = {
        "meta": _meta("minimal"),
        "sections": [
            {"id": "one", "title": "One", "bullets": ["A bullet citing beta.[^beta]"], "blocks": ["First.[^alpha]"]},
            {"id": "two", "title": "Two", "blocks": ["Second.[^beta]"]},
        ],
        "sources": [ALPHA, BETA],
    }
    pdf = _render(_content(tmp_path / "c", spec), tmp_path, figure_cache, notes, "letter")
    reading = pdfcheck.read(pdf)
    findings = {rule: fn(reading) for rule, fn in pdfcheck.RULES.items()}
    assert [n.number for n in reading.notes] == [1, 2]
    assert [c.number for c in reading.callouts] == [1, 2]
    texts = {n.number: n.text for n in reading.notes}
    assert "Bob Beta-Q2" in texts[2] and "Ibid." not in texts[2], texts
    assert not any(findings.values()), pdfcheck.report(findings)


@pytest.fixture(scope="module")
def default_reading(tmp_path_factory, figure_cache):
    """The project's content.yaml (its data files are committed) read back, each mode rendered once."""
    readings = {}

    def read(notes: str, paper: str) -> pdfcheck.Reading:
        if (notes, paper) not in readings:
            pdf = _render(ROOT / "content.yaml", tmp_path_factory.mktemp("default"), figure_cache, notes, paper)
            readings[notes, paper] = pdfcheck.read(pdf)
        return readings[notes, paper]

    return read


@pytest.mark.slow
@pytest.mark.parametrize("notes,paper", MODES)
def test_default_content_notes_are_right(default_reading, notes, paper):
    reading = default_reading(notes, paper)
    assert [n.number for n in reading.notes] == list(range(1, 17))
    assert sorted({c.number for c in reading.callouts}) == list(range(1, 17))
    assert reading.modes == {notes}
    assert pdfcheck.check_callout_order(reading) == []
    assert pdfcheck.check_notes_match(reading) == []
    assert pdfcheck.check_citation_forms(reading) == []  # no tagged sources: nothing to say
    figures = [d.label() for page in reading.pages for d in page.drawings if d.is_figure]
    assert figures == ["Figure 1", "Figure 2", "Figure 3"]


@pytest.mark.slow
@pytest.mark.parametrize("notes,paper", MODES)
def test_default_content_pages_are_right(default_reading, notes, paper):
    assert pdfcheck.check_layout(default_reading(notes, paper)) == []


# =========================================================================== the checker on drawn PDFs


LEFT, RIGHT = 79.2, 612.0 - 79.2


_pdf = drawnpdf.pdf
_text = drawnpdf.text


def _callout(canvas, x, y, number, size=10.0):
    sup = size * 0.66
    canvas.setFont("CheckSerif", sup)
    canvas.drawString(x, y + sup * 0.55, str(number))
    return x + canvas.stringWidth(str(number), "CheckSerif", sup)


def _endnotes(canvas, y, notes):
    canvas.setFont("CheckSerif", 10.2)
    canvas.drawString(LEFT, y, "NOTES")
    for number, text in notes:
        y -= 14
        canvas.setFont("CheckSerif", 8.2)
        canvas.drawString(LEFT + 20, y, text)
        canvas.drawRightString(LEFT + 17, y, f"{number}.")


def test_checker_catches_a_note_no_callout_points_to(tmp_path):
    def draw(c):
        x = _text(c, LEFT, 700, "First.")
        _callout(c, x, 700, 1)
        x = _text(c, LEFT, 680, "Second.")
        _callout(c, x, 680, 3)
        _endnotes(c, 640, [(1, "Ann Alpha-Q1, \u201cTitle Q1 about the first thing,\u201d 2018."),
                           (2, "Bob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019."),
                           (3, "Ibid.")])

    reading = pdfcheck.read(_pdf(tmp_path / "x.pdf", draw))
    assert [c.number for c in reading.callouts] == [1, 3]
    assert [n.number for n in reading.notes] == [1, 2, 3]
    assert pdfcheck.check_callout_order(reading) == [
        "callouts jump from 1 to 3 (page 1, after \u2026Second.): 2 not seen yet"]
    assert pdfcheck.check_notes_match(reading) == [
        "note 2 has no callout: \u201cBob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019.\u201d"]
    assert pdfcheck.check_citation_forms(reading) == [
        "note 3 is \u201cIbid.\u201d of note 2, which no callout points to: the reader never saw it"]
    assert pdfcheck.check_layout(reading) == []


def test_checker_passes_right_notes_and_catches_wrong_forms(tmp_path):
    def draw(c, notes):
        y = 700
        for n in range(1, len(notes) + 1):
            x = _text(c, LEFT, y, f"Sentence {n}.")
            _callout(c, x, y, n)
            y -= 20
        _endnotes(c, y - 20, notes)

    right = [(1, "Ann Alpha-Q1, \u201cTitle Q1 about the first thing,\u201d 2018, <https://example.org/a>."),
             (2, "Ibid."),
             (3, "See Bob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019."),
             (4, "Alpha-Q1, \u201cTitle Q1.\u201d"),
             (5, "Some free text with no source."),
             (6, "Alpha-Q1, \u201cTitle Q1\u201d; Beta-Q2, \u201cTitle Q2.\u201d")]
    reading = pdfcheck.read(_pdf(tmp_path / "right.pdf", lambda c: draw(c, right)))
    assert [n.number for n in reading.notes] == [1, 2, 3, 4, 5, 6]
    assert {rule: fn(reading) for rule, fn in pdfcheck.RULES.items()} == {rule: [] for rule in pdfcheck.RULES}

    wrong = [(1, "Ibid."),
             (2, "\u201cTitle Q1 about the first thing.\u201d"),
             (3, "Bob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019."),
             (4, "\u201cTitle Q2.\u201d"),
             (5, "Free text."),
             (6, "Ibid."),
             (7, "Bob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019.")]
    reading = pdfcheck.read(_pdf(tmp_path / "wrong.pdf", lambda c: draw(c, wrong)))
    problems = pdfcheck.check_citation_forms(reading)
    assert problems == [
        "note 1 is \u201cIbid.\u201d but there is no note 0 before it",
        "note 2: first note citing Q1 is not the full form: \u201c\u201cTitle Q1 about the first thing.\u201d\u201d",
        "note 4: short form of Q2 has the title alone, no author: \u201c\u201cTitle Q2.\u201d\u201d",
        "note 6 is \u201cIbid.\u201d but note 5 cites no source",
        "note 7: Q2 is given in full again (first cited in note 3): "
        "\u201cBob Beta-Q2, \u201cTitle Q2 about the second thing,\u201d 2019.\u201d",
    ]


def test_citations_are_read_from_note_text():
    full = pdfcheck.citations("See, for example, Ann Alpha-Q1, \u201cTitle Q1 about x,\u201d Review, 2018, "
                              "<https://example.org/Q9?a=b>; Org Centre Q12, <https://e.org>.")
    assert [(c.tag, c.author, c.title, c.more) for c in full] == [
        ("1", True, "Title Q1 about x", True), ("12", True, None, True)]
    short = pdfcheck.citations("Alpha-Q1, \u201cTitle Q1.\u201d; \u201cTitle Q3 alone.\u201d; Org Centre Q12.")
    assert [(c.tag, c.author, c.title, c.more) for c in short] == [
        ("1", True, "Title Q1", False), ("3", False, "Title Q3 alone", False), ("12", True, None, False)]
    assert pdfcheck.citations("Ibid.") == []


def test_checker_catches_overprinting_and_margins(tmp_path):
    from PIL import Image

    picture = tmp_path / "p.png"
    Image.new("RGB", (40, 30), (90, 120, 60)).save(picture)

    def draw(c):
        _text(c, LEFT, 700, "A line of body text that is fine.")
        _text(c, LEFT, 650, "This line and the next one")
        _text(c, LEFT + 30, 647, "overprint each other here")
        c.drawImage(str(picture), LEFT, 500, 200, 120)
        _text(c, LEFT + 10, 560, "Text printed over the photo.")
        _text(c, LEFT, 450, "https://example.org/" + "x" * 90)
        _text(c, LEFT, 100, "Notes printed into the footer zone")
        _text(c, LEFT, 30, "Too near the bottom edge")

    problems = pdfcheck.check_layout(pdfcheck.read(_pdf(tmp_path / "bad.pdf", draw)), limit=50)
    text = "\n".join(problems)
    assert "\u201cThis line and the next one\u201d and \u201coverprint each other here\u201d overprint" in text
    assert "\u201cText printed over the photo.\u201d is printed over image" in text
    assert re.search(r"\u201chttps://example.org/x+\u2026\u201d runs [\d.]+ pt past the right margin", text)
    assert "\u201cToo near the bottom edge\u201d is within 0.4 in of the bottom edge" in text
    assert "fine" not in text and "footer zone" not in text
    assert len(problems) == 4, text


def test_checker_leaves_a_drawing_its_own_labels(tmp_path):
    """A map's labels sit on the map; a figure's caption and credit sit above and below it."""

    def draw(c):
        _text(c, LEFT, 700, "Body text above the figure.")
        c.setLineWidth(1.2)
        c.line(LEFT, 680, RIGHT, 680)
        _text(c, LEFT, 668, "Figure 1  A map with a caption", size=8.5)
        c.setFillColorRGB(1, 1, 1)
        c.rect(LEFT, 460, RIGHT - LEFT, 200, stroke=0, fill=1)
        c.setFillColorRGB(0.8, 0.8, 0.9)
        c.rect(LEFT + 20, 480, 200, 100, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        _text(c, LEFT + 30, 520, "Label on a shape", size=6)
        _text(c, LEFT + 300, 470, "Legend", size=6)
        _text(c, LEFT, 450, "Source: a credit line.", size=7.2)
        _text(c, LEFT, 420, "Body text below the figure.")

    reading = pdfcheck.read(_pdf(tmp_path / "fig.pdf", draw))
    assert pdfcheck.check_layout(reading) == []
    (figure,) = [d for d in reading.pages[0].drawings if d.is_figure]
    assert figure.label() == "Figure 1"
    assert [r.text for r in figure.runs] == ["Label on a shape", "Legend"]
    assert [r.text for r in figure.caption] == ["Figure 1  A map with a caption", "Source: a credit line."]

    def late(c):  # a drawing set over text and a rule set before it
        draw(c)
        _text(c, LEFT + 150, 300, "Credit block set before the figure.")
        c.line(LEFT, 270, RIGHT, 270)
        c.setFillColorRGB(1, 1, 1)
        c.rect(LEFT + 200, 250, RIGHT - LEFT - 200, 100, stroke=0, fill=1)

    problems = pdfcheck.check_layout(pdfcheck.read(_pdf(tmp_path / "late.pdf", late)))
    assert problems == [
        "page 1: text \u201cCredit block set before the figure.\u201d is printed over drawing at "
        "(279.2, 250.0, 532.8, 350.0)",
        "page 1: a rule at y=270.0 crosses drawing at (279.2, 250.0, 532.8, 350.0)",
    ]


@pytest.mark.slow
def test_generated_content_is_valid(tmp_path):
    """Whatever the generator draws is content the tool accepts (errors would hide the PDF checks)."""
    hypothesis = pytest.importorskip("hypothesis")
    from corpus import backgrounders
    from jnim_export.content import load

    folders = iter(tmp_path / f"h{i}" for i in range(10_000))

    @hypothesis.settings(max_examples=10, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(backgrounders(lambda: next(folders)))
    def valid(content):
        doc = load(content)
        assert doc.sections and all("never cited" in w or "not found" not in w for w in doc.warnings)

    valid()


def test_checker_keeps_a_figure_box_clear(tmp_path):
    """Caption and credit belong to the figure: nothing else may cross them; a panel below is not one."""
    from PIL import Image

    picture = tmp_path / "p.png"
    Image.new("RGB", (40, 30), (90, 120, 60)).save(picture)

    def figure(c, panel=False):
        c.setLineWidth(1.2)
        c.line(380, 700, RIGHT, 700)  # the figure's own top rule
        c.drawImage(str(picture), 380, 580, RIGHT - 380, 112)
        _text(c, 380, 568, "Figure 1  A photo caption", size=8.5)
        _text(c, 380, 556, "Credit line.", size=7.2)
        if panel:  # a pull quote set right below, across the column
            c.setFillColorRGB(0.95, 0.93, 0.9)
            c.rect(LEFT, 500, RIGHT - LEFT, 45, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            _text(c, LEFT + 20, 515, "A pull quote on its panel.", size=13.5)

    reading = pdfcheck.read(_pdf(tmp_path / "ok.pdf", lambda c: figure(c, panel=True)))
    assert pdfcheck.check_layout(reading) == []
    (photo,) = [d for d in reading.pages[0].drawings if d.is_figure]
    assert [r.text for r in photo.caption] == ["Figure 1  A photo caption", "Credit line."]

    def crossed(c):
        figure(c)
        c.setLineWidth(0.5)
        c.line(LEFT, 577, RIGHT, 577)  # a rule between the photo and its caption
        _text(c, 300, 560, "Body text running into it")

    problems = pdfcheck.check_layout(pdfcheck.read(_pdf(tmp_path / "bad.pdf", crossed)))
    assert problems == [
        "page 1: text \u201cFigure 1 A photo caption\u201d and \u201cBody text running into it\u201d overprint each other",
        "page 1: text \u201cCredit line.\u201d and \u201cBody text running into it\u201d overprint each other",
        "page 1: text \u201cBody text running into it\u201d is printed over the caption area of Figure 1",
        "page 1: a rule at y=577.0 crosses Figure 1",
    ], problems


@pytest.mark.slow
@pytest.mark.parametrize("notes,paper", MODES)
@pytest.mark.parametrize("name", ["isgs", "gatia", "al-shabaab"])
def test_the_test_backgrounders_pass_every_check(tmp_path, figure_cache, name, notes, paper):
    """The hand-written backgrounders on other groups (Arabic names, photos placed anywhere, 30+
    sources, long URLs), in every note mode and paper size, pass every check of `pdfcheck`, and
    page-validation fails no rule of PDF/UA-1 or PDF/A-2a."""
    content = ROOT / "tests" / "data" / "backgrounders" / name / "content.yaml"
    pdf = _render(content, tmp_path, figure_cache, notes, paper)
    findings = pdfcheck.check(pdf)
    assert not any(findings.values()), pdfcheck.report(findings)
    assert conformcheck.failures(pdf) == []


@pytest.mark.slow
@pytest.mark.parametrize("notes,paper", [("footnotes", "a4"), ("endnotes", "letter")])
@pytest.mark.parametrize("name", ["liptako", "lakeshore", "inner-delta"])
def test_the_page_flow_fixtures_pass_every_check(tmp_path, figure_cache, name, notes, paper):
    """The three page-flow fixtures (long notes, several photos with one 6:1 panorama, pull
    quotes, tall drawings closing sections), as written (footnotes on A4) and the other way
    round, pass every check of `pdfcheck` and `pagecheck`; as written, page-validation too."""
    content = ROOT / "tests" / "data" / "backgrounders" / name / "content.yaml"
    pdf = _render(content, tmp_path, figure_cache, notes, paper)
    findings = pdfcheck.check(pdf)
    assert not any(findings.values()), pdfcheck.report(findings)
    if (notes, paper) == ("footnotes", "a4"):
        assert conformcheck.failures(pdf) == []
