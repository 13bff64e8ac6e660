"""The content model: the default content against the seed, inline text, and every kind of bad input."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from jnim_export.cli import main
from jnim_export.content import ContentError, load
from jnim_export.model import Emph, Link, NoteRef, Paragraph, PullQuote, Text, plain_text

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_6de30f2816d3e92d.txt"
BROKEN = Path(__file__).parent / "data" / "broken"
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


def normalise(text: str) -> str:
    """Whitespace and quote characters do not count; everything else must match."""
    text = re.sub("[“”\"]", '"', text)
    text = re.sub("[‘’']", "'", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def doc():
    return load(CONTENT)


@pytest.fixture(scope="module")
def seed() -> list[str]:
    if not SEED.exists():
        pytest.skip("needs ../shared/seed")
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def markdown(inlines) -> str:
    """Plain text with emphasis written as the seed writes it (*...*)."""
    return "".join(f"*{markdown(x.children)}*" if isinstance(x, Emph) else plain_text((x,)) for x in inlines)


def seed_notes(seed: list[str]) -> dict[int, str]:
    notes = {}
    for line in seed:
        m = re.match(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(.*)$", line)
        if m:
            notes[int(m.group(1).translate(SUPERSCRIPTS))] = m.group(2)
    return notes


def test_default_content_validates(doc):
    assert [s.title for s in doc.sections] == [
        "Background",
        "Leadership and Organization",
        "Strategy, Operations, and Tactics",
    ]
    assert [(f.number, f.kind) for f in doc.figures] == [(1, "photo"), (2, "map"), (3, "chart")]
    assert len(doc.notes) == 16
    result = CliRunner().invoke(main, ["validate", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert "16 notes" in result.output


def test_sixteen_notes_equal_the_seed(doc, seed):
    expected = seed_notes(seed)
    assert sorted(expected) == list(range(1, 17))
    for note in doc.notes:
        assert normalise(markdown(note.text)) == normalise(expected[note.number]), f"note {note.number}"


def test_ibid_and_short_forms_follow_the_seed(doc):
    text = {n.number: plain_text(n.text) for n in doc.notes}
    assert [n for n, t in text.items() if t == "Ibid."] == [2, 4, 13]
    assert normalise(text[8]) == normalise('"Ansar Dine and AQIM\'s Sahara and Murabitoon Branches Announce Merger."')
    assert text[11].startswith("UNSC, ")


def test_body_paragraphs_are_verbatim(doc, seed):
    """Every seed body paragraph appears, in order, with its note numbers where the seed has them."""
    ours = []
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, PullQuote)):
                ours.append(plain_text(block.text, with_refs=True))
    body = [
        line.translate(SUPERSCRIPTS).replace("*", "")
        for line in seed[3:16]
        if not line.startswith("Figure") and not line.isupper()
    ][:-1]  # the closing credit is meta.credit
    assert [normalise(p) for p in ours] == [normalise(p) for p in body]
    assert normalise(plain_text(doc.meta.credit)) == normalise(seed[15].split(" ©")[0])


def test_emphasis_link_and_refs_are_structured(doc):
    para = doc.sections[1].blocks[-1].text
    assert Emph((Text("bayat"),)) in para
    assert [n.number for n in para if isinstance(n, NoteRef)] == [8, 9]
    note1 = doc.note(1).text
    assert any(isinstance(x, Link) and x.href.startswith("https://www.state.gov/") for x in note1)


def test_structured_facts(doc):
    assert [leader.name for leader in doc.leaders][:2] == ["Iyad Ag Ghaly", "Djamel Okacha"]
    assert doc.leaders[1].aliases == ("Yahya Abu Al Hamma",)
    assert doc.origins.kind == "merger" and doc.origins.date == "2017-03"
    assert [g.name for g in doc.origins.groups] == ["Ansar al-Din", "al-Murabitoon", "AQIM's Sahara branch"]
    assert doc.origins.absorbed[0].name == "Macina Liberation Front"
    assert [(a.kind, a.date) for a in doc.allegiance] == [("pledge", None), ("pledge", None), ("pledge", "2016-06")]
    assert [a.leader for a in doc.allegiance] == ["Abu Musab Abdul Wadud", "Ayman al-Zawahiri", "Haibatullah Akhundzada"]
    assert [(a.place, a.month) for a in doc.attacks] == [
        ("Ouagadougou", "2018-03"),
        ("Timbuktu", "2018-04"),
        ("Aguelhok", "2018-07"),
    ]
    # A slide fact citing a source the body cites carries the body's note number.
    designation = next(f for f in doc.facts if f.label == "Designation")
    assert [x.number for x in designation.text if isinstance(x, NoteRef)] == [1]


BASE_PARAGRAPH = "      - The group was designated in 2019.[^unsc-2018]"


def write(tmp_path: Path, body: str) -> Path:
    """The small base content with its one paragraph replaced by `body`."""
    base = (BROKEN / "_base.yaml").read_text(encoding="utf-8")
    assert base.count(BASE_PARAGRAPH) == 1, "the base fixture's paragraph is what the tests replace"
    file = tmp_path / "content.yaml"
    file.write_text(base.replace(BASE_PARAGRAPH, body), encoding="utf-8")
    return file


@pytest.mark.parametrize(
    "source",
    [
        r"A <b>not bold</b> & <font color=red>x</font> 5 * 3 = 15 &amp; `code`",
        "Quotes \"straight\" and “curly”, a back\\slash, 'single'.",
    ],
)
def test_markup_characters_stay_literal(tmp_path, source):
    file = write(tmp_path, "      - >-\n        " + source)
    para = load(file).sections[0].blocks[0].text
    assert plain_text(para) == source


@pytest.mark.parametrize("fixture", sorted(p.name for p in BROKEN.glob("[!_]*.yaml")))
def test_broken_content_is_reported_with_position(fixture):
    file = BROKEN / fixture
    expected = [line.removeprefix("# expect: ") for line in file.read_text().splitlines() if line.startswith("# expect:")]
    assert expected, "each fixture states what it expects"
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for message in expected:
        assert f"{file}:{message}" in result.output, result.output


def test_unused_sources_and_notes_are_warnings_not_errors(tmp_path):
    file = write(tmp_path, "      - No citation here.")
    text = file.read_text() + "notes:\n  - id: spare\n    text: A spare note.\n"
    file.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 0
    assert "warning: source 'unsc-2018' is never cited" in result.output
    assert "warning: note 'spare' is never cited" in result.output



def test_a_notes_marks_that_meet_are_spaced_the_bodys_are_as_typed(tmp_path):
    """A note's text, typed or formed from a source, sets a thin space where a single and a double
    quotation mark meet (CMOS 6.11; tests/test_chicago.py); the body makes no quotation marks of
    its own, so its text stays as the author typed it."""
    file = write(tmp_path, "      - \u201c\u2018Tis the season,\u2019\u201d he said.[^said]")
    file.write_text(file.read_text() + "notes:\n  - id: said\n    text: As he put it, \u201c\u2018Tis.\u2019\u201d\n")
    doc = load(file)
    assert plain_text(doc.sections[0].blocks[0].text) == "\u201c\u2018Tis the season,\u2019\u201d he said."
    assert plain_text(doc.note(1).text) == "As he put it, \u201c\u202f\u2018Tis.\u2019\u202f\u201d"

def test_validate_usage_error_exits_2():
    result = CliRunner().invoke(main, ["validate", "--no-such-option"])
    assert result.exit_code == 2


def test_missing_file_is_a_content_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1
    assert "cannot read file" in result.output


HOSTILE = {
    "billion-laughs": "\n".join(
        [
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
            *[
                f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]"
                for p, c in zip("abcdefgh", "bcdefghi")
            ],
        ]
    ),
    "deep-nesting": "a: " + "[" * 50_000 + "]" * 50_000,
    "huge": None,  # written below: 11 MB
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused(tmp_path, name):
    file = tmp_path / f"{name}.yaml"
    if HOSTILE[name] is None:
        file.write_text("a: '" + "x" * 11_000_000 + "'\n")
    else:
        file.write_text(HOSTILE[name])
    # Guard rails, not a benchmark: refused with a message, without exhausting memory or hanging.
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        from jnim_export.cli import main
        sys.argv = ["jnim-export", "validate", {str(file)!r}]
        main()
        """
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(r":\d+:\d+: .*(alias bomb|nesting deeper|limited to 10 MB)", proc.stderr), proc.stderr
    assert elapsed < 30


def test_content_error_lists_all_problems_sorted(tmp_path):
    # 'two' first: sorted by position, not by message
    file = write(tmp_path, "      - Bad [^two] and [^one].")
    with pytest.raises(ContentError) as info:
        load(file)
    errors = info.value.errors
    assert len(errors) == 2
    assert "'two'" in errors[0].message and "'one'" in errors[1].message
    assert errors[0].line == errors[1].line and errors[0].column < errors[1].column


def test_palette_is_derived_from_the_accent_unless_set(tmp_path):
    from jnim_export.colours import palette_from_accent
    from jnim_export.content.schema import StyleSpec

    assert StyleSpec().palette is None  # unset by default
    base = (BROKEN / "_base.yaml").read_text(encoding="utf-8")
    file = tmp_path / "content.yaml"
    file.write_text(base + 'style:\n  accent: "#1D4E89"\n', encoding="utf-8")
    style = load(file).style
    assert style.palette == palette_from_accent("#1d4e89")
    assert style.palette[0] == "#1d4e89" and len(set(style.palette)) == len(style.palette) == 6
    file.write_text(base + 'style:\n  accent: "#1d4e89"\n  palette: ["#000000", "#ff0000"]\n', encoding="utf-8")
    assert load(file).style.palette == ("#000000", "#ff0000")
    file.write_text(base, encoding="utf-8")  # neither: the default accent's palette
    assert load(file).style.palette == palette_from_accent(StyleSpec().accent)


@pytest.mark.parametrize("accent", ["#8c1d18", "#1f5a7a", "#000000", "#ffffff", "#808080", "#e0c020"])
def test_derived_palette_is_six_distinct_colours_accent_first(accent):
    from jnim_export.colours import palette_from_accent

    palette = palette_from_accent(accent)
    assert palette[0] == accent and len(set(palette)) == 6
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in palette)
