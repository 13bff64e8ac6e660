"""Sources from a reference manager: CSL-JSON and BibTeX read into the source fields, cited with
`[^id]`, checked with every problem at the file and entry, and `sources import` round-tripping them.

The files under tests/data/bibliography are hand-written test fixtures (see its README).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from jnim_export.cli import main
from jnim_export.content import ContentError, read
from jnim_export.content import bibliography, bibmap, edits, latex
from jnim_export.model import Link, Text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "bibliography"
PARAGRAPH = "Studies of the region[^smith2019] and of its displacement.[^eri2021] Again.[^smith2019]"
BULLET = "What the literature says[^smith2019][^eri2021]"


def project(folder: Path, *, bib: str | None = "refs.json", sources_yaml: str = "") -> Path:
    """The default content and its assets, with a section citing the fixture's two entries."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "assets", folder / "assets")
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    section = (f"\n  - id: literature\n    title: Literature\n    bullets:\n      - {BULLET}\n"
               f"    blocks:\n      - {PARAGRAPH}\n\nfigures:\n")
    assert text.count("\nfigures:\n") == 1 and text.count("\nnotes:\n") == 1
    text = text.replace("\nfigures:\n", section)
    if bib:
        shutil.copy(DATA / bib, folder / bib)
        text = text.replace("\nnotes:\n", f"\nbibliography: {bib}\n{sources_yaml}\nnotes:\n")
    content = folder / "content.yaml"
    content.write_text(text, encoding="utf-8")
    return content


def plain(inlines) -> str:
    out = []
    for x in inlines:
        if isinstance(x, Text):
            out.append(x.text)
        elif isinstance(x, Link):
            out.append(plain(x.children))
        else:
            out.append(plain(getattr(x, "children", ())))
    return "".join(out)


# ------------------------------------------------------------------ the fixtures mapped


def test_the_done_when_entries_map_to_the_agreed_fields():
    bib = bibliography.read(DATA / "refs.json")
    assert not bib.problems
    assert [e.item() for e in bib.entries] == [
        {"id": "smith2019", "type": "article", "authors": [{"family": "Smith", "given": "Jane"}], "title": "Title",
         "container": "Journal", "volume": "42", "issue": "3", "pages": "1\u201325", "date": "2019"},
        {"id": "eri2021", "type": "report", "authors": [{"literal": "Example Research Institute"}],
         "title": "Test Report on Sahel Security", "number": "Sahel Report No. 17",
         "publisher": "Example Research Institute", "place": "Brussels", "date": "2021-05-28",
         "url": "https://example.org/reports/sahel-17"},
    ]
    assert (bib.entries[0].line, bib.entries[1].line) == (2, 14)  # where each item's "{" stands


def test_zotero_csl_json_and_better_bibtex_give_the_same_sources():
    """The same references exported both ways: every field alike, accents and dashes decoded."""
    csl = {e.id: e.item() for e in bibliography.read(DATA / "zotero.json").entries}
    bib = {e.id: e.item() for e in bibliography.read(DATA / "better-bibtex.bib").entries}
    assert len(csl) == 7 and len(bib) == 6
    assert {k: csl[k] for k in bib} == bib
    assert csl["diallo2020"] == {
        "id": "diallo2020", "type": "article",
        "authors": [{"family": "Diallo", "given": "Amadou"}, {"family": "de Villiers", "given": "Marie-Claire"}],
        "title": "Jihadist Governance in the Central Sahel: Evidence from Katiba Records",
        "short_title": "Jihadist Governance", "container": "Journal of Test Conflict Studies", "volume": "12",
        "issue": "4", "pages": "233\u2013259", "date": "2020-03", "accessed": "2024-01-10",
        "url": "https://example.org/tcs/2020/diallo"}
    assert bib["tmg2022"]["authors"] == [{"literal": "Test Monitoring Group"}]
    assert bib["tmg2022"]["title"] == "Displacement along the Mali\u2013Burkina Faso Border"
    assert bib["agahmed2023"]["title"] == "Qui contr\u00f4le la route de M\u00e9naka ?"
    assert [csl[k]["type"] for k in ("agahmed2023", "okafor2021", "vanderberg2018", "haidara2019")] == \
        ["webpage", "webpage", "book", "chapter"]
    assert "type" not in csl["times2018"]  # a newspaper article keeps the generic form


def test_a_report_series_goes_with_its_number_or_stands_as_its_container():
    csl = lambda **kw: bibmap.csl_fields({"type": "report", "title": "T", **kw})[0]  # noqa: E731
    bib = lambda **kw: bibmap.bibtex_fields("techreport", {"title": "T", **kw})[0]  # noqa: E731
    for fields in (csl(**{"collection-title": "Sahel Report", "number": "17"}), bib(series="Sahel Report", number="17"),
                   csl(genre="Sahel Report", number="17"), bib(type="Sahel Report", number="17")):
        assert (fields.get("number"), fields.get("container")) == ("Sahel Report No. 17", None)
    for fields in (csl(**{"collection-title": "Sahel Report"}), bib(series="Sahel Report")):
        assert (fields.get("number"), fields.get("container")) == (None, "Sahel Report")
    assert csl(number="CRS R45432")["number"] == "CRS R45432"  # a number that is not bare digits stays as written


# ------------------------------------------------------------------ names and dates, any of them

_LETTERS = "abcdefghijklmnopqrstuvwxyzàéèëïñóöüçšžłøßğı"
_WORD = st.builds(lambda first, rest: first.upper() + rest, st.sampled_from(_LETTERS[:26] + "éöšł"),
                  st.text(st.sampled_from(_LETTERS + _LETTERS.upper()[:26]), max_size=7)).filter(
    lambda w: w.lower() not in ("and", "others"))  # BibTeX's separator (any case) and its "and others"
_WORDS = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_PERSON = st.fixed_dictionaries({"family": _WORDS, "given": _WORDS})
_ORG = st.fixed_dictionaries({"literal": st.lists(_WORD, min_size=2, max_size=5).map(" ".join)})


@given(st.lists(st.one_of(_PERSON, _ORG), min_size=1, max_size=6))
def test_bibtex_names_read_back_as_written(names):
    """"Family, Given and {Organisation}": people by parts, a braced name an organisation."""
    text = " and ".join(f"{n['family']}, {n['given']}" if "family" in n else "{" + n["literal"] + "}" for n in names)
    assert bibmap.bibtex_names(text) == names


@given(st.lists(st.one_of(_PERSON, _ORG), min_size=1, max_size=6), st.sampled_from(["", "de", "van der"]))
def test_csl_names_keep_people_and_organisations_apart(names, particle):
    csl = [{"family": n["family"], "given": n["given"], **({"non-dropping-particle": particle} if particle else {})}
           if "family" in n else n for n in names]
    expected = [{"family": f"{particle} {n['family']}".strip(), "given": n["given"]} if "family" in n else n
                for n in names]
    assert bibmap.csl_names(csl) == expected


_DAYS = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(_DAYS, st.sampled_from([1, 2, 3]), st.booleans(), st.sampled_from(["jan", "January", "1", "01"]))
def test_dates_map_to_iso_at_their_precision(day, parts, as_text, month_form):
    numbers = [day.year, day.month, day.day][:parts]
    expected = day.isoformat()[: {1: 4, 2: 7, 3: 10}[parts]]
    assert bibmap.csl_date({"date-parts": [[str(n) if as_text else n for n in numbers]]}) == expected
    assert bibmap.iso_text(expected) == expected
    month = {"jan": day.strftime("%b").lower(), "January": day.strftime("%B"), "1": str(day.month),
             "01": f"{day.month:02d}"}[month_form]
    raw = {"year": str(day.year), **({"month": month} if parts > 1 else {}), **({"day": str(day.day)} if parts == 3 else {})}
    assert bibmap.bibtex_date(raw) == expected
    assert bibmap.bibtex_date({"date": expected, "year": "1999"}) == expected  # biblatex's date wins


@given(st.integers(1000, 9999), st.integers(-5, 40), st.integers(-5, 40))
def test_impossible_dates_are_refused(year, month, day):
    try:
        real = datetime.date(year, month, day)
    except ValueError:
        real = None
    if real is None:
        with pytest.raises(bibmap.Bad):
            bibmap.csl_date({"date-parts": [[year, month, day]]})
    else:
        assert bibmap.csl_date({"date-parts": [[year, month, day]]}) == real.isoformat()


_MARKS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u030c": "v", "\u0327": "c"}
_SPECIAL = {"ß": "\\ss{}", "ø": "{\\o}", "æ": "{\\ae}", "ł": "{\\l}", "–": "{--}", "—": "{---}", "“": "{``}", "”": "{''}",
            "&": "\\&", "%": "\\%", "_": "\\_", "$": "\\$", "#": "\\#"}


def _as_latex(text: str, braced: bool) -> str:
    """`text` written as Better BibTeX writes BibTeX: accents and specials as LaTeX."""
    out = []
    for ch in text:
        base, *marks = unicodedata.normalize("NFD", ch)
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif len(marks) == 1 and marks[0] in _MARKS:
            mark = _MARKS[marks[0]]
            sep = " " if mark.isalpha() else ""
            out.append(f"{{\\{mark}{{{base}}}}}" if braced else f"\\{mark}{sep}{base}")
        else:
            out.append(ch)
    return "".join(out)


_PRINTED = st.text(st.sampled_from(list("aeiouAEIOU cnsSzZ") + list("éèêëñçšžčÉÀÖüÿßøæł–—“”&%_$#")), max_size=40)


@given(_PRINTED, st.booleans())
def test_bibtex_latex_decodes_to_the_text_it_stands_for(text, braced):
    assert latex.decode(_as_latex(text, braced)) == " ".join(text.split())
    assert latex.decode("{{" + _as_latex(text, braced) + "}}") == " ".join(text.split())  # protective braces


def test_an_unknown_latex_command_is_named_not_printed():
    with pytest.raises(latex.LatexError, match=r"\\foo is not known"):
        latex.decode("\\foo{x}")
    assert latex.decode("\\emph{Katiba} \\url{https://example.org/a_b} {\\relax Ph}ilippe") == \
        "Katiba https://example.org/a_b Philippe"


# ------------------------------------------------------------------ problems, at the file and entry

BAD_JSON = """[
  {"id": "http://zotero.org/users/local/x/items/AB", "type": "book", "title": "T"},
  {"id": "ok1", "type": "article-journal", "title": "A", "author": [{"given": "Jane"}],
   "issued": {"date-parts": [[2019, 13]]}, "URL": "javascript:alert(1)"},
  {"id": "ok1", "title": "dup"},
  {"id": "ok2", "title": "x\\u0007y", "accessed": {"date-parts": [[2019, 2, 30]]}},
  {"id": "ok3"},
  3,
  {"id": "ok4", "title": "Fine", "volume": 42, "page": "3-9", "author": [{"literal": "Org"}]}
]
"""

BAD_BIB = """@article{a1,
  title = {Good},
  author = {Smith, Jane},
  year = {19x9},
}

@article{a1,
  title = {Dup},
}

@misc{b2, title = {T}, month = {Smarch}, year = {2020}}
@book{c3:bad, title = {T}}
@article{d4, title = {unclosed
"""


def test_every_problem_in_a_csl_file_at_its_line_and_entry(tmp_path):
    (tmp_path / "bad.json").write_text(BAD_JSON, encoding="utf-8")
    bib = bibliography.read(tmp_path / "bad.json")
    got = sorted(str(p).removeprefix(f"{tmp_path}/") for p in bib.problems)
    assert got == sorted([
        "bad.json:2:3: http://zotero.org/users/local/x/items/AB: id 'http://zotero.org/users/local/x/items/AB' "
        "cannot be cited as [^id]: an id is letters, digits, '_', '.' and '-', at most 80 characters (give the "
        "entry such a citation key)",
        "bad.json:3:58: ok1.author: name 1 has no family name (a person) or literal (an organisation)",
        "bad.json:4:4: ok1.issued: month 13 does not exist",
        "bad.json:4:44: ok1.URL: link 'javascript:alert(1)' is not allowed: use http, https or mailto",
        "bad.json:5:3: ok1: entry 'ok1' is defined twice: here and on line 3",
        "bad.json:6:17: ok2.title: a control character (U+0007) is not allowed",
        "bad.json:6:38: ok2.accessed: February 2019 has no day 30",
        "bad.json:7:3: ok3: entry 'ok3' has neither an author nor a title",
        "bad.json:8:3: an item is an object ({...}), not int",
    ])
    assert [e.item() for e in bib.entries] == [
        {"id": "ok4", "authors": [{"literal": "Org"}], "title": "Fine", "volume": "42", "pages": "3\u20139"}]


def test_every_problem_in_a_bibtex_file_at_its_entry(tmp_path):
    (tmp_path / "bad.bib").write_text(BAD_BIB, encoding="utf-8")
    got = sorted(str(p).removeprefix(f"{tmp_path}/") for p in bibliography.read(tmp_path / "bad.bib").problems)
    assert got == [
        "bad.bib:11:24: b2.month: month 'Smarch' is not a month (a number, a name or jan \u2026 dec)",
        "bad.bib:12:1: c3:bad: id 'c3:bad' cannot be cited as [^id]: an id is letters, digits, '_', '.' and '-', "
        "at most 80 characters (give the entry such a citation key)",
        "bad.bib:13:1: this entry cannot be read: Unexpectedly reached end of file.",
        "bad.bib:4:3: a1.year: year '19x9' is not a year of four digits",
        "bad.bib:7:1: a1: entry 'a1' is defined twice: here and on line 1",
    ]


@pytest.mark.parametrize("name, data, message", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "not usable JSON: nested too deeply"),
    ("big.json", "[" + " " * 2**20 + "]", "bibliographies are limited to 1.0 MB"),
    ("ats.bib", "@misc{a, title={@@@@@@@@@@}}" * 1_000, "11,000 '@' signs, each of which may start an entry"),
    ("object.json", '{"items": []}', "CSL-JSON is a list of items"),
    ("broken.json", '[{"id": "a",}]', "broken.json:1:13: not valid JSON: Expecting property name"),
    ("latin1.bib", "@book{a, title={Caf\xe9}}", "latin1.bib:1:20: the bibliography is not UTF-8 text"),
    ("refs.ris", "TY  - JOUR", "a bibliography is CSL-JSON ('.json') or BibTeX ('.bib'), not '.ris'"),
])
def test_a_file_that_is_no_bibliography_is_one_problem(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data.encode("latin-1"))
    (problem,) = bibliography.read(tmp_path / name).problems
    assert message in str(problem)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "refs.json")
    (problem,) = bibliography.read(tmp_path / "refs.json").problems
    assert "a named pipe (FIFO), not a regular file" in str(problem)


# ------------------------------------------------------------------ in the content


def test_entries_are_cited_like_sources(tmp_path):
    doc = read(project(tmp_path / "p")).document
    by_id = {s.id: s for s in doc.sources}
    assert by_id["smith2019"].authors[0].family == "Smith" and by_id["smith2019"].volume == "42"
    assert by_id["eri2021"].authors[0].literal == "Example Research Institute"
    cited = [n for n in doc.notes if set(n.sources) & {"smith2019", "eri2021"}]
    # the text's three notes; the bullet on the slide takes the first two's numbers
    assert [n.sources for n in cited] == [("smith2019",), ("eri2021",), ("smith2019",)]
    assert tmp_path / "p" / "refs.json" in doc.inputs  # an edit to it rebuilds


def test_a_bibtex_bibliography_gives_the_notes_a_csl_one_gives(tmp_path):
    """Cited from the content, the Better BibTeX file's entries print as the Zotero file's do."""
    cited = ["diallo2020", "tmg2022", "agahmed2023", "okafor2021", "vanderberg2018", "haidara2019", "diallo2020"]
    texts = {}
    for bib in ("zotero.json", "better-bibtex.bib"):
        content = project(tmp_path / bib, bib=bib)
        text = content.read_text(encoding="utf-8").replace(PARAGRAPH, " ".join(f"A.[^{i}]" for i in cited))
        content.write_text(text.replace(BULLET, "What the literature says"), encoding="utf-8")
        doc = read(content).document
        texts[bib] = [plain(n.text) for n in doc.notes if n.sources and n.sources[0] in cited]
    assert len(texts["zotero.json"]) == len(cited) and texts["zotero.json"] == texts["better-bibtex.bib"]
    assert texts["zotero.json"][0].startswith("Amadou Diallo and Marie-Claire de Villiers, \u201cJihadist Governance")
    assert "Test Sahel Monitor" in texts["zotero.json"][2] and "January 10, 2024" in texts["zotero.json"][2]


def test_an_id_in_both_places_is_an_error_naming_both(tmp_path):
    content = project(tmp_path / "p")
    text = content.read_text(encoding="utf-8")
    text = text.replace("  - id: state-2018\n", "  - id: smith2019\n    title: Typed by hand\n\n  - id: state-2018\n", 1)
    content.write_text(text, encoding="utf-8")
    line = text[: text.index("id: smith2019")].count("\n") + 1
    with pytest.raises(ContentError) as caught:
        read(content)
    errors = [str(d) for d in caught.value.errors]
    assert errors == [f"{content}:{line}:9: sources.0.id: id 'smith2019' is defined here and in the bibliography, "
                      f"at {content.parent / 'refs.json'}:2:3 (entry 'smith2019'); keep one"]


@pytest.mark.parametrize("where, message", [
    ("../refs.json", "leaves the content folder"),
    ("missing.json", "asset 'missing.json' not found"),
    ("assets", "is a folder, not a file"),
])
def test_the_bibliography_path_is_checked_as_an_asset(tmp_path, where, message):
    content = project(tmp_path / "p")
    content.write_text(content.read_text(encoding="utf-8").replace("bibliography: refs.json", f"bibliography: {where}"),
                       encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read(content)
    assert any(d.path == "bibliography" and message in d.message for d in caught.value.errors), caught.value


def test_a_bad_entry_fails_validate_with_all_problems_and_no_traceback(tmp_path):
    content = project(tmp_path / "p")
    (content.parent / "refs.json").write_text(json.dumps([
        {"id": "smith2019", "title": "T", "issued": {"date-parts": [[2019, 2, 30]]}},
        {"id": "eri2021", "title": "R", "URL": "ftp://example.org/x"}], indent=1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(content)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    refs = content.parent / "refs.json"
    assert f"{refs}:5:3: smith2019.issued: February 2019 has no day 30" in result.output
    assert f"{refs}:18:3: eri2021.URL: link 'ftp://example.org/x' is not allowed" in result.output
    assert "undefined" not in result.output  # the broken entries' citations are not reported again


# ------------------------------------------------------------------ sources import


def test_import_prints_the_entries_as_sources_items():
    result = CliRunner().invoke(main, ["sources", "import", str(DATA / "zotero.json")])
    assert result.exit_code == 0, result.output
    printed = yaml.safe_load(result.stdout)
    expected = [e.item() for e in bibliography.read(DATA / "zotero.json").entries]
    assert printed == {"sources": expected}
    assert "7 sources from" in result.stderr


@pytest.mark.parametrize("bib", ["refs.json", "zotero.json", "better-bibtex.bib"])
def test_import_into_the_content_builds_the_same_notes_as_the_bibliography(tmp_path, bib):
    ids = [e.id for e in bibliography.read(DATA / bib).entries]
    cites = " ".join(f"A.[^{i}]" for i in ids + ids[:2])  # each in full, then two short forms

    def cited(content: Path) -> Path:
        text = content.read_text(encoding="utf-8").replace(PARAGRAPH, cites).replace(BULLET, "Literature")
        content.write_text(text, encoding="utf-8")
        return content

    direct = read(cited(project(tmp_path / "direct", bib=bib))).document
    content = cited(project(tmp_path / "imported", bib=None))
    result = CliRunner().invoke(main, ["sources", "import", str(DATA / bib), "--into", str(content)])
    assert result.exit_code == 0, result.output
    imported = read(content).document
    notes = [(n.number, n.sources, n.text) for n in imported.notes]
    assert notes == [(n.number, n.sources, n.text) for n in direct.notes]
    assert len([n for n in notes if set(n[1]) & set(ids)]) == len(ids) + 2
    assert {s.id: s for s in imported.sources} == {s.id: s for s in direct.sources}
    again = content.read_bytes()
    second = CliRunner().invoke(main, ["sources", "import", str(DATA / bib), "--into", str(content)])
    assert second.exit_code == 1 and f"id {ids[0]!r} is already defined here; nothing was imported" in second.output
    assert content.read_bytes() == again


@pytest.mark.parametrize("before", ["meta: {}\n", "meta: {}\nsources: []  # none yet\nnotes: []\n",
                                    "meta: {}\nsources:  # none yet\n# c\n", "meta: {}\nsources:",
                                    "\ufeffmeta: {}\r\nsources:\r\n  - id: a\r\n    title: A\r\n"])
def test_import_into_any_sources_form_keeps_the_rest_of_the_file(tmp_path, before):
    content = tmp_path / "content.yaml"
    content.write_bytes(before.encode("utf-8"))
    result = CliRunner().invoke(main, ["sources", "import", str(DATA / "refs.json"), "--into", str(content)])
    assert result.exit_code == 0, result.output
    after = content.read_bytes().decode("utf-8")
    data = yaml.safe_load(after.lstrip("\ufeff"))
    kept = [{"id": "a", "title": "A"}] if "id: a" in before else []
    assert data["sources"] == kept + [e.item() for e in bibliography.read(DATA / "refs.json").entries]
    assert after.startswith("\ufeff") == before.startswith("\ufeff")
    assert ("# none yet" in after) == ("# none yet" in before)
    assert ("\r\n" in after) == ("\r\n" in before) and ("\r\n" not in before or "\n" not in after.replace("\r\n", ""))


_YAMLISH = st.one_of(st.sampled_from(["yes", "No", "null", "~", "2019", "2019-05-03", "1e3", "0x1F", "- a", "a: b",
                                       "#x", "'q'", '"q"', "[x]", "{x}", "*a", "&a", "!t", "%p", "@at", "`b", "| x",
                                       "> x", " lead", "trail ", "a\\b", "«»", "…"]),
                     st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")),
                             min_size=1, max_size=30).map(lambda t: " ".join(t.split()) or "x"))


@settings(max_examples=40)  # each example writes and reads a file: 40 keep the fast suite fast
@given(st.lists(st.fixed_dictionaries({"title": _YAMLISH, "container": _YAMLISH, "volume": _YAMLISH}), min_size=1,
                max_size=3))
def test_import_writes_any_text_so_that_it_reads_back_the_same(items):
    """The YAML written for the items reads back as exactly the items (it is checked before it is written)."""
    import tempfile

    items = [{"id": f"s{i}", **item} for i, item in enumerate(items)]
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content.yaml"
        content.write_text("meta: {}\nsources:\n  - id: a\n    title: A  # kept\n\nnotes: []\n", encoding="utf-8")
        edits.append_sources(content, items)
        after = content.read_text(encoding="utf-8")
    assert yaml.safe_load(after)["sources"] == [{"id": "a", "title": "A"}, *items] and "# kept" in after


def test_import_of_a_bad_file_writes_nothing(tmp_path):
    content = project(tmp_path / "p", bib=None)
    before = content.read_bytes()
    (tmp_path / "bad.bib").write_text(BAD_BIB, encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "import", str(tmp_path / "bad.bib"), "--into", str(content)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "5 errors; nothing was imported." in result.output and "bad.bib:4:3: a1.year" in result.output
    assert content.read_bytes() == before


# ------------------------------------------------------------------ end to end

SMITH = "Jane Smith, \u201cTitle,\u201d Journal 42, no. 3 (2019): 1\u201325."
REPORT = ("Example Research Institute, Test Report on Sahel Security, Sahel Report No. 17 (Brussels: Example "
          "Research Institute, May 28, 2021),")


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_a_csl_bibliography_builds_to_chicago_notes_in_every_output(tmp_path, default_figures):
    """The issue's example: a journal article and an organisation's report from a CSL-JSON file,
    cited from a paragraph (and a slide's bullet), in the PDF's, the deck's and the page's notes."""
    import html5lib
    from pptx import Presentation
    from pypdf import PdfReader

    content = project(tmp_path / "p")
    shutil.copytree(default_figures, content.parent / "output" / ".jnim-export" / "figures")  # the same figures
    result = CliRunner().invoke(main, ["build", str(content), "--json"])
    assert result.exit_code == 0, result.output
    outputs = {Path(o["path"]).suffix: Path(o["path"]) for o in json.loads(result.output)["outputs"]}

    pdf = _words(" ".join(page.extract_text() for page in PdfReader(str(outputs[".pdf"])).pages))
    assert SMITH in pdf and REPORT in pdf and "Smith, \u201cTitle.\u201d" in pdf

    deck = Presentation(str(outputs[".pptx"]))
    (slide,) = [s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text == "Literature"]
    said = _words(" ".join([slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""] +
                           [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]))
    assert SMITH in said and REPORT in said

    tree = html5lib.parse(outputs[".html"].read_text(encoding="utf-8"), namespaceHTMLElements=False)
    notes = [_words("".join(li.itertext())) for li in tree.iter("li")]
    smith = next(li for li in tree.iter("li") if SMITH in _words("".join(li.itertext())))
    assert any(SMITH in n for n in notes) and any(REPORT in n for n in notes)
    assert [_words("".join(e.itertext())) for e in smith.iter("em") if not e.get("class")] == ["Journal"]

    refs = content.parent / "refs.json"  # an input of the build: an edit to it alone rebuilds
    refs.write_text(refs.read_text(encoding="utf-8").replace('"Title"', '"Another Title"'), encoding="utf-8")
    again = CliRunner().invoke(main, ["build", str(content), "--json"])
    assert [o["skipped"] for o in json.loads(again.output)["outputs"]] == [False] * len(outputs)
    assert "Jane Smith, \u201cAnother Title,\u201d" in _words(PdfReader(str(outputs[".pdf"])).pages[-1].extract_text())
