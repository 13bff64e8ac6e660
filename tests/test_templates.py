"""The deck on templates an institute might bring (the synthetic corpus of `templates.py`):
layouts chosen by what they are, and every slide checked from the .pptx (`deckcheck.layout_problems`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pptx import Presentation

import deckcheck
import templates
from jnim_export.cli import main
from jnim_export.content import load
from jnim_export.render import Context
from jnim_export.render.pptx import DeckOptions
from jnim_export.render.pptx import render as render_deck
from jnim_export.render.pptx.layouts import PREFERENCES, Layouts

ROOT = Path(__file__).resolve().parents[1]
CONTENTS = {"default": ROOT / "content.yaml",
            "al-shabaab": ROOT / "tests" / "data" / "backgrounders" / "al-shabaab" / "content.yaml"}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {name: templates.make(name, folder) for name in templates.NAMES}


@pytest.fixture(scope="session")
def decks(corpus, figure_cache, tmp_path_factory):
    """Decks built on demand, once per session: (content, template) -> path."""
    built: dict[tuple[str, str], Path] = {}
    docs: dict[str, object] = {}
    folder = tmp_path_factory.mktemp("template-decks")

    def get(content: str, template: str) -> Path:
        if (content, template) not in built:
            doc = docs.setdefault(content, load(CONTENTS[content]))
            dest = folder / f"{content}-{template}.pptx"
            render_deck(doc, dest, DeckOptions(template=corpus[template]), Context(figure_cache))
            built[content, template] = dest
        return built[content, template]

    return get


@pytest.mark.parametrize("name", templates.NAMES)
def test_layouts_chosen_by_role_in_any_language(corpus, name):
    prs = Presentation(str(corpus[name]))
    layouts = Layouts(prs)
    roles = {lo.name: k.role for lo, k in layouts.kinds}
    assert layouts.choose("title").kind.role == "cover"
    for kind in ("content", "title_only"):  # the cover serves the title slide only
        assert layouts.choose(kind).kind.role != "cover"
    if "title_body" in roles.values():
        assert layouts.choose("content").kind.role == "title_body"
    removed = templates.CORPUS[name][3]
    if "Title Only" in removed and "title_body" in roles.values():
        assert layouts.choose("title_only").derived == "its body placeholder is removed"
    if name == "cover-and-blank":
        assert layouts.choose("content").derived.startswith("a title box placed")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20),
                      min_size=11, max_size=11))
@pytest.mark.slow
def test_layout_names_are_never_read(corpus, names):
    """Any names at all (the template's language, typos, "Title Slide" on the blank layout) leave
    the choice of layouts as it was."""
    prs = Presentation(str(corpus["standard-fr"]))
    before = {kind: list(prs.slide_layouts).index(Layouts(prs).choose(kind).layout) for kind in PREFERENCES}
    for layout, name in zip(prs.slide_layouts, names):
        layout.name = name
    after = Layouts(prs)
    assert {kind: list(prs.slide_layouts).index(after.choose(kind).layout) for kind in PREFERENCES} == before


def test_template_check_command(corpus):
    result = CliRunner().invoke(main, ["template", "check", str(corpus["dark-de"])])
    assert result.exit_code == 0, result.output
    assert "'Titel und Inhalt', a title_body layout; derived: its body placeholder is removed" in result.output
    assert "#1b2230" in result.output
    bad = CliRunner().invoke(main, ["template", "check", str(ROOT / "content.yaml")])
    assert bad.exit_code == 1 and "not a PowerPoint file" in bad.output


@pytest.mark.slow
@pytest.mark.parametrize("name", templates.NAMES)
def test_default_deck_on_template(decks, name):
    path = decks("default", name)
    assert deckcheck.layout_problems(path) == []
    assert deckcheck.problems(path) == []  # and as assistive technology meets it
    prs = Presentation(str(path))
    assert len(prs.slides) >= 10 and prs.slides[0].shapes.title.text_frame.text.startswith("Jama")


@pytest.mark.slow
@pytest.mark.parametrize("name", templates.NAMES)
def test_backgrounder_on_template(decks, name):
    path = decks("al-shabaab", name)
    assert deckcheck.layout_problems(path) == []
    assert deckcheck.problems(path) == []


def test_checker_finds_a_cover_layout_and_dark_text(tmp_path, corpus):
    """The checker fails a deck built as before: section slides on the cover layout, dark text on dark."""
    prs = Presentation(str(corpus["dark-de"]))
    for _ in range(2):
        s = prs.slides.add_slide(prs.slide_layouts[0])
        s.shapes.title.text = f"Slide {len(prs.slides)}"
        run = s.shapes.title.text_frame.paragraphs[0].runs[0]
        run.font.color.rgb = __import__("pptx").dml.color.RGBColor(0x1F, 0x23, 0x28)
    path = tmp_path / "bad.pptx"
    prs.save(str(path))
    problems = deckcheck.layout_problems(path)
    assert any("on the cover layout" in p for p in problems)
    assert any("#1f2328 on #1b2230" in p for p in problems)


HEX = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06x}")


@settings(max_examples=80, deadline=None)
@example(bg="#808080", dk1="#000000", lt1="#ffffff", accent1="#000000", ink="#000000", accent="#000000",
         given_keys=frozenset())  # a mid-grey slide, a tint mixed towards black: no text would read on it
@given(bg=HEX, dk1=HEX, lt1=HEX, accent1=HEX, ink=HEX, accent=HEX,
       given_keys=st.frozensets(st.sampled_from(["ink", "accent", "muted", "tint"])))
def test_template_text_colours_read_on_the_background(bg, dk1, lt1, accent1, ink, accent, given_keys):
    """Whatever the template's scheme and background and whatever the content sets, every text
    colour reads at 4.5:1 on the slide's background and on the tint; a content colour that reads
    on the background is kept."""
    from jnim_export import colours
    from jnim_export.model import Style
    from jnim_export.render.pptx.look import template_colours

    style = Style("Noto Serif", "Noto Sans", 10, accent, ink, "#5d6670", "#f3efe8", (accent,), None, given_keys)
    keys = template_colours(style, given_keys, {"dk1": dk1, "lt1": lt1, "tx1": dk1, "bg1": lt1, "accent1": accent1}, bg)
    for key in ("ink", "muted", "accent"):
        for back in (bg, keys["tint"]):
            assert colours.contrast(keys[key], back) >= colours.MIN_CONTRAST - 0.01, (key, keys[key], back)
    if "ink" in given_keys and colours.contrast(ink, bg) >= 4.75 and colours.contrast(ink, keys["tint"]) >= 4.75:
        assert keys["ink"] == ink


@pytest.mark.slow
@pytest.mark.parametrize("content, template", [("default", None), ("al-shabaab", "portrait")])
def test_urls_break_at_chicago_points_as_rendered(decks, figure_cache, tmp_path, content, template):
    """The deck drawn by LibreOffice, read back as text: no line is a lone "<" or ">." and every
    URL broken across lines is broken where the Chicago Manual allows (as in the PDF)."""
    import re
    import shutil
    import subprocess

    from jnim_export.urls import break_points

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) and pdftotext (poppler-utils) are needed")
    if template is None:
        path = tmp_path / "house.pptx"
        render_deck(load(CONTENTS[content]), path, DeckOptions(), Context(figure_cache))
    else:
        path = decks(content, template)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / (path.stem + ".pdf")), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert not [line for line in lines if line in ("<", ">", ">.", ".") or line.endswith(" <")]
    broken = 0
    for line, nxt in zip(lines, lines[1:]):
        m = re.search(r"<(https?://[^\s>]*)$", line)
        if m and nxt:
            head, tail = m.group(1), re.match(r"[^\s>]*", nxt).group()
            assert len(head) in break_points(head + tail), (head, tail)
            broken += 1
    assert broken >= 3, "the sources break some URLs across lines"
