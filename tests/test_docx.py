"""The Word edition reopened as Word and LibreOffice read it: notes, styles, tables, pictures, bytes.

The tests marked slow render the default content (its figures drawn once per session).
Each test reads the written .docx back (python-docx and the raw XML parts) rather than trusting
the writer. The LibreOffice test needs `soffice` and poppler's `pdftotext`; it skips without them.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render import Context, writer


ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
DOCX = writer("docx")


@pytest.fixture(scope="module")
def doc() -> m.Document:
    return load(ROOT / "content.yaml")


def _render(doc, dest: Path, figure_cache: Path, **options) -> Path:
    DOCX.render(DOCX.view(doc), dest, DOCX.make_options(options), Context(figure_cache))
    return dest


@pytest.fixture(scope="module")
def built(doc, figure_cache, tmp_path_factory) -> Path:
    return _render(doc, tmp_path_factory.mktemp("docx") / "out.docx", figure_cache)


def _part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _notes(path: Path, kind: str):
    root = _part(path, f"word/{kind}s.xml")
    return [n for n in root.findall(W + kind) if n.get(W + "type") is None]


@pytest.mark.slow
def test_sixteen_endnotes_with_the_pdfs_texts_in_order(built, doc):
    notes = _notes(built, "endnote")
    assert len(notes) == len(doc.text_notes) == 16
    body = _part(built, "word/document.xml")
    refs = [int(r.get(W + "id")) for r in body.iter(W + "endnoteReference")]
    assert refs == list(range(1, 17))  # Word numbers by reference order: the model's numbers
    for note in notes:
        number = int(note.get(W + "id"))
        expected = " ".join(m.plain_text(doc.note(number).text).split())
        assert " ".join(_text(note).split()) == expected
    settings = _part(built, "word/settings.xml")
    seps = settings.find(W + "endnotePr").findall(W + "endnote")
    assert [s.get(W + "id") for s in seps] == ["-1", "0"]
    assert settings.find(W + "endnotePr").find(W + "numFmt").get(W + "val") == "decimal"
    with zipfile.ZipFile(built) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert 'PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"' in types
    assert "relationships/endnotes" in rels and "relationships/footnotes" not in rels


@pytest.mark.slow
def test_footnotes_when_asked(doc, figure_cache, tmp_path):
    path = _render(doc, tmp_path / "f.docx", figure_cache, notes="footnotes")
    assert len(_notes(path, "footnote")) == 16
    assert "word/endnotes.xml" not in zipfile.ZipFile(path).namelist()
    opened = docx.Document(str(path))
    assert "Notes" not in [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]


@pytest.mark.slow
def test_headings_quotes_captions_and_title_block_in_their_styles(built, doc):
    opened = docx.Document(str(built))
    by_style: dict[str, list[str]] = {}
    for p in opened.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == [doc.meta.title]
    assert by_style["Heading 1"] == [s.title for s in doc.sections] + ["At a Glance", "Briefing Points", "Notes"]
    assert by_style["Heading 2"] == ["Leaders"] + [s.title for s in doc.sections if s.bullets]
    assert by_style["List Bullet"] == [m.plain_text(b) for s in doc.sections for b in s.bullets]
    quotes = [m.plain_text(b.text) for s in doc.sections for b in s.blocks if isinstance(b, m.PullQuote)]
    assert by_style["Quote"] == quotes
    body = _part(built, "word/document.xml")
    captions = [_text(p) for p in body.iter(W + "p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Caption']") is not None]
    assert captions == [f"Figure {f.number}. {m.plain_text(f.caption)}" for f in doc.figures]
    fields = [f.get(W + "instr") for f in body.iter(W + "fldSimple")]
    assert sum("SEQ Figure" in f for f in fields) == len(doc.figures)
    # the Arabic name: a right-to-left paragraph, its run right-to-left and in Arabic
    native = next(p for p in body.iter(W + "p") if _text(p) == doc.meta.native_title)
    assert native.find(f"{W}pPr/{W}bidi") is not None
    run = native.find(W + "r")
    assert run.find(f"{W}rPr/{W}rtl") is not None
    assert run.find(f"{W}rPr/{W}lang").get(W + "bidi") == "ar"


@pytest.mark.slow
def test_facts_and_leaders_are_tables_with_header_rows(built, doc):
    opened = docx.Document(str(built))
    facts, leaders = opened.tables
    for table, header in ((facts, ["Fact", "Details"]), (leaders, ["Name", "Role", "Also known as", "Former roles"])):
        assert [c.text for c in table.rows[0].cells] == header
        tr = table.rows[0]._tr
        assert tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in table.rows[1:])
    assert [r.cells[0].text for r in facts.rows[1:]] == [f.label for f in doc.facts]
    assert [r.cells[0].text for r in leaders.rows[1:]] == [x.name for x in doc.leaders]


@pytest.mark.slow
def test_every_picture_has_alt_text_and_the_drawn_figures_are_print_pngs(built, doc):
    body = _part(built, "word/document.xml")
    described = [(d.get("name"), d.get("descr")) for d in body.iter(WP + "docPr")]
    drawn = [f for f in doc.figures if f.data is not None]
    shown = [f for f in doc.figures if f.data is not None or f.image is not None]
    assert described == [(f"Figure {f.number}", f.alt) for f in shown] and all(a for _, a in described)
    with zipfile.ZipFile(built) as z:
        pngs = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(pngs) == len(drawn)
        for name in pngs:
            head = z.read(name)[:24]
            assert head[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(head[16:20], "big") >= 6.3 * 200 - 1  # 200 dpi at the print width


@pytest.mark.slow
def test_a_photo_is_a_picture_with_its_alt_text(doc, figure_cache, tmp_path):
    photo = ROOT / "tests" / "data" / "html" / "portrait.jpg"  # synthetic test image
    figures = tuple(dataclasses.replace(f, image=photo) if f.kind == "photo" else f for f in doc.figures)
    sections = tuple(dataclasses.replace(s, blocks=tuple(
        m.FigureBlock(next(f for f in figures if f.id == b.figure.id)) if isinstance(b, m.FigureBlock) else b
        for b in s.blocks)) for s in doc.sections)
    path = _render(dataclasses.replace(doc, figures=figures, sections=sections), tmp_path / "p.docx", figure_cache)
    body = _part(path, "word/document.xml")
    described = [(d.get("name"), d.get("descr")) for d in body.iter(WP + "docPr")]
    assert described == [(f"Figure {f.number}", f.alt) for f in figures]
    with zipfile.ZipFile(path) as z:
        assert any(z.read(n) == photo.read_bytes() for n in z.namelist() if n.startswith("word/media/"))


@pytest.mark.slow
def test_links_are_live_and_only_web_or_mail(built):
    with zipfile.ZipFile(built) as z:
        rels = etree.fromstring(z.read("word/_rels/endnotes.xml.rels"))
        notes = etree.fromstring(z.read("word/endnotes.xml"))
    targets = {r.get("Id"): r.get("Target") for r in rels if r.get("TargetMode") == "External"}
    links = list(notes.iter(W + "hyperlink"))
    assert links and len(targets) >= len({link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") for link in links})
    assert all(re.match(r"(https?://|mailto:)", t) for t in targets.values())
    for link in links:
        assert _text(link) == targets[link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]


@pytest.mark.slow
def test_core_properties_from_the_content(built, doc):
    cp = docx.Document(str(built)).core_properties
    assert (cp.title, cp.author, cp.language) == (doc.meta.title, "; ".join(doc.meta.authors), doc.meta.language)
    assert cp.subject == " ".join(doc.meta.subject.split()) and cp.keywords == ", ".join(doc.meta.keywords)
    assert cp.created.year == int(doc.meta.date[:4])


@pytest.mark.slow
def test_the_same_content_gives_the_same_bytes(doc, built, figure_cache, tmp_path):
    again = _render(doc, tmp_path / "again.docx", figure_cache)
    assert again.read_bytes() == built.read_bytes()
    stamps = {i.date_time for i in zipfile.ZipFile(again).infolist()}
    assert stamps == {(int(doc.meta.date[:4]), 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_hostile_text_stays_text(doc, figure_cache, tmp_path):
    nasty = '<w:p>&amp; "x" </w:t><script>\u202e'
    first = doc.sections[0]
    blocks = tuple(m.Paragraph((m.Text(nasty),)) if isinstance(b, m.Paragraph) else b for b in first.blocks)
    changed = dataclasses.replace(doc, sections=(dataclasses.replace(first, blocks=blocks),) + doc.sections[1:])
    path = _render(changed, tmp_path / "h.docx", figure_cache)
    assert nasty in [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.slow
def test_a_reference_documents_styles_are_used(doc, figure_cache, tmp_path):
    ref = docx.Document()
    ref.styles["Heading 1"].font.name = "Courier New"
    ref.styles["Heading 1"].font.size = docx.shared.Pt(31)
    ref.add_paragraph("text of the reference document, not wanted")
    ref.save(str(tmp_path / "ref.docx"))
    path = _render(doc, tmp_path / "r.docx", figure_cache, reference_doc=tmp_path / "ref.docx")
    opened = docx.Document(str(path))
    assert opened.styles["Heading 1"].font.name == "Courier New"
    assert opened.styles["Heading 1"].font.size.pt == 31
    assert "text of the reference document, not wanted" not in [p.text for p in opened.paragraphs]
    assert len(_notes(path, "endnote")) == 16


@pytest.mark.slow
def test_a_word_edition_as_its_own_reference_keeps_one_of_each_part(doc, built, figure_cache, tmp_path):
    from jnim_export.render.docx.paths import read_map

    path = _render(doc, tmp_path / "again.docx", figure_cache, reference_doc=built)
    with zipfile.ZipFile(path) as z:
        maps = [n for n in z.namelist() if n.startswith("customXml/item") and read_map(z.read(n))]
        assert len(maps) == 1 and z.namelist().count("word/endnotes.xml") == 1
    assert len(_notes(path, "endnote")) == 16
    assert [p.text for p in docx.Document(str(path)).paragraphs] == [p.text for p in docx.Document(str(built)).paragraphs]


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler")
def test_libreoffice_opens_and_prints_it(built, doc, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(built)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "out.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert doc.meta.title in flat and "Figure 3." in flat and "Leadership and Organization" in flat
    assert "Ibid." in flat and "state.gov" in flat  # the endnotes are printed


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=12)  # what content lets through
INLINE = st.recursive(
    TEXT.map(m.Text),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3).map(lambda k: m.Emph(tuple(k))),
        st.lists(kids, max_size=3).map(lambda k: m.Strong(tuple(k))),
        st.tuples(st.sampled_from(["https://example.org/a?b=1&c=<2>", "mailto:x@example.org", "javascript:alert(1)",
                                   "file:///etc/passwd"]), st.lists(kids, max_size=2))
        .map(lambda t: m.Link(t[0], tuple(t[1])))),
    max_leaves=8)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(INLINE, max_size=5))
def test_inline_text_is_text_and_only_web_or_mail_links_are_made(inlines):
    """(Generated texts.) What Word shows is the text, character for character; a link is made
    only for http, https and mailto."""
    from docx.oxml import OxmlElement

    from jnim_export.render.docx.runs import Runs

    document = docx.Document()
    p = OxmlElement("w:p")
    warnings: list[str] = []
    Runs(document.part, None, warnings).add(p, tuple(inlines))
    assert _text(p) == m.plain_text(tuple(inlines))
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = [document.part.rels[link.get(rid)].target_ref for link in p.iter(W + "hyperlink")]
    assert all(t.startswith(("https://", "mailto:")) for t in targets)
    unsafe = [n for n in _links(inlines) if not n.href.startswith(("https:", "mailto:"))]
    assert len(warnings) == len(unsafe)


def _links(nodes):
    for n in nodes:
        if isinstance(n, m.Link):
            yield n
        if isinstance(n, (m.Emph, m.Strong, m.Link)):
            yield from _links(n.children)
