"""The PDF backgrounder as a reader meets it: pages, type, notes and links, order, metadata.

Every check reopens the written PDF (pypdf for structure, pdfminer.six for where text
sits) rather than trusting the writer.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar
from pypdf import PdfReader

import jnim_export
from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render import Context, Rendered, RenderError
from jnim_export.render.pdf import PdfOptions, render as render_pdf
from jnim_export.render.pdf.fonts import MissingGlyphError

ROOT = Path(__file__).resolve().parents[1]
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
    "Times-BoldItalic", "Symbol", "ZapfDingbats",
}


# --------------------------------------------------------------------------- content


@pytest.fixture(scope="module")
def figcache(figure_cache) -> Path:
    return figure_cache


@pytest.fixture(scope="module")
def doc() -> m.Document:
    """The project's own content.yaml, on its committed event aggregates."""
    return load(ROOT / "content.yaml")


def _render(doc: m.Document, dest: Path, cache: Path, **kw) -> Rendered:
    return render_pdf(doc, dest, PdfOptions(**kw), Context(cache))


@pytest.fixture(scope="module")
def endnotes(default_pdf):
    return default_pdf("endnotes", "letter")


@pytest.fixture(scope="module")
def footnotes(default_pdf):
    return default_pdf("footnotes", "letter")


STYLE = m.Style("Noto Serif", "Noto Sans", 10, "#8c1d18", "#1f2328", "#5d6670", "#f3efe8", ("#8c1d18",), None)


def small_document(blocks: tuple, notes: tuple = ()) -> m.Document:
    """A one-section document built straight from model objects."""
    meta = m.Meta(
        "A Test Backgrounder", "Test", "test", "Test Series", "Test Publisher", "TP", ("A. Author",), (),
        "2020-05-04", (m.Text("Compiled for a test."),), "© 2020 Test Publisher", "en-GB", "A subject",
        ("one", "two"),
    )
    return m.Document(
        source=Path("/nonexistent/content.yaml"), root=Path("/nonexistent"), meta=meta, style=STYLE,
        sections=(m.Section("only", "Only Section", tuple(blocks), ()),), figures=(), notes=tuple(notes),
        sources=(), leaders=(), facts=(), origins=None, allegiance=(), attacks=(), places=(),
    )


# --------------------------------------------------------------------------- reading the PDF


def _chars(path: Path) -> list[list[LTChar]]:
    pages = []
    for layout in extract_pages(str(path)):
        found: list[LTChar] = []

        def walk(obj):
            if isinstance(obj, LTChar):
                found.append(obj)
            elif hasattr(obj, "__iter__"):
                for child in obj:
                    walk(child)

        walk(layout)
        pages.append(found)
    return pages


def _links(path: Path) -> list[tuple[int, list[float], tuple]]:
    """(page index, rect, ("dest", page index, top) | ("uri", uri)) of every link annotation."""
    reader = PdfReader(str(path))
    index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    out = []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            rect = [float(v) for v in annot["/Rect"]]
            if "/Dest" in annot:
                dest = annot["/Dest"]
                if not isinstance(dest, list):  # a named destination
                    dest = reader.named_destinations[str(dest)]
                    out.append((i, rect, ("dest", reader.get_destination_page_number(dest), float(dest.top))))
                else:
                    out.append((i, rect, ("dest", index[dest[0].idnum], float(dest[3]))))
            elif "/A" in annot and "/URI" in annot["/A"]:
                out.append((i, rect, ("uri", str(annot["/A"]["/URI"]))))
    return out


def _text_in(chars: list[LTChar], rect: list[float]) -> str:
    x0, y0, x1, y1 = rect
    inside = [c for c in chars if x0 - 0.5 <= (c.x0 + c.x1) / 2 <= x1 + 0.5 and y0 - 0.5 <= (c.y0 + c.y1) / 2 <= y1 + 0.5]
    inside.sort(key=lambda c: (-round(c.y0), c.x0))
    return "".join(c.get_text() for c in inside)


def _note_links(path: Path):
    """Citation links (text "N") and back-links (text "N.") by note number."""
    chars = _chars(path)
    cites: dict[int, list] = {}
    backs: dict[int, list] = {}
    for page, rect, target in _links(path):
        if target[0] != "dest":
            continue
        text = _text_in(chars[page], rect).strip()
        if re.fullmatch(r"\d+", text):
            cites.setdefault(int(text), []).append((page, rect, target))
        elif re.fullmatch(r"\d+\.", text):
            backs.setdefault(int(text[:-1]), []).append((page, rect, target))
    return cites, backs, chars


def _norm(text: str) -> str:
    """Whitespace collapsed, digits dropped (superscript note numbers sit against words)."""
    return re.sub(r"\s+", " ", re.sub(r"\d", "", text)).strip()


def _pypdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


# --------------------------------------------------------------------------- the default content


def test_page_count_and_paper(endnotes, footnotes):
    for path, result in (endnotes, footnotes):
        assert 2 <= result.units <= 4
        reader = PdfReader(str(path))
        assert len(reader.pages) == result.units
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.slow
def test_a4(default_pdf):
    path, result = default_pdf("endnotes", "a4")
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    assert 2 <= result.units <= 4


def test_fonts_are_embedded_truetype(endnotes, footnotes):
    for path, _ in (endnotes, footnotes):
        reader = PdfReader(str(path))
        seen = set()
        for page in reader.pages:
            fonts = page["/Resources"].get("/Font")
            for ref in (fonts.get_object().values() if fonts else []):
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/")
                seen.add(name.split("+")[-1])
                assert name.split("+")[-1] not in BASE14, name
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, name
        assert {"NotoSerif-Regular", "NotoSans-Regular"} <= seen


def test_pdffonts_lists_every_font_embedded_and_subset(endnotes, footnotes):
    """A second opinion from poppler's pdffonts: emb, sub and uni are "yes" on every row."""
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    for path, _ in (endnotes, footnotes):
        listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, listing
        assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), listing


def test_metadata_language_and_outline(doc, endnotes):
    path, _ = endnotes
    reader = PdfReader(str(path))
    meta = reader.metadata
    assert meta.title == doc.meta.title
    assert meta.author == ", ".join(doc.meta.authors)
    assert meta.subject == doc.meta.subject
    assert meta["/Keywords"] == ", ".join(doc.meta.keywords)
    assert meta.creator == f"jnim-export {jnim_export.__version__}"
    assert reader.trailer["/Root"]["/Lang"] == doc.meta.language
    titles = [item.title for item in reader.outline]
    assert titles == [s.title for s in doc.sections] + ["Notes"]
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages == sorted(pages) and pages[0] == 0


def test_every_note_links_both_ways(doc, endnotes):
    path, _ = endnotes
    cites, backs, _ = _note_links(path)
    numbers = [n.number for n in doc.notes]
    assert numbers == list(range(1, 17))
    assert sorted(cites) == numbers, "every note is cited by a linked superscript"
    assert sorted(backs) == numbers, "every note's number links back"
    for n in numbers:
        back_page, back_rect, (_, first_page, first_top) = backs[n][0]
        # the superscript points at the note's own line ...
        for page, rect, (_, dest_page, dest_top) in cites[n]:
            assert dest_page == back_page
            assert back_rect[1] - 2 <= dest_top <= back_rect[3] + 12
        # ... and the note points back at its first citation
        page, rect, _ = min(cites[n], key=lambda c: (c[0], -c[1][3]))
        assert first_page == page
        assert rect[1] - 2 <= first_top <= rect[3] + 14


def test_urls_in_notes_are_links(doc, endnotes):
    path, _ = endnotes
    uris = {t[1] for _, _, t in _links(path) if t[0] == "uri"}

    def hrefs(nodes):
        for node in nodes:
            if isinstance(node, m.Link):
                yield node.href
            elif not isinstance(node, (m.Text, m.NoteRef)):
                yield from hrefs(node.children)

    wanted = {h for note in doc.notes for h in hrefs(note.text)}
    assert wanted and wanted <= uris


def test_figures_numbered_once_each(doc, endnotes):
    path, _ = endnotes
    text = _pypdf_text(path)
    labels = re.findall(r"Figure (\d+)\b", text)
    assert sorted(labels) == ["1", "2", "3"]
    for figure in doc.figures:
        caption = _norm(m.plain_text(figure.caption))
        assert _norm(f"Figure {figure.number}") in _norm(text)
        assert caption[:30] in _norm(text)


def _image_count(reader: PdfReader) -> int:
    count = 0
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else []):
            count += ref.get_object().get("/Subtype") == "/Image"
    return count


def test_photo_not_shipped_prints_a_placeholder(doc, endnotes):
    """The agency photo is not in the repository: a labelled placeholder instead, and the content's
    warning (the writer does not repeat it)."""
    path, result = endnotes
    assert doc.figure("photo").image is None
    assert any("iyad-ag-ghaly.jpg" in w and "placeholder" in w for w in doc.warnings)
    assert not any("photo" in w for w in result.warnings)
    assert "Photo not included" in _pypdf_text(path)
    assert _image_count(PdfReader(str(path))) == 0, "map and chart are vector drawings"


@pytest.mark.slow
def test_a_photo_file_is_the_one_raster_image(doc, figcache, tmp_path):
    from PIL import Image

    photo = doc.figure("photo")
    picture = tmp_path / "portrait.png"
    Image.new("RGB", (40, 50), (120, 90, 60)).save(picture)
    figure = dataclasses.replace(photo, image=picture)
    sections = tuple(
        dataclasses.replace(s, blocks=tuple(
            m.FigureBlock(figure) if isinstance(b, m.FigureBlock) and b.figure.id == photo.id else b
            for b in s.blocks))
        for s in doc.sections
    )
    with_photo = dataclasses.replace(
        doc, sections=sections, figures=tuple(figure if f.id == photo.id else f for f in doc.figures)
    )
    out = tmp_path / "photo.pdf"
    result = _render(with_photo, out, figcache)
    assert not any("photo not included" in w for w in result.warnings)
    assert _image_count(PdfReader(str(out))) == 1
    assert "Photo not included" not in _pypdf_text(out)


def _assert_reading_order(doc: m.Document, raw: str, tool: str) -> None:
    paragraphs = [
        m.plain_text(b.text) for s in doc.sections for b in s.blocks if isinstance(b, m.Paragraph)
    ]
    notes = [m.plain_text(n.text) for n in doc.notes]
    assert paragraphs and notes
    text = _norm(raw)
    pos = 0
    for para in paragraphs + [m.plain_text(doc.meta.credit)]:
        words = _norm(para).split()
        for probe in (" ".join(words[:6]), " ".join(words[-6:])):
            found = text.find(probe, pos)
            assert found >= 0, f"{tool}: {probe!r} missing or out of order"
            pos = found
    body_end = pos
    notes_at = text.find("NOTES", body_end)
    assert notes_at > body_end, f"{tool}: the notes come after the body"
    pos = notes_at
    for note in notes:
        probe = " ".join(_norm(note).split()[:4])
        found = text.find(probe, pos)
        assert found >= 0, f"{tool}: note {probe!r} missing or out of order"
        pos = found


def test_text_in_reading_order(doc, endnotes):
    path, _ = endnotes
    _assert_reading_order(doc, _pypdf_text(path), "pypdf")


def test_text_in_reading_order_for_pdftotext(doc, endnotes):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path, _ = endnotes
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    _assert_reading_order(doc, text, "pdftotext")


def test_default_content_as_footnotes(doc, footnotes):
    path, result = footnotes
    cites, backs, chars = _note_links(path)
    assert sorted(cites) == sorted(backs) == [n.number for n in doc.notes]
    for n, links in cites.items():
        page, rect, (_, dest_page, dest_top) = links[0]
        assert dest_page == page, f"footnote {n} is on the page citing it"
        assert dest_top < rect[1], f"footnote {n} sits below its citation"
    titles = [item.title for item in PdfReader(str(path)).outline]
    assert titles == [s.title for s in doc.sections]


@pytest.mark.slow
def test_reproducible_bytes(doc, figcache, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1536105600")  # 2018-09-05
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _render(doc, a, figcache)
    _render(doc, b, figcache)
    assert a.read_bytes() == b.read_bytes()
    assert PdfReader(str(a)).metadata["/CreationDate"].startswith("D:20180905000000")
    # without SOURCE_DATE_EPOCH: the content's date, not the clock
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    small = small_document((m.Paragraph((m.Text("Just one paragraph."),)),))
    c, d = tmp_path / "c.pdf", tmp_path / "d.pdf"
    _render(small, c, figcache)
    _render(small, d, figcache)
    assert c.read_bytes() == d.read_bytes()
    assert PdfReader(str(c)).metadata["/CreationDate"].startswith("D:20200504000000")


# --------------------------------------------------------------------------- text is text, glyphs


def test_markup_in_content_prints_literally(figcache, tmp_path):
    literal = "<b>not bold</b> & <font color=red>x</font>"
    small = small_document((
        m.Paragraph((m.Text("Before. " + literal + " After."),)),
        m.Paragraph((m.Text("Curly “quotes” and ‘single’ – en — em © ā ʿAbd al-Raḥmān."),)),
    ))
    out = tmp_path / "literal.pdf"
    _render(small, out, figcache)
    text = re.sub(r"\s+", " ", _pypdf_text(out))
    assert literal in text
    assert "Curly “quotes” and ‘single’ – en — em © ā ʿAbd al-Raḥmān." in text
    chars = [c for page in _chars(out) for c in page]
    line = "".join(c.get_text() for c in chars)
    start = line.index("not bold")
    assert all("Bold" not in c.fontname for c in chars[start:start + 8]), "no markup was interpreted"


def test_missing_glyph_is_an_error_naming_it(figcache, tmp_path):
    grin = small_document((m.Paragraph((m.Text("fine"),)), m.Paragraph((m.Text("smile \U0001F600 here"),))))
    with pytest.raises(MissingGlyphError) as err:
        _render(grin, tmp_path / "x.pdf", figcache)
    assert "U+1F600" in str(err.value) and "\U0001F600" in str(err.value)
    assert "block 2 of section 1" in str(err.value)
    assert isinstance(err.value, RenderError)
    assert not (tmp_path / "x.pdf").exists()

    note = m.Note(1, "n1", (m.Text("Source in 漢字."),), ())
    cjk = small_document((m.Paragraph((m.Text("cited"), m.NoteRef(1))),), (note,))
    with pytest.raises(MissingGlyphError, match=r"U\+6F22.*note 1"):
        _render(cjk, tmp_path / "y.pdf", figcache)


# --------------------------------------------------------------------------- footnotes, at length

WORDS = (
    "the group its forces attack region militants village border security operations state army network "
    "leaders local support control central northern pressure French allied mission statement report "
    "analysis evidence strategy recruitment influence territory"
).split()


def long_document(seed: int = 7) -> m.Document:
    """Twelve sections of nine paragraphs, 400-odd notes of 1 to 12 lines, some paragraphs dense with notes."""
    rnd = random.Random(seed)
    notes: list[m.Note] = []
    sections = []
    for s in range(12):
        blocks = []
        for p in range(9):
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(60, 190))]
            count = 25 if (s, p) == (3, 2) else rnd.choice([1, 2, 3, 3, 4, 12])
            inlines: list[m.Inline] = []
            last = 0
            for at in sorted(rnd.sample(range(3, len(words)), count)):
                n = len(notes) + 1
                inlines += [m.Text(" ".join(words[last:at]) + "."), m.NoteRef(n), m.Text(" ")]
                last = at
                size = rnd.choice([4, 10, 20, 40, 40, 80, 160 if rnd.random() < 0.1 else 20])
                url = f"https://example.org/{n}/report.html"
                body = f"Source number {n}, " + " ".join(rnd.choice(WORDS) for _ in range(size)) + ", "
                notes.append(m.Note(n, f"n{n}", (m.Text(body), m.Link(url, (m.Text(url),)), m.Text(".")), ()))
            inlines.append(m.Text(" ".join(words[last:]) + "."))
            blocks.append(m.Paragraph(tuple(inlines)))
        sections.append(m.Section(f"s{s}", f"Section {s + 1}", tuple(blocks), ()))
    base = small_document(())
    return dataclasses.replace(base, sections=tuple(sections), notes=tuple(notes))


def long_pdf(made_once, notes: str) -> tuple[Path, Rendered]:
    """`long_document()` rendered with `notes`, once for the run: test_pdf_tagged reads the same file."""
    def make(folder: Path) -> None:
        result = _render(long_document(), folder / "long.pdf", folder / "figures", notes=notes)
        (folder / "rendered.json").write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")

    folder = made_once(f"long-document-{notes}", make)
    said = json.loads((folder / "rendered.json").read_text(encoding="utf-8"))
    return folder / "long.pdf", Rendered(said["units"], tuple(said["warnings"]))


@pytest.mark.slow
def test_footnotes_stay_on_the_citing_page(made_once):
    doc = long_document()
    out, result = long_pdf(made_once, "footnotes")
    assert result.units >= 30 and len(doc.notes) >= 300
    assert not result.warnings
    cites, backs, chars = _note_links(out)
    assert sorted(cites) == list(range(1, len(doc.notes) + 1))
    page_text = ["".join(c.get_text() for c in page) for page in chars]
    split_paragraphs = 0
    pages_with_notes = 0
    for n, links in cites.items():
        page, rect, (_, dest_page, dest_top) = links[0]
        assert dest_page == page, f"footnote {n} is on page {dest_page + 1}, cited on page {page + 1}"
        assert dest_top < rect[1]
        assert re.search(rf"Source number {n},", page_text[page]), f"footnote {n} text on page {page + 1}"
        assert backs[n][0][0] == page and backs[n][0][2][1] == page
    for index, page in enumerate(chars):
        body = [c for c in page if "Serif" in c.fontname and c.size > 9]
        foot = [c for c in page if "Serif" in c.fontname and 7 < c.size < 8.5]
        if body and foot:
            pages_with_notes += 1
            assert max(c.y1 for c in foot) < min(c.y0 for c in body), f"page {index + 1}: notes at the foot"
        if index and body:
            first = min(body, key=lambda c: (-c.y1, c.x0))
            split_paragraphs += first.get_text().islower()  # a page opening mid-paragraph
    assert split_paragraphs >= 5, "paragraphs split across pages are part of the test"
    assert pages_with_notes >= 25, "nearly every page has body text above its footnotes"
    pages_with_headings = 0
    for index, page in enumerate(chars):
        heading = [c for c in page if "Sans-Bold" in c.fontname and c.size > 9]
        body = [c for c in page if "Serif" in c.fontname and c.size > 9]
        if heading:
            pages_with_headings += 1
            assert body and min(c.y0 for c in body) < min(c.y0 for c in heading), f"heading ends page {index + 1}"
    assert pages_with_headings >= 6, "the twelve section headings are found"


def test_a_footnote_longer_than_a_page_continues_overleaf(figcache, tmp_path):
    words = " ".join(f"w{i}" for i in range(1400))
    note = m.Note(1, "n1", (m.Text("Begins here " + words + " ends here."),), ())
    doc = small_document(
        (m.Paragraph((m.Text("Cited once"), m.NoteRef(1), m.Text(" in a short text."))),), (note,),
    )
    out = tmp_path / "long-note.pdf"
    result = _render(doc, out, figcache, notes="footnotes")
    assert result.units >= 2 and not result.warnings
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(out)).pages]
    assert "Cited once" in pages[0] and "Begins here" in pages[0]
    assert "ends here." in pages[-1] and "Begins here" not in "".join(pages[1:])
    text = " ".join(pages)
    assert all(f"w{i} " in text for i in range(0, 1400, 97)), "nothing of the note is lost"
    pages = _chars(out)
    body = [c for c in pages[0] if "Serif" in c.fontname and c.size > 9]
    foot = [c for c in pages[0] if "Serif" in c.fontname and 7 < c.size < 8.5]
    assert body and foot, "page 1 has the citing text and the start of the note"
    assert max(c.y1 for c in foot) < min(c.y0 for c in body), "page 1: the note overlaps the text"
    for index, page in enumerate(pages[1:], 2):
        body = [c for c in page if "Serif" in c.fontname and c.size > 9]
        assert not body, f"page {index}: only the note continues overleaf"
