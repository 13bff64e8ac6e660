"""The agreed source fields: read from the content, checked, and carried into the model unchanged."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from jnim_export.cli import main
from jnim_export.content import load
from jnim_export.model import Name

BASE = (Path(__file__).parent / "data" / "broken" / "_base.yaml").read_text(encoding="utf-8")
SOURCE = """  - id: unsc-2018
    author: United Nations Security Council
    title: Twenty-second report
    date: 2018-07-27
    url: https://undocs.org/S/2018/705
"""
FIRST = BASE[: BASE.index(SOURCE)].count("\n") + 2  # the line of the source's first field
DATE_FORMS = "write a year (2018), a year and month (2018-05) or a full date (2018-05-03)"


def with_source(tmp_path: Path, fields: str) -> Path:
    """The synthetic base backgrounder with its one source replaced by `fields` (YAML lines)."""
    assert SOURCE in BASE
    text = BASE.replace(SOURCE, "  - id: unsc-2018\n" + "".join(f"    {line}\n" for line in textwrap.dedent(fields).strip().splitlines()))
    file = tmp_path / "content.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def refused(file: Path) -> str:
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(("written", "date"), [("2018", "2018"), ("2018-05", "2018-05"), ('"2018"', "2018"),
                                               ("2018-05-03", "2018-05-03")])
def test_a_year_or_a_month_is_a_date(tmp_path, written, date):
    doc = load(with_source(tmp_path, f"title: Report\ndate: {written}"))
    assert doc.sources[0].date == date


@pytest.mark.parametrize("written", ["18", "2018.5", "2018/05", "May 2018", "2018-13", "[2018]", "true"])
def test_a_wrong_date_names_the_three_forms(tmp_path, written):
    out = refused(with_source(tmp_path, f"title: Report\ndate: {written}"))
    line = next(x for x in out.splitlines() if "sources.0.date" in x)
    assert f":{FIRST + 1}:11: sources.0.date: " in line, out  # the value's line and column
    if written != "2018-13":
        assert line.endswith(DATE_FORMS), line


def test_every_agreed_field_reaches_the_model(tmp_path):
    doc = load(with_source(tmp_path, """
        type: article
        authors: [{family: Smith, given: Jane}, {literal: International Crisis Group}]
        title: Title
        container: Journal of X
        volume: 42
        issue: "3"
        pages: 1–25
        number: Africa Report No. 276
        publisher: Pub
        place: Brussels
        date: 2019
        accessed: 2024-01-10
        url: https://example.org/a
    """))
    s = doc.sources[0]
    assert s.type == "article" and s.author is None and not s.organisation
    assert s.authors == (Name("Smith", "Jane", None), Name(None, None, "International Crisis Group"))
    assert (s.container, s.volume, s.issue, s.pages) == ("Journal of X", "42", "3", "1–25")
    assert (s.number, s.publisher, s.place, s.date, s.accessed) == (
        "Africa Report No. 276", "Pub", "Brussels", "2019", "2024-01-10")


def test_an_organisation_is_said_not_guessed(tmp_path):
    doc = load(with_source(tmp_path, "author: United Nations Security Council\norganisation: true\ntitle: Report"))
    assert doc.sources[0].organisation and doc.sources[0].author == "United Nations Security Council"


def test_author_and_authors_are_exclusive_and_names_are_checked(tmp_path):
    out = refused(with_source(tmp_path, """
        author: Jane Smith
        authors: [{family: Smith, literal: Smith Inc}, {given: Jane}]
        organisation: true
        title: Report
    """))
    assert f":{FIRST + 1}:14: sources.0.authors: source 'unsc-2018' has both 'author' and 'authors'" in out, out
    assert f":{FIRST + 1}:15: sources.0.authors.0: an author is a person (family, given) or an organisation (literal)" in out
    assert "sources.0.authors.1: a person needs 'family'" in out, out


def test_organisation_needs_an_author(tmp_path):
    out = refused(with_source(tmp_path, "authors: [{literal: ICG}]\norganisation: true\ntitle: Report"))
    assert "sources.0.organisation: 'organisation: true' says that 'author' is an organisation" in out, out
    assert "{literal: …}" in out


def warnings(file: Path) -> str:
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_part_the_form_would_not_print_is_warned_about(tmp_path):
    out = warnings(with_source(tmp_path, "author: Jane Smith\ntitle: Report\npublisher: Press\nvolume: 4"))
    assert f":{FIRST + 2}:16: sources.0.publisher: warning: a note without a 'type' does not print 'publisher'" in out
    assert "sources.0.volume: warning: a note without a 'type' does not print 'volume'" in out
    out = warnings(with_source(tmp_path, "type: book\nauthor: Jane Smith\ntitle: Report\nnumber: No. 4"))
    assert "sources.0.number: warning: a book's note does not print 'number'" in out


def test_an_article_without_its_journal_and_an_undated_web_page_are_warned_about(tmp_path):
    out = warnings(with_source(tmp_path, "type: article\nauthor: Jane Smith\ntitle: T"))
    assert "sources.0.type: warning: an article's note names the journal it appeared in: add 'container'" in out
    out = warnings(with_source(tmp_path, "type: webpage\nauthor: Jane Smith\ntitle: T\nurl: https://e.org"))
    assert "sources.0.type: warning: a web page with no date needs the date it was read: add 'accessed'" in out
    assert "warning" not in warnings(with_source(tmp_path, "type: webpage\nauthor: J S\ntitle: T\naccessed: 2024-05-03"))


def test_an_author_written_as_a_string_in_authors_says_how_to_write_it(tmp_path):
    out = refused(with_source(tmp_path, "authors: [Jane Smith, {literal: ICG}]\ntitle: Report"))
    assert (f":{FIRST}:15: sources.0.authors.0: write an author as {{family: …, given: …}} (a person) or "
            "{literal: …} (an organisation), not 'Jane Smith'") in out, out
