"""The deck is accessible: titles, alt text, decorative marks, reading order, contrast, language.

`deckcheck.problems` reads a built .pptx as assistive technology would (see its docstring);
here it must find nothing on the default deck, on generated backgrounders' decks (slow), and
on a deck made hard on purpose (two sections of one name, long enough to continue, pale
content colours); and it must find the faults it is for.  `validate` warns, at the style
field, about content colours that fail contrast.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

import deckcheck
from jnim_export import colours
from jnim_export import model as m
from jnim_export.content import load
from jnim_export.render import Context
from jnim_export.render.pptx import DeckOptions, render as render_deck, view

ROOT = Path(__file__).resolve().parents[1]


def build(doc: m.Document, dest: Path, cache: Path, **options) -> Path:
    render_deck(view(doc), dest, DeckOptions(**options), Context(cache))
    return dest


@pytest.fixture(scope="module")
def doc() -> m.Document:
    return load(ROOT / "content.yaml")


@pytest.fixture(scope="module")
def deck(doc, figure_cache, tmp_path_factory) -> Path:
    return build(doc, tmp_path_factory.mktemp("deck") / "deck.pptx", figure_cache)


def test_default_deck(deck):
    assert deckcheck.problems(deck) == []


def test_default_deck_with_citations_in_footers(doc, figure_cache, tmp_path):
    assert deckcheck.problems(build(doc, tmp_path / "f.pptx", figure_cache, citations="footer")) == []


def test_what_the_default_deck_marks(doc, deck):
    prs = Presentation(str(deck))
    shapes = [sh for s in prs.slides for sh in deckcheck.all_shapes(s.shapes._spTree)]
    decorative = {sh.name.split(" ")[0] for sh in shapes if sh.decorative}
    assert {"Title", "Accent", "Fact", "Card", "Time", "Marker", "Chart", "Quote", "Arrow"} <= decorative
    described = {sh.name: sh.descr for sh in shapes if sh.descr}
    assert described["Organization diagram"].startswith("Diagram. JNIM was formed in March 2017 by the merger of")
    assert "pledges allegiance (bayat) to AQIM (Emir: Abu Musab Abdul Wadud)" in described["Organization diagram"]
    assert described[f"Figure {doc.figure('map').number}"] == doc.figure("map").alt
    assert described[f"Figure {doc.figure('chart').number}"] == doc.figure("chart").alt
    # the presentation's language
    assert prs.core_properties.language == doc.meta.language
    style = prs.part._element.find(qn("p:defaultTextStyle"))
    assert {r.get("lang") for r in style.iter(qn("a:defRPr"))} == {doc.meta.language}


def test_shared_titles_continued_slides_and_pale_colours(doc, figure_cache, tmp_path, monkeypatch):
    """Two sections of one name, both long enough to continue; colours that read badly as given."""
    words = "Regional forces reported sustained pressure on supply routes across the central regions".split()
    long = tuple((m.Text(" ".join(words[(i + k) % len(words)] for i in range(60))),) for k in range(9))
    s0, s1 = doc.sections[0], doc.sections[1]
    sections = (dataclasses.replace(s0, bullets=long), dataclasses.replace(s1, title=s0.title, bullets=long),
                dataclasses.replace(doc.sections[2], title="Sources")) + doc.sections[3:]
    pale = dataclasses.replace(doc.style, accent="#f0a0a0", muted="#c0c4c8", ink="#8a8a8a", tint="#303840")
    hard = dataclasses.replace(doc, sections=sections, style=pale)
    assert colours.style_problems(pale)
    path = build(hard, tmp_path / "hard.pptx", figure_cache)
    assert deckcheck.problems(path) == []
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    t = s0.title
    first = [x for x in titles if re.fullmatch(re.escape(t) + r"( \(cont\.( \d)?\))?", x)]
    second = [x for x in titles if re.fullmatch(re.escape(t) + r" \(2\)( \(cont\.( \d)?\))?", x)]
    assert len(first) == len(second) >= 2
    assert first == [t, f"{t} (cont.)"] + [f"{t} (cont. {i})" for i in range(2, len(first))]
    assert second == [f"{t} (2)", f"{t} (2) (cont.)"] + [f"{t} (2) (cont. {i})" for i in range(2, len(first))]
    assert "Sources" in titles and "Sources (2)" in titles
    # as given, those colours would fail: the deck moved them
    from jnim_export.render.pptx import kit

    monkeypatch.setattr(kit, "house_colours", lambda st: {"accent": st.accent, "ink": st.ink, "muted": st.muted,
                                                           "tint": st.tint, "rule": "#c9ccd1", "white": "#ffffff"})
    as_given = deckcheck.problems(build(hard, tmp_path / "as-given.pptx", figure_cache))
    assert sum("needs 4.5" in p for p in as_given) > 10


# --------------------------------------------------------------------------- the checker catches faults


def _edited(src: Path, dest: Path, edit) -> Path:
    prs = Presentation(str(src))
    edit(prs)
    prs.save(str(dest))
    return dest


def test_the_checker_finds_missing_marks_and_alt_text(deck, tmp_path):
    def strip(prs):
        for slide in prs.slides:
            for el in slide.shapes._spTree.iter(qn("p:cNvPr")):
                el.attrib.pop("descr", None)
                ext = el.find(qn("a:extLst"))
                if ext is not None:
                    el.remove(ext)

    found = deckcheck.problems(_edited(deck, tmp_path / "bare.pptx", strip))
    assert any("not marked decorative" in p for p in found)
    assert any("has no alt text" in p and "graphicFrame" in p for p in found)
    assert any("has no alt text" in p and "grpSp" in p for p in found)


def test_the_checker_finds_order_titles_and_contrast(deck, tmp_path):
    def spoil(prs):
        slides = list(prs.slides)
        tree = slides[1].shapes._spTree  # title read last
        title = slides[1].shapes.title._element
        tree.remove(title)
        tree.append(title)
        slides[5].shapes.title.text_frame.paragraphs[0].runs[0].text = slides[4].shapes.title.text_frame.text
        for r in slides[2]._element.iter(qn("a:rPr")):  # pale text
            for fill in r.findall(qn("a:solidFill")):
                fill[0].set("val", "CCCCCC")
        pal = slides[7].shapes._spTree
        shapes = [el for el in pal if etree.QName(el).localname == "sp"]
        dates = [el for el in shapes if el[0][0].get("name", "").startswith("Date ")]
        attack = [el for el in shapes if el[0][0].get("name", "").startswith("Attack ")]
        attack[0].addnext(dates[0])  # a date read after the text under it

    found = deckcheck.problems(_edited(deck, tmp_path / "spoilt.pptx", spoil))
    assert any("slide 2" in p and "title is not read first" in p for p in found)
    assert any("slide 6" in p and "the same title as slide 5" in p for p in found)
    assert any("slide 3" in p and re.search(r"#cccccc on #[0-9a-f]{6} is \d\.\d\d:1", p) for p in found)
    assert any("slide 8" in p and "lies above it" in p for p in found)


# --------------------------------------------------------------------------- validate


def test_validate_warns_at_the_style_field_about_contrast(tmp_path):
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    text = text.replace('  muted: "#5d6670"', '  muted: "#b0b6bc"')
    (tmp_path / "content.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    doc = load(tmp_path / "content.yaml")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("  muted:"))
    warned = [w for w in doc.warnings if "contrast" in w]
    assert len(warned) == 1
    assert warned[0].startswith(f"{tmp_path / 'content.yaml'}:{line}:10: style.muted: warning: muted #b0b6bc")
    assert "on white" in warned[0] and "on the tint" in warned[0]
    assert not [w for w in load(ROOT / "content.yaml").warnings if "contrast" in w]


# --------------------------------------------------------------------------- generated documents


@pytest.mark.slow
def test_generated_backgrounders_decks(figure_cache, tmp_path):
    from corpus import make_backgrounder

    failures = []
    for seed in range(6):
        content = make_backgrounder(random.Random(100 + seed), tmp_path / f"doc{seed}")
        citations = "footer" if seed % 2 else "notes"
        path = build(load(content), tmp_path / f"doc{seed}.pptx", figure_cache, citations=citations)
        failures += [f"seed {100 + seed}: {p}" for p in deckcheck.problems(path)]
    assert failures == []
